//go:build !linux

package store

// ReleaseMemory is a hint that has no portable form; elsewhere the kernel decides alone.
func (s *Store) ReleaseMemory() {}

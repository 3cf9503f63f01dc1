//go:build linux

package store

import (
	bolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// ReleaseMemory tells the kernel that the library's memory-mapped pages are not needed now.
// A full scan (the studio loads every row of a 100k library once) touches the whole file, and
// the kernel counts every mapped page against the process; dropping them brings the resident
// size back to the heap. Later reads fault the pages back in from the page cache, so this is
// only ever a hint. The read transaction holds bbolt's mmap lock, so the mapping cannot move
// while we advise on it.
func (s *Store) ReleaseMemory() {
	s.view(func(tx *bolt.Tx) error {
		size := int(tx.Size())
		if size <= 0 {
			return nil
		}
		// The address stays a uintptr: it is only passed to the kernel, never dereferenced.
		_, _, errno := unix.Syscall(unix.SYS_MADVISE, s.db.Info().Data, uintptr(size), unix.MADV_DONTNEED)
		if errno != 0 {
			return errno
		}
		return nil
	})
}

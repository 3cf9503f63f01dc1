//go:build !unix

package ui

import "os"

// RedirectStderr is a no-op where file descriptors cannot be swapped this way.
func RedirectStderr(f *os.File) (restore func(), err error) { return func() {}, nil }

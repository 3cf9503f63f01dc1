//go:build unix

package ui

import (
	"os"

	"golang.org/x/sys/unix"
)

// RedirectStderr points file descriptor 2 at f (the log file) until restore is called.
// C libraries (libasound above all) write to fd 2 directly, below os.Stderr; while the
// studio owns the screen their noise must go to the log, not over the panes. Call it before
// the audio output is created, so the device's own messages follow it.
func RedirectStderr(f *os.File) (restore func(), err error) {
	saved, err := unix.Dup(2)
	if err != nil {
		return nil, err
	}
	unix.CloseOnExec(saved)
	if err := unix.Dup2(int(f.Fd()), 2); err != nil {
		unix.Close(saved)
		return nil, err
	}
	return func() {
		unix.Dup2(saved, 2)
		unix.Close(saved)
	}, nil
}

//go:build linux

package player

import (
	"io"
	"os"
	"sync"
	"syscall"
)

var stderrMu sync.Mutex

// quietStderr runs fn with file descriptor 2 pointing at a temporary file and returns what was
// written there (at most 8 KiB). C libraries (libasound, the JACK client it may load) write to
// fd 2 directly, below os.Stderr, so only swapping the descriptor keeps them off the terminal.
// Everything that writes to stderr meanwhile, from any goroutine, lands in the file: keep fn
// short. If the program redirects stderr itself (the TUI sends it to a log file), do that before
// the device opens: fd 2 is put back to whatever it was when fn started.
func quietStderr(fn func()) string {
	stderrMu.Lock()
	defer stderrMu.Unlock()
	tmp, err := os.CreateTemp("", "sunostudio-audio-*.log")
	if err != nil {
		fn()
		return ""
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	saved, err := syscall.Dup(2)
	if err != nil {
		fn()
		return ""
	}
	syscall.CloseOnExec(saved)
	defer syscall.Close(saved)
	if err := syscall.Dup3(int(tmp.Fd()), 2, 0); err != nil {
		fn()
		return ""
	}
	func() {
		defer syscall.Dup3(saved, 2, 0)
		fn()
	}()
	b, _ := io.ReadAll(io.NewSectionReader(tmp, 0, 8<<10))
	return string(b)
}

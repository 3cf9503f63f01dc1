//go:build unix

package store

import (
	"errors"
	"syscall"
)

// pidAlive: signal 0 checks existence; EPERM means it exists but belongs to another user.
func pidAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

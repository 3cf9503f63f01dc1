package store

import (
	"os"
	"strconv"
	"strings"

	"sunostudio/internal/i18n"
)

// LockedError says another process holds the library. bbolt's lock is an flock on the file,
// which carries no owner, so the read-write holder leaves its pid in "<path>.pid" for this message.
type LockedError struct {
	Path string
	PID  int // 0 when the holder is unknown (no pid file, or a read-only holder)
}

func (e *LockedError) Error() string {
	if e.PID > 0 {
		return i18n.T("store.err.locked_pid", e.PID, e.Path)
	}
	return i18n.T("store.err.locked_by", e.Path)
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

func pidFilePath(dbPath string) string { return dbPath + ".pid" }

// writePIDFile runs after the lock is taken, so only the holder ever writes it. A failure is not
// fatal: the pid only improves the message another process shows.
func writePIDFile(p string) bool {
	return os.WriteFile(p, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600) == nil
}

func removePIDFile(p string) {
	// Only our own: a pid file we did not write belongs to someone else's run.
	if readPIDFile(p) == os.Getpid() {
		_ = os.Remove(p)
	}
}

// readPIDFile returns the pid in the file, or 0 when it is missing, unreadable, or names a
// process that no longer runs (a stale file left by a crash: the lock holder is someone else).
func readPIDFile(p string) int {
	b, err := os.ReadFile(p)
	if err != nil || len(b) > 32 {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 || !pidAlive(pid) {
		return 0
	}
	return pid
}

func lockedError(path string) error {
	return &LockedError{Path: path, PID: readPIDFile(pidFilePath(path))}
}

package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"sunostudio/internal/i18n"
)

// Sentinel errors. Every error the package returns for these conditions wraps one of them with
// context (the id, the file), so callers test with errors.Is and show err.Error() as is.
var (
	ErrNotFound error = i18n.Text("store.err.not_found")
	ErrLocked   error = i18n.Text("store.err.locked")
	ErrReadOnly error = i18n.Text("store.err.read_only")
	ErrDamaged  error = i18n.Text("store.err.damaged")
	// ErrBadCursor: a Query.Cursor that was not made by Clips for the same sort order.
	ErrBadCursor error = i18n.Text("store.err.bad_cursor")
	// ErrInvalid: a record the library refuses (empty or malformed id, relative path, ...).
	ErrInvalid error = i18n.Text("store.err.invalid")
	// ErrNewerSchema: the file was migrated by a newer sunostudio; this one must not touch it.
	ErrNewerSchema error = i18n.Text("store.err.newer_schema")
)

// Record versions written into the "v" field of every stored value.
const (
	taskVersion  = 1
	clipVersion  = 1
	draftVersion = 1
)

// Store is an open library. All methods are safe for concurrent use; bbolt serialises writers
// and gives readers consistent snapshots, so the Store itself keeps no caches.
type Store struct {
	db       *bolt.DB
	path     string // absolute path of the library file (for a snapshot: the original's path)
	dir      string // library folder: the only place DeleteClip removes files from
	readOnly bool
	now      func() time.Time

	pidPath  string // "<path>.pid" when this Store wrote it (read-write opens)
	tempPath string // the private copy behind a snapshot, removed on Close

	closeOnce sync.Once
	closeErr  error
}

// Close releases the library (and its lock). Closing twice is harmless.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		// The pid file goes first, while the lock is still ours: removing it after the lock is
		// released could delete the pid file of the next process that opened the library.
		if s.pidPath != "" {
			removePIDFile(s.pidPath)
		}
		s.closeErr = s.db.Close()
		if s.tempPath != "" {
			if err := os.Remove(s.tempPath); err != nil && !errors.Is(err, os.ErrNotExist) && s.closeErr == nil {
				s.closeErr = err
			}
		}
	})
	return s.closeErr
}

// ReadOnly reports whether writes are refused (a read-only open or a snapshot).
func (s *Store) ReadOnly() bool { return s.readOnly }

// Path is the absolute path of the library file (for a snapshot, of the file it copies).
func (s *Store) Path() string { return s.path }

// Dir is the library folder: downloads live here and DeleteClip removes nothing outside it.
func (s *Store) Dir() string { return s.dir }

// view runs fn in a read transaction. A panic inside bbolt (a damaged page) or a fault on the
// memory map (a file truncated under us) becomes ErrDamaged instead of killing the program.
func (s *Store) view(fn func(tx *bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer s.recoverDamaged(&err)
	return s.db.View(fn)
}

// update runs fn in a write transaction (committed with fsync, bbolt's default).
func (s *Store) update(fn func(tx *bolt.Tx) error) (err error) {
	if s.readOnly {
		return fmt.Errorf("%s: %w", s.path, ErrReadOnly)
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer s.recoverDamaged(&err)
	return s.db.Update(fn)
}

func (s *Store) recoverDamaged(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %s (%v)", ErrDamaged, s.path, r)
	}
}

// damaged reports an undecodable record; the key is shown so the record can be found.
func (s *Store) damaged(what string, key []byte, err error) error {
	return fmt.Errorf("%w: %s: %s %x: %v", ErrDamaged, s.path, what, key, err)
}

// insideDir reports whether p (absolute, cleaned) is strictly inside dir.
func insideDir(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	if err != nil || rel == "." || rel == ".." || filepath.IsAbs(rel) {
		return false
	}
	return len(rel) < 3 || rel[:3] != ".."+string(filepath.Separator)
}

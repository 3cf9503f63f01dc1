package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"sunostudio/internal/i18n"
)

// OpenOptions tune Open and OpenSnapshot. The zero value is a read-write open that waits 500 ms
// for another process's lock.
type OpenOptions struct {
	Timeout  time.Duration    // how long to wait for another process's lock; default 500ms
	ReadOnly bool             // no writes, no migrations; still blocked by a read-write holder
	Now      func() time.Time // injectable clock; default time.Now
}

const defaultLockTimeout = 500 * time.Millisecond

func (o OpenOptions) withDefaults() OpenOptions {
	// bbolt waits forever with a zero timeout: never pass it through.
	if o.Timeout <= 0 {
		o.Timeout = defaultLockTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Open opens (creating if needed, unless ReadOnly) the library file at path and migrates it to
// the current schema. Another process holding it gives a *LockedError within about Timeout; a
// file that is not an intact library gives an error wrapping ErrDamaged that names the file.
func Open(path string, o OpenOptions) (*Store, error) {
	o = o.withDefaults()
	abs, err := absPath(path)
	if err != nil {
		return nil, err
	}
	if err := checkFile(abs, o.ReadOnly); err != nil {
		return nil, err
	}
	if !o.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
			return nil, i18n.Wrap(i18n.T("store.err.open", err), err)
		}
	}
	db, err := openDB(abs, abs, o.ReadOnly, o.Timeout)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: abs, dir: filepath.Dir(abs), readOnly: o.ReadOnly, now: o.Now}
	if !o.ReadOnly && writePIDFile(pidFilePath(abs)) {
		s.pidPath = pidFilePath(abs)
	}
	if err := s.prepare(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenSnapshot opens a private read-only copy of the library, for a second process (a CLI
// command while the TUI runs): bbolt's lock would block even a read-only open. The copy is
// checked for consistency and retaken (up to 3 times) when the holder committed meanwhile.
func OpenSnapshot(path string, o OpenOptions) (*Store, error) {
	o = o.withDefaults()
	abs, err := absPath(path)
	if err != nil {
		return nil, err
	}
	if err := checkFile(abs, true); err != nil {
		return nil, err
	}
	var last error
	for attempt := 1; attempt <= 3; attempt++ {
		// The last attempt settles for a copy that passes the checks even if a commit landed
		// while it was copied: a big library next to a busy TUI may never be copied quietly.
		s, err := openCopy(abs, o, attempt < 3)
		if err == nil {
			return s, nil
		}
		if !errors.Is(err, ErrDamaged) {
			return nil, err
		}
		last = err
	}
	return nil, i18n.Wrap(i18n.T("store.err.snapshot_inconsistent", abs, last), last)
}

func openCopy(abs string, o OpenOptions, requireQuiet bool) (_ *Store, err error) {
	tmp, quiet, err := copyToTemp(abs)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if requireQuiet && !quiet {
		return nil, i18n.Wrap(i18n.T("store.err.changed_while_copied", ErrDamaged, abs), ErrDamaged)
	}
	if err := verifyCopy(tmp, abs, o); err != nil {
		return nil, err
	}
	db, err := openDB(tmp, abs, true, o.Timeout)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: abs, dir: filepath.Dir(abs), readOnly: true, now: o.Now, tempPath: tmp}
	if err := s.prepare(); err != nil {
		s.tempPath = "" // removed by the deferred cleanup
		db.Close()
		return nil, err
	}
	return s, nil
}

// verifyCopy checks (and if older, migrates) a snapshot's private copy. It is opened
// read-write, which loads the freelist here, and every page is touched by walk() on this
// goroutine, where a fault becomes ErrDamaged; only then does bbolt's tx.Check run. Check runs
// on a goroutine of its own, where a fault on a page past the end of the file would kill the
// program instead of failing the snapshot.
func verifyCopy(file, name string, o OpenOptions) error {
	db, err := openDB(file, name, false, o.Timeout)
	if err != nil {
		return err
	}
	s := &Store{db: db, path: name, dir: filepath.Dir(name), now: o.Now}
	defer db.Close()
	if _, err := s.inspect(); err != nil {
		return err
	}
	if err := s.walk(); err != nil {
		return err
	}
	if err := s.check(); err != nil {
		return err
	}
	// The copy is ours alone: migrate it rather than refuse a library an older version wrote.
	if err := s.prepare(); err != nil {
		return err
	}
	return db.Close()
}

// walk reads every key and value of every bucket, so that any page the file references but
// does not hold faults here (recovered by view) rather than somewhere unrecoverable.
func (s *Store) walk() error {
	var sink byte
	return s.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			c := b.Cursor()
			var prev []byte
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if prev != nil && bytes.Compare(prev, k) >= 0 {
					return fmt.Errorf("%w: %s: keys out of order", ErrDamaged, s.path)
				}
				prev = k
				sink ^= k[len(k)-1]
				if len(v) > 0 {
					sink ^= v[0] ^ v[len(v)-1]
				}
			}
			_ = sink
			return nil
		})
	})
}

// check runs bbolt's consistency check over the whole file.
func (s *Store) check() error {
	err := s.view(func(tx *bolt.Tx) error {
		var first error
		for e := range tx.Check() { // drain: the checker goroutine sends every problem
			if first == nil {
				first = e
			}
		}
		return first
	})
	if err != nil && !errors.Is(err, ErrDamaged) {
		err = fmt.Errorf("%w: %s: %v", ErrDamaged, s.path, err)
	}
	return err
}

// copyToTemp copies the library while its holder may be committing. bbolt is copy-on-write and
// writes the meta page last, so if the two meta pages are byte-identical before and after the
// copy (quiet), no commit finished in between and the copy is one consistent state.
func copyToTemp(src string) (tmp string, quiet bool, err error) {
	f, err := os.Open(src)
	if err != nil {
		return "", false, fmt.Errorf("snapshot: %w", err)
	}
	defer f.Close()
	before, err := readHead(f)
	if err != nil {
		return "", false, fmt.Errorf("snapshot of %s: %w", src, err)
	}
	out, err := os.CreateTemp("", "sunostudio-snapshot-*.db")
	if err != nil {
		return "", false, fmt.Errorf("snapshot: %w", err)
	}
	_, err = io.Copy(out, io.NewSectionReader(f, 0, 1<<62))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	var after []byte
	if err == nil {
		after, err = readHead(f)
	}
	if err != nil {
		os.Remove(out.Name())
		return "", false, fmt.Errorf("snapshot of %s: %w", src, err)
	}
	return out.Name(), bytes.Equal(before, after), nil
}

// readHead reads the area holding both meta pages for any page size up to 16 KiB.
func readHead(f *os.File) ([]byte, error) {
	b := make([]byte, 32<<10)
	n, err := f.ReadAt(b, 0)
	if err != nil && err != io.EOF {
		return nil, err
	}
	return b[:n], nil
}

func absPath(path string) (string, error) {
	if path == "" {
		return "", errors.New("open library: empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", i18n.Wrap(i18n.T("store.err.open_path", path, err), err)
	}
	return abs, nil
}

// checkFile refuses what bbolt would mishandle: a directory, and an existing empty file, which
// bbolt would silently initialise as a new database (an empty library.db is a damaged one:
// a new library is made only where no file exists).
func checkFile(abs string, mustExist bool) error {
	fi, err := os.Stat(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if mustExist {
			return errors.New(i18n.T("store.err.no_such_file", abs))
		}
		return nil
	case err != nil:
		return i18n.Wrap(i18n.T("store.err.open", err), err)
	case fi.IsDir():
		return errors.New(i18n.T("store.err.is_directory", abs))
	case fi.Size() == 0:
		return i18n.Wrap(i18n.T("store.err.file_empty", ErrDamaged, abs), ErrDamaged)
	}
	return nil
}

// openDB opens a bbolt file and turns its failures into this package's errors. name is the
// file the user knows (the original, for a snapshot's copy).
func openDB(file, name string, readOnly bool, timeout time.Duration) (db *bolt.DB, err error) {
	var f *os.File
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			// bbolt faulted reading the file (a page past the end, a corrupt freelist): close
			// the file it opened, or its flock would outlive this failed Open.
			if f != nil {
				f.Close()
			}
			db, err = nil, i18n.Wrap(i18n.T("store.err.corrupt", ErrDamaged, name, r), ErrDamaged)
		}
	}()
	db, err = bolt.Open(file, 0o600, &bolt.Options{
		Timeout:  timeout,
		ReadOnly: readOnly,
		OpenFile: func(p string, flag int, mode os.FileMode) (*os.File, error) {
			var err error
			f, err = os.OpenFile(p, flag, mode)
			return f, err
		},
	})
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, lockedError(name)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum), strings.Contains(err.Error(), "file size too small"):
		return nil, i18n.Wrap(i18n.T("store.err.not_intact", ErrDamaged, name, err), ErrDamaged)
	}
	return nil, i18n.Wrap(i18n.T("store.err.open_path", name, err), err)
}

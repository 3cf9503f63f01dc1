package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"sunostudio/internal/i18n"
)

// currentSchema is the layout this code reads and writes.
//
//	1: meta, tasks, task_ids, clips, clip_ids, drafts, settings
//	2: + the derived index buckets (pending_tasks, batch_keys, search, downloads, children,
//	   task_clips) and meta clip_count
//	3: + personas, timing, peaks (song craft, schema3.go)
const currentSchema = 3

var errForeign = errors.New("foreign bucket")

// inspect reads the schema version (0 for a file with no buckets at all: a new library) and
// checks that the file is not shorter than its own meta page says, which would fault on the
// memory map later instead of failing cleanly now.
func (s *Store) inspect() (schema int, err error) {
	fi, err := os.Stat(s.db.Path())
	if err != nil {
		return 0, i18n.Wrap(i18n.T("store.err.open_path", s.path, err), err)
	}
	err = s.view(func(tx *bolt.Tx) error {
		if tx.Size() > fi.Size() {
			return i18n.Wrap(i18n.T("store.err.file_truncated", ErrDamaged, s.path, fi.Size(), tx.Size()), ErrDamaged)
		}
		meta := tx.Bucket(bMeta)
		if meta == nil {
			if tx.ForEach(func([]byte, *bolt.Bucket) error { return errForeign }) != nil {
				return i18n.Wrap(i18n.T("store.err.foreign_bbolt", ErrDamaged, s.path), ErrDamaged)
			}
			return nil
		}
		v := meta.Get(mSchema)
		n, err := strconv.Atoi(string(v))
		if err != nil || n < 1 {
			return i18n.Wrap(i18n.T("store.err.bad_schema", ErrDamaged, s.path, v), ErrDamaged)
		}
		schema = n
		return nil
	})
	return schema, err
}

// prepare checks the schema and, on a read-write open, migrates in one write transaction: a
// crash mid-migration leaves the old schema intact and the next open simply migrates again.
func (s *Store) prepare() error {
	schema, err := s.inspect()
	if err != nil {
		return err
	}
	switch {
	case schema > currentSchema:
		return i18n.Wrap(i18n.T("store.err.newer_schema_at", ErrNewerSchema, schema, currentSchema, s.path), ErrNewerSchema)
	case schema == currentSchema:
		return nil
	case s.readOnly && schema == 0:
		return errors.New(i18n.T("store.err.ro_uninitialised", s.path))
	case s.readOnly:
		return errors.New(i18n.T("store.err.ro_needs_upgrade", s.path, schema, currentSchema))
	}
	return s.update(func(tx *bolt.Tx) error { return migrate(tx, schema) })
}

func migrate(tx *bolt.Tx, from int) error {
	if from < 1 {
		for _, name := range schema1Buckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
	}
	if from < 2 {
		if err := buildIndexes(tx); err != nil {
			return fmt.Errorf("migrate to schema 2: %w", err)
		}
	}
	if from < 3 {
		if err := migrate3(tx); err != nil {
			return fmt.Errorf("migrate to schema 3: %w", err)
		}
	}
	return tx.Bucket(bMeta).Put(mSchema, []byte(strconv.Itoa(currentSchema)))
}

// buildIndexes (re)creates every derived bucket from the tasks and clips. Undecodable records
// are kept as they are and left out of the indexes: a migration must not lose data.
func buildIndexes(tx *bolt.Tx) error {
	for _, name := range schema2Buckets {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	err := tx.Bucket(bTasks).ForEach(func(k, v []byte) error {
		var t Task
		if json.Unmarshal(v, &t) != nil {
			return nil
		}
		return indexTask(tx, k, nil, &t, false)
	})
	if err != nil {
		return err
	}
	n := 0
	err = tx.Bucket(bClips).ForEach(func(k, v []byte) error {
		n++
		var c Clip
		if json.Unmarshal(v, &c) != nil {
			return nil
		}
		return indexClip(tx, k, nil, &c)
	})
	if err != nil {
		return err
	}
	return setClipCount(tx, n)
}

func clipCount(tx *bolt.Tx) int {
	v := tx.Bucket(bMeta).Get(mClipCount)
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

func setClipCount(tx *bolt.Tx, n int) error {
	if n < 0 {
		n = 0
	}
	return tx.Bucket(bMeta).Put(mClipCount, binary.BigEndian.AppendUint64(nil, uint64(n)))
}

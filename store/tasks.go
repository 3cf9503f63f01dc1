package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"sunostudio/internal/i18n"
)

// PutTask inserts or replaces the task with t.ID. CreatedAt (Now when zero) fixes the record's
// place in time and is kept on updates; V and UpdatedAt are set. On success t holds what was
// stored. The commit is fsync'd before PutTask returns: a submitted task is never lost.
func (s *Store) PutTask(t *Task) error {
	if t == nil {
		return fmt.Errorf("%w: nil task", ErrInvalid)
	}
	if err := validateTask(t); err != nil {
		return err
	}
	var stored Task
	now := s.now() // the clock is caller code: never called inside a transaction
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		stored, _, err = putTaskTx(tx, t, now, false)
		return err
	})
	if err != nil {
		return fmt.Errorf("put task %q: %w", t.ID, err)
	}
	*t = stored
	return nil
}

// putTaskTx writes a task and keeps task_ids, pending_tasks and batch_keys in step. An import
// (imported=true) adds only a task whose id is new and keeps its timestamps as they are.
func putTaskTx(tx *bolt.Tx, t *Task, now time.Time, imported bool) (stored Task, added bool, err error) {
	tasks, ids := tx.Bucket(bTasks), tx.Bucket(bTaskIDs)
	rec := *t
	rec.V = taskVersion
	var old *Task
	key := cloneBytes(ids.Get([]byte(t.ID)))
	if key != nil {
		if imported {
			return rec, false, nil
		}
		var o Task
		if json.Unmarshal(tasks.Get(key), &o) == nil {
			old = &o
			rec.CreatedAt = o.CreatedAt
		} else {
			rec.CreatedAt = keyTime(key)
		}
	} else {
		if rec.CreatedAt.IsZero() {
			rec.CreatedAt = now
		}
		key = timeKey(rec.CreatedAt, rec.ID)
	}
	if !imported {
		rec.UpdatedAt = now
	}
	val, err := json.Marshal(&rec)
	if err != nil {
		return rec, false, err
	}
	tasks.FillPercent = 1.0 // time-ordered keys: appends fill pages completely
	if err := tasks.Put(key, val); err != nil {
		return rec, false, err
	}
	if old == nil {
		if err := ids.Put([]byte(rec.ID), key); err != nil {
			return rec, false, err
		}
	}
	return rec, old == nil, indexTask(tx, key, old, &rec, imported)
}

// indexTask moves a task's index entries from old (nil: none) to t. Batch keys already taken
// by another task stay with it on import (existing records win); a live put takes them over.
func indexTask(tx *bolt.Tx, key []byte, old, t *Task, imported bool) error {
	pending := tx.Bucket(bPending)
	if t.Finished() {
		if err := pending.Delete(key); err != nil {
			return err
		}
	} else if err := pending.Put(key, []byte{}); err != nil {
		return err
	}
	batch := tx.Bucket(bBatchKeys)
	if old != nil && old.BatchKey != "" && old.BatchKey != t.BatchKey {
		if string(batch.Get([]byte(old.BatchKey))) == t.ID {
			if err := batch.Delete([]byte(old.BatchKey)); err != nil {
				return err
			}
		}
	}
	if t.BatchKey != "" && !(imported && batch.Get([]byte(t.BatchKey)) != nil) {
		return batch.Put([]byte(t.BatchKey), []byte(t.ID))
	}
	return nil
}

// Task returns the task with this id, or an error wrapping ErrNotFound.
func (s *Store) Task(id string) (*Task, error) {
	var t *Task
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		t, err = s.taskTx(tx, id)
		return err
	})
	return t, err
}

func (s *Store) taskTx(tx *bolt.Tx, id string) (*Task, error) {
	key := tx.Bucket(bTaskIDs).Get([]byte(id))
	if key == nil {
		return nil, i18n.Wrap(i18n.T("store.err.no_task", id), ErrNotFound)
	}
	return s.decodeTask(key, tx.Bucket(bTasks).Get(key))
}

func (s *Store) decodeTask(key, v []byte) (*Task, error) {
	if v == nil {
		return nil, s.damaged("task index points to a missing task", key, nil)
	}
	t := new(Task)
	if err := json.Unmarshal(v, t); err != nil {
		return nil, s.damaged("task", key, err)
	}
	return t, nil
}

// Tasks returns up to limit tasks, newest first; limit 0 returns all.
func (s *Store) Tasks(limit int) ([]*Task, error) {
	var out []*Task
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bTasks).Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			t, err := s.decodeTask(k, v)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	return out, err
}

// UnfinishedTasks returns every task the relay may still change, oldest first. It walks the
// small pending index, so startup costs the same with 10 or 100k finished tasks.
func (s *Store) UnfinishedTasks() ([]*Task, error) {
	var out []*Task
	err := s.view(func(tx *bolt.Tx) error {
		tasks := tx.Bucket(bTasks)
		return tx.Bucket(bPending).ForEach(func(k, _ []byte) error {
			t, err := s.decodeTask(k, tasks.Get(k))
			if err != nil {
				return err
			}
			if !t.Finished() { // an index entry never hides a finished task's state
				out = append(out, t)
			}
			return nil
		})
	})
	return out, err
}

// TaskByBatchKey returns the task a batch-file line made, or an error wrapping ErrNotFound.
func (s *Store) TaskByBatchKey(key string) (*Task, error) {
	var t *Task
	err := s.view(func(tx *bolt.Tx) error {
		id := tx.Bucket(bBatchKeys).Get([]byte(key))
		if id == nil {
			return i18n.Wrap(i18n.T("store.err.no_batch", key), ErrNotFound)
		}
		var err error
		t, err = s.taskTx(tx, string(id))
		return err
	})
	return t, err
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return bytes.Clone(b)
}

// DeleteTask removes a task record (not its clips). A missing task is not an error.
func (s *Store) DeleteTask(id string) error {
	return s.update(func(tx *bolt.Tx) error { return deleteTaskTx(tx, id) })
}

func deleteTaskTx(tx *bolt.Tx, id string) error {
	ids := tx.Bucket(bTaskIDs)
	key := cloneBytes(ids.Get([]byte(id)))
	if key == nil {
		return nil
	}
	var old Task
	if v := tx.Bucket(bTasks).Get(key); v != nil && json.Unmarshal(v, &old) == nil && old.BatchKey != "" {
		batch := tx.Bucket(bBatchKeys)
		if string(batch.Get([]byte(old.BatchKey))) == id {
			if err := batch.Delete([]byte(old.BatchKey)); err != nil {
				return err
			}
		}
	}
	for _, del := range []func() error{
		func() error { return tx.Bucket(bTasks).Delete(key) },
		func() error { return tx.Bucket(bPending).Delete(key) },
		func() error { return ids.Delete([]byte(id)) },
	} {
		if err := del(); err != nil {
			return err
		}
	}
	return nil
}

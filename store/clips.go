package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"sunostudio/internal/i18n"
)

// PutClip inserts or replaces the clip with c.ID (a full replace: to change one field, read the
// clip first). CreatedAt (Now when zero) is kept on updates; V and UpdatedAt are set, and on
// success c holds what was stored.
func (s *Store) PutClip(c *Clip) error {
	if c == nil {
		return fmt.Errorf("%w: nil clip", ErrInvalid)
	}
	if err := validateClip(c); err != nil {
		return err
	}
	var stored Clip
	now := s.now() // the clock is caller code: never called inside a transaction
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		stored, _, err = putClipTx(tx, c, now, false)
		return err
	})
	if err != nil {
		return fmt.Errorf("put clip %q: %w", c.ID, err)
	}
	*c = stored
	return nil
}

// PutTaskAndClips writes a task and its clips in one transaction: the tracker never leaves a
// task that says "succeeded" without the clips it made.
func (s *Store) PutTaskAndClips(t *Task, clips []*Clip) error {
	if err := validateTaskAndClips(t, clips); err != nil {
		return err
	}
	return s.putTaskAndClips("", t, clips)
}

func validateTaskAndClips(t *Task, clips []*Clip) error {
	if t == nil {
		return fmt.Errorf("%w: nil task", ErrInvalid)
	}
	if err := validateTask(t); err != nil {
		return err
	}
	for _, c := range clips {
		if c == nil {
			return fmt.Errorf("%w: nil clip", ErrInvalid)
		}
		if err := validateClip(c); err != nil {
			return err
		}
	}
	return nil
}

// ReplaceTask writes t (and clips) and deletes the task oldID in one transaction. The engine
// records a submit intent before it asks the relay, then swaps it for the relay's task, so a
// crash at any moment leaves exactly one of the two.
func (s *Store) ReplaceTask(oldID string, t *Task, clips []*Clip) error {
	if err := validateTaskAndClips(t, clips); err != nil {
		return err
	}
	return s.putTaskAndClips(oldID, t, clips)
}

func (s *Store) putTaskAndClips(replaces string, t *Task, clips []*Clip) error {
	var st Task
	sc := make([]Clip, len(clips))
	now := s.now()
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		if replaces != "" && replaces != t.ID {
			if err := deleteTaskTx(tx, replaces); err != nil {
				return err
			}
		}
		if st, _, err = putTaskTx(tx, t, now, false); err != nil {
			return err
		}
		for i, c := range clips {
			if sc[i], _, err = putClipTx(tx, c, now, false); err != nil {
				return fmt.Errorf("clip %q: %w", c.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put task %q and clips: %w", t.ID, err)
	}
	*t = st
	for i, c := range clips {
		*c = sc[i]
	}
	return nil
}

// putClipTx writes a clip and keeps clip_ids, the search record, the downloads, children and
// task_clips indexes and the clip count in step.
func putClipTx(tx *bolt.Tx, c *Clip, now time.Time, imported bool) (stored Clip, added bool, err error) {
	clips, ids := tx.Bucket(bClips), tx.Bucket(bClipIDs)
	rec := *c
	rec.V = clipVersion
	var old *Clip
	key := cloneBytes(ids.Get([]byte(c.ID)))
	isNew := key == nil
	if key != nil {
		if imported {
			return rec, false, nil
		}
		var o Clip
		if json.Unmarshal(clips.Get(key), &o) == nil {
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
	if err := writeClip(tx, key, old, &rec); err != nil {
		return rec, false, err
	}
	return rec, isNew, nil
}

// writeClip stores rec at key and moves its index entries from old (nil: none) to rec.
func writeClip(tx *bolt.Tx, key []byte, old, rec *Clip) error {
	val, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	clips := tx.Bucket(bClips)
	isNew := clips.Get(key) == nil
	clips.FillPercent = 1.0 // time-ordered keys: appends fill pages completely
	if err := clips.Put(key, val); err != nil {
		return err
	}
	if isNew {
		// Only a new record touches the id index and the count: an update dirties no more
		// pages than it must (every dirty page is rewritten at commit).
		if err := tx.Bucket(bClipIDs).Put([]byte(rec.ID), key); err != nil {
			return err
		}
		if err := setClipCount(tx, clipCount(tx)+1); err != nil {
			return err
		}
	}
	return indexClip(tx, key, old, rec)
}

// indexClip moves a clip's index entries from old (nil: none known) to c.
func indexClip(tx *bolt.Tx, key []byte, old, c *Clip) error {
	search := tx.Bucket(bSearch)
	search.FillPercent = 1.0
	if err := search.Put(key, encodeSearch(c)); err != nil {
		return err
	}
	dl := tx.Bucket(bDownloads)
	if needsDownload(c) {
		if err := dl.Put(key, []byte{}); err != nil {
			return err
		}
	} else if err := dl.Delete(key); err != nil {
		return err
	}
	for _, ix := range [...]struct {
		bucket   []byte
		old, new string
	}{
		{bChildren, oldField(old, func(c *Clip) string { return c.ParentID }), c.ParentID},
		{bTaskClips, oldField(old, func(c *Clip) string { return c.TaskID }), c.TaskID},
	} {
		b := tx.Bucket(ix.bucket)
		if ix.old != "" && ix.old != ix.new {
			if err := b.Delete(compositeKey(ix.old, key)); err != nil {
				return err
			}
		}
		if ix.new != "" {
			if err := b.Put(compositeKey(ix.new, key), []byte{}); err != nil {
				return err
			}
		}
	}
	return nil
}

// unindexClip removes every index entry of the clip at key.
func unindexClip(tx *bolt.Tx, key []byte, c *Clip) error {
	for _, name := range [...][]byte{bSearch, bDownloads} {
		if err := tx.Bucket(name).Delete(key); err != nil {
			return err
		}
	}
	if c.ParentID != "" {
		if err := tx.Bucket(bChildren).Delete(compositeKey(c.ParentID, key)); err != nil {
			return err
		}
	}
	if c.TaskID != "" {
		if err := tx.Bucket(bTaskClips).Delete(compositeKey(c.TaskID, key)); err != nil {
			return err
		}
	}
	return nil
}

func oldField(old *Clip, f func(*Clip) string) string {
	if old == nil {
		return ""
	}
	return f(old)
}

// Clip returns the clip with this id, or an error wrapping ErrNotFound.
func (s *Store) Clip(id string) (*Clip, error) {
	var c *Clip
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		c, _, err = s.clipTx(tx, id)
		return err
	})
	return c, err
}

// clipTx returns the clip and its key (a copy, usable after writes in the same tx).
func (s *Store) clipTx(tx *bolt.Tx, id string) (*Clip, []byte, error) {
	key := tx.Bucket(bClipIDs).Get([]byte(id))
	if key == nil {
		return nil, nil, i18n.Wrap(i18n.T("store.err.no_clip", id), ErrNotFound)
	}
	c, err := s.decodeClip(key, tx.Bucket(bClips).Get(key))
	return c, cloneBytes(key), err
}

func (s *Store) decodeClip(key, v []byte) (*Clip, error) {
	if v == nil {
		return nil, s.damaged("clip index points to a missing clip", key, nil)
	}
	c := new(Clip)
	if err := json.Unmarshal(v, c); err != nil {
		return nil, s.damaged("clip", key, err)
	}
	return c, nil
}

// ClipsOfTask returns the task's clips in the order of its ClipIDs, then any other clip whose
// TaskID names it (oldest first). An unknown task with no clips is ErrNotFound.
func (s *Store) ClipsOfTask(taskID string) ([]*Clip, error) {
	var out []*Clip
	err := s.view(func(tx *bolt.Tx) error {
		seen := map[string]bool{}
		t, err := s.taskTx(tx, taskID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if t != nil {
			for _, id := range t.ClipIDs {
				c, _, err := s.clipTx(tx, id)
				if errors.Is(err, ErrNotFound) || seen[id] {
					continue // listed by the relay, not (yet) in the library
				}
				if err != nil {
					return err
				}
				seen[id] = true
				out = append(out, c)
			}
		}
		clips := tx.Bucket(bClips)
		prefix := prefixKey(taskID)
		cur := tx.Bucket(bTaskClips).Cursor()
		for k, _ := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Next() {
			key := k[len(prefix):]
			c, err := s.decodeClip(key, clips.Get(key))
			if err != nil {
				return err
			}
			if c.TaskID == taskID && !seen[c.ID] {
				seen[c.ID] = true
				out = append(out, c)
			}
		}
		if t == nil && len(out) == 0 {
			return i18n.Wrap(i18n.T("store.err.no_task", taskID), ErrNotFound)
		}
		return nil
	})
	return out, err
}

// Newest returns the n newest clips, newest first (n <= 0: none). It is a cursor walk from the
// end of the time-ordered clips bucket: the cost does not grow with the library.
func (s *Store) Newest(n int) ([]*Clip, error) {
	if n <= 0 {
		return nil, nil
	}
	out := make([]*Clip, 0, min(n, 1024))
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bClips).Cursor()
		for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
			cl, err := s.decodeClip(k, v)
			if err != nil {
				return err
			}
			out = append(out, cl)
		}
		return nil
	})
	return out, err
}

// Count returns the number of clips (kept in meta: no scan).
func (s *Store) Count() (int, error) {
	var n int
	err := s.view(func(tx *bolt.Tx) error {
		n = clipCount(tx)
		return nil
	})
	return n, err
}

// SetFavorite marks or unmarks a clip as a favourite.
func (s *Store) SetFavorite(id string, fav bool) error {
	return s.editClip(id, func(c *Clip) error {
		c.Favorite = fav
		return nil
	})
}

// Rename sets the user's title. The relay's title is kept in OriginalTitle on the first rename.
func (s *Store) Rename(id, title string) error {
	title = strings.TrimSpace(title)
	if title == "" {
		return i18n.Wrap(i18n.T("store.err.empty_title", id, ErrInvalid), ErrInvalid)
	}
	return s.editClip(id, func(c *Clip) error {
		if c.OriginalTitle == "" {
			c.OriginalTitle = c.Title
		}
		c.Title = title
		return nil
	})
}

// SetNotes replaces the user's notes on a clip.
func (s *Store) SetNotes(id, notes string) error {
	return s.editClip(id, func(c *Clip) error {
		c.Notes = notes
		return nil
	})
}

// editClip is a read-modify-write in one transaction, so concurrent edits of different fields
// (a download finishing while the user renames) do not overwrite each other.
func (s *Store) editClip(id string, edit func(*Clip) error) error {
	now := s.now()
	return s.update(func(tx *bolt.Tx) error {
		c, key, err := s.clipTx(tx, id)
		if err != nil {
			return err
		}
		old := *c
		if err := edit(c); err != nil {
			return err
		}
		c.V, c.UpdatedAt = clipVersion, now
		return writeClip(tx, key, &old, c)
	})
}

// Children returns the clips made from parentID (extensions, covers, ...), oldest first.
func (s *Store) Children(parentID string) ([]*Clip, error) {
	var out []*Clip
	err := s.view(func(tx *bolt.Tx) error {
		clips := tx.Bucket(bClips)
		prefix := prefixKey(parentID)
		cur := tx.Bucket(bChildren).Cursor()
		for k, _ := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Next() {
			key := k[len(prefix):]
			c, err := s.decodeClip(key, clips.Get(key))
			if err != nil {
				return err
			}
			if c.ParentID == parentID {
				out = append(out, c)
			}
		}
		return nil
	})
	return out, err
}

// ClipsNeedingDownload returns complete clips whose files are not (all) in place, oldest first.
// It walks the downloads index, which every put keeps in step.
func (s *Store) ClipsNeedingDownload() ([]*Clip, error) {
	var out []*Clip
	err := s.view(func(tx *bolt.Tx) error {
		clips := tx.Bucket(bClips)
		return tx.Bucket(bDownloads).ForEach(func(k, _ []byte) error {
			c, err := s.decodeClip(k, clips.Get(k))
			if err != nil {
				return err
			}
			if needsDownload(c) {
				out = append(out, c)
			}
			return nil
		})
	})
	return out, err
}

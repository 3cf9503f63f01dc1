package store

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"sunostudio/internal/i18n"
)

// DeleteClip removes a clip's files and then its record (and its id from its task's ClipIDs).
// Files go first: if one cannot be removed the record stays and the delete can be retried; a
// crash in between leaves a record whose files are already gone, never orphaned files.
// A path outside the library folder (a poisoned or hand-edited record) is refused before
// anything is removed, as are the library file itself and anything behind a symlinked folder.
func (s *Store) DeleteClip(id string) error {
	if s.readOnly {
		return i18n.Wrap(i18n.T("store.err.delete_read_only", id, s.path, ErrReadOnly), ErrReadOnly)
	}
	for attempt := 0; attempt < 3; attempt++ {
		c, err := s.Clip(id)
		if err != nil {
			return i18n.Wrap(i18n.T("store.err.delete", err), err)
		}
		files := clipFiles(c)
		for _, p := range files {
			if err := s.removable(p); err != nil {
				return i18n.Wrap(i18n.T("store.err.delete_clip", id, err), err)
			}
		}
		for _, p := range files {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				return i18n.Wrap(i18n.T("store.err.delete_clip", id, err), err)
			}
		}
		changed := false
		now := s.now()
		err = s.update(func(tx *bolt.Tx) error {
			c, key, err := s.clipTx(tx, id)
			if errors.Is(err, ErrNotFound) {
				return nil // deleted meanwhile: done
			}
			if err != nil {
				return err
			}
			if !slices.Equal(clipFiles(c), files) {
				changed = true // a download finished meanwhile: remove its files too
				return nil
			}
			return s.deleteClipTx(tx, key, c, now)
		})
		if err != nil {
			return i18n.Wrap(i18n.T("store.err.delete_clip", id, err), err)
		}
		if !changed {
			return nil
		}
	}
	return errors.New(i18n.T("store.err.delete_changing", id))
}

func (s *Store) deleteClipTx(tx *bolt.Tx, key []byte, c *Clip, now time.Time) error {
	if err := tx.Bucket(bClips).Delete(key); err != nil {
		return err
	}
	if err := tx.Bucket(bClipIDs).Delete([]byte(c.ID)); err != nil {
		return err
	}
	if err := unindexClip(tx, key, c); err != nil {
		return err
	}
	if err := deleteCraftTx(tx, c.ID); err != nil {
		return err
	}
	if err := setClipCount(tx, clipCount(tx)-1); err != nil {
		return err
	}
	if c.TaskID == "" {
		return nil
	}
	t, err := s.taskTx(tx, c.TaskID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if i := slices.Index(t.ClipIDs, c.ID); i >= 0 {
		t.ClipIDs = slices.DeleteFunc(t.ClipIDs, func(x string) bool { return x == c.ID })
		_, _, err = putTaskTx(tx, t, now, false)
	}
	return err
}

// clipFiles lists a clip's local files, in a fixed order.
func clipFiles(c *Clip) []string {
	var out []string
	for _, p := range [...]string{c.LocalPath, c.CoverPath, c.LyricsPath, c.WAVPath, c.MP4Path} {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// removable says whether DeleteClip may remove p: an absolute path strictly inside the library
// folder, not the library file or its pid file, not a folder, and not reached through a
// symlinked folder that leads outside.
func (s *Store) removable(p string) error {
	refuse := func(why string) error {
		return i18n.Wrap(i18n.T("store.err.refuse_delete", ErrInvalid, p, why), ErrInvalid)
	}
	if !filepath.IsAbs(p) {
		return refuse("not an absolute path")
	}
	c := filepath.Clean(p)
	if !insideDir(s.dir, c) {
		return refuse("outside the library folder " + s.dir)
	}
	if c == s.path || c == pidFilePath(s.path) {
		return refuse("it is the library itself")
	}
	if fi, err := os.Lstat(c); err == nil && fi.IsDir() {
		return refuse("it is a folder")
	}
	realDir, err := filepath.EvalSymlinks(filepath.Dir(c))
	if err != nil {
		return nil // the folder does not exist, so neither does the file
	}
	realLib, err := filepath.EvalSymlinks(s.dir)
	if err != nil {
		return refuse("the library folder cannot be resolved")
	}
	if realDir != realLib && !insideDir(realLib, realDir) {
		return refuse("its folder leads outside the library folder")
	}
	return nil
}

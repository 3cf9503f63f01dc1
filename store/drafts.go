package store

import (
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"sunostudio/internal/i18n"
)

// SaveDraft stores a lyrics draft under d.Name, setting V and UpdatedAt.
func (s *Store) SaveDraft(d Draft) error {
	if err := validID("draft name", d.Name); err != nil {
		return err
	}
	d.V, d.UpdatedAt = draftVersion, s.now()
	val, err := json.Marshal(&d)
	if err != nil {
		return err
	}
	if err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bDrafts).Put([]byte(d.Name), val) }); err != nil {
		return fmt.Errorf("save draft %q: %w", d.Name, err)
	}
	return nil
}

// Draft returns the draft with this name, or an error wrapping ErrNotFound.
func (s *Store) Draft(name string) (Draft, error) {
	var d Draft
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bDrafts).Get([]byte(name))
		if v == nil {
			return i18n.Wrap(i18n.T("store.err.no_draft", name), ErrNotFound)
		}
		if err := json.Unmarshal(v, &d); err != nil {
			return s.damaged("draft", []byte(name), err)
		}
		return nil
	})
	return d, err
}

// Drafts returns every draft, most recently saved first.
func (s *Store) Drafts() ([]Draft, error) {
	var out []Draft
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bDrafts).ForEach(func(k, v []byte) error {
			var d Draft
			if err := json.Unmarshal(v, &d); err != nil {
				return s.damaged("draft", k, err)
			}
			out = append(out, d)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].UpdatedAt.After(out[j].UpdatedAt) })
	return out, err
}

// SetSetting stores v as JSON under key. Settings are local state: Export leaves them out.
func (s *Store) SetSetting(key string, v any) error {
	if err := validID("setting key", key); err != nil {
		return err
	}
	val, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("setting %q: %w", key, err)
	}
	if err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bSettings).Put([]byte(key), val) }); err != nil {
		return fmt.Errorf("setting %q: %w", key, err)
	}
	return nil
}

// Setting decodes the value stored under key into into; false when there is none.
func (s *Store) Setting(key string, into any) (bool, error) {
	var val []byte
	err := s.view(func(tx *bolt.Tx) error {
		val = cloneBytes(tx.Bucket(bSettings).Get([]byte(key)))
		return nil
	})
	if err != nil || val == nil {
		return false, err
	}
	if err := json.Unmarshal(val, into); err != nil {
		return true, fmt.Errorf("setting %q: %w", key, err)
	}
	return true, nil
}

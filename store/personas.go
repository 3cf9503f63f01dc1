package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"sunostudio/internal/i18n"
)

const personaVersion = 1

// Persona is a reusable voice and style the relay made from a clip (relay-api 3.3). The
// relay keeps personas but offers no way to list them, so the library remembers each one.
type Persona struct {
	V           int    `json:"v"`
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// RootClipID is the clip whose voice the persona carries.
	RootClipID string `json:"root_clip_id"`
	// Profile is the relay profile that made it: a persona only works on that relay's account.
	Profile   string    `json:"profile,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// PutPersona inserts or replaces a persona (CreatedAt is Now when zero).
func (s *Store) PutPersona(p *Persona) error {
	if p == nil {
		return fmt.Errorf("%w: nil persona", ErrInvalid)
	}
	if err := validID("persona id", p.ID); err != nil {
		return err
	}
	if strings.TrimSpace(p.Name) == "" {
		return i18n.Wrap(i18n.T("store.err.persona_no_name", ErrInvalid, p.ID), ErrInvalid)
	}
	rec := *p
	rec.V = personaVersion
	if rec.CreatedAt.IsZero() {
		rec.CreatedAt = s.now()
	}
	val, err := json.Marshal(&rec)
	if err != nil {
		return err
	}
	err = s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bPersonas).Put([]byte(rec.ID), val)
	})
	if err != nil {
		return fmt.Errorf("put persona %q: %w", p.ID, err)
	}
	*p = rec
	return nil
}

// Persona returns the persona with this id, or an error wrapping ErrNotFound.
func (s *Store) Persona(id string) (*Persona, error) {
	p := new(Persona)
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bPersonas)
		var v []byte
		if b != nil {
			v = b.Get([]byte(id))
		}
		if v == nil {
			return i18n.Wrap(i18n.T("store.err.no_persona", id), ErrNotFound)
		}
		if err := json.Unmarshal(v, p); err != nil {
			return s.damaged("persona", []byte(id), err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Personas returns every persona, newest first.
func (s *Store) Personas() ([]*Persona, error) {
	var out []*Persona
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bPersonas)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			p := new(Persona)
			if err := json.Unmarshal(v, p); err != nil {
				return s.damaged("persona", k, err)
			}
			out = append(out, p)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, err
}

// DeletePersona forgets a persona (not on the relay: relays offer no delete). Missing is fine.
func (s *Store) DeletePersona(id string) error {
	return s.update(func(tx *bolt.Tx) error { return tx.Bucket(bPersonas).Delete([]byte(id)) })
}

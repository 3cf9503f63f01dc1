package studio

import (
	"encoding/json"
	"errors"

	"sunostudio/store"
)

// Family is a clip's lineage: where it came from and what was made from it, for `show` and
// the TUI's lineage view.
type Family struct {
	Clip *store.Clip
	// Ancestors are the clips this one was made from, nearest first (parent, grandparent ...).
	Ancestors []*store.Clip
	// MissingAncestor is the id of the first ancestor the library does not have ("" if none):
	// the chain goes on at the relay (an upload, a deleted clip).
	MissingAncestor string
	// Parts are the clips a full song (concat result) joins, first first; PartIDs has every id
	// the request named, also those no longer in the library.
	Parts   []*store.Clip
	PartIDs []string
	// Children of the clip, by how they were made, oldest first.
	Extensions   []*store.Clip
	FullSongs    []*store.Clip
	Covers       []*store.Clip
	Stems        []*store.Clip
	Replaced     []*store.Clip // replaced sections (infill)
	PersonaSongs []*store.Clip // songs sung in a persona made from this clip's voice
	Other        []*store.Clip
}

// maxLineage bounds the ancestor walk: lineage comes from relay data, and a loop in it (a
// relay echoing a clip as its own parent) must not hang a view.
const maxLineage = 64

// Family reads a clip's lineage from the library. It never asks the relay.
func (e *Engine) Family(clipID string) (*Family, error) {
	c, err := e.st.Clip(clipID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notInLibrary(clipID)
	}
	if err != nil {
		return nil, err
	}
	f := &Family{Clip: c}
	seen := map[string]bool{c.ID: true}
	for cur := c; cur.ParentID != "" && len(f.Ancestors) < maxLineage && !seen[cur.ParentID]; {
		seen[cur.ParentID] = true
		p, err := e.st.Clip(cur.ParentID)
		if err != nil {
			f.MissingAncestor = cur.ParentID
			break
		}
		f.Ancestors = append(f.Ancestors, p)
		cur = p
	}
	if c.Derivation == store.DeriveConcat {
		f.PartIDs = e.partsOf(c)
		for _, id := range f.PartIDs {
			if p, err := e.st.Clip(id); err == nil {
				f.Parts = append(f.Parts, p)
			}
		}
	}
	kids, err := e.st.Children(c.ID)
	if err != nil {
		return nil, err
	}
	for _, k := range kids {
		switch k.Derivation {
		case store.DeriveExtend:
			f.Extensions = append(f.Extensions, k)
		case store.DeriveConcat:
			f.FullSongs = append(f.FullSongs, k)
		case store.DeriveCover:
			f.Covers = append(f.Covers, k)
		case store.DeriveStem:
			f.Stems = append(f.Stems, k)
		case store.DeriveInfill:
			f.Replaced = append(f.Replaced, k)
		case store.DerivePersona:
			f.PersonaSongs = append(f.PersonaSongs, k)
		default:
			f.Other = append(f.Other, k)
		}
	}
	return f, nil
}

// partsOf is what a full song joins: as its request recorded them, else (a task from before
// parts were recorded, or a retried one) rebuilt from the extended clip's ancestors.
func (e *Engine) partsOf(c *store.Clip) []string {
	if t, err := e.st.Task(c.TaskID); err == nil {
		var req Request
		if json.Unmarshal(t.Request, &req) == nil && len(req.Parts) > 0 {
			return req.Parts
		}
	}
	if c.ParentID == "" {
		return nil
	}
	p, err := e.st.Clip(c.ParentID)
	if err != nil {
		return []string{c.ParentID}
	}
	return e.chain(p)
}

package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The state file (Options.StateFile) keeps the store across restarts, for the offline demo:
// the studio's library remembers task ids, and a new simulator must still know them. Only the
// records are saved. Everything a client sees (stage, URLs, audio bytes) is derived from them
// and the clock, so a restored task continues exactly where it would have been.

// stateVersion is the file format; a file with another version is ignored (start empty).
const stateVersion = 1

// saveDelay coalesces the saves of a burst of changes (a batch of submits) into one write.
const saveDelay = 200 * time.Millisecond

type stateDoc struct {
	Version  int             `json:"version"`
	Saved    time.Time       `json:"saved"`
	Usage    int64           `json:"usage_cents"`
	Clips    []clipRecord    `json:"clips"`
	Tasks    []taskRecord    `json:"tasks"`
	Personas []personaRecord `json:"personas,omitempty"`
	WavJobs  []string        `json:"wav_jobs,omitempty"`
}

type clipRecord struct {
	ID         string    `json:"id"`
	Task       string    `json:"task,omitempty"`
	Index      int       `json:"index,omitempty"`
	Created    time.Time `json:"created"`
	Title      string    `json:"title,omitempty"`
	Tags       string    `json:"tags,omitempty"`
	NegTags    string    `json:"negative_tags,omitempty"`
	Lyrics     string    `json:"lyrics,omitempty"`
	Desc       string    `json:"description,omitempty"`
	HasDesc    bool      `json:"has_description,omitempty"`
	MV         string    `json:"mv,omitempty"`
	Type       string    `json:"type"`
	Seed       string    `json:"seed"`
	Seconds    float64   `json:"seconds,omitempty"`
	Parent     string    `json:"parent,omitempty"`
	ContinueAt float64   `json:"continue_at,omitempty"`
	Source     string    `json:"source,omitempty"`
	InfillFrom float64   `json:"infill_from,omitempty"`
	InfillTo   float64   `json:"infill_to,omitempty"`
	PersonaID  string    `json:"persona_id,omitempty"`
	ArtistClip string    `json:"artist_clip,omitempty"`
	StemLabel  string    `json:"stem_label,omitempty"`
	UploadURL  string    `json:"upload_url,omitempty"`
	Forced     bool      `json:"forced,omitempty"`
}

type lyricsRecord struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

type taskRecord struct {
	ID        string        `json:"id"`
	Kind      string        `json:"kind"`
	Submitted time.Time     `json:"submitted"`
	Hook      string        `json:"hook,omitempty"`
	Fate      fate          `json:"fate,omitempty"`
	Forced    bool          `json:"forced,omitempty"`
	Clips     []string      `json:"clips,omitempty"`
	Lyrics    *lyricsRecord `json:"lyrics,omitempty"`
	Input     string        `json:"input,omitempty"`
	Ref       string        `json:"ref,omitempty"`
	Prompt    string        `json:"prompt,omitempty"`
}

type personaRecord struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Root        string    `json:"root"`
	Clips       []string  `json:"clips,omitempty"`
	Public      bool      `json:"public,omitempty"`
	Created     time.Time `json:"created"`
}

// changed marks the store as modified and schedules a save. Must be called with s.mu held.
func (s *Sim) changed() {
	if s.opts.StateFile == "" {
		return
	}
	s.dirty = true
	if s.savePending || s.stateClosed {
		return
	}
	s.savePending = true
	s.saveTimer = time.AfterFunc(saveDelay, func() {
		s.mu.Lock()
		s.savePending = false
		s.mu.Unlock()
		_ = s.SaveState()
	})
}

// SaveState writes the store to Options.StateFile now if it changed since the last save (a
// no-op without a StateFile). Saves also happen by themselves shortly after every change and
// at Close; this is for callers that serve a simulator made with New and want a checkpoint.
func (s *Sim) SaveState() error {
	path := s.opts.StateFile
	if path == "" {
		return nil
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.Lock()
	if !s.dirty {
		s.mu.Unlock()
		return nil
	}
	doc := s.snapshot()
	s.dirty = false
	s.mu.Unlock()
	data, err := json.Marshal(doc)
	if err == nil {
		err = writeFileAtomic(path, data)
	}
	if err != nil {
		s.mu.Lock()
		s.dirty = true // try again with the next change or at Close
		s.mu.Unlock()
		s.logf("sim: cannot save the state to %s: %v", path, err)
		return fmt.Errorf("sim: save state: %w", err)
	}
	return nil
}

// closeState stops the automatic saves and flushes what is pending.
func (s *Sim) closeState() error {
	if s.opts.StateFile == "" {
		return nil
	}
	s.mu.Lock()
	s.stateClosed = true
	if s.saveTimer != nil {
		s.saveTimer.Stop()
	}
	s.savePending = false
	s.mu.Unlock()
	return s.SaveState()
}

// snapshot copies the store into records. Must be called with s.mu held.
func (s *Sim) snapshot() stateDoc {
	doc := stateDoc{Version: stateVersion, Saved: time.Now().UTC(), Usage: s.usage}
	id := func(c *clip) string {
		if c == nil {
			return ""
		}
		return c.id
	}
	for _, c := range s.clips {
		r := clipRecord{ID: c.id, Index: c.index, Created: c.created, Title: c.title, Tags: c.tags, NegTags: c.negTags,
			Lyrics: c.lyrics, Desc: c.desc, HasDesc: c.hasDesc, MV: c.mv, Type: c.typ, Seed: c.seed, Seconds: c.seconds,
			Parent: id(c.parent), ContinueAt: c.continueAt, Source: id(c.source), InfillFrom: c.infillFrom,
			InfillTo: c.infillTo, PersonaID: c.personaID, ArtistClip: c.artistClip, StemLabel: c.stemLabel,
			UploadURL: c.uploadURL, Forced: c.forced}
		if c.task != nil {
			r.Task = c.task.id
		}
		doc.Clips = append(doc.Clips, r)
	}
	for _, t := range s.tasks {
		r := taskRecord{ID: t.id, Kind: t.kind, Submitted: t.submitted, Hook: t.hook, Fate: t.fate, Forced: t.forced,
			Input: t.input, Ref: id(t.ref), Prompt: t.prompt}
		for _, c := range t.clips {
			r.Clips = append(r.Clips, c.id)
		}
		if t.lyr != nil {
			r.Lyrics = &lyricsRecord{ID: t.lyr.id, Title: t.lyr.title, Text: t.lyr.text}
		}
		doc.Tasks = append(doc.Tasks, r)
	}
	for _, p := range s.personas {
		r := personaRecord{ID: p.id, Name: p.name, Description: p.description, Root: id(p.root), Public: p.public,
			Created: p.created}
		for _, c := range p.clips {
			r.Clips = append(r.Clips, c.id)
		}
		doc.Personas = append(doc.Personas, r)
	}
	for cid, ok := range s.wavJobs {
		if ok {
			doc.WavJobs = append(doc.WavJobs, cid)
		}
	}
	// A stable order keeps the file diffable and the write deterministic.
	slices.SortFunc(doc.Clips, func(a, b clipRecord) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(doc.Tasks, func(a, b taskRecord) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(doc.Personas, func(a, b personaRecord) int { return strings.Compare(a.ID, b.ID) })
	slices.Sort(doc.WavJobs)
	return doc
}

// writeFileAtomic replaces path with data so that a reader (or a crash) only ever sees the old
// file or the new one.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// loadState fills the store from Options.StateFile. It never fails: a missing file is an empty
// store, and anything unreadable is logged and ignored (the simulator starts empty).
func (s *Sim) loadState() {
	path := s.opts.StateFile
	if path == "" {
		return
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		s.logf("sim: cannot read the state file %s: %v; starting empty", path, err)
		return
	}
	var doc stateDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		s.logf("sim: the state file %s is corrupt (%v); starting empty", path, err)
		return
	}
	if doc.Version != stateVersion {
		s.logf("sim: the state file %s has version %d, not %d; starting empty", path, doc.Version, stateVersion)
		return
	}
	if err := s.restore(doc); err != nil {
		s.logf("sim: the state file %s is corrupt (%v); starting empty", path, err)
		return
	}
	s.logf("sim: restored %d task(s), %d clip(s) and %d persona(s) from %s", len(s.tasks), len(s.clips), len(s.personas), path)
}

// cutLoop follows one link from c and, if the chain comes back to a clip already seen, breaks
// the link that closes the loop.
func cutLoop(c *clip, link func(*clip) **clip) {
	seen := map[*clip]bool{}
	for p := c; p != nil; p = *link(p) {
		seen[p] = true
		if next := *link(p); next != nil && seen[next] {
			*link(p) = nil
			return
		}
	}
}

var knownKinds = map[string]bool{kindMusic: true, kindLyrics: true, kindConcat: true, kindWAV: true, kindMP4: true}

var knownTypes = map[string]bool{typeGen: true, typeConcat: true, typeStem: true, typeUpload: true}

// restore rebuilds the records and their links. Records that are inconsistent (unknown kinds,
// dangling references a handler would dereference) are dropped, so that a hand-edited or
// half-broken file cannot make a handler panic. The store is only replaced on success.
func (s *Sim) restore(doc stateDoc) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("restore: %v", v)
		}
	}()
	clips := map[string]*clip{}
	recs := map[string]clipRecord{}
	for _, r := range doc.Clips {
		if r.ID == "" || clips[r.ID] != nil || !knownTypes[r.Type] || r.Index < 0 {
			continue
		}
		clips[r.ID] = &clip{id: r.ID, index: r.Index, created: r.Created, title: r.Title, tags: r.Tags,
			negTags: r.NegTags, lyrics: r.Lyrics, desc: r.Desc, hasDesc: r.HasDesc, mv: r.MV, typ: r.Type, seed: r.Seed,
			seconds: r.Seconds, continueAt: r.ContinueAt, infillFrom: r.InfillFrom, infillTo: r.InfillTo,
			personaID: r.PersonaID, artistClip: r.ArtistClip, stemLabel: r.StemLabel, uploadURL: r.UploadURL, forced: r.Forced}
		recs[r.ID] = r
	}
	tasks := map[string]*task{}
	for _, r := range doc.Tasks {
		if r.ID == "" || tasks[r.ID] != nil || !knownKinds[r.Kind] || r.Fate < fateNormal || r.Fate > fateFail {
			continue
		}
		t := &task{id: r.ID, kind: r.Kind, submitted: r.Submitted, hook: r.Hook, fate: r.Fate, forced: r.Forced,
			input: r.Input, prompt: r.Prompt}
		switch r.Kind {
		case kindLyrics:
			if r.Lyrics == nil {
				continue
			}
			t.lyr = &lyricsRec{id: r.Lyrics.ID, title: r.Lyrics.Title, text: r.Lyrics.Text}
		case kindWAV, kindMP4:
			if t.ref = clips[r.Ref]; t.ref == nil {
				continue
			}
		default:
			for _, cid := range r.Clips {
				c := clips[cid]
				if c == nil || recs[cid].Task != r.ID || c.task != nil {
					continue
				}
				c.task = t
				t.clips = append(t.clips, c)
			}
			if len(t.clips) == 0 {
				continue
			}
		}
		tasks[r.ID] = t
	}
	// A clip that names a task which is gone would pose as a standalone clip: drop it.
	for id, c := range clips {
		if recs[id].Task != "" && (c.task == nil || tasks[c.task.id] != c.task) {
			delete(clips, id)
		}
	}
	for id, c := range clips {
		r := recs[id]
		c.parent = clips[r.Parent]
		c.source = clips[r.Source]
		if c.parent == c {
			c.parent = nil
		}
		if c.source == c {
			c.source = nil
		}
	}
	// The API can only build chains that end; a file can hold loops. Cut them, so that
	// nothing that walks a lineage (concat, history, audio) goes round for ever.
	for _, c := range clips {
		cutLoop(c, func(c *clip) **clip { return &c.parent })
		cutLoop(c, func(c *clip) **clip { return &c.source })
	}
	for id, t := range tasks { // an asset job whose clip was dropped above
		if t.ref != nil && clips[t.ref.id] != t.ref {
			delete(tasks, id)
		}
	}
	personas := map[string]*persona{}
	for _, r := range doc.Personas {
		root := clips[r.Root]
		if r.ID == "" || root == nil {
			continue
		}
		p := &persona{id: r.ID, name: r.Name, description: r.Description, root: root, public: r.Public, created: r.Created}
		for _, cid := range r.Clips {
			if c := clips[cid]; c != nil {
				p.clips = append(p.clips, c)
			}
		}
		if len(p.clips) == 0 {
			p.clips = []*clip{root}
		}
		personas[r.ID] = p
	}
	wav := map[string]bool{}
	for _, cid := range doc.WavJobs {
		if clips[cid] != nil {
			wav[cid] = true
		}
	}
	usage := doc.Usage
	if usage < 0 {
		usage = 0
	}
	s.clips, s.tasks, s.personas, s.wavJobs, s.usage = clips, tasks, personas, wav, usage
	return nil
}

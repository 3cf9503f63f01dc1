package sim

import (
	"encoding/json"
	"math"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Creating tasks: the one place that turns a music request (from any dialect) into records.

// Billing: what each task adds to the usage counter, in cents (total_usage is x0.01).
const (
	costMusic  = 100
	costLyrics = 10
)

// apiErr is a request rejected at submit time; each dialect renders it its own way.
type apiErr struct {
	status int
	code   string
	msg    string
}

func badRequest(code, msg string) *apiErr {
	return &apiErr{status: http.StatusBadRequest, code: code, msg: msg}
}

// musicReq is a music request in Suno's vocabulary (relay-api 2.1), whatever the dialect.
type musicReq struct {
	desc         string
	hasDesc      bool
	instrumental bool
	mv           string
	prompt       string
	title        string
	tags         string
	negTags      string
	taskID       string
	continueClip string
	continueAt   float64
	hasContAt    bool
	op           string // the "task" field: extend, cover, infill, artist_consistency, gen_stem, upload_extend
	coverClip    string
	infillFrom   float64
	infillTo     float64
	hasInfill    bool
	personaID    string
	artistClip   string
	hook         string
	input        string // GoAmz echo
	fateText     string // extra text searched for sim: keywords (chat: the user's message)
}

// fields decodes a JSON object leniently: relays and their docs disagree on types (continue_at
// is a number or a string, booleans are sometimes strings), so accessors accept both.
type fields map[string]json.RawMessage

func parseFields(data []byte) (fields, error) {
	var f fields
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	if f == nil {
		f = fields{}
	}
	return f, nil
}

func (f fields) str(k string) string {
	raw, ok := f[k]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// num reads a number or a numeric string; null, "" and garbage count as absent.
func (f fields) num(k string) (float64, bool) {
	raw, ok := f[k]
	if !ok {
		return 0, false
	}
	var v float64
	if json.Unmarshal(raw, &v) == nil {
		return v, !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			return v, true
		}
	}
	return 0, false
}

func (f fields) boolean(k string) bool {
	raw, ok := f[k]
	if !ok {
		return false
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b
	}
	s := strings.ToLower(f.str(k))
	return s == "true" || s == "1"
}

func (f fields) object(k string) fields {
	raw, ok := f[k]
	if !ok {
		return fields{}
	}
	out, err := parseFields(raw)
	if err != nil {
		return fields{}
	}
	return out
}

func (f fields) strings(k string) ([]string, bool) {
	raw, ok := f[k]
	if !ok {
		return nil, true
	}
	var out []string
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, false
	}
	return out, true
}

// musicReqFromTask reads a /suno/submit/music body. With RejectExtended the fields stock
// new-api does not know are dropped, and continue_at 0 disappears (omitempty), as there.
func (s *Sim) musicReqFromTask(f fields) musicReq {
	q := musicReq{
		desc:         f.str("gpt_description_prompt"),
		instrumental: f.boolean("make_instrumental"),
		mv:           f.str("mv"),
		prompt:       f.str("prompt"),
		title:        f.str("title"),
		tags:         f.str("tags"),
		taskID:       f.str("task_id"),
		continueClip: f.str("continue_clip_id"),
		hook:         f.str("notify_hook"),
	}
	q.hasDesc = q.desc != ""
	q.continueAt, q.hasContAt = f.num("continue_at")
	if s.opts.RejectExtended {
		if q.hasContAt && q.continueAt == 0 {
			q.hasContAt = false
		}
		return q
	}
	q.negTags = f.str("negative_tags")
	q.op = strings.ToLower(f.str("task"))
	q.coverClip = f.str("cover_clip_id")
	q.personaID = f.str("persona_id")
	q.artistClip = f.str("artist_clip_id")
	a, okA := f.num("infill_start_s")
	b, okB := f.num("infill_end_s")
	if okA || okB {
		q.infillFrom, q.infillTo, q.hasInfill = a, b, true
	}
	return q
}

// lookupClip finds a clip by id. Must be called with s.mu held.
func (s *Sim) lookupClip(id string) *clip {
	if id == "" {
		return nil
	}
	return s.clips[id]
}

// createMusic validates a request and stores the task. Must be called with s.mu held.
func (s *Sim) createMusic(q musicReq, kind string) (*task, *apiErr) {
	now := s.now()
	if q.mv == "" {
		q.mv = "chirp-v3-0"
	}
	if !q.hasDesc && q.prompt == "" && q.title == "" && q.tags == "" && q.continueClip == "" && q.coverClip == "" && q.personaID == "" {
		return nil, badRequest("invalid_request", "prompt, gpt_description_prompt and tags are all empty")
	}
	t := &task{id: newID(), kind: kind, submitted: now, hook: q.hook, input: q.input}
	t.prompt = strings.Join([]string{q.desc, q.prompt, q.title, q.tags, q.fateText}, "\n")
	t.fate = fateOf(t.prompt)

	mk := func(i int) *clip {
		return &clip{id: newID(), task: t, index: i, created: now, mv: q.mv, typ: typeGen, seconds: s.opts.SongSeconds,
			negTags: q.negTags, personaID: q.personaID, artistClip: q.artistClip}
	}
	seedBase := q.mv + "|" + q.desc + "|" + q.prompt + "|" + q.title + "|" + q.tags

	if q.hasDesc {
		// Inspiration mode: Suno writes title, lyrics and style; Suno-API drops every custom
		// and continue field (relay-api 2.1, 9.12).
		title, tags := songTitle(q.desc, q.desc), songTags(q.desc, q.desc)
		lyrics := ""
		if !q.instrumental {
			lyrics = songLyrics(q.desc, q.desc)
		}
		for i := 0; i < 2; i++ {
			c := mk(i)
			c.title, c.tags, c.lyrics, c.desc, c.hasDesc = title, tags, lyrics, q.desc, true
			c.seed = seedBase + "|" + strconv.Itoa(i)
			t.clips = append(t.clips, c)
		}
		s.store(t)
		return t, nil
	}

	// Custom mode, possibly continuing / covering / splitting an existing clip.
	var parent, source *clip
	if q.continueClip != "" {
		if q.taskID == "" {
			return nil, badRequest("invalid_request", "task_id is empty")
		}
		if _, ok := s.tasks[q.taskID]; !ok && s.clips[q.taskID] == nil {
			return nil, badRequest("task_not_exist", "task_not_exist")
		}
		if parent = s.lookupClip(q.continueClip); parent == nil {
			return nil, badRequest("invalid_request", "continue_clip_id not found: "+q.continueClip)
		}
	}
	switch q.op {
	case "cover":
		if q.coverClip == "" {
			return nil, badRequest("invalid_request", "cover_clip_id is empty")
		}
		if source = s.lookupClip(q.coverClip); source == nil {
			return nil, badRequest("invalid_request", "cover_clip_id not found: "+q.coverClip)
		}
	case "infill":
		if parent == nil {
			return nil, badRequest("invalid_request", "continue_clip_id is required for infill")
		}
		if !q.hasInfill || q.infillFrom < 0 || q.infillTo <= q.infillFrom {
			return nil, badRequest("invalid_request", "infill_start_s and infill_end_s must form a window")
		}
		source, parent = parent, nil
	case "gen_stem":
		if parent == nil {
			return nil, badRequest("invalid_request", "continue_clip_id is required for gen_stem")
		}
		for i, label := range []string{"Vocals", "Instrumental"} {
			c := mk(i)
			c.typ, c.source, c.stemLabel = typeStem, parent, label
			c.title = parent.title + " - " + label
			c.tags, c.lyrics = parent.tags, parent.lyrics
			c.seed = parent.seed + "|stem|" + label
			t.clips = append(t.clips, c)
		}
		s.store(t)
		return t, nil
	case "artist_consistency":
		if q.personaID != "" && s.personas[q.personaID] == nil {
			return nil, badRequest("invalid_request", "persona not found: "+q.personaID)
		}
		if q.artistClip != "" && s.lookupClip(q.artistClip) == nil {
			return nil, badRequest("invalid_request", "artist_clip_id not found: "+q.artistClip)
		}
	}

	title, tags, lyrics := q.title, q.tags, q.prompt
	ref := parent
	if ref == nil {
		ref = source
	}
	if ref != nil {
		if title == "" {
			title = ref.title
		}
		if tags == "" {
			tags = ref.tags
		}
		if lyrics == "" && source != nil {
			lyrics = ref.lyrics
		}
	}
	if title == "" {
		title = songTitle(seedBase, q.prompt+" "+q.tags)
	}
	if tags == "" {
		tags = songTags(seedBase, q.prompt)
	}
	contAt := -1.0
	if parent != nil {
		pd := s.audioOf(parent).duration()
		contAt = pd
		if q.hasContAt {
			contAt = math.Min(math.Max(q.continueAt, 0), pd)
		}
	}
	for i := 0; i < 2; i++ {
		c := mk(i)
		c.title, c.tags, c.lyrics = title, tags, lyrics
		c.parent, c.continueAt, c.source = parent, contAt, source
		if q.op == "infill" {
			c.infillFrom, c.infillTo = q.infillFrom, q.infillTo
		}
		c.seed = seedBase + "|" + strconv.Itoa(i)
		t.clips = append(t.clips, c)
	}
	s.store(t)
	return t, nil
}

// store publishes a task and its clips and bills it. Must be called with s.mu held.
func (s *Sim) store(t *task) {
	s.tasks[t.id] = t
	for _, c := range t.clips {
		s.clips[c.id] = c
	}
	switch t.kind {
	case kindMusic, kindConcat:
		s.usage += costMusic
	case kindLyrics:
		s.usage += costLyrics
	}
	s.logf("sim: task %s (%s) created with %d clip(s)", t.id, t.kind, len(t.clips))
	s.changed()
}

// createLyrics stores a lyrics task. Must be called with s.mu held.
func (s *Sim) createLyrics(prompt, hook, input string) *task {
	t := &task{id: newID(), kind: kindLyrics, submitted: s.now(), hook: hook, input: input, prompt: prompt}
	t.fate = fateOf(prompt)
	t.lyr = &lyricsRec{id: newID(), title: songTitle(prompt, prompt), text: songLyrics(prompt, prompt)}
	s.store(t)
	return t
}

// createConcat stores a concat task for the lineage ending at src. Must be called with s.mu held.
func (s *Sim) createConcat(src *clip) *task {
	now := s.now()
	t := &task{id: newID(), kind: kindConcat, submitted: now, prompt: src.title}
	var parts []string
	for p, n := src, 0; p != nil && n < 32; p, n = p.parent, n+1 {
		if p.lyrics != "" {
			parts = append([]string{p.lyrics}, parts...)
		}
	}
	c := &clip{id: newID(), task: t, created: now, title: src.title, tags: src.tags,
		lyrics: strings.Join(parts, "\n\n"), mv: src.mv, typ: typeConcat, source: src, seed: src.seed + "|concat"}
	t.clips = []*clip{c}
	s.store(t)
	return t
}

// createUpload stores an uploaded clip (complete at once; its audio is a bank song seeded by
// the URL, since the simulator has no network). Must be called with s.mu held.
func (s *Sim) createUpload(url string) *clip {
	name := strings.TrimSuffix(path.Base(url), path.Ext(url))
	if name == "" || name == "." || name == "/" {
		name = "Uploaded audio"
	}
	c := &clip{id: newID(), created: s.now(), title: name, mv: "chirp-v3-5", typ: typeUpload, seconds: s.opts.SongSeconds,
		seed: "upload|" + url, uploadURL: url}
	s.clips[c.id] = c
	s.changed()
	return c
}

// createStems stores two standalone stem clips of src. Must be called with s.mu held.
func (s *Sim) createStems(src *clip) []*clip {
	now := s.now()
	var out []*clip
	for _, label := range []string{"Vocals", "Instrumental"} {
		c := &clip{id: newID(), created: now, title: src.title + " - " + label, tags: src.tags,
			lyrics: src.lyrics, mv: src.mv, typ: typeStem, source: src, stemLabel: label,
			seed: src.seed + "|stem|" + label}
		s.clips[c.id] = c
		out = append(out, c)
	}
	s.changed()
	return out
}

// createAsset stores a wav or mp4 job for a clip. Must be called with s.mu held.
func (s *Sim) createAsset(kind string, c *clip) *task {
	t := &task{id: newID(), kind: kind, submitted: s.now(), ref: c}
	s.tasks[t.id] = t
	if kind == kindWAV {
		s.wavJobs[c.id] = true
	}
	s.changed()
	return t
}

type persona struct {
	id, name, description string
	root                  *clip
	clips                 []*clip
	public                bool
	created               time.Time
}

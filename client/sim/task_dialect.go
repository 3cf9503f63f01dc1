package sim

import (
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The task dialect (relay-api 2, 3): new-api / one-hub / Suno-API and the apicore family.

const maxBody = 1 << 20

// readFields reads a JSON object body; a broken body is new-api's 400 invalid_request.
func readFields(w http.ResponseWriter, r *http.Request) (fields, bool) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeTaskError(w, http.StatusBadRequest, "invalid_request", "read request body failed: "+err.Error())
		return nil, false
	}
	f, err := parseFields(data)
	if err != nil {
		writeTaskError(w, http.StatusBadRequest, "invalid_request", "invalid request body: "+err.Error())
		return nil, false
	}
	return f, true
}

func (s *Sim) submitted(w http.ResponseWriter, id string) {
	if s.opts.Quirks.SubmitObject {
		s.taskOK(w, map[string]any{"task_id": id})
		return
	}
	s.taskOK(w, id)
}

// submit runs create with s.mu held and answers with the new task's id, or with create's error.
func (s *Sim) submit(w http.ResponseWriter, create func() (*task, *apiErr)) {
	s.mu.Lock()
	t, e := create()
	s.mu.Unlock()
	if e != nil {
		writeTaskError(w, e.status, e.code, e.msg)
		return
	}
	s.submitted(w, t.id)
}

func (s *Sim) handleSubmitMusic(w http.ResponseWriter, r *http.Request) {
	f, ok := readFields(w, r)
	if !ok {
		return
	}
	q := s.musicReqFromTask(f)
	s.submit(w, func() (*task, *apiErr) { return s.createMusic(q, kindMusic) })
}

func (s *Sim) handleSubmitLyrics(w http.ResponseWriter, r *http.Request) {
	f, ok := readFields(w, r)
	if !ok {
		return
	}
	prompt := f.str("prompt")
	if strings.TrimSpace(prompt) == "" {
		writeTaskError(w, http.StatusBadRequest, "prompt_empty", "prompt_empty")
		return
	}
	s.submit(w, func() (*task, *apiErr) { return s.createLyrics(prompt, f.str("notify_hook"), ""), nil })
}

func (s *Sim) handleSubmitUnknown(w http.ResponseWriter, r *http.Request) {
	writeTaskError(w, http.StatusBadRequest, "invalid_action", "invalid_action")
}

func (s *Sim) handleSubmitConcat(w http.ResponseWriter, r *http.Request) {
	f, ok := readFields(w, r)
	if !ok {
		return
	}
	id := f.str("clip_id")
	if id == "" {
		writeTaskError(w, http.StatusBadRequest, "invalid_request", "clip_id is empty")
		return
	}
	s.submit(w, func() (*task, *apiErr) {
		c := s.lookupClip(id)
		switch {
		case c == nil:
			return nil, badRequest("invalid_request", "clip not found: "+id)
		case s.clipStage(c, s.now()) != stComplete:
			return nil, badRequest("invalid_request", "clip is not complete: "+id)
		}
		return s.createConcat(c), nil
	})
}

func (s *Sim) handleUpload(w http.ResponseWriter, r *http.Request) {
	f, ok := readFields(w, r)
	if !ok {
		return
	}
	u := strings.TrimSpace(f.str("url"))
	if u == "" {
		writeTaskError(w, http.StatusBadRequest, "invalid_request", "url is empty")
		return
	}
	s.mu.Lock()
	c := s.createUpload(u)
	s.mu.Unlock()
	s.taskOK(w, c.id)
}

// view builds a clipView for c at now. Must be called with s.mu held.
func (s *Sim) view(c *clip, now time.Time) clipView {
	v := clipView{c: c, st: s.clipStage(c, now)}
	if v.st == stComplete {
		v.duration = s.audioOf(c).duration()
	}
	return v
}

// taskData renders a task's data: clips array, lyrics object, or nil before the first stage.
// Must be called with s.mu held.
func (s *Sim) taskData(t *task, ts taskState, now time.Time, u urls, render func(clipView, urls) map[string]any) any {
	if !ts.hasData {
		return nil
	}
	switch t.kind {
	case kindLyrics:
		return map[string]any{"id": t.lyr.id, "status": "complete", "title": t.lyr.title, "text": t.lyr.text}
	case kindWAV, kindMP4:
		v := s.view(t.ref, now)
		v.slot = t.id + "_1"
		done := ts.status == "SUCCESS"
		if t.kind == kindWAV {
			a, st := "", "queued"
			if done {
				a, st = u.wav(t.ref.id), "complete"
			}
			v.audioURL, v.status = &a, st
		} else {
			vu, pending := "", !done
			if done {
				vu = u.mp4(t.ref.id)
			}
			v.videoURL, v.videoPending = &vu, &pending
		}
		return []map[string]any{render(v, u)}
	}
	out := make([]map[string]any, 0, len(t.clips))
	for _, c := range t.clips {
		out = append(out, render(s.view(c, now), u))
	}
	return out
}

// taskJSON renders the task object of relay-api 2.5. Must be called with s.mu held.
func (s *Sim) taskJSON(t *task, now time.Time, u urls) map[string]any {
	ts := s.taskStateOf(t, now)
	progress := "0%"
	if ts.progress > 0 {
		progress = strconv.Itoa(ts.progress) + "%"
	}
	return map[string]any{
		"task_id":     t.id,
		"notify_hook": t.hook,
		"action":      t.action(),
		"status":      ts.status,
		"fail_reason": ts.failReason,
		"submit_time": s.unixTime(t.submitted),
		"start_time":  s.unixTime(ts.startTime),
		"finish_time": s.unixTime(ts.finishTime),
		"progress":    progress,
		"data":        s.taskData(t, ts, now, u, s.taskClipJSON),
	}
}

// syntheticTaskJSON wraps a standalone clip (a stem from /suno/act/stems or an upload) in a
// task object whose task_id is the clip id. Design choice: stems and uploads are clips, not
// tasks, on Suno; relays document no way to poll them through /suno/fetch, so the simulator
// accepts their clip ids there (as well as through the raw GET /suno/feed/{ids}) instead of
// inventing task ids. Ordinary task clips are NOT fetchable by clip id: that would hide client
// bugs that a real relay would expose. Must be called with s.mu held.
func (s *Sim) syntheticTaskJSON(c *clip, now time.Time, u urls) map[string]any {
	v := s.view(c, now)
	status := map[stage]string{stSubmitted: "SUBMITTED", stQueued: "QUEUED", stStreaming: "IN_PROGRESS",
		stComplete: "SUCCESS", stError: "FAILURE"}[v.st]
	progress, finish := "0%", int64(0)
	if v.st == stComplete {
		progress = "100%"
		finish = s.unixTime(c.created)
		if c.task == nil && c.typ == typeStem && s.opts.StageTime > 0 {
			finish = s.unixTime(c.created.Add(2 * s.opts.StageTime))
		}
	}
	return map[string]any{
		"task_id": c.id, "notify_hook": "", "action": "MUSIC", "status": status, "fail_reason": "",
		"submit_time": s.unixTime(c.created), "start_time": s.unixTime(c.created), "finish_time": finish,
		"progress": progress, "data": []map[string]any{s.taskClipJSON(v, u)},
	}
}

// fetchJSON renders what /suno/fetch answers for id: a task, or a standalone clip wrapped as
// one (see syntheticTaskJSON); nil when it is neither. Must be called with s.mu held.
func (s *Sim) fetchJSON(id string, now time.Time, u urls) map[string]any {
	if t, ok := s.tasks[id]; ok {
		return s.taskJSON(t, now, u)
	}
	if c := s.lookupClip(id); c != nil && c.task == nil {
		return s.syntheticTaskJSON(c, now, u)
	}
	return nil
}

func (s *Sim) handleFetchOne(w http.ResponseWriter, r *http.Request) {
	u := urls{baseURL(r)}
	now := s.now()
	s.mu.Lock()
	out := s.fetchJSON(r.PathValue("id"), now, u)
	s.mu.Unlock()
	if out == nil {
		writeTaskError(w, http.StatusBadRequest, "task_not_exist", "task_not_exist")
		return
	}
	if s.opts.Quirks.BareFetch {
		s.taskOK(w, out["data"])
		return
	}
	s.taskOK(w, out)
}

func (s *Sim) handleFetchBatch(w http.ResponseWriter, r *http.Request) {
	f, ok := readFields(w, r)
	if !ok {
		return
	}
	ids, ok := f.strings("ids")
	if !ok {
		writeTaskError(w, http.StatusBadRequest, "invalid_request", "ids must be an array of strings")
		return
	}
	u := urls{baseURL(r)}
	now := s.now()
	out := []map[string]any{}
	s.mu.Lock()
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if v := s.fetchJSON(id, now, u); v != nil {
			out = append(out, v)
		}
	}
	s.mu.Unlock()
	// SQL "IN" gives no order: shuffle, and make sure the request order is never kept, so a
	// client that relies on it fails here and not in production.
	if len(out) > 1 {
		perm := rand.Perm(len(out))
		if slices.IsSorted(perm) {
			slices.Reverse(perm)
		}
		shuffled := make([]map[string]any, len(out))
		for i, p := range perm {
			shuffled[i] = out[p]
		}
		out = shuffled
	}
	if len(out) == 0 && s.opts.Quirks.NullEmptyBatch {
		s.taskOK(w, nil)
		return
	}
	s.taskOK(w, out)
}

// handlePersona answers the RAW Suno persona (no envelope), relay-api 3.3.
func (s *Sim) handlePersona(w http.ResponseWriter, r *http.Request) {
	f, ok := readFields(w, r)
	if !ok {
		return
	}
	rootID := f.str("root_clip_id")
	ids, _ := f.strings("clips")
	u := urls{baseURL(r)}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	root := s.lookupClip(rootID)
	if root == nil {
		writeTaskError(w, http.StatusBadRequest, "invalid_request", "root_clip_id not found: "+rootID)
		return
	}
	p := &persona{id: newID(), name: f.str("name"), description: f.str("description"), root: root,
		public: f.boolean("is_public"), created: now}
	if p.name == "" {
		p.name = root.title
	}
	p.clips = []*clip{root}
	for _, id := range ids {
		if c := s.lookupClip(id); c != nil && c != root {
			p.clips = append(p.clips, c)
		}
	}
	s.personas[p.id] = p
	s.changed()
	var pcs []map[string]any
	for _, c := range p.clips {
		pcs = append(pcs, map[string]any{"clip": s.clipJSON(s.view(c, now), u, false)})
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id":                p.id,
		"name":              p.name,
		"description":       p.description,
		"image_s3_id":       u.image(root.id),
		"root_clip_id":      root.id,
		"clip":              s.clipJSON(s.view(root, now), u, false),
		"persona_clips":     pcs,
		"user_display_name": "SimStudio",
		"user_handle":       "simstudio",
		"is_public":         p.public,
		"is_owned":          true,
		"created_at":        isoTime(now),
	})
}

// completeClip looks up a clip that must be complete for an /act/ operation. It writes the
// error itself. Must be called with s.mu held.
func (s *Sim) completeClip(w http.ResponseWriter, id string) *clip {
	c := s.lookupClip(id)
	if c == nil {
		writeTaskError(w, http.StatusBadRequest, "invalid_request", "clip not found: "+id)
		return nil
	}
	if s.clipStage(c, s.now()) != stComplete {
		writeTaskError(w, http.StatusBadRequest, "invalid_request", "clip is not complete: "+id)
		return nil
	}
	return c
}

// handleStems answers RAW {"clips":[vocals, instrumental]} with fresh queued stem clips.
func (s *Sim) handleStems(w http.ResponseWriter, r *http.Request) {
	u := urls{baseURL(r)}
	s.mu.Lock()
	defer s.mu.Unlock()
	src := s.completeClip(w, r.PathValue("id"))
	if src == nil {
		return
	}
	now := s.now()
	var out []map[string]any
	for _, c := range s.createStems(src) {
		v := s.view(c, now)
		m := s.clipJSON(v, u, false)
		meta := m["metadata"].(map[string]any)
		meta["duration"] = s.num(s.audioOf(src).duration()) // Suno announces the stem length
		out = append(out, m)
	}
	writeJSON(w, http.StatusOK, map[string]any{"clips": out})
}

// wordRe finds sung words: anything that is not whitespace, outside [section] markers.
var wordRe = regexp.MustCompile(`\[[^\]\n]*\]|[^\s\[\]]+`)

// alignedWords spreads the lyrics over the audio. Section markers and newlines stay attached to
// the next sung word ("[Verse]\nWinter "), as Suno's aligned lyrics show them.
func alignedWords(lyrics string, duration float64, seed string) []map[string]any {
	type tok struct{ text, word string }
	var toks []tok
	prefix, pos := "", 0
	for _, loc := range wordRe.FindAllStringIndex(lyrics, -1) {
		word := lyrics[loc[0]:loc[1]]
		if strings.HasPrefix(word, "[") {
			prefix += lyrics[pos:loc[1]]
			pos = loc[1]
			continue
		}
		// Trailing spaces (not newlines) belong to the word; newlines go with the next one.
		end := loc[1]
		for end < len(lyrics) && (lyrics[end] == ' ' || lyrics[end] == '\t') {
			end++
		}
		toks = append(toks, tok{text: prefix + lyrics[pos:end], word: word})
		prefix, pos = "", end
	}
	out := make([]map[string]any, 0, len(toks))
	if len(toks) == 0 || duration <= 0 {
		return out
	}
	r := seedRand("timing:" + seed)
	begin := min(duration*0.08, 8.0)
	span := duration*0.95 - begin
	weights := make([]float64, len(toks))
	total := 0.0
	for i, t := range toks {
		weights[i] = float64(len([]rune(t.word))) + 2
		total += weights[i]
	}
	at := begin
	for i, t := range toks {
		slot := span * weights[i] / total
		start := at
		end := start + slot*0.85
		at += slot
		out = append(out, map[string]any{
			"word":    t.text,
			"success": true,
			"start_s": round3(start),
			"end_s":   round3(min(end, duration)),
			"p_align": round3(0.8 + 0.2*r.Float64()),
		})
	}
	return out
}

func round3(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }

// handleTiming answers RAW aligned lyrics (relay-api 3.5).
func (s *Sim) handleTiming(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	c := s.completeClip(w, r.PathValue("id"))
	s.mu.Unlock()
	if c == nil {
		return
	}
	t := s.audioOf(c)
	writeJSON(w, http.StatusOK, map[string]any{
		"aligned_words": alignedWords(c.lyrics, t.duration(), c.id),
		"waveform_data": t.waveform(200),
		"hoot_cer":      0.0355,
		"is_streamed":   false,
	})
}

// handleWAV answers {"code":"success","data":"<id>","message":""}: the id is a task to poll
// with GET /suno/fetch/<id>, whose single clip's audio_url becomes /cdn/<clip>.wav once done.
// Design choice: relay-api 3.6 leaves the meaning of data open; a pollable task id covers both
// readings a client may implement ("show the id" and "try /suno/fetch/{data}").
func (s *Sim) handleWAV(w http.ResponseWriter, r *http.Request) { s.asset(w, r, kindWAV) }

// handleMP4 works like handleWAV; the job's clip has is_video_pending true until the task is
// done, then video_url /cdn/<clip>.mp4.
func (s *Sim) handleMP4(w http.ResponseWriter, r *http.Request) { s.asset(w, r, kindMP4) }

func (s *Sim) asset(w http.ResponseWriter, r *http.Request, kind string) {
	s.mu.Lock()
	c := s.completeClip(w, r.PathValue("id"))
	var t *task
	if c != nil {
		t = s.createAsset(kind, c)
	}
	s.mu.Unlock()
	if t == nil {
		return
	}
	// The apicore doc shows exactly this envelope, field order included.
	var code any = "success"
	if s.opts.Quirks.IntCode {
		code = 200
	}
	writeJSON(w, http.StatusOK, struct {
		Code    any    `json:"code"`
		Data    string `json:"data"`
		Message string `json:"message"`
	}{code, t.id, ""})
}

// handleFeed is the raw passthrough GET /suno/feed/{ids}: a bare array of Suno clips.
func (s *Sim) handleFeed(w http.ResponseWriter, r *http.Request) {
	u := urls{baseURL(r)}
	now := s.now()
	out := []map[string]any{}
	s.mu.Lock()
	for _, id := range strings.Split(r.PathValue("ids"), ",") {
		if c := s.lookupClip(strings.TrimSpace(id)); c != nil {
			out = append(out, s.clipJSON(s.view(c, now), u, false))
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *Sim) handleSubscription(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"object": "billing_subscription", "has_payment_method": true, "soft_limit_usd": 100,
		"hard_limit_usd": 100, "system_hard_limit_usd": 100, "access_until": 0,
	})
}

func (s *Sim) handleUsage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	usage := s.usage
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "total_usage": usage})
}

func (s *Sim) handleModels(w http.ResponseWriter, r *http.Request) {
	var data []map[string]any
	for _, m := range []string{"suno-v3", "suno-v3.5", "chirp-v3-0", "chirp-v3-5", "chirp-v4", "chirp-auk", "chirp-bluejay", "chirp-crow"} {
		data = append(data, map[string]any{"id": m, "object": "model", "created": 1626777600, "owned_by": "suno"})
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
}

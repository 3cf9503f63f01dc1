package client

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"sunostudio/internal/i18n"
)

// The decoders here accept every shape relay-api.md section 9 documents: values that are
// sometimes strings and sometimes numbers, nulls anywhere, clips as a list or a map, tasks
// wrapped or bare. They decode into json.RawMessage maps and read fields by several names,
// because a fixed struct would reject half of the relays.

type object map[string]json.RawMessage

// errNotObject is returned when an object was expected; callers turn it into KindMalformed.
var errNotObject error = i18n.Text("client.decode.not_object")

// Reasons the client gives when the relay gives none. They end up in the library with the
// relay's own reasons (a clip's or a task's error), so they are kept in English there, like
// the relay's words, and translated when shown (studio.Localize).
const (
	TextClipRejected     = "Suno rejected this clip (content policy or generation error)"
	TextGenerationFailed = "generation failed"
	TextChatNoAudio      = chatNoneMsg
	TextRelayError       = "the relay reported an error"
)

func decodeObject(raw json.RawMessage) (object, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, errNotObject
	}
	var o object
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, err
	}
	return o, nil
}

// kindOfJSON is the first significant byte of a JSON value: '{', '[', '"', 'n', 't', 'f' or a digit.
func kindOfJSON(raw json.RawMessage) byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return 0
	}
	return raw[0]
}

func isNull(raw json.RawMessage) bool {
	k := kindOfJSON(raw)
	return k == 0 || k == 'n'
}

// str reads the first present, non-null field of the names as text. Numbers and booleans are
// written as text; objects and arrays are ignored.
func (o object) str(names ...string) string {
	for _, n := range names {
		if v, ok := o[n]; ok {
			if s, ok := flexString(v); ok {
				return s
			}
		}
	}
	return ""
}

func (o object) num(names ...string) (float64, bool) {
	for _, n := range names {
		if v, ok := o[n]; ok {
			if f, ok := flexFloat(v); ok {
				return f, true
			}
		}
	}
	return 0, false
}

func (o object) boolean(names ...string) bool {
	for _, n := range names {
		v, ok := o[n]
		if !ok {
			continue
		}
		switch strings.ToLower(strings.Trim(string(bytes.TrimSpace(v)), `"`)) {
		case "true", "1", "yes":
			return true
		case "false", "0", "no":
			return false
		}
	}
	return false
}

func (o object) obj(name string) object {
	v, ok := o[name]
	if !ok {
		return nil
	}
	sub, err := decodeObject(v)
	if err != nil {
		return nil
	}
	return sub
}

func (o object) time(names ...string) time.Time {
	for _, n := range names {
		if v, ok := o[n]; ok {
			if t := flexTime(v); !t.IsZero() {
				return t
			}
		}
	}
	return time.Time{}
}

// flexString reads a JSON string, number or boolean as text. null gives ok=false.
func flexString(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	switch kindOfJSON(raw) {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s, true
		}
	case 't', 'f':
		return string(raw), true
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String(), true
		}
	}
	return "", false
}

// flexFloat reads a number or a numeric string ("8.12", "60%", " 128.92秒") as a float.
func flexFloat(raw json.RawMessage) (float64, bool) {
	s, ok := flexString(raw)
	if !ok {
		return 0, false
	}
	return parseLooseFloat(s)
}

// parseLooseFloat takes the leading number of s, ignoring surrounding space and a unit suffix.
func parseLooseFloat(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) {
		c := s[end]
		if (c >= '0' && c <= '9') || c == '.' || ((c == '-' || c == '+') && end == 0) || c == 'e' || c == 'E' {
			end++
			continue
		}
		break
	}
	for end > 0 {
		f, err := strconv.ParseFloat(s[:end], 64)
		if err == nil {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return 0, false
			}
			return f, true
		}
		end-- // "12e" or "1.2.3": back off to the longest number that parses
	}
	return 0, false
}

// flexTime reads Unix seconds, Unix milliseconds (values above 1e12), numeric strings and
// RFC 3339 strings. Zero and unparsable values give the zero time (unset).
func flexTime(raw json.RawMessage) time.Time {
	s, ok := flexString(raw)
	if !ok || s == "" {
		return time.Time{}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return unixish(f)
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func unixish(f float64) time.Time {
	if f <= 0 || math.IsNaN(f) || math.IsInf(f, 0) || f > 1e17 {
		return time.Time{}
	}
	if f > 1e12 { // milliseconds: 1e12 s is the year 33658
		return time.UnixMilli(int64(f)).UTC()
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

// codeOK implements relay-api 9.1: success is "success", 200, 0 or "200".
func codeOK(raw json.RawMessage) bool {
	s, ok := flexString(raw)
	if !ok {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "success", "200", "0", "ok":
		return true
	}
	return false
}

// NormalizeTaskStatus maps every spelling of relay-api 9.7 to a Status.
func NormalizeTaskStatus(s string) Status {
	l := strings.ToLower(strings.TrimSpace(s))
	switch {
	case l == "success" || l == "complete" || l == "completed" || l == "succeeded" || l == "succeed" || l == "done" || l == "finished":
		return StatusSucceeded
	case strings.HasPrefix(l, "fail") || strings.HasSuffix(l, "_failed") || l == "error" || l == "unknown" || l == "cancelled" || l == "canceled" || l == "timeout" || l == "expired":
		return StatusFailed
	case l == "" || l == "not_start" || l == "submitted" || l == "queued" || l == "pending" || l == "waiting" || l == "created":
		return StatusPending
	}
	return StatusRunning
}

// NormalizeClipStatus maps every clip spelling to a ClipStatus.
func NormalizeClipStatus(s string) ClipStatus {
	l := strings.ToLower(strings.TrimSpace(s))
	switch {
	case l == "complete" || l == "completed" || l == "success" || l == "succeeded" || l == "done":
		return ClipComplete
	case l == "error" || strings.HasPrefix(l, "fail") || strings.HasSuffix(l, "_failed") || l == "unknown":
		return ClipFailed
	case l == "streaming" || l == "in_progress" || l == "processing" || l == "running" || l == "generating":
		return ClipStreaming
	}
	return ClipQueued
}

// IsStreamURL tells a streaming-stage audio URL (audiopipe) from a final file.
func IsStreamURL(u string) bool {
	return strings.Contains(u, "audiopipe") || strings.Contains(u, "item_id=")
}

// IsFailedAudioURL recognises Suno's marker for a failed or rejected clip.
func IsFailedAudioURL(u string) bool {
	u = strings.TrimSpace(u)
	return strings.HasSuffix(u, "None.mp3") || u == "None"
}

// decodeClip reads one clip in the Suno shape, the GoAmz shape or the flattened apicore shape.
// fallbackID is the map key when clips come keyed by id.
func decodeClip(raw json.RawMessage, fallbackID string) (Clip, error) {
	o, err := decodeObject(raw)
	if err != nil {
		return Clip{}, err
	}
	md := o.obj("metadata")
	if md == nil {
		md = object{}
	}
	c := Clip{
		ID:            firstNonEmpty(o.str("id"), o.str("clip_id"), fallbackID),
		TaskID:        o.str("task_id"),
		Title:         o.str("title"),
		Tags:          firstNonEmpty(md.str("tags"), o.str("tags")),
		NegativeTags:  firstNonEmpty(md.str("negative_tags"), o.str("negative_tags")),
		Lyrics:        firstNonEmpty(md.str("prompt"), o.str("prompt"), o.str("text"), o.str("lyric")),
		Description:   firstNonEmpty(md.str("gpt_description_prompt"), o.str("gpt_description_prompt")),
		Model:         firstNonEmpty(o.str("model_name"), o.str("mv"), o.str("model")),
		ModelVersion:  o.str("major_model_version"),
		VideoURL:      o.str("video_url"),
		ImageURL:      o.str("image_url"),
		ImageLargeURL: o.str("image_large_url"),
		VideoPending:  o.boolean("is_video_pending"),
		CreatedAt:     o.time("created_at", "create_time", "createTime"),
		Type:          firstNonEmpty(md.str("type"), o.str("type")),
		StemFromID:    firstNonEmpty(md.str("stem_from_id"), o.str("stem_from_id")),
		Error:         firstNonEmpty(md.str("error_message"), o.str("error_message"), o.str("msg")),
	}
	if d, ok := md.num("duration"); ok {
		c.Duration = d
	} else if d, ok := o.num("duration"); ok {
		c.Duration = d
	}
	if at, ok := firstNum(md, o, "continue_at"); ok {
		c.ContinueAt = at
	}
	c.ContinueFromID = firstNonEmpty(md.str("continue_clip_id"), o.str("continue_clip_id"))
	// Suno records an extension's parent in metadata.history: [{"id","continue_at",...}].
	if h, ok := md["history"]; ok && kindOfJSON(h) == '[' && c.ContinueFromID == "" {
		var hist []json.RawMessage
		if json.Unmarshal(h, &hist) == nil && len(hist) > 0 {
			if last, err := decodeObject(hist[len(hist)-1]); err == nil {
				c.ContinueFromID = last.str("id")
				if at, ok := last.num("continue_at"); ok && c.ContinueAt == 0 {
					c.ContinueAt = at
				}
			}
		}
	}
	if c.Duration < 0 || c.Duration > 24*3600 {
		c.Duration = 0
	}
	// A flattened clip carries "<task>_1" as its task id; that is a slot, not a task we can fetch.
	if i := strings.LastIndexByte(c.TaskID, '_'); i > 0 && isDigits(c.TaskID[i+1:]) {
		c.TaskID = c.TaskID[:i]
	}
	state := o.str("status")
	if state == "" {
		state = o.str("state")
	}
	c.Status = NormalizeClipStatus(state)
	audio := strings.TrimSpace(o.str("audio_url"))
	if s := strings.TrimSpace(o.str("stream_audio_url", "streamAudioUrl")); s != "" {
		c.StreamURL = s
	}
	switch {
	case IsFailedAudioURL(audio):
		c.Status = ClipFailed
		if c.Error == "" {
			c.Error = TextClipRejected
		}
	case IsStreamURL(audio):
		c.StreamURL = audio
	default:
		c.AudioURL = audio
	}
	if c.Status == ClipFailed && c.Error == "" {
		c.Error = firstNonEmpty(md.str("error_type"), TextGenerationFailed)
	}
	// relay-api 9.9: a clip can say complete while its URL is still the stream; the final file
	// is not there yet, so it is not complete for us, and the tracker keeps polling.
	if c.Status == ClipComplete && c.AudioURL == "" {
		c.Status = ClipStreaming
	}
	if c.Status == ClipQueued && c.StreamURL != "" {
		c.Status = ClipStreaming
	}
	if c.ID == "" {
		return Clip{}, i18n.Text("client.decode.clip_no_id")
	}
	return c, nil
}

func firstNum(a, b object, name string) (float64, bool) {
	if f, ok := a.num(name); ok {
		return f, true
	}
	return b.num(name)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// decodeClips reads a list of clips, a map of clips keyed by id (sorted by creation time then
// id so the order is stable), a {"clips": ...} wrapper, or a single clip object.
func decodeClips(raw json.RawMessage) ([]Clip, error) {
	switch kindOfJSON(raw) {
	case 0, 'n':
		return nil, nil
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, err
		}
		clips := make([]Clip, 0, len(items))
		for _, it := range items {
			if isNull(it) {
				continue
			}
			c, err := decodeClip(it, "")
			if err != nil {
				return nil, err
			}
			clips = append(clips, c)
		}
		return clips, nil
	case '{':
		o, err := decodeObject(raw)
		if err != nil {
			return nil, err
		}
		if inner, ok := o["clips"]; ok {
			return decodeClips(inner)
		}
		if looksLikeClip(o) {
			c, err := decodeClip(raw, "")
			if err != nil {
				return nil, err
			}
			return []Clip{c}, nil
		}
		clips := make([]Clip, 0, len(o))
		for id, v := range o {
			if isNull(v) {
				continue
			}
			c, err := decodeClip(v, id)
			if err != nil {
				return nil, err
			}
			clips = append(clips, c)
		}
		sortClips(clips)
		return clips, nil
	}
	return nil, i18n.Text("client.decode.clips_shape")
}

func looksLikeClip(o object) bool {
	_, a := o["audio_url"]
	_, s := o["status"]
	_, st := o["state"]
	_, id := o["id"]
	_, cid := o["clip_id"]
	return (id || cid) && (a || s || st)
}

// sortClips orders clips from a map (relay-api 9.6): by creation time, then id.
func sortClips(clips []Clip) {
	sort.SliceStable(clips, func(i, j int) bool {
		a, b := clips[i], clips[j]
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
}

// decodeLyrics reads a lyrics object, or the first element of an array of them (9.5).
func decodeLyrics(raw json.RawMessage) (*Lyrics, error) {
	if kindOfJSON(raw) == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, err
		}
		for _, it := range items {
			if !isNull(it) {
				return decodeLyrics(it)
			}
		}
		return nil, nil
	}
	o, err := decodeObject(raw)
	if err != nil {
		return nil, err
	}
	l := &Lyrics{
		ID:    firstNonEmpty(o.str("id"), o.str("task_id")),
		Title: o.str("title"),
		Text:  firstNonEmpty(o.str("text"), o.str("lyrics"), o.str("prompt")),
		Error: o.str("error_message"),
	}
	state := firstNonEmpty(o.str("status"), o.str("state"))
	l.Status = NormalizeClipStatus(state)
	if state == "" && l.Text != "" {
		l.Status = ClipComplete
	}
	// tags are a string on clips but an array on some lyrics results (9.11).
	if raw, ok := o["tags"]; ok {
		switch kindOfJSON(raw) {
		case '[':
			var tags []string
			var mixed []json.RawMessage
			if json.Unmarshal(raw, &mixed) == nil {
				for _, m := range mixed {
					if s, ok := flexString(m); ok && s != "" {
						tags = append(tags, s)
					}
				}
			}
			l.Tags = tags
		case '"':
			if s, _ := flexString(raw); s != "" {
				l.Tags = splitTags(s)
			}
		}
	}
	return l, nil
}

func splitTags(s string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' }) {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// looksLikeLyrics tells a lyrics result from a clip when the task does not say its action.
func looksLikeLyrics(raw json.RawMessage) bool {
	if kindOfJSON(raw) == '[' {
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil || len(items) == 0 {
			return false
		}
		raw = items[0]
	}
	o, err := decodeObject(raw)
	if err != nil {
		return false
	}
	_, text := o["text"]
	_, audio := o["audio_url"]
	_, clips := o["clips"]
	return text && !audio && !clips
}

func parseProgress(raw json.RawMessage) int {
	f, ok := flexFloat(raw)
	if !ok {
		return -1
	}
	if f > 0 && f <= 1 && !strings.Contains(string(raw), "%") && strings.Contains(string(raw), ".") {
		f *= 100 // a fraction such as 0.6
	}
	if f < 0 {
		return -1
	}
	if f > 100 {
		f = 100
	}
	return int(f)
}

// decodeTask reads a task object of the task dialect (2.5) or GoAmz (4.2).
func decodeTask(raw json.RawMessage) (Task, error) {
	o, err := decodeObject(raw)
	if err != nil {
		return Task{}, err
	}
	t := Task{
		ID:         firstNonEmpty(o.str("task_id"), o.str("taskId")),
		RawStatus:  o.str("status"),
		FailReason: firstNonEmpty(o.str("fail_reason"), o.str("failReason"), o.str("error_message"), o.str("errorMessage")),
		SubmitTime: o.time("submit_time", "submitTime", "created_at", "createTime"),
		StartTime:  o.time("start_time", "startTime"),
		FinishTime: o.time("finish_time", "finishTime"),
		Progress:   -1,
	}
	if t.ID == "" {
		// relay-api 9.16: "id" is a database integer on some relays; only a string id can be a task id.
		if v, ok := o["id"]; ok && kindOfJSON(v) == '"' {
			t.ID, _ = flexString(v)
		}
	}
	if p, ok := o["progress"]; ok {
		t.Progress = parseProgress(p)
	}
	action := strings.ToUpper(o.str("action"))
	switch action {
	case "MUSIC", "":
		t.Kind = KindMusic
	case "LYRICS":
		t.Kind = KindLyrics
	default:
		t.Kind = Kind(strings.ToLower(action))
	}
	data, hasData := o["data"]
	if clipsRaw, ok := o["clips"]; ok { // GoAmz: clips keyed by id
		data, hasData = clipsRaw, true
	}
	if hasData && !isNull(data) {
		if t.Kind == KindLyrics || (action == "" && looksLikeLyrics(data)) {
			t.Kind = KindLyrics
			l, err := decodeLyrics(data)
			if err != nil {
				return Task{}, err
			}
			t.Lyrics = l
		} else {
			clips, err := decodeClips(data)
			if err != nil {
				return Task{}, err
			}
			t.Clips = clips
		}
	}
	if o.obj("response") != nil { // sunoapi.org style: response.sunoData
		if sd, ok := o.obj("response")["sunoData"]; ok {
			if clips, err := decodeClips(sd); err == nil {
				t.Clips = clips
			}
		}
	}
	// GoAmz lyrics are the task object itself: {task_id, status, title, text}.
	if _, ok := o["text"]; ok && t.Lyrics == nil && len(t.Clips) == 0 {
		t.Kind = KindLyrics
		t.Lyrics = &Lyrics{ID: t.ID, Title: o.str("title"), Text: o.str("text"), Status: NormalizeClipStatus(t.RawStatus)}
	}
	for i := range t.Clips {
		if t.Clips[i].TaskID == "" {
			t.Clips[i].TaskID = t.ID
		}
	}
	t.Status = NormalizeTaskStatus(t.RawStatus)
	if t.RawStatus == "" {
		t.Status = statusFromClips(t.Clips, t.Lyrics)
	}
	t.settle()
	return t, nil
}

// settle makes the task's status agree with its clips where the relay's word is too coarse:
// a relay may call a task SUCCESS while a clip still has only its stream URL (9.9), which for
// us means keep polling; and a task whose every clip failed has failed whatever it says.
func (t *Task) settle() {
	if t.Status == StatusSucceeded {
		for _, c := range t.Clips {
			if !c.Status.Terminal() {
				t.Status = StatusRunning
				break
			}
		}
		if t.Lyrics != nil && t.Lyrics.Status == ClipFailed {
			t.Status = StatusFailed
		}
	}
	if len(t.Clips) > 0 && !t.Status.Terminal() {
		allFailed := true
		for _, c := range t.Clips {
			if c.Status != ClipFailed {
				allFailed = false
			}
		}
		if allFailed {
			t.Status = StatusFailed
		}
	}
	if t.Status == StatusFailed && t.FailReason == "" {
		for _, c := range t.Clips {
			if c.Error != "" {
				t.FailReason = c.Error
				break
			}
		}
		if t.FailReason == "" && t.Lyrics != nil {
			t.FailReason = t.Lyrics.Error
		}
	}
	if t.Status == StatusSucceeded && t.Progress >= 0 {
		t.Progress = 100
	}
}

// statusFromClips derives a task status from bare clips (Suno-API's fetch-by-id, 9.4) the
// way Suno-API does: the state of the clip that is not complete wins.
func statusFromClips(clips []Clip, l *Lyrics) Status {
	if l != nil {
		switch l.Status {
		case ClipComplete:
			return StatusSucceeded
		case ClipFailed:
			return StatusFailed
		}
		return StatusRunning
	}
	if len(clips) == 0 {
		return StatusPending
	}
	st := StatusSucceeded
	for _, c := range clips {
		switch c.Status {
		case ClipFailed:
			return StatusFailed
		case ClipQueued:
			if st == StatusSucceeded {
				st = StatusPending
			}
		case ClipStreaming:
			st = StatusRunning
		}
	}
	return st
}

// taskFromFetchData implements 9.4: the data of a fetch-by-id is a task on relays, bare clips
// on Suno-API, a GoAmz task with a clips map, or a bare lyrics object.
func taskFromFetchData(id string, raw json.RawMessage) (Task, error) {
	switch kindOfJSON(raw) {
	case '[':
		if looksLikeLyrics(raw) {
			l, err := decodeLyrics(raw)
			if err != nil {
				return Task{}, err
			}
			t := Task{ID: id, Kind: KindLyrics, Lyrics: l, Progress: -1}
			t.Status = statusFromClips(nil, l)
			return t, nil
		}
		clips, err := decodeClips(raw)
		if err != nil {
			return Task{}, err
		}
		t := Task{ID: id, Kind: KindMusic, Clips: clips, Progress: -1}
		for i := range t.Clips {
			if t.Clips[i].TaskID == "" {
				t.Clips[i].TaskID = id
			}
		}
		t.Status = statusFromClips(clips, nil)
		t.settle()
		return t, nil
	case '{':
		o, err := decodeObject(raw)
		if err != nil {
			return Task{}, err
		}
		_, hasStatus := o["status"]
		_, hasData := o["data"]
		_, hasClips := o["clips"]
		_, hasTaskID := o["task_id"]
		switch {
		case hasStatus && (hasData || hasClips || hasTaskID):
			t, err := decodeTask(raw)
			if err == nil && t.ID == "" {
				t.ID = id
			}
			return t, err
		case hasClips:
			return taskFromFetchData(id, o["clips"])
		case looksLikeLyrics(raw):
			l, err := decodeLyrics(raw)
			if err != nil {
				return Task{}, err
			}
			t := Task{ID: id, Kind: KindLyrics, Lyrics: l, Progress: -1}
			t.Status = statusFromClips(nil, l)
			return t, nil
		case looksLikeClip(o):
			return taskFromFetchData(id, json.RawMessage("["+string(raw)+"]"))
		}
		t, err := decodeTask(raw)
		if err == nil && t.ID == "" {
			t.ID = id
		}
		return t, err
	}
	return Task{}, i18n.Text("client.decode.task_shape")
}

// decodeSubmission implements 9.3: a task id string, {task_id}, {taskId}, or raw {clips:[...]}.
func decodeSubmission(raw json.RawMessage) (Submission, error) {
	switch kindOfJSON(raw) {
	case '"', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		s, _ := flexString(raw)
		s = strings.TrimSpace(s)
		if s == "" {
			return Submission{}, i18n.Text("client.decode.empty_task_id")
		}
		return Submission{TaskID: s}, nil
	case '[':
		clips, err := decodeClips(raw)
		if err != nil {
			return Submission{}, err
		}
		if len(clips) == 0 {
			return Submission{}, i18n.Text("client.decode.no_task_no_clips")
		}
		return Submission{Clips: clips}, nil
	case '{':
		o, err := decodeObject(raw)
		if err != nil {
			return Submission{}, err
		}
		sub := Submission{TaskID: firstNonEmpty(o.str("task_id"), o.str("taskId"))}
		if cr, ok := o["clips"]; ok {
			clips, err := decodeClips(cr)
			if err != nil {
				return Submission{}, err
			}
			sub.Clips = clips
			if sub.TaskID == "" {
				sub.TaskID = o.str("id")
			}
		} else if sub.TaskID == "" {
			if v, ok := o["id"]; ok && kindOfJSON(v) == '"' {
				sub.TaskID, _ = flexString(v)
			}
		}
		if sub.TaskID == "" && len(sub.Clips) == 0 {
			return Submission{}, i18n.Text("client.decode.no_task_id")
		}
		return sub, nil
	}
	return Submission{}, i18n.Text("client.decode.no_task_id")
}

package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"

	"sunostudio/internal/i18n"
)

// Op names a use case, for Supports and for errors.
type Op string

const (
	OpSubmitMusic   Op = "submit music"
	OpSubmitLyrics  Op = "submit lyrics"
	OpFetchTask     Op = "fetch task"
	OpFetchTasks    Op = "fetch tasks"
	OpFetchClips    Op = "fetch clips"
	OpConcat        Op = "concat"
	OpUpload        Op = "upload"
	OpStems         Op = "stems"
	OpTiming        Op = "timing"
	OpWAV           Op = "wav"
	OpMP4           Op = "mp4"
	OpCreatePersona Op = "create persona"
	OpBilling       Op = "billing"
	OpChat          Op = "chat"
)

// support lists what each dialect offers. Music modes beyond inspiration/custom/continue exist
// only on the task dialect, and even there only on relays that extend stock new-api (9.18).
var support = map[Dialect]map[Op]bool{
	DialectTask: {OpSubmitMusic: true, OpSubmitLyrics: true, OpFetchTask: true, OpFetchTasks: true, OpFetchClips: true,
		OpConcat: true, OpUpload: true, OpStems: true, OpTiming: true, OpWAV: true, OpMP4: true,
		OpCreatePersona: true, OpBilling: true, OpChat: true},
	DialectGoAmz: {OpSubmitMusic: true, OpSubmitLyrics: true, OpFetchTask: true, OpBilling: true, OpChat: true},
	// Chat relays create through the chat endpoint; many (apicore, gpt.ge) also answer task
	// fetches for the clips the chat made, which lets the tracker follow them.
	DialectChat: {OpFetchTask: true, OpFetchTasks: true, OpFetchClips: true, OpBilling: true, OpChat: true},
}

// Supports reports whether the profile's dialect offers op. A true answer is a promise of the
// dialect, not of the relay: stock new-api answers invalid_action to the extended ones.
func (c *Client) Supports(op Op) bool { return support[c.p.Dialect][op] }

// Text is the operation in the user's words and language, for errors ("submit music").
func (o Op) Text() string {
	switch o {
	case OpSubmitMusic:
		return i18n.T("client.op.submit_music")
	case OpSubmitLyrics:
		return i18n.T("client.op.submit_lyrics")
	case OpFetchTask:
		return i18n.T("client.op.fetch_task")
	case OpFetchTasks:
		return i18n.T("client.op.fetch_tasks")
	case OpFetchClips:
		return i18n.T("client.op.fetch_clips")
	case OpConcat:
		return i18n.T("client.op.concat")
	case OpUpload:
		return i18n.T("client.op.upload")
	case OpStems:
		return i18n.T("client.op.stems")
	case OpTiming:
		return i18n.T("client.op.timing")
	case OpWAV:
		return i18n.T("client.op.wav")
	case OpMP4:
		return i18n.T("client.op.mp4")
	case OpCreatePersona:
		return i18n.T("client.op.create_persona")
	case OpBilling:
		return i18n.T("client.op.billing")
	case OpChat:
		return i18n.T("client.op.chat")
	}
	return string(o)
}

// unsupported refuses an operation the dialect lacks; what is the operation in words (Op.Text).
func (c *Client) unsupported(what string) error {
	return &Error{Kind: KindUnsupported, Op: what, Relay: c.p.Name,
		Message: i18n.T("client.msg.no_endpoint", string(c.p.Dialect), what)}
}

// invalid refuses a request before sending it; message is already in words (i18n.T).
func (c *Client) invalid(op Op, message string) error {
	return &Error{Kind: KindBadRequest, Op: op.Text(), Relay: c.p.Name, Message: message}
}

func (c *Client) model(m string) string {
	if m = strings.TrimSpace(m); m != "" {
		return m
	}
	if c.p.Model != "" && !strings.HasPrefix(c.p.Model, "suno-") {
		return c.p.Model
	}
	return "chirp-v3-5"
}

// SubmitMusic starts a music task in any mode.
func (c *Client) SubmitMusic(ctx context.Context, r MusicRequest) (Submission, error) {
	if !c.Supports(OpSubmitMusic) {
		return Submission{}, c.unsupported(OpSubmitMusic.Text())
	}
	if err := c.validateMusic(r); err != nil {
		return Submission{}, err
	}
	if c.p.Dialect == DialectGoAmz {
		return c.submitGoAmz(ctx, r)
	}
	var sub Submission
	err := c.jsonCall(ctx, call{op: OpSubmitMusic.Text(), method: "POST", path: "/suno/submit/music",
		body: taskMusicBody(r, c.model(r.Model))}, func(d json.RawMessage) (err error) {
		sub, err = decodeSubmission(d)
		return err
	})
	return sub, err
}

func (c *Client) validateMusic(r MusicRequest) error {
	switch r.Mode {
	case ModeInspiration, "":
		if strings.TrimSpace(r.Description) == "" {
			return c.invalid(OpSubmitMusic, i18n.T("client.msg.needs_description"))
		}
	case ModeCustom:
		if strings.TrimSpace(r.Lyrics) == "" && strings.TrimSpace(r.Tags) == "" && strings.TrimSpace(r.Title) == "" && !r.Instrumental {
			return c.invalid(OpSubmitMusic, i18n.T("client.msg.custom_needs_words"))
		}
	case ModeContinue, ModeUploadExt:
		if r.ContinueClipID == "" {
			return c.invalid(OpSubmitMusic, i18n.T("client.msg.extend_needs_clip"))
		}
		if r.Mode == ModeContinue && r.TaskID == "" {
			return c.invalid(OpSubmitMusic, i18n.T("client.msg.extend_needs_task"))
		}
		if r.ContinueAt != nil && *r.ContinueAt < 0 {
			return c.invalid(OpSubmitMusic, i18n.T("client.msg.continue_at_negative"))
		}
	case ModeCover:
		if r.CoverClipID == "" {
			return c.invalid(OpSubmitMusic, i18n.T("client.msg.cover_needs_clip"))
		}
	case ModeInfill:
		if r.ContinueClipID == "" {
			return c.invalid(OpSubmitMusic, i18n.T("client.msg.infill_needs_clip"))
		}
		if r.InfillEnd <= r.InfillStart || r.InfillStart < 0 {
			return c.invalid(OpSubmitMusic, i18n.T("client.msg.infill_window", r.InfillStart, r.InfillEnd))
		}
	case ModePersona:
		if r.PersonaID == "" {
			return c.invalid(OpSubmitMusic, i18n.T("client.msg.persona_needs_id"))
		}
	default:
		return c.invalid(OpSubmitMusic, i18n.T("client.msg.unknown_mode", string(r.Mode)))
	}
	if c.p.Dialect == DialectGoAmz {
		switch r.Mode {
		case ModeInspiration, ModeCustom, ModeContinue, "":
		default:
			return c.unsupported(i18n.T("client.op.submit_music_mode", string(r.Mode)))
		}
	}
	return nil
}

// taskMusicBody builds the flat submit body of relay-api 2.1 for each mode's recipe.
func taskMusicBody(r MusicRequest, mv string) map[string]any {
	b := map[string]any{"mv": mv}
	if r.Mode == ModeInspiration || r.Mode == "" {
		b["gpt_description_prompt"] = r.Description
		b["make_instrumental"] = r.Instrumental
		return b
	}
	// Custom-mode fields: an empty prompt means instrumental (9.12), so it is always sent.
	lyrics := r.Lyrics
	if r.Instrumental {
		lyrics = ""
	}
	b["prompt"] = lyrics
	b["make_instrumental"] = r.Instrumental
	if r.Title != "" {
		b["title"] = r.Title
	}
	if r.Tags != "" {
		b["tags"] = r.Tags
	}
	if r.NegativeTags != "" {
		b["negative_tags"] = r.NegativeTags
	}
	switch r.Mode {
	case ModeContinue, ModeUploadExt:
		b["task"] = "extend"
		if r.Mode == ModeUploadExt {
			b["task"] = "upload_extend"
		}
		b["continue_clip_id"] = r.ContinueClipID
		switch {
		case r.TaskID != "":
			b["task_id"] = r.TaskID
		case r.Mode == ModeUploadExt:
			// Relays require task_id with continue_clip_id (9.13); an upload's id is the task
			// id on the relays that document it (3.1).
			b["task_id"] = r.ContinueClipID
		}
		if r.ContinueAt != nil {
			b["continue_at"] = *r.ContinueAt
		}
	case ModeCover:
		b["task"] = "cover"
		b["cover_clip_id"] = r.CoverClipID
	case ModeInfill:
		b["task"] = "infill"
		b["continue_clip_id"] = r.ContinueClipID
		if r.TaskID != "" {
			b["task_id"] = r.TaskID
		}
		b["infill_start_s"] = r.InfillStart
		b["infill_end_s"] = r.InfillEnd
		b["continue_at"] = nil
		b["continued_aligned_prompt"] = nil
	case ModePersona:
		b["task"] = "artist_consistency"
		b["persona_id"] = r.PersonaID
		if r.ArtistClipID != "" {
			b["artist_clip_id"] = r.ArtistClipID
		}
	}
	return b
}

func (c *Client) submitGoAmz(ctx context.Context, r MusicRequest) (Submission, error) {
	input := map[string]any{
		"mv":                c.model(r.Model),
		"make_instrumental": r.Instrumental,
	}
	custom := r.Mode != ModeInspiration && r.Mode != ""
	if custom {
		input["prompt"] = r.Lyrics
		input["title"] = r.Title
		input["tags"] = r.Tags
		if r.Mode == ModeContinue {
			input["continue_clip_id"] = r.ContinueClipID
			input["task_id"] = r.TaskID
			if r.ContinueAt != nil {
				input["continue_at"] = *r.ContinueAt
			}
		}
	} else {
		input["gpt_description_prompt"] = r.Description
	}
	var sub Submission
	err := c.jsonCall(ctx, call{op: OpSubmitMusic.Text(), method: "POST", path: "/suno/v1/music",
		body: map[string]any{"custom_mode": custom, "input": input}}, func(d json.RawMessage) (err error) {
		sub, err = decodeSubmission(d)
		return err
	})
	return sub, err
}

// SubmitLyrics starts a lyrics task from a short prompt.
func (c *Client) SubmitLyrics(ctx context.Context, prompt string) (Submission, error) {
	if !c.Supports(OpSubmitLyrics) {
		return Submission{}, c.unsupported(OpSubmitLyrics.Text())
	}
	if strings.TrimSpace(prompt) == "" {
		return Submission{}, c.invalid(OpSubmitLyrics, i18n.T("client.msg.lyrics_prompt_empty"))
	}
	path := "/suno/submit/lyrics"
	if c.p.Dialect == DialectGoAmz {
		path = "/suno/v1/v3.0/lyrics"
	}
	var sub Submission
	err := c.jsonCall(ctx, call{op: OpSubmitLyrics.Text(), method: "POST", path: path,
		body: map[string]string{"prompt": prompt}}, func(d json.RawMessage) (err error) {
		sub, err = decodeSubmission(d)
		return err
	})
	return sub, err
}

// FetchTask reads one task. kind matters only to GoAmz, whose lyrics live under another path.
func (c *Client) FetchTask(ctx context.Context, id string, kind Kind) (Task, error) {
	if !c.Supports(OpFetchTask) {
		return Task{}, c.unsupported(OpFetchTask.Text())
	}
	if strings.TrimSpace(id) == "" {
		return Task{}, c.invalid(OpFetchTask, i18n.T("client.msg.no_task_id"))
	}
	path := "/suno/fetch/" + url.PathEscape(id)
	if c.p.Dialect == DialectGoAmz {
		path = "/suno/v1/music/" + url.PathEscape(id)
		if kind == KindLyrics {
			path = "/suno/v1/v3.0/lyrics/" + url.PathEscape(id)
		}
	}
	var t Task
	err := c.jsonCall(ctx, call{op: i18n.T("client.op.fetch_task_id", id), method: "GET", path: path, idempotent: true,
		aboutTasks: true, notFoundID: i18n.T("client.msg.task_id", id)}, func(d json.RawMessage) (err error) {
		if isNull(d) {
			// Suno-API-style relays answer data:null before their first upstream poll.
			t = Task{ID: id, Kind: KindMusic, Status: StatusPending, Progress: -1}
			if kind != "" {
				t.Kind = kind
			}
			return nil
		}
		t, err = taskFromFetchData(id, d)
		return err
	})
	if err == nil && kind == KindLyrics && t.Kind == KindMusic && len(t.Clips) == 0 {
		t.Kind = KindLyrics
	}
	return t, err
}

// SupportsBatch reports whether many tasks can be fetched in one request (task dialect).
func (c *Client) SupportsBatch() bool { return c.Supports(OpFetchTasks) }

// FetchTasks reads many tasks in one request. Unknown ids are missing from the result and the
// order is the relay's (relay-api 2.4).
func (c *Client) FetchTasks(ctx context.Context, ids []string) ([]Task, error) {
	if !c.Supports(OpFetchTasks) {
		return nil, c.unsupported(OpFetchTasks.Text())
	}
	if len(ids) == 0 {
		return nil, nil
	}
	decode := func(tasks *[]Task) func(json.RawMessage) error {
		return func(d json.RawMessage) error {
			switch kindOfJSON(d) {
			case 0, 'n':
				return nil
			case '{':
				t, err := decodeTask(d)
				if err != nil {
					return err
				}
				*tasks = append(*tasks, t)
				return nil
			}
			var items []json.RawMessage
			if err := json.Unmarshal(d, &items); err != nil {
				return err
			}
			for _, it := range items {
				if isNull(it) {
					continue
				}
				t, err := decodeTask(it)
				if err != nil {
					return err
				}
				if t.ID != "" {
					*tasks = append(*tasks, t)
				}
			}
			return nil
		}
	}
	var tasks []Task
	body := map[string]any{"ids": ids}
	err := c.jsonCall(ctx, call{op: OpFetchTasks.Text(), aboutTasks: true, method: "POST", path: "/suno/fetch", body: body,
		idempotent: true}, decode(&tasks))
	if KindOf(err) == KindNotFound && !errors.Is(err, &Error{Kind: KindNotFound, Code: "task_not_exist"}) {
		// Some vendors document the batch path as /suno/submit/fetch (2.4).
		tasks = nil
		err = c.jsonCall(ctx, call{op: OpFetchTasks.Text(), aboutTasks: true, method: "POST", path: "/suno/submit/fetch", body: body,
			idempotent: true, extended: true}, decode(&tasks))
	}
	return tasks, err
}

// FetchClips reads clips by id through the raw feed passthrough (GET /suno/feed/{ids}), which
// is how clips made by a chat can be followed after the stream ended. Relays without the feed
// answer unsupported.
func (c *Client) FetchClips(ctx context.Context, ids []string) ([]Clip, error) {
	if !c.Supports(OpFetchClips) {
		return nil, c.unsupported(OpFetchClips.Text())
	}
	if len(ids) == 0 {
		return nil, nil
	}
	escaped := make([]string, len(ids))
	for i, id := range ids {
		escaped[i] = url.PathEscape(id)
	}
	var clips []Clip
	err := c.rawCall(ctx, call{op: OpFetchClips.Text(), method: "GET", path: "/suno/feed/" + strings.Join(escaped, ","),
		idempotent: true, extended: true}, func(d json.RawMessage) (err error) {
		clips, err = decodeClips(d)
		return err
	})
	return clips, err
}

// Concat joins an extended clip and its ancestors into one song (3.2).
func (c *Client) Concat(ctx context.Context, clipID string, infill bool) (Submission, error) {
	if !c.Supports(OpConcat) {
		return Submission{}, c.unsupported(OpConcat.Text())
	}
	if clipID == "" {
		return Submission{}, c.invalid(OpConcat, i18n.T("client.msg.no_clip_id"))
	}
	var sub Submission
	err := c.jsonCall(ctx, call{op: OpConcat.Text(), method: "POST", path: "/suno/submit/concat", extended: true,
		body: map[string]any{"clip_id": clipID, "is_infill": infill}}, func(d json.RawMessage) (err error) {
		sub, err = decodeSubmission(d)
		return err
	})
	return sub, err
}

// UploadURL registers a public audio URL with the relay and returns the id to use as
// cover_clip_id or continue_clip_id (3.1; the docs disagree whether it is a clip or a task id).
func (c *Client) UploadURL(ctx context.Context, audioURL string) (string, error) {
	if !c.Supports(OpUpload) {
		return "", c.unsupported(OpUpload.Text())
	}
	u, err := url.Parse(strings.TrimSpace(audioURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", c.invalid(OpUpload, i18n.T("client.msg.not_public_url", audioURL))
	}
	var id string
	err = c.jsonCall(ctx, call{op: OpUpload.Text(), method: "POST", path: "/suno/uploads/audio-url", extended: true,
		body: map[string]string{"url": u.String()}}, func(d json.RawMessage) error {
		sub, err := decodeSubmission(d)
		if err != nil {
			return err
		}
		id = sub.TaskID
		if id == "" && len(sub.Clips) > 0 {
			id = sub.Clips[0].ID
		}
		return nil
	})
	return id, err
}

// Stems asks for a vocal/instrumental split (3.4). The stems come back as new clips to poll.
func (c *Client) Stems(ctx context.Context, clipID string) (Submission, error) {
	if !c.Supports(OpStems) {
		return Submission{}, c.unsupported(OpStems.Text())
	}
	if clipID == "" {
		return Submission{}, c.invalid(OpStems, i18n.T("client.msg.no_clip_id"))
	}
	var sub Submission
	err := c.rawCall(ctx, call{op: OpStems.Text(), method: "GET", path: "/suno/act/stems/" + url.PathEscape(clipID),
		extended: true, notFoundID: i18n.T("client.msg.clip_id", clipID)}, func(d json.RawMessage) (err error) {
		sub, err = decodeSubmission(d)
		for i := range sub.Clips {
			if sub.Clips[i].StemFromID == "" {
				sub.Clips[i].StemFromID = clipID
			}
			if sub.Clips[i].Type == "" {
				sub.Clips[i].Type = "stem"
			}
		}
		return err
	})
	return sub, err
}

// Timing fetches the lyrics aligned to the audio (3.5).
func (c *Client) Timing(ctx context.Context, clipID string) (Timing, error) {
	if !c.Supports(OpTiming) {
		return Timing{}, c.unsupported(OpTiming.Text())
	}
	if clipID == "" {
		return Timing{}, c.invalid(OpTiming, i18n.T("client.msg.no_clip_id"))
	}
	t := Timing{ClipID: clipID}
	err := c.rawCall(ctx, call{op: OpTiming.Text(), method: "GET", path: "/suno/act/timing/" + url.PathEscape(clipID),
		extended: true, idempotent: true, notFoundID: i18n.T("client.msg.clip_id", clipID)}, func(d json.RawMessage) error {
		var words []json.RawMessage
		switch kindOfJSON(d) {
		case '[':
			if err := json.Unmarshal(d, &words); err != nil {
				return err
			}
		case '{':
			o, err := decodeObject(d)
			if err != nil {
				return err
			}
			if w, ok := o["aligned_words"]; ok && !isNull(w) {
				if err := json.Unmarshal(w, &words); err != nil {
					return err
				}
			}
			if wf, ok := o["waveform_data"]; ok && kindOfJSON(wf) == '[' {
				var raw []json.RawMessage
				if json.Unmarshal(wf, &raw) == nil {
					for _, v := range raw {
						f, _ := flexFloat(v)
						t.Waveform = append(t.Waveform, f)
					}
				}
			}
		default:
			return i18n.Text("client.decode.timing_shape")
		}
		for _, w := range words {
			o, err := decodeObject(w)
			if err != nil {
				continue
			}
			aw := AlignedWord{Word: o.str("word"), Success: o.boolean("success")}
			aw.Start, _ = o.num("start_s", "start")
			aw.End, _ = o.num("end_s", "end")
			aw.PAlign, _ = o.num("p_align")
			if _, ok := o["success"]; !ok {
				aw.Success = true
			}
			if aw.End < aw.Start {
				aw.End = aw.Start
			}
			t.Words = append(t.Words, aw)
		}
		return nil
	})
	return t, err
}

// WAV asks for the lossless file of a clip (3.6).
func (c *Client) WAV(ctx context.Context, clipID string) (Asset, error) {
	return c.asset(ctx, OpWAV, "/suno/act/wav/", clipID)
}

// MP4 asks for the music video of a clip (3.7).
func (c *Client) MP4(ctx context.Context, clipID string) (Asset, error) {
	return c.asset(ctx, OpMP4, "/suno/act/mp4/", clipID)
}

func (c *Client) asset(ctx context.Context, op Op, prefix, clipID string) (Asset, error) {
	if !c.Supports(op) {
		return Asset{}, c.unsupported(op.Text())
	}
	if clipID == "" {
		return Asset{}, c.invalid(op, i18n.T("client.msg.no_clip_id"))
	}
	a := Asset{ClipID: clipID}
	err := c.jsonCall(ctx, call{op: op.Text(), method: "GET", path: prefix + url.PathEscape(clipID), extended: true,
		notFoundID: i18n.T("client.msg.clip_id", clipID)}, func(d json.RawMessage) error {
		switch kindOfJSON(d) {
		case '"':
			s, _ := flexString(d)
			s = strings.TrimSpace(s)
			if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
				a.URL = s
			} else {
				a.ID = s
			}
		case '{':
			o, err := decodeObject(d)
			if err != nil {
				return err
			}
			a.URL = firstNonEmpty(o.str("url"), o.str("wav_url"), o.str("video_url"), o.str("audio_url"))
			a.ID = firstNonEmpty(o.str("task_id"), o.str("id"))
		default:
			return i18n.Text("client.decode.no_file_no_id")
		}
		if a.URL == "" && a.ID == "" {
			return i18n.Text("client.decode.no_file_no_id")
		}
		return nil
	})
	return a, err
}

// CreatePersona makes a reusable voice from a clip (3.3).
func (c *Client) CreatePersona(ctx context.Context, r PersonaRequest) (Persona, error) {
	if !c.Supports(OpCreatePersona) {
		return Persona{}, c.unsupported(OpCreatePersona.Text())
	}
	if r.RootClipID == "" || strings.TrimSpace(r.Name) == "" {
		return Persona{}, c.invalid(OpCreatePersona, i18n.T("client.msg.persona_needs_clip_name"))
	}
	if len(r.Clips) == 0 {
		r.Clips = []string{r.RootClipID}
	}
	var p Persona
	err := c.rawCall(ctx, call{op: OpCreatePersona.Text(), method: "POST", path: "/suno/persona/create/", extended: true,
		body: r}, func(d json.RawMessage) error {
		if kindOfJSON(d) == '"' { // a relay that wraps and answers with just the id
			p.ID, _ = flexString(d)
		} else {
			o, err := decodeObject(d)
			if err != nil {
				return err
			}
			p = Persona{ID: firstNonEmpty(o.str("id"), o.str("persona_id")), Name: o.str("name"),
				Description: o.str("description"), RootClipID: o.str("root_clip_id")}
		}
		if p.ID == "" {
			return i18n.Text("client.decode.no_persona_id")
		}
		if p.Name == "" {
			p.Name = r.Name
		}
		if p.Description == "" {
			p.Description = r.Description
		}
		if p.RootClipID == "" {
			p.RootClipID = r.RootClipID
		}
		return nil
	})
	return p, err
}

// unlimitedQuota is what new-api reports for a token without a limit (9.21).
const unlimitedQuota = 100000000

// Subscription reads the token's limit (3.8).
func (c *Client) Subscription(ctx context.Context) (Subscription, error) {
	var s Subscription
	err := c.rawCall(ctx, call{op: i18n.T("client.op.read_quota"), method: "GET", path: "/v1/dashboard/billing/subscription",
		idempotent: true, extended: true}, func(d json.RawMessage) error {
		o, err := decodeObject(d)
		if err != nil {
			return err
		}
		hard, ok := o.num("hard_limit_usd", "hard_limit", "system_hard_limit_usd")
		if !ok {
			return i18n.Text("client.decode.no_hard_limit")
		}
		s.HardLimit = hard
		s.SoftLimit, _ = o.num("soft_limit_usd", "soft_limit")
		s.Unlimited = hard >= unlimitedQuota
		s.AccessUntil = o.time("access_until", "expire_at")
		return nil
	})
	return s, err
}

// Usage reads what the token has spent (3.8). total_usage is in hundredths of the unit.
func (c *Client) Usage(ctx context.Context) (Usage, error) {
	var u Usage
	err := c.rawCall(ctx, call{op: i18n.T("client.op.read_usage"), method: "GET", path: "/v1/dashboard/billing/usage",
		idempotent: true, extended: true}, func(d json.RawMessage) error {
		o, err := decodeObject(d)
		if err != nil {
			return err
		}
		total, ok := o.num("total_usage")
		if !ok {
			return i18n.Text("client.decode.no_total_usage")
		}
		u.Total = total / 100
		return nil
	})
	return u, err
}

// Quota reads limit and usage together.
func (c *Client) Quota(ctx context.Context) (Quota, error) {
	s, err := c.Subscription(ctx)
	if err != nil {
		return Quota{}, err
	}
	u, err := c.Usage(ctx)
	if err != nil {
		return Quota{}, err
	}
	return Quota{Subscription: s, Used: u.Total}, nil
}

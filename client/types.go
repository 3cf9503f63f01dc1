// Package client speaks to Suno relay services in every dialect (task, GoAmzAI, chat) and turns
// their many wire shapes into one set of domain types, so that nothing above this package ever
// sees a dialect. See shared/api/relay-api.md for the wire formats.
package client

import (
	"strings"
	"time"
)

// Dialect names the wire format a relay speaks.
type Dialect string

const (
	// DialectTask is the new-api / one-hub / Suno-API family: /suno/submit/*, /suno/fetch.
	DialectTask Dialect = "task"
	// DialectGoAmz is the GoAmzAI family: /suno/v1/music with clips keyed by id.
	DialectGoAmz Dialect = "goamz"
	// DialectChat is the OpenAI-style /v1/chat/completions endpoint whose song data is free text.
	DialectChat Dialect = "chat"
)

// Dialects lists the dialects in the order help texts show them.
var Dialects = []Dialect{DialectTask, DialectGoAmz, DialectChat}

// ParseDialect accepts a dialect name in any case, with a few common aliases.
func ParseDialect(s string) (Dialect, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "task", "tasks", "new-api", "newapi", "one-hub", "onehub", "":
		return DialectTask, true
	case "goamz", "goamzai", "go-amz":
		return DialectGoAmz, true
	case "chat", "openai":
		return DialectChat, true
	}
	return "", false
}

// Profile is one relay account: where it is, how to authenticate and which dialect it speaks.
type Profile struct {
	Name    string
	BaseURL string
	APIKey  string
	Dialect Dialect
	// Model is the default model version (an mv value such as "chirp-v4", or a chat model name).
	Model string
}

// Status is the normalised state of a task.
type Status string

const (
	StatusPending   Status = "pending"   // accepted, not started upstream yet
	StatusRunning   Status = "running"   // generating; some clips may already stream
	StatusSucceeded Status = "succeeded" // terminal: every clip complete
	StatusFailed    Status = "failed"    // terminal: the relay or Suno gave up
)

// Terminal reports whether a task in this state will not change any more.
func (s Status) Terminal() bool { return s == StatusSucceeded || s == StatusFailed }

// ClipStatus is the normalised state of one clip.
type ClipStatus string

const (
	ClipQueued    ClipStatus = "queued"
	ClipStreaming ClipStatus = "streaming"
	ClipComplete  ClipStatus = "complete"
	ClipFailed    ClipStatus = "failed"
)

// Terminal reports whether a clip in this state will not change any more.
func (s ClipStatus) Terminal() bool { return s == ClipComplete || s == ClipFailed }

// Kind says what a task produces.
type Kind string

const (
	KindMusic   Kind = "music"
	KindLyrics  Kind = "lyrics"
	KindConcat  Kind = "concat"
	KindStems   Kind = "stems"
	KindUpload  Kind = "upload"
	KindWAV     Kind = "wav"
	KindMP4     Kind = "mp4"
	KindPersona Kind = "persona"
	KindChat    Kind = "chat"
)

// Clip is one generated song (or stem, or concat result).
type Clip struct {
	ID     string     `json:"id"`
	TaskID string     `json:"task_id,omitempty"`
	Status ClipStatus `json:"status"`
	Title  string     `json:"title"`
	Tags   string     `json:"tags,omitempty"`
	// NegativeTags are the styles the request asked to avoid, when the relay echoes them.
	NegativeTags string `json:"negative_tags,omitempty"`
	// Lyrics is the prompt Suno sang (custom mode) or wrote (inspiration mode).
	Lyrics string `json:"lyrics,omitempty"`
	// Description is the inspiration-mode prompt, when the relay echoes it.
	Description string `json:"description,omitempty"`
	// Model is the model name the relay reports (it can lag behind the version, see relay-api 7).
	Model        string `json:"model,omitempty"`
	ModelVersion string `json:"model_version,omitempty"`
	// AudioURL is the final audio file; StreamURL is the streaming-stage URL (audiopipe).
	AudioURL      string `json:"audio_url,omitempty"`
	StreamURL     string `json:"stream_url,omitempty"`
	VideoURL      string `json:"video_url,omitempty"`
	ImageURL      string `json:"image_url,omitempty"`
	ImageLargeURL string `json:"image_large_url,omitempty"`
	VideoPending  bool   `json:"video_pending,omitempty"`
	// Duration in seconds; 0 while unknown.
	Duration  float64   `json:"duration,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Type is Suno's metadata.type: "gen", "stem", "concat", "upload", ...
	Type string `json:"type,omitempty"`
	// StemFromID is the clip a stem was split from.
	StemFromID string `json:"stem_from_id,omitempty"`
	// ContinueAt and ContinueFromID describe an extension's parent, when the relay echoes them.
	ContinueFromID string  `json:"continue_from_id,omitempty"`
	ContinueAt     float64 `json:"continue_at,omitempty"`
	Error          string  `json:"error,omitempty"`
}

// Playable reports whether the clip has audio that can be played now, final or streaming.
func (c Clip) Playable() bool { return c.AudioURL != "" || c.StreamURL != "" }

// Lyrics is the result of a lyrics task.
type Lyrics struct {
	ID     string     `json:"id,omitempty"`
	Status ClipStatus `json:"status"`
	Title  string     `json:"title"`
	Text   string     `json:"text"`
	Tags   []string   `json:"tags,omitempty"`
	Error  string     `json:"error,omitempty"`
}

// Task is one relay task, whatever dialect reported it.
type Task struct {
	ID     string `json:"task_id"`
	Kind   Kind   `json:"kind"`
	Status Status `json:"status"`
	// RawStatus is the relay's own spelling, kept for diagnostics.
	RawStatus  string    `json:"raw_status,omitempty"`
	FailReason string    `json:"fail_reason,omitempty"`
	Progress   int       `json:"progress"` // percent 0-100; -1 when the relay does not say
	SubmitTime time.Time `json:"submit_time"`
	StartTime  time.Time `json:"start_time"`
	FinishTime time.Time `json:"finish_time"`
	Clips      []Clip    `json:"clips,omitempty"`
	Lyrics     *Lyrics   `json:"lyrics,omitempty"`
}

// Mode is the way a music request asks Suno to create.
type Mode string

const (
	ModeInspiration Mode = "inspiration" // a description; Suno writes lyrics, title and style
	ModeCustom      Mode = "custom"      // the user's lyrics, title and tags
	ModeContinue    Mode = "continue"    // extend a clip from continue_at
	ModeCover       Mode = "cover"       // restyle a clip
	ModeInfill      Mode = "infill"      // replace a section of a clip
	ModePersona     Mode = "persona"     // sing in a persona's voice
	ModeUploadExt   Mode = "upload_extend"
)

// MusicRequest is every way to create music, whatever the dialect.
type MusicRequest struct {
	Mode         Mode   `json:"mode"`
	Description  string `json:"description,omitempty"`
	Instrumental bool   `json:"instrumental,omitempty"`
	Lyrics       string `json:"lyrics,omitempty"`
	Title        string `json:"title,omitempty"`
	Tags         string `json:"tags,omitempty"`
	NegativeTags string `json:"negative_tags,omitempty"`
	// Model is the mv value; empty means the profile's default.
	Model string `json:"model,omitempty"`

	// Continue / infill.
	TaskID         string   `json:"task_id,omitempty"`
	ContinueClipID string   `json:"continue_clip_id,omitempty"`
	ContinueAt     *float64 `json:"continue_at,omitempty"`
	InfillStart    float64  `json:"infill_start_s,omitempty"`
	InfillEnd      float64  `json:"infill_end_s,omitempty"`

	// Cover.
	CoverClipID string `json:"cover_clip_id,omitempty"`

	// Persona.
	PersonaID    string `json:"persona_id,omitempty"`
	ArtistClipID string `json:"artist_clip_id,omitempty"`
}

// Submission is what a relay answers to a submit: a task id to poll, and sometimes the clips
// already (passthrough relays answer with Suno's raw {clips:[...]}).
type Submission struct {
	TaskID string `json:"task_id"`
	Clips  []Clip `json:"clips,omitempty"`
}

// AlignedWord is one word of synced lyrics. Words carry section markers and newlines as the
// relay sends them, e.g. "[Verse]\nWinter ".
type AlignedWord struct {
	Word    string  `json:"word"`
	Start   float64 `json:"start_s"`
	End     float64 `json:"end_s"`
	Success bool    `json:"success"`
	PAlign  float64 `json:"p_align"`
}

// Timing is the alignment of a clip's lyrics to its audio.
type Timing struct {
	ClipID   string        `json:"clip_id"`
	Words    []AlignedWord `json:"words"`
	Waveform []float64     `json:"waveform,omitempty"`
}

// Asset is the answer to a WAV or MP4 request: a URL when the relay gives one, or an id (a
// task to poll) when it does not say more.
type Asset struct {
	ClipID string `json:"clip_id"`
	URL    string `json:"url,omitempty"`
	ID     string `json:"id,omitempty"`
}

// PersonaRequest creates a persona (a reusable voice and style) from a clip.
type PersonaRequest struct {
	RootClipID  string   `json:"root_clip_id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Clips       []string `json:"clips,omitempty"`
	Public      bool     `json:"is_public"`
}

// Persona is a created persona.
type Persona struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	RootClipID  string `json:"root_clip_id"`
}

// Subscription is the token's limit as the billing endpoint reports it.
type Subscription struct {
	// HardLimit is the token's total quota in the relay's display unit (often CNY despite "usd").
	HardLimit float64 `json:"hard_limit"`
	SoftLimit float64 `json:"soft_limit"`
	Unlimited bool    `json:"unlimited"`
	// AccessUntil is the token's expiry; zero when it has none.
	AccessUntil time.Time `json:"access_until"`
}

// Usage is what the token has spent, in the same unit as Subscription.HardLimit.
type Usage struct {
	Total float64 `json:"total"`
}

// Quota combines limit and usage into what a user wants to know.
type Quota struct {
	Subscription
	Used float64 `json:"used"`
}

// Remaining is the balance left; negative values are clamped to zero.
func (q Quota) Remaining() float64 {
	if q.Unlimited {
		return q.HardLimit
	}
	r := q.HardLimit - q.Used
	if r < 0 {
		return 0
	}
	return r
}

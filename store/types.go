// Package store is the library: tasks, clips, lyrics drafts and settings in one bbolt file.
// It knows nothing of relays or HTTP; the studio engine converts relay results into these
// records. Keys are time-ordered so that "newest first" is a cursor walk, values are JSON with
// a version, and the schema version is migrated on open.
package store

import "time"

// Task states as the library (and --json output) names them.
const (
	// TaskSubmitting is a submit intent: written before the relay is asked, replaced by the
	// relay's task when it answers. One left over after a crash means the relay may or may not
	// have the task.
	TaskSubmitting = "submitting"
	TaskPending    = "pending"
	TaskRunning    = "running"
	TaskSucceeded  = "succeeded"
	TaskFailed     = "failed"
	TaskTimedOut   = "timed_out"
)

// Clip states.
const (
	ClipQueued    = "queued"
	ClipStreaming = "streaming"
	ClipComplete  = "complete"
	ClipFailed    = "failed"
)

// Download states of a clip's local files.
const (
	DownloadNone    = ""            // nothing to download yet (clip not complete)
	DownloadPending = "pending"     // waiting for its turn or for the next retry
	DownloadActive  = "downloading" // in progress
	DownloadDone    = "done"        // every file verified and in place
	DownloadFailed  = "failed"      // gave up after retries; can be retried by hand
)

// Derivations: how a clip came from its parent (lineage).
const (
	DeriveExtend  = "extend"
	DeriveConcat  = "concat"
	DeriveCover   = "cover"
	DeriveInfill  = "infill"
	DeriveStem    = "stem"
	DerivePersona = "persona"
	DeriveUpload  = "upload"
)

// Task is a submitted relay task. It is written before anything else happens after the relay
// accepts a submit, so a paid generation is never lost.
type Task struct {
	V       int    `json:"v"`
	ID      string `json:"task_id"`
	Kind    string `json:"kind"` // music, lyrics, concat, stems, wav, mp4, chat, ...
	Profile string `json:"profile"`
	Status  string `json:"status"`
	// RawStatus is the relay's spelling, for diagnostics.
	RawStatus string `json:"raw_status,omitempty"`
	Error     string `json:"error,omitempty"`
	Progress  int    `json:"progress"`
	// Request is the submit as JSON (a client.MusicRequest, a lyrics prompt, ...) so the task
	// can be resubmitted as is.
	Request []byte `json:"request,omitempty"`
	// Lyrics holds the result of a lyrics task.
	LyricsTitle string   `json:"lyrics_title,omitempty"`
	LyricsText  string   `json:"lyrics_text,omitempty"`
	ClipIDs     []string `json:"clip_ids,omitempty"`
	// ParentClipID and Derivation link the clips this task makes to where they came from.
	ParentClipID string `json:"parent_clip_id,omitempty"`
	Derivation   string `json:"derivation,omitempty"`
	// BatchKey identifies the line of a batch file that made this task, so a rerun skips it.
	BatchKey   string    `json:"batch_key,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	FinishedAt time.Time `json:"finished_at,omitempty"`
	// Deadline is when tracking gives up and the task shows as timed out.
	Deadline time.Time `json:"deadline,omitempty"`
}

// Finished reports whether the relay will not change the task any more.
func (t *Task) Finished() bool {
	switch t.Status {
	case TaskSucceeded, TaskFailed, TaskTimedOut:
		return true
	}
	return false
}

// Clip is a song (or stem, or concat result) in the library.
type Clip struct {
	V            int     `json:"v"`
	ID           string  `json:"id"`
	TaskID       string  `json:"task_id"`
	Profile      string  `json:"profile,omitempty"`
	Title        string  `json:"title"`
	Tags         string  `json:"tags,omitempty"`
	NegativeTags string  `json:"negative_tags,omitempty"`
	Lyrics       string  `json:"lyrics,omitempty"`
	Description  string  `json:"description,omitempty"`
	Model        string  `json:"model,omitempty"`
	Status       string  `json:"status"`
	Duration     float64 `json:"duration"`
	Error        string  `json:"error,omitempty"`
	Type         string  `json:"type,omitempty"`

	AudioURL  string `json:"audio_url,omitempty"`
	StreamURL string `json:"stream_url,omitempty"`
	ImageURL  string `json:"image_url,omitempty"`
	VideoURL  string `json:"video_url,omitempty"`

	// Local files, relative to nothing: absolute paths inside the library folder.
	LocalPath  string `json:"local_path,omitempty"`
	CoverPath  string `json:"cover_path,omitempty"`
	LyricsPath string `json:"lyrics_path,omitempty"`
	WAVPath    string `json:"wav_path,omitempty"`
	MP4Path    string `json:"mp4_path,omitempty"`

	Download         string    `json:"download,omitempty"`
	DownloadError    string    `json:"download_error,omitempty"`
	DownloadAttempts int       `json:"download_attempts,omitempty"`
	NextDownload     time.Time `json:"next_download,omitempty"`

	Favorite bool   `json:"favorite,omitempty"`
	Notes    string `json:"notes,omitempty"`
	// OriginalTitle keeps the relay's title after the user renames the clip.
	OriginalTitle string `json:"original_title,omitempty"`

	ParentID   string  `json:"parent_id,omitempty"`
	Derivation string  `json:"derivation,omitempty"`
	ContinueAt float64 `json:"continue_at,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Draft is an autosaved lyrics draft.
type Draft struct {
	V         int       `json:"v"`
	Name      string    `json:"name"` // "current" for the editor's working draft
	Title     string    `json:"title,omitempty"`
	Tags      string    `json:"tags,omitempty"`
	Text      string    `json:"text"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Sort orders for clip queries.
const (
	SortDate     = "date"
	SortTitle    = "title"
	SortDuration = "duration"
)

// Query selects clips. The zero value is "all clips, newest first".
type Query struct {
	// Text matches title, tags and lyrics, case-insensitively, as a substring.
	Text     string
	Favorite bool   // only favourites
	Model    string // exact model name
	Status   string // exact clip status
	TaskID   string
	Sort     string // SortDate (default), SortTitle, SortDuration
	// Asc reverses the default direction (dates newest first; titles A-Z; durations longest first).
	Asc    bool
	Limit  int    // 0 = no limit
	Cursor string // from Page.Next
}

// Page is one page of a query.
type Page struct {
	Clips []*Clip
	// Next is the cursor of the following page, "" at the end.
	Next string
	// Total counts every match (all pages).
	Total int
}

// ImportStats says what an import did.
type ImportStats struct {
	TasksAdded, TasksSkipped int
	ClipsAdded, ClipsSkipped int
	DraftsAdded              int
	DraftsSkipped            int
}

package studio

import (
	"time"

	"sunostudio/store"
)

// ClipJSON is the stable, language-neutral JSON shape of a clip for scripts (--json).
type ClipJSON struct {
	ID            string    `json:"id"`
	TaskID        string    `json:"task_id"`
	Title         string    `json:"title"`
	Tags          string    `json:"tags"`
	NegativeTags  string    `json:"negative_tags,omitempty"`
	Model         string    `json:"model"`
	Status        string    `json:"status"`
	Duration      float64   `json:"duration"`
	AudioURL      string    `json:"audio_url"`
	StreamURL     string    `json:"stream_url,omitempty"`
	ImageURL      string    `json:"image_url,omitempty"`
	VideoURL      string    `json:"video_url,omitempty"`
	LocalPath     string    `json:"local_path"`
	CoverPath     string    `json:"cover_path,omitempty"`
	LyricsPath    string    `json:"lyrics_path,omitempty"`
	WAVPath       string    `json:"wav_path,omitempty"`
	MP4Path       string    `json:"mp4_path,omitempty"`
	Lyrics        string    `json:"lyrics,omitempty"`
	Favorite      bool      `json:"favorite"`
	Notes         string    `json:"notes,omitempty"`
	ParentID      string    `json:"parent_id,omitempty"`
	Derivation    string    `json:"derivation,omitempty"`
	ContinueAt    float64   `json:"continue_at,omitempty"`
	Download      string    `json:"download,omitempty"`
	DownloadError string    `json:"download_error,omitempty"`
	Error         string    `json:"error,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
}

// TaskJSON is the stable JSON shape of a task with its clips.
type TaskJSON struct {
	TaskID      string     `json:"task_id"`
	Kind        string     `json:"kind"`
	Status      string     `json:"status"`
	Error       string     `json:"error"`
	Progress    int        `json:"progress"`
	Profile     string     `json:"profile,omitempty"`
	LyricsTitle string     `json:"lyrics_title,omitempty"`
	LyricsText  string     `json:"lyrics_text,omitempty"`
	ParentID    string     `json:"parent_id,omitempty"`
	Derivation  string     `json:"derivation,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
	Clips       []ClipJSON `json:"clips"`
}

// ClipView converts a library clip to its JSON shape.
func ClipView(c *store.Clip) ClipJSON {
	return ClipJSON{
		ID: c.ID, TaskID: c.TaskID, Title: c.Title, Tags: c.Tags, NegativeTags: c.NegativeTags,
		Model: c.Model, Status: c.Status, Duration: c.Duration, AudioURL: c.AudioURL,
		StreamURL: c.StreamURL, ImageURL: c.ImageURL, VideoURL: c.VideoURL, LocalPath: c.LocalPath,
		CoverPath: c.CoverPath, LyricsPath: c.LyricsPath, WAVPath: c.WAVPath, MP4Path: c.MP4Path,
		Lyrics: c.Lyrics, Favorite: c.Favorite, Notes: c.Notes, ParentID: c.ParentID,
		Derivation: c.Derivation, ContinueAt: c.ContinueAt, Download: c.Download,
		DownloadError: c.DownloadError, Error: c.Error, CreatedAt: c.CreatedAt,
	}
}

// TaskView converts a task and its clips to the JSON shape.
func TaskView(t *store.Task, clips []*store.Clip) TaskJSON {
	v := TaskJSON{
		TaskID: t.ID, Kind: t.Kind, Status: t.Status, Error: t.Error, Progress: t.Progress,
		Profile: t.Profile, LyricsTitle: t.LyricsTitle, LyricsText: t.LyricsText,
		ParentID: t.ParentClipID, Derivation: t.Derivation, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		Clips: make([]ClipJSON, 0, len(clips)),
	}
	if !t.FinishedAt.IsZero() {
		f := t.FinishedAt
		v.FinishedAt = &f
	}
	for _, c := range clips {
		v.Clips = append(v.Clips, ClipView(c))
	}
	return v
}

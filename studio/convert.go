package studio

import (
	"time"

	"sunostudio/client"
	"sunostudio/internal/safetext"
	"sunostudio/store"
)

// taskStatus maps the client's normalised status to the library's words.
func taskStatus(s client.Status) string {
	switch s {
	case client.StatusRunning:
		return store.TaskRunning
	case client.StatusSucceeded:
		return store.TaskSucceeded
	case client.StatusFailed:
		return store.TaskFailed
	}
	return store.TaskPending
}

func clipStatus(s client.ClipStatus) string {
	switch s {
	case client.ClipStreaming:
		return store.ClipStreaming
	case client.ClipComplete:
		return store.ClipComplete
	case client.ClipFailed:
		return store.ClipFailed
	}
	return store.ClipQueued
}

// clean makes relay text safe to store and show: control sequences never enter the library.
func clean(s string) string { return safetext.Clean(s) }

// applyTask copies what the relay said about a task into the record. It reports whether
// anything a user can see changed, so unchanged polls cause no writes.
func applyTask(t *store.Task, rt client.Task) bool {
	changed := false
	set := func(dst *string, v string) {
		if *dst != v {
			*dst, changed = v, true
		}
	}
	set(&t.Status, taskStatus(rt.Status))
	set(&t.RawStatus, clean(rt.RawStatus))
	if rt.Status == client.StatusFailed {
		reason := clean(rt.FailReason)
		if reason == "" {
			reason = storedFailedNoReason
		}
		set(&t.Error, reason)
	}
	if rt.Progress >= 0 && rt.Progress != t.Progress {
		t.Progress, changed = rt.Progress, true
	}
	if rt.Lyrics != nil {
		set(&t.LyricsTitle, clean(rt.Lyrics.Title))
		set(&t.LyricsText, clean(rt.Lyrics.Text))
	}
	for _, c := range rt.Clips {
		if !contains(t.ClipIDs, c.ID) {
			t.ClipIDs = append(t.ClipIDs, c.ID)
			changed = true
		}
	}
	return changed
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// newClip makes a library record for a clip first seen in task t.
func newClip(t *store.Task, now time.Time) *store.Clip {
	return &store.Clip{
		TaskID:     t.ID,
		Profile:    t.Profile,
		ParentID:   t.ParentClipID,
		Derivation: t.Derivation,
		Status:     store.ClipQueued,
		CreatedAt:  now,
	}
}

// applyClip merges the relay's view of a clip into the record, keeping everything that is
// the user's or the library's own (files, favourite, notes, a renamed title, lineage). It
// never moves a clip backwards: a complete clip stays complete even if a relay's later reply
// is older. It reports whether anything changed.
func applyClip(c *store.Clip, rc client.Clip) bool {
	changed := false
	set := func(dst *string, v string) {
		if v != "" && *dst != v {
			*dst, changed = v, true
		}
	}
	if c.ID == "" {
		c.ID, changed = rc.ID, true
	}
	if rc.TaskID != "" && c.TaskID == "" {
		c.TaskID, changed = rc.TaskID, true
	}
	if c.OriginalTitle == "" {
		set(&c.Title, clean(rc.Title))
	} else {
		set(&c.OriginalTitle, clean(rc.Title))
	}
	set(&c.Tags, clean(rc.Tags))
	set(&c.NegativeTags, clean(rc.NegativeTags))
	set(&c.Lyrics, clean(rc.Lyrics))
	set(&c.Description, clean(rc.Description))
	set(&c.Model, clean(firstNonEmpty(rc.Model, rc.ModelVersion)))
	set(&c.Type, clean(rc.Type))
	set(&c.StreamURL, rc.StreamURL)
	set(&c.AudioURL, rc.AudioURL)
	set(&c.ImageURL, firstNonEmpty(rc.ImageLargeURL, rc.ImageURL))
	set(&c.VideoURL, rc.VideoURL)
	if rc.StemFromID != "" && c.ParentID == "" {
		c.ParentID, c.Derivation, changed = rc.StemFromID, store.DeriveStem, true
	}
	if rc.Duration > 0 && rc.Duration != c.Duration {
		c.Duration, changed = rc.Duration, true
	}
	if rc.ContinueAt > 0 && c.ContinueAt == 0 {
		c.ContinueAt, changed = rc.ContinueAt, true
	}
	if !rc.CreatedAt.IsZero() && c.CreatedAt.IsZero() {
		c.CreatedAt, changed = rc.CreatedAt, true
	}
	if st := clipStatus(rc.Status); st != c.Status && rank(st) > rank(c.Status) {
		c.Status, changed = st, true
	}
	if c.Status == store.ClipFailed {
		set(&c.Error, clean(rc.Error))
	}
	if c.Status == store.ClipComplete && c.Download == store.DownloadNone {
		c.Download, changed = store.DownloadPending, true
	}
	return changed
}

// rank orders clip states so that updates only move forward: complete beats everything
// (a relay that wrongly said "error" first and then delivered is believed), failed beats
// the in-progress states.
func rank(s string) int {
	switch s {
	case store.ClipStreaming:
		return 1
	case store.ClipFailed:
		return 2
	case store.ClipComplete:
		return 3
	}
	return 0
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

package studio

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/store"
)

// Request is what a task was asked to do, stored with the task so it can be resubmitted.
type Request struct {
	Kind   client.Kind          `json:"kind"`
	Music  *client.MusicRequest `json:"music,omitempty"`
	Prompt string               `json:"prompt,omitempty"` // lyrics or chat prompt
	Model  string               `json:"model,omitempty"`  // chat model
	ClipID string               `json:"clip_id,omitempty"`
	Infill bool                 `json:"infill,omitempty"`
	// URL is the audio an upload registered; Parts are the clips a concat joins, first first.
	URL   string   `json:"url,omitempty"`
	Parts []string `json:"parts,omitempty"`
}

// SubmitOptions are the library-side facts about a submission.
type SubmitOptions struct {
	// ParentClipID and Derivation link the new clips to where they came from.
	ParentClipID string
	Derivation   string
	// BatchKey marks the batch-file line that made this task, so a rerun skips it.
	BatchKey string
}

// ErrReadOnly is returned when the library is a read-only snapshot.
var ErrReadOnly error = i18n.Text("studio.err.read_only")

// Submit starts a music task. The task is in the library before Submit returns; a crash after
// the relay accepted it and before the write is the only window, and it is one fsync long.
func (e *Engine) Submit(ctx context.Context, r client.MusicRequest, o SubmitOptions) (*store.Task, error) {
	if e.st.ReadOnly() {
		return nil, ErrReadOnly
	}
	if r.Mode == "" {
		r.Mode = client.ModeInspiration
	}
	if o.Derivation == "" {
		o.ParentClipID, o.Derivation = derivationOf(r)
	}
	req := Request{Kind: client.KindMusic, Music: &r}
	return e.submitWith(req, o, func() (client.Submission, error) { return e.cl.SubmitMusic(ctx, r) })
}

// submitWith records an intent, asks the relay, and swaps the intent for the relay's task in
// one transaction. If the process dies while the relay is being asked, the intent remains and
// the next start says the outcome is unknown, instead of losing a paid request silently.
func (e *Engine) submitWith(req Request, o SubmitOptions, ask func() (client.Submission, error)) (*store.Task, error) {
	reqJSON, _ := json.Marshal(req)
	now := e.now()
	intent := &store.Task{ID: "local-" + randomID(), Kind: string(req.Kind), Profile: e.o.Profile,
		Status: store.TaskSubmitting, Request: reqJSON, ParentClipID: o.ParentClipID,
		Derivation: o.Derivation, BatchKey: o.BatchKey, CreatedAt: now}
	if err := e.st.PutTask(intent); err != nil {
		return nil, i18n.Wrap(i18n.T("studio.err.request_not_recorded", err), err)
	}
	sub, err := ask()
	if err != nil {
		if uncertain(err) {
			e.settleIntent(intent, fmt.Sprintf(storedIntentUnclear, err.Error()))
		} else if derr := e.st.DeleteTask(intent.ID); derr != nil {
			e.log.Warn("could not remove a refused submit", "task", intent.ID, "err", derr)
		}
		return nil, err
	}
	return e.record(sub, req, o, intent.ID)
}

// uncertain reports whether the relay may have acted on a submit that returned err.
func uncertain(err error) bool {
	switch client.KindOf(err) {
	case client.KindTimeout, client.KindNetwork, client.KindUpstream, client.KindMalformed, client.KindTooLarge, client.KindCanceled:
		return true
	}
	return false
}

// settleIntent turns a leftover intent into a visible failed task with the reason.
func (e *Engine) settleIntent(t *store.Task, reason string) {
	t.Status, t.Error = store.TaskFailed, reason
	t.FinishedAt = e.now()
	if err := e.st.PutTask(t); err != nil {
		e.log.Warn("could not settle a submit intent", "task", t.ID, "err", err)
		return
	}
	e.publish(Event{Kind: TaskUpdated, Task: t})
}

func randomID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// derivationOf names the lineage a music request implies.
func derivationOf(r client.MusicRequest) (parent, kind string) {
	switch r.Mode {
	case client.ModeContinue, client.ModeUploadExt:
		return r.ContinueClipID, store.DeriveExtend
	case client.ModeCover:
		return r.CoverClipID, store.DeriveCover
	case client.ModeInfill:
		return r.ContinueClipID, store.DeriveInfill
	case client.ModePersona:
		return r.ArtistClipID, store.DerivePersona
	}
	return "", ""
}

// SubmitLyrics starts a lyrics task.
func (e *Engine) SubmitLyrics(ctx context.Context, prompt string) (*store.Task, error) {
	if e.st.ReadOnly() {
		return nil, ErrReadOnly
	}
	req := Request{Kind: client.KindLyrics, Prompt: prompt}
	return e.submitWith(req, SubmitOptions{}, func() (client.Submission, error) { return e.cl.SubmitLyrics(ctx, prompt) })
}

// Concat joins an extended clip with its ancestors into one song.
func (e *Engine) Concat(ctx context.Context, clipID string, infill bool) (*store.Task, error) {
	if e.st.ReadOnly() {
		return nil, ErrReadOnly
	}
	req := Request{Kind: client.KindConcat, ClipID: clipID, Infill: infill}
	return e.submitWith(req, SubmitOptions{ParentClipID: clipID, Derivation: store.DeriveConcat},
		func() (client.Submission, error) { return e.cl.Concat(ctx, clipID, infill) })
}

// record writes the accepted task (and any clips the relay already returned) in place of the
// intent, starts tracking it and publishes it.
func (e *Engine) record(sub client.Submission, req Request, o SubmitOptions, intentID string) (*store.Task, error) {
	id := sub.TaskID
	if id == "" && len(sub.Clips) > 0 {
		// A passthrough relay answered with raw clips and no task id: poll by the first clip.
		id = sub.Clips[0].ID
	}
	reqJSON, _ := json.Marshal(req)
	now := e.now()
	t := &store.Task{
		ID:           id,
		Kind:         string(req.Kind),
		Profile:      e.o.Profile,
		Status:       store.TaskPending,
		Progress:     0,
		Request:      reqJSON,
		ParentClipID: o.ParentClipID,
		Derivation:   o.Derivation,
		BatchKey:     o.BatchKey,
		CreatedAt:    now,
		UpdatedAt:    now,
		Deadline:     now.Add(e.deadlineFor(req.Kind)),
	}
	var clips []*store.Clip
	for _, rc := range sub.Clips {
		c := newClip(t, now)
		applyClip(c, rc)
		c.TaskID = t.ID
		t.ClipIDs = append(t.ClipIDs, c.ID)
		clips = append(clips, c)
	}
	if err := e.st.ReplaceTask(intentID, t, clips); err != nil {
		// The relay has the task but we could not write it: say so with the id, so the user can
		// find it on the relay; nothing else can be done.
		return nil, i18n.Wrap(i18n.T("studio.err.task_not_recorded", id, err), err)
	}
	e.log.Info("submitted", "task", id, "kind", req.Kind)
	e.publish(Event{Kind: TaskUpdated, Task: t})
	for _, c := range clips {
		e.publish(Event{Kind: ClipUpdated, Clip: c})
	}
	e.tracker.add(t)
	e.refreshQuotaSoon()
	return t, nil
}

// deadlineFor is how long a task may run before it shows as timed out; lyrics are quick.
func (e *Engine) deadlineFor(k client.Kind) time.Duration {
	if k == client.KindLyrics {
		return e.o.TaskDeadline / 2
	}
	return e.o.TaskDeadline
}

// Retry resubmits the request of an earlier task as a new task.
func (e *Engine) Retry(ctx context.Context, taskID string) (*store.Task, error) {
	old, err := e.st.Task(taskID)
	if err != nil {
		return nil, err
	}
	var req Request
	if len(old.Request) == 0 || json.Unmarshal(old.Request, &req) != nil {
		return nil, errors.New(i18n.T("studio.err.no_request", taskID))
	}
	o := SubmitOptions{ParentClipID: old.ParentClipID, Derivation: old.Derivation}
	switch {
	case req.Kind == client.KindLyrics:
		return e.SubmitLyrics(ctx, req.Prompt)
	case req.Kind == client.KindConcat:
		return e.Concat(ctx, req.ClipID, req.Infill)
	case req.Music != nil:
		return e.Submit(ctx, *req.Music, o)
	}
	return nil, errors.New(i18n.T("studio.err.cannot_resubmit", taskID, string(req.Kind)))
}

// Recheck puts a task back under tracking with a fresh deadline: for timed-out tasks, or to
// look again at a failed one.
func (e *Engine) Recheck(taskID string) (*store.Task, error) {
	if e.st.ReadOnly() {
		return nil, ErrReadOnly
	}
	t, err := e.st.Task(taskID)
	if err != nil {
		return nil, err
	}
	if t.Status == store.TaskTimedOut || t.Status == store.TaskFailed {
		t.Status = store.TaskRunning
		t.Error = ""
	}
	t.Deadline = e.now().Add(e.deadlineFor(client.Kind(t.Kind)))
	t.UpdatedAt = e.now()
	if err := e.st.PutTask(t); err != nil {
		return nil, err
	}
	e.publish(Event{Kind: TaskUpdated, Task: t})
	e.tracker.add(t)
	e.tracker.pollSoon(t.ID)
	return t, nil
}

// Resume re-checks every unfinished task now and retries every download that is not done,
// including those that gave up. It returns how many of each it started.
func (e *Engine) Resume() (tasks, downloads int, err error) {
	if e.st.ReadOnly() {
		return 0, 0, ErrReadOnly
	}
	ts, err := e.st.UnfinishedTasks()
	if err != nil {
		return 0, 0, err
	}
	for _, t := range ts {
		e.tracker.add(t)
		e.tracker.pollSoon(t.ID)
	}
	cs, err := e.st.ClipsNeedingDownload()
	if err != nil {
		return len(ts), 0, err
	}
	for _, c := range cs {
		e.dl.enqueue(c.ID, true)
	}
	return len(ts), len(cs), nil
}

// Settled reports whether a task needs nothing more: finished, and every complete clip's
// files in place (or given up on).
func (e *Engine) Settled(t *store.Task) (bool, error) {
	if !t.Finished() {
		return false, nil
	}
	clips, err := e.st.ClipsOfTask(t.ID)
	if err != nil {
		return false, err
	}
	for _, c := range clips {
		if c.Status == store.ClipComplete && c.Download != store.DownloadDone && c.Download != store.DownloadFailed {
			return false, nil
		}
	}
	return true, nil
}

// Wait blocks until the task is settled (see Settled) or ctx ends, and returns its final
// record. progress, if not nil, sees every event about the task and its clips.
func (e *Engine) Wait(ctx context.Context, taskID string, progress func(Event)) (*store.Task, error) {
	sub := e.Subscribe()
	defer sub.Close()
	for {
		t, err := e.st.Task(taskID)
		if err != nil {
			return nil, err
		}
		if ok, err := e.Settled(t); err != nil || ok {
			return t, err
		}
		select {
		case <-ctx.Done():
			return t, ctx.Err()
		case ev, ok := <-sub.C():
			if !ok {
				return t, i18n.Text("studio.err.engine_stopped")
			}
			if progress != nil && relates(ev, taskID) {
				progress(ev)
			}
		}
	}
}

func relates(ev Event, taskID string) bool {
	switch {
	case ev.Task != nil:
		return ev.Task.ID == taskID
	case ev.Clip != nil:
		return ev.Clip.TaskID == taskID
	}
	return ev.Kind == Problem
}

// FindTaskByBatchKey returns the task a batch line already made, if any.
func (e *Engine) FindTaskByBatchKey(key string) (*store.Task, bool) {
	t, err := e.st.TaskByBatchKey(key)
	if err != nil {
		return nil, false
	}
	return t, true
}

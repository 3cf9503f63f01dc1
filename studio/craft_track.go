package studio

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/store"
)

// Stems splits a clip into vocals and instrumental (relay-api 3.4). The stems become library
// clips under their parent (ParentID, Derivation stem) and download like any other.
//
// How they are tracked: the relay answers the stems themselves, queued, and no task. Each stem
// clip id can be polled like a task id (GET /suno/fetch/{clip} answers a task holding just
// that clip). The request is recorded as one task of kind stems whose ClipIDs are the stems
// and whose id is the first stem's, so the tracker polls it like any task, in the same batch;
// adaptResult then fetches the other stems by id in the same tick and settles the task when
// every stem is. One task per request keeps "stems --wait" and the TUI's task list whole.
func (e *Engine) Stems(ctx context.Context, clipID string) (*store.Task, error) {
	if e.st.ReadOnly() {
		return nil, ErrReadOnly
	}
	src, err := e.finishedClip(clipID)
	if err != nil {
		return nil, err
	}
	req := Request{Kind: client.KindStems, ClipID: src.ID}
	return e.submitWith(req, SubmitOptions{ParentClipID: src.ID, Derivation: store.DeriveStem}, func() (client.Submission, error) {
		sub, err := e.cl.Stems(ctx, src.ID)
		e.noteSupport(client.OpStems, err)
		if err == nil && sub.TaskID == "" && len(sub.Clips) == 0 {
			err = &client.Error{Kind: client.KindMalformed, Op: client.OpStems.Text(), Relay: e.cl.Profile().Name,
				Message: i18n.T("studio.err.no_stems")}
		}
		return sub, err
	})
}

// adaptResult fits what the relay said about a craft task to the library before the tracker
// applies it; music and lyrics tasks pass through unchanged.
func (e *Engine) adaptResult(task *store.Task, rt client.Task) client.Task {
	switch client.Kind(task.Kind) {
	case client.KindStems:
		return e.stemsResult(task, rt)
	case client.KindWAV, client.KindMP4:
		return e.assetResult(task, rt)
	case client.KindMusic:
		if task.Derivation == store.DeriveExtend {
			fillContinueAt(task, rt.Clips)
		}
	}
	return rt
}

// fillContinueAt gives extension clips the point they continue from when the relay does not
// echo it (Suno's metadata.history carries it; flattened relays may not).
func fillContinueAt(task *store.Task, clips []client.Clip) {
	var req Request
	if json.Unmarshal(task.Request, &req) != nil || req.Music == nil || req.Music.ContinueAt == nil {
		return
	}
	for i := range clips {
		if clips[i].ContinueAt == 0 {
			clips[i].ContinueAt = *req.Music.ContinueAt
		}
	}
}

// stemsResult completes a stems task's picture: the relay answered for the first stem only,
// so the others are fetched by id now, and the task is settled when every stem is.
func (e *Engine) stemsResult(task *store.Task, rt client.Task) client.Task {
	want := map[string]bool{}
	for _, id := range task.ClipIDs {
		want[id] = true
	}
	have := map[string]bool{}
	var clips []client.Clip
	add := func(cs []client.Clip) {
		for _, c := range cs {
			if (want[c.ID] || len(want) == 0) && !have[c.ID] {
				have[c.ID] = true
				clips = append(clips, c)
			}
		}
	}
	add(rt.Clips)
	var missing []string
	for _, id := range task.ClipIDs {
		if !have[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
		more, err := e.fetchMany(ctx, missing)
		cancel()
		if err != nil && !errors.Is(err, context.Canceled) {
			e.log.Debug("stems poll", "task", task.ID, "err", err)
		}
		for _, t := range more {
			add(t.Clips)
		}
	}
	rt.Clips = clips
	complete, failed := 0, 0
	reason := ""
	for _, c := range clips {
		switch c.Status {
		case client.ClipComplete:
			complete++
		case client.ClipFailed:
			failed++
			reason = firstNonEmpty(reason, c.Error)
		}
	}
	settled := complete+failed == len(clips) && len(clips) >= len(task.ClipIDs) && len(clips) > 0
	switch {
	case settled && complete > 0:
		rt.Status, rt.Progress = client.StatusSucceeded, 100
	case settled:
		rt.Status, rt.FailReason = client.StatusFailed, firstNonEmpty(rt.FailReason, reason, storedStemsFailed)
	case rt.Status == client.StatusFailed && len(clips) == 0:
		// the relay failed the request outright: believe it
	case rt.Status.Terminal():
		rt.Status = client.StatusRunning // one stem says done, another is still coming
	}
	return rt
}

// fetchMany reads tasks by id in one batch where the dialect has one.
func (e *Engine) fetchMany(ctx context.Context, ids []string) ([]client.Task, error) {
	if e.cl.SupportsBatch() {
		return e.cl.FetchTasks(ctx, ids)
	}
	var out []client.Task
	for _, id := range ids {
		t, err := e.cl.FetchTask(ctx, id, client.KindMusic)
		if err != nil {
			return out, err
		}
		out = append(out, t)
	}
	return out, nil
}

package studio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/store"
)

// WAV and MP4: the relay answers a request with a task id; polling it gives, once the file is
// rendered, the URL of the WAV (audio_url .../<clip>.wav) or the video (video_url .mp4). The
// task is tracked like any other, and it is finished for the library only when the file is in
// the songs folder next to the mp3 (SafePath base + ".wav" / ".mp4"): a restart in between
// resumes it, and "wav --wait" returns when there is a file to open.

// WAV asks for the lossless file of a clip. It returns the task that tracks the request, or,
// when the file is already in the library, its path and no task. A request already under way
// is joined rather than paid for twice.
func (e *Engine) WAV(ctx context.Context, clipID string) (*store.Task, string, error) {
	return e.requestAsset(ctx, clipID, client.KindWAV)
}

// MP4 asks for the music video of a clip; see WAV.
func (e *Engine) MP4(ctx context.Context, clipID string) (*store.Task, string, error) {
	return e.requestAsset(ctx, clipID, client.KindMP4)
}

func assetPath(c *store.Clip, kind client.Kind) string {
	if kind == client.KindWAV {
		return c.WAVPath
	}
	return c.MP4Path
}

func (e *Engine) requestAsset(ctx context.Context, clipID string, kind client.Kind) (*store.Task, string, error) {
	if e.st.ReadOnly() {
		return nil, "", ErrReadOnly
	}
	c, err := e.finishedClip(clipID)
	if err != nil {
		return nil, "", err
	}
	if p := assetPath(c, kind); fileExists(p) {
		return nil, p, nil
	}
	if t := e.pendingAsset(c.ID, kind); t != nil {
		return t, "", nil
	}
	op, ask := client.OpWAV, e.cl.WAV
	if kind == client.KindMP4 {
		op, ask = client.OpMP4, e.cl.MP4
	}
	direct := ""
	t, err := e.submitWith(Request{Kind: kind, ClipID: c.ID}, SubmitOptions{ParentClipID: c.ID}, func() (client.Submission, error) {
		a, err := ask(ctx, c.ID)
		e.noteSupport(op, err)
		if err != nil {
			return client.Submission{}, err
		}
		if a.ID != "" {
			return client.Submission{TaskID: a.ID}, nil
		}
		// Some relays answer the file's URL at once: there is nothing to poll.
		direct = a.URL
		return client.Submission{TaskID: string(kind) + "-" + randomID()}, nil
	})
	if err != nil {
		return nil, "", err
	}
	if direct != "" {
		e.tracker.drop(t.ID)
		e.assets.want(assetJob{task: t.ID, clip: c.ID, kind: kind, url: direct})
	}
	return t, "", nil
}

// pendingAsset is an unfinished request of this kind for the clip, if there is one.
func (e *Engine) pendingAsset(clipID string, kind client.Kind) *store.Task {
	ts, err := e.st.UnfinishedTasks()
	if err != nil {
		return nil
	}
	for _, t := range ts {
		if client.Kind(t.Kind) == kind && t.ParentClipID == clipID && t.Status != store.TaskSubmitting {
			return t
		}
	}
	return nil
}

// assetResult reads a WAV/MP4 task. The relay reports the asset on the source clip itself
// (same clip id, audio_url replaced by the .wav): applied as is it would overwrite the
// library's clip, so the clips are dropped here and the URL goes to the asset loader.
func (e *Engine) assetResult(task *store.Task, rt client.Task) client.Task {
	kind := client.Kind(task.Kind)
	url := ""
	for _, c := range rt.Clips {
		switch {
		case kind == client.KindWAV && c.Status == client.ClipComplete && c.AudioURL != "" &&
			(isWAV("", c.AudioURL) || rt.Status == client.StatusSucceeded):
			url = c.AudioURL
		case kind == client.KindMP4 && c.VideoURL != "" && !c.VideoPending:
			url = c.VideoURL
		}
	}
	rt.Clips = nil
	if reason, gaveUp := e.assets.gaveUp(task.ID); gaveUp {
		rt.Status, rt.FailReason = client.StatusFailed, reason
		return rt
	}
	if rt.Status == client.StatusFailed {
		return rt
	}
	if c, err := e.st.Clip(task.ParentClipID); err == nil && fileExists(assetPath(c, kind)) {
		rt.Status, rt.Progress = client.StatusSucceeded, 100
		return rt
	}
	if url != "" {
		e.assets.want(assetJob{task: task.ID, clip: task.ParentClipID, kind: kind, url: url})
	}
	if rt.Status == client.StatusSucceeded {
		rt.Status = client.StatusRunning // rendered; finished once the file is here
	}
	return rt
}

type assetJob struct {
	task, clip string
	kind       client.Kind
	url        string
}

// assetLoader downloads WAV and MP4 files one at a time (they are large and rare). Each job is
// known by its task id while queued, running or waiting to retry, so the tracker's repeated
// polls do not queue it twice.
type assetLoader struct {
	e      *Engine
	mu     sync.Mutex
	queue  []assetJob
	busy   map[string]bool
	tries  map[string]int
	failed map[string]string // task id -> why it was given up
	timers map[string]*time.Timer
	notify chan struct{}
	done   bool
}

func newAssetLoader(e *Engine) *assetLoader {
	return &assetLoader{e: e, busy: map[string]bool{}, tries: map[string]int{}, failed: map[string]string{},
		timers: map[string]*time.Timer{}, notify: make(chan struct{}, 1)}
}

func (a *assetLoader) want(j assetJob) {
	a.mu.Lock()
	if a.done || a.busy[j.task] || a.failed[j.task] != "" {
		a.mu.Unlock()
		return
	}
	a.busy[j.task] = true
	a.queue = append(a.queue, j)
	a.mu.Unlock()
	select {
	case a.notify <- struct{}{}:
	default:
	}
}

func (a *assetLoader) gaveUp(taskID string) (string, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	r, ok := a.failed[taskID]
	return r, ok
}

func (a *assetLoader) start(ctx context.Context, wg *sync.WaitGroup) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			a.mu.Lock()
			var j assetJob
			if len(a.queue) > 0 {
				j, a.queue = a.queue[0], a.queue[1:]
			}
			a.mu.Unlock()
			if j.task == "" {
				select {
				case <-a.notify:
					continue
				case <-ctx.Done():
					return
				}
			}
			path, err := a.e.fetchAsset(ctx, j)
			if ctx.Err() != nil {
				return // shutting down: the task is unfinished and resumes next start
			}
			if err != nil {
				a.retry(j, err)
			} else {
				a.finish(j, path)
			}
		}
	}()
}

func (a *assetLoader) stop() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.done = true
	for id, t := range a.timers {
		t.Stop()
		delete(a.timers, id)
	}
}

// finish records the file on the clip, then the task as succeeded. The tracker is asked to
// look once more: its own view (adaptResult) now sees the file, so a poll that raced with
// this write cannot leave the task running.
//
// The job stays busy until the task is settled: a poll in between would otherwise queue the
// same download again, and that second copy could land after the clip was deleted.
func (a *assetLoader) finish(j assetJob, path string) {
	e := a.e
	defer func() {
		a.mu.Lock()
		delete(a.busy, j.task)
		delete(a.tries, j.task)
		a.mu.Unlock()
	}()
	_, err := e.updateClip(j.clip, func(c *store.Clip) error {
		if j.kind == client.KindWAV {
			c.WAVPath = path
		} else {
			c.MP4Path = path
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		// The clip was deleted while its file downloaded: the file goes with it.
		os.Remove(path)
		e.settleAsset(j.task, store.TaskFailed, storedClipGone)
		return
	}
	if err != nil {
		e.problem(i18n.Wrap(i18n.T("studio.err.asset_not_recorded", string(j.kind), j.clip, err), err), nil, nil)
		return
	}
	e.log.Info("downloaded", "clip", j.clip, "file", path)
	e.settleAsset(j.task, store.TaskSucceeded, "")
}

// retry schedules another attempt with backoff, or gives up after DownloadRetries and fails
// the task with the reason.
func (a *assetLoader) retry(j assetJob, err error) {
	e := a.e
	a.mu.Lock()
	if a.done {
		delete(a.busy, j.task) // stopping: the task is unfinished and resumes next start
		a.mu.Unlock()
		return
	}
	a.tries[j.task]++
	n := a.tries[j.task]
	if n >= e.o.DownloadRetries {
		delete(a.busy, j.task)
		reason := fmt.Sprintf(storedAssetGaveUp, j.kind, n, err)
		a.failed[j.task] = reason
		a.mu.Unlock()
		e.problem(i18n.Wrap(Localize(reason), err), nil, nil)
		e.settleAsset(j.task, store.TaskFailed, reason)
		return
	}
	a.timers[j.task] = time.AfterFunc(e.o.DownloadBackoff<<(n-1), func() {
		a.mu.Lock()
		delete(a.timers, j.task)
		stopped := a.done
		if !stopped {
			a.queue = append(a.queue, j)
		}
		a.mu.Unlock()
		select {
		case a.notify <- struct{}{}:
		default:
		}
	})
	a.mu.Unlock()
	e.problem(i18n.Wrap(i18n.T("studio.err.asset_failed", string(j.kind), j.clip, n, e.o.DownloadRetries, Localize(err.Error())), err), nil, nil)
}

func (e *Engine) settleAsset(taskID, status, reason string) {
	e.clipMu.Lock() // the tracker writes tasks under clipMu too
	t, err := e.st.Task(taskID)
	if err != nil || t.Finished() {
		e.clipMu.Unlock()
		return
	}
	t.Status, t.Error = status, reason
	if status == store.TaskSucceeded {
		t.Progress = 100
	}
	t.UpdatedAt = e.now()
	t.FinishedAt = t.UpdatedAt
	err = e.st.PutTask(t)
	e.clipMu.Unlock()
	if err != nil {
		e.problem(err, t, nil)
		return
	}
	e.publish(Event{Kind: TaskUpdated, Task: t})
	e.tracker.pollSoon(taskID)
}

// fetchAsset downloads one WAV or MP4 next to the clip's mp3: temp file, verify, rename, like
// the mp3, so a file under its final name is always whole.
func (e *Engine) fetchAsset(ctx context.Context, j assetJob) (string, error) {
	c, err := e.st.Clip(j.clip)
	if err != nil {
		return "", err
	}
	base, err := SafePath(e.o.SongsDir, c.ID)
	if err != nil {
		return "", err
	}
	ext := ".mp4"
	if j.kind == client.KindWAV {
		ext = ".wav"
	}
	final := base + ext
	if (c.LocalPath == final || assetPath(c, j.kind) == final) && fileExists(final) {
		return final, nil // the relay's audio was a WAV to begin with, or it is here already
	}
	resp, err := e.dl.get(ctx, j.url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	part := final + ".part"
	defer os.Remove(part) // a no-op after the rename
	n, err := copyToFile(part, resp.Body, e.o.MaxFileSize, nil)
	switch {
	case err != nil:
		return "", fmt.Errorf(storedFileCut, n, err)
	case n > e.o.MaxFileSize:
		return "", fmt.Errorf(storedFileTooLarge, e.o.MaxFileSize>>20)
	case resp.ContentLength > 0 && n != resp.ContentLength:
		return "", fmt.Errorf(storedFileShort, n, resp.ContentLength)
	}
	if j.kind == client.KindWAV {
		err = verifyAudio(part, ".wav", c.Duration)
	} else {
		err = verifyMP4(part)
	}
	if err != nil {
		return "", err
	}
	if err := os.Rename(part, final); err != nil {
		return "", err
	}
	syncDir(filepath.Dir(final))
	return final, nil
}

// verifyMP4 checks for the "ftyp" box every MP4 starts with: an HTML error page or a cut
// header is not a video.
func verifyMP4(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	hdr := make([]byte, 12)
	if _, err := io.ReadFull(f, hdr); err != nil || string(hdr[4:8]) != "ftyp" {
		return errors.New(storedNotMP4)
	}
	size := int64(hdr[0])<<24 | int64(hdr[1])<<16 | int64(hdr[2])<<8 | int64(hdr[3])
	if st, err := f.Stat(); err == nil && (size < 8 || size > st.Size()) {
		return errors.New(storedMP4Short)
	}
	return nil
}

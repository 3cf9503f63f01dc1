package studio

import (
	"context"
	"errors"
	"sync"
	"time"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/store"
)

// maxBatch bounds the ids in one batch fetch; relays answer from an SQL IN list.
const maxBatch = 100

// missLimit is how many batch replies may omit a task before we ask for it alone: relays
// silently drop unknown ids from batches (relay-api 2.4), so only a single fetch can say
// "not found".
const missLimit = 3

type tracked struct {
	id       string
	kind     client.Kind
	next     time.Time
	interval time.Duration
	deadline time.Time
	misses   int
}

// tracker owns polling. It sleeps on a channel when nothing is pending, so an idle studio
// runs no timers at all.
type tracker struct {
	e       *Engine
	wake    chan struct{}
	mu      sync.Mutex
	pending map[string]*tracked
	// batchInterval is the shared backoff of the task dialect, where one request covers all.
	batchInterval time.Duration
}

func newTracker(e *Engine) *tracker {
	return &tracker{e: e, wake: make(chan struct{}, 1), pending: map[string]*tracked{}, batchInterval: e.o.PollBase}
}

func (t *tracker) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.pending)
}

// add starts tracking a task (again). A new task resets the batch backoff: it will change soon.
func (t *tracker) add(task *store.Task) {
	if task.Finished() || task.Status == store.TaskSubmitting {
		return // an intent has no relay id to poll
	}
	now := t.e.now()
	t.mu.Lock()
	tr, ok := t.pending[task.ID]
	if !ok {
		tr = &tracked{id: task.ID, kind: client.Kind(task.Kind)}
		t.pending[task.ID] = tr
	}
	tr.interval = t.e.o.PollBase
	tr.next = now.Add(t.e.o.PollBase)
	tr.deadline = task.Deadline
	t.batchInterval = t.e.o.PollBase
	t.mu.Unlock()
	t.poke()
}

// pollSoon makes the next poll of a task happen now.
func (t *tracker) pollSoon(id string) {
	t.mu.Lock()
	if tr, ok := t.pending[id]; ok {
		tr.next = time.Time{}
	}
	t.mu.Unlock()
	t.poke()
}

func (t *tracker) poke() {
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

func (t *tracker) drop(id string) {
	t.mu.Lock()
	delete(t.pending, id)
	t.mu.Unlock()
}

// nextWake is when the earliest task is due; ok is false when nothing is pending.
func (t *tracker) nextWake() (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var first time.Time
	for _, tr := range t.pending {
		at := tr.next
		if !tr.deadline.IsZero() && tr.deadline.Before(at) {
			at = tr.deadline
		}
		if first.IsZero() || at.Before(first) {
			first = at
		}
	}
	return first, len(t.pending) > 0
}

func (t *tracker) run(ctx context.Context) {
	for {
		if ctx.Err() != nil {
			return // tick gives up on a cancelled ctx without rescheduling: never spin on it
		}
		at, ok := t.nextWake()
		if !ok {
			select {
			case <-t.wake:
				continue
			case <-ctx.Done():
				return
			}
		}
		wait := at.Sub(t.e.now())
		if wait > 0 {
			timer := time.NewTimer(wait)
			select {
			case <-timer.C:
			case <-t.wake:
				timer.Stop()
				continue
			case <-ctx.Done():
				timer.Stop()
				return
			}
		}
		t.tick(ctx)
	}
}

// tick handles deadlines, then polls what is due.
func (t *tracker) tick(ctx context.Context) {
	now := t.e.now()
	var expired []string
	var due []*tracked
	t.mu.Lock()
	for id, tr := range t.pending {
		if !tr.deadline.IsZero() && !now.Before(tr.deadline) {
			expired = append(expired, id)
			delete(t.pending, id)
			continue
		}
		if !now.Before(tr.next) {
			c := *tr
			due = append(due, &c)
		}
	}
	t.mu.Unlock()
	for _, id := range expired {
		t.timeOut(id)
	}
	if len(due) == 0 {
		return
	}
	batch := t.e.cl.SupportsBatch()
	batched := false
	for _, tr := range due {
		if ctx.Err() != nil {
			return
		}
		switch {
		case tr.kind == client.KindChat || !batch:
			t.pollOne(ctx, tr)
		case !batched:
			t.pollBatch(ctx) // one request covers every pending relay task
			batched = true
		}
	}
}

// pollBatch fetches every pending task in one request (several only beyond maxBatch ids).
func (t *tracker) pollBatch(ctx context.Context) {
	t.mu.Lock()
	ids := make([]string, 0, len(t.pending))
	for id, tr := range t.pending {
		if tr.kind != client.KindChat { // chats have no relay task id; pollChat follows them
			ids = append(ids, id)
		}
	}
	t.mu.Unlock()
	changed := false
	var failure error
	seen := map[string]bool{}
	for start := 0; start < len(ids); start += maxBatch {
		end := min(start+maxBatch, len(ids))
		tasks, err := t.e.cl.FetchTasks(ctx, ids[start:end])
		if err != nil {
			failure = err
			break
		}
		for _, rt := range tasks {
			seen[rt.ID] = true
			if t.apply(rt) {
				changed = true
			}
		}
	}
	now := t.e.now()
	var lonely []*tracked
	t.mu.Lock()
	switch {
	case failure != nil:
		t.batchInterval = t.backoffAfter(failure, t.batchInterval)
	case changed:
		t.batchInterval = t.e.o.PollBase
	default:
		t.batchInterval = min(t.batchInterval*2, t.e.o.PollMax)
	}
	for _, tr := range t.pending {
		if tr.kind == client.KindChat {
			continue
		}
		tr.next = now.Add(t.batchInterval)
		if failure == nil && !seen[tr.id] {
			tr.misses++
			if tr.misses >= missLimit {
				tr.misses = 0
				c := *tr
				lonely = append(lonely, &c)
			}
		} else if seen[tr.id] {
			tr.misses = 0
		}
	}
	t.mu.Unlock()
	if failure != nil {
		t.reportPollError(failure)
	}
	for _, tr := range lonely {
		t.pollOne(ctx, tr)
	}
}

// pollOne fetches one task (GoAmz, or a task the batch keeps omitting).
func (t *tracker) pollOne(ctx context.Context, tr *tracked) {
	var rt client.Task
	var err error
	if tr.kind == client.KindChat {
		rt, err = t.pollChat(ctx, tr)
	} else {
		rt, err = t.e.cl.FetchTask(ctx, tr.id, tr.kind)
	}
	now := t.e.now()
	if err != nil {
		if tr.kind == client.KindChat && errors.Is(err, client.ErrUnsupported) {
			t.fail(tr.id, errNoFeed.Error())
			return
		}
		if errors.Is(err, client.ErrNotFound) {
			t.fail(tr.id, storedTaskUnknown)
			return
		}
		t.mu.Lock()
		if p, ok := t.pending[tr.id]; ok {
			p.interval = t.backoffAfter(err, p.interval)
			p.next = now.Add(p.interval)
		}
		t.mu.Unlock()
		t.reportPollError(err)
		return
	}
	if rt.ID == "" {
		rt.ID = tr.id
	}
	changed := t.apply(rt)
	t.mu.Lock()
	if p, ok := t.pending[tr.id]; ok {
		if changed {
			p.interval = t.e.o.PollBase
		} else {
			p.interval = min(p.interval*2, t.e.o.PollMax)
		}
		p.next = now.Add(p.interval)
	}
	t.mu.Unlock()
}

// backoffAfter is the next interval after a failed poll: the relay's Retry-After when it sent
// one, else double.
func (t *tracker) backoffAfter(err error, cur time.Duration) time.Duration {
	var ce *client.Error
	if errors.As(err, &ce) && ce.RetryAfter > 0 {
		return ce.RetryAfter
	}
	return min(max(cur*2, t.e.o.PollBase), t.e.o.PollMax)
}

func (t *tracker) reportPollError(err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	t.e.problem(err, nil, nil)
}

// apply persists what the relay said about a task and its clips, publishes the changes and
// queues downloads. It reports whether anything changed.
func (t *tracker) apply(rt client.Task) bool {
	e := t.e
	// One clip id the library cannot store (a NUL, say) must not block the rest of the reply:
	// drop it and say so, instead of failing the whole write on every poll.
	kept := rt.Clips[:0:0]
	for _, c := range rt.Clips {
		if err := store.ValidID(c.ID); err != nil {
			e.problem(i18n.Wrap(i18n.T("studio.err.clip_left_out", err), err), nil, nil)
			continue
		}
		kept = append(kept, c)
	}
	rt.Clips = kept
	task, err := e.st.Task(rt.ID)
	if err != nil {
		return false // not ours (a relay answering with a foreign id); ignore
	}
	rt = e.adaptResult(task, rt) // stems, WAV/MP4 and extensions need a word first (craft_track.go)
	now := e.now()
	e.clipMu.Lock()
	changed := applyTask(task, rt)
	var changedClips []*store.Clip
	for _, rc := range rt.Clips {
		c, err := e.st.Clip(rc.ID)
		if err != nil {
			c = newClip(task, now)
		}
		if applyClip(c, rc) || err != nil {
			c.UpdatedAt = now
			changedClips = append(changedClips, c)
		}
	}
	// A task is finished for us only when its clips are: a relay that says SUCCESS while a
	// clip still streams gets polled until the final URL appears (client settles this).
	if task.Finished() && task.FinishedAt.IsZero() {
		task.FinishedAt = now
		changed = true
	}
	if changed || len(changedClips) > 0 {
		task.UpdatedAt = now
		if err := e.st.PutTaskAndClips(task, changedClips); err != nil {
			e.clipMu.Unlock()
			e.problem(err, task, nil)
			return false
		}
	}
	e.clipMu.Unlock()
	if task.Finished() {
		t.drop(task.ID)
	}
	if !changed && len(changedClips) == 0 {
		return false
	}
	e.publish(Event{Kind: TaskUpdated, Task: task})
	for _, c := range changedClips {
		e.publish(Event{Kind: ClipUpdated, Clip: c})
		if c.Status == store.ClipComplete && c.AudioURL != "" && c.Download != store.DownloadDone {
			e.dl.enqueue(c.ID, false)
		}
	}
	return true
}

// timeOut marks a task that passed its deadline. It can be re-checked by hand.
func (t *tracker) timeOut(id string) {
	t.setFinal(id, store.TaskTimedOut, storedTimedOut)
}

func (t *tracker) fail(id, reason string) {
	t.drop(id)
	t.setFinal(id, store.TaskFailed, reason)
}

func (t *tracker) setFinal(id, status, reason string) {
	e := t.e
	task, err := e.st.Task(id)
	if err != nil || task.Finished() {
		return
	}
	task.Status, task.Error = status, reason
	task.UpdatedAt = e.now()
	task.FinishedAt = task.UpdatedAt
	if err := e.st.PutTask(task); err != nil {
		e.problem(err, task, nil)
		return
	}
	e.publish(Event{Kind: TaskUpdated, Task: task})
}

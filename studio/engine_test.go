package studio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/client/sim"
	"sunostudio/internal/mp3scan"
	"sunostudio/store"
)

// recorder keeps every relay request the client makes, with its body.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
	next http.RoundTripper
}

type recorded struct {
	at     time.Time
	method string
	path   string
	body   string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, recorded{time.Now(), req.Method, req.URL.Path, string(body)})
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func (r *recorder) matching(method, prefix string) []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []recorded
	for _, q := range r.reqs {
		if q.method == method && strings.HasPrefix(q.path, prefix) {
			out = append(out, q)
		}
	}
	return out
}

type harness struct {
	t    *testing.T
	sim  *sim.Sim
	st   *store.Store
	cl   *client.Client
	eng  *Engine
	rec  *recorder
	dir  string
	opts Options
}

func newHarness(t *testing.T, so sim.Options, dialect client.Dialect, eo Options) *harness {
	t.Helper()
	if so.SongSeconds == 0 {
		so.SongSeconds = 6
	}
	s, err := sim.Start(so)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	h := &harness{t: t, sim: s, dir: t.TempDir(), rec: &recorder{next: http.DefaultTransport}}
	h.cl, err = client.New(client.Profile{Name: "sim", BaseURL: s.URL(), APIKey: s.Key(), Dialect: dialect},
		client.WithHTTPClient(&http.Client{Transport: h.rec}), client.WithRetry(1, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	h.st, err = store.Open(filepath.Join(h.dir, "library.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.st.Close() })
	if eo.PollBase == 0 {
		eo.PollBase, eo.PollMax = 10*time.Millisecond, 40*time.Millisecond
	}
	if eo.DownloadBackoff == 0 {
		eo.DownloadBackoff = 10 * time.Millisecond
	}
	if eo.MediaClient == nil {
		eo.MediaClient = &http.Client{Transport: h.rec}
	}
	h.opts = eo
	h.start()
	return h
}

func (h *harness) start() {
	o := h.opts
	o.Client, o.Store, o.SongsDir, o.Profile = h.cl, h.st, filepath.Join(h.dir, "songs"), "sim"
	eng, err := New(o)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := eng.Start(); err != nil {
		h.t.Fatal(err)
	}
	h.eng = eng
	h.t.Cleanup(eng.Close)
}

func (h *harness) wait(id string) *store.Task {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	t, err := h.eng.Wait(ctx, id, nil)
	if err != nil {
		h.t.Fatalf("wait %s: %v", id, err)
	}
	return t
}

func inspiration(desc string) client.MusicRequest {
	return client.MusicRequest{Mode: client.ModeInspiration, Description: desc}
}

func TestSubmitPersistsBeforeReturning(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: time.Hour}, client.DialectTask, Options{})
	task, err := h.eng.Submit(context.Background(), inspiration("夏天的海边"), SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := h.st.Task(task.ID)
	if err != nil {
		t.Fatalf("the task is not in the library when Submit returns: %v", err)
	}
	var req Request
	if stored.Status != store.TaskPending || json.Unmarshal(stored.Request, &req) != nil || req.Music.Description != "夏天的海边" {
		t.Errorf("stored = %+v (request %s)", stored, stored.Request)
	}
	if stored.Deadline.IsZero() || stored.Profile != "sim" {
		t.Errorf("deadline/profile = %v %q", stored.Deadline, stored.Profile)
	}
	if h.eng.Pending() != 1 {
		t.Errorf("pending = %d", h.eng.Pending())
	}
}

func TestGenerateToDownloadedFiles(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 15 * time.Millisecond}, client.DialectTask, Options{})
	task, err := h.eng.Submit(context.Background(), inspiration("rainy night jazz"), SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	final := h.wait(task.ID)
	if final.Status != store.TaskSucceeded || final.FinishedAt.IsZero() || final.Progress != 100 {
		t.Fatalf("task = %+v", final)
	}
	clips, _ := h.st.ClipsOfTask(task.ID)
	if len(clips) != 2 {
		t.Fatalf("clips = %d", len(clips))
	}
	for _, c := range clips {
		if c.Status != store.ClipComplete || c.Download != store.DownloadDone || c.Title == "" {
			t.Fatalf("clip = %+v", c)
		}
		f, err := os.Open(c.LocalPath)
		if err != nil {
			t.Fatal(err)
		}
		info, err := mp3scan.Scan(f)
		f.Close()
		if err != nil || info.Truncated || abs(info.Duration().Seconds()-c.Duration) > 0.05 {
			t.Errorf("%s: %+v %v (relay said %.2fs)", c.LocalPath, info, err, c.Duration)
		}
		if filepath.Dir(c.LocalPath) != h.eng.SongsDir() || !fileExists(c.CoverPath) || !fileExists(c.LyricsPath) {
			t.Errorf("files: %q %q %q", c.LocalPath, c.CoverPath, c.LyricsPath)
		}
		parts, _ := filepath.Glob(filepath.Join(h.eng.SongsDir(), "*.part"))
		if len(parts) != 0 {
			t.Errorf("temp files left: %v", parts)
		}
	}
	// Wait returns when the last file is recorded; the worker clears its bookkeeping just after.
	for deadline := time.Now().Add(2 * time.Second); !h.eng.Idle(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the engine should be idle when everything is done")
		}
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// fakeClock is a settable clock for driving the tracker tick by tick.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// manualEngine is an engine whose tracker does not run by itself: the test calls tick, with a
// fake clock, so intervals are checked exactly rather than by wall time.
func manualEngine(t *testing.T, h *harness, o Options) (*Engine, *fakeClock) {
	t.Helper()
	h.eng.Close()
	clock := &fakeClock{now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	o.Client, o.Store, o.SongsDir, o.Now = h.cl, h.st, filepath.Join(h.dir, "songs"), clock.Now
	e, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e, clock
}

func TestOneBatchFetchPerTickForAllPendingTasks(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: time.Hour}, client.DialectTask, Options{})
	e, clock := manualEngine(t, h, Options{PollBase: time.Second, PollMax: time.Second})
	var ids []string
	for i := 0; i < 7; i++ {
		task, err := e.Submit(context.Background(), inspiration("song"), SubmitOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, task.ID)
	}
	h.sim.ResetCounts()
	for tick := 1; tick <= 5; tick++ {
		clock.Add(time.Second)
		e.tracker.tick(context.Background())
		if n := h.sim.Requests("POST /suno/fetch"); n != tick {
			t.Fatalf("after %d ticks the relay counted %d batch fetches for 7 pending tasks", tick, n)
		}
	}
	if n := h.sim.Requests("GET /suno/fetch/{id}"); n != 0 {
		t.Errorf("%d single fetches: the task dialect must poll in batches", n)
	}
	batches := h.rec.matching("POST", "/suno/fetch")
	for _, b := range batches[len(batches)-5:] {
		for _, id := range ids {
			if !strings.Contains(b.body, id) {
				t.Fatalf("batch %s lacks %s", b.body, id)
			}
		}
	}
	// A tick before anything is due asks nothing.
	e.tracker.tick(context.Background())
	if n := h.sim.Requests("POST /suno/fetch"); n != 5 {
		t.Errorf("a tick with nothing due polled (%d requests)", n)
	}
}

func TestBackoffWhileNothingChanges(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: time.Hour}, client.DialectTask, Options{})
	e, clock := manualEngine(t, h, Options{PollBase: time.Second, PollMax: 8 * time.Second})
	if _, err := e.Submit(context.Background(), inspiration("slow"), SubmitOptions{}); err != nil {
		t.Fatal(err)
	}
	// The first answer changes the task (pending -> submitted), so the interval stays at the
	// base; then nothing changes and it doubles up to PollMax.
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}
	for i, w := range want {
		at, ok := e.tracker.nextWake()
		if !ok {
			t.Fatal("nothing pending")
		}
		clock.Add(at.Sub(clock.Now()))
		e.tracker.tick(context.Background())
		if got := e.tracker.batchInterval; got != w {
			t.Fatalf("poll %d: interval %v, want %v", i+1, got, w)
		}
	}
	// A new submission resets the backoff: it will change soon.
	e.Submit(context.Background(), inspiration("new"), SubmitOptions{})
	if got := e.tracker.batchInterval; got != time.Second {
		t.Errorf("after a new task the interval is %v", got)
	}
}

func TestGoAmzPollsEachTaskAndCompletes(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 10 * time.Millisecond}, client.DialectGoAmz, Options{})
	a, err := h.eng.Submit(context.Background(), inspiration("a"), SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := h.eng.Submit(context.Background(), client.MusicRequest{Mode: client.ModeCustom, Lyrics: "[Verse]\nla", Title: "B", Tags: "pop"}, SubmitOptions{})
	for _, id := range []string{a.ID, b.ID} {
		if got := h.wait(id); got.Status != store.TaskSucceeded {
			t.Fatalf("task %s = %+v", id, got)
		}
		if len(h.rec.matching("GET", "/suno/v1/music/"+id)) == 0 {
			t.Errorf("no GET for %s", id)
		}
	}
	if n := len(h.rec.matching("POST", "/suno/fetch")); n != 0 {
		t.Errorf("goamz made %d batch requests", n)
	}
}

func TestNoPollingWhenNothingIsPending(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 5 * time.Millisecond}, client.DialectTask, Options{})
	task, _ := h.eng.Submit(context.Background(), inspiration("x"), SubmitOptions{})
	h.wait(task.ID)
	before := len(h.rec.reqs)
	time.Sleep(200 * time.Millisecond)
	h.rec.mu.Lock()
	after := len(h.rec.reqs)
	h.rec.mu.Unlock()
	// The quota refresh after a submit may land late; polls must not.
	if polls := len(h.rec.matching("POST", "/suno/fetch")); after != before && polls > 0 {
		for _, r := range h.rec.reqs[before:] {
			if strings.Contains(r.path, "fetch") {
				t.Fatalf("polled %s with nothing pending", r.path)
			}
		}
	}
	for deadline := time.Now().Add(2 * time.Second); h.eng.Pending() != 0 || !h.eng.Idle(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("pending=%d idle=%v", h.eng.Pending(), h.eng.Idle())
		}
	}
}

func TestRetryAfterOn429(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: time.Hour}, client.DialectTask,
		Options{PollBase: 10 * time.Millisecond, PollMax: 20 * time.Millisecond})
	h.sim.Inject(sim.Fault{Path: "/suno/fetch", Method: "POST", Kind: sim.FaultRateLimit, RetryAfter: 1, Times: 2})
	sub := h.eng.Subscribe()
	defer sub.Close()
	h.eng.Submit(context.Background(), inspiration("x"), SubmitOptions{})
	select {
	case ev := <-waitFor(sub, func(ev Event) bool { return ev.Kind == Problem }):
		if !errors.Is(ev.Err, client.ErrRateLimited) {
			t.Fatalf("problem = %v", ev.Err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no rate-limit problem reported")
	}
	time.Sleep(1500 * time.Millisecond)
	b := h.rec.matching("POST", "/suno/fetch")
	// The client retries a 429 once itself (WithRetry 1, honouring Retry-After); then the
	// tracker waits Retry-After before its next tick. So the calls are about 1 s apart.
	for i := 1; i < len(b) && i < 3; i++ {
		if gap := b[i].at.Sub(b[i-1].at); gap < 900*time.Millisecond {
			t.Errorf("call %d came %v after the previous one despite Retry-After: 1", i, gap)
		}
	}
}

func waitFor(sub *Subscription, match func(Event) bool) <-chan Event {
	out := make(chan Event, 1)
	go func() {
		for ev := range sub.C() {
			if match(ev) {
				out <- ev
				return
			}
		}
	}()
	return out
}

func TestDeadlineTimesOutAndRecheckRecovers(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: time.Hour}, client.DialectTask, Options{TaskDeadline: 150 * time.Millisecond})
	task, _ := h.eng.Submit(context.Background(), inspiration("never"), SubmitOptions{})
	final := h.wait(task.ID)
	if final.Status != store.TaskTimedOut || final.Error == "" {
		t.Fatalf("task = %+v", final)
	}
	if h.eng.Pending() != 0 {
		t.Error("a timed-out task is no longer tracked")
	}
	h.sim.Complete(task.ID)
	if _, err := h.eng.Recheck(task.ID); err != nil {
		t.Fatal(err)
	}
	if got := h.wait(task.ID); got.Status != store.TaskSucceeded {
		t.Fatalf("after re-check: %+v", got)
	}
}

func TestPolicyFailureIsReportedInWords(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 5 * time.Millisecond}, client.DialectTask, Options{})
	task, _ := h.eng.Submit(context.Background(), inspiration("sim:policy forbidden song"), SubmitOptions{})
	final := h.wait(task.ID)
	if final.Status != store.TaskFailed || final.Error == "" {
		t.Fatalf("task = %+v", final)
	}
	clips, _ := h.st.ClipsOfTask(task.ID)
	for _, c := range clips {
		if c.Status != store.ClipFailed || c.Error == "" || c.LocalPath != "" {
			t.Errorf("clip = %+v", c)
		}
	}
}

func TestLyricsTask(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 5 * time.Millisecond}, client.DialectTask, Options{})
	task, err := h.eng.SubmitLyrics(context.Background(), "关于猫的摇滚")
	if err != nil {
		t.Fatal(err)
	}
	final := h.wait(task.ID)
	if final.Status != store.TaskSucceeded || final.LyricsText == "" || final.Kind != "lyrics" {
		t.Fatalf("task = %+v", final)
	}
}

func TestDownloadRetriesThenSucceeds(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 5 * time.Millisecond}, client.DialectTask, Options{})
	h.sim.Inject(sim.Fault{Path: "/cdn/", Method: "GET", Kind: sim.FaultServerError, Times: 2})
	task, _ := h.eng.Submit(context.Background(), inspiration("x"), SubmitOptions{})
	h.wait(task.ID)
	clips, _ := h.st.ClipsOfTask(task.ID)
	for _, c := range clips {
		if c.Download != store.DownloadDone || !fileExists(c.LocalPath) || c.DownloadAttempts != 0 {
			t.Errorf("clip = %+v", c)
		}
	}
}

func TestTruncatedDownloadNeverLooksFinished(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 5 * time.Millisecond}, client.DialectTask, Options{DownloadRetries: 2})
	// Two clips, two tries each: exactly four cut audio downloads, then whole files again.
	h.sim.Inject(sim.Fault{Path: "/cdn/", Method: "GET", Kind: sim.FaultTruncated, Times: 4})
	task, _ := h.eng.Submit(context.Background(), inspiration("x"), SubmitOptions{})
	h.wait(task.ID)
	clips, _ := h.st.ClipsOfTask(task.ID)
	if len(clips) == 0 {
		t.Fatal("no clips")
	}
	for _, c := range clips {
		if c.Download != store.DownloadFailed || c.LocalPath != "" || c.DownloadError == "" || c.DownloadAttempts != 2 {
			t.Errorf("clip = %+v", c)
		}
	}
	files, _ := os.ReadDir(h.eng.SongsDir())
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".mp3") || strings.HasSuffix(f.Name(), ".part") {
			t.Errorf("file %s exists after failed downloads", f.Name())
		}
	}
	// Retried by hand once the relay serves whole files again.
	if err := h.eng.RetryDownload(clips[0].ID); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c, _ := h.st.Clip(clips[0].ID)
		if c.Download == store.DownloadDone && fileExists(c.LocalPath) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("manual retry did not download")
}

func TestResumeAfterRestart(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 100 * time.Millisecond}, client.DialectTask, Options{})
	task, _ := h.eng.Submit(context.Background(), inspiration("resume me"), SubmitOptions{})
	h.eng.Close() // "crash" before anything finished
	if got, _ := h.st.Task(task.ID); got.Finished() {
		t.Fatalf("finished too early: %+v", got)
	}
	// A completed clip whose file is missing is downloaded on start too.
	orphan := &store.Clip{ID: "orphan-1", TaskID: "none", Title: "orphan", Status: store.ClipComplete,
		Download: store.DownloadPending, AudioURL: h.sim.URL() + "/cdn/missing.mp3"}
	h.st.PutClip(orphan)
	stale := filepath.Join(h.eng.SongsDir(), "half.mp3.part")
	os.WriteFile(stale, []byte("half a song"), 0o644)
	h.start()
	if fileExists(stale) {
		t.Error("a killed run's temp file survived the restart")
	}
	if got := h.wait(task.ID); got.Status != store.TaskSucceeded {
		t.Fatalf("after restart: %+v", got)
	}
	clips, _ := h.st.ClipsOfTask(task.ID)
	for _, c := range clips {
		if !fileExists(c.LocalPath) {
			t.Errorf("not downloaded after restart: %+v", c)
		}
	}
	if len(h.rec.matching("GET", "/cdn/missing.mp3")) == 0 {
		t.Error("the orphan clip's download was not resumed")
	}
}

func TestEventsArePublishedAfterPersisting(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 10 * time.Millisecond}, client.DialectTask, Options{})
	sub := h.eng.Subscribe()
	defer sub.Close()
	task, _ := h.eng.Submit(context.Background(), inspiration("x"), SubmitOptions{})
	var mismatches []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range sub.C() {
			if ev.Kind == TaskUpdated && ev.Task.ID == task.ID {
				stored, err := h.st.Task(task.ID)
				if err != nil || (stored.UpdatedAt.Before(ev.Task.UpdatedAt)) {
					mismatches = append(mismatches, ev.Task.Status)
				}
				if ev.Task.Finished() {
					return
				}
			}
		}
	}()
	h.wait(task.ID)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("no final task event")
	}
	if len(mismatches) > 0 {
		t.Errorf("events ahead of the store: %v", mismatches)
	}
}

func TestUserEditsSurviveTrackerUpdates(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 30 * time.Millisecond}, client.DialectTask, Options{})
	task, _ := h.eng.Submit(context.Background(), inspiration("x"), SubmitOptions{})
	var id string
	for id == "" {
		if t2, _ := h.st.Task(task.ID); len(t2.ClipIDs) > 0 {
			id = t2.ClipIDs[0]
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := h.eng.SetFavorite(id, true); err != nil {
		t.Fatal(err)
	}
	if _, err := h.eng.Rename(id, "我的歌"); err != nil {
		t.Fatal(err)
	}
	h.wait(task.ID)
	c, _ := h.st.Clip(id)
	if !c.Favorite || c.Title != "我的歌" || c.OriginalTitle == "" || c.Status != store.ClipComplete {
		t.Errorf("clip = %+v", c)
	}
}

func TestRetryResubmitsTheSameRequest(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 5 * time.Millisecond}, client.DialectTask, Options{})
	req := client.MusicRequest{Mode: client.ModeCustom, Lyrics: "[Verse]\n重来", Title: "Again", Tags: "rock", NegativeTags: "jazz"}
	first, _ := h.eng.Submit(context.Background(), req, SubmitOptions{})
	second, err := h.eng.Retry(context.Background(), first.ID)
	if err != nil || second.ID == first.ID {
		t.Fatalf("retry: %+v %v", second, err)
	}
	bodies := h.rec.matching("POST", "/suno/submit/music")
	if len(bodies) != 2 || bodies[0].body != bodies[1].body {
		t.Errorf("resubmitted body differs:\n%s\n%s", bodies[0].body, bodies[1].body)
	}
}

func TestSafePath(t *testing.T) {
	dir := t.TempDir()
	for _, id := range []string{"../../etc/passwd", "a/b", "..", "x\x00y", "/abs", "name.mp3", strings.Repeat("z", 300), "歌"} {
		p, err := SafePath(dir, id)
		if err != nil {
			if id == ".." {
				continue
			}
			t.Errorf("%q: %v", id, err)
			continue
		}
		if filepath.Dir(p) != dir || strings.ContainsRune(filepath.Base(p), 0) {
			t.Errorf("%q -> %q escapes %q", id, p, dir)
		}
	}
	a, _ := SafePath(dir, "a/b")
	b, _ := SafePath(dir, "a_b")
	if a == b {
		t.Error("distinct ids must give distinct files")
	}
	if p, _ := SafePath(dir, "3435e194-50e7-4edc-9442-bffe072fccfc"); filepath.Base(p) != "3435e194-50e7-4edc-9442-bffe072fccfc" {
		t.Errorf("a plain uuid should be kept as is: %q", p)
	}
}

func TestSubmitIntents(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: time.Hour}, client.DialectTask, Options{})
	// A clear refusal: nothing was made, nothing is kept.
	h.sim.Inject(sim.Fault{Path: "/suno/submit/music", Kind: sim.FaultUnauthorized})
	if _, err := h.eng.Submit(context.Background(), inspiration("x"), SubmitOptions{}); !errors.Is(err, client.ErrAuth) {
		t.Fatalf("err = %v", err)
	}
	if all, _ := h.st.Tasks(0); len(all) != 0 {
		t.Fatalf("a refused submit left %+v", all[0])
	}
	// An unclear answer: the relay may have made it, so the record stays, failed, in words.
	h.sim.Inject(sim.Fault{Path: "/suno/submit/music", Kind: sim.FaultBadGateway})
	if _, err := h.eng.Submit(context.Background(), inspiration("x"), SubmitOptions{}); !errors.Is(err, client.ErrUpstream) {
		t.Fatalf("err = %v", err)
	}
	all, _ := h.st.Tasks(0)
	if len(all) != 1 || all[0].Status != store.TaskFailed || !strings.Contains(all[0].Error, "may have accepted") || len(all[0].Request) == 0 {
		t.Fatalf("tasks = %+v", all)
	}
	// An intent left by a killed process is settled on start, not polled.
	h.eng.Close()
	left := &store.Task{ID: "local-dead", Kind: "music", Status: store.TaskSubmitting, Request: []byte(`{"kind":"music"}`)}
	h.st.PutTask(left)
	h.start()
	got, _ := h.st.Task("local-dead")
	if got.Status != store.TaskFailed || !strings.Contains(got.Error, "stopped while the relay was being asked") {
		t.Errorf("leftover intent = %+v", got)
	}
	if h.eng.Pending() != 0 {
		t.Error("an intent must not be polled")
	}
}

func TestFollowPlaysWhileDownloading(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 5 * time.Millisecond}, client.DialectTask, Options{DownloadWorkers: 1})
	// Hold every download back so the clip is complete but not yet on disk.
	h.sim.Inject(sim.Fault{Path: "/cdn/", Method: "GET", Kind: sim.FaultSlow, Delay: 300 * time.Millisecond, Times: -1})
	task, _ := h.eng.Submit(context.Background(), inspiration("follow"), SubmitOptions{})
	var clip *store.Clip
	for deadline := time.Now().Add(10 * time.Second); clip == nil && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		clips, _ := h.st.ClipsOfTask(task.ID)
		if len(clips) == 2 && clips[1].Status == store.ClipComplete {
			clip = clips[1] // the second clip: queued behind the first, so Follow must jump the queue
		}
	}
	if clip == nil {
		t.Fatal("clips never completed")
	}
	path, done, err := h.eng.Follow(context.Background(), clip.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(path, ".part") {
		t.Errorf("while downloading, Follow gives the file being written, got %q", path)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("download never finished")
	}
	got, _ := h.st.Clip(clip.ID)
	if !fileExists(got.LocalPath) || got.Download != store.DownloadDone {
		t.Fatalf("after Follow: %+v", got)
	}
	// Once whole, Follow hands back the library file at once.
	path, done, err = h.eng.Follow(context.Background(), clip.ID)
	if err != nil || path != got.LocalPath || <-done != nil {
		t.Errorf("downloaded clip: %q %v", path, err)
	}
	if _, _, err := h.eng.Follow(context.Background(), "no-such-clip"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown clip: %v", err)
	}
}

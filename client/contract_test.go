package client_test

// Contract tests: the real client against the in-process relay simulator (client/sim), for
// every dialect and every endpoint. Each test starts its own simulator, so every test runs in
// parallel. Faults, content fates, stock new-api and key rules are in contract_faults_test.go,
// chat in contract_chat_test.go, quirks in contract_quirks_test.go and the simulator's state
// file in contract_state_test.go.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/client/sim"
)

// secretKey is distinctive so that a leak into an error text or a log line is easy to spot.
const secretKey = "sk-contract-SECRET-9f3"

// leaks are the spellings of the key that must never appear in an error or a log.
var leaks = []string{secretKey, "contract-SECRET-9f3", "SECRET-9f3"}

// anyKey as sim Options.Key starts a simulator that accepts any non-empty key.
const anyKey = "*"

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// syncBuffer is a log sink shared by the client's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waits records the client's retry waits instead of sleeping them.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.d)
}

// env is one simulator and one client talking to it.
type env struct {
	t     *testing.T
	sim   *sim.Sim
	c     *client.Client
	waits *waits
	logs  *syncBuffer
	key   string
}

// simOpts fills the contract defaults: the secret key, short songs, instant life cycle and a
// fast chat tick.
func simOpts(o sim.Options) sim.Options {
	switch o.Key {
	case anyKey:
		o.Key = ""
	case "":
		o.Key = secretKey
	}
	if o.SongSeconds == 0 {
		o.SongSeconds = 6
	}
	if o.ChatTick == 0 {
		o.ChatTick = 10 * time.Millisecond
	}
	return o
}

func startSim(t *testing.T, o sim.Options) *sim.Sim {
	t.Helper()
	s, err := sim.Start(simOpts(o))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// newEnv starts a simulator and a client of the given dialect with the secret key, recorded
// (not slept) retry waits and a debug log that is checked for the key when the test ends.
func newEnv(t *testing.T, o sim.Options, d client.Dialect, opts ...client.Option) *env {
	t.Helper()
	e := &env{t: t, sim: startSim(t, o), waits: &waits{}, logs: &syncBuffer{}, key: secretKey}
	e.c = e.client(d, secretKey, opts...)
	t.Cleanup(func() {
		for _, l := range leaks {
			if strings.Contains(e.logs.String(), l) {
				t.Errorf("the client log contains the API key (%q)", l)
			}
		}
	})
	return e
}

// client builds another client for the same simulator.
func (e *env) client(d client.Dialect, key string, opts ...client.Option) *client.Client {
	e.t.Helper()
	base := []client.Option{
		client.WithSleep(e.waits.sleep),
		client.WithRetry(3, time.Millisecond),
		client.WithLogger(slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
	}
	c, err := client.New(client.Profile{Name: "sim", BaseURL: e.sim.URL(), APIKey: key, Dialect: d}, append(base, opts...)...)
	if err != nil {
		e.t.Fatal(err)
	}
	if c.Profile().APIKey != "" {
		e.t.Fatal("Profile() must not return the API key")
	}
	return c
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// noErr fails the test on err, after checking that its text does not leak the key.
func noErr(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		noLeak(t, err)
		t.Fatalf("%s: %v (kind %s)", what, err, client.KindOf(err))
	}
}

// wantErr checks that err is a client error of the sentinel's kind and does not leak the key.
func wantErr(t *testing.T, err error, want error, what string) *client.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want one of kind %s", what, client.KindOf(want))
	}
	noLeak(t, err)
	if !errors.Is(err, want) {
		t.Fatalf("%s: got %v (kind %s), want kind %s", what, err, client.KindOf(err), client.KindOf(want))
	}
	var ce *client.Error
	if !errors.As(err, &ce) {
		t.Fatalf("%s: %T is not a *client.Error", what, err)
	}
	return ce
}

func noLeak(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, l := range leaks {
		if strings.Contains(err.Error(), l) {
			t.Errorf("error text leaks the API key: %v", err)
		}
	}
}

// submit submits music and fails the test on error.
func (e *env) submit(r client.MusicRequest) string {
	e.t.Helper()
	sub, err := e.c.SubmitMusic(ctxT(e.t), r)
	noErr(e.t, err, "submit "+string(r.Mode))
	if sub.TaskID == "" {
		e.t.Fatalf("submit %s: no task id: %+v", r.Mode, sub)
	}
	return sub.TaskID
}

// poll fetches a task until it is terminal.
func (e *env) poll(id string, kind client.Kind) client.Task {
	e.t.Helper()
	return pollWith(e.t, e.c, id, kind)
}

func pollWith(t *testing.T, c *client.Client, id string, kind client.Kind) client.Task {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		tk, err := c.FetchTask(ctxT(t), id, kind)
		noErr(t, err, "fetch "+id)
		if tk.Status.Terminal() {
			return tk
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %s still %s after 10s: %+v", id, tk.Status, tk)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// song submits and waits for a custom song, and checks it succeeded with complete clips.
func (e *env) song(r client.MusicRequest) client.Task {
	e.t.Helper()
	tk := e.poll(e.submit(r), client.KindMusic)
	checkSucceeded(e.t, e.sim.URL(), tk)
	return tk
}

// checkSucceeded checks a finished music task: every clip complete, with its final media on
// the simulator's CDN.
func checkSucceeded(t *testing.T, base string, tk client.Task) {
	t.Helper()
	if tk.Status != client.StatusSucceeded || tk.FailReason != "" || len(tk.Clips) == 0 {
		t.Fatalf("task %s: status %s, reason %q, %d clips", tk.ID, tk.Status, tk.FailReason, len(tk.Clips))
	}
	for _, c := range tk.Clips {
		if !uuidRe.MatchString(c.ID) || c.Status != client.ClipComplete || c.Error != "" {
			t.Fatalf("clip %+v not complete", c)
		}
		if c.AudioURL != base+"/cdn/"+c.ID+".mp3" || c.StreamURL != "" || !c.Playable() {
			t.Fatalf("clip %s audio %q stream %q", c.ID, c.AudioURL, c.StreamURL)
		}
		if c.ImageURL != base+"/cdn/image_"+c.ID+".png" || c.ImageLargeURL != base+"/cdn/image_large_"+c.ID+".png" {
			t.Fatalf("clip %s images %q %q", c.ID, c.ImageURL, c.ImageLargeURL)
		}
		if c.Duration <= 0 || c.TaskID == "" {
			t.Fatalf("clip %s duration %v task %q", c.ID, c.Duration, c.TaskID)
		}
	}
}

// get downloads a URL without auth (media), returning status, content type and body.
func get(t *testing.T, url string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctxT(t), "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s body: %v", url, err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// mp3Seconds is the length of one of the simulator's CBR 64 kbps, 44.1 kHz mono mp3s, from
// its size (every frame is 208 or 209 bytes; 1152 samples each).
func mp3Seconds(data []byte) float64 {
	frames := math.Round(float64(len(data)) / (144 * 64000.0 / 44100))
	return frames * 1152 / 44100
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func ptr[T any](v T) *T { return &v }

const verseLyrics = "[Verse]\nWinter rain on the window\nCity lights are low\n\n[Chorus]\nHold on, hold on\nWe are never alone"

// --- Task dialect: every endpoint ---------------------------------------------------------

func TestContractMusicModes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{}, client.DialectTask)
	ctx := ctxT(t)
	base := e.song(client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "City Lights",
		Tags: "emotional punk", Model: "chirp-v4"})
	src := base.Clips[0]
	if src.Title != "City Lights" || src.Tags != "emotional punk" || src.Lyrics != verseLyrics || src.Model != "chirp-v4" ||
		src.ModelVersion != "v4" || src.Type != "gen" {
		t.Fatalf("custom clip: %+v", src)
	}
	persona, err := e.c.CreatePersona(ctx, client.PersonaRequest{RootClipID: src.ID, Name: "Night Singer", Description: "smoky"})
	noErr(t, err, "create persona")
	upload, err := e.c.UploadURL(ctx, "https://example.com/audio/my-demo.mp3")
	noErr(t, err, "upload")

	cases := []struct {
		name  string
		req   client.MusicRequest
		check func(t *testing.T, tk client.Task)
	}{
		{"inspiration", client.MusicRequest{Mode: client.ModeInspiration, Description: "a song about winter rain"},
			func(t *testing.T, tk client.Task) {
				c := tk.Clips[0]
				if len(tk.Clips) != 2 || c.Description != "a song about winter rain" || c.Title == "" || c.Tags == "" ||
					!strings.Contains(c.Lyrics, "[Verse]") || c.Model != "chirp-v3" || c.ModelVersion != "v3.5" {
					t.Fatalf("inspiration clips: %+v", tk.Clips)
				}
			}},
		{"inspiration instrumental", client.MusicRequest{Description: "calm piano", Instrumental: true},
			func(t *testing.T, tk client.Task) {
				if tk.Clips[0].Lyrics != "" {
					t.Fatalf("instrumental has lyrics: %q", tk.Clips[0].Lyrics)
				}
			}},
		{"custom", client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "Rain", Tags: "lofi", NegativeTags: "metal"},
			func(t *testing.T, tk client.Task) {
				for _, c := range tk.Clips {
					if c.Title != "Rain" || c.Tags != "lofi" || c.Lyrics != verseLyrics || c.NegativeTags != "metal" || c.Description != "" {
						t.Fatalf("custom clip: %+v", c)
					}
				}
			}},
		{"custom instrumental, empty lyrics", client.MusicRequest{Mode: client.ModeCustom, Instrumental: true, Lyrics: "ignored",
			Title: "Beijing", Tags: "heavy metal", Model: "chirp-auk"},
			func(t *testing.T, tk client.Task) {
				c := tk.Clips[0]
				if c.Lyrics != "" || c.Title != "Beijing" || c.Tags != "heavy metal" || c.Model != "chirp-auk" || c.ModelVersion != "v4.5" {
					t.Fatalf("instrumental clip: %+v", c)
				}
			}},
		{"continue at 2.5s", client.MusicRequest{Mode: client.ModeContinue, TaskID: base.ID, ContinueClipID: src.ID,
			ContinueAt: ptr(2.5), Lyrics: "[Bridge]\nOne more time"},
			func(t *testing.T, tk client.Task) {
				c := tk.Clips[0]
				// Title and style are inherited from the clip being extended.
				if c.Title != "City Lights" || c.Tags != "emotional punk" || c.Lyrics != "[Bridge]\nOne more time" {
					t.Fatalf("extension clip: %+v", c)
				}
			}},
		{"continue at 0 (kept, not dropped)", client.MusicRequest{Mode: client.ModeContinue, TaskID: base.ID,
			ContinueClipID: src.ID, ContinueAt: ptr(0.0), Lyrics: "[Intro]\nAgain"},
			func(t *testing.T, tk client.Task) {
				// continue_at 0 must reach the relay: the whole song is then the extension
				// alone (absent, the simulator would continue from the end of the parent).
				sub, err := e.c.Concat(ctxT(t), tk.Clips[0].ID, false)
				noErr(t, err, "concat")
				whole := pollWith(t, e.c, sub.TaskID, client.KindMusic).Clips[0]
				if !near(whole.Duration, tk.Clips[0].Duration, 0.011) {
					t.Fatalf("continue_at 0: whole song %.2fs, extension %.2fs", whole.Duration, tk.Clips[0].Duration)
				}
			}},
		{"cover", client.MusicRequest{Mode: client.ModeCover, CoverClipID: src.ID, Tags: "bossa nova"},
			func(t *testing.T, tk client.Task) {
				c := tk.Clips[0]
				// A cover keeps the title and sings the source's lyrics in the new style.
				if c.Title != "City Lights" || c.Tags != "bossa nova" || c.Lyrics != verseLyrics {
					t.Fatalf("cover clip: %+v", c)
				}
			}},
		{"infill 1s-3s", client.MusicRequest{Mode: client.ModeInfill, TaskID: base.ID, ContinueClipID: src.ID,
			InfillStart: 1, InfillEnd: 3, Lyrics: "[Verse]\nnew words"},
			func(t *testing.T, tk client.Task) {
				// A replaced section leaves the song as long as it was.
				if d := tk.Clips[0].Duration; !near(d, src.Duration, 0.011) {
					t.Fatalf("infill duration %v, source %v", d, src.Duration)
				}
			}},
		{"persona", client.MusicRequest{Mode: client.ModePersona, PersonaID: persona.ID, ArtistClipID: src.ID,
			Lyrics: "[Verse]\nin your voice", Title: "Persona Song", Model: "chirp-v4-tau"},
			func(t *testing.T, tk client.Task) {
				if c := tk.Clips[0]; c.Title != "Persona Song" || c.Model != "chirp-v4-tau" {
					t.Fatalf("persona clip: %+v", c)
				}
			}},
		{"upload_extend with task_id", client.MusicRequest{Mode: client.ModeUploadExt, TaskID: upload, ContinueClipID: upload,
			ContinueAt: ptr(2.0), Lyrics: "[Verse]\nafter the upload", Model: "chirp-v4"},
			func(t *testing.T, tk client.Task) {
				if c := tk.Clips[0]; c.Title != "my-demo" || c.Lyrics != "[Verse]\nafter the upload" {
					t.Fatalf("upload_extend clip: %+v", c)
				}
			}},
		// relay-api 9.13: task_id is required whenever continue_clip_id is set. For
		// upload_extend the uploaded id is the only id there is, so the client should send it
		// as task_id too (the simulator, like Suno-API, answers 400 "task_id is empty").
		{"upload_extend with only the upload id", client.MusicRequest{Mode: client.ModeUploadExt, ContinueClipID: upload,
			ContinueAt: ptr(2.0), Lyrics: "[Verse]\nafter the upload"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sub, err := e.c.SubmitMusic(ctxT(t), tc.req)
			noErr(t, err, "submit")
			tk := pollWith(t, e.c, sub.TaskID, client.KindMusic)
			checkSucceeded(t, e.sim.URL(), tk)
			if tk.ID != sub.TaskID || tk.Kind != client.KindMusic || tk.Progress != 100 || len(tk.Clips) != 2 {
				t.Fatalf("task: %+v", tk)
			}
			for _, c := range tk.Clips {
				if c.TaskID != tk.ID {
					t.Fatalf("clip %s task %q, want %q", c.ID, c.TaskID, tk.ID)
				}
			}
			if tk.SubmitTime.IsZero() || tk.FinishTime.Before(tk.SubmitTime) || time.Since(tk.SubmitTime) > time.Minute {
				t.Fatalf("times: submit %v finish %v", tk.SubmitTime, tk.FinishTime)
			}
			if tc.check != nil {
				tc.check(t, tk)
			}
		})
	}
}

func TestContractValidationNeverReachesRelay(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{}, client.DialectTask)
	ctx := ctxT(t)
	bad := []client.MusicRequest{
		{Mode: client.ModeInspiration},
		{Mode: client.ModeCustom},
		{Mode: client.ModeContinue, ContinueClipID: "c"}, // no task id
		{Mode: client.ModeContinue, TaskID: "t", ContinueClipID: "c", ContinueAt: ptr(-1.0)}, // negative
		{Mode: client.ModeCover},
		{Mode: client.ModeInfill, ContinueClipID: "c", InfillStart: 3, InfillEnd: 1},
		{Mode: client.ModePersona},
		{Mode: "remix"},
	}
	for _, r := range bad {
		_, err := e.c.SubmitMusic(ctx, r)
		wantErr(t, err, client.ErrBadRequest, "invalid "+string(r.Mode))
	}
	_, err := e.c.SubmitLyrics(ctx, "  ")
	wantErr(t, err, client.ErrBadRequest, "empty lyrics prompt")
	_, err = e.c.UploadURL(ctx, "file:///etc/passwd")
	wantErr(t, err, client.ErrBadRequest, "upload of a non-http URL")
	if n := e.sim.Requests("POST /suno/submit/music") + e.sim.Requests("POST /suno/submit/lyrics") +
		e.sim.Requests("POST /suno/uploads/audio-url"); n != 0 {
		t.Fatalf("%d invalid requests reached the relay", n)
	}
}

func TestContractLifecycle(t *testing.T) {
	t.Parallel()
	// Real stage time: the poller sees the task go through its stages, the stream URL
	// before the final one, and the audiopipe stream serves the song while it renders.
	e := newEnv(t, sim.Options{StageTime: 60 * time.Millisecond}, client.DialectTask)
	id := e.submit(client.MusicRequest{Description: "a song about trains"})
	seen := map[client.Status]bool{}
	var stream string
	deadline := time.Now().Add(10 * time.Second)
	var tk client.Task
	for {
		var err error
		tk, err = e.c.FetchTask(ctxT(t), id, client.KindMusic)
		noErr(t, err, "fetch")
		seen[tk.Status] = true
		for _, c := range tk.Clips {
			if c.Status == client.ClipStreaming && c.StreamURL != "" && stream == "" {
				stream = c.StreamURL
				if c.AudioURL != "" || !c.Playable() || !client.IsStreamURL(c.StreamURL) {
					t.Fatalf("streaming clip: %+v", c)
				}
			}
		}
		if tk.Status.Terminal() || time.Now().After(deadline) {
			break
		}
		time.Sleep(3 * time.Millisecond)
	}
	checkSucceeded(t, e.sim.URL(), tk)
	if !seen[client.StatusPending] || !seen[client.StatusRunning] || stream == "" {
		t.Fatalf("statuses seen %v, stream URL %q", seen, stream)
	}
	code, ct, body := get(t, stream)
	if code != 200 || ct != "audio/mpeg" || len(body) < 1000 {
		t.Fatalf("audiopipe: %d %s %d bytes", code, ct, len(body))
	}
	code, ct, final := get(t, tk.Clips[0].AudioURL)
	if code != 200 || ct != "audio/mpeg" || !bytes.Equal(body, final) {
		t.Fatalf("final mp3: %d %s, %d bytes, same as stream: %v", code, ct, len(final), bytes.Equal(body, final))
	}
	if !near(mp3Seconds(final), tk.Clips[0].Duration, 0.011) {
		t.Fatalf("mp3 lasts %.3fs, clip says %.3fs", mp3Seconds(final), tk.Clips[0].Duration)
	}
}

func TestContractLyrics(t *testing.T) {
	t.Parallel()
	for _, d := range []client.Dialect{client.DialectTask, client.DialectGoAmz} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Options{StageTime: 20 * time.Millisecond}, d)
			sub, err := e.c.SubmitLyrics(ctxT(t), "a song about the sea")
			noErr(t, err, "submit lyrics")
			tk := e.poll(sub.TaskID, client.KindLyrics)
			if tk.Status != client.StatusSucceeded || tk.Kind != client.KindLyrics || tk.Lyrics == nil || len(tk.Clips) != 0 {
				t.Fatalf("lyrics task: %+v", tk)
			}
			l := tk.Lyrics
			if l.Title == "" || !strings.Contains(l.Text, "[Verse]") || l.Status != client.ClipComplete {
				t.Fatalf("lyrics: %+v", l)
			}
			path := "POST /suno/submit/lyrics"
			if d == client.DialectGoAmz {
				path = "POST /suno/v1/v3.0/lyrics"
			}
			if n := e.sim.Requests(path); n != 1 {
				t.Fatalf("%s sent %d times", path, n)
			}
		})
	}
}

func TestContractFetchMany(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{}, client.DialectTask)
	ctx := ctxT(t)
	var ids []string
	for _, d := range []string{"rain", "sun", "snow", "wind"} {
		ids = append(ids, e.submit(client.MusicRequest{Description: "a song about " + d}))
	}
	lyr, err := e.c.SubmitLyrics(ctx, "a song about fog")
	noErr(t, err, "lyrics")
	ids = append(ids, lyr.TaskID)
	want := slices.Clone(ids)
	slices.Sort(want)
	e.sim.ResetCounts()
	tasks, err := e.c.FetchTasks(ctx, append(slices.Clone(ids), "00000000-0000-4000-8000-000000000000", ids[0]))
	noErr(t, err, "fetch tasks")
	if n := e.sim.Requests("POST /suno/fetch"); n != 1 {
		t.Fatalf("%d POST /suno/fetch for %d ids, want 1", n, len(ids))
	}
	if n := e.sim.Requests("GET /suno/fetch/{id}") + e.sim.Requests("POST /suno/submit/fetch"); n != 0 {
		t.Fatalf("%d other fetch requests", n)
	}
	var got []string
	for _, tk := range tasks {
		got = append(got, tk.ID)
		if tk.Status != client.StatusSucceeded {
			t.Fatalf("task %s: %s", tk.ID, tk.Status)
		}
		if tk.ID == lyr.TaskID {
			if tk.Kind != client.KindLyrics || tk.Lyrics == nil || tk.Lyrics.Text == "" {
				t.Fatalf("lyrics in batch: %+v", tk)
			}
		} else {
			checkSucceeded(t, e.sim.URL(), tk)
		}
	}
	slices.Sort(got) // the relay's order is not the request's (SQL IN)
	if !slices.Equal(got, want) {
		t.Fatalf("batch ids %v, want %v (unknown ids omitted, duplicates once)", got, want)
	}
	// Empty input: no request at all; only unknown ids: empty result, no error.
	if tasks, err := e.c.FetchTasks(ctx, nil); err != nil || len(tasks) != 0 {
		t.Fatalf("empty batch: %v %v", tasks, err)
	}
	if tasks, err := e.c.FetchTasks(ctx, []string{"nope"}); err != nil || len(tasks) != 0 {
		t.Fatalf("unknown batch: %v %v", tasks, err)
	}
	if n := e.sim.Requests("POST /suno/fetch"); n != 2 {
		t.Fatalf("POST /suno/fetch count %d, want 2", n)
	}
}

func TestContractNotFound(t *testing.T) {
	t.Parallel()
	for _, d := range []client.Dialect{client.DialectTask, client.DialectGoAmz, client.DialectChat} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Options{}, d)
			_, err := e.c.FetchTask(ctxT(t), "3f0c1a52-0000-4000-8000-000000000000", client.KindMusic)
			wantErr(t, err, client.ErrNotFound, "unknown task")
			if !strings.Contains(err.Error(), "3f0c1a52-0000-4000-8000-000000000000") {
				t.Fatalf("the error does not name the task: %v", err)
			}
		})
	}
	e := newEnv(t, sim.Options{}, client.DialectTask)
	_, err := e.c.FetchTask(ctxT(t), "", client.KindMusic)
	wantErr(t, err, client.ErrBadRequest, "empty id")
}

func TestContractConcat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{}, client.DialectTask)
	ctx := ctxT(t)
	a := e.song(client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "Chain", Tags: "rock"})
	b := e.song(client.MusicRequest{Mode: client.ModeContinue, TaskID: a.ID, ContinueClipID: a.Clips[0].ID,
		ContinueAt: ptr(2.5), Lyrics: "[Verse 2]\npart two"})
	c := e.song(client.MusicRequest{Mode: client.ModeContinue, TaskID: b.ID, ContinueClipID: b.Clips[1].ID,
		ContinueAt: ptr(3.0), Lyrics: "[Outro]\npart three"})
	last := c.Clips[0]
	sub, err := e.c.Concat(ctx, last.ID, false)
	noErr(t, err, "concat")
	tk := e.poll(sub.TaskID, client.KindMusic)
	checkSucceeded(t, e.sim.URL(), tk)
	if len(tk.Clips) != 1 {
		t.Fatalf("concat clips: %+v", tk.Clips)
	}
	whole := tk.Clips[0]
	// The simulator's whole song: each ancestor up to the point its child continued from (to
	// the nearest mp3 frame), then the last extension in full.
	frame := 1152.0 / 44100
	at := func(s float64) float64 { return math.Round(s/frame) * frame }
	want := at(2.5) + at(3.0) + last.Duration
	if whole.Type != "concat" || !near(whole.Duration, want, 0.011) {
		t.Fatalf("concat clip type %q duration %.3f, want %.3f (2.5 + 3.0 + %.2f)", whole.Type, whole.Duration, want, last.Duration)
	}
	if !strings.Contains(whole.Lyrics, "[Verse]") || !strings.Contains(whole.Lyrics, "part two") || !strings.Contains(whole.Lyrics, "part three") {
		t.Fatalf("concat lyrics: %q", whole.Lyrics)
	}
	_, _, mp3 := get(t, whole.AudioURL)
	if !near(mp3Seconds(mp3), whole.Duration, 0.011) {
		t.Fatalf("concat mp3 lasts %.3f, clip says %.3f", mp3Seconds(mp3), whole.Duration)
	}
	_, err = e.c.Concat(ctx, "", false)
	wantErr(t, err, client.ErrBadRequest, "concat without clip")
	_, err = e.c.Concat(ctx, "not-a-clip", false)
	wantErr(t, err, client.ErrNotFound, "concat of an unknown clip") // 400 "clip not found"
}

func TestContractUploadThenCover(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{}, client.DialectTask)
	ctx := ctxT(t)
	id, err := e.c.UploadURL(ctx, "https://example.com/songs/old-tape.mp3")
	noErr(t, err, "upload")
	if !uuidRe.MatchString(id) {
		t.Fatalf("upload id %q", id)
	}
	// The simulator lets the upload id be fetched like a task (relay-api 3.1 [I]).
	up := e.poll(id, client.KindMusic)
	checkSucceeded(t, e.sim.URL(), up)
	if up.Clips[0].ID != id || up.Clips[0].Type != "upload" || up.Clips[0].Title != "old-tape" {
		t.Fatalf("uploaded clip: %+v", up.Clips[0])
	}
	cover := e.song(client.MusicRequest{Mode: client.ModeCover, CoverClipID: id, Tags: "synthwave", Lyrics: "[Verse]\nnew words"})
	if c := cover.Clips[0]; c.Title != "old-tape" || c.Tags != "synthwave" {
		t.Fatalf("cover of upload: %+v", c)
	}
}

func TestContractStems(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{StageTime: 15 * time.Millisecond}, client.DialectTask)
	src := e.song(client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "Split Me", Tags: "pop"}).Clips[0]
	sub, err := e.c.Stems(ctxT(t), src.ID)
	noErr(t, err, "stems")
	if len(sub.Clips) != 2 {
		t.Fatalf("stems: %+v", sub)
	}
	titles := map[string]bool{}
	for _, st := range sub.Clips {
		if st.Type != "stem" || st.StemFromID != src.ID || st.Status.Terminal() || !uuidRe.MatchString(st.ID) {
			t.Fatalf("announced stem: %+v", st)
		}
		// Each stem is pollable by its clip id, and completes.
		tk := e.poll(st.ID, client.KindMusic)
		checkSucceeded(t, e.sim.URL(), tk)
		c := tk.Clips[0]
		if c.ID != st.ID || c.Type != "stem" || c.StemFromID != src.ID || !near(c.Duration, src.Duration, 0.011) {
			t.Fatalf("polled stem: %+v (source %.2fs)", c, src.Duration)
		}
		titles[c.Title] = true
	}
	if !titles["Split Me - Vocals"] || !titles["Split Me - Instrumental"] {
		t.Fatalf("stem titles %v", titles)
	}
	_, err = e.c.Stems(ctxT(t), "")
	wantErr(t, err, client.ErrBadRequest, "stems without clip")
}

func TestContractTiming(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{}, client.DialectTask)
	src := e.song(client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "Timed", Tags: "pop"}).Clips[0]
	tm, err := e.c.Timing(ctxT(t), src.ID)
	noErr(t, err, "timing")
	if tm.ClipID != src.ID || len(tm.Words) == 0 || len(tm.Waveform) == 0 {
		t.Fatalf("timing: %d words, %d waveform points", len(tm.Words), len(tm.Waveform))
	}
	var text strings.Builder
	prev := 0.0
	for _, w := range tm.Words {
		if w.Start < prev || w.End < w.Start || w.End > src.Duration || !w.Success || w.PAlign <= 0 || w.PAlign > 1 {
			t.Fatalf("word %+v (previous end %.3f, clip %.3fs)", w, prev, src.Duration)
		}
		prev = w.Start
		text.WriteString(w.Word)
	}
	if !strings.HasPrefix(tm.Words[0].Word, "[Verse]\n") {
		t.Fatalf("the section marker is not kept on the first word: %q", tm.Words[0].Word)
	}
	joined := text.String()
	if !strings.Contains(joined, "[Chorus]\n") || strings.Fields(joined)[1] != "Winter" {
		t.Fatalf("timing text %q", joined)
	}
	// The words are the lyrics, in order, with markers and newlines as sent.
	if strings.Join(strings.Fields(joined), " ") != strings.Join(strings.Fields(verseLyrics), " ") {
		t.Fatalf("timing words %q != lyrics %q", joined, verseLyrics)
	}
}

func TestContractWAVAndMP4(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{StageTime: 15 * time.Millisecond}, client.DialectTask)
	src := e.song(client.MusicRequest{Description: "a song about lighthouses"}).Clips[0]
	for _, tc := range []struct {
		name string
		call func(context.Context, string) (client.Asset, error)
		url  func(client.Clip) string
		ext  string
		ct   string
	}{
		{"wav", e.c.WAV, func(c client.Clip) string { return c.AudioURL }, ".wav", "audio/wav"},
		{"mp4", e.c.MP4, func(c client.Clip) string {
			if c.VideoPending {
				return ""
			}
			return c.VideoURL
		}, ".mp4", "video/mp4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := tc.call(ctxT(t), src.ID)
			noErr(t, err, tc.name)
			if a.ClipID != src.ID || a.ID == "" || a.URL != "" {
				t.Fatalf("asset: %+v", a)
			}
			// Poll the returned id until the file URL appears.
			deadline := time.Now().Add(10 * time.Second)
			var u string
			polls := 0
			for u == "" {
				tk, err := e.c.FetchTask(ctxT(t), a.ID, client.KindMusic)
				noErr(t, err, "poll asset")
				polls++
				if len(tk.Clips) == 1 && tk.Clips[0].ID == src.ID && strings.HasSuffix(tc.url(tk.Clips[0]), tc.ext) {
					u = tc.url(tk.Clips[0])
					if tk.Status != client.StatusSucceeded {
						t.Fatalf("asset task %s with its file", tk.Status)
					}
					break
				}
				if tk.Status.Terminal() || time.Now().After(deadline) {
					t.Fatalf("asset task ended without a %s URL: %+v", tc.ext, tk)
				}
				time.Sleep(3 * time.Millisecond)
			}
			if u != e.sim.URL()+"/cdn/"+src.ID+tc.ext {
				t.Fatalf("asset URL %q", u)
			}
			code, ct, body := get(t, u)
			if code != 200 || ct != tc.ct || len(body) < 12 {
				t.Fatalf("GET %s: %d %s %d bytes", u, code, ct, len(body))
			}
			switch tc.ext {
			case ".wav":
				if string(body[:4]) != "RIFF" || string(body[8:12]) != "WAVE" {
					t.Fatalf("not a WAV: %q", body[:12])
				}
			case ".mp4":
				if string(body[4:8]) != "ftyp" {
					t.Fatalf("not an MP4: %q", body[:8])
				}
			}
			t.Logf("%s ready after %d polls", tc.name, polls)
		})
	}
}

func TestContractPersona(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{}, client.DialectTask)
	ctx := ctxT(t)
	src := e.song(client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "Root", Tags: "soul"})
	p, err := e.c.CreatePersona(ctx, client.PersonaRequest{RootClipID: src.Clips[0].ID, Name: "Velvet",
		Description: "warm alto", Clips: []string{src.Clips[0].ID, src.Clips[1].ID}, Public: true})
	noErr(t, err, "create persona")
	if !uuidRe.MatchString(p.ID) || p.Name != "Velvet" || p.Description != "warm alto" || p.RootClipID != src.Clips[0].ID {
		t.Fatalf("persona: %+v", p)
	}
	tk := e.song(client.MusicRequest{Mode: client.ModePersona, PersonaID: p.ID, ArtistClipID: src.Clips[0].ID,
		Lyrics: "[Verse]\nsame voice", Title: "Velvet Song"})
	if tk.Clips[0].Title != "Velvet Song" {
		t.Fatalf("persona song: %+v", tk.Clips[0])
	}
	_, err = e.c.SubmitMusic(ctx, client.MusicRequest{Mode: client.ModePersona, PersonaID: "no-such-persona", Lyrics: "x"})
	wantErr(t, err, client.ErrNotFound, "unknown persona") // 400 invalid_request "persona not found"
	_, err = e.c.CreatePersona(ctx, client.PersonaRequest{RootClipID: src.Clips[0].ID})
	wantErr(t, err, client.ErrBadRequest, "persona without a name")
}

func TestContractBilling(t *testing.T) {
	t.Parallel()
	for _, d := range client.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Options{}, d)
			ctx := ctxT(t)
			sub, err := e.c.Subscription(ctx)
			noErr(t, err, "subscription")
			if sub.HardLimit != 100 || sub.SoftLimit != 100 || sub.Unlimited || !sub.AccessUntil.IsZero() {
				t.Fatalf("subscription: %+v", sub)
			}
			q0, err := e.c.Quota(ctx)
			noErr(t, err, "quota")
			if q0.Used != 0 || q0.Remaining() != 100 || q0.HardLimit != 100 {
				t.Fatalf("fresh quota: %+v", q0)
			}
			// Usage grows by 1.00 per song and 0.10 per lyrics (cents / 100).
			if d == client.DialectChat {
				_, err = e.c.Chat(ctx, client.ChatRequest{Prompt: "a short song"}, nil)
				noErr(t, err, "chat")
			} else {
				_, err = e.c.SubmitMusic(ctx, client.MusicRequest{Description: "a song about money"})
				noErr(t, err, "submit")
				_, err = e.c.SubmitLyrics(ctx, "a song about coins")
				noErr(t, err, "lyrics")
			}
			u, err := e.c.Usage(ctx)
			noErr(t, err, "usage")
			want := 1.1
			if d == client.DialectChat {
				want = 1
			}
			if !near(u.Total, want, 1e-9) {
				t.Fatalf("usage after submits %v, want %v", u.Total, want)
			}
			q, err := e.c.Quota(ctx)
			noErr(t, err, "quota")
			if !near(q.Used, want, 1e-9) || !near(q.Remaining(), 100-want, 1e-9) {
				t.Fatalf("quota after submits: %+v remaining %v", q, q.Remaining())
			}
		})
	}
}

// --- GoAmzAI dialect ----------------------------------------------------------------------

func TestContractGoAmz(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{StageTime: 10 * time.Millisecond}, client.DialectGoAmz)
	ctx := ctxT(t)
	insp := e.song(client.MusicRequest{Description: "a song about deserts"})
	if len(insp.Clips) != 2 || insp.Clips[0].Description != "a song about deserts" || insp.RawStatus != "completed" ||
		insp.Clips[0].ID > insp.Clips[1].ID { // a map: sorted by creation time, then id
		t.Fatalf("goamz inspiration: %+v", insp)
	}
	cust := e.song(client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "Dunes", Tags: "desert rock"})
	if c := cust.Clips[0]; c.Title != "Dunes" || c.Tags != "desert rock" || c.Lyrics != verseLyrics {
		t.Fatalf("goamz custom: %+v", c)
	}
	ext := e.song(client.MusicRequest{Mode: client.ModeContinue, TaskID: cust.ID, ContinueClipID: cust.Clips[0].ID,
		ContinueAt: ptr(1.5), Lyrics: "[Bridge]\nsand"})
	if c := ext.Clips[0]; c.Title != "Dunes" || c.Lyrics != "[Bridge]\nsand" {
		t.Fatalf("goamz extension: %+v", c)
	}
	if n := e.sim.Requests("POST /suno/v1/music"); n != 3 {
		t.Fatalf("POST /suno/v1/music count %d", n)
	}
	if e.sim.Requests("POST /suno/submit/music") != 0 {
		t.Fatal("a goamz client used the task dialect")
	}
	// Modes and endpoints the dialect does not have are refused without a request.
	for _, m := range []client.MusicRequest{
		{Mode: client.ModeCover, CoverClipID: "c"},
		{Mode: client.ModeInfill, ContinueClipID: "c", InfillStart: 1, InfillEnd: 2},
		{Mode: client.ModePersona, PersonaID: "p"},
		{Mode: client.ModeUploadExt, ContinueClipID: "c"},
	} {
		_, err := e.c.SubmitMusic(ctx, m)
		wantErr(t, err, client.ErrUnsupported, "goamz "+string(m.Mode))
	}
	unsupported := map[string]func() error{
		"fetch tasks": func() error { _, err := e.c.FetchTasks(ctx, []string{insp.ID}); return err },
		"concat":      func() error { _, err := e.c.Concat(ctx, "c", false); return err },
		"upload":      func() error { _, err := e.c.UploadURL(ctx, "https://example.com/a.mp3"); return err },
		"stems":       func() error { _, err := e.c.Stems(ctx, "c"); return err },
		"timing":      func() error { _, err := e.c.Timing(ctx, "c"); return err },
		"wav":         func() error { _, err := e.c.WAV(ctx, "c"); return err },
		"mp4":         func() error { _, err := e.c.MP4(ctx, "c"); return err },
		"persona": func() error {
			_, err := e.c.CreatePersona(ctx, client.PersonaRequest{RootClipID: "c", Name: "n"})
			return err
		},
	}
	for name, f := range unsupported {
		wantErr(t, f(), client.ErrUnsupported, "goamz "+name)
	}
	for _, ep := range []string{"POST /suno/fetch", "POST /suno/submit/concat", "POST /suno/uploads/audio-url",
		"GET /suno/act/stems/{id}", "GET /suno/act/timing/{id}", "GET /suno/act/wav/{id}", "GET /suno/act/mp4/{id}",
		"POST /suno/persona/create"} {
		if n := e.sim.Requests(ep); n != 0 {
			t.Fatalf("unsupported operation reached the relay: %s x%d", ep, n)
		}
	}
}

// --- Chat dialect: the operations other than chat -------------------------------------------

func TestContractChatDialectOps(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{}, client.DialectChat)
	ctx := ctxT(t)
	_, err := e.c.SubmitMusic(ctx, client.MusicRequest{Description: "x"})
	wantErr(t, err, client.ErrUnsupported, "chat submit")
	_, err = e.c.SubmitLyrics(ctx, "x")
	wantErr(t, err, client.ErrUnsupported, "chat lyrics")
	_, err = e.c.Stems(ctx, "c")
	wantErr(t, err, client.ErrUnsupported, "chat stems")
	res, err := e.c.Chat(ctx, client.ChatRequest{Prompt: "a song about owls"}, nil)
	noErr(t, err, "chat")
	// The simulator, like a relay that never saw a task id, does not find chat clips by
	// clip id (only stems and uploads are fetchable that way).
	_, err = e.c.FetchTask(ctx, res.Clips[0].ID, client.KindMusic)
	wantErr(t, err, client.ErrNotFound, "fetch a chat clip")
	tasks, err := e.c.FetchTasks(ctx, []string{res.Clips[0].ID})
	noErr(t, err, "fetch tasks")
	if len(tasks) != 0 {
		t.Fatalf("chat clips in a batch: %+v", tasks)
	}
}

func TestContractFetchClipsByFeed(t *testing.T) {
	s, err := sim.Start(sim.Options{StageTime: 0, SongSeconds: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, _ := client.New(client.Profile{Name: "sim", BaseURL: s.URL(), APIKey: "sk-x"})
	res, err := c.Chat(context.Background(), client.ChatRequest{Prompt: "feed me"}, nil)
	if err != nil || len(res.Clips) != 2 {
		t.Fatalf("chat: %+v %v", res.Clips, err)
	}
	ids := []string{res.Clips[0].ID, res.Clips[1].ID}
	clips, err := c.FetchClips(context.Background(), ids)
	if err != nil || len(clips) != 2 || clips[0].ID != ids[0] || clips[0].Status != client.ClipComplete || clips[0].AudioURL == "" {
		t.Fatalf("feed: %+v %v", clips, err)
	}
	stock, _ := sim.Start(sim.Options{RejectExtended: true})
	defer stock.Close()
	sc, _ := client.New(client.Profile{Name: "stock", BaseURL: stock.URL(), APIKey: "sk-x"})
	if _, err := sc.FetchClips(context.Background(), ids); !errors.Is(err, client.ErrUnsupported) {
		t.Errorf("stock new-api feed: %v", err)
	}
}

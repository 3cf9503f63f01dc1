package studio

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/client/sim"
	"sunostudio/internal/mp3scan"
	"sunostudio/store"
)

// TestEngineFaultCampaign drives the engine (Submit, SubmitLyrics, Chat) through every fault
// the simulator can inject, once and forever, on the request that starts the work (submit),
// on the polling that follows it (fetch, feed) and on the downloads (media). After each run,
// once the engine has nothing left to do, the library must have lost nothing:
//
//   - every task the relay accepted (sim.TaskIDs) is in the library, or one of its clips is
//     (chats have no relay task id), or it is covered by a record that says the outcome is
//     unknown (a submit intent, or a failed record saying the relay "may have accepted" it, as
//     crash_test.go's accountTasks counts them). A chat cut before it named a song must say so
//     too: the relay took the request and may be making (and billing) the songs;
//   - no file under its final name in the songs folder is partial (mp3scan), and every clip
//     marked downloaded has its whole file.
//
// Faults are injected through the simulator's X-Sim-Fault header by a proxy in front of it,
// so that they can be switched off for the accounting afterwards.
func TestEngineFaultCampaign(t *testing.T) {
	t.Parallel()
	faults := []sim.FaultKind{sim.FaultUnauthorized, sim.FaultRateLimit, sim.FaultServerError, sim.FaultBadGateway,
		sim.FaultTruncated, sim.FaultSlow, sim.FaultReset, sim.FaultSSECut, sim.FaultHTMLOK, sim.FaultOversize}
	ops := []string{"submit", "lyrics", "chat"}
	targets := map[string]map[string][]string{ // op -> target -> path prefixes
		"submit": {"submit": {"/suno/submit/music"}, "fetch": {"/suno/fetch", "/suno/feed/"}, "media": {"/cdn/", "/audiopipe"}},
		"lyrics": {"submit": {"/suno/submit/lyrics"}, "fetch": {"/suno/fetch", "/suno/feed/"}, "media": {"/cdn/", "/audiopipe"}},
		"chat":   {"submit": {"/v1/chat/completions"}, "fetch": {"/suno/fetch", "/suno/feed/"}, "media": {"/cdn/", "/audiopipe"}},
	}
	for _, op := range ops {
		for _, target := range []string{"submit", "fetch", "media"} {
			for _, forever := range []bool{false, true} {
				mode := "once"
				if forever {
					mode = "forever"
				}
				// One subtest per op, target and mode; its ten faults run side by side, each with
				// its own simulator, engine and library (the engines mostly wait on timers).
				t.Run(op+"/"+target+"/"+mode, func(t *testing.T) {
					t.Parallel()
					var wg sync.WaitGroup
					problems := make([][]string, len(faults))
					for i, fk := range faults {
						wg.Add(1)
						go func() {
							defer wg.Done()
							problems[i] = engineFaultCase(t, op, targets[op][target], fk, forever)
						}()
					}
					wg.Wait()
					for i, ps := range problems {
						for _, p := range ps {
							t.Errorf("%s: %s", faults[i], p)
						}
					}
				})
			}
		}
	}
}

// faultProxy puts X-Sim-Fault on the requests whose path starts with one of prefixes: the
// first one only, or all of them, until off.
type faultProxy struct {
	next     http.Handler
	prefixes []string
	fault    string
	forever  bool

	mu   sync.Mutex
	off  bool
	hits int
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	if !p.off && (p.forever || p.hits == 0) {
		for _, pre := range p.prefixes {
			if strings.HasPrefix(r.URL.Path, pre) {
				r.Header.Set("X-Sim-Fault", p.fault)
				p.hits++
				break
			}
		}
	}
	p.mu.Unlock()
	p.next.ServeHTTP(w, r)
}

func (p *faultProxy) stop() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.off = true
	return p.hits
}

// engineFaultCase runs one op against one fault and returns what went wrong (nothing: nil).
func engineFaultCase(t *testing.T, op string, prefixes []string, fk sim.FaultKind, forever bool) (problems []string) {
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	defer func() {
		if r := recover(); r != nil {
			fail("panic: %v\n%s", r, debug.Stack())
		}
	}()
	header := string(fk)
	switch fk {
	case sim.FaultSlow:
		header += "=3s" // longer than the client's timeouts and the media timeout below
	case sim.FaultRateLimit:
		header += "=1"
	}
	s := sim.New(sim.Options{StageTime: 5 * time.Millisecond, SongSeconds: 4, ChatTick: 10 * time.Millisecond})
	defer s.Close()
	proxy := &faultProxy{next: s, prefixes: prefixes, fault: header, forever: forever}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	dir := t.TempDir()
	songs := filepath.Join(dir, "songs")
	st, err := store.Open(filepath.Join(dir, "library.db"), store.OpenOptions{})
	if err != nil {
		fail("open the library: %v", err)
		return
	}
	defer st.Close()
	// Retry waits are shortened (a 1 s Retry-After is waited 20 ms) so the campaign stays quick;
	// the tracker still honours Retry-After between ticks.
	quickSleep := func(ctx context.Context, d time.Duration) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(d, 20*time.Millisecond)):
			return nil
		}
	}
	cl, err := client.New(client.Profile{Name: "sim", BaseURL: srv.URL, APIKey: s.Key(), Dialect: client.DialectTask},
		client.WithRetry(2, time.Millisecond), client.WithSleep(quickSleep),
		client.WithCallTimeout(1500*time.Millisecond), client.WithIdleTimeout(1500*time.Millisecond))
	if err != nil {
		fail("client: %v", err)
		return
	}
	e, err := New(Options{Client: cl, Store: st, SongsDir: songs, Profile: "sim",
		PollBase: 10 * time.Millisecond, PollMax: 40 * time.Millisecond, TaskDeadline: 1500 * time.Millisecond,
		DownloadRetries: 2, DownloadBackoff: 10 * time.Millisecond,
		MediaClient: &http.Client{Timeout: 1500 * time.Millisecond}})
	if err != nil {
		fail("engine: %v", err)
		return
	}
	if err := e.Start(); err != nil {
		fail("start: %v", err)
		return
	}
	closed := false
	defer func() {
		if !closed {
			e.Close()
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var opErr error
	switch op {
	case "submit":
		_, opErr = e.Submit(ctx, client.MusicRequest{Mode: client.ModeInspiration, Description: "a song about faults"}, SubmitOptions{})
	case "lyrics":
		_, opErr = e.SubmitLyrics(ctx, "a song about faults")
	case "chat":
		_, _, opErr = e.Chat(ctx, client.ChatRequest{Prompt: "a song about faults"}, nil)
	}
	if opErr != nil && client.KindOf(opErr) == client.KindUnknown && !strings.Contains(opErr.Error(), "library") {
		fail("%s ended in an untyped error: %v", op, opErr)
	}
	// Wait until the engine has nothing left to do: tasks settled or timed out, downloads done
	// or given up.
	deadline := time.Now().Add(12 * time.Second)
	for !e.Idle() {
		if time.Now().After(deadline) {
			fail("the engine is still busy 12 s later (pending %d)", e.Pending())
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	hits := proxy.stop()
	e.Close()
	closed = true

	// Nothing lost: every task the relay accepted is accounted for.
	plain, err := client.New(client.Profile{Name: "sim", BaseURL: srv.URL, APIKey: s.Key(), Dialect: client.DialectTask})
	if err != nil {
		fail("accounting client: %v", err)
		return
	}
	tasks, err := st.Tasks(0)
	if err != nil {
		fail("list tasks: %v", err)
		return
	}
	have, intents := map[string]bool{}, 0
	for _, task := range tasks {
		have[task.ID] = true
		if task.Status == store.TaskSubmitting || strings.Contains(task.Error, "may have accepted") {
			intents++
		}
	}
	missing := 0
	for _, id := range s.TaskIDs() {
		if have[id] {
			continue
		}
		rt, err := plain.FetchTask(context.Background(), id, "")
		if err == nil {
			found := false
			for _, c := range rt.Clips {
				if _, err := st.Clip(c.ID); err == nil {
					found = true
				}
			}
			if found {
				continue
			}
		}
		missing++
	}
	if missing > intents {
		var states []string
		for _, task := range tasks {
			states = append(states, fmt.Sprintf("%s %s %s %q", task.Kind, task.ID, task.Status, task.Error))
		}
		fail("%d tasks the relay accepted are not in the library (records with an unknown outcome: %d); library: %v; op error: %v",
			missing, intents, states, opErr)
	}

	var summary []string
	for _, task := range tasks {
		summary = append(summary, task.Kind+":"+task.Status)
	}
	partial := 0
	if parts, _ := filepath.Glob(filepath.Join(songs, "*.part")); len(parts) > 0 {
		partial = len(parts)
	}
	t.Logf("%s %v %s forever=%v: fault hit %d requests; op error kind %s; relay tasks %d; library %v; temp files %d",
		op, prefixes, fk, forever, hits, client.KindOf(opErr), len(s.TaskIDs()), summary, partial)

	// No partial file under a final name, and every downloaded clip whole.
	entries, _ := os.ReadDir(songs)
	for _, ent := range entries {
		name := ent.Name()
		if strings.HasSuffix(name, ".part") {
			continue // a temp file: the next start removes it
		}
		if p := wholeFileProblem(filepath.Join(songs, name)); p != "" {
			fail("%s: %s", name, p)
		}
	}
	clips, _ := st.Clips(store.Query{})
	for _, c := range clips.Clips {
		if c.Download == store.DownloadDone {
			if c.LocalPath == "" || !fileExists(c.LocalPath) {
				fail("clip %s is marked downloaded without its file %q", c.ID, c.LocalPath)
			}
		} else if c.LocalPath != "" && fileExists(c.LocalPath) && wholeFileProblem(c.LocalPath) != "" {
			fail("clip %s (%s) has a partial file %s", c.ID, c.Download, c.LocalPath)
		}
	}
	return problems
}

// wholeFileProblem says what is wrong with a file under its final name, "" when it is whole.
func wholeFileProblem(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".mp3":
		info, err := mp3scan.Scan(bytes.NewReader(data))
		if err != nil || info.Truncated || info.Frames == 0 {
			return fmt.Sprintf("not a whole mp3: %+v %v", info, err)
		}
	case ".png", ".jpg", ".jpeg", ".webp":
		if !strings.HasPrefix(http.DetectContentType(data), "image/") {
			return "not an image: " + http.DetectContentType(data)
		}
	case ".txt", ".lrc":
		if len(data) == 0 {
			return "empty"
		}
	}
	return ""
}

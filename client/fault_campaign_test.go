package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/client/sim"
)

// TestFaultCampaign is every client call against every fault the simulator can inject, once
// (the next request only) and forever (every request): the call ends in a typed error, a
// *client.Error of a known kind that errors.Is the sentinel the fault calls for, or in a retry
// that succeeds with a sane result. Never a panic, never a hang, never a faulted reply taken for
// data, never the key or a control character in the error text.
//
// TestContractFaults checks the exact request counts and waits of the interesting pairs; this
// test is the full matrix.
func TestFaultCampaign(t *testing.T) {
	t.Parallel()
	faults := []sim.FaultKind{sim.FaultUnauthorized, sim.FaultRateLimit, sim.FaultServerError, sim.FaultBadGateway,
		sim.FaultTruncated, sim.FaultSlow, sim.FaultReset, sim.FaultSSECut, sim.FaultHTMLOK, sim.FaultOversize}
	for _, call := range campaignCalls() {
		for _, fk := range faults {
			for _, forever := range []bool{false, true} {
				mode := "once"
				if forever {
					mode = "forever"
				}
				t.Run(call.name+"/"+string(fk)+"/"+mode, func(t *testing.T) {
					t.Parallel()
					runCampaignCase(t, call, fk, forever)
				})
			}
		}
	}
}

// campaignCall is one client call. run returns the call's error; a call that returns no error
// but a result that makes no sense returns a badResult instead.
type campaignCall struct {
	name    string
	dialect client.Dialect
	stream  bool // a chat stream: cut bodies are network errors, not malformed replies
	// short: the simulator cuts (truncated, sse_cut, reset) the chat endpoint only after its
	// first 3000 bytes, as for a stream; this call's whole reply is shorter, so those faults
	// leave it intact and a success on the first request is right.
	short bool
	needs campaignNeeds
	run   func(ctx context.Context, c *client.Client, s *campaignSetup) error
}

// badResult is a call that returned no error with a result that makes no sense: a faulted reply
// taken for data.
type badResult struct{ what string }

func (b badResult) Error() string { return b.what }

func bad(format string, args ...any) error {
	s := fmt.Sprintf(format, args...)
	if r := []rune(s); len(r) > 160 {
		s = string(r[:160]) + "…"
	}
	return badResult{s}
}

type campaignNeeds struct{ song, persona, upload bool }

// campaignSetup is what the calls act on, made before the fault is injected.
type campaignSetup struct {
	base    string
	taskID  string
	clipID  string
	persona string
	upload  string
}

func campaignCalls() []campaignCall {
	song := campaignNeeds{song: true}
	submit := func(r func(s *campaignSetup) client.MusicRequest) func(ctx context.Context, c *client.Client, s *campaignSetup) error {
		return func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			sub, err := c.SubmitMusic(ctx, r(s))
			if err == nil && sub.TaskID == "" && len(sub.Clips) == 0 {
				return bad("submit without a task id")
			}
			return err
		}
	}
	lyrics := func(ctx context.Context, c *client.Client, s *campaignSetup) error {
		sub, err := c.SubmitLyrics(ctx, "a song about faults")
		if err == nil && sub.TaskID == "" {
			return bad("lyrics without a task id")
		}
		return err
	}
	fetch := func(ctx context.Context, c *client.Client, s *campaignSetup) error {
		tk, err := c.FetchTask(ctx, s.taskID, client.KindMusic)
		if err == nil && (tk.ID != s.taskID || tk.Status != client.StatusSucceeded || len(tk.Clips) != 2) {
			return bad("fetched %+v", tk)
		}
		return err
	}
	ptr := func(f float64) *float64 { return &f }
	return []campaignCall{
		{name: "submit inspiration", needs: song, run: submit(func(s *campaignSetup) client.MusicRequest {
			return client.MusicRequest{Mode: client.ModeInspiration, Description: "a song about faults"}
		})},
		{name: "submit custom", run: submit(func(s *campaignSetup) client.MusicRequest {
			return client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "Fault", Tags: "punk"}
		})},
		{name: "submit continue", needs: song, run: submit(func(s *campaignSetup) client.MusicRequest {
			return client.MusicRequest{Mode: client.ModeContinue, ContinueClipID: s.clipID, TaskID: s.taskID, ContinueAt: ptr(2),
				Lyrics: "[Verse]\nmore", Title: "More"}
		})},
		{name: "submit upload extend", needs: campaignNeeds{upload: true}, run: submit(func(s *campaignSetup) client.MusicRequest {
			return client.MusicRequest{Mode: client.ModeUploadExt, ContinueClipID: s.upload, Lyrics: "[Verse]\nmine"}
		})},
		{name: "submit cover", needs: song, run: submit(func(s *campaignSetup) client.MusicRequest {
			return client.MusicRequest{Mode: client.ModeCover, CoverClipID: s.clipID, Tags: "jazz"}
		})},
		{name: "submit infill", needs: song, run: submit(func(s *campaignSetup) client.MusicRequest {
			return client.MusicRequest{Mode: client.ModeInfill, ContinueClipID: s.clipID, TaskID: s.taskID, InfillStart: 1, InfillEnd: 3,
				Lyrics: "[Verse]\nreplaced"}
		})},
		{name: "submit persona", needs: campaignNeeds{song: true, persona: true}, run: submit(func(s *campaignSetup) client.MusicRequest {
			return client.MusicRequest{Mode: client.ModePersona, PersonaID: s.persona, ArtistClipID: s.clipID, Lyrics: "[Verse]\nvoice"}
		})},
		{name: "submit goamz", dialect: client.DialectGoAmz, run: submit(func(s *campaignSetup) client.MusicRequest {
			return client.MusicRequest{Mode: client.ModeInspiration, Description: "a song about faults"}
		})},
		{name: "lyrics", run: lyrics},
		{name: "lyrics goamz", dialect: client.DialectGoAmz, run: lyrics},
		{name: "fetch task", needs: song, run: fetch},
		{name: "fetch task goamz", dialect: client.DialectGoAmz, needs: song, run: fetch},
		{name: "fetch tasks", needs: song, run: func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			tasks, err := c.FetchTasks(ctx, []string{s.taskID})
			if err == nil && (len(tasks) != 1 || tasks[0].ID != s.taskID) {
				return bad("batch %+v", tasks)
			}
			return err
		}},
		{name: "fetch clips", needs: song, run: func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			clips, err := c.FetchClips(ctx, []string{s.clipID})
			if err == nil && (len(clips) != 1 || clips[0].ID != s.clipID) {
				return bad("clips %+v", clips)
			}
			return err
		}},
		{name: "concat", needs: song, run: func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			sub, err := c.Concat(ctx, s.clipID, false)
			if err == nil && sub.TaskID == "" && len(sub.Clips) == 0 {
				return bad("concat without a task")
			}
			return err
		}},
		{name: "upload url", run: func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			id, err := c.UploadURL(ctx, "https://example.com/audio/fault.mp3")
			if err == nil && id == "" {
				return bad("upload without an id")
			}
			return err
		}},
		{name: "stems", needs: song, run: func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			sub, err := c.Stems(ctx, s.clipID)
			if err == nil && sub.TaskID == "" && len(sub.Clips) == 0 {
				return bad("stems without clips")
			}
			return err
		}},
		{name: "timing", needs: song, run: func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			tm, err := c.Timing(ctx, s.clipID)
			if err == nil && len(tm.Words) == 0 {
				return bad("timing without words")
			}
			return err
		}},
		{name: "wav", needs: song, run: func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			a, err := c.WAV(ctx, s.clipID)
			if err == nil && a.URL == "" && a.ID == "" {
				return bad("wav without a file or id")
			}
			return err
		}},
		{name: "mp4", needs: song, run: func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			a, err := c.MP4(ctx, s.clipID)
			if err == nil && a.URL == "" && a.ID == "" {
				return bad("mp4 without a file or id")
			}
			return err
		}},
		{name: "create persona", needs: song, run: func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			p, err := c.CreatePersona(ctx, client.PersonaRequest{RootClipID: s.clipID, Name: "Fault Singer"})
			if err == nil && p.ID == "" {
				return bad("persona without an id")
			}
			return err
		}},
		{name: "subscription", run: func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			sub, err := c.Subscription(ctx)
			if err == nil && sub.HardLimit <= 0 {
				return bad("subscription %+v", sub)
			}
			return err
		}},
		{name: "usage", run: func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			_, err := c.Usage(ctx)
			return err
		}},
		{name: "chat stream", stream: true, run: func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			res, err := c.Chat(ctx, client.ChatRequest{Prompt: "a song about faults"}, func(client.ChatUpdate) {})
			if err == nil && (!res.Done || len(res.Clips) != 2) {
				return bad("chat %+v", res)
			}
			return err
		}},
		{name: "chat no stream", short: true, run: func(ctx context.Context, c *client.Client, s *campaignSetup) error {
			res, err := c.Chat(ctx, client.ChatRequest{Prompt: "a song about faults", NoStream: true}, nil)
			if err == nil && len(res.Clips) == 0 {
				return bad("chat %+v", res)
			}
			return err
		}},
	}
}

// campaignSentinels are the errors each fault may end in.
func campaignSentinels(fk sim.FaultKind, stream bool) []error {
	switch fk {
	case sim.FaultUnauthorized:
		return []error{client.ErrAuth}
	case sim.FaultRateLimit:
		return []error{client.ErrRateLimited}
	case sim.FaultServerError, sim.FaultBadGateway:
		return []error{client.ErrUpstream}
	case sim.FaultTruncated, sim.FaultSSECut:
		if stream {
			return []error{client.ErrNetwork} // an unfinished stream
		}
		return []error{client.ErrMalformed}
	case sim.FaultSlow:
		return []error{client.ErrTimeout}
	case sim.FaultReset:
		return []error{client.ErrNetwork}
	case sim.FaultHTMLOK:
		return []error{client.ErrMalformed}
	case sim.FaultOversize:
		return []error{client.ErrTooLarge}
	}
	panic("unknown fault " + fk)
}

// countingRT counts the requests a client sends.
type countingRT struct{ n atomic.Int64 }

func (c *countingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func runCampaignCase(t *testing.T, call campaignCall, fk sim.FaultKind, forever bool) {
	d := call.dialect
	if d == "" {
		d = client.DialectTask
	}
	e := newEnv(t, sim.Options{}, d)
	s := &campaignSetup{base: e.sim.URL()}
	setup := e.client(client.DialectTask, secretKey)
	if call.needs.song || call.needs.persona {
		sub, err := setup.SubmitMusic(ctxT(t), client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "Setup"})
		noErr(t, err, "setup song")
		tk := pollWith(t, setup, sub.TaskID, client.KindMusic)
		s.taskID, s.clipID = tk.ID, tk.Clips[0].ID
	}
	if call.needs.persona {
		p, err := setup.CreatePersona(ctxT(t), client.PersonaRequest{RootClipID: s.clipID, Name: "Setup Singer"})
		noErr(t, err, "setup persona")
		s.persona = p.ID
	}
	if call.needs.upload {
		id, err := setup.UploadURL(ctxT(t), "https://example.com/audio/setup.mp3")
		noErr(t, err, "setup upload")
		s.upload = id
	}

	// The client under test: short timeouts so that a slow relay ends the call quickly, and a
	// counter to tell a retry that succeeded from a faulted reply taken for data.
	rt := &countingRT{}
	opts := []client.Option{client.WithHTTPClient(&http.Client{Transport: rt})}
	if fk == sim.FaultSlow {
		opts = append(opts, client.WithCallTimeout(200*time.Millisecond), client.WithIdleTimeout(200*time.Millisecond))
	}
	c := e.client(d, secretKey, opts...)
	f := sim.Fault{Kind: fk, Delay: 10 * time.Second, RetryAfter: 1}
	if forever {
		f.Times = -1
	}
	e.sim.Inject(f)

	start := time.Now()
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("panic: %v\n%s", r, debug.Stack())
			}
		}()
		return call.run(ctxT(t), c, s)
	}()
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the call took %v", took)
	}
	var br badResult
	if errors.As(err, &br) {
		t.Fatalf("no error, but a result that makes no sense (a %s reply taken for data): %s", fk, br.what)
	}
	cutOnly := fk == sim.FaultTruncated || fk == sim.FaultSSECut || fk == sim.FaultReset
	if err == nil && call.short && cutOnly {
		return // the fault left the short reply whole (see campaignCall.short)
	}
	if err == nil {
		switch {
		case forever:
			t.Fatalf("the call succeeded although every reply was faulted (%d requests)", rt.n.Load())
		case rt.n.Load() < 2:
			t.Fatalf("the call succeeded on its only, faulted request: a %s reply was taken for data", fk)
		}
		return
	}
	noLeak(t, err)
	var ce *client.Error
	if !errors.As(err, &ce) {
		t.Fatalf("%T is not a *client.Error: %v", err, err)
	}
	if ce.Kind == client.KindUnknown {
		t.Fatalf("untyped error (KindUnknown): %v", err)
	}
	want := campaignSentinels(fk, call.stream)
	ok := false
	for _, w := range want {
		if errors.Is(err, w) {
			ok = true
		}
	}
	if !ok {
		var names []string
		for _, w := range want {
			names = append(names, client.KindOf(w).String())
		}
		t.Fatalf("kind %s, want %s: %v", ce.Kind, strings.Join(names, " or "), err)
	}
	if strings.ContainsAny(err.Error(), "\x1b\x07\x00") {
		t.Errorf("control characters in the error text: %q", err.Error())
	}
}

package client_test

import (
	"context"
	"errors"
	"html"
	"strings"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/client/sim"
)

// faultEnv is an env with one finished song, so that fetch faults have a task to hit.
type faultEnv struct {
	*env
	taskID string
}

// TestContractFaults injects every fault kind of the simulator into every kind of call
// (idempotent fetch, paid submit, batch, billing, chat, GoAmz) and checks the typed result,
// the number of requests the relay saw and the waits between them.
func TestContractFaults(t *testing.T) {
	t.Parallel()
	const (
		fetch    = "GET /suno/fetch/{id}"
		batch    = "POST /suno/fetch"
		submit   = "POST /suno/submit/music"
		chat     = "POST /v1/chat/completions"
		gFetch   = "GET /suno/v1/music/{id}"
		gSubmit  = "POST /suno/v1/music"
		subscrip = "GET /v1/dashboard/billing/subscription"
	)
	doFetch := func(ctx context.Context, e *faultEnv) error {
		tk, err := e.c.FetchTask(ctx, e.taskID, client.KindMusic)
		if err == nil {
			checkSucceeded(e.t, e.sim.URL(), tk)
		}
		return err
	}
	doBatch := func(ctx context.Context, e *faultEnv) error {
		tasks, err := e.c.FetchTasks(ctx, []string{e.taskID})
		if err == nil && (len(tasks) != 1 || tasks[0].ID != e.taskID) {
			e.t.Fatalf("batch after fault: %+v", tasks)
		}
		return err
	}
	doSubmit := func(ctx context.Context, e *faultEnv) error {
		sub, err := e.c.SubmitMusic(ctx, client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "Fault"})
		if err == nil && sub.TaskID == "" {
			e.t.Fatal("submit without task id")
		}
		return err
	}
	doBilling := func(ctx context.Context, e *faultEnv) error {
		s, err := e.c.Subscription(ctx)
		if err == nil && s.HardLimit != 100 {
			e.t.Fatalf("subscription after fault: %+v", s)
		}
		return err
	}
	doChat := func(ctx context.Context, e *faultEnv) error {
		res, err := e.c.Chat(ctx, client.ChatRequest{Prompt: "a song about faults"}, nil)
		if err == nil && (len(res.Clips) != 2 || res.Clips[0].Status != client.ClipComplete) {
			e.t.Fatalf("chat after fault: %+v", res)
		}
		return err
	}
	doChatNoStream := func(ctx context.Context, e *faultEnv) error {
		_, err := e.c.Chat(ctx, client.ChatRequest{Prompt: "a song about faults", NoStream: true}, nil)
		return err
	}
	oneWait := func(d time.Duration) func(*testing.T, []time.Duration) {
		return func(t *testing.T, w []time.Duration) {
			if len(w) != 1 || w[0] != d {
				t.Fatalf("waits %v, want [%v] (the Retry-After)", w, d)
			}
		}
	}
	backoffOnce := func(t *testing.T, w []time.Duration) {
		if len(w) != 1 || w[0] <= 0 || w[0] > 10*time.Second {
			t.Fatalf("waits %v, want one backoff step", w)
		}
	}
	noWait := func(t *testing.T, w []time.Duration) {
		if len(w) != 0 {
			t.Fatalf("waits %v, want none", w)
		}
	}

	cases := []struct {
		name    string
		dialect client.Dialect
		copts   []client.Option
		fault   sim.Fault
		run     func(context.Context, *faultEnv) error
		want    error // nil: the call succeeds
		counts  map[string]int
		waits   func(*testing.T, []time.Duration)
		check   func(*testing.T, *faultEnv, error)
	}{
		// 401: never retried, whatever the call.
		{name: "unauthorized fetch", fault: sim.Fault{Path: "/suno/fetch/", Kind: sim.FaultUnauthorized},
			run: doFetch, want: client.ErrAuth, counts: map[string]int{fetch: 1}, waits: noWait},
		{name: "unauthorized submit", fault: sim.Fault{Path: "/suno/submit/", Kind: sim.FaultUnauthorized},
			run: doSubmit, want: client.ErrAuth, counts: map[string]int{submit: 1}, waits: noWait,
			check: usageIs(1)}, // only the setup song was billed
		{name: "unauthorized billing", fault: sim.Fault{Path: "/v1/dashboard/", Kind: sim.FaultUnauthorized},
			run: doBilling, want: client.ErrAuth, counts: map[string]int{subscrip: 1}},
		{name: "unauthorized chat", dialect: client.DialectChat, fault: sim.Fault{Path: "/v1/chat/", Kind: sim.FaultUnauthorized},
			run: doChat, want: client.ErrAuth, counts: map[string]int{chat: 1}},
		{name: "unauthorized goamz", dialect: client.DialectGoAmz, fault: sim.Fault{Path: "/suno/v1/music/", Kind: sim.FaultUnauthorized},
			run: doFetch, want: client.ErrAuth, counts: map[string]int{gFetch: 1}},

		// 429: retried after exactly Retry-After, also for a submit (the relay did not act).
		{name: "rate limit fetch", fault: sim.Fault{Path: "/suno/fetch/", Kind: sim.FaultRateLimit, RetryAfter: 2},
			run: doFetch, counts: map[string]int{fetch: 2}, waits: oneWait(2 * time.Second)},
		{name: "rate limit submit", fault: sim.Fault{Path: "/suno/submit/", Kind: sim.FaultRateLimit, RetryAfter: 3},
			run: doSubmit, counts: map[string]int{submit: 2}, waits: oneWait(3 * time.Second), check: usageIs(2)},
		{name: "rate limit batch", fault: sim.Fault{Path: "/suno/fetch", Method: "POST", Kind: sim.FaultRateLimit, RetryAfter: 1},
			run: doBatch, counts: map[string]int{batch: 2}, waits: oneWait(time.Second)},
		{name: "rate limit goamz submit", dialect: client.DialectGoAmz,
			fault: sim.Fault{Path: "/suno/v1/music", Method: "POST", Kind: sim.FaultRateLimit, RetryAfter: 2},
			run:   doSubmit, counts: map[string]int{gSubmit: 2}, waits: oneWait(2 * time.Second)},
		{name: "rate limit billing", fault: sim.Fault{Path: "/v1/dashboard/", Kind: sim.FaultRateLimit, RetryAfter: 1},
			run: doBilling, counts: map[string]int{subscrip: 2}, waits: oneWait(time.Second)},
		{name: "rate limit that does not end", fault: sim.Fault{Path: "/suno/fetch/", Kind: sim.FaultRateLimit, RetryAfter: 2, Times: -1},
			run: doFetch, want: client.ErrRateLimited, counts: map[string]int{fetch: 4},
			waits: func(t *testing.T, w []time.Duration) {
				if len(w) != 3 || w[0] != 2*time.Second || w[2] != 2*time.Second {
					t.Fatalf("waits %v, want 3 x 2s", w)
				}
			},
			check: func(t *testing.T, e *faultEnv, err error) {
				if ce := asErr(t, err); ce.RetryAfter != 2*time.Second || !ce.Temporary() || ce.HTTPStatus != 429 {
					t.Fatalf("rate limit error: %+v", ce)
				}
			}},
		{name: "rate limit longer than the max wait", copts: []client.Option{client.WithMaxRetryWait(30 * time.Second)},
			fault: sim.Fault{Path: "/suno/submit/", Kind: sim.FaultRateLimit, RetryAfter: 120},
			run:   doSubmit, want: client.ErrRateLimited, counts: map[string]int{submit: 1}, waits: noWait,
			check: func(t *testing.T, e *faultEnv, err error) {
				if ce := asErr(t, err); ce.RetryAfter != 2*time.Minute || !strings.Contains(err.Error(), "try again in 2m0s") {
					t.Fatalf("rate limit error: %v (%+v)", err, ce)
				}
			}},
		{name: "rate limit chat", fault: sim.Fault{Path: "/v1/chat/", Kind: sim.FaultRateLimit, RetryAfter: 4},
			run: doChat, want: client.ErrRateLimited, counts: map[string]int{chat: 1},
			check: func(t *testing.T, e *faultEnv, err error) {
				if ce := asErr(t, err); ce.RetryAfter != 4*time.Second {
					t.Fatalf("chat rate limit error: %+v", ce)
				}
			}},

		// 500 / 502: an idempotent fetch retries and succeeds; a submit is never sent twice.
		{name: "server error fetch", fault: sim.Fault{Path: "/suno/fetch/", Kind: sim.FaultServerError},
			run: doFetch, counts: map[string]int{fetch: 2}, waits: backoffOnce},
		{name: "server error fetch that does not end", fault: sim.Fault{Path: "/suno/fetch/", Kind: sim.FaultServerError, Times: -1},
			run: doFetch, want: client.ErrUpstream, counts: map[string]int{fetch: 4},
			check: func(t *testing.T, e *faultEnv, err error) {
				if ce := asErr(t, err); ce.HTTPStatus != 500 || ce.Code != "get_task_failed" {
					t.Fatalf("server error: %+v", ce)
				}
			}},
		{name: "server error submit", fault: sim.Fault{Path: "/suno/submit/", Kind: sim.FaultServerError},
			run: doSubmit, want: client.ErrUpstream, counts: map[string]int{submit: 1}, waits: noWait},
		{name: "server error goamz fetch", dialect: client.DialectGoAmz, fault: sim.Fault{Path: "/suno/v1/music/", Kind: sim.FaultServerError},
			run: doFetch, counts: map[string]int{gFetch: 2}},
		{name: "server error chat", fault: sim.Fault{Path: "/v1/chat/", Kind: sim.FaultServerError},
			run: doChat, want: client.ErrUpstream, counts: map[string]int{chat: 1}},
		// new-api's billing endpoints answer failures with HTTP 200 and
		// {"error":{"type":"upstream_error",...}} (relay-api 3.8, 9.21): an upstream failure.
		{name: "server error billing (HTTP 200 error body)", fault: sim.Fault{Path: "/v1/dashboard/", Kind: sim.FaultServerError},
			run: doBilling, counts: map[string]int{subscrip: 2}, waits: backoffOnce}, // an upstream hiccup: retried
		{name: "server error billing forever", fault: sim.Fault{Path: "/v1/dashboard/", Kind: sim.FaultServerError, Times: -1},
			run: doBilling, want: client.ErrUpstream, counts: map[string]int{subscrip: 4}},
		{name: "bad gateway fetch", fault: sim.Fault{Path: "/suno/fetch/", Kind: sim.FaultBadGateway},
			run: doFetch, counts: map[string]int{fetch: 2}, waits: backoffOnce},
		{name: "bad gateway submit", fault: sim.Fault{Path: "/suno/submit/", Kind: sim.FaultBadGateway},
			run: doSubmit, want: client.ErrUpstream, counts: map[string]int{submit: 1}, waits: noWait,
			check: func(t *testing.T, e *faultEnv, err error) {
				if ce := asErr(t, err); ce.HTTPStatus != 502 || !strings.Contains(err.Error(), "502 Bad Gateway") {
					t.Fatalf("bad gateway: %v", err)
				}
			}},

		// A 200 HTML page (captive portal) is not JSON.
		{name: "html ok fetch", fault: sim.Fault{Path: "/suno/fetch/", Kind: sim.FaultHTMLOK, Times: -1},
			run: doFetch, want: client.ErrMalformed,
			check: func(t *testing.T, e *faultEnv, err error) {
				if !strings.Contains(err.Error(), "HTML") || !strings.Contains(err.Error(), "Sign in - Network Access") {
					t.Fatalf("html error: %v", err)
				}
			}},
		{name: "html ok submit", fault: sim.Fault{Path: "/suno/submit/", Kind: sim.FaultHTMLOK},
			run: doSubmit, want: client.ErrMalformed, counts: map[string]int{submit: 1}, waits: noWait},
		{name: "html ok billing", fault: sim.Fault{Path: "/v1/dashboard/", Kind: sim.FaultHTMLOK, Times: -1},
			run: doBilling, want: client.ErrMalformed},

		// A body cut short (valid HTTP, invalid JSON).
		{name: "truncated fetch", fault: sim.Fault{Path: "/suno/fetch/", Kind: sim.FaultTruncated},
			run: doFetch, counts: map[string]int{fetch: 2}, waits: backoffOnce},
		{name: "truncated batch", fault: sim.Fault{Path: "/suno/fetch", Method: "POST", Kind: sim.FaultTruncated},
			run: doBatch, counts: map[string]int{batch: 2}},
		{name: "truncated submit", fault: sim.Fault{Path: "/suno/submit/", Kind: sim.FaultTruncated},
			run: doSubmit, want: client.ErrMalformed, counts: map[string]int{submit: 1}, waits: noWait,
			check: usageIs(2)}, // the relay did create (and bill) the song: retrying would pay twice
		{name: "sse cut on a JSON call", fault: sim.Fault{Path: "/suno/fetch/", Kind: sim.FaultSSECut},
			run: doFetch, counts: map[string]int{fetch: 2}},

		// A connection reset in the middle of the body.
		{name: "reset fetch", fault: sim.Fault{Path: "/suno/fetch/", Kind: sim.FaultReset},
			run: doFetch, counts: map[string]int{fetch: 2}, waits: backoffOnce},
		{name: "reset submit", fault: sim.Fault{Path: "/suno/submit/", Kind: sim.FaultReset},
			run: doSubmit, want: client.ErrNetwork, counts: map[string]int{submit: 1}, waits: noWait, check: usageIs(2)},
		{name: "reset goamz submit", dialect: client.DialectGoAmz, fault: sim.Fault{Path: "/suno/v1/music", Method: "POST", Kind: sim.FaultReset},
			run: doSubmit, want: client.ErrNetwork, counts: map[string]int{gSubmit: 1}},

		// Slow relays against the call timeout.
		{name: "slow fetch within the timeout", copts: []client.Option{client.WithCallTimeout(5 * time.Second)},
			fault: sim.Fault{Path: "/suno/fetch/", Kind: sim.FaultSlow, Delay: 20 * time.Millisecond},
			run:   doFetch, counts: map[string]int{fetch: 1}},
		{name: "slow fetch", copts: []client.Option{client.WithCallTimeout(150 * time.Millisecond)},
			fault: sim.Fault{Path: "/suno/fetch/", Kind: sim.FaultSlow, Delay: 10 * time.Second, Times: -1},
			run:   doFetch, want: client.ErrTimeout},
		{name: "slow submit", copts: []client.Option{client.WithCallTimeout(150 * time.Millisecond)},
			fault: sim.Fault{Path: "/suno/submit/", Kind: sim.FaultSlow, Delay: 10 * time.Second},
			run:   doSubmit, want: client.ErrTimeout, counts: map[string]int{submit: 1}},
		{name: "slow chat", copts: []client.Option{client.WithIdleTimeout(150 * time.Millisecond)},
			fault: sim.Fault{Path: "/v1/chat/", Kind: sim.FaultSlow, Delay: 10 * time.Second},
			run:   doChat, want: client.ErrTimeout, counts: map[string]int{chat: 1}},

		// Replies over the size limit.
		{name: "oversize fetch", fault: sim.Fault{Path: "/suno/fetch/", Kind: sim.FaultOversize},
			run: doFetch, want: client.ErrTooLarge, counts: map[string]int{fetch: 1}},
		{name: "oversize billing", fault: sim.Fault{Path: "/v1/dashboard/", Kind: sim.FaultOversize},
			run: doBilling, want: client.ErrTooLarge},
		{name: "oversize chat", fault: sim.Fault{Path: "/v1/chat/", Kind: sim.FaultOversize},
			run: doChatNoStream, want: client.ErrTooLarge},
		{name: "oversize chat stream", fault: sim.Fault{Path: "/v1/chat/", Kind: sim.FaultOversize},
			run: doChat, want: client.ErrTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := tc.dialect
			if d == "" {
				d = client.DialectTask
			}
			fe := &faultEnv{env: newEnv(t, sim.Options{}, d, tc.copts...)}
			if d != client.DialectChat {
				// The setup song goes through the task dialect, so a fetch fault has a task.
				setup := fe.client(client.DialectTask, secretKey)
				sub, err := setup.SubmitMusic(ctxT(t), client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "Setup"})
				noErr(t, err, "setup")
				fe.taskID = sub.TaskID
			}
			fe.sim.ResetCounts()
			fe.sim.Inject(tc.fault)
			start := time.Now()
			err := tc.run(ctxT(t), fe)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("the call took %v", took)
			}
			if tc.want == nil {
				noErr(t, err, "call after the fault")
			} else {
				wantErr(t, err, tc.want, "call with the fault")
			}
			for ep, n := range tc.counts {
				if got := fe.sim.Requests(ep); got != n {
					t.Errorf("%s: %d requests, want %d", ep, got, n)
				}
			}
			if tc.waits != nil {
				tc.waits(t, fe.waits.all())
			}
			if tc.check != nil {
				tc.check(t, fe, err)
			}
		})
	}
}

// usageIs checks the relay's usage counter (in units: 1 per song).
func usageIs(want float64) func(*testing.T, *faultEnv, error) {
	return func(t *testing.T, e *faultEnv, _ error) {
		t.Helper()
		c := e.client(client.DialectTask, secretKey)
		u, err := c.Usage(ctxT(t))
		noErr(t, err, "usage")
		if u.Total != want {
			t.Fatalf("usage %v, want %v songs billed", u.Total, want)
		}
	}
}

func asErr(t *testing.T, err error) *client.Error {
	t.Helper()
	var ce *client.Error
	if !errors.As(err, &ce) {
		t.Fatalf("%v is not a *client.Error", err)
	}
	return ce
}

// TestContractChatCut: a chat stream that stops half-way keeps the text that arrived and ends
// in a typed error.
func TestContractChatCut(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind   sim.FaultKind
		format string
		want   error
	}{
		{sim.FaultReset, "a", client.ErrNetwork},
		{sim.FaultReset, "b", client.ErrNetwork},
		// The cut ends the body cleanly, without [DONE]: the stream is unfinished (no
		// [DONE], no finish_reason, no error text), which a caller must not take for a
		// finished chat.
		{sim.FaultSSECut, "a", client.ErrNetwork},
		{sim.FaultSSECut, "b", client.ErrNetwork},
		{sim.FaultTruncated, "a", client.ErrNetwork},
	} {
		t.Run(string(tc.kind)+" format "+tc.format, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Options{ChatFormat: tc.format}, client.DialectChat)
			e.sim.Inject(sim.Fault{Path: "/v1/chat/", Kind: tc.kind})
			var deltas strings.Builder
			res, err := e.c.Chat(ctxT(t), client.ChatRequest{Prompt: "a song about cables"}, func(u client.ChatUpdate) {
				deltas.WriteString(u.Delta)
			})
			prefix := "请求成功"
			if tc.format == "b" {
				prefix = "\n### 🤯 Creating"
			}
			if !strings.HasPrefix(res.Text, prefix) || res.Done {
				t.Fatalf("kept text %q, done %v", res.Text, res.Done)
			}
			if html.UnescapeString(deltas.String()) != res.Text {
				t.Fatalf("deltas %q do not add up to the kept text %q", deltas.String(), res.Text)
			}
			for _, c := range res.Clips {
				if c.Status == client.ClipComplete {
					t.Fatalf("a clip completed in a cut stream: %+v", c)
				}
			}
			wantErr(t, err, tc.want, "cut chat")
		})
	}
}

// TestContractFates: the keywords sim:policy, sim:fail and sim:never in every dialect.
func TestContractFates(t *testing.T) {
	t.Parallel()
	failed := func(t *testing.T, tk client.Task, reason string) {
		t.Helper()
		if tk.Status != client.StatusFailed || !strings.Contains(tk.FailReason, reason) {
			t.Fatalf("task %s, reason %q (want it to contain %q)", tk.Status, tk.FailReason, reason)
		}
		for _, c := range tk.Clips {
			if c.Status != client.ClipFailed || c.Error == "" || c.AudioURL != "" || c.Playable() {
				t.Fatalf("clip of a failed task: %+v", c)
			}
		}
	}
	for _, d := range []client.Dialect{client.DialectTask, client.DialectGoAmz} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Options{StageTime: 10 * time.Millisecond}, d)
			ctx := ctxT(t)
			t.Run("policy", func(t *testing.T) {
				tk := e.poll(e.submit(client.MusicRequest{Mode: client.ModeCustom, Lyrics: "[Verse]\nbad words sim:policy", Title: "P"}), client.KindMusic)
				failed(t, tk, "content policy")
				if len(tk.Clips) != 2 {
					t.Fatalf("policy clips: %+v", tk.Clips)
				}
			})
			t.Run("fail", func(t *testing.T) {
				tk := e.poll(e.submit(client.MusicRequest{Description: "a song sim:fail"}), client.KindMusic)
				failed(t, tk, "failed")
			})
			t.Run("lyrics fail", func(t *testing.T) {
				sub, err := e.c.SubmitLyrics(ctx, "words sim:fail")
				noErr(t, err, "lyrics")
				tk := e.poll(sub.TaskID, client.KindLyrics)
				if tk.Status != client.StatusFailed || tk.FailReason == "" {
					t.Fatalf("failed lyrics: %+v", tk)
				}
			})
			t.Run("never", func(t *testing.T) {
				id := e.submit(client.MusicRequest{Description: "a song sim:never"})
				var tk client.Task
				for i := 0; i < 8; i++ {
					var err error
					tk, err = e.c.FetchTask(ctx, id, client.KindMusic)
					noErr(t, err, "fetch")
					time.Sleep(10 * time.Millisecond)
				}
				if tk.Status != client.StatusRunning || len(tk.Clips) != 2 {
					t.Fatalf("sim:never after 8 stages: %+v", tk)
				}
				for _, c := range tk.Clips {
					if c.Status != client.ClipStreaming || c.StreamURL == "" || c.AudioURL != "" {
						t.Fatalf("sim:never clip: %+v", c)
					}
				}
				e.sim.Complete(id)
				checkSucceeded(t, e.sim.URL(), e.poll(id, client.KindMusic))
			})
		})
	}
	for _, f := range []string{"a", "b"} {
		t.Run("chat "+f, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Options{ChatFormat: f, ChatTick: 5 * time.Millisecond}, client.DialectChat)
			ctx := ctxT(t)
			t.Run("policy", func(t *testing.T) {
				res, err := e.c.Chat(ctx, client.ChatRequest{Prompt: "a song sim:policy"}, nil)
				wantErr(t, err, client.ErrUpstream, "policy chat")
				if res.RelayError == "" || res.Text == "" {
					t.Fatalf("policy chat result: %+v", res)
				}
				for _, c := range res.Clips {
					if c.Status != client.ClipFailed || c.Error == "" {
						t.Fatalf("policy chat clip: %+v", c)
					}
				}
			})
			t.Run("fail", func(t *testing.T) {
				res, err := e.c.Chat(ctx, client.ChatRequest{Prompt: "a song sim:fail"}, nil)
				wantErr(t, err, client.ErrUpstream, "failed chat")
				if res.Done || res.RelayError == "" {
					t.Fatalf("failed chat result: %+v", res)
				}
			})
			t.Run("never", func(t *testing.T) {
				// Suno-API and Suno2openai give up after 60 ticks and write "timeout".
				res, err := e.c.Chat(ctx, client.ChatRequest{Prompt: "a song sim:never"}, nil)
				wantErr(t, err, client.ErrUpstream, "endless chat")
				if !strings.Contains(res.RelayError, "timeout") || len(res.Clips) == 0 && f == "b" {
					t.Fatalf("endless chat result: %q %+v", res.RelayError, res.Clips)
				}
				for _, c := range res.Clips {
					if c.Status == client.ClipComplete {
						t.Fatalf("endless chat clip complete: %+v", c)
					}
				}
			})
		})
	}
}

// TestContractStockNewAPI: RejectExtended behaves like stock new-api / one-hub (relay-api 9.18).
func TestContractStockNewAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{RejectExtended: true}, client.DialectTask)
	ctx := ctxT(t)
	src := e.song(client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "Stock", Tags: "folk"})
	clip := src.Clips[0].ID
	advice := "stock new-api and one-hub relays only offer music and lyrics"
	ops := map[string]func() error{
		"concat": func() error { _, err := e.c.Concat(ctx, clip, false); return err },
		"upload": func() error { _, err := e.c.UploadURL(ctx, "https://example.com/a.mp3"); return err },
		"stems":  func() error { _, err := e.c.Stems(ctx, clip); return err },
		"timing": func() error { _, err := e.c.Timing(ctx, clip); return err },
		"wav":    func() error { _, err := e.c.WAV(ctx, clip); return err },
		"mp4":    func() error { _, err := e.c.MP4(ctx, clip); return err },
		"persona": func() error {
			_, err := e.c.CreatePersona(ctx, client.PersonaRequest{RootClipID: clip, Name: "n"})
			return err
		},
	}
	for name, op := range ops {
		err := op()
		wantErr(t, err, client.ErrUnsupported, name)
		if !strings.Contains(err.Error(), advice) {
			t.Errorf("%s: the error lacks the advice: %v", name, err)
		}
	}
	if ce := asErr(t, ops["concat"]()); ce.HTTPStatus != 400 || ce.Code != "invalid_action" {
		t.Fatalf("concat on stock new-api: %+v", ce)
	}
	// What stock new-api does offer still works.
	tasks, err := e.c.FetchTasks(ctx, []string{src.ID})
	noErr(t, err, "batch")
	if len(tasks) != 1 {
		t.Fatalf("batch: %+v", tasks)
	}
	lyr, err := e.c.SubmitLyrics(ctx, "a folk song")
	noErr(t, err, "lyrics")
	if tk := e.poll(lyr.TaskID, client.KindLyrics); tk.Status != client.StatusSucceeded {
		t.Fatalf("lyrics: %+v", tk)
	}
	_, err = e.c.Quota(ctx)
	noErr(t, err, "quota")
	// A cover request is stripped to its custom fields and silently becomes a new song: the
	// relay answers success, the clips are not the source restyled (own title, own lyrics).
	cover := e.song(client.MusicRequest{Mode: client.ModeCover, CoverClipID: clip, Tags: "jazz", Lyrics: "[Verse]\nnot a cover"})
	if c := cover.Clips[0]; c.Title == "Stock" || c.Tags != "jazz" || c.Lyrics != "[Verse]\nnot a cover" || c.Type != "gen" {
		t.Fatalf("cover on stock new-api: %+v", c)
	}
	// Persona fields are dropped the same way.
	p := e.song(client.MusicRequest{Mode: client.ModePersona, PersonaID: "any", Lyrics: "[Verse]\nplain", Title: "Plain"})
	if c := p.Clips[0]; c.Title != "Plain" {
		t.Fatalf("persona on stock new-api: %+v", c)
	}
}

// TestContractKeys: new-api's key rules (relay-api 1) and keys never leaking into errors.
func TestContractKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{Key: "sk-abc"}, client.DialectTask)
	for _, tc := range []struct {
		key string
		ok  bool
	}{
		{"sk-abc", true},
		{"Bearer sk-abc", true},
		{"  Bearer sk-abc  ", true},
		{"abc", true},
		{"sk-abc-2", true}, // the -<n> suffix pins a channel
		{"abc-7", true},
		{"sk-abd", false},
		{"sk-abcd", false},
		{"sk-contract-WRONG-77", false},
		{"", false},
	} {
		for _, d := range client.Dialects {
			c := e.client(d, tc.key)
			ctx := ctxT(t)
			var err error
			switch d {
			case client.DialectChat:
				_, err = c.Chat(ctx, client.ChatRequest{Prompt: "a key song"}, nil)
			case client.DialectGoAmz:
				_, err = c.FetchTask(ctx, "00000000-0000-4000-8000-000000000000", client.KindMusic)
				if tc.ok {
					wantErr(t, err, client.ErrNotFound, "goamz with key "+tc.key)
					err = nil
				}
			default:
				_, err = c.SubmitLyrics(ctx, "a key song")
			}
			if tc.ok {
				noErr(t, err, string(d)+" with key "+tc.key)
				continue
			}
			wantErr(t, err, client.ErrAuth, string(d)+" with key "+tc.key)
			if k := strings.TrimSpace(tc.key); k != "" && strings.Contains(err.Error(), k) {
				t.Errorf("the error shows the key: %v", err)
			}
			if !strings.Contains(err.Error(), "API key") {
				t.Errorf("auth error without advice: %v", err)
			}
		}
	}
	// A simulator without a key accepts any non-empty key.
	open := newEnv(t, sim.Options{Key: anyKey}, client.DialectTask)
	_, err := open.client(client.DialectTask, "sk-whatever").SubmitLyrics(ctxT(t), "open relay")
	noErr(t, err, "any key")
	_, err = open.client(client.DialectTask, "").SubmitLyrics(ctxT(t), "open relay")
	wantErr(t, err, client.ErrAuth, "no key at all")
}

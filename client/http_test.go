package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const testKey = "sk-test-SECRETKEY123"

// newTestClient points a client at handler, with instant backoff that records the waits.
func newTestClient(t *testing.T, h http.HandlerFunc, opts ...Option) (*Client, *[]time.Duration) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	var waits []time.Duration
	base := []Option{WithSleep(func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	})}
	c, err := New(Profile{Name: "test", BaseURL: srv.URL + "/v1/", APIKey: testKey, Dialect: DialectTask}, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, &waits
}

func assertNoKey(t *testing.T, err error) {
	t.Helper()
	if err != nil && (strings.Contains(err.Error(), "SECRETKEY123") || strings.Contains(fmt.Sprintf("%+v", err), "SECRETKEY123")) {
		t.Fatalf("the API key leaked into an error: %v", err)
	}
}

func TestHeadersAndBaseURL(t *testing.T) {
	var got *http.Request
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		fmt.Fprint(w, `{"code":"success","message":"","data":"tid"}`)
	})
	sub, err := c.SubmitLyrics(context.Background(), "dance")
	if err != nil || sub.TaskID != "tid" {
		t.Fatalf("%+v %v", sub, err)
	}
	// The trailing /v1/ of the base URL is dropped: paths start below it.
	if got.URL.Path != "/suno/submit/lyrics" {
		t.Errorf("path = %q", got.URL.Path)
	}
	if got.Header.Get("Authorization") != "Bearer "+testKey || got.Header.Get("Content-Type") != "application/json" ||
		!strings.HasPrefix(got.Header.Get("User-Agent"), "sunostudio/") || got.Header.Get("Accept") != "application/json" {
		t.Errorf("headers = %v", got.Header)
	}
}

func TestErrorKindsByReply(t *testing.T) {
	cases := []struct {
		name   string
		status int
		ctype  string
		body   string
		kind   ErrorKind
		text   string
	}{
		{"401 new-api", 401, "application/json", `{"error":{"message":"无效的令牌 ` + testKey + `","type":"new_api_error"}}`, KindAuth, "无效的令牌"},
		{"invalid_action", 400, "application/json", `{"code":"invalid_action","message":"invalid_action","data":null}`, KindUnsupported, "does not support"},
		{"prompt_empty", 400, "application/json", `{"code":"prompt_empty","message":"prompt_empty"}`, KindBadRequest, "prompt_empty"},
		{"502 html", 502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>", KindUpstream, "502 Bad Gateway"},
		{"html without type", 504, "", "<!DOCTYPE html><html><title>Gateway time-out | Cloudflare</title>", KindUpstream, "Cloudflare"},
		{"200 html page", 200, "text/html; charset=utf-8", "<html><title>Login</title></html>", KindMalformed, "HTML page"},
		{"200 garbage", 200, "application/json", `{"code":"success","data":`, KindMalformed, "cannot read"},
		{"200 error code", 200, "application/json", `{"code":"fail","message":"余额不足"}`, KindBadRequest, "余额不足"},
		{"terminal escape in message", 400, "application/json", "{\"code\":\"bad\",\"message\":\"evil\\u001b]52;c;ZXZpbA==\\u0007text\"}", KindBadRequest, "eviltext"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.ctype != "" {
					w.Header().Set("Content-Type", tc.ctype)
				}
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			})
			_, err := c.SubmitLyrics(context.Background(), "x")
			assertNoKey(t, err)
			if KindOf(err) != tc.kind {
				t.Fatalf("kind = %s, want %s (%v)", KindOf(err), tc.kind, err)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error %q should mention %q", err, tc.text)
			}
			if strings.ContainsRune(err.Error(), 0x1b) || strings.ContainsRune(err.Error(), 0x07) {
				t.Errorf("escape sequence survived: %q", err)
			}
		})
	}
}

func TestNotFoundVersusUnsupported(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(404)
		fmt.Fprint(w, `404 page not found`)
	})
	_, err := c.FetchTask(context.Background(), "abc", KindMusic)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "task abc") {
		t.Errorf("fetch 404 = %v", err)
	}
	_, err = c.Concat(context.Background(), "clip", false)
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("concat 404 = %v", err)
	}
	_, err = c.Timing(context.Background(), "clip")
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("timing 404 = %v", err)
	}
}

func TestRateLimitRetryAfter(t *testing.T) {
	var n atomic.Int32
	c, waits := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(429)
			fmt.Fprint(w, `{"code":"rate_limit","message":"当前分组上游负载已饱和，请稍后再试","data":null}`)
			return
		}
		fmt.Fprint(w, `{"code":"success","data":"tid"}`)
	})
	// A submit is retried on 429: the relay did not act on it.
	sub, err := c.SubmitMusic(context.Background(), MusicRequest{Mode: ModeInspiration, Description: "x"})
	if err != nil || sub.TaskID != "tid" || n.Load() != 2 {
		t.Fatalf("sub=%+v err=%v calls=%d", sub, err, n.Load())
	}
	if len(*waits) != 1 || (*waits)[0] != 7*time.Second {
		t.Errorf("waits = %v, want [7s]", *waits)
	}
}

func TestRateLimitTooLongIsReturned(t *testing.T) {
	c, waits := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "600")
		w.WriteHeader(429)
	})
	_, err := c.FetchTask(context.Background(), "t", KindMusic)
	var ce *Error
	if !errors.As(err, &ce) || ce.Kind != KindRateLimited || ce.RetryAfter != 10*time.Minute {
		t.Fatalf("err = %#v", err)
	}
	if len(*waits) != 0 {
		t.Errorf("should not sleep 10 minutes: %v", *waits)
	}
	if !strings.Contains(err.Error(), "try again in 10m0s") {
		t.Errorf("advice missing: %v", err)
	}
}

func TestSubmitIsNotRetriedOnServerError(t *testing.T) {
	var n atomic.Int32
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(500)
		fmt.Fprint(w, `{"code":"submit_failed","message":"upstream"}`)
	})
	_, err := c.SubmitMusic(context.Background(), MusicRequest{Mode: ModeInspiration, Description: "x"})
	if KindOf(err) != KindUpstream || n.Load() != 1 {
		t.Fatalf("err=%v calls=%d: a paid submit must not be sent twice", err, n.Load())
	}
}

func TestFetchIsRetriedOnServerErrorAndTruncation(t *testing.T) {
	var n atomic.Int32
	c, waits := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			w.WriteHeader(502)
		case 2:
			fmt.Fprint(w, `{"code":"success","data":{"task_id":"t","sta`)
		default:
			fmt.Fprint(w, `{"code":"success","data":{"task_id":"t","status":"SUCCESS","action":"LYRICS","data":{"title":"x","text":"y"}}}`)
		}
	})
	task, err := c.FetchTask(context.Background(), "t", KindLyrics)
	if err != nil || task.Lyrics == nil || task.Lyrics.Text != "y" || n.Load() != 3 {
		t.Fatalf("task=%+v err=%v calls=%d", task, err, n.Load())
	}
	if len(*waits) != 2 || (*waits)[1] < (*waits)[0]/2 {
		t.Errorf("backoff waits = %v", *waits)
	}
}

func TestRetriesGiveUp(t *testing.T) {
	var n atomic.Int32
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(503)
	}, WithRetry(2, time.Millisecond))
	_, err := c.FetchTask(context.Background(), "t", KindMusic)
	if KindOf(err) != KindUpstream || n.Load() != 3 {
		t.Fatalf("err=%v calls=%d", err, n.Load())
	}
	var ce *Error
	if errors.As(err, &ce) && !ce.Temporary() {
		t.Error("a 503 is temporary")
	}
}

func TestOversizeReply(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"code":"success","data":"`+strings.Repeat("x", 2048)+`"}`)
	}, WithMaxBody(1024))
	_, err := c.SubmitLyrics(context.Background(), "x")
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
}

func TestConnectionRefusedSubmitRetried(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens: every dial is refused
	var waits int
	c, _ := New(Profile{Name: "gone", BaseURL: "http://" + addr, APIKey: testKey},
		WithSleep(func(ctx context.Context, d time.Duration) error { waits++; return nil }))
	_, err = c.SubmitMusic(context.Background(), MusicRequest{Mode: ModeInspiration, Description: "x"})
	if KindOf(err) != KindNetwork || waits != 3 {
		t.Fatalf("err=%v waits=%d", err, waits)
	}
	assertNoKey(t, err)
	if !strings.Contains(err.Error(), "relay gone") || !strings.Contains(err.Error(), "check the base URL") {
		t.Errorf("unhelpful: %v", err)
	}
}

func TestCancellation(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err := c.FetchTask(ctx, "t", KindMusic)
	if KindOf(err) != KindCanceled || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestCallTimeout(t *testing.T) {
	release := make(chan struct{})
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}, WithCallTimeout(50*time.Millisecond))
	defer close(release) // before the server's Close, which waits for this handler
	_, err := c.SubmitLyrics(context.Background(), "x")
	if KindOf(err) != KindTimeout {
		t.Fatalf("err = %v", err)
	}
}

func TestValidationNeedsNoNetwork(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) { t.Error("no request expected") })
	bad := []MusicRequest{
		{Mode: ModeInspiration},
		{Mode: ModeCustom},
		{Mode: ModeContinue, ContinueClipID: "c"},
		{Mode: ModeCover},
		{Mode: ModeInfill, ContinueClipID: "c", InfillStart: 10, InfillEnd: 5},
		{Mode: ModePersona},
		{Mode: "remix"},
	}
	for _, r := range bad {
		if _, err := c.SubmitMusic(context.Background(), r); !errors.Is(err, ErrBadRequest) {
			t.Errorf("%+v: err = %v", r, err)
		}
	}
	if _, err := c.UploadURL(context.Background(), "file:///etc/passwd"); !errors.Is(err, ErrBadRequest) {
		t.Errorf("upload of a local path: %v", err)
	}
}

func TestDialectSupport(t *testing.T) {
	g, _ := New(Profile{Name: "g", BaseURL: "https://example.invalid", Dialect: DialectGoAmz})
	if _, err := g.Concat(context.Background(), "c", false); !errors.Is(err, ErrUnsupported) {
		t.Errorf("goamz concat: %v", err)
	}
	if _, err := g.FetchTasks(context.Background(), []string{"a"}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("goamz batch: %v", err)
	}
	if _, err := g.SubmitMusic(context.Background(), MusicRequest{Mode: ModeCover, CoverClipID: "c"}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("goamz cover: %v", err)
	}
	ch, _ := New(Profile{Name: "c", BaseURL: "https://example.invalid", Dialect: DialectChat})
	if _, err := ch.SubmitMusic(context.Background(), MusicRequest{Description: "x"}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("chat submit: %v", err)
	}
	if _, err := New(Profile{Name: "x", BaseURL: "ftp://x"}); err == nil {
		t.Error("ftp base URL accepted")
	}
	if _, err := New(Profile{Name: "x", BaseURL: "https://x", Dialect: "soap"}); err == nil {
		t.Error("unknown dialect accepted")
	}
}

func TestInsecureBaseURL(t *testing.T) {
	cases := map[string]bool{
		"http://api.example.com": true, "http://10.0.0.2:3000": true, "https://api.example.com": false,
		"http://127.0.0.1:8787": false, "http://localhost:8787": false, "http://[::1]:80": false,
	}
	for u, want := range cases {
		if got := InsecureBaseURL(u); got != want {
			t.Errorf("InsecureBaseURL(%q) = %v", u, got)
		}
	}
}

func TestBillingErrorsWithStatus200(t *testing.T) { // 9.21
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/dashboard/billing/subscription":
			fmt.Fprint(w, `{"object":"billing_subscription","has_payment_method":true,"soft_limit_usd":5,"hard_limit_usd":100000000,"system_hard_limit_usd":5,"access_until":1893456000}`)
		case "/v1/dashboard/billing/usage":
			fmt.Fprint(w, `{"error":{"message":"令牌已过期","type":"new_api_error"}}`)
		}
	})
	s, err := c.Subscription(context.Background())
	if err != nil || !s.Unlimited || s.AccessUntil.Year() != 2030 {
		t.Fatalf("sub = %+v %v", s, err)
	}
	_, err = c.Usage(context.Background())
	if KindOf(err) != KindAuth || !strings.Contains(err.Error(), "令牌已过期") {
		t.Fatalf("usage err = %v", err)
	}
}

func TestQuotaCents(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "usage") {
			fmt.Fprint(w, `{"object":"list","total_usage":1234}`)
			return
		}
		fmt.Fprint(w, `{"hard_limit_usd":"50","soft_limit_usd":50,"access_until":0}`)
	})
	q, err := c.Quota(context.Background())
	if err != nil || q.HardLimit != 50 || q.Used != 12.34 || q.Remaining() != 37.66 || !q.AccessUntil.IsZero() {
		t.Fatalf("quota = %+v %v", q, err)
	}
}

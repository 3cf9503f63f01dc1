package sim

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAuthKeyRules(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Key: "sk-abc"})
	for _, h := range []string{"Bearer sk-abc", "Bearer abc", "sk-abc", "Bearer sk-abc-2", "abc-7"} {
		if r := call(t, s, "GET", "/v1/dashboard/billing/usage", nil, "Authorization", h); r.status != 200 {
			t.Errorf("%q rejected: %d", h, r.status)
		}
	}
	for _, h := range []string{"Bearer sk-abd", "Bearer xyz", "Bearer sk-"} {
		r := call(t, s, "GET", "/v1/dashboard/billing/usage", nil, "Authorization", h)
		e, _ := r.json(t)["error"].(map[string]any)
		if r.status != 401 || e["message"] != "无效的令牌" || e["type"] != "new_api_error" {
			t.Errorf("%q: %d %s", h, r.status, r.body)
		}
	}
	r := call(t, s, "POST", "/suno/submit/music", map[string]any{"prompt": "x"}, "Authorization", "")
	if e, _ := r.json(t)["error"].(map[string]any); r.status != 401 || e["message"] != "未提供令牌" {
		t.Errorf("no key: %d %s", r.status, r.body)
	}
	if r := call(t, s, "GET", "/v1/models", nil, "Authorization", "", "mj-api-secret", "sk-abc"); r.status != 200 {
		t.Errorf("mj-api-secret: %d", r.status)
	}
	// Media needs no key.
	if r := get(t, s.URL()+"/cdn/None.mp3"); r.status != 404 {
		t.Errorf("cdn: %d", r.status)
	}
	// Key "" accepts any non-empty key and advertises sk-demo.
	open, err := Start(Options{SongSeconds: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	if open.Key() != "sk-demo" {
		t.Fatalf("Key() = %q", open.Key())
	}
	if r := call(t, open, "GET", "/v1/models", nil, "Authorization", "Bearer anything"); r.status != 200 {
		t.Errorf("open sim: %d", r.status)
	}
	if r := call(t, open, "GET", "/v1/models", nil, "Authorization", ""); r.status != 401 {
		t.Errorf("open sim without key: %d", r.status)
	}
}

func TestFaultStatusAndBodies(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{})
	id := submitMusic(t, s, map[string]any{"prompt": "x", "tags": "y"})

	s.Inject(Fault{Path: "/suno/fetch", Kind: FaultUnauthorized})
	r := call(t, s, "GET", "/suno/fetch/"+id, nil)
	if e, _ := r.json(t)["error"].(map[string]any); r.status != 401 || e["message"] != "无效的令牌" || e["type"] != "new_api_error" {
		t.Fatalf("401: %d %s", r.status, r.body)
	}
	if r := call(t, s, "GET", "/suno/fetch/"+id, nil); r.status != 200 {
		t.Fatalf("fault not consumed: %d", r.status)
	}

	s.Inject(Fault{Method: "GET", Path: "/suno/fetch/", Kind: FaultRateLimit, RetryAfter: 7, Times: 2})
	for i := 0; i < 2; i++ {
		r = call(t, s, "GET", "/suno/fetch/"+id, nil)
		m := r.json(t)
		if r.status != 429 || r.header.Get("Retry-After") != "7" || m["message"] != rateLimitText || m["data"] != nil || m["code"] == "" {
			t.Fatalf("429 #%d: %d %v %s", i, r.status, r.header, r.body)
		}
	}
	if r := call(t, s, "GET", "/suno/fetch/"+id, nil); r.status != 200 {
		t.Fatalf("Times 2 not honoured: %d", r.status)
	}
	// Method filter: a POST does not match a GET fault.
	s.Inject(Fault{Method: "GET", Kind: FaultServerError})
	if r := call(t, s, "POST", "/suno/fetch", map[string]any{"ids": []string{id}}); r.status != 200 {
		t.Fatalf("method filter: %d", r.status)
	}
	r = call(t, s, "GET", "/suno/fetch/"+id, nil)
	if m := r.json(t); r.status != 500 || m["code"] != "get_task_failed" {
		t.Fatalf("500: %d %s", r.status, r.body)
	}

	s.Inject(Fault{Kind: FaultBadGateway})
	r = call(t, s, "GET", "/suno/fetch/"+id, nil)
	if r.status != 502 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "502 Bad Gateway") {
		t.Fatalf("502: %d %v", r.status, r.header)
	}
	s.Inject(Fault{Kind: FaultHTMLOK})
	r = call(t, s, "GET", "/suno/fetch/"+id, nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || json.Valid(r.body) {
		t.Fatalf("html 200: %d %v", r.status, r.header)
	}

	s.Inject(Fault{Kind: FaultTruncated})
	r = call(t, s, "GET", "/suno/fetch/"+id, nil)
	if r.status != 200 || json.Valid(r.body) || !strings.HasPrefix(string(r.body), `{"code":"success"`) || r.header.Get("Content-Length") != "" {
		t.Fatalf("truncated: %d %v %.80s", r.status, r.header, r.body)
	}

	s.Inject(Fault{Kind: FaultOversize})
	r = call(t, s, "GET", "/suno/fetch/"+id, nil)
	if r.status != 200 || len(r.body) <= 9<<20 || !json.Valid(r.body) {
		t.Fatalf("oversize: %d %d bytes valid=%v", r.status, len(r.body), json.Valid(r.body))
	}
	if r.json(t)["data"].(map[string]any)["task_id"] != id {
		t.Fatal("oversize lost the real content")
	}
	s.Inject(Fault{Kind: FaultOversize})
	r = call(t, s, "POST", "/suno/fetch", map[string]any{"ids": []string{id}})
	if len(r.body) <= 9<<20 || !json.Valid(r.body) {
		t.Fatal("oversize batch")
	}

	// Header-triggered faults.
	r = call(t, s, "GET", "/suno/fetch/"+id, nil, "X-Sim-Fault", "rate_limit=3")
	if r.status != 429 || r.header.Get("Retry-After") != "3" {
		t.Fatalf("header 429: %d %v", r.status, r.header)
	}
	r = call(t, s, "POST", "/v1/chat/completions", map[string]any{"model": "suno-v3.5"}, "X-Sim-Fault", "server_error")
	if e, ok := r.json(t)["error"].(map[string]any); r.status != 500 || !ok || e["message"] == "" {
		t.Fatalf("chat 500: %d %s", r.status, r.body)
	}
	r = call(t, s, "GET", "/suno/v1/music/"+id, nil, "X-Sim-Fault", "rate_limit")
	if m := r.json(t); r.status != 429 || m["code"] != 429.0 {
		t.Fatalf("goamz 429: %d %s", r.status, r.body)
	}
}

func TestFaultResetAndSlow(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{})
	id := submitMusic(t, s, map[string]any{"prompt": "x", "tags": "y"})
	s.Inject(Fault{Path: "/suno/fetch/", Kind: FaultReset})
	req, _ := http.NewRequest("GET", s.URL()+"/suno/fetch/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+s.Key())
	res, err := http.DefaultClient.Do(req)
	if err == nil {
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	if err == nil {
		t.Fatal("reset: no error reading the body")
	}

	// Slow honours the delay...
	s.Inject(Fault{Kind: FaultSlow, Delay: 150 * time.Millisecond})
	start := time.Now()
	if r := call(t, s, "GET", "/suno/fetch/"+id, nil); r.status != 200 || time.Since(start) < 150*time.Millisecond {
		t.Fatalf("slow: %d after %v", r.status, time.Since(start))
	}
	// ...and the request context: a client timeout does not leave the handler sleeping.
	s.Inject(Fault{Kind: FaultSlow, Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ = http.NewRequestWithContext(ctx, "GET", s.URL()+"/suno/fetch/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+s.Key())
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slow with ctx: %v", err)
	}
}

func TestUnknownPathAndCounts(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{})
	r := call(t, s, "GET", "/v1/nothing", nil)
	if e, ok := r.json(t)["error"].(map[string]any); r.status != 404 || !ok || !strings.Contains(e["message"].(string), "/v1/nothing") {
		t.Fatalf("unknown path: %d %s", r.status, r.body)
	}
	if s.Requests("GET /v1/nothing") != 1 {
		t.Fatal("unknown path not counted")
	}
	get(t, s.URL()+"/cdn/a.mp3")
	get(t, s.URL()+"/cdn/b.mp3")
	get(t, s.URL()+"/audiopipe/?item_id=x")
	if s.Requests("GET /cdn/{file}") != 2 || s.Requests("GET /audiopipe") != 1 {
		t.Fatalf("media counts %d %d", s.Requests("GET /cdn/{file}"), s.Requests("GET /audiopipe"))
	}
}

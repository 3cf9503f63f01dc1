package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is an injectable clock for life-cycle tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const testKey = "sk-test123"

// startSim starts an in-process simulator with short songs and stops it with the test.
func startSim(t *testing.T, opts Options) *Sim {
	t.Helper()
	if opts.Key == "" {
		opts.Key = testKey
	}
	if opts.SongSeconds == 0 {
		opts.SongSeconds = 6
	}
	if opts.ChatTick == 0 {
		opts.ChatTick = 20 * time.Millisecond
	}
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object (%v): %.300s", err, r.body)
	}
	return m
}

// call does one request with the simulator's key; body may be nil, a string or any JSON value.
func call(t *testing.T, s *Sim, method, path string, body any, hdr ...string) resp {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Key())
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: data}
}

// submitMusic submits a task-dialect music request and returns the task id.
func submitMusic(t *testing.T, s *Sim, body map[string]any) string {
	t.Helper()
	r := call(t, s, "POST", "/suno/submit/music", body)
	if r.status != 200 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	m := r.json(t)
	if m["code"] != "success" {
		t.Fatalf("submit envelope: %s", r.body)
	}
	id, ok := m["data"].(string)
	if !ok || id == "" {
		t.Fatalf("submit data is not a task id: %s", r.body)
	}
	return id
}

// fetchTask returns the task object of GET /suno/fetch/{id}.
func fetchTask(t *testing.T, s *Sim, id string) map[string]any {
	t.Helper()
	r := call(t, s, "GET", "/suno/fetch/"+id, nil)
	if r.status != 200 {
		t.Fatalf("fetch %s: %d %s", id, r.status, r.body)
	}
	m := r.json(t)
	d, ok := m["data"].(map[string]any)
	if !ok {
		t.Fatalf("fetch data is not a task: %s", r.body)
	}
	return d
}

func clipsOf(t *testing.T, task map[string]any) []map[string]any {
	t.Helper()
	arr, ok := task["data"].([]any)
	if !ok {
		t.Fatalf("task data is not an array: %v", task["data"])
	}
	var out []map[string]any
	for _, c := range arr {
		out = append(out, c.(map[string]any))
	}
	return out
}

func meta(c map[string]any) map[string]any { m, _ := c["metadata"].(map[string]any); return m }

// get fetches an absolute URL without auth.
func get(t *testing.T, url string, hdr ...string) resp {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: data}
}

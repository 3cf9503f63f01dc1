package sim

import (
	"strings"
	"testing"
	"time"
)

func TestQuirkBareFetch(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Quirks: Quirks{BareFetch: true}})
	id := submitMusic(t, s, map[string]any{"prompt": "x", "tags": "y"})
	m := call(t, s, "GET", "/suno/fetch/"+id, nil).json(t)
	arr, ok := m["data"].([]any)
	if !ok || len(arr) != 2 || arr[0].(map[string]any)["status"] != "complete" {
		t.Fatalf("bare fetch: %v", m["data"])
	}
	ly := call(t, s, "POST", "/suno/submit/lyrics", map[string]any{"prompt": "p"}).json(t)["data"].(string)
	if d, ok := call(t, s, "GET", "/suno/fetch/"+ly, nil).json(t)["data"].(map[string]any); !ok || d["text"] == "" || d["task_id"] != nil {
		t.Fatalf("bare lyrics: %v", d)
	}
	// Batch still returns task objects.
	b := call(t, s, "POST", "/suno/fetch", map[string]any{"ids": []string{id}}).json(t)["data"].([]any)
	if b[0].(map[string]any)["task_id"] != id {
		t.Fatalf("batch changed: %v", b)
	}
}

func TestQuirkMillisIntCodeSubmitObject(t *testing.T) {
	t.Parallel()
	clk := newClock()
	s := startSim(t, Options{Now: clk.Now, Quirks: Quirks{Millis: true, IntCode: true, SubmitObject: true}})
	r := call(t, s, "POST", "/suno/submit/music", map[string]any{"prompt": "x", "tags": "y"})
	m := r.json(t)
	d, ok := m["data"].(map[string]any)
	if m["code"] != 200.0 || !ok || d["task_id"] == "" {
		t.Fatalf("submit: %s", r.body)
	}
	tk := call(t, s, "GET", "/suno/fetch/"+d["task_id"].(string), nil).json(t)
	if tk["code"] != 200.0 {
		t.Fatalf("fetch code: %v", tk["code"])
	}
	task := tk["data"].(map[string]any)
	if task["submit_time"].(float64) != float64(clk.Now().UnixMilli()) || task["finish_time"].(float64) < 1e12 {
		t.Fatalf("ms times: %v %v", task["submit_time"], task["finish_time"])
	}
	// Errors keep string codes.
	if e := call(t, s, "GET", "/suno/fetch/nope", nil).json(t); e["code"] != "task_not_exist" {
		t.Fatalf("error code: %v", e["code"])
	}
}

func TestQuirkNullEmptyBatch(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Quirks: Quirks{NullEmptyBatch: true}})
	for _, ids := range [][]string{{}, {"unknown"}} {
		r := call(t, s, "POST", "/suno/fetch", map[string]any{"ids": ids})
		if m := r.json(t); m["data"] != nil || m["code"] != "success" || !strings.Contains(string(r.body), `"data":null`) {
			t.Fatalf("ids %v: %s", ids, r.body)
		}
	}
}

func TestQuirkFlatClips(t *testing.T) {
	t.Parallel()
	clk := newClock()
	s := startSim(t, Options{StageTime: 10 * time.Second, Now: clk.Now, Quirks: Quirks{FlatClips: true}})
	id := submitMusic(t, s, map[string]any{"prompt": "[Verse]\nx", "tags": "pop", "title": "T", "mv": "chirp-v4"})
	clk.Add(25 * time.Second)
	c := clipsOf(t, fetchTask(t, s, id))
	if c[0]["state"] != "running" || c[0]["duration"] != nil {
		t.Fatalf("running flat clip: %v", c[0])
	}
	clk.Add(time.Minute)
	c = clipsOf(t, fetchTask(t, s, id))
	f := c[1]
	if f["clip_id"] != f["id"] || f["task_id"] != id+"_2" || f["mv"] != "chirp-v4" || f["state"] != "succeeded" ||
		f["status"] != "complete" || f["tags"] != "pop" || f["prompt"] != "[Verse]\nx" || f["title"] != "T" {
		t.Fatalf("flat clip: %v", f)
	}
	if _, ok := f["duration"].(float64); !ok {
		t.Fatalf("flat duration: %v", f["duration"])
	}
	if _, ok := f["metadata"]; ok {
		t.Fatal("flat clip has metadata")
	}
	if c[0]["task_id"] != id+"_1" {
		t.Fatalf("first flat task_id %v", c[0]["task_id"])
	}
	// GoAmz and feed keep the full shape.
	g := call(t, s, "GET", "/suno/v1/music/"+id, nil).json(t)["data"].(map[string]any)["clips"].(map[string]any)
	for _, v := range g {
		if _, ok := v.(map[string]any)["metadata"]; !ok {
			t.Fatal("goamz clip flattened")
		}
	}
}

func TestQuirkStringNumbers(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Quirks: Quirks{StringNumbers: true}})
	taskID, parent := completedClip(t, s, "x")
	d, ok := meta(parent)["duration"].(string)
	if !ok || !strings.Contains(d, ".") {
		t.Fatalf("duration %#v", meta(parent)["duration"])
	}
	ext := submitMusic(t, s, map[string]any{"prompt": "y", "task_id": taskID, "continue_clip_id": parent["id"], "continue_at": 2.5})
	h := meta(clipsOf(t, fetchTask(t, s, ext))[0])["history"].([]any)[0].(map[string]any)
	if h["continue_at"] != "2.5" {
		t.Fatalf("history continue_at %#v", h["continue_at"])
	}
}

func TestDefaultShapeIsMainstream(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{})
	r := call(t, s, "POST", "/suno/submit/music", map[string]any{"prompt": "x", "tags": "y"})
	if !strings.HasPrefix(string(r.body), `{"code":"success","data":"`) || !strings.HasSuffix(string(r.body), `","message":""}`) {
		t.Fatalf("submit body %s", r.body)
	}
	if r.header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("content type %q", r.header.Get("Content-Type"))
	}
}

package sim

import (
	"encoding/json"
	"testing"
	"time"
)

func TestGoAmzMusic(t *testing.T) {
	t.Parallel()
	clk := newClock()
	s := startSim(t, Options{StageTime: 10 * time.Second, Now: clk.Now})
	body := `{"custom_mode":true,"input":{"prompt":"[Verse]\nTesla riding","title":"Electric Dreams","tags":"epic reggae","continue_at":0,"continue_clip_id":""}}`
	for _, prefix := range []string{"/suno/v1", "/suno/v1/mv-3.5", "/suno/v1/v3.0"} {
		r := call(t, s, "POST", prefix+"/music", body)
		m := r.json(t)
		d, ok := m["data"].(map[string]any)
		if r.status != 200 || m["code"] != 200.0 || m["message"] != "success" || !ok || d["task_id"] == "" {
			t.Fatalf("%s submit: %d %s", prefix, r.status, r.body)
		}
		id := d["task_id"].(string)
		g := call(t, s, "GET", prefix+"/music/"+id, nil).json(t)["data"].(map[string]any)
		if g["status"] != "processing" || g["input"] != body || g["task_id"] != id {
			t.Fatalf("%s fetch early: %v", prefix, g)
		}
		if clips, ok := g["clips"].(map[string]any); !ok || len(clips) != 0 {
			t.Fatalf("clips before the first stage: %v", g["clips"])
		}
		if s.Requests("GET "+prefix+"/music/{id}") != 1 {
			t.Fatalf("count for %s", prefix)
		}
	}
	r := call(t, s, "POST", "/suno/v1/mv-3.5/music", body)
	id := r.json(t)["data"].(map[string]any)["task_id"].(string)
	clk.Add(time.Minute)
	g := call(t, s, "GET", "/suno/v1/music/"+id, nil).json(t)["data"].(map[string]any)
	clips := g["clips"].(map[string]any)
	if g["status"] != "completed" || len(clips) != 2 {
		t.Fatalf("completed: %v", g)
	}
	for k, v := range clips {
		c := v.(map[string]any)
		if c["id"] != k || c["text"] != "[Verse]\nTesla riding" || c["status"] != "complete" || c["title"] != "Electric Dreams" ||
			c["major_model_version"] != "v3.5" || meta(c)["tags"] != "epic reggae" {
			t.Fatalf("goamz clip: %v", c)
		}
	}
	// Tasks are shared with the task dialect.
	if tk := fetchTask(t, s, id); tk["status"] != "SUCCESS" {
		t.Fatalf("goamz task via /suno/fetch: %v", tk["status"])
	}
	// Inspiration mode and failure.
	r = call(t, s, "POST", "/suno/v1/music", map[string]any{"custom_mode": false, "input": map[string]any{"gpt_description_prompt": "sad song sim:fail"}})
	fid := r.json(t)["data"].(map[string]any)["task_id"].(string)
	clk.Add(time.Minute)
	if g := call(t, s, "GET", "/suno/v1/music/"+fid, nil).json(t)["data"].(map[string]any); g["status"] != "failed" {
		t.Fatalf("failed: %v", g["status"])
	}
	if r := call(t, s, "GET", "/suno/v1/music/nope", nil); r.status != 404 || r.json(t)["code"] != 404.0 {
		t.Fatalf("unknown: %d %s", r.status, r.body)
	}
	if r := call(t, s, "POST", "/suno/v1/music", map[string]any{"custom_mode": true, "input": map[string]any{}}); r.status != 400 || r.json(t)["code"] != 400.0 {
		t.Fatalf("empty: %d %s", r.status, r.body)
	}
}

func TestGoAmzLyrics(t *testing.T) {
	t.Parallel()
	clk := newClock()
	s := startSim(t, Options{StageTime: 2 * time.Second, Now: clk.Now})
	r := call(t, s, "POST", "/suno/v1/v3.0/lyrics", map[string]any{"prompt": "elon musk in the house"})
	id := r.json(t)["data"].(map[string]any)["task_id"].(string)
	d := call(t, s, "GET", "/suno/v1/v3.0/lyrics/"+id, nil).json(t)["data"].(map[string]any)
	if d["status"] != "processing" || d["text"] != "" {
		t.Fatalf("early lyrics: %v", d)
	}
	clk.Add(3 * time.Second)
	d = call(t, s, "GET", "/suno/v1/v3.0/lyrics/"+id, nil).json(t)["data"].(map[string]any)
	var in map[string]any
	if err := json.Unmarshal([]byte(d["input"].(string)), &in); err != nil || in["prompt"] != "elon musk in the house" {
		t.Fatalf("input echo: %v", d["input"])
	}
	if d["status"] != "completed" || d["title"] == "" || d["text"] == "" || d["task_id"] != id {
		t.Fatalf("lyrics: %v", d)
	}
}

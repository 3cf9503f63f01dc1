package sim

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"
)

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestLifeCycleWithInjectedClock(t *testing.T) {
	t.Parallel()
	clk := newClock()
	s := startSim(t, Options{StageTime: 10 * time.Second, Now: clk.Now})
	t0 := clk.Now()
	id := submitMusic(t, s, map[string]any{"gpt_description_prompt": "a song about winter rain", "mv": "chirp-v3-5"})
	if !uuidRe.MatchString(id) {
		t.Fatalf("task id %q is not a UUID", id)
	}

	tk := fetchTask(t, s, id)
	if tk["status"] != "NOT_START" || tk["data"] != nil || tk["progress"] != "0%" || tk["action"] != "MUSIC" {
		t.Fatalf("at 0s: %v", tk)
	}
	if tk["task_id"] != id || tk["submit_time"].(float64) != float64(t0.Unix()) || tk["finish_time"].(float64) != 0 {
		t.Fatalf("times/ids at 0s: %v", tk)
	}

	clk.Add(6 * time.Second)
	tk = fetchTask(t, s, id)
	cl := clipsOf(t, tk)
	if tk["status"] != "SUBMITTED" || len(cl) != 2 || cl[0]["status"] != "submitted" || cl[0]["audio_url"] != "" {
		t.Fatalf("at 6s: %v", tk)
	}
	if cl[0]["id"] == cl[1]["id"] || !uuidRe.MatchString(cl[0]["id"].(string)) {
		t.Fatalf("clip ids: %v %v", cl[0]["id"], cl[1]["id"])
	}
	m := meta(cl[0])
	if m["type"] != "gen" || m["duration"] != nil || m["gpt_description_prompt"] != "a song about winter rain" ||
		m["error_message"] != nil || m["error_type"] != nil || !strings.Contains(m["prompt"].(string), "[Verse]") {
		t.Fatalf("metadata: %v", m)
	}
	if cl[0]["model_name"] != "chirp-v3" || cl[0]["major_model_version"] != "v3.5" || cl[0]["title"] != "Winter Rain" {
		t.Fatalf("model/title: %v %v %v", cl[0]["model_name"], cl[0]["major_model_version"], cl[0]["title"])
	}

	clk.Add(6 * time.Second) // 12s
	tk = fetchTask(t, s, id)
	if tk["status"] != "QUEUED" || clipsOf(t, tk)[1]["status"] != "queued" {
		t.Fatalf("at 12s: %v", tk["status"])
	}
	if tk["start_time"].(float64) != float64(t0.Add(10*time.Second).Unix()) {
		t.Fatalf("start_time %v", tk["start_time"])
	}

	clk.Add(10 * time.Second) // 22s
	tk = fetchTask(t, s, id)
	cl = clipsOf(t, tk)
	base := s.URL()
	if tk["status"] != "IN_PROGRESS" || cl[0]["status"] != "streaming" ||
		cl[0]["audio_url"] != base+"/audiopipe/?item_id="+cl[0]["id"].(string) || meta(cl[0])["duration"] != nil {
		t.Fatalf("at 22s: %v / %v", tk["status"], cl[0])
	}
	if cl[0]["image_url"] != base+"/cdn/image_"+cl[0]["id"].(string)+".png" || cl[0]["video_url"] != "" {
		t.Fatalf("streaming urls: %v", cl[0])
	}
	if p := tk["progress"].(string); p == "0%" || p == "100%" {
		t.Fatalf("progress %s mid-way", p)
	}

	clk.Add(10 * time.Second) // 32s: mixed states
	tk = fetchTask(t, s, id)
	cl = clipsOf(t, tk)
	if tk["status"] != "IN_PROGRESS" || cl[0]["status"] != "complete" || cl[1]["status"] != "streaming" {
		t.Fatalf("at 32s: %v %v %v", tk["status"], cl[0]["status"], cl[1]["status"])
	}
	if cl[0]["audio_url"] != base+"/cdn/"+cl[0]["id"].(string)+".mp3" || cl[0]["is_video_pending"] != false ||
		cl[0]["video_url"] != base+"/cdn/"+cl[0]["id"].(string)+".mp4" {
		t.Fatalf("complete clip urls: %v", cl[0])
	}

	clk.Add(10 * time.Second) // 42s
	tk = fetchTask(t, s, id)
	cl = clipsOf(t, tk)
	if tk["status"] != "SUCCESS" || tk["progress"] != "100%" || tk["fail_reason"] != "" {
		t.Fatalf("at 42s: %v", tk)
	}
	if tk["finish_time"].(float64) != float64(t0.Add(40*time.Second).Unix()) {
		t.Fatalf("finish_time %v", tk["finish_time"])
	}
	for i, c := range cl {
		d, ok := meta(c)["duration"].(float64)
		if !ok || d < 6 {
			t.Fatalf("duration %v", meta(c)["duration"])
		}
		if i > 0 {
			continue // decoding is slow under -race; one clip proves the point
		}
		// The reported duration is the exact decoded length of the served file.
		r := get(t, c["audio_url"].(string))
		if r.status != 200 || r.header.Get("Content-Type") != "audio/mpeg" {
			t.Fatalf("cdn: %d %v", r.status, r.header)
		}
		if got := decodedSeconds(t, r.body); math.Abs(got-d) > frameSeconds {
			t.Fatalf("decoded %.3f, reported %.3f", got, d)
		}
	}
}

func TestInstantStageTimeAndComplete(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{})
	id := submitMusic(t, s, map[string]any{"prompt": "[Verse]\nHello world", "title": "Hi", "tags": "pop"})
	tk := fetchTask(t, s, id)
	if tk["status"] != "SUCCESS" {
		t.Fatalf("StageTime 0 should complete at once: %v", tk["status"])
	}
	c := clipsOf(t, tk)[0]
	if c["title"] != "Hi" || meta(c)["tags"] != "pop" || meta(c)["prompt"] != "[Verse]\nHello world" || meta(c)["gpt_description_prompt"] != nil {
		t.Fatalf("custom fields: %v", c)
	}

	clk := newClock()
	s2 := startSim(t, Options{StageTime: time.Hour, Now: clk.Now})
	id = submitMusic(t, s2, map[string]any{"prompt": "x", "tags": "rock"})
	s2.Complete(id)
	if tk := fetchTask(t, s2, id); tk["status"] != "SUCCESS" {
		t.Fatalf("Complete: %v", tk["status"])
	}
	never := submitMusic(t, s2, map[string]any{"gpt_description_prompt": "forever sim:never"})
	clk.Add(100 * time.Hour)
	tk = fetchTask(t, s2, never)
	if tk["status"] != "IN_PROGRESS" || clipsOf(t, tk)[0]["status"] != "streaming" {
		t.Fatalf("sim:never: %v", tk["status"])
	}
	s2.Complete(never)
	if tk := fetchTask(t, s2, never); tk["status"] != "SUCCESS" {
		t.Fatalf("Complete(sim:never): %v", tk["status"])
	}
}

func TestKeywordFates(t *testing.T) {
	t.Parallel()
	clk := newClock()
	s := startSim(t, Options{StageTime: 10 * time.Second, Now: clk.Now})
	pol := submitMusic(t, s, map[string]any{"prompt": "bad words sim:policy", "tags": "pop"})
	fail := submitMusic(t, s, map[string]any{"gpt_description_prompt": "sim:fail please"})
	clk.Add(12 * time.Second)
	tk := fetchTask(t, s, fail)
	if tk["status"] != "FAILURE" || tk["fail_reason"] == "" || tk["progress"] != "100%" {
		t.Fatalf("sim:fail: %v", tk)
	}
	if c := clipsOf(t, tk)[0]; c["status"] != "error" || meta(c)["error_message"] != tk["fail_reason"] {
		t.Fatalf("sim:fail clip: %v", c)
	}
	clk.Add(20 * time.Second)
	tk = fetchTask(t, s, pol)
	if tk["status"] != "FAILURE" || !strings.Contains(tk["fail_reason"].(string), "policy") {
		t.Fatalf("sim:policy: %v", tk)
	}
	c := clipsOf(t, tk)[0]
	if c["status"] != "error" || c["audio_url"] != s.URL()+"/cdn/None.mp3" || meta(c)["error_message"] == nil {
		t.Fatalf("policy clip: %v", c)
	}
	if r := get(t, c["audio_url"].(string)); r.status != 404 {
		t.Fatalf("None.mp3: %d", r.status)
	}
}

func TestSubmitValidation(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{})
	cases := []struct {
		body any
		code string
		msg  string
	}{
		{map[string]any{}, "invalid_request", ""},
		{map[string]any{"mv": "chirp-v4"}, "invalid_request", ""},
		{`{"prompt":`, "invalid_request", ""},
		{map[string]any{"prompt": "x", "continue_clip_id": "abc", "continue_at": 10}, "invalid_request", "task_id is empty"},
	}
	for i, c := range cases {
		r := call(t, s, "POST", "/suno/submit/music", c.body)
		m := r.json(t)
		if r.status != 400 || m["code"] != c.code || m["data"] != nil {
			t.Errorf("case %d: %d %s", i, r.status, r.body)
		}
		if c.msg != "" && m["message"] != c.msg {
			t.Errorf("case %d: message %v", i, m["message"])
		}
	}
	r := call(t, s, "POST", "/suno/submit/lyrics", map[string]any{"prompt": ""})
	if m := r.json(t); r.status != 400 || m["code"] != "prompt_empty" {
		t.Fatalf("lyrics empty: %d %s", r.status, r.body)
	}
	r = call(t, s, "POST", "/suno/submit/video", map[string]any{"prompt": "x"})
	if m := r.json(t); r.status != 400 || m["code"] != "invalid_action" {
		t.Fatalf("unknown action: %d %s", r.status, r.body)
	}
	r = call(t, s, "GET", "/suno/fetch/nope", nil)
	if m := r.json(t); r.status != 400 || m["code"] != "task_not_exist" || m["message"] != "task_not_exist" || m["data"] != nil {
		t.Fatalf("unknown task: %d %s", r.status, r.body)
	}
}

func TestLyricsTask(t *testing.T) {
	t.Parallel()
	clk := newClock()
	s := startSim(t, Options{StageTime: 4 * time.Second, Now: clk.Now})
	zh := call(t, s, "POST", "/suno/submit/lyrics", map[string]any{"prompt": "欢快的中文歌曲，主题：周末"}).json(t)["data"].(string)
	en := call(t, s, "POST", "/suno/submit/lyrics", map[string]any{"prompt": "dance all night"}).json(t)["data"].(string)
	if tk := fetchTask(t, s, zh); tk["status"] != "NOT_START" || tk["data"] != nil || tk["action"] != "LYRICS" {
		t.Fatalf("lyrics at 0: %v", tk)
	}
	clk.Add(5 * time.Second)
	tk := fetchTask(t, s, zh)
	d, ok := tk["data"].(map[string]any)
	if tk["status"] != "SUCCESS" || !ok || d["status"] != "complete" || d["id"] == "" {
		t.Fatalf("lyrics done: %v", tk)
	}
	if d["title"] != "周末" || !hasCJK(d["text"].(string)) || !strings.Contains(d["text"].(string), "[Verse]") ||
		!strings.Contains(d["text"].(string), "[Chorus]") {
		t.Fatalf("chinese lyrics: %v", d)
	}
	d = fetchTask(t, s, en)["data"].(map[string]any)
	if hasCJK(d["text"].(string)) || !strings.Contains(d["text"].(string), "[Chorus]") || d["title"] != "Dance All Night" {
		t.Fatalf("english lyrics: %v", d)
	}
}

func TestBatchFetch(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{})
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, submitMusic(t, s, map[string]any{"gpt_description_prompt": fmt.Sprint("song ", i)}))
	}
	for _, path := range []string{"/suno/fetch", "/suno/submit/fetch"} {
		r := call(t, s, "POST", path, map[string]any{"ids": append([]string{"unknown"}, ids...), "action": "MUSIC"})
		m := r.json(t)
		arr, ok := m["data"].([]any)
		if r.status != 200 || m["code"] != "success" || !ok || len(arr) != 5 {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		var got []string
		for _, x := range arr {
			got = append(got, x.(map[string]any)["task_id"].(string))
		}
		if strings.Join(got, ",") == strings.Join(ids, ",") {
			t.Fatalf("%s kept the request order", path)
		}
	}
	r := call(t, s, "POST", "/suno/fetch", map[string]any{"ids": []string{}})
	if string(r.body) != `{"code":"success","data":[],"message":""}` {
		t.Fatalf("empty batch: %s", r.body)
	}
	if s.Requests("POST /suno/fetch") != 2 || s.Requests("POST /suno/submit/fetch") != 1 || s.Requests("POST /suno/submit/music") != 5 {
		t.Fatalf("counts: %d %d", s.Requests("POST /suno/fetch"), s.Requests("POST /suno/submit/music"))
	}
	call(t, s, "GET", "/suno/fetch/"+ids[0], nil)
	call(t, s, "GET", "/suno/fetch/"+ids[1], nil)
	if n := s.Requests("GET /suno/fetch/{id}"); n != 2 {
		t.Fatalf("GET count %d", n)
	}
	s.ResetCounts()
	if s.Requests("POST /suno/fetch") != 0 {
		t.Fatal("ResetCounts")
	}
}

// completedClip makes a finished custom song and returns its task id and first clip.
func completedClip(t *testing.T, s *Sim, prompt string) (string, map[string]any) {
	t.Helper()
	id := submitMusic(t, s, map[string]any{"prompt": prompt, "title": "Base", "tags": "folk"})
	s.Complete(id)
	return id, clipsOf(t, fetchTask(t, s, id))[0]
}

func TestContinueAndConcat(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{})
	taskID, parent := completedClip(t, s, "[Verse]\nFirst part")
	pdur := meta(parent)["duration"].(float64)
	ext := submitMusic(t, s, map[string]any{"prompt": "[Verse]\nSecond part", "task": "extend",
		"task_id": taskID, "continue_clip_id": parent["id"], "continue_at": "3.5"})
	ec := clipsOf(t, fetchTask(t, s, ext))[0]
	hist, ok := meta(ec)["history"].([]any)
	if !ok || len(hist) != 1 || hist[0].(map[string]any)["id"] != parent["id"] || hist[0].(map[string]any)["continue_at"] != 3.5 {
		t.Fatalf("history: %v", meta(ec)["history"])
	}
	if ec["title"] != "Base" || meta(ec)["tags"] != "folk" {
		t.Fatalf("extension inherits title/tags: %v", ec)
	}
	edur := meta(ec)["duration"].(float64)

	r := call(t, s, "POST", "/suno/submit/concat", map[string]any{"clip_id": ec["id"], "is_infill": false})
	cid := r.json(t)["data"].(string)
	ctask := fetchTask(t, s, cid)
	cc := clipsOf(t, ctask)
	if len(cc) != 1 || meta(cc[0])["type"] != "concat" || ctask["action"] != "MUSIC" {
		t.Fatalf("concat task: %v", ctask)
	}
	want := float64(framesAt(3.5))*frameSeconds + edur
	got := meta(cc[0])["duration"].(float64)
	if math.Abs(got-want) > 0.011 || got >= pdur+edur {
		t.Fatalf("concat duration %.3f, want %.3f", got, want)
	}
	audio := get(t, cc[0]["audio_url"].(string)).body
	if d := decodedSeconds(t, audio); math.Abs(d-want) > frameSeconds {
		t.Fatalf("concat decodes to %.3f, want %.3f", d, want)
	}
	if ch, ok := meta(cc[0])["concat_history"].([]any); !ok || len(ch) != 2 {
		t.Fatalf("concat_history: %v", meta(cc[0])["concat_history"])
	}
	if r := call(t, s, "POST", "/suno/submit/concat", map[string]any{"clip_id": "nope"}); r.status != 400 {
		t.Fatalf("concat unknown clip: %d", r.status)
	}
}

func TestExtendedModes(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{})
	taskID, src := completedClip(t, s, "[Verse]\nSource")
	srcID := src["id"].(string)

	cover := submitMusic(t, s, map[string]any{"task": "cover", "cover_clip_id": srcID, "tags": "jazz", "negative_tags": "metal"})
	c := clipsOf(t, fetchTask(t, s, cover))[0]
	if meta(c)["cover_clip_id"] != srcID || meta(c)["negative_tags"] != "metal" || meta(c)["prompt"] != "[Verse]\nSource" {
		t.Fatalf("cover: %v", meta(c))
	}
	infill := submitMusic(t, s, map[string]any{"task": "infill", "task_id": taskID, "continue_clip_id": srcID,
		"infill_start_s": 1, "infill_end_s": 3, "continue_at": nil, "continued_aligned_prompt": nil, "prompt": "[Verse]\nNew"})
	c = clipsOf(t, fetchTask(t, s, infill))[0]
	if meta(c)["infill"] != true || meta(c)["duration"] != meta(src)["duration"] {
		t.Fatalf("infill: %v vs %v", meta(c), meta(src)["duration"])
	}
	stems := submitMusic(t, s, map[string]any{"task": "gen_stem", "task_id": taskID, "continue_clip_id": srcID, "mv": "chirp-auk",
		"stem_type_id": 91, "stem_type_group_name": "Two", "stem_task": "two"})
	sc := clipsOf(t, fetchTask(t, s, stems))
	if len(sc) != 2 || meta(sc[0])["type"] != "stem" || meta(sc[0])["stem_from_id"] != srcID || sc[0]["title"] != "Base - Vocals" {
		t.Fatalf("gen_stem: %v", sc)
	}
	if meta(sc[1])["duration"] != meta(src)["duration"] {
		t.Fatalf("stem duration %v, source %v", meta(sc[1])["duration"], meta(src)["duration"])
	}

	// Persona and artist consistency.
	r := call(t, s, "POST", "/suno/persona/create/", map[string]any{"root_clip_id": srcID, "name": "Me", "description": "d", "clips": []string{srcID}, "is_public": true})
	p := r.json(t)
	if r.status != 200 || p["root_clip_id"] != srcID || p["name"] != "Me" || p["code"] != nil {
		t.Fatalf("persona: %d %s", r.status, r.body)
	}
	if _, ok := p["clip"].(map[string]any); !ok {
		t.Fatalf("persona clip: %v", p["clip"])
	}
	if r := call(t, s, "POST", "/suno/persona/create", map[string]any{"root_clip_id": srcID}); r.status != 200 {
		t.Fatalf("persona without slash: %d", r.status)
	}
	pc := submitMusic(t, s, map[string]any{"task": "artist_consistency", "persona_id": p["id"], "artist_clip_id": srcID,
		"prompt": "[Verse]\nSame voice", "tags": "pop", "mv": "chirp-v3-5-tau"})
	c = clipsOf(t, fetchTask(t, s, pc))[0]
	if meta(c)["persona_id"] != p["id"] || c["major_model_version"] != "v3.5" {
		t.Fatalf("persona song: %v", c)
	}
	if r := call(t, s, "POST", "/suno/submit/music", map[string]any{"task": "artist_consistency", "persona_id": "nope", "prompt": "x"}); r.status != 400 {
		t.Fatalf("unknown persona: %d", r.status)
	}

	// Upload, then use it as a cover source and as an extension parent.
	r = call(t, s, "POST", "/suno/uploads/audio-url", map[string]any{"url": "https://example.com/my-song.mp3"})
	up, _ := r.json(t)["data"].(string)
	if r.status != 200 || up == "" {
		t.Fatalf("upload: %s", r.body)
	}
	tk := fetchTask(t, s, up)
	if uc := clipsOf(t, tk)[0]; tk["status"] != "SUCCESS" || meta(uc)["type"] != "upload" || uc["title"] != "my-song" {
		t.Fatalf("upload via fetch: %v", tk)
	}
	ue := submitMusic(t, s, map[string]any{"task": "upload_extend", "task_id": up, "continue_clip_id": up, "continue_at": 2, "prompt": "x", "mv": "chirp-v4"})
	if c := clipsOf(t, fetchTask(t, s, ue))[0]; meta(c)["history"] == nil {
		t.Fatalf("upload_extend: %v", c)
	}
	submitMusic(t, s, map[string]any{"task": "cover", "cover_clip_id": up})
}

func TestRejectExtended(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{RejectExtended: true})
	taskID, src := completedClip(t, s, "[Verse]\nx")
	id := submitMusic(t, s, map[string]any{"prompt": "[Verse]\nCovered", "tags": "pop", "task": "cover", "cover_clip_id": src["id"], "negative_tags": "rock"})
	c := clipsOf(t, fetchTask(t, s, id))[0]
	if _, ok := meta(c)["cover_clip_id"]; ok {
		t.Fatal("extended field kept")
	}
	if _, ok := meta(c)["negative_tags"]; ok {
		t.Fatal("negative_tags kept")
	}
	// continue_at 0 is dropped (omitempty) so the extension starts at the end.
	ext := submitMusic(t, s, map[string]any{"prompt": "x", "task_id": taskID, "continue_clip_id": src["id"], "continue_at": 0})
	h := meta(clipsOf(t, fetchTask(t, s, ext))[0])["history"].([]any)[0].(map[string]any)
	if h["continue_at"] != meta(src)["duration"] {
		t.Fatalf("continue_at 0 should be dropped: %v", h)
	}
	if r := call(t, s, "POST", "/suno/submit/concat", map[string]any{"clip_id": src["id"]}); r.status != 400 || r.json(t)["code"] != "invalid_action" {
		t.Fatalf("concat on stock new-api: %d %s", r.status, r.body)
	}
	for _, p := range []string{"/suno/act/wav/" + src["id"].(string), "/suno/act/stems/x", "/suno/feed/x"} {
		if r := call(t, s, "GET", p, nil); r.status != 404 {
			t.Fatalf("%s: %d", p, r.status)
		}
	}
	if r := call(t, s, "POST", "/suno/uploads/audio-url", map[string]any{"url": "u"}); r.status != 404 {
		t.Fatalf("upload: %d", r.status)
	}
}

func TestStemsFeedTimingAssets(t *testing.T) {
	t.Parallel()
	clk := newClock()
	s := startSim(t, Options{StageTime: 5 * time.Second, Now: clk.Now})
	id := submitMusic(t, s, map[string]any{"prompt": "[Verse]\nWinter is here\nSnow falls down\n\n[Chorus]\nCold cold night", "tags": "folk", "title": "Winter"})
	tk := fetchTask(t, s, id)
	_ = tk
	clk.Add(time.Minute)
	src := clipsOf(t, fetchTask(t, s, id))[0]
	srcID := src["id"].(string)
	dur := meta(src)["duration"].(float64)

	// Stems: raw {"clips":[...]} queued, then fetchable by clip id.
	r := call(t, s, "GET", "/suno/act/stems/"+srcID, nil)
	var stems struct {
		Clips []map[string]any `json:"clips"`
	}
	if err := json.Unmarshal(r.body, &stems); err != nil || len(stems.Clips) != 2 {
		t.Fatalf("stems: %s", r.body)
	}
	v := stems.Clips[0]
	if v["status"] != "queued" || v["audio_url"] != "" || v["title"] != "Winter - Vocals" || stems.Clips[1]["title"] != "Winter - Instrumental" ||
		meta(v)["stem_from_id"] != srcID || meta(v)["type"] != "stem" || meta(v)["duration"] != dur {
		t.Fatalf("stem clip: %v", v)
	}
	vid := v["id"].(string)
	r = call(t, s, "GET", "/suno/feed/"+vid+","+stems.Clips[1]["id"].(string), nil)
	var feed []map[string]any
	if err := json.Unmarshal(r.body, &feed); err != nil || len(feed) != 2 || feed[0]["status"] != "queued" {
		t.Fatalf("feed: %s", r.body)
	}
	if st := fetchTask(t, s, vid); st["status"] != "QUEUED" || st["task_id"] != vid {
		t.Fatalf("stem as task: %v", st)
	}
	clk.Add(11 * time.Second)
	st := fetchTask(t, s, vid)
	sc := clipsOf(t, st)[0]
	if st["status"] != "SUCCESS" || sc["status"] != "complete" || meta(sc)["duration"] != dur {
		t.Fatalf("stem done: %v", st)
	}
	if r := get(t, sc["audio_url"].(string)); r.status != 200 || math.Abs(decodedSeconds(t, r.body)-dur) > frameSeconds {
		t.Fatalf("stem audio: %d", r.status)
	}
	// Normal clips are not fetchable by clip id (a real relay would not find them).
	if r := call(t, s, "GET", "/suno/fetch/"+srcID, nil); r.status != 400 {
		t.Fatalf("task clip fetched as task: %d", r.status)
	}

	// Timing: words keep markers and newlines and fit in the audio.
	r = call(t, s, "GET", "/suno/act/timing/"+srcID, nil)
	var timing struct {
		Words []struct {
			Word    string  `json:"word"`
			Success bool    `json:"success"`
			Start   float64 `json:"start_s"`
			End     float64 `json:"end_s"`
			PAlign  float64 `json:"p_align"`
		} `json:"aligned_words"`
		Waveform   []float64 `json:"waveform_data"`
		HootCER    float64   `json:"hoot_cer"`
		IsStreamed bool      `json:"is_streamed"`
	}
	if err := json.Unmarshal(r.body, &timing); err != nil || len(timing.Words) != 9 || len(timing.Waveform) == 0 {
		t.Fatalf("timing: %s", r.body)
	}
	if timing.Words[0].Word != "[Verse]\nWinter " || timing.Words[3].Word != "\nSnow " || timing.Words[6].Word != "\n\n[Chorus]\nCold " {
		t.Fatalf("words: %q %q %q", timing.Words[0].Word, timing.Words[3].Word, timing.Words[6].Word)
	}
	var joined strings.Builder
	prev := 0.0
	for _, w := range timing.Words {
		joined.WriteString(w.Word)
		if w.Start < prev || w.End < w.Start || !w.Success || w.PAlign <= 0 {
			t.Fatalf("word %+v", w)
		}
		prev = w.End
	}
	if prev > dur || joined.String() != "[Verse]\nWinter is here\nSnow falls down\n\n[Chorus]\nCold cold night" {
		t.Fatalf("last end %.2f (dur %.2f), text %q", prev, dur, joined.String())
	}

	// WAV: a task to poll whose clip's audio_url becomes the wav.
	r = call(t, s, "GET", "/suno/act/wav/"+srcID, nil)
	if !regexp.MustCompile(`^\{"code":"success","data":"[0-9a-f-]{36}","message":""\}$`).Match(r.body) {
		t.Fatalf("wav envelope: %s", r.body)
	}
	wavTask := r.json(t)["data"].(string)
	wt := fetchTask(t, s, wavTask)
	if wt["status"] == "SUCCESS" || get(t, s.URL()+"/cdn/"+srcID+".wav").status != 404 {
		t.Fatalf("wav ready too early: %v", wt["status"])
	}
	clk.Add(11 * time.Second)
	wt = fetchTask(t, s, wavTask)
	wc := clipsOf(t, wt)[0]
	if wt["status"] != "SUCCESS" || wc["audio_url"] != s.URL()+"/cdn/"+srcID+".wav" || wc["id"] != srcID {
		t.Fatalf("wav task: %v", wt)
	}
	wr := get(t, wc["audio_url"].(string))
	if wr.status != 200 || wr.header.Get("Content-Type") != "audio/wav" || string(wr.body[:4]) != "RIFF" {
		t.Fatalf("wav file: %d %v", wr.status, wr.header)
	}

	// MP4.
	r = call(t, s, "GET", "/suno/act/mp4/"+srcID, nil)
	mt := r.json(t)["data"].(string)
	if tk := fetchTask(t, s, mt); tk["status"] != "NOT_START" || tk["data"] != nil {
		t.Fatalf("mp4 job at 0: %v", tk)
	}
	clk.Add(3 * time.Second)
	mc := clipsOf(t, fetchTask(t, s, mt))[0]
	if mc["is_video_pending"] != true || mc["video_url"] != "" {
		t.Fatalf("mp4 pending: %v", mc)
	}
	clk.Add(8 * time.Second)
	mc = clipsOf(t, fetchTask(t, s, mt))[0]
	if mc["is_video_pending"] != false || mc["video_url"] != s.URL()+"/cdn/"+srcID+".mp4" {
		t.Fatalf("mp4 done: %v", mc)
	}
	if vr := get(t, mc["video_url"].(string)); vr.status != 200 || vr.header.Get("Content-Type") != "video/mp4" || string(vr.body[4:8]) != "ftyp" {
		t.Fatalf("mp4 file: %d %v", vr.status, vr.header)
	}
	if r := call(t, s, "GET", "/suno/act/timing/nope", nil); r.status != 400 {
		t.Fatalf("timing unknown: %d", r.status)
	}
}

func TestBilling(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{})
	for _, p := range []string{"/v1/dashboard/billing/subscription", "/dashboard/billing/subscription"} {
		m := call(t, s, "GET", p, nil).json(t)
		if m["object"] != "billing_subscription" || m["hard_limit_usd"] != 100.0 || m["access_until"] != 0.0 {
			t.Fatalf("%s: %v", p, m)
		}
	}
	usage := func() float64 {
		return call(t, s, "GET", "/v1/dashboard/billing/usage", nil).json(t)["total_usage"].(float64)
	}
	if u := usage(); u != 0 {
		t.Fatalf("usage %v", u)
	}
	submitMusic(t, s, map[string]any{"prompt": "x", "tags": "y"})
	call(t, s, "POST", "/suno/submit/lyrics", map[string]any{"prompt": "z"})
	if u := usage(); u != costMusic+costLyrics {
		t.Fatalf("usage %v", u)
	}
	if m := call(t, s, "GET", "/dashboard/billing/usage", nil).json(t); m["object"] != "list" {
		t.Fatalf("usage alias: %v", m)
	}
	s.Inject(Fault{Path: "/v1/dashboard", Kind: FaultServerError})
	r := call(t, s, "GET", "/v1/dashboard/billing/usage", nil)
	if e, ok := r.json(t)["error"].(map[string]any); r.status != 200 || !ok || e["message"] == "" {
		t.Fatalf("billing error: %d %s", r.status, r.body)
	}
}

package client

import (
	"encoding/json"
	"testing"
	"time"
)

// One payload per variant of relay-api.md section 9, shaped like the documented examples.

func mustTask(t *testing.T, payload string) Task {
	t.Helper()
	task, err := decodeTask(json.RawMessage(payload))
	if err != nil {
		t.Fatalf("decodeTask: %v\n%s", err, payload)
	}
	return task
}

func TestCodeOK(t *testing.T) { // 9.1
	for _, ok := range []string{`"success"`, `200`, `0`, `"200"`, `"SUCCESS"`} {
		if !codeOK(json.RawMessage(ok)) {
			t.Errorf("code %s should be success", ok)
		}
	}
	for _, bad := range []string{`"task_not_exist"`, `400`, `"invalid_request"`, `null`, `"error"`, `500`} {
		if codeOK(json.RawMessage(bad)) {
			t.Errorf("code %s should not be success", bad)
		}
	}
}

func TestEnvelopeErrorMessageSpellings(t *testing.T) { // 9.2
	cases := map[string][2]string{
		`{"code":"task_not_exist","message":"task_not_exist","data":null}`: {"task_not_exist", "task_not_exist"},
		`{"code":400,"msg":"bad prompt"}`:                                  {"400", "bad prompt"},
		`{"code":"x","error_message":"upstream said no"}`:                  {"x", "upstream said no"},
		`{"error":{"message":"无效的令牌","type":"new_api_error"}}`:             {"new_api_error", "无效的令牌"},
		`{"error":"quota exhausted"}`:                                      {"", "quota exhausted"},
	}
	for body, want := range cases {
		code, msg, ok := envelopeError([]byte(body))
		if !ok || code != want[0] || msg != want[1] {
			t.Errorf("%s: got (%q,%q,%v), want %q", body, code, msg, ok, want)
		}
	}
}

func TestDecodeSubmissionShapes(t *testing.T) { // 9.3
	sub, err := decodeSubmission(json.RawMessage(`"2a145658-3342-4228-b779-b8323a2b77df"`))
	if err != nil || sub.TaskID != "2a145658-3342-4228-b779-b8323a2b77df" {
		t.Fatalf("string id: %+v %v", sub, err)
	}
	sub, err = decodeSubmission(json.RawMessage(`{"task_id":"56ea8da3-8507-4118-9f1e-111111111111"}`))
	if err != nil || sub.TaskID != "56ea8da3-8507-4118-9f1e-111111111111" {
		t.Fatalf("object id: %+v %v", sub, err)
	}
	sub, err = decodeSubmission(json.RawMessage(`{"taskId":"abc"}`))
	if err != nil || sub.TaskID != "abc" {
		t.Fatalf("camel id: %+v %v", sub, err)
	}
	sub, err = decodeSubmission(json.RawMessage(`{"id":"gen-1","clips":[{"id":"c1","status":"queued","audio_url":""},{"id":"c2","status":"queued"}],"batch_size":2}`))
	if err != nil || sub.TaskID != "gen-1" || len(sub.Clips) != 2 || sub.Clips[1].ID != "c2" {
		t.Fatalf("raw clips: %+v %v", sub, err)
	}
	for _, bad := range []string{`null`, `""`, `{}`, `[]`, `true`} {
		if _, err := decodeSubmission(json.RawMessage(bad)); err == nil {
			t.Errorf("submission %s should be an error", bad)
		}
	}
}

const taskMusicInProgress = `{
  "task_id": "346c5d10-a4a1-4f49-a851-66a7dae6cfaf", "notify_hook": "", "action": "MUSIC",
  "status": "IN_PROGRESS", "fail_reason": "", "submit_time": 1716191749, "start_time": 1716191786,
  "finish_time": 0, "progress": "60%", "id": 4711, "created_at": "2024-05-20T07:55:49Z",
  "data": [
    {"id": "3435e194-50e7-4edc-9442-bffe072fccfc", "title": "快乐周末", "status": "complete",
     "audio_url": "https://cdn1.suno.ai/3435e194-50e7-4edc-9442-bffe072fccfc.mp3",
     "video_url": "", "image_url": "https://cdn2.suno.ai/image_3435e194.jpeg",
     "image_large_url": "https://cdn2.suno.ai/image_large_3435e194.jpeg", "is_video_pending": true,
     "major_model_version": "v3.5", "model_name": "chirp-v3", "created_at": "2024-09-21T09:43:21.637Z",
     "metadata": {"tags": "heartfelt salsa", "prompt": "[Verse]\n周末的阳光", "gpt_description_prompt": null,
       "audio_prompt_id": null, "history": null, "concat_history": null, "type": "gen", "duration": 128.92,
       "refund_credits": false, "stream": true, "error_type": null, "error_message": null},
     "user_id": "u", "display_name": "YellowRobots6855", "is_liked": false, "reaction": null, "play_count": 0},
    {"id": "b9dc9655-0000-4000-8000-000000000002", "title": "快乐周末", "status": "streaming",
     "audio_url": "https://audiopipe.suno.ai/?item_id=b9dc9655-0000-4000-8000-000000000002",
     "created_at": "2024-09-21T09:43:21.637Z", "metadata": {"tags": "heartfelt salsa", "duration": null}}
  ]
}`

func TestDecodeTaskMixedStates(t *testing.T) { // 2.5, 9.8, 9.9, 9.15, 9.16
	task := mustTask(t, taskMusicInProgress)
	if task.ID != "346c5d10-a4a1-4f49-a851-66a7dae6cfaf" {
		t.Errorf("task id = %q (the int id must not win)", task.ID)
	}
	if task.Kind != KindMusic || task.Status != StatusRunning || task.Progress != 60 {
		t.Errorf("kind/status/progress = %s/%s/%d", task.Kind, task.Status, task.Progress)
	}
	if !task.SubmitTime.Equal(time.Unix(1716191749, 0)) || !task.FinishTime.IsZero() {
		t.Errorf("times: submit %v finish %v", task.SubmitTime, task.FinishTime)
	}
	if len(task.Clips) != 2 {
		t.Fatalf("clips = %d", len(task.Clips))
	}
	a, b := task.Clips[0], task.Clips[1]
	if a.Status != ClipComplete || a.AudioURL == "" || a.Duration != 128.92 || a.Tags != "heartfelt salsa" ||
		a.Lyrics != "[Verse]\n周末的阳光" || a.Model != "chirp-v3" || a.ModelVersion != "v3.5" || !a.VideoPending ||
		a.TaskID != task.ID || a.Type != "gen" || a.Error != "" {
		t.Errorf("clip a = %+v", a)
	}
	if b.Status != ClipStreaming || b.AudioURL != "" || b.StreamURL == "" || b.Duration != 0 {
		t.Errorf("clip b = %+v", b)
	}
}

func TestDecodeTaskStatusSpellings(t *testing.T) { // 9.7
	task := map[string]Status{
		"NOT_START": StatusPending, "SUBMITTED": StatusPending, "QUEUED": StatusPending,
		"IN_PROGRESS": StatusRunning, "processing": StatusRunning, "SUCCESS": StatusSucceeded,
		"completed": StatusSucceeded, "succeeded": StatusSucceeded, "FAILURE": StatusFailed,
		"failed": StatusFailed, "UNKNOWN": StatusFailed, "GENERATE_AUDIO_FAILED": StatusFailed,
		"error": StatusFailed, "PENDING": StatusPending,
	}
	for in, want := range task {
		if got := NormalizeTaskStatus(in); got != want {
			t.Errorf("task status %q = %s, want %s", in, got, want)
		}
	}
	clip := map[string]ClipStatus{
		"submitted": ClipQueued, "queued": ClipQueued, "streaming": ClipStreaming, "complete": ClipComplete,
		"error": ClipFailed, "succeeded": ClipComplete, "COMPLETE": ClipComplete, "": ClipQueued,
	}
	for in, want := range clip {
		if got := NormalizeClipStatus(in); got != want {
			t.Errorf("clip status %q = %s, want %s", in, got, want)
		}
	}
}

func TestDecodeTaskDataShapes(t *testing.T) { // 9.5
	// Before the first upstream poll: no data at all.
	task := mustTask(t, `{"task_id":"t1","action":"MUSIC","status":"NOT_START","progress":"0%","data":null,"submit_time":1716191749}`)
	if task.Status != StatusPending || len(task.Clips) != 0 || task.Progress != 0 {
		t.Errorf("null data: %+v", task)
	}
	task = mustTask(t, `{"task_id":"t1","action":"MUSIC","status":"SUBMITTED","data":[]}`)
	if task.Status != StatusPending || len(task.Clips) != 0 {
		t.Errorf("empty data: %+v", task)
	}
	// LYRICS: a single object.
	task = mustTask(t, `{"task_id":"t2","action":"LYRICS","status":"SUCCESS","progress":"100%","data":{"id":"b85c241a","status":"complete","title":"喵星摇滚","text":"[Verse]\n喵"}}`)
	if task.Kind != KindLyrics || task.Status != StatusSucceeded || task.Lyrics == nil || task.Lyrics.Title != "喵星摇滚" || task.Lyrics.Text != "[Verse]\n喵" {
		t.Errorf("lyrics object: %+v %+v", task, task.Lyrics)
	}
	// LYRICS as an array with tags as an array and the flattened state field (yutoai).
	task = mustTask(t, `{"task_id":"t3","action":"LYRICS","status":"SUCCESS","data":[{"id":"l1","tags":["pop","电子"],"state":"succeeded","title":"T","text":"la la"}]}`)
	if task.Lyrics == nil || task.Lyrics.Status != ClipComplete || len(task.Lyrics.Tags) != 2 || task.Lyrics.Tags[1] != "电子" {
		t.Errorf("lyrics array: %+v", task.Lyrics)
	}
	// Flattened apicore clips.
	task = mustTask(t, `{"task_id":"t4","status":"SUCCESS","data":[{"id":"f1","clip_id":"f1","task_id":"t4_1","mv":"chirp-v4","msg":"","tags":"rock","state":"succeeded","status":"complete","title":"Flat","prompt":"[Verse] x","duration":219,"audio_url":"https://cdn1.suno.ai/f1.mp3","image_url":"","video_url":"","continue_at":null,"create_time":1716191749000}]}`)
	if len(task.Clips) != 1 {
		t.Fatalf("flat clips: %+v", task)
	}
	c := task.Clips[0]
	if c.TaskID != "t4" || c.Model != "chirp-v4" || c.Tags != "rock" || c.Duration != 219 || c.Lyrics != "[Verse] x" ||
		c.Status != ClipComplete || !c.CreatedAt.Equal(time.UnixMilli(1716191749000)) || task.Status != StatusSucceeded {
		t.Errorf("flat clip = %+v", c)
	}
}

func TestGoAmzClipsMapStableOrder(t *testing.T) { // 4.2, 9.6
	payload := `{"task_id":"96bff3e6-5af6-490e-b0f3-f99257883383","status":"completed",
	  "input":"{\n \"custom_mode\": true}",
	  "clips":{
	    "b9dc9655-3f5e-4a55-b8bb-0cd6c4cf3bd1":{"id":"b9dc9655-3f5e-4a55-b8bb-0cd6c4cf3bd1","status":"complete","title":"Electric Dreams","text":"[Verse]","audio_url":"https://cdn1.suno.ai/b9.mp3","created_at":"2024-05-29T03:14:04.567Z","metadata":{"duration":"8.12"}},
	    "39a7e046-60bb-43ae-b1a8-0d57d8063f38":{"id":"39a7e046-60bb-43ae-b1a8-0d57d8063f38","status":"complete","title":"Electric Dreams","audio_url":"https://cdn1.suno.ai/39.mp3","created_at":"2024-05-29T03:14:04.567Z","metadata":{"duration":120}}
	  }}`
	for i := 0; i < 20; i++ { // map order is random in Go: the result must not be
		task := mustTask(t, payload)
		if task.Status != StatusSucceeded || len(task.Clips) != 2 {
			t.Fatalf("goamz task: %+v", task)
		}
		if task.Clips[0].ID != "39a7e046-60bb-43ae-b1a8-0d57d8063f38" || task.Clips[1].Duration != 8.12 {
			t.Fatalf("order/duration: %+v", task.Clips)
		}
		if task.Clips[1].Lyrics != "[Verse]" {
			t.Fatalf("goamz text as lyrics: %q", task.Clips[1].Lyrics)
		}
	}
}

func TestFetchDataShapes(t *testing.T) { // 9.4
	// Suno-API: data is the bare clip array.
	task, err := taskFromFetchData("t9", json.RawMessage(`[{"id":"c1","status":"complete","audio_url":"https://cdn1.suno.ai/c1.mp3"},{"id":"c2","status":"queued","audio_url":""}]`))
	if err != nil || task.ID != "t9" || task.Status != StatusPending || len(task.Clips) != 2 || task.Clips[1].TaskID != "t9" {
		t.Errorf("bare clips: %+v %v", task, err)
	}
	// Suno-API lyrics: the bare lyrics object.
	task, err = taskFromFetchData("l9", json.RawMessage(`{"id":"l9","status":"complete","title":"T","text":"words"}`))
	if err != nil || task.Kind != KindLyrics || task.Status != StatusSucceeded || task.Lyrics.Text != "words" {
		t.Errorf("bare lyrics: %+v %v", task, err)
	}
	// A relay task object.
	task, err = taskFromFetchData("x", json.RawMessage(taskMusicInProgress))
	if err != nil || task.ID != "346c5d10-a4a1-4f49-a851-66a7dae6cfaf" || len(task.Clips) != 2 {
		t.Errorf("task object: %+v %v", task, err)
	}
	// GoAmz lyrics: {task_id,input,status,title,text}.
	task, err = taskFromFetchData("g", json.RawMessage(`{"task_id":"0af7cdc7","input":"{\"prompt\":\"elon\"}","status":"completed","title":"Electric Dreams","text":"[Verse]\nTesla"}`))
	if err != nil || task.Kind != KindLyrics || task.Lyrics == nil || task.Lyrics.Title != "Electric Dreams" || task.Status != StatusSucceeded {
		t.Errorf("goamz lyrics: %+v %v", task, err)
	}
	if _, err := taskFromFetchData("z", json.RawMessage(`"just text"`)); err == nil {
		t.Error("a string is not a task")
	}
}

func TestAudioURLLifecycle(t *testing.T) { // 9.9
	c, _ := decodeClip(json.RawMessage(`{"id":"a","status":"queued","audio_url":""}`), "")
	if c.Status != ClipQueued || c.Playable() {
		t.Errorf("queued: %+v", c)
	}
	c, _ = decodeClip(json.RawMessage(`{"id":"a","status":"streaming","audio_url":"https://audiopipe.suno.ai/?item_id=a"}`), "")
	if c.Status != ClipStreaming || c.StreamURL == "" || c.AudioURL != "" || !c.Playable() {
		t.Errorf("streaming: %+v", c)
	}
	// complete but the URL not yet replaced: not final for us.
	c, _ = decodeClip(json.RawMessage(`{"id":"a","status":"complete","audio_url":"https://audiopipe.suno.ai/?item_id=a"}`), "")
	if c.Status != ClipStreaming {
		t.Errorf("complete with stream URL should stay streaming: %+v", c)
	}
	c, _ = decodeClip(json.RawMessage(`{"id":"a","status":"complete","audio_url":"https://cdn.ttapi.io/suno/a.mp3"}`), "")
	if c.Status != ClipComplete || c.AudioURL != "https://cdn.ttapi.io/suno/a.mp3" {
		t.Errorf("relay CDN: %+v", c)
	}
	c, _ = decodeClip(json.RawMessage(`{"id":"a","status":"complete","audio_url":"https://cdn1.suno.ai/None.mp3","metadata":{"error_type":"moderation","error_message":null}}`), "")
	if c.Status != ClipFailed || c.AudioURL != "" || c.Error == "" {
		t.Errorf("None.mp3: %+v", c)
	}
	task := mustTask(t, `{"task_id":"p","status":"IN_PROGRESS","data":[{"id":"a","status":"complete","audio_url":"https://cdn1.suno.ai/None.mp3"},{"id":"b","status":"error","metadata":{"error_message":"Unable to generate: policy"}}]}`)
	if task.Status != StatusFailed || task.FailReason == "" {
		t.Errorf("all clips failed should fail the task: %+v", task)
	}
	// A relay saying SUCCESS while a clip still streams: keep polling.
	task = mustTask(t, `{"task_id":"s","status":"SUCCESS","data":[{"id":"a","status":"complete","audio_url":"https://cdn1.suno.ai/a.mp3"},{"id":"b","status":"streaming","audio_url":"https://audiopipe.suno.ai/?item_id=b"}]}`)
	if task.Status != StatusRunning {
		t.Errorf("SUCCESS with a streaming clip should be running: %s", task.Status)
	}
}

func TestNullableAndVariantFields(t *testing.T) { // 9.11, 9.13
	cases := map[string]float64{
		`{"id":"a","metadata":{"duration":null}}`:      0,
		`{"id":"a","metadata":{"duration":128}}`:       128,
		`{"id":"a","metadata":{"duration":128.92}}`:    128.92,
		`{"id":"a","metadata":{"duration":"8.12"}}`:    8.12,
		`{"id":"a","metadata":{"duration":"bogus"}}`:   0,
		`{"id":"a","metadata":{"duration":-5}}`:        0,
		`{"id":"a","duration":"219"}`:                  219,
		`{"id":"a","metadata":{"duration":{"x":1}}}`:   0,
		`{"id":"a","metadata":{"duration":1e400}}`:     0,
		`{"id":"a","metadata":{"duration":"  60 秒 "}}`: 60,
	}
	for payload, want := range cases {
		c, err := decodeClip(json.RawMessage(payload), "")
		if err != nil || c.Duration != want {
			t.Errorf("%s: duration %v err %v, want %v", payload, c.Duration, err, want)
		}
	}
	c, _ := decodeClip(json.RawMessage(`{"id":"a","metadata":{"continue_at":"80.5","continue_clip_id":"p"}}`), "")
	if c.ContinueAt != 80.5 || c.ContinueFromID != "p" {
		t.Errorf("continue_at string: %+v", c)
	}
	c, _ = decodeClip(json.RawMessage(`{"id":"a","metadata":{"continue_at":80}}`), "")
	if c.ContinueAt != 80 {
		t.Errorf("continue_at number: %+v", c)
	}
	c, _ = decodeClip(json.RawMessage(`{"id":"a","title":null,"metadata":{"error_message":null,"gpt_description_prompt":null,"tags":null}}`), "")
	if c.Title != "" || c.Error != "" || c.Tags != "" {
		t.Errorf("nulls: %+v", c)
	}
}

func TestTimestamps(t *testing.T) { // 9.14
	sec := time.Unix(1716191749, 0).UTC()
	for _, raw := range []string{`1716191749`, `"1716191749"`, `1716191749000`, `"2024-05-20T07:55:49Z"`} {
		if got := flexTime(json.RawMessage(raw)); !got.Equal(sec) {
			t.Errorf("time %s = %v", raw, got)
		}
	}
	for _, raw := range []string{`0`, `null`, `""`, `-1`, `"soon"`, `1e300`} {
		if got := flexTime(json.RawMessage(raw)); !got.IsZero() {
			t.Errorf("time %s should be unset, got %v", raw, got)
		}
	}
}

func TestProgress(t *testing.T) { // 9.15
	cases := map[string]int{`"0%"`: 0, `"60%"`: 60, `"100%"`: 100, `""`: -1, `60`: 60, `null`: -1, `"250%"`: 100, `0.6`: 60}
	for raw, want := range cases {
		if got := parseProgress(json.RawMessage(raw)); got != want {
			t.Errorf("progress %s = %d, want %d", raw, got, want)
		}
	}
}

func TestUnknownFieldsAndClipWithoutID(t *testing.T) { // 9.25
	task := mustTask(t, `{"task_id":"u","status":"QUEUED","platform":"suno","properties":{"x":[1,2]},"data":[{"id":"c","entity_type":"song_schema","flag_count":0,"status":"queued"}],"search_item":"q"}`)
	if len(task.Clips) != 1 || task.Clips[0].ID != "c" {
		t.Errorf("unknown fields: %+v", task)
	}
	if _, err := decodeTask(json.RawMessage(`{"task_id":"u","status":"QUEUED","data":[{"status":"queued"}]}`)); err == nil {
		t.Error("a clip without an id must be an error, not a ghost row")
	}
	for _, bad := range []string{`[`, `{"task_id":`, `"x"`, `12`} {
		if _, err := decodeTask(json.RawMessage(bad)); err == nil {
			t.Errorf("decodeTask(%s) should fail", bad)
		}
	}
}

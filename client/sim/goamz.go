package sim

import (
	"io"
	"net/http"
	"strings"
)

// The GoAmzAI dialect (relay-api 4): {"code":200,"message":"success","data":...}, clips as a
// map keyed by id, and the request echoed back as a JSON string in "input".

func goamzOK(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, map[string]any{"code": 200, "message": "success", "data": data})
}

func goamzError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"code": status, "message": msg, "data": nil})
}

// readGoAmz reads the body and keeps its raw text for the "input" echo.
func readGoAmz(w http.ResponseWriter, r *http.Request) (fields, string, bool) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		goamzError(w, http.StatusBadRequest, "read request body failed")
		return nil, "", false
	}
	f, err := parseFields(data)
	if err != nil {
		goamzError(w, http.StatusBadRequest, "invalid request body: "+err.Error())
		return nil, "", false
	}
	return f, string(data), true
}

// goamzSubmit handles POST {prefix}/music. The /mv-3.5 and /v3.0 prefixes select the model; on
// the bare /suno/v1 prefix input.mv decides, defaulting to v3.5 as openai-core documents.
func (s *Sim) goamzSubmit(prefixMV string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, raw, ok := readGoAmz(w, r)
		if !ok {
			return
		}
		in := f.object("input")
		q := musicReq{
			instrumental: in.boolean("make_instrumental"),
			mv:           prefixMV,
			hook:         f.str("notify_hook"),
			input:        raw,
		}
		if q.mv == "" {
			q.mv = in.str("mv")
		}
		if q.mv == "" {
			q.mv = "chirp-v3-5"
		}
		_, hasMode := f["custom_mode"]
		if f.boolean("custom_mode") || (!hasMode && in.str("gpt_description_prompt") == "") {
			q.prompt, q.title, q.tags = in.str("prompt"), in.str("title"), in.str("tags")
			q.continueClip = in.str("continue_clip_id")
			q.continueAt, q.hasContAt = in.num("continue_at")
			q.taskID = in.str("task_id")
			if q.continueClip != "" && q.taskID == "" {
				// GoAmz has no task_id requirement: find the parent's task ourselves.
				s.mu.Lock()
				if c := s.lookupClip(q.continueClip); c != nil && c.task != nil {
					q.taskID = c.task.id
				} else if c != nil {
					q.taskID = c.id
				}
				s.mu.Unlock()
			}
		} else {
			q.desc = in.str("gpt_description_prompt")
			if q.desc == "" {
				q.desc = in.str("prompt")
			}
			q.hasDesc = q.desc != ""
		}
		s.mu.Lock()
		t, e := s.createMusic(q, kindMusic)
		s.mu.Unlock()
		if e != nil {
			goamzError(w, e.status, e.msg)
			return
		}
		goamzOK(w, map[string]any{"task_id": t.id})
	}
}

func goamzStatus(ts taskState) string {
	switch ts.status {
	case "SUCCESS":
		return "completed"
	case "FAILURE":
		return "failed"
	}
	return "processing"
}

func (s *Sim) handleGoAmzFetch(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	u := urls{baseURL(r)}
	now := s.now()
	s.mu.Lock()
	t, ok := s.tasks[id]
	var data map[string]any
	if ok {
		ts := s.taskStateOf(t, now)
		clips := map[string]any{}
		if ts.hasData && t.kind != kindLyrics {
			for _, c := range t.clips {
				clips[c.id] = s.clipJSON(s.view(c, now), u, true)
			}
		}
		data = map[string]any{"task_id": t.id, "status": goamzStatus(ts), "input": t.inputEcho(), "clips": clips}
		if ts.failReason != "" {
			data["error_message"] = ts.failReason
		}
	}
	s.mu.Unlock()
	if !ok {
		goamzError(w, http.StatusNotFound, "task not found")
		return
	}
	goamzOK(w, data)
}

// inputEcho is the "input" string: the original request body for GoAmz tasks, a compact
// reconstruction for tasks created through other dialects.
func (t *task) inputEcho() string {
	if t.input != "" {
		return t.input
	}
	if t.kind == kindLyrics {
		return `{"prompt":` + jsonString(t.prompt) + `}`
	}
	return `{"custom_mode":true,"input":{"prompt":` + jsonString(strings.TrimSpace(t.prompt)) + `}}`
}

func (s *Sim) handleGoAmzLyrics(w http.ResponseWriter, r *http.Request) {
	f, raw, ok := readGoAmz(w, r)
	if !ok {
		return
	}
	prompt := f.str("prompt")
	if prompt == "" {
		prompt = f.object("input").str("prompt")
	}
	if strings.TrimSpace(prompt) == "" {
		goamzError(w, http.StatusBadRequest, "prompt is empty")
		return
	}
	s.mu.Lock()
	t := s.createLyrics(prompt, f.str("notify_hook"), raw)
	s.mu.Unlock()
	goamzOK(w, map[string]any{"task_id": t.id})
}

func (s *Sim) handleGoAmzLyricsFetch(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	now := s.now()
	s.mu.Lock()
	t, ok := s.tasks[id]
	var data map[string]any
	if ok && t.kind == kindLyrics {
		ts := s.taskStateOf(t, now)
		data = map[string]any{"task_id": t.id, "input": t.inputEcho(), "status": goamzStatus(ts), "title": "", "text": ""}
		if ts.status == "SUCCESS" {
			data["title"], data["text"] = t.lyr.title, t.lyr.text
		}
		if ts.failReason != "" {
			data["error_message"] = ts.failReason
		}
	}
	s.mu.Unlock()
	if data == nil {
		goamzError(w, http.StatusNotFound, "task not found")
		return
	}
	goamzOK(w, data)
}

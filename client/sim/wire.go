package sim

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Wire rendering: everything here produces relay JSON, never the client's domain types.

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"code":"internal_error","message":"marshal failed","data":null}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeTaskError is the task-dialect error: {"code":"<code>","message":"...","data":null}.
func writeTaskError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg, "data": nil})
}

// writeOpenAIError is the OpenAI-style error new-api uses for auth, chat and billing.
func writeOpenAIError(w http.ResponseWriter, status int, msg, typ, code string) {
	e := map[string]any{"message": msg, "type": typ}
	if code != "" {
		e["code"] = code
	}
	writeJSON(w, status, map[string]any{"error": e})
}

func writeUnauthorized(w http.ResponseWriter, r *http.Request) {
	msg := "无效的令牌"
	if r.Header.Get("Authorization") == "" && r.Header.Get("mj-api-secret") == "" {
		msg = "未提供令牌"
	}
	writeOpenAIError(w, http.StatusUnauthorized, msg, "new_api_error", "")
}

// taskOK writes a task-dialect success envelope (code "success", or 200 with Quirks.IntCode).
func (s *Sim) taskOK(w http.ResponseWriter, data any) {
	var code any = "success"
	if s.opts.Quirks.IntCode {
		code = 200
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": code, "message": "", "data": data})
}

// urls builds the media URLs of a clip for one request host.
type urls struct{ base string }

func (u urls) stream(id string) string { return u.base + "/audiopipe/?item_id=" + id }
func (u urls) mp3(id string) string    { return u.base + "/cdn/" + id + ".mp3" }
func (u urls) mp4(id string) string    { return u.base + "/cdn/" + id + ".mp4" }
func (u urls) wav(id string) string    { return u.base + "/cdn/" + id + ".wav" }
func (u urls) none() string            { return u.base + "/cdn/None.mp3" }
func (u urls) image(id string) string  { return u.base + "/cdn/image_" + id + ".png" }
func (u urls) imageL(id string) string { return u.base + "/cdn/image_large_" + id + ".png" }

// modelInfo maps an mv value to the clip's model_name and major_model_version. model_name lags
// behind for v3.5, as in the seed document (relay-api 7).
func modelInfo(mv string) (name, major string) {
	switch mv {
	case "chirp-v3-0", "chirp-v3":
		return "chirp-v3", "v3"
	case "chirp-v3-5":
		return "chirp-v3", "v3.5"
	case "chirp-v3-5-tau":
		return "chirp-v3-5-tau", "v3.5"
	case "chirp-v4", "chirp-v4-tau", "chirp-v4-upload":
		return mv, "v4"
	case "chirp-auk", "chirp-auk-upload":
		return mv, "v4.5"
	case "chirp-auk-turbo":
		return mv, "v4.5-all"
	case "chirp-bluejay":
		return mv, "v4.5+"
	case "chirp-crow", "chirp-v5":
		return mv, "v5"
	}
	if strings.HasPrefix(mv, "chirp-") {
		return mv, "v" + strings.ReplaceAll(strings.TrimPrefix(mv, "chirp-v"), "-", ".")
	}
	return mv, ""
}

// clipView is a clip plus everything needed to render it at one instant.
type clipView struct {
	c        *clip
	st       stage
	duration float64 // exact decoded length, when complete
	// overrides for asset jobs (wav / mp4)
	audioURL     *string
	videoPending *bool
	videoURL     *string
	status       string
	// slot is the flattened clip's task_id for an asset job: the job's own task, not the
	// task that made the clip ("<job>_1").
	slot string
}

func (s *Sim) num(v float64) any {
	v = math.Round(v*100) / 100
	if s.opts.Quirks.StringNumbers {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return v
}

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// clipJSON renders Suno's feed clip (relay-api 2.6). goamz adds the "text" field.
func (s *Sim) clipJSON(v clipView, u urls, goamz bool) map[string]any {
	c := v.c
	name, major := modelInfo(c.mv)
	status := v.st.clipStatus()
	audio, video, img, imgL := "", "", "", ""
	var duration any
	var errType, errMsg any
	switch v.st {
	case stStreaming:
		audio = u.stream(c.id)
		img, imgL = u.image(c.id), u.imageL(c.id)
	case stComplete:
		audio, video = u.mp3(c.id), u.mp4(c.id)
		img, imgL = u.image(c.id), u.imageL(c.id)
		duration = s.num(v.duration)
	case stError:
		if c.task != nil && c.task.fate == fatePolicy {
			audio = u.none()
			errType, errMsg = "moderation_failure", policyText
		} else {
			errType, errMsg = "internal_error", failText
		}
	}
	pending := false
	if v.audioURL != nil {
		audio = *v.audioURL
	}
	if v.videoURL != nil {
		video = *v.videoURL
	}
	if v.videoPending != nil {
		pending = *v.videoPending
	}
	if v.status != "" {
		status = v.status
	}
	var desc any
	if c.hasDesc {
		desc = c.desc
	}
	meta := map[string]any{
		"tags":                   c.tags,
		"prompt":                 c.lyrics,
		"gpt_description_prompt": desc,
		"audio_prompt_id":        nil,
		"history":                nil,
		"concat_history":         nil,
		"type":                   c.typ,
		"duration":               duration,
		"refund_credits":         false,
		"stream":                 true,
		"error_type":             errType,
		"error_message":          errMsg,
	}
	if c.negTags != "" {
		meta["negative_tags"] = c.negTags
	}
	if c.parent != nil {
		meta["history"] = []map[string]any{{
			"id": c.parent.id, "continue_at": s.num(c.continueAt), "type": "gen", "source": "web", "infill": false,
		}}
	}
	if c.typ == typeConcat {
		var hist []map[string]any
		for p := c.source; p != nil && len(hist) < 32; p = p.parent {
			e := map[string]any{"id": p.id, "type": "gen"}
			if p.parent != nil {
				e["continue_at"] = s.num(p.continueAt)
			}
			hist = append([]map[string]any{e}, hist...)
		}
		meta["concat_history"] = hist
	}
	if c.typ == typeStem && c.source != nil {
		meta["stem_from_id"] = c.source.id
	}
	if c.source != nil && c.typ == typeGen {
		if c.infillTo > c.infillFrom {
			meta["infill"] = true
			meta["infill_start_s"] = s.num(c.infillFrom)
			meta["infill_end_s"] = s.num(c.infillTo)
		} else {
			meta["cover_clip_id"] = c.source.id
		}
	}
	if c.personaID != "" {
		meta["persona_id"] = c.personaID
	}
	if c.artistClip != "" {
		meta["artist_clip_id"] = c.artistClip
	}
	out := map[string]any{
		"id":                  c.id,
		"video_url":           video,
		"audio_url":           audio,
		"image_url":           img,
		"image_large_url":     imgL,
		"is_video_pending":    pending,
		"major_model_version": major,
		"model_name":          name,
		"metadata":            meta,
		"is_liked":            false,
		"user_id":             "4e1b9a52-7c7e-4f4a-9a43-5f1d2c3b4a10",
		"display_name":        "SimStudio",
		"handle":              "simstudio",
		"is_handle_updated":   false,
		"avatar_image_url":    u.base + "/cdn/avatar.png",
		"is_trashed":          false,
		"reaction":            nil,
		"created_at":          isoTime(c.created),
		"status":              status,
		"title":               c.title,
		"play_count":          0,
		"upvote_count":        0,
		"is_public":           false,
	}
	if goamz {
		out["text"] = c.lyrics
	}
	return out
}

// flatClipJSON renders the flattened apicore clip (relay-api 2.6, 9.5).
func (s *Sim) flatClipJSON(v clipView, u urls) map[string]any {
	full := s.clipJSON(v, u, false)
	meta := full["metadata"].(map[string]any)
	state := "pending"
	switch v.st {
	case stStreaming:
		state = "running"
	case stComplete:
		state = "succeeded"
	case stError:
		state = "failed"
	}
	taskID := v.c.id
	if v.slot != "" {
		taskID = v.slot
	} else if v.c.task != nil {
		taskID = v.c.task.id + "_" + strconv.Itoa(v.c.index+1)
	}
	var contAt any
	if v.c.parent != nil {
		contAt = s.num(v.c.continueAt)
	}
	msg := ""
	if m, ok := meta["error_message"].(string); ok {
		msg = m
	}
	return map[string]any{
		"id":              v.c.id,
		"clip_id":         v.c.id,
		"task_id":         taskID,
		"mv":              v.c.mv,
		"msg":             msg,
		"tags":            v.c.tags,
		"state":           state,
		"status":          full["status"],
		"title":           v.c.title,
		"prompt":          v.c.lyrics,
		"duration":        meta["duration"],
		"audio_url":       full["audio_url"],
		"image_url":       full["image_url"],
		"image_large_url": full["image_large_url"],
		"video_url":       full["video_url"],
		"continue_at":     contAt,
		"create_time":     v.c.created.UnixMilli(),
	}
}

// taskClipJSON renders a clip for the task dialect, honouring Quirks.FlatClips.
func (s *Sim) taskClipJSON(v clipView, u urls) map[string]any {
	if s.opts.Quirks.FlatClips {
		return s.flatClipJSON(v, u)
	}
	return s.clipJSON(v, u, false)
}

func (s *Sim) unixTime(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	if s.opts.Quirks.Millis {
		return t.UnixMilli()
	}
	return t.Unix()
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

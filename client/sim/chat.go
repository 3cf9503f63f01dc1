package sim

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// The chat dialect (relay-api 5): the song arrives as free text inside an OpenAI chat stream.
// Format "a" is open-source Suno-API (Go template rendered with html/template, one rune per SSE
// event, "data: [DONE]" without a trailing newline); format "b" is wlhtea/Suno2openai
// (markdown chunks with emoji labels, audiopipe links first, cdn links at the end).

// chatRespA is Suno-API's default suno_chat_resp template (template/suno.yaml) with the labels
// as relay-api 5.3 spells them. It is executed with html/template, exactly as Suno-API does,
// so apostrophes arrive as &#39; and ampersands as &amp;.
var chatRespA = template.Must(template.New("suno_chat_resp").Parse(`***
{{ $first := (index .Data 0)}}
###🎵 歌曲名： {{ $first.Title }}
**模型版本：** {{ $first.ModelName }}
**歌词：**
{{ $first.Metadata.Prompt }}

{{ range $i, $v := .Data }}
**版本ID： ** {{$v.ID}}
**音乐时长： ** {{$v.Metadata.Duration}}秒
**风格：   ** {{$v.Metadata.Tags}}
**资源链接：**
- 🖼 封面: ![封面]({{$v.ImageURL}})
- 🎧 音频: [点击听歌]({{$v.AudioURL}})
- 🎬 视频: [点击观看]({{$v.VideoURL}})
{{ end }}
`))

const (
	chatSubmitA = "请求成功，正在生成歌曲，请稍等片刻...\n"
	chatTick    = "🎵"
)

// tplClip mirrors the fields Suno-API's template reads from its stored SunoSong.
type tplClip struct {
	ID, Title, ModelName, ImageURL, AudioURL, VideoURL string
	Metadata                                           struct {
		Prompt, Tags string
		Duration     any
	}
}

type chatReq struct {
	model   string
	text    string // the last user message
	stream  bool
	format  string
	chatID  string
	created int64
}

func (s *Sim) handleChat(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeOpenAIError(w, http.StatusBadRequest, "read request body failed", "invalid_request_error", "")
		return
	}
	var body struct {
		Model    string `json:"model"`
		Stream   bool   `json:"stream"`
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(data, &body); err != nil {
		writeOpenAIError(w, http.StatusBadRequest, "invalid request body: "+err.Error(), "invalid_request_error", "parse_body_failed")
		return
	}
	q := chatReq{model: body.Model, stream: body.Stream, format: s.opts.ChatFormat, created: s.now().Unix()}
	for i := len(body.Messages) - 1; i >= 0; i-- {
		if m := body.Messages[i]; m.Role == "user" || m.Role == "" {
			q.text = messageText(m.Content)
			break
		}
	}
	if strings.TrimSpace(q.text) == "" {
		writeOpenAIError(w, http.StatusBadRequest, "messages is empty", "invalid_request_error", "")
		return
	}
	low := strings.ToLower(q.text)
	switch {
	case strings.Contains(low, "sim:format=b"):
		q.format = "b"
	case strings.Contains(low, "sim:format=a"):
		q.format = "a"
	}
	if q.format == "b" {
		q.chatID = "chatcmpl-" + randAlnum(29)
		s.chatB(w, r, q)
		return
	}
	var id [16]byte
	_, _ = crand.Read(id[:])
	q.chatID = "chatcmpl-" + hex.EncodeToString(id[:])
	s.chatA(w, r, q)
}

// messageText reads a message content: a string, or an array of {type:"text",text} parts.
func messageText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(raw, &parts) == nil {
		var b strings.Builder
		for _, p := range parts {
			if p.Type == "text" || p.Type == "" {
				b.WriteString(p.Text)
			}
		}
		return b.String()
	}
	return ""
}

func randAlnum(n int) string {
	const set = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = set[rand.IntN(len(set))]
	}
	return string(b)
}

// chatMV maps chat model names as Suno-API does; other names pass through as the mv.
func chatMV(model string) string {
	switch model {
	case "suno-v3":
		return "chirp-v3-0"
	case "suno-v3.5", "":
		return "chirp-v3-5"
	}
	return model
}

// sse writes chat.completion.chunk events. Every 7th event uses "data:" without the space and
// every 40th is preceded by a ": keep-alive" comment, as relays behind various proxies do.
type sse struct {
	w       http.ResponseWriter
	fl      http.Flusher
	n       int
	err     error
	id      string
	model   string
	created int64
	// oneRune splits content into one event per rune (Suno-API's SendChatData).
	oneRune   bool
	runeDelay time.Duration
	role      bool // next event carries role:"assistant" (Suno2openai's first chunk)
}

func (e *sse) write(s string) bool {
	if e.err != nil {
		return false
	}
	if _, err := io.WriteString(e.w, s); err != nil {
		e.err = err
		return false
	}
	if e.fl != nil {
		e.fl.Flush()
	}
	return true
}

func (e *sse) comment() bool { return e.write(": keep-alive\n\n") }

func (e *sse) event(content string) bool {
	e.n++
	if e.n%40 == 0 && !e.comment() {
		return false
	}
	delta := map[string]any{"content": content}
	if e.role {
		delta["role"] = "assistant"
		e.role = false
	}
	var finish any = "" // go-openai's FinishReason has no omitempty
	if !e.oneRune {
		finish = nil // Suno2openai sends None
	}
	chunk := map[string]any{
		"id": e.id, "object": "chat.completion.chunk", "created": e.created, "model": e.model,
		"choices": []map[string]any{{"index": 0, "delta": delta, "finish_reason": finish}},
	}
	if e.oneRune {
		chunk["system_fingerprint"] = ""
	}
	b, _ := json.Marshal(chunk)
	prefix := "data: "
	if e.n%7 == 0 {
		prefix = "data:"
	}
	return e.write(prefix + string(b) + "\n\n")
}

// send emits content, one rune per event in one-rune mode.
func (e *sse) send(ctx context.Context, content string) bool {
	if !e.oneRune {
		return e.event(content)
	}
	for _, r := range content {
		if !e.event(string(r)) {
			return false
		}
		if e.runeDelay > 0 {
			select {
			case <-ctx.Done():
				e.err = errors.New("client gone")
				return false
			case <-time.After(e.runeDelay):
			}
		}
	}
	return true
}

func startSSE(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
}

// chatSnapshot is what a chat handler needs to know about its task at one instant.
type chatSnapshot struct {
	ts    taskState
	clips []map[string]any // wire clips
}

func (s *Sim) chatSnap(t *task, u urls) chatSnapshot {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.taskStateOf(t, now)
	var clips []map[string]any
	for _, c := range t.clips {
		clips = append(clips, s.clipJSON(s.view(c, now), u, false))
	}
	return chatSnapshot{ts: ts, clips: clips}
}

// chatTimeoutTicks is Suno-API's 5 minute stream timeout expressed in 5 s ticks.
const chatTimeoutTicks = 60

// suno-API relay error, serialised the way Suno-API's GetJsonString(relayErr) does it: the Go
// struct has no JSON tags and its error field marshals as {}.
const chatErrorJSON = `{"StatusCode":500,"Code":"get_task_failed","Err":{},"LocalErr":false}`

func (s *Sim) chatA(w http.ResponseWriter, r *http.Request, q chatReq) {
	ctx := r.Context()
	mv := chatMV(q.model)
	msg := cleanPrompt(q.text)
	instrumental := strings.Contains(strings.ToLower(msg), "instrumental") || strings.Contains(msg, "纯音乐")
	// Suno-API asks an LLM (tool generate_song_custom) for lyrics, title and tags, then submits
	// a custom-mode song; the simulator writes them itself.
	mq := musicReq{mv: mv, title: songTitle(msg, msg), tags: songTags(msg, msg), fateText: q.text}
	if !instrumental {
		mq.prompt = songLyrics(msg, msg)
	}
	s.mu.Lock()
	t, e := s.createMusic(mq, kindMusic)
	s.mu.Unlock()
	if e != nil {
		writeOpenAIError(w, e.status, e.msg, "invalid_request_error", e.code)
		return
	}
	// The tool call and the submit happen before any byte is sent: a silent gap.
	if !sleepCtx(ctx, s.opts.ChatTick/2) {
		return
	}
	u := urls{baseURL(r)}
	out := &sse{w: w, id: q.chatID, model: mv, created: q.created, oneRune: true, runeDelay: s.opts.ChatTick / 5000}
	if out.runeDelay < 100*time.Microsecond {
		out.runeDelay = 0
	}
	out.fl, _ = w.(http.Flusher)
	if q.stream {
		startSSE(w)
		if !out.send(ctx, chatSubmitA) {
			return
		}
	}
	for tick := 0; ; tick++ {
		snap := s.chatSnap(t, u)
		if snap.ts.status == "FAILURE" && t.fate == fateFail {
			if q.stream {
				out.send(ctx, chatErrorJSON) // no [DONE]: Suno-API just returns
			} else {
				writeTaskError(w, http.StatusInternalServerError, "get_task_failed", snap.ts.failReason)
			}
			return
		}
		if snap.ts.done() {
			text := renderChatA(snap.clips)
			if !q.stream {
				writeJSON(w, http.StatusOK, map[string]any{
					"id": q.chatID, "object": "chat.completion", "created": q.created, "model": mv,
					"choices": []map[string]any{{"index": 0, "finish_reason": "stop",
						"delta": map[string]any{"content": text, "role": "assistant"}}},
				})
				return
			}
			if out.send(ctx, text) {
				out.write("data: [DONE]")
			}
			return
		}
		if tick >= chatTimeoutTicks {
			if q.stream {
				out.send(ctx, "timeout")
			} else {
				writeTaskError(w, http.StatusGatewayTimeout, "request_timeout", "get feed task timeout")
			}
			return
		}
		if !sleepCtx(ctx, s.opts.ChatTick) {
			return
		}
		if q.stream && !out.send(ctx, chatTick) {
			return
		}
	}
}

// renderChatA executes the Suno-API template over the wire clips.
func renderChatA(clips []map[string]any) string {
	data := make([]tplClip, 0, len(clips))
	for _, m := range clips {
		var c tplClip
		c.ID, _ = m["id"].(string)
		c.Title, _ = m["title"].(string)
		c.ModelName, _ = m["model_name"].(string)
		c.ImageURL, _ = m["image_url"].(string)
		c.AudioURL, _ = m["audio_url"].(string)
		c.VideoURL, _ = m["video_url"].(string)
		if meta, ok := m["metadata"].(map[string]any); ok {
			c.Metadata.Prompt, _ = meta["prompt"].(string)
			c.Metadata.Tags, _ = meta["tags"].(string)
			c.Metadata.Duration = meta["duration"]
		}
		data = append(data, c)
	}
	if len(data) == 0 {
		return ""
	}
	var buf bytes.Buffer
	if err := chatRespA.Execute(&buf, map[string]any{"Data": data}); err != nil {
		return chatErrorJSON
	}
	return buf.String()
}

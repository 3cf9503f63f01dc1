package sim

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// sseResult is a chat stream taken apart the way a tolerant client would.
type sseResult struct {
	content  string
	done     bool
	events   int
	noSpace  int
	comments int
	multi    int // content events with more than one rune
	chunks   []map[string]any
	raw      string
}

func parseSSE(t *testing.T, body []byte) sseResult {
	t.Helper()
	res := sseResult{raw: string(body)}
	var b strings.Builder
	for _, line := range strings.Split(string(body), "\n") {
		switch {
		case line == "":
		case strings.HasPrefix(line, ":"):
			res.comments++
		case strings.HasPrefix(line, "data:"):
			payload := strings.TrimPrefix(line, "data:")
			if !strings.HasPrefix(payload, " ") {
				res.noSpace++
			}
			payload = strings.TrimPrefix(payload, " ")
			if payload == "[DONE]" {
				res.done = true
				continue
			}
			var chunk map[string]any
			if err := json.Unmarshal([]byte(payload), &chunk); err != nil {
				t.Fatalf("bad event %q: %v", payload, err)
			}
			res.events++
			res.chunks = append(res.chunks, chunk)
			c := chunk["choices"].([]any)[0].(map[string]any)["delta"].(map[string]any)["content"].(string)
			if utf8.RuneCountInString(c) != 1 {
				res.multi++
			}
			b.WriteString(c)
		default:
			t.Fatalf("unexpected SSE line %q", line)
		}
	}
	res.content = b.String()
	return res
}

// tplEscape is what html/template does to text: html.EscapeString plus '+'.
func tplEscape(s string) string { return strings.ReplaceAll(html.EscapeString(s), "+", "&#43;") }

var clipIDRe = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// feedClips fetches the clips named in a text, in order of first appearance.
func feedClips(t *testing.T, s *Sim, text string) []map[string]any {
	t.Helper()
	var ids []string
	seen := map[string]bool{}
	for _, id := range clipIDRe.FindAllString(text, -1) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) != 2 {
		t.Fatalf("want 2 clip ids in the text, got %v", ids)
	}
	var clips []map[string]any
	if err := json.Unmarshal(call(t, s, "GET", "/suno/feed/"+strings.Join(ids, ","), nil).body, &clips); err != nil || len(clips) != 2 {
		t.Fatalf("feed: %v", err)
	}
	return clips
}

func chatBody(model, text string, stream bool) map[string]any {
	return map[string]any{"model": model, "stream": stream, "messages": []map[string]any{
		{"role": "system", "content": "you are suno"}, {"role": "user", "content": text}}}
}

func expectedA(clips []map[string]any) string {
	first := clips[0]
	var b strings.Builder
	b.WriteString("***\n\n###🎵 歌曲名： " + tplEscape(first["title"].(string)) + "\n")
	b.WriteString("**模型版本：** " + tplEscape(first["model_name"].(string)) + "\n**歌词：**\n")
	b.WriteString(tplEscape(meta(first)["prompt"].(string)) + "\n\n")
	for _, c := range clips {
		b.WriteString("\n**版本ID： ** " + c["id"].(string) + "\n")
		b.WriteString(fmt.Sprint("**音乐时长： ** ", meta(c)["duration"], "秒\n"))
		b.WriteString("**风格：   ** " + tplEscape(meta(c)["tags"].(string)) + "\n**资源链接：**\n")
		b.WriteString("- 🖼 封面: ![封面](" + tplEscape(c["image_url"].(string)) + ")\n")
		b.WriteString("- 🎧 音频: [点击听歌](" + tplEscape(c["audio_url"].(string)) + ")\n")
		b.WriteString("- 🎬 视频: [点击观看](" + tplEscape(c["video_url"].(string)) + ")\n")
	}
	b.WriteString("\n")
	return b.String()
}

func TestChatFormatAStream(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{StageTime: 30 * time.Millisecond})
	r := call(t, s, "POST", "/v1/chat/completions", chatBody("suno-v3.5", "Don't stop the night, r&b", true), "Accept", "text/event-stream")
	if r.status != 200 || r.header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("%d %v", r.status, r.header)
	}
	if !strings.HasSuffix(r.raw(), "\n\ndata: [DONE]") {
		t.Fatalf("stream must end with data: [DONE] and no newline: %q", r.raw()[max(0, len(r.raw())-40):])
	}
	sse := parseSSE(t, r.body)
	if !sse.done || sse.multi != 0 || sse.noSpace == 0 || sse.comments == 0 {
		t.Fatalf("framing: done=%v multi=%d nospace=%d comments=%d", sse.done, sse.multi, sse.noSpace, sse.comments)
	}
	ch := sse.chunks[0]
	c0 := ch["choices"].([]any)[0].(map[string]any)
	if ch["model"] != "chirp-v3-5" || ch["object"] != "chat.completion.chunk" || !strings.HasPrefix(ch["id"].(string), "chatcmpl-") || c0["finish_reason"] != "" {
		t.Fatalf("chunk: %v", ch)
	}
	if !strings.HasPrefix(sse.content, chatSubmitA) {
		t.Fatalf("no submit text: %q", sse.content[:40])
	}
	rest := strings.TrimLeft(strings.TrimPrefix(sse.content, chatSubmitA), chatTick)
	clips := feedClips(t, s, rest)
	if want := expectedA(clips); rest != want {
		t.Fatalf("template text differs:\n got %q\nwant %q", rest, want)
	}
	if !strings.Contains(rest, "Don&#39;t") || !strings.Contains(rest, s.URL()+"/cdn/"+clips[0]["id"].(string)+".mp3") {
		t.Fatalf("escaping or cdn URL missing: %q", rest)
	}
	// The chat created a real task in the store.
	s.mu.Lock()
	c := s.clips[clips[0]["id"].(string)]
	s.mu.Unlock()
	if c == nil || c.task == nil || fetchTask(t, s, c.task.id)["status"] != "SUCCESS" {
		t.Fatal("chat clip has no fetchable task")
	}
}

func TestChatFormatANonStream(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{StageTime: 10 * time.Millisecond})
	r := call(t, s, "POST", "/v1/chat/completions", chatBody("chirp-v4", "欢快的中文歌曲，主题：周末", false))
	m := r.json(t)
	ch := m["choices"].([]any)[0].(map[string]any)
	d, ok := ch["delta"].(map[string]any)
	if r.status != 200 || m["object"] != "chat.completion" || m["model"] != "chirp-v4" || !ok || ch["finish_reason"] != "stop" || d["role"] != "assistant" {
		t.Fatalf("non-stream: %s", r.body)
	}
	text := d["content"].(string)
	clips := feedClips(t, s, text)
	if text != expectedA(clips) || !strings.Contains(text, "歌曲名： 周末") || clips[0]["major_model_version"] != "v4" {
		t.Fatalf("text %q", text)
	}
}

func TestChatFormatB(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{StageTime: 30 * time.Millisecond, ChatFormat: "b"})
	r := call(t, s, "POST", "/v1/chat/completions", chatBody("suno-v3.5", "a song about rainy days", true))
	if !strings.HasSuffix(r.raw(), "data: [DONE]\n\n") {
		t.Fatalf("suno2openai ends with [DONE]\\n\\n: %q", r.raw()[max(0, len(r.raw())-30):])
	}
	sse := parseSSE(t, r.body)
	first := sse.chunks[0]
	delta := first["choices"].([]any)[0].(map[string]any)["delta"].(map[string]any)
	if delta["role"] != "assistant" || first["model"] != "suno-v3.5" || len(first["id"].(string)) != len("chatcmpl-")+29 {
		t.Fatalf("first chunk: %v", first)
	}
	clips := feedClips(t, s, sse.content)
	id1, id2 := clips[0]["id"].(string), clips[1]["id"].(string)
	u := urls{s.URL()}
	head := "\n### 🤯 Creating\n\n```suno\n{prompt:a song about rainy days}\n```\n\n" +
		"### ⭐ 歌曲信息\n\n- **🧩 ID1️⃣**：" + id1 + "\n- **🧩 ID2️⃣**：" + id2 + "\n" +
		"- **🤖 歌名**：" + clips[0]["title"].(string) + " \n\n" +
		"- **💄 类型**：" + meta(clips[0])["tags"].(string) + " \n\n" +
		"### 📖 完整歌词\n\n```\n" + meta(clips[0])["prompt"].(string) + "\n```\n\n" +
		"### 🖼️ 歌曲图片\n\n![image_large_url](" + u.imageL(id1) + ") \n\n### 🤩 即刻享受\n" +
		"\n- **🔗 实时音乐1️⃣**：" + u.stream(id1) + "\n- **🔗 实时音乐2️⃣**：" + u.stream(id2) + "\n\n### 🚀 生成CDN链接中（2min~）\n\n"
	tail := "\n\n### 🎷 CDN音乐链接\n\n- **🎧 音乐1️⃣**：" + u.mp3(id1) + " \n- **🎧 音乐2️⃣**：" + u.mp3(id2) + " \n" +
		"\n### 📺 CDN视频链接\n\n- **📽️ 视频1️⃣**：" + u.mp4(id1) + " \n- **📽️ 视频2️⃣**：" + u.mp4(id2) + " \n\n### 👀 更多\n\n**🤗还想听更多歌吗，快来告诉我**🎶✨\n"
	if !strings.HasPrefix(sse.content, head) || !strings.HasSuffix(sse.content, tail) {
		t.Fatalf("format b text:\n%q", sse.content)
	}
	if mid := strings.TrimSuffix(strings.TrimPrefix(sse.content, head), tail); strings.Trim(mid, "🎵\n") != "" {
		t.Fatalf("between links only ticks expected: %q", mid)
	}
	if clips[0]["title"] != "Rainy Days" || meta(clips[0])["gpt_description_prompt"] != "a song about rainy days" {
		t.Fatalf("inspiration clip: %v", clips[0])
	}

	// Keyword selection overrides the option; non-stream uses message.
	s2 := startSim(t, Options{})
	r = call(t, s2, "POST", "/v1/chat/completions", chatBody("suno-v3", "jazz night sim:format=b", false))
	m := r.json(t)
	msg := m["choices"].([]any)[0].(map[string]any)["message"].(map[string]any)
	if m["object"] != "chat.completion" || !strings.Contains(msg["content"].(string), "### 🎷 CDN音乐链接") || m["usage"] == nil {
		t.Fatalf("b non-stream: %s", r.body)
	}
	// Suno2openai refuses other models.
	r = call(t, s2, "POST", "/v1/chat/completions", chatBody("chirp-v4", "x sim:format=b", true))
	if sse := parseSSE(t, r.body); !sse.done || sse.content != "请选择suno-v3 或者 suno-v3.5其中一个" {
		t.Fatalf("model refusal: %q", sse.content)
	}
}

func TestChatFailuresAndCut(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{StageTime: 20 * time.Millisecond})
	for _, text := range []string{"broken sim:fail", "broken sim:fail sim:format=b"} {
		r := call(t, s, "POST", "/v1/chat/completions", chatBody("suno-v3.5", text, true))
		sse := parseSSE(t, r.body)
		if sse.done || !strings.Contains(sse.content, chatErrorJSON) {
			t.Fatalf("%q: done=%v content %q", text, sse.done, sse.content)
		}
	}
	r := call(t, s, "POST", "/v1/chat/completions", chatBody("suno-v3.5", "bad sim:policy sim:format=b", true))
	if sse := parseSSE(t, r.body); !sse.done || !strings.Contains(sse.content, "### 🚨 违规") {
		t.Fatalf("policy b: %q", sse.content)
	}
	r = call(t, s, "POST", "/v1/chat/completions", chatBody("suno-v3.5", "bad sim:policy", true))
	if sse := parseSSE(t, r.body); !sse.done || !strings.Contains(sse.content, "/cdn/None.mp3") {
		t.Fatalf("policy a: %q", sse.content)
	}
	s.Inject(Fault{Path: "/v1/chat", Kind: FaultSSECut})
	r = call(t, s, "POST", "/v1/chat/completions", chatBody("suno-v3.5", "cut me", true))
	// Keep whole events only: the cut may fall inside one.
	sse := parseSSE(t, []byte(r.raw()[:strings.LastIndex(r.raw(), "\n\n")+2]))
	if sse.done || strings.Contains(r.raw(), "[DONE]") || sse.events == 0 {
		t.Fatalf("cut stream: done=%v events=%d", sse.done, sse.events)
	}
	if r := call(t, s, "POST", "/v1/chat/completions", map[string]any{"model": "suno-v3.5", "messages": []any{}}); r.status != 400 {
		t.Fatalf("empty messages: %d", r.status)
	}
}

func (r resp) raw() string { return string(r.body) }

package sim

import (
	"net/http"
	"strings"
	"unicode/utf8"
)

// chatB speaks wlhtea/Suno2openai (relay-api 5.3 b): an inspiration-mode song, announced in
// markdown chunks as the feed fills in (ids, title, tags, lyrics, cover, audiopipe links),
// emoji ticks while Suno renders, then the cdn links and "data: [DONE]\n\n".
func (s *Sim) chatB(w http.ResponseWriter, r *http.Request, q chatReq) {
	ctx := r.Context()
	var acc strings.Builder // non-stream: Suno2openai concatenates every chunk
	out := &sse{w: w, id: q.chatID, model: q.model, created: q.created, role: true}
	out.fl, _ = w.(http.Flusher)
	emit := func(content string) bool {
		if !q.stream {
			acc.WriteString(content)
			return ctx.Err() == nil
		}
		return out.send(ctx, content)
	}
	finish := func() {
		if q.stream {
			out.write("data: [DONE]\n\n")
			return
		}
		text := acc.String()
		pt, ct := utf8.RuneCountInString(q.text), utf8.RuneCountInString(text)
		writeJSON(w, http.StatusOK, map[string]any{
			"id": q.chatID, "object": "chat.completion", "created": q.created, "model": q.model,
			"choices": []map[string]any{{"index": 0, "message": map[string]any{"role": "assistant", "content": text}, "finish_reason": "stop"}},
			"usage":   map[string]any{"prompt_tokens": pt, "completion_tokens": ct, "total_tokens": pt + ct},
		})
	}
	if q.model != "suno-v3" && q.model != "suno-v3.5" {
		if q.stream {
			startSSE(w)
		}
		emit("请选择suno-v3 或者 suno-v3.5其中一个")
		finish()
		return
	}
	// Suno2openai: inspiration mode, the user's text is the description.
	mq := musicReq{mv: chatMV(q.model), desc: q.text, hasDesc: true, fateText: q.text}
	mq.desc = cleanPrompt(q.text)
	if mq.desc == "" {
		mq.desc = q.text
	}
	s.mu.Lock()
	t, e := s.createMusic(mq, kindMusic)
	s.mu.Unlock()
	if e != nil {
		writeOpenAIError(w, e.status, e.msg, "invalid_request_error", e.code)
		return
	}
	if !sleepCtx(ctx, s.opts.ChatTick/2) {
		return
	}
	if q.stream {
		startSSE(w)
	}
	u := urls{baseURL(r)}
	if !emit("\n### 🤯 Creating\n\n```suno\n{prompt:" + q.text + "}\n```\n\n") {
		return
	}
	ids := make([]string, len(t.clips))
	for i, c := range t.clips {
		ids[i] = c.id
	}
	const (
		stepIDs = iota
		stepTitle
		stepTags
		stepPrompt
		stepImage
		stepAudio
		stepWait
	)
	step, waits := stepIDs, 0
	for {
		snap := s.chatSnap(t, u)
		c1 := snap.clips[0]
		str := func(k string) string { v, _ := c1[k].(string); return v }
		meta, _ := c1["metadata"].(map[string]any)
		metaStr := func(k string) string { v, _ := meta[k].(string); return v }
		if snap.ts.status == "FAILURE" && t.fate == fateFail {
			emit(chatErrorJSON)
			if !q.stream {
				finish()
			}
			return // the brief's failure contract: no [DONE] in the stream
		}
		if str("audio_url") == u.none() {
			emit("### 🚨 违规\n\n- **歌曲提示词**：`" + q.text + "`，存在违规词，歌曲创作失败😭\n\n### 👀 更多\n\n**🤗请更换提示词，我会为你重新创作**🎶✨\n")
			finish()
			return
		}
		progressed := true
		switch step {
		case stepIDs:
			second := ""
			if len(ids) > 1 {
				second = ids[1]
			}
			progressed = emit("### ⭐ 歌曲信息\n\n- **🧩 ID1️⃣**：" + ids[0] + "\n- **🧩 ID2️⃣**：" + second + "\n")
		case stepTitle:
			if str("title") == "" {
				progressed = false
				break
			}
			progressed = emit("- **🤖 歌名**：" + str("title") + " \n\n")
		case stepTags:
			if metaStr("tags") == "" {
				progressed = false
				break
			}
			progressed = emit("- **💄 类型**：" + metaStr("tags") + " \n\n")
		case stepPrompt:
			// An instrumental has no lyrics; Suno2openai would poll forever here, the
			// simulator moves on.
			if metaStr("prompt") != "" {
				progressed = emit("### 📖 完整歌词\n\n```\n" + metaStr("prompt") + "\n```\n\n")
			}
		case stepImage:
			if str("image_large_url") == "" {
				progressed = false
				break
			}
			progressed = emit("### 🖼️ 歌曲图片\n\n") && emit("![image_large_url]("+str("image_large_url")+") \n\n### 🤩 即刻享受\n")
		case stepAudio:
			if str("audio_url") == "" {
				progressed = false
				break
			}
			second := ""
			if len(ids) > 1 {
				second = u.stream(ids[1])
			}
			progressed = emit("\n- **🔗 实时音乐1️⃣**："+u.stream(ids[0])) &&
				emit("\n- **🔗 实时音乐2️⃣**："+second+"\n\n### 🚀 生成CDN链接中（2min~）\n\n")
		case stepWait:
			if snap.ts.done() {
				second, secondV := "", ""
				if len(ids) > 1 {
					second, secondV = u.mp3(ids[1]), u.mp4(ids[1])
				}
				if emit("\n\n### 🎷 CDN音乐链接\n\n- **🎧 音乐1️⃣**："+u.mp3(ids[0])+" \n- **🎧 音乐2️⃣**："+second+" \n") &&
					emit("\n### 📺 CDN视频链接\n\n- **📽️ 视频1️⃣**："+u.mp4(ids[0])+" \n- **📽️ 视频2️⃣**："+secondV+" \n\n### 👀 更多\n\n**🤗还想听更多歌吗，快来告诉我**🎶✨\n") {
					finish()
				}
				return
			}
			waits++
			if waits > chatTimeoutTicks {
				emit("timeout")
				if !q.stream {
					finish()
				}
				return
			}
			tick := chatTick
			if waits%34 == 0 {
				tick += "\n"
			}
			if !emit(tick) || !sleepCtx(ctx, s.opts.ChatTick) {
				return
			}
			continue
		}
		if ctx.Err() != nil || (q.stream && out.err != nil) {
			return
		}
		if progressed {
			step++
			continue
		}
		// Not there yet: poll again shortly, silently (Suno2openai re-fetches the feed).
		if !sleepCtx(ctx, s.opts.ChatTick/4) {
			return
		}
	}
}

package client

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func readAllEvents(t *testing.T, in string) ([]SSEEvent, error) {
	t.Helper()
	r := NewSSEReader(strings.NewReader(in))
	var evs []SSEEvent
	for {
		ev, err := r.Next()
		if err != nil {
			if err == io.EOF {
				return evs, nil
			}
			return evs, err
		}
		evs = append(evs, ev)
	}
}

func TestSSEReaderQuirks(t *testing.T) { // 9.22
	in := ": keep-alive\n\n" +
		"data: {\"a\":1}\n\n" +
		"data:{\"b\":2}\r\n\r\n" + // no space, CRLF
		"event: message\ndata: line1\ndata: line2\n\n" + // multi-line data
		"id: 7\nretry: 100\ndata: x\n\n" +
		"data: [DONE]" // no trailing newline (Suno-API)
	evs, err := readAllEvents(t, in)
	if err != nil {
		t.Fatal(err)
	}
	want := []SSEEvent{{Data: `{"a":1}`}, {Data: `{"b":2}`}, {Event: "message", Data: "line1\nline2"}, {Data: "x"}, {Data: "[DONE]"}}
	if fmt.Sprint(evs) != fmt.Sprint(want) {
		t.Errorf("events = %q\nwant     %q", evs, want)
	}
}

func TestSSEReaderCutMidEvent(t *testing.T) {
	r := NewSSEReader(io.MultiReader(strings.NewReader("data: one\n\ndata: tw"), errReader{io.ErrUnexpectedEOF}))
	ev, err := r.Next()
	if err != nil || ev.Data != "one" {
		t.Fatalf("first = %+v %v", ev, err)
	}
	// The fragment "data: tw" may be half of a JSON chunk: it is dropped, the error returned.
	if ev, err = r.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("want the cut, got %+v %v", ev, err)
	}
}

func TestSSEReaderLineLimit(t *testing.T) {
	_, err := readAllEvents(t, "data: "+strings.Repeat("x", maxSSELine+10)+"\n\n")
	if !errors.Is(err, ErrSSELineTooLong) {
		t.Fatalf("err = %v", err)
	}
}

// chunk is one OpenAI stream chunk carrying content.
func chunk(content string) string {
	b, _ := json.Marshal(map[string]any{"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": "chirp-v3-5",
		"choices": []any{map[string]any{"index": 0, "delta": map[string]string{"content": content}}}})
	return string(b)
}

const chatSong = "请求成功，正在生成歌曲，请稍等片刻...\n🎵🎵\n***\n###🎵 歌曲名： Rock &amp; Roll 周末\n**模型版本：** chirp-v3-5\n**歌词：**\n[Verse]\nIt&#39;s the weekend\n\n" +
	"**版本ID： ** 3435e194-50e7-4edc-9442-bffe072fccfc\n**音乐时长： ** 128.92秒\n**风格：   ** pop\n**资源链接：**\n" +
	"- 🎧 音频: [点击听歌](https://cdn1.suno.ai/3435e194-50e7-4edc-9442-bffe072fccfc.mp3)\n"

// streamRunes writes text one rune per event, the Suno-API way, with its quirks.
func streamRunes(w http.ResponseWriter, text string, done bool) {
	w.Header().Set("Content-Type", "text/event-stream")
	fl := w.(http.Flusher)
	i := 0
	for _, r := range text {
		sep := "data: "
		if i%5 == 0 {
			sep = "data:" // no space
		}
		if i%11 == 0 {
			fmt.Fprint(w, ": ping\n\n")
		}
		fmt.Fprintf(w, "%s%s\n\n", sep, chunk(string(r)))
		fl.Flush()
		i++
	}
	if done {
		fmt.Fprint(w, "data: [DONE]")
	}
}

func TestChatStreamOneRunePerEvent(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		if body["model"] != "suno-v3.5" || body["stream"] != true || r.Header.Get("Accept") != "text/event-stream" {
			t.Errorf("request = %v %v", body, r.Header)
		}
		streamRunes(w, chatSong, true)
	})
	var deltas, shown strings.Builder
	var sawClips bool
	res, err := c.Chat(context.Background(), ChatRequest{Prompt: "周末"}, func(u ChatUpdate) {
		deltas.WriteString(u.Delta)
		shown.WriteString(u.Shown)
		if len(u.Clips) > 0 {
			sawClips = true
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if deltas.String() != chatSong {
		t.Errorf("deltas reassembled wrongly:\n%q", deltas.String())
	}
	if shown.String() != res.Text {
		t.Errorf("the shown pieces do not add up to the unescaped text:\n%q\n%q", shown.String(), res.Text)
	}
	if !res.Done || res.Model != "chirp-v3-5" {
		t.Errorf("done=%v model=%q", res.Done, res.Model)
	}
	if !strings.Contains(res.Text, "Rock & Roll 周末") || !strings.Contains(res.Text, "It's the weekend") {
		t.Errorf("text is not HTML-unescaped: %q", res.Text)
	}
	if !sawClips || len(res.Clips) != 1 || res.Clips[0].ID != "3435e194-50e7-4edc-9442-bffe072fccfc" || res.Clips[0].Status != ClipComplete {
		t.Errorf("clips = %+v", res.Clips)
	}
}

func TestChatStreamWithoutDone(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) { streamRunes(w, "🎵🎵\ntimeout", false) })
	res, err := c.Chat(context.Background(), ChatRequest{Prompt: "x"}, nil)
	if res.Done {
		t.Error("no [DONE] was sent")
	}
	if !strings.Contains(res.Text, "timeout") {
		t.Errorf("text = %q", res.Text)
	}
	if KindOf(err) != KindUpstream {
		t.Errorf("Suno-API's timeout text should surface as an upstream error: %v", err)
	}
}

func TestChatErrorInsideContent(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		streamRunes(w, `{"error":{"message":"Insufficient credits","code":"quota"}}`, false)
	})
	_, err := c.Chat(context.Background(), ChatRequest{Prompt: "x"}, nil)
	if KindOf(err) != KindUpstream || !strings.Contains(err.Error(), "Insufficient credits") {
		t.Fatalf("err = %v", err)
	}
}

func TestChatErrorChunk(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: {\"error\":{\"message\":\"model overloaded\",\"type\":\"upstream_error\"}}\n\n")
	})
	_, err := c.Chat(context.Background(), ChatRequest{Prompt: "x"}, nil)
	if KindOf(err) != KindUpstream || !strings.Contains(err.Error(), "model overloaded") {
		t.Fatalf("err = %v", err)
	}
}

func TestChatCutConnectionKeepsText(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
		fmt.Fprintf(w, "data: %s\n\ndata: %s\n\n", chunk("请求成功"), chunk("，正在"))
		w.(http.Flusher).Flush()
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		buf.Flush()
		// A half-written chunk, then a hard close: the client sees the stream end abruptly.
		conn.Write([]byte("1a\r\ndata: {\"choices\":[{\"del"))
		conn.Close()
	})
	res, err := c.Chat(context.Background(), ChatRequest{Prompt: "x"}, nil)
	if KindOf(err) != KindNetwork {
		t.Fatalf("err = %v", err)
	}
	if res.Text != "请求成功，正在" {
		t.Errorf("what arrived must be kept, got %q", res.Text)
	}
	if !strings.Contains(err.Error(), "cut after") {
		t.Errorf("message = %v", err)
	}
}

func TestChatIdleTimeout(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "data: %s\n\n", chunk("请求成功"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}, WithIdleTimeout(150*time.Millisecond))
	start := time.Now()
	res, err := c.Chat(context.Background(), ChatRequest{Prompt: "x"}, nil)
	if KindOf(err) != KindTimeout || res.Text != "请求成功" {
		t.Fatalf("err=%v text=%q", err, res.Text)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("idle timeout took %v", time.Since(start))
	}
}

func TestChatSilenceThenData(t *testing.T) {
	// Long silences are normal (an LLM tool call, 5 s ticks): activity resets the idle clock.
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 0; i < 4; i++ {
			time.Sleep(60 * time.Millisecond)
			fmt.Fprintf(w, "data: %s\n\n", chunk("🎵"))
			w.(http.Flusher).Flush()
		}
		fmt.Fprint(w, "data: [DONE]\n\n")
	}, WithIdleTimeout(150*time.Millisecond))
	res, err := c.Chat(context.Background(), ChatRequest{Prompt: "x"}, nil)
	if err != nil || !res.Done || res.Text != "🎵🎵🎵🎵" {
		t.Fatalf("res=%+v err=%v", res, err)
	}
}

func TestChatCancelKeepsText(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "data: %s\n\n", chunk("abc"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	res, err := c.Chat(ctx, ChatRequest{Prompt: "x"}, func(u ChatUpdate) {
		if u.Delta == "abc" {
			cancel()
		}
	})
	if KindOf(err) != KindCanceled || res.Text != "abc" {
		t.Fatalf("err=%v text=%q", err, res.Text)
	}
}

func TestChatNonStreamShapes(t *testing.T) {
	bodies := map[string]string{
		"message": `{"id":"chatcmpl-x","object":"chat.completion","model":"suno-v3","choices":[{"index":0,"message":{"role":"assistant","content":"# 标题\n\n歌词"},"finish_reason":"stop"}]}`,
		// Suno-API puts the text in delta even when not streaming.
		"delta": `{"id":"chatcmpl-x","object":"chat.completion","model":"chirp-v3-5","choices":[{"index":0,"delta":{"role":"assistant","content":"# 标题\n\n歌词"},"finish_reason":"stop"}]}`,
		// gcui answers in plain text.
		"plain": "# 标题\n\n歌词",
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
				var req map[string]any
				json.NewDecoder(r.Body).Decode(&req)
				if req["stream"] != false {
					t.Errorf("stream = %v", req["stream"])
				}
				if name == "plain" {
					w.Header().Set("Content-Type", "text/plain")
				}
				fmt.Fprint(w, body)
			})
			res, err := c.Chat(context.Background(), ChatRequest{Prompt: "x", NoStream: true}, nil)
			if err != nil || res.Text != "# 标题\n\n歌词" || !res.Done {
				t.Fatalf("res=%+v err=%v", res, err)
			}
		})
	}
}

func TestChatHTTPErrors(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(401)
		fmt.Fprint(w, `{"error":{"message":"invalid token `+testKey+`","type":"invalid_request_error"}}`)
	})
	_, err := c.Chat(context.Background(), ChatRequest{Prompt: "x"}, nil)
	if KindOf(err) != KindAuth {
		t.Fatalf("err = %v", err)
	}
	assertNoKey(t, err)
	if _, err := c.Chat(context.Background(), ChatRequest{}, nil); !errors.Is(err, ErrBadRequest) {
		t.Errorf("empty prompt: %v", err)
	}
}

func TestChatSSEWithoutContentType(t *testing.T) {
	// Some relays stream SSE labelled text/plain or nothing at all.
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		bw := bufio.NewWriter(w)
		fmt.Fprintf(bw, "data:%s\n\ndata:%s\n\ndata: [DONE]\n\n", chunk("a"), chunk("b"))
		bw.Flush()
	})
	res, err := c.Chat(context.Background(), ChatRequest{Prompt: "x"}, nil)
	if err != nil || res.Text != "ab" || !res.Done {
		t.Fatalf("res=%+v err=%v", res, err)
	}
}

func TestEntityStream(t *testing.T) {
	var e entityStream
	var out strings.Builder
	for _, d := range []string{"Rock ", "&", "am", "p;", " Roll &#3", "9;s & more &", "lt;3"} {
		out.WriteString(e.push(d))
	}
	out.WriteString(e.flush())
	if got := out.String(); got != "Rock & Roll 's & more <3" {
		t.Errorf("got %q", got)
	}
	e = entityStream{}
	if got := e.push("AT&T") + e.flush(); got != "AT&T" {
		t.Errorf("a bare ampersand: %q", got)
	}
}

func TestChatCleanCloseMidEventDropsTheFragment(t *testing.T) {
	c, _ := newTestClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "data: %s\n\n", chunk("请求成功"))
		fmt.Fprint(w, `data: {"choices":[{"delta":{"content":"🎵`) // and a clean close
	})
	res, err := c.Chat(context.Background(), ChatRequest{Prompt: "x"}, nil)
	if res.Text != "请求成功" {
		t.Errorf("the cut-off JSON leaked into the text: %q", res.Text)
	}
	if KindOf(err) != KindNetwork {
		t.Errorf("an early end is still reported: %v", err)
	}
}

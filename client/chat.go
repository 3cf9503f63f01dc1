package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"strings"
	"time"

	"sunostudio/internal/i18n"
)

// ChatMessage is one OpenAI-style message.
type ChatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ChatRequest asks the chat endpoint for a song. Prompt is a shortcut for one user message.
type ChatRequest struct {
	Model    string
	Prompt   string
	Messages []ChatMessage
	// NoStream asks for a single reply instead of a stream.
	NoStream bool
}

// ChatUpdate is delivered for every piece of text as it arrives.
type ChatUpdate struct {
	// Delta is the text exactly as the relay sent it (possibly HTML-escaped).
	Delta string
	// Shown is the same text HTML-unescaped, for display. An entity split across deltas is
	// held back until it is whole, so Shown can lag Delta by a few characters; the pieces of
	// Shown of a whole stream add up to ChatResult.Text.
	Shown string
	// Clips is set (a fresh copy) only when the clips found so far changed.
	Clips    []Clip
	Progress int
	Phase    string
}

// ChatResult is everything a chat produced, also when it ended in an error.
type ChatResult struct {
	Text  string
	Clips []Clip
	// Model is the model the relay says answered (Suno-API reports the mapped mv).
	Model string
	ID    string
	// Done is true when the relay ended the stream properly with [DONE] or a finish reason.
	Done bool
	// RelayError is an error the relay wrote into the content.
	RelayError string
}

// DefaultChatModel is what apicore documents as the recommended chat model.
const DefaultChatModel = "suno-v3.5"

var errIdle error = i18n.Text("client.decode.idle")

// Chat sends a prompt to /v1/chat/completions and streams the answer. onUpdate (may be nil)
// runs on the caller's goroutine for every delta. The result holds what arrived even when an
// error ends the stream, so nothing the relay already produced is lost.
func (c *Client) Chat(ctx context.Context, req ChatRequest, onUpdate func(ChatUpdate)) (ChatResult, error) {
	msgs := req.Messages
	if len(msgs) == 0 {
		if strings.TrimSpace(req.Prompt) == "" {
			return ChatResult{}, c.invalid(OpChat, i18n.T("client.msg.prompt_empty"))
		}
		msgs = []ChatMessage{{Role: "user", Content: req.Prompt}}
	}
	model := strings.TrimSpace(req.Model)
	if model == "" {
		model = c.p.Model
		if c.p.Dialect != DialectChat && !strings.HasPrefix(model, "suno-") {
			model = ""
		}
	}
	if model == "" {
		model = DefaultChatModel
	}
	payload, _ := json.Marshal(map[string]any{"model": model, "messages": msgs, "stream": !req.NoStream})

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	hr, err := http.NewRequestWithContext(ctx, "POST", c.url("/v1/chat/completions"), bytes.NewReader(payload))
	if err != nil {
		return ChatResult{}, c.errorf(call{op: OpChat.Text()}, KindBadRequest, 0, err)
	}
	accept := "text/event-stream"
	if req.NoStream {
		accept = "application/json"
	}
	c.setHeaders(hr, accept)
	cl := call{op: OpChat.Text(), extended: true}
	// The relay may think for minutes before the first byte (an LLM tool call and a Suno
	// submit), so the watchdog covers the wait for headers too.
	watchdog := time.AfterFunc(c.idle, func() { cancel(errIdle) })
	defer watchdog.Stop()
	resp, err := c.hc.Do(hr)
	if err != nil {
		return ChatResult{}, c.streamError(ctx, cl, err, 0)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, c.maxBody))
		return ChatResult{}, c.statusError(cl, reply{status: resp.StatusCode, header: resp.Header, body: body})
	}
	body := &activityReader{r: resp.Body, t: watchdog, d: c.idle}
	s := &chatStream{parser: NewChatParser(), on: onUpdate}
	br := newPeekReader(body)
	if isHTML(resp.Header, br.peek()) {
		// A captive portal or a login page answered with 200: not the relay's answer.
		page, _ := io.ReadAll(io.LimitReader(br, 64<<10))
		return ChatResult{}, &Error{Kind: KindMalformed, Op: cl.op, Relay: c.p.Name, HTTPStatus: resp.StatusCode,
			Message: i18n.T("client.msg.html_not_answer"), Excerpt: c.excerpt(htmlTitleOr(page))}
	}
	if isSSE(resp.Header, br.peek()) {
		err = s.readSSE(br)
	} else {
		err = s.readWhole(br, c.maxBody)
	}
	res := s.result()
	if err != nil {
		if errors.Is(err, ErrSSELineTooLong) || errors.Is(err, errTooLarge) {
			return res, &Error{Kind: KindTooLarge, Op: cl.op, Relay: c.p.Name, HTTPStatus: resp.StatusCode,
				Message: err.Error()}
		}
		e := c.streamError(ctx, cl, err, len(res.Text)).(*Error)
		e.HTTPStatus = resp.StatusCode
		return res, e
	}
	if res.RelayError != "" {
		return res, &Error{Kind: KindUpstream, Op: cl.op, Relay: c.p.Name, HTTPStatus: resp.StatusCode,
			Message: c.red.str(res.RelayError)}
	}
	if !res.Done && !allSettled(res.Clips) {
		// The connection closed cleanly but early: no [DONE], no finish reason, no error text,
		// and songs still in progress. Streams without [DONE] are normal when the relay has
		// said everything; this one has not.
		return res, &Error{Kind: KindNetwork, Op: cl.op, Relay: c.p.Name, HTTPStatus: resp.StatusCode,
			Message: i18n.T("client.msg.stream_ended", len(res.Text))}
	}
	return res, nil
}

// allSettled reports whether a stream said all it had to say: clips found, each final.
func allSettled(clips []Clip) bool {
	if len(clips) == 0 {
		return false
	}
	for _, c := range clips {
		if !c.Status.Terminal() {
			return false
		}
	}
	return true
}

func (c *Client) streamError(ctx context.Context, cl call, err error, got int) error {
	cause := context.Cause(ctx)
	switch {
	case errors.Is(cause, errIdle):
		return &Error{Kind: KindTimeout, Op: cl.op, Relay: c.p.Name,
			Message: i18n.T("client.msg.stream_idle", c.idle.Round(time.Second).String())}
	case errors.Is(cause, context.Canceled) || errors.Is(err, context.Canceled):
		return &Error{Kind: KindCanceled, Op: cl.op, Relay: c.p.Name, Err: context.Canceled}
	}
	e := c.transportError(ctx, cl, err).(*Error)
	if got > 0 && e.Kind == KindNetwork {
		e.Message = i18n.T("client.msg.stream_cut", got)
	}
	return e
}

// activityReader pushes the idle deadline back whenever bytes arrive.
type activityReader struct {
	r io.Reader
	t *time.Timer
	d time.Duration
}

func (a *activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.t.Reset(a.d)
	}
	return n, err
}

// peekReader lets us look at the first bytes to tell SSE from JSON from plain text, since
// relays do not always label their bodies.
type peekReader struct {
	r    io.Reader
	head []byte
	off  int
}

func newPeekReader(r io.Reader) *peekReader {
	p := &peekReader{r: r}
	buf := make([]byte, 512)
	for len(p.head) < 16 {
		n, err := r.Read(buf)
		p.head = append(p.head, buf[:n]...)
		if err != nil || n == 0 {
			if err != nil {
				p.r = errReader{err}
			}
			break
		}
	}
	return p
}

func (p *peekReader) peek() []byte { return p.head }

func (p *peekReader) Read(b []byte) (int, error) {
	if p.off < len(p.head) {
		n := copy(b, p.head[p.off:])
		p.off += n
		return n, nil
	}
	return p.r.Read(b)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func isSSE(h http.Header, head []byte) bool {
	if strings.HasPrefix(h.Get("Content-Type"), "text/event-stream") {
		return true
	}
	t := bytes.TrimLeft(head, " \r\n\t")
	return bytes.HasPrefix(t, []byte("data:")) || bytes.HasPrefix(t, []byte(":")) || bytes.HasPrefix(t, []byte("event:"))
}

var errTooLarge error = i18n.Text("client.decode.too_large")

type chatStream struct {
	parser *ChatParser
	shown  entityStream
	on     func(ChatUpdate)
	model  string
	id     string
	done   bool
	relay  string
}

func (s *chatStream) readSSE(r io.Reader) error {
	sr := NewSSEReader(r)
	for {
		ev, err := sr.Next()
		if err == io.EOF {
			return nil // a stream without [DONE] is normal for Suno-API's timeout and error paths
		}
		if err != nil {
			return err
		}
		data := strings.TrimSpace(ev.Data)
		if data == "[DONE]" {
			s.done = true
			return nil
		}
		if data == "" {
			continue
		}
		s.chunk(data)
	}
}

// chunk handles one event's data: normally one chat.completion.chunk, sometimes several
// JSON lines run together, sometimes plain text.
func (s *chatStream) chunk(data string) {
	if s.fastChunk(data) || s.json([]byte(data)) {
		return
	}
	if strings.HasPrefix(data, "{") && !json.Valid([]byte(data)) && !strings.Contains(data, "\n") {
		// Half of a JSON chunk: the connection closed mid-event. Showing it would put raw JSON
		// in the transcript; the missing text is reported by the early-end error instead.
		return
	}
	if strings.Contains(data, "\n") {
		all := true
		for _, line := range strings.Split(data, "\n") {
			if line = strings.TrimSpace(line); line != "" && !s.json([]byte(line)) {
				all = false
			}
		}
		if all {
			return
		}
	}
	s.text(data)
}

// streamChunk is the common shape of a chunk. Decoding into it is several times cheaper than
// the lenient object walk, which matters at one rune per event; anything it cannot take
// (content that is not a string, say) falls back to the lenient path.
type streamChunk struct {
	ID      string          `json:"id"`
	Model   string          `json:"model"`
	Error   json.RawMessage `json:"error"`
	Choices []struct {
		Delta        *struct{ Content *string } `json:"delta"`
		Message      *struct{ Content *string } `json:"message"`
		FinishReason *string                    `json:"finish_reason"`
	} `json:"choices"`
}

func (s *chatStream) fastChunk(data string) bool {
	var ch streamChunk
	if json.Unmarshal([]byte(data), &ch) != nil || ch.Choices == nil || len(ch.Error) > 0 {
		return false
	}
	if ch.Model != "" {
		s.model = ch.Model
	}
	if ch.ID != "" {
		s.id = ch.ID
	}
	for _, c := range ch.Choices {
		if c.Delta != nil && c.Delta.Content != nil && *c.Delta.Content != "" {
			s.text(*c.Delta.Content)
		}
		if c.Message != nil && c.Message.Content != nil && *c.Message.Content != "" {
			s.text(*c.Message.Content)
		}
		if c.FinishReason != nil && *c.FinishReason != "" {
			s.done = true
		}
	}
	return true
}

// json reads a chunk or a whole chat.completion; it reports false when data is not one.
func (s *chatStream) json(data []byte) bool {
	o, err := decodeObject(data)
	if err != nil {
		return false
	}
	if eo := o.obj("error"); eo != nil {
		s.relay = firstNonEmpty(eo.str("message"), eo.str("code"), TextRelayError)
		return true
	}
	choicesRaw, ok := o["choices"]
	if !ok {
		return false
	}
	if m := o.str("model"); m != "" {
		s.model = m
	}
	if id := o.str("id"); id != "" {
		s.id = id
	}
	var choices []json.RawMessage
	if json.Unmarshal(choicesRaw, &choices) != nil {
		return true
	}
	for _, ch := range choices {
		co, err := decodeObject(ch)
		if err != nil {
			continue
		}
		// Suno-API's non-stream reply puts the text in delta, others in message (5.2).
		for _, key := range []string{"delta", "message"} {
			if m := co.obj(key); m != nil {
				if t := m.str("content"); t != "" {
					s.text(t)
				}
			}
		}
		if fr := co.str("finish_reason"); fr != "" {
			s.done = true
		}
	}
	return true
}

func (s *chatStream) text(t string) {
	changed := s.parser.Feed(t)
	if s.on == nil {
		return
	}
	u := ChatUpdate{Delta: t, Shown: s.shown.push(t)}
	u.Progress, u.Phase = s.parser.Progress()
	if changed {
		u.Clips = s.parser.Clips()
	}
	s.on(u)
}

// readWhole handles a non-stream reply: a chat.completion JSON, an error JSON, or plain text.
func (s *chatStream) readWhole(r io.Reader, limit int64) error {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		if len(body) > 0 {
			s.text(string(body))
		}
		return err
	}
	if int64(len(body)) > limit {
		return errTooLarge
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil
	}
	if !s.fastChunk(string(trimmed)) && !s.json(trimmed) {
		s.text(string(body))
	}
	s.done = true
	return nil
}

func (s *chatStream) result() ChatResult {
	changed := s.parser.Close()
	if tail := s.shown.flush(); (changed || tail != "") && s.on != nil {
		u := ChatUpdate{Shown: tail}
		if changed {
			u.Clips = s.parser.Clips()
		}
		u.Progress, u.Phase = s.parser.Progress()
		s.on(u)
	}
	res := ChatResult{Text: s.parser.Text(), Clips: s.parser.Clips(), Model: s.model, ID: s.id, Done: s.done,
		RelayError: s.relay}
	if res.RelayError == "" {
		res.RelayError = s.parser.Err()
	}
	return res
}

// entityStream unescapes HTML entities in a stream of deltas. Text after the last '&' that
// could still become an entity ("&am") waits for the next delta.
type entityStream struct{ pending string }

// maxEntity is longer than any entity relays produce (&#x1F3B5; &hellip;).
const maxEntity = 12

func (e *entityStream) push(d string) string {
	s := e.pending + d
	e.pending = ""
	if i := strings.LastIndexByte(s, '&'); i >= 0 && len(s)-i < maxEntity && !strings.ContainsAny(s[i:], "; \n\t<") {
		s, e.pending = s[:i], s[i:]
	}
	return html.UnescapeString(s)
}

func (e *entityStream) flush() string {
	s := html.UnescapeString(e.pending)
	e.pending = ""
	return s
}

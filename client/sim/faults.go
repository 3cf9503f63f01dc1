package sim

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FaultKind names a transport- or relay-level failure the simulator can produce.
type FaultKind string

const (
	// FaultUnauthorized answers 401 like new-api: {"error":{"message":"无效的令牌","type":"new_api_error"}}.
	FaultUnauthorized FaultKind = "unauthorized"
	// FaultRateLimit answers 429 with a Retry-After header (Fault.RetryAfter seconds, default 1)
	// and new-api's "当前分组上游负载已饱和" message in the route's dialect.
	FaultRateLimit FaultKind = "rate_limit"
	// FaultServerError answers 500 {"code":"get_task_failed",...} (OpenAI-style on chat; HTTP
	// 200 {"error":...} on the billing endpoints, as new-api does).
	FaultServerError FaultKind = "server_error"
	// FaultBadGateway answers 502 with an nginx HTML page.
	FaultBadGateway FaultKind = "bad_gateway"
	// FaultTruncated answers 200 with the first half of the real body and no Content-Length,
	// so the body ends cleanly but is not valid JSON.
	FaultTruncated FaultKind = "truncated"
	// FaultSlow sleeps Fault.Delay (default 2s), honouring the request context, then answers.
	FaultSlow FaultKind = "slow"
	// FaultReset sends the headers and part of the body, then resets the connection.
	FaultReset FaultKind = "reset"
	// FaultSSECut stops a chat stream mid-way without [DONE] (elsewhere: like FaultTruncated).
	FaultSSECut FaultKind = "sse_cut"
	// FaultHTMLOK answers 200 with a text/html login page (captive portal, WAF).
	FaultHTMLOK FaultKind = "html_ok"
	// FaultOversize answers the real 200 JSON padded beyond 9 MiB (still valid JSON).
	FaultOversize FaultKind = "oversize"
)

// Fault is queued with Inject and hits the next matching requests.
type Fault struct {
	Path       string // prefix of the request path; "" = any
	Method     string // "" = any
	Kind       FaultKind
	Times      int // 0 = once; -1 = forever; n = n times
	Delay      time.Duration
	RetryAfter int
}

// Inject queues a fault. Faults are matched in the order they were injected.
func (s *Sim) Inject(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// takeFault returns the fault for this request: the X-Sim-Fault header ("kind" or
// "kind=param", param being a delay for slow and seconds for rate_limit), else the first
// matching injected fault (whose count it consumes).
func (s *Sim) takeFault(r *http.Request) (Fault, bool) {
	if h := strings.TrimSpace(r.Header.Get("X-Sim-Fault")); h != "" {
		kind, param, _ := strings.Cut(h, "=")
		f := Fault{Kind: FaultKind(strings.ToLower(strings.TrimSpace(kind)))}
		param = strings.TrimSpace(param)
		if d, err := time.ParseDuration(param); err == nil {
			f.Delay = d
		}
		if n, err := strconv.Atoi(param); err == nil {
			f.RetryAfter = n
		}
		return f, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			continue
		}
		if !strings.HasPrefix(r.URL.Path, f.Path) {
			continue
		}
		out := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
		}
		return out, true
	}
	return Fault{}, false
}

const rateLimitText = "当前分组上游负载已饱和，请稍后再试"

const nginx502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

const loginPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - Network Access</title></head>
<body><form method="post" action="/login"><h1>Please sign in to continue</h1>
<input name="user"><input name="password" type="password"><button>Sign in</button></form></body></html>
`

// oversizeBytes is the padding of FaultOversize: above the 9 MiB the brief asks clients to
// survive (they should cap what they read, not allocate blindly).
const oversizeBytes = 9*1024*1024 + 512*1024

func (s *Sim) applyFault(w http.ResponseWriter, r *http.Request, rt route, f Fault, inner http.HandlerFunc) {
	s.logf("sim: fault %s on %s %s", f.Kind, r.Method, r.URL.Path)
	switch f.Kind {
	case FaultUnauthorized:
		writeOpenAIError(w, http.StatusUnauthorized, "无效的令牌", "new_api_error", "")
	case FaultRateLimit:
		ra := f.RetryAfter
		if ra <= 0 {
			ra = 1
		}
		w.Header().Set("Retry-After", strconv.Itoa(ra))
		switch rt.dialect {
		case dialectChat, dialectBilling:
			writeOpenAIError(w, http.StatusTooManyRequests, rateLimitText, "new_api_error", "rate_limit_exceeded")
		case dialectGoAmz:
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"code": 429, "message": rateLimitText, "data": nil})
		default:
			writeTaskError(w, http.StatusTooManyRequests, "rate_limit_exceeded", rateLimitText)
		}
	case FaultServerError:
		const msg = "get task failed: upstream returned status 500"
		switch rt.dialect {
		case dialectChat:
			writeOpenAIError(w, http.StatusInternalServerError, msg, "upstream_error", "do_request_failed")
		case dialectBilling:
			writeOpenAIError(w, http.StatusOK, msg, "upstream_error", "")
		case dialectGoAmz:
			writeJSON(w, http.StatusInternalServerError, map[string]any{"code": 500, "message": msg, "data": nil})
		default:
			writeTaskError(w, http.StatusInternalServerError, "get_task_failed", msg)
		}
	case FaultBadGateway:
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Server", "nginx")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(nginx502))
	case FaultHTMLOK:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(loginPage))
	case FaultSlow:
		d := f.Delay
		if d <= 0 {
			d = 2 * time.Second
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			inner(w, r)
		case <-r.Context().Done():
		}
	case FaultTruncated, FaultSSECut:
		if rt.stream {
			inner(&cutWriter{ResponseWriter: w, limit: cutAfter(rt)}, r)
			return
		}
		rec := capture(inner, r)
		body := rec.body.Bytes()
		copyHeader(w.Header(), rec.header)
		w.Header().Del("Content-Length")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:len(body)/2])
		// Flushing forces chunked encoding: the body ends cleanly, without a length to
		// betray the cut, as a buggy upstream or proxy produces.
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
	case FaultReset:
		if rt.stream {
			cw := &cutWriter{ResponseWriter: w, limit: cutAfter(rt), reset: true}
			inner(cw, r)
			if !cw.tripped {
				resetConn(w) // short stream: still end with a reset
			}
			return
		}
		rec := capture(inner, r)
		body := rec.body.Bytes()
		copyHeader(w.Header(), rec.header)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.code)
		_, _ = w.Write(body[:len(body)/2])
		resetConn(w)
	case FaultOversize:
		rec := capture(inner, r)
		copyHeader(w.Header(), rec.header)
		body := padJSON(rec.body.Bytes())
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.code)
		_, _ = w.Write(body)
	default:
		// An unknown kind in X-Sim-Fault is ignored: answer normally.
		inner(w, r)
	}
}

// cutAfter is how many bytes of a stream pass before a cut: enough for a few SSE events or a
// few mp3 frames.
func cutAfter(rt route) int {
	if rt.dialect == dialectMedia {
		return 16 * 1024
	}
	return 3000
}

// padJSON keeps a JSON body valid while making it huge: a padding member is added to an
// object, and anything else is followed by whitespace (legal after a JSON value).
func padJSON(body []byte) []byte {
	trim := bytes.TrimSpace(body)
	if len(trim) > 0 && trim[0] == '{' {
		pad := make([]byte, 0, oversizeBytes+len(body)+32)
		pad = append(pad, `{"sim_padding":"`...)
		pad = append(pad, bytes.Repeat([]byte("x"), oversizeBytes)...)
		pad = append(pad, '"')
		rest := bytes.TrimSpace(trim[1:])
		if len(rest) > 0 && rest[0] != '}' {
			pad = append(pad, ',')
		}
		return append(pad, rest...)
	}
	return append(append([]byte(nil), body...), bytes.Repeat([]byte(" "), oversizeBytes)...)
}

// recorder captures a whole response so that a fault can mangle it.
type recorder struct {
	header http.Header
	body   bytes.Buffer
	code   int
}

func (rc *recorder) Header() http.Header { return rc.header }
func (rc *recorder) Write(p []byte) (int, error) {
	if rc.code == 0 {
		rc.code = http.StatusOK
	}
	return rc.body.Write(p)
}
func (rc *recorder) WriteHeader(code int) {
	if rc.code == 0 {
		rc.code = code
	}
}
func (rc *recorder) Flush() {}

func capture(h http.HandlerFunc, r *http.Request) *recorder {
	rc := &recorder{header: http.Header{}}
	h(rc, r)
	if rc.code == 0 {
		rc.code = http.StatusOK
	}
	return rc
}

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = append([]string(nil), v...)
	}
}

var errCut = errors.New("sim: stream cut by fault")

// cutWriter passes a streamed response through until limit bytes, then stops it: a clean end
// (truncated / SSE cut) or a connection reset.
type cutWriter struct {
	http.ResponseWriter
	limit   int
	written int
	reset   bool
	tripped bool
}

func (c *cutWriter) Write(p []byte) (int, error) {
	if c.tripped {
		return 0, errCut
	}
	if c.written+len(p) <= c.limit {
		c.written += len(p)
		return c.ResponseWriter.Write(p)
	}
	n := c.limit - c.written
	if n > 0 {
		_, _ = c.ResponseWriter.Write(p[:n])
	}
	c.tripped = true
	if c.reset {
		resetConn(c.ResponseWriter)
	} else if fl, ok := c.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
	return n, errCut
}

func (c *cutWriter) Flush() {
	if c.tripped {
		return
	}
	if fl, ok := c.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
}

// resetConn hijacks the connection and closes it with SO_LINGER 0, so the peer sees a TCP
// reset in the middle of the body.
func resetConn(w http.ResponseWriter) {
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	if buf != nil {
		_ = buf.Flush()
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// sleepCtx waits d or until ctx ends; it reports whether the full wait happened.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"sunostudio/internal/buildinfo"
	"sunostudio/internal/i18n"
	"sunostudio/internal/safetext"
)

// MaxJSONBody bounds every JSON reply; a relay that sends more is broken or hostile.
const MaxJSONBody = 8 << 20

// Client speaks to one relay profile.
type Client struct {
	p         Profile
	base      *url.URL
	hc        *http.Client
	ua        string
	red       redactor
	log       *slog.Logger
	retries   int
	backoff   time.Duration
	maxWait   time.Duration
	callLimit time.Duration
	idle      time.Duration
	maxBody   int64
	sleep     func(context.Context, time.Duration) error
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient replaces the HTTP client (tests, proxies). Its timeouts become the caller's job.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithLogger sets where requests are logged (method, path, status, duration; never the key).
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.log = l } }

// WithRetry sets how many times a retryable call is tried again and the first backoff step.
func WithRetry(retries int, backoff time.Duration) Option {
	return func(c *Client) { c.retries, c.backoff = retries, backoff }
}

// WithMaxRetryWait caps how long one wait between tries may be; a longer Retry-After is
// returned to the caller as a rate-limit error instead of blocking.
func WithMaxRetryWait(d time.Duration) Option { return func(c *Client) { c.maxWait = d } }

// WithCallTimeout bounds one whole JSON call, all tries included.
func WithCallTimeout(d time.Duration) Option { return func(c *Client) { c.callLimit = d } }

// WithIdleTimeout sets how long a chat stream may be silent before it counts as dead.
func WithIdleTimeout(d time.Duration) Option { return func(c *Client) { c.idle = d } }

// WithMaxBody changes the JSON reply limit (tests).
func WithMaxBody(n int64) Option { return func(c *Client) { c.maxBody = n } }

// WithSleep replaces the backoff sleep (tests record waits instead of sleeping).
func WithSleep(f func(context.Context, time.Duration) error) Option {
	return func(c *Client) { c.sleep = f }
}

// New checks the profile and builds a client for it.
func New(p Profile, opts ...Option) (*Client, error) {
	raw := strings.TrimSpace(p.BaseURL)
	if raw == "" {
		return nil, errors.New(i18n.T("client.profile.no_base_url", p.Name))
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, errors.New(i18n.T("client.profile.bad_base_url", p.Name, p.BaseURL))
	}
	// Users often paste an OpenAI-style base ending in /v1; every path here starts below it.
	u.Path = strings.TrimSuffix(strings.TrimRight(u.Path, "/"), "/v1")
	u.RawQuery, u.Fragment, u.User = "", "", nil
	if p.Dialect == "" {
		p.Dialect = DialectTask
	}
	if _, ok := ParseDialect(string(p.Dialect)); !ok {
		return nil, errors.New(i18n.T("client.profile.unknown_dialect", p.Name, string(p.Dialect)))
	}
	p.APIKey = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(p.APIKey), "Bearer "))
	c := &Client{
		p:         p,
		base:      u,
		hc:        &http.Client{Transport: newTransport()},
		ua:        buildinfo.UserAgent(),
		red:       newRedactor(p.APIKey),
		log:       slog.New(slog.DiscardHandler),
		retries:   3,
		backoff:   500 * time.Millisecond,
		maxWait:   time.Minute,
		callLimit: 3 * time.Minute,
		idle:      10 * time.Minute,
		maxBody:   MaxJSONBody,
		sleep:     sleepCtx,
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// newTransport has connect and header timeouts but no total timeout, because chat streams
// legitimately run for many minutes; JSON calls get a deadline from their context instead.
func newTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 150 * time.Second, // Suno-API's lyrics submit waits up to 2 min upstream
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   4,
	}
}

// Profile returns the profile with the key removed, safe to show or log.
func (c *Client) Profile() Profile {
	p := c.p
	p.APIKey = ""
	return p
}

// Dialect is the profile's dialect.
func (c *Client) Dialect() Dialect { return c.p.Dialect }

// InsecureKeyTransport reports whether the key would cross the network unencrypted: an
// http:// base URL to a host that is not this machine.
func (c *Client) InsecureKeyTransport() bool {
	return InsecureBaseURL(c.base.String())
}

// InsecureBaseURL reports whether a base URL sends requests in clear text off this machine.
func InsecureBaseURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return false
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return false
	}
	return true
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// call describes one JSON request.
type call struct {
	op     string // words for errors, in the user's language: "submit music" (Op.Text)
	method string
	path   string
	body   any
	// idempotent calls are retried on network errors and 5xx; others only when the relay
	// certainly did not act on them (429, connection refused), so a paid submit never runs twice.
	idempotent bool
	// extended marks endpoints that stock new-api lacks: a 404 there means unsupported.
	extended bool
	// notFoundID names the thing a 404 / task_not_exist refers to, in words ("task 1234").
	notFoundID string
	// aboutTasks marks calls about tasks, whose "not found" has its own advice.
	aboutTasks bool
}

// reply is a read, size-checked body.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (c *Client) url(path string) string {
	return c.base.String() + path
}

// do runs a call with retries and returns the raw body of a 2xx reply. Non-2xx replies become
// typed errors.
func (c *Client) do(ctx context.Context, cl call) (reply, error) {
	ctx, cancel := context.WithTimeout(ctx, c.callLimit)
	defer cancel()
	var payload []byte
	if cl.body != nil {
		var err error
		payload, err = json.Marshal(cl.body)
		if err != nil {
			return reply{}, c.errorf(cl, KindBadRequest, 0, err)
		}
	}
	for attempt := 0; ; attempt++ {
		rep, err := c.once(ctx, cl, payload)
		if err == nil {
			return rep, nil
		}
		var ce *Error
		if !errors.As(err, &ce) || attempt >= c.retries || !c.retryable(cl, ce) {
			return reply{}, err
		}
		wait := c.backoffFor(attempt)
		if ce.RetryAfter > 0 {
			wait = ce.RetryAfter
		}
		if wait > c.maxWait {
			return reply{}, err
		}
		c.log.Debug("relay call retry", "op", cl.op, "attempt", attempt+1, "wait", wait, "kind", ce.Kind.String())
		if serr := c.sleep(ctx, wait); serr != nil {
			return reply{}, err
		}
	}
}

func (c *Client) retryable(cl call, e *Error) bool {
	switch e.Kind {
	case KindRateLimited:
		return true
	case KindNetwork, KindTimeout, KindUpstream:
		if cl.idempotent {
			return true
		}
		return errors.Is(e.Err, syscall.ECONNREFUSED) // never reached the relay
	case KindMalformed:
		return cl.idempotent && e.HTTPStatus >= 200 && e.HTTPStatus < 300 // a truncated read
	}
	return false
}

// backoffFor is exponential with full jitter, capped at 10 s.
func (c *Client) backoffFor(attempt int) time.Duration {
	d := c.backoff << attempt
	if d > 10*time.Second || d <= 0 {
		d = 10 * time.Second
	}
	return d/2 + rand.N(d/2+1)
}

func (c *Client) once(ctx context.Context, cl call, payload []byte) (reply, error) {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, c.url(cl.path), body)
	if err != nil {
		return reply{}, c.errorf(cl, KindBadRequest, 0, err)
	}
	c.setHeaders(req, "application/json")
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return reply{}, c.transportError(ctx, cl, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	c.log.Debug("relay call", "op", cl.op, "method", cl.method, "path", cl.path, "status", resp.StatusCode,
		"bytes", len(data), "ms", time.Since(start).Milliseconds())
	if err != nil {
		e := c.transportError(ctx, cl, err)
		e.(*Error).HTTPStatus = resp.StatusCode
		return reply{}, e
	}
	if int64(len(data)) > c.maxBody {
		return reply{}, &Error{Kind: KindTooLarge, Op: cl.op, Relay: c.p.Name, HTTPStatus: resp.StatusCode,
			Message: i18n.T("client.msg.over_mib", c.maxBody>>20)}
	}
	rep := reply{status: resp.StatusCode, header: resp.Header, body: data}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return reply{}, c.statusError(cl, rep)
	}
	if isHTML(resp.Header, data) {
		return reply{}, &Error{Kind: KindMalformed, Op: cl.op, Relay: c.p.Name, HTTPStatus: resp.StatusCode,
			Message: i18n.T("client.msg.html_not_json"), Excerpt: c.excerpt(htmlTitleOr(data))}
	}
	// A body cut short without a read error (no Content-Length, the relay gave up) is invalid
	// JSON; checking here, inside the retry loop, lets idempotent calls try again.
	if !json.Valid(data) {
		return reply{}, c.malformed(cl, rep, i18n.Text("client.decode.invalid_json"))
	}
	// new-api's billing endpoints report failures as HTTP 200 with {"error":{...}} (9.21);
	// typing them here, inside the retry loop, lets an upstream hiccup be retried.
	if o, err := decodeObject(data); err == nil {
		if eo, ok := o["error"]; ok && !isNull(eo) {
			if _, hasCode := o["code"]; !hasCode {
				code, msg, _ := envelopeError(data)
				return reply{}, c.codeError(cl, rep, code, msg)
			}
		}
	}
	return rep, nil
}

func (c *Client) setHeaders(req *http.Request, accept string) {
	if c.p.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.p.APIKey)
	}
	if req.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", c.ua)
}

func (c *Client) errorf(cl call, kind ErrorKind, status int, err error) *Error {
	return &Error{Kind: kind, Op: cl.op, Relay: c.p.Name, HTTPStatus: status, Err: c.red.err(err)}
}

func (c *Client) excerpt(s string) string { return c.red.str(safetext.Excerpt(s, 80)) }

func (c *Client) transportError(ctx context.Context, cl call, err error) error {
	kind := KindNetwork
	switch {
	case errors.Is(ctx.Err(), context.Canceled) || errors.Is(err, context.Canceled):
		kind = KindCanceled
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		kind = KindTimeout
	default:
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			kind = KindTimeout
		}
	}
	return c.errorf(cl, kind, 0, err)
}

// statusError turns a non-2xx reply into a typed error, reading the relay's code and message
// from whichever envelope it used (task, OpenAI-style, GoAmz) or the title of an HTML page.
func (c *Client) statusError(cl call, rep reply) error {
	e := &Error{Op: cl.op, Relay: c.p.Name, HTTPStatus: rep.status, aboutTasks: cl.aboutTasks}
	if isHTML(rep.header, rep.body) {
		e.Message = i18n.T("client.msg.html_error_page")
		e.Excerpt = c.excerpt(htmlTitleOr(rep.body))
	} else if code, msg, ok := envelopeError(rep.body); ok {
		e.Code = c.red.str(safetext.Line(code))
		e.Message = c.red.str(safetext.Excerpt(msg, 300))
	} else if len(bytes.TrimSpace(rep.body)) > 0 {
		e.Excerpt = c.excerpt(string(rep.body))
	}
	codeL := strings.ToLower(e.Code)
	switch {
	case rep.status == http.StatusTooManyRequests:
		e.Kind = KindRateLimited
		e.RetryAfter = parseRetryAfter(rep.header.Get("Retry-After"))
	case rep.status == http.StatusUnauthorized || rep.status == http.StatusForbidden || rep.status == http.StatusPaymentRequired:
		e.Kind = KindAuth
	case codeL == "invalid_action" || codeL == "unsupported" || codeL == "not_supported":
		e.Kind = KindUnsupported
	case codeL == "task_not_exist" || codeL == "task_not_found":
		e.Kind = KindNotFound
		e.Message = cl.notFoundID
	case rep.status == http.StatusNotFound || rep.status == http.StatusMethodNotAllowed:
		if cl.extended {
			e.Kind = KindUnsupported
		} else {
			e.Kind = KindNotFound
			if e.Message == "" {
				e.Message = cl.notFoundID
			}
		}
	case rep.status >= 500:
		e.Kind = KindUpstream
	case rep.status >= 400:
		e.Kind = KindBadRequest
		if m := strings.ToLower(e.Message); strings.Contains(m, "not exist") || strings.Contains(m, "not found") {
			e.Kind = KindNotFound
		}
	default:
		e.Kind = KindUnknown
	}
	return e
}

// envelopeError reads code and message from {"code","message"|"msg"}, {"error":{...}} or
// {"error":"..."}.
func envelopeError(body []byte) (code, msg string, ok bool) {
	o, err := decodeObject(body)
	if err != nil {
		return "", "", false
	}
	if eo := o.obj("error"); eo != nil {
		return firstNonEmpty(eo.str("code"), eo.str("type")), eo.str("message"), true
	}
	if s := o.str("error"); s != "" {
		return "", s, true
	}
	code = o.str("code")
	msg = firstNonEmpty(o.str("message"), o.str("msg"), o.str("error_message"))
	if d, ok := o["data"]; ok && msg == "" && kindOfJSON(d) == '"' {
		msg, _ = flexString(d)
	}
	return code, msg, code != "" || msg != ""
}

func parseRetryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

func isHTML(h http.Header, body []byte) bool {
	if ct, _, err := mime.ParseMediaType(h.Get("Content-Type")); err == nil && (ct == "text/html" || ct == "application/xhtml+xml") {
		return true
	}
	b := bytes.TrimSpace(body)
	if len(b) > 64 {
		b = b[:64]
	}
	return bytes.HasPrefix(bytes.ToLower(b), []byte("<!doctype html")) || bytes.HasPrefix(bytes.ToLower(b), []byte("<html"))
}

var titleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// htmlTitleOr names an HTML page by its title (nginx and Cloudflare put the status there).
func htmlTitleOr(body []byte) string {
	if m := titleRe.FindSubmatch(body); m != nil {
		return strings.TrimSpace(string(m[1]))
	}
	return string(body)
}

// envelope decodes a 2xx JSON reply in the task or GoAmz envelope and returns its data. A
// reply with an error code, or with no envelope at all when one is required, is an error.
func (c *Client) envelope(cl call, rep reply) (json.RawMessage, error) {
	o, err := decodeObject(rep.body)
	if err != nil {
		return nil, c.malformed(cl, rep, err)
	}
	codeRaw, hasCode := o["code"]
	if !hasCode {
		if eo, ok := o["error"]; ok && !isNull(eo) { // OpenAI-style error with HTTP 200
			code, msg, _ := envelopeError(rep.body)
			return nil, c.codeError(cl, rep, code, msg)
		}
		if d, ok := o["data"]; ok {
			return d, nil
		}
		return nil, c.malformed(cl, rep, i18n.Text("client.decode.no_code_no_data"))
	}
	if !codeOK(codeRaw) {
		code, _ := flexString(codeRaw)
		msg := firstNonEmpty(o.str("message"), o.str("msg"), o.str("error_message"))
		return nil, c.codeError(cl, rep, code, msg)
	}
	return o["data"], nil
}

// codeError types an error that a relay reported with HTTP 2xx.
func (c *Client) codeError(cl call, rep reply, code, msg string) error {
	e := &Error{Op: cl.op, Relay: c.p.Name, HTTPStatus: rep.status, aboutTasks: cl.aboutTasks,
		Code: c.red.str(safetext.Line(code)), Message: c.red.str(safetext.Excerpt(msg, 300))}
	l := strings.ToLower(code + " " + msg)
	switch {
	case strings.Contains(l, "upstream_error") || strings.Contains(l, "server_error") || strings.Contains(l, "internal error"):
		e.Kind = KindUpstream
	case strings.Contains(l, "invalid_action") || strings.Contains(l, "unsupported"):
		e.Kind = KindUnsupported
	case strings.Contains(l, "not_exist") || strings.Contains(l, "not exist") || strings.Contains(l, "not found"):
		e.Kind = KindNotFound
	case strings.Contains(l, "token") || strings.Contains(l, "unauthorized") || strings.Contains(l, "令牌") || code == "401" || code == "403":
		e.Kind = KindAuth
	case code == "429" || strings.Contains(l, "rate limit") || strings.Contains(l, "饱和"):
		e.Kind = KindRateLimited
	case strings.HasPrefix(code, "5"):
		e.Kind = KindUpstream
	default:
		e.Kind = KindBadRequest
	}
	return e
}

func (c *Client) malformed(cl call, rep reply, err error) *Error {
	return &Error{Kind: KindMalformed, Op: cl.op, Relay: c.p.Name, HTTPStatus: rep.status,
		Excerpt: c.excerpt(string(rep.body)), Err: c.red.err(err)}
}

// json runs a call, unwraps the envelope and hands data to decode, turning decode failures
// into malformed-reply errors.
func (c *Client) jsonCall(ctx context.Context, cl call, decode func(json.RawMessage) error) error {
	rep, err := c.do(ctx, cl)
	if err != nil {
		return err
	}
	data, err := c.envelope(cl, rep)
	if err != nil {
		return err
	}
	if err := decode(data); err != nil {
		return c.malformed(cl, rep, err)
	}
	return nil
}

// rawCall is jsonCall for endpoints that answer with Suno's raw JSON (no envelope), while
// tolerating relays that wrap it anyway.
func (c *Client) rawCall(ctx context.Context, cl call, decode func(json.RawMessage) error) error {
	rep, err := c.do(ctx, cl)
	if err != nil {
		return err
	}
	o, oerr := decodeObject(rep.body)
	if oerr == nil {
		if _, wrapped := o["code"]; wrapped {
			data, err := c.envelope(cl, rep)
			if err != nil {
				return err
			}
			rep.body = data
		} else if eo, ok := o["error"]; ok && !isNull(eo) {
			code, msg, _ := envelopeError(rep.body)
			return c.codeError(cl, rep, code, msg)
		}
	}
	if err := decode(rep.body); err != nil {
		return c.malformed(cl, rep, err)
	}
	return nil
}

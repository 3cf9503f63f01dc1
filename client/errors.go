package client

import (
	"errors"
	"strings"
	"time"

	"sunostudio/internal/i18n"
)

// ErrorKind classifies what went wrong in terms of what the user can do about it.
type ErrorKind int

const (
	KindUnknown     ErrorKind = iota
	KindAuth                  // 401/403: the key is wrong, expired or out of quota
	KindRateLimited           // 429: wait RetryAfter
	KindNotFound              // the task or clip is not on this relay (or belongs to another key)
	KindUnsupported           // this relay does not offer the operation
	KindBadRequest            // the relay refused the request as invalid
	KindUpstream              // 5xx, HTML error page, or Suno failed the work
	KindTimeout               // no answer in time
	KindNetwork               // cannot connect, or the connection was cut
	KindMalformed             // a reply we cannot read
	KindTooLarge              // a reply over the size limit
	KindCanceled              // the caller cancelled
)

var kindNames = map[ErrorKind]string{
	KindUnknown: "error", KindAuth: "auth", KindRateLimited: "rate_limited",
	KindNotFound: "not_found", KindUnsupported: "unsupported", KindBadRequest: "bad_request",
	KindUpstream: "upstream", KindTimeout: "timeout", KindNetwork: "network",
	KindMalformed: "malformed", KindTooLarge: "too_large", KindCanceled: "canceled",
}

// String is a stable, language-neutral name for JSON output and logs.
func (k ErrorKind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "error"
}

// Sentinels for errors.Is: errors.Is(err, client.ErrUnsupported) matches any *Error of that kind.
var (
	ErrAuth        = &Error{Kind: KindAuth}
	ErrRateLimited = &Error{Kind: KindRateLimited}
	ErrNotFound    = &Error{Kind: KindNotFound}
	ErrUnsupported = &Error{Kind: KindUnsupported}
	ErrBadRequest  = &Error{Kind: KindBadRequest}
	ErrUpstream    = &Error{Kind: KindUpstream}
	ErrTimeout     = &Error{Kind: KindTimeout}
	ErrNetwork     = &Error{Kind: KindNetwork}
	ErrMalformed   = &Error{Kind: KindMalformed}
	ErrTooLarge    = &Error{Kind: KindTooLarge}
)

// Error is every failure the client returns. Its text is safe to show: relay text in it is
// sanitised and the API key is redacted before the Error is built.
type Error struct {
	Kind ErrorKind
	// Op is what we were doing, in the user's words and language: "submit music", "fetch
	// task 1234" (Op.Text and the client.op messages).
	Op string
	// Relay names the profile, so that a user with several relays knows which one failed.
	Relay      string
	HTTPStatus int
	// Code and Message are the relay's own, when it sent them.
	Code    string
	Message string
	// RetryAfter is how long the relay asked us to wait (429), zero when it did not say.
	RetryAfter time.Duration
	// Excerpt is a short sanitised sample of a reply we could not read.
	Excerpt string
	Err     error
	// aboutTasks: the call was about tasks, so "not found" gets the advice about task visibility.
	aboutTasks bool
}

func (e *Error) Error() string {
	s := e.summary()
	if e.Message != "" && e.Message != e.Code {
		s = i18n.T("client.err.colon", s, e.Message)
	} else if e.Code != "" {
		s = i18n.T("client.err.colon", s, e.Code)
	}
	if e.Excerpt != "" {
		s = i18n.T("client.err.excerpt", s, e.Excerpt)
	}
	if e.Err != nil && e.Message == "" {
		s = i18n.T("client.err.colon", s, e.Err.Error())
	}
	if e.Op != "" {
		s = i18n.T("client.err.colon", e.Op, s)
	}
	if adv := e.Advice(); adv != "" {
		s = i18n.T("client.err.advice", s, adv)
	}
	return s
}

// summary says what happened, naming the relay when the profile has a name. Each kind is a
// whole sentence per case (named or not) so that a translation can place the name freely.
func (e *Error) summary() string {
	status := ""
	if e.HTTPStatus != 0 {
		status = i18n.T("client.err.status", e.HTTPStatus)
	}
	r := e.Relay
	switch e.Kind {
	case KindAuth:
		if r == "" {
			return i18n.T("client.err.anon.auth", status)
		}
		return i18n.T("client.err.named.auth", r, status)
	case KindRateLimited:
		if r == "" {
			return i18n.T("client.err.anon.rate_limited", status)
		}
		return i18n.T("client.err.named.rate_limited", r, status)
	case KindNotFound:
		if r == "" {
			return i18n.T("client.err.anon.not_found", status)
		}
		return i18n.T("client.err.named.not_found", r, status)
	case KindUnsupported:
		if r == "" {
			return i18n.T("client.err.anon.unsupported", status)
		}
		return i18n.T("client.err.named.unsupported", r, status)
	case KindBadRequest:
		if r == "" {
			return i18n.T("client.err.anon.bad_request", status)
		}
		return i18n.T("client.err.named.bad_request", r, status)
	case KindUpstream:
		if r == "" {
			return i18n.T("client.err.anon.upstream", status)
		}
		return i18n.T("client.err.named.upstream", r, status)
	case KindTimeout:
		if r == "" {
			return i18n.T("client.err.anon.timeout")
		}
		return i18n.T("client.err.named.timeout", r)
	case KindNetwork:
		if r == "" {
			return i18n.T("client.err.anon.network")
		}
		return i18n.T("client.err.named.network", r)
	case KindMalformed:
		if r == "" {
			return i18n.T("client.err.anon.malformed", status)
		}
		return i18n.T("client.err.named.malformed", r, status)
	case KindTooLarge:
		if r == "" {
			return i18n.T("client.err.anon.too_large", status)
		}
		return i18n.T("client.err.named.too_large", r, status)
	case KindCanceled:
		return i18n.T("client.err.canceled")
	}
	return i18n.T("client.err.failed", status)
}

// Advice tells the user what to do next, in one sentence.
func (e *Error) Advice() string {
	switch e.Kind {
	case KindAuth:
		return i18n.T("client.advice.auth")
	case KindRateLimited:
		if e.RetryAfter > 0 {
			return i18n.T("client.advice.retry_after", e.RetryAfter.Round(time.Second).String())
		}
		return i18n.T("client.advice.retry_minute")
	case KindNotFound:
		// aboutTasks is set by the client; the words are for errors built elsewhere (and for
		// relay messages, which are English whatever the user's language).
		if e.aboutTasks || strings.Contains(e.Op, "task") || strings.HasPrefix(e.Message, "task ") {
			return i18n.T("client.advice.task_not_found")
		}
		return i18n.T("client.advice.not_found")
	case KindUnsupported:
		return i18n.T("client.advice.unsupported")
	case KindUpstream:
		return i18n.T("client.advice.upstream")
	case KindTimeout:
		return i18n.T("client.advice.timeout")
	case KindNetwork:
		return i18n.T("client.advice.network")
	case KindMalformed:
		return i18n.T("client.advice.malformed")
	}
	return ""
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrX) match on kind, so callers need not type-assert.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Kind == e.Kind && t.Op == "" && t.Err == nil && (t.Code == "" || t.Code == e.Code)
}

// Temporary reports whether trying again later may succeed.
func (e *Error) Temporary() bool {
	switch e.Kind {
	case KindRateLimited, KindUpstream, KindTimeout, KindNetwork:
		return true
	}
	return false
}

// KindOf returns the kind of any error: client errors by their kind, everything else unknown.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// redactedErr hides the API key in a wrapped error's text while keeping errors.Is/As working
// for the cause (context.Canceled, net errors).
type redactedErr struct {
	text string
	err  error
}

func (r *redactedErr) Error() string { return r.text }
func (r *redactedErr) Unwrap() error { return r.err }

// redactor replaces every spelling of a secret the relay might echo back.
type redactor struct{ secrets []string }

func newRedactor(key string) redactor {
	key = strings.TrimSpace(key)
	var r redactor
	if len(key) < 4 {
		// A key this short would redact ordinary words; such keys are refused by config.
		if key != "" {
			r.secrets = []string{key}
		}
		return r
	}
	r.secrets = append(r.secrets, key)
	if bare := strings.TrimPrefix(key, "sk-"); bare != key && len(bare) >= 4 {
		r.secrets = append(r.secrets, bare)
	}
	return r
}

func (r redactor) str(s string) string {
	for _, k := range r.secrets {
		if k != "" && strings.Contains(s, k) {
			s = strings.ReplaceAll(s, k, "[redacted]")
		}
	}
	return s
}

func (r redactor) err(err error) error {
	if err == nil {
		return nil
	}
	return &redactedErr{text: r.str(err.Error()), err: err}
}

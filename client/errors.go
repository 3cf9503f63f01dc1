package client

import (
	"errors"
	"fmt"
	"strings"
	"time"
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
	// Op is what we were doing, in words: "submit music", "fetch task 1234".
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
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.summary())
	if e.Message != "" && e.Message != e.Code {
		b.WriteString(": ")
		b.WriteString(e.Message)
	} else if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(e.Code)
	}
	if e.Excerpt != "" {
		fmt.Fprintf(&b, " (reply began %q)", e.Excerpt)
	}
	if e.Err != nil && e.Message == "" {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if adv := e.Advice(); adv != "" {
		b.WriteString(" — ")
		b.WriteString(adv)
	}
	return b.String()
}

func (e *Error) summary() string {
	status := ""
	if e.HTTPStatus != 0 {
		status = fmt.Sprintf(" (HTTP %d)", e.HTTPStatus)
	}
	relay := "the relay"
	if e.Relay != "" {
		relay = "relay " + e.Relay
	}
	switch e.Kind {
	case KindAuth:
		return relay + " rejected the API key" + status
	case KindRateLimited:
		return relay + " is rate limiting" + status
	case KindNotFound:
		return "not found on " + relay + status
	case KindUnsupported:
		return relay + " does not support this" + status
	case KindBadRequest:
		return relay + " refused the request" + status
	case KindUpstream:
		return relay + " or Suno failed" + status
	case KindTimeout:
		return relay + " did not answer in time"
	case KindNetwork:
		return "cannot talk to " + relay
	case KindMalformed:
		return relay + " sent a reply sunostudio cannot read" + status
	case KindTooLarge:
		return relay + " sent a reply that is too large" + status
	case KindCanceled:
		return "cancelled"
	}
	return "request failed" + status
}

// Advice tells the user what to do next, in one sentence.
func (e *Error) Advice() string {
	switch e.Kind {
	case KindAuth:
		return "check the API key of this profile (config.toml or SUNOSTUDIO_API_KEY) and its balance"
	case KindRateLimited:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("try again in %s", e.RetryAfter.Round(time.Second))
		}
		return "try again in a minute"
	case KindNotFound:
		if strings.Contains(e.Op, "task") || strings.HasPrefix(e.Message, "task ") {
			return "tasks are only visible to the key that created them, on the relay that made them"
		}
		return "check the id: it may belong to another relay or account"
	case KindUnsupported:
		return "stock new-api and one-hub relays only offer music and lyrics; use a relay that offers this feature"
	case KindUpstream:
		return "the relay or Suno is having trouble; try again later"
	case KindTimeout:
		return "check the network or try again later"
	case KindNetwork:
		return "check the base URL and the network"
	case KindMalformed:
		return "the base URL or dialect of this profile may be wrong"
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

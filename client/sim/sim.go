package sim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Options configure a simulator.
type Options struct {
	// Key is the API key the simulator accepts; "" accepts any non-empty key.
	Key string
	// StageTime is the time per life-cycle stage (submitted -> queued -> streaming ->
	// complete); 0 completes tasks instantly. The demo uses 2s.
	StageTime time.Duration
	// SongSeconds is the length of a generated song (default 60).
	SongSeconds float64
	// StreamPace is the multiple of real time at which the streaming URL delivers audio; 0 (or
	// less) means as fast as possible. The demo uses 4 (see DemoOptions).
	StreamPace float64
	// ChatFormat selects the chat content format: "a" (Suno-API Go template, default) or "b"
	// (Suno2openai). A "sim:format=b" keyword in the last user message overrides it.
	ChatFormat string
	// ChatTick is the keep-alive tick interval of chat streams (default 5s, like Suno-API).
	ChatTick time.Duration
	// RejectExtended behaves like stock new-api / one-hub: only the music and lyrics actions
	// exist and unknown submit fields are dropped (relay-api 9.18).
	RejectExtended bool
	// Quirks select wire-shape variations; all false is the mainstream new-api relay.
	Quirks Quirks
	// Now is the clock (default time.Now). Task state is a pure function of it.
	Now func() time.Time
	// Logf, if set, receives one line per request and notable events.
	Logf func(format string, args ...any)
	// StateFile, if set, keeps the records (tasks, clips, uploads, stems, personas, asset
	// jobs, the usage counter) across restarts: they are loaded from this JSON file by New
	// (a missing file is an empty store; an unreadable or corrupt one is logged through Logf
	// and the simulator starts empty) and saved atomically (temp file + rename) shortly after
	// every change; Close flushes. A task's state is a function of its submit time, so a task
	// submitted before a restart carries on where it would be, with the same audio.
	StateFile string
}

// DemoOptions are the settings of the offline demo: songs take about ten seconds to make and
// stream at four times real time, like a fast relay.
func DemoOptions() Options {
	return Options{StageTime: 2 * time.Second, SongSeconds: 60, StreamPace: 4, ChatFormat: "a", ChatTick: 5 * time.Second}
}

// Quirks are wire-shape variations seen on real relays. Each changes only what relay-api.md
// says it changes.
type Quirks struct {
	// BareFetch: GET /suno/fetch/{id} answers data = the bare clip array (or lyrics object), as
	// open-source Suno-API does (relay-api 2.3).
	BareFetch bool
	// Millis: submit_time/start_time/finish_time in milliseconds (relay-api 9.14).
	Millis bool
	// IntCode: task-dialect success envelopes carry "code":200 instead of "success" (9.1).
	IntCode bool
	// NullEmptyBatch: a batch fetch with no known ids answers data:null instead of [] (2.4).
	NullEmptyBatch bool
	// FlatClips: task-dialect clips use the flattened apicore shape (id, clip_id,
	// task_id "<task>_1", mv, state, top-level tags/prompt/duration) (2.6, 9.5).
	FlatClips bool
	// StringNumbers: metadata.duration (and the flattened duration, history continue_at) are
	// strings such as "8.12" (9.11).
	StringNumbers bool
	// SubmitObject: submit answers data = {"task_id": ...} instead of a bare string (9.3).
	SubmitObject bool
}

// Sim is a relay simulator. It implements http.Handler.
type Sim struct {
	opts Options
	mux  *http.ServeMux

	mu       sync.Mutex
	tasks    map[string]*task
	clips    map[string]*clip
	personas map[string]*persona
	wavJobs  map[string]bool // clip id -> a wav was requested (served once its job is done)
	usage    int64           // cents
	faults   []*Fault
	counts   map[string]int

	audioMu sync.Mutex
	songs   map[string]*track
	wavs    map[string][]byte

	srv *http.Server
	ln  net.Listener
	url string

	// State file (Options.StateFile). dirty, savePending and stateClosed are guarded by mu;
	// saveMu orders the writes so that a newer snapshot is never overwritten by an older one.
	saveMu      sync.Mutex
	dirty       bool
	savePending bool
	stateClosed bool
	saveTimer   *time.Timer
}

// New makes a simulator with defaults filled in; serve it with any http.Server, or use Start.
func New(opts Options) *Sim {
	if opts.SongSeconds <= 0 {
		opts.SongSeconds = 60
	}
	if opts.ChatFormat == "" {
		opts.ChatFormat = "a"
	}
	if opts.ChatTick <= 0 {
		opts.ChatTick = 5 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Sim{
		opts:     opts,
		tasks:    map[string]*task{},
		clips:    map[string]*clip{},
		personas: map[string]*persona{},
		wavJobs:  map[string]bool{},
		counts:   map[string]int{},
		songs:    map[string]*track{},
		wavs:     map[string][]byte{},
	}
	s.loadState()
	s.mux = http.NewServeMux()
	for _, rt := range s.routes() {
		s.mux.HandleFunc(rt.pattern, s.wrap(rt))
	}
	s.mux.HandleFunc("/", s.wrap(route{name: "", auth: true, dialect: dialectChat, h: s.notFound}))
	return s
}

// Start listens on 127.0.0.1 (a free port) and serves the simulator in-process.
func Start(opts Options) (*Sim, error) {
	s := New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// ListenAndServe runs a standalone simulator on addr until ctx is cancelled; ready (optional)
// receives the base URL once the listener is up. It returns nil after a clean shutdown.
func ListenAndServe(ctx context.Context, addr string, opts Options, ready func(baseURL string)) error {
	s := New(opts)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	host := ln.Addr().String()
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		host = net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
	}
	s.url = "http://" + host
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(s.url)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Streams (chat, audiopipe) can last minutes: give them a moment, then cut them.
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	serveErr := <-errc
	stateErr := s.closeState()
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return stateErr
}

// URL is the base URL of a simulator started with Start ("" otherwise).
func (s *Sim) URL() string { return s.url }

// Key is the API key clients should send: the configured one, or "sk-demo" when any key works.
func (s *Sim) Key() string {
	if s.opts.Key == "" {
		return "sk-demo"
	}
	return s.opts.Key
}

// Close stops a simulator started with Start; open streams are cut. With a StateFile it
// writes the pending changes (also for a simulator made with New and served elsewhere); changes
// after Close are no longer saved automatically.
func (s *Sim) Close() error {
	var err error
	if s.srv != nil {
		if err = s.srv.Close(); errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
	}
	if serr := s.closeState(); err == nil {
		err = serr
	}
	return err
}

// Requests counts the requests seen for a normalised endpoint such as "POST /suno/fetch",
// "GET /suno/fetch/{id}", "GET /suno/v1/music/{id}", "POST /v1/chat/completions",
// "GET /audiopipe" or "GET /cdn/{file}". Unknown paths count as "METHOD /path".
func (s *Sim) Requests(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[endpoint]
}

// ResetCounts zeroes the request counters.
func (s *Sim) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = map[string]int{}
}

// Complete jumps a task (or a standalone clip such as a stem) to its final state: SUCCESS, or
// FAILURE for tasks whose fate is a failure. Tasks marked sim:never complete too.
func (s *Sim) Complete(taskID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tasks[taskID]; ok {
		t.forced = true
		s.changed()
		return
	}
	if c, ok := s.clips[taskID]; ok {
		if c.task != nil {
			c.task.forced = true
		} else {
			c.forced = true
		}
		s.changed()
	}
}

func (s *Sim) now() time.Time { return s.opts.Now() }

func (s *Sim) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// ServeHTTP implements http.Handler.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		// Never let a bug take the demo down; answer 500 like a relay would.
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logf("sim: panic serving %s %s: %v", r.Method, r.URL.Path, v)
			writeTaskError(w, http.StatusInternalServerError, "internal_error", fmt.Sprint(v))
		}
	}()
	s.mux.ServeHTTP(w, r)
}

type dialect int

const (
	dialectTask dialect = iota
	dialectGoAmz
	dialectChat
	dialectBilling
	dialectMedia
	dialectRaw // raw Suno passthrough (persona, stems, timing, feed): task-style errors
)

type route struct {
	pattern  string
	name     string // counter key; "" = "METHOD /path"
	dialect  dialect
	auth     bool
	stream   bool // long responses: faults that need the whole body are applied while streaming
	extended bool // absent on stock new-api (RejectExtended)
	h        http.HandlerFunc
}

func (s *Sim) routes() []route {
	var rs []route
	add := func(method, path, name string, d dialect, ext bool, h http.HandlerFunc) {
		if name == "" {
			name = method + " " + path
		}
		rs = append(rs, route{pattern: method + " " + path, name: name, dialect: d, auth: d != dialectMedia, extended: ext, h: h})
	}
	// Task dialect.
	add("POST", "/suno/submit/music", "", dialectTask, false, s.handleSubmitMusic)
	add("POST", "/suno/submit/lyrics", "", dialectTask, false, s.handleSubmitLyrics)
	add("POST", "/suno/submit/concat", "", dialectTask, true, s.handleSubmitConcat)
	add("POST", "/suno/submit/fetch", "", dialectTask, true, s.handleFetchBatch)
	add("POST", "/suno/submit/{action}", "POST /suno/submit/{action}", dialectTask, false, s.handleSubmitUnknown)
	add("GET", "/suno/fetch/{id}", "", dialectTask, false, s.handleFetchOne)
	add("POST", "/suno/fetch", "", dialectTask, false, s.handleFetchBatch)
	add("POST", "/suno/uploads/audio-url", "", dialectTask, true, s.handleUpload)
	add("POST", "/suno/persona/create/{$}", "POST /suno/persona/create", dialectRaw, true, s.handlePersona)
	add("POST", "/suno/persona/create", "POST /suno/persona/create", dialectRaw, true, s.handlePersona)
	add("GET", "/suno/act/stems/{id}", "", dialectRaw, true, s.handleStems)
	add("GET", "/suno/act/timing/{id}", "", dialectRaw, true, s.handleTiming)
	add("GET", "/suno/act/wav/{id}", "", dialectTask, true, s.handleWAV)
	add("GET", "/suno/act/mp4/{id}", "", dialectTask, true, s.handleMP4)
	add("GET", "/suno/feed/{ids}", "", dialectRaw, true, s.handleFeed)
	// Billing (new-api dashboard), with and without /v1.
	for _, p := range []string{"/v1/dashboard/billing", "/dashboard/billing"} {
		add("GET", p+"/subscription", "", dialectBilling, false, s.handleSubscription)
		add("GET", p+"/usage", "", dialectBilling, false, s.handleUsage)
	}
	add("GET", "/v1/models", "", dialectChat, false, s.handleModels)
	// GoAmzAI dialect: /suno/v1 (v3.5 on openai-core), /suno/v1/mv-3.5 and /suno/v1/v3.0.
	for _, p := range []string{"/suno/v1", "/suno/v1/mv-3.5", "/suno/v1/v3.0"} {
		mv := map[string]string{"/suno/v1": "", "/suno/v1/mv-3.5": "chirp-v3-5", "/suno/v1/v3.0": "chirp-v3-0"}[p]
		add("POST", p+"/music", "", dialectGoAmz, false, s.goamzSubmit(mv))
		add("GET", p+"/music/{id}", "", dialectGoAmz, false, s.handleGoAmzFetch)
		add("POST", p+"/lyrics", "", dialectGoAmz, false, s.handleGoAmzLyrics)
		add("GET", p+"/lyrics/{id}", "", dialectGoAmz, false, s.handleGoAmzLyricsFetch)
	}
	// Chat dialect.
	add("POST", "/v1/chat/completions", "", dialectChat, false, s.handleChat)
	// Media: no auth, like Suno's CDN and audiopipe.
	add("GET", "/audiopipe/{$}", "GET /audiopipe", dialectMedia, false, s.handleAudiopipe)
	add("GET", "/audiopipe", "GET /audiopipe", dialectMedia, false, s.handleAudiopipe)
	add("GET", "/cdn/{file}", "GET /cdn/{file}", dialectMedia, false, s.handleCDN)
	for i := range rs {
		switch rs[i].name {
		case "POST /v1/chat/completions", "GET /audiopipe":
			rs[i].stream = true
		}
	}
	return rs
}

// wrap counts the request, applies faults, checks auth, then runs the handler.
func (s *Sim) wrap(rt route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := rt.name
		if name == "" {
			name = r.Method + " " + r.URL.Path
		}
		s.mu.Lock()
		s.counts[name]++
		s.mu.Unlock()
		s.logf("sim: %s %s", r.Method, r.URL.RequestURI())
		inner := func(w http.ResponseWriter, r *http.Request) {
			if rt.auth && !s.authorized(r) {
				writeUnauthorized(w, r)
				return
			}
			if rt.extended && s.opts.RejectExtended {
				s.rejectExtended(w, r)
				return
			}
			rt.h(w, r)
		}
		if f, ok := s.takeFault(r); ok {
			s.applyFault(w, r, rt, f, inner)
			return
		}
		inner(w, r)
	}
}

// normKey reduces a key the way new-api's TokenAuth does: strip "Bearer ", strip "sk-", then
// cut at the first "-" (the "-<n>" suffix pins a channel).
func normKey(k string) string {
	k = strings.TrimSpace(k)
	k = strings.TrimPrefix(k, "Bearer ")
	k = strings.TrimPrefix(k, "bearer ")
	k = strings.TrimSpace(k)
	k = strings.TrimPrefix(k, "sk-")
	if i := strings.Index(k, "-"); i >= 0 {
		k = k[:i]
	}
	return k
}

func (s *Sim) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	if h == "" {
		h = r.Header.Get("mj-api-secret") // new-api accepts Midjourney-style keys too
	}
	got := normKey(h)
	if got == "" {
		return false
	}
	if s.opts.Key == "" {
		return true
	}
	return got == normKey(s.opts.Key)
}

// rejectExtended answers what stock new-api answers for the apicore-only endpoints: unknown
// submit actions are 400 invalid_action, other paths do not exist.
func (s *Sim) rejectExtended(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/suno/submit/") {
		writeTaskError(w, http.StatusBadRequest, "invalid_action", "invalid_action")
		return
	}
	s.notFound(w, r)
}

func (s *Sim) notFound(w http.ResponseWriter, r *http.Request) {
	writeOpenAIError(w, http.StatusNotFound, fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path), "invalid_request_error", "")
}

// baseURL builds absolute URLs from the request's Host, so that they work in-process, behind a
// port forward and standalone alike.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "127.0.0.1"
	}
	return scheme + "://" + host
}

// TaskIDs lists every task the simulator has accepted, in no particular order: tests compare it
// with what a client recorded (a crash test must find every one of them in the library).
func (s *Sim) TaskIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.tasks))
	for id := range s.tasks {
		ids = append(ids, id)
	}
	return ids
}

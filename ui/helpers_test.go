package ui

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"sunostudio/client"
	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

// updating reports whether -update was given: rewrite the golden files in testdata/. The flag
// itself is registered by x/exp/golden (imported through teatest), so it is looked up here.
func updating() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	v, _ := f.Value.(flag.Getter).Get().(bool)
	return v
}

// t0 is the fixed "now" of the tests: elapsed times and dates render the same every run.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// fakePlayer records what the studio asks of the player.
type fakePlayer struct {
	mu     sync.Mutex
	calls  []string
	played []player.Source
	queued []player.Source
	ev     chan player.Event
	st     player.Status
}

func newFakePlayer() *fakePlayer {
	return &fakePlayer{ev: make(chan player.Event, 16), st: player.Status{Volume: 100, Index: -1}}
}

func (f *fakePlayer) call(s string) {
	f.mu.Lock()
	f.calls = append(f.calls, s)
	f.mu.Unlock()
}

func (f *fakePlayer) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakePlayer) Play(src player.Source) uint64 {
	f.mu.Lock()
	f.played = append(f.played, src)
	f.mu.Unlock()
	f.call("play " + src.ID)
	return 1
}
func (f *fakePlayer) Toggle()                              { f.call("toggle") }
func (f *fakePlayer) Stop()                                { f.call("stop") }
func (f *fakePlayer) Next()                                { f.call("next") }
func (f *fakePlayer) Previous()                            { f.call("previous") }
func (f *fakePlayer) SeekBy(d time.Duration) time.Duration { f.call("seekby " + d.String()); return 0 }
func (f *fakePlayer) Seek(d time.Duration) time.Duration   { f.call("seek " + d.String()); return d }
func (f *fakePlayer) SetVolume(p int) int                  { f.call("volume " + itoa(p)); return p }
func (f *fakePlayer) AdjustVolume(d int) int               { f.call("adjust " + itoa(d)); return 0 }
func (f *fakePlayer) ToggleMute() bool                     { f.call("mute"); return true }
func (f *fakePlayer) CycleRepeat() player.Repeat           { f.call("repeat"); return player.RepeatAll }
func (f *fakePlayer) ToggleShuffle() bool                  { f.call("shuffle"); return true }
func (f *fakePlayer) Status() player.Status                { f.mu.Lock(); defer f.mu.Unlock(); return f.st }
func (f *fakePlayer) Events() <-chan player.Event          { return f.ev }
func (f *fakePlayer) Add(srcs ...player.Source) {
	f.mu.Lock()
	f.queued = append(f.queued, srcs...)
	f.mu.Unlock()
	for _, s := range srcs {
		f.call("add " + s.ID)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func jsonUnmarshalImpl(b []byte, v any) error { return json.Unmarshal(b, v) }

// seqCmds unpacks tea.Sequence's message (an unexported []tea.Cmd type).
func seqCmds(msg tea.Msg) []tea.Cmd {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice {
		return nil
	}
	var out []tea.Cmd
	for i := 0; i < v.Len(); i++ {
		if c, ok := v.Index(i).Interface().(tea.Cmd); ok {
			out = append(out, c)
		}
	}
	return out
}

func isSeq(msg tea.Msg) bool { return len(seqCmds(msg)) > 0 }

// env is a studio over a real library and engine (not started: no polling, no network) with a
// fake player and a fixed clock.
type env struct {
	t   testing.TB
	dir string
	st  *store.Store
	eng *studio.Engine
	pl  *fakePlayer
	m   *Model
	now time.Time
	// timers are the one-shot timers the model started, fired by fire().
	timers []func(time.Time) tea.Msg
}

func newEnv(t testing.TB, seed func(*env), opts ...func(*Options)) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), pl: newFakePlayer(), now: t0}
	var err error
	e.st, err = store.Open(filepath.Join(e.dir, "library.db"), store.OpenOptions{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.st.Close() })
	cl, err := client.New(client.Profile{Name: "demo", BaseURL: "http://127.0.0.1:9", APIKey: "sk-test", Dialect: client.DialectTask})
	if err != nil {
		t.Fatal(err)
	}
	e.eng, err = studio.New(studio.Options{Client: cl, Store: e.st, SongsDir: filepath.Join(e.dir, "songs"), Profile: "demo",
		Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.eng.Close)
	if seed != nil {
		seed(e)
	}
	o := Options{Engine: e.eng, Player: e.pl, Demo: true, Theme: "terminal", Model: "chirp-auk",
		Now: func() time.Time { return e.now }, Location: time.UTC,
		Source: func(_ context.Context, c *store.Clip) (player.Source, error) {
			return player.Source{ID: c.ID, Title: c.Title, Path: c.LocalPath, Duration: secs(c.Duration)}, nil
		}}
	for _, f := range opts {
		f(&o)
	}
	e.m, err = New(o)
	if err != nil {
		t.Fatal(err)
	}
	e.m.tick = func(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		e.timers = append(e.timers, fn)
		return nil
	}
	return e
}

// send runs one message through Update and returns the Cmd.
func (e *env) send(msg tea.Msg) tea.Cmd {
	e.t.Helper()
	_, cmd := e.m.Update(msg)
	return cmd
}

// exec runs a Cmd and feeds its messages back, following batches and sequences; timers
// (tea.Tick) are skipped, since the tests drive time themselves.
func (e *env) exec(cmd tea.Cmd) {
	e.t.Helper()
	for _, msg := range e.collect(cmd) {
		e.exec(e.send(msg))
	}
}

// fire runs the timers started so far, as if their time had come.
func (e *env) fire() {
	ts := e.timers
	e.timers = nil
	for _, fn := range ts {
		e.exec(e.send(fn(e.now)))
	}
}

// collect runs a Cmd and returns the messages it produced (batches flattened).
func (e *env) collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(5 * time.Second):
		e.t.Fatalf("a command did not return")
	}
	switch m := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range m {
			out = append(out, e.collect(c)...)
		}
		return out
	}
	if isSeq(msg) {
		var out []tea.Msg
		for _, c := range seqCmds(msg) {
			out = append(out, e.collect(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// load runs the Init loads that read the library (not the quota: no network in tests).
func (e *env) load() {
	e.t.Helper()
	for _, c := range []tea.Cmd{loadRowsCmd(e.st), loadTasksCmd(e.st), loadDraftCmd(e.st), loadVolumeCmd(e.st)} {
		e.exec(c)
	}
}

func (e *env) size(w, h int) { e.send(tea.WindowSizeMsg{Width: w, Height: h}) }

// screen is the current frame without colours.
// Tests that poke the model directly mark it dirty, as Update would.
func (e *env) screen() string {
	e.m.dirty, e.m.full = true, true
	return ansi.Strip(e.m.View().Content)
}

func (e *env) key(keys ...string) {
	e.t.Helper()
	for _, k := range keys {
		e.exec(e.send(keyMsg(k)))
	}
}

// typeText sends each character as a key press, like a person typing.
func (e *env) typeText(s string) {
	for _, r := range s {
		e.exec(e.send(tea.KeyPressMsg{Code: r, Text: string(r)}))
	}
}

// keyMsg builds a key press from Bubble Tea's key string ("ctrl+s", "enter", "G", "alt+1").
func keyMsg(s string) tea.KeyPressMsg {
	var k tea.KeyPressMsg
	parts := strings.Split(s, "+")
	name := parts[len(parts)-1]
	if s == "+" {
		name, parts = "+", []string{"+"}
	}
	for _, p := range parts[:len(parts)-1] {
		switch p {
		case "ctrl":
			k.Mod |= tea.ModCtrl
		case "alt":
			k.Mod |= tea.ModAlt
		case "shift":
			k.Mod |= tea.ModShift
		}
	}
	codes := map[string]rune{"enter": tea.KeyEnter, "tab": tea.KeyTab, "esc": tea.KeyEscape, "space": tea.KeySpace,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight, "backspace": tea.KeyBackspace,
		"delete": tea.KeyDelete, "home": tea.KeyHome, "end": tea.KeyEnd, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"f1": tea.KeyF1}
	if c, ok := codes[name]; ok {
		k.Code = c
		if name == "space" && k.Mod == 0 {
			k.Text = " "
		}
		return k
	}
	r := []rune(name)[0]
	k.Code = r
	if k.Mod&(tea.ModCtrl|tea.ModAlt) == 0 {
		k.Text = name
	}
	return k
}

func mustPut(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// seedStudio is the library of the golden tests: Chinese, emoji and Latin titles, a finished
// task, a running one, a failed one with its reason, a lyrics task, lineage, and a draft.
func seedStudio(e *env) {
	st := e.st
	req := func(r studio.Request) []byte {
		b, _ := jsonMarshal(r)
		return b
	}
	tA := &store.Task{ID: "task-a", Kind: "music", Status: store.TaskSucceeded, Progress: 100,
		Request:   req(studio.Request{Kind: client.KindMusic, Music: &client.MusicRequest{Mode: client.ModeInspiration, Description: "夏天的海边，一首关于大海的歌 🌊"}}),
		ClipIDs:   []string{"clip-a1", "clip-a2"},
		CreatedAt: t0.Add(-50 * time.Minute), FinishedAt: t0.Add(-48*time.Minute - 30*time.Second)}
	a1 := &store.Clip{ID: "clip-a1", TaskID: "task-a", Title: "夏日海风 🌊 Summer Breeze", Tags: "city pop, 国风, female vocals",
		Model: "chirp-auk", Status: store.ClipComplete, Duration: 183.4, Download: store.DownloadDone,
		LocalPath: "/music/clip-a1.mp3", Favorite: true, CreatedAt: t0.Add(-49 * time.Minute),
		Lyrics: "[Verse]\n夏天的风吹过海边\nSummer wind across the sea 🌊\n\n[Chorus]\n我们一起唱 la la la\nSing it with me, 一起唱"}
	a2 := &store.Clip{ID: "clip-a2", TaskID: "task-a", Title: "Midnight Neon Rain", Tags: "synthwave, 80s",
		Model: "chirp-auk", Status: store.ClipComplete, Duration: 201, Download: store.DownloadActive,
		CreatedAt: t0.Add(-49*time.Minute + time.Second)}
	mustPut(e.t, st.PutTaskAndClips(tA, []*store.Clip{a1, a2}))

	tB := &store.Task{ID: "task-b", Kind: "music", Status: store.TaskRunning, Progress: 45,
		Request:   req(studio.Request{Kind: client.KindMusic, Music: &client.MusicRequest{Mode: client.ModeCustom, Title: "星光 Starlight", Tags: "dream pop, 抒情"}}),
		ClipIDs:   []string{"clip-b1"},
		CreatedAt: t0.Add(-75 * time.Second)}
	b1 := &store.Clip{ID: "clip-b1", TaskID: "task-b", Title: "星光 Starlight ✨", Tags: "dream pop, 抒情", Model: "chirp-v4",
		Status: store.ClipStreaming, Duration: 0, CreatedAt: t0.Add(-70 * time.Second)}
	mustPut(e.t, st.PutTaskAndClips(tB, []*store.Clip{b1}))

	tC := &store.Task{ID: "task-c", Kind: "music", Status: store.TaskFailed,
		Error:     "the relay refused the request: content policy violation (the description mentions a real artist)",
		Request:   req(studio.Request{Kind: client.KindMusic, Music: &client.MusicRequest{Mode: client.ModeInspiration, Description: "a song like Jay Chou 周杰伦"}}),
		CreatedAt: t0.Add(-30 * time.Minute), FinishedAt: t0.Add(-29 * time.Minute)}
	mustPut(e.t, st.PutTask(tC))

	tD := &store.Task{ID: "task-d", Kind: "lyrics", Status: store.TaskSucceeded, LyricsTitle: "月亮代表我的心",
		LyricsText: "[Verse]\n你问我爱你有多深", Request: req(studio.Request{Kind: client.KindLyrics, Prompt: "a love song about the moon 🌙"}),
		CreatedAt: t0.Add(-40 * time.Minute), FinishedAt: t0.Add(-39*time.Minute - 50*time.Second)}
	mustPut(e.t, st.PutTask(tD))

	child := &store.Clip{ID: "clip-a1-ext", TaskID: "task-e", Title: "夏日海风 (extended)", Tags: "city pop", Model: "chirp-crow",
		Status: store.ClipComplete, Duration: 242, Download: store.DownloadDone, LocalPath: "/music/clip-a1-ext.mp3",
		ParentID: "clip-a1", Derivation: store.DeriveExtend, CreatedAt: t0.Add(-20 * time.Minute)}
	mustPut(e.t, st.PutClip(child))

	mustPut(e.t, st.SaveDraft(store.Draft{Name: draftName, Title: "夏日海风", Tags: "city pop",
		Text: "[Verse]\n夏天的风吹过海边 🌊\nSummer wind across the sea\n\n[Chorus]\n我们一起唱 la la la"}))
}

func writeFile(t testing.TB, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

package ui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"sunostudio/client"
	"sunostudio/client/sim"
	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

// simStudio is the studio on a real engine talking to an in-process relay simulator that
// finishes songs in a fraction of a second, with a fake player.
type simStudio struct {
	st  *store.Store
	eng *studio.Engine
	pl  *fakePlayer
	m   *Model
	tm  *teatest.TestModel
}

func newSimStudio(t *testing.T, stage time.Duration) *simStudio {
	t.Helper()
	ss, _ := newSimStudioWith(t, sim.Options{StageTime: stage, SongSeconds: 3})
	return ss
}

// newSimStudioWith is newSimStudio on a simulator with these options; it also returns the
// simulator (to inject faults). The program's Send is the model's, as Run sets it.
func newSimStudioWith(t *testing.T, opts sim.Options) (*simStudio, *sim.Sim) {
	t.Helper()
	s, err := sim.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	dir := t.TempDir()
	cl, err := client.New(client.Profile{Name: "sim", BaseURL: s.URL(), APIKey: s.Key(), Dialect: client.DialectTask})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "library.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	eng, err := studio.New(studio.Options{Client: cl, Store: st, SongsDir: filepath.Join(dir, "songs"), Profile: "sim",
		PollBase: 20 * time.Millisecond, PollMax: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Close)
	ss := &simStudio{st: st, eng: eng, pl: newFakePlayer()}
	ss.m, err = New(Options{Engine: eng, Player: ss.pl, Demo: true, Theme: "terminal", Location: time.UTC,
		Source: func(_ context.Context, c *store.Clip) (player.Source, error) {
			return player.Source{ID: c.ID, Title: c.Title, Path: c.LocalPath}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	ss.tm = teatest.NewTestModel(t, ss.m, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII), tea.WithFilter(peekFilter)))
	sub := eng.Subscribe()
	done := make(chan struct{})
	t.Cleanup(func() { close(done); sub.Close() })
	go forwardEngine(ss.tm.GetProgram(), sub, done)
	// Before any key reaches the program (and so before the model reads it), as Run does.
	ss.m.send = ss.tm.GetProgram().Send
	return ss, s
}

// waitScreen waits until the program's latest frame contains want.
func (ss *simStudio) waitScreen(t *testing.T, want string, d time.Duration) {
	t.Helper()
	ss.waitFor(t, fmt.Sprintf("%q", want), d, func(s string) bool { return strings.Contains(s, want) })
}

func (ss *simStudio) waitFor(t *testing.T, what string, d time.Duration, ok func(string) bool) {
	t.Helper()
	var last string
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if last = ansi.Strip(frameText(ss)); ok(last) {
			return
		}
	}
	t.Fatalf("the screen never showed %s; last frame:\n%s", what, last)
}

// frameText reads the model's current frame through a message round trip, so the read
// happens on the program's goroutine.
func frameText(ss *simStudio) string {
	ch := make(chan string, 1)
	ss.tm.Send(peekMsg{ch})
	select {
	case s := <-ch:
		return s
	case <-time.After(2 * time.Second):
		return ""
	}
}

// peekMsg asks for the model's last frame. peekFilter answers it on the program's goroutine
// (Bubble Tea runs filters there) and drops it, so peeking is not an Update.
type peekMsg struct{ ch chan string }

func peekFilter(m tea.Model, msg tea.Msg) tea.Msg {
	switch p := msg.(type) {
	case peekMsg:
		p.ch <- m.(*Model).frame
		return nil
	case peekFnMsg:
		p.f(m.(*Model))
		close(p.done)
		return nil
	}
	return msg
}

// peekFnMsg runs f on the model on the program's goroutine (between Updates), for tests that
// look at model state while the program runs.
type peekFnMsg struct {
	f    func(*Model)
	done chan struct{}
}

func (ss *simStudio) peek(f func(*Model)) {
	done := make(chan struct{})
	ss.tm.Send(peekFnMsg{f, done})
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
}

// TestProgramEndToEnd runs the real program loop: type a description, submit, the simulator
// makes the song, the engine downloads it, the library lists it, enter plays it, ctrl+c quits.
func TestProgramEndToEnd(t *testing.T) {
	ss := newSimStudio(t, 30*time.Millisecond)
	ss.waitScreen(t, "DEMO", 5*time.Second)
	ss.tm.Type("rain on the window 雨")
	ss.tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	ss.waitScreen(t, "succeeded", 20*time.Second)
	// Both clips downloaded: then nothing is in flight and ctrl+c quits without asking.
	ss.waitFor(t, "two downloaded clips", 20*time.Second, func(s string) bool { return strings.Count(s, "✓ in library") == 2 })
	ss.tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	ss.tm.Send(tea.KeyPressMsg{Code: '4', Text: "4"})
	ss.tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	deadline := time.Now().Add(5 * time.Second)
	for len(ss.pl.Calls()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if calls := ss.pl.Calls(); len(calls) != 1 || !strings.HasPrefix(calls[0], "play ") {
		t.Fatalf("player calls %v", calls)
	}
	ss.tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	ss.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	clips, _ := ss.st.Newest(10)
	if len(clips) == 0 || clips[0].LocalPath == "" {
		t.Fatal("the song is not in the library")
	}
}

// TestIdleDoesNothing: with nothing pending and no input, the program handles no messages
// and renders no frames (no ticking cursor, no polling timer). It also reports the process's
// CPU time while idle (UI_IDLE_SECONDS sets the measuring time; default 3).
func TestIdleDoesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for several seconds")
	}
	ss := newSimStudio(t, 0)
	ss.waitScreen(t, "quota", 5*time.Second) // every start-up load has answered
	time.Sleep(300 * time.Millisecond)
	secs := 3.0
	if v, err := strconv.ParseFloat(os.Getenv("UI_IDLE_SECONDS"), 64); err == nil && v > 0 {
		secs = v
	}
	u0, r0 := ss.m.Stats()
	cpu0 := cpuTime()
	time.Sleep(time.Duration(secs * float64(time.Second)))
	cpu := cpuTime() - cpu0
	u1, r1 := ss.m.Stats()
	t.Logf("idle %.0f s: %d updates, %d renders, process CPU %v (%.2f%% of one core)",
		secs, u1-u0, r1-r0, cpu.Round(time.Millisecond), 100*cpu.Seconds()/secs)
	if u1 != u0 || r1 != r0 {
		t.Fatalf("idle program handled %d messages and rendered %d frames", u1-u0, r1-r0)
	}
	ss.tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	ss.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestRunEndsOnCancel: Run forwards events, ends cleanly when its context is cancelled (as on
// SIGTERM), and saves a lyrics draft the quit key did not get to save.
func TestRunEndsOnCancel(t *testing.T) {
	e := newEnv(t, nil)
	in, inw := io.Pipe()
	defer inw.Close()
	var out bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	o := e.m.o
	o.ProgramOptions = []tea.ProgramOption{tea.WithInput(in), tea.WithOutput(&out), tea.WithWindowSize(100, 30),
		tea.WithoutSignals()}
	done := make(chan error, 1)
	go func() { done <- runWith(ctx, o, func(m *Model) { e.m = m }) }()
	time.Sleep(200 * time.Millisecond)
	inw.Write([]byte("\t")) // to the Lyrics pane
	inw.Write([]byte("夜空"))
	time.Sleep(200 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not end on cancel")
	}
	if d, err := e.st.Draft(draftName); err != nil || d.Text != "夜空" {
		t.Fatalf("draft after cancel: %q %v", d.Text, err)
	}
}

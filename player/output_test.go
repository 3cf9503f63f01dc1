package player

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"
)

func TestNullOutputPlaysInRealTime(t *testing.T) {
	out := NewNullOutput()
	p := New(Options{Output: out})
	defer p.Close()
	ev := p.Events()
	p.Play(wavFile(t, "a", OutputRate/2, 0.1)) // 0.5 s
	start := time.Now()
	positions := 0
	for e := range ev {
		if e.Kind == EventPosition {
			positions++
		}
		if e.Kind == EventEnded {
			break
		}
	}
	took := time.Since(start)
	// Never faster than real time. (How much slower a loaded machine makes it is not this
	// test's business: the output computes what is due from the wall clock and catches up,
	// checked below; the PulseAudio end-to-end test measures real time on a quiet machine.)
	if took < 450*time.Millisecond || took > 10*time.Second {
		t.Fatalf("0.5 s took %v", took)
	}
	// The end is announced from inside the output's last pull, which it counts on return.
	if pulled := pulledAtLeast(out, OutputRate/2); pulled < OutputRate/2 {
		t.Fatalf("ended after pulling %d samples, fewer than the track's %d", pulled, OutputRate/2)
	}
	// At most ~10 position events a second of playing, however late they were delivered.
	if positions < 1 || float64(positions) > 10*took.Seconds()+2 {
		t.Fatalf("%d position events in %v", positions, took)
	}
	// The pull count tracks the wall clock and never runs ahead of it.
	p.Play(wavFile(t, "b", OutputRate*2, 0.1)) // 2 s
	for out.Pulled() <= OutputRate/2 {
		time.Sleep(5 * time.Millisecond)
	}
	base, t0 := out.Pulled(), time.Now()
	time.Sleep(300 * time.Millisecond)
	ahead := float64(out.Pulled()-base) - time.Since(t0).Seconds()*OutputRate
	if ahead > float64(OutputRate)/20 { // one 10 ms tick plus rounding is the most it may lead
		t.Fatalf("the null output ran %.0f samples ahead of the wall clock", ahead)
	}
	t.Logf("0.5 s played in %v with %d position events", took, positions)
}

// Nothing ticks when nothing plays: no pulls while stopped or paused, no position events.
func TestIdleDoesNoWork(t *testing.T) {
	out := NewNullOutput()
	p := New(Options{Output: out})
	defer p.Close()
	ev := p.Events()
	time.Sleep(50 * time.Millisecond)
	if out.Pulled() != 0 {
		t.Fatalf("pulled %d samples before anything played", out.Pulled())
	}
	p.Play(wavFile(t, "a", 10*OutputRate, 0.1))
	time.Sleep(100 * time.Millisecond)
	p.Pause()
	waitNullIdle(t, out)
	drain(ev)
	n := out.Pulled()
	pos := p.Status().Position
	time.Sleep(200 * time.Millisecond)
	if out.Pulled() != n || p.Status().Position != pos {
		t.Fatalf("paused: pulled %d -> %d, position %v -> %v", n, out.Pulled(), pos, p.Status().Position)
	}
	select {
	case e := <-ev:
		t.Fatalf("event while paused: %+v", e)
	default:
	}
	p.Resume()
	time.Sleep(100 * time.Millisecond)
	if p.Status().Position <= pos {
		t.Fatal("no progress after resume")
	}
	p.Stop()
	waitNullIdle(t, out)
	n = out.Pulled()
	time.Sleep(200 * time.Millisecond)
	if out.Pulled() != n {
		t.Fatal("pulling while stopped")
	}
}

// waitNullIdle waits until the control goroutine set the output inactive and a pull that was
// under way finished.
func waitNullIdle(t *testing.T, out *NullOutput) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); out.isActive(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("output still active")
		}
	}
	time.Sleep(30 * time.Millisecond)
}

// failingOutput cannot start; hangingOutput starts when released.
type failingOutput struct{ ManualOutput }

func (f *failingOutput) Start(beep.Streamer) error {
	return &OutputError{Output: "test", Reason: "no card", Hint: deviceHint()}
}

type hangingOutput struct {
	*ManualOutput
	release chan struct{}
}

func (h hangingOutput) Start(s beep.Streamer) error {
	<-h.release
	return h.ManualOutput.Start(s)
}

func TestNoOutputIsAState(t *testing.T) {
	p := New(Options{Output: &failingOutput{}})
	defer p.Close()
	ev := p.Events()
	start := time.Now()
	e := waitEvent(t, ev, kind(EventError))
	if time.Since(start) > time.Second {
		t.Fatalf("took %v", time.Since(start))
	}
	var oe *OutputError
	if !errors.As(e.Err, &oe) || oe.Reason != "no card" || !strings.Contains(e.Err.Error(), "no audio output: no card") {
		t.Fatalf("error %v", e.Err)
	}
	st := p.Status()
	if st.State != NoOutput || st.OutputErr == nil || st.OutputReady || st.State.String() != "no audio output" {
		t.Fatalf("status %+v", st)
	}
	// Everything else keeps working.
	p.Add(wavFile(t, "a", 1000, 0.1))
	p.SetVolume(30)
	p.Play(Source{Path: fixture(t, "phrase1.mp3")})
	if st := p.Status(); st.State != NoOutput || st.QueueLen != 2 || st.Volume != 30 {
		t.Fatalf("status %+v", st)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := p.Wait(ctx); !errors.As(err, &oe) {
		t.Fatalf("Wait = %v", err)
	}
}

func TestOutputNotAnsweringThenRecovering(t *testing.T) {
	h := hangingOutput{ManualOutput: NewManualOutput(), release: make(chan struct{})}
	var release sync.Once
	p := New(Options{Output: h, OutputTimeout: 200 * time.Millisecond})
	defer p.Close()
	defer release.Do(func() { close(h.release) }) // a failed check must not leave Start hanging
	start := time.Now()
	for p.Status().State != NoOutput {
		if time.Since(start) > 5*time.Second {
			t.Fatal("no NoOutput state for a device that does not answer")
		}
		time.Sleep(5 * time.Millisecond)
	}
	errContains(t, p.Status().OutputErr, "not answering")
	release.Do(func() { close(h.release) })
	for p.Status().State == NoOutput {
		time.Sleep(5 * time.Millisecond)
	}
	if st := p.Status(); st.State != Stopped || !st.OutputReady {
		t.Fatalf("status %+v", st)
	}
	p.Play(wavFile(t, "a", 1000, 0.1))
	if !allEqual(h.Pull(100), 0.1) {
		t.Fatal("no audio after recovery")
	}
}

// stuckOutput starts fine and never pulls: a hung device. The player notices.
type stuckOutput struct{ ManualOutput }

func (s *stuckOutput) Start(beep.Streamer) error { return nil }
func (s *stuckOutput) paced() bool               { return true }

func TestStuckOutputIsNoticed(t *testing.T) {
	defer func(d time.Duration) { healthInterval = d }(healthInterval)
	healthInterval = 20 * time.Millisecond
	p := New(Options{Output: &stuckOutput{}})
	defer p.Close()
	p.Play(wavFile(t, "a", OutputRate, 0.1))
	for deadline := time.Now().Add(2 * time.Second); p.Status().State != NoOutput; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("state %v", p.Status().State)
		}
	}
	errContains(t, p.Status().OutputErr, "stopped taking samples")
}

func TestNewOutput(t *testing.T) {
	for _, name := range []string{"", "auto", "device", "null"} {
		out, err := NewOutput(name)
		if err != nil || out == nil {
			t.Fatalf("%q: %v", name, err)
		}
	}
	if _, err := NewOutput("alsa"); err == nil {
		t.Fatal("unknown output accepted")
	}
}

// A device whose opening never returns must not make Close hang.
func TestCloseDoesNotWaitForeverForAHungDevice(t *testing.T) {
	h := hangingOutput{ManualOutput: NewManualOutput(), release: make(chan struct{})}
	defer close(h.release)
	p := New(Options{Output: h, OutputTimeout: 50 * time.Millisecond})
	start := time.Now()
	p.Close()
	if d := time.Since(start); d > closeStartWait+time.Second {
		t.Fatalf("Close took %v", d)
	}
}

// pulledAtLeast waits briefly for out to have pulled n samples and returns what it pulled.
func pulledAtLeast(out *NullOutput, n int64) int64 {
	deadline := time.Now().Add(time.Second)
	for out.Pulled() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	return out.Pulled()
}

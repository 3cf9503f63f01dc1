package player

import (
	"errors"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"

	"sunostudio/internal/i18n"
)

// Output is where the PCM goes. Outputs are pull-based: once started, the output calls
// s.Stream at its own pace (44100 Hz, stereo) for as long as it is active. The player's streamer
// never drains: it returns silence while nothing plays, so an output may keep pulling, but it may
// also stop while inactive, which is what keeps an idle player at zero CPU.
//
// The player calls Start once, from a goroutine of its own (Start may block while a device
// opens), SetActive, Flush and Close from one goroutine, and Latency and Err from any; never
// while holding its own lock, so an output may call s.Stream from inside any of its methods.
type Output interface {
	// Name is a short label for the status line ("device", "null", "manual").
	Name() string
	// Start begins pulling from s. An error means the output cannot play; an *OutputError
	// carries a reason and a hint for the user.
	Start(s beep.Streamer) error
	// SetActive says whether anything is playing. Outputs start inactive.
	SetActive(active bool)
	// Flush drops audio that was pulled but not yet heard (after a seek, stop or track change).
	Flush()
	// Latency is how much pulled audio is still waiting to be heard.
	Latency() time.Duration
	// Err is non-nil once a started output broke (device unplugged, sound server gone).
	Err() error
	// Close stops pulling; after it returns s is not called again.
	Close() error
}

// A paced output is one that pulls in real time by itself while active: if it stops pulling,
// something is wrong. The player watches those for a stall (a hung device).
type pacedOutput interface{ paced() bool }

// OutputError is the "no audio output" state: why, and what the user can do about it.
type OutputError struct {
	Output string
	Reason string
	Hint   string
	// Detail is what the audio library printed while trying (libasound's messages), for the log.
	Detail string
}

func (e *OutputError) Error() string {
	if e.Hint != "" {
		return i18n.T("player.err.no_output_hint", e.Reason, e.Hint)
	}
	return i18n.T("player.err.no_output", e.Reason)
}

// deviceHint is the advice shown with the no-output state.
func deviceHint() string {
	if runtime.GOOS == "linux" {
		return i18n.T("player.err.hint_linux")
	}
	return i18n.T("player.err.hint_device")
}

// NewOutput builds the output named by a --audio flag: "auto" or "device" (the sound card, "" is
// the same), "null" (real-time silence, for tests and machines without sound). "auto" never
// fails: a build without device support gives an output that reports the no-output state, so the
// rest of the program keeps working.
func NewOutput(name string) (Output, error) {
	switch strings.ToLower(name) {
	case "", "auto", "device":
		out, err := NewDeviceOutput()
		if err != nil {
			return &brokenOutput{err: &OutputError{Output: "device", Reason: err.Error(), Hint: i18n.T("player.err.hint_rebuild")}}, nil
		}
		return out, nil
	case "null", "none":
		return NewNullOutput(), nil
	}
	return nil, errors.New(i18n.T("player.err.unknown_output", name))
}

// brokenOutput is an output that cannot start.
type brokenOutput struct{ err error }

func (b *brokenOutput) Name() string              { return "device" }
func (b *brokenOutput) Start(beep.Streamer) error { return b.err }
func (b *brokenOutput) SetActive(bool)            {}
func (b *brokenOutput) Flush()                    {}
func (b *brokenOutput) Latency() time.Duration    { return 0 }
func (b *brokenOutput) Err() error                { return b.err }
func (b *brokenOutput) Close() error              { return nil }

// NullOutput pulls in real time by the wall clock and throws the samples away: playback takes as
// long as on a sound card, with no sound card. It stops its clock while inactive.
type NullOutput struct {
	mu     sync.Mutex
	s      beep.Streamer
	active bool
	wake   chan struct{}
	quit   chan struct{}
	done   chan struct{}
	pulled int64
	tick   time.Duration
}

// NewNullOutput returns a real-time null output that pulls every 10 ms.
func NewNullOutput() *NullOutput {
	return &NullOutput{tick: 10 * time.Millisecond, wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
}

func (o *NullOutput) Name() string { return "null" }
func (o *NullOutput) paced() bool  { return true }

func (o *NullOutput) Start(s beep.Streamer) error {
	o.mu.Lock()
	o.s = s
	o.mu.Unlock()
	go o.run()
	return nil
}

func (o *NullOutput) SetActive(active bool) {
	o.mu.Lock()
	o.active = active
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

func (o *NullOutput) isActive() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.active
}

// Pulled is the number of samples pulled so far.
func (o *NullOutput) Pulled() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.pulled
}

func (o *NullOutput) run() {
	defer close(o.done)
	buf := make([][2]float64, 2048)
	for {
		for !o.isActive() { // idle: no timer at all
			select {
			case <-o.quit:
				return
			case <-o.wake:
			}
		}
		ticker := time.NewTicker(o.tick)
		start, sent := time.Now(), int64(0)
		for o.isActive() {
			select {
			case <-o.quit:
				ticker.Stop()
				return
			case <-o.wake:
				continue
			case now := <-ticker.C:
				due := int64(now.Sub(start)) * OutputRate / int64(time.Second)
				if due-sent > OutputRate { // a long stall (suspended machine): do not catch up
					sent = due - OutputRate
				}
				for sent < due {
					n := int(min(due-sent, int64(len(buf))))
					o.s.Stream(buf[:n])
					sent += int64(n)
					o.mu.Lock()
					o.pulled += int64(n)
					o.mu.Unlock()
				}
			}
		}
		ticker.Stop()
	}
}

func (o *NullOutput) Flush()                 {}
func (o *NullOutput) Latency() time.Duration { return 0 }
func (o *NullOutput) Err() error             { return nil }

func (o *NullOutput) Close() error {
	o.mu.Lock()
	started := o.s != nil
	o.mu.Unlock()
	select {
	case <-o.quit:
		return nil
	default:
		close(o.quit)
	}
	if started {
		<-o.done
	}
	return nil
}

// ManualOutput is a clock the caller turns: each Pull(n) takes exactly n samples from the player,
// so tests about positions, track changes and volume are exact with no sleeps.
type ManualOutput struct {
	mu      sync.Mutex
	s       beep.Streamer
	started chan struct{}
	active  bool
	flushes int
	pulled  int64
}

// NewManualOutput returns an output that only pulls when told to.
func NewManualOutput() *ManualOutput { return &ManualOutput{started: make(chan struct{})} }

func (o *ManualOutput) Name() string { return "manual" }

func (o *ManualOutput) Start(s beep.Streamer) error {
	o.mu.Lock()
	o.s = s
	o.mu.Unlock()
	close(o.started)
	return nil
}

// Pull takes exactly n samples from the player (waiting for the player to start the output,
// which it does right after New) and returns them.
func (o *ManualOutput) Pull(n int) [][2]float64 {
	select {
	case <-o.started:
	case <-time.After(5 * time.Second):
		panic("player: ManualOutput.Pull before the player started the output")
	}
	buf := make([][2]float64, n)
	o.mu.Lock()
	s := o.s
	o.pulled += int64(n)
	o.mu.Unlock()
	for done := 0; done < n; {
		k, _ := s.Stream(buf[done:])
		if k == 0 {
			break
		}
		done += k
	}
	return buf
}

// Active reports what the player last asked for with SetActive.
func (o *ManualOutput) Active() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.active
}

// Flushes counts Flush calls.
func (o *ManualOutput) Flushes() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.flushes
}

func (o *ManualOutput) SetActive(a bool) {
	o.mu.Lock()
	o.active = a
	o.mu.Unlock()
}

func (o *ManualOutput) Flush() {
	o.mu.Lock()
	o.flushes++
	o.mu.Unlock()
}

func (o *ManualOutput) Latency() time.Duration { return 0 }
func (o *ManualOutput) Err() error             { return nil }
func (o *ManualOutput) Close() error           { return nil }

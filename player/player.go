// Package player plays mp3 (and PCM WAV) files, files that are still being written, and URLs
// (downloaded to a file while they play), with a queue, and sends the UI events. It knows only
// files, URLs and PCM: no store, no relay API.
//
// The pipeline is beep's: decoder (go-mp3 or WAV) -> Resample to 44.1 kHz when needed -> Ctrl
// (pause) -> effects.Volume -> the Output, which pulls at its own pace. The position is counted
// in samples as the output pulls them, never by the wall clock.
//
// Concurrency: one mutex guards all player state, and the output's pull runs under it. A mutex
// and not an owner goroutine, because the audio pull path must make sample-exact decisions (the
// track ended in the middle of this buffer: continue with the next one in the same buffer) on the
// output's own goroutine, and a round trip to an owner goroutine in every pull would add latency
// and a way to deadlock when the owner is busy. Nothing slow happens under the lock: downloads
// run in their own goroutines, files are read in small pieces, Output methods are called by one
// control goroutine without the lock, and events go through a queue that never blocks.
//
// Goroutines: a control goroutine (output start/activity/health; it sleeps while idle), one per
// running download, and an event dispatcher once Events is called. An idle player does no work
// at all: no tickers run while nothing plays.
package player

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/effects"

	"sunostudio/internal/i18n"
)

// Options configure a Player. The zero value plays to a real-time null output.
type Options struct {
	// Output is where audio goes: NewOutput("auto") for the sound card, NewNullOutput() for
	// --audio null, NewManualOutput() in tests. Nil means NewNullOutput().
	Output Output
	// Seed makes shuffle deterministic (tests); 0 picks a random seed.
	Seed uint64
	// HTTPClient downloads URL sources; nil means a client with a 30 s response-header timeout.
	HTTPClient *http.Client
	// StallTimeout ends a growing file or download that gets no new bytes for this long
	// (default 30 s).
	StallTimeout time.Duration
	// OutputTimeout: if the output has not started after this long, the player reports
	// NoOutput ("not answering") and recovers if it starts later (default 800 ms).
	OutputTimeout time.Duration
}

// Status is a snapshot for the UI.
type Status struct {
	State    State
	Track    Source // the current track (zero when none)
	Index    int    // the current track's index in the queue, -1 when none
	Position time.Duration
	Duration time.Duration
	Buffered time.Duration
	Volume   int // 0-150 (%)
	Muted    bool
	Repeat   Repeat
	Shuffle  bool
	QueueLen int
	Output   string
	// OutputReady: the output started and works (false while a device opens, and in NoOutput).
	OutputReady bool
	OutputErr   error // non-nil in the NoOutput state: an *OutputError with Reason and Hint
	Err         error // the last playback error
	Gen         uint64
}

// Player plays a queue of sources. All methods are safe for concurrent use.
type Player struct {
	opts      Options
	out       Output
	client    *http.Client
	ownClient bool
	// startDone is closed when the output's Start returned (it may never, for a hung device).
	startDone chan struct{}

	mu       sync.Mutex
	closed   bool
	gen      uint64
	queue    []*entry
	order    []*entry // play order while shuffled
	cur      *entry
	tr       *track
	paused   bool
	volume   int
	muted    bool
	repeat   Repeat
	shuffle  bool
	rng      *rand.Rand
	ctrl     *beep.Ctrl
	vol      *effects.Volume
	state    State // as last reported
	lastErr  error
	runErrs  []error // track errors since the last explicit start, for Wait
	ended    bool    // the queue played to its end (Wait lets the output drain)
	failures int     // consecutive tracks that failed while advancing

	outStarted bool
	outPending bool // outErr is only "not answering yet"
	outErr     error
	flushReq   bool
	wantActive bool

	lastPosEv   time.Time
	lastPosSent int
	stopCh      chan struct{}
	downloads   map[string]*download
	dlCtx       context.Context
	dlCancel    context.CancelFunc

	pulls atomic.Uint64
	kick  chan struct{}
	quit  chan struct{}
	wg    sync.WaitGroup
	ev    eventQueue
	now   func() time.Time
}

type entry struct{ src Source }

// New creates a player and starts its output in the background: New never blocks on a device.
func New(opts Options) *Player {
	if opts.Output == nil {
		opts.Output = NewNullOutput()
	}
	if opts.StallTimeout == 0 {
		opts.StallTimeout = 30 * time.Second
	}
	if opts.OutputTimeout == 0 {
		opts.OutputTimeout = 800 * time.Millisecond
	}
	seed := opts.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	client, ownClient := opts.HTTPClient, false
	if client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.ResponseHeaderTimeout = 30 * time.Second
		client, ownClient = &http.Client{Transport: tr}, true
	}
	p := &Player{
		opts:      opts,
		out:       opts.Output,
		client:    client,
		ownClient: ownClient,
		volume:    100,
		rng:       rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		downloads: map[string]*download{},
		kick:      make(chan struct{}, 1),
		quit:      make(chan struct{}),
		now:       time.Now,
	}
	p.dlCtx, p.dlCancel = context.WithCancel(context.Background())
	p.ctrl = &beep.Ctrl{Streamer: beep.StreamerFunc(p.queueStream)}
	p.vol = &effects.Volume{Streamer: p.ctrl, Base: 2}
	p.applyVolumeLocked()
	p.wg.Add(1)
	p.startDone = make(chan struct{})
	go p.startOutput()
	go p.control()
	return p
}

// rootStreamer is what the output pulls. It never drains.
type rootStreamer struct{ p *Player }

func (r rootStreamer) Stream(buf [][2]float64) (int, bool) {
	p := r.p
	p.pulls.Add(1)
	p.mu.Lock()
	defer p.mu.Unlock()
	n, _ := p.vol.Stream(buf)
	clear(buf[n:])
	for i := range buf {
		// 150% volume can push peaks past full scale: clip here rather than in the device.
		buf[i][0] = max(-1, min(1, buf[i][0]))
		buf[i][1] = max(-1, min(1, buf[i][1]))
	}
	if p.tr != nil && !p.paused {
		now := p.now()
		if pos := p.tr.pos(); pos != p.lastPosSent && now.Sub(p.lastPosEv) >= positionInterval {
			p.lastPosEv, p.lastPosSent = now, pos
			p.emitLocked(EventPosition)
		}
	}
	p.changedLocked()
	return len(buf), true
}

func (r rootStreamer) Err() error { return nil }

// queueStream is the bottom of the Ctrl -> Volume chain: the current track, and when it ends,
// the next one, in the same buffer. Called under p.mu.
func (p *Player) queueStream(buf [][2]float64) (int, bool) {
	now := p.now()
	n := 0
	for spins := 0; n < len(buf) && p.tr != nil && p.outErr == nil && spins < 16; spins++ {
		m, st := p.tr.fill(buf[n:], now)
		n += m
		if st == fillStarved {
			break
		}
		if st == fillEnded {
			p.advanceLocked(nil)
		} else if st == fillError {
			p.advanceLocked(&PlayError{Title: p.tr.src.title(), Err: p.tr.err})
		}
	}
	clear(buf[n:])
	return len(buf), true
}

// stateLocked derives the state from the fields.
func (p *Player) stateLocked() State {
	switch {
	case p.outErr != nil:
		return NoOutput
	case p.tr == nil:
		return Stopped
	case p.paused:
		return Paused
	case !p.tr.started && !p.tr.complete():
		return Loading // no audio yet: a download or growing file is starting
	case p.tr.starved && p.tr.started:
		return Buffering
	}
	return Playing
}

// changedLocked reports a state change, wakes Wait and tells the control goroutine when the
// output should start, stop or flush.
func (p *Player) changedLocked() {
	p.ctrl.Paused = p.paused
	st := p.stateLocked()
	if st != p.state {
		p.state = st
		p.emitLocked(EventState)
	}
	if (st == Stopped || st == NoOutput || p.closed) && p.stopCh != nil {
		close(p.stopCh)
		p.stopCh = nil
	}
	want := p.wantActiveLocked()
	if want != p.wantActive || p.flushReq {
		p.wantActive = want
		select {
		case p.kick <- struct{}{}:
		default:
		}
	}
}

func (p *Player) wantActiveLocked() bool {
	return !p.closed && p.outErr == nil && p.tr != nil && !p.paused
}

// ---- starting and ending tracks

func (p *Player) closeTrackLocked() {
	if p.tr != nil {
		p.tr.close()
		p.tr = nil
	}
}

// openLocked makes a track for src. Library files are opened and indexed here, so errors show
// at once; growing files and downloads are indexed as they arrive, by the pull path.
func (p *Player) openLocked(src Source) (*track, error) {
	now := p.now()
	t := &track{src: src, stall: p.opts.StallTimeout}
	switch {
	case src.URL != "":
		if src.Path == "" {
			return nil, errors.New("a streaming source needs a Path to store the download")
		}
		if fileExists(src.Path) { // a finished download: no network
			break
		}
		d, err := p.ensureDownloadLocked(src)
		if err != nil {
			return nil, err
		}
		t.fd = growingFeed(d.part, d.path, d.prog, now)
	case src.Path == "":
		return nil, ErrNoSource
	case src.Growing && src.Progress == nil:
		return nil, errors.New("a growing file needs a Progress")
	case src.Growing && (!src.Progress.finished() || src.Progress.Err() != nil):
		t.fd = growingFeed(src.Path, "", src.Progress, now)
	}
	if t.fd == nil {
		fd, err := openFeed(src.Path)
		if err != nil {
			return nil, err
		}
		t.fd = fd
	}
	t.load(now)
	if t.err != nil {
		t.close()
		return nil, t.err
	}
	return t, nil
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// startLocked makes e the current track and opens it. On failure nothing plays and the error is
// reported.
func (p *Player) startLocked(e *entry) error {
	p.closeTrackLocked()
	p.gen++
	p.cur = e
	p.paused = false
	p.ended = false
	p.lastPosSent = -1
	t, err := p.openLocked(e.src)
	if err != nil {
		err = &PlayError{Title: e.src.title(), Err: err}
		p.emitLocked(EventTrackChanged)
		p.reportLocked(err)
		return err // the caller reports the state: stopped, or the next track
	}
	p.tr = t
	p.emitLocked(EventTrackChanged)
	p.changedLocked()
	return nil
}

func (p *Player) reportLocked(err error) {
	p.lastErr = err
	p.runErrs = append(p.runErrs, err)
	p.emitErrLocked(err)
}

// playLocked is a user's start: the error stops playback (no surprise jump to another track).
func (p *Player) playLocked(e *entry) error {
	if p.closed {
		return ErrClosed
	}
	p.runErrs, p.failures = nil, 0
	p.flushReq = true
	err := p.startLocked(e)
	p.changedLocked()
	return err
}

// advanceLocked is the end of the current track (err says why it ended early): repeat it, go to
// the next, skipping files that cannot be opened, or finish the queue.
func (p *Player) advanceLocked(err error) {
	if err != nil {
		p.reportLocked(err)
		p.failures++
	} else {
		p.failures = 0
	}
	if err == nil && p.repeat == RepeatOne && p.tr != nil {
		p.gen++
		p.tr.seek(0)
		p.lastPosSent = -1
		p.emitLocked(EventTrackChanged)
		return
	}
	for {
		next := p.nextEntryLocked()
		if next == nil || p.failures >= max(1, len(p.queue)) {
			p.finishLocked()
			return
		}
		if p.startLocked(next) == nil {
			return
		}
		p.failures++
	}
}

// finishLocked: the queue played to its end.
func (p *Player) finishLocked() {
	p.closeTrackLocked()
	p.gen++
	p.paused = false
	p.ended = true
	p.emitLocked(EventEnded)
	p.changedLocked()
}

// ---- controls

// Play puts src right after the current track in the queue and plays it now. It returns the
// new play generation. A library file that cannot be played is reported at once (Error event,
// Status.Err, Wait) and nothing plays.
func (p *Player) Play(src Source) uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return p.gen
	}
	e := &entry{src: src}
	p.insertAfterCurrentLocked(e)
	p.emitLocked(EventQueueChanged)
	p.playLocked(e)
	return p.gen
}

// PlayIndex plays the queue's item i.
func (p *Player) PlayIndex(i int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i < 0 || i >= len(p.queue) {
		return errors.New(i18n.T("player.err.no_queue_item", i, len(p.queue)))
	}
	return p.playLocked(p.queue[i])
}

// Pause pauses; the position stays where it is and the output goes idle.
func (p *Player) Pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tr == nil || p.paused {
		return
	}
	p.paused = true
	p.changedLocked()
}

// Resume continues after Pause. When stopped it plays the current track (or the queue's first)
// from the start.
func (p *Player) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	if p.tr != nil {
		if p.paused {
			p.paused = false
			p.changedLocked()
		}
		return
	}
	e := p.cur
	if e == nil || p.indexLocked(e) < 0 {
		e = p.firstEntryLocked()
	}
	if e != nil {
		p.playLocked(e)
	}
}

// Toggle pauses when playing, resumes otherwise.
func (p *Player) Toggle() {
	p.mu.Lock()
	playing := p.tr != nil && !p.paused
	p.mu.Unlock()
	if playing {
		p.Pause()
	} else {
		p.Resume()
	}
}

// Stop stops playback; the current track stays selected (Resume plays it from the start).
func (p *Player) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopLocked()
}

func (p *Player) stopLocked() {
	if p.tr == nil && !p.paused {
		return
	}
	p.closeTrackLocked()
	p.gen++
	p.paused = false
	p.flushReq = true
	p.changedLocked()
}

// Next plays the next track (by shuffle order when shuffled; wraps with RepeatAll). At the end
// of the queue it stops and sends EventEnded.
func (p *Player) Next() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	if next := p.nextEntryLocked(); next != nil {
		p.playLocked(next)
		return
	}
	if p.tr != nil {
		p.flushReq = true
		p.finishLocked()
	}
}

// restartThreshold: Previous after this much of a track restarts it, like most players.
const restartThreshold = 3 * time.Second

// Previous restarts the track when more than 3 s have played, else plays the previous one.
func (p *Player) Previous() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	if p.tr != nil && p.tr.position() > restartThreshold {
		p.gen++
		p.tr.seek(0)
		p.lastPosSent = -1
		p.flushReq = true
		p.emitLocked(EventTrackChanged)
		p.changedLocked()
		return
	}
	prev := p.prevEntryLocked()
	if prev == nil {
		prev = p.cur
	}
	if prev != nil {
		p.playLocked(prev)
	}
}

// Seek moves to d from the start of the track, clamped to [0, length] and, while a file is still
// arriving, to what has arrived. It returns the new position.
func (p *Player) Seek(d time.Duration) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seekLocked(d)
}

// SeekBy moves by delta (negative: back).
func (p *Player) SeekBy(delta time.Duration) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tr == nil {
		return 0
	}
	return p.seekLocked(p.tr.position() + delta)
}

func (p *Player) seekLocked(d time.Duration) time.Duration {
	if p.tr == nil {
		return 0
	}
	out := int(math.Round(d.Seconds() * OutputRate))
	if d < 0 {
		out = 0
	}
	p.tr.seek(out)
	p.flushReq = true
	p.lastPosSent = p.tr.pos()
	p.emitLocked(EventPosition)
	p.changedLocked()
	return p.tr.position()
}

// MaxVolume is the top of the volume range, in percent.
const MaxVolume = 150

// SetVolume sets the volume in percent (linear gain: 50 halves the amplitude), clamped to
// 0-150, and returns the value set. Saving it in the settings is the caller's job.
func (p *Player) SetVolume(pct int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.volume = max(0, min(MaxVolume, pct))
	p.applyVolumeLocked()
	p.emitLocked(EventState)
	return p.volume
}

// AdjustVolume changes the volume by delta percent and returns the new value.
func (p *Player) AdjustVolume(delta int) int {
	return p.SetVolume(p.Volume() + delta)
}

// Volume is the volume in percent.
func (p *Player) Volume() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.volume
}

// ToggleMute mutes or unmutes (the volume is kept) and returns whether it is now muted.
func (p *Player) ToggleMute() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.muted = !p.muted
	p.applyVolumeLocked()
	p.emitLocked(EventState)
	return p.muted
}

// applyVolumeLocked maps the percentage onto beep's exponential Volume: gain = 2^Volume, so
// Volume = log2(pct/100) gives a linear gain of pct/100 (and exactly 0.5 for 50%).
func (p *Player) applyVolumeLocked() {
	p.vol.Silent = p.muted || p.volume == 0
	if p.volume > 0 {
		p.vol.Volume = math.Log2(float64(p.volume) / 100)
	}
}

// SetRepeat sets the repeat mode.
func (p *Player) SetRepeat(r Repeat) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.repeat = r
	p.emitLocked(EventState)
}

// CycleRepeat goes off -> all -> one -> off and returns the new mode.
func (p *Player) CycleRepeat() Repeat {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.repeat = (p.repeat + 1) % 3
	p.emitLocked(EventState)
	return p.repeat
}

// SetShuffle turns shuffle on (a new random order, the current track first) or off.
func (p *Player) SetShuffle(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.setShuffleLocked(on)
}

// ToggleShuffle flips shuffle and returns the new setting.
func (p *Player) ToggleShuffle() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.setShuffleLocked(!p.shuffle)
	return p.shuffle
}

func (p *Player) setShuffleLocked(on bool) {
	p.shuffle = on
	p.order = nil
	if on {
		p.reshuffleLocked(true)
	}
	p.emitLocked(EventState)
}

// Status returns a snapshot.
func (p *Player) Status() Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := Status{
		State:       p.stateLocked(),
		Index:       -1,
		Volume:      p.volume,
		Muted:       p.muted,
		Repeat:      p.repeat,
		Shuffle:     p.shuffle,
		QueueLen:    len(p.queue),
		Output:      p.out.Name(),
		OutputErr:   p.outErr,
		OutputReady: p.outStarted && p.outErr == nil,
		Err:         p.lastErr,
		Gen:         p.gen,
	}
	if p.cur != nil {
		s.Track = p.cur.src
		s.Index = p.indexLocked(p.cur)
	}
	if p.tr != nil {
		s.Position, s.Duration, s.Buffered = p.tr.position(), p.tr.duration(), p.tr.buffered()
	}
	return s
}

// Wait blocks until playback stops: the queue ended (then it also waits for the output to play
// what it still holds), Stop was called, or there is no audio output. It returns the errors of
// tracks that failed since the last Play/PlayIndex (errors.Join), the output's error, or
// ctx.Err(). It returns at once when nothing plays.
func (p *Player) Wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return ErrClosed
		}
		switch p.stateLocked() {
		case NoOutput:
			err := p.outErr
			p.mu.Unlock()
			return err
		case Stopped:
			err, drain := errors.Join(p.runErrs...), p.ended
			p.mu.Unlock()
			if drain {
				t := time.NewTimer(min(p.out.Latency(), 2*time.Second))
				defer t.Stop()
				select {
				case <-t.C:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return err
		}
		if p.stopCh == nil {
			p.stopCh = make(chan struct{})
		}
		ch := p.stopCh
		p.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Close stops playback, cancels downloads (their .part files are removed), stops the output
// and closes the Events channel. It waits for the player's goroutines to end.
func (p *Player) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.closeTrackLocked()
	p.changedLocked()
	p.dlCancel()
	p.mu.Unlock()

	p.ev.mu.Lock()
	p.ev.closed = true
	p.ev.mu.Unlock()
	close(p.quit)
	p.wg.Wait()
	// A device that never finishes opening must not make Close (and quitting the studio) hang:
	// wait a little for it, then leave its goroutine behind.
	select {
	case <-p.startDone:
	case <-time.After(closeStartWait):
	}
	if p.ownClient {
		p.client.CloseIdleConnections()
	}
	err := p.out.Close()
	p.ev.mu.Lock()
	if p.ev.out != nil && p.ev.on {
		close(p.ev.out)
	}
	p.ev.mu.Unlock()
	return err
}

// ---- the output

// closeStartWait bounds how long Close waits for an output that is still opening.
const closeStartWait = 2 * time.Second

func (p *Player) startOutput() {
	defer close(p.startDone)
	timer := time.AfterFunc(p.opts.OutputTimeout, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.closed || p.outStarted || p.outErr != nil {
			return
		}
		p.outErr = &OutputError{Output: p.out.Name(), Reason: i18n.T("player.err.device_silent"), Hint: deviceHint()}
		p.outPending = true
		p.emitErrLocked(p.outErr)
		p.changedLocked()
	})
	err := p.out.Start(rootStreamer{p})
	timer.Stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		var oe *OutputError
		if !errors.As(err, &oe) {
			oe = &OutputError{Output: p.out.Name(), Reason: err.Error(), Hint: deviceHint()}
		}
		p.outErr, p.outPending = oe, false
		p.emitErrLocked(oe)
	} else {
		p.outStarted = true
		if p.outPending {
			p.outErr, p.outPending = nil, false
		}
	}
	p.flushReq = true // makes changedLocked kick the control goroutine
	p.changedLocked()
}

func (p *Player) outputFailed(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.outErr != nil {
		return
	}
	p.outErr = err
	p.emitErrLocked(err)
	p.changedLocked()
}

// healthInterval is how often an active output is checked (a variable for tests).
var healthInterval = 500 * time.Millisecond

const (
	// stallChecks: a paced output that pulled nothing for this many health checks (5 s) while
	// active is stuck (beep's speaker hangs silently in that case). Not less: PulseAudio's null
	// sink can hold a starting stream for up to 2 s.
	stallChecks = 10
)

// control is the only caller of the output's methods after Start. It sleeps until kicked; a
// health ticker runs only while the output is active.
func (p *Player) control() {
	defer p.wg.Done()
	var (
		ticker    *time.Ticker
		tick      <-chan time.Time
		active    bool
		lastPulls uint64
		still     int
	)
	defer func() {
		if ticker != nil {
			ticker.Stop()
		}
	}()
	for {
		select {
		case <-p.quit:
			return
		case <-p.kick:
		case <-tick:
			if err := p.out.Err(); err != nil {
				p.outputFailed(err)
				break
			}
			if po, ok := p.out.(pacedOutput); ok && po.paced() {
				if n := p.pulls.Load(); n != lastPulls {
					lastPulls, still = n, 0
				} else if still++; still >= stallChecks {
					p.outputFailed(&OutputError{Output: p.out.Name(), Reason: i18n.T("player.err.device_stopped"), Hint: deviceHint()})
				}
			}
		}
		p.mu.Lock()
		started, want, flush := p.outStarted, p.wantActiveLocked(), p.flushReq
		p.flushReq = false
		p.mu.Unlock()
		if !started {
			continue
		}
		if flush {
			p.out.Flush()
		}
		if want != active {
			p.out.SetActive(want)
			active = want
		}
		if active && ticker == nil {
			ticker = time.NewTicker(healthInterval)
			tick, lastPulls, still = ticker.C, p.pulls.Load(), 0
		} else if !active && ticker != nil {
			ticker.Stop()
			ticker, tick = nil, nil
		}
	}
}

package player

import (
	"sync"
	"time"
)

// State is what the player is doing.
type State int

const (
	Stopped   State = iota
	Loading         // a track is chosen but no audio has arrived yet (streaming start)
	Playing         //
	Paused          //
	Buffering       // a growing file ran out of arrived audio: silence until more comes
	NoOutput        // no usable audio device: see Status.OutputErr; everything else works
)

func (s State) String() string {
	switch s {
	case Stopped:
		return "stopped"
	case Loading:
		return "loading"
	case Playing:
		return "playing"
	case Paused:
		return "paused"
	case Buffering:
		return "buffering"
	case NoOutput:
		return "no audio output"
	}
	return "unknown"
}

// Repeat is the repeat mode.
type Repeat int

const (
	RepeatOff Repeat = iota
	RepeatAll
	RepeatOne
)

func (r Repeat) String() string {
	switch r {
	case RepeatAll:
		return "all"
	case RepeatOne:
		return "one"
	}
	return "off"
}

// EventKind says what an Event reports.
type EventKind int

const (
	EventState        EventKind = iota + 1 // State, volume, mute, repeat, shuffle or output changed: re-read Status
	EventPosition                          // Position moved (at most ~10 per second, only while playing)
	EventError                             // Err: a track could not be played, or the output failed
	EventTrackChanged                      // Track is now current (also when a track restarts)
	EventQueueChanged                      // the queue's items changed: re-read Items
	EventEnded                             // the queue played to its end
)

func (k EventKind) String() string {
	switch k {
	case EventState:
		return "state"
	case EventPosition:
		return "position"
	case EventError:
		return "error"
	case EventTrackChanged:
		return "track"
	case EventQueueChanged:
		return "queue"
	case EventEnded:
		return "ended"
	}
	return "unknown"
}

// Event is one thing the UI may want to show. Gen is the play generation when it was sent: it
// grows with every Play, Next, Previous, Stop and track change, so a consumer that handles events
// asynchronously drops any whose Gen is lower than the newest it has seen.
type Event struct {
	Gen      uint64
	Kind     EventKind
	State    State
	Position time.Duration
	Duration time.Duration
	// Buffered is how much of the track has arrived (equal to Duration for a complete file).
	Buffered time.Duration
	Err      error
	Track    Source
}

// positionInterval caps Position events at about 10 per second.
const positionInterval = 100 * time.Millisecond

// eventQueue hands events from the player (including the audio pull path, which must never
// block) to one consumer channel. It queues without bound but coalesces Position events, so the
// queue only grows with user actions; nothing is queued until someone asks for Events.
type eventQueue struct {
	mu     sync.Mutex
	on     bool
	closed bool
	q      []Event
	sig    chan struct{}
	out    chan Event
}

func (e *eventQueue) push(ev Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.on || e.closed {
		return
	}
	if ev.Kind == EventPosition && len(e.q) > 0 && e.q[len(e.q)-1].Kind == EventPosition {
		e.q[len(e.q)-1] = ev
	} else {
		if len(e.q) >= 4096 { // a consumer that stopped reading: keep the newest
			e.q = append(e.q[:0], e.q[1:]...)
		}
		e.q = append(e.q, ev)
	}
	select {
	case e.sig <- struct{}{}:
	default:
	}
}

func (e *eventQueue) take() []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	q := e.q
	e.q = nil
	return q
}

// Events returns the channel of events, for one consumer. Events start being recorded at the
// first call. The channel is closed by Close.
func (p *Player) Events() <-chan Event {
	p.ev.mu.Lock()
	defer p.ev.mu.Unlock()
	if p.ev.out != nil {
		return p.ev.out
	}
	p.ev.out = make(chan Event, 64)
	if p.ev.closed {
		close(p.ev.out)
		return p.ev.out
	}
	p.ev.on = true
	p.ev.sig = make(chan struct{}, 1)
	p.wg.Add(1)
	go p.dispatch()
	return p.ev.out
}

func (p *Player) dispatch() {
	defer p.wg.Done()
	for {
		select {
		case <-p.quit:
			return
		case <-p.ev.sig:
		}
		for batch := p.ev.take(); len(batch) > 0; batch = p.ev.take() {
			for _, ev := range batch {
				select {
				case p.ev.out <- ev:
				case <-p.quit:
					return
				}
			}
		}
	}
}

// eventLocked fills in what every event carries.
func (p *Player) eventLocked(kind EventKind) Event {
	ev := Event{Gen: p.gen, Kind: kind, State: p.stateLocked()}
	if p.cur != nil {
		ev.Track = p.cur.src
	}
	if p.tr != nil {
		ev.Position, ev.Duration, ev.Buffered = p.tr.position(), p.tr.duration(), p.tr.buffered()
	}
	return ev
}

func (p *Player) emitLocked(kind EventKind) { p.ev.push(p.eventLocked(kind)) }

func (p *Player) emitErrLocked(err error) {
	ev := p.eventLocked(EventError)
	ev.Err = err
	p.ev.push(ev)
}

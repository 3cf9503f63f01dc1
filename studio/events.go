package studio

import (
	"sync"

	"sunostudio/store"
)

// EventKind says what changed.
type EventKind int

const (
	// TaskUpdated: a task's state changed (and was persisted).
	TaskUpdated EventKind = iota + 1
	// ClipUpdated: a clip's state, URLs or local files changed (and were persisted).
	ClipUpdated
	// DownloadProgress: bytes of a clip's audio arrived; not persisted.
	DownloadProgress
	// QuotaUpdated: the relay's balance was read.
	QuotaUpdated
	// Problem: something failed that the user should see (a poll error, a download error).
	Problem
	// PeaksReady: a clip's waveform was computed and stored (Event.Clip); read it with Peaks.
	PeaksReady
)

// Event is published after the change it reports was persisted.
type Event struct {
	Kind EventKind
	Task *store.Task
	Clip *store.Clip
	// Bytes and Total report download progress; Total is 0 when unknown.
	Bytes, Total int64
	// Path is where a clip's audio is being written while it downloads (progressive play).
	Path  string
	Quota *Quota
	Err   error
}

// Subscription delivers events in order. Its queue is unbounded so that a slow reader never
// stalls the engine; a reader that stops reading must Close.
type Subscription struct {
	b      *broker
	mu     sync.Mutex
	queue  []Event
	notify chan struct{}
	out    chan Event
	done   chan struct{}
	once   sync.Once
}

// C is the channel of events. It is closed after Close or when the engine closes.
func (s *Subscription) C() <-chan Event { return s.out }

// Close stops delivery and releases the subscription.
func (s *Subscription) Close() {
	s.once.Do(func() {
		s.b.remove(s)
		close(s.done)
	})
}

func (s *Subscription) push(ev Event) {
	s.mu.Lock()
	s.queue = append(s.queue, ev)
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

func (s *Subscription) pump() {
	defer close(s.out)
	for {
		s.mu.Lock()
		batch := s.queue
		s.queue = nil
		s.mu.Unlock()
		for _, ev := range batch {
			select {
			case s.out <- ev:
			case <-s.done:
				return
			}
		}
		select {
		case <-s.notify:
		case <-s.done:
			return
		}
	}
}

type broker struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

func (b *broker) subscribe() *Subscription {
	s := &Subscription{b: b, notify: make(chan struct{}, 1), out: make(chan Event), done: make(chan struct{})}
	b.mu.Lock()
	if b.subs == nil {
		b.subs = map[*Subscription]struct{}{}
	}
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	go s.pump()
	return s
}

func (b *broker) remove(s *Subscription) {
	b.mu.Lock()
	delete(b.subs, s)
	b.mu.Unlock()
}

func (b *broker) publish(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		s.push(ev)
	}
}

func (b *broker) closeAll() {
	b.mu.Lock()
	subs := make([]*Subscription, 0, len(b.subs))
	for s := range b.subs {
		subs = append(subs, s)
	}
	b.mu.Unlock()
	for _, s := range subs {
		s.Close()
	}
}

package player

import (
	"errors"
	"slices"

	"sunostudio/internal/i18n"
)

// The queue holds entries (pointers), so the current track and the shuffle order keep their
// identity while items are added, removed and moved. While shuffled, order is a permutation of
// the queue; Next and Previous walk it, and with RepeatAll a new permutation is drawn at the end.

func (p *Player) indexLocked(e *entry) int { return slices.Index(p.queue, e) }

func (p *Player) firstEntryLocked() *entry {
	if p.shuffle && len(p.order) > 0 {
		return p.order[0]
	}
	if len(p.queue) > 0 {
		return p.queue[0]
	}
	return nil
}

func (p *Player) nextEntryLocked() *entry {
	if len(p.queue) == 0 {
		return nil
	}
	list := p.queue
	if p.shuffle {
		list = p.order
	}
	i := slices.Index(list, p.cur) // -1 when nothing played yet: the first one
	if i+1 < len(list) {
		return list[i+1]
	}
	if p.repeat != RepeatAll {
		return nil
	}
	if p.shuffle {
		p.reshuffleLocked(false)
		return p.order[0]
	}
	return list[0]
}

func (p *Player) prevEntryLocked() *entry {
	list := p.queue
	if p.shuffle {
		list = p.order
	}
	i := slices.Index(list, p.cur)
	switch {
	case i > 0:
		return list[i-1]
	case i == 0 && p.repeat == RepeatAll:
		return list[len(list)-1]
	}
	return nil
}

// reshuffleLocked draws a new play order. curFirst puts the current track first (shuffle just
// turned on: it keeps playing and the rest follows in random order); otherwise (a new round of
// RepeatAll) the current track is kept away from the first place, so it does not play twice in a
// row.
func (p *Player) reshuffleLocked(curFirst bool) {
	p.order = slices.Clone(p.queue)
	p.rng.Shuffle(len(p.order), func(i, j int) { p.order[i], p.order[j] = p.order[j], p.order[i] })
	i := slices.Index(p.order, p.cur)
	switch {
	case i < 0:
	case curFirst:
		p.order[0], p.order[i] = p.order[i], p.order[0]
	case i == 0 && len(p.order) > 1:
		j := 1 + p.rng.IntN(len(p.order)-1)
		p.order[0], p.order[j] = p.order[j], p.order[0]
	}
}

func (p *Player) insertAfterCurrentLocked(e *entry) {
	i := p.indexLocked(p.cur) + 1 // 0 when there is no current track
	p.queue = slices.Insert(p.queue, i, e)
	if p.shuffle {
		j := slices.Index(p.order, p.cur) + 1
		p.order = slices.Insert(p.order, j, e)
	}
}

// Add appends sources to the queue. While shuffled each lands at a random place among the
// tracks still to come.
func (p *Player) Add(srcs ...Source) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(srcs) == 0 {
		return
	}
	for _, s := range srcs {
		e := &entry{src: s}
		p.queue = append(p.queue, e)
		if p.shuffle {
			from := slices.Index(p.order, p.cur) + 1
			at := from + p.rng.IntN(len(p.order)-from+1)
			p.order = slices.Insert(p.order, at, e)
		}
	}
	p.emitLocked(EventQueueChanged)
}

// InsertNext puts src right after the current track (first when there is none).
func (p *Player) InsertNext(src Source) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.insertAfterCurrentLocked(&entry{src: src})
	p.emitLocked(EventQueueChanged)
}

// Remove takes item i out of the queue. Removing the current track plays the item that takes
// its place (paused if it was paused), or stops when there is none.
func (p *Player) Remove(i int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i < 0 || i >= len(p.queue) {
		return errors.New(i18n.T("player.err.no_queue_item", i, len(p.queue)))
	}
	e := p.queue[i]
	p.queue = slices.Delete(p.queue, i, i+1)
	oi := slices.Index(p.order, e)
	if oi >= 0 {
		p.order = slices.Delete(p.order, oi, oi+1)
	}
	p.emitLocked(EventQueueChanged)
	if e != p.cur {
		return nil
	}
	list, at := p.queue, i
	if p.shuffle {
		list, at = p.order, oi
	}
	var repl *entry
	switch {
	case at >= 0 && at < len(list):
		repl = list[at]
	case len(list) > 0 && p.repeat == RepeatAll:
		repl = list[0]
	}
	if p.tr == nil {
		p.cur = repl
		return nil
	}
	if repl == nil {
		p.stopLocked()
		p.cur = nil
		return nil
	}
	paused := p.paused
	p.playLocked(repl)
	if paused && p.tr != nil {
		p.paused = true
		p.changedLocked()
	}
	return nil
}

// Move moves item from to index to (the items between shift by one).
func (p *Player) Move(from, to int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.queue)
	if from < 0 || from >= n || to < 0 || to >= n {
		return errors.New(i18n.T("player.err.cannot_move", from, to, n))
	}
	if from == to {
		return nil
	}
	e := p.queue[from]
	p.queue = slices.Insert(slices.Delete(p.queue, from, from+1), to, e)
	p.emitLocked(EventQueueChanged)
	return nil
}

// Clear empties the queue and stops playback.
func (p *Player) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopLocked()
	p.queue, p.order, p.cur = nil, nil, nil
	p.emitLocked(EventQueueChanged)
	p.changedLocked()
}

// Items returns a copy of the queue.
func (p *Player) Items() []Source {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Source, len(p.queue))
	for i, e := range p.queue {
		out[i] = e.src
	}
	return out
}

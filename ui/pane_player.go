package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"sunostudio/internal/i18n"
	"sunostudio/player"
	"sunostudio/themes"
)

// playerPane is the player bar: two lines at the bottom of the screen.
type playerPane struct {
	st  player.Status
	has bool // a status arrived
	// gen is the newest play generation seen; events from older ones are dropped.
	gen uint64
	// The progress bar's place on the screen, for click-to-seek: columns [barX, barX+barW) of
	// the bar's line.
	barX, barW int
	// Volume persistence: only a change the user made with the volume keys is saved (a
	// status read at start shows the player's default, not the user's choice).
	savedVolume   int
	volumeChanged bool
	lastErr       string
}

// apply takes a player event (and the status read with it); it reports whether anything
// visible changed and the event was current.
func (p *playerPane) apply(ev player.Event, st *player.Status) (changed bool) {
	if ev.Gen < p.gen {
		return false // stale: from a track that is no longer current
	}
	p.gen = ev.Gen
	before := p.signature()
	if st != nil {
		p.st, p.has = *st, true
	} else {
		p.st.Position, p.st.Duration, p.st.Buffered = ev.Position, ev.Duration, ev.Buffered
		if ev.Kind != player.EventPosition {
			p.st.State = ev.State
		}
		p.has = true
	}
	if ev.Kind == player.EventError && ev.Err != nil {
		p.lastErr = ev.Err.Error()
	}
	return p.signature() != before || ev.Kind == player.EventError
}

// signature is what the bar shows, at the bar's resolution: a position event that does not
// move the shown second changes nothing and causes no render.
func (p *playerPane) signature() string {
	s := p.st
	return fmt.Sprintf("%d|%s|%d|%d|%d|%v|%d|%v|%d|%v|%s|%d", s.State, s.Track.ID, s.Position/time.Second,
		s.Duration/time.Second, s.Volume, s.Muted, s.Repeat, s.Shuffle, s.QueueLen, s.OutputErr != nil,
		p.lastErr, s.Position*200/max(1, s.Duration))
}

func stateIcon(s player.State) string {
	switch s {
	case player.Playing:
		return "▶"
	case player.Paused:
		return "‖"
	case player.Loading, player.Buffering:
		return "…"
	case player.NoOutput:
		return "✗"
	}
	return "■"
}

// stateText is the player's state in words (player.State's String is the stable word, for
// logs and --json).
func stateText(s player.State) string {
	switch s {
	case player.Stopped:
		return i18n.T("player.state.stopped")
	case player.Loading:
		return i18n.T("player.state.loading")
	case player.Playing:
		return i18n.T("player.state.playing")
	case player.Paused:
		return i18n.T("player.state.paused")
	case player.Buffering:
		return i18n.T("player.state.buffering")
	case player.NoOutput:
		return i18n.T("player.state.no_output")
	}
	return i18n.T("player.state.unknown")
}

// repeatText is the repeat mode in words, for the info line.
func repeatText(r player.Repeat) string {
	switch r {
	case player.RepeatAll:
		return i18n.T("player.repeat.all")
	case player.RepeatOne:
		return i18n.T("player.repeat.one")
	}
	return i18n.T("player.repeat.off")
}

// view renders the two lines; x0 is the pane's left column on screen (for the bar's place).
// barExtras is what the root adds to the bar: the A/B take label, the track's waveform and
// the points marked on it.
type barExtras struct {
	take  string
	peaks []float32
	marks *marks
	// lyric is the current line of the synced lyrics, styled ("" when there are none).
	lyric string
}

func (p *playerPane) view(st *themes.Styles, w int, x0 int, ex barExtras) []string {
	s := p.st
	title := line(s.Track.Title)
	if title == "" && s.Track.ID != "" {
		title = s.Track.ID
	}
	var top string
	if !p.has || title == "" {
		top = st.Muted.Render(i18n.T("player.nothing_playing"))
		p.barW = 0
	} else {
		icon := stateIcon(s.State)
		pos, dur := clock(s.Position), clock(s.Duration)
		if s.Duration <= 0 {
			dur = "-:--"
		}
		titleW := min(max(10, w*2/5), width(title)+1)
		left := st.Accent.Render(icon) + " " + st.Bold.Render(fit(title, titleW))
		leftW := 2 + titleW
		barW := w - leftW - len(pos) - len(dur) - 4
		if barW < 6 {
			barW = 0
		}
		bar := ""
		if barW > 0 {
			bar = " " + p.bar(st, barW, ex) + " "
		}
		p.barX, p.barW = x0+leftW+1+len(pos)+1, barW
		top = left + " " + st.Muted.Render(pos) + bar + st.Muted.Render(dur)
	}
	return []string{fit(top, w), fit(p.infoLine(st, w, ex), w)}
}

// bar draws position and buffered audio: ━ played, ─ buffered, · not arrived yet.
// With the track's waveform it draws that instead (waveBar), and marked points either way.
func (p *playerPane) bar(st *themes.Styles, w int, ex barExtras) string {
	s := p.st
	if s.Duration <= 0 {
		return st.BarEmpty.Render(strings.Repeat("─", w))
	}
	played := int(int64(w) * int64(s.Position) / int64(s.Duration))
	buf := int(int64(w) * int64(s.Buffered) / int64(s.Duration))
	played = max(0, min(w, played))
	buf = max(played, min(w, buf))
	if cols := markCols(ex.marks, s.Duration.Seconds(), w); len(ex.peaks) > 0 || len(cols) > 0 {
		return waveBar(st, ex.peaks, w, played, buf, cols)
	}
	return st.BarFull.Render(strings.Repeat("━", played)) +
		st.BarEmpty.Render(strings.Repeat("─", buf-played)) +
		st.Muted.Render(strings.Repeat("·", w-buf))
}

func (p *playerPane) infoLine(st *themes.Styles, w int, ex barExtras) string {
	s := p.st
	var oe *player.OutputError
	if s.State == player.NoOutput || s.OutputErr != nil {
		msg := i18n.T("player.no_output")
		if errors.As(s.OutputErr, &oe) {
			msg = i18n.T("player.no_output_because", line(oe.Reason))
			if oe.Hint != "" {
				msg = i18n.T("player.no_output_hint", line(oe.Reason), line(oe.Hint))
			}
		} else if s.OutputErr != nil {
			msg = i18n.T("player.no_output_because", line(s.OutputErr.Error()))
		}
		// The badge's width by cells: the message gets the rest of the line.
		badge := i18n.T("player.no_audio_badge")
		return st.BadgeError.Render(badge) + " " + st.Warn.Render(trunc(msg, w-width(badge)-1))
	}
	vol := i18n.T("player.volume", s.Volume)
	if s.Muted {
		vol = i18n.T("player.muted")
	}
	parts := []string{stateText(s.State), vol, i18n.T("player.queue", s.QueueLen), repeatText(s.Repeat)}
	if s.Shuffle {
		parts = append(parts, i18n.T("player.shuffle"))
	}
	if ex.take != "" {
		parts = append(parts, ex.take)
	}
	if !p.has {
		parts = []string{stateText(player.Stopped), i18n.T("player.queue", 0)}
	}
	left := st.Muted.Render(strings.Join(parts, " · "))
	if p.lastErr != "" && s.State != player.Playing {
		return spread(left, " "+st.Error.Render(trunc(line(p.lastErr), w/2)), w)
	}
	if ex.lyric != "" {
		// The line being sung comes first; the player's state keeps what is left on the right.
		state := strings.Join(parts[:min(2, len(parts))], " · ")
		if ex.take != "" {
			state += " · " + ex.take
		}
		return spread(ex.lyric, " "+st.Muted.Render(state), w)
	}
	return left
}

// seekAt converts a click at screen column x on the bar into a position.
func (p *playerPane) seekAt(x int) (time.Duration, bool) {
	if p.barW <= 0 || x < p.barX || x >= p.barX+p.barW || p.st.Duration <= 0 {
		return 0, false
	}
	frac := (float64(x-p.barX) + 0.5) / float64(p.barW)
	return time.Duration(frac * float64(p.st.Duration)), true
}

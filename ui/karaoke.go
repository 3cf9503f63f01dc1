package ui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/internal/lyricsync"
	"sunostudio/store"
	"sunostudio/studio"
	"sunostudio/themes"
)

// Synced lyrics: when a clip starts playing its timing (Engine.Timing: the library's copy, or
// asked of the relay once and kept) is read in a Cmd; from then on the lyrics follow the
// player's position (lyricsync's At, a binary search, so a seek lands on the right word at
// once): the current line in the player bar, and the whole song in a full-screen karaoke view.

// synced is the current track's synced lyrics, or why there are none.
type synced struct {
	id      string
	ly      *lyricsync.Lyrics
	err     string // why there are no synced lyrics (the karaoke view says it)
	loading bool
	// at is what the screen shows of the position: a position event that does not move it
	// (same line, word and underline cell) draws nothing.
	at syncKey
}

type syncKey struct {
	line, word, reached, eighth int
	ended                       bool
}

func keyOf(p lyricsync.Position) syncKey {
	return syncKey{line: p.Line, word: p.Word, reached: p.Reached, eighth: int(p.Progress * 8), ended: p.Ended}
}

type timingMsg struct {
	id    string
	words []client.AlignedWord
	err   error
}

// errNoTiming: the relay is known to lack synced lyrics (the log's words; the view says it
// through the catalog).
var errNoTiming = errors.New("this relay does not offer synced lyrics") // i18n:ignore: log text, shown as player.karaoke.not_offered

// timingCmd reads a clip's synced lyrics. askRelay false keeps to the library's copy: a
// track starting on a relay known to lack the endpoint asks nothing (the karaoke key still
// asks, and says why it failed).
func timingCmd(e *studio.Engine, id string, askRelay bool) tea.Cmd {
	return func() tea.Msg {
		if !askRelay && !e.HasTiming(id) {
			return timingMsg{id: id, err: errNoTiming}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		ws, err := e.Timing(ctx, id)
		return timingMsg{id: id, words: ws, err: err}
	}
}

// fetchTiming starts reading the current track's timing.
func (m *Model) fetchTiming(id string, askRelay bool) tea.Cmd {
	m.sync = synced{id: id, loading: true}
	return timingCmd(m.eng, id, askRelay)
}

func (m *Model) handleTiming(msg timingMsg) tea.Cmd {
	if msg.id != m.plr.st.Track.ID || msg.id != m.sync.id {
		m.quiet = true // another track plays now
		return nil
	}
	m.sync.loading = false
	if msg.err != nil {
		m.sync.err = msg.err.Error()
		switch {
		case errors.Is(msg.err, errNoTiming):
			m.sync.err = i18n.T("player.karaoke.not_offered")
		case errors.Is(msg.err, store.ErrNotFound):
			m.sync.err = i18n.T("player.karaoke.not_in_library")
		}
		m.log.Debug("timing", "clip", msg.id, "err", msg.err)
		if errors.Is(msg.err, client.ErrUnsupported) {
			return supportCmd(m.eng) // the engine learnt what the relay is: grey out what it lacks
		}
		return nil
	}
	// Cleaned before the words are cut into lines: a library copy may predate the engine's
	// cleaning (an import), and an escape sequence's "[" would read as a section marker.
	for i := range msg.words {
		msg.words[i].Word = clean(msg.words[i].Word)
	}
	ly := studio.SyncedLyrics(msg.words)
	if len(ly.Lines) == 0 {
		m.sync.err = i18n.T("player.karaoke.no_words")
		return nil
	}
	m.sync.ly = ly
	m.sync.at = keyOf(ly.At(m.plr.st.Position.Seconds()))
	return nil
}

// syncMoved reports whether the position moved what the lyrics show (and remembers it).
func (m *Model) syncMoved() bool {
	if m.sync.ly == nil || m.sync.id != m.plr.st.Track.ID {
		return false
	}
	k := keyOf(m.sync.ly.At(m.plr.st.Position.Seconds()))
	if k == m.sync.at {
		return false
	}
	m.sync.at = k
	return true
}

// lyricsHere is the current track's synced lyrics, nil when there are none.
func (m *Model) lyricsHere() *lyricsync.Lyrics {
	if m.sync.id == "" || m.sync.id != m.plr.st.Track.ID {
		return nil
	}
	return m.sync.ly
}

// karaokeKey toggles the full-screen view; opening it reads the timing if there is none yet
// (asking the relay even when it is known to lack it: the view then says why).
func (m *Model) karaokeKey() tea.Cmd {
	m.karaoke = !m.karaoke
	id := m.plr.st.Track.ID
	if m.karaoke && id != "" && m.sync.id == id && m.sync.ly == nil && !m.sync.loading {
		return m.fetchTiming(id, true)
	}
	return nil
}

// handleKaraokeKey: while the karaoke view is up, the player keys (and the marks, A/B) work,
// esc or the karaoke key close it, and the panes behind get nothing.
func (m *Model) handleKaraokeKey(msg tea.KeyPressMsg) tea.Cmd {
	km := m.keys
	switch {
	case msg.String() == "ctrl+c" || km.is(msg, ActQuit):
		return m.requestQuit()
	case km.is(msg, ActBack) || km.is(msg, ActKaraoke):
		m.karaoke = false
		return nil
	case km.is(msg, ActHelp):
		m.ov = overlay{kind: ovHelp}
		return nil
	}
	if cmd, ok := m.markKey(msg); ok {
		return cmd
	}
	if cmd, ok := m.takeKey(msg); ok {
		return cmd
	}
	if cmd, ok := m.playerKey(msg); ok {
		return cmd
	}
	m.quiet = true
	return nil
}

// barLyric is the player bar's lyric: the current line, words sung so far in the accent
// colour and the word in progress in reverse video; before the first line, the first line
// dimmed.
func barLyric(st *themes.Styles, ly *lyricsync.Lyrics, pos float64, w int) string {
	p := ly.At(pos)
	if p.Line < 0 {
		if p.Next >= 0 {
			return st.Muted.Render(trunc("♪ "+line(ly.Lines[p.Next].Text), w))
		}
		return ""
	}
	return trunc("♪ "+styledLine(st, ly.Lines[p.Line], p, false), w)
}

// styledLine draws a line's words by where the song is: sung (accent), being sung (reverse,
// or bold in the karaoke view, which marks it underneath), to come (plain).
func styledLine(st *themes.Styles, l lyricsync.Line, p lyricsync.Position, big bool) string {
	var b strings.Builder
	for i, f := range l.Words {
		t := line(f.Text)
		switch {
		case i == p.Word && big:
			b.WriteString(st.Accent.Bold(true).Underline(true).Render(t))
		case i == p.Word:
			b.WriteString(st.Selected.Render(t))
		case i < p.Reached:
			b.WriteString(st.Accent.Render(t))
		case big:
			b.WriteString(st.Bold.Render(t))
		default:
			b.WriteString(t)
		}
	}
	return b.String()
}

// underline marks the word in progress under the current line: ━ for the part sung, ─ for
// the rest, so it reads without colour and moves as the word is sung.
func underline(l lyricsync.Line, p lyricsync.Position) string {
	if p.Word < 0 || p.Word >= len(l.Words) {
		return ""
	}
	before := 0
	for _, f := range l.Words[:p.Word] {
		before += width(line(f.Text))
	}
	ww := width(strings.TrimRight(line(l.Words[p.Word].Text), " "))
	if ww == 0 {
		return ""
	}
	done := min(ww, int(math.Round(p.Progress*float64(ww))))
	return strings.Repeat(" ", before) + strings.Repeat("━", done) + strings.Repeat("─", ww-done)
}

// karaokeRows lays out the whole song for the karaoke view: section names, stanza gaps, each
// line centred in w cells; the current line is drawn big with its word in progress marked on
// the row below. cur is the row of the current line (or of the next line before the first).
func karaokeRows(st *themes.Styles, ly *lyricsync.Lyrics, p lyricsync.Position, w int) (rows []string, cur int) {
	cur = -1
	focus := p.Line
	if focus < 0 {
		focus = max(0, p.Next)
	}
	for i, l := range ly.Lines {
		if l.StanzaStart && i > 0 {
			rows = append(rows, "")
		}
		if l.Section != "" {
			rows = append(rows, center(st.Muted.Render(trunc("["+line(l.Section)+"]", w)), w))
		}
		if i == focus {
			cur = len(rows)
		}
		text := line(l.Text)
		tw := width(text)
		switch {
		case i == p.Line:
			pad := max(0, (w-tw)/2)
			rows = append(rows, strings.Repeat(" ", pad)+trunc(styledLine(st, l, p, true), w-pad))
			if u := underline(l, p); u != "" {
				rows = append(rows, st.Accent.Render(trunc(strings.Repeat(" ", pad)+u, w)))
			} else {
				rows = append(rows, "")
			}
		case i < p.Line:
			rows = append(rows, center(st.Muted.Render(trunc(text, w)), w))
		default:
			rows = append(rows, center(trunc(text, w), w))
		}
	}
	if p.Ended {
		rows = append(rows, "", center(st.Muted.Render(i18n.T("player.karaoke.the_end")), w))
	}
	return rows, cur
}

// karaokeView is the full-screen synced lyrics in a frame of w x h.
func (m *Model) karaokeView(w, h int) []string {
	st := &m.sty
	s := m.plr.st
	title := i18n.T("player.karaoke.title")
	if t := line(s.Track.Title); t != "" {
		title = i18n.T("player.karaoke.title_song", t)
	}
	bw, bh := w-4, h-3
	var body []string
	ly := m.lyricsHere()
	switch {
	case s.Track.ID == "":
		body = []string{"", center(st.Muted.Render(i18n.T("player.karaoke.nothing_playing")), bw)}
	case ly == nil && m.sync.id == s.Track.ID && m.sync.loading:
		body = []string{"", center(st.Muted.Render(i18n.T("player.karaoke.loading")), bw)}
	case ly == nil:
		why := m.sync.err
		if why == "" {
			why = i18n.T("player.karaoke.none_yet")
		}
		body = []string{"", center(st.Muted.Render(trunc(i18n.T("player.karaoke.none", line(why)), bw)), bw)}
	default:
		p := ly.At(s.Position.Seconds())
		rows, cur := karaokeRows(st, ly, p, bw)
		// The current line stays a third of the way down (blank rows above the first line),
		// so the song scrolls past like a prompter and more of what comes is visible.
		top := cur - bh/3
		for i := top; i < top+bh; i++ {
			if i >= 0 && i < len(rows) {
				body = append(body, rows[i])
			} else {
				body = append(body, "")
			}
		}
	}
	help := m.helpLine([]Action{ActKaraoke, ActPlayPause, ActSeekBack, ActSeekFwd, ActMarkExtend, ActSwitchTake}, bw)
	info := ""
	if ly != nil {
		info = fmt.Sprintf("%s / %s", clock(s.Position), clock(s.Duration))
	}
	return frame(st, title, info, padLines(body, bw, bh), help, w, h, true)
}

package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"sunostudio/studio"
	"sunostudio/themes"
)

// The player's progress bar draws the current clip's waveform (Engine.Peaks: computed once in
// the background and stored), so the user sees where the chorus starts when marking extend
// or replace points.

// wave is the current track's waveform; want is a track whose peaks are being computed (the
// engine's PeaksReady event says when to ask again).
type wave struct {
	id    string
	peaks []float32
	want  string
}

type peaksMsg struct {
	id    string
	peaks []float32
	ok    bool
}

func peaksCmd(e *studio.Engine, id string) tea.Cmd {
	return func() tea.Msg {
		p, ok := e.Peaks(id)
		return peaksMsg{id: id, peaks: p, ok: ok}
	}
}

func (m *Model) handlePeaks(msg peaksMsg) {
	if msg.id != m.plr.st.Track.ID {
		m.quiet = true // the track changed since
		return
	}
	if !msg.ok || len(msg.peaks) == 0 {
		m.wave = wave{want: msg.id}
		m.quiet = true
		return
	}
	m.wave = wave{id: msg.id, peaks: msg.peaks}
}

// peaksReady asks again for a waveform the engine just computed, if it is the one wanted.
func (m *Model) peaksReady(ev studio.Event) tea.Cmd {
	if ev.Clip == nil || ev.Clip.ID != m.wave.want || ev.Clip.ID != m.plr.st.Track.ID {
		m.quiet = true
		return nil
	}
	return peaksCmd(m.eng, ev.Clip.ID)
}

// barExtras gathers what the player bar shows of the current track beyond the player's state.
func (m *Model) barExtras() barExtras {
	id := m.plr.st.Track.ID
	ex := barExtras{take: m.takeLabel(), marks: m.marks[id]}
	if id != "" && m.wave.id == id {
		ex.peaks = m.wave.peaks
	}
	if ly := m.lyricsHere(); ly != nil && !m.karaoke {
		ex.lyric = barLyric(&m.sty, ly, m.plr.st.Position.Seconds(), m.w*3/5)
	}
	return ex
}

// waveBlocks are the eight levels of a column, quietest first.
var waveBlocks = []rune("▁▂▃▄▅▆▇█")

// waveLevels resamples peaks to w columns (each the loudest peak of its slice, so a short
// loud hit is never averaged away) and scales them to the song's own loudest moment, so a
// quiet song still shows its shape.
func waveLevels(peaks []float32, w int) []int {
	if w <= 0 || len(peaks) == 0 {
		return nil
	}
	var top float32
	for _, v := range peaks {
		top = max(top, v)
	}
	out := make([]int, w)
	n := len(peaks)
	for i := range out {
		a := i * n / w
		b := max(a+1, (i+1)*n/w)
		var v float32
		for _, p := range peaks[a:min(b, n)] {
			v = max(v, p)
		}
		if top > 0 {
			out[i] = min(len(waveBlocks)-1, int(v/top*float32(len(waveBlocks)-1)+0.5))
		}
	}
	return out
}

// waveBar draws the waveform as the progress bar: played columns in the bar colour, buffered
// ones dim, the rest muted; the playhead column is ┃, and marked points show as » (extend
// from here) and [ ] (the section to replace), so they read without colour too.
func waveBar(st *themes.Styles, peaks []float32, w, played, buf int, cols map[int]rune) string {
	levels := waveLevels(peaks, w)
	if levels == nil {
		levels = make([]int, w) // no waveform yet: the marks on the plain bar
	}
	var b strings.Builder
	run := []rune{}
	cur := -1
	flush := func() {
		if len(run) == 0 {
			return
		}
		s := string(run)
		switch cur {
		case 0:
			b.WriteString(st.BarFull.Render(s))
		case 1:
			b.WriteString(st.BarEmpty.Render(s))
		case 2:
			b.WriteString(st.Muted.Render(s))
		case 3:
			b.WriteString(st.Accent.Render(s))
		}
		run = run[:0]
	}
	for i, lv := range levels {
		r, kind := waveBlocks[lv], 2
		if peaks == nil {
			r = '·'
		}
		switch {
		case i < played:
			kind = 0
			if peaks == nil {
				r = '━'
			}
		case i < buf:
			kind = 1
			if peaks == nil {
				r = '─'
			}
		}
		if mr, ok := cols[i]; ok {
			r, kind = mr, 3
		}
		if i == played && played < w && peaks != nil {
			r, kind = '┃', 3
		}
		if kind != cur {
			flush()
			cur = kind
		}
		run = append(run, r)
	}
	flush()
	return b.String()
}

// markCols places a clip's marks on a bar of w cells for a song of dur seconds.
func markCols(mk *marks, dur float64, w int) map[int]rune {
	if mk == nil || dur <= 0 || w <= 0 {
		return nil
	}
	cols := map[int]rune{}
	put := func(at float64, r rune) {
		c := int(at / dur * float64(w))
		cols[max(0, min(w-1, c))] = r
	}
	if mk.hasStart {
		put(mk.start, '[')
	}
	if mk.hasEnd {
		put(mk.end, ']')
	}
	if mk.hasExtend {
		put(mk.extend, '»')
	}
	return cols
}

package ui

import (
	"fmt"
	"strings"
)

// helpGroups is the help overlay: every binding, grouped by where it works.
var helpGroups = []struct {
	title string
	acts  []Action
}{
	{"Everywhere", []Action{ActSubmit, ActNextPane, ActPrevPane, ActBack, ActHelp, ActQuit,
		ActFocusCreate, ActFocusLyrics, ActFocusTasks, ActFocusLib, ActFocusChat}},
	{"Player (outside text fields)", []Action{ActPlayPause, ActNextTrack, ActPrevTrack, ActSeekFwd,
		ActSeekBack, ActVolUp, ActVolDown, ActMute, ActRepeat, ActShuffle, ActSwitchTake, ActKeepTake,
		ActKaraoke, ActMarkExtend, ActMarkStart, ActMarkEnd}},
	{"Lists", []Action{ActUp, ActDown, ActTop, ActBottom, ActPageUp, ActPageDown}},
	{"Create", []Action{ActFieldPrev, ActFieldNext, ActToggle, ActEdit, ActSwitchMode, ActPickModel}},
	{"Lyrics", []Action{ActIntro, ActVerse, ActPreChorus, ActChorus, ActBridge, ActOutro,
		ActWriteLyrics, ActUndoLyrics, ActEdit}},
	{"Tasks", []Action{ActRetry, ActRecheck, ActShowClips}},
	{"Library", []Action{ActFilter, ActPlay, ActQueue, ActFavorite, ActDetails, ActDelete, ActExport,
		ActSort, ActReverse, ActGoToRel}},
	{"Chat", []Action{ActChatSend, ActHistPrev, ActHistNext, ActChatStop, ActChatPrompt, ActChatRerun,
		ActPlay, ActQueue}},
	{"Song craft (Library)", []Action{ActExtend, ActFullSong, ActCover, ActReplace, ActPersona,
		ActPersonaSong, ActStems, ActWAV, ActMP4}},
	{"Dialogs", []Action{ActConfirm, ActCancel, ActUsePosition}},
}

// helpLines renders the groups in columns that fit w cells, returning the lines.
func (m *Model) helpLines(w int) []string {
	// key, what it does, and (muted) the action's name for config.toml's [keys] table.
	const keyW, descW = 13, 25
	var blocks [][]string
	colW := 0
	for _, g := range helpGroups {
		b := []string{m.sty.Accent.Render(g.title)}
		for _, a := range g.acts {
			k, d := m.keys.short(a)
			if m.actionBlocked(a) {
				// Greyed out (and crossed, for NO_COLOR): the relay answered "unsupported" to its
				// extended features.
				b = append(b, m.sty.Muted.Render(fit(k, keyW)+" "+fit("✗ "+d, descW)+" "+string(a)))
				colW = max(colW, keyW+1+descW+1+len(a))
				continue
			}
			b = append(b, m.sty.Key.Render(fit(k, keyW))+" "+fit(d, descW)+" "+m.sty.Muted.Render(string(a)))
			colW = max(colW, keyW+1+descW+1+len(a))
		}
		blocks = append(blocks, append(b, ""))
	}
	colW = min(colW+2, w) // two cells between columns (the last one needs none)
	cols := max(1, (w+2)/colW)
	// Fill columns top to bottom, balancing their heights.
	total := 0
	for _, b := range blocks {
		total += len(b)
	}
	target := (total + cols - 1) / cols
	var columns [][]string
	var cur []string
	for _, b := range blocks {
		if len(cur) > 0 && len(cur)+len(b) > target && len(columns) < cols-1 {
			columns = append(columns, cur)
			cur = nil
		}
		cur = append(cur, b...)
	}
	columns = append(columns, cur)
	height := 0
	for _, c := range columns {
		height = max(height, len(c))
	}
	out := make([]string, height)
	for i := range out {
		var b strings.Builder
		for j, c := range columns {
			cell := ""
			if i < len(c) {
				cell = c[i]
			}
			cw := colW
			if j == len(columns)-1 {
				cw = min(colW, w-colW*j) // the last column needs no gap after it
			}
			b.WriteString(fit(cell, cw))
		}
		out[i] = b.String()
	}
	return out
}

// helpView is the help overlay's body for a box of w x h (inner) cells, scrolled.
func (m *Model) helpView(w, h int) []string {
	lines := m.helpLines(w)
	m.ov.scroll = max(0, min(m.ov.scroll, len(lines)-(h-1)))
	end := min(len(lines), m.ov.scroll+h-1)
	body := append([]string{}, lines[m.ov.scroll:end]...)
	note := "esc closes"
	if len(lines) > h-1 {
		note += fmt.Sprintf(" · j/k scroll (%d-%d of %d)", m.ov.scroll+1, end, len(lines))
	}
	note += ` · rebind in config.toml: [keys] play_pause = "space,p"`
	if m.support.Known && !m.support.Extended {
		note = "note: ✗ not on this relay · " + note
	}
	return append(padLines(body, w, h-1), m.sty.Muted.Render(trunc(note, w)))
}

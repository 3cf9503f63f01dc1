package ui

import (
	"strings"

	"sunostudio/internal/i18n"
)

// helpGroups is the help overlay: every binding, grouped by where it works.
var helpGroups = []struct {
	title string // a catalog key
	acts  []Action
}{
	{"ui.help.group.everywhere", []Action{ActSubmit, ActNextPane, ActPrevPane, ActBack, ActHelp, ActQuit,
		ActFocusCreate, ActFocusLyrics, ActFocusTasks, ActFocusLib, ActFocusChat}},
	{"ui.help.group.player", []Action{ActPlayPause, ActNextTrack, ActPrevTrack, ActSeekFwd,
		ActSeekBack, ActVolUp, ActVolDown, ActMute, ActRepeat, ActShuffle, ActSwitchTake, ActKeepTake,
		ActKaraoke, ActMarkExtend, ActMarkStart, ActMarkEnd}},
	{"ui.help.group.lists", []Action{ActUp, ActDown, ActTop, ActBottom, ActPageUp, ActPageDown}},
	{"ui.help.group.create", []Action{ActFieldPrev, ActFieldNext, ActToggle, ActEdit, ActSwitchMode, ActPickModel}},
	{"ui.help.group.lyrics", []Action{ActIntro, ActVerse, ActPreChorus, ActChorus, ActBridge, ActOutro,
		ActWriteLyrics, ActUndoLyrics, ActEdit}},
	{"ui.help.group.tasks", []Action{ActRetry, ActRecheck, ActShowClips}},
	{"ui.help.group.library", []Action{ActFilter, ActPlay, ActQueue, ActFavorite, ActDetails, ActDelete, ActExport,
		ActSort, ActReverse, ActGoToRel}},
	{"ui.help.group.chat", []Action{ActChatSend, ActHistPrev, ActHistNext, ActChatStop, ActChatPrompt, ActChatRerun,
		ActPlay, ActQueue}},
	{"ui.help.group.craft", []Action{ActExtend, ActFullSong, ActCover, ActUpload, ActReplace, ActPersona,
		ActPersonaSong, ActStems, ActWAV, ActMP4}},
	{"ui.help.group.dialogs", []Action{ActConfirm, ActCancel, ActUsePosition}},
}

// helpLines renders the groups in columns that fit w cells, returning the lines.
func (m *Model) helpLines(w int) []string {
	// key, what it does, and (muted) the action's name for config.toml's [keys] table.
	const keyW, descW = 13, 25
	var blocks [][]string
	colW := 0
	for _, g := range helpGroups {
		b := []string{m.sty.Accent.Render(i18n.T(g.title))}
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
	var notes []string
	if m.support.Known && !m.support.Extended {
		notes = append(notes, i18n.T("ui.help.not_on_relay"))
	}
	notes = append(notes, i18n.T("ui.help.close"))
	if len(lines) > h-1 {
		notes = append(notes, i18n.T("ui.help.scroll", m.ov.scroll+1, end, len(lines)))
	}
	notes = append(notes, i18n.T("ui.help.rebind"))
	note := strings.Join(notes, " · ")
	return append(padLines(body, w, h-1), m.sty.Muted.Render(trunc(note, w)))
}

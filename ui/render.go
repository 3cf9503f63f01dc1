package ui

import (
	"fmt"
	"sort"
	"strings"

	"sunostudio/internal/i18n"
)

// render draws the whole screen. It is called only when something changed (see View).
func (m *Model) render() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	if m.lay.tooSmall {
		return m.tooSmallView()
	}
	type seg struct {
		x int
		s string
	}
	rows := make([][]seg, m.h)
	put := func(r rect, lines []string) {
		for i, l := range lines {
			if y := r.y + i; y >= 0 && y < m.h && i < r.h {
				rows[y] = append(rows[y], seg{r.x, l})
			}
		}
	}
	if m.lay.compact && !m.karaoke {
		put(m.lay.tabs, []string{m.tabsLine()})
	}
	if m.karaoke {
		// The synced lyrics take the whole screen above the player bar; the panes' lines are
		// drawn again when it closes.
		body := rect{0, 0, m.w, m.lay.player.y}
		put(body, m.karaokeView(body.w, body.h))
	}
	for id := paneID(0); id < numPanes; id++ {
		if !m.visible(id) || m.karaoke {
			continue
		}
		if id == paneChat || m.full || m.paneLines[id] == nil {
			m.paneLines[id] = m.paneView(id, m.lay.panes[id])
		}
		put(m.lay.panes[id], m.paneLines[id])
	}
	m.full = false
	put(m.lay.player, m.plr.view(&m.sty, m.w, m.lay.player.x, m.barExtras()))
	put(m.lay.status, []string{m.statusLine(m.w)})
	screen := make([]string, m.h)
	for y, segs := range rows {
		sort.Slice(segs, func(i, j int) bool { return segs[i].x < segs[j].x })
		var b strings.Builder
		col := 0
		for _, s := range segs {
			if s.x > col {
				b.WriteString(strings.Repeat(" ", s.x-col))
				col = s.x
			}
			b.WriteString(s.s)
			col += width(s.s)
		}
		if col < m.w {
			b.WriteString(strings.Repeat(" ", m.w-col))
		}
		screen[y] = b.String()
	}
	screen = m.renderOverlay(screen)
	return strings.Join(screen, "\n")
}

// bodySize is the inside of a pane's frame: the border and a column of padding on each side,
// and the help line at the bottom (left out of very short panes).
func bodySize(r rect) (w, h int) {
	if r.h < 6 {
		return r.w - 4, max(0, r.h-2)
	}
	return r.w - 4, r.h - 3
}

func (m *Model) paneView(id paneID, r rect) []string {
	focused := m.focus == id
	w, bodyH := bodySize(r)
	withHelp := r.h >= 6
	var body []string
	var info string
	var acts []Action
	title := fmt.Sprintf("%d %s", int(id)+1, paneName(id))
	switch id {
	case paneCreate:
		body = m.create.view(&m.sty, w, bodyH, focused, m.lyrics.value())
		info = i18n.T("create.info.inspiration")
		if m.create.custom {
			info = i18n.T("create.info.custom")
		}
		acts = m.create.help()
	case paneLyrics:
		body = m.lyrics.view(&m.sty, w, bodyH, m.create.model())
		acts = m.lyrics.help()
		if m.lyrics.saved.Text != "" && !m.draftChanged() {
			info = i18n.T("lyrics.draft_saved")
		}
	case paneTasks:
		body = m.tasks.view(&m.sty, w, bodyH, m.now(), focused)
		info = m.tasks.header()
		acts = m.tasks.help()
	case paneLibrary:
		var menu []string
		if m.lib.detail != nil {
			menu = m.craftMenu(w)
		}
		body = m.lib.view(&m.sty, w, bodyH, m.loc, focused, m.plr.st.Track.ID, menu)
		acts = m.lib.help()
	case paneChat:
		// Whatever arrived but is not drawn yet (the pane was hidden) is drawn now.
		m.chat.flush(m.libRow)
		now := m.now()
		body = m.chat.view(&m.sty, w, bodyH, focused, now)
		info = m.chat.header(now)
		acts = m.chat.help()
	}
	help := ""
	if withHelp {
		help = m.helpLine(acts, w)
	}
	return frame(&m.sty, title, info, body, help, r.w, r.h, focused)
}

// tabsLine is the compact layout's pane switcher.
func (m *Model) tabsLine() string {
	var b strings.Builder
	used := 0
	for id := paneID(0); id < numPanes; id++ {
		t := tabLabel(id)
		style := m.sty.Tab
		if id == m.focus {
			style = m.sty.TabActive
		}
		b.WriteString(style.Render(t))
		used += width(t)
	}
	hk, _ := m.keys.short(ActNextPane)
	hh, _ := m.keys.short(ActHelp)
	// Every tab stays whole: the hint on the right shrinks, then goes, on narrow terminals.
	for _, hint := range []string{i18n.T("ui.tabs.hint", hk, hh), i18n.T("ui.hint.help", hh), ""} {
		if used+1+width(hint) <= m.w || hint == "" {
			return spread(b.String(), " "+m.sty.Muted.Render(hint), m.w)
		}
	}
	return ""
}

// tabLabel is a pane's tab in the compact layout (mouse clicks measure the same text).
func tabLabel(id paneID) string { return fmt.Sprintf(" %d %s ", int(id)+1, paneName(id)) }

func (m *Model) tooSmallView() string {
	msg := []string{
		"sunostudio",
		"",
		i18n.T("ui.small.size", m.w, m.h),
		i18n.T("ui.small.enlarge", minW, minH),
		"",
		i18n.T("ui.small.quit"),
	}
	var lines []string
	for _, l := range msg {
		for _, wl := range wrap(l, m.w) {
			lines = append(lines, center(wl, m.w))
		}
	}
	top := max(0, (m.h-len(lines))/2)
	out := make([]string, 0, m.h)
	for i := 0; i < top; i++ {
		out = append(out, strings.Repeat(" ", m.w))
	}
	out = append(out, lines...)
	return strings.Join(padLines(out, m.w, m.h), "\n")
}

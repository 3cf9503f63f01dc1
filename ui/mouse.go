package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// doubleClick is the longest gap between two clicks on the same row that plays it.
const doubleClick = 400 * time.Millisecond

// handleClick: a click focuses the pane under it and selects the row; a double click on a
// library row plays it; a click on the progress bar seeks; a click on a tab switches to it.
func (m *Model) handleClick(msg tea.MouseClickMsg) tea.Cmd {
	mo := msg.Mouse()
	if m.lay.tooSmall || mo.Button != tea.MouseLeft {
		m.quiet = true
		return nil
	}
	if m.ov.kind != ovNone {
		if m.ov.kind == ovHelp {
			m.ov = overlay{} // a click anywhere closes the help
			return nil
		}
		m.quiet = true
		return nil
	}
	x, y := mo.X, mo.Y
	if m.karaoke && !m.lay.player.contains(x, y) {
		m.quiet = true // the panes are behind the lyrics
		return nil
	}
	if m.lay.compact && m.lay.tabs.contains(x, y) {
		return m.clickTab(x)
	}
	if m.lay.player.contains(x, y) {
		if y == m.lay.player.y {
			if d, ok := m.plr.seekAt(x); ok {
				return m.seekTo(d)
			}
		}
		m.quiet = true
		return nil
	}
	for id := paneID(0); id < numPanes; id++ {
		r := m.lay.panes[id]
		if !m.visible(id) || !r.contains(x, y) {
			continue
		}
		cmd := m.setFocus(id)
		// Inner coordinates: inside the border.
		ix, iy := x-r.x-2, y-r.y-1
		switch id {
		case paneLibrary:
			return tea.Batch(cmd, m.clickLibrary(ix, iy))
		case paneTasks:
			if i := m.tasks.taskAtLine(&m.sty, r.w-4, iy, m.now()); i >= 0 && iy >= 0 && iy < r.h-3 {
				m.tasks.sel = i
			}
		case paneCreate:
			m.clickCreate(iy)
		case paneChat:
			return tea.Batch(cmd, m.clickChat(iy))
		}
		return cmd
	}
	m.quiet = true
	return nil
}

func (m *Model) clickTab(x int) tea.Cmd {
	col := 0
	for id := paneID(0); id < numPanes; id++ {
		w := width(tabLabel(id))
		if x >= col && x < col+w {
			return m.setFocus(id)
		}
		col += w
	}
	m.quiet = true
	return nil
}

func (m *Model) clickLibrary(ix, iy int) tea.Cmd {
	if m.lib.detail != nil || iy < 1 {
		return nil // the header line, or the details view
	}
	i := m.lib.top + iy - 1 // line 0 is the header
	if i < 0 || i >= len(m.lib.shown) {
		return nil
	}
	m.lib.sel = i
	id := m.lib.shown[i].ID
	now := m.now()
	if id == m.lib.lastClickID && now.Sub(m.lib.lastClickAt) <= doubleClick {
		m.lib.lastClickID = ""
		return m.do(playIntent{id})
	}
	m.lib.lastClickID, m.lib.lastClickAt = id, now
	return nil
}

// clickChat: a click on the prompt line writes; on a card selects it (the keys then move
// among the cards), and a second click plays it.
func (m *Model) clickChat(iy int) tea.Cmd {
	p := &m.chat
	switch {
	case iy == p.promptY:
		return p.setEditing(true)
	case iy >= 0 && iy < len(p.cardAt) && p.cardAt[iy] >= 0:
		p.sel = p.cardAt[iy]
		p.setEditing(false)
		id, now := p.cards[p.sel].id, m.now()
		if id == p.lastClickID && now.Sub(p.lastClickAt) <= doubleClick {
			p.lastClickID = ""
			return m.do(playIntent{id})
		}
		p.lastClickID, p.lastClickAt = id, now
	}
	return nil
}

func (m *Model) clickCreate(iy int) {
	fs := m.create.fields()
	if iy >= 0 && iy < len(fs) {
		m.create.focusField(fs[iy])
	}
}

// handleWheel scrolls the list under the pointer (and moves its selection with it).
func (m *Model) handleWheel(msg tea.MouseWheelMsg) tea.Cmd {
	mo := msg.Mouse()
	d := 0
	switch mo.Button {
	case tea.MouseWheelUp:
		d = -3
	case tea.MouseWheelDown:
		d = 3
	default:
		m.quiet = true
		return nil
	}
	if m.karaoke && m.ov.kind == ovNone {
		m.quiet = true // the panes are behind the lyrics
		return nil
	}
	if m.ov.kind == ovHelp {
		m.ov.scroll = max(0, m.ov.scroll+d)
		return nil
	}
	for id := paneID(0); id < numPanes; id++ {
		if !m.visible(id) || !m.lay.panes[id].contains(mo.X, mo.Y) {
			continue
		}
		switch id {
		case paneLibrary:
			if m.lib.detail != nil {
				m.lib.detailTop = max(0, m.lib.detailTop+d)
			} else {
				m.lib.move(d)
			}
		case paneTasks:
			m.tasks.sel = max(0, min(len(m.tasks.items)-1, m.tasks.sel+d/3))
		case paneChat:
			m.chat.scroll(d)
		case paneLyrics:
			for i := 0; i < abs(d); i++ {
				if d < 0 {
					m.lyrics.ta.CursorUp()
				} else {
					m.lyrics.ta.CursorDown()
				}
			}
		}
		return nil
	}
	m.quiet = true
	return nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

package ui

import (
	"strings"

	"sunostudio/themes"
)

// Sizes. Below the minimum the studio asks for a larger window instead of drawing a broken
// screen. From wideW x wideH up every pane is visible at once; between, a tab bar shows one
// pane at a time (tab, shift+tab and 1-5 switch), which keeps 80x24 clean and readable.
const (
	minW  = 60
	minH  = 16
	wideW = 100
	wideH = 28

	playerH = 2
	statusH = 1
)

type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool {
	return r.w > 0 && x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// layout is where everything goes for one terminal size. Mouse handling uses the same rects
// as rendering, so a click always lands on what is drawn there.
type layout struct {
	w, h     int
	tooSmall bool
	compact  bool
	tabs     rect
	panes    [numPanes]rect
	player   rect
	status   rect
}

func computeLayout(w, h int) layout {
	l := layout{w: w, h: h}
	if w < minW || h < minH {
		l.tooSmall = true
		return l
	}
	body := h - playerH - statusH
	l.player = rect{0, body, w, playerH}
	l.status = rect{0, body + playerH, w, statusH}
	if w < wideW || h < wideH {
		l.compact = true
		l.tabs = rect{0, 0, w, 1}
		for i := range l.panes {
			l.panes[i] = rect{0, 1, w, body - 1}
		}
		return l
	}
	leftW := max(44, min(72, w*2/5))
	rightW := w - leftW
	createH := 11
	l.panes[paneCreate] = rect{0, 0, leftW, createH}
	l.panes[paneLyrics] = rect{0, createH, leftW, body - createH}
	libH := body * 3 / 5
	l.panes[paneLibrary] = rect{leftW, 0, rightW, libH}
	l.panes[paneTasks] = rect{leftW, libH, rightW, body - libH}
	// Chat needs height for the transcript and its song cards: it takes the whole left
	// column, in place of Create and Lyrics, while it is the left column's pane.
	l.panes[paneChat] = rect{0, 0, leftW, body}
	return l
}

// visible reports whether a pane is on screen (in the compact layout only the focused one;
// in the wide layout Chat and Create+Lyrics take turns in the left column).
func (m *Model) visible(p paneID) bool {
	switch {
	case m.lay.tooSmall:
		return false
	case m.lay.compact:
		return m.focus == p
	case p == paneChat:
		return m.leftChat
	case p == paneCreate || p == paneLyrics:
		return !m.leftChat
	}
	return true
}

// frame draws a pane: a rounded border with the title in the top edge, the body, and the
// pane's one-line help as the last inner line. Body lines are w-4 cells wide (border and one
// column of padding on each side).
func frame(st *themes.Styles, title, info string, body []string, help string, w, h int, focused bool) []string {
	border, ts := st.Border, st.Title
	if focused {
		border, ts = st.BorderFocused, st.TitleFocused
	}
	inner := w - 2
	t := " " + title + " "
	top := border.Render("╭─") + ts.Render(trunc(t, max(0, inner-2)))
	used := 2 + width(trunc(t, max(0, inner-2)))
	if info != "" && used+width(info)+4 <= w {
		fill := w - used - width(info) - 2
		top += border.Render(strings.Repeat("─", fill)) + st.Muted.Render(info) + border.Render("─╮")
	} else {
		top += border.Render(strings.Repeat("─", max(0, w-used-1)) + "╮")
	}
	out := make([]string, 0, h)
	out = append(out, top)
	// One column of padding inside each side: text never touches the border.
	left, right := border.Render("│")+" ", " "+border.Render("│")
	for _, l := range body {
		out = append(out, left+fit(l, inner-2)+right)
	}
	if help != "" {
		out = append(out, left+fit(help, inner-2)+right)
	}
	for len(out) < h-1 {
		out = append(out, left+strings.Repeat(" ", inner-2)+right)
	}
	out = append(out, border.Render("╰"+strings.Repeat("─", max(0, w-2))+"╯"))
	return out[:h]
}

// noNUL drops NUL bytes, which bubbles' text input and text area put in a placeholder with
// double-width characters (they count its cells as runes there).
func noNUL(s string) string {
	if strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\x00", "")
}

// helpLine is a pane's short help: "key desc · key desc", cut to the width.
func (m *Model) helpLine(acts []Action, w int) string {
	var parts []string
	used := 0
	for _, a := range acts {
		k, d := m.keys.short(a)
		if k == "" {
			continue
		}
		p := m.sty.Key.Render(k) + " " + m.sty.KeyDesc.Render(d)
		pw := width(k) + 1 + width(d)
		if used > 0 {
			pw += 3
		}
		if used+pw > w {
			break
		}
		parts = append(parts, p)
		used += pw
	}
	return strings.Join(parts, m.sty.Muted.Render(" · "))
}

// boxWidth is the width of an overlay w cells wide on a screen scrW wide: a box that would
// leave a column or so of the screen beside it takes the whole width instead, so the panes'
// borders behind it do not show next to its own (╭╭─ … ╮╮).
func boxWidth(w, scrW int) int {
	if scrW-w < 4 {
		return scrW
	}
	return w
}

// overlayBox draws lines on top of the screen, centred, with a border.
func overlayBox(screen []string, st *themes.Styles, title string, body []string, w, h int) []string {
	sw := len(screen)
	if sw == 0 {
		return screen
	}
	scrW := width(screen[0])
	w = boxWidth(w, scrW)
	h = min(h, sw)
	box := frame(st, title, "", body, "", w, h, true)
	x := (scrW - w) / 2
	y := (sw - h) / 2
	for i, bl := range box {
		row := screen[y+i]
		left := cutPad(row, x)
		right := ansiCutLeft(row, x+w)
		if over := width(right) - (scrW - x - w); over > 0 {
			// The cut fell inside a double-width character, which was kept whole: drop it too
			// (the padding below fills its cell).
			right = ansiCutLeft(row, x+w+over)
		}
		if pad := scrW - x - w - width(right); pad > 0 {
			right = strings.Repeat(" ", pad) + right
		}
		screen[y+i] = left + "\x1b[m" + bl + "\x1b[m" + right
	}
	return screen
}

package ui

import (
	"fmt"
	"strings"
	"time"

	"sunostudio/internal/i18n"
	"sunostudio/store"
	"sunostudio/studio"
	"sunostudio/themes"
)

// header is the line above the list: counts, sort, filter.
func (p *libraryPane) header(st *themes.Styles, w int) string {
	total := len(p.all)
	n := thousands(total)
	if !p.full {
		n += "+"
	}
	left := plural(total, "clip", "clips")
	left = strings.Replace(left, fmt.Sprint(total), n, 1)
	dir := "↓"
	if p.asc {
		dir = "↑"
	}
	left += st.Muted.Render(" · " + sortWord(p.sortBy) + " " + dir)
	if p.taskID != "" {
		left += st.Warn.Render(" · " + i18n.T("library.one_task"))
	}
	if p.filtering || p.query != "" {
		right := p.filterView()
		if !p.filtering {
			right = st.Accent.Render("/" + trunc(line(p.query), w/3))
		}
		return spread(left, " "+right+st.Muted.Render(" "+plural(len(p.shown), "match", "matches")), w)
	}
	return fit(left, w)
}

// sortKeys are the words for the library's sort orders (store.SortDate, ...), which stay
// English in --json and the config.
var sortKeys = map[string]string{
	store.SortDate:     "library.sort.date",
	store.SortTitle:    "library.sort.title",
	store.SortDuration: "library.sort.duration",
}

func sortWord(s string) string { return studio.Word(sortKeys, s) }

// filterView is the filter field.
func (p *libraryPane) filterView() string {
	return inputView(&p.input, i18n.T("library.filter_placeholder"))
}

// filterWidth is the filter field's width in a library w cells wide.
func filterWidth(w int) int { return max(8, w/2-10) }

// columns computes the widths of the list's columns for w cells.
type libCols struct{ title, tags, model, dur, date int }

func libColumns(w int) libCols {
	c := libCols{model: 9, dur: 6, date: 12}
	fixed := 2 + 2 + 2 // cursor, favourite mark, state mark
	rest := w - fixed - c.model - c.dur - c.date
	if rest < 30 { // narrow: drop the date, then the tags
		rest += c.date
		c.date = 0
	}
	if rest < 24 {
		c.title = rest
		return c
	}
	c.title = rest * 3 / 5
	c.tags = rest - c.title
	return c
}

func (p *libraryPane) rowLine(st *themes.Styles, r *libRow, c libCols, loc *time.Location, selected, focused bool) string {
	// A "›" marks the selected row, so the cursor is visible without colour too.
	cur := "  "
	if selected {
		cur = "› "
	}
	fav := "  "
	if r.Favorite {
		fav = "★ "
	}
	title := r.title
	if title == "" {
		title = i18n.T("library.untitled")
	}
	mark, markStyle := rowState(st, r)
	cells := cur + fav + fit(title, c.title-1) + " "
	if c.tags > 0 {
		cells += fit(r.tags, c.tags-1) + " "
	}
	model := fit(modelLabel(line(r.Model)), c.model-1) + " "
	dur := fitRight(clock(secs(r.Duration)), c.dur-1) + " "
	date := ""
	if c.date > 0 {
		date = fit(r.Created.In(loc).Format("01-02 15:04"), c.date)
	}
	if selected {
		sel := st.SelectedBlur
		if focused {
			sel = st.Selected
		}
		return sel.Render(cells+model+dur+date+mark) + ""
	}
	if r.Favorite {
		fav = st.Warn.Render("★ ")
	}
	out := cur + fav + fit(title, c.title-1) + " "
	if c.tags > 0 {
		out += st.Muted.Render(fit(r.tags, c.tags-1)) + " "
	}
	return out + st.Muted.Render(model) + dur + st.Muted.Render(date) + markStyle.Render(mark)
}

// rowState is the one-cell mark at the end of a row: is the song here to play?
func rowState(st *themes.Styles, r *libRow) (string, lipStyle) {
	switch {
	case r.Status == store.ClipFailed:
		return " ✗", st.Error
	case r.HasFile && r.Download == store.DownloadDone:
		return " ✓", st.OK
	case r.Download == store.DownloadFailed:
		return " !", st.Error
	case r.Download == store.DownloadActive || r.Download == store.DownloadPending:
		return " ↓", st.Warn
	case r.Status == store.ClipStreaming:
		return " ~", st.Accent
	case r.Status == store.ClipQueued:
		return " ·", st.Muted
	}
	return "  ", st.Muted
}

// view renders the list (or the details of one clip) in w x h cells.
func (p *libraryPane) view(st *themes.Styles, w, h int, loc *time.Location, focused bool, playingID string, menu []string) []string {
	if p.detail != nil {
		return p.detailView(st, w, h, loc, menu)
	}
	out := []string{p.header(st, w)}
	listH := h - 1
	if len(p.shown) == 0 {
		msg := i18n.T("library.empty")
		switch {
		case p.query != "":
			msg = i18n.T("library.no_match", p.query)
		case !p.full && len(p.all) == 0:
			msg = i18n.T("library.loading")
		}
		out = append(out, st.Muted.Render(trunc(msg, w)))
		return padLines(out, w, h)
	}
	p.clamp()
	if p.sel < p.top {
		p.top = p.sel
	}
	if p.sel >= p.top+listH {
		p.top = p.sel - listH + 1
	}
	p.top = max(0, min(p.top, max(0, len(p.shown)-listH)))
	cols := libColumns(w)
	for i := p.top; i < len(p.shown) && i < p.top+listH; i++ {
		r := p.shown[i]
		l := p.rowLine(st, r, cols, loc, i == p.sel, focused)
		if r.ID == playingID && i != p.sel {
			l = st.Accent.Render("▶") + ansiCutLeft(l, 1) // the cursor column shows what plays
		}
		out = append(out, l)
	}
	return padLines(out, w, h)
}

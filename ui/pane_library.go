package ui

import (
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"sunostudio/internal/i18n"
	"sunostudio/store"
	"sunostudio/themes"
)

// libraryPane lists every clip as compact rows (never full records: a 100k library of lyrics
// would not fit in a terminal app's memory budget). The first frame shows the newest 50; the
// full row set arrives from a Cmd right after.
type libraryPane struct {
	all   []*libRow // every row, in the current sort order
	byID  map[string]*libRow
	shown []*libRow // what the list shows: all, or the filtered/ranked subset
	full  bool      // all rows are loaded (not just the first page)

	sortBy string // store.SortDate, SortTitle, SortDuration
	asc    bool

	input     textinput.Model
	filtering bool   // the filter input has the keyboard
	query     string // the filter in effect
	// The previous keystroke's matches in sort order: a query that extends the previous one
	// filters these instead of the whole library.
	prevQuery   string
	prevMatched []*libRow
	scratch     filterScratch

	taskID string // only this task's clips ("its clips in the library" from Tasks)

	sel, top int

	detail      *clipDetail
	detailTop   int
	loadingInfo string // id of the clip whose details are being read
	// relSel is the family row under the cursor in the details; relFollow asks the next
	// render to scroll it into view.
	relSel    int
	relFollow bool

	note    string
	noteErr bool

	lastClickID string
	lastClickAt time.Time
}

func newLibraryPane() libraryPane {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = i18n.T("library.filter_placeholder")
	in.CharLimit = 200
	return libraryPane{byID: map[string]*libRow{}, sortBy: store.SortDate, input: in}
}

func (p *libraryPane) setStyles(st *themes.Styles) {
	s := inputStyles(st, st.Accent)
	s.Blurred.Prompt = st.Muted
	p.input.SetStyles(s)
}

// libRows converts store rows; for the full library this runs in the loading Cmd, off the
// update loop (sanitising and lowercasing 100k titles takes a moment).
//
// The rows are one array and their haystacks share chunks (hayArena): at 100k clips that is
// a few hundred allocations instead of 300k, and no size-class rounding per row.
func libRows(rows []store.Row) []*libRow {
	out := make([]*libRow, len(rows))
	all := make([]libRow, len(rows))
	a := &hayArena{}
	for _, r := range rows {
		a.left += len(r.Title) + 1 + len(r.Tags)
	}
	for i := range rows {
		lr := &all[i]
		lr.Row = rows[i]
		lr.derive(a)
		out[i] = lr
	}
	return out
}

// setRows replaces the rows (first page or the full set).
func (p *libraryPane) setRows(rows []*libRow, full bool) {
	selID := p.selectedID()
	p.all = rows
	p.byID = make(map[string]*libRow, len(rows))
	for _, r := range rows {
		p.byID[r.ID] = r
	}
	p.full = full
	p.resort()
	p.selectID(selID)
}

// less is the library's order, the same as the store's queries: date newest first; title
// A-Z then newest first; duration longest first then newest first. asc reverses it.
func (p *libraryPane) less(a, b *libRow) bool {
	if p.asc {
		a, b = b, a
	}
	switch p.sortBy {
	case store.SortTitle:
		if a.low != b.low {
			return a.low < b.low
		}
	case store.SortDuration:
		if a.Duration != b.Duration {
			return a.Duration > b.Duration
		}
	}
	if !a.Created.Equal(b.Created) {
		return a.Created.After(b.Created)
	}
	return a.ID > b.ID
}

func (p *libraryPane) resort() {
	slices.SortStableFunc(p.all, func(a, b *libRow) int {
		switch {
		case p.less(a, b):
			return -1
		case p.less(b, a):
			return 1
		}
		return 0
	})
	p.prevQuery, p.prevMatched = "", nil
	p.refilter()
}

// refilter recomputes the visible list, keeping the selection on the same clip.
func (p *libraryPane) refilter() {
	selID := p.selectedID()
	src := p.all
	if p.taskID != "" {
		src = nil
		for _, r := range p.all {
			if r.TaskID == p.taskID {
				src = append(src, r)
			}
		}
	}
	switch {
	case p.query == "":
		p.shown = src
		p.prevQuery, p.prevMatched = "", nil
	default:
		base := src
		if p.prevQuery != "" && strings.HasPrefix(p.query, p.prevQuery) && p.prevMatched != nil {
			base = p.prevMatched
		}
		p.shown, p.prevMatched = filterRows(base, p.query, &p.scratch)
		p.prevQuery = p.query
	}
	if !p.selectID(selID) || p.query != "" {
		// While typing a filter the best match is what the user wants under the cursor.
		if p.query != "" {
			p.sel, p.top = 0, 0
		}
	}
	p.clamp()
}

// setQuery applies a new filter text (one keystroke).
func (p *libraryPane) setQuery(q string) {
	if q == p.query {
		return
	}
	if !strings.HasPrefix(q, p.prevQuery) {
		p.prevQuery, p.prevMatched = "", nil
	}
	p.query = q
	p.refilter()
}

// upsert applies a ClipUpdated event: update in place, or insert at its sorted place.
func (p *libraryPane) upsert(r store.Row) {
	if lr, ok := p.byID[r.ID]; ok {
		resort := lr.Title != r.Title || lr.Duration != r.Duration
		lr.Row = r
		lr.refresh()
		if resort && p.sortBy != store.SortDate {
			p.resort()
		}
		if p.query != "" {
			p.prevQuery, p.prevMatched = "", nil
			p.refilter()
		}
		return
	}
	lr := newLibRow(r)
	p.byID[r.ID] = lr
	i, _ := slices.BinarySearchFunc(p.all, lr, func(a, b *libRow) int {
		if p.less(a, b) {
			return -1
		}
		return 1
	})
	p.all = slices.Insert(p.all, i, lr)
	p.prevQuery, p.prevMatched = "", nil
	p.refilter()
}

func (p *libraryPane) remove(id string) {
	if _, ok := p.byID[id]; !ok {
		return
	}
	delete(p.byID, id)
	p.all = slices.DeleteFunc(p.all, func(r *libRow) bool { return r.ID == id })
	p.prevQuery, p.prevMatched = "", nil
	p.refilter()
	if p.detail != nil && p.detail.c.ID == id {
		p.detail = nil
	}
}

// setDetail shows a clip's details with the family cursor on the clip itself.
func (p *libraryPane) setDetail(d *clipDetail) {
	p.detail, p.detailTop = d, 0
	p.relSel = d.selfIndex()
	p.relFollow = false
}

// jumpTo selects a clip in the list, dropping a filter or a task view that hides it.
func (p *libraryPane) jumpTo(id string) {
	if p.selectID(id) {
		return
	}
	if p.query != "" || p.taskID != "" {
		p.input.SetValue("")
		p.query, p.taskID = "", ""
		p.prevQuery, p.prevMatched = "", nil
		p.refilter()
	}
	p.selectID(id)
}

func (p *libraryPane) selectedID() string {
	if r := p.selected(); r != nil {
		return r.ID
	}
	return ""
}

func (p *libraryPane) selected() *libRow {
	if p.sel >= 0 && p.sel < len(p.shown) {
		return p.shown[p.sel]
	}
	return nil
}

func (p *libraryPane) selectID(id string) bool {
	if id == "" {
		return false
	}
	for i, r := range p.shown {
		if r.ID == id {
			p.sel = i
			return true
		}
	}
	return false
}

func (p *libraryPane) clamp() {
	p.sel = max(0, min(p.sel, len(p.shown)-1))
}

// showTask limits the list to one task's clips.
func (p *libraryPane) showTask(id string) {
	p.taskID = id
	p.detail = nil
	p.sel, p.top = 0, 0
	p.prevQuery, p.prevMatched = "", nil
	p.refilter()
}

func (p *libraryPane) cycleSort() {
	switch p.sortBy {
	case store.SortDate:
		p.sortBy = store.SortTitle
	case store.SortTitle:
		p.sortBy = store.SortDuration
	default:
		p.sortBy = store.SortDate
	}
	p.asc = false
	p.resort()
}

// Intents for the root.
type (
	playIntent   struct{ id string }
	queueIntent  struct{ id string }
	favIntent    struct{ id string }
	deleteIntent struct{ id, title string }
	detailIntent struct{ id string }
	exportIntent struct{}
	// jumpIntent moves the library selection to a relative and shows its details.
	jumpIntent struct{ id string }
)

// editing reports whether the filter input has the keyboard.
func (p *libraryPane) editing() bool { return p.filtering }

func (p *libraryPane) handleKey(km Keymap, msg tea.KeyPressMsg, page int) (bool, any, tea.Cmd) {
	if p.filtering {
		switch {
		case km.is(msg, ActBack):
			p.filtering = false
			p.input.Blur()
			p.input.SetValue("")
			p.setQuery("")
			return true, nil, nil
		case msg.String() == "enter":
			p.filtering = false
			p.input.Blur()
			return true, nil, nil
		case msg.String() == "up" || msg.String() == "down":
			p.move(map[string]int{"up": -1, "down": 1}[msg.String()])
			return true, nil, nil
		}
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		p.setQuery(p.input.Value())
		return true, nil, cmd
	}
	if p.detail != nil {
		switch {
		case km.is(msg, ActBack) || km.is(msg, ActDetails):
			p.detail = nil
		// With a family to move through, up/down choose a relative; past either end of the
		// family (and without one) they scroll, so the lyrics stay reachable.
		case km.is(msg, ActUp):
			if !p.detail.hasFamily() || !p.moveRel(-1) {
				p.detailTop = max(0, p.detailTop-1)
			}
		case km.is(msg, ActDown):
			if !p.detail.hasFamily() || !p.moveRel(1) {
				p.detailTop++
			}
		case km.is(msg, ActPageUp):
			p.detailTop = max(0, p.detailTop-page)
		case km.is(msg, ActPageDown):
			p.detailTop += page
		case km.is(msg, ActTop):
			p.detailTop = 0
		case p.onRelative() && km.is(msg, ActGoToRel):
			// Enter on a relative goes to it; on the clip itself it plays, as in the list.
			return true, jumpIntent{p.chosenRel().id}, nil
		case km.is(msg, ActPlay):
			return true, playIntent{p.detail.c.ID}, nil
		case km.is(msg, ActQueue):
			return true, queueIntent{p.detail.c.ID}, nil
		case km.is(msg, ActFavorite):
			return true, favIntent{p.detail.c.ID}, nil
		case km.is(msg, ActDelete):
			return true, deleteIntent{p.detail.c.ID, p.detail.c.Title}, nil
		default:
			if a, ok := craftKey(km, msg); ok {
				return true, craftIntent{a, clipInfoOf(p.detail.c)}, nil
			}
			return false, nil, nil
		}
		return true, nil, nil
	}
	r := p.selected()
	if r != nil {
		if a, ok := craftKey(km, msg); ok {
			return true, craftIntent{a, rowInfo(r)}, nil
		}
	}
	switch {
	case km.is(msg, ActFilter):
		p.filtering = true
		p.input.SetValue(p.query)
		p.input.CursorEnd()
		return true, nil, p.input.Focus()
	case km.is(msg, ActBack):
		switch {
		case p.query != "":
			p.input.SetValue("")
			p.setQuery("")
		case p.taskID != "":
			p.showTask("")
		default:
			return false, nil, nil
		}
	case km.is(msg, ActUp):
		p.move(-1)
	case km.is(msg, ActDown):
		p.move(1)
	case km.is(msg, ActTop):
		p.sel = 0
	case km.is(msg, ActBottom):
		p.sel = max(0, len(p.shown)-1)
	case km.is(msg, ActPageUp):
		p.move(-page)
	case km.is(msg, ActPageDown):
		p.move(page)
	case km.is(msg, ActSort):
		p.cycleSort()
	case km.is(msg, ActReverse):
		p.asc = !p.asc
		p.resort()
	case km.is(msg, ActExport):
		return true, exportIntent{}, nil
	case r == nil:
		return false, nil, nil
	case km.is(msg, ActPlay):
		return true, playIntent{r.ID}, nil
	case km.is(msg, ActQueue):
		return true, queueIntent{r.ID}, nil
	case km.is(msg, ActFavorite):
		return true, favIntent{r.ID}, nil
	case km.is(msg, ActDetails):
		return true, detailIntent{r.ID}, nil
	case km.is(msg, ActDelete):
		return true, deleteIntent{r.ID, r.Row.Title}, nil
	default:
		return false, nil, nil
	}
	return true, nil, nil
}

func (p *libraryPane) move(d int) {
	p.sel = max(0, min(len(p.shown)-1, p.sel+d))
}

func (p *libraryPane) help() []Action {
	switch {
	case p.filtering:
		return []Action{ActBack, ActDown}
	case p.onRelative():
		return []Action{ActGoToRel, ActUp, ActDown, ActBack}
	case p.detail != nil && p.detail.hasFamily():
		return []Action{ActPlay, ActUp, ActDown, ActQueue, ActFavorite, ActBack}
	case p.detail != nil:
		return []Action{ActPlay, ActQueue, ActFavorite, ActUp, ActDown, ActBack}
	}
	return []Action{ActPlay, ActFilter, ActQueue, ActFavorite, ActDetails, ActSort, ActDelete, ActExport}
}

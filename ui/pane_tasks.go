package ui

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"sunostudio/internal/i18n"
	"sunostudio/store"
	"sunostudio/studio"
	"sunostudio/themes"
)

// taskItem is one task as the Tasks pane shows it, with its clips' live states.
type taskItem struct {
	t       *store.Task
	summary string // what was asked: the description, title or lyrics prompt
	err     string // the task's stored error in the user's language (studio.Localize)
	clips   []*clipState
}

type clipState struct {
	id, title, status, download, err string
	got, total                       int64
}

// newTaskItem decodes what the task asked for (the stored request) once, when the task first
// appears, not at every render.
func newTaskItem(t *store.Task, clips []*store.Clip) *taskItem {
	it := &taskItem{summary: requestSummary(t)}
	it.setTask(t)
	for _, c := range clips {
		it.setClip(c)
	}
	return it
}

// setTask stores the task's new state, saying its stored error in the user's language once
// here rather than at every render.
func (it *taskItem) setTask(t *store.Task) {
	it.t, it.err = t, studio.Localize(t.Error)
}

func requestSummary(t *store.Task) string {
	var r studio.Request
	if len(t.Request) == 0 || json.Unmarshal(t.Request, &r) != nil {
		return ""
	}
	switch {
	case r.Prompt != "":
		return r.Prompt
	case r.Music == nil:
		return ""
	case r.Music.Title != "" && r.Music.Tags != "":
		return r.Music.Title + " · " + r.Music.Tags
	case r.Music.Title != "":
		return r.Music.Title
	case r.Music.Description != "":
		return r.Music.Description
	}
	return r.Music.Tags
}

func (it *taskItem) setClip(c *store.Clip) {
	// The clip's stored error in the user's language, said once here rather than at every
	// render: its download's when the download failed.
	err := c.Error
	if c.DownloadError != "" && c.Download == store.DownloadFailed {
		err = c.DownloadError
	}
	err = studio.Localize(err)
	for _, cs := range it.clips {
		if cs.id == c.ID {
			cs.title, cs.status, cs.download, cs.err = c.Title, c.Status, c.Download, err
			return
		}
	}
	cs := &clipState{id: c.ID, title: c.Title, status: c.Status, download: c.Download, err: err}
	it.clips = append(it.clips, cs)
}

// tasksPane lists tasks newest first, each with its clips.
type tasksPane struct {
	items []*taskItem
	byID  map[string]*taskItem
	sel   int
	top   int // first visible line
	// loaded: the initial list came from the library (events before it are merged in).
	loaded bool
}

func newTasksPane() tasksPane { return tasksPane{byID: map[string]*taskItem{}} }

// set replaces the list with the library's, keeping newer event-driven state.
func (p *tasksPane) set(items []*taskItem) {
	seen := map[string]bool{}
	var merged []*taskItem
	// Items that arrived by event before the load are newer than the library's snapshot.
	for _, it := range p.items {
		seen[it.t.ID] = true
		merged = append(merged, it)
	}
	for _, it := range items {
		if !seen[it.t.ID] {
			merged = append(merged, it)
			seen[it.t.ID] = true
		}
	}
	p.items = merged
	p.sortItems()
	p.loaded = true
}

func (p *tasksPane) sortItems() {
	p.byID = make(map[string]*taskItem, len(p.items))
	// Newest first; stable for equal times.
	sortStable(p.items, func(a, b *taskItem) bool { return a.t.CreatedAt.After(b.t.CreatedAt) })
	for _, it := range p.items {
		p.byID[it.t.ID] = it
	}
}

// upsertTask applies a TaskUpdated event.
func (p *tasksPane) upsertTask(t *store.Task) *taskItem {
	if it, ok := p.byID[t.ID]; ok {
		// A submit's answer can arrive after the tracker's first events: keep the newer.
		if !t.UpdatedAt.Before(it.t.UpdatedAt) {
			it.setTask(t)
		}
		return it
	}
	it := newTaskItem(t, nil)
	var selID string
	if p.sel < len(p.items) {
		selID = p.items[p.sel].t.ID
	}
	p.items = append(p.items, it)
	p.sortItems()
	p.selectID(selID)
	return it
}

// upsertClip applies a ClipUpdated event to the clip's task.
func (p *tasksPane) upsertClip(c *store.Clip) {
	if c.TaskID == "" {
		return
	}
	if it, ok := p.byID[c.TaskID]; ok {
		it.setClip(c)
	}
}

func (p *tasksPane) progress(c *store.Clip, got, total int64) bool {
	it, ok := p.byID[c.TaskID]
	if !ok {
		return false
	}
	for _, cs := range it.clips {
		if cs.id == c.ID {
			old := pct(cs.got, cs.total)
			cs.got, cs.total = got, total
			return pct(got, total) != old
		}
	}
	return false
}

func pct(got, total int64) int {
	if total <= 0 {
		return -1
	}
	return int(got * 100 / total)
}

func (p *tasksPane) selectID(id string) {
	for i, it := range p.items {
		if it.t.ID == id {
			p.sel = i
			return
		}
	}
}

func (p *tasksPane) selected() *taskItem {
	if p.sel >= 0 && p.sel < len(p.items) {
		return p.items[p.sel]
	}
	return nil
}

// unfinished reports whether any task is still running (the elapsed-time tick runs only then).
func (p *tasksPane) unfinished() bool {
	for _, it := range p.items {
		if !it.t.Finished() {
			return true
		}
	}
	return false
}

// Intents the root carries out.
type (
	retryIntent     struct{ id string }
	recheckIntent   struct{ id string }
	showClipsIntent struct{ taskID string }
)

func (p *tasksPane) handleKey(km Keymap, msg tea.KeyPressMsg, page int) (bool, any) {
	n := len(p.items)
	switch {
	case km.is(msg, ActUp):
		p.sel = max(0, p.sel-1)
	case km.is(msg, ActDown):
		p.sel = max(0, min(n-1, p.sel+1))
	case km.is(msg, ActTop):
		p.sel = 0
	case km.is(msg, ActBottom):
		p.sel = max(0, n-1)
	case km.is(msg, ActPageUp):
		p.sel = max(0, p.sel-page)
	case km.is(msg, ActPageDown):
		p.sel = max(0, min(n-1, p.sel+page))
	case km.is(msg, ActRetry):
		if it := p.selected(); it != nil {
			return true, retryIntent{it.t.ID}
		}
	case km.is(msg, ActRecheck):
		if it := p.selected(); it != nil {
			return true, recheckIntent{it.t.ID}
		}
	case km.is(msg, ActShowClips):
		if it := p.selected(); it != nil {
			return true, showClipsIntent{it.t.ID}
		}
	default:
		return false, nil
	}
	return true, nil
}

// lines renders every task (selected one highlighted) and says which line each task starts on.
func (p *tasksPane) lines(st *themes.Styles, w int, now time.Time, focused bool) ([]string, []int) {
	var out []string
	starts := make([]int, len(p.items))
	statusW, kindW := columnWidth(studio.TaskStatusKeys, 9), columnWidth(studio.KindKeys, 6)
	lyricsLabel := i18n.T("tasks.lyrics_title")
	for i, it := range p.items {
		starts[i] = len(out)
		t := it.t
		icon, style := taskIcon(st, t.Status)
		elapsed := now.Sub(t.CreatedAt)
		if t.Finished() && !t.FinishedAt.IsZero() {
			elapsed = t.FinishedAt.Sub(t.CreatedAt)
		}
		right := " " + clock(elapsed)
		if !t.Finished() && t.Progress > 0 && t.Progress < 100 {
			right = fmt.Sprintf(" %d%%", t.Progress) + right
		}
		cur := "  "
		if i == p.sel {
			cur = "› "
		}
		head := cur + style.Render(icon+" "+fit(studio.TaskStatusWord(t.Status), statusW)) + " " + st.Muted.Render(fit(studio.KindWord(t.Kind), kindW)) + " " + line(it.summary)
		l := spread(head, st.Muted.Render(right), w)
		if i == p.sel {
			sel := st.SelectedBlur
			if focused {
				sel = st.Selected
			}
			l = sel.Render(fit(stripStyles(l), w))
		}
		out = append(out, l)
		if t.Kind == "lyrics" && t.Status == store.TaskSucceeded && t.LyricsTitle != "" {
			out = append(out, "     "+st.Muted.Render(lyricsLabel)+trunc(line(t.LyricsTitle), w-5-width(lyricsLabel)))
		}
		for j, cs := range it.clips {
			branch := "├ "
			if j == len(it.clips)-1 {
				branch = "└ "
			}
			out = append(out, "    "+st.Muted.Render(branch)+clipLine(st, cs, w-6))
		}
		if it.err != "" {
			for k, l := range wrap(line(it.err), w-6) {
				if k == 2 {
					break
				}
				out = append(out, "      "+st.Error.Render(l))
			}
		}
	}
	return out, starts
}

func clipLine(st *themes.Styles, cs *clipState, w int) string {
	title := line(cs.title)
	if title == "" {
		title = st.Muted.Render(i18n.T("tasks.clip.untitled"))
	}
	var state string
	switch {
	case cs.status == store.ClipFailed:
		state = st.Error.Render(studio.ClipStatusWord(cs.status))
	case cs.download == store.DownloadDone:
		state = st.OK.Render(i18n.T("tasks.clip.in_library"))
	case cs.download == store.DownloadActive || (cs.got > 0 && cs.download != store.DownloadFailed):
		switch p := pct(cs.got, cs.total); {
		case p >= 0:
			state = st.Warn.Render(fmt.Sprintf("↓ %d%%", p))
		case cs.got > 0:
			state = st.Warn.Render(fmt.Sprintf("↓ %d KB", cs.got>>10))
		default:
			state = st.Warn.Render(i18n.T("tasks.clip.downloading"))
		}
	case cs.download == store.DownloadFailed:
		state = st.Error.Render(i18n.T("tasks.clip.download_failed"))
	case cs.download == store.DownloadPending:
		state = st.Warn.Render(i18n.T("tasks.clip.download_waiting"))
	default:
		state = st.Muted.Render(studio.ClipStatusWord(cs.status))
	}
	out := spread(title, " "+state, w)
	if cs.err != "" && (cs.status == store.ClipFailed || cs.download == store.DownloadFailed) {
		out = spread(title, " "+state+" "+st.Error.Render(trunc(line(cs.err), max(0, w/2))), w)
	}
	return out
}

func taskIcon(st *themes.Styles, status string) (string, lipStyle) {
	switch status {
	case store.TaskSucceeded:
		return "✓", st.OK
	case store.TaskFailed:
		return "✗", st.Error
	case store.TaskTimedOut:
		return "!", st.Warn
	case store.TaskRunning:
		return "●", st.Accent
	case store.TaskSubmitting:
		return "…", st.Muted
	}
	return "○", st.Warn
}

// view renders the visible window of the list, keeping the selected task in sight.
func (p *tasksPane) view(st *themes.Styles, w, h int, now time.Time, focused bool) []string {
	if len(p.items) == 0 {
		msg := i18n.T("tasks.empty")
		if !p.loaded {
			msg = i18n.T("tasks.loading")
		}
		return padLines([]string{st.Muted.Render(trunc(msg, w))}, w, h)
	}
	all, starts := p.lines(st, w, now, focused)
	p.sel = max(0, min(len(p.items)-1, p.sel))
	start := starts[p.sel]
	end := len(all)
	if p.sel+1 < len(starts) {
		end = starts[p.sel+1]
	}
	if start < p.top {
		p.top = start
	}
	if end > p.top+h {
		p.top = min(start, end-h)
	}
	p.top = max(0, min(p.top, max(0, len(all)-h)))
	return padLines(all[p.top:min(len(all), p.top+h)], w, h)
}

// taskAtLine maps a click on a visible line to a task index.
func (p *tasksPane) taskAtLine(st *themes.Styles, w, y int, now time.Time) int {
	_, starts := p.lines(st, w, now, false)
	at := p.top + y
	idx := -1
	for i, s := range starts {
		if s <= at {
			idx = i
		}
	}
	return idx
}

func (p *tasksPane) help() []Action {
	return []Action{ActUp, ActDown, ActRetry, ActRecheck, ActShowClips, ActHelp}
}

func stripStyles(s string) string { return ansiStrip(s) }

// header summarises the list.
func (p *tasksPane) header() string {
	running := 0
	for _, it := range p.items {
		if !it.t.Finished() {
			running++
		}
	}
	s := i18n.N("tasks.header.count", len(p.items))
	if running > 0 {
		s = i18n.T("tasks.header.running", s, running)
	}
	return strings.TrimSpace(s)
}

// columnWidth is the width of a column of such words: the widest in the language in use, and
// at most limit characters (a longer word is cut). The limit counts characters, not cells, so
// a Chinese word as long in characters as an English one ("完整歌曲", "concat") fits whole.
func columnWidth(keys map[string]string, limit int) int {
	w := 0
	for _, k := range keys {
		r := []rune(i18n.T(k))
		w = max(w, width(string(r[:min(len(r), limit)])))
	}
	return w
}

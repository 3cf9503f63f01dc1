package ui

import (
	"strings"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"sunostudio/internal/i18n"
	"sunostudio/store"
	"sunostudio/themes"
)

// sections are the markers the insert keys put in, in key order (alt+1 .. alt+6). They are
// Suno's metatags, read by the model in every language: never translated.
var sections = map[Action]string{
	ActIntro: "[Intro]", ActVerse: "[Verse]", ActPreChorus: "[Pre-Chorus]", // i18n:ignore Suno metatags
	ActChorus: "[Chorus]", ActBridge: "[Bridge]", ActOutro: "[Outro]", // i18n:ignore Suno metatags
}

var sectionOrder = []Action{ActIntro, ActVerse, ActPreChorus, ActChorus, ActBridge, ActOutro}

// lyricsPane is the lyrics editor. Drafts are saved by the root (debounced) whenever the text
// changes; "write lyrics for me" replaces the text with a lyrics task's result and keeps the
// previous text so one key brings it back.
type lyricsPane struct {
	ta      textarea.Model
	editing bool
	// undo holds the text that generated lyrics replaced; hasUndo says it is valid (it may be
	// the empty string).
	undo    string
	hasUndo bool
	// pending is the id of the lyrics task whose result goes into the editor.
	pending string
	note    string
	noteErr bool
	// seq counts edits (of the lyrics, or of the form's title and tags, which the draft keeps
	// too), for the debounced draft save; saved is the draft last written.
	seq   int
	saved store.Draft
}

func newLyricsPane() lyricsPane {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.Placeholder = i18n.T("lyrics.placeholder")
	ta.CharLimit = 0
	ta.MaxHeight = 0 // no line limit: a song is as long as it is
	ta.MaxWidth = 0
	return lyricsPane{ta: ta}
}

func (p *lyricsPane) setStyles(st *themes.Styles) {
	// Built from scratch rather than from textarea.DefaultStyles, whose fixed ANSI colours
	// would ignore the theme (and NO_COLOR).
	state := textarea.StyleState{Placeholder: st.Muted, EndOfBuffer: st.Muted, Prompt: st.Muted,
		Selection: st.SelectedBlur}
	p.ta.SetStyles(textarea.Styles{Focused: state, Blurred: state,
		Cursor: textarea.CursorStyle{Color: st.AccentColor, Shape: tea.CursorBlock, Blink: false}})
}

func (p *lyricsPane) value() string { return p.ta.Value() }

func (p *lyricsPane) setEditing(on bool) tea.Cmd {
	p.editing = on
	if on {
		return p.ta.Focus()
	}
	p.ta.Blur()
	return nil
}

// replace puts generated lyrics in, keeping the old text for undo.
func (p *lyricsPane) replace(text string) {
	p.undo, p.hasUndo = p.ta.Value(), true
	p.ta.SetValue(text)
	p.ta.MoveToBegin()
	p.seq++
}

// restore swaps the text back (and again: a second undo redoes).
func (p *lyricsPane) restore() bool {
	if !p.hasUndo {
		return false
	}
	cur := p.ta.Value()
	p.ta.SetValue(p.undo)
	p.undo = cur
	p.seq++
	return true
}

// lyricsPromptIntent asks the root for the short prompt of "write lyrics for me".
type lyricsPromptIntent struct{}

// handleKey: markers and undo work whether or not the editor has the keyboard.
func (p *lyricsPane) handleKey(km Keymap, msg tea.KeyPressMsg) (bool, any, tea.Cmd) {
	for _, a := range sectionOrder {
		if km.is(msg, a) {
			p.insertSection(sections[a])
			return true, nil, nil
		}
	}
	switch {
	case km.is(msg, ActWriteLyrics):
		return true, lyricsPromptIntent{}, nil
	case km.is(msg, ActUndoLyrics):
		if p.restore() {
			p.note, p.noteErr = i18n.T("lyrics.restored"), false
		}
		return true, nil, nil
	}
	if p.editing {
		if km.is(msg, ActBack) {
			p.setEditing(false)
			return true, nil, nil
		}
		before := p.ta.Value()
		var cmd tea.Cmd
		p.ta, cmd = p.ta.Update(msg)
		if p.ta.Value() != before {
			p.seq++
		}
		return true, nil, cmd
	}
	switch {
	case km.is(msg, ActEdit):
		return true, nil, p.setEditing(true)
	case km.is(msg, ActUp):
		p.ta.CursorUp()
	case km.is(msg, ActDown):
		p.ta.CursorDown()
	case km.is(msg, ActTop):
		p.ta.MoveToBegin()
	case km.is(msg, ActBottom):
		p.ta.MoveToEnd()
	default:
		return false, nil, nil
	}
	return true, nil, nil
}

func (p *lyricsPane) paste(msg tea.PasteMsg) tea.Cmd {
	if !p.editing {
		return nil
	}
	var cmd tea.Cmd
	p.ta, cmd = p.ta.Update(msg)
	p.seq++
	return cmd
}

// insertSection puts a marker on its own line at the cursor.
func (p *lyricsPane) insertSection(marker string) {
	li := p.ta.LineInfo()
	text := marker + "\n"
	if li.ColumnOffset > 0 || p.ta.Column() > 0 {
		text = "\n" + text
	}
	p.ta.InsertString(text)
	p.seq++
}

func (p *lyricsPane) view(st *themes.Styles, w, h int, model string) []string {
	lim := limitsFor(model)
	n := chars(strings.TrimSpace(p.ta.Value()))
	info := i18n.T("lyrics.count", counter(n, lim.Lyrics))
	switch levelOf(n, lim.Lyrics) {
	case levelOver:
		info = st.Error.Render(i18n.T("lyrics.count_over", counter(n, lim.Lyrics), modelName(model)))
	case levelNear:
		info = st.Warn.Render(info)
	default:
		info = st.Muted.Render(info)
	}
	status := ""
	switch {
	case p.pending != "":
		status = st.Warn.Render(i18n.T("lyrics.writing"))
	case p.note != "":
		style := st.Muted
		if p.noteErr {
			style = st.Error
		}
		status = style.Render(line(p.note))
	}
	edH := max(1, h-1)
	if p.ta.Width() != w || p.ta.Height() != edH {
		p.setSize(w, h) // normally done on resize, before any key arrives
	}
	// bubbles' textarea leaves NUL bytes after a wide placeholder, as its textinput does.
	lines := strings.Split(noNUL(p.ta.View()), "\n")
	out := padLines(lines, w, edH)
	return append(out, spread(info, " "+trunc(status, max(0, w-width(info)-1)), w))
}

// setSize sizes the editor for a body of w x h cells (the last line is the counter).
func (p *lyricsPane) setSize(w, h int) {
	p.ta.SetWidth(w)
	p.ta.SetHeight(max(1, h-1))
}

func (p *lyricsPane) help() []Action {
	if p.editing {
		return []Action{ActSubmit, ActChorus, ActWriteLyrics, ActUndoLyrics, ActBack, ActNextPane}
	}
	return []Action{ActEdit, ActWriteLyrics, ActUndoLyrics, ActVerse, ActChorus, ActHelp}
}

package ui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/themes"
)

// field is one row of the Create form.
type field int

const (
	fMode field = iota
	fDescription
	fTitle
	fTags
	fNegative
	fInstrumental
	fModel
)

// createPane is the generation form. Inspiration mode asks for a description; custom mode
// for a title and style tags, with the lyrics taken from the Lyrics pane.
type createPane struct {
	custom       bool
	instrumental bool
	inputs       map[field]*textinput.Model
	placeholders map[field]string // whole: inputView cuts them to the field
	field        field
	// editing: the current text field has the keyboard (typing goes into it). esc leaves the
	// field (so space, ? and the other single keys work again); enter goes back in.
	editing bool
	// submitting is true from ctrl+s until the engine answers: a second ctrl+s is ignored.
	submitting bool
	// note is the form's one-line message: validation problems, "submitted ...".
	note     string
	noteErr  bool
	lyricsFn func() string // the Lyrics pane's text, for custom mode counters
}

func newCreatePane(model string) createPane {
	p := createPane{inputs: map[field]*textinput.Model{}, placeholders: map[field]string{}, field: fDescription, editing: true}
	for f, ph := range map[field]string{
		fDescription: i18n.T("create.placeholder.description"),
		fTitle:       i18n.T("create.placeholder.title"),
		fTags:        i18n.T("create.placeholder.tags"),
		fNegative:    i18n.T("create.placeholder.negative"),
		fModel:       defaultModel,
	} {
		in := textinput.New()
		in.Prompt = ""
		p.placeholders[f] = ph
		in.CharLimit = 6000 // well past every limit, so over-long text is shown, not cut
		p.inputs[f] = &in
	}
	p.inputs[fModel].SetValue(model)
	p.inputs[fModel].CharLimit = 64
	p.inputs[fDescription].Focus()
	return p
}

// setStyles gives the text fields the theme's colours; cursors never blink (a blinking cursor
// is a timer, and an idle studio runs none).
func (p *createPane) setStyles(st *themes.Styles) {
	for _, in := range p.inputs {
		in.SetStyles(inputStyles(st, st.Muted))
	}
}

// inputStyles are text field styles from the theme (not textinput.DefaultStyles, whose fixed
// colours would ignore the theme and NO_COLOR). Cursors never blink: a blinking cursor is a
// timer, and an idle studio runs none.
func inputStyles(st *themes.Styles, prompt lipgloss.Style) textinput.Styles {
	state := textinput.StyleState{Placeholder: st.Muted, Suggestion: st.Muted, Prompt: prompt}
	return textinput.Styles{Focused: state, Blurred: state,
		Cursor: textinput.CursorStyle{Color: st.AccentColor, Shape: tea.CursorBlock, Blink: false}}
}

// fields are the rows of the current mode, top to bottom.
func (p *createPane) fields() []field {
	if p.custom {
		return []field{fMode, fTitle, fTags, fNegative, fInstrumental, fModel}
	}
	return []field{fMode, fDescription, fInstrumental, fModel}
}

func isText(f field) bool { return f != fMode && f != fInstrumental }

// editingText reports whether typing goes into a text field now.
func (p *createPane) editingText() bool { return p.editing && isText(p.field) }

func (p *createPane) model() string {
	m := strings.TrimSpace(p.inputs[fModel].Value())
	if m == "" {
		return defaultModel
	}
	return m
}

func (p *createPane) value(f field) string { return p.inputs[f].Value() }

// focusField moves to f; the keyboard goes into it when it is a text field and we are
// editing.
func (p *createPane) focusField(f field) {
	for _, in := range p.inputs {
		in.Blur()
	}
	p.field = f
	if p.editing && isText(f) {
		p.inputs[f].Focus()
	}
}

func (p *createPane) move(delta int) {
	fs := p.fields()
	i := 0
	for j, f := range fs {
		if f == p.field {
			i = j
		}
	}
	i = max(0, min(len(fs)-1, i+delta))
	p.focusField(fs[i])
}

func (p *createPane) setEditing(on bool) {
	p.editing = on
	p.focusField(p.field)
}

func (p *createPane) switchMode() {
	p.custom = !p.custom
	if p.field != fMode && p.field != fInstrumental && p.field != fModel {
		if p.custom {
			p.field = fTitle
		} else {
			p.field = fDescription
		}
	}
	p.focusField(p.field)
}

// pickModelIntent asks the root to open the model picker.
type pickModelIntent struct{}

// handleKey: the form's own keys. It returns handled=false for keys it leaves to the root
// (global bindings, player keys outside text fields).
func (p *createPane) handleKey(km Keymap, msg tea.KeyPressMsg) (bool, any, tea.Cmd) {
	if km.is(msg, ActSwitchMode) {
		p.switchMode()
		return true, nil, nil
	}
	if km.is(msg, ActPickModel) || (p.field == fModel && msg.String() == "enter") {
		return true, pickModelIntent{}, nil
	}
	if p.editingText() {
		switch {
		case km.is(msg, ActBack):
			p.setEditing(false)
			return true, nil, nil
		case km.is(msg, ActFieldPrev) && !typed(msg):
			p.move(-1)
			return true, nil, nil
		case km.is(msg, ActFieldNext) && !typed(msg):
			p.move(1)
			return true, nil, nil
		}
		in := p.inputs[p.field]
		upd, cmd := in.Update(msg)
		*in = upd
		return true, nil, cmd
	}
	// Not in a text field: the row under the cursor is a toggle, or a text field we left.
	switch {
	case km.is(msg, ActUp) || km.is(msg, ActFieldPrev):
		p.move(-1)
	case km.is(msg, ActDown) || (km.is(msg, ActFieldNext) && msg.String() != "enter"):
		p.move(1)
	case p.field == fMode && km.is(msg, ActToggle):
		p.switchMode()
	case p.field == fInstrumental && km.is(msg, ActToggle):
		p.instrumental = !p.instrumental
	case isText(p.field) && km.is(msg, ActEdit):
		p.setEditing(true)
	default:
		return false, nil, nil
	}
	return true, nil, nil
}

// paste puts pasted text into the current text field.
func (p *createPane) paste(msg tea.PasteMsg) tea.Cmd {
	if !p.editingText() {
		return nil
	}
	in := p.inputs[p.field]
	upd, cmd := in.Update(msg)
	*in = upd
	return cmd
}

// request builds the music request, or says what is wrong with the form.
func (p *createPane) request(lyrics string) (client.MusicRequest, error) {
	model := p.model()
	lim := limitsFor(model)
	r := client.MusicRequest{Model: model, Instrumental: p.instrumental}
	// what is the catalog key of the field's message.
	check := func(what, s string, max int) error {
		if n := chars(s); n > max {
			return errors.New(i18n.T(what, n, modelName(model), max))
		}
		return nil
	}
	if !p.custom {
		r.Mode = client.ModeInspiration
		r.Description = strings.TrimSpace(p.value(fDescription))
		if r.Description == "" {
			return r, errors.New(i18n.T("create.describe_first"))
		}
		return r, check("create.too_long.description", r.Description, lim.Description)
	}
	r.Mode = client.ModeCustom
	r.Title = strings.TrimSpace(p.value(fTitle))
	r.Tags = strings.TrimSpace(p.value(fTags))
	r.NegativeTags = strings.TrimSpace(p.value(fNegative))
	r.Lyrics = strings.TrimSpace(lyrics)
	if r.Lyrics == "" && r.Title == "" && r.Tags == "" && !r.Instrumental {
		// The client's own rule, checked here before the empty lyrics below make the request
		// an instrumental (which would pass it, and the relay would refuse the empty request).
		return r, errors.New(i18n.T("client.msg.custom_needs_words"))
	}
	if r.Lyrics == "" {
		// As on the command line: custom mode without lyrics is an instrumental.
		r.Instrumental = true
	}
	if r.Instrumental {
		r.Lyrics = ""
	}
	for _, c := range []struct {
		what, s string
		max     int
	}{
		{"create.too_long.title", r.Title, lim.Title}, {"create.too_long.tags", r.Tags, lim.Tags},
		{"create.too_long.negative", r.NegativeTags, lim.Tags}, {"create.too_long.lyrics", r.Lyrics, lim.Lyrics},
	} {
		if err := check(c.what, c.s, c.max); err != nil {
			return r, err
		}
	}
	return r, nil
}

func modelName(id string) string {
	if l := modelLabel(id); l != id {
		return id + " (" + l + ")"
	}
	return id
}

// formLabels are the form's row labels (catalog keys).
var formLabels = []string{"create.label.mode", "create.label.title", "create.label.style", "create.label.avoid",
	"create.label.description", "create.label.instrumental", "create.label.model", "create.label.lyrics"}

// labelW is the width of the form's label column (with the focus marker and a gap): the
// widest label in the language in use decides it.
func labelW() int {
	w := 0
	for _, k := range formLabels {
		w = max(w, width(i18n.T(k)))
	}
	return w + 3
}

// inputWidth is the width of the text fields for a form w cells wide: the label column and
// room for a counter ("123/5000 too long" is cut, the count is not).
func inputWidth(w int) int { return max(4, w-labelW()-12) }

// setSize gives the text fields their widths when the window changes, before any key arrives,
// so the fields scroll long (and double-width) text correctly from the first keystroke.
func (p *createPane) setSize(w int) {
	for _, f := range []field{fDescription, fTitle, fTags, fNegative} {
		p.inputs[f].SetWidth(inputWidth(w))
	}
}

// view renders the form in w x h cells (without the frame).
func (p *createPane) view(st *themes.Styles, w, h int, focused bool, lyrics string) []string {
	lim := limitsFor(p.model())
	inW := inputWidth(w)
	lw := labelW()
	var lines []string
	row := func(f field, label, content string) {
		marker := "  "
		ls := st.Muted
		if focused && p.field == f {
			marker = st.Accent.Render("› ")
			ls = st.Accent
		}
		lines = append(lines, marker+ls.Render(fit(label, lw-2))+content)
	}
	count := func(n, max int) string {
		s := counter(n, max)
		switch levelOf(n, max) {
		case levelOver:
			return st.Error.Render(i18n.T("create.counter_over", s))
		case levelNear:
			return st.Warn.Render(s)
		}
		return st.Muted.Render(s)
	}
	text := func(f field, label string, max int) {
		in := p.inputs[f]
		c := count(chars(in.Value()), max)
		row(f, label, spread(inputView(in, p.placeholders[f]), " "+c, w-lw))
	}
	radio := func(on bool, label string) string {
		if on {
			return st.Accent.Render("● " + label)
		}
		return st.Muted.Render("○ " + label)
	}
	row(fMode, i18n.T("create.label.mode"), radio(!p.custom, i18n.T("create.mode.inspiration"))+"  "+radio(p.custom, i18n.T("create.mode.custom")))
	if p.custom {
		text(fTitle, i18n.T("create.label.title"), lim.Title)
		text(fTags, i18n.T("create.label.style"), lim.Tags)
		text(fNegative, i18n.T("create.label.avoid"), lim.Tags)
	} else {
		text(fDescription, i18n.T("create.label.description"), lim.Description)
	}
	box := "[ ]"
	if p.instrumental {
		box = "[x]"
	}
	row(fInstrumental, i18n.T("create.label.instrumental"), box)
	in := p.inputs[fModel]
	in.SetWidth(max(4, min(inW, max(12, chars(in.Value())+1))))
	info := ""
	switch {
	case lim.Known:
		info = st.Muted.Render(lim.Label)
	default:
		info = st.Warn.Render(i18n.T("create.unknown_model"))
	}
	row(fModel, i18n.T("create.label.model"), inputView(in, p.placeholders[fModel])+" "+info)
	if p.custom {
		n := chars(strings.TrimSpace(lyrics))
		var s string
		switch {
		case p.instrumental:
			s = st.Muted.Render(i18n.T("create.lyrics.instrumental"))
		case n == 0:
			s = st.Muted.Render(i18n.T("create.lyrics.none"))
		default:
			s = i18n.T("create.lyrics.from_pane", count(n, lim.Lyrics))
		}
		lines = append(lines, "  "+st.Muted.Render(fit(i18n.T("create.label.lyrics"), lw-2))+s)
	}
	if !p.custom && strings.TrimSpace(p.value(fDescription)) == "" && p.note == "" && !p.submitting {
		lines = append(lines, "")
		for _, l := range wrap(i18n.T("create.hint"), w-4) {
			lines = append(lines, "  "+st.Muted.Render(l))
		}
	}
	if p.note != "" {
		style := st.OK
		if p.noteErr {
			style = st.Error
		}
		lines = append(lines, "  "+style.Render(trunc(line(p.note), w-2)))
	} else if p.submitting {
		lines = append(lines, "  "+st.Warn.Render(i18n.T("create.submitting")))
	}
	return padLines(lines, w, h)
}

// help is the pane's one-line short help.
func (p *createPane) help() []Action {
	if p.editingText() {
		if p.field == fModel {
			return []Action{ActSubmit, ActPickModel, ActFieldNext, ActBack, ActNextPane}
		}
		return []Action{ActSubmit, ActFieldNext, ActSwitchMode, ActBack, ActNextPane}
	}
	return []Action{ActSubmit, ActUp, ActDown, ActToggle, ActEdit, ActSwitchMode, ActHelp}
}

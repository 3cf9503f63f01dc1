package ui

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"sunostudio/internal/i18n"
	"sunostudio/themes"
)

// craftForm is the small dialog of a song-craft action: a few fields, a place for the answer
// (a refusal next to its field, an unsupported relay, a failure), and a busy state while the
// engine asks the relay. It stays open until the request is accepted, so a refused value can
// be corrected in place; esc closes it at any time (a late answer then goes to the status
// line).
type craftForm struct {
	id     int // matches the answers of this dialog's requests
	act    craftAct
	clip   clipInfo
	intro  []string // what the action does, above the fields
	fields []*formField
	focus  int
	busy   bool
	err    string // the relay's or engine's answer that belongs to no field
	// uploadID is the song the upload dialog uploaded from uploadURL when its cover failed.
	uploadID, uploadURL string
}

// clipInfo is what a dialog needs to know about the clip it works on.
type clipInfo struct {
	id, title, tags string
	duration        float64
}

type formKind int

const (
	ffText   formKind = iota
	ffTime            // seconds into the song: m:ss, h:mm:ss or seconds
	ffCheck           // on / off
	ffChoice          // one of a few, left/right cycle
)

type formField struct {
	key   string // what the request takes from it: "at", "start", "end", "tags", ...
	label string
	kind  formKind
	in    textinput.Model
	// A check: on, and what it says either way.
	on              bool
	onText, offText string
	// A choice.
	choices []formChoice
	sel     int
	hint    string // muted, under the field
	err     string // the engine's refusal of this field (studio.ErrBadInput), under it
	// placeholder is the text field's placeholder as written; the view cuts it to the field.
	placeholder string
}

type formChoice struct{ id, label string }

// formLabelKeys are the dialogs' field labels (catalog keys).
var formLabelKeys = []string{"craft.label.lyrics", "craft.label.from", "craft.label.style", "craft.label.title",
	"craft.label.start", "craft.label.end", "craft.label.name", "craft.label.about", "craft.label.persona",
	"craft.label.url", "craft.label.cover"}

// formLabelW is the width of a dialog's label column with the focus marker: 9 cells, or
// more when the widest label in the language in use needs it ("Persona"), so every dialog
// lines up the same way and no label touches its field.
func formLabelW() int {
	w := 0
	for _, k := range formLabelKeys {
		w = max(w, width(i18n.T(k)))
	}
	return max(9, w+3) // the marker, the label and at least one space before the field
}

// newTextField makes a text field.
func newTextField(st *themes.Styles, key, label, value, placeholder string, limit int) *formField {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.SetStyles(inputStyles(st, st.Accent))
	in.SetValue(value)
	in.CursorEnd()
	return &formField{key: key, label: label, kind: ffText, in: in, placeholder: placeholder}
}

// inputView is a text field's line.
func (fl *formField) inputView() string { return inputView(&fl.in, fl.placeholder) }

func newTimeField(st *themes.Styles, key, label string, at float64, set bool) *formField {
	v := ""
	if set {
		v = fmtSeconds(at)
	}
	f := newTextField(st, key, label, v, "m:ss", 12)
	f.kind = ffTime
	return f
}

func (f *craftForm) field(key string) *formField {
	for _, fl := range f.fields {
		if fl.key == key {
			return fl
		}
	}
	return nil
}

func (f *craftForm) value(key string) string {
	if fl := f.field(key); fl != nil {
		return strings.TrimSpace(fl.in.Value())
	}
	return ""
}

func (f *craftForm) checked(key string) bool {
	fl := f.field(key)
	return fl != nil && fl.on
}

func (f *craftForm) choice(key string) string {
	fl := f.field(key)
	if fl == nil || fl.sel < 0 || fl.sel >= len(fl.choices) {
		return ""
	}
	return fl.choices[fl.sel].id
}

// verb is what the dialog's submit key does now.
func (f *craftForm) verb() string {
	if f.act == craftUpload && f.checked("cover") {
		return i18n.T("craft.verb.upload_cover")
	}
	return craftVerb(f.act)
}

// focusAt moves the keyboard to field i; only a text field takes it.
func (f *craftForm) focusAt(i int) tea.Cmd {
	if len(f.fields) == 0 {
		return nil
	}
	f.focus = (i + len(f.fields)) % len(f.fields)
	var cmd tea.Cmd
	for j, fl := range f.fields {
		if fl.kind != ffText && fl.kind != ffTime {
			continue
		}
		if j == f.focus {
			cmd = fl.in.Focus()
		} else {
			fl.in.Blur()
		}
	}
	return cmd
}

func (f *craftForm) focused() *formField {
	if f.focus < 0 || f.focus >= len(f.fields) {
		return nil
	}
	return f.fields[f.focus]
}

// clearErrors forgets the previous answer before a new request.
func (f *craftForm) clearErrors() {
	f.err = ""
	for _, fl := range f.fields {
		fl.err = ""
	}
}

// parseSeconds reads a time in the song: "80", "80.5", "1:20", "1:20.5", "0:01:20".
func parseSeconds(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New(i18n.T("craft.err.time_needed"))
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, errors.New(i18n.T("craft.err.not_a_time", s))
	}
	total := 0.0
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		last := i == len(parts)-1
		if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || (!last && v != math.Trunc(v)) ||
			(i > 0 && v >= 60) {
			return 0, errors.New(i18n.T("craft.err.not_a_time", s))
		}
		total = total*60 + v
	}
	return total, nil
}

// fmtSeconds writes a time as the fields read it: m:ss, with tenths when they matter (a point
// marked while listening is that precise).
func fmtSeconds(s float64) string {
	s = math.Round(s*10) / 10
	whole := int(s)
	tenth := int(math.Round((s - float64(whole)) * 10))
	out := fmt.Sprintf("%d:%02d", whole/60, whole%60)
	if whole >= 3600 {
		out = fmt.Sprintf("%d:%02d:%02d", whole/3600, whole/60%60, whole%60)
	}
	if tenth > 0 {
		out += fmt.Sprintf(".%d", tenth)
	}
	return out
}

// formKey handles a key while a craft dialog is open.
func (m *Model) formKey(msg tea.KeyPressMsg) tea.Cmd {
	f := m.ov.form
	km := m.keys
	fl := f.focused()
	switch {
	case msg.String() == "esc":
		m.ov = overlay{}
		return nil
	case f.busy:
		return nil // the request is on its way; only esc does something
	case km.is(msg, ActSubmit):
		return m.submitForm()
	case msg.String() == "enter":
		if len(f.fields) == 0 || f.focus == len(f.fields)-1 {
			return m.submitForm()
		}
		return f.focusAt(f.focus + 1)
	case msg.String() == "tab" || msg.String() == "down":
		return f.focusAt(f.focus + 1)
	case msg.String() == "shift+tab" || msg.String() == "up":
		return f.focusAt(f.focus - 1)
	case fl == nil:
		return nil
	case fl.kind == ffTime && km.is(msg, ActUsePosition):
		if pos, ok := m.positionIn(f.clip.id); ok {
			fl.in.SetValue(fmtSeconds(pos))
			fl.in.CursorEnd()
			fl.err = ""
		} else {
			fl.err = i18n.T("craft.err.not_playing_this")
		}
		return nil
	case fl.kind == ffCheck:
		if msg.String() == "space" || msg.String() == "left" || msg.String() == "right" {
			fl.on = !fl.on
		}
		return nil
	case fl.kind == ffChoice:
		if n := len(fl.choices); n > 0 {
			switch msg.String() {
			case "left":
				fl.sel = (fl.sel + n - 1) % n
			case "right", "space":
				fl.sel = (fl.sel + 1) % n
			}
		}
		return nil
	}
	var cmd tea.Cmd
	fl.in, cmd = fl.in.Update(msg)
	return cmd
}

// formPaste puts pasted text into the focused text field.
func (m *Model) formPaste(msg tea.PasteMsg) tea.Cmd {
	f := m.ov.form
	if fl := f.focused(); fl != nil && !f.busy && (fl.kind == ffText || fl.kind == ffTime) {
		var cmd tea.Cmd
		fl.in, cmd = fl.in.Update(msg)
		return cmd
	}
	return nil
}

// formView is the dialog's body for an inner width of w cells.
func (m *Model) formView(w int) []string {
	f := m.ov.form
	st := &m.sty
	var body []string
	for _, l := range f.intro {
		for _, wl := range wrap(l, w) {
			body = append(body, st.Muted.Render(wl))
		}
	}
	if len(f.intro) > 0 && len(f.fields) > 0 {
		body = append(body, "")
	}
	lw := formLabelW()
	inW := max(4, w-lw-2)
	for i, fl := range f.fields {
		marker, ls := "  ", st.Muted
		if i == f.focus {
			marker, ls = st.Accent.Render("› "), st.Accent
		}
		var content string
		switch fl.kind {
		case ffText, ffTime:
			fl.in.SetWidth(inW - 1)
			content = fl.inputView()
		case ffCheck:
			box, text := "[ ] ", fl.offText
			if fl.on {
				box, text = "[x] ", fl.onText
			}
			content = box + text
		case ffChoice:
			if len(fl.choices) == 0 {
				content = st.Muted.Render(i18n.T("craft.choice.none"))
			} else {
				content = "‹ " + line(fl.choices[fl.sel].label) + " ›"
				if len(fl.choices) > 1 {
					content += st.Muted.Render("  " + i18n.T("craft.choice.position", fl.sel+1, len(fl.choices)))
				}
			}
		}
		body = append(body, marker+ls.Render(fit(fl.label, lw-2))+trunc(content, inW))
		pad := strings.Repeat(" ", lw)
		if fl.err != "" {
			for _, wl := range wrap("✗ "+line(fl.err), w-lw) {
				body = append(body, pad+st.Error.Render(wl))
			}
		}
		if fl.hint != "" && (i == f.focus || fl.kind == ffCheck) {
			for _, wl := range wrap(fl.hint, w-lw) {
				body = append(body, pad+st.Muted.Render(wl))
			}
		}
	}
	if f.err != "" {
		body = append(body, "")
		for _, wl := range wrap("✗ "+line(f.err), w) {
			body = append(body, st.Error.Render(wl))
		}
	}
	body = append(body, "")
	sk, _ := m.keys.short(ActSubmit)
	switch {
	case f.busy:
		body = append(body, st.Warn.Render(i18n.T("craft.busy"))+st.Muted.Render(" · "+i18n.T("craft.busy_esc")))
	case len(f.fields) == 0:
		body = append(body, i18n.T("craft.keys.no_fields", st.Key.Render("enter"), f.verb(), st.Key.Render("esc")))
	default:
		body = append(body, i18n.T("craft.keys.fields", st.Key.Render(sk), f.verb(), st.Key.Render("enter"),
			st.Key.Render("tab"), st.Key.Render("↑↓"), st.Key.Render("esc")))
	}
	for i := range body {
		body[i] = trunc(body[i], w)
	}
	return body
}

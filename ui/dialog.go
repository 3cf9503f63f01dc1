package ui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"sunostudio/internal/i18n"
)

type overlayKind int

const (
	ovNone overlayKind = iota
	ovHelp
	ovConfirm
	ovModels
	ovPrompt
	ovCraft
)

// overlay is what sits on top of the panes and takes the keys first: the help, a yes/no
// question, the model picker, or the prompt of "write lyrics for me".
type overlay struct {
	kind   overlayKind
	title  string
	text   []string
	yes    any // intent carried out on "yes"
	sel    int
	scroll int
	input  textinput.Model
	form   *craftForm // ovCraft: a song-craft action's dialog
}

// Intents confirmed by a dialog.
type (
	quitIntent      struct{ force bool }
	confirmedDelete struct{ id, title string }
	submitLyrics    struct{ prompt string }
)

func (m *Model) openConfirm(title string, text []string, yes any) {
	m.ov = overlay{kind: ovConfirm, title: title, text: text, yes: yes}
}

func (m *Model) openModels() {
	cur := m.create.model()
	sel := len(models) // "other"
	for i, v := range models {
		if v.ID == cur {
			sel = i
		}
	}
	m.ov = overlay{kind: ovModels, title: i18n.T("ui.dialog.models.title"), sel: sel}
}

func (m *Model) openPrompt() tea.Cmd {
	in := textinput.New()
	in.Prompt = "› "
	in.CharLimit = 500
	in.SetStyles(inputStyles(&m.sty, m.sty.Accent))
	m.ov = overlay{kind: ovPrompt, title: i18n.T("ui.dialog.lyrics_prompt.title"), input: in}
	return m.ov.input.Focus()
}

// overlayKey handles a key while an overlay is open. Every key stops here: nothing behind an
// overlay reacts to typing.
func (m *Model) overlayKey(msg tea.KeyPressMsg) tea.Cmd {
	km := m.keys
	if msg.String() == "ctrl+c" {
		// ctrl+c always means quit: it confirms an open quit question, and closes any other
		// overlay on the way to asking it.
		if _, isQuit := m.ov.yes.(quitIntent); m.ov.kind == ovConfirm && isQuit {
			m.ov = overlay{}
			return m.quit()
		}
		m.ov = overlay{}
		return m.requestQuit()
	}
	switch m.ov.kind {
	case ovCraft:
		return m.formKey(msg)
	case ovHelp:
		switch {
		case km.is(msg, ActBack) || km.is(msg, ActHelp) || msg.String() == "q":
			m.ov = overlay{}
		case km.is(msg, ActUp):
			m.ov.scroll = max(0, m.ov.scroll-1)
		case km.is(msg, ActDown):
			m.ov.scroll++
		case km.is(msg, ActPageDown):
			m.ov.scroll += 10
		case km.is(msg, ActPageUp):
			m.ov.scroll = max(0, m.ov.scroll-10)
		}
	case ovConfirm:
		switch {
		case km.is(msg, ActConfirm):
			yes := m.ov.yes
			m.ov = overlay{}
			return m.do(yes)
		case km.is(msg, ActCancel):
			m.ov = overlay{}
		}
	case ovModels:
		n := len(models) + 1
		switch {
		case km.is(msg, ActUp):
			m.ov.sel = (m.ov.sel + n - 1) % n
		case km.is(msg, ActDown):
			m.ov.sel = (m.ov.sel + 1) % n
		case msg.String() == "enter":
			in := m.create.inputs[fModel]
			if m.ov.sel < len(models) {
				in.SetValue(models[m.ov.sel].ID)
				m.create.focusField(fModel)
			} else {
				// "other": the field takes the keyboard for a name the list does not know.
				in.SetValue("")
				m.create.editing = true
				m.create.focusField(fModel)
			}
			m.ov = overlay{}
		case km.is(msg, ActBack):
			m.ov = overlay{}
		}
	case ovPrompt:
		switch msg.String() {
		case "esc":
			m.ov = overlay{}
			return nil
		case "enter":
			prompt := strings.TrimSpace(m.ov.input.Value())
			m.ov = overlay{}
			if prompt == "" {
				return nil
			}
			return m.do(submitLyrics{prompt})
		}
		var cmd tea.Cmd
		m.ov.input, cmd = m.ov.input.Update(msg)
		return cmd
	}
	return nil
}

// renderOverlay draws the open overlay on the screen lines.
func (m *Model) renderOverlay(screen []string) []string {
	st := &m.sty
	switch m.ov.kind {
	case ovHelp:
		w := boxWidth(min(m.w-2, 124), m.w)
		h := min(m.h-2, 40)
		return overlayBox(screen, st, i18n.T("ui.dialog.help_title"), m.helpView(w-4, h-2), w, h)
	case ovConfirm:
		w := min(m.w-4, 64)
		var body []string
		for _, t := range m.ov.text {
			body = append(body, wrap(t, w-6)...)
		}
		yk, _ := m.keys.short(ActConfirm)
		nk, _ := m.keys.short(ActCancel)
		body = append(body, "", i18n.T("ui.dialog.yes_no", st.Key.Render(yk), st.Key.Render(nk)))
		return overlayBox(screen, st, m.ov.title, body, w, len(body)+2)
	case ovModels:
		var body []string
		for i := 0; i <= len(models); i++ {
			l := i18n.T("ui.dialog.models.other")
			if i < len(models) {
				lim := limitsOf(models[i].modern, true, "")
				l = i18n.T("ui.dialog.models.row", models[i].ID, models[i].Label, lim.Lyrics, lim.Tags)
			}
			if i == m.ov.sel {
				l = st.Selected.Render(fit("› "+l, 52))
			} else {
				l = "  " + l
			}
			body = append(body, l)
		}
		return overlayBox(screen, st, m.ov.title, body, min(m.w-2, 58), len(body)+2)
	case ovCraft:
		w := min(m.w-4, 76)
		body := m.formView(w - 4)
		return overlayBox(screen, st, m.ov.title, body, w, min(len(body)+2, m.h))
	case ovPrompt:
		w := min(m.w-4, 70)
		m.ov.input.SetWidth(w - 8)
		body := []string{
			st.Muted.Render(i18n.T("ui.dialog.lyrics_prompt.intro")),
			inputView(&m.ov.input, i18n.T("ui.dialog.lyrics_prompt.placeholder")),
			st.Muted.Render(i18n.T("ui.dialog.lyrics_prompt.keys", undoKey(m.keys))),
		}
		return overlayBox(screen, st, m.ov.title, body, w, len(body)+2)
	}
	return screen
}

func undoKey(km Keymap) string {
	k, _ := km.short(ActUndoLyrics)
	return k
}

package ui

import (
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"sunostudio/internal/i18n"
	"sunostudio/store"
	"sunostudio/studio"
	"sunostudio/themes"
)

type paneID int

const (
	paneCreate paneID = iota
	paneLyrics
	paneTasks
	paneLibrary
	paneChat
	numPanes
)

// paneNames are the panes' names as catalog keys; paneName says one in the language in use.
var paneNames = [numPanes]string{"ui.tabs.create", "ui.tabs.lyrics", "ui.tabs.tasks", "ui.tabs.library", "ui.tabs.chat"}

func paneName(id paneID) string { return i18n.T(paneNames[id]) }

// Model is the root model. It is used as a pointer: Bubble Tea calls View after every
// Update, and the pointer lets View keep the last frame and skip rendering when nothing
// changed.
type Model struct {
	o     Options
	eng   *studio.Engine
	st    *store.Store
	pl    Player
	log   *slog.Logger
	keys  Keymap
	theme themes.Theme
	sty   themes.Styles
	now   func() time.Time
	loc   *time.Location

	w, h  int
	lay   layout
	focus paneID
	ov    overlay

	create createPane
	lyrics lyricsPane
	tasks  tasksPane
	lib    libraryPane
	chat   chatPane
	plr    playerPane

	// leftChat: in the wide layout the left column shows Chat instead of Create and Lyrics
	// (focusing a pane of either side switches it).
	leftChat bool
	// chatFn runs a chat (the engine's; tests script it). send delivers a message to the
	// running program from any goroutine (Program.Send); the chat stream's updates use it.
	chatFn   chatFunc
	send     func(tea.Msg)
	chatRuns map[int]*chatRun

	// Status line state.
	quota    *studio.Quota
	notice   string
	noticeAt time.Time
	problem  string // the last error, in words
	warnings []string
	ticking  bool // the elapsed-time tick is scheduled

	// Song craft: what the relay has shown about its extended features (cached from the
	// engine, read again after each craft answer), the points marked on clips while they
	// played, the WAV/MP4 requests followed until their files land, and the dialog counter.
	support studio.Support
	marks   map[string]*marks
	assets  map[string]assetWait
	formSeq int
	// takes are the current track's A/B takes (its task's playable clips); wave its waveform.
	takes takes
	wave  wave
	// sync is the current track's synced lyrics; karaoke shows them full screen.
	sync    synced
	karaoke bool

	// tick makes one-shot timers (tea.Tick); tests replace it to fire timers themselves.
	tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd

	// Rendering: frame is the last rendered screen; dirty says it is out of date.
	frame string
	dirty bool
	// While an answer streams most frames change the chat pane only: the other panes' lines
	// of the last full render are kept in paneLines and reused until any other message
	// changes something (full).
	paneLines [numPanes][]string
	full      bool
	quiet     bool // set by a handler when the message changed nothing visible
	renders   atomic.Int64
	updates   atomic.Int64
}

// New builds the root model. It reads the newest 50 clips so the first frame shows a library
// at once; the full row set is loaded by a Cmd from Init.
func New(o Options) (*Model, error) {
	if o.Engine == nil || o.Player == nil {
		return nil, errors.New("ui: Engine and Player are required") // i18n:ignore a programming error, never shown
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	m := &Model{o: o, eng: o.Engine, st: o.Engine.Store(), pl: o.Player, log: o.Logger, now: o.Now,
		loc: o.Location, dirty: true, full: true, tick: tea.Tick, chatRuns: map[int]*chatRun{},
		marks: map[string]*marks{}, assets: map[string]assetWait{}}
	m.chatFn = m.eng.Chat
	if m.o.Source == nil {
		m.o.Source = defaultSource(m.eng)
	}
	if m.o.ExportDir == "" {
		m.o.ExportDir = m.st.Dir()
	}
	m.warnings = append(m.warnings, o.Warnings...)
	var warns []string
	m.keys, warns = NewKeymap(o.Keys)
	m.warnings = append(m.warnings, warns...)
	th, warns, err := themes.Load(o.Theme, o.ThemesDir)
	m.warnings = append(m.warnings, warns...)
	if err != nil {
		m.warnings = append(m.warnings, i18n.T("ui.warn.theme", err.Error(), themes.Default))
		th, _ = themes.Builtin(themes.Default)
	}
	m.theme = th

	model := o.Model
	if model == "" {
		model = defaultModel
	}
	m.create = newCreatePane(model)
	m.lyrics = newLyricsPane()
	m.tasks = newTasksPane()
	m.lib = newLibraryPane()
	m.chat = newChatPane()
	m.applyTheme(true)

	first, err := m.st.Newest(50)
	if err != nil {
		m.problem = i18n.T("ui.problem.what", i18n.T("ui.what.library"), err.Error())
	}
	rows := make([]store.Row, len(first))
	for i, c := range first {
		rows[i] = store.RowOf(c)
	}
	m.lib.setRows(libRows(rows), false)
	if q := m.eng.LastQuota(); q != nil {
		m.quota = q
	}
	// Read before the first frame (a library read, like the first rows): the details grey out
	// what a known stock relay lacks from the start.
	m.support = m.eng.ExtendedSupport()
	if len(m.warnings) > 0 {
		for _, w := range m.warnings {
			m.log.Warn("ui", "warning", w)
		}
		m.problem = m.warnings[0]
		if len(m.warnings) > 1 {
			m.problem = i18n.T("ui.warn.more", m.problem, len(m.warnings)-1)
		}
	}
	m.focus = paneCreate
	return m, nil
}

// sizeWidgets gives the text widgets their sizes for the layout (see paneView for the body
// sizes: a border and a column of padding on each side, the help line at the bottom).
func (m *Model) sizeWidgets() {
	if m.lay.tooSmall {
		return
	}
	w, h := bodySize(m.lay.panes[paneCreate])
	m.create.setSize(w)
	w, h = bodySize(m.lay.panes[paneLyrics])
	m.lyrics.setSize(w, h)
	w, _ = bodySize(m.lay.panes[paneLibrary])
	m.lib.input.SetWidth(filterWidth(w))
	w, _ = bodySize(m.lay.panes[paneChat])
	m.chat.setWidth(w)
}

// applyTheme rebuilds the styles (theme chosen, or the terminal's background became known).
func (m *Model) applyTheme(isDark bool) {
	m.sty = m.theme.Styles(isDark, m.o.NoColor)
	m.create.setStyles(&m.sty)
	m.lyrics.setStyles(&m.sty)
	m.lib.setStyles(&m.sty)
	m.chat.setStyles(&m.sty)
}

// Init starts the background loads: the full library rows, the tasks, the lyrics draft, the
// saved volume, the quota; and asks the terminal for its background colour.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(
		tea.RequestBackgroundColor,
		loadRowsCmd(m.st),
		loadTasksCmd(m.st),
		loadDraftCmd(m.st),
		loadVolumeCmd(m.st),
		playerStatusCmd(m.pl),
		refreshQuotaCmd(m.eng),
		loadChatHistoryCmd(m.st),
	)
}

// Update routes a message to its family's handler. Handlers set m.quiet when nothing visible
// changed, so View can return the previous frame.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.updates.Add(1)
	m.quiet = false
	cmd := m.update(msg)
	if !m.quiet {
		m.dirty = true
		if !chatStreamMsg(msg) {
			m.full = true
		}
	}
	return m, cmd
}

// chatStreamMsg reports whether msg is one of the chat stream's, whose handlers change the
// chat pane and nothing else.
func chatStreamMsg(msg tea.Msg) bool {
	switch msg.(type) {
	case chatDeltaMsg, chatFrameMsg, chatWaitMsg, chatDoneMsg:
		return true
	}
	return false
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.lay = computeLayout(m.w, m.h)
		m.sizeWidgets()
		return nil
	case tea.BackgroundColorMsg:
		m.applyTheme(msg.IsDark())
		return nil
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.PasteMsg:
		return m.handlePaste(msg)
	case tea.MouseClickMsg:
		return m.handleClick(msg)
	case tea.MouseWheelMsg:
		return m.handleWheel(msg)
	case tea.MouseMsg:
		m.quiet = true // motion and releases change nothing
		return nil
	case engineMsg:
		return m.handleEngine(msg.ev)
	case playerMsg:
		return m.handlePlayer(msg)
	case tickMsg:
		return m.handleTick()
	case chatDeltaMsg, chatFrameMsg, chatWaitMsg, chatDoneMsg, chatHistoryMsg:
		return m.handleChat(msg)
	}
	return m.handleResult(msg)
}

// View renders the screen, or returns the previous frame when nothing changed.
func (m *Model) View() tea.View {
	if m.dirty || m.frame == "" {
		m.frame = m.render()
		m.dirty = false
		m.renders.Add(1)
	}
	v := tea.NewView(m.frame)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "sunostudio"
	return v
}

// Stats reports how many messages were handled and how many frames were rendered (tests and
// the idle benchmark use it).
// Safe to call from any goroutine.
func (m *Model) Stats() (updates, renders int) {
	return int(m.updates.Load()), int(m.renders.Load())
}

// setNotice shows a short message in the status line.
func (m *Model) setNotice(s string) {
	m.notice, m.noticeAt = s, m.now()
}

// setProblem records the last error for the status line and the log. what (in the language in
// use) says what failed; "" leaves the error to say it.
func (m *Model) setProblem(what string, err error) {
	if err == nil {
		return
	}
	if what == "" {
		m.problem = strings.TrimSpace(i18n.T("ui.problem.bare", err.Error()))
	} else {
		m.problem = strings.TrimSpace(i18n.T("ui.problem.what", what, err.Error()))
	}
	m.log.Warn("ui", "problem", m.problem)
}

// editing reports whether the focused pane has a text field with the keyboard: then single
// keys type text instead of triggering actions.
func (m *Model) editing() bool {
	switch m.focus {
	case paneCreate:
		return m.create.editingText()
	case paneLyrics:
		return m.lyrics.editing
	case paneLibrary:
		return m.lib.editing()
	case paneChat:
		return m.chat.editing
	}
	return false
}

func (m *Model) setFocus(p paneID) tea.Cmd {
	if p == m.focus {
		return nil
	}
	// Leaving a pane takes the keyboard out of its text field.
	switch m.focus {
	case paneCreate:
		for _, in := range m.create.inputs {
			in.Blur()
		}
	case paneLyrics:
		m.lyrics.setEditing(false)
	case paneLibrary:
		if m.lib.filtering {
			m.lib.filtering = false
			m.lib.input.Blur()
		}
	case paneChat:
		m.chat.input.Blur()
	}
	m.focus = p
	switch p {
	case paneCreate:
		m.leftChat = false
		m.create.focusField(m.create.field)
	case paneLyrics:
		m.leftChat = false
		// Arriving in the editor means writing: the keyboard goes straight into it.
		return m.lyrics.setEditing(true)
	case paneChat:
		m.leftChat = true
		// What arrived while the pane was hidden is drawn now.
		m.chat.flush(m.libRow)
		// Arriving in chat means asking: the keyboard goes into the prompt box.
		return m.chat.setEditing(true)
	}
	return nil
}

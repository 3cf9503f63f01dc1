package ui

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/store"
	"sunostudio/studio"
)

// Chat streaming, the root's side. engine.Chat runs in a Cmd's goroutine for as long as the
// answer streams; its updates reach Update as chatDeltaMsg through Program.Send, tagged with
// the stream's number so that a stopped or older stream's late messages are dropped. Update
// only stores a delta; the text is drawn by frames: the first delta after a pause at once, the
// rest at most chatFrame apart (a frame tick runs only while text keeps coming). A one-shot
// watchdog notices silences and then ticks once a second to count the wait. Nothing ticks when
// no answer is streaming.

const (
	// chatFrame caps redraws while text streams at ~30 a second.
	chatFrame = time.Second / 30
	// chatWaitAfter is the silence after which the pane says it is waiting for the relay.
	chatWaitAfter = 2 * time.Second
	// chatExitWait bounds how long the program waits at exit for a stopped chat to let go of
	// the engine.
	chatExitWait = 5 * time.Second
)

// chatFunc runs one chat (Engine.Chat); tests substitute a scripted one.
type chatFunc func(ctx context.Context, req client.ChatRequest, on func(client.ChatUpdate)) (*store.Task, client.ChatResult, error)

// chatRun is one engine.Chat goroutine: stopped by cancel, waited for at exit.
type chatRun struct {
	cancel  context.CancelFunc
	started atomic.Bool
	done    chan struct{}
}

// chatCmd runs the chat. The goroutine never touches the model: updates go out through send
// (Program.Send) and the result is the Cmd's message.
func chatCmd(run chatFunc, send func(tea.Msg), ctx context.Context, r *chatRun, id int, req client.ChatRequest) tea.Cmd {
	return func() tea.Msg {
		r.started.Store(true)
		defer close(r.done)
		defer r.cancel() // releases the context
		on := func(u client.ChatUpdate) {
			if send != nil {
				send(chatDeltaMsg{id: id, u: u})
			}
		}
		task, res, err := run(ctx, req, on)
		return chatDoneMsg{id: id, task: task, res: res, err: err}
	}
}

func loadChatHistoryCmd(st *store.Store) tea.Cmd {
	return func() tea.Msg {
		var h []string
		ok, err := st.Setting(chatHistoryKey, &h)
		return chatHistoryMsg{items: h, ok: ok, err: err}
	}
}

func saveChatHistoryCmd(st *store.Store, h []string) tea.Cmd {
	return func() tea.Msg {
		if st.ReadOnly() {
			return nil
		}
		if err := st.SetSetting(chatHistoryKey, h); err != nil {
			return noticeMsg{text: i18n.T("chat.history_not_saved", err.Error()), err: true}
		}
		return nil
	}
}

const chatHistoryKey = "chat_history"

// sendChat starts a chat with the prompt (enter in the prompt box, r for the last prompt).
func (m *Model) sendChat(prompt string) tea.Cmd {
	c := &m.chat
	prompt = strings.TrimSpace(prompt)
	if prompt == "" {
		m.quiet = true
		return nil
	}
	if c.active {
		k, _ := m.keys.short(ActChatStop)
		m.setNotice(i18n.T("chat.still_streaming", k))
		return nil
	}
	id := c.seq + 1
	c.begin(id, prompt, m.now())
	hist := c.remember(prompt)
	ctx, cancel := context.WithCancel(context.Background())
	r := &chatRun{cancel: cancel, done: make(chan struct{})}
	m.chatRuns[id] = r
	return tea.Batch(
		chatCmd(m.chatFn, m.send, ctx, r, id, client.ChatRequest{Prompt: prompt}),
		saveChatHistoryCmd(m.st, hist),
		m.chatWatch(id, time.Second), // nothing has arrived yet: count the wait from the start
	)
}

// stopChat is esc while the answer streams: the stream's context is cancelled and what
// arrived stays. The engine keeps the chat's task and follows its songs where it can.
func (m *Model) stopChat() {
	c := &m.chat
	if !c.active {
		return
	}
	if r := m.chatRuns[c.seq]; r != nil {
		r.cancel()
	}
	c.flush(m.libRow)
	c.active, c.stopped, c.waiting = false, true, false
	c.status, c.statusKind = i18n.T("chat.stopped"), lineNote
}

// stopAllChats cancels every chat still running and waits (bounded) for their goroutines, so
// the engine is not closed under them. Called after the program ended.
func (m *Model) stopAllChats() {
	deadline := time.After(chatExitWait)
	for _, r := range m.chatRuns {
		r.cancel()
		if !r.started.Load() {
			continue // the program ended before running the Cmd
		}
		select {
		case <-r.done:
		case <-deadline:
			m.log.Warn("a chat did not stop in time") // i18n:ignore: a log message
			return
		}
	}
}

func (m *Model) libRow(id string) *libRow { return m.lib.byID[id] }

// handleChat routes the chat messages.
func (m *Model) handleChat(msg tea.Msg) tea.Cmd {
	c := &m.chat
	switch msg := msg.(type) {
	case chatDeltaMsg:
		if msg.id != c.seq || !c.active {
			m.quiet = true // a stopped or older stream
			return nil
		}
		c.take(msg.u, m.now())
		if c.frameDue || !m.visible(paneChat) {
			m.quiet = true // the next frame (or showing the pane) draws it
			return nil
		}
		c.flush(m.libRow)
		return m.chatFrameTick(msg.id)
	case chatFrameMsg:
		if msg.id != c.seq {
			m.quiet = true
			return nil
		}
		c.frameDue = false
		if !c.pend.dirty || !m.visible(paneChat) {
			m.quiet = true // nothing came since the last frame: the frames stop here
			return nil
		}
		c.flush(m.libRow)
		return m.chatFrameTick(msg.id)
	case chatWaitMsg:
		return m.chatWait(msg)
	case chatDoneMsg:
		return m.chatDone(msg)
	case chatHistoryMsg:
		m.quiet = true
		if msg.err != nil {
			m.log.Warn("chat history", "err", msg.err) // i18n:ignore: a log message
		}
		if msg.ok {
			c.loadedHistory(msg.items)
		}
	}
	return nil
}

func (m *Model) chatFrameTick(id int) tea.Cmd {
	m.chat.frameDue = true
	return m.tick(chatFrame, func(time.Time) tea.Msg { return chatFrameMsg{id} })
}

func (m *Model) chatWatch(id int, d time.Duration) tea.Cmd {
	return m.tick(d, func(time.Time) tea.Msg { return chatWaitMsg{id} })
}

// chatWait is the silence watchdog: one timer per stream. While text flows it wakes when the
// silence would become long enough to show; while waiting it ticks every second to count.
func (m *Model) chatWait(msg chatWaitMsg) tea.Cmd {
	c := &m.chat
	if msg.id != c.seq || !c.active {
		m.quiet = true // the stream ended: the watchdog ends with it
		return nil
	}
	silent := m.now().Sub(c.lastAt)
	if c.got == 0 || silent >= chatWaitAfter {
		c.waiting = true
		if !m.visible(paneChat) {
			m.quiet = true
		}
		return m.chatWatch(msg.id, time.Second)
	}
	m.quiet = true
	return m.chatWatch(msg.id, chatWaitAfter-silent)
}

// chatDone settles the exchange: the text the relay sent that has not been drawn, and how
// the stream ended, in words.
func (m *Model) chatDone(msg chatDoneMsg) tea.Cmd {
	delete(m.chatRuns, msg.id)
	c := &m.chat
	if msg.id != c.seq {
		m.quiet = true
		return nil
	}
	if msg.task != nil {
		c.taskID = msg.task.ID
	}
	if c.stopped {
		if msg.task != nil && !msg.task.Finished() && len(c.cards) > 0 {
			c.status = i18n.T("chat.stopped_still_making")
		}
		return nil
	}
	// The pieces of Shown add up to the result's text; anything not delivered as a delta
	// (a program that was not running yet) is added here, so the transcript is never short.
	if c.got < len(msg.res.Text) {
		c.take(client.ChatUpdate{Shown: msg.res.Text[c.got:]}, m.now())
	}
	if msg.res.Clips != nil {
		c.pend.clips, c.pend.dirty = msg.res.Clips, true
	}
	c.flush(m.libRow)
	c.active, c.waiting = false, false
	c.status, c.statusKind, c.headline = chatOutcome(msg, len(c.cards))
	return nil
}

func msgGot(msg chatDoneMsg) bool { return msg.res.Text != "" }

// chatOutcome says how an exchange ended: a sentence for under the transcript, its style, and
// a word or two for the pane's border.
func chatOutcome(msg chatDoneMsg, songs int) (string, lineKind, string) {
	err, t := msg.err, msg.task
	var ce *client.Error
	errors.As(err, &ce)
	canceled := errors.Is(err, context.Canceled) || (ce != nil && ce.Kind == client.KindCanceled)
	following := t != nil && !t.Finished() && songs > 0
	switch {
	case err == nil && songs == 0:
		if t != nil && t.Error != "" {
			return "✗ " + studio.Localize(t.Error), lineError, i18n.T("chat.head.no_songs")
		}
		return i18n.T("chat.no_songs"), lineNote, i18n.T("chat.head.no_songs")
	case err == nil:
		return i18n.N("chat.done", songs), lineNote, i18n.N("chat.head.songs", songs)
	case canceled:
		return i18n.T("chat.stopped"), lineNote, i18n.T("chat.header.stopped")
	case errors.Is(err, studio.ErrReadOnly):
		return "✗ " + err.Error(), lineError, i18n.T("chat.head.read_only")
	}
	// The client's message is already in words ("the stream was cut after 1234 bytes; what
	// arrived is kept"); the kind says what happened.
	detail := err.Error()
	if ce != nil && ce.Message != "" {
		detail = ce.Message
	}
	s, head, said := "✗ "+err.Error(), i18n.T("chat.head.failed"), err.Error()
	switch {
	case errors.Is(err, client.ErrNetwork):
		s, head, said = i18n.T("chat.cut", detail), i18n.T("chat.head.ended_early"), detail
	case errors.Is(err, client.ErrTimeout):
		s, head, said = i18n.T("chat.silent", detail), i18n.T("chat.head.ended_early"), detail
	case errors.Is(err, client.ErrUpstream):
		s, head, said = i18n.T("chat.relay_error", detail), i18n.T("chat.head.relay_error"), detail
	}
	// The client's own words may already say that what arrived is kept (its stream messages
	// do, in the language in use; "kept" is how English text other than the client's says it).
	kept := strings.Contains(said, "kept") || strings.Contains(said, i18n.T("chat.kept_phrase"))
	if !kept && msgGot(msg) {
		s = i18n.T("chat.kept", s)
	}
	if following {
		s = i18n.T("chat.following", s)
	}
	return s, lineError, head
}

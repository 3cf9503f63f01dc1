package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"sunostudio/internal/i18n"
)

// handleKey routes a key press: overlay first, then the keys that work everywhere (even in
// text fields: they use ctrl or are tab/esc), then the focused pane, then the single-letter
// global keys (player, help, quit), which only work outside text fields.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	km := m.keys
	if m.lay.tooSmall {
		if msg.String() == "ctrl+c" || km.is(msg, ActQuit) {
			return m.requestQuit()
		}
		m.quiet = true
		return nil
	}
	if m.ov.kind != ovNone {
		return m.overlayKey(msg)
	}
	if m.karaoke {
		return m.handleKaraokeKey(msg)
	}
	editing := m.editing()
	// A binding that is a plain character never fires inside a text field: it is text.
	global := func(a Action) bool { return km.is(msg, a) && !(editing && typed(msg)) }
	switch {
	case global(ActQuit):
		return m.requestQuit()
	case global(ActSubmit) && m.focus == paneChat:
		return m.sendChat(m.chat.input.Value()) // in chat, "create the song" is asking for it
	case global(ActSubmit):
		return m.submit()
	case global(ActNextPane):
		return m.setFocus((m.focus + 1) % numPanes)
	case global(ActPrevPane):
		return m.setFocus((m.focus + numPanes - 1) % numPanes)
	case global(ActHelp):
		m.ov = overlay{kind: ovHelp}
		return nil
	}
	if handled, cmd := m.paneKey(msg); handled {
		return cmd
	}
	if editing {
		return nil
	}
	switch {
	case km.is(msg, ActFocusCreate):
		return m.setFocus(paneCreate)
	case km.is(msg, ActFocusLyrics):
		return m.setFocus(paneLyrics)
	case km.is(msg, ActFocusTasks):
		return m.setFocus(paneTasks)
	case km.is(msg, ActFocusLib):
		return m.setFocus(paneLibrary)
	case km.is(msg, ActFocusChat):
		return m.setFocus(paneChat)
	case km.is(msg, ActKaraoke):
		return m.karaokeKey()
	default:
		if cmd, ok := m.markKey(msg); ok {
			return cmd
		}
		if cmd, ok := m.takeKey(msg); ok {
			return cmd
		}
		if cmd, ok := m.playerKey(msg); ok {
			return cmd
		}
		m.quiet = true // an unbound key changes nothing
	}
	return nil
}

// paneKey gives the key to the focused pane and carries out what it asks for.
func (m *Model) paneKey(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	page := max(1, m.lay.panes[m.focus].h-4)
	var handled bool
	var intent any
	var cmd tea.Cmd
	switch m.focus {
	case paneCreate:
		title, tags := m.create.value(fTitle), m.create.value(fTags)
		handled, intent, cmd = m.create.handleKey(m.keys, msg)
		if handled {
			m.create.note = ""
		}
		if m.create.value(fTitle) != title || m.create.value(fTags) != tags {
			m.lyrics.seq++ // the draft keeps the title and tags with the lyrics
			cmd = tea.Batch(cmd, m.scheduleDraftSave())
		}
	case paneLyrics:
		before := m.lyrics.seq
		handled, intent, cmd = m.lyrics.handleKey(m.keys, msg)
		if m.lyrics.seq != before {
			cmd = tea.Batch(cmd, m.scheduleDraftSave())
		}
	case paneTasks:
		handled, intent = m.tasks.handleKey(m.keys, msg, page)
	case paneLibrary:
		handled, intent, cmd = m.lib.handleKey(m.keys, msg, page)
	case paneChat:
		handled, intent, cmd = m.chat.handleKey(m.keys, msg)
	}
	if !handled {
		return false, nil
	}
	if intent != nil {
		cmd = tea.Batch(cmd, m.do(intent))
	}
	return true, cmd
}

func (m *Model) handlePaste(msg tea.PasteMsg) tea.Cmd {
	if m.ov.kind == ovPrompt {
		var cmd tea.Cmd
		m.ov.input, cmd = m.ov.input.Update(msg)
		return cmd
	}
	if m.ov.kind == ovCraft {
		return m.formPaste(msg)
	}
	switch m.focus {
	case paneCreate:
		return m.create.paste(msg)
	case paneLyrics:
		if m.lyrics.editing {
			return tea.Batch(m.lyrics.paste(msg), m.scheduleDraftSave())
		}
	case paneLibrary:
		if m.lib.filtering {
			var cmd tea.Cmd
			m.lib.input, cmd = m.lib.input.Update(msg)
			m.lib.setQuery(m.lib.input.Value())
			return cmd
		}
	case paneChat:
		if m.chat.editing {
			var cmd tea.Cmd
			m.chat.input, cmd = m.chat.input.Update(msg)
			return cmd
		}
	}
	m.quiet = true
	return nil
}

// do carries out an intent from a pane or a dialog: every piece of I/O becomes a Cmd here.
func (m *Model) do(intent any) tea.Cmd {
	switch it := intent.(type) {
	case nil:
		return nil
	case pickModelIntent:
		m.openModels()
	case lyricsPromptIntent:
		if m.lyrics.pending != "" {
			m.lyrics.note, m.lyrics.noteErr = i18n.T("lyrics.already_running"), true
			return nil
		}
		return m.openPrompt()
	case submitLyrics:
		m.lyrics.pending = "…"
		m.lyrics.note = ""
		return submitLyricsCmd(m.eng, it.prompt)
	case retryIntent:
		m.setNotice(i18n.T("tasks.resubmitting", it.id))
		return retryCmd(m.eng, it.id)
	case recheckIntent:
		return recheckCmd(m.eng, it.id)
	case showClipsIntent:
		m.lib.showTask(it.taskID)
		m.lib.input.SetValue("")
		m.lib.setQuery("")
		return m.setFocus(paneLibrary)
	case playIntent:
		return playCmd(m.st, m.pl, m.o.Source, it.id, false)
	case queueIntent:
		return playCmd(m.st, m.pl, m.o.Source, it.id, true)
	case favIntent:
		return favCmd(m.eng, it.id)
	case detailIntent:
		m.lib.loadingInfo = it.id
		return detailCmd(m.eng, it.id)
	case jumpIntent:
		m.lib.jumpTo(it.id)
		m.lib.loadingInfo = it.id
		return detailCmd(m.eng, it.id)
	case deleteIntent:
		title := line(it.title)
		if title == "" {
			title = it.id
		}
		m.openConfirm(i18n.T("ui.dialog.delete.title"), []string{
			i18n.T("ui.dialog.delete.question", title),
			i18n.T("ui.dialog.delete.undoable"),
		}, confirmedDelete{it.id, it.title})
	case confirmedDelete:
		return deleteCmd(m.eng, it.id, it.title)
	case craftIntent:
		return m.openCraft(it)
	case exportIntent:
		path := exportPath(m.o.ExportDir, m.now())
		m.setNotice(i18n.T("ui.notice.exporting"))
		return exportCmd(m.st, path)
	case quitIntent:
		return m.quit()
	case chatSendIntent:
		return m.sendChat(it.prompt)
	case chatStopIntent:
		m.stopChat()
	}
	return nil
}

// requestQuit quits at once when nothing is in flight, else asks first: pending tasks and
// downloads are not lost (they resume at the next start), but the user should know.
func (m *Model) requestQuit() tea.Cmd {
	pending := m.eng.Pending()
	if pending == 0 && m.eng.Idle() && !m.chat.active {
		return m.quit()
	}
	var what string
	switch {
	case m.chat.active:
		// Quitting stops the stream; the chat's task resumes at the next start.
		what = i18n.T("ui.dialog.quit.chat")
	case pending > 0:
		what = i18n.N("ui.dialog.quit.tasks", pending)
	default:
		what = i18n.T("ui.dialog.quit.downloads")
	}
	m.openConfirm(i18n.T("ui.dialog.quit.title"), []string{
		what,
		i18n.T("ui.dialog.quit.nothing_lost"),
	}, quitIntent{force: true})
	return nil
}

// quit saves the lyrics draft (when it changed) and ends the program.
func (m *Model) quit() tea.Cmd {
	if m.draftChanged() {
		return tea.Sequence(saveDraftCmd(m.st, m.draft(), m.lyrics.seq), tea.Quit)
	}
	return tea.Quit
}

// scheduleDraftSave debounces draft saving: each edit restarts a short one-shot timer, and
// only the timer of the last edit saves. No timer runs while the text does not change.
func (m *Model) scheduleDraftSave() tea.Cmd {
	seq := m.lyrics.seq
	return m.tick(draftDelay, func(time.Time) tea.Msg { return draftSaveMsg{seq} })
}

const draftDelay = 800 * time.Millisecond

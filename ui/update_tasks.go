package ui

import (
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"sunostudio/internal/i18n"
	"sunostudio/store"
	"sunostudio/studio"
)

// handleEngine applies an engine event. Events are published after the change was stored, so
// the pane state can take them as the truth.
func (m *Model) handleEngine(ev studio.Event) tea.Cmd {
	switch ev.Kind {
	case studio.TaskUpdated:
		if ev.Task == nil {
			break
		}
		m.tasks.upsertTask(ev.Task)
		cmd := m.lyricsResult(ev.Task)
		return tea.Batch(cmd, m.startTick(), m.assetTaskDone(ev.Task))
	case studio.ClipUpdated:
		if ev.Clip == nil {
			break
		}
		m.tasks.upsertClip(ev.Clip)
		m.lib.upsert(store.RowOf(ev.Clip))
		m.chat.fromLibrary(ev.Clip)
		return m.detailSeesClip(ev.Clip)
	case studio.DownloadProgress:
		if ev.Clip == nil {
			m.quiet = true
			break
		}
		// Both run: the Tasks pane and a chat card may show the same clip.
		changed := m.tasks.progress(ev.Clip, ev.Bytes, ev.Total)
		if m.chat.downloadProgress(ev.Clip.ID, ev.Bytes, ev.Total) {
			changed = true
		}
		if !changed {
			m.quiet = true // same percentage as before: nothing to redraw
		}
	case studio.QuotaUpdated:
		m.quota = ev.Quota
	case studio.PeaksReady:
		return m.peaksReady(ev)
	case studio.Problem:
		if ev.Err != nil {
			m.setProblem("", ev.Err)
		}
	default:
		m.quiet = true
	}
	return nil
}

// detailSeesClip keeps the open details in step with a changed clip: the clip itself and its
// relatives are updated in place; a clip new to the family (an extension or a stem that just
// appeared) reads the family again.
func (m *Model) detailSeesClip(c *store.Clip) tea.Cmd {
	d := m.lib.detail
	if d == nil {
		return nil
	}
	if d.c.ID == c.ID {
		d.c = c
	}
	known := false
	for i := range d.rel {
		if d.rel[i].id == c.ID {
			d.rel[i].c = c
			known = true
		}
	}
	if !known && c.ParentID == d.c.ID && m.lib.loadingInfo == "" {
		m.lib.loadingInfo = d.c.ID
		return detailCmd(m.eng, d.c.ID)
	}
	return nil
}

// lyricsResult puts a finished lyrics task's text in the editor, if it is the one the editor
// asked for.
func (m *Model) lyricsResult(t *store.Task) tea.Cmd {
	if t.ID != m.lyrics.pending || !t.Finished() {
		return nil
	}
	m.lyrics.pending = ""
	if t.Status != store.TaskSucceeded || t.LyricsText == "" {
		msg := i18n.T("lyrics.task_failed")
		if t.Error != "" {
			msg = i18n.T("lyrics.task_failed_because", studio.Localize(t.Error))
		}
		m.lyrics.note, m.lyrics.noteErr = msg, true
		return nil
	}
	m.lyrics.replace(clean(t.LyricsText))
	k, _ := m.keys.short(ActUndoLyrics)
	m.lyrics.note, m.lyrics.noteErr = i18n.T("lyrics.written", line(t.LyricsTitle), k), false
	if m.create.custom && m.create.value(fTitle) == "" && t.LyricsTitle != "" {
		m.create.inputs[fTitle].SetValue(line(t.LyricsTitle))
	}
	return m.scheduleDraftSave()
}

// startTick schedules the elapsed-time tick if a task is running and the Tasks pane shows.
// One tick at a time; it stops by itself when nothing runs.
func (m *Model) startTick() tea.Cmd {
	if m.ticking || !m.tasks.unfinished() {
		return nil
	}
	m.ticking = true
	return m.tick(time.Second, func(time.Time) tea.Msg { return tickMsg{} })
}

func (m *Model) handleTick() tea.Cmd {
	m.ticking = false
	if !m.tasks.unfinished() {
		m.quiet = true
		return nil
	}
	if !m.visible(paneTasks) {
		m.quiet = true // keep counting, but there is nothing on screen to redraw
	}
	return m.startTick()
}

// submit validates the form and starts the generation in a Cmd.
func (m *Model) submit() tea.Cmd {
	if m.create.submitting {
		m.quiet = true
		return nil
	}
	r, err := m.create.request(m.lyrics.value())
	if err != nil {
		m.create.note, m.create.noteErr = err.Error(), true
		return nil
	}
	m.create.submitting = true
	m.create.note = ""
	return submitCmd(m.eng, r)
}

// handleResult handles the answers of Cmds.
func (m *Model) handleResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case rowsMsg:
		if msg.err != nil {
			m.setProblem(i18n.T("ui.what.library"), msg.err)
			return nil
		}
		m.lib.setRows(msg.rows, true)
	case tasksMsg:
		if msg.err != nil {
			m.setProblem(i18n.T("ui.what.tasks"), msg.err)
		}
		m.tasks.set(msg.items)
		return m.startTick()
	case draftMsg:
		if msg.err != nil {
			m.setProblem(i18n.T("ui.what.lyrics_draft"), msg.err)
		}
		if msg.ok && m.lyrics.value() == "" {
			// A draft may carry escape sequences (an imported export, relay lyrics saved by an
			// older version). The text fields drop ESC and BEL themselves but would keep the
			// rest ("]52;c;…"), on screen, in the saved draft and in what ctrl+s sends: clean
			// it like every other relay text. The saved draft stays as read, so the cleaned
			// one is written back at the next save.
			m.lyrics.ta.SetValue(clean(msg.d.Text))
			m.lyrics.ta.MoveToBegin()
			m.lyrics.saved = store.Draft{Name: draftName, Title: msg.d.Title, Tags: msg.d.Tags, Text: msg.d.Text}
			if m.create.value(fTitle) == "" {
				m.create.inputs[fTitle].SetValue(line(msg.d.Title))
			}
			if m.create.value(fTags) == "" {
				m.create.inputs[fTags].SetValue(line(msg.d.Tags))
			}
		}
	case draftSaveMsg:
		if msg.seq != m.lyrics.seq || !m.draftChanged() {
			m.quiet = true // a newer edit restarted the timer, or nothing to save
			return nil
		}
		return saveDraftCmd(m.st, m.draft(), m.lyrics.seq)
	case draftSavedMsg:
		if msg.err != nil {
			m.setProblem(i18n.T("ui.what.saving_draft"), msg.err)
			return nil
		}
		m.lyrics.saved = msg.d
	case volumeMsg:
		m.quiet = true
		if msg.ok {
			m.plr.savedVolume = msg.volume
			v := msg.volume
			return playerCmd(m.pl, func(p Player) { p.SetVolume(v) })
		}
		m.plr.savedVolume = -1
	case submitMsg:
		return m.submitted(msg)
	case retryMsg:
		if msg.err != nil {
			m.setProblem(i18n.T("ui.what.retry", msg.from), msg.err)
			return nil
		}
		m.tasks.upsertTask(msg.task)
		m.tasks.selectID(msg.task.ID)
		m.setNotice(i18n.T("tasks.resubmitted", msg.task.ID))
		return m.startTick()
	case favMsg:
		if msg.err != nil {
			m.setProblem(i18n.T("ui.what.favourite"), msg.err)
			return nil
		}
		m.lib.upsert(store.RowOf(msg.clip))
		if msg.kept {
			notice := i18n.T("ui.notice.kept", line(msg.clip.Title))
			if i := m.takes.index(msg.clip.ID); i >= 0 && len(m.takes.ids) > 1 {
				notice = i18n.T("ui.notice.kept_take", takeName(i), line(msg.clip.Title))
			}
			m.setNotice(notice)
		}
		return m.detailSeesClip(msg.clip)
	case deletedMsg:
		if msg.err != nil {
			m.setProblem(i18n.T("ui.what.delete"), msg.err)
			return nil
		}
		m.lib.remove(msg.id)
		m.setNotice(i18n.T("ui.notice.deleted", line(msg.title)))
	case detailMsg:
		if msg.id != m.lib.loadingInfo {
			m.quiet = true // the user asked for another clip since
			return nil
		}
		m.lib.loadingInfo = ""
		if msg.e != nil {
			m.setProblem(i18n.T("ui.what.details"), msg.e)
			return nil
		}
		if d := m.lib.detail; d != nil && d.c.ID == msg.d.c.ID {
			// A refresh of the clip on screen (a new relative arrived): keep the place.
			sel := d.rel[min(m.lib.relSel, len(d.rel)-1)].id
			top := m.lib.detailTop
			m.lib.setDetail(msg.d)
			m.lib.detailTop = top
			for i, r := range msg.d.rel {
				if r.id == sel && r.c != nil {
					m.lib.relSel = i
				}
			}
			return nil
		}
		m.lib.setDetail(msg.d)
	case playMsg:
		if msg.err != nil {
			m.setProblem(i18n.T("ui.what.play"), msg.err)
			return nil
		}
		if msg.queued {
			m.setNotice(i18n.T("ui.notice.queued", line(msg.title)))
		}
	case exportMsg:
		if msg.err != nil {
			m.setProblem("", msg.err)
			return nil
		}
		m.setNotice(i18n.T("ui.notice.exported", msg.path))
	case quotaMsg:
		if msg.err != nil {
			m.log.Debug("quota", "err", msg.err)
			m.quiet = true
			return nil
		}
		if msg.q != nil {
			m.quota = msg.q
		}
	case craftMsg:
		return m.handleCraft(msg)
	case switchedMsg:
		m.handleSwitched(msg)
	case peaksMsg:
		m.handlePeaks(msg)
	case timingMsg:
		return m.handleTiming(msg)
	case takesMsg:
		if msg.id != m.plr.st.Track.ID {
			m.quiet = true // the track changed again since
			return nil
		}
		m.takes = takes{trackID: msg.id, ids: msg.ids}
	case personasMsg:
		m.handlePersonas(msg)
	case supportMsg:
		if msg.s == m.support {
			m.quiet = true
		}
		m.support = msg.s
	case assetDoneMsg:
		m.handleAssetDone(msg)
	case noticeMsg:
		if msg.err {
			m.problem = msg.text
		} else {
			m.setNotice(msg.text)
		}
	default:
		m.quiet = true
	}
	return nil
}

func (m *Model) submitted(msg submitMsg) tea.Cmd {
	if msg.lyrics {
		if msg.err != nil {
			m.lyrics.pending = ""
			m.lyrics.note, m.lyrics.noteErr = i18n.T("lyrics.write_failed", msg.err.Error()), true
			return nil
		}
		m.lyrics.pending = msg.task.ID
		it := m.tasks.upsertTask(msg.task)
		// The task may have finished (by event) before this answer arrived.
		return tea.Batch(m.lyricsResult(it.t), m.startTick())
	}
	m.create.submitting = false
	if msg.err != nil {
		m.create.note, m.create.noteErr = i18n.T("create.not_submitted", msg.err.Error()), true
		if errors.Is(msg.err, studio.ErrReadOnly) {
			m.create.note = msg.err.Error()
		}
		return nil
	}
	m.tasks.upsertTask(msg.task)
	m.tasks.selectID(msg.task.ID)
	m.create.note, m.create.noteErr = i18n.T("create.submitted", msg.task.ID), false
	return m.startTick()
}

// draft is the editor's working draft, with the form's title and tags.
func (m *Model) draft() store.Draft {
	return store.Draft{Name: draftName, Title: m.create.value(fTitle), Tags: m.create.value(fTags), Text: m.lyrics.value()}
}

// draftChanged reports whether the draft differs from what was last saved (or restored).
func (m *Model) draftChanged() bool {
	d, s := m.draft(), m.lyrics.saved
	return d.Text != s.Text || d.Title != s.Title || d.Tags != s.Tags
}

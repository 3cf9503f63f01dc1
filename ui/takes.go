package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"sunostudio/internal/i18n"
	"sunostudio/store"
)

// A/B takes: every music task yields two takes. One key plays the other take of the current
// clip's task from the same position, so they can be compared bar by bar; another marks the
// one playing as the keeper (favourite).

// takes is the current track's task and its playable takes, in the task's order.
type takes struct {
	trackID string
	ids     []string
}

// index is the current track's place among the takes (-1 when unknown).
func (t takes) index(id string) int {
	for i, x := range t.ids {
		if x == id {
			return i
		}
	}
	return -1
}

// takeName is how takes are called: A, B, C ...
func takeName(i int) string {
	if i < 0 || i > 25 {
		return fmt.Sprint(i + 1)
	}
	return string(rune('A' + i))
}

type takesMsg struct {
	id  string
	ids []string
}

// switchedMsg says which take now plays.
type switchedMsg struct {
	from, to, title string
	ids             []string
	pos             time.Duration
	err             error
}

// playableTakes are the clips of a clip's task that can be played (not failed), task order.
func playableTakes(st *store.Store, id string) ([]string, error) {
	c, err := st.Clip(id)
	if err != nil {
		return nil, err
	}
	if c.TaskID == "" {
		return []string{c.ID}, nil
	}
	clips, err := st.ClipsOfTask(c.TaskID)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, k := range clips {
		if k.Status != store.ClipFailed {
			ids = append(ids, k.ID)
		}
	}
	return ids, nil
}

func takesCmd(st *store.Store, id string) tea.Cmd {
	return func() tea.Msg {
		ids, _ := playableTakes(st, id)
		return takesMsg{id: id, ids: ids}
	}
}

// switchTakeCmd plays the take after id in its task at pos: Play then Seek, in this order on
// one goroutine, so the new track is open when the seek arrives.
func switchTakeCmd(st *store.Store, pl Player, source SourceFunc, id string, pos time.Duration) tea.Cmd {
	return func() tea.Msg {
		ids, err := playableTakes(st, id)
		if err != nil {
			return switchedMsg{from: id, err: err}
		}
		i := -1
		for j, x := range ids {
			if x == id {
				i = j
			}
		}
		if len(ids) < 2 || i < 0 {
			return switchedMsg{from: id, err: errors.New(i18n.T("player.takes.only_one"))}
		}
		next := ids[(i+1)%len(ids)]
		c, err := st.Clip(next)
		if err != nil {
			return switchedMsg{from: id, err: err}
		}
		ctx, cancel := context.WithTimeout(context.Background(), playTimeout)
		defer cancel()
		src, err := source(ctx, c)
		if err != nil {
			return switchedMsg{from: id, to: next, err: err}
		}
		pl.Play(src)
		got := pl.Seek(pos)
		return switchedMsg{from: id, to: next, title: c.Title, ids: ids, pos: got}
	}
}

// keepCmd marks a take as the keeper: favourite on (not a toggle: pressing it twice while
// comparing must not undo the choice).
func (m *Model) keepCmd(id string) tea.Cmd {
	e := m.eng
	return func() tea.Msg {
		c, err := e.SetFavorite(id, true)
		return favMsg{clip: c, err: err, kept: true}
	}
}

// takeKey handles the A/B keys (outside text fields).
func (m *Model) takeKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	km := m.keys
	switch {
	case km.is(msg, ActSwitchTake):
		id := m.plr.st.Track.ID
		if _, ok := m.positionIn(id); !ok {
			m.problem = i18n.T("player.takes.nothing_playing")
			return nil, true
		}
		return switchTakeCmd(m.st, m.pl, m.o.Source, id, m.plr.st.Position), true
	case km.is(msg, ActKeepTake):
		id := m.plr.st.Track.ID
		if id == "" {
			m.problem = i18n.T("player.takes.nothing_to_keep")
			return nil, true
		}
		return m.keepCmd(id), true
	}
	return nil, false
}

func (m *Model) handleSwitched(msg switchedMsg) {
	if msg.err != nil {
		m.setProblem(i18n.T("player.takes.other_take"), msg.err)
		return
	}
	m.takes = takes{trackID: msg.to, ids: msg.ids}
	i := m.takes.index(msg.to)
	m.setNotice(i18n.T("player.takes.switched", takeName(i), len(msg.ids), line(msg.title),
		clock(msg.pos), actionKey(m.keys, ActKeepTake)))
}

// takeLabel is the info line's "take A of 2", when the current track has takes to compare.
func (m *Model) takeLabel() string {
	id := m.plr.st.Track.ID
	if id == "" || m.takes.trackID != id || len(m.takes.ids) < 2 {
		return ""
	}
	return i18n.T("player.takes.label", takeName(m.takes.index(id)), len(m.takes.ids))
}

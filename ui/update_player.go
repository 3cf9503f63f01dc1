package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"sunostudio/player"
)

const (
	seekStep   = 10 * time.Second
	volumeStep = 5
)

// handlePlayer applies a player event. Events of an older play generation are dropped; a
// position event that does not change what the bar shows causes no render.
func (m *Model) handlePlayer(msg playerMsg) tea.Cmd {
	if msg.ev.Gen < m.plr.gen {
		m.quiet = true // stale: from a track that is no longer current
		return nil
	}
	track := m.plr.st.Track.ID
	// Both run: the bar may not move while the lyrics reach the next word.
	changed := m.plr.apply(msg.ev, msg.st)
	if m.syncMoved() {
		changed = true
	}
	if !changed {
		m.quiet = true
		return nil
	}
	if id := m.plr.st.Track.ID; id != track && id != "" {
		return tea.Batch(m.newTrack(id), m.saveVolume(msg))
	}
	return m.saveVolume(msg)
}

// newTrack starts what a track brings along, each read in a Cmd: its A/B takes, its
// waveform and its synced lyrics (from the relay only where it may have them).
func (m *Model) newTrack(id string) tea.Cmd {
	m.wave = wave{}
	askRelay := !m.support.Known || m.support.Extended
	return tea.Batch(takesCmd(m.st, id), peaksCmd(m.eng, id), m.fetchTiming(id, askRelay))
}

// saveVolume saves a volume the user chose with the volume keys.
func (m *Model) saveVolume(msg playerMsg) tea.Cmd {
	// Remember the volume the user chose with the volume keys.
	if msg.st != nil && m.plr.volumeChanged && msg.st.Volume != m.plr.savedVolume {
		m.plr.volumeChanged = false
		m.plr.savedVolume = msg.st.Volume
		return saveVolumeCmd(m.st, msg.st.Volume)
	}
	return nil
}

// playerKey handles the player's keys (outside text fields).
func (m *Model) playerKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	km := m.keys
	var f func(Player)
	switch {
	case km.is(msg, ActPlayPause):
		f = func(p Player) { p.Toggle() }
	case km.is(msg, ActNextTrack):
		f = func(p Player) { p.Next() }
	case km.is(msg, ActPrevTrack):
		f = func(p Player) { p.Previous() }
	case km.is(msg, ActSeekFwd):
		f = func(p Player) { p.SeekBy(seekStep) }
	case km.is(msg, ActSeekBack):
		f = func(p Player) { p.SeekBy(-seekStep) }
	case km.is(msg, ActVolUp):
		m.plr.volumeChanged = true
		f = func(p Player) { p.AdjustVolume(volumeStep) }
	case km.is(msg, ActVolDown):
		m.plr.volumeChanged = true
		f = func(p Player) { p.AdjustVolume(-volumeStep) }
	case km.is(msg, ActMute):
		f = func(p Player) { p.ToggleMute() }
	case km.is(msg, ActRepeat):
		f = func(p Player) { p.CycleRepeat() }
	case km.is(msg, ActShuffle):
		f = func(p Player) { p.ToggleShuffle() }
	default:
		return nil, false
	}
	// The change shows when the player's event comes back.
	m.quiet = true
	return playerCmd(m.pl, f), true
}

// seekTo is a click on the progress bar.
func (m *Model) seekTo(d time.Duration) tea.Cmd {
	return playerCmd(m.pl, func(p Player) { p.Seek(d) })
}

var _ Player = (*player.Player)(nil)

package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	tea "charm.land/bubbletea/v2"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/internal/playback"
	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

// Every function here returns a tea.Cmd: the I/O runs on Bubble Tea's command goroutines and
// comes back as a message. None of them touches the model.

const (
	relayTimeout = 2 * time.Minute // a submit may wait on a slow relay; the UI never does
	playTimeout  = 30 * time.Second
)

// tasksShown is how many tasks the Tasks pane loads at start (older ones are in the CLI).
const tasksShown = 200

func loadRowsCmd(st *store.Store) tea.Cmd {
	return func() tea.Msg {
		rows, err := st.Rows()
		if err != nil {
			return rowsMsg{err: err}
		}
		// The scan touched every page of the library file, and the store's rows are garbage once
		// converted: hand both back, once, so a large library does not keep the studio big.
		lib := libRows(rows)
		rows = nil
		st.ReleaseMemory()
		debug.FreeOSMemory()
		return rowsMsg{rows: lib}
	}
}

func loadTasksCmd(st *store.Store) tea.Cmd {
	return func() tea.Msg {
		ts, err := st.Tasks(tasksShown)
		if err != nil {
			return tasksMsg{err: err}
		}
		items := make([]*taskItem, 0, len(ts))
		for _, t := range ts {
			clips, err := st.ClipsOfTask(t.ID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return tasksMsg{err: err}
			}
			items = append(items, newTaskItem(t, clips))
		}
		// Reading 200 tasks and their clips faults in tens of MB of the library file (the
		// kernel reads around each page); like the row load, give them back once read.
		st.ReleaseMemory()
		return tasksMsg{items: items}
	}
}

// draftName is the lyrics editor's working draft in the library.
const draftName = "current"

func loadDraftCmd(st *store.Store) tea.Cmd {
	return func() tea.Msg {
		d, err := st.Draft(draftName)
		if errors.Is(err, store.ErrNotFound) {
			return draftMsg{}
		}
		return draftMsg{d: d, ok: err == nil, err: err}
	}
}

func saveDraftCmd(st *store.Store, d store.Draft, seq int) tea.Cmd {
	return func() tea.Msg {
		if st.ReadOnly() {
			return draftSavedMsg{seq: seq, d: d}
		}
		return draftSavedMsg{seq: seq, d: d, err: st.SaveDraft(d)}
	}
}

func loadVolumeCmd(st *store.Store) tea.Cmd {
	return func() tea.Msg {
		var v int
		ok, err := st.Setting("volume", &v)
		return volumeMsg{volume: v, ok: ok && err == nil}
	}
}

func saveVolumeCmd(st *store.Store, v int) tea.Cmd {
	return func() tea.Msg {
		if st.ReadOnly() {
			return nil
		}
		if err := st.SetSetting("volume", v); err != nil {
			return noticeMsg{text: i18n.T("ui.notice.volume_not_saved", err.Error()), err: true}
		}
		return nil
	}
}

func refreshQuotaCmd(e *studio.Engine) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		q, err := e.RefreshQuota(ctx)
		if errors.Is(err, client.ErrUnsupported) {
			err = nil // a relay without billing endpoints: just no quota shown
		}
		return quotaMsg{q, err}
	}
}

func submitCmd(e *studio.Engine, r client.MusicRequest) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), relayTimeout)
		defer cancel()
		t, err := e.Submit(ctx, r, studio.SubmitOptions{})
		return submitMsg{task: t, err: err}
	}
}

func submitLyricsCmd(e *studio.Engine, prompt string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), relayTimeout)
		defer cancel()
		t, err := e.SubmitLyrics(ctx, prompt)
		return submitMsg{task: t, err: err, lyrics: true}
	}
}

func retryCmd(e *studio.Engine, id string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), relayTimeout)
		defer cancel()
		t, err := e.Retry(ctx, id)
		return retryMsg{from: id, task: t, err: err}
	}
}

func recheckCmd(e *studio.Engine, id string) tea.Cmd {
	return func() tea.Msg {
		if _, err := e.Recheck(id); err != nil {
			return noticeMsg{text: i18n.T("tasks.recheck_failed", id, err.Error()), err: true}
		}
		return noticeMsg{text: i18n.T("tasks.rechecking", id)}
	}
}

// playCmd reads the full clip, asks the Source which file or URL to play, and starts it (or
// queues it). The player's own events report how playback goes.
func playCmd(st *store.Store, pl Player, source SourceFunc, id string, queue bool) tea.Cmd {
	return func() tea.Msg {
		c, err := st.Clip(id)
		if err != nil {
			return playMsg{id: id, queued: queue, err: err}
		}
		ctx, cancel := context.WithTimeout(context.Background(), playTimeout)
		defer cancel()
		src, err := source(ctx, c)
		if err != nil {
			return playMsg{id: id, title: c.Title, queued: queue, err: err}
		}
		if queue {
			pl.Add(src)
		} else {
			pl.Play(src)
		}
		return playMsg{id: id, title: c.Title, queued: queue}
	}
}

// defaultSource plays a clip the way the rest of sunostudio does (internal/playback): its
// library file, the engine's download while it is written, or the streaming URL.
func defaultSource(e *studio.Engine) SourceFunc {
	return func(ctx context.Context, c *store.Clip) (player.Source, error) {
		return playback.Source(ctx, e, c)
	}
}

// playerStatusCmd reads the player's state once at start: an output that failed before the
// studio subscribed to the player's events still shows as "no audio output".
func playerStatusCmd(pl Player) tea.Cmd {
	return func() tea.Msg {
		st := pl.Status()
		return playerMsg{ev: player.Event{Gen: st.Gen, Kind: player.EventState, State: st.State}, st: &st}
	}
}

// playerCmd runs a player control off the update loop: the player takes a lock that its
// audio path holds while it pulls samples.
func playerCmd(pl Player, f func(Player)) tea.Cmd {
	return func() tea.Msg {
		f(pl)
		return nil
	}
}

func favCmd(e *studio.Engine, id string) tea.Cmd {
	return func() tea.Msg {
		c, err := e.ToggleFavorite(id)
		return favMsg{clip: c, err: err}
	}
}

func deleteCmd(e *studio.Engine, id, title string) tea.Cmd {
	return func() tea.Msg {
		return deletedMsg{id: id, title: title, err: e.DeleteClip(id)}
	}
}

// detailCmd reads a clip's lineage (Engine.Family reads the library only, never the relay).
func detailCmd(e *studio.Engine, id string) tea.Cmd {
	return func() tea.Msg {
		f, err := e.Family(id)
		if err != nil {
			return detailMsg{id: id, e: err}
		}
		return detailMsg{id: id, d: &clipDetail{c: f.Clip, fam: f, rel: relatives(f)}}
	}
}

// exportPath names an export file in dir by the time it was made.
func exportPath(dir string, now time.Time) string {
	return filepath.Join(dir, "sunostudio-export-"+now.Format("20060102-150405")+".json")
}

// exportCmd writes the library export through a temp file, so a half-written export never
// sits under the final name.
func exportCmd(st *store.Store, path string) tea.Cmd {
	return func() tea.Msg {
		tmp := path + ".part"
		f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return exportMsg{err: err}
		}
		err = st.Export(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp, path)
		}
		if err != nil {
			os.Remove(tmp)
			return exportMsg{err: errors.New(i18n.T("ui.problem.export", err.Error()))}
		}
		return exportMsg{path: path}
	}
}

package ui

import (
	"sunostudio/client"
	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

// Messages. Results of Cmds carry the ids they are about, so a late answer about a clip the
// user has moved away from changes only what it names.
type (
	// engineMsg is an engine event (forwarded by a goroutine from Subscribe).
	engineMsg struct{ ev studio.Event }
	// playerMsg is a player event; st is a status snapshot for non-position events.
	playerMsg struct {
		ev player.Event
		st *player.Status
	}

	rowsMsg struct {
		rows []*libRow
		err  error
	}
	tasksMsg struct {
		items []*taskItem
		err   error
	}
	draftMsg struct {
		d   store.Draft
		ok  bool
		err error
	}
	draftSaveMsg  struct{ seq int } // the debounce timer for draft saving fired
	draftSavedMsg struct {
		seq int
		d   store.Draft
		err error
	}
	volumeMsg struct {
		volume int
		ok     bool
	}
	submitMsg struct {
		task   *store.Task
		err    error
		lyrics bool
	}
	retryMsg struct {
		from string
		task *store.Task
		err  error
	}
	favMsg struct {
		clip *store.Clip
		err  error
		kept bool // the A/B keeper key set it
	}
	deletedMsg struct {
		id, title string
		err       error
	}
	detailMsg struct {
		id string
		d  *clipDetail
		e  error
	}
	playMsg struct {
		id, title string
		queued    bool
		err       error
	}
	exportMsg struct {
		path string
		err  error
	}
	quotaMsg struct {
		q   *studio.Quota
		err error
	}
	// tickMsg advances elapsed times while tasks run.
	tickMsg struct{}
	// noticeMsg is a line for the status line (results of small background actions).
	noticeMsg struct {
		text string
		err  bool
	}

	// chatDeltaMsg is one update of chat stream id, sent by its goroutine (Program.Send).
	chatDeltaMsg struct {
		id int
		u  client.ChatUpdate
	}
	// chatDoneMsg is how chat stream id ended (the Cmd's result).
	chatDoneMsg struct {
		id   int
		task *store.Task
		res  client.ChatResult
		err  error
	}
	// chatFrameMsg draws the text that arrived since the last frame of stream id.
	chatFrameMsg struct{ id int }
	// chatWaitMsg is the silence watchdog of stream id.
	chatWaitMsg    struct{ id int }
	chatHistoryMsg struct {
		items []string
		ok    bool
		err   error
	}
)

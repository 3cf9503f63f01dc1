package studio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/store"
)

// Chat creates through the relay's chat endpoint. The chat is recorded as a task before the
// request is sent; every clip found in the streamed text enters the library the moment it
// appears, finished clips download like any other, and clips the stream left unfinished are
// followed by the tracker through the relay's clip feed where it has one. on (may be nil)
// sees every update, on the caller's goroutine. The task and the result are returned also when
// the stream ends in an error: nothing that arrived is lost.
func (e *Engine) Chat(ctx context.Context, req client.ChatRequest, on func(client.ChatUpdate)) (*store.Task, client.ChatResult, error) {
	if e.st.ReadOnly() {
		return nil, client.ChatResult{}, ErrReadOnly
	}
	reqJSON, _ := json.Marshal(Request{Kind: client.KindChat, Prompt: req.Prompt, Model: req.Model})
	now := e.now()
	task := &store.Task{ID: "chat-" + randomID(), Kind: string(client.KindChat), Profile: e.o.Profile,
		Status: store.TaskRunning, Request: reqJSON, CreatedAt: now, Deadline: now.Add(e.o.TaskDeadline)}
	if err := e.st.PutTask(task); err != nil {
		return nil, client.ChatResult{}, i18n.Wrap(i18n.T("studio.err.chat_not_recorded", err), err)
	}
	e.publish(Event{Kind: TaskUpdated, Task: task})
	res, err := e.cl.Chat(ctx, req, func(u client.ChatUpdate) {
		if u.Clips != nil {
			e.chatClips(task.ID, u.Clips)
		}
		if on != nil {
			on(u)
		}
	})
	e.chatClips(task.ID, res.Clips)
	return e.finishChat(task.ID, res, err)
}

// chatClips records the clips found so far under the chat's task.
func (e *Engine) chatClips(taskID string, found []client.Clip) {
	if len(found) == 0 {
		return
	}
	e.tracker.apply(client.Task{ID: taskID, Kind: client.KindChat, Status: client.StatusRunning, Progress: -1, Clips: found})
}

// finishChat settles the chat's task from how the stream ended.
func (e *Engine) finishChat(taskID string, res client.ChatResult, chatErr error) (*store.Task, client.ChatResult, error) {
	task, err := e.st.Task(taskID)
	if err != nil {
		return nil, res, err
	}
	clips, _ := e.st.ClipsOfTask(taskID)
	settled, failed := true, 0
	for _, c := range clips {
		switch c.Status {
		case store.ClipFailed:
			failed++
		case store.ClipComplete:
		default:
			settled = false
		}
	}
	switch {
	case len(clips) == 0:
		reason := storedChatNoSongs
		switch {
		case chatErr != nil && uncertain(chatErr):
			reason = fmt.Sprintf(storedChatUncertain, chatErr.Error())
		case chatErr != nil:
			reason = chatErr.Error()
		case res.RelayError != "":
			reason = res.RelayError
		}
		task.Status, task.Error = store.TaskFailed, reason
	case settled && failed == len(clips):
		task.Status = store.TaskFailed
		task.Error = firstNonEmpty(res.RelayError, clips[0].Error, storedChatAllFailed)
	case settled:
		task.Status = store.TaskSucceeded
	case e.cl.Supports(client.OpFetchClips):
		// Cut, cancelled or timed out with songs still in progress: keep following them.
		task.Status = store.TaskRunning
		if chatErr != nil {
			task.Error = fmt.Sprintf(storedChatFollowing, chatErr.Error())
		}
	default:
		task.Status = store.TaskFailed
		task.Error = storedChatCut
		if chatErr != nil {
			task.Error = fmt.Sprintf(storedChatCutWhy, chatErr.Error())
		}
	}
	if task.Finished() {
		task.FinishedAt = e.now()
	}
	if err := e.st.PutTask(task); err != nil {
		return nil, res, err
	}
	e.publish(Event{Kind: TaskUpdated, Task: task})
	if !task.Finished() {
		e.tracker.add(task)
	}
	e.refreshQuotaSoon()
	return task, res, chatErr
}

// pollChat follows a chat's clips through the relay's feed (chats have no relay task id).
func (t *tracker) pollChat(ctx context.Context, tr *tracked) (client.Task, error) {
	task, err := t.e.st.Task(tr.id)
	if err != nil {
		return client.Task{}, err
	}
	clips, err := t.e.cl.FetchClips(ctx, task.ClipIDs)
	if err != nil {
		return client.Task{}, err
	}
	rt := client.Task{ID: tr.id, Kind: client.KindChat, Status: client.StatusRunning, Progress: -1, Clips: clips}
	done, failed := true, 0
	for _, c := range clips {
		if !c.Status.Terminal() {
			done = false
		}
		if c.Status == client.ClipFailed {
			failed++
		}
	}
	if done && len(clips) > 0 {
		rt.Status = client.StatusSucceeded
		if failed == len(clips) {
			rt.Status, rt.FailReason = client.StatusFailed, clips[0].Error
		}
	}
	return rt, nil
}

// errNoFeed is what a chat task reports when its relay cannot be asked about clips.
var errNoFeed = errors.New(storedChatNoFeed)

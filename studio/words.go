package studio

import (
	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/store"
)

// The words for people of the stable status and kind names the library stores (which stay
// English in --json and the logs), shared by the studio and the command line: each maps a
// name to its catalog key; a name not listed is shown as it is.
var (
	TaskStatusKeys = map[string]string{
		store.TaskSubmitting: "word.task.submitting",
		store.TaskPending:    "word.task.pending",
		store.TaskRunning:    "word.task.running",
		store.TaskSucceeded:  "word.task.succeeded",
		store.TaskFailed:     "word.task.failed",
		store.TaskTimedOut:   "word.task.timed_out",
	}
	ClipStatusKeys = map[string]string{
		store.ClipQueued:    "word.clip.queued",
		store.ClipStreaming: "word.clip.streaming",
		store.ClipComplete:  "word.clip.complete",
		store.ClipFailed:    "word.clip.failed",
	}
	KindKeys = map[string]string{
		string(client.KindMusic):   "word.kind.music",
		string(client.KindLyrics):  "word.kind.lyrics",
		string(client.KindConcat):  "word.kind.concat",
		string(client.KindStems):   "word.kind.stems",
		string(client.KindUpload):  "word.kind.upload",
		string(client.KindWAV):     "word.kind.wav",
		string(client.KindMP4):     "word.kind.mp4",
		string(client.KindPersona): "word.kind.persona",
		string(client.KindChat):    "word.kind.chat",
	}
)

// Word says a stable name in the language in use, by one of the maps above.
func Word(keys map[string]string, name string) string {
	if k, ok := keys[name]; ok {
		return i18n.T(k)
	}
	return name
}

// TaskStatusWord, ClipStatusWord and KindWord are Word with each map.
func TaskStatusWord(s string) string { return Word(TaskStatusKeys, s) }
func ClipStatusWord(s string) string { return Word(ClipStatusKeys, s) }
func KindWord(k string) string       { return Word(KindKeys, k) }

package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sunostudio/store"
	"sunostudio/studio"
)

// Errors as the engine stores them in the library (studio/stored.go): English, whatever the
// language of the run that wrote them.
const (
	storedFileGone    = "the file is gone from the relay (HTTP 404; relays delete files after about 14 days)"
	storedTaskUnknown = "the relay does not know this task (tasks are visible only to the key that created them); re-check it later or resubmit"
)

// TestShowLocalizesStoredErrors: show and tasks say a stored error in the language in use;
// their --json keeps the stored English, byte for byte, in every language.
func TestShowLocalizesStoredErrors(t *testing.T) {
	chineseForTest(t)
	_, home := cliEnv(t)
	st, err := store.Open(filepath.Join(home, "library.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Add(-time.Hour)
	mustPutCLI(t, st.PutTaskAndClips(&store.Task{ID: "task-gone", Kind: "music", Status: store.TaskSucceeded, Progress: 100,
		ClipIDs: []string{"clip-gone"}, CreatedAt: now, FinishedAt: now.Add(time.Minute)},
		[]*store.Clip{{ID: "clip-gone", TaskID: "task-gone", Title: "Harbour Lights", Status: store.ClipComplete, Duration: 61,
			Download: store.DownloadFailed, DownloadError: storedFileGone, CreatedAt: now}}))
	mustPutCLI(t, st.PutTask(&store.Task{ID: "task-lost", Kind: "music", Status: store.TaskFailed, Error: storedTaskUnknown,
		CreatedAt: now.Add(time.Minute), FinishedAt: now.Add(2 * time.Minute)}))
	st.Close()

	for _, c := range []struct {
		args     []string
		en, zh   string
		noZhWord string
	}{
		{[]string{"show", "clip-gone"}, storedFileGone, "文件已从中转站删除（HTTP 404；中转站大约 14 天后会删除文件）", "relay"},
		{[]string{"tasks"}, storedTaskUnknown, "中转站不认识这个任务（任务只对创建它的 API 密钥可见）；请稍后重新检查，或重新提交", "relay"},
	} {
		code, en, errs := runCLI(t, "", append([]string{"--lang", "en"}, c.args...)...)
		if code != 0 || !strings.Contains(en, c.en) {
			t.Errorf("%v in English: exit %d, stderr %q, lacks %q:\n%s", c.args, code, errs, c.en, en)
		}
		code, zh, errs := runCLI(t, "", append([]string{"--lang", "zh-CN"}, c.args...)...)
		if code != 0 || !strings.Contains(zh, c.zh) || strings.Contains(zh, c.noZhWord) {
			t.Errorf("%v in Chinese: exit %d, stderr %q, lacks %q:\n%s", c.args, code, errs, c.zh, zh)
		}
	}

	// --json: the stored text as it is, the same bytes in both languages.
	var clip studio.ClipJSON
	out := sameJSON(t, "show", "clip-gone", "--json")
	if err := json.Unmarshal([]byte(out), &clip); err != nil {
		t.Fatal(err)
	}
	if clip.DownloadError != storedFileGone {
		t.Errorf("show --json download error = %q, want the stored %q", clip.DownloadError, storedFileGone)
	}
	if out := sameJSON(t, "tasks", "--json"); !strings.Contains(out, storedTaskUnknown) {
		t.Errorf("tasks --json lacks the stored %q:\n%s", storedTaskUnknown, out)
	}
}

func mustPutCLI(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

package ui

import (
	"strings"
	"testing"
	"time"

	"sunostudio/internal/i18n"
	"sunostudio/store"
	"sunostudio/studio"
)

// Texts the engine stored in the library, as a run in any language wrote them: English, in
// studio's stored formats (studio/stored.go).
const (
	storedTimedOutText = "no result before the deadline; re-check it later (the relay may still finish it)"
	storedFileGoneText = "the file is gone from the relay (HTTP 404; relays delete files after about 14 days)"
	storedTruncText    = "the downloaded audio is cut short at 1:23"
)

// seedStored is a library with a timed-out task and a finished one whose clip's download
// failed, each with a stored error.
func seedStored(e *env) {
	mustPut(e.t, e.st.PutTask(&store.Task{ID: "task-late", Kind: "music", Status: store.TaskTimedOut,
		Error: storedTimedOutText, CreatedAt: t0.Add(-10 * time.Minute), FinishedAt: t0.Add(-5 * time.Minute)}))
	tk := &store.Task{ID: "task-gone", Kind: "music", Status: store.TaskSucceeded, Progress: 100,
		ClipIDs: []string{"clip-gone"}, CreatedAt: t0.Add(-20 * time.Minute), FinishedAt: t0.Add(-19 * time.Minute)}
	c := &store.Clip{ID: "clip-gone", TaskID: "task-gone", Title: "Harbour Lights", Model: "chirp-auk",
		Status: store.ClipComplete, Duration: 120, Download: store.DownloadFailed, DownloadError: storedFileGoneText,
		CreatedAt: t0.Add(-19 * time.Minute)}
	mustPut(e.t, e.st.PutTaskAndClips(tk, []*store.Clip{c}))
}

// flat is the screen with its lines joined and the spaces of the layout removed, so that a
// sentence wrapped over two lines or cut by a border reads as one.
func flat(screen string) string {
	var b strings.Builder
	for _, l := range strings.Split(screen, "\n") {
		b.WriteString(strings.TrimSpace(strings.Trim(strings.TrimSpace(l), "│")))
	}
	return b.String()
}

// TestStoredErrorsShownInChinese: a task's and a clip's stored error (English in the library)
// are said in Chinese in the Tasks pane and the details, and stay as stored in English.
func TestStoredErrorsShownInChinese(t *testing.T) {
	for _, tc := range []struct {
		lang            i18n.Lang
		task, download  string
		detail, details string
	}{
		{i18n.English, "no result before the deadline", "the file is gone from",
			"the downloaded audio is cut short at 1:23", "the file is gone from the relay (HTTP 404"},
		{i18n.Chinese, "截止时间前没有结果；请稍后重新检查", "文件已从中转站删除",
			"下载的音频在 1:23 处被截断", "文件已从中转站删除（HTTP 404；"},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			useLang(t, tc.lang)
			e := newEnv(t, seedStored)
			e.load()
			e.size(120, 40)
			e.key("tab", "tab")
			scr := e.screen()
			if !strings.Contains(flat(scr), tc.task) {
				t.Errorf("the Tasks pane does not say %q:\n%s", tc.task, scr)
			}
			if !strings.Contains(scr, tc.download) {
				t.Errorf("the Tasks pane does not say %q:\n%s", tc.download, scr)
			}
			if tc.lang == i18n.Chinese && strings.Contains(scr, "deadline") {
				t.Errorf("the Tasks pane shows the stored English:\n%s", scr)
			}

			e.key("esc", "4", "i")
			scr = e.screen()
			if !strings.Contains(scr, tc.details) {
				t.Errorf("the details do not say %q:\n%s", tc.details, scr)
			}

			// A stored text that arrives with an event is said the same way.
			c, err := e.st.Clip("clip-gone")
			if err != nil {
				t.Fatal(err)
			}
			c.DownloadError = storedTruncText
			mustPut(t, e.st.PutClip(c))
			e.exec(e.send(engineMsg{studio.Event{Kind: studio.ClipUpdated, Clip: c}}))
			scr = e.screen()
			if !strings.Contains(scr, tc.detail) {
				t.Errorf("the details do not say %q:\n%s", tc.detail, scr)
			}
			// The library keeps the English.
			if c, _ := e.st.Clip("clip-gone"); c.DownloadError != storedTruncText {
				t.Errorf("stored download error = %q", c.DownloadError)
			}
		})
	}
}

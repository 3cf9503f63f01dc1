package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sunostudio/client/sim"
	"sunostudio/store"
	"sunostudio/studio"
)

// craftEnv is cliEnv with simulator options of the test's choosing.
func craftEnv(t *testing.T, o sim.Options) *sim.Sim {
	t.Helper()
	o.Key, o.StageTime, o.SongSeconds = cliKey, 10*time.Millisecond, 4
	s, err := sim.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	t.Setenv("SUNOSTUDIO_HOME", t.TempDir())
	t.Setenv("SUNOSTUDIO_BASE_URL", s.URL())
	t.Setenv("SUNOSTUDIO_API_KEY", cliKey)
	t.Setenv("SUNOSTUDIO_POLL_INTERVAL", "100ms") // the simulator finishes in tens of ms
	for _, k := range []string{"SUNOSTUDIO_PROFILE", "SUNOSTUDIO_DIALECT", "SUNOSTUDIO_MODEL"} {
		t.Setenv(k, "")
	}
	return s
}

// taskOf runs a command that prints a task (--json) and checks that it succeeded.
func taskOf(t *testing.T, stdin string, args ...string) studio.TaskJSON {
	t.Helper()
	code, out, errs := runCLI(t, stdin, args...)
	var task studio.TaskJSON
	if err := json.Unmarshal([]byte(out), &task); err != nil {
		t.Fatalf("%v: exit %d, stdout is not one JSON task: %v\n%s\n%s", args, code, err, out, errs)
	}
	if code != 0 || task.Status != store.TaskSucceeded {
		t.Fatalf("%v: exit %d, task %s %s\n%s", args, code, task.Status, task.Error, errs)
	}
	for _, c := range task.Clips {
		if c.Status == "complete" && !fileExists(c.LocalPath) {
			t.Fatalf("%v: clip %s not downloaded", args, c.ID)
		}
	}
	return task
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return p != "" && err == nil && st.Mode().IsRegular()
}

func TestCraftCommands(t *testing.T) {
	craftEnv(t, sim.Options{})
	src := taskOf(t, "[Verse]\nWinter is here\nSnow falls down", "generate", "--lyrics", "-", "--title", "Winter", "--tags", "folk", "--wait", "--json").Clips[0]

	ext := taskOf(t, "[Chorus]\nCold cold night", "extend", src.ID, "--at", "2", "--lyrics", "-", "--wait", "--json")
	if ext.ParentID != src.ID || ext.Derivation != "extend" || len(ext.Clips) != 2 {
		t.Fatalf("extend: %+v", ext)
	}
	for _, c := range ext.Clips {
		if c.ParentID != src.ID || c.Derivation != "extend" || c.ContinueAt != 2 || c.Title != "Winter" || c.Tags != "folk" {
			t.Fatalf("extension clip: %+v", c)
		}
	}
	full := taskOf(t, "", "concat", ext.Clips[0].ID, "--wait", "--json")
	if full.Kind != "concat" || len(full.Clips) != 1 || full.Clips[0].ParentID != ext.Clips[0].ID || full.Clips[0].Derivation != "concat" {
		t.Fatalf("concat: %+v", full)
	}

	cover := taskOf(t, "", "cover", src.ID, "--tags", "bossa nova", "--wait", "--json")
	if cover.Clips[0].ParentID != src.ID || cover.Clips[0].Derivation != "cover" || cover.Clips[0].Tags != "bossa nova" {
		t.Fatalf("cover: %+v", cover.Clips[0])
	}
	code, out, errs := runCLI(t, "", "cover", "--url", "https://example.com/demo-song.mp3", "--tags", "punk", "--wait", "--json")
	var byURL studio.TaskJSON
	if code != 0 || json.Unmarshal([]byte(out), &byURL) != nil || !strings.Contains(errs, "uploaded as ") {
		t.Fatalf("cover --url: %d %s %s", code, out, errs)
	}
	uploadID := strings.Fields(errs[strings.Index(errs, "uploaded as ")+len("uploaded as "):])[0]
	if byURL.Clips[0].ParentID != uploadID {
		t.Fatalf("cover of upload %s: parent %s", uploadID, byURL.Clips[0].ParentID)
	}

	repl := taskOf(t, "[Bridge]\nSpring now", "replace", src.ID, "--start", "1", "--end", "2.5", "--lyrics", "-", "--wait", "--json")
	if repl.Derivation != "infill" || repl.Clips[0].ParentID != src.ID {
		t.Fatalf("replace: %+v", repl)
	}

	code, out, errs = runCLI(t, "", "persona", "create", src.ID, "--name", "夜莺", "--description", "soft", "--json")
	var p personaJSON
	if code != 0 || json.Unmarshal([]byte(out), &p) != nil || p.ID == "" || p.Name != "夜莺" || p.RootClipID != src.ID {
		t.Fatalf("persona create: %d %s %s", code, out, errs)
	}
	_, out, _ = runCLI(t, "", "persona", "list", "--json")
	var list []personaJSON
	if json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 || list[0].ID != p.ID {
		t.Fatalf("persona list: %s", out)
	}
	if _, out, _ = runCLI(t, "", "persona", "list"); !strings.Contains(out, p.ID) || !strings.Contains(out, "夜莺") {
		t.Errorf("persona list text:\n%s", out)
	}
	sung := taskOf(t, "[Verse]\nNew words", "persona", "use", p.ID, "--title", "New", "--lyrics", "-", "--wait", "--json")
	if sung.Derivation != "persona" || sung.Clips[0].ParentID != src.ID {
		t.Fatalf("persona use: %+v", sung)
	}

	stems := taskOf(t, "", "stems", src.ID, "--wait", "--json")
	if stems.Kind != "stems" || len(stems.Clips) != 2 || stems.Clips[0].Derivation != "stem" || stems.Clips[1].ParentID != src.ID {
		t.Fatalf("stems: %+v", stems)
	}

	for _, kind := range []string{"wav", "mp4"} {
		code, out, errs = runCLI(t, "", kind, src.ID, "--wait", "--json")
		var a assetJSON
		if code != 0 || json.Unmarshal([]byte(out), &a) != nil || a.ClipID != src.ID || !strings.HasSuffix(a.LocalPath, "."+kind) ||
			!fileExists(a.LocalPath) || a.Status != "done" {
			t.Fatalf("%s: %d %s %s", kind, code, out, errs)
		}
		// Asked again: the file is in the library, no request is made.
		if code, again, _ := runCLI(t, "", kind, src.ID); code != 0 || strings.TrimSpace(again) != a.LocalPath {
			t.Errorf("%s again: %d %q", kind, code, again)
		}
	}

	code, out, errs = runCLI(t, "", "timing", src.ID, "--json")
	var tm struct {
		ClipID string `json:"clip_id"`
		Words  []struct {
			Word  string  `json:"word"`
			Start float64 `json:"start_s"`
			End   float64 `json:"end_s"`
		} `json:"words"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &tm) != nil || tm.ClipID != src.ID || len(tm.Words) != 6 ||
		tm.Words[0].Word != "[Verse]\nWinter " || tm.Words[0].End <= tm.Words[0].Start {
		t.Fatalf("timing --json: %d %s %s", code, out, errs)
	}
	_, out, _ = runCLI(t, "", "timing", src.ID)
	if !strings.Contains(out, "[Verse]\n0:0") || !strings.Contains(out, "  Winter is here\n") || !strings.Contains(out, "  Snow falls down\n") {
		t.Errorf("timing text:\n%s", out)
	}

	code, out, _ = runCLI(t, "", "upload", "https://example.com/another.mp3")
	if code != 0 || strings.Count(out, "\n") != 1 || len(strings.TrimSpace(out)) < 8 {
		t.Errorf("upload prints the id: %d %q", code, out)
	}

	_, out, _ = runCLI(t, "", "show", src.ID)
	for _, want := range []string{"wav:", ".wav\n", "video:", ".mp4\n", "extended:", "from 0:02", "covered:", "stem:", "replaced:", "persona:"} {
		if !strings.Contains(out, want) {
			t.Errorf("show of the source lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runCLI(t, "", "show", full.Clips[0].ID)
	if !strings.Contains(out, "parts:") || !strings.Contains(out, src.ID) || !strings.Contains(out, "from:      full song of "+ext.Clips[0].ID) {
		t.Errorf("show of the full song:\n%s", out)
	}

	code, out, _ = runCLI(t, "", "quota", "--json")
	var q map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &q) != nil || q["used"].(float64) <= 0 || q["remaining"] == nil || q["limit"] == nil {
		t.Errorf("quota shows balance and usage: %s", out)
	}
}

func TestCraftUsageErrorsExit2(t *testing.T) {
	craftEnv(t, sim.Options{})
	src := taskOf(t, "", "generate", "--description", "usage", "--wait", "--json").Clips[0].ID
	for _, args := range [][]string{
		{"extend", src},
		{"extend", src, "--at", "0"},
		{"extend", src, "--at", "999"},
		{"extend", src, "--at", "abc"},
		{"extend", src, "--at", "2", "--lyrics", "/no/such/file"},
		{"concat", src}, // not an extension
		{"concat"},
		{"cover"},
		{"cover", src, "--url", "https://example.com/a.mp3"},
		{"replace", src, "--start", "1"},
		{"replace", src, "--start", "2", "--end", "1"},
		{"persona"},
		{"persona", "bogus"},
		{"persona", "create", src},
		{"persona", "use", "unknown-persona", "--tags", "x"},
		{"stems"},
		{"wav", src, "extra"},
		{"timing"},
		{"upload", "not a url"},
	} {
		if code, out, errs := runCLI(t, "", args...); code != 2 || errs == "" || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	for _, args := range [][]string{{"extend", "no-such-clip", "--at", "2"}, {"stems", "no-such-clip"}, {"timing", "no-such-clip"}} {
		if code, _, errs := runCLI(t, "", args...); code != 1 || !strings.Contains(errs, "no clip") {
			t.Errorf("%v: exit %d %q", args, code, errs)
		}
	}
}

// On a stock new-api relay every extended command says so, exits 1 and leaves nothing behind.
func TestCraftOnStockRelay(t *testing.T) {
	s := craftEnv(t, sim.Options{RejectExtended: true})
	src := taskOf(t, "", "generate", "--lyrics", "-", "--title", "Stock", "--wait", "--json").Clips[0].ID
	ext := taskOf(t, "", "extend", src, "--at", "2", "--wait", "--json").Clips[0].ID // continue is plain new-api
	_, before, _ := runCLI(t, "", "tasks", "--json")
	submits := s.Requests("POST /suno/submit/music")
	for _, args := range [][]string{
		{"concat", ext}, {"stems", src}, {"wav", src}, {"mp4", src}, {"timing", src},
		{"persona", "create", src, "--name", "Voice"}, {"upload", "https://example.com/a.mp3"},
		{"cover", "--url", "https://example.com/a.mp3"},
		// Known now to be a stock relay: refused before anything is sent.
		{"cover", src, "--tags", "jazz"}, {"replace", src, "--start", "1", "--end", "2"},
		{"persona", "use", "some-persona", "--clip", src, "--tags", "x"},
	} {
		code, out, errs := runCLI(t, "", append(args, "--json")...)
		if code != 1 || out != "" || !strings.Contains(errs, "does not support") || !strings.Contains(errs, "stock new-api") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	if _, after, _ := runCLI(t, "", "tasks", "--json"); after != before {
		t.Errorf("unsupported commands changed the task list:\n%s\n%s", before, after)
	}
	if n := s.Requests("POST /suno/submit/music"); n != submits {
		t.Errorf("%d music submits reached the stock relay", n-submits)
	}
	if _, out, _ := runCLI(t, "", "persona", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("personas: %s", out)
	}
}

func TestCraftFailedTaskExits1(t *testing.T) {
	craftEnv(t, sim.Options{})
	src := taskOf(t, "", "generate", "--description", "fail later", "--wait", "--json").Clips[0].ID
	for _, args := range [][]string{
		{"extend", src, "--at", "2", "--lyrics", "-", "--wait", "--json"},
		{"cover", src, "--tags", "sim:fail", "--wait", "--json"},
		{"replace", src, "--start", "1", "--end", "2", "--title", "sim:fail", "--wait", "--json"},
	} {
		code, out, errs := runCLI(t, "sim:fail", args...)
		var task studio.TaskJSON
		if code != 1 || json.Unmarshal([]byte(out), &task) != nil || task.Status != "failed" || task.Error == "" ||
			!strings.Contains(errs, "failed") {
			t.Errorf("%v: exit %d\n%s\n%s", args, code, out, errs)
		}
	}
}

func TestCraftWithoutWaitReturnsAtOnce(t *testing.T) {
	craftEnv(t, sim.Options{})
	src := taskOf(t, "", "generate", "--description", "no wait", "--wait", "--json").Clips[0].ID
	code, out, _ := runCLI(t, "", "wav", src, "--json")
	var a assetJSON
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil || a.TaskID == "" || a.LocalPath != "" {
		t.Fatalf("wav without --wait: %d %s", code, out)
	}
	// The next run resumes the request and the file arrives.
	if code, _, errs := runCLI(t, "", "resume"); code != 0 {
		t.Fatalf("resume: %s", errs)
	}
	_, out, _ = runCLI(t, "", "show", src, "--json")
	var c studio.ClipJSON
	if json.Unmarshal([]byte(out), &c) != nil || !strings.HasSuffix(c.WAVPath, ".wav") || filepath.Dir(c.WAVPath) != filepath.Dir(c.LocalPath) {
		t.Errorf("after resume: %s", out)
	}
}

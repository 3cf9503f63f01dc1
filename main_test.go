package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sunostudio/client/sim"
	"sunostudio/internal/mp3scan"
	"sunostudio/store"
	"sunostudio/studio"
)

const cliKey = "sk-cli-SECRET-7f1e2d"

// cliEnv points the CLI at a fresh data folder and a fast in-process simulator.
func cliEnv(t *testing.T) (*sim.Sim, string) {
	t.Helper()
	s, err := sim.Start(sim.Options{Key: cliKey, StageTime: 10 * time.Millisecond, SongSeconds: 4, ChatTick: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	home := t.TempDir()
	t.Setenv("SUNOSTUDIO_HOME", home)
	t.Setenv("SUNOSTUDIO_BASE_URL", s.URL())
	t.Setenv("SUNOSTUDIO_API_KEY", cliKey)
	for _, k := range []string{"SUNOSTUDIO_PROFILE", "SUNOSTUDIO_DIALECT", "SUNOSTUDIO_MODEL"} {
		t.Setenv(k, "")
	}
	return s, home
}

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := run(ctx, args, strings.NewReader(stdin), &out, &errb)
	if strings.Contains(out.String()+errb.String(), cliKey) {
		t.Fatalf("the API key was printed by %v", args)
	}
	return code, out.String(), errb.String()
}

func TestVersionAndHelp(t *testing.T) {
	code, out, _ := runCLI(t, "", "--version")
	if code != 0 || !strings.HasPrefix(out, "sunostudio ") {
		t.Errorf("--version: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "", "--help")
	for _, cmd := range []string{"generate", "batch", "lyrics", "chat", "play", "tasks", "list", "show", "rm", "fav", "export", "import", "quota", "resume", "sim"} {
		if !strings.Contains(out, "\n  "+cmd+" ") {
			t.Errorf("--help does not list %s", cmd)
		}
	}
	if code != 0 {
		t.Errorf("--help exit %d", code)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	cliEnv(t)
	for _, args := range [][]string{
		{"generate"},
		{"generate", "--description", "x", "--title", "y"},
		{"generate", "--bogus"},
		{"list", "--sort", "size"},
		{"show"},
		{"export", "--format", "xml"},
		{"batch", "missing.jsonl"},
		{"lyrics", " "},
	} {
		if code, _, errs := runCLI(t, "", args...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}

// TestFlagValueErrors: a value of the wrong kind is said by what the flag wants, not by the
// parser's words (strconv.ParseInt: parsing "abc": invalid syntax).
func TestFlagValueErrors(t *testing.T) {
	cliEnv(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"list", "--limit", "abc"}, `invalid argument "abc" for "--limit" flag: not a whole number`},
		{[]string{"list", "--limit", "99999999999999999999"}, `invalid argument "99999999999999999999" for "--limit" flag: the number is too large`},
		{[]string{"extend", "x", "--at", "soon"}, `invalid argument "soon" for "--at" flag: not a number of seconds`},
		{[]string{"sim", "--stream-pace", "fast"}, `invalid argument "fast" for "--stream-pace" flag: not a number`},
		{[]string{"sim", "--stage", "5"}, `invalid argument "5" for "--stage" flag: not a duration such as 500ms, 30s or 2m`},
		{[]string{"list", "--json=maybe"}, `invalid argument "maybe" for "--json" flag: not true or false`},
	} {
		code, _, errs := runCLI(t, "", c.args...)
		if code != 2 || !strings.Contains(errs, c.want) || strings.Contains(errs, "strconv") || strings.Contains(errs, "time:") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, code, errs, c.want)
		}
	}
}

// TestUnknownCommand: a word that is no command is said to be one, with the help to run,
// not as a count of arguments.
func TestUnknownCommand(t *testing.T) {
	chineseForTest(t)
	cliEnv(t)
	code, _, errs := runCLI(t, "", "bogus")
	if code != 2 || !strings.Contains(errs, `unknown command "bogus"`) || !strings.Contains(errs, "sunostudio --help") ||
		strings.Contains(errs, "arg(s)") {
		t.Errorf("bogus: exit %d, stderr %q", code, errs)
	}
	code, _, errs = runCLI(t, "", "lisst")
	if code != 2 || !strings.Contains(errs, "did you mean list?") {
		t.Errorf("lisst: exit %d, stderr %q", code, errs)
	}
	code, _, errs = runCLI(t, "", "--lang", "zh-CN", "bogus")
	if code != 2 || !strings.Contains(errs, "未知命令「bogus」") || !strings.Contains(errs, "sunostudio --help") {
		t.Errorf("zh bogus: exit %d, stderr %q", code, errs)
	}
}

func TestGenerateWaitJSON(t *testing.T) {
	cliEnv(t)
	code, out, errs := runCLI(t, "", "generate", "--description", "夏天的海边", "--wait", "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var task studio.TaskJSON
	if err := json.Unmarshal([]byte(out), &task); err != nil {
		t.Fatalf("stdout is not one JSON task: %v\n%s", err, out)
	}
	if task.Status != store.TaskSucceeded || task.TaskID == "" || task.Kind != "music" || len(task.Clips) != 2 {
		t.Fatalf("task = %+v", task)
	}
	for _, c := range task.Clips {
		f, err := os.Open(c.LocalPath)
		if err != nil {
			t.Fatalf("clip %s: %v", c.ID, err)
		}
		info, err := mp3scan.Scan(f)
		f.Close()
		if err != nil || info.Truncated || info.Frames == 0 {
			t.Errorf("clip %s does not decode: %+v %v", c.ID, info, err)
		}
		if c.Status != "complete" || c.AudioURL == "" || c.Title == "" || c.Model == "" || c.CreatedAt.IsZero() {
			t.Errorf("clip json = %+v", c)
		}
	}
	if !strings.Contains(errs, "submitted task") || strings.Contains(out, "submitted") {
		t.Errorf("progress must go to stderr only:\nstdout %q\nstderr %q", out, errs)
	}
}

func TestLibraryCommands(t *testing.T) {
	cliEnv(t)
	lyrics := filepath.Join(t.TempDir(), "song.txt")
	os.WriteFile(lyrics, []byte("[Verse]\n城市的灯光\n[Chorus]\nCity lights"), 0o644)
	if code, _, errs := runCLI(t, "", "generate", "--lyrics", lyrics, "--title", "City Lights", "--tags", "synthpop", "--wait"); code != 0 {
		t.Fatalf("custom generate: %s", errs)
	}
	if code, _, errs := runCLI(t, "[Verse]\nstdin lyrics", "generate", "--lyrics", "-", "--title", "From Stdin", "--wait"); code != 0 {
		t.Fatalf("lyrics from stdin: %s", errs)
	}
	code, out, _ := runCLI(t, "", "list", "--json")
	var clips []studio.ClipJSON
	if code != 0 || json.Unmarshal([]byte(out), &clips) != nil || len(clips) != 4 {
		t.Fatalf("list --json: %d %s", code, out)
	}
	if clips[0].CreatedAt.Before(clips[3].CreatedAt) {
		t.Error("list is not newest first")
	}
	_, out, _ = runCLI(t, "", "list", "--search", "城市", "--json")
	json.Unmarshal([]byte(out), &clips)
	if len(clips) != 2 {
		t.Errorf("search 城市 found %d clips", len(clips))
	}
	id := clips[0].ID
	if code, _, _ := runCLI(t, "", "fav", id); code != 0 {
		t.Fatal("fav failed")
	}
	_, out, _ = runCLI(t, "", "list", "--fav")
	if !strings.Contains(out, id) || strings.Count(out, "\n") != 1 {
		t.Errorf("list --fav:\n%s", out)
	}
	_, out, _ = runCLI(t, "", "show", id)
	if !strings.Contains(out, "城市的灯光") || !strings.Contains(out, "favourite:") {
		t.Errorf("show:\n%s", out)
	}
	_, out, _ = runCLI(t, "", "tasks", "--json")
	var tasks []studio.TaskJSON
	if json.Unmarshal([]byte(out), &tasks) != nil || len(tasks) != 2 {
		t.Errorf("tasks --json: %s", out)
	}
	var c studio.ClipJSON
	_, out, _ = runCLI(t, "", "show", id, "--json")
	json.Unmarshal([]byte(out), &c)
	if code, _, _ := runCLI(t, "", "rm", id); code != 0 {
		t.Fatal("rm failed")
	}
	if _, err := os.Stat(c.LocalPath); !os.IsNotExist(err) {
		t.Errorf("rm left the file %s", c.LocalPath)
	}
	if code, _, _ := runCLI(t, "", "show", id); code != 1 {
		t.Errorf("show of a deleted clip: exit %d", code)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	cliEnv(t)
	runCLI(t, "", "generate", "--description", "export me", "--wait")
	out := filepath.Join(t.TempDir(), "lib.json")
	if code, _, errs := runCLI(t, "", "export", "-o", out); code != 0 {
		t.Fatal(errs)
	}
	data, _ := os.ReadFile(out)
	if bytes.Contains(data, []byte(cliKey)) || !bytes.Contains(data, []byte(`"clips"`)) {
		t.Fatalf("export: %s", data)
	}
	_, m3u, _ := runCLI(t, "", "export", "--format", "m3u")
	if !strings.HasPrefix(m3u, "#EXTM3U") || strings.Count(m3u, ".mp3") != 2 {
		t.Errorf("m3u:\n%s", m3u)
	}
	// Into a fresh library, and again: the second import adds nothing.
	t.Setenv("SUNOSTUDIO_HOME", t.TempDir())
	_, res, errs := runCLI(t, "", "import", out, "--json")
	var stats map[string]int
	if json.Unmarshal([]byte(res), &stats) != nil || stats["clips_added"] != 2 || stats["tasks_added"] != 1 {
		t.Fatalf("import: %s %s", res, errs)
	}
	_, res, _ = runCLI(t, "", "import", out, "--json")
	json.Unmarshal([]byte(res), &stats)
	if stats["clips_added"] != 0 || stats["clips_skipped"] != 2 {
		t.Errorf("second import: %s", res)
	}
}

func TestBatchSkipsWhatWasSubmitted(t *testing.T) {
	s, _ := cliEnv(t)
	file := filepath.Join(t.TempDir(), "songs.jsonl")
	os.WriteFile(file, []byte(`{"description":"rainy jazz"}
# a comment line
{"description":"夏日海边","model":"chirp-v4"}
{"description":"rainy jazz"}
`), 0o644)
	code, out, errs := runCLI(t, "", "batch", file, "--parallel", "2", "--json")
	if code != 0 {
		t.Fatalf("batch: %s", errs)
	}
	if n := strings.Count(strings.TrimSpace(out), "\n") + 1; n != 3 {
		t.Fatalf("%d result lines:\n%s", n, out)
	}
	submits := s.Requests("POST /suno/submit/music")
	if submits != 3 {
		t.Fatalf("%d submits for 3 lines (the repeated line is a second song)", submits)
	}
	code, _, errs = runCLI(t, "", "batch", file)
	if code != 0 || s.Requests("POST /suno/submit/music") != submits || strings.Count(errs, "already submitted") != 3 {
		t.Errorf("rerun resubmitted: exit %d, %d submits\n%s", code, s.Requests("POST /suno/submit/music"), errs)
	}
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte("{\"description\":\"ok\"}\n{\"descripton\":\"typo\"}\n"), 0o644)
	code, _, errs = runCLI(t, "", "batch", bad)
	if code != 2 || !strings.Contains(errs, "line 2") || s.Requests("POST /suno/submit/music") != submits {
		t.Errorf("a bad line must stop the batch before any submit: %d %s", code, errs)
	}
}

func TestLockedLibraryBrowsesSnapshot(t *testing.T) {
	_, home := cliEnv(t)
	runCLI(t, "", "generate", "--description", "locked", "--wait")
	held, err := store.Open(filepath.Join(home, "library.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	start := time.Now()
	code, out, errs := runCLI(t, "", "list")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(errs, "library in use by another sunostudio, pid") || !strings.Contains(errs, "read-only snapshot") {
		t.Errorf("list while locked: %d\n%s\n%s", code, out, errs)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v to report the lock", d)
	}
	code, _, errs = runCLI(t, "", "generate", "--description", "x")
	if code != 1 || !strings.Contains(errs, "library in use") {
		t.Errorf("generate while locked: %d %s", code, errs)
	}
}

func TestDemoModeWithoutKey(t *testing.T) {
	t.Setenv("SUNOSTUDIO_HOME", t.TempDir())
	t.Setenv("SUNOSTUDIO_API_KEY", "")
	t.Setenv("SUNOSTUDIO_BASE_URL", "")
	t.Setenv("SUNOSTUDIO_PROFILE", "")
	code, out, errs := runCLI(t, "", "quota")
	if code != 0 || !strings.Contains(errs, "demo mode") || !strings.Contains(out, "demo") {
		t.Errorf("quota in demo mode: %d %q %q", code, out, errs)
	}
}

func TestFailedTaskExits1(t *testing.T) {
	cliEnv(t)
	code, out, errs := runCLI(t, "", "generate", "--description", "sim:fail please", "--wait", "--json")
	if code != 1 || !strings.Contains(errs, "failed") {
		t.Errorf("exit %d\n%s", code, errs)
	}
	var task studio.TaskJSON
	if json.Unmarshal([]byte(out), &task) != nil || task.Status != "failed" || task.Error == "" {
		t.Errorf("the failed task is still printed: %s", out)
	}
}

func TestKeyStaysOutOfLogsAndErrors(t *testing.T) {
	s, home := cliEnv(t)
	s.Inject(sim.Fault{Kind: sim.FaultUnauthorized, Times: -1})
	code, _, errs := runCLI(t, "", "generate", "--description", "x")
	if code != 1 || !strings.Contains(errs, "rejected the API key") {
		t.Errorf("401: %d %s", code, errs)
	}
	err := filepath.Walk(home, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, []byte(cliKey)) || bytes.Contains(b, []byte(strings.TrimPrefix(cliKey, "sk-"))) {
			t.Errorf("the key is in %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPlayCommand(t *testing.T) {
	cliEnv(t)
	// A short real file plays to the end in real time on the null output and exits 0.
	start := time.Now()
	code, _, errs := runCLI(t, "", "play", "client/sim/audio/phrase1.mp3", "--audio", "null")
	if code != 0 {
		t.Fatalf("play file: %d %s", code, errs)
	}
	if d := time.Since(start); d < 2*time.Second {
		t.Errorf("a 2.5 s phrase finished in %v: the null output must pace in real time", d)
	}
	// Broken input: a clear reason and exit 1.
	bad := filepath.Join(t.TempDir(), "broken.mp3")
	os.WriteFile(bad, []byte("<html><title>502 Bad Gateway</title></html>"), 0o644)
	code, _, errs = runCLI(t, "", "play", bad, "--audio", "null")
	if code != 1 || !strings.Contains(errs, "not an mp3") {
		t.Errorf("broken file: %d %q", code, errs)
	}
	code, _, errs = runCLI(t, "", "play", "no-such-clip", "--audio", "null")
	if code != 1 || !strings.Contains(errs, "no clip") {
		t.Errorf("unknown id: %d %q", code, errs)
	}
	if code, _, _ = runCLI(t, "", "play", "x", "--audio", "speakers"); code != 2 {
		t.Errorf("bad --audio: exit %d", code)
	}
	// A library clip by id.
	_, out, _ := runCLI(t, "", "generate", "--description", "play me", "--wait", "--json")
	var task studio.TaskJSON
	if err := json.Unmarshal([]byte(out), &task); err != nil || len(task.Clips) == 0 {
		t.Fatalf("generate: %v %s", err, out)
	}
	code, _, errs = runCLI(t, "", "play", task.Clips[0].ID, "--audio", "null")
	if code != 0 {
		t.Errorf("play by id: %d %s", code, errs)
	}
}

func TestChatCommand(t *testing.T) {
	cliEnv(t)
	code, out, errs := runCLI(t, "", "chat", "一首关于夏天海边的歌", "--json")
	if code != 0 {
		t.Fatalf("chat --json: %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one JSON clip per line, got:\n%s", out)
	}
	for _, l := range lines {
		var c studio.ClipJSON
		if err := json.Unmarshal([]byte(l), &c); err != nil || c.ID == "" || c.Status != "complete" || c.LocalPath == "" {
			t.Fatalf("clip line %q: %v", l, err)
		}
		if _, err := os.Stat(c.LocalPath); err != nil {
			t.Errorf("the chat's song is not in the library: %v", err)
		}
	}
	if !strings.Contains(errs, "歌曲名") {
		t.Errorf("with --json the streamed text goes to stderr:\n%s", errs)
	}
	// Without --json the text streams to stdout, then the songs.
	code, out, _ = runCLI(t, "", "chat", "rainy jazz", "--model", "suno-v3")
	if code != 0 || !strings.Contains(out, "版本ID") || !strings.Contains(out, "songs:") {
		t.Errorf("chat: %d\n%s", code, out)
	}
	_, out, _ = runCLI(t, "", "list", "--json")
	var clips []studio.ClipJSON
	json.Unmarshal([]byte(out), &clips)
	if len(clips) != 4 {
		t.Errorf("%d clips in the library after two chats", len(clips))
	}
	code, _, errs = runCLI(t, "", "chat", "sim:fail please")
	if code != 1 || errs == "" {
		t.Errorf("a relay error: %d %s", code, errs)
	}
}

package main

// Security tests of the command line and the real binary:
//
//   - relay text carrying terminal escapes is inert in every command's output (list, show,
//     tasks, generate --wait progress, errors), and --json escapes it;
//   - hostile clip ids ("../", slashes, NUL, absolute paths) never place a file outside the
//     songs folder;
//   - after a full run (generate, chat, play, export, a 401 that echoes the key, a SIGKILL) the
//     API key is in no file of the data folder and in no output;
//   - an http:// base URL to a remote host warns before the key is sent;
//   - config.toml is written 0600 and a world-readable one is warned about (the config package
//     tests the same at its level: TestFirstRunWritesCommentedPrivateFileAndRunsDemo and
//     TestWarnings in config/config_test.go).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"sunostudio/client/sim"
	"sunostudio/internal/mp3scan"
	"sunostudio/store"
)

// hostileSeqs are terminal escapes a relay could put in titles, tags, lyrics and errors, with
// the text that would be left on screen if only their introducer were removed.
var hostileSeqs = []struct{ seq, marker string }{
	{"\x1b]52;c;cm0gLXJmIH4K\x07", "]52;"}, // OSC 52: write the clipboard
	{"\x1b]0;pwned\x07", "]0;"},            // OSC 0: window title
	{"\x1b[2J\x1b[H", "[2J"},               // clear the screen, cursor home
	{"\x1b]8;;http://x\x1b\\", "]8;"},      // OSC 8 hyperlink
	{"\u009b31m", "\u009b"},                // C1 CSI
	{"\a", "\a"},                           // BEL
}

func hostile(word string) string {
	var b strings.Builder
	b.WriteString(word)
	for _, h := range hostileSeqs {
		b.WriteString(h.seq)
	}
	return b.String() + word
}

// terminalSafe fails if s would make a terminal do anything but print: an escape, a BEL, NUL or
// a C1 control, or the remains of a hostile sequence.
func terminalSafe(t *testing.T, where, s string) {
	t.Helper()
	for _, r := range s {
		if r == 0x1b || r == 0x07 || r == 0 || (r >= 0x80 && r <= 0x9f) {
			i := strings.IndexRune(s, r)
			t.Errorf("%s: control character %U reaches the terminal near %q", where, r, s[max(0, i-20):min(len(s), i+20)])
			return
		}
	}
	// Text printed Go-quoted (%q) shows an escape as the letters \x1b: inert, and not the remains
	// of a sequence whose introducer alone was dropped.
	unquoted := strings.NewReplacer(`\x1b`, "", `\a`, "", `\u009b`, "").Replace(s)
	for _, h := range hostileSeqs {
		if i := strings.Index(unquoted, h.marker); i >= 0 && !strings.Contains(s, `\x1b`+h.marker) {
			t.Errorf("%s: the remains of a hostile sequence (%q) are printed", where, h.marker)
		}
	}
}

// seedHostileLibrary writes records with hostile text straight into the library (as an
// imported export or an older version's record would be), bypassing the engine's cleaning.
func seedHostileLibrary(t *testing.T, home string) {
	t.Helper()
	st, err := store.Open(filepath.Join(home, "library.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now().Add(-time.Hour)
	task := &store.Task{ID: "task-evil", Kind: "music", Status: store.TaskFailed, Error: hostile("policy"),
		LyricsTitle: hostile("lyrics title"), LyricsText: hostile("[Verse]\nlyrics"), ClipIDs: []string{"clip-evil"},
		Request: []byte(`{"kind":"music"}`), CreatedAt: now, FinishedAt: now.Add(time.Minute)}
	clip := &store.Clip{ID: "clip-evil", TaskID: "task-evil", Title: hostile("夜"), Tags: hostile("pop"),
		NegativeTags: hostile("metal"), Lyrics: hostile("[Verse]\nla"), Model: hostile("chirp"), Status: store.ClipComplete,
		Duration: 61, Download: store.DownloadFailed, DownloadError: hostile("download"), Error: hostile("clip error"),
		Notes: hostile("note"), CreatedAt: now}
	if err := st.PutTaskAndClips(task, []*store.Clip{clip}); err != nil {
		t.Fatal(err)
	}
	child := &store.Clip{ID: "clip-child", TaskID: "task-other", Title: hostile("child"), Status: store.ClipComplete,
		ParentID: "clip-evil", Derivation: store.DeriveCover, CreatedAt: now.Add(time.Minute)}
	if err := st.PutClip(child); err != nil {
		t.Fatal(err)
	}
}

// TestCLIOutputIsInert: list, show and tasks print hostile library text without a single
// control character; --json carries it escaped (\u001b), never raw.
func TestCLIOutputIsInert(t *testing.T) {
	_, home := cliEnv(t)
	seedHostileLibrary(t, home)
	for _, args := range [][]string{
		{"list"}, {"list", "--search", "夜"}, {"show", "clip-evil"}, {"show", "task-evil"}, {"tasks"},
	} {
		code, out, errs := runCLI(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if !strings.Contains(out, "夜") && !strings.Contains(out, "policy") {
			t.Errorf("%v: the record is not shown:\n%s", args, out)
		}
		terminalSafe(t, strings.Join(args, " ")+" (stdout)", out)
		terminalSafe(t, strings.Join(args, " ")+" (stderr)", errs)
	}
	for _, args := range [][]string{{"list", "--json"}, {"show", "clip-evil", "--json"}, {"show", "task-evil", "--json"}, {"tasks", "--json"}} {
		code, out, errs := runCLI(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if !json.Valid([]byte(out)) {
			t.Fatalf("%v: not JSON:\n%s", args, out)
		}
		if strings.ContainsAny(out, "\x1b\a") {
			t.Errorf("%v: a raw ESC or BEL in the JSON output", args)
		}
		if !strings.Contains(out, `\u001b]52;`) {
			t.Errorf("%v: the escape is not kept as \\u001b in the JSON data:\n%.300s", args, out)
		}
	}
}

// TestJSONOutputEscapesC1: a C1 control (U+0080-U+009F) in a title reaches a --json reader as
// the raw UTF-8 bytes C2 9B: encoding/json escapes only U+0000-U+001F (and U+2028/2029). A
// terminal that honours C1 controls in UTF-8 (xterm does) reads U+009B as CSI, so
// `sunostudio list --json` on a terminal is not inert for such a record.
//
// Fix (output.go, printJSON): escape U+0080-U+009F (and U+007F) after encoding, e.g. wrap the
// writer so that each such rune is written as \u00XX (they can only occur inside JSON strings,
// so the replacement is always valid JSON).
func TestJSONOutputEscapesC1(t *testing.T) {
	_, home := cliEnv(t)
	seedHostileLibrary(t, home)
	code, out, errs := runCLI(t, "", "list", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.ContainsRune(out, 0x9b) || strings.ContainsRune(out, 0x7f) {
		t.Errorf("list --json writes a raw C1 control (U+009B) to the terminal; want it escaped as \\u009b")
	}
}

// relayRewriter serves a simulator and changes the clips of its task replies with clip; it can
// also refuse the next submit with a hostile error.
type relayRewriter struct {
	sim  *sim.Sim
	clip func(m map[string]any)

	mu       sync.Mutex
	refuse   string // when set, the next submit is answered 400 with this message
	seenBody []string
}

func (rw *relayRewriter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rw.mu.Lock()
	refuse := rw.refuse
	if refuse != "" && strings.HasPrefix(r.URL.Path, "/suno/submit/") {
		rw.refuse = ""
	}
	rw.mu.Unlock()
	if refuse != "" && strings.HasPrefix(r.URL.Path, "/suno/submit/") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]any{"code": "invalid_request", "message": refuse, "data": nil})
		return
	}
	if rw.clip == nil || !strings.HasPrefix(r.URL.Path, "/suno/fetch") {
		rw.sim.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	rw.sim.ServeHTTP(rec, r)
	var v any
	body := rec.Body.Bytes()
	if json.Unmarshal(body, &v) == nil {
		walkClips(v, rw.clip)
		body, _ = json.Marshal(v)
	}
	for k, vs := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = vs
		}
	}
	w.WriteHeader(rec.Code)
	w.Write(body)
}

// walkClips calls f on every clip object (one with an audio_url) in a decoded reply.
func walkClips(v any, f func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["audio_url"]; ok {
			f(x)
		}
		for _, c := range x {
			walkClips(c, f)
		}
	case []any:
		for _, c := range x {
			walkClips(c, f)
		}
	}
}

// fakeRelay starts a simulator behind a rewriter and points the CLI at it.
func fakeRelay(t *testing.T, clip func(map[string]any)) (*relayRewriter, string) {
	t.Helper()
	s, home := cliEnv(t) // the simulator it starts is left unused
	_ = s
	fs := sim.New(sim.Options{Key: cliKey, StageTime: 10 * time.Millisecond, SongSeconds: 4, ChatTick: 10 * time.Millisecond})
	t.Cleanup(func() { fs.Close() })
	rw := &relayRewriter{sim: fs, clip: clip}
	srv := httptest.NewServer(rw)
	t.Cleanup(srv.Close)
	t.Setenv("SUNOSTUDIO_BASE_URL", srv.URL)
	t.Setenv("SUNOSTUDIO_POLL_INTERVAL", "100ms")
	return rw, home
}

// TestGenerateProgressIsInert: a relay whose task replies carry hostile titles, tags and lyrics,
// and whose refusal carries a hostile message: generate --wait's progress lines, its result,
// the error of a refused submit, and list and show afterwards print no control characters.
func TestGenerateProgressIsInert(t *testing.T) {
	rw, _ := fakeRelay(t, func(m map[string]any) {
		m["title"] = hostile(fmt.Sprint(m["title"]))
		if md, ok := m["metadata"].(map[string]any); ok {
			md["tags"] = hostile(fmt.Sprint(md["tags"]))
			md["prompt"] = hostile(fmt.Sprint(md["prompt"]))
		}
	})
	code, out, errs := runCLI(t, "", "generate", "--description", "a song about terminals", "--wait")
	if code != 0 {
		t.Fatalf("generate --wait: exit %d\n%s", code, errs)
	}
	if !strings.Contains(errs, "clip ") {
		t.Fatalf("no progress lines:\n%s", errs)
	}
	terminalSafe(t, "generate --wait (stdout)", out)
	terminalSafe(t, "generate --wait progress (stderr)", errs)
	code, out, _ = runCLI(t, "", "generate", "--description", "again", "--wait", "--json")
	if code != 0 || !json.Valid([]byte(out)) || strings.ContainsAny(out, "\x1b\a") {
		t.Errorf("generate --wait --json: exit %d, raw control characters or invalid JSON:\n%.400s", code, out)
	}
	for _, args := range [][]string{{"list"}, {"tasks"}} {
		_, out, errs := runCLI(t, "", args...)
		terminalSafe(t, strings.Join(args, " "), out+errs)
	}
	// A refusal whose message carries the sequences: the error on stderr is inert too.
	rw.mu.Lock()
	rw.refuse = hostile("refused")
	rw.mu.Unlock()
	code, out, errs = runCLI(t, "", "generate", "--description", "refused", "--wait")
	if code == 0 || !strings.Contains(errs, "refused") {
		t.Fatalf("a refused submit: exit %d\n%s", code, errs)
	}
	terminalSafe(t, "refused generate (stderr)", out+errs)
}

// TestHostileClipIDsStayInTheSongsFolder: a relay that answers with clip ids made to escape
// ("../../", slashes, an absolute path, dots, backslashes) and titles with "../": every file
// lands in the library's songs folder, under a name derived safely from the id.
func TestHostileClipIDsStayInTheSongsFolder(t *testing.T) {
	escape := filepath.Join(os.TempDir(), fmt.Sprintf("sunostudio-escape-%d", os.Getpid()))
	ids := []string{"../../escape-up", "a/b/../../../escape-nested", escape, "..", "./.hidden", `..\..\escape-win`, "....//escape-dots", "ok/../../escape"}
	var mu sync.Mutex
	mapped := map[string]string{}
	_, home := fakeRelay(t, func(m map[string]any) {
		orig := fmt.Sprint(m["id"])
		mu.Lock()
		id, ok := mapped[orig]
		if !ok {
			id = ids[len(mapped)%len(ids)]
			mapped[orig] = id
		}
		mu.Unlock()
		m["id"] = id
		m["title"] = "../../" + fmt.Sprint(m["title"]) + "/x"
	})
	for i := 0; i < len(ids)/2; i++ {
		code, _, errs := runCLI(t, "", "generate", "--description", fmt.Sprintf("escape %d", i), "--wait")
		if code != 0 {
			t.Fatalf("generate %d: exit %d\n%s", i, code, errs)
		}
	}
	songs := filepath.Join(home, "songs")
	st, err := store.Open(filepath.Join(home, "library.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	page, err := st.Clips(store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, c := range page.Clips {
		got[c.ID] = true
		for _, p := range []string{c.LocalPath, c.CoverPath, c.LyricsPath} {
			if p != "" && filepath.Dir(p) != songs {
				t.Errorf("clip %q: file %q is outside %s", c.ID, p, songs)
			}
		}
		if c.Download != store.DownloadDone {
			t.Errorf("clip %q not downloaded: %s %s", c.ID, c.Download, c.DownloadError)
			continue
		}
		f, err := os.Open(c.LocalPath)
		if err != nil {
			t.Errorf("clip %q: %v", c.ID, err)
			continue
		}
		info, err := mp3scan.Scan(f)
		f.Close()
		if err != nil || info.Truncated {
			t.Errorf("clip %q: %s is not whole: %v", c.ID, c.LocalPath, err)
		}
	}
	for _, id := range ids {
		if !got[id] {
			t.Errorf("the clip with id %q is not in the library", id)
		}
	}
	// Nothing outside the data folder, nothing but the known files at its top, and every song
	// file inside songs/.
	parent := filepath.Dir(home)
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if filepath.Join(parent, e.Name()) != home {
			t.Errorf("%s appeared beside the data folder", e.Name())
		}
	}
	if m, _ := filepath.Glob(escape + "*"); len(m) > 0 {
		t.Errorf("files written at the absolute path a clip id named: %v", m)
	}
	filepath.WalkDir(home, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(home, p)
		switch {
		case strings.HasPrefix(rel, "songs"+string(filepath.Separator)):
			if filepath.Dir(p) != songs {
				t.Errorf("%s is in a folder below songs/", rel)
			}
		case strings.HasPrefix(rel, "logs"+string(filepath.Separator)):
		case rel == "library.db" || rel == "config.toml" || strings.HasPrefix(rel, "library.db"):
		default:
			t.Logf("other file in the data folder: %s", rel)
		}
		return nil
	})
}

// TestClipIDWithNULIsRefusedAlone: a relay that answers a task with one clip whose id holds a
// NUL byte (which the library refuses as an id). No file may appear anywhere; the task must
// still finish with its other clip, instead of being stuck until its deadline because the whole
// reply is refused.
func TestClipIDWithNULIsRefusedAlone(t *testing.T) {
	var mu sync.Mutex
	first := ""
	_, home := fakeRelay(t, func(m map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		id := fmt.Sprint(m["id"])
		if first == "" || first == id {
			first = id
			m["id"] = "nul\x00" + id
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"generate", "--description", "nul id", "--wait"}, strings.NewReader(""), &out, &errb)
	if ctx.Err() != nil {
		// Fix (studio/tracker.go, tracker.apply): the reply is applied in one PutTaskAndClips,
		// which the store refuses as a whole for one invalid clip id, so the task never moves
		// and is polled until its deadline (20 min), reporting the same problem every tick.
		// Drop (and report once) the clips whose id the library cannot hold (control
		// characters, over-long) from rt.Clips before applyTask/applyClip, so the task and its
		// other clips are recorded and downloaded.
		t.Errorf("generate --wait did not end within 5 s with a NUL clip id in the reply (exit %d); stderr:\n%s", code, lastLines(errb.String(), 8))
	}
	songs := filepath.Join(home, "songs")
	filepath.WalkDir(filepath.Dir(home), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(p, home+string(filepath.Separator)) {
			t.Errorf("a file outside the data folder: %s", p)
		}
		if err == nil && !d.IsDir() && strings.HasPrefix(p, songs) && filepath.Dir(p) != songs {
			t.Errorf("a file below songs/: %s", p)
		}
		return nil
	})
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// keyRelay serves a simulator; while echo401 is set, submits are answered 401 with the
// Authorization header echoed in the message, as some relays do.
type keyRelay struct {
	sim     *sim.Sim
	mu      sync.Mutex
	echo401 bool
}

func (k *keyRelay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	echo := k.echo401
	k.mu.Unlock()
	if echo && strings.HasPrefix(r.URL.Path, "/suno/submit/") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"message": "invalid token: " + r.Header.Get("Authorization") + " (key " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer sk-") + ")",
			"type":    "new_api_error"}})
		return
	}
	k.sim.ServeHTTP(w, r)
}

// TestAPIKeyLeaksNowhere runs the real binary through a whole session with a known key, with
// debug logging: generate --wait, chat, play (null output), export to a file, a submit the
// relay refuses with 401 while echoing the key, and a generate killed with SIGKILL. Then the key
// (and its bare form without "sk-") must be in no file of the data folder (library, logs,
// songs, exports, temp files) and in nothing the commands printed.
func TestAPIKeyLeaksNowhere(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	const key = "sk-LEAKCHECK-5d1f9a7c3e"
	leaks := []string{key, strings.TrimPrefix(key, "sk-"), "5d1f9a7c3e"}
	bin := buildStudio(t)
	s := sim.New(sim.Options{Key: key, StageTime: 10 * time.Millisecond, SongSeconds: 2, ChatTick: 10 * time.Millisecond})
	defer s.Close()
	kr := &keyRelay{sim: s}
	srv := httptest.NewServer(kr)
	defer srv.Close()
	home := t.TempDir()
	exportFile := filepath.Join(t.TempDir(), "export.json")
	env := cleanEnv("SUNOSTUDIO_HOME="+home, "SUNOSTUDIO_BASE_URL="+srv.URL, "SUNOSTUDIO_API_KEY="+key,
		"SUNOSTUDIO_POLL_INTERVAL=100ms", "SUNOSTUDIO_LOG=debug")
	var outputs bytes.Buffer
	runBin := func(timeout time.Duration, args ...string) (int, string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		outputs.WriteString(out.String())
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return code, out.String()
	}
	if code, out := runBin(60*time.Second, "generate", "--description", "a song about secrets", "--wait", "--json"); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, out)
	}
	if code, out := runBin(60*time.Second, "chat", "a chat about secrets"); code != 0 {
		t.Fatalf("chat: exit %d\n%s", code, out)
	}
	st, err := store.Open(filepath.Join(home, "library.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	newest, err := st.Newest(1)
	st.Close()
	if err != nil || len(newest) == 0 {
		t.Fatalf("no clip to play: %v", err)
	}
	if code, out := runBin(30*time.Second, "play", newest[0].ID, "--audio", "null"); code != 0 {
		t.Fatalf("play: exit %d\n%s", code, out)
	}
	if code, out := runBin(30*time.Second, "export", "-o", exportFile); code != 0 {
		t.Fatalf("export: exit %d\n%s", code, out)
	}
	runBin(30*time.Second, "export", "--format", "m3u")
	kr.mu.Lock()
	kr.echo401 = true
	kr.mu.Unlock()
	if code, out := runBin(30*time.Second, "generate", "--description", "refused"); code == 0 || !strings.Contains(out, "API key") {
		t.Fatalf("the 401: exit %d\n%s", code, out)
	}
	kr.mu.Lock()
	kr.echo401 = false
	kr.mu.Unlock()
	// A crash: SIGKILL while the song is being made and downloaded.
	cmd := exec.Command(bin, "generate", "--description", "killed", "--wait")
	cmd.Env = env
	var killed bytes.Buffer
	cmd.Stdout, cmd.Stderr = &killed, &killed
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	outputs.WriteString(killed.String())
	runBin(60*time.Second, "resume")

	for _, l := range leaks {
		if strings.Contains(outputs.String(), l) {
			t.Errorf("the key (%q) was printed by a command", l)
		}
	}
	files := 0
	for _, root := range []string{home, filepath.Dir(exportFile)} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			files++
			data, err := os.ReadFile(p)
			if err != nil {
				t.Errorf("read %s: %v", p, err)
				return nil
			}
			for _, l := range leaks {
				if bytes.Contains(data, []byte(l)) {
					t.Errorf("the key (%q) is in %s", l, p)
				}
			}
			return nil
		})
	}
	if log, _ := os.ReadFile(filepath.Join(home, "logs", "sunostudio.log")); !bytes.Contains(log, []byte("relay call")) {
		t.Errorf("the debug log has no relay calls, so it proves little (%d bytes)", len(log))
	}
	t.Logf("checked %d files and %d bytes of output", files, outputs.Len())
}

// TestInsecureBaseURLWarnsBeforeTheKeyIsSent: a profile with an http:// base URL to a remote
// host. The real binary runs with HTTP_PROXY pointing at a recorder, so its first request can be
// held: by then the warning must already be on stderr. In-process, the warning comes before
// the error of the request that fails.
func TestInsecureBaseURLWarnsBeforeTheKeyIsSent(t *testing.T) {
	const warning = "plain http:// to a remote host"
	write := func(home string) {
		t.Helper()
		body := "[profiles.remote]\nbase_url = \"http://example.invalid\"\napi_key_env = \"REMOTE_RELAY_KEY\"\n"
		if err := os.WriteFile(filepath.Join(home, "config.toml"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// In-process: the request fails (the host does not exist); the warning came first.
	cliEnv(t)
	home := t.TempDir()
	write(home)
	t.Setenv("SUNOSTUDIO_HOME", home)
	t.Setenv("SUNOSTUDIO_BASE_URL", "")
	t.Setenv("SUNOSTUDIO_API_KEY", "")
	t.Setenv("REMOTE_RELAY_KEY", "sk-remote-123456")
	code, _, errs := runCLI(t, "", "generate", "--description", "over http")
	w, e := strings.Index(errs, warning), strings.Index(errs, "sunostudio:")
	if code == 0 || w < 0 || e < 0 || w > e {
		t.Fatalf("exit %d; want the warning before the request's error:\n%s", code, errs)
	}

	// The real binary: the first request reaches the proxy only after the warning.
	if testing.Short() {
		return
	}
	bin := buildStudio(t)
	var stderr syncBuffer
	warnedFirst := make(chan bool, 1)
	var once sync.Once
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() {
			ok := false
			for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
				if strings.Contains(stderr.String(), warning) {
					ok = true
					break
				}
			}
			warnedFirst <- ok
		})
		http.Error(w, "proxy says no", http.StatusBadGateway)
	}))
	defer proxy.Close()
	home2 := t.TempDir()
	write(home2)
	cmd := exec.Command(bin, "generate", "--description", "over http")
	cmd.Env = cleanEnv("SUNOSTUDIO_HOME="+home2, "REMOTE_RELAY_KEY=sk-remote-123456", "HTTP_PROXY="+proxy.URL, "http_proxy="+proxy.URL,
		"NO_PROXY=", "no_proxy=")
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil {
		t.Fatalf("generate through a refusing proxy succeeded:\n%s", stderr.String())
	}
	select {
	case ok := <-warnedFirst:
		if !ok {
			t.Fatalf("the first request was sent before the warning was printed; stderr:\n%s", stderr.String())
		}
	default:
		t.Fatalf("no request reached the proxy; stderr:\n%s", stderr.String())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var _ io.Writer = (*syncBuffer)(nil)

// TestConfigFilePermissions: the first run writes config.toml 0600; a config.toml others can
// read makes every command warn, naming the file and the fix, without showing the key.
func TestConfigFilePermissions(t *testing.T) {
	cliEnv(t)
	home := t.TempDir()
	t.Setenv("SUNOSTUDIO_HOME", home)
	code, _, errs := runCLI(t, "", "tasks")
	if code != 0 {
		t.Fatalf("tasks: exit %d\n%s", code, errs)
	}
	path := filepath.Join(home, "config.toml")
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("config.toml: %v %v, want mode 0600", fi.Mode(), err)
	}
	if strings.Contains(errs, "readable by other users") {
		t.Errorf("a fresh config.toml is warned about:\n%s", errs)
	}
	body := "[profiles.a]\nbase_url = \"https://relay.example.com\"\napi_key = \"sk-in-the-file-778899\"\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o644)
	t.Setenv("SUNOSTUDIO_API_KEY", "")
	t.Setenv("SUNOSTUDIO_BASE_URL", "")
	_, out, errs := runCLI(t, "", "tasks")
	if !regexp.MustCompile(`readable by other users \(mode 0644\).*chmod 600 ` + regexp.QuoteMeta(path)).MatchString(errs) {
		t.Errorf("no warning about the world-readable %s:\n%s", path, errs)
	}
	if strings.Contains(out+errs, "sk-in-the-file-778899") || strings.Contains(out+errs, "778899") {
		t.Errorf("the warning shows the key:\n%s", errs)
	}
}

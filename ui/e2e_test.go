package ui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// e2eText is what the screen says at each step, in one language.
type e2eText struct {
	locale                                    string // LANG for the binary
	start                                     []string
	submitted, succeeded, inLibrary, twoClips string
	playing                                   string
	markRE                                    *regexp.Regexp // the status line after M; group 1 is the time
	extendDialog                              []string
	extendSubmitted, fourClips                string
	help                                      []string
	chatPane                                  []string
	chatAnswer, chatDone                      []string
	cardsHelp                                 string
}

var e2eEnglish = e2eText{
	locale:    "C.UTF-8",
	start:     []string{"DEMO", "1 Create", "4 Library", "› Description"},
	submitted: "submitted: task", succeeded: "succeeded", inLibrary: "✓ in library", twoClips: "2 clips",
	playing:      "playing · vol",
	markRE:       regexp.MustCompile(`extend point (0:\d\d(?:\.\d)?) marked`),
	extendDialog: []string{"Extend", "From"}, extendSubmitted: "extend submitted: task", fourClips: "4 clips",
	help:       []string{"Keys", "play_pause", "write_lyrics"},
	chatPane:   []string{"5 Chat", "› ask for a song"},
	chatAnswer: []string{"› a song about the rain 雨", "请求成功"},
	chatDone:   []string{"2 songs in the library", "done · 2 songs"},
	cardsHelp:  "i to the prompt · enter play",
}

// e2eChinese is the same run under LANG=zh_CN.UTF-8, with no --lang and no config: the
// locale alone picks Chinese.
var e2eChinese = e2eText{
	locale:    "zh_CN.UTF-8",
	start:     []string{"演示", "1 创作", "4 曲库", "› 描述"},
	submitted: "已提交：任务", succeeded: "已完成", inLibrary: "✓ 已入库", twoClips: "2 首歌曲",
	playing:      "播放中 · 音量",
	markRE:       regexp.MustCompile(`续写点 (0:\d\d(?:\.\d)?) 已标记`),
	extendDialog: []string{"续写", "起点"}, extendSubmitted: "续写已提交：任务", fourClips: "4 首歌曲",
	help:       []string{"按键", "play_pause", "write_lyrics"},
	chatPane:   []string{"5 对话", "› 想要什么歌"},
	chatAnswer: []string{"› a song about the rain 雨", "请求成功"},
	chatDone:   []string{"曲库中的 2 首歌曲", "完成 · 2 首歌曲已在曲库中"},
	cardsHelp:  "i 转到输入框 · enter 播放",
}

// TestTmuxEndToEndChinese runs the whole end-to-end test again with LANG=zh_CN.UTF-8.
func TestTmuxEndToEndChinese(t *testing.T) { tmuxEndToEnd(t, e2eChinese) }

// TestTmuxEndToEnd runs the real sunostudio binary in a tmux session (a real terminal) on
// the built-in simulator with the null audio output: start, type a description, submit,
// watch the task finish, find the clips in the library, play one, extend it from a point
// marked while it plays, open the help, ask for a
// song in the chat pane and watch its answer and cards arrive, quit. Each
// step waits for the screen to show its result (polling capture-pane, never sleeping blindly).
//
// It needs tmux (Debian: apt-get install tmux); without it the test is skipped.
// SUNOSTUDIO_E2E_BIN runs a prebuilt binary instead of building one.
func TestTmuxEndToEnd(t *testing.T) { tmuxEndToEnd(t, e2eEnglish) }

func tmuxEndToEnd(t *testing.T, tx e2eText) {
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed (apt-get install tmux)")
	}
	bin := os.Getenv("SUNOSTUDIO_E2E_BIN")
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "sunostudio")
		build := exec.Command("go", "build", "-o", bin, ".")
		build.Dir = ".." // the module root: package main
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("build: %v\n%s", err, out)
		}
	}

	data := t.TempDir()
	sock := fmt.Sprintf("sunostudio-e2e-%d", os.Getpid())
	session := "e2e"
	tm := func(args ...string) (string, error) {
		out, err := exec.Command(tmux, append([]string{"-L", sock, "-u"}, args...)...).CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { tm("kill-server") })

	exitFile := filepath.Join(data, "exit-code")
	// The shell records the exit code, so a crash is told apart from a clean quit.
	script := fmt.Sprintf("cd %q && SUNOSTUDIO_POLL_INTERVAL=200ms LC_ALL= LC_MESSAGES= LANG=%s %q --data-dir %q --audio null; echo $? > %q",
		data, tx.locale, bin, data, exitFile)
	env := []string{"new-session", "-d", "-s", session, "-x", "120", "-y", "40", "sh", "-c", script}
	if out, err := tm(env...); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	screen := func() string {
		out, _ := tm("capture-pane", "-t", session, "-p")
		return out
	}
	waitFor := func(step string, d time.Duration, ok func(string) bool) string {
		t.Helper()
		var s string
		for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if s = screen(); ok(s) {
				return s
			}
		}
		t.Fatalf("%s: the screen never got there; last screen:\n%s\nlog:\n%s", step, s, tail(filepath.Join(data, "logs", "sunostudio.log")))
		return s
	}
	has := func(parts ...string) func(string) bool {
		return func(s string) bool {
			for _, p := range parts {
				if !strings.Contains(s, p) {
					return false
				}
			}
			return true
		}
	}
	keys := func(k ...string) {
		t.Helper()
		if out, err := tm(append([]string{"send-keys", "-t", session}, k...)...); err != nil {
			t.Fatalf("send-keys %v: %v %s", k, err, out)
		}
	}

	// 1. Start: demo mode, focus in the description field.
	waitFor("start", 20*time.Second, has(tx.start...))

	// 2. Type a description (Chinese too) and submit with ctrl+s.
	keys("-l", "a summer song about the sea 夏天")
	waitFor("type", 5*time.Second, has("sea 夏天"))
	keys("C-s")
	waitFor("submit", 15*time.Second, has(tx.submitted))

	// 3. The task finishes and its clips are downloaded into the library.
	s := waitFor("task finishes", 90*time.Second, func(s string) bool {
		return strings.Contains(s, tx.succeeded) && strings.Count(s, tx.inLibrary) == 2
	})
	if !strings.Contains(s, tx.twoClips) {
		t.Fatalf("library does not list the two clips:\n%s", s)
	}

	// 4. To the library with tab (Lyrics, Tasks, Library), then play the selected clip. Tab
	// works from inside a text field; esc followed at once by 4 would reach the program as
	// alt+4, as in any terminal.
	keys("Tab", "Tab", "Tab")
	waitFor("library", 5*time.Second, func(s string) bool {
		return !strings.Contains(s, tx.start[3]) && strings.Contains(s, "│ ›   ")
	})
	keys("Enter")
	waitFor("play", 15*time.Second, func(s string) bool {
		return strings.Contains(s, tx.playing) && strings.Contains(s, "▶ ")
	})

	// 4b. Extend the song from a point marked while it plays: once two seconds have played,
	// M marks the player's position, E opens the extend dialog with it, ctrl+s submits, and
	// the two new clips (the continuation) arrive in the library.
	waitFor("two seconds played", 20*time.Second, func(s string) bool {
		return playerTime.MatchString(playerLine(s))
	})
	keys("M")
	s = waitFor("mark", 5*time.Second, func(s string) bool { return tx.markRE.MatchString(s) })
	mark := tx.markRE.FindStringSubmatch(s)
	if mark == nil {
		t.Fatalf("no marked time in the status line:\n%s", s)
	}
	keys("E")
	waitFor("extend dialog", 5*time.Second, has(append(tx.extendDialog, mark[1])...))
	keys("C-s")
	waitFor("extend submitted", 15*time.Second, has(tx.extendSubmitted))
	waitFor("extension made", 90*time.Second, func(s string) bool {
		return strings.Contains(s, tx.fourClips) && strings.Count(s, tx.inLibrary) == 4
	})

	// 5. Help overlay with the bindings, closed by esc.
	keys("?")
	waitFor("help", 5*time.Second, has(tx.help...))
	keys("Escape")
	waitFor("help closed", 5*time.Second, func(s string) bool { return !strings.Contains(s, "write_lyrics") })

	// 6. Chat: 5 opens the chat pane with the keyboard in its prompt box; the answer streams
	// into the transcript (the simulator's format a: an acknowledgement, a long silence while
	// the song is made, then the whole answer one character per event), two cards appear under
	// it, and the songs are downloaded into the library.
	keys("5")
	waitFor("chat pane", 5*time.Second, has(tx.chatPane...))
	keys("-l", "a song about the rain 雨")
	waitFor("chat prompt", 5*time.Second, has("the rain 雨"))
	keys("Enter")
	waitFor("chat: first words", 30*time.Second, has(tx.chatAnswer...))
	waitFor("chat: the answer and its cards", 90*time.Second, has(tx.chatDone...))
	waitFor("chat: songs downloaded", 90*time.Second, func(s string) bool {
		n := 0
		for _, l := range strings.Split(s, "\n") {
			if left, _, ok := strings.Cut(l, "││"); ok { // the chat column, left of the Library
				n += strings.Count(left, tx.inLibrary)
			}
		}
		return n == 2
	})
	// esc takes the keyboard out of the prompt (the help line then lists the card keys).
	keys("Escape")
	waitFor("chat: cards", 5*time.Second, has(tx.cardsHelp))

	// 7. Quit (nothing pending any more, so no question) and check the exit code.
	keys("q")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if b, err := os.ReadFile(exitFile); err == nil && strings.TrimSpace(string(b)) != "" {
			if code := strings.TrimSpace(string(b)); code != "0" {
				t.Fatalf("sunostudio exited with %s\nlog:\n%s", code, tail(filepath.Join(data, "logs", "sunostudio.log")))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sunostudio did not quit; screen:\n%s", screen())
		}
	}
	// Nothing from the audio library or Go's runtime reached the terminal: stderr went to
	// the log while the studio ran.
	if runtime.GOOS == "linux" {
		if log := tail(filepath.Join(data, "logs", "sunostudio.log")); strings.Contains(log, "panic") {
			t.Fatalf("panic in the log:\n%s", log)
		}
	}
}

var (
	// playerTime matches the player bar's position once at least two seconds have played.
	playerTime = regexp.MustCompile(`  (0:0[2-9]|0:[1-5]\d|[1-9]:\d\d) `)
)

// playerLine is the player bar's first line (title, position, progress).
func playerLine(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(l, "▶ ") {
			return l
		}
	}
	return ""
}

func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return strings.Join(lines, "\n")
}

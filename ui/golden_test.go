package ui

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"sunostudio/internal/i18n"
	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

// Golden tests render the whole screen at fixed sizes and compare it, without colours, to
// testdata/*.golden (go test ./ui -run Golden -update rewrites them). The clock, the time
// zone and the theme are fixed; TestStyledOutputHasColour checks the colours separately.

var goldenSizes = []struct{ w, h int }{{80, 24}, {120, 40}, {30, 10}}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		writeFile(t, path, got)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -run Golden -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (rerun with -update if the change is intended)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}

// checkFrame asserts the invariants every frame keeps: exactly h lines of exactly w cells.
func checkFrame(t *testing.T, screen string, w, h int) {
	t.Helper()
	if strings.ContainsRune(screen, 0) {
		t.Fatal("a NUL byte in the frame")
	}
	lines := strings.Split(screen, "\n")
	if len(lines) != h {
		t.Fatalf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, got, w, l)
		}
	}
}

func goldenEnv(t *testing.T) *env {
	e := newEnv(t, seedStudio)
	e.load()
	return e
}

// goldenSetups put the studio in each state the goldens show.
var goldenSetups = map[string]func(e *env){
	"create": func(e *env) {
		e.typeText("一首关于夏天的歌 a summer song 🌊")
	},
	"create_custom": func(e *env) {
		e.key("ctrl+t") // the title and tags come back from the saved draft
		e.typeText(" 🌊")
		e.key("down")
		e.typeText(", 国风")
	},
	"lyrics": func(e *env) {
		e.key("tab")
	},
	"tasks": func(e *env) {
		e.key("tab", "tab")
	},
	"library": func(e *env) {
		e.key("esc", "4", "j")
	},
	"library_filter": func(e *env) {
		e.key("esc", "4", "/")
		e.typeText("夏")
	},
	"details": func(e *env) {
		e.key("esc", "4", "G", "i")
	},
	// A song craft dialog: extend the oldest clip.
	"extend_dialog": func(e *env) {
		e.key("esc", "4", "G", "E")
	},
	"help": func(e *env) {
		e.key("esc", "?")
	},
	"noaudio": func(e *env) {
		st := player.Status{State: player.NoOutput, Volume: 100, Index: -1,
			OutputErr: &player.OutputError{Output: "device", Reason: `ALSA error at snd_pcm_open: "default": No such file or directory`,
				Hint: i18n.T("player.err.hint_linux")}} // what the player says on Linux, in the language in use
		e.send(playerMsg{ev: player.Event{Kind: player.EventState, State: player.NoOutput}, st: &st})
	},
	// Chat mid-stream: a Chinese answer arriving, two songs named (one streaming, one
	// queued), the prompt box ready for the next question.
	"chat": chatMidStream,
	// The waveform in the progress bar, with a section marked by [ and ] and the extend
	// point by M while the song played, and the A/B take label.
	"waveform": func(e *env) {
		mustPut(e.t, e.st.PutPeaks("clip-a1", seedPeaks()))
		st := player.Status{State: player.Playing, Volume: 80, Index: 0, Gen: 1,
			Track:    player.Source{ID: "clip-a1", Title: "夏日海风 🌊 Summer Breeze"},
			Position: 40 * time.Second, Duration: 183 * time.Second, Buffered: 150 * time.Second}
		e.exec(e.send(playerMsg{ev: player.Event{Gen: 1, Kind: player.EventTrackChanged, State: player.Playing}, st: &st}))
		e.key("esc", "[")
		e.at(62 * time.Second)
		e.key("]")
		e.at(83 * time.Second)
		e.key("M")
		e.at(95 * time.Second)
	},
	"playing": func(e *env) {
		st := player.Status{State: player.Playing, Volume: 80, QueueLen: 3, Repeat: player.RepeatAll, Index: 0,
			Track:    player.Source{ID: "clip-a1", Title: "夏日海风 🌊 Summer Breeze"},
			Position: 83 * time.Second, Duration: 183 * time.Second, Buffered: 150 * time.Second}
		e.send(playerMsg{ev: player.Event{Gen: 1, Kind: player.EventTrackChanged, State: player.Playing}, st: &st})
	},
}

func TestGoldenPanes(t *testing.T) {
	for name, setup := range goldenSetups {
		t.Run(name, func(t *testing.T) { goldenAt(t, name, goldenSizes, goldenEnv, setup) })
	}
}

// zhSizes are the sizes every pane is checked at in Chinese, whose characters take two
// cells: the smallest full layout people use and a roomy one.
var zhSizes = []struct{ w, h int }{{80, 24}, {120, 40}}

// TestGoldenPanesChinese renders every golden state in zh-CN (testdata/zh-CN/).
func TestGoldenPanesChinese(t *testing.T) {
	useLang(t, i18n.Chinese)
	for name, setup := range goldenSetups {
		t.Run(name, func(t *testing.T) { goldenAt(t, name, zhSizes, goldenEnv, setup) })
	}
}

// goldenAt renders one state at each size, checks the frame and compares it with
// testdata/NAME_WxH.golden, or testdata/LANG/NAME_WxH.golden in another language than
// English, where it also checks that no English word of the studio's own is left on screen.
func goldenAt(t *testing.T, name string, sizes []struct{ w, h int }, newEnv func(*testing.T) *env, setup func(*env)) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			e := newEnv(t)
			e.size(sz.w, sz.h)
			setup(e)
			got := e.screen()
			checkFrame(t, got, sz.w, sz.h)
			file := fmt.Sprintf("%s_%dx%d", name, sz.w, sz.h)
			if l := i18n.Current(); l != i18n.English {
				file = string(l) + "/" + file
				for _, w := range untranslated(t, e, got) {
					t.Errorf("English word %q on the %s screen:\n%s", w, l, got)
				}
			}
			golden(t, file, got)
		})
	}
}

// useLang switches the catalog's language for one test (the ui tests are not parallel).
func useLang(t *testing.T, l i18n.Lang) {
	t.Helper()
	prev := i18n.Current()
	i18n.Use(l)
	t.Cleanup(func() { i18n.Use(prev) })
}

// notText are the Latin words a Chinese screen may show because they are not language: key
// names, units, formats, brands and protocol words.
var notText = map[string]bool{
	"ctrl": true, "shift": true, "alt": true, "enter": true, "esc": true, "tab": true, "space": true,
	"backspace": true, "delete": true, "home": true, "end": true, "pgup": true, "pgdown": true,
	"up": true, "down": true, "left": true, "right": true,
	"DEMO": true, "sunostudio": true, "Suno": true, "API": true, "URL": true, "JSON": true, "M3U": true,
	"mp3": true, "wav": true, "WAV": true, "mp4": true, "MP4": true, "HTTP": true, "OK": true,
	"chirp": true, "auk": true, "crow": true, "bluejay": true, "turbo": true, "demo": true,
	"Intro": true, "Verse": true, "Chorus": true, "Bridge": true, "Outro": true, "Pre": true, // Suno's section tags
	// The no-audio state: the OS's own error, quoted as it came, and the names in the advice.
	"ALSA": true, "error": true, "snd": true, "pcm": true, "open": true, "default": true, "No": true, "such": true,
	"file": true, "directory": true, "pipewire": true, "pulseaudio": true, "alsa": true, "asoundrc": true,
	"audio": true, "null": true,
	"KB": true, "MB": true, "pulse": true, // "pulseaudio" cut short
	"keys": true, // the [keys] table of config.toml
}

// latinWord finds Latin words; config names (play_pause) and file names (config.toml) come out
// whole and are not words of any language.
// typedInGoldens is the Latin text goldenSetups type.
const typedInGoldens = "a summer song"

var (
	latinWord = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9]`)
	alphaRun  = regexp.MustCompile(`[A-Za-z]+`)
)

func isName(w string) bool { return len(w) < 3 || strings.ContainsAny(w, "_.0123456789") }

// untranslated returns the Latin words on a Chinese screen that are neither data (any word of
// the library's records or what the test typed, or the start of one cut short by the layout),
// nor action names, nor notText: the words the catalog missed.
func untranslated(t *testing.T, e *env, screen string) []string {
	t.Helper()
	var buf strings.Builder
	if err := e.st.Export(&buf); err != nil {
		t.Fatal(err)
	}
	// The requests of tasks are data too (a prompt shows as the task's summary), and so is
	// what the setups type.
	buf.WriteString(typedInGoldens)
	tasks, err := e.st.Tasks(0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tasks {
		buf.Write(tk.Request)
	}
	data := map[string]bool{}
	for _, w := range alphaRun.FindAllString(buf.String(), -1) {
		data[w] = true
	}
	for a := range defaults { // the help overlay names every action as config.toml binds it
		data[string(a)] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, w := range latinWord.FindAllString(screen, -1) {
		if isName(w) || notText[w] || data[w] || seen[w] || cutShort(w, data) {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

func cutShort(w string, data map[string]bool) bool {
	for d := range data {
		if strings.HasPrefix(d, w) {
			return true
		}
	}
	return false
}

// TestStyledOutputHasColour: the goldens compare text only, so one test looks at the styles:
// the focused border and the DEMO badge carry colour, and NO_COLOR leaves none but keeps
// emphasis (reverse video for the selection).
func TestStyledOutputHasColour(t *testing.T) {
	e := goldenEnv(t)
	e.size(120, 40)
	out := e.m.View().Content
	if !strings.Contains(out, "\x1b[") || !(strings.Contains(out, "38;5;") || strings.Contains(out, "[9") || strings.Contains(out, ";9") || strings.Contains(out, "[3")) {
		t.Fatalf("no colour in the styled frame")
	}
	nc := newEnv(t, seedStudio, func(o *Options) { o.NoColor = true })
	nc.load()
	nc.size(120, 40)
	nc.key("esc", "4")
	out = nc.m.View().Content
	if colour := findColour(out); colour != "" {
		t.Fatalf("NO_COLOR frame has a colour sequence %q", colour)
	}
	if !strings.Contains(out, "\x1b[7") && !strings.Contains(out, ";7m") && !strings.Contains(out, ";7;") {
		t.Fatalf("NO_COLOR selection is not reverse video")
	}
}

// findColour returns the first SGR sequence in s that sets a foreground or background colour.
func findColour(s string) string {
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return ""
		}
		s = s[i+2:]
		j := strings.IndexByte(s, 'm')
		if j < 0 {
			return ""
		}
		params := s[:j]
		if strings.ContainsAny(params, "ABCDHJK") {
			continue
		}
		for _, p := range strings.Split(params, ";") {
			switch {
			case len(p) == 2 && (p[0] == '3' || p[0] == '4') && p[1] >= '0' && p[1] <= '8',
				len(p) == 2 && p[0] == '9', len(p) == 3 && p[:2] == "10":
				return "\\x1b[" + params + "m"
			}
		}
	}
}

// TestRelayTextIsSanitised: a title with OSC 52 (write the clipboard) and a cursor move, and
// lyrics with a screen clear, never reach the terminal, in the list, the tasks and the details.
func TestRelayTextIsSanitised(t *testing.T) {
	evil := "Evil\x1b]52;c;aGVsbG8=\x07 Song\x1b[2J\x1b[10;10H moved\x9b31m"
	e := newEnv(t, func(e *env) {
		seedStudio(e)
		c := clipFixture("clip-evil", evil)
		c.Lyrics = "line one\x1b]0;pwned\x07\n\x1b[2Jline two"
		c.Tags = "tag\x1b[31mred"
		mustPut(e.t, e.st.PutClip(c))
	})
	e.load()
	e.size(120, 40)
	e.key("esc", "4")
	for _, stage := range []string{"list", "details"} {
		if stage == "details" {
			e.m.lib.selectID("clip-evil")
			e.key("i")
		}
		out := e.m.View().Content
		for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "\x1b[10;10H", "\u009b"} {
			if strings.Contains(out, bad) {
				t.Fatalf("%s: %q reached the terminal", stage, bad)
			}
		}
		if !utf8.ValidString(out) {
			t.Fatalf("%s: invalid UTF-8 (a raw C1 byte?) reached the terminal", stage)
		}
		if !strings.Contains(ansi.Strip(out), "Evil") {
			t.Fatalf("%s: the sanitised title is not shown:\n%s", stage, ansi.Strip(out))
		}
	}
	// Error text from the relay, in the status line and in Tasks.
	e.send(engineMsg{ev: engineProblem("relay said \x1b]52;c;Zm9v\x07 no")})
	if strings.Contains(e.m.View().Content, "\x1b]52") {
		t.Fatal("OSC 52 in a problem reached the terminal")
	}
}

func TestTooSmall(t *testing.T) {
	e := goldenEnv(t)
	for _, sz := range []struct{ w, h int }{{30, 10}, {20, 5}, {59, 24}, {80, 15}} {
		e.size(sz.w, sz.h)
		got := e.screen()
		checkFrame(t, got, sz.w, sz.h)
		if !strings.Contains(strings.Join(strings.Fields(got), " "), "enlarge") {
			t.Errorf("%dx%d: no enlarge message:\n%s", sz.w, sz.h, got)
		}
	}
	e.size(60, 16)
	if strings.Contains(e.screen(), "enlarge") {
		t.Error("60x16 is the minimum and should be drawn")
	}
}

// seedPeaks is a waveform with a shape to recognise: a quiet intro, verses, a loud chorus
// from 40% to 60%, and a fade.
func seedPeaks() []float32 {
	p := make([]float32, studio.PeakCount)
	for i := range p {
		x := float64(i) / float64(len(p))
		v := 0.35 + 0.15*math.Sin(float64(i)/9)
		switch {
		case x < 0.1:
			v = 0.1 + x*2
		case x >= 0.4 && x < 0.6:
			v = 0.85 + 0.1*math.Sin(float64(i)/5)
		case x >= 0.9:
			v = (1 - x) * 3
		}
		p[i] = float32(v)
	}
	return p
}

func clipFixture(id, title string) *store.Clip {
	return &store.Clip{ID: id, TaskID: "task-x", Title: title, Status: store.ClipComplete, Model: "chirp-v4",
		Duration: 60, CreatedAt: t0.Add(-time.Minute)}
}

func engineProblem(s string) studio.Event {
	return studio.Event{Kind: studio.Problem, Err: errors.New(s)}
}

package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"sunostudio/client/sim"
	"sunostudio/internal/i18n"
	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

// moonWords are the aligned words of a Chinese song as the relay sends them: section markers
// and line breaks ride inside the words, one word per character or phrase, no spaces.
var moonWords = []store.TimedWord{
	{Word: "[Verse]\n时间", Start: 10.0, End: 10.8}, {Word: "慢慢地", Start: 10.8, End: 11.9}, {Word: "走\n", Start: 11.9, End: 12.6},
	{Word: "晚风", Start: 13.0, End: 13.8}, {Word: "轻轻", Start: 13.8, End: 14.6}, {Word: "在吹\n", Start: 14.6, End: 15.6},
	{Word: "路灯", Start: 16.0, End: 16.8}, {Word: "把影子", Start: 16.8, End: 18.0}, {Word: "拉长\n", Start: 18.0, End: 19.0},
	{Word: "你在", Start: 19.4, End: 20.2}, {Word: "我的", Start: 20.2, End: 21.0}, {Word: "身旁\n\n", Start: 21.0, End: 22.4},
	{Word: "[Chorus]\n不管", Start: 24.0, End: 24.8}, {Word: "明天", Start: 24.8, End: 25.6}, {Word: "在哪里\n", Start: 25.6, End: 27.0},
	{Word: "把心情", Start: 27.4, End: 28.6}, {Word: "交给", Start: 28.6, End: 29.4}, {Word: "风\n", Start: 29.4, End: 30.6},
	{Word: "啦啦啦 ", Start: 31.0, End: 32.2}, {Word: "月亮的", Start: 32.4, End: 33.4}, {Word: "旋律\n", Start: 33.4, End: 34.6},
	{Word: "手牵手", Start: 35.0, End: 36.2}, {Word: "不分离", Start: 36.2, End: 37.6},
}

// seedMoon adds a Chinese song with its synced lyrics in the library.
func seedMoon(e *env) {
	seedStudio(e)
	c := &store.Clip{ID: "clip-moon", TaskID: "task-moon", Title: "月亮的旋律", Tags: "mandopop, 抒情", Model: "chirp-auk",
		Status: store.ClipComplete, Duration: 62, Download: store.DownloadDone, LocalPath: "/music/clip-moon.mp3",
		CreatedAt: t0.Add(-2 * time.Minute)}
	mustPut(e.t, e.st.PutClip(c))
	mustPut(e.t, e.st.PutTiming(&store.Timing{ClipID: "clip-moon", Words: moonWords}))
}

// playMoon starts clip-moon at pos as the player would report it, and runs the reads a new
// track starts (takes, waveform, timing).
func playMoon(e *env, pos time.Duration) {
	st := player.Status{State: player.Playing, Volume: 100, Index: 0, Gen: 1,
		Track:    player.Source{ID: "clip-moon", Title: "月亮的旋律"},
		Position: pos, Duration: 62 * time.Second, Buffered: 62 * time.Second}
	e.exec(e.send(playerMsg{ev: player.Event{Gen: 1, Kind: player.EventTrackChanged, State: player.Playing}, st: &st}))
}

// TestGoldenKaraoke: the full-screen synced lyrics mid-song, in Chinese: the chorus' second
// line is being sung, "交给" is the word in progress (marked underneath, a third sung).
func TestGoldenKaraoke(t *testing.T) {
	goldenAt(t, "karaoke", []struct{ w, h int }{{120, 40}, {80, 24}, {60, 16}}, karaokeEnv, karaokeAt)
}

// TestGoldenKaraokeChinese: the same moment with the studio in zh-CN.
func TestGoldenKaraokeChinese(t *testing.T) {
	useLang(t, i18n.Chinese)
	goldenAt(t, "karaoke", zhSizes, karaokeEnv, karaokeAt)
}

func karaokeEnv(t *testing.T) *env {
	e := newEnv(t, seedMoon)
	e.load()
	return e
}

func karaokeAt(e *env) {
	playMoon(e, 28900*time.Millisecond)
	e.key("esc", "L")
}

// karaokeMark finds the current line and the word in progress in the karaoke view: the
// text of the row above the underline, and the text above the ━/─ marks.
func karaokeMark(t *testing.T, screen string) (lineText, word string) {
	t.Helper()
	rows := strings.Split(screen, "\n")
	for i, r := range rows {
		if i == 0 || !strings.ContainsAny(r, "━─") || strings.Contains(r, "╰") || strings.Contains(r, "╭") {
			continue
		}
		inner := r
		above := rows[i-1]
		start := strings.IndexAny(inner, "━─")
		col := ansi.StringWidth(inner[:start])
		n := strings.Count(inner, "━") + strings.Count(inner, "─")
		return strings.Trim(above, " │"), ansi.Cut(above, col, col+n)
	}
	t.Fatalf("no word in progress is marked:\n%s", screen)
	return "", ""
}

// TestSeekingMovesTheHighlightedWord: a click on the progress bar seeks; the player's position
// event after the seek moves the karaoke view and the player bar to the word sung there,
// backwards as well as forwards.
func TestSeekingMovesTheHighlightedWord(t *testing.T) {
	e := newEnv(t, seedMoon)
	e.load()
	e.size(120, 40)
	playMoon(e, 13500*time.Millisecond)
	if ln, w := karaokeMarkOf(t, e); ln != "晚风轻轻在吹" || w != "晚风" {
		t.Fatalf("at 13.5 s: %q %q", ln, w)
	}
	// The player bar shows the line being sung.
	if bar := strings.Split(e.screen(), "\n")[38]; !strings.Contains(bar, "♪ 晚风轻轻在吹") {
		t.Fatalf("player bar: %q", bar)
	}
	for _, step := range []struct {
		at         time.Duration
		line, word string
	}{
		{34 * time.Second, "啦啦啦 月亮的旋律", "旋律"},
		{11 * time.Second, "时间慢慢地走", "慢慢地"},
		{29 * time.Second, "把心情交给风", "交给"},
	} {
		// Click the bar where the position is, as a person seeking would.
		x := e.m.plr.barX + int(float64(e.m.plr.barW)*step.at.Seconds()/62)
		e.exec(e.send(clickAt(x, e.m.lay.player.y)))
		calls := e.pl.Calls()
		if len(calls) == 0 || !strings.HasPrefix(calls[len(calls)-1], "seek ") {
			t.Fatalf("the click did not seek: %v", calls)
		}
		e.at(step.at)
		if ln, w := karaokeMarkOf(t, e); ln != step.line || w != step.word {
			t.Fatalf("after seeking to %v: line %q word %q, want %q %q", step.at, ln, w, step.line, step.word)
		}
		if e.m.sync.at.line < 0 {
			t.Fatal("no current line")
		}
	}
	// Between words nothing is marked, but the line stays.
	e.at(22800 * time.Millisecond)
	if p := e.m.lyricsHere().At(22.8); p.Line != 3 || p.Word != -1 {
		t.Fatalf("pause after a line: %+v", p)
	}
}

// karaokeMarkOf opens the karaoke view, reads the mark, and closes it again.
func karaokeMarkOf(t *testing.T, e *env) (string, string) {
	t.Helper()
	e.key("esc")
	e.key("L")
	if !e.m.karaoke {
		t.Fatal("L did not open the karaoke view")
	}
	s := e.screen()
	e.key("L")
	if e.m.karaoke {
		t.Fatal("L did not close the karaoke view")
	}
	ln, w := karaokeMark(t, s)
	return ln, strings.TrimSpace(w)
}

// TestKaraokeKeys: player keys and marks work in the karaoke view, esc closes it, and the
// panes behind get no keys.
func TestKaraokeKeys(t *testing.T) {
	e := newEnv(t, seedMoon)
	e.load()
	e.size(120, 40)
	playMoon(e, 20*time.Second)
	e.key("esc", "4", "L")
	e.key("space", ".", "M", "j")
	if got := e.pl.Calls(); strings.Join(got, "|") != "toggle|seekby 10s" {
		t.Fatalf("player calls %v", got)
	}
	if mk := e.m.marks["clip-moon"]; mk == nil || !mk.hasExtend {
		t.Fatal("the mark key does not work in the karaoke view")
	}
	if e.m.lib.sel != 0 {
		t.Fatal("a list key reached the library behind the lyrics")
	}
	e.key("esc")
	if e.m.karaoke || e.m.focus != paneLibrary {
		t.Fatal("esc did not close the karaoke view")
	}
}

// TestSyncedLyricsFetchedWhenAClipPlays: playing a clip asks the engine for its timing (the
// relay, the first time); the bar follows the song. On a relay known to lack the endpoint,
// starting a track asks nothing, and the karaoke key asks and says why there is nothing.
func TestSyncedLyricsFetchedWhenAClipPlays(t *testing.T) {
	e, _ := newSimEnv(t, sim.Options{})
	src := e.song("[Verse]\n冬天来了\n雪花飘")[0]
	e.size(120, 40)
	st := player.Status{State: player.Playing, Gen: 1, Track: player.Source{ID: src.ID, Title: src.Title},
		Position: 0, Duration: secs(src.Duration)}
	e.exec(e.send(playerMsg{ev: player.Event{Gen: 1, Kind: player.EventTrackChanged, State: player.Playing}, st: &st}))
	ly := e.m.lyricsHere()
	if ly == nil {
		t.Fatalf("no synced lyrics: %q", e.m.sync.err)
	}
	if !e.eng.HasTiming(src.ID) {
		t.Fatal("the timing was not kept")
	}
	e.at(secs(ly.Lines[0].Words[0].Start + 0.01))
	if bar := strings.Split(e.screen(), "\n")[38]; !strings.Contains(bar, "♪ "+ly.Lines[0].Text) {
		t.Fatalf("player bar: %q", bar)
	}

	s, _ := newSimEnv(t, sim.Options{RejectExtended: true})
	src = s.song("[Verse]\n冬天来了")[0]
	s.size(120, 40)
	s.m.support = studio.Support{Known: true, Extended: false, Op: "concat"}
	st.Track = player.Source{ID: src.ID, Title: src.Title}
	s.exec(s.send(playerMsg{ev: player.Event{Gen: 1, Kind: player.EventTrackChanged, State: player.Playing}, st: &st}))
	if s.m.lyricsHere() != nil || !strings.Contains(s.m.sync.err, "does not offer") {
		t.Fatalf("stock relay, track start: %q", s.m.sync.err)
	}
	s.m.support = studio.Support{} // not known yet: the key asks the relay, which refuses
	s.key("esc", "L")
	if !strings.Contains(s.screen(), "No synced lyrics: timing: relay sim does not support this") {
		t.Fatalf("karaoke on a stock relay:\n%s", s.screen())
	}
	if !s.m.support.Known || s.m.support.Extended {
		t.Fatalf("the refusal did not reach the greying: %+v", s.m.support)
	}
}

func clickAt(x, y int) tea.MouseClickMsg { return tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft} }

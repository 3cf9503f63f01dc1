package ui

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

// Terminal escapes a hostile or broken relay could put in titles, lyrics, tags and errors.
var hostile = []struct{ name, seq, marker string }{
	{"OSC 52 clipboard write", "\x1b]52;c;cm0gLXJmIH4K\x07", "]52;"},
	{"OSC 0 window title", "\x1b]0;pwned\x07", "]0;"},
	{"clear screen and home", "\x1b[2J\x1b[H", "[2J"},
	{"OSC 8 hyperlink", "\x1b]8;;http://x\x1b\\", "]8;"},
	{"C1 CSI", "\u009b31m", "\u009b"},
	{"C1 OSC with ST", "\u009d0;c1 title\u009c", "\u009d"},
	{"bell", "\x07", "\x07"},
}

// evil wraps every hostile sequence around a visible word.
func evil(word string) string {
	var b strings.Builder
	for _, h := range hostile {
		b.WriteString(h.seq)
	}
	return word + b.String() + word
}

// sgr is the only escape sequence the studio itself writes into a frame: colours and emphasis.
var sgr = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// checkInert fails if a frame carries anything a terminal would act on besides SGR styling:
// another escape sequence, a BEL, a C1 control, or the text of a hostile sequence whose
// introducer alone was removed.
func checkInert(t *testing.T, where, frame string) {
	t.Helper()
	rest := sgr.ReplaceAllString(frame, "")
	for i, r := range rest {
		switch {
		case r == 0x1b:
			end := min(len(rest), i+24)
			t.Errorf("%s: an escape sequence other than SGR reaches the terminal: %q", where, rest[i:end])
			return
		case r == 0x07 || r == 0 || (r >= 0x80 && r <= 0x9f):
			t.Errorf("%s: control character %U reaches the terminal", where, r)
			return
		}
	}
	for _, h := range hostile {
		if strings.Contains(rest, h.marker) {
			t.Errorf("%s: what is left of a %s (%q) is on the screen", where, h.name, h.marker)
		}
	}
}

// seedHostile puts records straight into the library, bypassing the engine's cleaning on the
// way in (as an imported export or an older version's record would): every relay field that a
// pane shows carries every hostile sequence.
func seedHostile(e *env) {
	st := e.st
	req := []byte(`{"kind":"music","music":{"mode":"inspiration","description":"` + jsonEscape(evil("描述")) + `"}}`)
	task := &store.Task{ID: "task-evil", Kind: "music", Status: store.TaskSucceeded, Progress: 100, Request: req,
		ClipIDs: []string{"clip-evil"}, RawStatus: evil("SUCCESS"),
		CreatedAt: t0.Add(-10 * time.Minute), FinishedAt: t0.Add(-9 * time.Minute)}
	parent := &store.Clip{ID: "clip-parent", TaskID: "task-evil", Title: evil("Parent"), Status: store.ClipComplete,
		Duration: 60, CreatedAt: t0.Add(-20 * time.Minute)}
	clip := &store.Clip{ID: "clip-evil", TaskID: "task-evil", Title: evil("夜"), Tags: evil("pop"), NegativeTags: evil("metal"),
		Lyrics: evil("[Verse]\nla la") + "\n" + evil("第二行"), Model: evil("chirp"), Status: store.ClipComplete, Duration: 120,
		Download: store.DownloadFailed, DownloadError: evil("download"), Error: evil("clip error"), Notes: evil("note"),
		Description: evil("desc"), Type: evil("gen"), AudioURL: "https://cdn.example.com/" + evil("a") + ".mp3",
		LocalPath: "/music/" + evil("file") + ".mp3", ParentID: "clip-parent", Derivation: store.DeriveExtend,
		CreatedAt: t0.Add(-9 * time.Minute)}
	mustPut(e.t, st.PutTaskAndClips(task, []*store.Clip{clip}))
	mustPut(e.t, st.PutClip(parent))
	child := &store.Clip{ID: "clip-child", TaskID: "task-other", Title: evil("Child"), Status: store.ClipComplete,
		ParentID: "clip-evil", Derivation: store.DeriveCover, CreatedAt: t0.Add(-time.Minute)}
	mustPut(e.t, st.PutClip(child))
	failed := &store.Task{ID: "task-failed", Kind: "music", Status: store.TaskFailed, Error: evil("policy"), Request: req,
		CreatedAt: t0.Add(-5 * time.Minute), FinishedAt: t0.Add(-4 * time.Minute)}
	mustPut(e.t, st.PutTask(failed))
	running := &store.Task{ID: "task-running", Kind: "music", Status: store.TaskRunning, Progress: 40, Request: req,
		ClipIDs: []string{"clip-streaming"}, CreatedAt: t0.Add(-time.Minute)}
	streaming := &store.Clip{ID: "clip-streaming", TaskID: "task-running", Title: evil("Streaming"), Status: store.ClipStreaming,
		CreatedAt: t0.Add(-50 * time.Second)}
	mustPut(e.t, st.PutTaskAndClips(running, []*store.Clip{streaming}))
	lyr := &store.Task{ID: "task-lyrics", Kind: "lyrics", Status: store.TaskSucceeded, LyricsTitle: evil("月亮"),
		LyricsText: evil("[Verse]\n月光"), Request: []byte(`{"kind":"lyrics","prompt":"` + jsonEscape(evil("prompt")) + `"}`),
		CreatedAt: t0.Add(-3 * time.Minute), FinishedAt: t0.Add(-2 * time.Minute)}
	mustPut(e.t, st.PutTask(lyr))
}

func jsonEscape(s string) string {
	b, _ := jsonMarshal(s)
	return string(b[1 : len(b)-1])
}

// TestRelayTextIsInertInEveryPane renders every pane and overlay at 120x40 (all panes at once)
// and 80x24 (one tab at a time) with hostile relay text in every field they show (records put
// straight into the library, engine and player events, a chat stream with song cards), and
// checks that nothing but the studio's own SGR styling reaches the terminal.
func TestRelayTextIsInertInEveryPane(t *testing.T) {
	scenarios := []struct {
		name  string
		setup func(e *env)
	}{
		{"start", func(e *env) {}},
		{"create after submit", func(e *env) {
			e.exec(e.send(submitMsg{task: &store.Task{ID: evil("task-id"), Kind: "music", Status: store.TaskPending, CreatedAt: t0}}))
		}},
		{"create after a failed submit", func(e *env) {
			e.exec(e.send(submitMsg{err: &client.Error{Kind: client.KindBadRequest, Op: "submit music", Message: evil("refused")}}))
		}},
		{"lyrics", func(e *env) { e.key("tab") }},
		{"tasks", func(e *env) { e.key("esc", "3") }},
		{"tasks bottom", func(e *env) { e.key("esc", "3", "G") }},
		{"library", func(e *env) { e.key("esc", "4") }},
		{"library details", func(e *env) {
			e.key("esc", "4")
			e.m.lib.selectID("clip-evil")
			e.key("i")
		}},
		{"library delete dialog", func(e *env) {
			e.key("esc", "4")
			e.m.lib.selectID("clip-evil")
			e.key("x")
		}},
		{"engine events", func(e *env) {
			c, _ := e.st.Clip("clip-evil")
			e.exec(e.send(engineMsg{studio.Event{Kind: studio.ClipUpdated, Clip: c}}))
			tk, _ := e.st.Task("task-failed")
			e.exec(e.send(engineMsg{studio.Event{Kind: studio.TaskUpdated, Task: tk}}))
			e.exec(e.send(engineMsg{studio.Event{Kind: studio.Problem, Err: errors.New(evil("problem"))}}))
		}},
		{"player", func(e *env) {
			st := player.Status{State: player.Playing, Volume: 100, QueueLen: 1, Index: 0, Gen: 1,
				Track:    player.Source{ID: evil("id"), Title: evil("Playing")},
				Position: 5 * time.Second, Duration: 100 * time.Second, Buffered: 100 * time.Second,
				Err: errors.New(evil("play error"))}
			e.send(playerMsg{ev: player.Event{Gen: 1, Kind: player.EventTrackChanged, State: player.Playing}, st: &st})
		}},
		{"no audio", func(e *env) {
			st := player.Status{State: player.NoOutput, Volume: 100, Index: -1,
				OutputErr: &player.OutputError{Output: "device", Reason: evil("ALSA"), Hint: evil("hint")}}
			e.send(playerMsg{ev: player.Event{Kind: player.EventState, State: player.NoOutput}, st: &st})
		}},
		{"play failed", func(e *env) {
			e.exec(e.send(playMsg{id: "clip-evil", title: evil("Title"), err: errors.New(evil("cannot play"))}))
		}},
		{"help", func(e *env) { e.key("esc", "?") }},
		{"extend dialog", func(e *env) {
			e.key("esc", "4")
			e.m.lib.selectID("clip-evil")
			e.key("E")
		}},
		{"persona song dialog", func(e *env) {
			mustPut(e.t, e.st.PutPersona(&store.Persona{ID: "p-evil", Name: evil("Voice"), Description: evil("about"),
				RootClipID: "clip-evil"}))
			e.key("esc", "4")
			e.m.lib.selectID("clip-evil")
			e.key("p")
		}},
		{"craft refusal", func(e *env) {
			e.key("esc", "4")
			e.m.lib.selectID("clip-evil")
			e.key("E")
			e.exec(e.send(craftMsg{req: craftReq{form: e.m.ov.form.id, act: craftExtend},
				err: &client.Error{Kind: client.KindUnsupported, Message: evil("unsupported")}}))
		}},
		{"synced lyrics", func(e *env) {
			mustPut(e.t, e.st.PutTiming(&store.Timing{ClipID: "clip-evil", Words: []store.TimedWord{
				{Word: evil("[Verse]\n夜"), Start: 1, End: 2}, {Word: evil("空") + "\n", Start: 2, End: 3},
				{Word: "[" + evil("Chorus") + "]\n" + evil("星"), Start: 4, End: 6}}}))
			st := player.Status{State: player.Playing, Gen: 1, Track: player.Source{ID: "clip-evil", Title: evil("Playing")},
				Position: 4500 * time.Millisecond, Duration: 120 * time.Second}
			e.exec(e.send(playerMsg{ev: player.Event{Gen: 1, Kind: player.EventTrackChanged, State: player.Playing}, st: &st}))
		}},
		{"karaoke", func(e *env) {
			mustPut(e.t, e.st.PutTiming(&store.Timing{ClipID: "clip-evil", Words: []store.TimedWord{
				{Word: evil("[Verse]\n夜"), Start: 1, End: 2}, {Word: evil("空") + "\n", Start: 2, End: 3},
				{Word: "[" + evil("Chorus") + "]\n" + evil("星"), Start: 4, End: 6}}}))
			st := player.Status{State: player.Playing, Gen: 1, Track: player.Source{ID: "clip-evil", Title: evil("Playing")},
				Position: 4500 * time.Millisecond, Duration: 120 * time.Second}
			e.exec(e.send(playerMsg{ev: player.Event{Gen: 1, Kind: player.EventTrackChanged, State: player.Playing}, st: &st}))
			e.key("esc", "L")
		}},
	}
	for _, sc := range scenarios {
		for _, sz := range []struct{ w, h int }{{120, 40}, {80, 24}} {
			e := newEnv(t, seedHostile)
			e.load()
			e.size(sz.w, sz.h)
			sc.setup(e)
			e.m.dirty = true
			frame := e.m.View().Content
			where := sc.name + " " + itoa(sz.w) + "x" + itoa(sz.h)
			checkInert(t, where, frame)
			// At 80x24 every pane is a tab: look at each of them too.
			if sz.w == 80 {
				for _, tab := range []string{"1", "2", "3", "4", "5"} {
					e.key("esc", tab)
					e.m.dirty = true
					checkInert(t, where+" tab "+tab, e.m.View().Content)
				}
			}
		}
	}
	// The chat pane (5): the streamed answer and the song cards it names.
	for _, sz := range []struct{ w, h int }{{120, 40}, {80, 24}} {
		e, _ := chatEnvWith(t, seedHostile, sz.w, sz.h, nil)
		e.ask("a song")
		e.delta(evil("answer")+"\n"+evil("第二行")+"\n", client.Clip{ID: "card-1", Title: evil("Card"), Tags: evil("tags"),
			Lyrics: evil("[Verse]\nla"), Status: client.ClipStreaming, Error: evil("err")})
		e.frame()
		e.m.dirty = true
		checkInert(t, "chat "+itoa(sz.w)+"x"+itoa(sz.h), e.m.View().Content)
	}

	// The words around the sequences are shown: the text is cleaned, not dropped.
	e := newEnv(t, seedHostile)
	e.load()
	e.size(120, 40)
	e.key("esc", "4")
	if s := e.screen(); !strings.Contains(s, "夜") || !strings.Contains(s, "Parent") {
		t.Errorf("the hostile titles are not shown as plain text:\n%s", s)
	}
}

// TestDraftLoadedIntoTheEditorIsCleaned: a lyrics draft in the library that carries escape
// sequences (an imported export, or relay lyrics saved by an older version) is loaded into the
// Lyrics editor and the custom-mode title and tags. The text fields drop the ESC and BEL
// characters themselves, so nothing reaches the terminal, but the rest of each sequence
// ("]52;c;…", "[2J") stays in the text: on screen, in the saved draft and in the lyrics that
// ctrl+s sends to the relay.
//
// Fix (ui, where draftMsg is applied to the lyrics pane and the create form): pass d.Text,
// d.Title and d.Tags through clean()/line() (safetext) before SetValue, as every other
// relay-text path does.
func TestDraftLoadedIntoTheEditorIsCleaned(t *testing.T) {
	e := newEnv(t, func(e *env) {
		mustPut(e.t, e.st.SaveDraft(store.Draft{Name: draftName, Title: evil("Draft"), Tags: evil("tags"), Text: evil("[Verse]\ndraft")}))
	})
	e.load()
	e.size(120, 40)
	e.key("ctrl+t") // custom mode shows the draft's title and tags
	e.m.dirty = true
	checkInert(t, "lyrics draft in the editor and the custom form", e.m.View().Content)
}

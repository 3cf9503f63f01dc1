package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

func TestStartsInDescriptionField(t *testing.T) {
	e := newEnv(t, nil)
	e.load()
	e.size(120, 40)
	if e.m.focus != paneCreate || !e.m.create.editingText() || e.m.create.field != fDescription {
		t.Fatalf("focus %v field %v editing %v", e.m.focus, e.m.create.field, e.m.create.editing)
	}
	e.typeText("海边的夏天 q?1 ")
	if got := e.m.create.value(fDescription); got != "海边的夏天 q?1 " {
		t.Fatalf("description %q: keys that are text must type, not act", got)
	}
	if e.m.ov.kind != ovNone || e.m.focus != paneCreate {
		t.Fatal("a typed ? or 1 acted as a command")
	}
	if len(e.pl.Calls()) != 0 {
		t.Fatalf("typing a space reached the player: %v", e.pl.Calls())
	}
}

func TestFocusMovesWithTabAndKeys(t *testing.T) {
	e := newEnv(t, nil)
	e.size(120, 40)
	order := []paneID{paneLyrics, paneTasks, paneLibrary, paneChat, paneCreate}
	for _, want := range order {
		e.key("tab")
		if e.m.focus != want {
			t.Fatalf("tab: focus %v, want %v", e.m.focus, want)
		}
	}
	e.key("shift+tab")
	if e.m.focus != paneChat || !e.m.chat.editing {
		t.Fatalf("shift+tab: focus %v", e.m.focus)
	}
	e.key("shift+tab")
	if e.m.focus != paneLibrary {
		t.Fatalf("shift+tab: focus %v", e.m.focus)
	}
	// Arriving in Lyrics puts the keyboard in the editor; esc takes it out; then 1-5 jump.
	e.key("shift+tab", "shift+tab")
	if e.m.focus != paneLyrics || !e.m.lyrics.editing {
		t.Fatalf("lyrics: focus %v editing %v", e.m.focus, e.m.lyrics.editing)
	}
	e.key("esc", "4")
	if e.m.focus != paneLibrary {
		t.Fatalf("4 after esc: focus %v", e.m.focus)
	}
	e.key("1")
	if e.m.focus != paneCreate {
		t.Fatalf("1: focus %v", e.m.focus)
	}
}

func TestSpacePlaysOnlyOutsideTextFields(t *testing.T) {
	e := newEnv(t, nil)
	e.size(120, 40)
	e.key("space")
	if len(e.pl.Calls()) != 0 {
		t.Fatal("space in the description field reached the player")
	}
	e.key("esc", "space", ".", ",", "+", "-", "m", "R", "S", ">", "<")
	want := []string{"toggle", "seekby 10s", "seekby -10s", "adjust 5", "adjust -5", "mute", "repeat", "shuffle", "next", "previous"}
	if got := e.pl.Calls(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("player calls %v, want %v", got, want)
	}
}

func TestCreateValidation(t *testing.T) {
	e := newEnv(t, nil)
	e.size(120, 40)
	if cmd := e.send(keyMsg("ctrl+s")); cmd != nil || !e.m.create.noteErr || !strings.Contains(e.m.create.note, "describe") {
		t.Fatalf("empty description submitted: %q", e.m.create.note)
	}
	long := strings.Repeat("海", 501)
	e.m.create.inputs[fDescription].SetValue(long)
	e.send(keyMsg("ctrl+s"))
	if !strings.Contains(e.m.create.note, "501 characters") || !strings.Contains(e.m.create.note, "500") {
		t.Fatalf("v4.5 description limit: %q", e.m.create.note)
	}
	if !strings.Contains(e.screen(), "501/500 too long") {
		t.Fatal("the counter does not say the description is too long")
	}
	// chirp-v4 has the smaller limits.
	e.m.create.inputs[fModel].SetValue("chirp-v4")
	e.m.create.inputs[fDescription].SetValue(strings.Repeat("a", 190))
	if !strings.Contains(e.screen(), "190/200") {
		t.Fatal("chirp-v4 description counter")
	}
	e.m.create.inputs[fDescription].SetValue(strings.Repeat("a", 201))
	e.send(keyMsg("ctrl+s"))
	if !strings.Contains(e.m.create.note, "chirp-v4 (v4) takes at most 200") {
		t.Fatalf("v4 limit: %q", e.m.create.note)
	}
	// Custom mode: lyrics from the Lyrics pane count against the model's limit.
	e.key("ctrl+t")
	e.m.lyrics.ta.SetValue(strings.Repeat("词", 3001))
	e.send(keyMsg("ctrl+s"))
	if !strings.Contains(e.m.create.note, "the lyrics is 3001 characters") {
		t.Fatalf("lyrics limit: %q", e.m.create.note)
	}
	e.m.create.inputs[fModel].SetValue("chirp-crow")
	r, err := e.m.create.request(e.m.lyrics.value())
	if err != nil || r.Lyrics == "" || r.Mode != "custom" {
		t.Fatalf("v5 accepts 3001 characters of lyrics: %v %+v", err, r.Mode)
	}
	// A free-text model is accepted, with the modern limits assumed and said.
	e.m.create.inputs[fModel].SetValue("chirp-future")
	if !strings.Contains(e.screen(), "unknown model") {
		t.Fatal("unknown model not flagged")
	}
	// Custom mode without lyrics is an instrumental, as on the command line (with a style:
	// a form with no words at all is refused, TestCustomModeNeedsWords).
	e.m.lyrics.ta.SetValue("")
	e.m.create.inputs[fTags].SetValue("city pop")
	r, err = e.m.create.request("")
	if err != nil || !r.Instrumental {
		t.Fatalf("custom without lyrics: %v %+v", err, r)
	}
}

func TestModelPicker(t *testing.T) {
	e := newEnv(t, nil)
	e.size(120, 40)
	e.key("ctrl+o")
	if e.m.ov.kind != ovModels {
		t.Fatal("ctrl+o did not open the model picker")
	}
	if !strings.Contains(e.screen(), "chirp-bluejay") {
		t.Fatal("picker does not list the models")
	}
	e.key("down", "enter") // from chirp-auk to chirp-auk-turbo
	if got := e.m.create.model(); got != "chirp-auk-turbo" {
		t.Fatalf("picked %q", got)
	}
	// "other" lets the user type a name the list does not know.
	e.key("ctrl+o", "G")
	for e.m.ov.sel != len(models) {
		e.key("down")
	}
	e.key("enter")
	if !e.m.create.editingText() || e.m.create.field != fModel || e.m.create.model() != defaultModel {
		t.Fatalf("other: editing %v field %v model %q", e.m.create.editingText(), e.m.create.field, e.m.create.model())
	}
	e.typeText("chirp-v9")
	if e.m.create.model() != "chirp-v9" {
		t.Fatalf("typed model %q", e.m.create.model())
	}
}

func TestSubmitRunsInACmdAndShowsTheTask(t *testing.T) {
	e := newEnv(t, nil)
	e.size(120, 40)
	e.typeText("a song about rain 雨")
	cmd := e.send(keyMsg("ctrl+s"))
	if cmd == nil || !e.m.create.submitting {
		t.Fatal("ctrl+s did not start a submit")
	}
	// A second ctrl+s while the first is in flight does nothing.
	if again := e.send(keyMsg("ctrl+s")); again != nil {
		t.Fatal("double submit")
	}
	task := &store.Task{ID: "task-new", Kind: "music", Status: store.TaskPending, CreatedAt: t0,
		Request: []byte(`{"kind":"music","music":{"mode":"inspiration","description":"a song about rain 雨"}}`)}
	e.send(submitMsg{task: task})
	if e.m.create.submitting || !strings.Contains(e.m.create.note, "task-new") {
		t.Fatalf("after submit: %v %q", e.m.create.submitting, e.m.create.note)
	}
	if it := e.m.tasks.selected(); it == nil || it.t.ID != "task-new" || it.summary != "a song about rain 雨" {
		t.Fatalf("task not listed: %+v", it)
	}
	if len(e.timers) != 1 {
		t.Fatalf("the elapsed-time tick should run while a task is pending (%d timers)", len(e.timers))
	}
	// A failed submit says why and leaves the form as it was.
	e.send(keyMsg("ctrl+s"))
	e.send(submitMsg{err: errTestf("relay: 401 invalid key")})
	if !e.m.create.noteErr || !strings.Contains(e.m.create.note, "401") || e.m.create.value(fDescription) == "" {
		t.Fatalf("failed submit: %q", e.m.create.note)
	}
}

func TestTaskEventsUpdateTasksAndLibrary(t *testing.T) {
	e := newEnv(t, nil)
	e.load()
	e.size(120, 40)
	task := &store.Task{ID: "t1", Kind: "music", Status: store.TaskRunning, Progress: 30, CreatedAt: t0.Add(-10 * time.Second),
		UpdatedAt: t0, ClipIDs: []string{"c1", "c2"}}
	e.send(engineMsg{studio.Event{Kind: studio.TaskUpdated, Task: task}})
	c1 := &store.Clip{ID: "c1", TaskID: "t1", Title: "雨夜 Rainy Night 🌧", Status: store.ClipStreaming, Model: "chirp-auk", CreatedAt: t0}
	e.send(engineMsg{studio.Event{Kind: studio.ClipUpdated, Clip: c1}})
	e.key("tab", "tab")
	s := e.screen()
	for _, want := range []string{"running", "30%", "0:10", "雨夜 Rainy Night 🌧", "streaming"} {
		if !strings.Contains(s, want) {
			t.Fatalf("tasks pane lacks %q:\n%s", want, s)
		}
	}
	if len(e.m.lib.all) != 1 || e.m.lib.all[0].ID != "c1" {
		t.Fatal("the clip did not reach the library")
	}
	// Time passes: the tick redraws the elapsed time.
	e.now = t0.Add(65 * time.Second)
	e.fire()
	if !strings.Contains(e.screen(), "1:15") {
		t.Fatal("elapsed time did not advance")
	}
	// Download progress and completion.
	c1 = &store.Clip{ID: "c1", TaskID: "t1", Title: "雨夜 Rainy Night 🌧", Status: store.ClipComplete, Duration: 60,
		Download: store.DownloadActive, Model: "chirp-auk", CreatedAt: t0}
	e.send(engineMsg{studio.Event{Kind: studio.ClipUpdated, Clip: c1}})
	e.send(engineMsg{studio.Event{Kind: studio.DownloadProgress, Clip: c1, Bytes: 500, Total: 1000}})
	if !strings.Contains(e.screen(), "↓ 50%") {
		t.Fatal("no download percentage")
	}
	_, r0 := e.m.Stats()
	e.send(engineMsg{studio.Event{Kind: studio.DownloadProgress, Clip: c1, Bytes: 505, Total: 1000}})
	e.m.View()
	if _, r1 := e.m.Stats(); r1 != r0 {
		t.Fatal("a progress event that changes nothing visible rendered a frame")
	}
	task2 := *task
	task2.Status, task2.Error, task2.UpdatedAt, task2.FinishedAt = store.TaskFailed, "生成失败: the relay timed out", t0.Add(time.Minute), t0.Add(time.Minute)
	e.send(engineMsg{studio.Event{Kind: studio.TaskUpdated, Task: &task2}})
	if s := e.screen(); !strings.Contains(s, "failed") || !strings.Contains(s, "生成失败: the relay timed out") {
		t.Fatalf("failed task without its reason:\n%s", s)
	}
	// Enter jumps to the task's clips in the library.
	e.key("enter")
	if e.m.focus != paneLibrary || e.m.lib.taskID != "t1" || len(e.m.lib.shown) != 1 {
		t.Fatalf("show clips: focus %v task %q shown %d", e.m.focus, e.m.lib.taskID, len(e.m.lib.shown))
	}
	e.key("esc")
	if e.m.lib.taskID != "" {
		t.Fatal("esc did not clear the task filter")
	}
	// Problems reach the status line.
	e.send(engineMsg{engineProblem("poll: relay answered 502")})
	if !strings.Contains(e.screen(), "relay answered 502") {
		t.Fatal("problem not shown")
	}
}

func TestRetryAndRecheck(t *testing.T) {
	e := newEnv(t, seedStudio)
	e.load()
	e.size(120, 40)
	e.key("esc", "3")
	e.m.tasks.selectID("task-c")
	if cmd := e.send(keyMsg("r")); cmd == nil {
		t.Fatal("r did not start a retry")
	}
	e.send(retryMsg{from: "task-c", task: &store.Task{ID: "task-c2", Kind: "music", Status: store.TaskPending, CreatedAt: t0}})
	if it := e.m.tasks.selected(); it == nil || it.t.ID != "task-c2" {
		t.Fatal("the retry's new task is not selected")
	}
	e.m.tasks.selectID("task-c")
	e.exec(e.send(keyMsg("c"))) // Recheck works on the library alone
	tk, err := e.st.Task("task-c")
	if err != nil || tk.Status != store.TaskRunning {
		t.Fatalf("recheck: %+v %v", tk, err)
	}
}

func TestLyricsEditor(t *testing.T) {
	e := newEnv(t, nil)
	e.load()
	e.size(120, 40)
	e.key("tab")
	e.key("alt+2")
	e.typeText("夏天的风 summer wind")
	e.key("enter", "alt+4")
	e.typeText("一起唱 🎵")
	want := "[Verse]\n夏天的风 summer wind\n[Chorus]\n一起唱 🎵"
	if got := e.m.lyrics.value(); got != want {
		t.Fatalf("editor %q, want %q", got, want)
	}
	if !strings.Contains(e.screen(), "39/5000") {
		t.Fatalf("character count:\n%s", e.screen())
	}
	// The draft is saved after a pause (debounced: every edit restarted the timer).
	if len(e.timers) < 2 {
		t.Fatal("edits did not schedule a draft save")
	}
	e.fire()
	d, err := e.st.Draft(draftName)
	if err != nil || d.Text != want {
		t.Fatalf("draft %q %v", d.Text, err)
	}
	// A restart restores it.
	e2 := newEnv(t, func(x *env) { mustPut(t, x.st.SaveDraft(store.Draft{Name: draftName, Text: want})) })
	e2.load()
	if e2.m.lyrics.value() != want {
		t.Fatal("draft not restored")
	}

	// "Write lyrics for me": prompt, task, result in the editor, undo.
	e.key("ctrl+g")
	if e.m.ov.kind != ovPrompt {
		t.Fatal("ctrl+g did not ask for a prompt")
	}
	e.typeText("月亮")
	if cmd := e.send(keyMsg("enter")); cmd == nil || e.m.lyrics.pending == "" {
		t.Fatal("no lyrics task started")
	}
	lt := &store.Task{ID: "lyr-1", Kind: "lyrics", Status: store.TaskPending, CreatedAt: t0, UpdatedAt: t0}
	e.send(submitMsg{task: lt, lyrics: true})
	if !strings.Contains(e.screen(), "writing lyrics") {
		t.Fatal("no progress shown")
	}
	done := *lt
	done.Status, done.LyricsTitle, done.UpdatedAt = store.TaskSucceeded, "月亮之歌", t0.Add(time.Second)
	done.LyricsText = "[Verse]\n月亮代表我的心\x1b]52;c;aGk=\x07"
	e.send(engineMsg{studio.Event{Kind: studio.TaskUpdated, Task: &done}})
	if got := e.m.lyrics.value(); got != "[Verse]\n月亮代表我的心" {
		t.Fatalf("generated lyrics %q (must be sanitised)", got)
	}
	e.key("ctrl+z")
	if got := e.m.lyrics.value(); got != want {
		t.Fatalf("undo: %q", got)
	}
	e.key("ctrl+z")
	if got := e.m.lyrics.value(); got != "[Verse]\n月亮代表我的心" {
		t.Fatalf("redo: %q", got)
	}
}

func TestLibraryActions(t *testing.T) {
	e := newEnv(t, seedStudio)
	e.load()
	e.size(120, 40)
	e.key("esc", "4")
	if got := len(e.m.lib.shown); got != 4 {
		t.Fatalf("%d rows", got)
	}
	// Sort: date -> title -> duration.
	e.key("o")
	if e.m.lib.sortBy != store.SortTitle || e.m.lib.shown[0].Row.Title != "Midnight Neon Rain" {
		t.Fatalf("title sort: %s first", e.m.lib.shown[0].Row.Title)
	}
	e.key("o")
	if e.m.lib.sortBy != store.SortDuration || e.m.lib.shown[0].ID != "clip-a1-ext" {
		t.Fatalf("duration sort: %s first", e.m.lib.shown[0].ID)
	}
	e.key("O")
	if e.m.lib.shown[0].ID != "clip-b1" {
		t.Fatalf("reversed duration: %s first", e.m.lib.shown[0].ID)
	}
	e.key("o") // back to date
	// Filter as you type: substring in the title first, then fuzzy.
	e.key("/")
	e.typeText("mnr")
	if len(e.m.lib.shown) != 1 || e.m.lib.shown[0].ID != "clip-a2" {
		t.Fatalf("fuzzy filter: %v", rowIDs(e.m.lib.shown))
	}
	e.key("backspace", "backspace", "backspace")
	e.typeText("国风")
	if len(e.m.lib.shown) != 1 || e.m.lib.shown[0].ID != "clip-a1" {
		t.Fatalf("tag filter: %v", rowIDs(e.m.lib.shown))
	}
	e.key("enter") // leave the field, keep the filter
	if e.m.lib.filtering || e.m.lib.query != "国风" {
		t.Fatal("enter should keep the filter")
	}
	// Play and queue.
	e.key("enter")
	e.key("a")
	if got := e.pl.Calls(); len(got) != 2 || got[0] != "play clip-a1" || got[1] != "add clip-a1" {
		t.Fatalf("player calls %v", got)
	}
	// Favourite goes through the engine and comes back as a row change.
	e.key("f")
	if c, _ := e.st.Clip("clip-a1"); c.Favorite {
		t.Fatal("favourite not toggled in the library")
	}
	if e.m.lib.byID["clip-a1"].Favorite {
		t.Fatal("favourite not shown")
	}
	// Details: full record with lyrics and lineage.
	e.key("i")
	s := e.screen()
	for _, want := range []string{"/music/clip-a1.mp3", "extension     夏日海风 (extended)"} {
		if !strings.Contains(s, want) {
			t.Fatalf("details lack %q:\n%s", want, s)
		}
	}
	e.key("pgdown") // the lyrics are below the family
	if s := e.screen(); !strings.Contains(s, "Sing it with me, 一起唱") {
		t.Fatalf("details lack the lyrics:\n%s", s)
	}
	e.key("esc", "esc") // close details, clear the filter
	if e.m.lib.detail != nil || e.m.lib.query != "" {
		t.Fatal("esc did not close details and clear the filter")
	}
	// Delete asks first.
	e.m.lib.selectID("clip-b1")
	e.key("x")
	if e.m.ov.kind != ovConfirm || !strings.Contains(e.screen(), "星光 Starlight ✨") {
		t.Fatal("delete did not ask")
	}
	e.key("n")
	if _, err := e.st.Clip("clip-b1"); err != nil || e.m.ov.kind != ovNone {
		t.Fatal("no still deleted")
	}
	e.key("x", "y")
	if _, err := e.st.Clip("clip-b1"); err == nil {
		t.Fatal("not deleted")
	}
	if _, ok := e.m.lib.byID["clip-b1"]; ok || len(e.m.lib.all) != 3 {
		t.Fatal("deleted clip still listed")
	}
	// Export writes a file in the data folder and says where.
	e.key("e")
	path := exportPath(e.st.Dir(), t0)
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("export: %v", err)
	}
	if !strings.Contains(e.m.notice, filepath.Base(path)) {
		t.Fatalf("export path not shown: %q", e.m.notice)
	}
}

func rowIDs(rs []*libRow) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func TestLibraryLoadsAllRowsAfterTheFirstPage(t *testing.T) {
	e := newEnv(t, func(e *env) { mustPut(t, store.GenerateLibrary(e.st, 120, 3)) })
	if len(e.m.lib.all) != 50 || e.m.lib.full {
		t.Fatalf("first frame: %d rows, full %v", len(e.m.lib.all), e.m.lib.full)
	}
	e.size(120, 40)
	if !strings.Contains(e.screen(), "50+ clips") {
		t.Fatal("first page not marked as partial")
	}
	e.exec(loadRowsCmd(e.st))
	if len(e.m.lib.all) != 120 || !e.m.lib.full || !strings.Contains(e.screen(), "120 clips") {
		t.Fatalf("after load: %d rows", len(e.m.lib.all))
	}
}

func TestPlayerEvents(t *testing.T) {
	e := newEnv(t, seedStudio)
	e.load()
	e.size(120, 40)
	e.exec(e.send(volumeMsg{volume: 70, ok: true}))
	if got := e.pl.Calls(); len(got) != 1 || got[0] != "volume 70" {
		t.Fatalf("saved volume not applied: %v", got)
	}
	st := player.Status{State: player.Playing, Volume: 70, QueueLen: 2, Index: 0, Gen: 3,
		Track:    player.Source{ID: "clip-a1", Title: "夏日海风 🌊 Summer Breeze"},
		Position: 10 * time.Second, Duration: 100 * time.Second, Buffered: 100 * time.Second}
	e.send(playerMsg{ev: player.Event{Gen: 3, Kind: player.EventTrackChanged, State: player.Playing}, st: &st})
	s := e.screen()
	for _, want := range []string{"▶ 夏日海风 🌊 Summer Breeze", "0:10", "1:40", "vol 70%", "queue 2"} {
		if !strings.Contains(s, want) {
			t.Fatalf("player bar lacks %q:\n%s", want, s)
		}
	}
	// Position events: a new second renders, the same second does not; old generations drop.
	_, r0 := e.m.Stats()
	e.send(playerMsg{ev: player.Event{Gen: 3, Kind: player.EventPosition, State: player.Playing, Position: 10*time.Second + 300*time.Millisecond, Duration: 100 * time.Second, Buffered: 100 * time.Second}})
	e.m.View()
	if _, r := e.m.Stats(); r != r0 {
		t.Fatal("a position event within the same second rendered")
	}
	e.send(playerMsg{ev: player.Event{Gen: 2, Kind: player.EventPosition, State: player.Playing, Position: 50 * time.Second, Duration: 100 * time.Second}})
	if strings.Contains(e.screen(), "0:50") {
		t.Fatal("a stale generation's event was applied")
	}
	e.send(playerMsg{ev: player.Event{Gen: 3, Kind: player.EventPosition, State: player.Playing, Position: 11 * time.Second, Duration: 100 * time.Second, Buffered: 100 * time.Second}})
	if !strings.Contains(e.screen(), "0:11") {
		t.Fatal("position did not move")
	}
	// A volume change the user makes is saved in the settings; a status from elsewhere is not.
	st.Volume = 60
	e.exec(e.send(playerMsg{ev: player.Event{Gen: 3, Kind: player.EventState, State: player.Playing}, st: &st}))
	if ok, _ := e.st.Setting("volume", new(int)); ok {
		t.Fatal("a volume the user did not set was saved")
	}
	e.key("esc", "+")
	st.Volume = 85
	e.exec(e.send(playerMsg{ev: player.Event{Gen: 3, Kind: player.EventState, State: player.Playing}, st: &st}))
	var v int
	if ok, _ := e.st.Setting("volume", &v); !ok || v != 85 {
		t.Fatalf("volume setting %d", v)
	}
	// Click on the progress bar seeks.
	y := e.m.lay.player.y
	x := e.m.plr.barX + e.m.plr.barW/2
	e.exec(e.send(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft}))
	calls := e.pl.Calls()
	if last := calls[len(calls)-1]; !strings.HasPrefix(last, "seek ") {
		t.Fatalf("click on the bar: %v", calls)
	}
	// No output is a state with its reason and hint.
	st2 := player.Status{State: player.NoOutput, Gen: 3, OutputErr: &player.OutputError{Reason: "no sound card", Hint: "use --audio null"}}
	e.send(playerMsg{ev: player.Event{Gen: 3, Kind: player.EventState, State: player.NoOutput}, st: &st2})
	if s := e.screen(); !strings.Contains(s, "NO AUDIO") || !strings.Contains(s, "no sound card — use --audio null") {
		t.Fatalf("no-output state:\n%s", s)
	}
}

func TestMouse(t *testing.T) {
	e := newEnv(t, seedStudio)
	e.load()
	e.size(120, 40)
	lib := e.m.lay.panes[paneLibrary]
	// Click on the third row of the library: focus and select.
	e.send(tea.MouseClickMsg{X: lib.x + 5, Y: lib.y + 4, Button: tea.MouseLeft})
	if e.m.focus != paneLibrary || e.m.lib.sel != 2 {
		t.Fatalf("click: focus %v sel %d", e.m.focus, e.m.lib.sel)
	}
	// A second click soon after plays it.
	e.now = e.now.Add(200 * time.Millisecond)
	e.exec(e.send(tea.MouseClickMsg{X: lib.x + 5, Y: lib.y + 4, Button: tea.MouseLeft}))
	if calls := e.pl.Calls(); len(calls) != 1 || calls[0] != "play "+e.m.lib.shown[2].ID {
		t.Fatalf("double click: %v", calls)
	}
	// Wheel scrolls the list under the pointer.
	e.send(tea.MouseWheelMsg{X: lib.x + 5, Y: lib.y + 4, Button: tea.MouseWheelUp})
	if e.m.lib.sel != 0 {
		t.Fatalf("wheel: sel %d", e.m.lib.sel)
	}
	// Click on the Tasks pane focuses it; on Create selects the field.
	tp := e.m.lay.panes[paneTasks]
	e.send(tea.MouseClickMsg{X: tp.x + 5, Y: tp.y + 1, Button: tea.MouseLeft})
	if e.m.focus != paneTasks {
		t.Fatal("click did not focus Tasks")
	}
	cp := e.m.lay.panes[paneCreate]
	e.send(tea.MouseClickMsg{X: cp.x + 5, Y: cp.y + 1 + 3, Button: tea.MouseLeft})
	if e.m.focus != paneCreate || e.m.create.field != fModel {
		t.Fatalf("click on Model: focus %v field %v", e.m.focus, e.m.create.field)
	}
	// Compact layout: click on a tab.
	e.size(80, 24)
	e.send(tea.MouseClickMsg{X: 22, Y: 0, Button: tea.MouseLeft})
	if e.m.focus != paneTasks {
		t.Fatalf("tab click: focus %v", e.m.focus)
	}
}

func TestResize(t *testing.T) {
	e := newEnv(t, seedStudio)
	e.load()
	e.size(120, 40)
	if e.m.lay.compact || !strings.Contains(e.screen(), "4 Library") || !strings.Contains(e.screen(), "2 Lyrics") {
		t.Fatal("120x40 should show every pane")
	}
	e.size(80, 24)
	s := e.screen()
	if !e.m.lay.compact || !strings.Contains(s, "1 Create  2 Lyrics  3 Tasks  4 Library") {
		t.Fatalf("80x24 should use tabs:\n%s", s)
	}
	e.key("tab", "tab", "tab")
	if !strings.Contains(e.screen(), "夏日海风") {
		t.Fatal("library not reachable at 80x24")
	}
	e.size(40, 12)
	if !strings.Contains(e.screen(), "enlarge") {
		t.Fatal("no enlarge message")
	}
	e.size(100, 30)
	if e.m.lay.compact {
		t.Fatal("100x30 is wide enough for all panes")
	}
	checkFrame(t, e.screen(), 100, 30)
}

func TestQuit(t *testing.T) {
	e := newEnv(t, nil)
	e.size(120, 40)
	msgs := e.collect(e.send(keyMsg("ctrl+c")))
	if !hasQuit(msgs) {
		t.Fatalf("ctrl+c with nothing in flight should quit, got %v", msgs)
	}
	// With work in flight it asks first; "no" keeps the studio open.
	p := newEnv(t, func(x *env) {
		mustPut(t, x.st.PutTask(&store.Task{ID: "pending-1", Kind: "music", Status: store.TaskRunning, CreatedAt: t0}))
	})
	if err := p.eng.Start(); err != nil {
		t.Fatal(err)
	}
	p.size(120, 40)
	if cmd := p.send(keyMsg("ctrl+c")); cmd != nil || p.m.ov.kind != ovConfirm {
		t.Fatal("quit with a pending task did not ask")
	}
	if !strings.Contains(p.screen(), "1 task is still being generated") {
		t.Fatalf("quit dialog:\n%s", p.screen())
	}
	p.key("n")
	if p.m.ov.kind != ovNone {
		t.Fatal("n did not close the dialog")
	}
	p.send(keyMsg("ctrl+c"))
	if msgs := p.collect(p.send(keyMsg("y"))); !hasQuit(msgs) {
		t.Fatalf("y did not quit: %v", msgs)
	}
}

func hasQuit(msgs []tea.Msg) bool {
	for _, m := range msgs {
		if _, ok := m.(tea.QuitMsg); ok {
			return true
		}
	}
	return false
}

func TestQuitSavesTheDraft(t *testing.T) {
	e := newEnv(t, nil)
	e.size(120, 40)
	e.key("tab")
	e.typeText("未保存的歌词")
	e.exec(e.send(keyMsg("ctrl+c"))) // before the debounce timer fired
	if d, err := e.st.Draft(draftName); err != nil || d.Text != "未保存的歌词" {
		t.Fatalf("draft on quit: %q %v", d.Text, err)
	}
}

func TestHelpOverlay(t *testing.T) {
	e := newEnv(t, nil, func(o *Options) { o.Keys = map[string]string{"play_pause": "space,p"} })
	e.size(120, 40)
	e.key("esc", "?")
	s := e.screen()
	for _, want := range []string{"Everywhere", "Player", "Library", "Lyrics", "Tasks", "Create", "space/p", "play_pause", "write_lyrics"} {
		if !strings.Contains(s, want) {
			t.Fatalf("help lacks %q:\n%s", want, s)
		}
	}
	// Keys behind the overlay do nothing; esc closes.
	e.key("space", "4")
	if len(e.pl.Calls()) != 0 || e.m.focus != paneCreate {
		t.Fatal("a key went through the help overlay")
	}
	e.key("esc")
	if e.m.ov.kind != ovNone {
		t.Fatal("esc did not close the help")
	}
	e.key("p")
	if calls := e.pl.Calls(); len(calls) != 1 || calls[0] != "toggle" {
		t.Fatalf("rebound play_pause: %v", calls)
	}
}

func TestKeymapWarnings(t *testing.T) {
	km, warns := NewKeymap(map[string]string{
		"play_pause": "space, p",
		"fly":        "f",
		"submit":     "ctrl+", "quit": "hyperdrive+q",
		"help": "", "seek_forward": "comma",
	})
	if got := km[ActPlayPause].Keys(); strings.Join(got, ",") != "space,p" {
		t.Fatalf("play_pause keys %v", got)
	}
	if got := km[ActSeekFwd].Keys(); len(got) != 1 || got[0] != "," {
		t.Fatalf("comma: %v", got)
	}
	joined := strings.Join(warns, "\n")
	for _, want := range []string{"keys.fly: unknown action", `keys.submit: "ctrl+" is not a key`, `keys.quit: "hyperdrive+q": unknown modifier`, "keys.help: no key given"} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings lack %q:\n%s", want, joined)
		}
	}
	if got := km[ActSubmit].Keys(); got[0] != "ctrl+s" {
		t.Fatal("a bad binding replaced the default")
	}
	for _, k := range []string{"ctrl+s", "alt+1", "shift+tab", "space", "f12", "G", "?", "é", "ctrl+alt+x"} {
		if err := validKey(k); err != nil {
			t.Errorf("%q: %v", k, err)
		}
	}
	for _, k := range []string{"", "ctrl", "f99", "spacebar", "ab", "ctrl+ab"} {
		if validKey(k) == nil {
			t.Errorf("%q accepted", k)
		}
	}
	// Warnings reach the status line at start.
	e := newEnv(t, nil, func(o *Options) { o.Keys = map[string]string{"fly": "f"}; o.Theme = "nope" })
	e.size(120, 40)
	if s := e.screen(); !strings.Contains(s, "keys.fly") {
		t.Fatalf("warning not shown:\n%s", s)
	}
}

func TestThemesAndBackground(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "pink.toml"), "accent = \"#ff79c6\"\n")
	e := newEnv(t, nil, func(o *Options) { o.Theme = "pink"; o.ThemesDir = dir })
	e.size(120, 40)
	if e.m.theme.Name != "pink" {
		t.Fatalf("theme %q", e.m.theme.Name)
	}
	if !strings.Contains(e.m.View().Content, "38;2;255;121;198") {
		t.Fatal("user theme colour not used")
	}
	// The terminal theme follows the background the terminal reports.
	e2 := newEnv(t, nil)
	e2.size(120, 40)
	dark := e2.m.View().Content
	e2.send(tea.BackgroundColorMsg{Color: whiteish{}})
	if e2.m.sty.IsDark || e2.m.View().Content == dark {
		t.Fatal("light background not applied")
	}
}

type whiteish struct{}

func (whiteish) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

type testErr string

func (e testErr) Error() string { return string(e) }

func errTestf(s string) error { return testErr(s) }

// Custom mode with every field empty says what it needs before anything is sent (the empty
// lyrics would otherwise make it an instrumental with no words, which the relay refuses).
func TestCustomModeNeedsWords(t *testing.T) {
	e := newEnv(t, nil)
	e.size(120, 40)
	e.m.create.custom = true
	for _, f := range []field{fTitle, fTags, fNegative} {
		e.m.create.inputs[f].SetValue("")
	}
	e.m.create.instrumental = false
	e.m.lyrics.ta.SetValue("")
	e.key("ctrl+s")
	if e.m.create.submitting || !e.m.create.noteErr {
		t.Fatalf("submitted an empty custom form (note %q)", e.m.create.note)
	}
	if want := "custom mode needs lyrics, a title or style tags"; e.m.create.note != want {
		t.Fatalf("note %q, want %q", e.m.create.note, want)
	}
	mustContain(t, e.screen(), "custom mode needs lyrics") // under the form
}

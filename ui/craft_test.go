package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"sunostudio/client"
	"sunostudio/client/sim"
	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

// simEnv is env on a started engine talking to an in-process relay simulator: the model's
// Cmds really ask the relay (synchronously, through exec), and the tests wait on the engine
// and hand its results to the model as the event forwarder would.
func newSimEnv(t *testing.T, so sim.Options) (*env, *sim.Sim) {
	t.Helper()
	if so.StageTime == 0 {
		so.StageTime = 10 * time.Millisecond
	}
	if so.SongSeconds == 0 {
		so.SongSeconds = 6
	}
	s, err := sim.Start(so)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	e := &env{t: t, dir: t.TempDir(), pl: newFakePlayer(), now: t0}
	e.st, err = store.Open(filepath.Join(e.dir, "library.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.st.Close() })
	cl, err := client.New(client.Profile{Name: "sim", BaseURL: s.URL(), APIKey: s.Key(), Dialect: client.DialectTask},
		client.WithRetry(1, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	e.eng, err = studio.New(studio.Options{Client: cl, Store: e.st, SongsDir: filepath.Join(e.dir, "songs"), Profile: "sim",
		PollBase: 10 * time.Millisecond, PollMax: 40 * time.Millisecond, DownloadBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.eng.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.eng.Close)
	e.m, err = New(Options{Engine: e.eng, Player: e.pl, Demo: true, Theme: "terminal", Model: "chirp-auk",
		Now: func() time.Time { return e.now }, Location: time.UTC,
		Source: func(_ context.Context, c *store.Clip) (player.Source, error) {
			return player.Source{ID: c.ID, Title: c.Title, Path: c.LocalPath, Duration: secs(c.Duration)}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	e.m.tick = func(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		e.timers = append(e.timers, fn)
		return nil
	}
	return e, s
}

// song makes a finished, downloaded song on the simulator and returns its clips.
func (e *env) song(lyrics string) []*store.Clip {
	e.t.Helper()
	task, err := e.eng.Submit(context.Background(), client.MusicRequest{Mode: client.ModeCustom, Lyrics: lyrics,
		Title: "冬天 Winter", Tags: "folk", Model: "chirp-auk"}, studio.SubmitOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	final := e.wait(task.ID)
	if final.Status != store.TaskSucceeded {
		e.t.Fatalf("song: %s %s", final.Status, final.Error)
	}
	clips, _ := e.st.ClipsOfTask(task.ID)
	e.load()
	return clips
}

// wait waits for a task to finish, then hands it to the model as the engine's event would.
func (e *env) wait(id string) *store.Task {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	t, err := e.eng.Wait(ctx, id, nil)
	if err != nil {
		e.t.Fatalf("wait %s: %v", id, err)
	}
	if e.m != nil {
		e.exec(e.send(engineMsg{studio.Event{Kind: studio.TaskUpdated, Task: t}}))
	}
	return t
}

// playing tells the model that clip c plays at pos, as the player's events would.
func (e *env) playing(c *store.Clip, pos time.Duration) {
	st := player.Status{State: player.Playing, Volume: 100, Index: 0, Gen: 1,
		Track:    player.Source{ID: c.ID, Title: c.Title},
		Position: pos, Duration: secs(c.Duration), Buffered: secs(c.Duration)}
	e.send(playerMsg{ev: player.Event{Gen: 1, Kind: player.EventTrackChanged, State: player.Playing}, st: &st})
}

// at moves the playing clip to pos (a position event).
func (e *env) at(pos time.Duration) {
	s := e.m.plr.st
	e.send(playerMsg{ev: player.Event{Gen: s.Gen, Kind: player.EventPosition, Position: pos, Duration: s.Duration,
		Buffered: s.Buffered}})
}

// lastTask is the newest task of the library.
func (e *env) lastTask() *store.Task {
	e.t.Helper()
	ts, err := e.st.Tasks(1)
	if err != nil || len(ts) == 0 {
		e.t.Fatalf("no task: %v", err)
	}
	return ts[0]
}

func (e *env) taskCount() int {
	ts, _ := e.st.Tasks(0)
	return len(ts)
}

// libSelect focuses the library on a clip.
func (e *env) libSelect(id string) {
	e.t.Helper()
	if e.m.focus != paneLibrary {
		e.key("esc", "4")
	}
	if !e.m.lib.selectID(id) {
		e.t.Fatalf("clip %s is not in the library list", id)
	}
}

func mustContain(t *testing.T, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Fatalf("the screen lacks %q:\n%s", w, s)
		}
	}
}

// TestCraftExtendFromAMarkedPoint: M marks the player's position while the clip plays, E
// opens the extend dialog with it, the Lyrics pane gives the words, ctrl+s submits; the new
// clips are the clip's extensions from that point.
func TestCraftExtendFromAMarkedPoint(t *testing.T) {
	e, _ := newSimEnv(t, sim.Options{})
	src := e.song("[Verse]\n冬天来了")[0]
	e.size(120, 40)
	e.m.lyrics.ta.SetValue("[Verse 2]\n雪落下来\nsnow falls down")
	e.playing(src, 2300*time.Millisecond)
	e.key("esc", "M")
	if mk := e.m.marks[src.ID]; mk == nil || !mk.hasExtend || mk.extend != 2.3 {
		t.Fatalf("marks %+v", mk)
	}
	mustContain(t, e.screen(), "extend point 0:02.3 marked · E extends from it")
	e.libSelect(src.ID)
	e.key("E")
	if e.m.ov.kind != ovCraft || e.m.ov.form.value("at") != "0:02.3" {
		t.Fatalf("extend dialog: %v %q", e.m.ov.kind, e.m.ov.form.value("at"))
	}
	mustContain(t, e.screen(), "Extend", "From", "0:02.3", "3 lines in the Lyrics pane")
	before := e.taskCount()
	e.key("ctrl+s")
	if e.m.ov.kind != ovNone {
		t.Fatalf("the dialog stayed open: %q", e.m.ov.form.err)
	}
	if e.taskCount() != before+1 {
		t.Fatal("no task")
	}
	task := e.lastTask()
	mustContain(t, e.screen(), "extend submitted: task "+task.ID)
	if e.m.tasks.selected() == nil || e.m.tasks.selected().t.ID != task.ID {
		t.Fatal("the new task is not selected in Tasks")
	}
	final := e.wait(task.ID)
	if final.Status != store.TaskSucceeded {
		t.Fatalf("extension: %s %s", final.Status, final.Error)
	}
	clips, _ := e.st.ClipsOfTask(task.ID)
	for _, c := range clips {
		if c.ParentID != src.ID || c.Derivation != store.DeriveExtend || c.ContinueAt != 2.3 {
			t.Fatalf("extension clip %+v", c)
		}
	}
	var req studio.Request
	if err := jsonUnmarshal(final.Request, &req); err != nil || req.Music == nil || req.Music.Lyrics != "[Verse 2]\n雪落下来\nsnow falls down" ||
		req.Music.Tags != "folk" {
		t.Fatalf("request %+v %v", req.Music, err)
	}
}

// TestCraftDialogTimes: the position key fills a time field while the clip plays, a time the
// dialog cannot read is refused next to its field, and the engine's refusal (past the end)
// lands next to the field too, with nothing submitted.
func TestCraftDialogTimes(t *testing.T) {
	e, _ := newSimEnv(t, sim.Options{})
	src := e.song("[Verse]\n冬天来了")[0]
	e.size(120, 40)
	e.libSelect(src.ID)
	e.key("E")
	// Not playing: the position key says what to do.
	e.key("ctrl+p")
	if fl := e.m.ov.form.field("at"); !strings.Contains(fl.err, "not playing this song") {
		t.Fatalf("position key while stopped: %q", fl.err)
	}
	e.playing(src, 4*time.Second)
	e.key("ctrl+p")
	if got := e.m.ov.form.value("at"); got != "0:04" {
		t.Fatalf("position key: %q", got)
	}
	before := e.taskCount()
	e.m.ov.form.field("at").in.SetValue("soon")
	e.key("ctrl+s")
	mustContain(t, e.screen(), `✗ "soon" is not a time`)
	e.m.ov.form.field("at").in.SetValue("9:59")
	e.key("ctrl+s")
	if e.m.ov.kind != ovCraft {
		t.Fatal("the dialog closed on a refusal")
	}
	fl := e.m.ov.form.field("at")
	if !strings.Contains(fl.err, "past the end") || e.m.ov.form.err != "" {
		t.Fatalf("bad input: field %q dialog %q", fl.err, e.m.ov.form.err)
	}
	mustContain(t, e.screen(), "✗ the point to extend from (599.0 s) is past the end")
	if e.taskCount() != before {
		t.Fatal("a refused request made a task")
	}
	// esc closes; nothing more happens.
	e.key("esc")
	if e.m.ov.kind != ovNone {
		t.Fatal("esc")
	}
}

func TestParseSeconds(t *testing.T) {
	for in, want := range map[string]float64{"80": 80, "80.5": 80.5, "1:20": 80, "1:20.5": 80.5, "0:01:20": 80, " 2:03 ": 123} {
		if got, err := parseSeconds(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, in := range []string{"", "x", "1:60", "-3", "1.5:20", "1:2:3:4", "NaN", "Inf"} {
		if _, err := parseSeconds(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	for in, want := range map[float64]string{0: "0:00", 2.3: "0:02.3", 80: "1:20", 3725.04: "1:02:05"} {
		if got := fmtSeconds(in); got != want {
			t.Errorf("fmtSeconds(%v) = %q, want %q", in, got, want)
		}
	}
}

// TestCraftActionsOnTheSimulator runs every action from the library through its dialog and
// the engine, on a relay that has them: full song, cover, replace section (marked while
// listening), persona and a persona song, stems, WAV and MP4 (with where the files are).
func TestCraftActionsOnTheSimulator(t *testing.T) {
	e, _ := newSimEnv(t, sim.Options{})
	src := e.song("[Verse]\n冬天来了\n雪花飘")[0]
	e.size(120, 40)
	e.m.lyrics.ta.SetValue("[Bridge]\n新的词")

	submit := func(key string, fill func(f *craftForm)) *store.Task {
		t.Helper()
		e.key(key)
		if e.m.ov.kind != ovCraft {
			t.Fatalf("%s: no dialog (problem %q)", key, e.m.problem)
		}
		if fill != nil {
			fill(e.m.ov.form)
		}
		before := e.taskCount()
		e.key("ctrl+s")
		if e.m.ov.kind == ovCraft {
			t.Fatalf("%s: the dialog stayed open: %q", key, e.m.ov.form.err)
		}
		if e.taskCount() == before {
			return nil
		}
		return e.lastTask()
	}
	done := func(task *store.Task) []*store.Clip {
		t.Helper()
		if final := e.wait(task.ID); final.Status != store.TaskSucceeded {
			t.Fatalf("%s: %s %s", task.Kind, final.Status, final.Error)
		}
		clips, _ := e.st.ClipsOfTask(task.ID)
		e.load()
		return clips
	}

	// Extend (typed point), then the full song of the extension.
	e.libSelect(src.ID)
	ext := done(submit("E", func(f *craftForm) { f.field("at").in.SetValue("3") }))[0]
	e.libSelect(ext.ID)
	full := done(submit("F", nil))
	if full[0].ParentID != ext.ID || full[0].Derivation != store.DeriveConcat {
		t.Fatalf("full song %+v", full[0])
	}

	// Cover with new tags.
	e.libSelect(src.ID)
	cov := done(submit("c", func(f *craftForm) { f.field("tags").in.SetValue("jazz, 爵士") }))
	if cov[0].Derivation != store.DeriveCover || cov[0].ParentID != src.ID {
		t.Fatalf("cover %+v", cov[0])
	}

	// Replace section: [ and ] mark the window while the clip plays.
	e.playing(src, time.Second)
	e.key("[")
	e.at(2500 * time.Millisecond)
	e.key("]")
	e.libSelect(src.ID)
	e.key("r")
	if f := e.m.ov.form; f.value("start") != "0:01" || f.value("end") != "0:02.5" || !f.checked("lyrics") {
		t.Fatalf("replace dialog: %q %q", f.value("start"), f.value("end"))
	}
	e.key("esc")
	rep := done(submit("r", nil))
	if rep[0].Derivation != store.DeriveInfill {
		t.Fatalf("replace %+v", rep[0])
	}
	var req studio.Request
	task, _ := e.st.Task(rep[0].TaskID)
	if jsonUnmarshal(task.Request, &req); req.Music == nil || req.Music.InfillStart != 1 || req.Music.InfillEnd != 2.5 ||
		req.Music.Lyrics != "[Bridge]\n新的词" {
		t.Fatalf("replace request %+v", req.Music)
	}

	// Persona: a name is needed (checked here), then it is made and the persona song dialog
	// offers it.
	e.libSelect(src.ID)
	e.key("P")
	e.key("ctrl+s")
	if fl := e.m.ov.form.field("name"); fl.err == "" {
		t.Fatal("a persona without a name was sent")
	}
	e.m.ov.form.field("name").in.SetValue("雪 Snow voice")
	e.key("ctrl+s")
	if e.m.ov.kind != ovNone {
		t.Fatalf("persona: %q", e.m.ov.form.err)
	}
	mustContain(t, e.screen(), `persona "雪 Snow voice" made`)
	song := done(submit("p", func(f *craftForm) {
		if f.choice("persona") == "" {
			t.Fatalf("the persona is not offered: %q", f.err)
		}
		f.field("title").in.SetValue("Snow again")
	}))
	if song[0].Derivation != store.DerivePersona {
		t.Fatalf("persona song %+v", song[0])
	}

	// Stems.
	e.libSelect(src.ID)
	stems := done(submit("s", nil))
	if len(stems) != 2 || stems[0].Derivation != store.DeriveStem {
		t.Fatalf("stems %+v", stems)
	}

	// WAV and MP4: requested, followed, and the notice says where the file is.
	for _, k := range []struct{ key, kind, ext string }{{"w", "WAV", ".wav"}, {"v", "MP4", ".mp4"}} {
		e.libSelect(src.ID)
		task := submit(k.key, nil)
		if task == nil {
			t.Fatalf("%s: no task", k.kind)
		}
		e.wait(task.ID)
		c, _ := e.st.Clip(src.ID)
		path := c.WAVPath
		if k.kind == "MP4" {
			path = c.MP4Path
		}
		if _, err := os.Stat(path); err != nil || !strings.HasSuffix(path, k.ext) {
			t.Fatalf("%s file %q: %v", k.kind, path, err)
		}
		// The status line is cut to the window; the notice holds the whole path.
		if want := k.kind + " of 冬天 Winter saved: " + path; e.m.notice != want {
			t.Fatalf("notice %q, want %q", e.m.notice, want)
		}
		mustContain(t, e.screen(), k.kind+" of 冬天 Winter saved: ")
		// Asked again: the file is there, nothing is asked of the relay.
		n := e.taskCount()
		e.key(k.key, "enter")
		if want := k.kind + " is in the library: " + path; e.m.notice != want || e.taskCount() != n {
			t.Fatalf("notice %q, want %q", e.m.notice, want)
		}
	}
	// The details show the files.
	e.key("i")
	e.key("pgdown")
	e.key("g")
	mustContain(t, e.screen(), "WAV       ", "Video     ")
}

// TestCraftOnAStockRelay: a relay that answers "unsupported" is named in the dialog, nothing
// is recorded, and from then on the extended actions are greyed out and refused before a
// dialog opens; extend still works there.
func TestCraftOnAStockRelay(t *testing.T) {
	e, _ := newSimEnv(t, sim.Options{RejectExtended: true})
	src := e.song("[Verse]\n冬天来了")[0]
	e.size(120, 40)
	e.libSelect(src.ID)
	e.key("i") // the details list the actions
	if strings.Contains(e.screen(), "greyed") {
		t.Fatal("greyed out before the relay said anything")
	}
	before := e.taskCount()
	e.key("s", "enter")
	if e.m.ov.kind != ovCraft {
		t.Fatal("the dialog closed on an unsupported answer")
	}
	mustContain(t, e.screen(), "✗ not on this relay")
	if e.taskCount() != before {
		t.Fatal("an unsupported action left a task")
	}
	if !e.m.support.Known || e.m.support.Extended {
		t.Fatalf("support not refreshed: %+v", e.m.support)
	}
	e.key("esc")
	mustContain(t, e.screen(), "greyed: not on this relay")
	// Cover is refused at once: no dialog, the status line says why.
	e.key("c")
	if e.m.ov.kind != ovNone || !strings.Contains(e.m.problem, "cover: not on this relay") {
		t.Fatalf("cover on a known stock relay: overlay %v problem %q", e.m.ov.kind, e.m.problem)
	}
	// Extend is a plain music submit: still offered.
	e.key("E")
	if e.m.ov.kind != ovCraft {
		t.Fatal("extend is refused on a stock relay")
	}
	// An answer that arrives after its dialog closed goes to the status line.
	e.m.support = studio.Support{} // as if not yet known: the dialog opens and asks
	e.key("esc", "w")
	cmd := e.send(keyMsg("enter"))
	e.key("esc")
	e.exec(cmd)
	if !strings.Contains(e.m.problem, "WAV: not on this relay") {
		t.Fatalf("late answer: %q", e.m.problem)
	}
}

// TestCraftFailedTask: the relay accepts an extension and then fails it; the Tasks pane says
// so, with the reason, and the failed clips hang under the source in its family.
func TestCraftFailedTask(t *testing.T) {
	e, _ := newSimEnv(t, sim.Options{})
	src := e.song("[Verse]\n冬天来了")[0]
	e.size(120, 40)
	e.m.lyrics.ta.SetValue("sim:fail")
	e.libSelect(src.ID)
	e.key("E")
	e.m.ov.form.field("at").in.SetValue("2")
	e.key("ctrl+s")
	task := e.lastTask()
	final := e.wait(task.ID)
	if final.Status != store.TaskFailed {
		t.Fatalf("task %s", final.Status)
	}
	e.key("3")
	s := e.screen()
	mustContain(t, s, "✗ failed")
	if !strings.Contains(s, line(final.Error)[:20]) {
		t.Fatalf("the reason is not shown (%q):\n%s", final.Error, s)
	}
}

func jsonUnmarshal(b []byte, v any) error { return jsonUnmarshalImpl(b, v) }

// TestABTakes: b plays the other take of the playing clip's task from the same position (Play,
// then Seek), again b comes back; * marks the playing take as the keeper; the bar says which
// take plays.
func TestABTakes(t *testing.T) {
	e := newEnv(t, seedStudio)
	e.load()
	e.size(120, 40)
	a1, _ := e.st.Clip("clip-a1")
	a1.Favorite = false
	mustPut(t, e.st.PutClip(a1))
	e.key("esc")
	e.key("b")
	if !strings.Contains(e.m.problem, "nothing is playing") {
		t.Fatalf("b with nothing playing: %q", e.m.problem)
	}
	e.exec(e.send(playerMsg{ev: player.Event{Gen: 1, Kind: player.EventTrackChanged, State: player.Playing},
		st: &player.Status{State: player.Playing, Gen: 1, Track: player.Source{ID: "clip-a1", Title: a1.Title},
			Position: 83 * time.Second, Duration: 183 * time.Second}}))
	mustContain(t, e.screen(), "take A of 2")
	e.key("b")
	if calls := e.pl.Calls(); strings.Join(calls, "|") != "play clip-a2|seek 1m23s" {
		t.Fatalf("player calls %v", calls)
	}
	mustContain(t, e.screen(), "take B of 2, from 1:23 · ")
	mustContain(t, e.screen(), "keeps it · Midnight Neon Rain")
	// The player's events follow: the bar shows take B; b again goes back to A.
	e.exec(e.send(playerMsg{ev: player.Event{Gen: 2, Kind: player.EventTrackChanged, State: player.Playing},
		st: &player.Status{State: player.Playing, Gen: 2, Track: player.Source{ID: "clip-a2", Title: "Midnight Neon Rain"},
			Position: 90 * time.Second, Duration: 201 * time.Second}}))
	mustContain(t, e.screen(), "take B of 2")
	e.key("b")
	if calls := e.pl.Calls(); len(calls) != 4 || calls[2] != "play clip-a1" || calls[3] != "seek 1m30s" {
		t.Fatalf("player calls %v", calls)
	}
	// * keeps the take that plays (clip-a2 until the player says otherwise), twice stays kept.
	e.key("*", "*")
	if c, _ := e.st.Clip("clip-a2"); !c.Favorite {
		t.Fatal("the keeper is not a favourite")
	}
	if !e.m.lib.byID["clip-a2"].Favorite || !strings.Contains(e.m.notice, "kept take B: ★ Midnight Neon Rain") {
		t.Fatalf("keeper not shown: %q", e.m.notice)
	}
	// A clip whose task made only one take says so.
	e.exec(e.send(playerMsg{ev: player.Event{Gen: 3, Kind: player.EventTrackChanged, State: player.Playing},
		st: &player.Status{State: player.Playing, Gen: 3, Track: player.Source{ID: "clip-a1-ext", Title: "ext"},
			Position: time.Second, Duration: 242 * time.Second}}))
	e.key("b")
	if !strings.Contains(e.m.problem, "no other take") || strings.Contains(e.screen(), "take A of 1") {
		t.Fatalf("single take: %q", e.m.problem)
	}
}

// TestHelpGreysOutWhatTheRelayLacks: on a relay known to lack the extended features, the help
// overlay says so next to those actions and not next to extend.
func TestHelpGreysOutWhatTheRelayLacks(t *testing.T) {
	e := newEnv(t, seedStudio)
	e.size(120, 40)
	e.m.support = studio.Support{Known: true, Extended: false, Op: "stems", At: t0}
	e.key("esc", "?")
	for i := 0; i < 3; i++ {
		e.key("pgdown")
	}
	s := e.screen()
	mustContain(t, s, "✗ split into stems", "✗ WAV file", "note: ✗ not on this relay")
	if strings.Contains(s, "✗ extend from a point") {
		t.Fatal("extend is greyed out on a stock relay")
	}
}

// uploadTasks are the library's upload tasks.
func (e *env) uploadTasks() []*store.Task {
	ts, _ := e.st.Tasks(0)
	var out []*store.Task
	for _, t := range ts {
		if t.Kind == string(client.KindUpload) {
			out = append(out, t)
		}
	}
	return out
}

// openUpload focuses the library and opens the upload dialog with U.
func (e *env) openUpload() *craftForm {
	e.t.Helper()
	if e.m.focus != paneLibrary {
		e.key("esc", "4")
	}
	e.key("U")
	if e.m.ov.kind != ovCraft || e.m.ov.form.act != craftUpload {
		e.t.Fatalf("U: no upload dialog (overlay %v, problem %q)", e.m.ov.kind, e.m.problem)
	}
	return e.m.ov.form
}

// TestCraftUploadByURL: U opens the upload dialog in an empty library; an address the relay
// cannot fetch is refused next to the field, with nothing sent; a good one is uploaded, the
// notice gives the upload id, Tasks shows it and the song comes into the library.
func TestCraftUploadByURL(t *testing.T) {
	e, _ := newSimEnv(t, sim.Options{})
	e.size(120, 40)
	e.load()
	f := e.openUpload()
	mustContain(t, e.screen(), "Upload", "URL", "https://example.com/song.mp3", "Cover", "[ ] no: just upload it",
		"ctrl+s upload it")
	for _, bad := range []struct{ in, want string }{
		{"", "needed: the public http(s) address of an audio file"},
		{"ftp://example.com/a.mp3", `"ftp://example.com/a.mp3" is not an http(s) address`},
		{"example.com/song.mp3", `"example.com/song.mp3" is not an http(s) address`},
		{"https://", `"https://" is not an http(s) address`},
	} {
		f.field("url").in.SetValue(bad.in)
		e.key("ctrl+s")
		if e.m.ov.kind != ovCraft || f.busy {
			t.Fatalf("%q: the dialog closed or is busy", bad.in)
		}
		if fl := f.field("url"); !strings.Contains(fl.err, bad.want) {
			t.Fatalf("%q: field error %q, want %q", bad.in, fl.err, bad.want)
		}
		mustContain(t, e.screen(), "✗ "+bad.want)
	}
	if n := e.taskCount(); n != 0 {
		t.Fatalf("a refused address made %d task(s)", n)
	}
	// Typed like a person, with a space at the end.
	f.field("url").in.SetValue("")
	e.typeText("https://example.com/night-drive.mp3 ")
	e.key("ctrl+s")
	if e.m.ov.kind != ovNone {
		t.Fatalf("the dialog stayed open: %q / %q", e.m.ov.form.err, e.m.ov.form.field("url").err)
	}
	ups := e.uploadTasks()
	if len(ups) != 1 || e.taskCount() != 1 {
		t.Fatalf("upload tasks %d, tasks %d", len(ups), e.taskCount())
	}
	up := ups[0]
	if want := "uploaded as " + up.ID + " (see Tasks)"; e.m.notice != want {
		t.Fatalf("notice %q, want %q", e.m.notice, want)
	}
	mustContain(t, e.screen(), "uploaded as "+up.ID)
	if sel := e.m.tasks.selected(); sel == nil || sel.t.ID != up.ID {
		t.Fatal("the upload is not selected in Tasks")
	}
	var req studio.Request
	if err := jsonUnmarshal(up.Request, &req); err != nil || req.URL != "https://example.com/night-drive.mp3" {
		t.Fatalf("upload request %+v %v", req, err)
	}
	// The simulator shows uploads as songs: the tracker brings it into the library.
	if final := e.wait(up.ID); final.Status != store.TaskSucceeded {
		t.Fatalf("upload: %s %s", final.Status, final.Error)
	}
	e.load()
	clips, _ := e.st.ClipsOfTask(up.ID)
	if len(clips) != 1 || clips[0].ID != up.ID || clips[0].Title != "night-drive" {
		t.Fatalf("uploaded clips %+v", clips)
	}
	if _, ok := e.m.lib.byID[up.ID]; !ok {
		t.Fatal("the uploaded song is not in the library list")
	}
}

// TestCraftUploadAndCover: with Cover ticked the dialog needs style tags (the typed address
// stays), then uploads the song and covers it: both tasks are in Tasks, the cover's clips land
// in the library as covers of the upload, with the Lyrics pane's words when ticked. It opens
// with a clip selected as well, and leaves that clip out of it.
func TestCraftUploadAndCover(t *testing.T) {
	e, _ := newSimEnv(t, sim.Options{})
	src := e.song("[Verse]\n冬天来了")[0]
	e.size(120, 40)
	e.m.lyrics.ta.SetValue("[Verse]\n夜路\nnight road")
	e.libSelect(src.ID)
	f := e.openUpload()
	if f.clip.id != "" {
		t.Fatalf("the upload dialog works on clip %q", f.clip.id)
	}
	e.typeText("https://example.com/demo-song.mp3")
	e.key("tab", "space") // Cover
	if !f.checked("cover") {
		t.Fatal("space does not tick Cover")
	}
	mustContain(t, e.screen(), "[x] cover it in a new style", "ctrl+s upload and cover it")
	e.key("ctrl+s")
	if fl := f.field("tags"); e.m.ov.kind != ovCraft || !strings.Contains(fl.err, "a cover needs style tags") {
		t.Fatalf("a cover without tags: overlay %v, field %q", e.m.ov.kind, fl.err)
	}
	if f.value("url") != "https://example.com/demo-song.mp3" || e.taskCount() != 1 {
		t.Fatalf("the refusal lost the address or sent something: %q, %d tasks", f.value("url"), e.taskCount())
	}
	e.key("tab")
	e.typeText("jazz, 爵士")
	e.key("tab", "tab", "space") // past Title, tick Lyrics
	if !f.checked("lyrics") {
		t.Fatal("lyrics not ticked")
	}
	e.key("ctrl+s")
	if e.m.ov.kind != ovNone {
		t.Fatalf("the dialog stayed open: %q", e.m.ov.form.err)
	}
	ups := e.uploadTasks()
	if len(ups) != 1 || e.taskCount() != 3 {
		t.Fatalf("upload tasks %d, tasks %d", len(ups), e.taskCount())
	}
	up, cov := ups[0], e.lastTask()
	if cov.Kind == string(client.KindUpload) || cov.ParentClipID != up.ID || cov.Derivation != store.DeriveCover {
		t.Fatalf("cover task %+v", cov)
	}
	if want := "cover submitted: task " + cov.ID + ", of the song uploaded as " + up.ID + " (see Tasks)"; e.m.notice != want {
		t.Fatalf("notice %q, want %q", e.m.notice, want)
	}
	if _, ok := e.m.tasks.byID[up.ID]; !ok {
		t.Fatal("the upload is not in Tasks")
	}
	if sel := e.m.tasks.selected(); sel == nil || sel.t.ID != cov.ID {
		t.Fatal("the cover is not selected in Tasks")
	}
	var req studio.Request
	if err := jsonUnmarshal(cov.Request, &req); err != nil || req.Music == nil || req.Music.Mode != client.ModeCover ||
		req.Music.CoverClipID != up.ID || req.Music.Tags != "jazz, 爵士" || req.Music.Lyrics != "[Verse]\n夜路\nnight road" {
		t.Fatalf("cover request %+v %v", req.Music, err)
	}
	e.wait(up.ID)
	if final := e.wait(cov.ID); final.Status != store.TaskSucceeded {
		t.Fatalf("cover: %s %s", final.Status, final.Error)
	}
	e.load()
	clips, _ := e.st.ClipsOfTask(cov.ID)
	if len(clips) == 0 {
		t.Fatal("the cover made no clips")
	}
	for _, c := range clips {
		if c.ParentID != up.ID || c.Derivation != store.DeriveCover || c.Tags != "jazz, 爵士" {
			t.Fatalf("cover clip %+v", c)
		}
		if _, ok := e.m.lib.byID[c.ID]; !ok {
			t.Fatalf("cover clip %s is not in the library list", c.ID)
		}
	}
	// The library's family of the upload lists the cover.
	fam, err := e.eng.Family(up.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range fam.Covers {
		found = found || c.ID == clips[0].ID
	}
	if !found {
		t.Fatalf("the upload's family lacks its cover: %+v", fam)
	}
}

// TestCraftUploadOnAStockRelay: a relay without uploads is named in the dialog, which keeps
// what was typed; nothing is recorded, and from then on U is refused before a dialog opens and
// the help greys it out.
func TestCraftUploadOnAStockRelay(t *testing.T) {
	e, _ := newSimEnv(t, sim.Options{RejectExtended: true})
	e.size(120, 40)
	e.load()
	f := e.openUpload()
	e.typeText("https://example.com/demo-song.mp3")
	e.key("ctrl+s")
	if e.m.ov.kind != ovCraft {
		t.Fatal("the dialog closed on an unsupported answer")
	}
	if !strings.Contains(f.err, "not on this relay") || f.field("url").err != "" {
		t.Fatalf("dialog error %q, field %q", f.err, f.field("url").err)
	}
	mustContain(t, e.screen(), "✗ not on this relay")
	if f.value("url") != "https://example.com/demo-song.mp3" || f.busy {
		t.Fatalf("the address is lost: %q", f.value("url"))
	}
	if n := e.taskCount(); n != 0 {
		t.Fatalf("an unsupported upload left %d task(s)", n)
	}
	if !e.m.support.Known || e.m.support.Extended {
		t.Fatalf("support not refreshed: %+v", e.m.support)
	}
	e.key("esc", "U")
	if e.m.ov.kind != ovNone || !strings.Contains(e.m.problem, "upload: not on this relay") {
		t.Fatalf("upload on a known stock relay: overlay %v problem %q", e.m.ov.kind, e.m.problem)
	}
	if h := strings.Join(e.m.helpLines(120), "\n"); !strings.Contains(h, "✗ upload or cover by URL") {
		t.Fatalf("the help does not grey out upload:\n%s", h)
	}
}

// TestCraftUploadFailures: a refused upload keeps the form as typed; a cover refused after
// its upload worked says so, and the retry covers that upload instead of uploading again; a
// cover the relay fails shows in Tasks with its reason.
func TestCraftUploadFailures(t *testing.T) {
	e, s := newSimEnv(t, sim.Options{})
	e.size(120, 40)
	e.load()

	// The upload request itself is refused.
	s.Inject(sim.Fault{Path: "/suno/uploads/audio-url", Kind: sim.FaultUnauthorized})
	f := e.openUpload()
	e.typeText("https://example.com/demo-song.mp3")
	e.key("tab", "space", "tab")
	e.typeText("punk")
	e.key("ctrl+s")
	if e.m.ov.kind != ovCraft || !strings.HasPrefix(f.err, "failed: ") {
		t.Fatalf("refused upload: overlay %v, error %q", e.m.ov.kind, f.err)
	}
	mustContain(t, e.screen(), "✗ failed: ")
	if f.value("url") != "https://example.com/demo-song.mp3" || !f.checked("cover") || f.value("tags") != "punk" {
		t.Fatalf("the form lost its text: %q %v %q", f.value("url"), f.checked("cover"), f.value("tags"))
	}
	if n := len(e.uploadTasks()); n != 0 {
		t.Fatalf("a refused upload left %d upload task(s)", n)
	}

	// The upload works, its cover is refused: the upload is kept and shown, and the retry
	// covers it.
	s.Inject(sim.Fault{Path: "/suno/submit/music", Kind: sim.FaultUnauthorized})
	e.key("ctrl+s")
	ups := e.uploadTasks()
	if e.m.ov.kind != ovCraft || len(ups) != 1 {
		t.Fatalf("cover refused: overlay %v, %d uploads", e.m.ov.kind, len(ups))
	}
	if !strings.Contains(f.err, "uploaded (id "+ups[0].ID+") but the cover was not made") ||
		!strings.Contains(f.err, "ctrl+s tries the cover again, without a second upload") {
		t.Fatalf("partial failure: %q", f.err)
	}
	if _, ok := e.m.tasks.byID[ups[0].ID]; !ok {
		t.Fatal("the kept upload is not in Tasks")
	}
	e.key("ctrl+s")
	if e.m.ov.kind != ovNone {
		t.Fatalf("retry: %q", e.m.ov.form.err)
	}
	cov := e.lastTask()
	if n := len(e.uploadTasks()); n != 1 || cov.ParentClipID != ups[0].ID || cov.Derivation != store.DeriveCover {
		t.Fatalf("retry: %d uploads, cover %+v", n, cov)
	}
	if want := "cover submitted: task " + cov.ID + ", of the song uploaded as " + ups[0].ID + " (see Tasks)"; e.m.notice != want {
		t.Fatalf("notice %q, want %q", e.m.notice, want)
	}

	// The relay fails the cover: Tasks says so, with the reason.
	f = e.openUpload()
	e.typeText("https://example.com/other-song.mp3")
	e.key("tab", "space", "tab")
	e.typeText("jazz sim:fail")
	e.key("ctrl+s")
	if e.m.ov.kind != ovNone {
		t.Fatalf("the dialog stayed open: %q", f.err)
	}
	task := e.lastTask()
	final := e.wait(task.ID)
	if final.Status != store.TaskFailed || final.Derivation != store.DeriveCover {
		t.Fatalf("cover task %s %s", final.Status, final.Derivation)
	}
	e.key("3")
	sc := e.screen()
	mustContain(t, sc, "✗ failed")
	if !strings.Contains(sc, line(final.Error)[:20]) {
		t.Fatalf("the reason is not shown (%q):\n%s", final.Error, sc)
	}
}

package studio

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/client/sim"
	"sunostudio/store"
)

var bg = context.Background()

// song makes a finished custom song and returns its first clip.
func (h *harness) song(lyrics string) *store.Clip {
	h.t.Helper()
	task, err := h.eng.Submit(bg, client.MusicRequest{Mode: client.ModeCustom, Lyrics: lyrics, Title: "Winter", Tags: "folk",
		Model: "chirp-auk"}, SubmitOptions{})
	if err != nil {
		h.t.Fatal(err)
	}
	if final := h.wait(task.ID); final.Status != store.TaskSucceeded {
		h.t.Fatalf("song: %+v", final)
	}
	clips, _ := h.st.ClipsOfTask(task.ID)
	return clips[0]
}

// done waits for a task and checks that it succeeded with every clip downloaded.
func (h *harness) done(task *store.Task, err error) (*store.Task, []*store.Clip) {
	h.t.Helper()
	if err != nil {
		h.t.Fatal(err)
	}
	final := h.wait(task.ID)
	if final.Status != store.TaskSucceeded {
		h.t.Fatalf("task %s (%s): %s %s", final.ID, final.Kind, final.Status, final.Error)
	}
	clips, _ := h.st.ClipsOfTask(task.ID)
	for _, c := range clips {
		if c.Download != store.DownloadDone || !fileExists(c.LocalPath) {
			h.t.Fatalf("clip %s not downloaded: %+v", c.ID, c)
		}
	}
	return final, clips
}

// lastBody is the JSON body of the last request to path.
func (h *harness) lastBody(method, path string) map[string]any {
	h.t.Helper()
	reqs := h.rec.matching(method, path)
	if len(reqs) == 0 {
		h.t.Fatalf("no %s %s", method, path)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(reqs[len(reqs)-1].body), &m); err != nil {
		h.t.Fatalf("%s %s body: %v", method, path, err)
	}
	return m
}

func fastHarness(t *testing.T, so sim.Options) *harness {
	if so.StageTime == 0 {
		so.StageTime = 10 * time.Millisecond
	}
	return newHarness(t, so, client.DialectTask, Options{})
}

func TestExtendThenFullSong(t *testing.T) {
	h := fastHarness(t, sim.Options{})
	src := h.song("[Verse]\nWinter is here\nSnow falls down")
	ext, extClips := h.done(h.eng.Extend(bg, src.ID, 3, "[Chorus]\nCold cold night", "", "", ""))
	body := h.lastBody("POST", "/suno/submit/music")
	if body["task_id"] != src.TaskID || body["continue_clip_id"] != src.ID || body["continue_at"] != 3.0 ||
		body["task"] != "extend" || body["mv"] != "chirp-auk" || body["tags"] != "folk" || body["title"] != "Winter" {
		t.Fatalf("extend body: %v", body)
	}
	if ext.ParentClipID != src.ID || ext.Derivation != store.DeriveExtend || len(extClips) != 2 {
		t.Fatalf("extend task: %+v", ext)
	}
	for _, c := range extClips {
		if c.ParentID != src.ID || c.Derivation != store.DeriveExtend || c.ContinueAt != 3 {
			t.Fatalf("extension clip: parent %q %q at %v", c.ParentID, c.Derivation, c.ContinueAt)
		}
	}

	full, fullClips := h.done(h.eng.FullSong(bg, extClips[0].ID))
	if b := h.lastBody("POST", "/suno/submit/concat"); b["clip_id"] != extClips[0].ID || b["is_infill"] != false {
		t.Fatalf("concat body: %v", b)
	}
	if full.Kind != "concat" || len(fullClips) != 1 {
		t.Fatalf("full song task: %+v", full)
	}
	song := fullClips[0]
	if song.ParentID != extClips[0].ID || song.Derivation != store.DeriveConcat {
		t.Fatalf("full song clip: %+v", song)
	}
	// The simulator joins the parent up to the continue point with the extension.
	if want := 3 + extClips[0].Duration; math.Abs(song.Duration-want) > 0.1 {
		t.Errorf("full song is %.2f s, want about %.2f", song.Duration, want)
	}

	fam, err := h.eng.Family(song.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := clipIDs(fam.Parts); strings.Join(got, ",") != src.ID+","+extClips[0].ID {
		t.Errorf("parts = %v", got)
	}
	if len(fam.Ancestors) != 2 || fam.Ancestors[0].ID != extClips[0].ID || fam.Ancestors[1].ID != src.ID {
		t.Errorf("ancestors = %v", clipIDs(fam.Ancestors))
	}
	root, _ := h.eng.Family(src.ID)
	if len(root.Extensions) != 2 || len(root.Ancestors) != 0 {
		t.Errorf("root family: %d extensions, %d ancestors", len(root.Extensions), len(root.Ancestors))
	}
	mid, _ := h.eng.Family(extClips[0].ID)
	if len(mid.FullSongs) != 1 || mid.FullSongs[0].ID != song.ID {
		t.Errorf("extension's full songs: %v", clipIDs(mid.FullSongs))
	}

	// Refused before the relay is asked: nothing recorded.
	before, _ := h.st.Tasks(0)
	for name, err := range map[string]error{
		"full song of a root":   second(h.eng.FullSong(bg, src.ID)),
		"extend from 0":         second(h.eng.Extend(bg, src.ID, 0, "", "", "", "")),
		"extend past the end":   second(h.eng.Extend(bg, src.ID, src.Duration+5, "", "", "", "")),
		"extend at NaN":         second(h.eng.Extend(bg, src.ID, math.NaN(), "", "", "", "")),
		"replace empty window":  second(h.eng.ReplaceSection(bg, src.ID, 3, 3, CraftOptions{})),
		"replace past the end":  second(h.eng.ReplaceSection(bg, src.ID, 1, src.Duration+9, CraftOptions{})),
		"persona without words": second(h.eng.GenerateWithPersona(bg, "p", src.ID, CraftOptions{})),
	} {
		if !errors.Is(err, ErrBadInput) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := h.eng.Extend(bg, "no-such-clip", 3, "", "", "", ""); !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "no clip") {
		t.Errorf("unknown clip: %v", err)
	}
	if after, _ := h.st.Tasks(0); len(after) != len(before) {
		t.Errorf("refusals recorded %d tasks", len(after)-len(before))
	}
}

func second[T any](_ T, err error) error { return err }

func clipIDs(cs []*store.Clip) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func TestCoverAndCoverByURL(t *testing.T) {
	h := fastHarness(t, sim.Options{})
	src := h.song("[Verse]\nWinter is here")
	cover, clips := h.done(h.eng.Cover(bg, src.ID, CraftOptions{Tags: "bossa nova"}))
	body := h.lastBody("POST", "/suno/submit/music")
	if body["task"] != "cover" || body["cover_clip_id"] != src.ID || body["tags"] != "bossa nova" || body["prompt"] != src.Lyrics {
		t.Fatalf("cover body: %v", body)
	}
	if cover.Derivation != store.DeriveCover || clips[0].ParentID != src.ID || clips[0].Derivation != store.DeriveCover {
		t.Fatalf("cover lineage: %+v %+v", cover, clips[0])
	}
	if fam, _ := h.eng.Family(src.ID); len(fam.Covers) != 2 {
		t.Errorf("covers = %d", len(fam.Covers))
	}

	up, cv, err := h.eng.CoverURL(bg, "https://music.example.com/files/first-song.mp3", CraftOptions{Tags: "punk"})
	if err != nil {
		t.Fatal(err)
	}
	if b := h.lastBody("POST", "/suno/uploads/audio-url"); b["url"] != "https://music.example.com/files/first-song.mp3" {
		t.Fatalf("upload body: %v", b)
	}
	if b := h.lastBody("POST", "/suno/submit/music"); b["cover_clip_id"] != up.ID {
		t.Fatalf("cover of the upload: %v", b)
	}
	_, upClips := h.done(up, nil)
	if len(upClips) != 1 || upClips[0].ID != up.ID || upClips[0].Derivation != store.DeriveUpload || upClips[0].Title != "first-song" {
		t.Fatalf("uploaded clip: %+v", upClips)
	}
	_, cvClips := h.done(cv, nil)
	if cvClips[0].ParentID != up.ID {
		t.Fatalf("cover of upload parent = %q", cvClips[0].ParentID)
	}
	// An uploaded song is extended through Suno's upload_extend.
	h.done(h.eng.Extend(bg, up.ID, 2, "[Verse]\nmore", "", "", ""))
	if b := h.lastBody("POST", "/suno/submit/music"); b["task"] != "upload_extend" || b["continue_clip_id"] != up.ID || b["task_id"] != up.ID {
		t.Fatalf("extend of an upload: %v", b)
	}
	if _, err := h.eng.Upload(bg, "file:///etc/passwd"); !errors.Is(err, ErrBadInput) {
		t.Errorf("non-http upload: %v", err)
	}
}

func TestReplaceSectionThenFullSong(t *testing.T) {
	h := fastHarness(t, sim.Options{})
	src := h.song("[Verse]\nWinter is here\nSnow falls down")
	task, clips := h.done(h.eng.ReplaceSection(bg, src.ID, 1.5, 3.5, CraftOptions{Lyrics: "[Verse]\nSpring is here"}))
	body := h.lastBody("POST", "/suno/submit/music")
	if body["task"] != "infill" || body["continue_clip_id"] != src.ID || body["task_id"] != src.TaskID ||
		body["infill_start_s"] != 1.5 || body["infill_end_s"] != 3.5 || body["prompt"] != "[Verse]\nSpring is here" {
		t.Fatalf("infill body: %v", body)
	}
	if task.Derivation != store.DeriveInfill || clips[0].ParentID != src.ID {
		t.Fatalf("lineage: %+v", clips[0])
	}
	if math.Abs(clips[0].Duration-src.Duration) > 0.1 {
		t.Errorf("a replaced section keeps the length: %.2f vs %.2f", clips[0].Duration, src.Duration)
	}
	h.done(h.eng.FullSong(bg, clips[0].ID))
	if b := h.lastBody("POST", "/suno/submit/concat"); b["is_infill"] != true {
		t.Fatalf("concat after infill: %v", b)
	}
	if fam, _ := h.eng.Family(src.ID); len(fam.Replaced) != 2 {
		t.Errorf("replaced = %d", len(fam.Replaced))
	}
}

func TestPersonaCreateListUse(t *testing.T) {
	h := fastHarness(t, sim.Options{})
	src := h.song("[Verse]\nWinter is here")
	p, err := h.eng.CreatePersona(bg, src.ID, "Nightingale", "soft and breathy")
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == "" || p.Name != "Nightingale" || p.RootClipID != src.ID || p.Profile != "sim" {
		t.Fatalf("persona: %+v", p)
	}
	if b := h.lastBody("POST", "/suno/persona/create/"); b["root_clip_id"] != src.ID || b["name"] != "Nightingale" {
		t.Fatalf("persona body: %v", b)
	}
	list, _ := h.eng.Personas()
	if len(list) != 1 || list[0].ID != p.ID {
		t.Fatalf("Personas = %+v", list)
	}
	task, clips := h.done(h.eng.GenerateWithPersona(bg, p.ID, "", CraftOptions{Lyrics: "[Verse]\nNew words", Title: "New"}))
	body := h.lastBody("POST", "/suno/submit/music")
	if body["task"] != "artist_consistency" || body["persona_id"] != p.ID || body["artist_clip_id"] != src.ID {
		t.Fatalf("persona song body: %v", body)
	}
	if task.Derivation != store.DerivePersona || clips[0].ParentID != src.ID {
		t.Fatalf("lineage: %+v", clips[0])
	}
	if _, err := h.eng.CreatePersona(bg, src.ID, "  ", ""); !errors.Is(err, ErrBadInput) {
		t.Errorf("nameless persona: %v", err)
	}
	if _, err := h.eng.GenerateWithPersona(bg, "unknown", "", CraftOptions{Tags: "x"}); !errors.Is(err, ErrBadInput) {
		t.Errorf("unknown persona without a clip: %v", err)
	}
}

func TestStemsAreTrackedAndDownloaded(t *testing.T) {
	h := fastHarness(t, sim.Options{})
	src := h.song("[Verse]\nWinter is here")
	task, clips := h.done(h.eng.Stems(bg, src.ID))
	if task.Kind != "stems" || task.ParentClipID != src.ID || len(task.ClipIDs) != 2 || len(clips) != 2 || task.Progress != 100 {
		t.Fatalf("stems task: %+v (%d clips)", task, len(clips))
	}
	labels := map[string]bool{}
	for _, c := range clips {
		if c.ParentID != src.ID || c.Derivation != store.DeriveStem || c.Status != store.ClipComplete {
			t.Errorf("stem: %+v", c)
		}
		labels[c.Title[strings.LastIndex(c.Title, " ")+1:]] = true
		if math.Abs(c.Duration-src.Duration) > 0.1 {
			t.Errorf("stem length %.2f vs %.2f", c.Duration, src.Duration)
		}
	}
	if !labels["Vocals"] || !labels["Instrumental"] {
		t.Errorf("stem titles: %v", labels)
	}
	if fam, _ := h.eng.Family(src.ID); len(fam.Stems) != 2 {
		t.Errorf("family stems = %d", len(fam.Stems))
	}
	// A stem can be extended: it is its own handle at the relay.
	ext, _ := h.done(h.eng.Extend(bg, clips[1].ID, 2, "", "", "", ""))
	if b := h.lastBody("POST", "/suno/submit/music"); b["task_id"] != clips[1].ID {
		t.Errorf("extend of a stem names task %v", b["task_id"])
	}
	if ext.ParentClipID != clips[1].ID {
		t.Errorf("extend of a stem: %+v", ext)
	}
}

func TestWAVAndMP4AreDownloadedNextToTheMP3(t *testing.T) {
	h := fastHarness(t, sim.Options{})
	src := h.song("[Verse]\nWinter is here")
	task, path, err := h.eng.WAV(bg, src.ID)
	if err != nil || path != "" || task == nil {
		t.Fatalf("WAV: %v %q %v", task, path, err)
	}
	// Asking again while it runs joins the request.
	if again, _, _ := h.eng.WAV(bg, src.ID); again == nil || again.ID != task.ID {
		t.Errorf("second request did not join: %v", again)
	}
	if final := h.wait(task.ID); final.Status != store.TaskSucceeded || final.Kind != "wav" || len(final.ClipIDs) != 0 {
		t.Fatalf("wav task: %+v", final)
	}
	c, _ := h.st.Clip(src.ID)
	base, _ := SafePath(h.eng.SongsDir(), src.ID)
	if c.WAVPath != base+".wav" || !fileExists(c.WAVPath) {
		t.Fatalf("WAVPath = %q", c.WAVPath)
	}
	if c.AudioURL != src.AudioURL || c.LocalPath != src.LocalPath || c.Download != store.DownloadDone {
		t.Fatalf("the asset task changed the clip: %q -> %q", src.AudioURL, c.AudioURL)
	}
	f, _ := os.Open(c.WAVPath)
	secs, err := wavDuration(f)
	f.Close()
	if err != nil || math.Abs(secs-c.Duration) > 0.1 {
		t.Errorf("wav: %.2f s, %v", secs, err)
	}
	n := len(h.rec.matching("GET", "/suno/act/wav/"))
	if t2, p, err := h.eng.WAV(bg, src.ID); err != nil || t2 != nil || p != c.WAVPath || len(h.rec.matching("GET", "/suno/act/wav/")) != n {
		t.Errorf("a WAV in the library is not asked for again: %v %q %v", t2, p, err)
	}

	mt, _, err := h.eng.MP4(bg, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if final := h.wait(mt.ID); final.Status != store.TaskSucceeded {
		t.Fatalf("mp4 task: %+v", final)
	}
	c, _ = h.st.Clip(src.ID)
	if c.MP4Path != base+".mp4" || verifyMP4(c.MP4Path) != nil {
		t.Fatalf("MP4Path = %q", c.MP4Path)
	}
	if parts, _ := filepath.Glob(filepath.Join(h.eng.SongsDir(), "*.part")); len(parts) != 0 {
		t.Errorf("temp files left: %v", parts)
	}
	// Deleting the clip takes the WAV and the video with it.
	if err := h.eng.DeleteClip(src.ID); err != nil {
		t.Fatal(err)
	}
	if fileExists(base+".wav") || fileExists(base+".mp4") {
		t.Error("files left after delete")
	}
}

func TestWAVRequestResumesAfterRestart(t *testing.T) {
	h := fastHarness(t, sim.Options{StageTime: 150 * time.Millisecond})
	src := h.song("[Verse]\nWinter is here")
	task, _, err := h.eng.WAV(bg, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	h.eng.Close() // long before the relay has rendered it
	if got, _ := h.st.Task(task.ID); got.Finished() {
		t.Fatalf("finished too early for this test: %+v", got)
	}
	h.start()
	if final := h.wait(task.ID); final.Status != store.TaskSucceeded {
		t.Fatalf("after restart: %+v", final)
	}
	if c, _ := h.st.Clip(src.ID); !fileExists(c.WAVPath) {
		t.Fatal("no WAV after restart")
	}
}

func TestAssetDownloadFailureFailsTheTask(t *testing.T) {
	h := fastHarness(t, sim.Options{})
	src := h.song("[Verse]\nWinter is here")
	h.sim.Inject(sim.Fault{Path: "/cdn/" + src.ID + ".wav", Kind: sim.FaultBadGateway, Times: -1})
	task, _, err := h.eng.WAV(bg, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	final := h.wait(task.ID)
	if final.Status != store.TaskFailed || !strings.Contains(final.Error, "could not be downloaded") {
		t.Fatalf("task: %+v", final)
	}
	c, _ := h.st.Clip(src.ID)
	base, _ := SafePath(h.eng.SongsDir(), src.ID)
	if c.WAVPath != "" || fileExists(base+".wav") || fileExists(base+".wav.part") {
		t.Fatalf("a failed download left %q", c.WAVPath)
	}
}

func TestTimingIsFetchedOnceAndKept(t *testing.T) {
	h := fastHarness(t, sim.Options{})
	src := h.song("[Verse]\nWinter is here\nSnow falls down\n\n[Chorus]\n冬天的夜")
	if h.eng.HasTiming(src.ID) {
		t.Fatal("timing before asking")
	}
	words, err := h.eng.Timing(bg, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(words) != 7 || !strings.HasPrefix(words[0].Word, "[Verse]\n") || words[0].Start <= 0 {
		t.Fatalf("words: %+v", words)
	}
	again, err := h.eng.Timing(bg, src.ID)
	if err != nil || len(again) != len(words) || again[3] != words[3] {
		t.Fatalf("stored copy: %v %v", again, err)
	}
	if n := len(h.rec.matching("GET", "/suno/act/timing/")); n != 1 {
		t.Errorf("%d timing requests, want 1", n)
	}
	l := SyncedLyrics(words)
	if got := l.Text(); got != "Winter is here\nSnow falls down\n\n冬天的夜\n" {
		t.Errorf("synced lyrics:\n%s", got)
	}
	if p := l.At(words[4].Start + 0.01); p.Line != 1 || p.Word != 1 {
		t.Errorf("position in the second line: %+v", p)
	}
}

func TestPeaksAreComputedAfterDownload(t *testing.T) {
	h := fastHarness(t, sim.Options{})
	sub := h.eng.Subscribe()
	defer sub.Close()
	ready := map[string]bool{}
	got := make(chan struct{})
	go func() {
		for ev := range sub.C() {
			if ev.Kind == PeaksReady {
				ready[ev.Clip.ID] = true
				if len(ready) == 2 {
					close(got)
					return
				}
			}
		}
	}()
	src := h.song("[Verse]\nWinter is here")
	select {
	case <-got:
	case <-time.After(20 * time.Second):
		t.Fatal("no PeaksReady for both clips")
	}
	p, ok := h.eng.Peaks(src.ID)
	if !ok || len(p) != PeakCount {
		t.Fatalf("Peaks: %d %v", len(p), ok)
	}
	var peak float32
	for _, v := range p {
		if v < 0 || v > 1 {
			t.Fatalf("peak out of range: %v", v)
		}
		peak = max(peak, v)
	}
	if peak < 0.05 {
		t.Errorf("a song with sound has a flat waveform (max %v)", peak)
	}
	// The same waveform from the WAV: decoded the other way, it must agree.
	wt, _, _ := h.eng.WAV(bg, src.ID)
	h.wait(wt.ID)
	c, _ := h.st.Clip(src.ID)
	fromWAV, err := ComputePeaks(bg, c.WAVPath, PeakCount)
	if err != nil || len(fromWAV) != PeakCount {
		t.Fatalf("wav peaks: %d %v", len(fromWAV), err)
	}
	diff := 0.0
	for i := range p {
		diff += math.Abs(float64(p[i] - fromWAV[i]))
	}
	if diff/PeakCount > 0.02 {
		t.Errorf("mp3 and wav waveforms differ by %.3f on average", diff/PeakCount)
	}
	if _, err := ComputePeaks(bg, c.CoverPath, 10); err == nil {
		t.Error("a PNG decoded as audio")
	}
	if _, ok := h.eng.Peaks("no-such-clip"); ok {
		t.Error("peaks of nothing")
	}
}

// On a stock new-api relay every extended action says "unsupported" and leaves nothing behind;
// once one has, covers, replaced sections and persona songs are refused before anything is
// sent (the relay would silently make ordinary songs of them).
func TestUnsupportedRelay(t *testing.T) {
	h := fastHarness(t, sim.Options{RejectExtended: true})
	src := h.song("[Verse]\nWinter is here")
	if s := h.eng.ExtendedSupport(); s.Known {
		t.Fatalf("support known before any extended call: %+v", s)
	}
	// Extending is plain new-api (continue fields), so it works there.
	_, ext := h.done(h.eng.Extend(bg, src.ID, 2, "[Verse]\nmore", "", "", ""))
	tasksBefore, _ := h.st.Tasks(0)
	submits := len(h.rec.matching("POST", "/suno/submit/music"))

	unsupported := func(name string, err error) {
		t.Helper()
		if !errors.Is(err, client.ErrUnsupported) || !strings.Contains(err.Error(), "does not support") {
			t.Errorf("%s: %v", name, err)
		}
	}
	unsupported("full song", second(h.eng.FullSong(bg, ext[0].ID)))
	if s := h.eng.ExtendedSupport(); !s.Known || s.Extended || s.Op != string(client.OpConcat) {
		t.Errorf("support after concat: %+v", s)
	}
	unsupported("stems", second(h.eng.Stems(bg, src.ID)))
	_, _, err := h.eng.WAV(bg, src.ID)
	unsupported("wav", err)
	_, _, err = h.eng.MP4(bg, src.ID)
	unsupported("mp4", err)
	unsupported("timing", second(h.eng.Timing(bg, src.ID)))
	unsupported("persona", second(h.eng.CreatePersona(bg, src.ID, "Voice", "")))
	unsupported("upload", second(h.eng.Upload(bg, "https://example.com/a.mp3")))
	_, _, err = h.eng.CoverURL(bg, "https://example.com/a.mp3", CraftOptions{})
	unsupported("cover by url", err)
	unsupported("cover", second(h.eng.Cover(bg, src.ID, CraftOptions{Tags: "jazz"})))
	unsupported("replace", second(h.eng.ReplaceSection(bg, src.ID, 1, 2, CraftOptions{Lyrics: "x"})))
	unsupported("persona song", second(h.eng.GenerateWithPersona(bg, "p", src.ID, CraftOptions{Tags: "x"})))

	if after, _ := h.st.Tasks(0); len(after) != len(tasksBefore) {
		t.Errorf("unsupported actions left %d tasks", len(after)-len(tasksBefore))
	}
	if n := len(h.rec.matching("POST", "/suno/submit/music")); n != submits {
		t.Errorf("%d music submits reached a relay known to drop the extended fields", n-submits)
	}
	if ps, _ := h.st.Personas(); len(ps) != 0 || h.eng.HasTiming(src.ID) {
		t.Error("persona or timing recorded")
	}
	if c, _ := h.st.Clip(src.ID); c.WAVPath != "" || c.MP4Path != "" {
		t.Error("asset paths recorded")
	}
}

// Before the relay has shown what it is, a cover on a stock relay cannot be told from one on a
// full relay: it goes through and comes back an ordinary song. This test pins that limit.
func TestCoverOnAnUnknownStockRelayGoesThrough(t *testing.T) {
	h := fastHarness(t, sim.Options{RejectExtended: true})
	src := h.song("[Verse]\nWinter is here")
	task, err := h.eng.Cover(bg, src.ID, CraftOptions{Tags: "jazz"})
	if err != nil {
		t.Fatalf("cover on an unknown relay: %v", err)
	}
	h.done(task, nil)
}

func TestGoAmzRefusesCraftModesLocally(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 10 * time.Millisecond}, client.DialectGoAmz, Options{})
	task, err := h.eng.Submit(bg, client.MusicRequest{Mode: client.ModeCustom, Lyrics: "[Verse]\nx", Title: "T"}, SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h.wait(task.ID)
	clips, _ := h.st.ClipsOfTask(task.ID)
	if _, err := h.eng.Cover(bg, clips[0].ID, CraftOptions{Tags: "jazz"}); !errors.Is(err, client.ErrUnsupported) {
		t.Errorf("cover on goamz: %v", err)
	}
	if _, err := h.eng.Stems(bg, clips[0].ID); !errors.Is(err, client.ErrUnsupported) {
		t.Errorf("stems on goamz: %v", err)
	}
	if all, _ := h.st.Tasks(0); len(all) != 1 {
		t.Errorf("%d tasks", len(all))
	}
	if s := h.eng.ExtendedSupport(); s.Known {
		t.Errorf("a dialect without the endpoints says nothing about the relay: %+v", s)
	}
}

// sim:fail in the words makes the relay fail the task; it is recorded failed, with the reason,
// and its clips are not downloaded.
func TestFailedCraftTasks(t *testing.T) {
	h := fastHarness(t, sim.Options{})
	src := h.song("[Verse]\nWinter is here")
	for name, mk := range map[string]func() (*store.Task, error){
		"extend": func() (*store.Task, error) { return h.eng.Extend(bg, src.ID, 2, "sim:fail", "", "", "") },
		"cover":  func() (*store.Task, error) { return h.eng.Cover(bg, src.ID, CraftOptions{Tags: "sim:fail"}) },
		"replace": func() (*store.Task, error) {
			return h.eng.ReplaceSection(bg, src.ID, 1, 2, CraftOptions{Title: "sim:fail"})
		},
	} {
		task, err := mk()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		final := h.wait(task.ID)
		if final.Status != store.TaskFailed || final.Error == "" {
			t.Errorf("%s: %+v", name, final)
		}
		clips, _ := h.st.ClipsOfTask(task.ID)
		for _, c := range clips {
			if c.Status != store.ClipFailed || c.LocalPath != "" || c.ParentID != src.ID {
				t.Errorf("%s clip: %+v", name, c)
			}
		}
	}
}

// A WAV download that lands after its song was deleted leaves no file behind, and a job for a
// file already recorded on the clip does not download it again (the tracker may poll the task
// once more between the file's arrival and the task's end).
func TestAssetDownloadRacesWithDelete(t *testing.T) {
	h := fastHarness(t, sim.Options{})
	src := h.song("[Verse]\nWinter is here")
	task, _, err := h.eng.WAV(bg, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if final := h.wait(task.ID); final.Status != store.TaskSucceeded {
		t.Fatalf("wav task: %+v", final)
	}
	c, _ := h.st.Clip(src.ID)
	n := len(h.rec.matching("GET", ".wav"))
	path, err := h.eng.fetchAsset(bg, assetJob{task: task.ID, clip: src.ID, kind: client.KindWAV, url: "http://127.0.0.1:9/never.wav"})
	if err != nil || path != c.WAVPath || len(h.rec.matching("GET", ".wav")) != n {
		t.Errorf("a recorded WAV was fetched again: %q %v", path, err)
	}

	// The clip is deleted while a second job's file is on its way; the file arrives after.
	late := c.WAVPath + ".late"
	if err := os.WriteFile(late, []byte("RIFF"), 0o644); err != nil {
		t.Fatal(err)
	}
	t2 := &store.Task{ID: "local-wav-2", Kind: "wav", Status: store.TaskRunning, CreatedAt: h.eng.now()}
	if err := h.st.PutTask(t2); err != nil {
		t.Fatal(err)
	}
	if err := h.eng.DeleteClip(src.ID); err != nil {
		t.Fatal(err)
	}
	h.eng.assets.finish(assetJob{task: t2.ID, clip: src.ID, kind: client.KindWAV}, late)
	if fileExists(late) {
		t.Error("the late file of a deleted song was kept")
	}
	if got, _ := h.st.Task(t2.ID); got.Status != store.TaskFailed || got.Error != storedClipGone {
		t.Errorf("task after a late file: %+v", got)
	}
}

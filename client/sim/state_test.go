package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// logSink collects Logf lines.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *logSink) Logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logSink) has(sub string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.lines {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// fetchBody is the raw GET /suno/fetch/{id} body with the host replaced, to compare two
// simulators' answers byte for byte.
func fetchBody(t *testing.T, s *Sim, id string) string {
	t.Helper()
	r := call(t, s, "GET", "/suno/fetch/"+id, nil)
	if r.status != 200 {
		t.Fatalf("fetch %s: %d %s", id, r.status, r.body)
	}
	return strings.ReplaceAll(string(r.body), s.URL(), "HOST")
}

func clipIDs(t *testing.T, task map[string]any) []string {
	var ids []string
	for _, c := range clipsOf(t, task) {
		ids = append(ids, c["id"].(string))
	}
	return ids
}

func TestStateFileSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "demo", "sim-state.json") // the directory does not exist yet
	clk := newClock()
	opts := Options{StageTime: time.Second, StateFile: path, Now: clk.Now}
	s1 := startSim(t, opts)

	song := submitMusic(t, s1, map[string]any{"prompt": "[Verse]\nkeep me\n[Chorus]\nsafe", "title": "Kept", "tags": "rock", "mv": "chirp-v4"})
	lyr := call(t, s1, "POST", "/suno/submit/lyrics", map[string]any{"prompt": "a song to remember"}).json(t)["data"].(string)
	never := submitMusic(t, s1, map[string]any{"gpt_description_prompt": "forever sim:never"})
	clk.Add(10 * time.Second)
	clips := clipIDs(t, fetchTask(t, s1, song))
	ext := submitMusic(t, s1, map[string]any{"prompt": "[Bridge]\nmore", "task_id": song, "continue_clip_id": clips[0], "continue_at": 2.5})
	up := call(t, s1, "POST", "/suno/uploads/audio-url", map[string]any{"url": "https://example.com/old.mp3"}).json(t)["data"].(string)
	var persona struct{ ID string }
	if err := json.Unmarshal(call(t, s1, "POST", "/suno/persona/create/", map[string]any{"root_clip_id": clips[0], "name": "Keeper"}).body, &persona); err != nil || persona.ID == "" {
		t.Fatalf("persona: %v", err)
	}
	stems := call(t, s1, "GET", "/suno/act/stems/"+clips[1], nil).json(t)["clips"].([]any)
	stem := stems[0].(map[string]any)["id"].(string)
	wav := call(t, s1, "GET", "/suno/act/wav/"+clips[0], nil).json(t)["data"].(string)
	s1.Complete(never)
	clk.Add(10 * time.Second)
	extClips := clipIDs(t, fetchTask(t, s1, ext))
	concat := call(t, s1, "POST", "/suno/submit/concat", map[string]any{"clip_id": extClips[0]}).json(t)["data"].(string)
	clk.Add(10 * time.Second)
	// A task still running when the simulator stops.
	late := submitMusic(t, s1, map[string]any{"gpt_description_prompt": "a song submitted just before the restart"})
	clk.Add(1500 * time.Millisecond)
	if st := fetchTask(t, s1, late)["status"]; st != "QUEUED" {
		t.Fatalf("late task before restart: %v", st)
	}
	concatClips := clipIDs(t, fetchTask(t, s1, concat))

	ids := []string{song, lyr, never, ext, up, stem, wav, concat}
	before := map[string]string{}
	for _, id := range ids {
		before[id] = fetchBody(t, s1, id)
	}
	audio := map[string][]byte{}
	for _, c := range append(append(append(clips, extClips...), concatClips...), up, stem) {
		r := get(t, s1.URL()+"/cdn/"+c+".mp3")
		if r.status != 200 || len(r.body) < 1000 {
			t.Fatalf("mp3 of %s before restart: %d", c, r.status)
		}
		audio[c] = r.body
	}
	wavBody := get(t, s1.URL()+"/cdn/"+clips[0]+".wav").body
	usage := call(t, s1, "GET", "/v1/dashboard/billing/usage", nil).json(t)["total_usage"]
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 || entries[0].Name() != "sim-state.json" {
		t.Fatalf("state dir holds %v (temp files left?)", entries)
	}

	// Another simulator, other options that do not touch the records (a different song
	// length must not change existing songs).
	opts.SongSeconds = 20
	logs := &logSink{}
	opts.Logf = logs.Logf
	s2 := startSim(t, opts)
	if !logs.has("restored") {
		t.Fatalf("no restore log: %v", logs.lines)
	}
	for _, id := range ids {
		if got := fetchBody(t, s2, id); got != before[id] {
			t.Fatalf("task %s differs after the restart:\nbefore %s\nafter  %s", id, before[id], got)
		}
	}
	for c, want := range audio {
		r := get(t, s2.URL()+"/cdn/"+c+".mp3")
		if r.status != 200 || !bytes.Equal(r.body, want) {
			t.Fatalf("mp3 of %s after restart: %d, same bytes %v", c, r.status, bytes.Equal(r.body, want))
		}
	}
	if r := get(t, s2.URL()+"/cdn/"+clips[0]+".wav"); r.status != 200 || !bytes.Equal(r.body, wavBody) {
		t.Fatalf("wav after restart: %d", r.status)
	}
	if got := call(t, s2, "GET", "/v1/dashboard/billing/usage", nil).json(t)["total_usage"]; got != usage {
		t.Fatalf("usage %v after restart, %v before", got, usage)
	}
	// The late task carries on from where it was: queued, then complete on schedule.
	if st := fetchTask(t, s2, late)["status"]; st != "QUEUED" {
		t.Fatalf("late task right after restart: %v", st)
	}
	clk.Add(2 * time.Second) // 3.5s after its submit: clip 1 complete, clip 2 streaming
	if st := fetchTask(t, s2, late)["status"]; st != "IN_PROGRESS" {
		t.Fatalf("late task at 3.5s: %v", st)
	}
	clk.Add(time.Second)
	if st := fetchTask(t, s2, late)["status"]; st != "SUCCESS" {
		t.Fatalf("late task at 4.5s: %v", st)
	}
	// Restored records are usable: the persona, the upload and the extension chain.
	pz := submitMusic(t, s2, map[string]any{"task": "artist_consistency", "persona_id": persona.ID, "artist_clip_id": clips[0], "prompt": "x"})
	cv := submitMusic(t, s2, map[string]any{"task": "cover", "cover_clip_id": up, "tags": "jazz"})
	clk.Add(10 * time.Second)
	for _, id := range []string{pz, cv} {
		if st := fetchTask(t, s2, id)["status"]; st != "SUCCESS" {
			t.Fatalf("task on restored records: %v", st)
		}
	}
	// And the new tasks reach the file too.
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	s3 := startSim(t, Options{StageTime: time.Second, StateFile: path, Now: clk.Now})
	if st := fetchTask(t, s3, cv)["status"]; st != "SUCCESS" {
		t.Fatalf("third generation: %v", st)
	}
}

func TestStateFileCorruptOrMissing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"garbage":    "{not json",
		"truncated":  `{"version":1,"usage_cents":100,"tasks":[{"id":"a","kind":"mus`,
		"version":    `{"version":99,"usage_cents":100}`,
		"wrong type": `{"version":1,"tasks":"nope"}`,
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".json")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		logs := &logSink{}
		s := startSim(t, Options{StateFile: path, Logf: logs.Logf})
		if !logs.has("starting empty") {
			t.Fatalf("%s: no log line: %v", name, logs.lines)
		}
		if u := call(t, s, "GET", "/v1/dashboard/billing/usage", nil).json(t)["total_usage"]; u != 0.0 {
			t.Fatalf("%s: usage %v", name, u)
		}
		// The next change replaces the broken file with a good one.
		id := submitMusic(t, s, map[string]any{"gpt_description_prompt": "a fresh start"})
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s2 := startSim(t, Options{StateFile: path})
		fetchTask(t, s2, id)
	}
	// A missing file is an empty store, and nothing is written until something changes.
	path := filepath.Join(dir, "none", "state.json")
	s := startSim(t, Options{StateFile: path})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a state file was written without a change: %v", err)
	}
}

func TestStateFileInconsistentRecords(t *testing.T) {
	t.Parallel()
	// Valid JSON, broken references: whatever can be kept is kept, the rest is dropped, and
	// no handler panics on what remains.
	doc := `{"version":1,"usage_cents":-5,
 "clips":[
  {"id":"c1","task":"t1","created":"2025-05-01T12:00:00Z","type":"gen","seed":"a","title":"One","parent":"c1","source":"c9"},
  {"id":"c2","task":"gone","created":"2025-05-01T12:00:00Z","type":"gen","seed":"b"},
  {"id":"c3","created":"2025-05-01T12:00:00Z","type":"stem","seed":"c","source":"c2"},
  {"id":"c4","created":"2025-05-01T12:00:00Z","type":"weird","seed":"d"},
  {"id":"c5","task":"t1","index":1,"created":"2025-05-01T12:00:00Z","type":"gen","seed":"e","parent":"c6"},
  {"id":"c6","task":"t1","created":"2025-05-01T12:00:00Z","type":"gen","seed":"f","parent":"c5"},
  {"id":"","type":"gen"}
 ],
 "tasks":[
  {"id":"t1","kind":"music","submitted":"2025-05-01T12:00:00Z","clips":["c1","c5","c6","c404"]},
  {"id":"t2","kind":"lyrics","submitted":"2025-05-01T12:00:00Z"},
  {"id":"t3","kind":"wav","submitted":"2025-05-01T12:00:00Z","ref":"c2"},
  {"id":"t4","kind":"dance","submitted":"2025-05-01T12:00:00Z"},
  {"id":"t5","kind":"music","submitted":"2025-05-01T12:00:00Z","fate":42,"clips":["c1"]},
  {"id":"t6","kind":"mp4","submitted":"2025-05-01T12:00:00Z","ref":"c1"}
 ],
 "personas":[{"id":"p1","name":"x","root":"c404"},{"id":"p2","name":"y","root":"c1","clips":["c404"]}],
 "wav_jobs":["c404","c1"]}`
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startSim(t, Options{StateFile: path})
	tk := fetchTask(t, s, "t1")
	if ids := clipIDs(t, tk); len(ids) != 3 || tk["status"] != "SUCCESS" {
		t.Fatalf("t1: %v %v", ids, tk["status"])
	}
	for _, c := range []string{"c1", "c5", "c6", "c3"} {
		if r := get(t, s.URL()+"/cdn/"+c+".mp3"); r.status != 200 {
			t.Fatalf("mp3 of %s: %d", c, r.status)
		}
	}
	for _, id := range []string{"t2", "t3", "t4", "t5", "c2", "c4"} {
		if r := call(t, s, "GET", "/suno/fetch/"+id, nil); r.status != 400 {
			t.Fatalf("%s should have been dropped: %d %s", id, r.status, r.body)
		}
	}
	if r := call(t, s, "GET", "/suno/fetch/t6", nil); r.status != 200 {
		t.Fatalf("t6: %d %s", r.status, r.body)
	}
	// The stem lost its source (c2 belonged to a missing task) but is still served.
	if r := call(t, s, "GET", "/suno/fetch/c3", nil); r.status != 200 {
		t.Fatalf("c3: %d", r.status)
	}
	if u := call(t, s, "GET", "/v1/dashboard/billing/usage", nil).json(t)["total_usage"]; u != 0.0 {
		t.Fatalf("negative usage restored: %v", u)
	}
	submitMusic(t, s, map[string]any{"task": "artist_consistency", "persona_id": "p2", "prompt": "x"})
	if r := call(t, s, "POST", "/suno/submit/music", map[string]any{"task": "artist_consistency", "persona_id": "p1", "prompt": "x"}); r.status != 400 {
		t.Fatalf("persona with a missing root kept: %d", r.status)
	}
	if r := call(t, s, "POST", "/suno/submit/concat", map[string]any{"clip_id": "c5"}); r.status != 200 {
		t.Fatalf("concat over a parent loop: %d %s", r.status, r.body)
	}
}

func TestStateFileSavesWithoutClose(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	s := startSim(t, Options{StateFile: path})
	id := submitMusic(t, s, map[string]any{"gpt_description_prompt": "autosave"})
	deadline := time.Now().Add(5 * time.Second)
	for {
		data, err := os.ReadFile(path)
		if err == nil && bytes.Contains(data, []byte(id)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the change was not saved within 5s (err %v)", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A burst of changes is one or a few writes, each a complete JSON document.
	for i := 0; i < 20; i++ {
		submitMusic(t, s, map[string]any{"gpt_description_prompt": fmt.Sprint("burst ", i)})
		data, err := os.ReadFile(path)
		if err != nil || !json.Valid(data) {
			t.Fatalf("the state file is not a whole document mid-burst: %v", err)
		}
	}
	if err := s.SaveState(); err != nil {
		t.Fatal(err)
	}
	var doc stateDoc
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.Tasks) != 21 || doc.Usage != 2100 {
		t.Fatalf("after SaveState: %d tasks, usage %d, %v", len(doc.Tasks), doc.Usage, err)
	}
}

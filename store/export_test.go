package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// richLibrary fills a store with every kind of record.
func richLibrary(t *testing.T, s *Store) {
	t.Helper()
	for i := 0; i < 12; i++ {
		tk := &Task{ID: fmt.Sprintf("t%02d", i), Kind: "music", Status: []string{TaskSucceeded, TaskRunning, TaskFailed}[i%3],
			Request: []byte(`{"prompt":"夜"}`), BatchKey: fmt.Sprintf("b:%d", i), CreatedAt: at(i * 10), Deadline: at(i*10 + 60)}
		var clips []*Clip
		for j := 0; j < 2; j++ {
			c := clip(fmt.Sprintf("t%02d-c%d", i, j), i*10+j)
			c.TaskID, c.Title, c.Lyrics, c.Tags = tk.ID, fmt.Sprintf("夜 %d/%d 🌙", i, j), "歌词\nline \"quoted\"", "国风"
			c.LocalPath = filepath.Join(s.Dir(), "clips", c.ID+".mp3")
			if i%4 == 1 {
				c.Download = DownloadPending
			}
			if i > 0 && j == 1 {
				c.ParentID, c.Derivation = fmt.Sprintf("t%02d-c0", i-1), DeriveCover
			}
			tk.ClipIDs = append(tk.ClipIDs, c.ID)
			clips = append(clips, c)
		}
		must(t, s.PutTaskAndClips(tk, clips))
	}
	must(t, s.SetFavorite("t03-c1", true))
	must(t, s.Rename("t04-c0", "renamed"))
	must(t, s.SaveDraft(Draft{Name: "current", Title: "夜", Tags: "pop", Text: "第一行"}))
	must(t, s.SaveDraft(Draft{Name: "idea", Text: "la"}))
	must(t, s.SetSetting("theme", "nord"))
}

type snapshot struct {
	Tasks  []*Task
	Clips  []*Clip
	Drafts []Draft
}

func contents(t *testing.T, s *Store) snapshot {
	t.Helper()
	tasks, err := s.Tasks(0)
	must(t, err)
	p, err := s.Clips(Query{})
	must(t, err)
	drafts, err := s.Drafts()
	must(t, err)
	return snapshot{tasks, p.Clips, drafts}
}

func exportOf(t *testing.T, s *Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	must(t, s.Export(&buf))
	return buf.Bytes()
}

func TestExportImportRoundTrip(t *testing.T) {
	a := newStore(t)
	richLibrary(t, a)
	doc := exportOf(t, a)

	var head struct {
		Format     string            `json:"format"`
		Version    int               `json:"version"`
		ExportedAt string            `json:"exported_at"`
		Tasks      []json.RawMessage `json:"tasks"`
		Clips      []json.RawMessage `json:"clips"`
		Drafts     []json.RawMessage `json:"drafts"`
	}
	must(t, json.Unmarshal(doc, &head))
	if head.Format != "sunostudio-library" || head.Version != 1 || head.ExportedAt == "" ||
		len(head.Tasks) != 12 || len(head.Clips) != 24 || len(head.Drafts) != 2 {
		t.Fatalf("export header: %+v", head)
	}
	if bytes.Contains(doc, []byte("nord")) {
		t.Fatal("settings were exported")
	}

	b := newStore(t)
	st, err := b.Import(bytes.NewReader(doc))
	must(t, err)
	if st != (ImportStats{TasksAdded: 12, ClipsAdded: 24, DraftsAdded: 2}) {
		t.Fatalf("stats = %+v", st)
	}
	ca, cb := contents(t, a), contents(t, b)
	if !reflect.DeepEqual(ca, cb) {
		t.Fatalf("round trip differs:\n%+v\n%+v", ca, cb)
	}
	// The indexes of the imported library are built too.
	for name, f := range map[string]func(*Store) (any, error){
		"unfinished": func(s *Store) (any, error) { return s.UnfinishedTasks() },
		"downloads":  func(s *Store) (any, error) { return s.ClipsNeedingDownload() },
		"children":   func(s *Store) (any, error) { return s.Children("t05-c0") },
		"favourites": func(s *Store) (any, error) { return s.Clips(Query{Favorite: true}) },
		"text":       func(s *Store) (any, error) { return s.Clips(Query{Text: "夜 7/", Sort: SortTitle}) },
		"batch":      func(s *Store) (any, error) { return s.TaskByBatchKey("b:7") },
		"count":      func(s *Store) (any, error) { return s.Count() },
	} {
		x, err := f(a)
		must(t, err)
		y, err := f(b)
		must(t, err)
		if !reflect.DeepEqual(x, y) {
			t.Errorf("%s differs after import: %v vs %v", name, x, y)
		}
	}
	if ok, _ := b.Setting("theme", new(string)); ok {
		t.Fatal("a setting arrived through import")
	}

	// Again: nothing new, everything skipped.
	st, err = b.Import(bytes.NewReader(doc))
	must(t, err)
	if st != (ImportStats{TasksSkipped: 12, ClipsSkipped: 24, DraftsSkipped: 2}) {
		t.Fatalf("second import stats = %+v", st)
	}
	if !reflect.DeepEqual(contents(t, b), cb) {
		t.Fatal("second import changed the library")
	}
	// Re-exporting the copy gives the same records.
	if e1, e2 := stripExportedAt(doc), stripExportedAt(exportOf(t, b)); !bytes.Equal(e1, e2) {
		t.Fatal("export of the imported library differs")
	}
}

func stripExportedAt(doc []byte) []byte {
	i := bytes.Index(doc, []byte(`"exported_at":`))
	j := bytes.IndexByte(doc[i:], '\n')
	return append(append([]byte{}, doc[:i]...), doc[i+j:]...)
}

func TestImportMergesExistingRecordsWin(t *testing.T) {
	a := newStore(t)
	richLibrary(t, a)
	doc := exportOf(t, a)
	b := newStore(t)
	c := clip("t00-c0", 0)
	c.Title = "mine"
	must(t, b.PutClip(c))
	must(t, b.SaveDraft(Draft{Name: "current", Text: "my draft"}))
	st, err := b.Import(bytes.NewReader(doc))
	must(t, err)
	if st.ClipsAdded != 23 || st.ClipsSkipped != 1 || st.DraftsAdded != 1 || st.DraftsSkipped != 1 {
		t.Fatalf("stats = %+v", st)
	}
	if got, _ := b.Clip("t00-c0"); got.Title != "mine" {
		t.Fatal("import overwrote an existing clip")
	}
	if d, _ := b.Draft("current"); d.Text != "my draft" {
		t.Fatal("import overwrote an existing draft")
	}
}

func TestImportMalformedWritesNothing(t *testing.T) {
	a := newStore(t)
	richLibrary(t, a)
	doc := string(exportOf(t, a))
	firstClip := strings.Index(doc, `{"v":1,"id":"t00-c0"`)
	if firstClip < 0 {
		t.Fatal("fixture export changed shape")
	}
	replaceInClip := func(old, new string) string {
		return doc[:firstClip] + strings.Replace(doc[firstClip:], old, new, 1)
	}
	cases := map[string]struct{ doc, want string }{
		"truncated":         {doc[:len(doc)*2/3], "truncated document"},
		"cut in header":     {doc[:20], "truncated"},
		"wrong format":      {strings.Replace(doc, "sunostudio-library", "other-app", 1), `format "other-app"`},
		"no format":         {strings.Replace(doc, `"format":"sunostudio-library",`, "", 1), "no format tag"},
		"future version":    {strings.Replace(doc, `"version":1`, `"version":99`, 1), "version 99"},
		"empty clip id":     {replaceInClip(`"id":"t00-c0"`, `"id":""`), "clips[0]"},
		"control in id":     {replaceInClip(`"id":"t00-c0"`, `"id":"a\u001bb"`), "clips[0]"},
		"relative path":     {replaceInClip(`"local_path":"`, `"local_path":"rel/`), "clips[0]"},
		"no created_at":     {replaceInClip(`"created_at":"2025-01-01T00:00:00Z"`, `"x":1`), "created_at missing"},
		"bad type":          {replaceInClip(`"duration":60`, `"duration":"long"`), "clips[0]"},
		"empty task id":     {strings.Replace(doc, `"task_id":"t00","kind"`, `"task_id":"","kind"`, 1), "tasks[0]"},
		"empty draft name":  {strings.Replace(doc, `"name":"current"`, `"name":""`, 1), "drafts["},
		"tasks not array":   {strings.Replace(doc, `"tasks":[`, `"tasks":{"a":[`, 1), "tasks"},
		"trailing garbage":  {doc + "{}", "after the document"},
		"not json":          {"<html>502 Bad Gateway</html>", "document"},
		"empty":             {"", "truncated"},
		"array":             {"[]", "expected"},
		"null":              {"null", "expected"},
		"deep nesting":      {`{"format":"sunostudio-library","x":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "}", "max depth"},
		"last record wrong": {strings.Replace(doc, `"name":"idea"`, `"name":"\u0000"`, 1), "drafts[1]"},
	}
	for name, tc := range cases {
		b := newStore(t)
		st, err := b.Import(strings.NewReader(tc.doc))
		if err == nil {
			t.Errorf("%s: imported (%+v)", name, st)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q does not say %q", name, err, tc.want)
		}
		if n, _ := b.Count(); n != 0 {
			t.Errorf("%s: %d clips written", name, n)
		}
		if tasks, _ := b.Tasks(0); len(tasks) != 0 {
			t.Errorf("%s: %d tasks written", name, len(tasks))
		}
		if d, _ := b.Drafts(); len(d) != 0 {
			t.Errorf("%s: %d drafts written", name, len(d))
		}
		if st != (ImportStats{}) {
			t.Errorf("%s: stats %+v", name, st)
		}
		// The spool file is gone.
		if m, _ := filepath.Glob(filepath.Join(b.Dir(), ".import-*")); len(m) != 0 {
			t.Errorf("%s: spool left behind: %v", name, m)
		}
	}
}

func TestImportBounded(t *testing.T) {
	a := newStore(t)
	richLibrary(t, a)
	doc := exportOf(t, a)
	defer func(n int64) { maxImportSize = n }(maxImportSize)

	maxImportSize = int64(len(doc)) // exactly at the limit: fine
	b := newStore(t)
	if _, err := b.Import(bytes.NewReader(doc)); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
	maxImportSize = int64(len(doc)) - 1
	c := newStore(t)
	_, err := c.Import(bytes.NewReader(doc))
	if !errors.Is(err, errTooLarge) || !strings.Contains(err.Error(), "larger than the import limit") {
		t.Fatalf("over the limit: %v", err)
	}
	if n, _ := c.Count(); n != 0 {
		t.Fatalf("over the limit: %d clips written", n)
	}
	// An endless stream is cut off at the limit, not read forever.
	maxImportSize = 1 << 20
	_, err = c.Import(io.MultiReader(strings.NewReader(`{"format":"sunostudio-library","x":"`), endless{}))
	if !errors.Is(err, errTooLarge) {
		t.Fatalf("endless: %v", err)
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestExportM3U(t *testing.T) {
	s := newStore(t)
	dir := s.Dir()
	write := func(name string) string {
		p := filepath.Join(dir, "clips", name)
		must(t, os.MkdirAll(filepath.Dir(p), 0o700))
		must(t, os.WriteFile(p, []byte("mp3"), 0o600))
		return p
	}
	a, b, c, d := clip("a", 1), clip("b", 2), clip("c", 3), clip("d", 4)
	a.Title, a.LocalPath, a.Duration = "夜的第七章", write("a.mp3"), 187.6
	b.Title, b.LocalPath = "missing file", filepath.Join(dir, "clips", "b.mp3")
	c.Title, c.LocalPath, c.Duration = "evil\r\n#EXTINF:1,injected\x1b[31m", write("c.mp3"), 0
	d.LocalPath = "" // never downloaded
	for _, x := range []*Clip{a, b, c, d} {
		must(t, s.PutClip(x))
	}
	var buf bytes.Buffer
	must(t, s.ExportM3U(&buf))
	want := "#EXTM3U\n" +
		"#EXTINF:-1,evil  #EXTINF:1,injected [31m\n" + c.LocalPath + "\n" +
		"#EXTINF:188,夜的第七章\n" + a.LocalPath + "\n"
	if buf.String() != want {
		t.Fatalf("m3u:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestExportChunksLargeLibrary(t *testing.T) {
	// More records than one export chunk, to cross the chunk boundaries both ways.
	defer func(n int) { exportChunk = n }(exportChunk)
	exportChunk = 10
	s := newStore(t)
	must(t, GenerateLibrary(s, 2*exportChunk+17, 9))
	doc := exportOf(t, s)
	var head struct{ Clips []json.RawMessage }
	must(t, json.Unmarshal(doc, &head))
	if len(head.Clips) != 2*exportChunk+17 {
		t.Fatalf("exported %d clips", len(head.Clips))
	}
	seen := map[string]bool{}
	must(t, s.chunks(bClips, true, func(k, v []byte) error {
		if seen[string(k)] {
			return fmt.Errorf("key %x twice", k)
		}
		seen[string(k)] = true
		return nil
	}))
	if len(seen) != 2*exportChunk+17 {
		t.Fatalf("reverse chunks saw %d", len(seen))
	}
	b := newStore(t)
	st, err := b.Import(bytes.NewReader(doc))
	must(t, err)
	if st.ClipsAdded != 2*exportChunk+17 {
		t.Fatalf("stats %+v", st)
	}
}

func FuzzImport(f *testing.F) {
	f.Add([]byte(`{"format":"sunostudio-library","version":1,"tasks":[{"task_id":"t","created_at":"2025-01-01T00:00:00Z"}],"clips":[],"drafts":[]}`))
	f.Add([]byte(`{"format":"sunostudio-library","clips":[{"id":"c","created_at":"2025-01-01T00:00:00Z","local_path":"/x"}]}`))
	f.Add([]byte(`{"format":"sunostudio-library","clips":[{"id":"c","created_at":"9999-01-01T00:00:00Z"}]}`))
	f.Add([]byte(`{"format":"x"}`))
	f.Add([]byte(`[1,2`))
	dir := f.TempDir()
	s, err := Open(filepath.Join(dir, "library.db"), OpenOptions{})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	f.Fuzz(func(t *testing.T, doc []byte) {
		before, _ := s.Count()
		st, err := s.Import(bytes.NewReader(doc))
		after, _ := s.Count()
		if err != nil && after != before {
			t.Fatalf("failed import wrote %d clips", after-before)
		}
		if after-before != st.ClipsAdded {
			t.Fatalf("stats %+v, count moved %d", st, after-before)
		}
	})
}

func FuzzCursor(f *testing.F) {
	f.Add("AQEBAQEBAQEBAQEBAQEB", "title")
	f.Add("", "date")
	s, err := Open(filepath.Join(f.TempDir(), "library.db"), OpenOptions{})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 5; i++ {
		if err := s.PutClip(clip(fmt.Sprint(i), i)); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, cursor, sortBy string) {
		for _, asc := range []bool{false, true} {
			s.Clips(Query{Cursor: cursor, Sort: sortBy, Asc: asc, Limit: 2}) // must not panic
		}
	})
}

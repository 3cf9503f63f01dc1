package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
)

func TestClipRoundTrip(t *testing.T) {
	s := newStore(t)
	in := &Clip{ID: "../clip/1", TaskID: "t1", Title: "夜的第七章 🌙", Tags: "国风, pop", Lyrics: "[Verse]\n月亮知道",
		Model: "chirp-v4", Status: ClipStreaming, Duration: 123.45, AudioURL: "https://x/a.mp3",
		LocalPath: filepath.Join(s.Dir(), "clips", "a.mp3"), ParentID: "p0", Derivation: DeriveExtend,
		ContinueAt: 30, CreatedAt: at(5)}
	must(t, s.PutClip(in))
	if in.V != clipVersion || in.UpdatedAt.IsZero() {
		t.Fatalf("PutClip did not stamp: %+v", in)
	}
	got, err := s.Clip(in.ID)
	must(t, err)
	if !reflect.DeepEqual(got, in) {
		t.Fatalf("Clip = %+v\nwant %+v", got, in)
	}
	_, err = s.Clip("missing")
	wantErr(t, err, ErrNotFound)
	if n, _ := s.Count(); n != 1 {
		t.Fatalf("Count = %d", n)
	}
	got.Status = ClipComplete
	must(t, s.PutClip(got))
	if n, _ := s.Count(); n != 1 {
		t.Fatalf("Count after update = %d", n)
	}
}

func TestPutTaskAndClipsAndClipsOfTask(t *testing.T) {
	s := newStore(t)
	tk := &Task{ID: "t1", Status: TaskSucceeded, ClipIDs: []string{"c2", "c1", "missing"}, CreatedAt: at(0)}
	c1, c2 := clip("c1", 1), clip("c2", 2)
	c1.TaskID, c2.TaskID = "t1", "t1"
	must(t, s.PutTaskAndClips(tk, []*Clip{c1, c2}))
	if tk.V != taskVersion || c1.V != clipVersion || c2.UpdatedAt.IsZero() {
		t.Fatal("PutTaskAndClips did not stamp the records")
	}
	extra := clip("c0", 0) // made by the task but not in its ClipIDs (a chat-mode find)
	extra.TaskID = "t1"
	must(t, s.PutClip(extra))
	got, err := s.ClipsOfTask("t1")
	must(t, err)
	if want := []string{"c2", "c1", "c0"}; !slices.Equal(ids(got), want) {
		t.Fatalf("ClipsOfTask = %v, want %v", ids(got), want)
	}
	_, err = s.ClipsOfTask("nope")
	wantErr(t, err, ErrNotFound)

	// One transaction: an invalid clip leaves the task unwritten too.
	bad := &Task{ID: "t2", Status: TaskSucceeded}
	if err := s.PutTaskAndClips(bad, []*Clip{{ID: ""}}); err == nil {
		t.Fatal("accepted an empty clip id")
	}
	_, err = s.Task("t2")
	wantErr(t, err, ErrNotFound)

	// Moving a clip to another task moves the index entry.
	extra.TaskID = "t3"
	must(t, s.PutClip(extra))
	got, _ = s.ClipsOfTask("t1")
	if want := []string{"c2", "c1"}; !slices.Equal(ids(got), want) {
		t.Fatalf("after move: %v", ids(got))
	}
}

func TestNewestEqualTimestamps(t *testing.T) {
	s := newStore(t)
	for _, id := range []string{"b", "a", "c"} {
		must(t, s.PutClip(clip(id, 10)))
	}
	must(t, s.PutClip(clip("old", 1)))
	must(t, s.PutClip(clip("new", 20)))
	got, err := s.Newest(10)
	must(t, err)
	if want := []string{"new", "c", "b", "a", "old"}; !slices.Equal(ids(got), want) {
		t.Fatalf("Newest = %v, want %v", ids(got), want)
	}
	got, _ = s.Newest(2)
	if want := []string{"new", "c"}; !slices.Equal(ids(got), want) {
		t.Fatalf("Newest(2) = %v", ids(got))
	}
	if got, _ := s.Newest(0); len(got) != 0 {
		t.Fatalf("Newest(0) = %v", ids(got))
	}
	p, err := s.Clips(Query{})
	must(t, err)
	if want := []string{"new", "c", "b", "a", "old"}; !slices.Equal(ids(p.Clips), want) || p.Total != 5 {
		t.Fatalf("Clips(date) = %v total %d", ids(p.Clips), p.Total)
	}
}

func TestEdits(t *testing.T) {
	s := newStore(t)
	c := clip("c", 1)
	c.Title = "夜曲"
	must(t, s.PutClip(c))
	must(t, s.SetFavorite("c", true))
	must(t, s.Rename("c", "  My Night  "))
	must(t, s.Rename("c", "Second name"))
	must(t, s.SetNotes("c", "use the second verse"))
	got, _ := s.Clip("c")
	if !got.Favorite || got.Title != "Second name" || got.OriginalTitle != "夜曲" || got.Notes != "use the second verse" {
		t.Fatalf("after edits: %+v", got)
	}
	if !got.UpdatedAt.After(c.UpdatedAt) || !got.CreatedAt.Equal(c.CreatedAt) {
		t.Fatalf("timestamps: %v %v", got.CreatedAt, got.UpdatedAt)
	}
	wantErr(t, s.Rename("c", "   "), ErrInvalid)
	wantErr(t, s.SetFavorite("nope", true), ErrNotFound)
	wantErr(t, s.Rename("nope", "x"), ErrNotFound)
	wantErr(t, s.SetNotes("nope", "x"), ErrNotFound)

	// The search record follows the edits.
	p, _ := s.Clips(Query{Favorite: true})
	if p.Total != 1 {
		t.Fatalf("favourite filter after SetFavorite: %d", p.Total)
	}
	p, _ = s.Clips(Query{Text: "second NAME"})
	if p.Total != 1 {
		t.Fatalf("text filter after Rename: %d", p.Total)
	}
	p, _ = s.Clips(Query{Text: "夜曲"})
	if p.Total != 0 {
		t.Fatalf("old title still matches: %d", p.Total)
	}
	must(t, s.SetFavorite("c", false))
	if p, _ = s.Clips(Query{Favorite: true}); p.Total != 0 {
		t.Fatalf("favourite filter after unset: %d", p.Total)
	}
}

func TestLineage(t *testing.T) {
	s := newStore(t)
	must(t, s.PutClip(clip("root", 0)))
	for i, id := range []string{"ext2", "ext1", "cover"} {
		c := clip(id, 10-i) // written newest first: Children must still be oldest first
		c.ParentID, c.Derivation = "root", DeriveExtend
		must(t, s.PutClip(c))
	}
	grand := clip("grand", 20)
	grand.ParentID = "ext1"
	must(t, s.PutClip(grand))
	got, err := s.Children("root")
	must(t, err)
	if want := []string{"cover", "ext1", "ext2"}; !slices.Equal(ids(got), want) {
		t.Fatalf("Children(root) = %v, want %v", ids(got), want)
	}
	got, _ = s.Children("ext1")
	if want := []string{"grand"}; !slices.Equal(ids(got), want) {
		t.Fatalf("Children(ext1) = %v", ids(got))
	}
	// Re-parenting moves the entry; an id that is a prefix of another does not leak in.
	c, _ := s.Clip("cover")
	c.ParentID = "roo"
	must(t, s.PutClip(c))
	got, _ = s.Children("root")
	if want := []string{"ext1", "ext2"}; !slices.Equal(ids(got), want) {
		t.Fatalf("after re-parent: %v", ids(got))
	}
	if got, _ = s.Children("roo"); !slices.Equal(ids(got), []string{"cover"}) {
		t.Fatalf("Children(roo) = %v", ids(got))
	}
	if got, _ = s.Children("nobody"); len(got) != 0 {
		t.Fatalf("Children(nobody) = %v", ids(got))
	}
}

func TestClipsNeedingDownloadIndex(t *testing.T) {
	s := newStore(t)
	check := func(want ...string) {
		t.Helper()
		got, err := s.ClipsNeedingDownload()
		must(t, err)
		if !slices.Equal(ids(got), want) {
			t.Fatalf("ClipsNeedingDownload = %v, want %v", ids(got), want)
		}
	}
	a, b := clip("a", 1), clip("b", 2)
	a.Status, a.Download = ClipStreaming, DownloadNone
	b.Status, b.Download = ClipQueued, DownloadNone
	must(t, s.PutClip(a))
	must(t, s.PutClip(b))
	check()
	a.Status, a.Download = ClipComplete, DownloadPending
	must(t, s.PutClip(a))
	check("a")
	b.Status = ClipComplete
	must(t, s.PutClip(b))
	check("a", "b")
	a.Download = DownloadActive
	must(t, s.PutClip(a))
	check("a", "b")
	a.Download = DownloadDone
	must(t, s.PutClip(a))
	check("b")
	b.Download = DownloadFailed // gave up: still listed, retried by hand or at the next start
	must(t, s.PutClip(b))
	check("b")
	b.Status = ClipFailed
	must(t, s.PutClip(b))
	check()
}

func TestDeleteClip(t *testing.T) {
	s := newStore(t)
	dir := s.Dir()
	files := []string{filepath.Join(dir, "clips", "x.mp3"), filepath.Join(dir, "covers", "x.jpeg"),
		filepath.Join(dir, "lyrics", "x.txt")}
	for _, f := range files {
		must(t, os.MkdirAll(filepath.Dir(f), 0o700))
		must(t, os.WriteFile(f, []byte("data"), 0o600))
	}
	tk := &Task{ID: "t", Status: TaskSucceeded, ClipIDs: []string{"x", "y"}}
	x, y := clip("x", 1), clip("y", 2)
	x.TaskID, y.TaskID = "t", "t"
	x.LocalPath, x.CoverPath, x.LyricsPath = files[0], files[1], files[2]
	x.WAVPath = filepath.Join(dir, "wav", "never-downloaded.wav") // missing: ignored
	x.Favorite, x.ParentID = true, "y"
	x.Status, x.Download = ClipComplete, DownloadPending
	must(t, s.PutTaskAndClips(tk, []*Clip{x, y}))

	must(t, s.DeleteClip("x"))
	for _, f := range files {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%s still exists: %v", f, err)
		}
	}
	_, err := s.Clip("x")
	wantErr(t, err, ErrNotFound)
	tk, _ = s.Task("t")
	if !slices.Equal(tk.ClipIDs, []string{"y"}) {
		t.Fatalf("task ClipIDs = %v", tk.ClipIDs)
	}
	if n, _ := s.Count(); n != 1 {
		t.Fatalf("Count = %d", n)
	}
	if c, _ := s.Children("y"); len(c) != 0 {
		t.Fatalf("Children still lists the deleted clip")
	}
	if c, _ := s.ClipsNeedingDownload(); len(c) != 0 {
		t.Fatalf("downloads index still lists the deleted clip")
	}
	if p, _ := s.Clips(Query{Favorite: true}); p.Total != 0 {
		t.Fatalf("search index still lists the deleted clip")
	}
	wantErr(t, s.DeleteClip("x"), ErrNotFound)
}

func TestDeleteClipRefusesPathsOutsideLibrary(t *testing.T) {
	s := newStore(t)
	outside := t.TempDir()
	victim := filepath.Join(outside, "precious.txt")
	must(t, os.WriteFile(victim, []byte("keep me"), 0o600))
	inside := filepath.Join(s.Dir(), "clips", "ok.mp3")
	must(t, os.MkdirAll(filepath.Dir(inside), 0o700))
	must(t, os.WriteFile(inside, []byte("x"), 0o600))
	link := filepath.Join(s.Dir(), "link")
	must(t, os.Symlink(outside, link))

	for name, bad := range map[string]string{
		"outside":      victim,
		"dotdot":       filepath.Join(s.Dir(), "..", filepath.Base(outside), "precious.txt"),
		"library db":   s.Path(),
		"the folder":   s.Dir(),
		"sub folder":   filepath.Join(s.Dir(), "clips"),
		"symlink path": filepath.Join(link, "precious.txt"),
	} {
		c := clip("poisoned", 1)
		c.LocalPath, c.CoverPath = inside, bad
		must(t, s.PutClip(c))
		err := s.DeleteClip("poisoned")
		if err == nil {
			t.Fatalf("%s: DeleteClip removed %s", name, bad)
		}
		t.Logf("%s: %v", name, err)
		// Nothing is removed when any path is refused: not the record, not the inside file.
		if _, err := s.Clip("poisoned"); err != nil {
			t.Fatalf("%s: record gone: %v", name, err)
		}
		if _, err := os.Stat(inside); err != nil {
			t.Fatalf("%s: inside file removed although the delete was refused", name)
		}
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "keep me" {
		t.Fatalf("victim touched: %q %v", b, err)
	}
	if _, err := os.Stat(s.Path()); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := newStore(t)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				id := fmt.Sprintf("w%d-%d", w, i)
				if err := s.PutClip(clip(id, w*100+i)); err != nil {
					t.Error(err)
					return
				}
				if _, err := s.Clips(Query{Text: "song", Limit: 5}); err != nil {
					t.Error(err)
					return
				}
				if _, err := s.Newest(3); err != nil {
					t.Error(err)
					return
				}
				if err := s.SetFavorite(id, true); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n, _ := s.Count(); n != 100 {
		t.Fatalf("Count = %d", n)
	}
	if p, _ := s.Clips(Query{Favorite: true}); p.Total != 100 {
		t.Fatalf("favourites = %d", p.Total)
	}
}

func TestDraftsAndSettings(t *testing.T) {
	s := newStore(t)
	must(t, s.SaveDraft(Draft{Name: "current", Title: "夜", Text: "第一行"}))
	must(t, s.SaveDraft(Draft{Name: "older idea", Text: "la la"}))
	must(t, s.SaveDraft(Draft{Name: "current", Title: "夜", Text: "第一行\n第二行"}))
	d, err := s.Draft("current")
	must(t, err)
	if d.Text != "第一行\n第二行" || d.V != draftVersion || d.UpdatedAt.IsZero() {
		t.Fatalf("Draft = %+v", d)
	}
	_, err = s.Draft("nope")
	wantErr(t, err, ErrNotFound)
	all, err := s.Drafts()
	must(t, err)
	if len(all) != 2 || all[0].Name != "current" || all[1].Name != "older idea" {
		t.Fatalf("Drafts = %+v", all)
	}
	wantErr(t, s.SaveDraft(Draft{Name: ""}), ErrInvalid)

	type ui struct {
		Theme string
		Vol   float64
	}
	must(t, s.SetSetting("ui", ui{"dracula", 0.8}))
	var got ui
	ok, err := s.Setting("ui", &got)
	must(t, err)
	if !ok || got != (ui{"dracula", 0.8}) {
		t.Fatalf("Setting = %v %+v", ok, got)
	}
	ok, err = s.Setting("missing", &got)
	if ok || err != nil {
		t.Fatalf("missing setting: %v %v", ok, err)
	}
	if err := s.SetSetting("bad", func() {}); err == nil {
		t.Fatal("SetSetting accepted an unencodable value")
	}
	var n int
	if _, err := s.Setting("ui", &n); err == nil {
		t.Fatal("Setting decoded an object into an int")
	}
}

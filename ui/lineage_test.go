package ui

import (
	"strings"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/store"
	"sunostudio/studio"
)

// seedFamily adds to the golden library a family around clip-a1: an extension that continues
// it at 1:20, a full song joining the two, a cover and two stems of clip-a1, and a replaced
// section of the extension.
func seedFamily(e *env) {
	seedStudio(e)
	put := func(c *store.Clip) {
		if c.Status == "" {
			c.Status = store.ClipComplete
		}
		c.Download, c.LocalPath = store.DownloadDone, "/music/"+c.ID+".mp3"
		mustPut(e.t, e.st.PutClip(c))
	}
	// clip-a1-ext (seedStudio) extends clip-a1; give it a continue point.
	ext, _ := e.st.Clip("clip-a1-ext")
	ext.ContinueAt = 80
	mustPut(e.t, e.st.PutClip(ext))
	full := &store.Task{ID: "task-full", Kind: string(client.KindConcat), Status: store.TaskSucceeded,
		Request: func() []byte {
			b, _ := jsonMarshal(studio.Request{Kind: client.KindConcat, ClipID: "clip-a1-ext", Parts: []string{"clip-a1", "clip-a1-ext"}})
			return b
		}(), ClipIDs: []string{"clip-full"}, CreatedAt: t0.Add(-10 * time.Minute)}
	mustPut(e.t, e.st.PutTask(full))
	put(&store.Clip{ID: "clip-full", TaskID: "task-full", Title: "夏日海风 (full song)", Duration: 322,
		ParentID: "clip-a1-ext", Derivation: store.DeriveConcat, CreatedAt: t0.Add(-9 * time.Minute)})
	put(&store.Clip{ID: "clip-cover", TaskID: "task-cover", Title: "夏日海风 jazz", Duration: 180,
		ParentID: "clip-a1", Derivation: store.DeriveCover, CreatedAt: t0.Add(-8 * time.Minute)})
	put(&store.Clip{ID: "clip-voc", TaskID: "clip-voc", Title: "夏日海风 (Vocals)", Duration: 183,
		ParentID: "clip-a1", Derivation: store.DeriveStem, CreatedAt: t0.Add(-7 * time.Minute)})
	put(&store.Clip{ID: "clip-inst", TaskID: "clip-voc", Title: "夏日海风 (Instrumental)", Duration: 183,
		ParentID: "clip-a1", Derivation: store.DeriveStem, CreatedAt: t0.Add(-7*time.Minute + time.Second)})
	put(&store.Clip{ID: "clip-fix", TaskID: "task-fix", Title: "夏日海风 (new bridge)", Duration: 242,
		ParentID: "clip-a1-ext", Derivation: store.DeriveInfill, CreatedAt: t0.Add(-6 * time.Minute)})
}

// TestLineageMoveThroughFamily: the details list the clip's family from Engine.Family; the
// list keys choose a relative, enter moves the library to it and shows its family, and so on
// up and down the lineage.
func TestLineageMoveThroughFamily(t *testing.T) {
	e := newEnv(t, seedFamily)
	e.load()
	e.size(120, 40)
	e.key("esc", "4")
	e.m.lib.selectID("clip-a1")
	e.key("i")
	s := e.screen()
	for _, want := range []string{"Family", "› this clip     夏日海风 🌊 Summer Breeze", "extension     夏日海风 (extended)",
		"from 1:20", "cover         夏日海风 jazz", "stem          夏日海风 (Vocals)", "stem          夏日海风 (Instrumental)"} {
		if !strings.Contains(s, want) {
			t.Fatalf("family lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "full song     ") {
		t.Fatalf("a grandchild is listed as a child:\n%s", s)
	}
	// The cursor starts on the clip: enter plays it, as in the list.
	e.key("enter")
	if calls := e.pl.Calls(); len(calls) != 1 || calls[0] != "play clip-a1" {
		t.Fatalf("enter on the clip itself: %v", calls)
	}
	// Down to the extension, enter: the library selects it and shows its family.
	e.key("j")
	if !strings.Contains(e.screen(), "enter go to the chosen relative") {
		t.Fatalf("the help does not say what enter does on a relative:\n%s", e.screen())
	}
	e.key("enter")
	if e.m.lib.selectedID() != "clip-a1-ext" || e.m.lib.detail == nil || e.m.lib.detail.c.ID != "clip-a1-ext" {
		t.Fatalf("enter on the extension: selected %s", e.m.lib.selectedID())
	}
	s = e.screen()
	for _, want := range []string{"parent        夏日海风 🌊 Summer Breeze", "› this clip     夏日海风 (extended)",
		"full song     夏日海风 (full song)", "replaced      夏日海风 (new bridge)", "Made by   extend from 1:20"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the extension's family lacks %q:\n%s", want, s)
		}
	}
	// Down to the full song: its parts are listed, first first.
	e.key("j", "enter")
	if e.m.lib.detail.c.ID != "clip-full" {
		t.Fatalf("full song: %s", e.m.lib.detail.c.ID)
	}
	s = e.screen()
	for _, want := range []string{"grandparent   夏日海风 🌊 Summer Breeze", "parent        夏日海风 (extended)",
		"part 1        夏日海风 🌊 Summer Breeze", "part 2        夏日海风 (extended)"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the full song's family lacks %q:\n%s", want, s)
		}
	}
	// Up to the grandparent (the first row): back where it started.
	e.key("g") // top scrolls the text; the cursor moves with k
	for i := 0; i < 3; i++ {
		e.key("k")
	}
	e.key("enter")
	if e.m.lib.selectedID() != "clip-a1" || e.m.lib.detail.c.ID != "clip-a1" {
		t.Fatalf("back to the root: %s", e.m.lib.selectedID())
	}
	// esc closes the details with the library on the clip reached.
	e.key("esc")
	if e.m.lib.detail != nil || e.m.lib.selectedID() != "clip-a1" {
		t.Fatal("esc after moving through the family")
	}
}

// TestLineageJumpClearsFilter: going to a relative the filter hides clears the filter, so
// the library selection can land on it.
func TestLineageJumpClearsFilter(t *testing.T) {
	e := newEnv(t, seedFamily)
	e.load()
	e.size(120, 40)
	e.key("esc", "4", "/")
	e.typeText("jazz")
	e.key("enter", "i")
	if e.m.lib.detail == nil || e.m.lib.detail.c.ID != "clip-cover" {
		t.Fatal("details of the cover")
	}
	e.key("k", "enter") // to its parent
	if e.m.lib.query != "" || e.m.lib.selectedID() != "clip-a1" {
		t.Fatalf("query %q selected %s", e.m.lib.query, e.m.lib.selectedID())
	}
}

// TestLineageRefreshesWhenARelativeArrives: an extension made while the details are open
// appears in the family without reopening them.
func TestLineageRefreshesWhenARelativeArrives(t *testing.T) {
	e := newEnv(t, seedFamily)
	e.load()
	e.size(120, 40)
	e.key("esc", "4")
	e.m.lib.selectID("clip-a1")
	e.key("i")
	c := &store.Clip{ID: "clip-new-ext", TaskID: "task-new", Title: "夏日海风 part 3", Status: store.ClipStreaming,
		ParentID: "clip-a1", Derivation: store.DeriveExtend, CreatedAt: t0}
	mustPut(t, e.st.PutClip(c))
	e.exec(e.send(engineMsg{studio.Event{Kind: studio.ClipUpdated, Clip: c}}))
	if s := e.screen(); !strings.Contains(s, "夏日海风 part 3") || !strings.Contains(s, "streaming") {
		t.Fatalf("the new extension is not in the family:\n%s", s)
	}
}

package store

import (
	"slices"
	"testing"
	"unicode/utf8"
)

func TestGenerateLibrary(t *testing.T) {
	a, b := newStore(t), newStore(t)
	must(t, GenerateLibrary(a, 600, 42))
	must(t, GenerateLibrary(b, 600, 42))
	na, _ := a.Newest(600)
	nb, _ := b.Newest(600)
	if len(na) != 600 || !slices.Equal(ids(na), ids(nb)) {
		t.Fatalf("not deterministic or wrong size: %d clips", len(na))
	}
	fav, cjk := 0, 0
	for _, c := range na {
		if n := utf8.RuneCountInString(c.Lyrics); n < 300 || n > 900 {
			t.Fatalf("lyrics of %d runes", n)
		}
		if c.Favorite {
			fav++
		}
		if len(c.Title) != utf8.RuneCountInString(c.Title) {
			cjk++
		}
	}
	if fav < 10 || fav > 60 || cjk < 200 {
		t.Fatalf("favourites %d, CJK titles %d of 600", fav, cjk)
	}
	tasks, _ := a.Tasks(0)
	if len(tasks) < 300 {
		t.Fatalf("%d tasks", len(tasks))
	}
	if got, _ := a.ClipsOfTask(tasks[0].ID); len(got) == 0 {
		t.Fatal("a generated task has no clips")
	}
	if dl, _ := a.ClipsNeedingDownload(); len(dl) == 0 {
		t.Fatal("no clip waits for its download")
	}
	if GenerateLibrary(a, -1, 1) == nil {
		t.Fatal("negative count accepted")
	}
}

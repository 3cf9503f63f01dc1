package store

import (
	"encoding/json"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestRowsMatchClips: every row equals RowOf of the fully decoded clip, in newest-first order,
// including titles that need JSON escapes (quotes, backslashes, control characters, CJK, emoji).
func TestRowsMatchClips(t *testing.T) {
	s := newStore(t)
	must(t, GenerateLibrary(s, 300, 7))
	odd := []*Clip{
		clip("esc", 1),
		clip("cjk", 2),
		clip("empty", 3),
	}
	odd[0].Title = "quote \" back \\ tab \t nl \n \x1b]52;c;aGk=\x07 \u2028"
	odd[0].Tags = `{"not":"an object"}, [x]`
	odd[0].Favorite = true
	odd[0].ParentID = "parent-1"
	odd[1].Title = "夜空中最亮的星 🌟"
	odd[1].Tags = "国风, 抒情"
	odd[1].LocalPath = "/tmp/cjk.mp3"
	odd[2].Title = ""
	odd[2].Duration = 0
	for _, c := range odd {
		must(t, s.PutClip(c))
	}
	rows, err := s.Rows()
	must(t, err)
	clips, err := s.Newest(10000)
	must(t, err)
	if len(rows) != len(clips) {
		t.Fatalf("%d rows, %d clips", len(rows), len(clips))
	}
	for i := range rows {
		want := RowOf(clips[i])
		if !reflect.DeepEqual(rows[i].Created.UTC(), want.Created.UTC()) {
			t.Fatalf("row %d created %v, want %v", i, rows[i].Created, want.Created)
		}
		rows[i].Created = want.Created // compared above; the location may differ
		if rows[i] != want {
			t.Fatalf("row %d:\n got %+v\nwant %+v", i, rows[i], want)
		}
	}
}

func TestRowFromJSONMalformed(t *testing.T) {
	for _, in := range []string{``, `[]`, `{"id":`, `{"id":"x"`, `{"title":"unterminated}`, `{"duration":"x"}`,
		`{"favorite":maybe}`, `{"x":{"y":[1,2}`, `{"id" "x"}`} {
		if _, err := rowFromJSON([]byte(in)); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
	// Unknown fields of every shape are skipped.
	r, err := rowFromJSON([]byte(`{"a":{"b":[1,"}",{"c":null}]},"n":-1.5e3,"t":true,"id":"ok","s":"x\"y","title":null}`))
	if err != nil || r.ID != "ok" || r.Title != "" {
		t.Fatalf("%+v %v", r, err)
	}
}

func BenchmarkRows100k(b *testing.B) {
	s := benchStore(b)
	var n int
	for b.Loop() {
		rows, err := s.Rows()
		if err != nil {
			b.Fatal(err)
		}
		n = len(rows)
	}
	b.ReportMetric(float64(n), "rows")
}

// BenchmarkRowsJSON100k is the straightforward alternative (encoding/json into the row's
// fields), kept to show what the scanner saves.
func BenchmarkRowsJSON100k(b *testing.B) {
	s := benchStore(b)
	type rowJSON struct {
		ID, TaskID, Title, Tags, Model, Status, Download, LocalPath, ParentID string
		Duration                                                              float64
		Favorite                                                              bool
	}
	for b.Loop() {
		err := s.view(func(tx *bolt.Tx) error {
			c := tx.Bucket(bClips).Cursor()
			for k, v := c.Last(); k != nil; k, v = c.Prev() {
				var r rowJSON
				if err := json.Unmarshal(v, &r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzRowFromJSON: for any clip the store can write, the row scanner reads back exactly the
// row of the fully decoded clip, whatever the title, tags and lyrics contain.
func FuzzRowFromJSON(f *testing.F) {
	f.Add("夜空中最亮的星 🌟", "国风, \"quoted\"", "[Verse]\n\\ back\x1b]52;c;aGk=\x07", 183.4, true)
	f.Add("", "", "", 0.0, false)
	f.Add("\u2028\ufffd\x00", "{}[],:", "}}}]]]", -1.5e300, true)
	f.Fuzz(func(t *testing.T, title, tags, lyrics string, dur float64, fav bool) {
		c := clip("fz", 1)
		c.Title, c.Tags, c.Lyrics, c.Duration, c.Favorite = title, tags, lyrics, dur, fav
		b, err := json.Marshal(c)
		if err != nil {
			t.Skip() // NaN and friends: the store refuses them before writing
		}
		var back Clip
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		got, err := rowFromJSON(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		want := RowOf(&back)
		if !got.Created.Equal(want.Created) {
			t.Fatalf("created %v, want %v", got.Created, want.Created)
		}
		got.Created = want.Created
		if got != want {
			t.Fatalf("\n got %+v\nwant %+v", got, want)
		}
	})
}

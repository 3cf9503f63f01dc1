package store

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unsafe"
)

// TestRowsOutliveTheStore: the rows' strings are copies, not slices of the database's memory
// map (reading them after Close would fault if they were), and they are the clips' values.
func TestRowsOutliveTheStore(t *testing.T) {
	s := newStore(t)
	must(t, GenerateLibrary(s, 1500, 3))
	odd := clip("odd", 1)
	odd.Title, odd.Tags = "quote \" tab \t 夜 \u2028", "r&b, <x>"
	must(t, s.PutClip(odd))
	rows, err := s.Rows()
	must(t, err)
	clips, err := s.Newest(10000)
	must(t, err)
	must(t, s.Close()) // unmaps the file
	if len(rows) != len(clips) {
		t.Fatalf("%d rows, %d clips", len(rows), len(clips))
	}
	for i, r := range rows {
		want := RowOf(clips[i])
		r.Created = want.Created
		if r != want {
			t.Fatalf("row %d:\n got %+v\nwant %+v", i, r, want)
		}
	}
}

// TestRowsShareStrings: a row's strings come from shared chunks, a task id shared by
// consecutive clips is stored once, and the values every row repeats are stored once.
func TestRowsShareStrings(t *testing.T) {
	s := newStore(t)
	must(t, GenerateLibrary(s, 2000, 5))
	var rows []Row
	allocs := testing.AllocsPerRun(3, func() {
		var err error
		rows, err = s.Rows()
		must(t, err)
	})
	// One allocation per string would be 6 or more per row; what remains is the row slice, the
	// chunks and a map.
	if allocs > float64(len(rows))/20 {
		t.Errorf("Rows allocates %.0f times for %d rows", allocs, len(rows))
	}
	if testing.Verbose() {
		t.Logf("Rows: %.0f allocations for %d rows", allocs, len(rows))
	}
	// Every distinct model, status and download state is one string in memory.
	stored := map[string]*byte{}
	once := func(i int, s string) {
		if p, ok := stored[s]; ok && p != unsafe.StringData(s) {
			t.Fatalf("row %d: %q stored again", i, s)
		}
		stored[s] = unsafe.StringData(s)
	}
	for i, r := range rows {
		once(i, r.Model)
		once(i, r.Status)
		once(i, r.Download)
		if i > 0 && r.TaskID == rows[i-1].TaskID && unsafe.StringData(r.TaskID) != unsafe.StringData(rows[i-1].TaskID) {
			t.Fatalf("rows %d and %d: task id %s stored twice", i-1, i, r.TaskID)
		}
	}
}

// FuzzAppendUnquoted: the row scanner decodes a JSON string exactly as encoding/json does,
// and refuses (leaving it to encoding/json) only what encoding/json refuses.
func FuzzAppendUnquoted(f *testing.F) {
	for _, s := range []string{``, `plain`, `r\u0026b \u003cx\u003e`, `\"\\\/\'\b\f\n\r\t`, `\ud83c\udf1f`,
		`\ud83c`, `\ud83cx`, `\udf1f\ud83c`, `\ud83c\u0041`, `\u00`, `\uZZZZ`, `\x`, `\`, "\xff\xfe", "夜空 🌟", "a\x01b"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		got, ok := appendUnquoted([]byte("prefix"), s)
		var want string
		err := json.Unmarshal(append(append([]byte{'"'}, s...), '"'), &want)
		if ok != (err == nil) {
			t.Fatalf("%q: ok %v, encoding/json: %v", s, ok, err)
		}
		if ok && string(got) != "prefix"+want {
			t.Fatalf("%q: %q, want %q", s, got[len("prefix"):], want)
		}
	})
}

// TestRowStringsCopy: every string is an independent copy of its bytes, whatever the sizes,
// across chunk boundaries and for strings too long for a chunk.
func TestRowStringsCopy(t *testing.T) {
	for _, a := range []*rowStrings{nil, newRowStrings(1), newRowStrings(100_000)} {
		src := make([]byte, 3*rowChunk)
		var got, want []string
		for n, off := 0, 0; off+n < len(src); n = (n*7 + 13) % (2 * rowOwnAlloc) {
			b := src[off : off+n]
			for i := range b {
				b[i] = byte('a' + (off+i)%26)
			}
			got = append(got, a.copy(b))
			want = append(want, string(b))
			if n > 0 && &b[0] == unsafe.StringData(got[len(got)-1]) {
				t.Fatal("copy shares its argument's memory")
			}
			off += n
		}
		for i := range src {
			src[i] = 0 // the copies must not change
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("string %d: %q, want %q", i, got[i], want[i])
			}
		}
		if a == nil {
			continue
		}
		// common and task return equal strings, shared when the value repeats.
		x, y := a.common([]byte("complete")), a.common(bytes.Clone([]byte("complete")))
		if x != "complete" || unsafe.StringData(x) != unsafe.StringData(y) {
			t.Fatalf("common: %q %q not shared", x, y)
		}
		p, q, r := a.task([]byte("t1")), a.task([]byte("t1")), a.task([]byte("t2"))
		if p != "t1" || r != "t2" || unsafe.StringData(p) != unsafe.StringData(q) {
			t.Fatalf("task: %q %q %q", p, q, r)
		}
		if long := strings.Repeat("x", rowOwnAlloc+1); a.copy([]byte(long)) != long {
			t.Fatal("long string")
		}
	}
}

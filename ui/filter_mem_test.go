package ui

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"sunostudio/store"
)

// TestWriteLowerIsToLower: the haystack's lowercasing is strings.ToLower, byte for byte,
// including the characters whose lower case has another length and invalid UTF-8.
func TestWriteLowerIsToLower(t *testing.T) {
	for _, s := range []string{"", "abc", "Neon Dreams", "夏天的Rain", "ÀÉÎ ÕÜ", "İstanbul", "Ⱥȿ ẞ",
		"ΣΑΣ", "mixed 夜 ABC 🌟 Z", "bad \xff\xfe UTF-8 \xe4\xb8", "TAB\tNL\n", "\x00A"} {
		var b strings.Builder
		writeLower(&b, s)
		if got, want := b.String(), strings.ToLower(s); got != want {
			t.Errorf("writeLower(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestLibRowsDerived: the rows libRows packs have exactly the derived fields a single row
// gets on its own, whatever the lengths (chunk boundaries, a title longer than a chunk), and
// low is the start of hay, not a copy.
func TestLibRowsDerived(t *testing.T) {
	var rows []store.Row
	for i := range 5000 {
		title := fmt.Sprintf("Song %d 夏天 %s", i, strings.Repeat("Ab", i%37))
		tags := strings.Repeat("Pop, 国风, ", i%5)
		switch i {
		case 7:
			title = strings.Repeat("Very Long Title ", 10_000) // larger than a chunk
		case 8:
			title, tags = "", ""
		case 9:
			title, tags = "esc \x1b[31mRed\x1b[0m\ttab", "new\nline İ"
		}
		rows = append(rows, store.Row{ID: fmt.Sprint(i), Title: title, Tags: tags})
	}
	packed := libRows(rows)
	for i, r := range rows {
		got, want := packed[i], newLibRow(r)
		if got.Row != want.Row || got.title != want.title || got.tags != want.tags ||
			got.low != want.low || got.hay != want.hay {
			t.Fatalf("row %d:\n got %q %q %q %q\nwant %q %q %q %q", i, got.title, got.tags, got.low, got.hay,
				want.title, want.tags, want.low, want.hay)
		}
		if low := strings.ToLower(line(r.Title)); got.low != low || got.hay != low+"\x00"+strings.ToLower(line(r.Tags)) {
			t.Fatalf("row %d: low %q hay %q", i, got.low, got.hay)
		}
		if len(got.low) > 0 && unsafe.StringData(got.low) != unsafe.StringData(got.hay) {
			t.Fatalf("row %d: low is a copy", i)
		}
		if got.title == r.Title && len(r.Title) > 0 && unsafe.StringData(got.title) != unsafe.StringData(r.Title) {
			t.Fatalf("row %d: the unchanged title is a copy", i)
		}
	}
}

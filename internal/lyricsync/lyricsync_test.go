package lyricsync

import (
	"math"
	"strings"
	"testing"
	"unicode"
)

// english is shaped like the relay's example (relay-api 3.5): the section marker and the line
// break ride on the next sung word, spaces trail their word.
var english = []Word{
	{"[Verse]\nWinter ", 8.38, 8.78},
	{"is ", 8.9, 9.1},
	{"here", 9.2, 9.9},
	{"\nSnow ", 10.5, 10.9},
	{"falls ", 11.0, 11.4},
	{"down", 11.5, 12.3},
	{"\n\n[Chorus]\nCold ", 14.0, 14.5},
	{"cold ", 14.6, 15.0},
	{"night", 15.1, 16.0},
}

// chinese has no spaces; one aligned "word" per character or phrase, and a break that the
// relay put at the end of a word instead of the start of the next.
var chinese = []Word{
	{"[主歌]\n城市", 5.0, 5.6},
	{"的", 5.6, 5.8},
	{"灯光\n", 5.8, 6.6},
	{"照亮", 7.0, 7.5},
	{"我的", 7.5, 7.9},
	{"心", 7.9, 8.8},
	{"\n\n[副歌]\n啦", 10.0, 10.4},
	{"啦啦", 10.4, 11.2},
}

func TestBuildLines(t *testing.T) {
	tests := []struct {
		name     string
		words    []Word
		texts    []string
		sections []string
		stanza   []bool
		frags    []int
	}{
		{"english", english,
			[]string{"Winter is here", "Snow falls down", "Cold cold night"},
			[]string{"Verse", "", "Chorus"},
			[]bool{true, false, true},
			[]int{3, 3, 3}},
		{"chinese", chinese,
			[]string{"城市的灯光", "照亮我的心", "啦啦啦"},
			[]string{"主歌", "", "副歌"},
			[]bool{true, false, true},
			[]int{3, 3, 2}},
		{"marker as its own word and CRLF", []Word{
			{"[Intro]", 0, 0}, {"\r\nla ", 1, 1.5}, {"la\r\n", 1.5, 2}, {"[Outro] end", 3, 4},
		},
			[]string{"la la", "end"}, []string{"Intro", "Outro"}, []bool{true, true}, []int{2, 1}},
		{"marker in the middle of a line", []Word{{"one ", 1, 2}, {"[Bridge] two", 3, 4}},
			[]string{"one", "two"}, []string{"", "Bridge"}, []bool{false, true}, []int{1, 1}},
		{"unclosed bracket is text", []Word{{"[oh ", 1, 2}, {"yeah", 2, 3}},
			[]string{"[oh yeah"}, []string{""}, []bool{false}, []int{2}},
		{"marker in the middle of a word", []Word{{"one [Bridge] ", 1, 2}, {"two", 3, 4}},
			[]string{"one", "two"}, []string{"", "Bridge"}, []bool{false, true}, []int{1, 1}},
		{"chinese marker cut between words", []Word{{"[主", 0, 1}, {"歌]\n你好", 1, 2}},
			[]string{"你好"}, []string{"主歌"}, []bool{true}, []int{1}},
		{"english marker cut between words", []Word{{"la ", 0, 1}, {"[Ch", 1, 2}, {"orus]", 2, 3}, {"\nCold", 3, 4}},
			[]string{"la", "Cold"}, []string{"", "Chorus"}, []bool{false, true}, []int{1, 1}},
		{"CRLF cut between words", []Word{{"la\r", 0, 1}, {"\nx", 1, 2}},
			[]string{"la", "x"}, []string{"", ""}, []bool{false, false}, []int{1, 1}},
		{"a lone CR is a line break", []Word{{"la\r", 0, 1}, {"x\r", 1, 2}, {"\r[Chorus]y\r", 2, 3}},
			[]string{"la", "x", "y"}, []string{"", "", "Chorus"}, []bool{false, false, true}, []int{1, 1, 1}},
		{"a word of white space joins the word before", []Word{{"Winter", 0, 1}, {" ", 1, 2}, {"is", 2, 3}, {" \t", 3, 4}},
			[]string{"Winter is"}, []string{""}, []bool{false}, []int{2}},
		{"empty", nil, nil, nil, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := Build(tc.words)
			if len(l.Lines) != len(tc.texts) {
				t.Fatalf("%d lines, want %d: %+v", len(l.Lines), len(tc.texts), l.Lines)
			}
			for i, ln := range l.Lines {
				if ln.Text != tc.texts[i] || ln.Section != tc.sections[i] || ln.StanzaStart != tc.stanza[i] || len(ln.Words) != tc.frags[i] {
					t.Errorf("line %d = %q section %q stanza %v words %d; want %q %q %v %d",
						i, ln.Text, ln.Section, ln.StanzaStart, len(ln.Words), tc.texts[i], tc.sections[i], tc.stanza[i], tc.frags[i])
				}
				var joined strings.Builder
				for _, f := range ln.Words {
					joined.WriteString(f.Text)
				}
				if joined.String() != ln.Text {
					t.Errorf("line %d: fragments %q do not add up to the text %q", i, joined.String(), ln.Text)
				}
				if ln.Start != ln.Words[0].Start || ln.End < ln.Start {
					t.Errorf("line %d spans %.2f-%.2f", i, ln.Start, ln.End)
				}
				if strings.ContainsAny(ln.Text, "\r\n") {
					t.Errorf("line %d has a line break: %q", i, ln.Text)
				}
			}
		})
	}
}

// Relays cut words anywhere, inside a section marker or a CRLF too: cut each song into two and
// into three words at every byte, and the lines are the same as from one word, with every
// fragment from the word whose timing it has (a word of only white space joins the fragment
// before it).
func TestBuildCutAnywhere(t *testing.T) {
	tests := []struct {
		name     string
		lyrics   string
		texts    []string
		sections []string
		stanza   []bool
	}{
		{"chinese markers", "[主歌]\n城市的灯光\n照亮\n\n[副歌]\n啦啦啦",
			[]string{"城市的灯光", "照亮", "啦啦啦"}, []string{"主歌", "", "副歌"}, []bool{true, false, true}},
		{"chinese marker mid-line", "城市[ 副歌 ]啦啦",
			[]string{"城市", "啦啦"}, []string{"", "副歌"}, []bool{false, true}},
		{"english markers", "[Verse]\nWinter is here\n\n[Chorus]\nCold night",
			[]string{"Winter is here", "Cold night"}, []string{"Verse", "Chorus"}, []bool{true, true}},
		{"english marker mid-line", "one [Bridge] two",
			[]string{"one", "two"}, []string{"", "Bridge"}, []bool{false, true}},
		{"two markers", "[Intro][Verse]\nla",
			[]string{"la"}, []string{"Verse"}, []bool{true}},
		{"CRLF", "[Verse]\r\nla la\r\n啦\r\n\r\n[副歌]\r\nend\r\n",
			[]string{"la la", "啦", "end"}, []string{"Verse", "", "副歌"}, []bool{true, false, true}},
		{"lone CR", "a\rb\r\r[Chorus]c\r",
			[]string{"a", "b", "c"}, []string{"", "", "Chorus"}, []bool{false, false, true}},
		{"brackets that are no marker", "[oh yeah\nla] [x\r]",
			[]string{"[oh yeah", "la] [x", "]"}, []string{"", "", ""}, []bool{false, false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.lyrics)
			check := func(cuts ...int) {
				t.Helper()
				var words []Word
				prev := 0
				for i, c := range append(cuts, n) {
					words = append(words, Word{tc.lyrics[prev:c], float64(10*i + 1), float64(10*i + 2)})
					prev = c
				}
				l := Build(words)
				if len(l.Lines) != len(tc.texts) {
					t.Fatalf("cut at %v: %d lines, want %d: %+v", cuts, len(l.Lines), len(tc.texts), l.Lines)
				}
				for i, ln := range l.Lines {
					if ln.Text != tc.texts[i] || ln.Section != tc.sections[i] || ln.StanzaStart != tc.stanza[i] {
						t.Fatalf("cut at %v: line %d = %q section %q stanza %v; want %q %q %v",
							cuts, i, ln.Text, ln.Section, ln.StanzaStart, tc.texts[i], tc.sections[i], tc.stanza[i])
					}
					var joined strings.Builder
					for _, f := range ln.Words {
						joined.WriteString(f.Text)
						w := int(f.Start) / 10
						if f.Start != float64(10*w+1) || f.End != f.Start+1 || w >= len(words) ||
							!strings.Contains(words[w].Text, strings.TrimRightFunc(f.Text, unicode.IsSpace)) {
							t.Fatalf("cut at %v: line %d: fragment %q at %v-%v is not from its word", cuts, i, f.Text, f.Start, f.End)
						}
					}
					if joined.String() != ln.Text {
						t.Fatalf("cut at %v: line %d: fragments %q, text %q", cuts, i, joined.String(), ln.Text)
					}
				}
			}
			for p := 1; p < n; p++ {
				check(p)
				for q := p + 1; q < n; q++ {
					check(p, q)
				}
			}
		})
	}
}

func TestText(t *testing.T) {
	got := Build(english).Text()
	want := "Winter is here\nSnow falls down\n\nCold cold night\n"
	if got != want {
		t.Fatalf("Text = %q, want %q", got, want)
	}
}

func TestAtSeeking(t *testing.T) {
	en, zh := Build(english), Build(chinese)
	tests := []struct {
		name    string
		l       *Lyrics
		pos     float64
		line    int
		word    int
		reached int
		next    int
		ended   bool
	}{
		{"before the first word", en, 0, -1, -1, 0, 0, false},
		{"negative position", en, -5, -1, -1, 0, 0, false},
		{"NaN is before the start", en, math.NaN(), -1, -1, 0, 0, false},
		{"exactly at the first word", en, 8.38, 0, 0, 1, 1, false},
		{"inside a word", en, 9.5, 0, 2, 3, 1, false},
		{"pause between words", en, 8.85, 0, -1, 1, 1, false},
		{"after the line, before the next", en, 10.2, 0, -1, 3, 1, false},
		{"first word of the second line", en, 10.5, 1, 0, 1, 2, false},
		{"word end is exclusive", en, 10.9, 1, -1, 1, 2, false},
		{"stanza pause", en, 13.0, 1, -1, 3, 2, false},
		{"last word", en, 15.5, 2, 2, 3, -1, false},
		{"exactly at the end", en, 16.0, 2, -1, 3, -1, true},
		{"after the end", en, 300, 2, -1, 3, -1, true},
		{"chinese before", zh, 4.99, -1, -1, 0, 0, false},
		{"chinese mid line", zh, 5.7, 0, 1, 2, 1, false},
		{"chinese break at the end of a word", zh, 6.8, 0, -1, 3, 1, false},
		{"chinese second line", zh, 7.6, 1, 1, 2, 2, false},
		{"chinese chorus", zh, 10.5, 2, 1, 2, -1, false},
		{"chinese after", zh, 12, 2, -1, 2, -1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.l.At(tc.pos)
			if p.Line != tc.line || p.Word != tc.word || p.Reached != tc.reached || p.Next != tc.next || p.Ended != tc.ended {
				t.Fatalf("At(%v) = %+v; want line %d word %d reached %d next %d ended %v",
					tc.pos, p, tc.line, tc.word, tc.reached, tc.next, tc.ended)
			}
			if p.Progress < 0 || p.Progress >= 1 || (p.Word < 0 && p.Progress != 0) {
				t.Fatalf("progress %v", p.Progress)
			}
		})
	}
}

// Seeking is stateless: every position gives the same answer whatever was asked before, and a
// sweep through the song never moves backwards.
func TestAtSweepIsMonotonic(t *testing.T) {
	l := Build(english)
	prevLine, prevReached := -1, 0
	for pos := 0.0; pos < 20; pos += 0.01 {
		p := l.At(pos)
		if p.Line < prevLine || (p.Line == prevLine && p.Reached < prevReached) {
			t.Fatalf("went backwards at %.2f: %+v", pos, p)
		}
		if q := l.At(20 - pos); q != l.At(20-pos) {
			t.Fatal("not deterministic")
		}
		prevLine, prevReached = p.Line, p.Reached
	}
}

func TestProgressInsideAWord(t *testing.T) {
	p := Build(english).At(9.55) // "here" 9.2-9.9
	if p.Word != 2 || math.Abs(p.Progress-0.5) > 1e-9 {
		t.Fatalf("%+v", p)
	}
}

// Alignment glitches: a word that starts before the previous one, one with no end, NaN times
// and failed words with zero times must not break ordering or the search.
func TestGlitchyTimesAreMadeMonotonic(t *testing.T) {
	l := Build([]Word{
		{"a ", 5, 6}, {"b ", 4, 4.5}, {"c ", math.NaN(), 7}, {"d", 8, 0}, {"\ne", 0, 0},
	})
	if len(l.Lines) != 2 {
		t.Fatalf("%+v", l.Lines)
	}
	prev := -1.0
	for _, ln := range l.Lines {
		for _, f := range ln.Words {
			if f.Start < prev || f.End < f.Start {
				t.Fatalf("not monotonic: %+v", l.Lines)
			}
			prev = f.Start
		}
	}
	if p := l.At(8.5); p.Line != 1 || p.Word != -1 {
		t.Fatalf("At(8.5) = %+v", p)
	}
	var nilLyrics *Lyrics
	if p := nilLyrics.At(3); p.Line != -1 || !p.Ended {
		t.Fatalf("nil lyrics: %+v", p)
	}
}

func BenchmarkAt(b *testing.B) {
	var words []Word
	for i := 0; i < 2000; i++ {
		text := "word "
		if i%7 == 0 {
			text = "\nword "
		}
		words = append(words, Word{text, float64(i) * 0.3, float64(i)*0.3 + 0.25})
	}
	l := Build(words)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.At(float64(i%600) + 0.1)
	}
}

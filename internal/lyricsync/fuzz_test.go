package lyricsync

import (
	"math"
	"strings"
	"testing"
	"unicode"
)

// FuzzBuild: any lyrics text, cut into aligned words the ways relays cut them, with any
// timing, builds lines without panicking, and the lines keep their promises: the text is the
// fragments, comes from the input in order (markers and line breaks out, nothing else when
// there are no markers), holds no line break (not even half a CRLF) and no "[...]" marker,
// does not depend on where the words were cut, times are monotonic, and At answers in range
// for any position.
func FuzzBuild(f *testing.F) {
	for _, s := range []struct {
		lyrics      string
		split       uint8
		start, step float64
	}{
		{"[Verse]\nWinter is here\nSnow falls down\n\n[Chorus]\nCold cold night", 0, 8.38, 0.4},
		{"[主歌]\n城市的灯光\n照亮我的心\n\n[副歌]\n啦啦啦", 2, 5, 0.3},
		{"[主歌]\n城市的灯光\n照亮我的心\n\n[副歌]\n啦啦啦", 1, 5, 0.3},
		{"", 0, 0, 0},
		{"\n\n\n", 3, 1, 1},
		{"[Intro][Verse]\n[Chorus]\n\n[Outro]", 0, 0, 1},
		{"[Verse]\r\nla la\r\nla\r\n\r\n[Chorus]\r\nend\r\n", 1, 0, 0.5},
		{"la \r\nla\r", 6, 0, 0.5}, // a CRLF cut between two words
		{"[Verse\nla ] la [x]y [", 0, 1, 1},
		{"one [Bridge] two\n  \t \n[ 副歌 ]\n  three  ", 0, 0, 1},
		{strings.Repeat("la ", 1500), 0, 0, 0.01}, // one huge line
		{strings.Repeat("夜空中最亮的星", 200), 2, 0, 0.01},
		{strings.Repeat("[x]", 500), 3, 0, 1},
		{"a b c d e", 0x80, 10, -1}, // times that go backwards
		{"a b\nc d", 0, math.NaN(), math.Inf(1)},
		{"bad \xff\xfe utf-8 \xe5\xa4", 5, 0, 1},
		{"0\xda\n\x96", 0, 0, 0},         // halves of a character on two lines
		{"[主歌]\n你好\n\n[副歌]\n啦", 2, 0, 1}, // "[主", "歌]", ...: markers cut between words
		{"la [Chorus] la\n[Ch", 4, 0, 1},
		{"l\r\nx\r\r\ny\rz", 2, 0, 1}, // "l\r", "\nx", ...: CRLFs cut between words
	} {
		f.Add(s.lyrics, s.split, s.start, s.step)
	}
	f.Fuzz(func(t *testing.T, lyrics string, split uint8, start, step float64) {
		for _, x := range []float64{start, step} {
			if !math.IsNaN(x) && !math.IsInf(x, 0) && math.Abs(x) > 1e9 {
				t.Skip("times of no song") // sums would overflow to infinities
			}
		}
		words := cutWords(lyrics, split, start, step)
		l := Build(words)
		var joined strings.Builder
		for _, w := range words {
			joined.WriteString(w.Text)
		}
		input := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(joined.String())
		checkLines(t, l, input)
		checkAt(t, l)
		// Where the words were cut changes the timing, never the lines.
		whole := Build([]Word{{Text: joined.String(), Start: 0, End: 1}})
		if len(whole.Lines) != len(l.Lines) {
			t.Fatalf("%d lines from the words, %d from their text in one word", len(l.Lines), len(whole.Lines))
		}
		for i, ln := range l.Lines {
			w := whole.Lines[i]
			if ln.Text != w.Text || ln.Section != w.Section || ln.StanzaStart != w.StanzaStart {
				t.Fatalf("line %d: %q section %q stanza %v from the words, %q %q %v from one word",
					i, ln.Text, ln.Section, ln.StanzaStart, w.Text, w.Section, w.StanzaStart)
			}
		}
	})
}

// cutWords cuts lyrics into aligned words: split%8 chooses how (after spaces like the relay's
// English, before line breaks, every n runes like its Chinese, or all in one), and the high
// bit makes every other word start before the previous one.
func cutWords(lyrics string, split uint8, start, step float64) []Word {
	var cuts []int // word ends
	switch split % 8 {
	case 0: // "Winter ", "is ", "here\nSnow "
		for i := 1; i < len(lyrics); i++ {
			if lyrics[i-1] == ' ' && lyrics[i] != ' ' {
				cuts = append(cuts, i)
			}
		}
	case 1: // "[Verse]", "\nWinter is here", "\nSnow ..."
		for i := 1; i < len(lyrics); i++ {
			if lyrics[i] == '\n' && lyrics[i-1] != '\n' {
				cuts = append(cuts, i)
			}
		}
	case 3: // one word
	default: // every n runes (rune starts, so invalid UTF-8 stays as it is)
		n, k := int(split%8), 0
		for i := range lyrics {
			if k > 0 && k%n == 0 {
				cuts = append(cuts, i)
			}
			k++
		}
	}
	cuts = append(cuts, len(lyrics))
	var words []Word
	prev := 0
	for i, end := range cuts {
		if end == prev && len(lyrics) > 0 {
			continue
		}
		s := start + float64(i)*step
		if split&0x80 != 0 && i%2 == 1 {
			s -= 3 * step
		}
		words = append(words, Word{Text: lyrics[prev:end], Start: s, End: s + step})
		prev = end
	}
	return words
}

func checkLines(t *testing.T, l *Lyrics, input string) {
	t.Helper()
	var all, lines strings.Builder // the lines' text run together, and one per line
	prevStart := math.Inf(-1)
	for i, ln := range l.Lines {
		if len(ln.Words) == 0 {
			t.Fatalf("line %d has no words: %+v", i, ln)
		}
		var text strings.Builder
		end := math.Inf(-1)
		for j, w := range ln.Words {
			if strings.TrimSpace(w.Text) == "" || strings.ContainsAny(w.Text, "\r\n") {
				t.Fatalf("line %d word %d: %q", i, j, w.Text)
			}
			if math.IsNaN(w.Start) || math.IsInf(w.Start, 0) || math.IsNaN(w.End) || w.End < w.Start || w.Start < prevStart {
				t.Fatalf("line %d word %d: times %v..%v after a start at %v", i, j, w.Start, w.End, prevStart)
			}
			prevStart = w.Start
			end = math.Max(end, w.End)
			text.WriteString(w.Text)
		}
		if ln.Text != text.String() {
			t.Fatalf("line %d: text %q is not its words %q", i, ln.Text, text.String())
		}
		if ln.Text != strings.Trim(ln.Text, " \t") {
			t.Fatalf("line %d: untrimmed %q", i, ln.Text)
		}
		if strings.ContainsAny(ln.Text, "\r\n") {
			t.Fatalf("line %d: line break in %q", i, ln.Text)
		}
		// A marker is never sung: a "[" left in a line is one no "]" closes on its line.
		if o := strings.IndexByte(ln.Text, '['); o >= 0 && strings.IndexByte(ln.Text[o:], ']') >= 0 {
			t.Fatalf("line %d: marker in the sung text %q", i, ln.Text)
		}
		if ln.Start != ln.Words[0].Start || ln.End != end {
			t.Fatalf("line %d: span %v..%v, words %v..%v", i, ln.Start, ln.End, ln.Words[0].Start, end)
		}
		if ln.Section != "" && (!ln.StanzaStart || ln.Section != strings.TrimSpace(ln.Section) ||
			strings.ContainsAny(ln.Section, "]\r\n") || !strings.Contains(input, ln.Section)) {
			t.Fatalf("line %d: section %q (stanza %v) not a marker of the input", i, ln.Section, ln.StanzaStart)
		}
		all.WriteString(ln.Text)
		lines.WriteString(ln.Text + "\n")
	}
	// The lines' text is the input's, in order, less markers, line breaks and trimmed spaces.
	if !subsequence(all.String(), input) {
		t.Fatalf("lines %q are not from the input %q", all.String(), input)
	}
	// Without markers only white space may go. (Line by line: run together, the bytes of two
	// lines could make a character that is in neither.)
	if !strings.Contains(input, "[") {
		if got, want := noSpace(lines.String()), noSpace(input); got != want {
			t.Fatalf("lost text: lines %q, input %q", got, want)
		}
	}
	// Text is every line, a blank line between stanzas.
	breaks := len(l.Lines)
	for i, ln := range l.Lines {
		if i > 0 && ln.StanzaStart {
			breaks++
		}
	}
	if n := strings.Count(l.Text(), "\n"); n != breaks {
		t.Fatalf("Text() has %d line breaks, want %d", n, breaks)
	}
}

func checkAt(t *testing.T, l *Lyrics) {
	t.Helper()
	pos := []float64{math.Inf(-1), math.NaN(), math.Inf(1), -1, 0}
	for _, ln := range l.Lines {
		pos = append(pos, ln.Start, ln.End, (ln.Start+ln.End)/2)
		for _, w := range ln.Words {
			pos = append(pos, w.Start, w.End, w.Start+(w.End-w.Start)/3)
		}
		if len(pos) > 300 {
			break
		}
	}
	for _, p := range pos {
		a := l.At(p)
		if a.Line < -1 || a.Line >= len(l.Lines) {
			t.Fatalf("At(%v) = %+v: line out of range", p, a)
		}
		wantNext := a.Line + 1
		if wantNext >= len(l.Lines) {
			wantNext = -1
		}
		if a.Next != wantNext {
			t.Fatalf("At(%v) = %+v: next, want %d", p, a, wantNext)
		}
		if a.Line == -1 {
			if a.Word != -1 || a.Reached != 0 {
				t.Fatalf("At(%v) = %+v before the first line", p, a)
			}
			continue
		}
		ln := l.Lines[a.Line]
		if !math.IsNaN(p) && ln.Start > p {
			t.Fatalf("At(%v) = %+v: line starts at %v", p, a, ln.Start)
		}
		if a.Reached < 0 || a.Reached > len(ln.Words) || a.Word < -1 || (a.Word >= 0 && a.Word != a.Reached-1) {
			t.Fatalf("At(%v) = %+v: word out of range (%d words)", p, a, len(ln.Words))
		}
		if a.Progress < 0 || a.Progress > 1 || (a.Word == -1 && a.Progress != 0) {
			t.Fatalf("At(%v) = %+v: progress", p, a)
		}
	}
}

// subsequence reports whether the bytes of s appear in t in order.
func subsequence(s, t string) bool {
	for i := 0; i < len(s); i++ {
		j := strings.IndexByte(t, s[i])
		if j < 0 {
			return false
		}
		t = t[j+1:]
	}
	return true
}

func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// Package lyricsync turns Suno's aligned lyrics (one timed "word" at a time, with section
// markers and line breaks inside the words, exactly as the relay sends them) into display lines,
// and answers, for any playback position, which line is current and which word is being sung.
// It is pure and allocation-free at lookup time, so a karaoke view can ask on every frame and
// after every seek.
package lyricsync

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// Word is one aligned word as the relay sends it: "[Verse]\nWinter ", "is ", "here\n", "城市".
// Start and End are seconds into the song.
type Word struct {
	Text       string
	Start, End float64
}

// Line is one line of the lyrics as it should be shown.
type Line struct {
	// Text is the line without section markers and line breaks, trimmed. It equals the
	// concatenation of Words[i].Text, so a view can colour the words it has reached.
	Text string
	// Section is the marker that opens this line ("Verse", "Chorus", ...), "" when none.
	Section string
	// StanzaStart is true when a blank line or a section marker precedes this line.
	StanzaStart bool
	// Start and End span the line's words.
	Start, End float64
	Words      []Fragment
}

// Fragment is a word of a line as displayed (with its trailing space, if any) and its timing.
type Fragment struct {
	Text       string
	Start, End float64
}

// Lyrics are synced lines in time order.
type Lyrics struct {
	Lines []Line
}

// Position is where a playback position falls in the lyrics.
type Position struct {
	// Line is the current line: the last one that has started. -1 before the first word.
	Line int
	// Word is the word of Line being sung now (Start <= pos < End), -1 in a pause between
	// words or lines and after the line's last word.
	Word int
	// Reached is how many words of Line have started: a view highlights Words[:Reached].
	Reached int
	// Progress is how far through Word the position is, 0..1 (0 when Word is -1).
	Progress float64
	// Next is the line that starts next, -1 after the last line has started.
	Next int
	// Ended is true once the last word of the song is over.
	Ended bool
}

// Build splits aligned words into lines. The words are read as one text, since relays cut
// words anywhere: a section marker ("[Verse]", "[主歌]") or a CRLF may start in one word and
// end in the next. A line break ("\n", "\r\n" or a lone "\r") ends the line at that point:
// text before it belongs to the current line, text after it to the next. Section markers are
// removed from the text and kept as the next line's Section; one in the middle of a line
// starts a new line. Every piece of sung text keeps the timing of the word it came from, and
// a word of only white space joins the word before it, so the lines' text does not depend on
// where the words were cut. Times are made monotonic (a word never starts before the previous
// one, never ends before it starts), which alignment glitches otherwise break and which the
// binary search needs.
func Build(words []Word) *Lyrics {
	b := builder{words: words, times: make([]span, len(words)), ends: make([]int, len(words))}
	var all strings.Builder
	prevStart := math.Inf(-1)
	for i, w := range words {
		start, end := w.Start, w.End
		if math.IsNaN(start) || math.IsInf(start, 0) {
			start = prevStart
		}
		if start < prevStart {
			start = prevStart
		}
		if math.IsInf(start, -1) {
			start = 0
		}
		if math.IsNaN(end) || end < start {
			end = start
		}
		prevStart = start
		b.times[i] = span{start, end}
		all.WriteString(w.Text)
		b.ends[i] = all.Len()
	}
	text := all.String()
	for from := 0; ; {
		n := strings.IndexAny(text[from:], "\r\n")
		if n < 0 {
			b.textLine(text, from, len(text))
			break
		}
		to := from + n
		b.textLine(text, from, to)
		b.lineBreak()
		from = to + 1
		if text[to] == '\r' && from < len(text) && text[from] == '\n' {
			from++
		}
	}
	b.endLine()
	return &Lyrics{Lines: b.lines}
}

type span struct{ start, end float64 }

type builder struct {
	words []Word
	times []span // the words' monotonic times
	ends  []int  // where each word ends in the joined text
	next  int    // the first word that may hold text not yet read

	lines   []Line
	cur     Line
	open    bool // cur has at least one fragment
	section string
	stanza  bool
}

// textLine reads text[from:to], a line of the joined text without its break: "[...]" markers
// are lifted out (an unclosed bracket is sung text) and the rest is sung.
func (b *builder) textLine(text string, from, to int) {
	for {
		i := strings.IndexByte(text[from:to], '[')
		if i < 0 {
			break
		}
		j := strings.IndexByte(text[from+i:to], ']')
		if j < 0 {
			break // an unclosed bracket is sung text
		}
		b.sung(from, from+i)
		if b.open {
			b.endLine() // a marker in the middle of a line starts a new one
		}
		b.section = strings.TrimSpace(text[from+i+1 : from+i+j])
		b.stanza = true
		from += i + j + 1
	}
	b.sung(from, to)
}

// sung adds the joined text's [from, to) to the current line, one fragment per word it
// overlaps, each with its word's timing.
func (b *builder) sung(from, to int) {
	for b.next < len(b.ends) && b.ends[b.next] <= from {
		b.next++
	}
	for k := b.next; k < len(b.ends) && from < to; k++ {
		wordStart := b.ends[k] - len(b.words[k].Text)
		if wordStart >= to {
			break
		}
		lo, hi := max(from, wordStart), min(to, b.ends[k])
		if lo < hi {
			b.fragment(b.words[k].Text[lo-wordStart:hi-wordStart], b.times[k])
		}
	}
}

// fragment adds a piece of one word to the current line: white space opens no line, and a
// piece of only white space inside a line joins the fragment before it.
func (b *builder) fragment(s string, t span) {
	if !b.open {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			return
		}
	} else if strings.TrimSpace(s) == "" {
		b.cur.Words[len(b.cur.Words)-1].Text += s
		return
	}
	b.cur.Words = append(b.cur.Words, Fragment{Text: s, Start: t.start, End: t.end})
	b.open = true
}

// lineBreak ends the open line; a break with no line open is a blank line, which starts a
// stanza.
func (b *builder) lineBreak() {
	if b.open {
		b.endLine()
		return
	}
	if len(b.lines) > 0 {
		b.stanza = true
	}
}

func (b *builder) endLine() {
	if !b.open {
		return
	}
	l := b.cur
	last := &l.Words[len(l.Words)-1]
	last.Text = strings.TrimRightFunc(last.Text, unicode.IsSpace)
	var sb strings.Builder
	for _, f := range l.Words {
		sb.WriteString(f.Text)
	}
	l.Text = sb.String()
	l.Start = l.Words[0].Start
	l.End = l.Words[0].End
	for _, f := range l.Words {
		l.End = math.Max(l.End, f.End)
	}
	l.Section = b.section
	l.StanzaStart = b.stanza
	b.lines = append(b.lines, l)
	b.cur, b.open, b.section, b.stanza = Line{}, false, "", false
}

// At tells where pos (seconds) falls. Lines and words are found by binary search, so seeking
// anywhere costs O(log n).
func (l *Lyrics) At(pos float64) Position {
	p := Position{Line: -1, Word: -1, Next: -1}
	if l == nil || len(l.Lines) == 0 {
		p.Ended = true
		return p
	}
	if math.IsNaN(pos) {
		pos = math.Inf(-1)
	}
	lines := l.Lines
	// The current line is the last one whose start is <= pos.
	i := sort.Search(len(lines), func(i int) bool { return lines[i].Start > pos }) - 1
	if i+1 < len(lines) {
		p.Next = i + 1
	}
	if i < 0 {
		return p
	}
	p.Line = i
	words := lines[i].Words
	j := sort.Search(len(words), func(j int) bool { return words[j].Start > pos }) - 1
	p.Reached = j + 1
	// Words can share a start (clamped glitches); the one in progress is the last started
	// word whose end is still ahead.
	if j >= 0 && pos < words[j].End {
		p.Word = j
		if d := words[j].End - words[j].Start; d > 0 {
			p.Progress = (pos - words[j].Start) / d
		}
	}
	last := lines[len(lines)-1]
	p.Ended = i == len(lines)-1 && pos >= last.End
	return p
}

// Text is the whole lyrics as shown, one line per line and a blank line between stanzas.
func (l *Lyrics) Text() string {
	var b strings.Builder
	for i, ln := range l.Lines {
		if i > 0 && ln.StanzaStart {
			b.WriteByte('\n')
		}
		b.WriteString(ln.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

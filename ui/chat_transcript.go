package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// The chat transcript grows one rune per event (Suno-API streams that way) up to tens of KB,
// and is redrawn up to 30 times a second. Wrapping it all for every frame would cost
// O(transcript) per frame, so the transcript keeps the wrapped lines of every finished
// paragraph and re-wraps only the last wrapped line of the unfinished one when text arrives.
// That is exact, not an approximation: wrapPara is greedy and restarts from a line start with
// no memory of earlier lines, so re-wrapping from the start of the last line gives the same
// lines as wrapping the whole paragraph again (TestTranscriptIncrementalMatchesWhole).

// lineKind says how a transcript line is drawn; styles are applied at render time so a theme
// change does not invalidate the cache.
type lineKind uint8

const (
	lineText   lineKind = iota // the relay's answer
	linePrompt                 // what the user asked
	lineNote                   // how an exchange ended (muted)
	lineError                  // how an exchange ended, when it failed
)

type tline struct {
	s    string
	kind lineKind
}

type tpara struct {
	s    string
	kind lineKind
}

type transcript struct {
	w     int
	paras []tpara // finished paragraphs, kept to re-wrap on a resize
	lines []tline // their wrapped lines

	tail      []byte   // the unfinished paragraph (after the last newline)
	tailKind  lineKind //
	tailLines []string // its wrapped lines; only the last one is ever re-wrapped
	tailStart int      // byte offset in tail where the last of tailLines starts
	size      int      // bytes of text held, for the pane's header
}

// setWidth re-wraps everything for a new width: once per resize, never per delta.
func (t *transcript) setWidth(w int) {
	w = max(1, w)
	if w == t.w {
		return
	}
	t.w = w
	t.lines = t.lines[:0]
	for _, p := range t.paras {
		t.lines = appendWrapped(t.lines, p.s, p.kind, w)
	}
	t.tailLines, t.tailStart = nil, 0
	if len(t.tail) > 0 {
		t.tailLines, t.tailStart = wrapPara(string(t.tail), w)
	}
}

func appendWrapped(dst []tline, s string, kind lineKind, w int) []tline {
	ls, _ := wrapPara(s, w)
	if len(ls) == 0 {
		return append(dst, tline{"", kind})
	}
	for _, l := range ls {
		dst = append(dst, tline{l, kind})
	}
	return dst
}

// add appends text of one kind. The text must be sanitised (no control characters but
// newlines; tabs already expanded).
func (t *transcript) add(s string, kind lineKind) {
	if s == "" {
		return
	}
	if kind != t.tailKind && len(t.tail) > 0 {
		t.endPara()
	}
	t.tailKind = kind
	t.size += len(s)
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			t.grow(s)
			return
		}
		t.grow(s[:i])
		t.endPara()
		t.tailKind = kind
		s = s[i+1:]
	}
}

// addPara appends a whole paragraph of its own (a prompt, a note), ending the current one.
func (t *transcript) addPara(s string, kind lineKind) {
	if len(t.tail) > 0 {
		t.endPara()
	}
	t.add(s, kind)
	t.endPara()
}

// blank separates exchanges with one empty line (never two, never at the top).
func (t *transcript) blank() {
	if len(t.tail) > 0 {
		t.endPara()
	}
	if n := len(t.paras); n > 0 && t.paras[n-1].s != "" {
		t.paras = append(t.paras, tpara{"", lineText})
		t.lines = append(t.lines, tline{"", lineText})
	}
}

// grow appends text without newlines to the unfinished paragraph and re-wraps its last line.
func (t *transcript) grow(s string) {
	if s == "" {
		return
	}
	t.tail = append(t.tail, s...)
	if t.w == 0 {
		return // not sized yet: setWidth wraps it all
	}
	ls, last := wrapPara(string(t.tail[t.tailStart:]), t.w)
	if n := len(t.tailLines); n > 0 {
		t.tailLines = t.tailLines[:n-1]
	}
	t.tailLines = append(t.tailLines, ls...)
	t.tailStart += last
}

// endPara finishes the unfinished paragraph: its wrapped lines move to the cache as they are.
func (t *transcript) endPara() {
	p := tpara{string(t.tail), t.tailKind}
	t.paras = append(t.paras, p)
	switch {
	case t.w == 0:
	case len(t.tailLines) == 0:
		t.lines = append(t.lines, tline{"", p.kind})
	default:
		for _, l := range t.tailLines {
			t.lines = append(t.lines, tline{l, p.kind})
		}
	}
	t.tail, t.tailLines, t.tailStart = t.tail[:0], t.tailLines[:0], 0
	t.tailKind = lineText
}

// count is the number of wrapped lines.
func (t *transcript) count() int { return len(t.lines) + len(t.tailLines) }

// line returns wrapped line i.
func (t *transcript) line(i int) tline {
	if i < len(t.lines) {
		return t.lines[i]
	}
	return tline{t.tailLines[i-len(t.lines)], t.tailKind}
}

// text is everything, for tests.
func (t *transcript) text() string {
	var b strings.Builder
	for _, p := range t.paras {
		b.WriteString(p.s)
		b.WriteByte('\n')
	}
	b.Write(t.tail)
	return b.String()
}

// wrapPara breaks one paragraph (no newlines) into lines of at most w cells, greedily: Latin
// text at spaces and after hyphens, CJK (any wide grapheme) between any two characters, and a
// word longer than the line wherever it must. Spaces at a break are dropped. It returns the
// lines and the byte offset where the last line starts.
//
// The state at a line start is empty (the scan restarts there), which is what makes
// re-wrapping from the last line's start exact.
func wrapPara(s string, w int) (lines []string, last int) {
	w = max(1, w)
	start := 0
	for {
		end, next, ok := wrapLine(s, start, w)
		if !ok {
			return append(lines, strings.TrimRight(s[start:], " ")), start
		}
		lines = append(lines, strings.TrimRight(s[start:end], " "))
		start = next
	}
}

// wrapLine scans one line from start. When the text from start does not fit in w cells it
// returns where the line ends and where the next one starts; ok is false when the rest fits.
func wrapLine(s string, start, w int) (end, next int, ok bool) {
	width := 0
	// The last break opportunity: the line may end at bpEnd and the next start at bp.
	bp, bpEnd := -1, 0
	prevWide, prevHyphen, prevOpen := false, false, false
	for i := start; i < len(s); {
		if s[i] == ' ' {
			j := i
			for j < len(s) && s[j] == ' ' {
				j++
			}
			// Spaces hang at the end of a line; the break comes after them. Leading spaces
			// (indentation) stay with what follows.
			if i > start {
				bp, bpEnd = j, i
			}
			width += j - i
			i = j
			prevWide, prevHyphen, prevOpen = false, false, false
			continue
		}
		g, gw := cluster(s[i:])
		wide := gw >= 2
		// CJK breaks between any two characters, except before closing punctuation and
		// after opening punctuation (a line never starts with "）" or "](").
		if i > start && (wide || prevWide || prevHyphen) && !noBreakBefore(g) && !prevOpen {
			bp, bpEnd = i, i
		}
		if width+gw > w && i > start {
			if bp > start {
				return bpEnd, bp, true
			}
			return i, i, true
		}
		width += gw
		i += len(g)
		prevWide, prevHyphen, prevOpen = wide, g == "-", isOpening(g)
	}
	return 0, 0, false
}

// noBreakBefore: closing punctuation stays with what it closes.
func noBreakBefore(g string) bool {
	return strings.Contains(")]}>,.;:!?%，。、；：！？）】」』》〉”’…·～", g) && g != ""
}

func isOpening(g string) bool { return strings.Contains("([{<（【「『《〈“‘", g) && g != "" }

// cluster is the first grapheme of s and its width, with a fast path for ASCII (the grapheme
// segmenter is the slow part of wrapping English text).
func cluster(s string) (string, int) {
	if s[0] < 0x80 && (len(s) == 1 || s[1] < 0x80) {
		return s[:1], 1
	}
	return ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
}

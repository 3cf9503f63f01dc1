package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sahilm/fuzzy"

	"sunostudio/store"
)

// libRow is a library row plus what rendering and filtering need, computed once per row:
// the sanitised title and tags, and a lowercased haystack "title\x00tags".
//
// At 100k rows every byte of a row is 100 KB, so the derived strings share what they can:
// title and tags are Row.Title and Row.Tags themselves when sanitising changes nothing (the
// common case), and low is the start of hay, not a copy.
type libRow struct {
	store.Row
	title, tags string
	low         string // lowercased title, for sorting: hay[:len(low)]
	hay         string // low + "\x00" + lowercased tags
}

func newLibRow(r store.Row) *libRow {
	lr := &libRow{Row: r}
	lr.refresh()
	return lr
}

// refresh recomputes the derived fields after Row changed.
func (r *libRow) refresh() { r.derive(nil) }

// derive computes the derived fields, writing hay into a (nil: its own allocation).
func (r *libRow) derive(a *hayArena) {
	r.title = line(r.Row.Title)
	r.tags = line(r.Row.Tags)
	r.hay, r.low = a.hay(r.title, r.tags)
}

// hayArena packs the haystacks of many rows into shared chunks: one allocation per chunk
// instead of two per row. Written bytes never change (a chunk only grows into its free
// space), so every haystack stays valid; a chunk lives while any row in it does.
type hayArena struct {
	chunk *strings.Builder
	left  int // bytes still to come (an estimate), to size the last chunk
}

const hayChunk = 64 << 10

// hay returns lower(title) + "\x00" + lower(tags) and its title part, exactly as
// strings.ToLower lowercases.
func (a *hayArena) hay(title, tags string) (hay, low string) {
	n := len(title) + 1 + len(tags)
	var b *strings.Builder
	if a != nil {
		a.left -= n
		// Room for twice n: lowercasing valid UTF-8 grows it by half at most (Ⱥ to ⱥ). Were
		// it short, the Builder would grow into a copy: wasteful, still correct.
		if a.chunk == nil || a.chunk.Cap()-a.chunk.Len() < 2*n {
			a.chunk = new(strings.Builder)
			a.chunk.Grow(max(2*n, min(hayChunk, a.left+2*n)))
		}
		b = a.chunk
	} else {
		b = new(strings.Builder)
		b.Grow(n)
	}
	start := b.Len()
	writeLower(b, title)
	nt := b.Len() - start
	b.WriteByte(0)
	writeLower(b, tags)
	hay = b.String()[start:]
	return hay, hay[:nt]
}

// writeLower writes strings.ToLower(s) to b without making that string first: ASCII a byte
// at a time, the rest (from the first non-ASCII byte) rune by rune, invalid bytes as U+FFFD.
func writeLower(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				b.WriteRune(unicode.ToLower(r))
			}
			return
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
}

// Match tiers: a query whose every word is in the title beats one found in the tags, which
// beats a fuzzy (in-order letters) match. Within a tier the library's sort order is kept, so
// "newest first" still means something while filtering.
const (
	tierTitle = iota
	tierText
	tierFuzzy
	numTiers
)

// fuzzyRankMax bounds how many fuzzy-only matches get scored and reordered by sahilm/fuzzy:
// scoring is the expensive part, and a short query that fuzzily matches half the library is
// better served by the sort order than by a slow ranking nobody reads to the end of.
const fuzzyRankMax = 2000

// filterScratch holds the filter's buffers between keystrokes: at 100k clips, allocating
// fresh result slices on every key press is what makes the garbage collector show up in the
// keystroke's time. matched alternates between two buffers because the previous keystroke's
// matches are the next one's input.
type filterScratch struct {
	tiers   [numTiers][]*libRow
	matched [2][]*libRow
	flip    int
	ranked  []*libRow
}

// filterRows keeps the rows matching every word of query (case-insensitive; each word as a
// substring or, failing that, as letters in order) and returns them best tier first. src is
// in sort order; matched is the same set in sort order, for the next keystroke's incremental
// filtering (a query that extends this one can only match a subset). The results live in sc's
// buffers: ranked until the next call, matched until the one after.
func filterRows(src []*libRow, query string, sc *filterScratch) (ranked, matched []*libRow) {
	terms := strings.Fields(strings.ToLower(query))
	if len(terms) == 0 {
		return src, src
	}
	if sc == nil {
		sc = &filterScratch{}
	}
	var tiers [numTiers][]*libRow
	for i := range tiers {
		tiers[i] = sc.tiers[i][:0]
	}
	matched = sc.matched[sc.flip][:0]
	for _, r := range src {
		tier := tierTitle
		ok := true
		for _, t := range terms {
			i := strings.Index(r.hay, t)
			switch {
			case i >= 0 && i+len(t) <= len(r.low):
				// in the title
			case i >= 0:
				tier = max(tier, tierText)
			case inOrder(r.hay, t):
				tier = tierFuzzy
			default:
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok {
			matched = append(matched, r)
			tiers[tier] = append(tiers[tier], r)
		}
	}
	sc.tiers = tiers
	sc.matched[sc.flip] = matched
	sc.flip ^= 1
	if fz := tiers[tierFuzzy]; len(terms) == 1 && len(fz) > 1 && len(fz) <= fuzzyRankMax {
		tiers[tierFuzzy] = rankFuzzy(fz, terms[0])
	}
	ranked = sc.ranked[:0]
	for _, t := range tiers {
		ranked = append(ranked, t...)
	}
	sc.ranked = ranked
	return ranked, matched
}

// inOrder reports whether the runes of t appear in s in order (a fuzzy match). strings.IndexRune
// finds whole characters, so a CJK query never matches half of another character's bytes.
func inOrder(s, t string) bool {
	for _, r := range t {
		var i int
		if r < utf8.RuneSelf {
			i = strings.IndexByte(s, byte(r))
		} else {
			i = strings.IndexRune(s, r)
		}
		if i < 0 {
			return false
		}
		s = s[i+utf8.RuneLen(r):]
	}
	return true
}

type hays []*libRow

func (h hays) String(i int) string { return h[i].hay }
func (h hays) Len() int            { return len(h) }

// rankFuzzy orders fuzzy matches by sahilm/fuzzy's score (consecutive letters, word starts),
// keeping any it does not score at the end in their original order.
func rankFuzzy(rows []*libRow, term string) []*libRow {
	ms := fuzzy.FindFrom(term, hays(rows))
	out := make([]*libRow, 0, len(rows))
	used := make([]bool, len(rows))
	for _, m := range ms {
		out = append(out, rows[m.Index])
		used[m.Index] = true
	}
	for i, r := range rows {
		if !used[i] {
			out = append(out, r)
		}
	}
	return out
}

package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/sahilm/fuzzy"

	"sunostudio/store"
)

// libRow is a library row plus what rendering and filtering need, computed once per row:
// the sanitised title and tags, and a lowercased haystack "title\x00tags".
type libRow struct {
	store.Row
	title, tags string
	low         string // lowercased title, for sorting
	hay         string // low + "\x00" + lowercased tags
}

func newLibRow(r store.Row) *libRow {
	lr := &libRow{Row: r}
	lr.refresh()
	return lr
}

// refresh recomputes the derived fields after Row changed.
func (r *libRow) refresh() {
	r.title = line(r.Row.Title)
	r.tags = line(r.Row.Tags)
	r.low = strings.ToLower(r.title)
	r.hay = r.low + "\x00" + strings.ToLower(r.tags)
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

package ui

import (
	"math/rand/v2"
	"slices"
	"testing"

	"sunostudio/store"
)

func TestFilterTiers(t *testing.T) {
	rows := libRows([]store.Row{
		{ID: "a", Title: "Midnight Neon Rain", Tags: "synthwave"},
		{ID: "b", Title: "夏日海风 Summer", Tags: "city pop, 国风"},
		{ID: "c", Title: "Rainy Day", Tags: "lo-fi, midnight"},
		{ID: "d", Title: "Mountain", Tags: "folk"},
		{ID: "e", Title: "Evil\x1b]52;c;aGk=\x07 Title", Tags: ""},
	})
	ids := func(rs []*libRow) []string {
		out := []string{}
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"midnight", []string{"a", "c"}}, // title match before tag match
		{"MIDNIGHT", []string{"a", "c"}}, // case-insensitive
		{"rain", []string{"a", "c"}},
		{"mnr", []string{"a"}}, // fuzzy: m..n..r in order
		{"国风", []string{"b"}},
		{"夏风", []string{"b"}},            // fuzzy over CJK
		{"rain day", []string{"c", "a"}}, // c has both words; a has "rain" and d-a-y in order
		{"52", nil},                      // the escape sequence is not part of the searchable title
		{"evil title", []string{"e"}},
		{"zzz", nil},
	} {
		got, _ := filterRows(rows, tc.q, nil)
		if !slices.Equal(ids(got), append([]string{}, tc.want...)) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("%q: got %v, want %v", tc.q, ids(got), tc.want)
		}
	}
}

// TestIncrementalFilterMatchesFullFilter: typing and deleting characters one by one (the
// incremental path) always shows exactly what filtering the whole library shows.
func TestIncrementalFilterMatchesFullFilter(t *testing.T) {
	e := newEnv(t, func(e *env) { mustPut(t, store.GenerateLibrary(e.st, 1500, 5)) })
	e.exec(loadRowsCmd(e.st))
	p := &e.m.lib
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aeinortsmlu 夜雨城市风梦-")
	q := []rune{}
	for i := 0; i < 400; i++ {
		if len(q) > 0 && rng.IntN(3) == 0 {
			q = q[:len(q)-1]
		} else if len(q) < 8 {
			q = append(q, alphabet[rng.IntN(len(alphabet))])
		}
		p.setQuery(string(q))
		want, _ := filterRows(p.all, string(q), nil)
		if len(want) != len(p.shown) {
			t.Fatalf("%q: incremental %d rows, full %d", string(q), len(p.shown), len(want))
		}
		for j := range want {
			if want[j] != p.shown[j] {
				t.Fatalf("%q: row %d differs", string(q), j)
			}
		}
	}
}

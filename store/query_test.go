package store

import (
	"fmt"
	"slices"
	"testing"
)

// queryLibrary: six clips with distinct titles, tags, lyrics, models and durations.
func queryLibrary(t *testing.T) *Store {
	s := newStore(t)
	for i, c := range []*Clip{
		{ID: "c1", Title: "Midnight Drive", Tags: "synthwave, male vocals", Lyrics: "neon rain", Model: "chirp-v4", Status: ClipComplete, Duration: 180},
		{ID: "c2", Title: "夜的第七章", Tags: "国风", Lyrics: "雨停了", Model: "chirp-v3-5", Status: ClipComplete, Duration: 95.5, Favorite: true},
		{ID: "c3", Title: "apple pie", Tags: "folk", Lyrics: "星光照亮回家的路 under the MOON", Model: "chirp-v4", Status: ClipStreaming, Duration: 30},
		{ID: "c4", Title: "Zebra", Tags: "jazz, 抒情", Lyrics: "夜色温柔", Model: "chirp-auk", Status: ClipFailed, Duration: 240, Favorite: true},
		{ID: "c5", Title: "banana Split", Tags: "pop", Lyrics: "Ünïcode ÄÖÜ", Model: "chirp-v4", Status: ClipComplete, Duration: 95.5},
		{ID: "c6", Title: "Écho", Tags: "edm", Lyrics: "", Model: "chirp-v4", Status: ClipComplete, Duration: 0, TaskID: "tk"},
	} {
		c.CreatedAt = at(i)
		must(t, s.PutClip(c))
	}
	return s
}

func TestQueryTextFilter(t *testing.T) {
	s := queryLibrary(t)
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"夜", []string{"c4", "c2"}},                   // title (c2) and lyrics (c4)
		{"抒情", []string{"c4"}},                        // tags, CJK
		{"MIDNIGHT", []string{"c1"}},                  // case-insensitive title
		{"moon", []string{"c3"}},                      // case-insensitive lyrics
		{"SYNTHWAVE, MALE", []string{"c1"}},           // tags
		{"äöü", []string{"c5"}},                       // non-ASCII case folding
		{"écho", []string{"c6"}},                      // É in the title
		{"rain", []string{"c1"}},                      // lyrics
		{"e", []string{"c6", "c5", "c4", "c3", "c1"}}, // newest first
		{"no such words", nil},
	} {
		p, err := s.Clips(Query{Text: tc.text})
		must(t, err)
		if !slices.Equal(ids(p.Clips), tc.want) || p.Total != len(tc.want) {
			t.Errorf("Text %q = %v (total %d), want %v", tc.text, ids(p.Clips), p.Total, tc.want)
		}
	}
}

func TestQueryFilters(t *testing.T) {
	s := queryLibrary(t)
	for name, tc := range map[string]struct {
		q    Query
		want []string
	}{
		"favourite":      {Query{Favorite: true}, []string{"c4", "c2"}},
		"model":          {Query{Model: "chirp-v4"}, []string{"c6", "c5", "c3", "c1"}},
		"status":         {Query{Status: ClipComplete}, []string{"c6", "c5", "c2", "c1"}},
		"task":           {Query{TaskID: "tk"}, []string{"c6"}},
		"model+status":   {Query{Model: "chirp-v4", Status: ClipStreaming}, []string{"c3"}},
		"fav+text":       {Query{Favorite: true, Text: "夜"}, []string{"c4", "c2"}},
		"model+text+asc": {Query{Model: "chirp-v4", Text: "n", Asc: true}, []string{"c1", "c3", "c5"}},
		"unknown model":  {Query{Model: "chirp-v9"}, nil},
	} {
		p, err := s.Clips(tc.q)
		must(t, err)
		if !slices.Equal(ids(p.Clips), tc.want) || p.Total != len(tc.want) {
			t.Errorf("%s: %v (total %d), want %v", name, ids(p.Clips), p.Total, tc.want)
		}
	}
}

func TestQuerySort(t *testing.T) {
	s := queryLibrary(t)
	for name, tc := range map[string]struct {
		q    Query
		want []string
	}{
		"date default":  {Query{}, []string{"c6", "c5", "c4", "c3", "c2", "c1"}},
		"date asc":      {Query{Asc: true}, []string{"c1", "c2", "c3", "c4", "c5", "c6"}},
		"title A-Z":     {Query{Sort: SortTitle}, []string{"c3", "c5", "c1", "c4", "c6", "c2"}},
		"title Z-A":     {Query{Sort: SortTitle, Asc: true}, []string{"c2", "c6", "c4", "c1", "c5", "c3"}},
		"duration long": {Query{Sort: SortDuration}, []string{"c4", "c1", "c5", "c2", "c3", "c6"}},
		"duration asc":  {Query{Sort: SortDuration, Asc: true}, []string{"c6", "c3", "c2", "c5", "c1", "c4"}},
		"title limited": {Query{Sort: SortTitle, Limit: 2}, []string{"c3", "c5"}},
		"dur + filter":  {Query{Sort: SortDuration, Model: "chirp-v4"}, []string{"c1", "c5", "c3", "c6"}},
	} {
		p, err := s.Clips(tc.q)
		must(t, err)
		if !slices.Equal(ids(p.Clips), tc.want) || p.Total != 6 && tc.q.Model == "" {
			t.Errorf("%s: %v (total %d), want %v", name, ids(p.Clips), p.Total, tc.want)
		}
	}
	_, err := s.Clips(Query{Sort: "loudness"})
	wantErr(t, err, ErrInvalid)
}

// pages collects every page of q, inserting newer clips after the first page.
func pages(t *testing.T, s *Store, q Query, between func()) (all []string, total int) {
	t.Helper()
	for n := 0; ; n++ {
		p, err := s.Clips(q)
		must(t, err)
		if q.Limit > 0 && len(p.Clips) > q.Limit {
			t.Fatalf("page of %d clips, limit %d", len(p.Clips), q.Limit)
		}
		all = append(all, ids(p.Clips)...)
		total = p.Total
		if p.Next == "" {
			return all, total
		}
		if n == 0 && between != nil {
			between()
		}
		q.Cursor = p.Next
		if n > 100 {
			t.Fatal("paging does not end")
		}
	}
}

func TestPagingStableUnderInserts(t *testing.T) {
	for name, q := range map[string]Query{
		"date":            {Limit: 4},
		"date asc":        {Limit: 4, Asc: true},
		"date filtered":   {Limit: 4, Text: "song"},
		"title":           {Limit: 4, Sort: SortTitle},
		"title Z-A":       {Limit: 3, Sort: SortTitle, Asc: true},
		"duration":        {Limit: 5, Sort: SortDuration},
		"duration asc":    {Limit: 7, Sort: SortDuration, Asc: true},
		"exact multiple":  {Limit: 5},
		"filtered exact":  {Limit: 5, Status: ClipComplete},
		"task, one page":  {Limit: 50, TaskID: "task-c07"},
		"all, no limit":   {},
		"all title order": {Sort: SortTitle},
	} {
		t.Run(name, func(t *testing.T) {
			s := newStore(t)
			var want []string
			for i := 0; i < 20; i++ {
				c := clip(fmt.Sprintf("c%02d", i), i)
				c.Duration = float64(100 + i%4) // ties: the key breaks them
				must(t, s.PutClip(c))
				want = append(want, c.ID)
			}
			// Newer clips arrive while the user pages; with date order they sort before the
			// cursor, so the pages continue exactly where they left off.
			insert := func() {
				if q.Asc && q.Sort == "" {
					return // ascending date: new clips rightly appear at the end
				}
				for i := 0; i < 3; i++ {
					c := clip(fmt.Sprintf("new%d", i), 100+i)
					// Values that sort before everything already paged through.
					switch {
					case q.Sort == SortTitle && !q.Asc:
						c.Title = "AAA newer"
					case q.Sort == SortTitle:
						c.Title = "zzz newer"
					case q.Sort == SortDuration && !q.Asc:
						c.Duration = 999
					case q.Sort == SortDuration:
						c.Duration = 1
					}
					must(t, s.PutClip(c))
				}
			}
			got, total := pages(t, s, q, insert)
			if q.TaskID != "" {
				want = []string{"c07"}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("pages = %v\nwant (any order) %v", got, want)
			}
			if total < len(want) {
				t.Fatalf("Total = %d", total)
			}
		})
	}
}

func TestPagingOrder(t *testing.T) {
	s := queryLibrary(t)
	for _, sortBy := range []string{SortDate, SortTitle, SortDuration} {
		for _, asc := range []bool{false, true} {
			full, err := s.Clips(Query{Sort: sortBy, Asc: asc})
			must(t, err)
			for limit := 1; limit <= 6; limit++ {
				got, total := pages(t, s, Query{Sort: sortBy, Asc: asc, Limit: limit}, nil)
				if !slices.Equal(got, ids(full.Clips)) || total != 6 {
					t.Errorf("%s asc=%v limit %d: %v, want %v", sortBy, asc, limit, got, ids(full.Clips))
				}
			}
		}
	}
}

func TestBadCursor(t *testing.T) {
	s := queryLibrary(t)
	p, err := s.Clips(Query{Sort: SortTitle, Limit: 2})
	must(t, err)
	for name, q := range map[string]Query{
		"garbage":       {Cursor: "!!!"},
		"short":         {Cursor: "AQ"},
		"other sort":    {Cursor: p.Next},
		"other dir":     {Cursor: p.Next, Sort: SortTitle, Asc: true},
		"random base64": {Cursor: "AQEBAQEBAQEBAQEBAQEB"},
	} {
		_, err := s.Clips(q)
		wantErr(t, err, ErrBadCursor)
		t.Logf("%s: %v", name, err)
	}
}

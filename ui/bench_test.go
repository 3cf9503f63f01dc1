package ui

import (
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"sunostudio/store"
)

// The 100k-clip library is generated once per test binary (store.GenerateLibrary: mixed
// Chinese and English titles, tags and lyrics) and removed by TestMain.
var (
	benchOnce sync.Once
	benchDir  string
	benchRows []store.Row
	benchErr  error
	rowsTime  time.Duration
)

const benchClips = 100_000

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func bigLibrary(b *testing.B) []store.Row {
	b.Helper()
	benchOnce.Do(func() {
		if benchDir, benchErr = os.MkdirTemp("", "ui-bench-"); benchErr != nil {
			return
		}
		st, err := store.Open(filepath.Join(benchDir, "library.db"), store.OpenOptions{})
		if err != nil {
			benchErr = err
			return
		}
		defer st.Close()
		if benchErr = store.GenerateLibrary(st, benchClips, 1); benchErr != nil {
			return
		}
		start := time.Now()
		benchRows, benchErr = st.Rows()
		rowsTime = time.Since(start)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	b.Logf("store.Rows: %d rows in %v", len(benchRows), rowsTime.Round(time.Millisecond))
	return benchRows
}

// bigStudio is a studio whose library pane holds the 100k rows, focused, at 120x40.
func bigStudio(b *testing.B) *env {
	rows := bigLibrary(b)
	e := newEnv(b, seedStudio)
	e.load()
	e.m.lib.setRows(libRows(rows), true)
	e.size(120, 40)
	e.key("esc", "4")
	return e
}

// BenchmarkView100k renders the full screen (every pane, 120x40) with 100k clips loaded.
func BenchmarkView100k(b *testing.B) {
	e := bigStudio(b)
	b.ResetTimer()
	for b.Loop() {
		e.m.dirty = true
		e.m.View()
	}
}

// BenchmarkFilterKeystroke100k is one keystroke in the library filter over 100k clips,
// through Update (the text field, the filter, the list), for the cases that cost most:
//   - first: the first character, which scans every clip;
//   - extend: a character added to a query, which filters the previous matches only;
//   - edit: a backspace, which must scan every clip again;
//   - cjk: a Chinese character.
func BenchmarkFilterKeystroke100k(b *testing.B) {
	e := bigStudio(b)
	e.key("/")
	for _, tc := range []struct {
		name string
		prep []string
		key  string
		undo string
	}{
		{"first", nil, "m", "backspace"},
		{"extend", []string{"m", "i"}, "d", "backspace"},
		{"edit", []string{"m", "i", "d"}, "backspace", "d"},
		{"cjk", nil, "夜", "backspace"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			e.m.lib.input.SetValue("")
			e.m.lib.setQuery("")
			e.key(tc.prep...)
			key, undo := keyMsg(tc.key), keyMsg(tc.undo)
			var times []time.Duration
			matches := 0
			for b.Loop() {
				start := time.Now()
				e.send(key)
				times = append(times, time.Since(start))
				b.StopTimer()
				matches = len(e.m.lib.shown)
				e.send(undo) // back to the state before the keystroke
				b.StartTimer()
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms-median")
			b.ReportMetric(float64(matches), "matches")
		})
	}
}

// BenchmarkRowsLoaded100k is the update-loop side of loading the library: taking the 100k
// rows the loading Cmd prepared (the conversion itself runs in the Cmd).
func BenchmarkRowsLoaded100k(b *testing.B) {
	e := bigStudio(b)
	rows := libRows(bigLibrary(b))
	for b.Loop() {
		e.send(rowsMsg{rows: rows})
	}
}

// BenchmarkSortTitle100k is the sort key over 100k clips (not per keystroke, but it should
// not freeze the screen either).
func BenchmarkSortTitle100k(b *testing.B) {
	e := bigStudio(b)
	for b.Loop() {
		e.m.lib.sortBy = store.SortDate
		e.m.lib.cycleSort() // date -> title
	}
}

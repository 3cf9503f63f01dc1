package store

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The 100k library is built once per test binary (about a second or two) and shared by the
// benchmarks; TestMain removes it.
var (
	benchDir  string
	benchPath string
	benchOnce sync.Once
	benchErr  error
)

const benchClips = 100_000

func benchLibrary(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		if benchDir, benchErr = os.MkdirTemp("", "store-bench-"); benchErr != nil {
			return
		}
		benchPath = filepath.Join(benchDir, "library.db")
		start := time.Now()
		s, err := Open(benchPath, OpenOptions{})
		if err != nil {
			benchErr = err
			return
		}
		if benchErr = GenerateLibrary(s, benchClips, 1); benchErr != nil {
			s.Close()
			return
		}
		benchErr = s.Close()
		fi, _ := os.Stat(benchPath)
		b.Logf("generated %d clips in %v, file %.1f MiB", benchClips, time.Since(start).Round(time.Millisecond),
			float64(fi.Size())/(1<<20))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

func benchStore(b *testing.B) *Store {
	s, err := Open(benchLibrary(b), OpenOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkOpenNewest50 is what starting the TUI costs the library: open, first page, close.
func BenchmarkOpenNewest50(b *testing.B) {
	path := benchLibrary(b)
	b.ResetTimer()
	for b.Loop() {
		s, err := Open(path, OpenOptions{})
		if err != nil {
			b.Fatal(err)
		}
		cs, err := s.Newest(50)
		if err != nil || len(cs) != 50 {
			b.Fatal(len(cs), err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFilter100k(b *testing.B) {
	s := benchStore(b)
	for _, tc := range []struct{ name, text string }{{"zh", "夜"}, {"en", "midnight"}, {"none", "no such words"}} {
		b.Run(tc.name, func(b *testing.B) {
			var total int
			for b.Loop() {
				p, err := s.Clips(Query{Text: tc.text, Limit: 50})
				if err != nil {
					b.Fatal(err)
				}
				total = p.Total
			}
			b.ReportMetric(float64(total), "matches")
		})
	}
}

func BenchmarkSortTitle100k(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		p, err := s.Clips(Query{Sort: SortTitle, Limit: 50})
		if err != nil || len(p.Clips) != 50 {
			b.Fatal(err)
		}
	}
}

func BenchmarkExport100k(b *testing.B) {
	s := benchStore(b)
	var cw countWriter
	if err := s.Export(&cw); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(cw))
	b.ResetTimer()
	for b.Loop() {
		if err := s.Export(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

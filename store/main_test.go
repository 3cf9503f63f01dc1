package store

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var updateFixture = flag.Bool("update-fixture", false, "rewrite testdata/schema1.db")

// TestMain doubles as a helper process: the lock tests re-exec the test binary with
// STORE_HELPER=hold, which opens the library, prints "ready" and holds it until stdin closes.
func TestMain(m *testing.M) {
	if os.Getenv("STORE_HELPER") == "hold" {
		os.Exit(holdLibrary(os.Getenv("STORE_PATH"), os.Getenv("STORE_CHURN") != ""))
	}
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func holdLibrary(path string, churn bool) int {
	s, err := Open(path, OpenOptions{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 1
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; churn; i++ {
			select {
			case <-stop:
				return
			default:
			}
			// Keep committing (and growing the file) while the test takes snapshots.
			c := &Clip{ID: fmt.Sprintf("churn-%d", i), Title: "churn", Status: ClipQueued, Lyrics: string(make([]byte, 2000))}
			if err := s.PutClip(c); err != nil {
				fmt.Fprintln(os.Stderr, "helper:", err)
				return
			}
		}
	}()
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	close(stop)
	<-done
	if err := s.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 1
	}
	return 0
}

// clock is a deterministic Now: every call advances one second.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// newStore opens a new library in a temp folder with a deterministic clock.
func newStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "library.db"), OpenOptions{Now: newClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// at is t0 plus n minutes.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

func clip(id string, n int) *Clip {
	return &Clip{ID: id, TaskID: "task-" + id, Title: "Song " + id, Status: ClipComplete, Download: DownloadDone,
		Model: "chirp-v4", Duration: float64(60 + n), CreatedAt: at(n)}
}

func ids(cs []*Clip) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func taskIDs(ts []*Task) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

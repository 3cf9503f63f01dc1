package studio

import (
	"context"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/client/sim"
	"sunostudio/store"
)

// countingTransport counts every relay request the engine's client makes.
type countingTransport struct {
	n    atomic.Int64
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// BenchmarkRequestsPerTick100Pending is the polling cost of the task dialect with 100 pending
// tasks that do not change (sim StageTime of an hour): each iteration moves the fake clock to
// the next wake-up and runs one tracker tick, like the engine's own loop does. requests/tick
// counts every request the client sent during the ticks (the promise: one batch fetch per
// tick for all pending tasks); ns/op is the cost of a tick on our side plus the simulator's
// answer.
func BenchmarkRequestsPerTick100Pending(b *testing.B) {
	s, err := sim.Start(sim.Options{StageTime: time.Hour, SongSeconds: 6})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	count := &countingTransport{next: http.DefaultTransport}
	cl, err := client.New(client.Profile{Name: "sim", BaseURL: s.URL(), APIKey: s.Key(), Dialect: client.DialectTask},
		client.WithHTTPClient(&http.Client{Transport: count}), client.WithRetry(1, time.Millisecond))
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	st, err := store.Open(filepath.Join(dir, "library.db"), store.OpenOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	clock := &fakeClock{now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	// The tracker is driven by hand: the engine is built but not started (manualEngine does the
	// same for tests).
	e, err := New(Options{Client: cl, Store: st, SongsDir: filepath.Join(dir, "songs"), Now: clock.Now,
		PollBase: time.Second, PollMax: 8 * time.Second, TaskDeadline: 1000 * time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(e.Close)
	const pending = 100
	for i := 0; i < pending; i++ {
		if _, err := e.Submit(context.Background(), inspiration("bench song"), SubmitOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	e.wg.Wait() // the quota refreshes that follow a submit are not polling
	if n := e.Pending(); n != pending {
		b.Fatalf("pending = %d", n)
	}
	count.n.Store(0)
	s.ResetCounts()
	ticks := 0
	b.ResetTimer()
	for b.Loop() {
		at, ok := e.tracker.nextWake()
		if !ok {
			b.Fatal("nothing pending")
		}
		clock.Add(at.Sub(clock.Now()))
		e.tracker.tick(context.Background())
		ticks++
	}
	b.StopTimer()
	e.wg.Wait()
	if e.Pending() != pending {
		b.Fatalf("pending after %d ticks: %d", ticks, e.Pending())
	}
	b.ReportMetric(float64(count.n.Load())/float64(ticks), "requests/tick")
	b.ReportMetric(float64(s.Requests("POST /suno/fetch"))/float64(ticks), "batch-fetches/tick")
}

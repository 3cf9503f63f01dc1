package ui

import (
	"strings"
	"testing"
	"time"

	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

func TestWaveLevels(t *testing.T) {
	// Resampling keeps the loudest peak of each slice, and levels are relative to the song's
	// loudest moment.
	peaks := []float32{0.1, 0.2, 0.05, 0.4, 0.2, 0.2, 0.1, 0.1}
	if got := waveLevels(peaks, 4); !equalInts(got, []int{4, 7, 4, 2}) {
		t.Fatalf("8 -> 4: %v", got)
	}
	// Fewer peaks than columns: each peak spreads over its columns.
	if got := waveLevels([]float32{0.5, 1}, 4); !equalInts(got, []int{4, 4, 7, 7}) {
		t.Fatalf("2 -> 4: %v", got)
	}
	// Silence is the lowest block, not a gap or a division by zero.
	if got := waveLevels([]float32{0, 0, 0}, 3); !equalInts(got, []int{0, 0, 0}) {
		t.Fatalf("silence: %v", got)
	}
	if waveLevels(nil, 10) != nil || waveLevels(peaks, 0) != nil {
		t.Fatal("empty")
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestWaveformArrivesWithPeaksReady: a track whose waveform is not computed yet shows the
// plain bar; the engine's PeaksReady event for it brings the waveform in, one for another
// clip does nothing.
func TestWaveformArrivesWithPeaksReady(t *testing.T) {
	e := newEnv(t, seedStudio)
	e.load()
	e.size(120, 40)
	st := player.Status{State: player.Playing, Gen: 1, Track: player.Source{ID: "clip-a1", Title: "夏日海风"},
		Position: 30 * time.Second, Duration: 183 * time.Second, Buffered: 183 * time.Second}
	e.exec(e.send(playerMsg{ev: player.Event{Gen: 1, Kind: player.EventTrackChanged, State: player.Playing}, st: &st}))
	bar := func() string { return strings.Split(e.screen(), "\n")[37] }
	if !strings.Contains(bar(), "━━━") || strings.ContainsAny(bar(), "▁▂▃▄▅▆▇█") {
		t.Fatalf("before the peaks: %q", bar())
	}
	if e.m.wave.want != "clip-a1" {
		t.Fatalf("not waiting for the peaks: %+v", e.m.wave)
	}
	mustPut(t, e.st.PutPeaks("clip-a1", seedPeaks()))
	other := &store.Clip{ID: "clip-a2"}
	if cmd := e.send(engineMsg{studio.Event{Kind: studio.PeaksReady, Clip: other}}); cmd != nil {
		t.Fatal("another clip's peaks were asked for")
	}
	c, _ := e.st.Clip("clip-a1")
	e.exec(e.send(engineMsg{studio.Event{Kind: studio.PeaksReady, Clip: c}}))
	b := bar()
	if !strings.ContainsAny(b, "▁▂▃▄▅▆▇█") || !strings.Contains(b, "┃") || strings.Contains(b, "━") {
		t.Fatalf("after PeaksReady: %q", b)
	}
	// The playhead sits where the position is: 30 s of 183 s.
	plain := ansiStrip(b)
	at := width(plain[:strings.IndexRune(plain, '┃')])
	if want := e.m.plr.barX + e.m.plr.barW*30/183; at != want {
		t.Fatalf("playhead at column %d, want %d: %q", at, want, plain)
	}
}

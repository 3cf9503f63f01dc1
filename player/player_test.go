package player

import (
	"context"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"time"
)

func TestPlaysFileSampleExact(t *testing.T) {
	p, out, ev := newTest(t, Options{})
	b := readFile(t, fixture(t, "phrase1.mp3"))
	ref := refDecode(t, b)
	gen := p.Play(Source{ID: "a", Title: "A", Path: fixture(t, "phrase1.mp3")})
	tc := waitEvent(t, ev, kind(EventTrackChanged))
	if tc.Gen != gen || tc.Track.ID != "a" || tc.Duration != dur(len(ref)) {
		t.Fatalf("TrackChanged = %+v, want gen %d and duration %v", tc, gen, dur(len(ref)))
	}
	st := p.Status()
	if st.State != Playing || st.Duration != dur(len(ref)) || st.Buffered != st.Duration || st.Position != 0 {
		t.Fatalf("status = %+v", st)
	}
	got := out.Pull(1000)
	got = append(got, out.Pull(len(ref)-1000)...)
	equalSamples(t, "decoded", got, ref)
	waitEvent(t, ev, kind(EventEnded))
	if st := p.Status(); st.State != Stopped || st.Err != nil {
		t.Fatalf("after the end: %+v", st)
	}
	if err := p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !allEqual(out.Pull(500), 0) {
		t.Fatal("not silent after the end")
	}
}

// The exact duration of hand-made frames: no fixture, no decoder guesswork.
func TestSilentFramesDuration(t *testing.T) {
	p, out, _ := newTest(t, Options{})
	p.Play(Source{Path: writeTemp(t, "silence.mp3", silentFrames(100))})
	if st := p.Status(); st.Duration != dur(100*1152) || st.State != Playing {
		t.Fatalf("status = %+v, want %v", st, dur(100*1152))
	}
	out.Pull(100*1152 - 1)
	if st := p.Status(); st.State != Playing || st.Position != dur(100*1152-1) {
		t.Fatalf("one sample before the end: %+v", st)
	}
	out.Pull(1)
	if st := p.Status(); st.State != Stopped {
		t.Fatalf("at the end: %+v", st)
	}
}

func TestQueueAdvancesAtTheExactSample(t *testing.T) {
	p, out, ev := newTest(t, Options{})
	a, b := fixture(t, "phrase1.mp3"), fixture(t, "phrase2.mp3")
	na := len(refDecode(t, readFile(t, a)))
	refB := refDecode(t, readFile(t, b))
	p.Add(Source{ID: "a", Path: a}, Source{ID: "b", Path: b})
	if err := p.PlayIndex(0); err != nil {
		t.Fatal(err)
	}
	g0 := waitEvent(t, ev, kind(EventTrackChanged)).Gen
	out.Pull(na - 10)
	if st := p.Status(); st.Index != 0 || st.Position != dur(na-10) {
		t.Fatalf("status = %+v", st)
	}
	out.Pull(10) // exactly the rest of track a
	tc := waitEvent(t, ev, kind(EventTrackChanged))
	if tc.Track.ID != "b" || tc.Gen <= g0 || tc.Position != 0 {
		t.Fatalf("TrackChanged = %+v", tc)
	}
	if st := p.Status(); st.Index != 1 || st.Position != 0 || st.State != Playing {
		t.Fatalf("status after a = %+v", st)
	}
	// A pull that spans the end of b and the end of the queue.
	got := out.Pull(len(refB) + 100)
	equalSamples(t, "b", got[:len(refB)], refB)
	if !allEqual(got[len(refB):], 0) {
		t.Fatal("not silent after the queue ended")
	}
	waitEvent(t, ev, kind(EventEnded))
}

// A pull spanning a track boundary continues with the next track in the same buffer.
func TestGaplessWithinOneBuffer(t *testing.T) {
	p, out, _ := newTest(t, Options{})
	p.Add(wavFile(t, "a", 1000, 0.25), wavFile(t, "b", 1000, 0.5))
	p.PlayIndex(0)
	got := out.Pull(1500)
	if !allEqual(got[:1000], 0.25) || !allEqual(got[1000:], 0.5) {
		t.Fatal("the second track does not follow at sample 1000")
	}
	if st := p.Status(); st.Index != 1 || st.Position != dur(500) {
		t.Fatalf("status = %+v", st)
	}
}

func TestPauseResume(t *testing.T) {
	p, out, ev := newTest(t, Options{})
	p.Play(wavFile(t, "a", 10000, 0.5))
	out.Pull(1000)
	p.Pause()
	if st := p.Status(); st.State != Paused || st.Position != dur(1000) {
		t.Fatalf("paused: %+v", st)
	}
	drain(ev)
	if !allEqual(out.Pull(3000), 0) {
		t.Fatal("paused output is not silent")
	}
	if st := p.Status(); st.Position != dur(1000) {
		t.Fatalf("position moved while paused: %v", st.Position)
	}
	select {
	case e := <-ev:
		if e.Kind == EventPosition {
			t.Fatalf("position event while paused: %+v", e)
		}
	case <-time.After(50 * time.Millisecond):
	}
	waitActive(t, out, false)
	p.Toggle()
	waitActive(t, out, true)
	if !allEqual(out.Pull(500), 0.5) {
		t.Fatal("no audio after resume")
	}
	if st := p.Status(); st.State != Playing || st.Position != dur(1500) {
		t.Fatalf("resumed: %+v", st)
	}
}

func waitActive(t *testing.T, out *ManualOutput, want bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); out.Active() != want; {
		if time.Now().After(deadline) {
			t.Fatalf("output active = %v, want %v", out.Active(), want)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestSeek(t *testing.T) {
	p, out, ev := newTest(t, Options{})
	b := concatMP3(t, 10*time.Second)
	ref := refDecode(t, b)
	p.Play(Source{Path: writeTemp(t, "ten.mp3", b)})
	out.Pull(777)
	drain(ev)
	if got := p.Seek(2 * time.Second); got != 2*time.Second {
		t.Fatalf("Seek(2s) = %v", got)
	}
	if st := p.Status(); st.Position != 2*time.Second {
		t.Fatalf("position = %v", st.Position)
	}
	if e := waitEvent(t, ev, kind(EventPosition)); e.Position != 2*time.Second {
		t.Fatalf("position event = %v", e.Position)
	}
	// The samples after a seek are those of a decode from the start (the bit reservoir and the
	// filter state are primed).
	equalSamples(t, "after seek", out.Pull(5000), ref[88200:88200+5000])
	if got := p.SeekBy(-500 * time.Millisecond); got != 2*time.Second+dur(5000)-500*time.Millisecond {
		t.Fatalf("SeekBy = %v", got)
	}
	// Into the middle of a frame, and right on frame boundaries.
	for _, at := range []int{1, 1151, 1152, 1153, 44100*7 + 13, len(ref) - 3000} {
		p.Seek(dur(at) + time.Nanosecond) // rounds to the sample
		if st := p.Status(); st.Position != dur(at) {
			t.Fatalf("seek %d: position %v", at, st.Position)
		}
		equalSamples(t, "seek", out.Pull(2000), ref[at:at+2000])
	}
	if got := p.Seek(-time.Second); got != 0 {
		t.Fatalf("Seek(-1s) = %v", got)
	}
	if got := p.Seek(time.Hour); got != dur(len(ref)) {
		t.Fatalf("Seek(1h) = %v, want the end %v", got, dur(len(ref)))
	}
	out.Pull(10)
	waitEvent(t, ev, kind(EventEnded))
	if out.Flushes() == 0 {
		t.Fatal("seeks did not flush the output")
	}
}

func TestVolume(t *testing.T) {
	p, out, _ := newTest(t, Options{})
	p.Play(wavFile(t, "a", 100000, 0.5))
	for _, c := range []struct {
		set, want int
		amp       float64
	}{{100, 100, 0.5}, {50, 50, 0.25}, {0, 0, 0}, {150, 150, 0.75}, {200, 150, 0.75}, {-5, 0, 0}, {80, 80, 0.4}} {
		if got := p.SetVolume(c.set); got != c.want || p.Volume() != c.want {
			t.Fatalf("SetVolume(%d) = %d, want %d", c.set, got, c.want)
		}
		if buf := out.Pull(100); !allEqual(buf, c.amp) {
			t.Fatalf("volume %d: sample %v, want %v", c.want, buf[0], c.amp)
		}
	}
	if !p.ToggleMute() || !p.Status().Muted {
		t.Fatal("not muted")
	}
	if !allEqual(out.Pull(100), 0) {
		t.Fatal("muted output is not silent")
	}
	if p.ToggleMute() {
		t.Fatal("still muted")
	}
	if !allEqual(out.Pull(100), 0.4) {
		t.Fatal("unmute did not restore the volume")
	}
	// Clipping at 150%: full scale stays full scale.
	p.Play(wavFile(t, "loud", 1000, 0.9))
	p.SetVolume(150)
	if !allEqual(out.Pull(100), 1) {
		t.Fatal("not clipped to 1")
	}
}

func TestVolumeScalesMP3(t *testing.T) {
	p, out, _ := newTest(t, Options{})
	ref := refDecode(t, readFile(t, fixture(t, "phrase2.mp3")))
	p.Play(Source{Path: fixture(t, "phrase2.mp3")})
	p.SetVolume(50)
	out.Pull(20000)
	got := out.Pull(10000)
	peak := 0.0
	for i, s := range got {
		w := ref[20000+i]
		peak = max(peak, math.Abs(w[0]))
		if math.Abs(s[0]-w[0]/2) > 1e-9 || math.Abs(s[1]-w[1]/2) > 1e-9 {
			t.Fatalf("sample %d = %v, want half of %v", i, s, w)
		}
	}
	if peak < 0.05 {
		t.Fatalf("fixture too quiet for the test: peak %v", peak)
	}
}

func TestQueueOps(t *testing.T) {
	p, _, ev := newTest(t, Options{})
	src := func(id string) Source { return Source{ID: id, Path: "/nonexistent/" + id} }
	ids := func() string {
		s := ""
		for _, it := range p.Items() {
			s += it.ID
		}
		return s
	}
	p.Add(src("a"), src("b"), src("c"))
	waitEvent(t, ev, kind(EventQueueChanged))
	p.InsertNext(src("x")) // nothing current: first
	if ids() != "xabc" {
		t.Fatalf("queue = %s", ids())
	}
	if err := p.Move(0, 3); err != nil || ids() != "abcx" {
		t.Fatalf("move: %s %v", ids(), err)
	}
	if err := p.Move(3, 1); err != nil || ids() != "axbc" {
		t.Fatalf("move: %s %v", ids(), err)
	}
	if err := p.Remove(1); err != nil || ids() != "abc" {
		t.Fatalf("remove: %s %v", ids(), err)
	}
	if p.Remove(3) == nil || p.Move(0, 5) == nil || p.Move(-1, 0) == nil || p.PlayIndex(7) == nil {
		t.Fatal("bad indexes accepted")
	}
	p.Clear()
	if len(p.Items()) != 0 || p.Status().QueueLen != 0 {
		t.Fatal("not cleared")
	}
}

// Three short tracks of distinct constant values: which one plays is visible in the samples.
func threeTracks(t *testing.T) []Source {
	return []Source{wavFile(t, "a", 1000, 0.1), wavFile(t, "b", 1000, 0.2), wavFile(t, "c", 1000, 0.3)}
}

// playedOrder pulls n tracks of 1000 samples and names each by its value.
func playedOrder(t *testing.T, out *ManualOutput, n int) string {
	t.Helper()
	s := ""
	for i := 0; i < n; i++ {
		buf := out.Pull(1000)
		switch {
		case allEqual(buf, 0.1):
			s += "a"
		case allEqual(buf, 0.2):
			s += "b"
		case allEqual(buf, 0.3):
			s += "c"
		case allEqual(buf, 0):
			s += "-"
		default:
			t.Fatalf("pull %d is a mix: %v ... %v", i, buf[0], buf[999])
		}
	}
	return s
}

func TestRepeatModes(t *testing.T) {
	for _, c := range []struct {
		repeat Repeat
		want   string
	}{{RepeatOff, "abc--"}, {RepeatAll, "abcabca"}, {RepeatOne, "aaaa"}} {
		t.Run(c.repeat.String(), func(t *testing.T) {
			p, out, ev := newTest(t, Options{})
			p.Add(threeTracks(t)...)
			p.SetRepeat(c.repeat)
			p.PlayIndex(0)
			waitEvent(t, ev, kind(EventTrackChanged))
			g := p.Status().Gen
			if got := playedOrder(t, out, len(c.want)); got != c.want {
				t.Fatalf("played %s, want %s", got, c.want)
			}
			st := p.Status()
			if c.repeat == RepeatOff {
				if st.State != Stopped {
					t.Fatalf("state %v", st.State)
				}
				waitEvent(t, ev, kind(EventEnded))
				return
			}
			if st.Position != 0 || st.Gen < g+uint64(len(c.want)) {
				t.Fatalf("status %+v (gen was %d)", st, g)
			}
		})
	}
}

func TestNextPrevious(t *testing.T) {
	p, out, ev := newTest(t, Options{})
	p.Add(threeTracks(t)...)
	p.PlayIndex(0)
	p.Next()
	if got := playedOrder(t, out, 1); got != "b" {
		t.Fatalf("after Next: %s", got)
	}
	// b ended naturally, c plays; Previous at 0 s goes to b.
	p.Previous()
	if st := p.Status(); st.Index != 1 || st.Position != 0 {
		t.Fatalf("after Previous: %+v", st)
	}
	p.Next()
	p.Next() // past the end with repeat off: stop
	waitEvent(t, ev, kind(EventEnded))
	if st := p.Status(); st.State != Stopped {
		t.Fatalf("after Next at the end: %+v", st)
	}
	// Previous after more than 3 s restarts the track.
	long := wavFile(t, "long", 5*OutputRate, 0.4)
	p.Play(long)
	out.Pull(4 * OutputRate)
	p.Previous()
	if st := p.Status(); st.Track.ID != "long" || st.Position != 0 {
		t.Fatalf("Previous after 4 s: %+v", st)
	}
	// Resume when stopped plays the current track from the start.
	p.Stop()
	if st := p.Status(); st.State != Stopped || st.Track.ID != "long" {
		t.Fatalf("stopped: %+v", st)
	}
	p.Resume()
	if st := p.Status(); st.State != Playing || st.Track.ID != "long" || st.Position != 0 {
		t.Fatalf("resumed from stop: %+v", st)
	}
}

func shuffledRun(t *testing.T, seed uint64, repeat Repeat, n int) string {
	p, out, _ := newTest(t, Options{Seed: seed})
	p.Add(threeTracks(t)...)
	p.SetRepeat(repeat)
	p.SetShuffle(true)
	p.Resume() // nothing current: the first of the shuffled order
	return playedOrder(t, out, n)
}

func TestShuffleDeterministic(t *testing.T) {
	a := shuffledRun(t, 42, RepeatOff, 4)
	if a != shuffledRun(t, 42, RepeatOff, 4) {
		t.Fatal("same seed, different order")
	}
	if a[3] != '-' || !isPermutation(a[:3]) {
		t.Fatalf("shuffled run %q is not each track once, then the end", a)
	}
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 20; seed++ {
		seen[shuffledRun(t, seed, RepeatOff, 3)] = true
	}
	if len(seen) < 3 {
		t.Fatalf("20 seeds gave only %d orders", len(seen))
	}
	// RepeatAll: every round is a permutation and no track plays twice in a row.
	r := shuffledRun(t, 7, RepeatAll, 12)
	for i := 0; i < 12; i += 3 {
		if !isPermutation(r[i : i+3]) {
			t.Fatalf("round %q of %q", r[i:i+3], r)
		}
	}
	for i := 1; i < len(r); i++ {
		if r[i] == r[i-1] {
			t.Fatalf("%q repeats a track", r)
		}
	}
}

func isPermutation(s string) bool {
	return len(s) == 3 && s[0] != s[1] && s[1] != s[2] && s[0] != s[2] && !containsDash(s)
}

func containsDash(s string) bool {
	for _, c := range s {
		if c == '-' {
			return true
		}
	}
	return false
}

func TestShuffleKeepsCurrentAndAddsAhead(t *testing.T) {
	p, out, _ := newTest(t, Options{Seed: 3})
	p.Add(threeTracks(t)...)
	p.PlayIndex(1)
	out.Pull(500)
	p.SetShuffle(true)
	if st := p.Status(); st.Index != 1 || st.Position != dur(500) {
		t.Fatalf("shuffle on changed the current track: %+v", st)
	}
	p.Add(wavFile(t, "d", 1000, 0.1))
	out.Pull(500)
	// b ended; the 3 others follow in some order, each once.
	rest := ""
	for i := 0; i < 3; i++ {
		rest += p.Status().Track.ID
		out.Pull(1000)
	}
	if len(rest) != 3 || rest[0] == rest[1] || rest[1] == rest[2] || rest[0] == rest[2] {
		t.Fatalf("after b: %q", rest)
	}
	if p.Status().State != Stopped {
		t.Fatal("did not end")
	}
}

func TestRemoveCurrentPlaysTheNext(t *testing.T) {
	p, out, _ := newTest(t, Options{})
	p.Add(threeTracks(t)...)
	p.PlayIndex(1)
	out.Pull(100)
	p.Pause()
	if err := p.Remove(1); err != nil {
		t.Fatal(err)
	}
	if st := p.Status(); st.Track.ID != "c" || st.State != Paused || st.Position != 0 {
		t.Fatalf("after removing the current track: %+v", st)
	}
	p.Remove(1)
	if st := p.Status(); st.State != Stopped {
		t.Fatalf("after removing the last: %+v", st)
	}
}

func TestBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	real := readFile(t, fixture(t, "phrase1.mp3"))
	rng := rand.New(rand.NewPCG(1, 2))
	junk := make([]byte, 200<<10)
	for i := range junk {
		junk[i] = byte(rng.UintN(256))
	}
	cut := 10000 // in the middle of a frame
	framesBefore := 0
	var ix mp3Index
	ix.update(bytesReaderAt(real), int64(len(real)), true)
	for _, o := range ix.offs {
		if o+208 <= int64(cut) {
			framesBefore++
		}
	}
	truncAt := seconds(dur(framesBefore * 1152))
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"random.mp3", junk, "cannot play random.mp3: not an mp3 file"},
		{"truncated.mp3", real[:cut], "cannot play truncated.mp3: file is truncated at " + truncAt},
		{"empty.mp3", nil, "cannot play empty.mp3: file is empty"},
		{"page.mp3", []byte("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"), "not an mp3 file (it looks like an HTML or XML page)"},
		{"json.mp3", []byte(`{"error":"quota"}`), "not an mp3 file (it looks like JSON)"},
		{"garbage-after.mp3", append(append([]byte{}, real...), junk[:3000]...), "file is damaged at"},
		{"tiny.mp3", []byte{0xFF, 0xFB}, "not an mp3 file"},
		{"id3only.mp3", []byte{'I', 'D', '3', 4, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4}, "not an mp3 file"},
		{"flac.mp3", append([]byte("fLaC"), junk[:100]...), "it is FLAC audio"},
		{"layer2.mp3", layer2Frames(3), "unsupported audio: MPEG layer II"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, out, ev := newTest(t, Options{})
			path := dir + "/" + c.name
			if err := os.WriteFile(path, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			p.Play(Source{Path: path})
			e := waitEvent(t, ev, kind(EventError))
			errContains(t, e.Err, c.want)
			var pe *PlayError
			if !errors.As(e.Err, &pe) {
				t.Fatalf("%T is not a PlayError", e.Err)
			}
			if st := p.Status(); st.State != Stopped || st.Err == nil {
				t.Fatalf("status %+v", st)
			}
			out.Pull(100)
			if err := p.Wait(context.Background()); err == nil {
				t.Fatal("Wait returned no error")
			}
			if time.Since(start) > 2*time.Second {
				t.Fatal("too slow")
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		p, _, ev := newTest(t, Options{})
		p.Play(Source{Title: "Gone", Path: dir + "/nope.mp3"})
		e := waitEvent(t, ev, kind(EventError))
		errContains(t, e.Err, "cannot play Gone: file not found")
		if !errors.Is(e.Err, ErrNotFound) {
			t.Fatal("not ErrNotFound")
		}
	})
}

// layer2Frames makes valid MPEG-1 Layer II frames (128 kbps, 44.1 kHz): 417 bytes each.
func layer2Frames(n int) []byte {
	f := make([]byte, 417)
	copy(f, []byte{0xFF, 0xFD, 0x80, 0xC0})
	out := []byte{}
	for i := 0; i < n; i++ {
		out = append(out, f...)
	}
	return out
}

type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// A broken file met while advancing is skipped: the queue goes on.
func TestBrokenFileInQueueIsSkipped(t *testing.T) {
	p, out, ev := newTest(t, Options{})
	bad := Source{ID: "bad", Path: writeTemp(t, "bad.mp3", []byte("not audio at all"))}
	ts := threeTracks(t)
	p.Add(ts[0], bad, ts[2])
	p.PlayIndex(0)
	if got := playedOrder(t, out, 3); got != "ac-" {
		t.Fatalf("played %q", got)
	}
	errContains(t, waitEvent(t, ev, kind(EventError)).Err, "not an mp3 file")
	err := p.Wait(context.Background())
	errContains(t, err, "cannot play bad.mp3")
	// Everything broken with RepeatAll (the good file vanished after it started): no endless loop.
	p.Clear()
	a := wavFile(t, "a", 1000, 0.1)
	p.Add(a, bad, bad)
	p.SetRepeat(RepeatAll)
	p.PlayIndex(0)
	os.Remove(a.Path)
	out.Pull(1010)
	if st := p.Status(); st.State != Stopped {
		t.Fatalf("state %v", st.State)
	}
}

// Bit flips in a real file: whatever the decoder makes of it, no panic escapes, and the player
// ends up stopped or playing on.
func TestMutatedMP3NeverPanics(t *testing.T) {
	real := readFile(t, fixture(t, "phrase3.mp3"))
	real = real[:min(len(real), 40*209)]
	rng := rand.New(rand.NewPCG(3, 4))
	p, out, _ := newTest(t, Options{})
	for i := 0; i < 30; i++ {
		b := append([]byte(nil), real...)
		for j := 0; j < 1+i; j++ {
			b[rng.IntN(len(b))] ^= byte(1 << rng.IntN(8))
		}
		p.Play(Source{Path: writeTemp(t, "m.mp3", b)})
		out.Pull(len(b) / 208 * 1152)
		out.Pull(2000)
		if st := p.Status(); st.State != Stopped {
			t.Fatalf("variant %d still %v", i, st.State)
		}
	}
}

func TestResamplesWAV(t *testing.T) {
	p, out, _ := newTest(t, Options{})
	src := Source{Path: writeTemp(t, "48k.wav", wavBytes(48000, 1, 48000, 0.25))}
	p.Play(src)
	if st := p.Status(); st.Duration != time.Second || st.State != Playing {
		t.Fatalf("status %+v", st)
	}
	buf := out.Pull(20000)
	if !allEqual(buf[100:19000], 0.25) {
		t.Fatal("resampled constant is not constant")
	}
	p.Seek(500 * time.Millisecond)
	if st := p.Status(); st.Position != 500*time.Millisecond {
		t.Fatalf("position %v", st.Position)
	}
	n := samplesOf(500 * time.Millisecond)
	for p.Status().State == Playing && n < 2*OutputRate {
		out.Pull(1)
		n++
	}
	if n < OutputRate-2 || n > OutputRate+2 {
		t.Fatalf("1 s at 48 kHz played as %d samples", n)
	}
}

func TestSourceErrors(t *testing.T) {
	p, _, ev := newTest(t, Options{})
	p.Play(Source{Title: "nothing"})
	errContains(t, waitEvent(t, ev, kind(EventError)).Err, "source has no file or URL")
	p.Play(Source{Title: "u", URL: "http://127.0.0.1:1/x.mp3"})
	errContains(t, waitEvent(t, ev, kind(EventError)).Err, "needs a Path")
	p.Play(Source{Title: "g", Path: "/tmp/x", Growing: true})
	errContains(t, waitEvent(t, ev, kind(EventError)).Err, "needs a Progress")
}

func TestCloseIsClean(t *testing.T) {
	before := runtime.NumGoroutine()
	p := New(Options{Output: NewNullOutput(), Seed: 1})
	ev := p.Events()
	p.Play(wavFile(t, "a", 100000, 0.1))
	time.Sleep(30 * time.Millisecond)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	for range ev { // closed by Close
	}
	p.Play(wavFile(t, "b", 100, 0.1)) // no panic after Close
	p.Pause()
	p.Next()
	if err := p.Wait(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Wait after Close: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	waitGoroutines(t, before)
}

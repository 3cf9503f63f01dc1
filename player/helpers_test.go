package player

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gopxl/beep/v2/mp3"
)

// fixture returns the path of a file in testdata.
func fixture(t testing.TB, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// concatMP3 joins whole CBR phrase files (cycling through the fixtures) until at least d of
// audio: a valid mp3 whose decoded length is the exact sum.
func concatMP3(t testing.TB, d time.Duration) []byte {
	t.Helper()
	var buf bytes.Buffer
	names := []string{"phrase1.mp3", "phrase2.mp3", "phrase3.mp3"}
	total := time.Duration(0)
	for i := 0; total < d; i++ {
		b := readFile(t, fixture(t, names[i%len(names)]))
		buf.Write(b)
		total += mp3Duration(t, b)
	}
	return buf.Bytes()
}

// mp3Duration measures with go-mp3's own length scan (an oracle independent of mp3Index).
func mp3Duration(t testing.TB, b []byte) time.Duration {
	t.Helper()
	s, f, err := mp3.Decode(nopCloser{bytes.NewReader(b)})
	if err != nil {
		t.Fatal(err)
	}
	return f.SampleRate.D(s.Len())
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// refDecode decodes a whole mp3 with beep's decoder on a seekable reader: what the player must
// produce, sample for sample.
func refDecode(t testing.TB, b []byte) [][2]float64 {
	t.Helper()
	s, _, err := mp3.Decode(nopCloser{bytes.NewReader(b)})
	if err != nil {
		t.Fatal(err)
	}
	out := make([][2]float64, s.Len())
	n := 0
	for n < len(out) {
		k, ok := s.Stream(out[n:])
		n += k
		if !ok {
			break
		}
	}
	if n != len(out) {
		t.Fatalf("reference decode: %d of %d samples", n, len(out))
	}
	return out
}

func writeTemp(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// wavBytes makes a 16-bit PCM WAV whose every sample (both channels) is v.
func wavBytes(rate, channels, frames int, v float64) []byte {
	var b bytes.Buffer
	data := frames * channels * 2
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+data))
	b.WriteString("WAVEfmt ")
	binary.Write(&b, binary.LittleEndian, uint32(16))
	binary.Write(&b, binary.LittleEndian, uint16(1))
	binary.Write(&b, binary.LittleEndian, uint16(channels))
	binary.Write(&b, binary.LittleEndian, uint32(rate))
	binary.Write(&b, binary.LittleEndian, uint32(rate*channels*2))
	binary.Write(&b, binary.LittleEndian, uint16(channels*2))
	binary.Write(&b, binary.LittleEndian, uint16(16))
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(data))
	s := int16(math.Round(v * 32768))
	for i := 0; i < frames*channels; i++ {
		binary.Write(&b, binary.LittleEndian, s)
	}
	return b.Bytes()
}

func wavFile(t testing.TB, name string, frames int, v float64) Source {
	t.Helper()
	return Source{ID: name, Title: name, Path: writeTemp(t, name+".wav", wavBytes(OutputRate, 2, frames, v))}
}

// silentFrames is n hand-made silent MPEG-1 Layer III frames (64 kbps, 44.1 kHz, mono, no
// padding: 208 bytes, zero side info).
func silentFrames(n int) []byte {
	f := make([]byte, 208)
	copy(f, []byte{0xFF, 0xFB, 0x50, 0xC0})
	return bytes.Repeat(f, n)
}

// newTest makes a player on a manual clock; it is closed when the test ends.
func newTest(t testing.TB, opts Options) (*Player, *ManualOutput, <-chan Event) {
	t.Helper()
	out := NewManualOutput()
	opts.Output = out
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	p := New(opts)
	ev := p.Events()
	t.Cleanup(func() { p.Close() })
	return p, out, ev
}

// waitEvent returns the first event matching ok, failing after 5 s.
func waitEvent(t testing.TB, ch <-chan Event, ok func(Event) bool) Event {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev, open := <-ch:
			if !open {
				t.Fatal("events closed")
			}
			if ok(ev) {
				return ev
			}
		case <-deadline:
			t.Fatal("timed out waiting for an event")
		}
	}
}

func kind(k EventKind) func(Event) bool { return func(e Event) bool { return e.Kind == k } }

// drain discards the events already queued.
func drain(ch <-chan Event) {
	for {
		select {
		case <-ch:
		case <-time.After(20 * time.Millisecond):
			return
		}
	}
}

func samplesOf(d time.Duration) int { return int(d * OutputRate / time.Second) }

func dur(n int) time.Duration { return samplesDur(n, OutputRate) }

func equalSamples(t testing.TB, what string, got, want [][2]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d samples, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i][0]-want[i][0]) > 1e-9 || math.Abs(got[i][1]-want[i][1]) > 1e-9 {
			t.Fatalf("%s: sample %d = %v, want %v", what, i, got[i], want[i])
		}
	}
}

func allEqual(buf [][2]float64, v float64) bool {
	for _, s := range buf {
		if math.Abs(s[0]-v) > 1e-4 || math.Abs(s[1]-v) > 1e-4 { // 16-bit WAV steps are 3e-5
			return false
		}
	}
	return true
}

func errContains(t testing.TB, err error, want string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v, want it to contain %q", err, want)
	}
}

// waitGoroutines fails unless the goroutine count falls back to before within 3 s.
func waitGoroutines(t testing.TB, before int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:n])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

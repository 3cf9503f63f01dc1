package mp3scan

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

// silentFrame is a valid MPEG-1 Layer III frame, 64 kbps, 44.1 kHz, mono, no padding: 208 bytes.
func silentFrame() []byte {
	f := make([]byte, 208)
	copy(f, []byte{0xFF, 0xFB, 0x50, 0xC0})
	return f
}

func frames(n int) []byte { return bytes.Repeat(silentFrame(), n) }

func TestScanCountsFrames(t *testing.T) {
	info, err := Scan(bytes.NewReader(frames(100)))
	if err != nil {
		t.Fatal(err)
	}
	if info.Frames != 100 || info.Samples != 115200 || info.SampleRate != 44100 || info.Channels != 1 || info.Truncated || info.Bytes != 20800 {
		t.Fatalf("info = %+v", info)
	}
	want := time.Duration(115200) * time.Second / 44100
	if info.Duration() != want {
		t.Errorf("duration = %v, want %v", info.Duration(), want)
	}
}

func TestScanTruncatedAndTags(t *testing.T) {
	data := frames(10)
	info, err := Scan(bytes.NewReader(data[:len(data)-50]))
	if err != nil || !info.Truncated || info.Frames != 9 {
		t.Fatalf("truncated: %+v %v", info, err)
	}
	// ID3v2 in front (size 20, syncsafe), ID3v1 at the end.
	id3 := append([]byte{'I', 'D', '3', 4, 0, 0, 0, 0, 0, 20}, make([]byte, 20)...)
	tagged := append(append(id3, frames(5)...), append([]byte("TAG"), make([]byte, 125)...)...)
	info, err = Scan(bytes.NewReader(tagged))
	if err != nil || info.Frames != 5 || info.Truncated {
		t.Fatalf("tagged: %+v %v", info, err)
	}
	// An Info frame first is metadata, not 26 ms of audio.
	infoFrame := silentFrame()
	copy(infoFrame[21:], "Info")
	info, err = Scan(bytes.NewReader(append(infoFrame, frames(3)...)))
	if err != nil || info.Frames != 3 {
		t.Fatalf("info frame: %+v %v", info, err)
	}
}

func TestScanRejectsNonAudio(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	junk := make([]byte, 64<<10)
	for i := range junk {
		junk[i] = byte(rng.UintN(256))
	}
	for name, b := range map[string][]byte{
		"empty": nil, "html": []byte("<html><title>502 Bad Gateway</title></html>"),
		"random": junk, "png": append([]byte("\x89PNG\r\n\x1a\n"), junk[:1000]...),
		"id3 only": {'I', 'D', '3', 4, 0, 0, 0, 0, 1, 0},
	} {
		if _, err := Scan(bytes.NewReader(b)); !errors.Is(err, ErrNotMP3) {
			t.Errorf("%s: err = %v, want ErrNotMP3", name, err)
		}
	}
	// Audio followed by garbage is damaged, not silently shorter.
	bad := append(frames(4), bytes.Repeat([]byte{0x12}, 300)...)
	if _, err := Scan(bytes.NewReader(bad)); err == nil {
		t.Error("garbage after frames accepted")
	}
}

func TestScanRealEncoderOutput(t *testing.T) {
	// The simulator's phrases are lame -t output: CBR, no Info frame. Concatenated files are
	// valid and their length is the sum.
	a, err := os.ReadFile("../../client/sim/audio/phrase1.mp3")
	if err != nil {
		t.Fatal("simulator audio missing:", err)
	}
	b, _ := os.ReadFile("../../client/sim/audio/phrase2.mp3")
	ia, err := Scan(bytes.NewReader(a))
	if err != nil || ia.Truncated || ia.SampleRate != 44100 {
		t.Fatalf("phrase1: %+v %v", ia, err)
	}
	ib, _ := Scan(bytes.NewReader(b))
	both, err := Scan(bytes.NewReader(append(append([]byte{}, a...), b...)))
	if err != nil || both.Frames != ia.Frames+ib.Frames {
		t.Fatalf("concat: %+v %v", both, err)
	}
}

func FuzzScan(f *testing.F) {
	f.Add(frames(3))
	f.Add([]byte("ID3\x04\x00\x00\x7f\x7f\x7f\x7f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := Scan(bytes.NewReader(b))
		if err == nil && (info.Frames <= 0 || info.Bytes > int64(len(b))) {
			t.Fatalf("bad info %+v for %d bytes", info, len(b))
		}
	})
}

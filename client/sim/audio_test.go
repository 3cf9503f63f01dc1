package sim

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
)

// decodedSeconds decodes an mp3 with go-mp3 and returns its length in seconds.
func decodedSeconds(t *testing.T, data []byte) float64 {
	t.Helper()
	pcm, rate, err := decodePCM(data)
	if err != nil {
		t.Fatalf("go-mp3 cannot decode: %v", err)
	}
	if rate != sampleRate {
		t.Fatalf("sample rate %d, want %d", rate, sampleRate)
	}
	return float64(len(pcm)/4) / float64(rate) // 16-bit stereo
}

func TestBankPhrases(t *testing.T) {
	t.Parallel()
	b, err := loadBank()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.phrases) != 8 {
		t.Fatalf("%d phrases, want 8", len(b.phrases))
	}
	total := 0
	for i, p := range b.phrases {
		total += len(p.data)
		if d := p.duration(); d < 1.5 || d > 3.5 {
			t.Errorf("%s lasts %.2fs, want 2-3s", b.names[i], d)
		}
	}
	if total > 250*1024 {
		t.Errorf("phrases total %d bytes, want < 250 KB", total)
	}
}

func TestSongLengthMatchesDecoder(t *testing.T) {
	t.Parallel()
	a := buildSong("a song about winter rain", 5)
	b := buildSong("欢快的中文歌曲，主题：周末", 6)
	if a.duration() < 5 {
		t.Fatalf("song lasts %.2fs, want >= 5", a.duration())
	}
	if bytes.Equal(a.data, b.data) {
		t.Fatal("two prompts gave the same song")
	}
	// Short songs have few phrase combinations, but prompts still spread over them.
	distinct := map[string]bool{}
	for _, p := range []string{"rain", "sun", "cats", "dogs", "night drive", "summer love", "city pop", "jazz bar"} {
		distinct[string(buildSong(p, 5).data)] = true
	}
	if len(distinct) < 6 {
		t.Fatalf("8 prompts gave only %d distinct songs", len(distinct))
	}
	if !bytes.Equal(a.data, buildSong("a song about winter rain", 5).data) {
		t.Fatal("the same prompt gave different songs")
	}
	for _, tr := range []*track{a, b} {
		got := decodedSeconds(t, tr.data)
		if math.Abs(got-tr.duration()) > frameSeconds+1e-9 {
			t.Errorf("decoded %.4fs, reported %.4fs", got, tr.duration())
		}
	}
}

func TestSpliceLengthsAreExact(t *testing.T) {
	t.Parallel()
	parent := buildSong("parent", 6)
	ext := buildSong("extension", 5)
	cut := framesAt(3.3)
	whole := joinTracks(parent.prefix(cut), ext)
	want := float64(cut)*frameSeconds + ext.duration()
	if math.Abs(whole.duration()-want) > 1e-9 {
		t.Fatalf("joined %.4f, want %.4f", whole.duration(), want)
	}
	if got := decodedSeconds(t, whole.data); math.Abs(got-want) > frameSeconds+1e-9 {
		t.Fatalf("decoded concat %.4fs, want %.4fs", got, want)
	}
	// Infill keeps the length and decodes.
	s := New(Options{SongSeconds: 6})
	src := &clip{id: "src", seed: "src", typ: typeGen}
	in := &clip{id: "in", seed: "in", typ: typeGen, source: src, infillFrom: 1, infillTo: 3}
	srcT, inT := s.audioOf(src), s.audioOf(in)
	if inT.frameCount() != srcT.frameCount() {
		t.Fatalf("infill has %d frames, source %d", inT.frameCount(), srcT.frameCount())
	}
	if bytes.Equal(inT.data, srcT.data) {
		t.Fatal("infill did not change the audio")
	}
	if got := decodedSeconds(t, inT.data); math.Abs(got-srcT.duration()) > frameSeconds+1e-9 {
		t.Fatalf("decoded infill %.4fs, want %.4fs", got, srcT.duration())
	}
}

func TestWAVIsRealPCM(t *testing.T) {
	t.Parallel()
	tr := buildSong("wav", 3)
	w, err := wavFromMP3(tr.data)
	if err != nil {
		t.Fatal(err)
	}
	if string(w[0:4]) != "RIFF" || string(w[8:16]) != "WAVEfmt " || string(w[36:40]) != "data" {
		t.Fatalf("bad WAV header % x", w[:44])
	}
	if ch, bits := binary.LittleEndian.Uint16(w[22:]), binary.LittleEndian.Uint16(w[34:]); ch != 2 || bits != 16 {
		t.Fatalf("channels %d bits %d", ch, bits)
	}
	n := binary.LittleEndian.Uint32(w[40:])
	secs := float64(n) / 4 / sampleRate
	if math.Abs(secs-tr.duration()) > frameSeconds {
		t.Fatalf("wav lasts %.3fs, mp3 %.3fs", secs, tr.duration())
	}
	nonZero := false
	for _, b := range w[44+sampleRate : 44+2*sampleRate] {
		if b != 0 {
			nonZero = true
			break
		}
	}
	if !nonZero {
		t.Fatal("wav is silent")
	}
}

func TestWaveformAndLoudness(t *testing.T) {
	t.Parallel()
	wf := buildSong("wave", 4).waveform(50)
	if len(wf) != 50 {
		t.Fatalf("%d points", len(wf))
	}
	peak := 0.0
	for _, v := range wf {
		if v <= 0 || v > 1 {
			t.Fatalf("point %v out of [0,1]", v)
		}
		peak = math.Max(peak, v)
	}
	if peak != 1 {
		t.Fatalf("waveform not normalised: peak %v", peak)
	}
}

func TestParseFramesRejectsGarbage(t *testing.T) {
	t.Parallel()
	if _, err := parseFrames([]byte("not an mp3 at all")); err == nil {
		t.Fatal("garbage parsed")
	}
	st := silentTrack(1)
	if got := decodedSeconds(t, st.data); math.Abs(got-st.duration()) > 1e-9 {
		t.Fatalf("silent track decodes to %.4f, want %.4f", got, st.duration())
	}
}

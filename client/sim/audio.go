package sim

import (
	"bytes"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"path"
	"sort"
	"sync"

	"github.com/hajimehoshi/go-mp3"
)

// The phrases are CBR 64 kbps, 44.1 kHz, mono MPEG-1 Layer III files without a Xing/Info frame
// (see audio/make-phrases.sh). Because every file starts with an empty bit reservoir, whole files
// (and any prefix of a file) can be joined byte for byte into a valid mp3 whose decoded length is
// the exact sum of the parts. Everything below relies on that: songs, extensions, concat results,
// stems and infills are all built by splicing at frame or phrase boundaries, never by decoding
// and re-encoding (no pure-Go encoder exists).
//
//go:embed audio/*.mp3
var phraseFS embed.FS

const (
	sampleRate      = 44100
	samplesPerFrame = 1152 // MPEG-1 Layer III
)

// frameSeconds is the duration of one mp3 frame.
const frameSeconds = float64(samplesPerFrame) / sampleRate

// track is an mp3 byte stream plus the byte offset of every frame in it.
type track struct {
	data   []byte
	frames []int // start offset of each frame
	// parts holds the frame index where each whole phrase (or spliced segment) starts; splicing
	// at these points never depends on the bit reservoir of a foreign frame.
	parts []int
}

func (t *track) frameCount() int { return len(t.frames) }

// duration is the exact decoded length in seconds.
func (t *track) duration() float64 { return float64(len(t.frames)) * frameSeconds }

// prefix returns the first n frames as a new track (n is clamped).
func (t *track) prefix(n int) *track {
	if n >= len(t.frames) {
		return t
	}
	if n <= 0 {
		return &track{}
	}
	end := t.frames[n]
	out := &track{data: t.data[:end:end], frames: t.frames[:n:n]}
	for _, p := range t.parts {
		if p < n {
			out.parts = append(out.parts, p)
		}
	}
	return out
}

// joinTracks concatenates tracks; each one keeps its part boundaries.
func joinTracks(ts ...*track) *track {
	size, nf := 0, 0
	for _, t := range ts {
		size += len(t.data)
		nf += len(t.frames)
	}
	out := &track{data: make([]byte, 0, size), frames: make([]int, 0, nf)}
	for _, t := range ts {
		base, fbase := len(out.data), len(out.frames)
		for _, p := range t.parts {
			out.parts = append(out.parts, p+fbase)
		}
		if len(t.parts) == 0 && len(t.frames) > 0 {
			out.parts = append(out.parts, fbase)
		}
		for _, off := range t.frames {
			out.frames = append(out.frames, off+base)
		}
		out.data = append(out.data, t.data...)
	}
	return out
}

// mpeg1L3Bitrates are the Layer III bitrates (kbps) of MPEG-1 by header index.
var mpeg1L3Bitrates = [16]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0}

// parseFrames finds every MPEG-1 Layer III 44.1 kHz frame in data. It skips a leading ID3v2 tag
// and refuses anything else, because mixing sample rates or layers would break the length maths.
func parseFrames(data []byte) ([]int, error) {
	pos := 0
	if len(data) >= 10 && string(data[:3]) == "ID3" {
		size := int(data[6]&0x7f)<<21 | int(data[7]&0x7f)<<14 | int(data[8]&0x7f)<<7 | int(data[9]&0x7f)
		pos = 10 + size
	}
	var frames []int
	for pos+4 <= len(data) {
		h := data[pos : pos+4]
		if h[0] != 0xFF || h[1]&0xE0 != 0xE0 {
			return nil, fmt.Errorf("no frame sync at byte %d", pos)
		}
		if (h[1]>>3)&3 != 3 || (h[1]>>1)&3 != 1 {
			return nil, fmt.Errorf("frame at byte %d is not MPEG-1 Layer III", pos)
		}
		br := mpeg1L3Bitrates[h[2]>>4]
		if br == 0 || (h[2]>>2)&3 != 0 {
			return nil, fmt.Errorf("frame at byte %d: unsupported bitrate or sample rate", pos)
		}
		size := 144*br*1000/sampleRate + int((h[2]>>1)&1)
		if pos+size > len(data) {
			break // a truncated last frame is dropped: decoders skip it too
		}
		frames = append(frames, pos)
		pos += size
	}
	if len(frames) == 0 {
		return nil, errors.New("no mp3 frames")
	}
	return frames, nil
}

// bank is the set of embedded phrases, parsed once.
type bank struct {
	phrases []*track
	names   []string
}

var (
	bankOnce sync.Once
	theBank  *bank
	bankErr  error
)

func loadBank() (*bank, error) {
	bankOnce.Do(func() {
		entries, err := phraseFS.ReadDir("audio")
		if err != nil {
			bankErr = err
			return
		}
		b := &bank{}
		for _, e := range entries {
			if path.Ext(e.Name()) != ".mp3" {
				continue
			}
			data, err := phraseFS.ReadFile("audio/" + e.Name())
			if err != nil {
				bankErr = err
				return
			}
			frames, err := parseFrames(data)
			if err != nil {
				bankErr = fmt.Errorf("phrase %s: %w", e.Name(), err)
				return
			}
			// Trim to the last whole frame so that joining never carries a stray tail.
			last := frames[len(frames)-1]
			end := last + frameSize(data[last:])
			b.phrases = append(b.phrases, &track{data: data[:end:end], frames: frames, parts: []int{0}})
			b.names = append(b.names, e.Name())
		}
		if len(b.phrases) == 0 {
			bankErr = errors.New("no embedded phrases")
			return
		}
		theBank = b
	})
	return theBank, bankErr
}

// frameSize is the byte length of the frame whose header starts h (assumed valid).
func frameSize(h []byte) int {
	return 144*mpeg1L3Bitrates[h[2]>>4]*1000/sampleRate + int((h[2]>>1)&1)
}

// seedRand returns a deterministic generator for a text seed, so that the same prompt always
// yields the same song, title and lyrics.
func seedRand(seed string) *rand.Rand {
	h := fnv.New64a()
	_, _ = io.WriteString(h, seed)
	s := h.Sum64()
	return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
}

// buildSong concatenates whole phrases, chosen and ordered by the seed, until the song lasts at
// least seconds. A song has a "progression" of up to four phrases that repeats, with an
// occasional substitution, so that it sounds like verses and choruses rather than noise.
func buildSong(seed string, seconds float64) *track {
	b, err := loadBank()
	if err != nil || len(b.phrases) == 0 {
		return silentTrack(seconds)
	}
	if seconds <= 0 {
		seconds = 1
	}
	r := seedRand("song:" + seed)
	n := len(b.phrases)
	prog := r.Perm(n)
	if len(prog) > 4 {
		prog = prog[:4]
	}
	var parts []*track
	total := 0.0
	for i := 0; total < seconds; i++ {
		idx := prog[i%len(prog)]
		if r.IntN(5) == 0 {
			idx = r.IntN(n)
		}
		p := b.phrases[idx]
		parts = append(parts, p)
		total += p.duration()
		if i > 10000 {
			break
		}
	}
	return joinTracks(parts...)
}

// silentFrame is a valid silent MPEG-1 Layer III frame at 64 kbps, 44.1 kHz, mono (header
// FF FB 50 C4, zero side info). It is the fallback if the embedded bank were ever broken.
func silentFrame() []byte {
	f := make([]byte, 208)
	copy(f, []byte{0xFF, 0xFB, 0x50, 0xC4})
	return f
}

func silentTrack(seconds float64) *track {
	n := int(math.Ceil(seconds / frameSeconds))
	if n < 1 {
		n = 1
	}
	fr := silentFrame()
	t := &track{parts: []int{0}}
	for i := 0; i < n; i++ {
		t.frames = append(t.frames, len(t.data))
		t.data = append(t.data, fr...)
	}
	return t
}

// framesAt converts seconds into a frame count (rounded to the nearest frame).
func framesAt(seconds float64) int {
	if seconds <= 0 || math.IsNaN(seconds) {
		return 0
	}
	if math.IsInf(seconds, 1) {
		return math.MaxInt32
	}
	return int(math.Round(seconds / frameSeconds))
}

// partBefore returns the largest part boundary <= frame (0 if none).
func (t *track) partBefore(frame int) int {
	best := 0
	for _, p := range t.parts {
		if p <= frame && p > best {
			best = p
		}
	}
	return best
}

// partAfter returns the smallest part boundary >= frame, or the frame count.
func (t *track) partAfter(frame int) int {
	ps := append([]int(nil), t.parts...)
	sort.Ints(ps)
	for _, p := range ps {
		if p >= frame {
			return p
		}
	}
	return len(t.frames)
}

// suffixFrom returns the frames from a part boundary to the end.
func (t *track) suffixFrom(part int) *track {
	if part >= len(t.frames) {
		return &track{}
	}
	start := t.frames[part]
	out := &track{data: t.data[start:]}
	for _, off := range t.frames[part:] {
		out.frames = append(out.frames, off-start)
	}
	for _, p := range t.parts {
		if p >= part {
			out.parts = append(out.parts, p-part)
		}
	}
	return out
}

// decodePCM decodes an mp3 into 16-bit little-endian stereo PCM (go-mp3 always yields stereo).
func decodePCM(data []byte) ([]byte, int, error) {
	d, err := mp3.NewDecoder(bytes.NewReader(data))
	if err != nil {
		return nil, 0, err
	}
	pcm, err := io.ReadAll(d)
	if err != nil {
		return nil, 0, err
	}
	return pcm, d.SampleRate(), nil
}

// wavFromMP3 renders a real 16-bit PCM WAV file of the mp3.
func wavFromMP3(data []byte) ([]byte, error) {
	pcm, rate, err := decodePCM(data)
	if err != nil {
		return nil, err
	}
	const channels, bits = 2, 16
	var buf bytes.Buffer
	buf.Grow(44 + len(pcm))
	w := func(v any) { _ = binary.Write(&buf, binary.LittleEndian, v) }
	buf.WriteString("RIFF")
	w(uint32(36 + len(pcm)))
	buf.WriteString("WAVEfmt ")
	w(uint32(16))
	w(uint16(1)) // PCM
	w(uint16(channels))
	w(uint32(rate))
	w(uint32(rate * channels * bits / 8))
	w(uint16(channels * bits / 8))
	w(uint16(bits))
	buf.WriteString("data")
	w(uint32(len(pcm)))
	buf.Write(pcm)
	return buf.Bytes(), nil
}

// waveform approximates the loudness envelope of a track from each frame's global_gain (read
// from the side information), which avoids decoding the whole song for /suno/act/timing. The
// values are scaled to 0..1 between the 5th and 95th percentile, like a drawn waveform.
func (t *track) waveform(points int) []float64 {
	n := len(t.frames)
	if n == 0 || points <= 0 {
		return []float64{}
	}
	if points > n {
		points = n
	}
	out := make([]float64, points)
	for i := 0; i < points; i++ {
		lo, hi := i*n/points, (i+1)*n/points
		sum := 0.0
		for f := lo; f < hi; f++ {
			sum += frameGain(t.data[t.frames[f]:])
		}
		out[i] = sum / float64(max(hi-lo, 1))
	}
	sorted := append([]float64(nil), out...)
	sort.Float64s(sorted)
	lo, hi := sorted[len(sorted)*5/100], sorted[(len(sorted)-1)*95/100]
	for i, v := range out {
		x := 1.0
		if hi > lo {
			x = (v - lo) / (hi - lo)
		}
		out[i] = math.Round(math.Min(math.Max(x, 0.02), 1)*1e4) / 1e4
	}
	return out
}

// frameGain reads granule 0's global_gain of a mono MPEG-1 frame: a rough loudness measure.
func frameGain(f []byte) float64 {
	off := 4
	if len(f) < 4 {
		return 0
	}
	if f[1]&1 == 0 { // protection bit clear: a CRC follows the header
		off += 2
	}
	// Mono MPEG-1 side info: main_data_begin(9) private(5) scfsi(4), then granule 0:
	// part2_3_length(12) big_values(9) global_gain(8).
	bit := 9 + 5 + 4 + 12 + 9
	byteIdx := off + bit/8
	if byteIdx+1 >= len(f) {
		return 0
	}
	v := uint16(f[byteIdx])<<8 | uint16(f[byteIdx+1])
	return float64(int(v>>(16-8-bit%8)) & 0xff)
}

// Package mp3scan walks the frame headers of an MP3 file to check that it is whole and to
// measure its duration without decoding it. The library uses it to verify a download before
// the file is renamed into place: a truncated or non-mp3 body must never look finished.
package mp3scan

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"time"
)

// Info describes a scanned file.
type Info struct {
	Frames     int
	Samples    int64 // decoded samples per channel
	SampleRate int
	Channels   int
	Bytes      int64
	// Truncated is true when the last frame is cut short; Duration counts whole frames only.
	Truncated bool
}

// Duration is the decoded length of the whole frames.
func (i Info) Duration() time.Duration {
	if i.SampleRate == 0 {
		return 0
	}
	return time.Duration(i.Samples) * time.Second / time.Duration(i.SampleRate)
}

// ErrNotMP3 means no run of MPEG audio frames was found.
var ErrNotMP3 = errors.New("not an mp3 file")

var bitrates = [2][16]int{ // kbps, Layer III: [0] MPEG-1, [1] MPEG-2/2.5
	{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0},
	{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
}

var sampleRates = [4][3]int{ // by version bits: 0 = 2.5, 1 reserved, 2 = 2, 3 = 1
	{11025, 12000, 8000}, {}, {22050, 24000, 16000}, {44100, 48000, 32000},
}

type header struct {
	size, samples, rate, channels int
}

// parseHeader decodes a Layer III frame header; ok is false for anything else.
func parseHeader(b []byte) (header, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return header{}, false
	}
	version := (b[1] >> 3) & 3
	layer := (b[1] >> 1) & 3
	if version == 1 || layer != 1 { // reserved version; only Layer III
		return header{}, false
	}
	bi := b[2] >> 4
	ri := (b[2] >> 2) & 3
	if bi == 0 || bi == 15 || ri == 3 {
		return header{}, false
	}
	pad := int(b[2]>>1) & 1
	rate := sampleRates[version][ri]
	h := header{rate: rate, channels: 2}
	if b[3]>>6 == 3 {
		h.channels = 1
	}
	if version == 3 {
		h.samples = 1152
		h.size = 144*bitrates[0][bi]*1000/rate + pad
	} else {
		h.samples = 576
		h.size = 72*bitrates[1][bi]*1000/rate + pad
	}
	return h, h.size >= 4
}

// Scan reads r to the end. It skips an ID3v2 tag and trailing ID3v1/APE tags, requires the
// first frames to be consecutive (so that random bytes with a stray 0xFFE are not taken for
// audio), and counts an Xing/Info frame as metadata, not audio.
func Scan(r io.Reader) (Info, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var info Info
	var pos int64
	peek := func(n int) ([]byte, error) {
		b, err := br.Peek(n)
		return b, err
	}
	skip := func(n int) error {
		d, err := br.Discard(n)
		pos += int64(d)
		return err
	}
	if b, err := peek(10); err == nil && string(b[:3]) == "ID3" {
		size := int(b[6]&0x7f)<<21 | int(b[7]&0x7f)<<14 | int(b[8]&0x7f)<<7 | int(b[9]&0x7f)
		if b[5]&0x10 != 0 {
			size += 10 // footer
		}
		if err := skip(10 + size); err != nil {
			return info, fmt.Errorf("%w: cut inside its ID3 tag", ErrNotMP3)
		}
	}
	garbage := 0
	for {
		b, err := peek(4)
		if len(b) < 4 {
			if err != nil && err != io.EOF {
				return info, err
			}
			break
		}
		h, ok := parseHeader(b)
		if !ok {
			if info.Frames == 0 {
				// Before the first frame, allow a little junk; after it, a tag or the end.
				garbage++
				if garbage > 4096 {
					return info, ErrNotMP3
				}
				skip(1)
				continue
			}
			if string(b[:3]) == "TAG" || string(b[:4]) == "APET" || string(b[:3]) == "ID3" {
				break
			}
			return info, fmt.Errorf("bad frame header at byte %d after %s: the file is damaged", pos, info.Duration().Round(time.Millisecond))
		}
		frame, err := peek(h.size)
		if len(frame) < h.size {
			if err != nil && err != io.EOF {
				return info, err
			}
			info.Truncated = true
			pos += int64(len(frame))
			break
		}
		if info.Frames == 0 {
			// The first frame must be followed by another frame header (or end the file) to
			// count as audio; this rejects text and images that happen to contain FF Fx.
			next, _ := peek(h.size + 4)
			if len(next) >= h.size+4 {
				if _, ok := parseHeader(next[h.size:]); !ok {
					garbage++
					skip(1)
					continue
				}
			}
			info.SampleRate, info.Channels = h.rate, h.channels
			if isInfoFrame(frame) {
				skip(h.size)
				info.SampleRate = h.rate
				continue
			}
		}
		if h.rate != info.SampleRate {
			return info, fmt.Errorf("sample rate changes from %d to %d Hz at byte %d: the file is damaged", info.SampleRate, h.rate, pos)
		}
		info.Frames++
		info.Samples += int64(h.samples)
		skip(h.size)
	}
	info.Bytes = pos
	if info.Frames == 0 {
		return info, ErrNotMP3
	}
	return info, nil
}

// isInfoFrame recognises the Xing/Info/VBRI header frame encoders put first.
func isInfoFrame(f []byte) bool {
	for _, tag := range []string{"Xing", "Info", "VBRI"} {
		for i := 4; i+4 <= len(f) && i < 64; i++ {
			if string(f[i:i+4]) == tag {
				return true
			}
		}
	}
	return false
}

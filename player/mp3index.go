package player

import (
	"bytes"
	"io"
	"time"

	"sunostudio/internal/i18n"
)

// Why an own frame index instead of letting go-mp3 measure the file: go-mp3 measures the length
// only on an io.Seeker, by reading the whole file before the first sample, which blocks forever
// on a file that is still growing and gives Len()==0 on anything else. Walking the frame headers
// ourselves gives, for complete and growing files alike: the exact length (every frame decodes to
// a fixed number of samples), the offset of every frame (for sample-exact seeks), how much audio
// has arrived (so the decoder is never fed a partial frame), and clear errors for files that are
// not mp3, truncated or damaged.

const (
	// searchLimit bounds how far into a file (after an ID3v2 tag) the first frame may start.
	searchLimit = 64 << 10
	// maxFrameSize is larger than any MPEG audio frame (Layer II 384 kbps at 32 kHz is 1729).
	maxFrameSize = 2881
)

type mp3Header struct {
	version  int // 1, 2 or 25 (MPEG 2.5)
	layer    int // 1, 2, 3
	bitrate  int // kbps; 0 means free format
	rate     int
	channels int
	crc      bool
	size     int // bytes, 0 for free format
	spf      int // samples per frame
}

var (
	bitratesV1 = [3][16]int{ // by layer I, II, III
		{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
		{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
	}
	bitratesV2 = [3][16]int{
		{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
	}
	sampleRates = map[int][3]int{1: {44100, 48000, 32000}, 2: {22050, 24000, 16000}, 25: {11025, 12000, 8000}}
)

// parseMP3Header decodes a 4-byte MPEG audio frame header of any layer.
func parseMP3Header(b []byte) (mp3Header, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return mp3Header{}, false
	}
	var h mp3Header
	switch (b[1] >> 3) & 3 {
	case 0:
		h.version = 25
	case 2:
		h.version = 2
	case 3:
		h.version = 1
	default:
		return mp3Header{}, false
	}
	switch (b[1] >> 1) & 3 {
	case 1:
		h.layer = 3
	case 2:
		h.layer = 2
	case 3:
		h.layer = 1
	default:
		return mp3Header{}, false
	}
	h.crc = b[1]&1 == 0
	bi, ri := int(b[2]>>4), int(b[2]>>2)&3
	if bi == 15 || ri == 3 || b[3]&3 == 2 {
		return mp3Header{}, false
	}
	if h.version == 1 {
		h.bitrate = bitratesV1[h.layer-1][bi]
	} else {
		h.bitrate = bitratesV2[h.layer-1][bi]
	}
	h.rate = sampleRates[h.version][ri]
	pad := int(b[2]>>1) & 1
	h.channels = 2
	if b[3]>>6 == 3 {
		h.channels = 1
	}
	switch {
	case h.layer == 1:
		h.spf = 384
		h.size = (12*h.bitrate*1000/h.rate + pad) * 4
	case h.layer == 2 || h.version == 1:
		h.spf = 1152
		h.size = 144*h.bitrate*1000/h.rate + pad
	default: // Layer III, MPEG 2 / 2.5
		h.spf = 576
		h.size = 72*h.bitrate*1000/h.rate + pad
	}
	if h.bitrate == 0 {
		h.size = 0
	}
	return h, true
}

func (h mp3Header) sameStream(o mp3Header) bool {
	return h.version == o.version && h.layer == o.layer && h.rate == o.rate
}

// sideInfoSize is the Layer III side information length; the Xing/Info tag follows it.
func (h mp3Header) sideInfoSize() int {
	switch {
	case h.version == 1 && h.channels == 1:
		return 17
	case h.version == 1:
		return 32
	case h.channels == 1:
		return 9
	}
	return 17
}

// mp3Index lists the complete frames of a file that may still be growing. update is called with
// the number of bytes present; bytes once written never change.
type mp3Index struct {
	head    []byte // first bytes, for a hint when the file is not mp3
	found   bool
	hdr     mp3Header // first audio frame: every later frame must match its version/layer/rate
	offs    []int64   // start of every complete audio frame
	next    int64     // where the next frame header is expected
	end     int64     // end of the last complete frame: the decoder never reads past it
	stopped bool      // bytes at next are not a frame of this stream (a tag, or damage)
	final   bool      // the file is complete and fully indexed
	err     error     // the verdict once final (nil: the file is whole)

	win    []byte
	winOff int64
}

// peek returns up to n bytes at off, fewer only when the file (of size bytes) ends earlier.
func (ix *mp3Index) peek(r io.ReaderAt, off int64, n int, size int64) ([]byte, error) {
	if off >= size {
		return nil, nil
	}
	if int64(n) > size-off {
		n = int(size - off)
	}
	if off >= ix.winOff && off+int64(n) <= ix.winOff+int64(len(ix.win)) {
		return ix.win[off-ix.winOff : off-ix.winOff+int64(n)], nil
	}
	want := max(n, 64<<10)
	if int64(want) > size-off {
		want = int(size - off)
	}
	if cap(ix.win) < want {
		ix.win = make([]byte, want)
	}
	ix.win = ix.win[:want]
	m, err := r.ReadAt(ix.win, off)
	if m < want && err != nil && err != io.EOF {
		ix.win = ix.win[:0]
		return nil, err
	}
	ix.win, ix.winOff = ix.win[:m], off
	if m < n {
		n = m
	}
	return ix.win[:n], nil
}

func (ix *mp3Index) samples() int { return len(ix.offs) * ix.hdr.spf }

func (ix *mp3Index) durationOf(frames int) time.Duration {
	if ix.hdr.rate == 0 {
		return 0
	}
	return time.Duration(int64(frames) * int64(ix.hdr.spf) * int64(time.Second) / int64(ix.hdr.rate))
}

// update indexes what is present. It returns nil while everything is fine or more bytes are
// needed to decide; once done it returns the final verdict (and keeps returning it).
func (ix *mp3Index) update(r io.ReaderAt, size int64, done bool) error {
	if ix.final {
		return ix.err
	}
	if ix.head == nil || (len(ix.head) < 16 && int64(len(ix.head)) < size) {
		b, err := ix.peek(r, 0, 16, size)
		if err != nil {
			return err
		}
		ix.head = append([]byte(nil), b...)
	}
	if !ix.found {
		ok, err := ix.findFirst(r, size, done)
		if err != nil || (!ok && done) {
			if err == nil {
				err = ErrNotMP3
			}
			ix.final, ix.err = true, err
			return err
		}
		if !ok {
			return nil
		}
	}
	for !ix.stopped {
		b, err := ix.peek(r, ix.next, 4, size)
		if err != nil {
			return err
		}
		if len(b) < 4 {
			break
		}
		h, ok := parseMP3Header(b)
		if !ok || h.size == 0 || !h.sameStream(ix.hdr) {
			ix.stopped = true
			break
		}
		if ix.next+int64(h.size) > size {
			break
		}
		ix.offs = append(ix.offs, ix.next)
		ix.next += int64(h.size)
		ix.end = ix.next
	}
	if !done {
		return nil
	}
	ix.final = true
	ix.err = ix.classifyTail(r, size)
	return ix.err
}

// findFirst skips ID3v2 tags and looks for the first frame whose successor is a matching frame
// (two in a row: random bytes almost never do that). ok=false with nil error means "need more".
func (ix *mp3Index) findFirst(r io.ReaderAt, size int64, done bool) (bool, error) {
	pos := int64(0)
	for {
		b, err := ix.peek(r, pos, 10, size)
		if err != nil {
			return false, err
		}
		if len(b) < 3 || string(b[:3]) != "ID3" {
			if len(b) < 3 && !done {
				return false, nil
			}
			break
		}
		if len(b) < 10 {
			if done {
				return false, ErrNotMP3
			}
			return false, nil
		}
		n := int64(b[6]&0x7F)<<21 | int64(b[7]&0x7F)<<14 | int64(b[8]&0x7F)<<7 | int64(b[9]&0x7F)
		pos += 10 + n
		if b[5]&0x10 != 0 {
			pos += 10 // footer
		}
	}
	limit := pos + searchLimit
	for o := pos; o < limit; o++ {
		b, err := ix.peek(r, o, 4, size)
		if err != nil {
			return false, err
		}
		if len(b) < 4 {
			if done {
				return false, ErrNotMP3
			}
			return false, nil
		}
		h, ok := parseMP3Header(b)
		if !ok || h.size == 0 {
			continue
		}
		nb, err := ix.peek(r, o+int64(h.size), 4, size)
		if err != nil {
			return false, err
		}
		if len(nb) < 4 {
			if !done {
				return false, nil // cannot tell yet
			}
			if o+int64(h.size) != size {
				continue
			}
			// A file of exactly one frame.
		} else if h2, ok := parseMP3Header(nb); !ok || !h.sameStream(h2) {
			continue
		}
		if err := supported(h); err != nil {
			return false, err
		}
		// A Xing/Info/VBRI frame is metadata, not audio: go-mp3 would decode it as 26 ms of
		// silence and shift every position, so it is left out of the index.
		fb, err := ix.peek(r, o, h.size, size)
		if err != nil {
			return false, err
		}
		if len(fb) < h.size && !done {
			return false, nil
		}
		ix.found, ix.hdr, ix.next, ix.end = true, h, o, o
		tag := 4 + h.sideInfoSize()
		if h.crc {
			tag += 2
		}
		if hasAt(fb, tag, "Xing") || hasAt(fb, tag, "Info") || hasAt(fb, 36, "VBRI") {
			ix.next, ix.end = o+int64(h.size), o+int64(h.size)
		}
		return true, nil
	}
	if !done && size < limit+maxFrameSize+4 {
		return false, nil
	}
	return false, ErrNotMP3
}

func hasAt(b []byte, off int, s string) bool {
	return len(b) >= off+len(s) && string(b[off:off+len(s)]) == s
}

func supported(h mp3Header) error {
	switch {
	case h.layer != 3:
		return &UnsupportedError{What: i18n.T("player.err.mpeg_layer", [...]string{"", "I", "II"}[h.layer])}
	case h.version == 25:
		return &UnsupportedError{What: i18n.T("player.err.mpeg25")}
	}
	return nil
}

// classifyTail judges the bytes after the last complete frame of a finished file.
func (ix *mp3Index) classifyTail(r io.ReaderAt, size int64) error {
	rest := size - ix.next
	if rest <= 0 {
		return nil
	}
	b, err := ix.peek(r, ix.next, 16, size)
	if err != nil {
		return err
	}
	for _, tag := range []string{"TAG", "APETAGEX", "LYRICSBEGIN", "ID3"} {
		if bytes.HasPrefix(b, []byte(tag)) {
			return nil
		}
	}
	if rest <= 64<<10 {
		all, err := ix.peek(r, ix.next, int(rest), size)
		if err != nil {
			return err
		}
		if len(bytes.Trim(all, "\x00")) == 0 {
			return nil // zero padding
		}
	}
	at := ix.durationOf(len(ix.offs))
	if !ix.stopped {
		return &TruncatedError{At: at}
	}
	if h, ok := parseMP3Header(b); ok && h.size > 0 && !h.sameStream(ix.hdr) {
		return &DamagedError{At: at, What: i18n.T("player.err.format_changes")}
	}
	return &DamagedError{At: at, What: i18n.T("player.err.not_audio")}
}

// notMP3Hint says what a file that is not mp3 looks like, from its first bytes.
func notMP3Hint(head []byte) string {
	t := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf")
	switch {
	case len(head) == 0:
		return ""
	case bytes.HasPrefix(t, []byte("<")):
		return i18n.T("player.err.looks_html")
	case bytes.HasPrefix(t, []byte("{")) || bytes.HasPrefix(t, []byte("[")):
		return i18n.T("player.err.looks_json")
	case bytes.HasPrefix(head, []byte("fLaC")):
		return i18n.T("player.err.is_flac")
	case bytes.HasPrefix(head, []byte("OggS")):
		return i18n.T("player.err.is_ogg")
	case len(head) >= 8 && string(head[4:8]) == "ftyp":
		return i18n.T("player.err.is_mp4")
	case bytes.HasPrefix(head, []byte("RIFF")):
		return i18n.T("player.err.is_riff")
	case bytes.HasPrefix(head, []byte("\x89PNG")) || bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return i18n.T("player.err.is_image")
	}
	return ""
}

// frameReader feeds the decoder the bytes from off up to limit(): the end of the last complete
// frame. It is deliberately not an io.Seeker, so that go-mp3 does not try to measure the file.
// At the limit it returns io.EOF without consuming anything, so decoding resumes cleanly once more
// frames have arrived.
type frameReader struct {
	r      io.ReaderAt
	off    int64
	limit  func() int64
	buf    []byte
	bufOff int64
}

func (fr *frameReader) Read(p []byte) (int, error) {
	lim := fr.limit()
	if fr.off >= lim {
		return 0, io.EOF
	}
	if int64(len(p)) > lim-fr.off {
		p = p[:lim-fr.off]
	}
	if fr.off < fr.bufOff || fr.off >= fr.bufOff+int64(len(fr.buf)) {
		want := min(int64(32<<10), lim-fr.off)
		if cap(fr.buf) < int(want) {
			fr.buf = make([]byte, 32<<10)
		}
		fr.buf = fr.buf[:want]
		n, err := fr.r.ReadAt(fr.buf, fr.off)
		fr.buf, fr.bufOff = fr.buf[:n], fr.off
		if n == 0 {
			if err == nil {
				err = io.ErrNoProgress
			}
			return 0, err
		}
	}
	n := copy(p, fr.buf[fr.off-fr.bufOff:])
	fr.off += int64(n)
	return n, nil
}

package player

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/mp3"

	"sunostudio/internal/i18n"
)

// feed is a file that may still be growing. Everything below the player works on a feed, so a
// library file is simply a feed that is done from the start.
type feed struct {
	path    string
	alt     string // for downloads: where the file is renamed to when it completes
	f       *os.File
	size    int64 // bytes known to be present
	done    bool  // no more bytes will come
	failErr error // the writer gave up (the file is incomplete)
	prog    *Progress
	grownAt time.Time
}

func openFeed(path string) (*feed, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, path)
		}
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, errors.New(i18n.T("player.err.is_folder", path))
	}
	return &feed{path: path, f: f, size: st.Size(), done: true}, nil
}

func growingFeed(path, alt string, prog *Progress, now time.Time) *feed {
	return &feed{path: path, alt: alt, prog: prog, grownAt: now}
}

// poll learns how much has arrived. The Progress is looked at before the size so that a writer's
// last bytes, written before Complete, are always seen.
func (fd *feed) poll(now time.Time) error {
	if fd.done {
		return nil
	}
	finished := fd.prog == nil || fd.prog.finished()
	if fd.f == nil {
		f, err := os.Open(fd.path)
		if err != nil && fd.alt != "" && errors.Is(err, fs.ErrNotExist) {
			f, err = os.Open(fd.alt)
		}
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if finished { // the writer finished without ever creating the file
				fd.done, fd.failErr = true, progErr(fd.prog)
				if fd.failErr == nil {
					return fmt.Errorf("%w: %s", ErrNotFound, fd.path)
				}
			}
			return nil
		}
		fd.f = f
	}
	st, err := fd.f.Stat()
	if err != nil {
		return err
	}
	if st.Size() > fd.size {
		fd.size, fd.grownAt = st.Size(), now
	}
	if finished {
		fd.done, fd.failErr = true, progErr(fd.prog)
	}
	return nil
}

// ReadAt never reads past what is known to be present.
func (fd *feed) ReadAt(p []byte, off int64) (int, error) {
	if fd.f == nil || off >= fd.size {
		return 0, io.EOF
	}
	if int64(len(p)) > fd.size-off {
		p = p[:fd.size-off]
	}
	return fd.f.ReadAt(p, off)
}

func (fd *feed) close() {
	if fd.f != nil {
		fd.f.Close()
		fd.f = nil
	}
}

// media is one decodable file on a feed, in source samples (at its own sample rate).
type media interface {
	// update learns about new bytes; once the feed is done it returns the final verdict.
	update(size int64, done bool) error
	rate() int
	// available is how many samples can be decoded without reading past the arrived bytes.
	available() int
	// complete says the whole file is indexed and fine: total is exact and decoding may run to
	// the end without gating.
	complete() bool
	total() int
	// decoder returns a streamer positioned at sample at (at < available()).
	decoder(at int) (beep.Streamer, error)
	durationOf(samples int) time.Duration
}

// newMedia picks the decoder from the first bytes; nil, nil means "not enough bytes yet".
func newMedia(fd *feed) (media, error) {
	if fd.size == 0 && fd.done {
		return nil, ErrEmpty
	}
	if fd.size < 12 && !fd.done {
		return nil, nil
	}
	head := make([]byte, min(fd.size, 12))
	if _, err := fd.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, err
	}
	if len(head) == 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WAVE" {
		return &wavMedia{fd: fd}, nil
	}
	return &mp3Media{fd: fd}, nil
}

type mp3Media struct {
	fd *feed
	ix mp3Index
}

func (m *mp3Media) update(size int64, done bool) error {
	err := m.ix.update(m.fd, size, done)
	if errors.Is(err, ErrNotMP3) {
		if size == 0 {
			return ErrEmpty
		}
		if h := notMP3Hint(m.ix.head); h != "" {
			return i18n.Wrap(i18n.T("player.err.not_mp3_because", ErrNotMP3, h), ErrNotMP3)
		}
	}
	return err
}

func (m *mp3Media) rate() int      { return m.ix.hdr.rate }
func (m *mp3Media) available() int { return m.ix.samples() }
func (m *mp3Media) complete() bool { return m.ix.final && m.ix.err == nil }
func (m *mp3Media) total() int     { return m.ix.samples() }
func (m *mp3Media) durationOf(n int) time.Duration {
	return samplesDur(n, m.ix.hdr.rate)
}

// decoder starts go-mp3 (through beep) a few frames before the target and discards the samples
// up to it: a frame's main data may begin up to 511 bytes back in earlier frames (the bit
// reservoir) and the synthesis filter carries state over, so decoding from the frame itself would
// give wrong samples at first. With enough primer the result equals a decode from the start.
func (m *mp3Media) decoder(at int) (beep.Streamer, error) {
	spf := m.ix.hdr.spf
	f := at / spf
	if at < 0 || f >= len(m.ix.offs) {
		return nil, fmt.Errorf("seek to sample %d outside the %d arrived", at, m.ix.samples())
	}
	start, primer := f, int64(0)
	for start > 0 && f-start < 12 && (primer < 1100 || f-start < 2) {
		start--
		primer += m.ix.offs[start+1] - m.ix.offs[start]
	}
	fr := &frameReader{r: m.fd, off: m.ix.offs[start], limit: func() int64 { return m.ix.end }}
	dec, _, err := mp3.Decode(io.NopCloser(fr))
	if err != nil {
		return nil, err
	}
	if err := discard(dec, at-start*spf); err != nil {
		return nil, err
	}
	return dec, nil
}

func discard(s beep.Streamer, n int) error {
	var buf [1024][2]float64
	for n > 0 {
		k, _ := s.Stream(buf[:min(n, len(buf))])
		if k == 0 {
			if err := s.Err(); err != nil {
				return err
			}
			return io.ErrUnexpectedEOF
		}
		n -= k
	}
	return nil
}

// wavMedia: PCM WAV through beep's decoder; the header gives the length, the file size how much
// of it has arrived.
type wavMedia struct {
	fd      *feed
	parsed  bool
	rateHz  int
	dataOff int64
	frames  int
	width   int
	size    int64
	final   bool
	err     error
}

// countingReader tells where the WAV header ends: beep's decoder reads the header sequentially
// and stops right at the first data byte.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (w *wavMedia) update(size int64, done bool) error {
	if w.final {
		return w.err
	}
	w.size = size
	if !w.parsed {
		cr := &countingReader{r: io.NewSectionReader(w.fd, 0, size)}
		err := checkWAVHeader(w.fd, size)
		var s beep.StreamSeekCloser
		var format beep.Format
		if err == nil {
			s, format, err = decodeWAV(cr)
		}
		if err != nil {
			if !done && (size < 1<<20 || errors.Is(err, errWAVShortHeader)) {
				return nil // the header may still be arriving
			}
			w.final, w.err = true, &UnsupportedError{What: i18n.T("player.err.wav_unreadable", err)}
			return w.err
		}
		w.rateHz, w.dataOff, w.width = int(format.SampleRate), cr.n, format.Width()
		w.frames = s.Len()
		if w.frames <= 0 || w.width <= 0 || w.rateHz <= 0 {
			w.final, w.err = true, &UnsupportedError{What: i18n.T("player.err.wav_no_size")}
			return w.err
		}
		w.parsed = true
	}
	if done {
		w.final = true
		if have := w.arrived(); have < w.frames {
			w.err = &TruncatedError{At: w.durationOf(have)}
		}
	}
	return w.err
}

func (w *wavMedia) arrived() int {
	if !w.parsed || w.size < w.dataOff {
		return 0
	}
	return int((w.size - w.dataOff) / int64(w.width))
}

func (w *wavMedia) rate() int      { return w.rateHz }
func (w *wavMedia) available() int { return min(w.frames, w.arrived()) }
func (w *wavMedia) complete() bool { return w.final && w.err == nil }
func (w *wavMedia) total() int     { return w.frames }
func (w *wavMedia) durationOf(n int) time.Duration {
	return samplesDur(n, w.rateHz)
}

func (w *wavMedia) decoder(at int) (beep.Streamer, error) {
	s, _, err := decodeWAV(io.NewSectionReader(w.fd, 0, 1<<62))
	if err != nil {
		return nil, err
	}
	if err := s.Seek(at); err != nil {
		return nil, err
	}
	return s, nil
}

func samplesDur(n, rate int) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Duration(int64(n) * int64(time.Second) / int64(rate))
}

func progErr(p *Progress) error {
	if p == nil {
		return nil
	}
	return p.Err()
}

package studio

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"

	"github.com/gopxl/beep/v2/wav"
	gomp3 "github.com/hajimehoshi/go-mp3"

	"sunostudio/internal/mp3scan"
	"sunostudio/store"
)

// PeakCount is how many peaks a waveform has: more than any terminal is wide (a view picks or
// merges), and small enough to keep every clip's waveform in the library (2 KB each).
const PeakCount = 1000

// Peaks returns a clip's waveform: PeakCount values 0..1, each the loudest sample (of either
// channel, as a fraction of full scale) in its slice of the song. ok is false while it is not
// computed yet; then it is computed in the background (first in line, since someone is
// looking) and a PeaksReady event follows.
func (e *Engine) Peaks(clipID string) ([]float32, bool) {
	p, err := e.st.Peaks(clipID)
	if err == nil {
		return p, true
	}
	if errors.Is(err, store.ErrNotFound) && !e.st.ReadOnly() {
		e.peaks.want(clipID, true)
	}
	return nil, false
}

// peakMaker computes waveforms one clip at a time on one goroutine (decoding is CPU work that
// must never slow down playback or the UI). It learns about finished downloads from the
// engine's own events, so the downloader knows nothing of it.
type peakMaker struct {
	e      *Engine
	mu     sync.Mutex
	queue  []string
	queued map[string]bool
	failed map[string]bool // could not decode: not retried in this run
	notify chan struct{}
}

func newPeakMaker(e *Engine) *peakMaker {
	return &peakMaker{e: e, queued: map[string]bool{}, failed: map[string]bool{}, notify: make(chan struct{}, 1)}
}

func (p *peakMaker) want(id string, first bool) {
	p.mu.Lock()
	if p.queued[id] || p.failed[id] {
		p.mu.Unlock()
		return
	}
	p.queued[id] = true
	if first {
		p.queue = append([]string{id}, p.queue...)
	} else {
		p.queue = append(p.queue, id)
	}
	p.mu.Unlock()
	select {
	case p.notify <- struct{}{}:
	default:
	}
}

func (p *peakMaker) start(ctx context.Context, wg *sync.WaitGroup) {
	sub := p.e.Subscribe()
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer sub.Close()
		for {
			p.mu.Lock()
			id := ""
			if len(p.queue) > 0 {
				id, p.queue = p.queue[0], p.queue[1:]
			}
			p.mu.Unlock()
			if id != "" {
				p.make(ctx, id)
				p.mu.Lock()
				delete(p.queued, id)
				p.mu.Unlock()
				if ctx.Err() != nil {
					return
				}
				continue
			}
			select {
			case ev, ok := <-sub.C():
				if !ok {
					return
				}
				if ev.Kind == ClipUpdated && ev.Clip != nil && ev.Clip.Download == store.DownloadDone &&
					ev.Clip.LocalPath != "" && !p.e.st.HasPeaks(ev.Clip.ID) {
					p.want(ev.Clip.ID, false)
				}
			case <-p.notify:
			case <-ctx.Done():
				return
			}
		}
	}()
}

func (p *peakMaker) make(ctx context.Context, id string) {
	e := p.e
	c, err := e.st.Clip(id)
	if err != nil || !fileExists(c.LocalPath) || e.st.HasPeaks(id) {
		return
	}
	peaks, err := ComputePeaks(ctx, c.LocalPath, PeakCount)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		p.mu.Lock()
		p.failed[id] = true
		p.mu.Unlock()
		e.log.Warn("waveform", "clip", id, "err", err)
		return
	}
	if err := e.st.PutPeaks(id, peaks); err != nil {
		e.log.Warn("could not keep the waveform", "clip", id, "err", err)
		return
	}
	e.publish(Event{Kind: PeaksReady, Clip: c})
}

// ComputePeaks decodes an mp3 or WAV file and returns at most n peaks (fewer only for a file
// with fewer samples than n): the loudest absolute sample of each of n equal slices, 0..1.
func ComputePeaks(ctx context.Context, path string, n int) ([]float32, error) {
	if n <= 0 {
		return nil, errors.New("no peaks asked for")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var src sampleSource
	if strings.HasSuffix(strings.ToLower(path), ".wav") {
		src, err = wavSource(f)
	} else {
		src, err = mp3Source(f)
	}
	if err != nil {
		return nil, err
	}
	total := src.frames()
	if total <= 0 {
		return nil, errors.New("the file has no audio")
	}
	n = min(n, total)
	peaks := make([]float32, n)
	pos := 0
	for {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		frames, err := src.next()
		for _, v := range frames {
			b := min(int(int64(pos)*int64(n)/int64(total)), n-1)
			if v > peaks[b] {
				peaks[b] = v
			}
			pos++
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("decode %s: %w", path, err)
		}
	}
	for i, v := range peaks {
		peaks[i] = min(v, 1)
	}
	return peaks, nil
}

// sampleSource yields, frame by frame, the louder channel's absolute level (0..1).
type sampleSource interface {
	frames() int
	next() ([]float32, error) // io.EOF at the end, possibly with the last frames
}

type mp3Src struct {
	d   *gomp3.Decoder
	buf []byte
	out []float32
}

// mp3Source decodes with go-mp3 directly in large reads: its output is always 16-bit
// little-endian stereo, and one read per 16 KB is far cheaper than one per frame.
func mp3Source(f *os.File) (sampleSource, error) {
	// go-mp3 finds "frames" in anything (a PNG, an HTML page): check for a real run of MPEG
	// frames first, as the downloader does, so junk never becomes a waveform.
	if _, err := mp3scan.Scan(f); err != nil {
		return nil, fmt.Errorf("not a readable mp3: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	d, err := gomp3.NewDecoder(f)
	if err != nil {
		return nil, fmt.Errorf("not a readable mp3: %w", err)
	}
	return &mp3Src{d: d, buf: make([]byte, 16<<10), out: make([]float32, 0, 4<<10)}, nil
}

func (m *mp3Src) frames() int { return int(m.d.Length() / 4) }

func (m *mp3Src) next() ([]float32, error) {
	n, err := io.ReadFull(m.d, m.buf)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	m.out = m.out[:0]
	for i := 0; i+4 <= n; i += 4 {
		l := math.Abs(float64(int16(binary.LittleEndian.Uint16(m.buf[i:]))))
		r := math.Abs(float64(int16(binary.LittleEndian.Uint16(m.buf[i+2:]))))
		m.out = append(m.out, float32(max(l, r)/32768))
	}
	return m.out, err
}

type wavSrc struct {
	s interface {
		Stream([][2]float64) (int, bool)
		Err() error
		Len() int
	}
	buf [][2]float64
	out []float32
}

func wavSource(f *os.File) (sampleSource, error) {
	s, _, err := wav.Decode(f)
	if err != nil {
		return nil, err
	}
	return &wavSrc{s: s, buf: make([][2]float64, 4096), out: make([]float32, 0, 4096)}, nil
}

func (w *wavSrc) frames() int { return w.s.Len() }

func (w *wavSrc) next() ([]float32, error) {
	n, ok := w.s.Stream(w.buf)
	w.out = w.out[:0]
	for _, fr := range w.buf[:n] {
		w.out = append(w.out, float32(max(math.Abs(fr[0]), math.Abs(fr[1]))))
	}
	if !ok {
		if err := w.s.Err(); err != nil {
			return w.out, err
		}
		return w.out, io.EOF
	}
	return w.out, nil
}

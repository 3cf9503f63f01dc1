//go:build !nosound && (cgo || darwin || windows)

// The device output needs cgo on Linux and the BSDs (oto talks to libasound), but not on macOS or
// Windows, where oto loads the system libraries without cgo: those keep their sound in
// CGO_ENABLED=0 builds, which is how Windows binaries are usually cross-compiled.

package player

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"
	"github.com/gopxl/beep/v2"

	"sunostudio/internal/i18n"
)

const (
	// deviceOpenTimeout bounds the wait for the device. The player reports "no audio output"
	// after its own OutputTimeout (about a second) anyway; this only ends the wait for a device
	// that never answers.
	deviceOpenTimeout = 5 * time.Second
	// deviceBuffer is oto's player buffer: small, so that pause, seek and track changes are heard
	// at once and the position (counted when pulled) is close to what is heard.
	deviceBuffer = 4096 // samples, about 93 ms
	// alsaBuffer is oto's default ALSA buffer (two periods of 1024 frames).
	alsaBuffer     = 2048
	bytesPerSample = 8 // stereo float32
)

// oto allows one context per process, for good, even when opening the device failed: the
// result of the first attempt is kept and shared.
var otoState struct {
	sync.Mutex
	tried bool
	ctx   *oto.Context
	err   error
}

type deviceOutput struct {
	mu     sync.Mutex
	ctx    *oto.Context
	pl     *oto.Player
	closed bool
}

// NewDeviceOutput returns the sound card output (oto: ALSA on Linux, CoreAudio on macOS, WASAPI
// on Windows). The device is opened by Start, not here.
func NewDeviceOutput() (Output, error) { return &deviceOutput{}, nil }

func (d *deviceOutput) Name() string { return "device" }
func (d *deviceOutput) paced() bool  { return true }

func openOto() (*oto.Context, error) {
	otoState.Lock()
	defer otoState.Unlock()
	if otoState.tried {
		return otoState.ctx, otoState.err
	}
	otoState.tried = true
	var (
		ctx      *oto.Context
		err      error
		timedOut bool
	)
	// libasound prints its complaints ("ALSA lib pcm.c:...") straight to fd 2 while the device
	// opens, which would paint over the terminal: keep them for the error's Detail instead.
	detail := quietStderr(func() {
		var ready chan struct{}
		ctx, ready, err = oto.NewContext(&oto.NewContextOptions{
			SampleRate:   OutputRate,
			ChannelCount: 2,
			Format:       oto.FormatFloat32LE,
		})
		if err != nil {
			return
		}
		select {
		case <-ready:
		case <-time.After(deviceOpenTimeout):
			timedOut = true
		}
	})
	switch {
	case err != nil:
	case timedOut:
		err = errors.New(i18n.T("player.err.open_timeout", deviceOpenTimeout.String()))
	default:
		err = ctx.Err()
	}
	if err != nil {
		ctx = nil
		full := strings.TrimPrefix(err.Error(), "oto: ")
		err = &OutputError{Output: "device", Reason: shortReason(full), Hint: deviceHint(), Detail: strings.TrimSpace(full + "\n" + detail)}
	}
	otoState.ctx, otoState.err = ctx, err
	return ctx, err
}

// shortReason keeps the first device of oto's list of every ALSA device it tried: the user
// needs "default" failed and why; the whole list goes to Detail.
func shortReason(msg string) string {
	const open = "snd_pcm_open: "
	i := strings.Index(msg, open)
	if i < 0 {
		return msg
	}
	devices := strings.Split(msg[i+len(open):], ", \"")
	if len(devices) == 1 {
		return msg
	}
	return msg[:i+len(open)] + i18n.T("player.err.other_devices", devices[0], len(devices)-1)
}

func (d *deviceOutput) Start(s beep.Streamer) error {
	ctx, err := openOto()
	if err != nil {
		return err
	}
	pl := ctx.NewPlayer(&pcmReader{s: s})
	pl.SetBufferSize(deviceBuffer * bytesPerSample)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		pl.Close()
		return errors.New("output closed")
	}
	d.ctx, d.pl = ctx, pl
	// Inactive until told otherwise: a suspended context writes nothing to the device.
	_ = ctx.Suspend()
	return nil
}

func (d *deviceOutput) SetActive(active bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pl == nil || d.closed {
		return
	}
	if active {
		// Whatever oto buffered while we were going idle is silence or stale: drop it.
		d.pl.Reset()
		_ = d.ctx.Resume()
		d.pl.Play()
	} else {
		d.pl.Pause()
		_ = d.ctx.Suspend()
	}
}

func (d *deviceOutput) Flush() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pl == nil || d.closed {
		return
	}
	playing := d.pl.IsPlaying()
	d.pl.Reset()
	if playing {
		d.pl.Play()
	}
}

func (d *deviceOutput) Latency() time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pl == nil {
		return 0
	}
	n := d.pl.BufferedSize()/bytesPerSample + alsaBuffer
	return samplesDur(n, OutputRate)
}

func (d *deviceOutput) Err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ctx == nil {
		return nil
	}
	err := d.ctx.Err()
	if err == nil && d.pl != nil {
		err = d.pl.Err()
	}
	if err != nil {
		return &OutputError{Output: "device", Reason: strings.TrimPrefix(err.Error(), "oto: "), Hint: deviceHint()}
	}
	return nil
}

// Close stops the player; oto's context cannot be closed and stays suspended.
func (d *deviceOutput) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	d.closed = true
	if d.pl != nil {
		d.pl.Pause()
		err := d.pl.Close()
		_ = d.ctx.Suspend()
		return err
	}
	return nil
}

// pcmReader turns the player's streamer into the bytes oto reads: float32 little endian stereo.
type pcmReader struct {
	s   beep.Streamer
	buf [][2]float64
}

func (r *pcmReader) Read(p []byte) (int, error) {
	n := len(p) / bytesPerSample
	if n == 0 {
		return 0, nil
	}
	if cap(r.buf) < n {
		r.buf = make([][2]float64, n)
	}
	buf := r.buf[:n]
	got := 0
	for got < n {
		k, ok := r.s.Stream(buf[got:])
		got += k
		if !ok || k == 0 {
			break
		}
	}
	clear(buf[got:])
	for i, smp := range buf {
		binary.LittleEndian.PutUint32(p[i*8:], math.Float32bits(float32(smp[0])))
		binary.LittleEndian.PutUint32(p[i*8+4:], math.Float32bits(float32(smp[1])))
	}
	return n * bytesPerSample, nil
}

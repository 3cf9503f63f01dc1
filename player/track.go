package player

import (
	"errors"
	"sync/atomic"
	"time"

	"github.com/gopxl/beep/v2"

	"sunostudio/internal/i18n"
)

const (
	// OutputRate is the rate every output plays at; other files are resampled to it.
	OutputRate = 44100
	// resampleQuality is beep's "good, on-the-fly" setting.
	resampleQuality = 4
	// pollEvery: while a file grows, look at its size at least every 0.25 s of audio (for the
	// Buffered figure); when short of data, at every pull.
	pollEvery = OutputRate / 4
	// resumeAhead: after running dry mid-track, wait until this much has arrived before playing
	// on, so a slow download gives a few pauses rather than a stutter of tiny ones.
	resumeAhead = OutputRate / 2
)

// dryRuns counts decoders that ran out of data inside the gate: always 0 unless allowed is wrong.
var dryRuns atomic.Int64

type fillStatus int

const (
	fillOK      fillStatus = iota // the buffer was filled
	fillStarved                   // a growing file has no more audio yet: the rest is silence
	fillEnded                     // the track played to its end
	fillError                     // the track cannot go on: see track.err
)

// track is the current source being decoded. It is only touched under the player's lock (the
// output pulls through it), so it needs no lock of its own.
//
// Positions are in output samples (44.1 kHz) and count what was handed to the output: pos =
// base + got, where base is where the current decoder started (0 or a seek target) and got how
// many samples it produced since. Seeking replaces the decoder, so there is never a "switch" of
// decoders when a growing file completes: the same decoder just stops being gated, and the
// position stays exact.
type track struct {
	src     Source
	fd      *feed
	med     media
	err     error // fatal: the track is over
	tailErr error // found while growing: reported once the audio that arrived has played
	stall   time.Duration

	dec       beep.Streamer
	resampled bool
	ratio     float64 // source rate / output rate
	base      int
	baseSrc   int
	got       int

	lastPoll int
	starved  bool
	started  bool
	ended    bool
}

func (t *track) pos() int { return t.base + t.got }

func (t *track) fail(err error) {
	if t.err == nil {
		t.err = err
	}
	t.dec = nil
}

// load creates the media once enough bytes are there and indexes what arrived. For a complete
// file this reads the whole index at once, which is how a broken library file is reported at
// Play time.
func (t *track) load(now time.Time) {
	if t.med != nil && t.med.complete() {
		return
	}
	t.lastPoll = t.pos()
	if err := t.fd.poll(now); err != nil {
		t.fail(err)
		return
	}
	failed := t.fd.done && t.fd.failErr != nil
	if t.med == nil {
		m, err := newMedia(t.fd)
		if failed && (err != nil || m == nil) {
			err = &DownloadError{Err: t.fd.failErr}
		}
		if err != nil {
			t.fail(err)
			return
		}
		if m == nil {
			t.checkStall(now)
			return
		}
		t.med = m
	}
	// A cut download is not judged as a truncated file: index what is whole and report the
	// download's error once that has played.
	if err := t.med.update(t.fd.size, t.fd.done && !failed); err != nil {
		if t.started && t.med.available() > 0 {
			t.tailErr = err
		} else {
			t.fail(err)
		}
		return
	}
	if t.med.rate() > 0 && t.ratio == 0 {
		t.ratio = float64(t.med.rate()) / OutputRate
		t.resampled = t.med.rate() != OutputRate
	}
	if failed && t.tailErr == nil {
		t.tailErr = &DownloadError{At: t.med.durationOf(t.med.available()), Err: t.fd.failErr}
		if t.med.available() == 0 {
			t.fail(t.tailErr)
		}
	}
	t.checkStall(now)
}

func (t *track) checkStall(now time.Time) {
	if t.fd.done || t.stall <= 0 || now.Sub(t.fd.grownAt) < t.stall {
		return
	}
	at := time.Duration(0)
	if t.med != nil {
		at = t.med.durationOf(t.med.available())
	}
	t.fail(&DownloadError{At: at, Err: errors.New(i18n.T("player.err.no_data_for", t.stall.String()))})
}

func (t *track) srcToOut(s int) int {
	if !t.resampled {
		return s
	}
	return int((int64(s)*OutputRate + int64(t.med.rate())/2) / int64(t.med.rate()))
}

func (t *track) outToSrc(o int) int {
	if !t.resampled {
		return o
	}
	return int((int64(o)*int64(t.med.rate()) + OutputRate/2) / OutputRate)
}

func (t *track) complete() bool { return t.med != nil && t.med.complete() }

func (t *track) totalOut() int { return t.srcToOut(t.med.total()) }

// allowed is how many more samples the current decoder may produce without making it read past
// the arrived frames. beep's Resampler pulls its source in blocks of 512 and treats a short block
// as the end, so with resampling only whole blocks (minus the filter's look-ahead) are allowed.
func (t *track) allowed() int {
	if t.med == nil {
		return 0
	}
	avail := t.med.available() - t.baseSrc
	if avail <= 0 {
		return 0
	}
	if !t.resampled {
		return avail - t.got
	}
	a := avail / 512 * 512
	k := int(float64(a-resampleQuality-1) / t.ratio)
	return max(0, k-t.got)
}

func (t *track) openDecoder() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New(i18n.T("player.err.decoder_crashed", r))
		}
	}()
	d, err := t.med.decoder(t.baseSrc)
	if err != nil {
		return i18n.Wrap(i18n.T("player.err.decoding_failed", seconds(t.position()), err), err)
	}
	if t.resampled {
		d = beep.Resample(resampleQuality, beep.SampleRate(t.med.rate()), OutputRate, d)
	}
	t.dec = d
	return nil
}

// stream calls the decoder; a library panicking on garbage ends the track with an error instead
// of taking the program down.
func (t *track) stream(buf [][2]float64) (n int) {
	defer func() {
		if r := recover(); r != nil {
			t.fail(errors.New(i18n.T("player.err.decoder_crashed_at", seconds(t.position()), r)))
			n = 0
		}
	}()
	n, _ = t.dec.Stream(buf)
	return n
}

// fill writes up to len(buf) samples of this track into buf. Short of data it returns what it
// has with fillStarved; the caller plays silence for the rest and the position does not move.
func (t *track) fill(buf [][2]float64, now time.Time) (int, fillStatus) {
	if t.err != nil {
		return 0, fillError
	}
	if t.ended {
		return 0, fillEnded
	}
	if !t.complete() && (t.med == nil || t.starved || t.dec == nil || t.pos()-t.lastPoll >= pollEvery) {
		t.load(now)
		if t.err != nil {
			return 0, fillError
		}
	}
	if t.med == nil {
		t.starved = true
		return 0, fillStarved
	}
	if t.complete() && t.pos() >= t.totalOut() {
		t.ended = true
		return 0, fillEnded
	}
	want := len(buf)
	if !t.complete() {
		want = min(want, t.allowed())
		if t.starved && t.started && t.tailErr == nil && t.allowed() < resumeAhead {
			return 0, fillStarved
		}
	}
	n := 0
	if want > 0 {
		if t.dec == nil {
			if err := t.openDecoder(); err != nil {
				t.fail(err)
				return 0, fillError
			}
		}
		n = t.stream(buf[:want])
		if t.err != nil {
			return 0, fillError
		}
		t.got += n
		if n > 0 {
			t.started = true
		}
		if n < want {
			if err := t.dec.Err(); err != nil {
				t.fail(i18n.Wrap(i18n.T("player.err.decoding_failed", seconds(t.position()), err), err))
				return n, fillError
			}
			if t.complete() {
				t.ended = true
				return n, fillEnded
			}
			// The decoder ran dry before the gate said it would (a bug, counted for the tests):
			// start a fresh one here rather than end the track early.
			dryRuns.Add(1)
			t.rebase(t.pos())
		}
	}
	if t.complete() && t.pos() >= t.totalOut() {
		t.ended = true
		return n, fillEnded
	}
	if n < len(buf) {
		if t.tailErr != nil && t.allowed() <= 0 {
			t.fail(t.tailErr)
			return n, fillError
		}
		t.starved = true
		return n, fillStarved
	}
	t.starved = false
	return n, fillOK
}

func (t *track) rebase(out int) {
	t.dec = nil
	t.base, t.got = out, 0
	t.baseSrc = t.outToSrc(out)
}

// seek moves to out (output samples), clamped to what has arrived; it returns where it went.
func (t *track) seek(out int) int {
	if t.med == nil || t.err != nil {
		return t.pos()
	}
	limit := t.srcToOut(t.med.available())
	if t.complete() {
		limit = t.totalOut()
	}
	out = max(0, min(out, limit))
	t.rebase(out)
	t.ended = false
	return out
}

func (t *track) position() time.Duration { return samplesDur(t.pos(), OutputRate) }

func (t *track) buffered() time.Duration {
	if t.med == nil {
		return 0
	}
	return samplesDur(t.srcToOut(t.med.available()), OutputRate)
}

// duration is exact once the file is complete; before that the longer of what arrived and the
// expected length.
func (t *track) duration() time.Duration {
	if t.complete() {
		return samplesDur(t.totalOut(), OutputRate)
	}
	return max(t.src.Duration, t.buffered())
}

func (t *track) close() {
	t.dec = nil
	if t.fd != nil {
		t.fd.close()
	}
}

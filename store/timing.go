package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"

	"sunostudio/internal/i18n"
)

const timingVersion = 1

// TimedWord is one aligned word of a clip's lyrics, as the relay sent it: section markers and
// line breaks stay inside Word ("[Verse]\nWinter ").
type TimedWord struct {
	Word    string  `json:"word"`
	Start   float64 `json:"start_s"`
	End     float64 `json:"end_s"`
	Success bool    `json:"success,omitempty"`
	PAlign  float64 `json:"p_align,omitempty"`
}

// Timing is a clip's synced lyrics. It is fetched once: the alignment of a finished clip never
// changes, and the relay may delete the clip after about 14 days.
type Timing struct {
	V         int         `json:"v"`
	ClipID    string      `json:"clip_id"`
	Words     []TimedWord `json:"words"`
	FetchedAt time.Time   `json:"fetched_at"`
}

// PutTiming stores a clip's timing (FetchedAt is Now when zero).
func (s *Store) PutTiming(t *Timing) error {
	if t == nil {
		return fmt.Errorf("%w: nil timing", ErrInvalid)
	}
	if err := validID("clip id", t.ClipID); err != nil {
		return err
	}
	for _, w := range t.Words {
		if !finite(w.Start) || !finite(w.End) || !finite(w.PAlign) {
			return fmt.Errorf("%w: timing of %q has a time that is not a number", ErrInvalid, t.ClipID)
		}
	}
	rec := *t
	rec.V = timingVersion
	if rec.FetchedAt.IsZero() {
		rec.FetchedAt = s.now()
	}
	if rec.Words == nil {
		rec.Words = []TimedWord{} // "no words" (an instrumental) is an answer worth keeping
	}
	val, err := json.Marshal(&rec)
	if err != nil {
		return err
	}
	if err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bTiming).Put([]byte(rec.ClipID), val) }); err != nil {
		return fmt.Errorf("put timing of %q: %w", t.ClipID, err)
	}
	*t = rec
	return nil
}

// Timing returns a clip's stored timing, or an error wrapping ErrNotFound.
func (s *Store) Timing(clipID string) (*Timing, error) {
	t := new(Timing)
	err := s.view(func(tx *bolt.Tx) error {
		v := getCraft(tx, bTiming, clipID)
		if v == nil {
			return i18n.Wrap(i18n.T("store.err.no_timing", clipID), ErrNotFound)
		}
		if err := json.Unmarshal(v, t); err != nil {
			return s.damaged("timing", []byte(clipID), err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Peaks are stored as a format byte and one big-endian uint16 per peak (0..65535 for 0..1):
// a 1000-peak waveform is 2 KB instead of 4 KB of float32 or ~7 KB of JSON, and 1/65535 is
// far finer than any terminal can draw.
const peaksFormat = 1

// MaxPeaks bounds one clip's waveform.
const MaxPeaks = 1 << 16

// PutPeaks stores a clip's waveform peaks; values are clamped to 0..1.
func (s *Store) PutPeaks(clipID string, peaks []float32) error {
	if err := validID("clip id", clipID); err != nil {
		return err
	}
	if len(peaks) > MaxPeaks {
		return fmt.Errorf("%w: %d peaks (at most %d)", ErrInvalid, len(peaks), MaxPeaks)
	}
	val := encodePeaks(peaks)
	if err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bPeaks).Put([]byte(clipID), val) }); err != nil {
		return fmt.Errorf("put peaks of %q: %w", clipID, err)
	}
	return nil
}

// Peaks returns a clip's stored peaks, or an error wrapping ErrNotFound.
func (s *Store) Peaks(clipID string) ([]float32, error) {
	var out []float32
	err := s.view(func(tx *bolt.Tx) error {
		v := getCraft(tx, bPeaks, clipID)
		if v == nil {
			return i18n.Wrap(i18n.T("store.err.no_peaks", clipID), ErrNotFound)
		}
		var ok bool
		if out, ok = decodePeaks(v); !ok {
			return s.damaged("peaks", []byte(clipID), fmt.Errorf("unknown format"))
		}
		return nil
	})
	return out, err
}

// HasPeaks reports whether a clip's peaks are stored, without decoding them.
func (s *Store) HasPeaks(clipID string) bool {
	has := false
	s.view(func(tx *bolt.Tx) error {
		has = getCraft(tx, bPeaks, clipID) != nil
		return nil
	})
	return has
}

func getCraft(tx *bolt.Tx, bucket []byte, key string) []byte {
	b := tx.Bucket(bucket)
	if b == nil {
		return nil
	}
	return b.Get([]byte(key))
}

func encodePeaks(peaks []float32) []byte {
	b := make([]byte, 1, 1+2*len(peaks))
	b[0] = peaksFormat
	for _, p := range peaks {
		v := float64(p)
		switch {
		case !(v > 0): // also NaN
			v = 0
		case v > 1:
			v = 1
		}
		b = binary.BigEndian.AppendUint16(b, uint16(math.Round(v*65535)))
	}
	return b
}

func decodePeaks(b []byte) ([]float32, bool) {
	if len(b) < 1 || b[0] != peaksFormat || (len(b)-1)%2 != 0 {
		return nil, false
	}
	out := make([]float32, (len(b)-1)/2)
	for i := range out {
		out[i] = float32(binary.BigEndian.Uint16(b[1+2*i:])) / 65535
	}
	return out, true
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

package store

import (
	"math"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestPersonas(t *testing.T) {
	s := newStore(t)
	if ps, err := s.Personas(); err != nil || len(ps) != 0 {
		t.Fatalf("empty: %v %v", ps, err)
	}
	a := &Persona{ID: "p-a", Name: "Nightingale", Description: "soft female vocals", RootClipID: "c1", Profile: "apicore"}
	b := &Persona{ID: "p-b", Name: "夜莺", RootClipID: "c2"}
	must(t, s.PutPersona(a))
	must(t, s.PutPersona(b))
	if a.V != personaVersion || a.CreatedAt.IsZero() {
		t.Fatalf("stored: %+v", a)
	}
	ps, err := s.Personas()
	must(t, err)
	if len(ps) != 2 || ps[0].ID != "p-b" || ps[1].Name != "Nightingale" {
		t.Fatalf("newest first: %+v", ps)
	}
	got, err := s.Persona("p-b")
	if err != nil || got.Name != "夜莺" || got.RootClipID != "c2" {
		t.Fatalf("Persona: %+v %v", got, err)
	}
	_, err = s.Persona("nope")
	wantErr(t, err, ErrNotFound)
	wantErr(t, s.PutPersona(&Persona{ID: "x"}), ErrInvalid)
	wantErr(t, s.PutPersona(&Persona{Name: "no id"}), ErrInvalid)
	must(t, s.DeletePersona("p-a"))
	if ps, _ := s.Personas(); len(ps) != 1 {
		t.Fatalf("after delete: %+v", ps)
	}
}

func TestTimingRoundTrip(t *testing.T) {
	s := newStore(t)
	_, err := s.Timing("c1")
	wantErr(t, err, ErrNotFound)
	tm := &Timing{ClipID: "c1", Words: []TimedWord{{Word: "[Verse]\n城市 ", Start: 8.38, End: 8.78, Success: true, PAlign: 0.98}}}
	must(t, s.PutTiming(tm))
	got, err := s.Timing("c1")
	must(t, err)
	if len(got.Words) != 1 || got.Words[0] != tm.Words[0] || got.FetchedAt.IsZero() || got.V != timingVersion {
		t.Fatalf("round trip: %+v", got)
	}
	// An instrumental has no words; that answer is kept, not mistaken for "not fetched".
	must(t, s.PutTiming(&Timing{ClipID: "inst"}))
	if got, err := s.Timing("inst"); err != nil || got.Words == nil || len(got.Words) != 0 {
		t.Fatalf("instrumental: %+v %v", got, err)
	}
	wantErr(t, s.PutTiming(&Timing{ClipID: "bad", Words: []TimedWord{{Start: math.NaN()}}}), ErrInvalid)
}

func TestPeaksRoundTrip(t *testing.T) {
	s := newStore(t)
	if s.HasPeaks("c1") {
		t.Fatal("no peaks yet")
	}
	in := []float32{0, 0.5, 1, 1.5, -0.2, float32(math.NaN()), 0.123456}
	must(t, s.PutPeaks("c1", in))
	out, err := s.Peaks("c1")
	must(t, err)
	want := []float32{0, 0.5, 1, 1, 0, 0, 0.123456}
	if len(out) != len(want) {
		t.Fatalf("len %d", len(out))
	}
	for i := range want {
		if math.Abs(float64(out[i]-want[i])) > 1.0/65535 {
			t.Errorf("peak %d = %v, want %v", i, out[i], want[i])
		}
	}
	if !s.HasPeaks("c1") {
		t.Fatal("HasPeaks")
	}
	wantErr(t, s.PutPeaks("c2", make([]float32, MaxPeaks+1)), ErrInvalid)
}

// Deleting a clip takes its timing and peaks with it; personas made from it stay.
func TestDeleteClipRemovesCraftData(t *testing.T) {
	s := newStore(t)
	c := clip("c1", 1)
	c.Download = DownloadNone
	must(t, s.PutClip(c))
	must(t, s.PutTiming(&Timing{ClipID: "c1", Words: []TimedWord{{Word: "la", Start: 1, End: 2}}}))
	must(t, s.PutPeaks("c1", []float32{0.1, 0.2}))
	must(t, s.PutPersona(&Persona{ID: "p", Name: "Voice", RootClipID: "c1"}))
	must(t, s.DeleteClip("c1"))
	if _, err := s.Timing("c1"); err == nil || s.HasPeaks("c1") {
		t.Fatal("timing or peaks outlived the clip")
	}
	if _, err := s.Persona("p"); err != nil {
		t.Fatalf("persona: %v", err)
	}
}

// A schema-2 library (the previous release) gains the craft buckets and keeps its records.
func TestMigrateFromSchema2(t *testing.T) {
	p := filepath.Join(t.TempDir(), "library.db")
	s, err := Open(p, OpenOptions{})
	must(t, err)
	must(t, s.PutClip(clip("c1", 1)))
	must(t, s.update(func(tx *bolt.Tx) error {
		for _, name := range schema3Buckets {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(mSchema, []byte("2"))
	}))
	must(t, s.Close())

	snap, err := OpenSnapshot(p, OpenOptions{})
	must(t, err)
	if ps, err := snap.Personas(); err != nil || len(ps) != 0 {
		t.Fatalf("snapshot of schema 2: %v %v", ps, err)
	}
	must(t, snap.Close())

	s, err = Open(p, OpenOptions{})
	must(t, err)
	defer s.Close()
	if schema, _ := s.inspect(); schema != currentSchema {
		t.Fatalf("schema %d", schema)
	}
	if _, err := s.Clip("c1"); err != nil {
		t.Fatal(err)
	}
	must(t, s.PutPersona(&Persona{ID: "p", Name: "Voice", RootClipID: "c1"}))
	must(t, s.PutPeaks("c1", []float32{0.5}))
}

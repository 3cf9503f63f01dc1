package store

import (
	bolt "go.etcd.io/bbolt"
)

// Buckets added by schema 3 for song craft. Unlike the schema-2 indexes these hold data of
// their own (what the relay answered), so the migration only creates them empty.
var (
	bPersonas = []byte("personas") // persona id -> Persona JSON
	bTiming   = []byte("timing")   // clip id -> Timing JSON (the relay's aligned lyrics)
	bPeaks    = []byte("peaks")    // clip id -> encoded waveform peaks (see encodePeaks)
)

var schema3Buckets = [][]byte{bPersonas, bTiming, bPeaks}

// migrate3 creates the song-craft buckets. Existing records are untouched.
func migrate3(tx *bolt.Tx) error {
	for _, name := range schema3Buckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

// deleteCraftTx removes what the library derived from a clip (its timing and peaks) with it.
// Personas are not removed: a persona lives on the relay whatever happens to its root clip.
func deleteCraftTx(tx *bolt.Tx, clipID string) error {
	for _, name := range [...][]byte{bTiming, bPeaks} {
		if b := tx.Bucket(name); b != nil {
			if err := b.Delete([]byte(clipID)); err != nil {
				return err
			}
		}
	}
	return nil
}

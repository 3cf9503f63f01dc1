package studio

import (
	"context"
	"errors"

	"sunostudio/client"
	"sunostudio/internal/lyricsync"
	"sunostudio/store"
)

// Timing returns a clip's synced lyrics (the relay's aligned words, relay-api 3.5): the copy in
// the library, or fetched from the relay and kept. The alignment of a finished clip never
// changes, so it is asked for once; after the relay has deleted the clip (about 14 days) the
// library's copy is the only one.
func (e *Engine) Timing(ctx context.Context, clipID string) ([]client.AlignedWord, error) {
	if t, err := e.st.Timing(clipID); err == nil {
		return alignedFromStore(t.Words), nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	c, err := e.finishedClip(clipID)
	if err != nil {
		return nil, err
	}
	tm, err := e.cl.Timing(ctx, c.ID)
	e.noteSupport(client.OpTiming, err)
	if err != nil {
		return nil, err
	}
	words := make([]client.AlignedWord, len(tm.Words))
	rec := &store.Timing{ClipID: c.ID, Words: make([]store.TimedWord, len(tm.Words))}
	for i, w := range tm.Words {
		w.Word = clean(w.Word) // relay text; keeps the line breaks the lines are made of
		words[i] = w
		rec.Words[i] = store.TimedWord{Word: w.Word, Start: w.Start, End: w.End, Success: w.Success, PAlign: w.PAlign}
	}
	if !e.st.ReadOnly() {
		if err := e.st.PutTiming(rec); err != nil {
			e.log.Warn("could not keep the timing", "clip", c.ID, "err", err)
		}
	}
	return words, nil
}

// HasTiming reports whether a clip's synced lyrics are in the library (no relay call).
func (e *Engine) HasTiming(clipID string) bool {
	_, err := e.st.Timing(clipID)
	return err == nil
}

func alignedFromStore(ws []store.TimedWord) []client.AlignedWord {
	out := make([]client.AlignedWord, len(ws))
	for i, w := range ws {
		out[i] = client.AlignedWord{Word: w.Word, Start: w.Start, End: w.End, Success: w.Success, PAlign: w.PAlign}
	}
	return out
}

// SyncedLyrics turns aligned words into display lines with position lookup (the karaoke view).
func SyncedLyrics(words []client.AlignedWord) *lyricsync.Lyrics {
	ws := make([]lyricsync.Word, len(words))
	for i, w := range words {
		ws[i] = lyricsync.Word{Text: w.Word, Start: w.Start, End: w.End}
	}
	return lyricsync.Build(ws)
}

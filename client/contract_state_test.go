package client_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/client/sim"
)

// TestContractStateFileRestart is the demo-mode resume: the library keeps task ids, the
// simulator restarts, and the tasks are still there (Options.StateFile).
func TestContractStateFileRestart(t *testing.T) {
	t.Parallel()
	state := filepath.Join(t.TempDir(), "sim-state.json")
	opts := sim.Options{StageTime: 40 * time.Millisecond, StateFile: state}
	e := newEnv(t, opts, client.DialectTask)
	ctx := ctxT(t)
	done := e.song(client.MusicRequest{Mode: client.ModeCustom, Lyrics: verseLyrics, Title: "Before", Tags: "rock"})
	audio := map[string][]byte{}
	for _, c := range done.Clips {
		_, _, audio[c.ID] = get(t, c.AudioURL)
	}
	running := e.submit(client.MusicRequest{Description: "a song submitted just before the restart"})
	lyr, err := e.c.SubmitLyrics(ctx, "words that must survive")
	noErr(t, err, "lyrics")
	if err := e.sim.Close(); err != nil {
		t.Fatal(err)
	}

	// Without the state file a new simulator forgets the tasks.
	forgetful := newEnv(t, sim.Options{}, client.DialectTask)
	_, err = forgetful.c.FetchTask(ctx, done.ID, client.KindMusic)
	wantErr(t, err, client.ErrNotFound, "task on a simulator without state")

	e2 := newEnv(t, opts, client.DialectTask)
	again := e2.poll(done.ID, client.KindMusic)
	checkSucceeded(t, e2.sim.URL(), again)
	if len(again.Clips) != len(done.Clips) || !again.SubmitTime.Equal(done.SubmitTime) {
		t.Fatalf("task after restart: %+v\nbefore: %+v", again, done)
	}
	for i, c := range again.Clips {
		was := done.Clips[i]
		if c.ID != was.ID || c.Title != was.Title || c.Lyrics != was.Lyrics || c.Duration != was.Duration ||
			strings.TrimPrefix(c.AudioURL, e2.sim.URL()) != strings.TrimPrefix(was.AudioURL, e.sim.URL()) {
			t.Fatalf("clip after restart: %+v\nbefore: %+v", c, was)
		}
		_, _, mp3 := get(t, c.AudioURL)
		if !bytes.Equal(mp3, audio[c.ID]) {
			t.Fatalf("clip %s: the audio differs after the restart (%d vs %d bytes)", c.ID, len(mp3), len(audio[c.ID]))
		}
	}
	// The task that was running goes on and completes.
	checkSucceeded(t, e2.sim.URL(), e2.poll(running, client.KindMusic))
	if l := e2.poll(lyr.TaskID, client.KindLyrics); l.Status != client.StatusSucceeded || l.Lyrics == nil || l.Lyrics.Text == "" {
		t.Fatalf("lyrics after restart: %+v", l)
	}
	// Usage is part of the state: 2 songs + 1 lyrics.
	u, err := e2.c.Usage(ctx)
	noErr(t, err, "usage")
	if !near(u.Total, 2.1, 1e-9) {
		t.Fatalf("usage after restart %v, want 2.1", u.Total)
	}
	// The batch fetch finds restored tasks too, in one request.
	tasks, err := e2.c.FetchTasks(ctx, []string{done.ID, running, lyr.TaskID})
	noErr(t, err, "batch")
	if len(tasks) != 3 {
		t.Fatalf("batch after restart: %d tasks", len(tasks))
	}
}

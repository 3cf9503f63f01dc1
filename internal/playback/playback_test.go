package playback

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/client/sim"
	"sunostudio/store"
	"sunostudio/studio"
)

func engine(t *testing.T, so sim.Options) (*studio.Engine, *sim.Sim) {
	t.Helper()
	s, err := sim.Start(so)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cl, _ := client.New(client.Profile{Name: "sim", BaseURL: s.URL(), APIKey: s.Key()})
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "library.db"), store.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e, err := studio.New(studio.Options{Client: cl, Store: st, SongsDir: filepath.Join(dir, "songs"),
		PollBase: 10 * time.Millisecond, PollMax: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e, s
}

func firstClip(t *testing.T, e *studio.Engine, want string) *store.Clip {
	t.Helper()
	task, err := e.Submit(context.Background(), client.MusicRequest{Mode: client.ModeInspiration, Description: "x"}, studio.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		clips, _ := e.Store().ClipsOfTask(task.ID)
		if len(clips) > 0 && clips[0].Status == want {
			return clips[0]
		}
	}
	t.Fatalf("no clip reached %s", want)
	return nil
}

func TestStreamingClipPlaysFromItsURLIntoACache(t *testing.T) {
	e2, s2 := engine(t, sim.Options{StageTime: 40 * time.Millisecond, SongSeconds: 4})
	c := firstClip(t, e2, store.ClipStreaming)
	src, err := Source(context.Background(), e2, c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(src.URL, s2.URL()) || !strings.HasSuffix(src.Path, ".stream.mp3") || filepath.Dir(src.Path) != e2.SongsDir() || src.Growing {
		t.Errorf("source = %+v", src)
	}
}

func TestCompleteClipPlaysTheLibraryFileOrTheDownload(t *testing.T) {
	e, _ := engine(t, sim.Options{StageTime: 5 * time.Millisecond, SongSeconds: 4})
	c := firstClip(t, e, store.ClipComplete)
	src, err := Source(context.Background(), e, c)
	if err != nil {
		t.Fatal(err)
	}
	if src.URL != "" || src.Path == "" {
		t.Fatalf("source = %+v", src)
	}
	if src.Growing {
		select {
		case <-src.Progress.Done():
		case <-time.After(10 * time.Second):
			t.Fatal("the followed download never completed")
		}
	}
	// Whatever the timing, the clip ends up in the library and then plays from its file.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if fresh, _ := e.Store().Clip(c.ID); isFile(fresh.LocalPath) {
			src, err = Source(context.Background(), e, fresh)
			if err != nil || src.Path != fresh.LocalPath || src.Growing {
				t.Fatalf("downloaded: %+v %v", src, err)
			}
			return
		}
	}
	t.Fatal("never downloaded")
}

func TestNothingToPlay(t *testing.T) {
	e, _ := engine(t, sim.Options{StageTime: time.Hour, SongSeconds: 4})
	c := &store.Clip{ID: "q", Title: "排队中", Status: store.ClipQueued}
	if _, err := Source(context.Background(), e, c); err == nil || !strings.Contains(err.Error(), "nothing to play yet") {
		t.Errorf("err = %v", err)
	}
	if _, err := File(os.TempDir()); err == nil {
		t.Error("a folder is not playable")
	}
}

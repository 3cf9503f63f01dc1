package studio

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/client/sim"
	"sunostudio/store"
)

func TestChatRecordsClipsAsTheyAppear(t *testing.T) {
	for _, format := range []string{"a", "b"} {
		t.Run(format, func(t *testing.T) {
			h := newHarness(t, sim.Options{StageTime: 20 * time.Millisecond, ChatTick: 10 * time.Millisecond, ChatFormat: format}, client.DialectTask, Options{})
			var shown strings.Builder
			seenInLibrary := false
			task, res, err := h.eng.Chat(context.Background(), client.ChatRequest{Prompt: "夏天的海边"}, func(u client.ChatUpdate) {
				shown.WriteString(u.Shown)
				if len(u.Clips) > 0 && !seenInLibrary {
					// The clips are in the library while the text is still growing.
					if c, err := h.st.Clip(u.Clips[0].ID); err == nil && c.TaskID != "" {
						seenInLibrary = true
					}
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if !seenInLibrary {
				t.Error("clips entered the library only at the end")
			}
			if shown.String() != res.Text || len(res.Clips) != 2 {
				t.Errorf("shown %d bytes vs text %d; %d clips", shown.Len(), len(res.Text), len(res.Clips))
			}
			final := h.wait(task.ID)
			if final.Status != store.TaskSucceeded || final.Kind != "chat" || len(final.ClipIDs) != 2 {
				t.Fatalf("task = %+v", final)
			}
			clips, _ := h.st.ClipsOfTask(task.ID)
			for _, c := range clips {
				if c.Status != store.ClipComplete || !fileExists(c.LocalPath) || c.Title == "" {
					t.Errorf("clip = %+v", c)
				}
			}
		})
	}
}

func TestChatCutStreamIsFollowedThroughTheFeed(t *testing.T) {
	// Format b names the clips (with streaming URLs) early; the cut comes before the final URLs.
	h := newHarness(t, sim.Options{StageTime: 150 * time.Millisecond, ChatTick: 10 * time.Millisecond, ChatFormat: "b"}, client.DialectTask, Options{})
	h.sim.Inject(sim.Fault{Path: "/v1/chat/completions", Kind: sim.FaultSSECut})
	task, res, err := h.eng.Chat(context.Background(), client.ChatRequest{Prompt: "cut me"}, nil)
	if !errors.Is(err, client.ErrNetwork) {
		t.Fatalf("err = %v", err)
	}
	if len(res.Clips) == 0 || task.Status != store.TaskRunning || !strings.Contains(task.Error, "stream ended early") {
		t.Fatalf("after the cut: task %+v, %d clips", task, len(res.Clips))
	}
	final := h.wait(task.ID)
	if final.Status != store.TaskSucceeded {
		t.Fatalf("the feed did not finish the songs: %+v", final)
	}
	if len(h.rec.matching("GET", "/suno/feed/")) == 0 {
		t.Error("the tracker never asked the feed")
	}
	clips, _ := h.st.ClipsOfTask(task.ID)
	for _, c := range clips {
		if !fileExists(c.LocalPath) {
			t.Errorf("clip not downloaded: %+v", c)
		}
	}
}

func TestChatWithoutFeedSaysSo(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 150 * time.Millisecond, ChatTick: 10 * time.Millisecond, ChatFormat: "b", RejectExtended: true}, client.DialectTask, Options{})
	h.sim.Inject(sim.Fault{Path: "/v1/chat/completions", Kind: sim.FaultSSECut})
	task, _, _ := h.eng.Chat(context.Background(), client.ChatRequest{Prompt: "cut me"}, nil)
	final := h.wait(task.ID)
	if final.Status != store.TaskFailed || !strings.Contains(final.Error, "no way") {
		t.Fatalf("task = %+v", final)
	}
}

func TestChatRelayErrorKeepsTheText(t *testing.T) {
	h := newHarness(t, sim.Options{StageTime: 20 * time.Millisecond, ChatTick: 10 * time.Millisecond}, client.DialectTask, Options{})
	task, res, err := h.eng.Chat(context.Background(), client.ChatRequest{Prompt: "sim:fail song"}, nil)
	if !errors.Is(err, client.ErrUpstream) || res.Text == "" {
		t.Fatalf("err %v, text %q", err, res.Text)
	}
	if task.Status != store.TaskFailed || task.Error == "" {
		t.Errorf("task = %+v", task)
	}
}

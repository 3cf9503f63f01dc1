package sim

import (
	"testing"
	"time"
)

// TestDemoOptions pins the offline demo's settings (used by `sunostudio sim` and demo mode)
// and checks what they promise: a song in about ten seconds, one minute long, streamed at
// four times real time, Suno-API chat, any key, mainstream wire shapes.
func TestDemoOptions(t *testing.T) {
	t.Parallel()
	o := DemoOptions()
	want := Options{StageTime: 2 * time.Second, SongSeconds: 60, StreamPace: 4, ChatFormat: "a", ChatTick: 5 * time.Second}
	if o.StageTime != want.StageTime || o.SongSeconds != want.SongSeconds || o.StreamPace != want.StreamPace ||
		o.ChatFormat != want.ChatFormat || o.ChatTick != want.ChatTick || o.Key != "" || o.RejectExtended ||
		o.Quirks != (Quirks{}) || o.StateFile != "" || o.Now != nil || o.Logf != nil {
		t.Fatalf("DemoOptions() = %+v", o)
	}
	clk := newClock()
	o.Now = clk.Now
	s, err := Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if s.Key() != "sk-demo" {
		t.Fatalf("demo key %q", s.Key())
	}
	id := submitMusic(t, s, map[string]any{"gpt_description_prompt": "a demo song"})
	clk.Add(7900 * time.Millisecond)
	if st := fetchTask(t, s, id)["status"]; st != "IN_PROGRESS" {
		t.Fatalf("demo song at 7.9s: %v", st)
	}
	clk.Add(200 * time.Millisecond)
	tk := fetchTask(t, s, id)
	if tk["status"] != "SUCCESS" {
		t.Fatalf("demo song at 8.1s: %v", tk["status"])
	}
	for _, c := range clipsOf(t, tk) {
		if d := meta(c)["duration"].(float64); d < 60 || d > 63 {
			t.Fatalf("demo song lasts %vs", d)
		}
	}
}

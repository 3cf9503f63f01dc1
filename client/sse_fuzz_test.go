package client

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func collectSSE(r io.Reader) ([]SSEEvent, error) {
	sr := NewSSEReader(r)
	var evs []SSEEvent
	for {
		ev, err := sr.Next()
		if err == io.EOF {
			return evs, nil
		}
		if err != nil {
			return evs, err
		}
		evs = append(evs, ev)
	}
}

// FuzzSSEReader checks that framing never panics and does not depend on how the bytes are
// split across reads (relays flush one rune at a time; proxies re-chunk).
func FuzzSSEReader(f *testing.F) {
	f.Add("data: {\"a\":1}\n\ndata:[DONE]")
	f.Add(": c\r\n\r\ndata: a\ndata: b\n\nevent: x\ndata: y\n\n")
	f.Add("data: 请求成功\n\ndata: 🎵\n\n\n\ndata")
	f.Add("\r\r\n\n:data\ndata:\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		whole, errW := collectSSE(strings.NewReader(in))
		bytewise, errB := collectSSE(iotest.OneByteReader(strings.NewReader(in)))
		if (errW == nil) != (errB == nil) {
			t.Fatalf("errors differ: %v vs %v", errW, errB)
		}
		if errW != nil && !errors.Is(errW, ErrSSELineTooLong) {
			t.Fatalf("unexpected error %v", errW)
		}
		if len(whole) != len(bytewise) {
			t.Fatalf("%d events whole, %d byte by byte", len(whole), len(bytewise))
		}
		for i := range whole {
			if whole[i] != bytewise[i] {
				t.Fatalf("event %d differs: %q vs %q", i, whole[i], bytewise[i])
			}
		}
		if len(whole) > len(in)/5+1 { // every event needs at least "data:"
			t.Fatalf("%d events from %d bytes", len(whole), len(in))
		}
	})
}

// FuzzDecoders feeds arbitrary JSON to every lenient decoder: no panic, and what they accept
// obeys the domain invariants.
func FuzzDecoders(f *testing.F) {
	for _, s := range []string{
		taskMusicInProgress,
		`{"task_id":"t","status":"SUCCESS","action":"LYRICS","data":[{"id":"l","state":"succeeded","text":"x","tags":["a",1,null]}]}`,
		`{"task_id":"g","status":"completed","clips":{"b":{"id":"b","status":"complete","audio_url":"https://cdn1.suno.ai/None.mp3"},"a":{"status":"streaming"}}}`,
		`[{"id":"c1","status":"complete","audio_url":"https://cdn1.suno.ai/c1.mp3","metadata":{"duration":"8.12"}}]`,
		`{"id":"gen","clips":[{"id":"x","status":"queued"}]}`,
		`"2a145658-3342-4228-b779-b8323a2b77df"`,
		`{"progress":"1e309%","submit_time":-1e400,"data":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		raw := json.RawMessage(in)
		check := func(task Task) {
			if task.Progress < -1 || task.Progress > 100 {
				t.Fatalf("progress %d", task.Progress)
			}
			switch task.Status {
			case StatusPending, StatusRunning, StatusSucceeded, StatusFailed:
			default:
				t.Fatalf("status %q", task.Status)
			}
			for _, c := range task.Clips {
				if c.ID == "" {
					t.Fatal("clip without id")
				}
				switch c.Status {
				case ClipQueued, ClipStreaming, ClipComplete, ClipFailed:
				default:
					t.Fatalf("clip status %q", c.Status)
				}
				if c.Status == ClipComplete && c.AudioURL == "" {
					t.Fatal("complete clip without a final audio URL")
				}
				if c.Duration < 0 {
					t.Fatalf("duration %v", c.Duration)
				}
			}
		}
		if task, err := decodeTask(raw); err == nil {
			check(task)
		}
		if task, err := taskFromFetchData("id", raw); err == nil {
			check(task)
		}
		if sub, err := decodeSubmission(raw); err == nil && sub.TaskID == "" && len(sub.Clips) == 0 {
			t.Fatal("accepted a submission with nothing to poll")
		}
		decodeClips(raw)
		decodeLyrics(raw)
		envelopeError(in)
	})
}

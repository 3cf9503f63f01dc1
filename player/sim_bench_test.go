package player

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"sunostudio/client/sim"
)

// simStreamURL submits a song that stays in the streaming stage ("sim:never") to the relay
// simulator and returns its audiopipe URL: the same growing mp3 a relay serves before the final
// file exists, paced at real time.
func simStreamURL(b *testing.B) string {
	s, err := sim.Start(sim.Options{StageTime: time.Millisecond, SongSeconds: 30, StreamPace: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	call := func(method, path, body string, into any) {
		req, _ := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer sk-bench")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			b.Fatal(err)
		}
	}
	var sub struct{ Data string }
	call("POST", "/suno/submit/music", `{"gpt_description_prompt":"sim:never benchmark"}`, &sub)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		var task struct {
			Data struct {
				Data []struct {
					AudioURL string `json:"audio_url"`
				}
			}
		}
		call("GET", "/suno/fetch/"+sub.Data, "", &task)
		if len(task.Data.Data) > 0 && strings.Contains(task.Data.Data[0].AudioURL, "audiopipe") {
			return task.Data.Data[0].AudioURL
		}
	}
	b.Fatal("the simulator never reached the streaming stage")
	return ""
}

// BenchmarkPlayToFirstSampleSimStream: Play() of a streaming-stage clip served by the relay
// simulator (a growing, chunked mp3 paced at real time) until the output pulled the first
// samples.
func BenchmarkPlayToFirstSampleSimStream(b *testing.B) {
	benchPlayToFirstSample(b, simStreamURL(b))
}

package sim

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestNoPanicOnOddInput throws malformed and mistyped input at every endpoint: the simulator
// must answer (4xx is fine) and never fail with a 5xx or a dropped connection.
func TestNoPanicOnOddInput(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{StageTime: time.Hour})
	id := submitMusic(t, s, map[string]any{"prompt": "x", "tags": "y"})
	bodies := []string{"", "null", "[]", `"str"`, "{", `{"ids":"x"}`, `{"ids":[1,2]}`, `{"prompt":123,"title":{},"tags":[]}`,
		`{"continue_clip_id":"x","task_id":"` + id + `","continue_at":"abc"}`, `{"continue_at":1e400}`,
		`{"task":"infill","continue_clip_id":"nope"}`, `{"task":"cover"}`, `{"task":"gen_stem"}`, `{"custom_mode":"yes","input":5}`,
		`{"clip_id":5}`, `{"url":[]}`, `{"root_clip_id":null}`, `{"messages":"hi"}`, `{"messages":[{"role":"user","content":[{"type":"image"}]}]}`}
	posts := []string{"/suno/submit/music", "/suno/submit/lyrics", "/suno/submit/concat", "/suno/submit/xyz", "/suno/fetch",
		"/suno/submit/fetch", "/suno/uploads/audio-url", "/suno/persona/create/", "/suno/v1/music", "/suno/v1/v3.0/lyrics",
		"/v1/chat/completions"}
	for _, p := range posts {
		for _, b := range bodies {
			r := call(t, s, "POST", p, b)
			if r.status >= 500 {
				t.Errorf("POST %s %s: %d %s", p, b, r.status, r.body)
			}
		}
	}
	gets := []string{"/suno/fetch/", "/suno/fetch/%00", "/suno/fetch/" + strings.Repeat("a", 5000), "/suno/act/stems/" + id,
		"/suno/act/timing/x", "/suno/act/wav/", "/suno/act/mp4/x", "/suno/feed/,,,", "/suno/v1/music/x", "/suno/v1/v3.0/lyrics/" + id,
		"/cdn/", "/cdn/.mp3", "/cdn/image_.png", "/cdn/image_large_.png", "/audiopipe/", "/audiopipe/?item_id=", "/x/y/z"}
	for _, p := range gets {
		r := call(t, s, "GET", p, nil)
		if r.status >= 500 {
			t.Errorf("GET %s: %d %s", p, r.status, r.body)
		}
	}
	// Unknown X-Sim-Fault kinds are ignored.
	if r := call(t, s, "GET", "/suno/fetch/"+id, nil, "X-Sim-Fault", "bogus"); r.status != http.StatusOK {
		t.Errorf("bogus fault: %d", r.status)
	}
}

package client_test

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"sunostudio/client"
	"sunostudio/client/sim"
)

// TestContractChat runs the chat endpoint in both content formats, streamed and not, from a
// chat-dialect profile and from a task-dialect one (every dialect may chat).
func TestContractChat(t *testing.T) {
	t.Parallel()
	type tc struct {
		format  string // sim Options.ChatFormat
		keyword string // appended to the prompt
		stream  bool
		dialect client.Dialect
	}
	var cases []tc
	for _, f := range []string{"a", "b"} {
		for _, stream := range []bool{true, false} {
			cases = append(cases, tc{format: f, stream: stream, dialect: client.DialectChat})
		}
	}
	cases = append(cases,
		tc{format: "a", keyword: " sim:format=b", stream: true, dialect: client.DialectTask},
		tc{format: "b", keyword: " sim:format=a", stream: true, dialect: client.DialectGoAmz},
	)
	for _, c := range cases {
		want := c.format
		if c.keyword != "" {
			want = strings.TrimPrefix(c.keyword, " sim:format=")
		}
		name := "format " + want
		if c.stream {
			name += " stream"
		} else {
			name += " non-stream"
		}
		if c.keyword != "" {
			name += " by keyword from " + string(c.dialect)
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Options{ChatFormat: c.format}, c.dialect)
			var deltas []string
			var lastClips []client.Clip
			res, err := e.c.Chat(ctxT(t), client.ChatRequest{Prompt: "a happy song about the weekend" + c.keyword,
				NoStream: !c.stream}, func(u client.ChatUpdate) {
				if u.Delta != "" {
					deltas = append(deltas, u.Delta)
				}
				if u.Clips != nil {
					lastClips = u.Clips
				}
			})
			noErr(t, err, "chat")
			if !res.Done || res.RelayError != "" || !strings.HasPrefix(res.ID, "chatcmpl-") {
				t.Fatalf("result: done %v, relay error %q, id %q", res.Done, res.RelayError, res.ID)
			}
			wantModel := "suno-v3.5" // Suno2openai echoes the requested model
			if want == "a" {
				wantModel = "chirp-v3-5" // Suno-API reports the mapped mv
			}
			if res.Model != wantModel {
				t.Fatalf("model %q, want %q", res.Model, wantModel)
			}
			joined := strings.Join(deltas, "")
			if html.UnescapeString(joined) != res.Text || res.Text == "" {
				t.Fatalf("deltas reassembled (%d bytes) != final text (%d bytes)\n%q\n%q", len(joined), len(res.Text), joined, res.Text)
			}
			if c.stream && want == "a" {
				for _, d := range deltas {
					if utf8.RuneCountInString(d) != 1 {
						t.Fatalf("format a streams one rune per event, got delta %q", d)
					}
				}
			}
			if !c.stream && len(deltas) != 1 {
				t.Fatalf("non-stream: %d deltas", len(deltas))
			}
			if n := e.sim.Requests("POST /v1/chat/completions"); n != 1 {
				t.Fatalf("%d chat requests", n)
			}
			if len(res.Clips) != 2 || len(lastClips) != 2 {
				t.Fatalf("clips: %+v (last update %d)", res.Clips, len(lastClips))
			}
			base := e.sim.URL()
			for i, cl := range res.Clips {
				if !uuidRe.MatchString(cl.ID) || cl.Status != client.ClipComplete || cl.Error != "" {
					t.Fatalf("clip %+v", cl)
				}
				if lastClips[i].ID != cl.ID || lastClips[i].Status != client.ClipComplete {
					t.Fatalf("last update clip %+v, result %+v", lastClips[i], cl)
				}
				if cl.AudioURL != base+"/cdn/"+cl.ID+".mp3" || cl.VideoURL != base+"/cdn/"+cl.ID+".mp4" {
					t.Fatalf("clip %s final URLs %q %q", cl.ID, cl.AudioURL, cl.VideoURL)
				}
				if cl.Title == "" || cl.Tags == "" || !strings.Contains(cl.Lyrics, "[Verse]") {
					t.Fatalf("clip %s title %q tags %q lyrics %q", cl.ID, cl.Title, cl.Tags, cl.Lyrics)
				}
				code, ct, mp3 := get(t, cl.AudioURL)
				if code != 200 || ct != "audio/mpeg" {
					t.Fatalf("the clip's audio: %d %s", code, ct)
				}
				if want == "a" {
					if cl.ImageURL != base+"/cdn/image_"+cl.ID+".png" || !near(cl.Duration, mp3Seconds(mp3), 0.011) {
						t.Fatalf("format a clip %s image %q duration %.2f (mp3 %.2f)", cl.ID, cl.ImageURL, cl.Duration, mp3Seconds(mp3))
					}
				}
			}
			if want == "b" {
				if s := res.Clips[0].StreamURL; s != base+"/audiopipe/?item_id="+res.Clips[0].ID {
					t.Fatalf("format b streaming link %q", s)
				}
				if res.Clips[0].ImageLargeURL != base+"/cdn/image_large_"+res.Clips[0].ID+".png" {
					t.Fatalf("format b cover %q", res.Clips[0].ImageLargeURL)
				}
			}
		})
	}
}

// TestContractChatInstrumental: format a writes no lyrics for an instrumental.
func TestContractChatInstrumental(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{}, client.DialectChat)
	res, err := e.c.Chat(ctxT(t), client.ChatRequest{Prompt: "an instrumental about rivers"}, nil)
	noErr(t, err, "chat")
	if len(res.Clips) != 2 || res.Clips[0].Status != client.ClipComplete || res.Clips[0].Lyrics != "" {
		t.Fatalf("instrumental chat clips: %+v", res.Clips)
	}
}

// TestContractChatModelRejected: Suno2openai answers an unknown model with a chat message and
// [DONE]; no clip, no error from the transport.
func TestContractChatModelRejected(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sim.Options{ChatFormat: "b"}, client.DialectChat)
	res, err := e.c.Chat(ctxT(t), client.ChatRequest{Prompt: "a song", Model: "suno-v9"}, nil)
	if err != nil {
		noLeak(t, err)
	}
	if len(res.Clips) != 0 || !strings.Contains(res.Text, "suno-v3.5") {
		t.Fatalf("rejected model: %v %+v", err, res)
	}
}

package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"sunostudio/client/sim"
	"sunostudio/store"
)

// These tests run the real program loop on the engine and the relay simulator: the chat
// goroutine sends its updates with Program.Send, the frame and wait ticks are real timers.

// chatOnSim opens Chat and asks prompt.
func chatOnSim(t *testing.T, ss *simStudio, prompt string) {
	t.Helper()
	ss.waitScreen(t, "DEMO", 5*time.Second)
	ss.tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	ss.tm.Send(tea.KeyPressMsg{Code: '5', Text: "5"})
	ss.waitScreen(t, "5 Chat", 5*time.Second)
	ss.tm.Type(prompt)
	ss.tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
}

type chatState struct {
	taskID string
	cards  []chatCard
	text   string
	active bool
}

func (ss *simStudio) chatState() chatState {
	var st chatState
	ss.peek(func(m *Model) {
		st.taskID, st.active, st.text = m.chat.taskID, m.chat.active, m.chat.log.text()
		for _, c := range m.chat.cards {
			st.cards = append(st.cards, *c)
		}
	})
	return st
}

// TestChatStreamsEachFormat streams each content format of the simulator (format a, format b
// by option and by the sim:format=b keyword) through the engine and the pane: the answer
// shows, a card per song appears while the text grows, the songs are in the library with
// the same ids, downloaded, and the cards say so.
func TestChatStreamsEachFormat(t *testing.T) {
	for _, tc := range []struct {
		name, format, prompt, marker string
	}{
		{"a", "a", "一首关于夏天海边的歌", "歌曲名"},
		{"b", "b", "a rainy night in the city", "歌曲信息"},
		{"b-keyword", "", "海边的夜晚 sim:format=b", "CDN音乐链接"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ss, _ := newSimStudioWith(t, sim.Options{StageTime: 30 * time.Millisecond, ChatTick: 20 * time.Millisecond,
				SongSeconds: 3, ChatFormat: tc.format})
			chatOnSim(t, ss, tc.prompt)
			ss.waitFor(t, "the answer and its two cards", 30*time.Second, func(s string) bool {
				return strings.Contains(s, "2 songs in the library") && strings.Contains(s, "done · 2 songs")
			})
			// Downloaded: the cards and the Tasks pane each show both songs in the library.
			ss.waitFor(t, "both songs downloaded", 30*time.Second, func(s string) bool { return strings.Count(s, "✓ in library") >= 4 })
			st := ss.chatState()
			if !strings.Contains(st.text, tc.marker) || !strings.Contains(st.text, "› "+tc.prompt) {
				t.Errorf("the transcript lacks the prompt or %q:\n%s", tc.marker, st.text)
			}
			if st.active || st.taskID == "" || len(st.cards) != 2 {
				t.Fatalf("chat state after the stream: %+v", st)
			}
			clips, err := ss.st.ClipsOfTask(st.taskID)
			if err != nil || len(clips) != 2 {
				t.Fatalf("library: %d clips of %s, %v", len(clips), st.taskID, err)
			}
			rows, err := ss.st.Rows()
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range st.cards {
				i := slices.IndexFunc(clips, func(x *store.Clip) bool { return x.ID == c.id })
				if i < 0 {
					t.Fatalf("card %s is not a clip of the task", c.id)
				}
				lc := clips[i]
				if lc.Status != store.ClipComplete || lc.LocalPath == "" || c.download != store.DownloadDone {
					t.Errorf("clip %s: status %s file %q, card download %q", c.id, lc.Status, lc.LocalPath, c.download)
				}
				if c.title == "" || c.title != lc.Title || c.audio == "" || c.lyric == "" || c.tags == "" {
					t.Errorf("card %+v lacks what the text and library said", c)
				}
				if !slices.ContainsFunc(rows, func(r store.Row) bool { return r.ID == c.id && r.HasFile }) {
					t.Errorf("clip %s is not a downloaded library row", c.id)
				}
			}
			if st.cards[0].cover == "" {
				t.Error("the first card has no cover")
			}
			if tc.format != "a" && (!strings.Contains(st.text, "实时音乐") || st.cards[0].stream == "") {
				t.Error("format b's streaming links are not in the transcript and the card")
			}
			quitSim(t, ss)
		})
	}
}

// TestChatCutConnection: the stream is cut mid-way (SSE without [DONE]); the pane says so in
// words, keeps what arrived and the cards of the songs named before the cut, which the engine
// then follows through the relay's feed to the library.
func TestChatCutConnection(t *testing.T) {
	ss, s := newSimStudioWith(t, sim.Options{StageTime: 150 * time.Millisecond, ChatTick: 10 * time.Millisecond,
		SongSeconds: 3, ChatFormat: "b"})
	s.Inject(sim.Fault{Path: "/v1/chat/completions", Kind: sim.FaultSSECut})
	chatOnSim(t, ss, "cut me 夏天")
	ss.waitFor(t, "the cut, in words", 30*time.Second, func(s string) bool {
		return strings.Contains(s, "connection was cut") && strings.Contains(s, "ended early")
	})
	st := ss.chatState()
	if !strings.Contains(st.text, "Creating") || len(st.cards) == 0 || st.active {
		t.Fatalf("after the cut: %d cards, active %v, text %q", len(st.cards), st.active, st.text)
	}
	ss.waitFor(t, "the songs followed to the library", 30*time.Second, func(s string) bool { return strings.Count(s, "✓ in library") >= 4 })
	quitSim(t, ss)
}

// TestChatEscCancels: esc while the answer streams cancels it and keeps what arrived; the
// rest of the answer never comes.
func TestChatEscCancels(t *testing.T) {
	ss, _ := newSimStudioWith(t, sim.Options{StageTime: 500 * time.Millisecond, ChatTick: 100 * time.Millisecond,
		SongSeconds: 3, ChatFormat: "a"})
	chatOnSim(t, ss, "a long wait")
	ss.waitScreen(t, "请求成功", 10*time.Second)
	ss.tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	ss.waitScreen(t, "stopped — what arrived is kept", 5*time.Second)
	time.Sleep(2 * time.Second) // longer than the answer would have taken
	st := ss.chatState()
	if st.active || !strings.Contains(st.text, "请求成功") || strings.Contains(st.text, "歌曲名") {
		t.Fatalf("after esc: active %v, text %q", st.active, st.text)
	}
	ss.peek(func(m *Model) {
		if len(m.chatRuns) != 0 {
			t.Errorf("%d chat goroutines still tracked", len(m.chatRuns))
		}
	})
	quitSim(t, ss)
}

func quitSim(t *testing.T, ss *simStudio) {
	t.Helper()
	ss.tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	ss.tm.Send(tea.KeyPressMsg{Code: 'y', Text: "y"}) // if it asks (downloads still running)
	ss.tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
}

// TestChatRelayErrorInTheText: the relay writes its error into the answer (Suno-API's JSON
// error as content, no [DONE]); the pane says it in words under the transcript and keeps the
// text.
func TestChatRelayErrorInTheText(t *testing.T) {
	ss, _ := newSimStudioWith(t, sim.Options{StageTime: 30 * time.Millisecond, ChatTick: 20 * time.Millisecond,
		SongSeconds: 3, ChatFormat: "a"})
	chatOnSim(t, ss, "broken song sim:fail")
	ss.waitScreen(t, "reported an error", 30*time.Second)
	st := ss.chatState()
	if st.active || !strings.Contains(st.text, "请求成功") {
		t.Fatalf("after the relay's error: active %v, text %q", st.active, st.text)
	}
	quitSim(t, ss)
}

package ui

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"sunostudio/client"
	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

// --- the transcript cache ---

// TestTranscriptIncrementalMatchesWhole: text arriving in pieces of any size (one rune, a
// few bytes, a whole line) wraps to exactly the lines of wrapping it all at once, and no line
// is wider than the pane.
func TestTranscriptIncrementalMatchesWhole(t *testing.T) {
	text := chatSample(6 << 10)
	for _, w := range []int{1, 2, 7, 20, 44, 76} {
		want := wholeWrap(text, w)
		rng := rand.New(rand.NewPCG(uint64(w), 7))
		for trial := 0; trial < 4; trial++ {
			var tr transcript
			tr.setWidth(w)
			rs := []rune(text)
			for i := 0; i < len(rs); {
				n := 1
				if trial > 0 {
					n = 1 + rng.IntN(trial*9)
				}
				n = min(n, len(rs)-i)
				tr.add(string(rs[i:i+n]), lineText)
				i += n
			}
			got := linesOf(&tr)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("w=%d trial %d: incremental wrap differs\n got %q\nwant %q", w, trial, firstDiff(got, want), firstDiff(want, got))
			}
			for _, l := range got {
				if width(l) > w && !(w < 2 && width(l) == 2) {
					t.Fatalf("w=%d: line %q is %d cells", w, l, width(l))
				}
			}
			if tr.text() != text {
				t.Fatal("the transcript lost text")
			}
		}
	}
	// A resize re-wraps everything to the same result as wrapping at the new width.
	var tr transcript
	tr.setWidth(30)
	tr.add(text, lineText)
	tr.setWidth(50)
	if strings.Join(linesOf(&tr), "\n") != strings.Join(wholeWrap(text, 50), "\n") {
		t.Fatal("resize: lines differ from a fresh wrap")
	}
}

func wholeWrap(text string, w int) []string {
	var out []string
	for _, p := range strings.Split(text, "\n") {
		ls, _ := wrapPara(p, w)
		out = append(out, ls...)
	}
	if strings.HasSuffix(text, "\n") {
		out = out[:len(out)-1] // the empty paragraph after the last newline is not a line yet
	}
	return out
}

func linesOf(t *transcript) []string {
	out := make([]string, t.count())
	for i := range out {
		out[i] = t.line(i).s
	}
	return out
}

func firstDiff(a, b []string) string {
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			return a[i]
		}
	}
	return ""
}

func TestWrapPara(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"hello world foo", 11, "hello world|foo"},
		{"hello   world", 7, "hello|world"},
		{"夏天的风吹过海边", 6, "夏天的|风吹过|海边"},
		{"abc夏天def", 5, "abc夏|天def"},
		{"supercalifragilistic", 8, "supercal|ifragili|stic"},
		{"well-known words", 6, "well-|known|words"},
		{"    indented text here", 10, "    indent|ed text|here"},
		{"Summer wind 🌊 across", 13, "Summer wind|🌊 across"},
		{"夏天的风吹过海边。我们", 8, "夏天的风|吹过海|边。我们"},
		{"听歌: ![封面](http://x.io/a-b)", 12, "听歌: ![封|面](http://x|.io/a-b)"},
	} {
		ls, _ := wrapPara(tc.in, tc.w)
		if got := strings.Join(ls, "|"); got != tc.want {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
}

// chatSample is mixed Chinese/English song-reply text of about n bytes, with the shapes the
// relays send (markdown labels, long URLs, emoji, blank lines).
func chatSample(n int) string {
	block := "###🎵 歌曲名： 夏日海风 Summer Breeze\n**模型版本：** chirp-v3-5\n**歌词：**\n[Verse]\n" +
		"夏天的风吹过海边，我们一起唱 la la la\nSummer wind across the sea, sing it with me 一起唱 🌊\n\n" +
		"[Chorus]\n不管明天在哪里 wherever tomorrow takes us, 把心情交给风\n" +
		"**版本ID： ** 3f2a9c21-7d4e-4b8a-9f1e-0c5d2b7a8e61\n- 🎧 音频: [点击听歌](https://cdn1.suno.ai/3f2a9c21-7d4e-4b8a-9f1e-0c5d2b7a8e61.mp3)\n" +
		"a very long line without any newline in it that goes on and on, 一直一直地唱下去，直到月亮升起来，the moon rises over the quiet harbour and the boats come home one by one\n\n"
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(block)
	}
	return b.String()
}

// --- driving the pane with the messages the chat goroutine sends ---

// chatRec collects what the chat goroutine sends (Program.Send in the real program).
type chatRec struct {
	mu   sync.Mutex
	msgs []tea.Msg
}

func (r *chatRec) send(m tea.Msg) {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
}

func (r *chatRec) take() []tea.Msg {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.msgs
	r.msgs = nil
	return out
}

// chatEnv is a studio focused on Chat at w x h whose chats run script instead of the relay.
func chatEnv(t testing.TB, w, h int, script chatFunc) (*env, *chatRec) {
	return chatEnvWith(t, seedStudio, w, h, script)
}

func chatEnvWith(t testing.TB, seed func(*env), w, h int, script chatFunc) (*env, *chatRec) {
	e := newEnv(t, seed)
	e.load()
	e.size(w, h)
	rec := &chatRec{}
	e.m.send = rec.send
	if script != nil {
		e.m.chatFn = script
	}
	e.key("esc", "5")
	return e, rec
}

// ask types a prompt and presses enter; it returns the Cmd (the chat goroutine among others)
// without running it.
func (e *env) ask(prompt string) tea.Cmd {
	e.t.Helper()
	e.typeText(prompt)
	return e.send(keyMsg("enter"))
}

func (e *env) delta(s string, clips ...client.Clip) {
	e.t.Helper()
	u := client.ChatUpdate{Shown: s, Delta: s}
	if clips != nil {
		u.Clips = clips
	}
	e.exec(e.send(chatDeltaMsg{id: e.m.chat.seq, u: u}))
}

// frame delivers the frame tick the model asked for, as its timer would.
func (e *env) frame() { e.exec(e.send(chatFrameMsg{id: e.m.chat.seq})) }

func goldenClips() []client.Clip {
	return []client.Clip{
		{ID: "3f2a9c21-7d4e-4b8a-9f1e-0c5d2b7a8e61", Title: "夏日海风 Summer Breeze", Tags: "city pop, 国风, female vocals",
			Lyrics: "[Verse]\n夏天的风吹过海边\nSummer wind across the sea", Status: client.ClipStreaming,
			StreamURL: "https://audiopipe.suno.ai/?item_id=3f2a9c21-7d4e-4b8a-9f1e-0c5d2b7a8e61",
			ImageURL:  "https://cdn2.suno.ai/image_3f2a9c21-7d4e-4b8a-9f1e-0c5d2b7a8e61.jpeg"},
		{ID: "8b1e4f7a-2c3d-4e5f-8a9b-1c2d3e4f5a6b", Title: "夏日海风 Summer Breeze", Tags: "city pop, 国风, female vocals",
			Lyrics: "[Verse]\n夏天的风吹过海边", Status: client.ClipQueued},
	}
}

// chatMidStream is the golden's scene: a Chinese prompt, part of a format (a) answer, two
// songs named (one streaming, one queued).
func chatMidStream(e *env) {
	e.m.chatFn = func(ctx context.Context, _ client.ChatRequest, _ func(client.ChatUpdate)) (*store.Task, client.ChatResult, error) {
		<-ctx.Done()
		return nil, client.ChatResult{}, ctx.Err()
	}
	if e.m.focus != paneChat {
		e.key("esc", "5")
	}
	e.ask("一首关于夏天海边的欢快歌曲")
	clips := goldenClips()
	e.delta("请求成功，正在生成歌曲，请稍等片刻...\n🎵🎵\n***\n###🎵 歌曲名： 夏日海风 Summer Breeze\n**模型版本：** chirp-v3-5\n**歌词：**\n" +
		"[Verse]\n夏天的风吹过海边\nSummer wind across the sea 🌊\n我们一起唱 la la la\n\n")
	e.delta("**版本ID： ** 3f2a9c21-7d4e-4b8a-9f1e-0c5d2b7a8e61\n", clips[:1]...)
	e.delta("**音乐时长： ** 183.4秒\n**风格：   ** city pop, 国风, female vocals\n\n**版本ID： ** 8b1e4f7a-2c3d-4e5f-8a9b-1c2d3e4f5a6b\n", clips...)
	e.frame()
	e.delta("**音乐时长： ** 17")
	e.frame()
}

// TestChatStreamIsCoalesced: the first delta after a pause is drawn at once; the next ones
// wait for the frame tick, which runs only while text keeps coming; a stale stream's messages
// change nothing.
func TestChatStreamIsCoalesced(t *testing.T) {
	e, _ := chatEnv(t, 120, 40, nil)
	e.ask("海边")
	id := e.m.chat.seq
	_, r0 := e.m.Stats()
	e.m.View()
	timers := len(e.timers)
	e.send(chatDeltaMsg{id: id, u: client.ChatUpdate{Shown: "夏"}})
	if !strings.Contains(ansiStrip(e.m.View().Content), "夏") {
		t.Fatal("the first delta was not drawn at once")
	}
	if len(e.timers) != timers+1 {
		t.Fatalf("no frame tick was scheduled after the first delta")
	}
	_, r1 := e.m.Stats()
	for _, r := range "天的风吹过海边" {
		e.send(chatDeltaMsg{id: id, u: client.ChatUpdate{Shown: string(r)}})
		e.m.View()
	}
	if _, r2 := e.m.Stats(); r2 != r1 {
		t.Fatalf("deltas between frames rendered %d frames", r2-r1)
	}
	if len(e.timers) != timers+1 {
		t.Fatal("deltas between frames scheduled more ticks")
	}
	e.send(chatFrameMsg{id: id})
	if s := ansiStrip(e.m.View().Content); !strings.Contains(s, "夏天的风吹过海边") {
		t.Fatalf("the frame did not draw the pending text:\n%s", s)
	}
	_, r3 := e.m.Stats()
	if r3-r0 > 3 {
		t.Fatalf("%d renders for 8 deltas", r3-r0)
	}
	// The next frame finds nothing new: the ticks stop.
	before := len(e.timers)
	e.send(chatFrameMsg{id: id})
	if len(e.timers) != before {
		t.Fatal("the frame tick kept running with nothing to draw")
	}
	// A message of another stream is dropped.
	e.send(chatDeltaMsg{id: id + 7, u: client.ChatUpdate{Shown: "STALE"}})
	e.send(chatFrameMsg{id: id + 7})
	if strings.Contains(e.screen(), "STALE") {
		t.Fatal("a stale stream's text was drawn")
	}
}

// TestChatCardsFollowTheLibrary: cards appear as the text names the clips and update with
// the engine's ClipUpdated and DownloadProgress events.
func TestChatCardsFollowTheLibrary(t *testing.T) {
	e, _ := chatEnv(t, 120, 40, nil)
	chatMidStream(e)
	s := e.screen()
	for _, want := range []string{"2 songs in the library", "夏日海风 Summer Breeze", "▶ streaming", "queued", "夏天的风吹过海边",
		"stream · cover", "no links yet", "3f2a9c21", "streaming 4"} {
		if !strings.Contains(s, want) {
			t.Fatalf("no %q on screen:\n%s", want, s)
		}
	}
	c := goldenClips()[0]
	lib := &store.Clip{ID: c.ID, TaskID: "chat-x", Title: c.Title, Tags: c.Tags, Status: store.ClipComplete,
		AudioURL: "https://cdn1.suno.ai/" + c.ID + ".mp3", StreamURL: c.StreamURL, Download: store.DownloadActive}
	e.send(engineMsg{ev: studio.Event{Kind: studio.ClipUpdated, Clip: lib}})
	e.send(engineMsg{ev: studio.Event{Kind: studio.DownloadProgress, Clip: lib, Bytes: 45, Total: 100}})
	if s := e.screen(); !strings.Contains(s, "↓ 45%") || !strings.Contains(s, "stream · audio · cover") {
		t.Fatalf("card did not follow the library:\n%s", s)
	}
	lib2 := *lib
	lib2.Download, lib2.LocalPath = store.DownloadDone, "/music/x.mp3"
	e.send(engineMsg{ev: studio.Event{Kind: studio.ClipUpdated, Clip: &lib2}})
	if s := e.screen(); !strings.Contains(s, "✓ in library") {
		t.Fatalf("card not in library:\n%s", s)
	}
}

// TestChatPlayFromCard: esc leaves the prompt, the keys select a card, enter plays it
// through the Source (a streaming clip plays from its streaming URL at once), a queues it.
func TestChatPlayFromCard(t *testing.T) {
	e, _ := chatEnv(t, 120, 40, nil)
	chatMidStream(e)
	for _, c := range goldenClips() {
		sc := &store.Clip{ID: c.ID, TaskID: "chat-x", Title: c.Title, Status: string(c.Status), StreamURL: c.StreamURL}
		mustPut(t, e.st.PutClip(sc))
	}
	var sources []string
	e.m.o.Source = func(_ context.Context, c *store.Clip) (player.Source, error) {
		sources = append(sources, c.ID+" "+c.StreamURL)
		return player.Source{ID: c.ID, Title: c.Title, URL: c.StreamURL}, nil
	}
	e.key("esc") // the stream goes on: esc stops it first
	if e.m.chat.active {
		t.Fatal("esc did not stop the stream")
	}
	e.key("esc") // then leaves the prompt
	if e.m.chat.editing {
		t.Fatal("esc did not leave the prompt")
	}
	if s := e.screen(); !strings.Contains(s, "stream https://audiopipe.suno.ai/") {
		t.Fatalf("the selected card does not show its links:\n%s", s)
	}
	e.key("enter")
	first := goldenClips()[0]
	if calls := e.pl.Calls(); len(calls) != 1 || calls[0] != "play "+first.ID {
		t.Fatalf("player calls %v", calls)
	}
	if len(sources) != 1 || !strings.HasSuffix(sources[0], first.StreamURL) {
		t.Fatalf("source asked for %v", sources)
	}
	e.key("j", "a")
	if calls := e.pl.Calls(); len(calls) != 2 || calls[1] != "add "+goldenClips()[1].ID {
		t.Fatalf("queue: %v", calls)
	}
	// i goes back to writing.
	e.key("i")
	if !e.m.chat.editing {
		t.Fatal("i did not go back to the prompt")
	}
}

// TestChatStopKeepsText: esc cancels the stream's context and keeps what arrived; late
// deltas of the stopped stream are dropped; its result arriving later changes nothing drawn.
func TestChatStopKeepsText(t *testing.T) {
	started := make(chan struct{})
	var canceled error
	script := func(ctx context.Context, _ client.ChatRequest, on func(client.ChatUpdate)) (*store.Task, client.ChatResult, error) {
		on(client.ChatUpdate{Shown: "请求成功，正在生成歌曲"})
		close(started)
		<-ctx.Done()
		canceled = ctx.Err()
		on(client.ChatUpdate{Shown: "LATE"})
		return &store.Task{ID: "chat-1", Status: store.TaskFailed}, client.ChatResult{Text: "请求成功，正在生成歌曲LATE"},
			&client.Error{Kind: client.KindCanceled, Err: context.Canceled}
	}
	e, rec := chatEnv(t, 100, 30, script)
	cmd := e.ask("a song")
	msgs := make(chan []tea.Msg, 1)
	go func() { msgs <- e.collect(cmd) }() // the chat goroutine, running until cancelled
	<-started
	for _, m := range rec.take() {
		e.exec(e.send(m))
	}
	if !strings.Contains(e.screen(), "请求成功") {
		t.Fatalf("text not shown:\n%s", e.screen())
	}
	e.key("esc")
	done := <-msgs
	if !errors.Is(canceled, context.Canceled) {
		t.Fatalf("the chat's context was not cancelled: %v", canceled)
	}
	for _, m := range append(rec.take(), done...) {
		e.exec(e.send(m))
	}
	s := e.screen()
	if !strings.Contains(s, "请求成功，正在生成歌曲") || strings.Contains(s, "LATE") || !strings.Contains(s, "stopped — what arrived is kept") {
		t.Fatalf("after esc:\n%s", s)
	}
	if e.m.chat.active || len(e.m.chatRuns) != 0 {
		t.Fatal("the stream is still marked running")
	}
}

// TestChatWaitingShowsElapsedTime: before the first word and in a long silence the pane says
// it is waiting, with the seconds counting (a 1 s ticker only while waiting).
func TestChatWaitingShowsElapsedTime(t *testing.T) {
	e, _ := chatEnvWith(t, nil, 80, 24, nil) // no running task: its tick would count too
	e.ask("a song")
	if s := e.screen(); !strings.Contains(s, "waiting for the relay… 0 s") {
		t.Fatalf("no waiting state:\n%s", s)
	}
	for i := 0; i < 12; i++ {
		e.now = e.now.Add(time.Second)
		if len(e.timers) != 1 {
			t.Fatalf("%d timers while waiting, want the one ticker", len(e.timers))
		}
		e.fire()
	}
	if s := e.screen(); !strings.Contains(s, "waiting for the relay… 12 s") || !strings.Contains(s, "waiting 12 s") {
		t.Fatalf("elapsed time not shown:\n%s", s)
	}
	e.delta("夏天")
	if s := e.screen(); strings.Contains(s, "waiting") {
		t.Fatalf("still waiting after text:\n%s", s)
	}
	// Text flowing: the frame tick stops with nothing new, and the watchdog wakes only when a
	// silence could begin to show (2 s), not every second.
	e.fire()
	if len(e.timers) != 1 || e.m.chat.waiting {
		t.Fatalf("%d timers after text (want the one watchdog)", len(e.timers))
	}
	_, r0 := e.m.Stats()
	e.now = e.now.Add(3 * time.Second)
	e.fire()
	if s := e.screen(); !strings.Contains(s, "the relay is quiet… 3 s") {
		t.Fatalf("silence after text not shown:\n%s", s)
	}
	if _, r1 := e.m.Stats(); r1 == r0 {
		t.Fatal("the silence did not render")
	}
	// The end stops every ticker.
	e.exec(e.send(chatDoneMsg{id: e.m.chat.seq, res: client.ChatResult{Text: "夏天"}}))
	e.fire()
	if len(e.timers) != 0 {
		t.Fatalf("%d timers after the stream ended", len(e.timers))
	}
}

// TestChatFollowsTheBottom: new text keeps the view at the bottom; scrolling up stops that
// (the view stays put while text arrives); scrolling back down to the bottom resumes it.
func TestChatFollowsTheBottom(t *testing.T) {
	e, _ := chatEnv(t, 80, 24, nil)
	e.ask("long")
	for i := 0; i < 40; i++ {
		e.delta("line " + itoa(i) + " 夏天的风\n")
		e.frame()
	}
	if s := e.screen(); !strings.Contains(s, "line 39") {
		t.Fatalf("not following:\n%s", s)
	}
	e.key("pgup")
	s := e.screen()
	if strings.Contains(s, "line 39") || e.m.chat.follow {
		t.Fatalf("pgup did not scroll up:\n%s", s)
	}
	top := e.m.chat.top
	e.delta("line 40 new\n")
	e.frame()
	if s := e.screen(); e.m.chat.top != top || strings.Contains(s, "line 40") || !strings.Contains(s, "below") {
		t.Fatalf("scrolled-up view moved with new text (top %d, was %d):\n%s", e.m.chat.top, top, s)
	}
	// The wheel scrolls too; going down to the bottom follows again.
	chat := e.m.lay.panes[paneChat]
	e.send(tea.MouseWheelMsg{X: chat.x + 3, Y: chat.y + 3, Button: tea.MouseWheelDown})
	for i := 0; i < 5; i++ {
		e.key("pgdown")
	}
	if !e.m.chat.follow || !strings.Contains(e.screen(), "line 40 new") {
		t.Fatalf("back at the bottom but not following:\n%s", e.screen())
	}
	e.delta("line 41 after\n")
	e.frame()
	if !strings.Contains(e.screen(), "line 41 after") {
		t.Fatal("following did not resume")
	}
}

// TestChatHistory: sent prompts are kept (settings "chat_history", written in a Cmd) and come
// back with up/down in the prompt box, at the next start too; r asks the last one again.
func TestChatHistory(t *testing.T) {
	var asked []string
	script := func(_ context.Context, req client.ChatRequest, on func(client.ChatUpdate)) (*store.Task, client.ChatResult, error) {
		asked = append(asked, req.Prompt)
		return nil, client.ChatResult{}, nil
	}
	e, _ := chatEnv(t, 120, 40, script)
	e.exec(e.ask("first song 第一"))
	e.exec(e.ask("second song"))
	var saved []string
	if ok, err := e.st.Setting("chat_history", &saved); !ok || err != nil || strings.Join(saved, "|") != "first song 第一|second song" {
		t.Fatalf("saved history %q %v %v", saved, ok, err)
	}
	e.typeText("draft")
	e.key("up")
	if v := e.m.chat.input.Value(); v != "second song" {
		t.Fatalf("up: %q", v)
	}
	e.key("up", "up")
	if v := e.m.chat.input.Value(); v != "first song 第一" {
		t.Fatalf("up up: %q", v)
	}
	e.key("down", "down")
	if v := e.m.chat.input.Value(); v != "draft" {
		t.Fatalf("down to the draft: %q", v)
	}
	// Edit a recalled prompt and send it: a new entry.
	e.key("up")
	e.typeText(" again")
	e.key("enter")
	e.key("esc", "r")
	if strings.Join(asked, "|") != "first song 第一|second song|second song again|second song again" {
		t.Fatalf("asked %q", asked)
	}
	// The next start loads it.
	e2 := newEnv(t, nil)
	e2.st = e.st
	e2.m.st = e.st
	e2.exec(loadChatHistoryCmd(e.st))
	if h := e2.m.chat.hist; strings.Join(h, "|") != "first song 第一|second song|second song again" {
		t.Fatalf("loaded %q", h)
	}
}

// TestChatOutcomes: how an exchange ended, in words under the transcript, the text kept.
func TestChatOutcomes(t *testing.T) {
	cut := &client.Error{Kind: client.KindNetwork, Op: "chat", Message: "the stream was cut after 120 bytes; what arrived is kept"}
	silent := &client.Error{Kind: client.KindTimeout, Op: "chat", Message: "nothing arrived for 2m0s; what arrived is kept"}
	relay := &client.Error{Kind: client.KindUpstream, Op: "chat", Message: "生成失败: content policy"}
	for _, tc := range []struct {
		name string
		err  error
		task *store.Task
		want []string
	}{
		{"ok", nil, &store.Task{ID: "chat-1", Status: store.TaskSucceeded}, []string{"done · 2 songs in the library"}},
		{"cut", cut, &store.Task{ID: "chat-1", Status: store.TaskRunning}, []string{"connection was cut", "what arrived", "followed"}},
		{"silent", silent, &store.Task{ID: "chat-1", Status: store.TaskRunning}, []string{"went silent", "nothing arrived for"}},
		{"relay", relay, &store.Task{ID: "chat-1", Status: store.TaskFailed, Error: "生成失败: content policy"}, []string{"reported an error", "生成失败"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := chatEnv(t, 120, 40, nil)
			chatMidStream(e)
			e.exec(e.send(chatDoneMsg{id: e.m.chat.seq, task: tc.task, err: tc.err,
				res: client.ChatResult{Text: e.m.chat.log.text()}}))
			s := strings.Join(strings.Fields(e.screen()), " ")
			for _, w := range append(tc.want, "夏天的风吹过海边") {
				if !strings.Contains(s, w) {
					t.Fatalf("no %q:\n%s", w, e.screen())
				}
			}
		})
	}
}

// TestChatPaneLayout: Chat shares the wide layout's left column with Create and Lyrics, is
// tab 5 in the compact one, and the tab bar keeps every tab whole down to 60 columns.
func TestChatPaneLayout(t *testing.T) {
	e := newEnv(t, seedStudio)
	e.load()
	e.size(120, 40)
	if s := e.screen(); strings.Contains(s, "5 Chat") || !strings.Contains(s, "1 Create") {
		t.Fatal("Chat shown before it was asked for")
	}
	e.key("esc", "5")
	s := e.screen()
	if !strings.Contains(s, "5 Chat") || strings.Contains(s, "1 Create") || !strings.Contains(s, "4 Library") || !strings.Contains(s, "3 Tasks") {
		t.Fatalf("chat not in the left column:\n%s", s)
	}
	checkFrame(t, s, 120, 40)
	// Clicking the library keeps Chat in the left column; 1 brings Create back.
	lib := e.m.lay.panes[paneLibrary]
	e.send(tea.MouseClickMsg{X: lib.x + 5, Y: lib.y + 3, Button: tea.MouseLeft})
	if !strings.Contains(e.screen(), "5 Chat") {
		t.Fatal("chat left the column when the library was clicked")
	}
	e.key("1")
	if s := e.screen(); strings.Contains(s, "5 Chat") || !strings.Contains(s, "2 Lyrics") {
		t.Fatal("1 did not bring Create back")
	}
	// A click in the left column focuses what is drawn there.
	e.key("esc", "5", "esc", "3")
	e.send(tea.MouseClickMsg{X: 3, Y: 3, Button: tea.MouseLeft})
	if e.m.focus != paneChat {
		t.Fatalf("click on the chat column focused %v", e.m.focus)
	}
	for _, w := range []int{60, 80, 99} {
		e.size(w, 20)
		s := e.screen()
		checkFrame(t, s, w, 20)
		if !strings.Contains(s, " 5 Chat ") || !strings.Contains(s, "4 Library") {
			t.Fatalf("%dx20 tab bar:\n%s", w, strings.Split(s, "\n")[0])
		}
	}
	// Compact: a click on the Chat tab.
	e.size(80, 24)
	e.key("esc", "1")
	x := strings.Index(strings.Split(e.screen(), "\n")[0], "5 Chat")
	e.send(tea.MouseClickMsg{X: x + 1, Y: 0, Button: tea.MouseLeft})
	if e.m.focus != paneChat {
		t.Fatalf("tab click: focus %v", e.m.focus)
	}
}

// TestChatQuitAsksWhileStreaming: ctrl+c while an answer streams asks first; quitting stops
// the stream.
func TestChatQuitAsksWhileStreaming(t *testing.T) {
	e, _ := chatEnv(t, 120, 40, nil)
	e.ask("a song")
	if cmd := e.send(keyMsg("ctrl+c")); cmd != nil || e.m.ov.kind != ovConfirm || !strings.Contains(e.screen(), "still streaming") {
		t.Fatalf("quit while streaming did not ask:\n%s", e.screen())
	}
}

// TestChatRelayTextIsSanitised: escape sequences in the answer and in clip titles never
// reach the terminal.
func TestChatRelayTextIsSanitised(t *testing.T) {
	e, _ := chatEnv(t, 120, 40, nil)
	e.ask("x")
	evil := client.Clip{ID: "evil\x1b[2J", Title: "Bad\x1b]52;c;aGk=\x07 title", Status: client.ClipQueued}
	e.delta("text \x1b]0;pwned\x07 and \x1b[2J clear\ttab\r\n", evil)
	out := e.m.View().Content
	for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "\r"} {
		if strings.Contains(out, bad) {
			t.Fatalf("%q reached the terminal", bad)
		}
	}
	if s := ansiStrip(out); !strings.Contains(s, "Bad title") || !strings.Contains(s, "clear    tab") {
		t.Fatalf("sanitised text missing:\n%s", s)
	}
}

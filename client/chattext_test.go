package client

import (
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// Clip ids of the transcripts in testdata/chat (written by testdata/chat/gen).
const (
	tcA1 = "3435e194-50e7-4edc-9442-bffe072fccfc"
	tcA2 = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"
	tcB1 = "e4a8f0c2-1b3d-4f5e-9a7c-2d4e6f8a0b1c"
	tcB2 = "71c3d5e7-f9a1-4b3c-8d5e-7f9a1b3c5d7e"
	tcC1 = "0b6e5c1a-2f3d-4e8b-a9c7-5d1e3f7a9b2c"
	tcC2 = "c8d2e4f6-a1b3-4c5d-9e7f-3a5b7c9d1e2f"
	tcD1 = "5a7b9c1d-3e5f-4a7b-8c9d-1e3f5a7b9c0d"
	tcE1 = "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6"
	tcR1 = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"
	tcR2 = "f5e4d3c2-b1a0-4f9e-8d7c-6b5a4f3e2d1c"
	tcN1 = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
	tcN2 = "6f5e4d3c-2b1a-4f0e-9d8c-7b6a5f4e3d2c"
	tcL1 = "2b4d6f8a-0c2e-4a6c-8e0a-2c4e6a8c0e2a"
	tcL2 = "8a6c4e2a-0e8c-4c6a-9e2c-4a6e8c0a2e4c"
	tcZ1 = "4e6a8c0e-2a4c-4e8a-bc2e-6a8c0e2a4c6e"
)

// chatWantClip is what a test expects of one clip; lyrics are checked by their first and last
// lines (and their absence when both are empty).
type chatWantClip struct {
	id, status, title, tags, model          string
	lyricsFirst, lyricsLast                 string
	audio, stream, video, image, imageLarge string
	duration                                float64
	err                                     string
}

type chatCase struct {
	file    string
	clips   []chatWantClip
	err     string
	percent int
	phase   string
}

const chatViolationErr = "内容违规 (content policy): 歌曲提示词：一首关于某某某的歌，存在违规词，歌曲创作失败😭"

var chatCases = []chatCase{
	{
		file: "format_a.txt", percent: -1, phase: "generating",
		clips: []chatWantClip{
			{id: tcA1, status: "complete", title: "快乐周末 & 'Café' 时光", tags: "heartfelt c-pop, acoustic guitar",
				model: "chirp-v3-5", lyricsFirst: "[Verse 1]", lyricsLast: "快乐周末 明天见",
				audio: "https://cdn1.suno.ai/" + tcA1 + ".mp3", video: "https://cdn1.suno.ai/" + tcA1 + ".mp4",
				image: "https://cdn2.suno.ai/image_" + tcA1 + ".jpeg", duration: 128.92},
			{id: tcA2, status: "complete", title: "快乐周末 & 'Café' 时光", tags: "upbeat mandopop, female vocals",
				model: "chirp-v3-5", lyricsFirst: "[Verse 1]", lyricsLast: "快乐周末 明天见",
				audio: "https://cdn1.suno.ai/" + tcA2 + ".mp3", video: "https://cdn1.suno.ai/" + tcA2 + ".mp4",
				image: "https://cdn1.suno.ai/image_" + tcA2 + ".png", duration: 131.4},
		},
	},
	{
		file: "long_a.txt", percent: -1, phase: "generating",
		clips: []chatWantClip{
			{id: tcA1, status: "complete", title: "城市之光", tags: "cinematic c-pop ballad", model: "chirp-v3-5",
				lyricsFirst: "[Verse 1]", lyricsLast: "再见了 我的城市",
				audio: "https://cdn1.suno.ai/" + tcA1 + ".mp3", video: "https://cdn1.suno.ai/" + tcA1 + ".mp4",
				image: "https://cdn2.suno.ai/image_" + tcA1 + ".jpeg", duration: 239.8},
			{id: tcA2, status: "complete", title: "城市之光", tags: "piano pop", model: "chirp-v3-5",
				lyricsFirst: "[Verse 1]", lyricsLast: "再见了 我的城市",
				audio: "https://cdn1.suno.ai/" + tcA2 + ".mp3", video: "https://cdn1.suno.ai/" + tcA2 + ".mp4",
				image: "https://cdn2.suno.ai/image_" + tcA2 + ".jpeg", duration: 236.2},
		},
	},
	{
		file: "format_a_none.txt", percent: -1, phase: "generating",
		err: "clip " + tcN2 + ": " + chatNoneMsg,
		clips: []chatWantClip{
			{id: tcN1, status: "complete", title: "雨夜的告白", tags: "sad piano ballad", model: "chirp-v3-0",
				lyricsFirst: "[Verse]", lyricsLast: "我在等你",
				audio: "https://cdn1.suno.ai/" + tcN1 + ".mp3", video: "https://cdn1.suno.ai/" + tcN1 + ".mp4",
				image: "https://cdn2.suno.ai/image_" + tcN1 + ".jpeg", duration: 95.5},
			{id: tcN2, status: "failed", title: "雨夜的告白", tags: "sad piano ballad", model: "chirp-v3-0",
				lyricsFirst: "[Verse]", lyricsLast: "我在等你", err: chatNoneMsg},
		},
	},
	{file: "format_a_error.txt", percent: -1, phase: "generating", err: "internal_error (HTTP 500)"},
	{file: "timeout.txt", percent: -1, phase: "generating", err: "timeout: the relay stopped waiting for Suno"},
	{
		file: "relay_cdn.txt", percent: -1, phase: "generating",
		clips: []chatWantClip{
			{id: tcR1, status: "complete", title: "Neon Rain", tags: "synthwave, retro 80s", model: "chirp-v4",
				lyricsFirst: "[Verse]", lyricsLast: "Neon rain, neon rain",
				audio: "https://cdn.ttapi.io/suno/" + tcR1 + ".mp3?sign=8f3a2c&expires=1727000000",
				video: "https://cdn.ttapi.io/suno/" + tcR1 + ".mp4", image: "https://cdn.ttapi.io/suno/" + tcR1 + ".jpeg",
				duration: 187.16},
			{id: tcR2, status: "complete", title: "Neon Rain", tags: "synthwave, dark", model: "chirp-v4",
				lyricsFirst: "[Verse]", lyricsLast: "Neon rain, neon rain",
				audio: "https://cdn.ttapi.io/suno/" + tcR2 + ".mp3?sign=8f3a2c&expires=1727000000",
				video: "https://cdn.ttapi.io/suno/" + tcR2 + ".mp4", image: "https://cdn.ttapi.io/suno/" + tcR2 + ".jpeg",
				duration: 176},
		},
	},
	{
		file: "format_b.txt", percent: -1, phase: "generating",
		clips: []chatWantClip{
			{id: tcB1, status: "complete", title: "夏日海风", tags: "upbeat pop, summer, female vocals",
				lyricsFirst: "[Verse]", lyricsLast: "夏日海风 再见了 夏天",
				audio: "https://cdn1.suno.ai/" + tcB1 + ".mp3", stream: "https://audiopipe.suno.ai/?item_id=" + tcB1,
				video: "https://cdn1.suno.ai/" + tcB1 + ".mp4", imageLarge: "https://cdn2.suno.ai/image_large_" + tcB1 + ".png"},
			{id: tcB2, status: "complete", title: "夏日海风", tags: "upbeat pop, summer, female vocals",
				lyricsFirst: "[Verse]", lyricsLast: "夏日海风 再见了 夏天",
				audio: "https://cdn1.suno.ai/" + tcB2 + ".mp3", stream: "https://audiopipe.suno.ai/?item_id=" + tcB2,
				video: "https://cdn1.suno.ai/" + tcB2 + ".mp4"},
		},
	},
	{
		file: "format_b_violation.txt", percent: -1, phase: "generating", err: chatViolationErr,
		clips: []chatWantClip{
			{id: tcL1, status: "failed", title: "无题", err: chatViolationErr},
			{id: tcL2, status: "failed", title: "无题", err: chatViolationErr},
		},
	},
	{
		file: "legacy_b.txt", percent: -1,
		clips: []chatWantClip{
			{id: tcE1, status: "complete", title: "星空下的约定", tags: "dreamy indie folk",
				lyricsFirst: "[Verse]", lyricsLast: "星光闪烁 照亮你和我",
				audio: "https://cdn1.suno.ai/" + tcE1 + ".mp3", stream: "https://audiopipe.suno.ai/?item_id=" + tcE1,
				image: "https://cdn1.suno.ai/image_" + tcE1 + ".png", imageLarge: "https://cdn1.suno.ai/image_large_" + tcE1 + ".png"},
			{id: tcZ1, status: "complete", title: "星空下的约定", tags: "dreamy indie folk",
				lyricsFirst: "[Verse]", lyricsLast: "星光闪烁 照亮你和我",
				audio: "https://cdn1.suno.ai/" + tcZ1 + ".mp3"},
		},
	},
	{
		file: "format_c.txt", percent: -1,
		clips: []chatWantClip{
			{id: tcC1, status: "complete", title: "城市夜归人", lyricsFirst: "[Verse]", lyricsLast: "总有一盏灯 为我亮",
				audio: "https://cdn1.suno.ai/" + tcC1 + ".mp3", video: "https://cdn1.suno.ai/" + tcC1 + ".mp4",
				imageLarge: "https://cdn2.suno.ai/image_large_" + tcC1 + ".jpeg"},
			{id: tcC2, status: "complete", title: "城市夜归人", lyricsFirst: "[Verse]", lyricsLast: "总有一盏灯 为我亮",
				audio: "https://cdn1.suno.ai/" + tcC2 + ".mp3", video: "https://cdn1.suno.ai/" + tcC2 + ".mp4",
				imageLarge: "https://cdn2.suno.ai/image_large_" + tcC2 + ".jpeg"},
		},
	},
	{
		file: "format_d.txt", percent: -1,
		clips: []chatWantClip{
			{id: tcD1, status: "streaming", title: "午夜的霓虹", lyricsFirst: "[Instrumental]", lyricsLast: "一个人的旋律",
				stream: "https://audiopipe.suno.ai/?item_id=" + tcD1, image: "https://cdn2.suno.ai/image_" + tcD1 + ".jpeg"},
		},
	},
	{
		file: "format_d_zh.txt", percent: -1,
		clips: []chatWantClip{
			{id: tcD1, status: "streaming", title: "晚风", lyricsFirst: "[Verse]", lyricsLast: "你在等我吗",
				stream: "http://127.0.0.1:18080/audiopipe/?item_id=" + tcD1,
				image:  "http://127.0.0.1:18080/cdn/image_" + tcD1 + ".png"},
		},
	},
	{
		file: "english_d.txt", percent: -1,
		clips: []chatWantClip{
			{id: tcD1, status: "complete", title: "Paper Boats", lyricsFirst: "[Verse]", lyricsLast: "Sail away, sail away home",
				audio:      "http://127.0.0.1:18080/cdn/" + tcD1 + ".mp3",
				imageLarge: "http://127.0.0.1:18080/cdn/image_large_" + tcD1 + ".jpeg"},
		},
	},
	{
		file: "progress_e.txt", percent: 100, phase: "complete",
		clips: []chatWantClip{
			{id: tcC1, status: "complete", audio: "https://cdn1.suno.ai/" + tcC1 + ".mp3"},
			{id: tcC2, status: "complete", audio: "https://cdn1.suno.ai/" + tcC2 + ".mp3"},
		},
	},
}

func chatTranscript(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "chat", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// chatFeedMode feeds in the way one kind of relay delivers content.
type chatFeedMode struct {
	name  string
	split func(s string) []string
}

func chatFeedModes(seed uint64) []chatFeedMode {
	return []chatFeedMode{
		{"whole", func(s string) []string { return []string{s} }},
		{"runes", func(s string) []string { return strings.Split(s, "") }}, // Suno-API: one rune per event
		{"chunks", func(s string) []string { return chatRandomChunks(s, seed) }},
		{"bytes", func(s string) []string { // harsher than any relay: runes cut in two
			out := make([]string, len(s))
			for i := 0; i < len(s); i++ {
				out[i] = s[i : i+1]
			}
			return out
		}},
	}
}

// chatRandomChunks cuts s at random rune boundaries into pieces of 1 to 80 bytes.
func chatRandomChunks(s string, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	var out []string
	for len(s) > 0 {
		n := 1 + r.IntN(80)
		if n >= len(s) {
			out = append(out, s)
			break
		}
		for n < len(s) && !utf8.RuneStart(s[n]) {
			n++
		}
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

// chatRank orders the clip states so that a test can check they never go back.
func chatRank(s ClipStatus) int {
	switch s {
	case ClipStreaming:
		return 1
	case ClipComplete, ClipFailed:
		return 2
	}
	return 0
}

// chatFeedAll feeds every delta, checking after each that no clip's state went back and that the
// pending line stays bounded, then closes the parser.
func chatFeedAll(t testing.TB, deltas []string) *ChatParser {
	t.Helper()
	p := NewChatParser()
	seen := map[string]ClipStatus{}
	check := func() {
		for _, c := range p.Clips() {
			if prev, ok := seen[c.ID]; ok {
				if chatRank(c.Status) < chatRank(prev) || prev.Terminal() && c.Status != prev {
					t.Fatalf("clip %s went from %s to %s", c.ID, prev, c.Status)
				}
			}
			seen[c.ID] = c.Status
		}
	}
	for _, d := range deltas {
		if p.Feed(d) {
			check()
		}
		if len(p.pending) > chatMaxLine {
			t.Fatalf("pending line grew to %d bytes", len(p.pending))
		}
	}
	p.Close()
	check()
	return p
}

func TestChatParserTranscripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "chat", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, tc := range chatCases {
		covered[tc.file] = true
	}
	for _, f := range files {
		if !covered[filepath.Base(f)] {
			t.Errorf("transcript %s has no expectations in chatCases", f)
		}
	}
	for i, tc := range chatCases {
		t.Run(tc.file, func(t *testing.T) {
			in := chatTranscript(t, tc.file)
			var ref *ChatParser
			for _, mode := range chatFeedModes(uint64(i) + 1) {
				p := chatFeedAll(t, mode.split(in))
				if ref == nil {
					ref = p
					chatCheckCase(t, tc, p)
					if got, want := p.Text(), html.UnescapeString(in); got != want {
						t.Errorf("Text() differs from the unescaped transcript:\n got %q\nwant %q", got, want)
					}
					continue
				}
				if !reflect.DeepEqual(p.Clips(), ref.Clips()) {
					t.Errorf("%s: clips differ from whole feeding:\n got %+v\nwant %+v", mode.name, p.Clips(), ref.Clips())
				}
				if p.Err() != ref.Err() || p.Text() != ref.Text() {
					t.Errorf("%s: Err/Text differ from whole feeding: %q vs %q", mode.name, p.Err(), ref.Err())
				}
				pc, ph := p.Progress()
				rc, rh := ref.Progress()
				if pc != rc || ph != rh {
					t.Errorf("%s: progress %d %q, whole feeding %d %q", mode.name, pc, ph, rc, rh)
				}
			}
		})
	}
}

func chatCheckCase(t *testing.T, tc chatCase, p *ChatParser) {
	t.Helper()
	if got := p.Err(); got != tc.err {
		t.Errorf("Err() = %q, want %q", got, tc.err)
	}
	if pc, ph := p.Progress(); pc != tc.percent || ph != tc.phase {
		t.Errorf("Progress() = %d %q, want %d %q", pc, ph, tc.percent, tc.phase)
	}
	clips := p.Clips()
	if len(clips) != len(tc.clips) {
		t.Fatalf("got %d clips, want %d: %+v", len(clips), len(tc.clips), clips)
	}
	for i, w := range tc.clips {
		c := clips[i]
		eq := func(field, got, want string) {
			t.Helper()
			if got != want {
				t.Errorf("clip %d %s = %q, want %q", i, field, got, want)
			}
		}
		eq("ID", c.ID, w.id)
		eq("Status", string(c.Status), w.status)
		eq("Title", c.Title, w.title)
		eq("Tags", c.Tags, w.tags)
		eq("Model", c.Model, w.model)
		eq("AudioURL", c.AudioURL, w.audio)
		eq("StreamURL", c.StreamURL, w.stream)
		eq("VideoURL", c.VideoURL, w.video)
		eq("ImageURL", c.ImageURL, w.image)
		eq("ImageLargeURL", c.ImageLargeURL, w.imageLarge)
		eq("Error", c.Error, w.err)
		if c.Duration != w.duration {
			t.Errorf("clip %d Duration = %v, want %v", i, c.Duration, w.duration)
		}
		lines := strings.Split(c.Lyrics, "\n")
		eq("Lyrics first line", lines[0], w.lyricsFirst)
		eq("Lyrics last line", lines[len(lines)-1], w.lyricsLast)
		if c.Lyrics != strings.TrimSpace(c.Lyrics) {
			t.Errorf("clip %d lyrics have surrounding blank space: %q", i, c.Lyrics)
		}
	}
}

// TestChatParserFormatADetails checks what the table cannot: unescaped lyrics and that blank
// lines between sections survive.
func TestChatParserFormatADetails(t *testing.T) {
	p := chatFeedAll(t, []string{chatTranscript(t, "format_a.txt")})
	c := p.Clips()[0]
	for _, want := range []string{`你说 "Don't worry" 今天只属于我们`, "我们聊着 <小时候> 的那些秘密", "快乐周末 & 慢慢走",
		"这一刻 不需要理由\n\n[Verse 2]", "It's our weekend, let's fly"} {
		if !strings.Contains(c.Lyrics, want) {
			t.Errorf("lyrics lack %q:\n%s", want, c.Lyrics)
		}
	}
	if strings.Contains(c.Lyrics, "版本ID") || strings.Contains(c.Lyrics, "&#39;") {
		t.Errorf("lyrics run into the clip block or stay escaped:\n%s", c.Lyrics)
	}
}

// The user's prompt echoed in Suno2openai's ```suno block is not the song.
func TestChatParserEchoedPromptIgnored(t *testing.T) {
	p := chatFeedAll(t, []string{"\n### 🤯 Creating\n\n```suno\n{prompt:歌名：假标题\n风格：民谣\nID: " + tcA1 +
		" https://cdn1.suno.ai/" + tcA2 + ".mp3}\n```\n\n"})
	if got := p.Clips(); len(got) != 0 {
		t.Errorf("clips from the echoed prompt: %+v", got)
	}
	in := chatTranscript(t, "format_b.txt")
	p = chatFeedAll(t, []string{in})
	for _, c := range p.Clips() {
		if strings.Contains(c.Title, "我的夏天") || strings.Contains(c.Tags, "民谣") || strings.Contains(c.Lyrics, "prompt") {
			t.Errorf("the echoed prompt leaked into clip %+v", c)
		}
	}
}

func TestChatParserNoneMP3Failed(t *testing.T) {
	// Format (b) numbering: None.mp3 has no id, the 2️⃣ names the clip.
	in := "- **🧩 ID1️⃣**：" + tcB1 + "\n- **🧩 ID2️⃣**：" + tcB2 + "\n" +
		"- **🎧 音乐1️⃣**：https://cdn1.suno.ai/" + tcB1 + ".mp3 \n" +
		"- **🎧 音乐2️⃣**：https://cdn1.suno.ai/None.mp3 \n"
	p := chatFeedAll(t, strings.Split(in, ""))
	clips := p.Clips()
	if len(clips) != 2 || clips[0].Status != ClipComplete || clips[1].Status != ClipFailed {
		t.Fatalf("clips = %+v", clips)
	}
	if clips[1].AudioURL != "" || clips[1].Error == "" || clips[1].Playable() {
		t.Errorf("failed clip = %+v", clips[1])
	}
	if !strings.Contains(p.Err(), tcB2) || !strings.Contains(p.Err(), "None.mp3") {
		t.Errorf("Err() = %q", p.Err())
	}

	// With no clip to pin it on, the failure is still reported.
	p = chatFeedAll(t, []string{"🎧 音频: [点击听歌](https://cdn1.suno.ai/None.mp3)\n"})
	if len(p.Clips()) != 0 || p.Err() != chatNoneMsg {
		t.Errorf("clips %+v, Err() = %q", p.Clips(), p.Err())
	}
}

func TestChatParserStatusNeverRegresses(t *testing.T) {
	stream := "- **🔗 实时音乐1️⃣**：https://audiopipe.suno.ai/?item_id=" + tcB1 + "\n"
	final := "- **🎧 音乐1️⃣**：https://cdn1.suno.ai/" + tcB1 + ".mp3 \n"
	none := "- **🎧 音乐1️⃣**：https://cdn1.suno.ai/None.mp3 \n"
	id := "- **🧩 ID1️⃣**：" + tcB1 + "\n"

	p := NewChatParser()
	p.Feed(id)
	if c := p.Clips()[0]; c.Status != ClipQueued {
		t.Fatalf("after the id line: %s", c.Status)
	}
	p.Feed(stream)
	if c := p.Clips()[0]; c.Status != ClipStreaming || c.StreamURL == "" || !c.Playable() {
		t.Fatalf("after the stream URL: %+v", c)
	}
	p.Feed(final)
	p.Feed(stream) // a late stream URL or None.mp3 does not undo the final one
	p.Feed(none)
	p.Close()
	c := p.Clips()[0]
	if c.Status != ClipComplete || c.AudioURL != "https://cdn1.suno.ai/"+tcB1+".mp3" || c.Error != "" {
		t.Errorf("after stream, final, stream, None: %+v", c)
	}

	// The first terminal state stays: a failure is not undone by a later URL either.
	p = chatFeedAll(t, []string{id, none, final})
	if c := p.Clips()[0]; c.Status != ClipFailed || c.AudioURL != "" {
		t.Errorf("after None then final: %+v", c)
	}
}

func TestChatParserSplitEntityAndURL(t *testing.T) {
	p := NewChatParser()
	for _, d := range []string{"歌名：Tom &am", "p; Jerry\n", "🎧 音频: [听](https://cdn.ttapi.io/suno/", tcR1, ".mp3?a=1&am"} {
		p.Feed(d)
	}
	if got := p.Clips(); len(got) != 0 {
		t.Fatalf("a clip from a partial line (a truncated URL would be kept): %+v", got)
	}
	if got := p.Text(); !strings.HasSuffix(got, ".mp3?a=1&am") || !strings.HasPrefix(got, "歌名：Tom & Jerry\n") {
		t.Errorf("Text() = %q", got)
	}
	if !p.Feed("p;b=2)\n") {
		t.Error("Feed completing the URL line reported no change")
	}
	c := p.Clips()
	if len(c) != 1 || c[0].AudioURL != "https://cdn.ttapi.io/suno/"+tcR1+".mp3?a=1&b=2" || c[0].Title != "Tom & Jerry" {
		t.Errorf("clips = %+v", c)
	}
}

func TestChatParserChanged(t *testing.T) {
	p := NewChatParser()
	steps := []struct {
		delta string
		want  bool
	}{
		{"请求成功，正在生成歌曲，请稍等片刻...", false},
		{"\n", true}, // phase: generating
		{"🎵", false},
		{"🎵", false},
		{"🎵***\n", false},
		{"\n", false},
		{"###🎵 歌曲名： 夏", false},
		{"天\n", true},
		{"###🎵 歌曲名： 冬天\n", false}, // an echo: the first title stays
		{"**版本ID： ** " + tcA1, false},
		{"\n", true},
	}
	for i, s := range steps {
		if got := p.Feed(s.delta); got != s.want {
			t.Errorf("step %d Feed(%q) = %v, want %v", i, s.delta, got, s.want)
		}
	}
	if p.Close() {
		t.Error("Close with nothing pending reported a change")
	}
	p.Feed("🎵🎵timeout")
	if !p.Close() || p.Err() == "" {
		t.Errorf("Close with a pending timeout: Err() = %q", p.Err())
	}
}

func TestChatParserErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"error":{"message":"Insufficient quota","type":"insufficient_quota","code":"quota"}}`, "Insufficient quota"},
		{`{"error":{"code":"rate_limited"}}`, "rate_limited"},
		{`{"error":"bad prompt"}`, "bad prompt"},
		{`{"code":"task_not_exist","message":"task not exist","data":null}`, "task not exist (task_not_exist)"},
		{`{"code":500,"message":"upstream error"}`, "upstream error (500)"},
		{`{"StatusCode":400,"Code":"invalid_request","Err":{},"LocalErr":false}`, "invalid_request (HTTP 400)"},
		{`{"error_code":1004,"error_msg":"get feed task timeout"}`, "get feed task timeout"},
		{`{"detail":"Unauthorized"}`, "Unauthorized"},
		{`{"code":"success","message":"","data":"abc"}`, ""},
		{`{"code":200,"msg":"success"}`, ""},
		{`{"prompt":"x","title":"y"}`, ""},
		{`{not json}`, ""},
		{"🎵🎵🎵timeout", "timeout: the relay stopped waiting for Suno"},
		{"请选择suno-v3 或者 suno-v3.5其中一个", "请选择suno-v3 或者 suno-v3.5其中一个"},
		{"the timeout was long", ""},
	} {
		for _, tail := range []string{"", "\n"} { // with and without the final newline
			p := chatFeedAll(t, strings.Split(tc.in+tail, ""))
			if got := p.Err(); got != tc.want {
				t.Errorf("%q: Err() = %q, want %q", tc.in+tail, got, tc.want)
			}
		}
	}
}

func TestChatParserProgress(t *testing.T) {
	for _, tc := range []struct {
		in      string
		percent int
		phase   string
	}{
		{"排队中，前面还有 3 首\n", -1, "queued"},
		{"Status: queued\nStatus: generating 45%\n", 45, "generating"},
		{"生成中 12.5%\n", 12, "generating"},
		{"进度：45％\n", 45, ""},
		{"生成中 50%\n完成 100%\n", 100, "complete"},
		{"1234%\n", -1, ""},
		{"封面: https://x.io/a%20b/image_x.png\n", -1, ""},
		{"**歌词：**\n100% 爱你 完成\n", -1, ""}, // lyrics are not progress
		{"###🎵 歌曲名： 完成\n", -1, ""},        // neither is a title
		{"生成中 30%", -1, ""},               // a line counts once it is complete
	} {
		p := NewChatParser()
		p.Feed(tc.in)
		if pc, ph := p.Progress(); pc != tc.percent || ph != tc.phase {
			t.Errorf("%q: Progress() = %d %q, want %d %q", tc.in, pc, ph, tc.percent, tc.phase)
		}
	}
}

func TestChatParserIDLines(t *testing.T) {
	upper := strings.ToUpper(tcA1)
	in := "任务ID：" + tcA2 + "\ntask_id: " + tcB1 + "\nrequest id " + tcB2 + "\n" + tcC1 + "\nvideo " + tcC2 + "\n" +
		"Clip ID: " + upper + "\n歌曲id: " + tcA1 + "\n"
	p := chatFeedAll(t, []string{in})
	c := p.Clips()
	if len(c) != 1 || c[0].ID != tcA1 || c[0].Status != ClipQueued {
		t.Errorf("clips = %+v", c)
	}
}

// A cover named after another clip (Suno does that for extensions) belongs to the block it is
// in and creates no clip.
func TestChatParserCoverOfAnotherClip(t *testing.T) {
	in := "**版本ID： ** " + tcA1 + "\n- 🖼 封面: ![封面](https://cdn2.suno.ai/image_large_" + tcA2 + ".jpeg)\n" +
		"- 🎧 音频: [点击听歌](https://cdn1.suno.ai/" + tcA1 + ".mp3)\n"
	c := chatFeedAll(t, []string{in}).Clips()
	if len(c) != 1 || c[0].ImageLargeURL != "https://cdn2.suno.ai/image_large_"+tcA2+".jpeg" {
		t.Errorf("clips = %+v", c)
	}
}

// Per-clip values inside "版本ID" blocks win over the shared ones, relay CDN names without the
// id belong to the block, and uppercase ids are folded.
func TestChatParserBlocks(t *testing.T) {
	in := "###🎵 歌曲名： 共享\n**风格：** shared tags\n" +
		"**版本ID：** " + strings.ToUpper(tcA1) + "\n**歌名：** 第一首\n**音乐时长：** 2:08秒\n" +
		"- 🎧 音频: [点击听歌](https://files.example.com/dl/abc.mp3)\n" +
		"- 🎬 视频: [点击观看](https://files.example.com/dl/abc.mp4)\n\n" +
		"**版本ID：** " + tcA2 + "\n**风格：** own tags\n**音乐时长：** &lt;nil&gt;秒\n"
	c := chatFeedAll(t, strings.Split(in, "")).Clips()
	if len(c) != 2 {
		t.Fatalf("clips = %+v", c)
	}
	if c[0].ID != tcA1 || c[0].Title != "第一首" || c[0].Tags != "shared tags" || c[0].Duration != 128 ||
		c[0].AudioURL != "https://files.example.com/dl/abc.mp3" || c[0].VideoURL != "https://files.example.com/dl/abc.mp4" {
		t.Errorf("clip 0 = %+v", c[0])
	}
	if c[1].Title != "共享" || c[1].Tags != "own tags" || c[1].Duration != 0 || c[1].Status != ClipQueued {
		t.Errorf("clip 1 = %+v", c[1])
	}

	// A number in a value is not a clip number: the title stays shared.
	in = "- **🧩 ID1️⃣**：" + tcB1 + "\n- **🧩 ID2️⃣**：" + tcB2 + "\n- **🤖 歌名**：第①号 [2] \n"
	for _, c := range chatFeedAll(t, []string{in}).Clips() {
		if c.Title != "第①号 [2]" {
			t.Errorf("clip %s title = %q", c.ID, c.Title)
		}
	}
}

func TestChatParserLongLine(t *testing.T) {
	url := "https://cdn1.suno.ai/" + tcA1 + ".mp3"
	for _, tc := range []struct{ name, in string }{
		{"no spaces", strings.Repeat("啊", 350_000) + " " + url + "\n"}, // ~1 MB
		{"spaces", strings.Repeat("la ", 350_000) + url + "\n"},
		{"no newline at all", strings.Repeat("la ", 350_000) + url},
		{"entity at the cut", strings.Repeat("x", chatMaxLine-3) + "&amp;" + strings.Repeat("y", 3*chatMaxLine) + " " + url},
		// The window's last space is just before the URL, so the URL starts the next piece whole.
		{"url at the cut", strings.Repeat("x", chatMaxLine-10) + " " + url + " " + strings.Repeat("z", 2*chatMaxLine) + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			whole := chatFeedAll(t, []string{tc.in})
			if c := whole.Clips(); len(c) != 1 || c[0].Status != ClipComplete || c[0].AudioURL != url {
				t.Fatalf("clips = %+v", c)
			}
			if cap(whole.pending) > 4*chatMaxLine {
				t.Errorf("the pending buffer keeps %d bytes", cap(whole.pending))
			}
			if whole.Text() != html.UnescapeString(tc.in) {
				t.Error("Text() differs from the unescaped input")
			}
			chunked := chatFeedAll(t, chatRandomChunks(tc.in, 7)) // chatFeedAll checks the bound after each delta
			if !reflect.DeepEqual(chunked.Clips(), whole.Clips()) || chunked.Text() != whole.Text() {
				t.Error("chunked feeding differs from whole feeding")
			}
		})
	}
}

func TestChatParserInvalidUTF8(t *testing.T) {
	inputs := []string{
		"歌名：\xff\xfe坏\n",
		"\xe6\xad",
		"**版本ID： ** " + tcA1 + "\xff\n- 🎧 音频: [x](https://cdn1.suno.ai/\xff" + tcA1 + ".mp3)\n",
		"# \xc3\n\xc3\xa9\xed\xa0\x80\n## 版本\xe4\xb8\n",
		"\x00\x01**\xf0\x9f\x8e**：\n```\xff\n",
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		b := make([]byte, r.IntN(300))
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		for _, mode := range chatFeedModes(3) {
			p := chatFeedAll(t, mode.split(in))
			chatCheckInvariants(t, p)
		}
	}
}

// chatCheckInvariants holds for any input: unique, valid, lowercase ids and consistent states.
func chatCheckInvariants(t testing.TB, p *ChatParser) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range p.Clips() {
		if len(c.ID) != 36 || !chatUUIDAt(c.ID, 0) || strings.ToLower(c.ID) != c.ID {
			t.Fatalf("invalid clip id %q", c.ID)
		}
		if seen[c.ID] {
			t.Fatalf("duplicate clip id %q", c.ID)
		}
		seen[c.ID] = true
		switch c.Status {
		case ClipQueued, ClipStreaming:
			if c.AudioURL != "" {
				t.Fatalf("clip %s is %s with a final URL", c.ID, c.Status)
			}
		case ClipComplete:
			if c.AudioURL == "" {
				t.Fatalf("clip %s complete without a final URL", c.ID)
			}
		case ClipFailed:
			if c.Error == "" || c.AudioURL != "" {
				t.Fatalf("failed clip %s: %+v", c.ID, c)
			}
		default:
			t.Fatalf("clip %s has status %q", c.ID, c.Status)
		}
		if c.Status == ClipStreaming && c.StreamURL == "" {
			t.Fatalf("clip %s streaming without a stream URL", c.ID)
		}
	}
	if pc, ph := p.Progress(); pc < -1 || pc > 100 || !strings.Contains("||queued|generating|complete|", "|"+ph+"|") {
		t.Fatalf("Progress() = %d %q", pc, ph)
	}
}

func TestChatParserClipsAreCopies(t *testing.T) {
	p := chatFeedAll(t, []string{chatTranscript(t, "format_a.txt")})
	c := p.Clips()
	c[0].Title = "changed"
	if p.Clips()[0].Title == "changed" {
		t.Error("Clips() shares state with the parser")
	}
}

func ExampleChatParser() {
	p := NewChatParser()
	for _, r := range "**版本ID： ** " + tcA1 + "\n- 🎧 音频: [点击听歌](https://cdn1.suno.ai/" + tcA1 + ".mp3)" {
		p.Feed(string(r)) // Suno-API sends one rune per event
	}
	p.Close()
	for _, c := range p.Clips() {
		fmt.Println(c.ID, c.Status)
	}
	// Output: 3435e194-50e7-4edc-9442-bffe072fccfc complete
}

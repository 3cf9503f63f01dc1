package client

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzChatParser feeds any text whole, split at one fuzz-chosen point, and in small pieces of
// a fuzz-chosen size (which cut runes and entities in two), and checks that the parser never
// panics, keeps its invariants (valid unique lowercase ids, consistent states, bounded pending
// line, states that never go back), and gives the same answer however the text was cut.
func FuzzChatParser(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "chat", "*.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint16(len(b)/2), uint8(3))
	}
	f.Add([]byte("- **🧩 ID1️⃣**："+tcB1+"\n- **🎧 音乐1️⃣**：https://cdn1.suno.ai/None.mp3 \n"), uint16(20), uint8(1))
	f.Add([]byte("## 版本一\n音频链接：https://x.io/a.mp3\n## 版本二\n视频链接：https://cdn1.suno.ai/"+tcC2+".mp4\n"), uint16(9), uint8(5))
	f.Add([]byte("歌名：Tom &amp; Jerry\n**歌词：**\n```\nla\n```\n"), uint16(12), uint8(2))

	f.Fuzz(func(t *testing.T, data []byte, at uint16, piece uint8) {
		in := string(data)
		whole := NewChatParser()
		whole.Feed(in)
		whole.Close()
		chatCheckInvariants(t, whole)

		cut := int(at) % (len(in) + 1)
		split := chatFeedAll(t, []string{in[:cut], in[cut:]})

		n := int(piece)%13 + 1
		var pieces []string
		for i := 0; i < len(in); i += n {
			pieces = append(pieces, in[i:min(i+n, len(in))])
		}
		small := chatFeedAll(t, pieces)

		for name, p := range map[string]*ChatParser{"split": split, "pieces": small} {
			if !reflect.DeepEqual(p.Clips(), whole.Clips()) {
				t.Fatalf("%s feeding: clips differ:\n got %+v\nwant %+v", name, p.Clips(), whole.Clips())
			}
			if p.Err() != whole.Err() || p.Text() != whole.Text() {
				t.Fatalf("%s feeding: Err %q vs %q, or Text differs", name, p.Err(), whole.Err())
			}
			pc, ph := p.Progress()
			wc, wh := whole.Progress()
			if pc != wc || ph != wh {
				t.Fatalf("%s feeding: progress %d %q vs %d %q", name, pc, ph, wc, wh)
			}
		}
	})
}

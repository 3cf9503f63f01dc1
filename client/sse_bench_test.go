package client

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// sunoAPIStream builds a stream the way Suno-API sends it: one rune per chunk event.
func sunoAPIStream(text string) []byte {
	var b bytes.Buffer
	for _, r := range text {
		fmt.Fprintf(&b, "data: %s\n\n", chunk(string(r)))
	}
	b.WriteString("data: [DONE]")
	return b.Bytes()
}

var benchText = strings.Repeat("请求成功，正在生成歌曲 [Verse] It's the weekend 🎵\n", 400) // ~20 KB

// BenchmarkSSEReader measures SSE framing throughput (bytes of stream per second).
func BenchmarkSSEReader(b *testing.B) {
	stream := sunoAPIStream(benchText)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewSSEReader(bytes.NewReader(stream))
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			}
		}
	}
}

// BenchmarkChatStreamDecode is framing plus chunk JSON plus the chat-text parser: the whole
// cost of receiving a one-rune-per-event stream.
func BenchmarkChatStreamDecode(b *testing.B) {
	stream := sunoAPIStream(benchText)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		s := &chatStream{parser: NewChatParser()}
		if err := s.readSSE(bytes.NewReader(stream)); err != nil {
			b.Fatal(err)
		}
	}
}

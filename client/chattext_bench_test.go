package client

import (
	"strings"
	"testing"
)

// BenchmarkChatParserPerDelta feeds a ~20 KB format (a) answer (long Chinese lyrics) one rune
// per delta, as Suno-API sends it. ns/op is the whole transcript; ns/delta the amortised cost
// of one Feed.
func BenchmarkChatParserPerDelta(b *testing.B) {
	deltas := strings.Split(chatTranscript(b, "long_a.txt"), "")
	chatBenchDeltas(b, deltas, false)
}

// BenchmarkChatParserPerDeltaConsumer does what client.Chat does per delta besides Feed: read
// the progress every time and copy the clips when Feed reports a change.
func BenchmarkChatParserPerDeltaConsumer(b *testing.B) {
	deltas := strings.Split(chatTranscript(b, "long_a.txt"), "")
	chatBenchDeltas(b, deltas, true)
}

func chatBenchDeltas(b *testing.B, deltas []string, consume bool) {
	size := 0
	for _, d := range deltas {
		size += len(d)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := NewChatParser()
		for _, d := range deltas {
			changed := p.Feed(d)
			if consume {
				p.Progress()
				if changed {
					_ = p.Clips()
				}
			}
		}
		p.Close()
		if len(p.Clips()) != 2 {
			b.Fatal("the transcript lost its clips")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(deltas)), "ns/delta")
	b.ReportMetric(float64(len(deltas)), "deltas/op")
}

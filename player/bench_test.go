package player

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkPlayToFirstSampleFile: Play() of a library file (3 minutes, as long as a typical
// song: the frame index is read at Play) until the output has its first 512 samples.
func BenchmarkPlayToFirstSampleFile(b *testing.B) {
	path := writeTemp(b, "song.mp3", concatMP3(b, 3*time.Minute))
	p, out, _ := newTest(b, Options{})
	src := Source{Path: path}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p.Play(src)
		out.Pull(512)
		b.StopTimer()
		if posSamples(p) != 512 {
			b.Fatalf("position %d after the first pull: %+v", posSamples(p), p.Status())
		}
		p.Clear()
		b.StartTimer()
	}
}

// BenchmarkPlayToFirstSampleStream: Play() of a URL served as a growing mp3 (chunks of 4 KiB
// every 20 ms, chunked encoding) until the output pulled the first samples.
func BenchmarkPlayToFirstSampleStream(b *testing.B) {
	data := readFile(b, fixture(b, "phrase1.mp3"))
	srv, _, _ := slowServer(b, data, 4096, 20*time.Millisecond)
	benchPlayToFirstSample(b, srv.URL+"/s.mp3")
}

// benchPlayToFirstSample times Play() of url until the output pulled the first samples. Every
// iteration uses a new player, closed untimed, which cancels the download (so iterations do
// not pile up).
func benchPlayToFirstSample(b *testing.B, url string) {
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		out := NewManualOutput()
		p := New(Options{Output: out})
		out.Pull(1) // the output is started
		src := Source{URL: url, Path: filepath.Join(dir, fmt.Sprintf("s%d.mp3", i))}
		b.StartTimer()
		p.Play(src)
		for deadline := time.Now().Add(5 * time.Second); posSamples(p) <= 0; {
			if time.Now().After(deadline) {
				b.Fatalf("no audio: %+v", p.Status())
			}
			out.Pull(512)
			if posSamples(p) <= 0 {
				time.Sleep(50 * time.Microsecond)
			}
		}
		b.StopTimer()
		p.Close()
		b.StartTimer()
	}
}

// BenchmarkDecodeSpeed decodes a 60 s mp3 through the whole player pipeline as fast as the
// output pulls. x-realtime is seconds of audio per second of CPU time spent.
func BenchmarkDecodeSpeed(b *testing.B) {
	data := concatMP3(b, time.Minute)
	path := writeTemp(b, "minute.mp3", data)
	audio := mp3Duration(b, data)
	p, out, _ := newTest(b, Options{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p.Play(Source{Path: path})
		for p.Status().State == Playing {
			out.Pull(8192)
		}
	}
	b.ReportMetric(audio.Seconds()*float64(b.N)/b.Elapsed().Seconds(), "x-realtime")
}

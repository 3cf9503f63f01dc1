package ui

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"sunostudio/client"
)

// BenchmarkChatDeltaToView: for every delta of a 20 KB Chinese/English answer delivered one
// rune at a time, the time from its message reaching Update to the rune being in the rendered
// View: Update(delta), Update(the frame tick that draws it), View() of the whole screen. Here
// every delta gets a frame of its own, which is the worst case (a real stream coalesces the
// runes of ~33 ms into one frame). Reported per delta: the median over the whole answer, and
// the median and the worst case over its last 1000 deltas, when the transcript is largest.
// The goal is one 60 fps frame, 16 ms.
//
// On a busy machine the wall-clock worst case measures the scheduler as much as the studio,
// so on Linux the CPU time of the benchmark's own thread is reported too (cpu-ms-worst-end).
func BenchmarkChatDeltaToView(b *testing.B) {
	text := chatSample(20 << 10)
	runes := []rune(text)
	for _, sz := range []struct{ w, h int }{{120, 40}, {80, 24}} {
		b.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(b *testing.B) {
			runtime.LockOSThread() // the thread's CPU clock must be this goroutine's
			defer runtime.UnlockOSThread()
			var all, end, cpuEnd []time.Duration
			for b.Loop() {
				b.StopTimer()
				e, _ := chatEnv(b, sz.w, sz.h, nil)
				e.ask("一首关于夏天海边的歌")
				id := e.m.chat.seq
				e.m.View()
				b.StartTimer()
				for i, r := range runes {
					delta := chatDeltaMsg{id: id, u: client.ChatUpdate{Shown: string(r), Delta: string(r)}}
					c0, _ := threadCPU()
					start := time.Now()
					e.m.Update(delta)
					e.m.Update(chatFrameMsg{id: id})
					v := e.m.View()
					d := time.Since(start)
					c1, cpuOK := threadCPU()
					all = append(all, d)
					if i >= len(runes)-1000 {
						end = append(end, d)
						if cpuOK {
							cpuEnd = append(cpuEnd, time.Duration(c1-c0))
						}
					}
					if i%499 == 0 || i == len(runes)-1 {
						b.StopTimer()
						checkNewestDrawn(b, e, v.Content)
						b.StartTimer()
					}
				}
				if got := e.m.chat.log.text(); !strings.HasSuffix(got, text) {
					b.Fatalf("transcript has %d bytes, want the %d sent", len(got), len(text))
				}
			}
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			slices.Sort(all)
			slices.Sort(end)
			b.ReportMetric(ms(all[len(all)/2]), "ms-median")
			b.ReportMetric(ms(end[len(end)/2]), "ms-median-end")
			b.ReportMetric(ms(end[len(end)*99/100]), "ms-p99-end")
			b.ReportMetric(ms(end[len(end)-1]), "ms-worst-end")
			if len(cpuEnd) > 0 {
				slices.Sort(cpuEnd)
				b.ReportMetric(ms(cpuEnd[len(cpuEnd)-1]), "cpu-ms-worst-end")
			}
			b.ReportMetric(float64(len(text)), "bytes")
			b.ReportMetric(float64(len(runes)), "deltas")
		})
	}
}

// checkNewestDrawn: the last wrapped line of the transcript (where the newest rune is) is on
// the screen.
func checkNewestDrawn(b *testing.B, e *env, frame string) {
	t := &e.m.chat.log
	n := t.count()
	if n == 0 {
		return
	}
	last := t.line(n - 1).s
	if last != "" && !strings.Contains(ansi.Strip(frame), last) {
		b.Fatalf("the newest line %q is not in the frame", last)
	}
}

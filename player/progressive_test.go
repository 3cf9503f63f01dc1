package player

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var refCache sync.Map // string(mp3 bytes) -> [][2]float64

func refDecodeCached(t testing.TB, b []byte) [][2]float64 {
	if v, ok := refCache.Load(string(b)); ok {
		return v.([][2]float64)
	}
	r := refDecode(t, b)
	refCache.Store(string(b), r)
	return r
}

// posSamples is the current track's position in samples, -1 when nothing plays.
func posSamples(p *Player) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tr == nil {
		return -1
	}
	return p.tr.pos()
}

// progressiveRun pulls as fast as audio arrives until the track of total samples has played.
// It checks that the position never passes what has arrived, and returns the audio (the part of
// every pull that advanced the position) and when the first sample came out.
func progressiveRun(t *testing.T, p *Player, out *ManualOutput, total int) ([][2]float64, time.Time, []State) {
	t.Helper()
	var (
		got    [][2]float64
		first  time.Time
		states []State
	)
	prev := 0
	dry := dryRuns.Load()
	defer func() {
		if d := dryRuns.Load() - dry; d != 0 {
			t.Errorf("the decoder ran dry %d times: it was let read past the arrived frames", d)
		}
	}()
	for deadline := time.Now().Add(20 * time.Second); ; {
		if time.Now().After(deadline) {
			t.Fatalf("not finished: %+v", p.Status())
		}
		buf := out.Pull(2048)
		pos := posSamples(p)
		st := p.Status()
		if len(states) == 0 || states[len(states)-1] != st.State {
			states = append(states, st.State)
		}
		if pos < 0 { // the track ended during this pull
			got = append(got, buf[:total-prev]...)
			return got, first, states
		}
		if st.Position > st.Buffered {
			t.Fatalf("position %v past the arrived %v", st.Position, st.Buffered)
		}
		if pos < prev || pos-prev > len(buf) {
			t.Fatalf("position jumped from %d to %d", prev, pos)
		}
		got = append(got, buf[:pos-prev]...)
		if pos > prev && first.IsZero() {
			first = time.Now()
		}
		if pos == prev {
			time.Sleep(time.Millisecond)
		}
		prev = pos
	}
}

func TestGrowingFile(t *testing.T) {
	b := concatMP3(t, 5*time.Second)
	ref := refDecodeCached(t, b)
	path := filepath.Join(t.TempDir(), "growing.mp3")
	prog := NewProgress()
	p, out, ev := newTest(t, Options{})
	// Played before the writer even created the file.
	p.Play(Source{Title: "g", Path: path, Growing: true, Progress: prog, Duration: 5 * time.Second})
	if st := p.Status(); st.State != Loading || st.Duration != 5*time.Second {
		t.Fatalf("before any byte: %+v", st)
	}
	doneAt := make(chan time.Time, 1)
	go func() {
		time.Sleep(20 * time.Millisecond)
		f, err := os.Create(path)
		if err != nil {
			panic(err)
		}
		for off := 0; off < len(b); off += 3000 { // chunks end in the middle of frames
			f.Write(b[off:min(off+3000, len(b))])
			time.Sleep(3 * time.Millisecond)
		}
		f.Close()
		doneAt <- time.Now()
		prog.Complete()
	}()
	got, first, states := progressiveRun(t, p, out, len(ref))
	finished := <-doneAt
	if !first.Before(finished) {
		t.Fatalf("first audio at %v, the file was complete at %v", first, finished)
	}
	equalSamples(t, "growing file", got, ref)
	if states[0] != Loading || !containsState(states, Playing) {
		t.Fatalf("states %v", states)
	}
	waitEvent(t, ev, kind(EventEnded))
	if err := p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Logf("first audio %v before the file was complete; states %v", finished.Sub(first), states)
}

func containsState(s []State, x State) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// Seeking in a growing file stops at what has arrived; when the file completes the track goes
// on from the same position with the full length known.
func TestGrowingFileSeekClampAndCompletion(t *testing.T) {
	b := concatMP3(t, 5*time.Second)
	ref := refDecodeCached(t, b)
	half := 40000 // bytes: about 5 s at 64 kbps is 40 KB, so this is most of it
	path := writeTemp(t, "g.mp3", b[:half])
	prog := NewProgress()
	p, out, _ := newTest(t, Options{})
	p.Play(Source{Path: path, Growing: true, Progress: prog})
	out.Pull(1000)
	st := p.Status()
	if st.State != Playing || st.Buffered <= 0 || st.Buffered >= mp3Duration(t, b) {
		t.Fatalf("status %+v", st)
	}
	arrived := st.Buffered
	if got := p.Seek(time.Hour); got != arrived {
		t.Fatalf("Seek past the end of the arrived audio went to %v, want %v", got, arrived)
	}
	out.Pull(100)
	if st := p.Status(); st.State != Buffering || st.Position != arrived {
		t.Fatalf("at the end of the arrived audio: %+v", st)
	}
	p.Seek(arrived - 10*time.Millisecond)
	pos := posSamples(p)
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.Write(b[half:])
	f.Close()
	prog.Complete()
	got := out.Pull(len(ref) - pos)
	equalSamples(t, "after completion", got, ref[pos:])
	if st := p.Status(); st.State != Stopped {
		t.Fatalf("not ended: %+v", st)
	}
}

func TestGrowingFileFails(t *testing.T) {
	b := concatMP3(t, 3*time.Second)
	ref := refDecodeCached(t, b)
	path := writeTemp(t, "g.mp3", b[:10001])
	prog := NewProgress()
	p, out, ev := newTest(t, Options{})
	p.Play(Source{Title: "Cut", Path: path, Growing: true, Progress: prog})
	out.Pull(1000)
	prog.Fail(errors.New("connection reset"))
	n := 0
	for p.Status().State != Stopped && n < len(ref) {
		out.Pull(1000)
		n += 1000
	}
	e := waitEvent(t, ev, kind(EventError))
	errContains(t, e.Err, "cannot play Cut: download failed at 1.2 s: connection reset")
}

func TestGrowingStall(t *testing.T) {
	path := writeTemp(t, "g.mp3", readFile(t, fixture(t, "phrase1.mp3"))[:5000])
	p, out, ev := newTest(t, Options{StallTimeout: 100 * time.Millisecond})
	p.Play(Source{Path: path, Growing: true, Progress: NewProgress()})
	for p.Status().State != Stopped {
		out.Pull(4096)
		time.Sleep(5 * time.Millisecond)
	}
	errContains(t, waitEvent(t, ev, kind(EventError)).Err, "no data for 100ms")
}

// slowServer serves b in chunks with pauses, chunked (no Content-Length). It reports when the
// last byte went out.
func slowServer(t testing.TB, b []byte, chunk int, pause time.Duration) (*httptest.Server, chan time.Time, *atomic.Int32) {
	done := make(chan time.Time, 16)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "audio/mpeg")
		fl := w.(http.Flusher)
		for off := 0; off < len(b); off += chunk {
			if _, err := w.Write(b[off:min(off+chunk, len(b))]); err != nil {
				return
			}
			fl.Flush()
			select {
			case <-time.After(pause):
			case <-r.Context().Done():
				return
			}
		}
		select {
		case done <- time.Now():
		default: // nobody is listening (benchmarks)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, done, &hits
}

func TestStreamURL(t *testing.T) {
	b := concatMP3(t, 5*time.Second)
	ref := refDecodeCached(t, b)
	srv, served, hits := slowServer(t, b, 4096, 4*time.Millisecond)
	path := filepath.Join(t.TempDir(), "cache", "clip.mp3") // the folder does not exist yet
	src := Source{ID: "c1", Title: "Clip", URL: srv.URL + "/clip.mp3", Path: path, Duration: 5 * time.Second}
	p, out, ev := newTest(t, Options{})
	p.Play(src)
	got, first, states := progressiveRun(t, p, out, len(ref))
	finished := <-served
	if !first.Before(finished) {
		t.Fatalf("first audio at %v, the server finished at %v", first, finished)
	}
	equalSamples(t, "streamed", got, ref)
	waitEvent(t, ev, kind(EventEnded))
	if saved := readFile(t, path); !bytes.Equal(saved, b) {
		t.Fatalf("saved %d bytes, served %d", len(saved), len(b))
	}
	if _, err := os.Stat(path + ".part"); !os.IsNotExist(err) {
		t.Fatalf(".part left behind: %v", err)
	}
	t.Logf("first audio %v before the server finished; states %v", finished.Sub(first), states)

	// Playing it again needs no network.
	srv.Close()
	p.Play(src)
	if st := p.Status(); st.State != Playing || st.Duration != dur(len(ref)) {
		t.Fatalf("replay: %+v", st)
	}
	equalSamples(t, "replayed", out.Pull(len(ref)), ref)
	if hits.Load() != 1 {
		t.Fatalf("%d requests", hits.Load())
	}
}

// Coming back to a clip whose download is still running attaches to it: one request.
func TestStreamAttachesToRunningDownload(t *testing.T) {
	b := concatMP3(t, 3*time.Second)
	ref := refDecodeCached(t, b)
	srv, _, hits := slowServer(t, b, 2048, 5*time.Millisecond)
	src := Source{URL: srv.URL + "/a.mp3", Path: filepath.Join(t.TempDir(), "a.mp3")}
	p, out, _ := newTest(t, Options{})
	p.Play(src)
	out.Pull(1000)
	p.Stop()
	p.Play(src)
	got, _, _ := progressiveRun(t, p, out, len(ref))
	equalSamples(t, "attached", got, ref)
	if hits.Load() != 1 {
		t.Fatalf("%d requests for one clip", hits.Load())
	}
}

func TestStreamFailures(t *testing.T) {
	b := concatMP3(t, 3*time.Second)
	cases := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"cut with length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			w.Write(b[:len(b)/2])
			w.(http.Flusher).Flush()
			time.Sleep(20 * time.Millisecond)
			panic(http.ErrAbortHandler)
		}, "download failed at"},
		{"cut chunked", func(w http.ResponseWriter, r *http.Request) {
			w.Write(b[:len(b)/3])
			w.(http.Flusher).Flush()
			time.Sleep(20 * time.Millisecond)
			panic(http.ErrAbortHandler)
		}, "download failed at"},
		{"404", func(w http.ResponseWriter, r *http.Request) {
			http.NotFound(w, r)
		}, "download failed at 0.0 s: HTTP 404 Not Found"},
		{"html page", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<html><body>upstream error</body></html>"))
		}, "not an mp3 file (it looks like an HTML or XML page)"},
		{"truncated body", func(w http.ResponseWriter, r *http.Request) {
			w.Write(b[:len(b)-100]) // ends mid-frame, but the HTTP response is complete
		}, "download failed at"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			path := filepath.Join(t.TempDir(), "x.mp3")
			p, out, ev := newTest(t, Options{})
			p.Play(Source{Title: "X", URL: srv.URL, Path: path})
			for deadline := time.Now().Add(10 * time.Second); p.Status().State != Stopped; {
				if time.Now().After(deadline) {
					t.Fatalf("still %v", p.Status().State)
				}
				out.Pull(4096)
				time.Sleep(time.Millisecond)
			}
			errContains(t, waitEvent(t, ev, kind(EventError)).Err, c.want)
			waitDownloads(t, p)
			for _, f := range []string{path, path + ".part"} {
				if _, err := os.Stat(f); !os.IsNotExist(err) {
					t.Fatalf("%s exists after a failed download", f)
				}
			}
		})
	}
}

func waitDownloads(t *testing.T, p *Player) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		p.mu.Lock()
		n := len(p.downloads)
		p.mu.Unlock()
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("download still running")
		}
	}
}

// Close in the middle of a download: the download stops, no file is left, no goroutine stays.
func TestCloseDuringDownload(t *testing.T) {
	before := runtime.NumGoroutine()
	b := concatMP3(t, 3*time.Second)
	srv, _, _ := slowServer(t, b, 1024, 10*time.Millisecond)
	path := filepath.Join(t.TempDir(), "x.mp3")
	p := New(Options{Output: NewNullOutput()})
	ev := p.Events()
	go func() {
		for range ev {
		}
	}()
	p.Play(Source{URL: srv.URL, Path: path})
	time.Sleep(100 * time.Millisecond)
	if st := p.Status(); st.State != Playing && st.State != Buffering {
		t.Fatalf("state %v", st.State)
	}
	p.Close()
	srv.Close()
	for _, f := range []string{path, path + ".part"} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Fatalf("%s exists after Close", f)
		}
	}
	waitGoroutines(t, before)
}

// A growing 48 kHz WAV: the resampler reads ahead in blocks, so the gate must keep it from ever
// seeing the end of the arrived data (it would take that for the end of the file).
func TestGrowingResampledWAV(t *testing.T) {
	dry := dryRuns.Load()
	b := wavBytes(48000, 2, 48000, 0.25) // 1 s
	path := writeTemp(t, "g.wav", b[:44+4*15000])
	prog := NewProgress()
	p, out, _ := newTest(t, Options{})
	p.Play(Source{Path: path, Growing: true, Progress: prog})
	var got [][2]float64
	prev := 0
	pull := func() bool {
		buf := out.Pull(1000)
		pos := posSamples(p)
		if pos < 0 {
			pos = prev + len(buf) // ended in this pull: counted below by value
		}
		got = append(got, buf[:min(len(buf), pos-prev)]...)
		prev = pos
		return posSamples(p) >= 0
	}
	for i := 0; i < 40; i++ { // more than what arrived: starves
		pull()
	}
	if st := p.Status(); st.State != Buffering || st.Position > st.Buffered {
		t.Fatalf("status %+v", st)
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.Write(b[44+4*15000:])
	f.Close()
	prog.Complete()
	for pull() {
	}
	n := 0
	for _, s := range got {
		if s[0] != 0 {
			n++
		}
	}
	if n < OutputRate-3 || n > OutputRate+1 || !allEqual(got[5:n-5], 0.25) {
		t.Fatalf("%d samples of audio (want %d), all 0.25: %v", n, OutputRate, allEqual(got[5:n-5], 0.25))
	}
	if d := dryRuns.Load() - dry; d != 0 {
		t.Fatalf("the resampler ran dry %d times: the gate let it read past the arrived data", d)
	}
}

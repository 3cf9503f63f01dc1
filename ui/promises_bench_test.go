package ui

// Measured promises (make bench, internal/benchtable) that need the ui package from inside:
//
//   - BenchmarkStartToFirstFrame100k: from opening a 100k-clip library to the first rendered
//     frame, built the way cmd_tui.go and Run build the studio.
//   - BenchmarkRSSPlaying100k: the resident memory of a separate process that holds the 100k
//     library's rows in the ui model and plays a song through the null output.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"sunostudio/client"
	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

// BenchmarkStartToFirstFrame100k is the studio's start with a 100k-clip library, up to the
// first frame, in cmd_tui.go's order: open the library, build the relay client and the engine,
// read what the engine's Start reads before the studio opens (unfinished tasks, clips waiting
// for a download: both from an index, then each record decoded), create the null audio output
// and the player, build the root model (which reads the newest 50 clips), take the terminal
// size and render the first View. The full row set is loaded afterwards by a Cmd from Init and
// is not part of the first frame. Not included: config, the log file, Bubble Tea's terminal
// set-up, and Start's side effects (downloads, polling). The generated library has 2% of its
// clips complete but not downloaded (2,032 records in the download index).
//
// Extra metrics split ns/op into its phases: ms-open (library, client, engine), ms-resume-scans
// (Start's reads) and ms-model-frame (player, model, size, View).
func BenchmarkStartToFirstFrame100k(b *testing.B) {
	bigLibrary(b)
	path := filepath.Join(benchDir, "library.db")
	songs := filepath.Join(b.TempDir(), "songs")
	var open, scans, frame time.Duration // the phases, summed over the iterations
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		st, err := store.Open(path, store.OpenOptions{Timeout: 2 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		cl, err := client.New(client.Profile{Name: "bench", BaseURL: "http://127.0.0.1:9", APIKey: "sk-bench", Dialect: client.DialectTask})
		if err != nil {
			b.Fatal(err)
		}
		eng, err := studio.New(studio.Options{Client: cl, Store: st, SongsDir: songs, Profile: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		// engine.Start as cmd_tui.go calls it before the first frame: it reads the unfinished
		// tasks at once and looks for clips to download in the background (which keeps running,
		// and competing for the CPU, while the frame is built, as in the real studio).
		if err := eng.Start(); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		out, err := player.NewOutput("null")
		if err != nil {
			b.Fatal(err)
		}
		pl := player.New(player.Options{Output: out})
		m, err := New(Options{Engine: eng, Player: pl, Model: "chirp-auk"})
		if err != nil {
			b.Fatal(err)
		}
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		content := m.View().Content
		t3 := time.Now()
		open, scans, frame = open+t1.Sub(t0), scans+t2.Sub(t1), frame+t3.Sub(t2)

		b.StopTimer()
		if len(m.lib.all) != 50 || !strings.Contains(content, "Library") {
			b.Fatalf("first frame: %d rows, frame:\n%s", len(m.lib.all), content)
		}
		pl.Close()
		eng.Close()
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(open.Seconds()*1000/n, "ms-open")
	b.ReportMetric(scans.Seconds()*1000/n, "ms-engine-start")
	b.ReportMetric(frame.Seconds()*1000/n, "ms-model-frame")
}

// The RSS child: a separate process (this test binary, re-executed) so that the measurement
// holds only what the studio holds, not the benchmark's own copy of the library.
const (
	envRSSLibrary = "SUNOSTUDIO_RSS_LIBRARY"
	envRSSAudio   = "SUNOSTUDIO_RSS_AUDIO"
	rssMarker     = "RSS-RESULT"
)

// BenchmarkRSSPlaying100k starts a child process that opens the 100k-clip library, loads every
// row into the ui model (store.Rows through the loading Cmd, as Init does), renders, plays a
// song through the null output and, while it plays, reports its VmRSS from /proc/self/status.
// Metrics: MB-rss (VmRSS), MB-hwm (the peak, VmHWM), and the anonymous and file-backed
// (bbolt's mmap of library.db) parts of the RSS. MB here are MiB.
func BenchmarkRSSPlaying100k(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc/self/status")
	}
	bigLibrary(b)
	lib := filepath.Join(benchDir, "library.db")
	audio := longMP3(b, b.TempDir())
	var last map[string]float64
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRSSChildProcess$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), envRSSLibrary+"="+lib, envRSSAudio+"="+audio)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			b.Fatalf("rss child: %v\n%s", err, out.String())
		}
		last = parseRSS(b, out.String())
	}
	for _, k := range []string{"VmRSS", "VmHWM", "RssAnon", "RssFile"} {
		unit := map[string]string{"VmRSS": "MB-rss", "VmHWM": "MB-hwm", "RssAnon": "MB-rss-anon", "RssFile": "MB-rss-file"}[k]
		b.ReportMetric(last[k]/1024, unit)
	}
}

func parseRSS(b *testing.B, out string) map[string]float64 {
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, rssMarker+" ") {
			continue
		}
		vals := map[string]float64{}
		for _, f := range strings.Fields(line)[1:] {
			k, v, _ := strings.Cut(f, "=")
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				b.Fatalf("rss child line %q", line)
			}
			vals[k] = n
		}
		return vals
	}
	b.Fatalf("the rss child printed no %s line:\n%s", rssMarker, out)
	return nil
}

// longMP3 writes a song of about 30 s made of the player's fixtures (whole CBR files at one
// sample rate concatenate into a valid mp3), so playback outlasts the measurement.
func longMP3(t testing.TB, dir string) string {
	var data []byte
	for i := 0; i < 4; i++ {
		for _, f := range []string{"phrase1.mp3", "phrase2.mp3", "phrase3.mp3"} {
			b, err := os.ReadFile(filepath.Join("..", "player", "testdata", f))
			if err != nil {
				t.Fatal(err)
			}
			data = append(data, b...)
		}
	}
	path, err := filepath.Abs(filepath.Join(dir, "long.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRSSChildProcess is the child of BenchmarkRSSPlaying100k; it does nothing unless that
// benchmark started it (or SUNOSTUDIO_RSS_LIBRARY and SUNOSTUDIO_RSS_AUDIO are set by hand).
func TestRSSChildProcess(t *testing.T) {
	lib, audio := os.Getenv(envRSSLibrary), os.Getenv(envRSSAudio)
	if lib == "" || audio == "" {
		t.Skip("the child of BenchmarkRSSPlaying100k")
	}
	st, err := store.Open(lib, store.OpenOptions{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cl, err := client.New(client.Profile{Name: "rss", BaseURL: "http://127.0.0.1:9", APIKey: "sk-rss", Dialect: client.DialectTask})
	if err != nil {
		t.Fatal(err)
	}
	// The engine is not started: Start would begin downloading the generated library's
	// pending clips from hosts that do not exist.
	eng, err := studio.New(studio.Options{Client: cl, Store: st, SongsDir: filepath.Join(t.TempDir(), "songs"), Profile: "rss"})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	out, err := player.NewOutput("null")
	if err != nil {
		t.Fatal(err)
	}
	pl := player.New(player.Options{Output: out})
	defer pl.Close()
	m, err := New(Options{Engine: eng, Player: pl, Model: "chirp-auk",
		Source: func(_ context.Context, c *store.Clip) (player.Source, error) {
			return player.Source{ID: c.ID, Title: c.Title, Path: audio}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	// Init's loads that fill the model: every row, the tasks.
	for _, cmd := range []tea.Cmd{loadRowsCmd(st), loadTasksCmd(st)} {
		m.Update(cmd())
	}
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if len(m.lib.all) < benchClips {
		t.Fatalf("the model holds %d rows", len(m.lib.all))
	}
	m.View()
	// Play the selected clip the way enter in the library does.
	m.Update(playCmd(st, pl, m.o.Source, m.lib.all[0].ID, false)())
	deadline := time.Now().Add(10 * time.Second)
	for pl.Status().State != player.Playing || pl.Status().Position <= 0 {
		if time.Now().After(deadline) {
			t.Fatalf("not playing: %+v", pl.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Let playback run a moment (the player's buffers fill), with the player bar drawn.
	time.Sleep(500 * time.Millisecond)
	st2 := pl.Status()
	m.Update(playerMsg{ev: player.Event{Gen: st2.Gen, Kind: player.EventState, State: st2.State}, st: &st2})
	m.View()
	if pl.Status().State != player.Playing {
		t.Fatalf("stopped playing: %+v", pl.Status())
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	line := rssMarker
	for _, l := range strings.Split(string(status), "\n") {
		k, v, ok := strings.Cut(l, ":")
		switch k {
		case "VmRSS", "VmHWM", "RssAnon", "RssFile":
			if ok {
				line += fmt.Sprintf(" %s=%s", k, strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			}
		}
	}
	fmt.Println(line)
	// SUNOSTUDIO_RSS_HEAPPROFILE=file writes the heap profile as it is now, while the model
	// holds the library and the song plays (go tool pprof -sample_index=inuse_space).
	if path := os.Getenv("SUNOSTUDIO_RSS_HEAPPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	runtime.KeepAlive(m)
}

package sim

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAudiopipeStreamsGrowingMP3(t *testing.T) {
	t.Parallel()
	clk := newClock()
	s := startSim(t, Options{StageTime: 10 * time.Second, Now: clk.Now, SongSeconds: 4, StreamPace: 16})
	id := submitMusic(t, s, map[string]any{"prompt": "[Verse]\nstream me", "tags": "pop"})
	clk.Add(6 * time.Second)
	c := clipsOf(t, fetchTask(t, s, id))[0]
	clipID := c["id"].(string)
	if r := get(t, s.URL()+"/audiopipe/?item_id="+clipID); r.status != 404 {
		t.Fatalf("audiopipe before streaming: %d", r.status)
	}
	clk.Add(16 * time.Second) // streaming
	c = clipsOf(t, fetchTask(t, s, id))[0]
	streamURL := c["audio_url"].(string)
	if !strings.Contains(streamURL, "/audiopipe/?item_id="+clipID) {
		t.Fatalf("not streaming: %v", c["audio_url"])
	}
	if r := get(t, s.URL()+"/cdn/"+clipID+".mp3"); r.status != 404 {
		t.Fatalf("cdn before complete: %d", r.status)
	}

	res, err := http.Get(streamURL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("Content-Type") != "audio/mpeg" || res.ContentLength != -1 || len(res.TransferEncoding) == 0 {
		t.Fatalf("headers: %v len=%d te=%v", res.Header, res.ContentLength, res.TransferEncoding)
	}
	var got bytes.Buffer
	reads, start := 0, time.Now()
	buf := make([]byte, 64*1024)
	for {
		n, err := res.Body.Read(buf)
		if n > 0 {
			reads++
			got.Write(buf[:n])
			if _, perr := parseFrames(got.Bytes()); perr != nil {
				t.Fatalf("prefix after %d bytes is not frame-aligned mp3: %v", got.Len(), perr)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	if reads < 5 {
		t.Fatalf("stream arrived in %d reads: not growing", reads)
	}
	s.Complete(id)
	final := get(t, s.URL()+"/cdn/"+clipID+".mp3")
	if final.status != 200 || !bytes.Equal(got.Bytes(), final.body) {
		t.Fatalf("streamed %d bytes, final file %d bytes (status %d)", got.Len(), len(final.body), final.status)
	}
	dur := decodedSeconds(t, final.body)
	if min := time.Duration(dur / 16 * 0.8 * float64(time.Second)); elapsed < min {
		t.Fatalf("stream of %.1fs took %v at pace 16, want >= %v", dur, elapsed, min)
	}
	// Once complete, the stream is served at full speed and still whole.
	if r := get(t, streamURL); !bytes.Equal(r.body, final.body) {
		t.Fatal("audiopipe after completion differs")
	}
}

func TestCDNRangeImagesAndMisses(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{})
	id := submitMusic(t, s, map[string]any{"prompt": "x", "tags": "y"})
	c := clipsOf(t, fetchTask(t, s, id))[0]
	full := get(t, c["audio_url"].(string))
	if full.header.Get("Content-Length") == "" || full.header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("cdn headers %v", full.header)
	}
	part := get(t, c["audio_url"].(string), "Range", "bytes=100-199")
	if part.status != http.StatusPartialContent || !bytes.Equal(part.body, full.body[100:200]) {
		t.Fatalf("range: %d %d bytes", part.status, len(part.body))
	}
	for _, u := range []string{c["image_url"].(string), c["image_large_url"].(string)} {
		r := get(t, u)
		if r.status != 200 || r.header.Get("Content-Type") != "image/png" {
			t.Fatalf("image %s: %d", u, r.status)
		}
		if _, err := png.Decode(bytes.NewReader(r.body)); err != nil {
			t.Fatalf("png: %v", err)
		}
	}
	small, large := get(t, c["image_url"].(string)).body, get(t, c["image_large_url"].(string)).body
	if bytes.Equal(small, large) {
		t.Fatal("large image equals small image")
	}
	other := clipsOf(t, fetchTask(t, s, id))[1]
	if bytes.Equal(get(t, other["image_url"].(string)).body, small) {
		t.Fatal("two clips share a cover")
	}
	for _, p := range []string{"/cdn/None.mp3", "/cdn/unknown.mp3", "/cdn/image_unknown.png", "/cdn/" + c["id"].(string) + ".wav", "/cdn/x"} {
		if r := get(t, s.URL()+p); r.status != 404 {
			t.Fatalf("%s: %d", p, r.status)
		}
	}
	if r := get(t, s.URL()+"/audiopipe/?item_id=unknown"); r.status != 404 {
		t.Fatalf("audiopipe unknown: %d", r.status)
	}
}

func TestStreamFaults(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{SongSeconds: 8})
	id := submitMusic(t, s, map[string]any{"prompt": "x", "tags": "y"})
	clipID := clipsOf(t, fetchTask(t, s, id))[0]["id"].(string)
	full := get(t, s.URL()+"/cdn/"+clipID+".mp3").body
	s.Inject(Fault{Path: "/audiopipe", Kind: FaultTruncated})
	r := get(t, s.URL()+"/audiopipe/?item_id="+clipID)
	if r.status != 200 || len(r.body) == 0 || len(r.body) >= len(full) || !bytes.HasPrefix(full, r.body) {
		t.Fatalf("truncated stream: %d bytes of %d", len(r.body), len(full))
	}
	s.Inject(Fault{Path: "/cdn/", Kind: FaultReset})
	res, err := http.Get(s.URL() + "/cdn/" + clipID + ".mp3")
	if err == nil {
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	if err == nil {
		t.Fatal("reset on cdn: no error")
	}
}

func TestListenAndServeStopsOnCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- ListenAndServe(ctx, "127.0.0.1:0", Options{Key: "sk-standalone"}, func(u string) { urls <- u })
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-errc:
		t.Fatal(err)
	case <-time.After(5 * time.Second):
		t.Fatal("not ready")
	}
	req, _ := http.NewRequest("GET", base+"/v1/dashboard/billing/subscription", nil)
	req.Header.Set("Authorization", "Bearer sk-standalone")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("standalone request: %v %v", err, res)
	}
	res.Body.Close()
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("ListenAndServe returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ListenAndServe did not stop")
	}
	if _, err := http.Get(base + "/cdn/None.mp3"); err == nil {
		t.Fatal("still serving after cancel")
	}
}

func TestNewAsHandler(t *testing.T) {
	t.Parallel()
	// New alone is an http.Handler that works behind any server (no URL of its own).
	s := New(Options{Key: "k"})
	if s.URL() != "" || s.Close() != nil {
		t.Fatal("New: URL/Close")
	}
	var _ http.Handler = s
}

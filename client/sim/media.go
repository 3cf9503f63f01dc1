package sim

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"time"
)

// audioOf returns (and caches) a clip's complete mp3. It only follows the clip's immutable
// lineage pointers, so it may be called with or without s.mu held (lock order: mu, audioMu).
func (s *Sim) audioOf(c *clip) *track {
	return s.audioDepth(c, 0)
}

func (s *Sim) audioDepth(c *clip, depth int) *track {
	s.audioMu.Lock()
	t, ok := s.songs[c.id]
	s.audioMu.Unlock()
	if ok {
		return t
	}
	if depth > 32 { // lineage loops cannot be built through the API, but never recurse forever
		return buildSong(c.seed, s.songSeconds(c))
	}
	switch {
	case c.typ == typeUpload:
		t = buildSong(c.seed, s.songSeconds(c))
	case c.typ == typeStem && c.source != nil:
		// A stem lasts exactly as long as its source; its "audio" is another arrangement.
		src := s.audioDepth(c.source, depth+1)
		t = buildSong(c.seed, src.duration()).prefix(src.frameCount())
	case c.typ == typeConcat && c.source != nil:
		t = s.lineage(c.source, depth+1)
	case c.typ == typeGen && c.source != nil && c.infillTo > c.infillFrom:
		t = s.infill(c, depth+1)
	default:
		t = buildSong(c.seed, s.songSeconds(c))
	}
	s.audioMu.Lock()
	if old, ok := s.songs[c.id]; ok {
		t = old // another request built it first
	} else {
		// Audio is a pure function of the immutable clip records, so evicting is always
		// safe: a long demo session keeps memory bounded and rebuilds identical bytes.
		if len(s.songs) >= maxCachedSongs {
			for k := range s.songs {
				delete(s.songs, k)
				if len(s.songs) < maxCachedSongs*3/4 {
					break
				}
			}
		}
		s.songs[c.id] = t
	}
	s.audioMu.Unlock()
	return t
}

// songSeconds is the length a clip's own song was asked to have.
func (s *Sim) songSeconds(c *clip) float64 {
	if c.seconds > 0 {
		return c.seconds
	}
	return s.opts.SongSeconds
}

// maxCachedSongs bounds the song cache (a 60 s song is about 480 KB).
const maxCachedSongs = 128

// lineage is the whole song ending at c: each ancestor up to the point its child continued
// from, then c itself. Its length is exactly the sum of the parts.
func (s *Sim) lineage(c *clip, depth int) *track {
	own := s.audioDepth(c, depth+1)
	if c.parent == nil || depth > 32 {
		return own
	}
	full := s.lineage(c.parent, depth+1)
	pa := s.audioDepth(c.parent, depth+1)
	offset := full.frameCount() - pa.frameCount()
	cut := pa.frameCount()
	if c.continueAt >= 0 {
		cut = min(framesAt(c.continueAt), pa.frameCount())
	}
	return joinTracks(full.prefix(offset+cut), own)
}

// infill replaces a window of the source with new material. The splice points are snapped to
// phrase boundaries so every spliced segment starts with an empty bit reservoir; the result
// lasts exactly as long as the source.
func (s *Sim) infill(c *clip, depth int) *track {
	src := s.audioDepth(c.source, depth)
	a := src.partBefore(framesAt(c.infillFrom))
	b := src.partAfter(framesAt(c.infillTo))
	if b <= a {
		return src
	}
	n := b - a
	fresh := buildSong(c.seed, float64(n)*frameSeconds).prefix(n)
	return joinTracks(src.prefix(a), fresh, src.suffixFrom(b))
}

// wavOf renders (and caches) a clip's WAV. Decoding is slow, so at most a few are kept.
func (s *Sim) wavOf(c *clip) ([]byte, error) {
	s.audioMu.Lock()
	w, ok := s.wavs[c.id]
	s.audioMu.Unlock()
	if ok {
		return w, nil
	}
	w, err := wavFromMP3(s.audioOf(c).data)
	if err != nil {
		return nil, err
	}
	s.audioMu.Lock()
	if len(s.wavs) >= 4 {
		for k := range s.wavs {
			delete(s.wavs, k)
			break
		}
	}
	s.wavs[c.id] = w
	s.audioMu.Unlock()
	return w, nil
}

// handleAudiopipe streams a clip's mp3 like https://audiopipe.suno.ai/?item_id=<id>: chunked,
// no Content-Length, frame-aligned chunks flushed one by one at StreamPace x real time while
// the clip is still streaming, at full speed once it is complete.
func (s *Sim) handleAudiopipe(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("item_id")
	s.mu.Lock()
	c := s.lookupClip(id)
	st := stError
	if c != nil {
		st = s.clipStage(c, s.now())
	}
	s.mu.Unlock()
	if c == nil || (st != stStreaming && st != stComplete) {
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	}
	t := s.audioOf(c)
	w.Header().Set("Content-Type", "audio/mpeg")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	fl, _ := w.(http.Flusher)
	const framesPerChunk = 10 // about a quarter of a second of audio
	pace := s.opts.StreamPace
	if st == stComplete {
		pace = 0
	}
	start := time.Now()
	for i := 0; i < t.frameCount(); i += framesPerChunk {
		j := min(i+framesPerChunk, t.frameCount())
		end := len(t.data)
		if j < t.frameCount() {
			end = t.frames[j]
		}
		if pace > 0 {
			// Deliver frame i no earlier than its playback time divided by the pace.
			due := start.Add(time.Duration(float64(i) * frameSeconds / pace * float64(time.Second)))
			if !sleepCtx(r.Context(), time.Until(due)) {
				return
			}
		}
		if _, err := w.Write(t.data[t.frames[i]:end]); err != nil {
			return
		}
		if fl != nil {
			fl.Flush()
		}
	}
}

// handleCDN serves /cdn/<id>.mp3|.mp4|.wav, /cdn/image_<id>.png, /cdn/image_large_<id>.png.
// Audio and video are 404 until the clip is complete, as on Suno's CDN; None.mp3 is always 404.
func (s *Sim) handleCDN(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	ext := ""
	if i := strings.LastIndexByte(file, '.'); i >= 0 {
		ext = file[i:]
		file = file[:i]
	}
	if ext == ".png" || ext == ".jpeg" || ext == ".jpg" {
		size := 96
		id := file
		switch {
		case strings.HasPrefix(file, "image_large_"):
			size, id = 320, strings.TrimPrefix(file, "image_large_")
		case strings.HasPrefix(file, "image_"):
			id = strings.TrimPrefix(file, "image_")
		case file == "avatar":
		default:
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		known := s.lookupClip(id) != nil || file == "avatar"
		s.mu.Unlock()
		if !known {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Cache-Control", "public, max-age=31536000")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(coverPNG(id, size)))
		return
	}
	s.mu.Lock()
	c := s.lookupClip(file)
	ready := c != nil && s.clipStage(c, s.now()) == stComplete
	wavOK := ready && s.wavJobDone(c)
	s.mu.Unlock()
	switch {
	case ext == ".mp3" && ready:
		w.Header().Set("Content-Type", "audio/mpeg")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(s.audioOf(c).data))
	case ext == ".mp4" && ready:
		w.Header().Set("Content-Type", "video/mp4")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(tinyMP4(c.id)))
	case ext == ".wav" && wavOK:
		data, err := s.wavOf(c)
		if err != nil {
			http.Error(w, "wav render failed", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "audio/wav")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	default:
		http.NotFound(w, r)
	}
}

// wavJobDone reports whether a wav was requested for c and its job finished. Must be called
// with s.mu held.
func (s *Sim) wavJobDone(c *clip) bool {
	if !s.wavJobs[c.id] {
		return false
	}
	now := s.now()
	for _, t := range s.tasks {
		if t.kind == kindWAV && t.ref == c && s.taskStateOf(t, now).status == "SUCCESS" {
			return true
		}
	}
	return false
}

// coverPNG draws a cover: a diagonal gradient between two colours taken from the clip id, with
// a few rings, so that every song has its own recognisable art.
func coverPNG(id string, size int) []byte {
	h := fnv.New64a()
	_, _ = h.Write([]byte(id))
	v := h.Sum64()
	c1 := color.RGBA{uint8(v), uint8(v >> 8), uint8(v >> 16), 255}
	c2 := color.RGBA{uint8(v >> 24), uint8(v >> 32), uint8(v >> 40), 255}
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	cx, cy := size/2, size/2
	rings := int(v>>48)%4 + 2
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			t := float64(x+y) / float64(2*size)
			px := color.RGBA{
				uint8(float64(c1.R)*(1-t) + float64(c2.R)*t),
				uint8(float64(c1.G)*(1-t) + float64(c2.G)*t),
				uint8(float64(c1.B)*(1-t) + float64(c2.B)*t), 255}
			dx, dy := x-cx, y-cy
			d2 := dx*dx + dy*dy
			ring := size / (2 * rings)
			if ring > 0 && (isqrt(d2)/ring)%2 == 1 {
				px.R, px.G, px.B = 255-px.R/2, 255-px.G/2, 255-px.B/2
			}
			img.SetRGBA(x, y, px)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

func isqrt(n int) int {
	if n <= 0 {
		return 0
	}
	x := n
	y := (x + 1) / 2
	for y < x {
		x = y
		y = (x + n/x) / 2
	}
	return x
}

// tinyMP4 is a few bytes that identify as an MP4 (ftyp box) plus a free box naming the clip:
// enough for a client to download, store and hand to a player, not a real video.
func tinyMP4(id string) []byte {
	var b bytes.Buffer
	ftyp := []byte("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41")
	b.Write(ftyp)
	payload := []byte("sunostudio sim video for " + id)
	n := 8 + len(payload)
	b.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	b.WriteString("free")
	b.Write(payload)
	return b.Bytes()
}

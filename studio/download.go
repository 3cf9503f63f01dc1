package studio

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"sunostudio/internal/buildinfo"
	"sunostudio/internal/i18n"
	"sunostudio/internal/mp3scan"
	"sunostudio/store"
)

func mediaTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		IdleConnTimeout:       90 * time.Second,
	}
}

// downloader fetches finished clips into the library folder. Each file goes to a temp file,
// is verified (size, decodes, expected length) and only then renamed into place, so a file
// under its final name is always whole.
type downloader struct {
	e      *Engine
	mu     sync.Mutex
	queue  []string
	queued map[string]bool
	active map[string]string // clip id -> path being written
	timers map[string]*time.Timer
	notify chan struct{}
	ctx    context.Context
	done   bool
	// follows are players waiting for a clip's file: told where it is written, then the end.
	follows map[string][]*follow
}

type follow struct {
	started chan string // the temp file being written
	done    chan error  // nil when the file is whole and in place
}

func newDownloader(e *Engine) *downloader {
	return &downloader{e: e, queued: map[string]bool{}, active: map[string]string{},
		timers: map[string]*time.Timer{}, notify: make(chan struct{}, 1), ctx: context.Background(),
		follows: map[string][]*follow{}}
}

func (d *downloader) start(ctx context.Context, wg *sync.WaitGroup) {
	d.mu.Lock()
	d.ctx = ctx
	d.mu.Unlock()
	for i := 0; i < d.e.o.DownloadWorkers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.work(ctx)
		}()
	}
}

// enqueue asks for a clip's files. fresh resets the retry count (start-up, a manual retry).
func (d *downloader) enqueue(id string, fresh bool) {
	d.mu.Lock()
	if d.done {
		d.mu.Unlock()
		return
	}
	if t, ok := d.timers[id]; ok {
		t.Stop()
		delete(d.timers, id)
	}
	if fresh {
		d.e.updateClip(id, func(c *store.Clip) error {
			if c.Download == store.DownloadFailed || c.DownloadAttempts > 0 {
				c.DownloadAttempts = 0
				c.Download = store.DownloadPending
				c.NextDownload = time.Time{}
			}
			return nil
		})
	}
	if !d.queued[id] && d.active[id] == "" {
		d.queued[id] = true
		d.queue = append(d.queue, id)
	}
	d.mu.Unlock()
	select {
	case d.notify <- struct{}{}:
	default:
	}
}

func (d *downloader) forget(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if t, ok := d.timers[id]; ok {
		t.Stop()
		delete(d.timers, id)
	}
	if d.queued[id] {
		delete(d.queued, id)
		for i, q := range d.queue {
			if q == id {
				d.queue = append(d.queue[:i], d.queue[i+1:]...)
				break
			}
		}
	}
}

func (d *downloader) stop() {
	d.mu.Lock()
	d.done = true
	for id, t := range d.timers {
		t.Stop()
		delete(d.timers, id)
	}
	d.mu.Unlock()
}

// activePath is the file a clip's audio is being written to right now.
func (d *downloader) activePath(id string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, ok := d.active[id]
	return p, ok && p != ""
}

func (d *downloader) work(ctx context.Context) {
	for {
		d.mu.Lock()
		var id string
		if len(d.queue) > 0 {
			id = d.queue[0]
			d.queue = d.queue[1:]
			delete(d.queued, id)
			d.active[id] = "-"
		}
		d.mu.Unlock()
		if id == "" {
			select {
			case <-d.notify:
				continue
			case <-ctx.Done():
				return
			}
		}
		err := d.run(ctx, id)
		d.mu.Lock()
		delete(d.active, id)
		for _, f := range d.follows[id] {
			f.done <- localized(err)
		}
		delete(d.follows, id)
		more := len(d.queue) > 0
		d.mu.Unlock()
		if more {
			select {
			case d.notify <- struct{}{}:
			default:
			}
		}
		if ctx.Err() != nil {
			return
		}
	}
}

// ActiveDownload tells where a clip's audio is being written, for play-while-downloading.
func (e *Engine) ActiveDownload(clipID string) (string, bool) { return e.dl.activePath(clipID) }

// RetryDownload tries a clip's files again now, also after automatic retries gave up.
func (e *Engine) RetryDownload(clipID string) error {
	if e.st.ReadOnly() {
		return ErrReadOnly
	}
	c, err := e.st.Clip(clipID)
	if err != nil {
		return err
	}
	if c.Status != store.ClipComplete || c.AudioURL == "" {
		return errors.New(i18n.T("studio.err.no_audio_yet", clipID))
	}
	e.dl.enqueue(clipID, true)
	return nil
}

// run downloads one clip's files and reports the outcome (nil: whole and in place).
func (d *downloader) run(ctx context.Context, id string) error {
	e := d.e
	c, err := e.st.Clip(id)
	if err != nil {
		return err
	}
	if c.Status != store.ClipComplete || c.AudioURL == "" {
		return ErrNoAudio
	}
	if c.Download == store.DownloadDone && fileExists(c.LocalPath) {
		return nil
	}
	c, err = e.updateClip(id, func(c *store.Clip) error {
		c.Download = store.DownloadActive
		return nil
	})
	if err != nil {
		return err
	}
	files, err := d.fetchAll(ctx, c)
	if ctx.Err() != nil {
		// Shutting down: leave the clip pending so the next start resumes it.
		e.updateClip(id, func(c *store.Clip) error { c.Download = store.DownloadPending; return nil })
		return ctx.Err()
	}
	if err != nil {
		d.failed(c, err)
		return err
	}
	_, err = e.updateClip(id, func(c *store.Clip) error {
		c.LocalPath, c.CoverPath, c.LyricsPath = files.audio, files.cover, files.lyrics
		c.Download, c.DownloadError, c.DownloadAttempts, c.NextDownload = store.DownloadDone, "", 0, time.Time{}
		return nil
	})
	if cache, cerr := StreamCachePath(e.o.SongsDir, id); cerr == nil {
		os.Remove(cache) // the final file supersedes what was captured while streaming
	}
	e.log.Info("downloaded", "clip", id, "file", files.audio)
	return err
}

// ErrNoAudio means a clip has no finished audio to download (yet).
var ErrNoAudio error = i18n.Text("studio.err.no_audio")

// Follow is for playing a clip while it downloads. It puts the clip first in the download
// queue and returns, once bytes are being written, the temp file to read and a channel that
// yields nil when the file is whole and renamed to the clip's LocalPath, or the error. A clip
// already downloaded returns its file and a done channel that is already filled.
//
// The engine is the only writer of library files; players only read, so a clip is never
// downloaded twice into the same file.
func (e *Engine) Follow(ctx context.Context, clipID string) (path string, done <-chan error, err error) {
	c, err := e.st.Clip(clipID)
	if err != nil {
		return "", nil, err
	}
	f := &follow{started: make(chan string, 1), done: make(chan error, 1)}
	if c.LocalPath != "" && fileExists(c.LocalPath) {
		f.done <- nil
		return c.LocalPath, f.done, nil
	}
	if c.Status != store.ClipComplete || c.AudioURL == "" {
		return "", nil, ErrNoAudio
	}
	if e.st.ReadOnly() {
		return "", nil, ErrReadOnly
	}
	d := e.dl
	d.mu.Lock()
	if d.done {
		d.mu.Unlock()
		return "", nil, i18n.Text("studio.err.engine_stopped")
	}
	d.follows[clipID] = append(d.follows[clipID], f)
	if p := d.active[clipID]; p != "" && p != "-" {
		f.started <- p
	} else if d.active[clipID] == "" {
		d.prioritise(clipID)
	}
	d.mu.Unlock()
	select {
	case d.notify <- struct{}{}:
	default:
	}
	select {
	case p := <-f.started:
		return p, f.done, nil
	case err := <-f.done:
		if err != nil {
			return "", nil, err
		}
		c, err := e.st.Clip(clipID)
		if err != nil {
			return "", nil, err
		}
		ch := make(chan error, 1)
		ch <- nil
		return c.LocalPath, ch, nil
	case <-ctx.Done():
		return "", nil, ctx.Err()
	}
}

// prioritise moves a clip to the front of the queue; d.mu is held.
func (d *downloader) prioritise(id string) {
	if t, ok := d.timers[id]; ok { // waiting for a retry: the user asked, so try now
		t.Stop()
		delete(d.timers, id)
	}
	for i, q := range d.queue {
		if q == id {
			d.queue = append(d.queue[:i], d.queue[i+1:]...)
			break
		}
	}
	d.queue = append([]string{id}, d.queue...)
	d.queued[id] = true
}

func (d *downloader) failed(c *store.Clip, err error) {
	e := d.e
	var next time.Duration
	updated, uerr := e.updateClip(c.ID, func(c *store.Clip) error {
		c.DownloadAttempts++
		c.DownloadError = err.Error()
		if c.DownloadAttempts >= e.o.DownloadRetries {
			c.Download = store.DownloadFailed
			c.NextDownload = time.Time{}
			return nil
		}
		next = e.o.DownloadBackoff << (c.DownloadAttempts - 1)
		c.Download = store.DownloadPending
		c.NextDownload = e.now().Add(next)
		return nil
	})
	if uerr != nil {
		return
	}
	e.problem(i18n.Wrap(i18n.T("studio.err.download_failed", updated.Title, updated.DownloadAttempts, e.o.DownloadRetries, Localize(err.Error())), err), nil, updated)
	if next > 0 {
		d.mu.Lock()
		if !d.done {
			d.timers[c.ID] = time.AfterFunc(next, func() {
				d.mu.Lock()
				delete(d.timers, c.ID)
				d.mu.Unlock()
				d.enqueue(c.ID, false)
			})
		}
		d.mu.Unlock()
	}
}

type clipFiles struct{ audio, cover, lyrics string }

// fetchAll writes the audio, the cover and the lyrics of a clip. Files already in place from
// an earlier, partly failed attempt are kept.
func (d *downloader) fetchAll(ctx context.Context, c *store.Clip) (clipFiles, error) {
	e := d.e
	base, err := SafePath(e.o.SongsDir, c.ID)
	if err != nil {
		return clipFiles{}, err
	}
	var f clipFiles
	if c.LocalPath != "" && fileExists(c.LocalPath) && strings.HasPrefix(c.LocalPath, base) {
		f.audio = c.LocalPath
	} else {
		f.audio, err = d.fetchAudio(ctx, c, base)
		if err != nil {
			return clipFiles{}, err
		}
	}
	if c.ImageURL != "" {
		if c.CoverPath != "" && fileExists(c.CoverPath) {
			f.cover = c.CoverPath
		} else if f.cover, err = d.fetchCover(ctx, c.ImageURL, base); err != nil {
			return clipFiles{}, fmt.Errorf(storedCoverFailed, err)
		}
	}
	if text := lyricsFile(c); text != "" {
		f.lyrics = base + ".txt"
		if err := writeFileAtomic(f.lyrics, []byte(text)); err != nil {
			return clipFiles{}, fmt.Errorf(storedLyricsFailed, err)
		}
	}
	return f, nil
}

func lyricsFile(c *store.Clip) string {
	if strings.TrimSpace(c.Lyrics) == "" {
		return ""
	}
	var b strings.Builder
	if c.Title != "" {
		b.WriteString(c.Title + "\n")
	}
	if c.Tags != "" {
		b.WriteString("[" + c.Tags + "]\n")
	}
	b.WriteString("\n" + strings.TrimSpace(c.Lyrics) + "\n")
	return b.String()
}

// fetchAudio downloads the clip's audio to a temp file, verifies it and renames it into place.
func (d *downloader) fetchAudio(ctx context.Context, c *store.Clip, base string) (string, error) {
	e := d.e
	resp, err := d.get(ctx, c.AudioURL)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	ext := ".mp3"
	if isWAV(resp.Header.Get("Content-Type"), c.AudioURL) {
		ext = ".wav"
	}
	final := base + ext
	part := final + ".part"
	d.mu.Lock()
	d.active[c.ID] = part
	for _, f := range d.follows[c.ID] {
		select {
		case f.started <- part:
		default:
		}
	}
	d.mu.Unlock()
	defer os.Remove(part) // a no-op after the rename; cleans up after any failure
	total := resp.ContentLength
	n, err := copyToFile(part, resp.Body, e.o.MaxFileSize, func(out io.Writer) io.Writer {
		return &progressWriter{w: out, every: 250 * time.Millisecond, report: func(n int64) {
			e.publish(Event{Kind: DownloadProgress, Clip: c, Bytes: n, Total: total, Path: part})
		}}
	})
	switch {
	case err != nil:
		return "", fmt.Errorf(storedAudioCut, n, err)
	case n > e.o.MaxFileSize:
		return "", fmt.Errorf(storedAudioTooLarge, e.o.MaxFileSize>>20)
	case total > 0 && n != total:
		return "", fmt.Errorf(storedAudioShort, n, total)
	case n == 0:
		return "", errors.New(storedAudioEmpty)
	}
	if err := verifyAudio(part, ext, c.Duration); err != nil {
		return "", err
	}
	if err := os.Rename(part, final); err != nil {
		return "", err
	}
	syncDir(filepath.Dir(final))
	e.publish(Event{Kind: DownloadProgress, Clip: c, Bytes: n, Total: n, Path: final})
	return final, nil
}

// copyToFile writes body into path (created or truncated), synced to disk and closed, through
// wrap when it is not nil. It reads at most max+1 bytes, so n > max means the body was too large.
func copyToFile(path string, body io.Reader, max int64, wrap func(io.Writer) io.Writer) (n int64, err error) {
	out, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return 0, err
	}
	var w io.Writer = out
	if wrap != nil {
		w = wrap(out)
	}
	n, err = io.Copy(w, io.LimitReader(body, max+1))
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}

func isWAV(contentType, url string) bool {
	ct, _, _ := mime.ParseMediaType(contentType)
	return ct == "audio/wav" || ct == "audio/x-wav" || ct == "audio/wave" || strings.HasSuffix(strings.ToLower(strings.SplitN(url, "?", 2)[0]), ".wav")
}

// verifyAudio checks that the file decodes as what it claims and, when the relay said how
// long the clip is, that it is about that long (a cut file is shorter).
func verifyAudio(path, ext string, expected float64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var got float64
	if ext == ".wav" {
		got, err = wavDuration(f)
		if err != nil {
			return err
		}
	} else {
		info, err := mp3scan.Scan(f)
		if err != nil {
			return fmt.Errorf(storedAudioNoDecode, err)
		}
		if info.Truncated {
			return fmt.Errorf(storedAudioTruncated, info.Duration().Round(time.Millisecond))
		}
		got = info.Duration().Seconds()
	}
	if expected > 0 {
		tolerance := math.Max(2, expected*0.03)
		if math.Abs(got-expected) > tolerance {
			return fmt.Errorf(storedAudioLength, got, expected)
		}
	}
	return nil
}

// wavDuration reads a RIFF/WAVE header and checks that the data chunk is all there.
func wavDuration(f *os.File) (float64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	hdr := make([]byte, 12)
	if _, err := io.ReadFull(f, hdr); err != nil || string(hdr[:4]) != "RIFF" || string(hdr[8:12]) != "WAVE" {
		return 0, errors.New(storedNotWAV)
	}
	var byteRate uint32
	pos := int64(12)
	for {
		ch := make([]byte, 8)
		if _, err := io.ReadFull(f, ch); err != nil {
			return 0, errors.New(storedWAVNoData)
		}
		size := int64(binary.LittleEndian.Uint32(ch[4:]))
		pos += 8
		switch string(ch[:4]) {
		case "fmt ":
			fm := make([]byte, min(size, 64))
			if _, err := io.ReadFull(f, fm); err != nil || len(fm) < 16 {
				return 0, errors.New(storedWAVBadFormat)
			}
			byteRate = binary.LittleEndian.Uint32(fm[8:12])
			f.Seek(pos+size+size%2, io.SeekStart)
		case "data":
			if byteRate == 0 {
				return 0, errors.New(storedWAVNoFormat)
			}
			if pos+size > st.Size() {
				return 0, fmt.Errorf(storedWAVShort, st.Size()-pos, size)
			}
			return float64(size) / float64(byteRate), nil
		default:
			f.Seek(pos+size+size%2, io.SeekStart)
		}
		pos += size + size%2
	}
}

func (d *downloader) fetchCover(ctx context.Context, url, base string) (string, error) {
	resp, err := d.get(ctx, url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return "", err
	}
	ct := http.DetectContentType(data)
	ext := map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp", "image/gif": ".gif"}[ct]
	if ext == "" {
		return "", fmt.Errorf(storedNotImage, ct)
	}
	path := base + ext
	return path, writeFileAtomic(path, data)
}

// get fetches a media URL. It sends no Authorization header: media lives on CDNs, and the key
// must never leave for a host that is not the relay.
func (d *downloader) get(ctx context.Context, url string) (*http.Response, error) {
	if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
		return nil, fmt.Errorf(storedNotURL, url)
	}
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", buildinfo.UserAgent())
	resp, err := d.e.o.MediaClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone {
			return nil, fmt.Errorf(storedFileGone, resp.StatusCode)
		}
		return nil, fmt.Errorf(storedHTTPStatus, resp.StatusCode, hostOf(url))
	}
	return resp, nil
}

func hostOf(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	return u
}

type progressWriter struct {
	w      io.Writer
	n      int64
	last   time.Time
	every  time.Duration
	report func(int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.n += int64(n)
	if now := time.Now(); now.Sub(p.last) >= p.every {
		p.last = now
		p.report(p.n)
	}
	return n, err
}

// StreamCachePath is where a streaming-stage clip is kept when played before its final file
// exists, so that replaying needs no network. The final download removes it.
func StreamCachePath(songsDir, clipID string) (string, error) {
	base, err := SafePath(songsDir, clipID)
	if err != nil {
		return "", err
	}
	return base + ".stream.mp3", nil
}

// SafePath turns a clip id into a file path inside dir, without extension. Relay ids are
// opaque: "../", slashes, NUL and odd characters are replaced, and a hash keeps distinct ids
// distinct after that.
func SafePath(dir, id string) (string, error) {
	if id == "" {
		return "", errors.New(storedEmptyID)
	}
	var b strings.Builder
	altered := false
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == '.' && b.Len() > 0:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
			altered = true
		}
	}
	name := b.String()
	if len(name) > 80 {
		name, altered = name[:80], true
	}
	if altered {
		sum := sha256.Sum256([]byte(id))
		name += "-" + hex.EncodeToString(sum[:4])
	}
	name = strings.Trim(name, ".")
	if name == "" {
		return "", fmt.Errorf(storedIDNoName, id)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	p := filepath.Join(abs, name)
	if filepath.Dir(p) != abs {
		return "", fmt.Errorf(storedIDEscapes, id)
	}
	return p, nil
}

func fileExists(p string) bool {
	if p == "" {
		return false
	}
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// writeFileAtomic writes data to a temp file in the same folder, syncs it and renames it.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, bytes.NewReader(data)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes a rename durable; without it a crash can forget the new name.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}

func (d *downloader) idle() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.queue) == 0 && len(d.active) == 0 && len(d.timers) == 0
}

// Idle reports whether nothing is being tracked, downloaded or waiting for a retry.
func (e *Engine) Idle() bool { return e.tracker.count() == 0 && e.dl.idle() }

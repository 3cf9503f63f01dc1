package player

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	gomp3 "github.com/hajimehoshi/go-mp3"

	"sunostudio/internal/i18n"
)

// download is one URL being fetched into part, renamed to path when whole. Downloads outlive the
// track that started them (switching tracks does not throw the bytes away, and coming back to the
// track attaches to the running download); Close cancels them.
type download struct {
	path, part string
	prog       *Progress
}

var errStalled error = i18n.Text("player.err.no_data")

func (p *Player) ensureDownloadLocked(src Source) (*download, error) {
	if d, ok := p.downloads[src.Path]; ok {
		return d, nil
	}
	if err := os.MkdirAll(filepath.Dir(src.Path), 0o755); err != nil {
		return nil, err
	}
	d := &download{path: src.Path, part: src.Path + ".part", prog: NewProgress()}
	// Created here, not in the goroutine, so that the track can open it right away.
	f, err := os.OpenFile(d.part, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	p.downloads[src.Path] = d
	p.wg.Add(1)
	go p.runDownload(d, src.URL, f)
	return d, nil
}

func (p *Player) runDownload(d *download, rawURL string, f *os.File) {
	defer p.wg.Done()
	err := fetch(p.dlCtx, p.client, rawURL, f, p.opts.StallTimeout)
	if err == nil {
		err = f.Sync() // the rename below must not publish a file whose bytes are not on disk
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = verifyFile(d.part)
	}
	if err == nil {
		err = os.Rename(d.part, d.path)
	}
	if err != nil {
		os.Remove(d.part)
		d.prog.Fail(err)
	} else {
		d.prog.Complete()
	}
	p.mu.Lock()
	if p.downloads[d.path] == d {
		delete(p.downloads, d.path)
	}
	p.mu.Unlock()
}

// fetch copies the body of url into w. It gives up when no byte arrives for stall.
func fetch(ctx context.Context, client *http.Client, rawURL string, w io.Writer, stall time.Duration) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return err
	}
	timer := time.AfterFunc(stall, func() { cancel(i18n.Wrap(i18n.T("player.err.no_data_for", stall.String()), errStalled)) })
	defer timer.Stop()
	resp, err := client.Do(req)
	if err != nil {
		return cleanErr(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %s", resp.Status)
	}
	buf := make([]byte, 32<<10)
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			timer.Reset(stall)
			if _, werr := w.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return cleanErr(ctx, rerr)
		}
	}
}

// cleanErr keeps signed URLs (which may carry tokens) out of messages and says "no data for 30s"
// rather than "context canceled" for a stall.
func cleanErr(ctx context.Context, err error) error {
	if c := context.Cause(ctx); c != nil && errors.Is(c, errStalled) {
		return c
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// verifyFile checks that a finished download is whole: every frame is there and go-mp3 decodes
// all of them (a WAV must hold the data its header announces).
func verifyFile(path string) (err error) {
	fd, err := openFeed(path)
	if err != nil {
		return err
	}
	defer fd.close()
	m, err := newMedia(fd)
	if err != nil {
		return err
	}
	if err := m.update(fd.size, true); err != nil {
		return err
	}
	mm, ok := m.(*mp3Media)
	if !ok {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = errors.New(i18n.T("player.err.decoder_crashed", r))
		}
	}()
	ix := &mm.ix
	start := ix.offs[0]
	dec, err := gomp3.NewDecoder(bufio.NewReaderSize(io.NewSectionReader(fd.f, start, ix.end-start), 64<<10))
	if err != nil {
		return i18n.Wrap(i18n.T("player.err.no_decode", err), err)
	}
	n, err := io.CopyBuffer(io.Discard, dec, make([]byte, 64<<10))
	if err != nil {
		return i18n.Wrap(i18n.T("player.err.no_decode", err), err)
	}
	if want := int64(ix.samples()) * 4; n != want {
		return errors.New(i18n.T("player.err.sample_count", n/4, want/4))
	}
	return nil
}

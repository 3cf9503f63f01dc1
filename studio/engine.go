// Package studio is the engine under the TUI and the CLI: it submits work to the relay, writes
// every task to the library before anything else happens, tracks pending tasks with one poller,
// downloads finished clips into the library folder, and resumes all of it after a restart.
// It has no UI; it reports through events.
package studio

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/store"
)

// Options configure an Engine. Client, Store and SongsDir are required.
type Options struct {
	Client   *client.Client
	Store    *store.Store
	SongsDir string
	// Profile names the relay profile in task records.
	Profile string
	Logger  *slog.Logger
	Now     func() time.Time

	// PollBase is the first polling interval; it doubles while nothing changes, up to PollMax.
	PollBase, PollMax time.Duration
	// TaskDeadline is how long a music task may take before it shows as timed out.
	TaskDeadline time.Duration
	// DownloadRetries and DownloadBackoff control automatic download retries.
	DownloadRetries int
	DownloadBackoff time.Duration
	// DownloadWorkers is how many clips download at once.
	DownloadWorkers int
	// MediaClient fetches audio and covers. It never carries the API key: media hosts are
	// CDNs, not the relay.
	MediaClient *http.Client
	// MaxFileSize bounds one downloaded file.
	MaxFileSize int64
}

func (o *Options) defaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.PollBase <= 0 {
		o.PollBase = 3 * time.Second
	}
	if o.PollMax <= 0 {
		o.PollMax = 30 * time.Second
	}
	if o.PollMax < o.PollBase {
		o.PollMax = o.PollBase
	}
	if o.TaskDeadline <= 0 {
		o.TaskDeadline = 20 * time.Minute
	}
	if o.DownloadRetries <= 0 {
		o.DownloadRetries = 5
	}
	if o.DownloadBackoff <= 0 {
		o.DownloadBackoff = 5 * time.Second
	}
	if o.DownloadWorkers <= 0 {
		o.DownloadWorkers = 2
	}
	if o.MediaClient == nil {
		o.MediaClient = &http.Client{Transport: mediaTransport(), Timeout: 10 * time.Minute}
	}
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = 512 << 20
	}
}

// Engine runs the studio. Its methods are safe for concurrent use.
type Engine struct {
	o   Options
	cl  *client.Client
	st  *store.Store
	log *slog.Logger
	now func() time.Time

	events  broker
	tracker *tracker
	dl      *downloader
	// assets fetches WAV and MP4 files (assets.go); peaks computes waveforms (waveform.go).
	assets *assetLoader
	peaks  *peakMaker

	// clipMu serialises read-modify-write of clip records: the tracker, the downloader and
	// user edits (favourite, rename) all change clips, and none may undo another's change.
	clipMu sync.Mutex

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	quotaMu sync.Mutex
	quota   *Quota
}

// Quota is the relay balance as last read.
type Quota struct {
	client.Quota
	Remaining float64   `json:"remaining"`
	ReadAt    time.Time `json:"read_at"`
}

// New builds an engine. Call Start to resume tracking and downloading.
func New(o Options) (*Engine, error) {
	if o.Client == nil || o.Store == nil || o.SongsDir == "" {
		return nil, errors.New("studio: Client, Store and SongsDir are required")
	}
	o.defaults()
	if err := os.MkdirAll(o.SongsDir, 0o755); err != nil {
		return nil, i18n.Wrap(i18n.T("studio.err.songs_folder", err), err)
	}
	e := &Engine{o: o, cl: o.Client, st: o.Store, log: o.Logger, now: o.Now}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	e.tracker = newTracker(e)
	e.dl = newDownloader(e)
	e.assets = newAssetLoader(e)
	e.peaks = newPeakMaker(e)
	return e, nil
}

// Start resumes every unfinished task and every complete clip without its files, then runs
// the tracker and the downloader until Close.
func (e *Engine) Start() error {
	if e.st.ReadOnly() {
		return nil // a snapshot is for browsing; another sunostudio owns the work
	}
	e.removeStaleParts()
	tasks, err := e.st.UnfinishedTasks()
	if err != nil {
		return i18n.Wrap(i18n.T("studio.err.resume_tasks", err), err)
	}
	for _, t := range tasks {
		if t.Status == store.TaskSubmitting {
			e.settleIntent(t, storedIntentStopped)
			continue
		}
		e.tracker.add(t)
	}
	// Before the tracker and downloader run, so no finished download escapes the peak maker.
	e.assets.start(e.ctx, &e.wg)
	e.peaks.start(e.ctx, &e.wg)
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		e.tracker.run(e.ctx)
	}()
	e.dl.start(e.ctx, &e.wg)
	// Finding the clips still to download reads each of them, which in a large library takes
	// longer than a first frame should: do it in the background.
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		clips, err := e.st.ClipsNeedingDownload()
		if err != nil {
			e.problem(i18n.Wrap(i18n.T("studio.err.resume_downloads", err), err), nil, nil)
			return
		}
		for _, c := range clips {
			if e.ctx.Err() != nil {
				return
			}
			e.dl.enqueue(c.ID, true)
		}
		if len(tasks) > 0 || len(clips) > 0 {
			e.log.Info("resumed", "tasks", len(tasks), "downloads", len(clips))
		}
	}()
	return nil
}

// removeStaleParts deletes temp files a killed run left behind. Only the process holding the
// library lock downloads, so at start every .part file is stale.
func (e *Engine) removeStaleParts() {
	parts, _ := filepath.Glob(filepath.Join(e.o.SongsDir, "*.part"))
	hidden, _ := filepath.Glob(filepath.Join(e.o.SongsDir, ".*.part"))
	for _, p := range append(parts, hidden...) {
		if err := os.Remove(p); err == nil {
			e.log.Info("removed an unfinished download", "file", p)
		}
	}
}

// Close stops polling and downloading and waits for them. Unfinished work resumes next Start.
func (e *Engine) Close() {
	e.cancel()
	e.dl.stop()
	e.assets.stop()
	e.wg.Wait()
	e.events.closeAll()
}

// Subscribe returns a stream of events; Close it when done.
func (e *Engine) Subscribe() *Subscription { return e.events.subscribe() }

// Store is the library the engine writes.
func (e *Engine) Store() *store.Store { return e.st }

// Client is the relay client.
func (e *Engine) Client() *client.Client { return e.cl }

// SongsDir is the folder of downloaded files.
func (e *Engine) SongsDir() string { return e.o.SongsDir }

// Pending is the number of tasks being tracked.
func (e *Engine) Pending() int { return e.tracker.count() }

func (e *Engine) publish(ev Event) { e.events.publish(ev) }

func (e *Engine) problem(err error, t *store.Task, c *store.Clip) {
	e.log.Warn("problem", "err", err)
	e.publish(Event{Kind: Problem, Err: err, Task: t, Clip: c})
}

// updateClip applies f to the stored clip under the clip lock, persists and publishes it.
func (e *Engine) updateClip(id string, f func(c *store.Clip) error) (*store.Clip, error) {
	e.clipMu.Lock()
	c, err := e.st.Clip(id)
	if err != nil {
		e.clipMu.Unlock()
		return nil, err
	}
	if err := f(c); err != nil {
		e.clipMu.Unlock()
		return nil, err
	}
	c.UpdatedAt = e.now()
	err = e.st.PutClip(c)
	e.clipMu.Unlock()
	if err != nil {
		return nil, err
	}
	e.publish(Event{Kind: ClipUpdated, Clip: c})
	return c, nil
}

// SetFavorite marks or unmarks a clip.
func (e *Engine) SetFavorite(id string, fav bool) (*store.Clip, error) {
	return e.updateClip(id, func(c *store.Clip) error { c.Favorite = fav; return nil })
}

// ToggleFavorite flips a clip's favourite mark.
func (e *Engine) ToggleFavorite(id string) (*store.Clip, error) {
	return e.updateClip(id, func(c *store.Clip) error { c.Favorite = !c.Favorite; return nil })
}

// Rename gives a clip the user's own title; the relay's stays in OriginalTitle.
func (e *Engine) Rename(id, title string) (*store.Clip, error) {
	return e.updateClip(id, func(c *store.Clip) error {
		if c.OriginalTitle == "" {
			c.OriginalTitle = c.Title
		}
		c.Title = title
		return nil
	})
}

// SetNotes stores the user's notes on a clip.
func (e *Engine) SetNotes(id, notes string) (*store.Clip, error) {
	return e.updateClip(id, func(c *store.Clip) error { c.Notes = notes; return nil })
}

// DeleteClip removes a clip and its files.
func (e *Engine) DeleteClip(id string) error {
	e.dl.forget(id)
	e.clipMu.Lock()
	defer e.clipMu.Unlock()
	return e.st.DeleteClip(id)
}

// RefreshQuota reads the relay's balance and publishes it.
func (e *Engine) RefreshQuota(ctx context.Context) (*Quota, error) {
	q, err := e.cl.Quota(ctx)
	if err != nil {
		return nil, err
	}
	out := &Quota{Quota: q, Remaining: q.Remaining(), ReadAt: e.now()}
	e.quotaMu.Lock()
	e.quota = out
	e.quotaMu.Unlock()
	e.publish(Event{Kind: QuotaUpdated, Quota: out})
	return out, nil
}

// LastQuota is the balance as last read, nil before the first read.
func (e *Engine) LastQuota() *Quota {
	e.quotaMu.Lock()
	defer e.quotaMu.Unlock()
	return e.quota
}

// refreshQuotaSoon reads the balance in the background after work that costs credits; a relay
// without billing endpoints is not an error worth showing.
func (e *Engine) refreshQuotaSoon() {
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
		defer cancel()
		if _, err := e.RefreshQuota(ctx); err != nil && !errors.Is(err, client.ErrUnsupported) {
			e.log.Debug("quota refresh", "err", err)
		}
	}()
}

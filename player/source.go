package player

import (
	"path/filepath"
	"sync"
	"time"

	"sunostudio/internal/i18n"
)

// Source is one thing to play: a file, a file that is still being written, or a URL that the
// player downloads itself.
//
//   - Library file: Path set, URL empty, Growing false. Opened and checked at once, so a broken
//     file is reported when Play is called.
//   - Growing file: Path set, Growing true, Progress set. Someone else appends to Path and calls
//     Progress.Complete (or Fail) when done; the player starts with the first frames and never
//     reads past what has arrived.
//   - Streaming URL: URL set and Path = where to keep it. If Path exists it is played from disk (a
//     file only appears at Path once a download is whole), otherwise the player downloads URL into
//     Path+".part", plays that growing file, and renames it to Path when the download completed
//     and decodes fully. A cut download leaves nothing at Path.
type Source struct {
	ID    string
	Title string
	Path  string
	URL   string
	// Duration is the expected length, may be 0. It is shown until the real length is known.
	Duration time.Duration
	// Growing says that Path is still being written; Progress must then be set.
	Growing  bool
	Progress *Progress
}

func (s Source) title() string {
	switch {
	case s.Title != "":
		return s.Title
	case s.Path != "":
		return filepath.Base(s.Path)
	case s.URL != "":
		return s.URL
	}
	return s.ID
}

// Progress is how the writer of a growing file tells the player that the file is finished.
// Appending needs no call: the player looks at the file's size whenever it runs short of data.
// Exactly one of Complete or Fail should be called; later calls are ignored.
type Progress struct {
	once sync.Once
	done chan struct{}
	err  error // written before done is closed
}

// NewProgress returns a Progress for one growing file.
func NewProgress() *Progress { return &Progress{done: make(chan struct{})} }

// Complete says the file is whole. Call it after the last byte was written.
func (p *Progress) Complete() { p.finish(nil) }

// Fail says the file will not be completed (a cut download). The player plays what arrived and
// then reports err.
func (p *Progress) Fail(err error) {
	if err == nil {
		err = i18n.Text("player.err.download_failed")
	}
	p.finish(err)
}

func (p *Progress) finish(err error) {
	p.once.Do(func() {
		p.err = err
		close(p.done)
	})
}

// Done is closed once Complete or Fail was called.
func (p *Progress) Done() <-chan struct{} { return p.done }

// Err is the error given to Fail, nil before Done or after Complete.
func (p *Progress) Err() error {
	select {
	case <-p.done:
		return p.err
	default:
		return nil
	}
}

func (p *Progress) finished() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Errors a caller may test with errors.Is / errors.As. Messages are meant for the user; a
// PlayError puts "cannot play <title>: " in front.
var (
	ErrNotMP3   error = i18n.Text("player.err.not_mp3")
	ErrEmpty    error = i18n.Text("player.err.empty")
	ErrNotFound error = i18n.Text("player.err.not_found")
	ErrClosed   error = i18n.Text("player.err.closed")
	ErrNoSource error = i18n.Text("player.err.no_source")
	// ErrNoDeviceSupport is what the device output reports in builds without it (CGO_ENABLED=0 on
	// Linux, or the nosound tag).
	ErrNoDeviceSupport error = i18n.Text("player.err.no_device_support")
)

// PlayError says which track could not be played and why.
type PlayError struct {
	Title string
	Err   error
}

func (e *PlayError) Error() string { return i18n.T("player.err.cannot_play", e.Title, e.Err) }
func (e *PlayError) Unwrap() error { return e.Err }

// TruncatedError: the file ends in the middle of a frame (or is shorter than its header says).
type TruncatedError struct{ At time.Duration }

func (e *TruncatedError) Error() string { return i18n.T("player.err.truncated", seconds(e.At)) }

// DamagedError: something that is not audio follows the audio frames.
type DamagedError struct {
	At   time.Duration
	What string
}

func (e *DamagedError) Error() string {
	if e.What != "" {
		return i18n.T("player.err.damaged_what", seconds(e.At), e.What)
	}
	return i18n.T("player.err.damaged", seconds(e.At))
}

// DownloadError: the bytes stopped coming (cut connection, HTTP error, stall) after At of audio.
type DownloadError struct {
	At  time.Duration
	Err error
}

func (e *DownloadError) Error() string {
	return i18n.T("player.err.download_failed_at", seconds(e.At), e.Err)
}
func (e *DownloadError) Unwrap() error { return e.Err }

// UnsupportedError: a real audio file in a format the decoders do not handle.
type UnsupportedError struct{ What string }

func (e *UnsupportedError) Error() string { return i18n.T("player.err.unsupported", e.What) }

func seconds(d time.Duration) string { return i18n.T("player.err.seconds", d.Seconds()) }

// Package playback decides how to play a library clip: from its file when the file is whole,
// from the engine's download while it is being written, or from the relay's streaming URL,
// captured beside the library so that replaying needs no network. The engine stays the only
// writer of a clip's library file; the player only reads it.
package playback

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

// followTimeout bounds the wait for a queued download to start writing.
const followTimeout = 20 * time.Second

// Source returns what the player should play for clip c.
func Source(ctx context.Context, e *studio.Engine, c *store.Clip) (player.Source, error) {
	src := player.Source{ID: c.ID, Title: c.Title, Duration: seconds(c.Duration)}
	if isFile(c.LocalPath) {
		src.Path = c.LocalPath
		return src, nil
	}
	readOnly := e.Store().ReadOnly()
	if c.Status == store.ClipComplete && c.AudioURL != "" && !readOnly {
		fctx, cancel := context.WithTimeout(ctx, followTimeout)
		defer cancel()
		path, done, err := e.Follow(fctx, c.ID)
		if err != nil {
			return src, fmt.Errorf("cannot play %q yet: %w", c.Title, err)
		}
		select {
		case err := <-done: // already whole (or finished in the meantime)
			if err != nil {
				return src, fmt.Errorf("cannot play %q: %w", c.Title, err)
			}
			if fresh, ferr := e.Store().Clip(c.ID); ferr == nil && isFile(fresh.LocalPath) {
				src.Path = fresh.LocalPath
				return src, nil
			}
			src.Path = path
			return src, nil
		default:
		}
		prog := player.NewProgress()
		go func() {
			if err := <-done; err != nil {
				prog.Fail(err)
			} else {
				prog.Complete()
			}
		}()
		src.Path, src.Growing, src.Progress = path, true, prog
		return src, nil
	}
	url := c.StreamURL
	if readOnly && c.AudioURL != "" {
		url = c.AudioURL // another sunostudio owns downloads; play from the relay into a cache
	}
	if url == "" {
		return src, fmt.Errorf("nothing to play yet: %q is %s", c.Title, c.Status)
	}
	cache, err := studio.StreamCachePath(e.SongsDir(), c.ID)
	if err != nil {
		return src, err
	}
	src.URL, src.Path = url, cache
	return src, nil
}

// File plays a file given on the command line.
func File(path string) (player.Source, error) {
	st, err := os.Stat(path)
	if err != nil {
		return player.Source{}, err
	}
	if !st.Mode().IsRegular() {
		return player.Source{}, errors.New(path + " is not a file")
	}
	return player.Source{ID: path, Path: path}, nil
}

func isFile(p string) bool {
	if p == "" {
		return false
	}
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

package player_test

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"sunostudio/player"
)

// How a `play` command can drive the player: build the output from the --audio flag, queue the
// files, play, and wait for the end (Ctrl-C stops). Compiled, not run.
func Example_playCommand() {
	audio, files := "auto", []string{"song.mp3", "stem.wav"}

	out, err := player.NewOutput(audio) // "auto" never fails: no device is a state, see Wait
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	p := player.New(player.Options{Output: out})
	defer p.Close()

	go func() { // progress on stderr; stdout carries only data
		for ev := range p.Events() {
			switch ev.Kind {
			case player.EventTrackChanged:
				fmt.Fprintf(os.Stderr, "playing %s (%v)\n", ev.Track.Title, ev.Duration)
			case player.EventError:
				fmt.Fprintln(os.Stderr, ev.Err)
			}
		}
	}()

	for _, f := range files {
		p.Add(player.Source{Title: f, Path: f})
	}
	p.PlayIndex(0)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := p.Wait(ctx); err != nil { // *OutputError when there is no sound, joined track errors
		fmt.Fprintln(os.Stderr, err)
	}
}

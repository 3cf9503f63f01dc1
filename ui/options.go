// Package ui is the interactive studio: one Bubble Tea root model that owns the panes
// (Create, Lyrics, Tasks, Library, Chat), the player bar and the status line as plain structs.
//
// Rules this package keeps (see shared/design.md):
//   - No I/O in Update. Everything that touches the library, the relay, the player or files
//     runs in a tea.Cmd; engine and player events reach the program through Program.Send
//     from forwarding goroutines that never touch the model.
//   - Only the focused pane gets keys; overlays (help, dialogs, pickers) get them first.
//   - Widths are display widths (CJK and emoji are two cells); relay text is sanitised at
//     render time.
//   - The view is rendered only when something visible changed, and nothing ticks while idle:
//     no blinking cursors, the elapsed-time tick runs only while a task is running, and the
//     chat's frame and wait ticks only while an answer streams.
package ui

import (
	"context"
	"errors"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

// Player is what the studio needs from the audio player (*player.Player implements it).
type Player interface {
	Play(src player.Source) uint64
	Toggle()
	Stop()
	Next()
	Previous()
	SeekBy(delta time.Duration) time.Duration
	Seek(d time.Duration) time.Duration
	SetVolume(pct int) int
	AdjustVolume(delta int) int
	ToggleMute() bool
	CycleRepeat() player.Repeat
	ToggleShuffle() bool
	Add(srcs ...player.Source)
	Status() player.Status
	Events() <-chan player.Event
}

// SourceFunc chooses what to play for a clip: the library file, the file still being
// downloaded, or the streaming URL (internal/playback.Source).
type SourceFunc func(ctx context.Context, c *store.Clip) (player.Source, error)

// Options configure the studio.
type Options struct {
	Engine *studio.Engine // required
	Player Player         // required
	// Source picks what to play for a clip; nil means the built-in choice (local file, else
	// the streaming URL).
	Source SourceFunc
	Logger *slog.Logger
	// Demo: running on the built-in simulator (the status line says DEMO).
	Demo bool
	// Theme is a theme name (built-in, or a file in ThemesDir); "" is the default.
	Theme     string
	ThemesDir string
	// NoColor: render with bold/reverse emphasis instead of colour (NO_COLOR).
	NoColor bool
	// Keys are the [keys] table of config.toml: action -> "key,key".
	Keys map[string]string
	// Model is the profile's default model for the form.
	Model string
	// Warnings to show at start (config problems); the studio adds its own (keys, theme).
	Warnings []string
	// ExportDir is where the export key writes library exports (default: the library folder).
	ExportDir string

	// For tests: a fixed clock, a fixed time zone, extra program options.
	Now            func() time.Time
	Location       *time.Location
	ProgramOptions []tea.ProgramOption
}

// Run runs the studio until the user quits or ctx ends. Engine events and player events are
// forwarded into the program; unfinished work is left to the engine, which resumes it on the
// next start.
func Run(ctx context.Context, o Options) error { return runWith(ctx, o, nil) }

// runWith is Run; tests get the model it built through built.
func runWith(ctx context.Context, o Options, built func(*Model)) error {
	m, err := New(o)
	if err != nil {
		return err
	}
	if built != nil {
		built(m)
	}
	popts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithFPS(30)}
	if o.NoColor {
		popts = append(popts, tea.WithColorProfile(colorprofile.ASCII))
	}
	popts = append(popts, o.ProgramOptions...)
	p := tea.NewProgram(m, popts...)
	m.send = p.Send // set before the program runs: chat goroutines deliver their updates with it
	defer m.stopAllChats()

	sub := o.Engine.Subscribe()
	defer sub.Close()
	done := make(chan struct{})
	defer close(done)
	go forwardEngine(p, sub, done)
	go forwardPlayer(p, o.Player, done)

	final, err := p.Run()
	// A signal or the caller's cancel ends the program without the quit key's draft save:
	// save it here, after the event loop (no Update runs any more).
	if fm, ok := final.(*Model); ok && fm.draftChanged() && !fm.st.ReadOnly() {
		if serr := fm.st.SaveDraft(fm.draft()); serr != nil {
			fm.log.Warn("saving the lyrics draft", "err", serr) // i18n:ignore a log message
		}
	}
	if errors.Is(err, tea.ErrInterrupted) || (errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil) {
		return nil // SIGINT, SIGTERM or the caller's cancel: a normal end
	}
	return err
}

// forwardEngine sends engine events into the program. It never touches the model.
func forwardEngine(p *tea.Program, sub *studio.Subscription, done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case ev, ok := <-sub.C():
			if !ok {
				return
			}
			p.Send(engineMsg{ev})
		}
	}
}

// forwardPlayer sends player events with a status snapshot read here, outside Update.
// Position events carry what they need; everything else says "re-read the status".
func forwardPlayer(p *tea.Program, pl Player, done <-chan struct{}) {
	evs := pl.Events()
	for {
		select {
		case <-done:
			return
		case ev, ok := <-evs:
			if !ok {
				return
			}
			msg := playerMsg{ev: ev}
			if ev.Kind != player.EventPosition {
				st := pl.Status()
				msg.st = &st
			}
			p.Send(msg)
		}
	}
}

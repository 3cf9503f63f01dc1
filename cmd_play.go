package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"sunostudio/internal/i18n"
	"sunostudio/internal/playback"
	"sunostudio/internal/safetext"
	"sunostudio/player"
	"sunostudio/store"
)

// settingVolume is where the player's volume is remembered between runs.
const settingVolume = "volume"

func newPlayCmd(g *globals) *cobra.Command {
	var audio string
	cmd := &cobra.Command{
		Use:   "play ID|FILE", // i18n:ignore: command syntax
		Short: i18n.T("cli.play.short"),
		Long:  i18n.T("cli.play.long"),
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch audio {
			case "", "auto", "device", "null":
			default:
				return usageError{errors.New(i18n.T("cli.err.play_audio", audio))}
			}
			return runPlay(cmd, g, args[0], audio)
		},
	}
	cmd.Flags().StringVar(&audio, "audio", "", i18n.T("cli.play.flag.audio"))
	return cmd
}

func runPlay(cmd *cobra.Command, g *globals, target, audio string) error {
	ctx := cmd.Context()
	var src player.Source
	var a *app
	if st, err := os.Stat(target); err == nil && st.Mode().IsRegular() {
		if src, err = playback.File(target); err != nil {
			return err
		}
	} else {
		var err error
		if a, err = openApp(cmd, g, readWrite); errors.Is(err, store.ErrLocked) {
			a, err = openApp(cmd, g, readOnly) // another sunostudio downloads; play what we can
		}
		if err != nil {
			return err
		}
		defer a.close()
		c, err := a.st.Clip(target)
		if errors.Is(err, store.ErrNotFound) {
			return errors.New(i18n.T("cli.err.play_no_clip", target))
		} else if err != nil {
			return err
		}
		if err := a.start(); err != nil {
			return err
		}
		if src, err = playback.Source(ctx, a.eng, c); err != nil {
			return err
		}
		if audio == "" {
			audio = a.cfg.File.Audio.Output
		}
	}
	out, err := player.NewOutput(audio)
	if err != nil {
		return usageError{err}
	}
	p := player.New(player.Options{Output: out})
	defer p.Close()
	if a != nil {
		var vol int
		if ok, _ := a.st.Setting(settingVolume, &vol); ok {
			p.SetVolume(vol)
		}
	}
	p.Play(src)

	errw := cmd.ErrOrStderr()
	stopKeys := watchKeys(cmd.InOrStdin(), p)
	defer stopKeys()
	done := make(chan error, 1)
	go func() { done <- p.Wait(ctx) }()
	tty := isTerminal(errw)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			st := p.Status()
			if tty {
				fmt.Fprint(errw, "\r"+ansi.Truncate(progressLine(st), termWidth(errw), "…")+"\x1b[K\n")
			}
			if a != nil && !a.st.ReadOnly() {
				a.st.SetSetting(settingVolume, p.Volume())
			}
			return playError(src, st, err)
		case <-tick.C:
			if tty {
				fmt.Fprint(errw, "\r"+ansi.Truncate(progressLine(p.Status()), termWidth(errw), "…")+"\x1b[K")
			}
		}
	}
}

// playError turns the end of playback into the command's outcome: the output's reason and
// hint when there was no sound, the track's error when it could not be played.
func playError(src player.Source, st player.Status, err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return nil
	}
	var oe *player.OutputError
	if errors.As(err, &oe) {
		return errors.New(i18n.T("cli.err.no_audio", oe.Reason, oe.Hint))
	}
	return err
}

func progressLine(st player.Status) string {
	icon := map[player.State]string{player.Playing: "▶", player.Paused: "⏸", player.Stopped: "■"}[st.State]
	if icon == "" {
		icon = "…"
	}
	title := safetext.Line(st.Track.Title)
	if title == "" {
		title = safetext.Line(st.Track.ID)
	}
	line := fmt.Sprintf("%s %s  %s / %s", icon, title, clock(st.Position), clock(st.Duration))
	if st.Buffered > 0 && st.Buffered < st.Duration {
		line += " " + i18n.T("cli.play.arrived", clock(st.Buffered))
	}
	if st.Muted {
		line += "  " + i18n.T("cli.play.muted")
	} else if st.Volume != 100 {
		line += "  " + i18n.T("cli.play.volume", st.Volume)
	}
	return line
}

func clock(d time.Duration) string {
	if d <= 0 {
		return "-:--"
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

func termWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if width, _, err := term.GetSize(f.Fd()); err == nil && width > 10 {
			return width - 1
		}
	}
	return 79
}

// watchKeys reads single keys from a terminal stdin: space toggles, arrows seek, q stops.
// It does nothing when stdin is not a terminal (a script, a pipe, CI).
func watchKeys(in io.Reader, p *player.Player) (stop func()) {
	f, ok := in.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return func() {}
	}
	state, err := term.MakeRaw(f.Fd())
	if err != nil {
		return func() {}
	}
	go func() {
		buf := make([]byte, 16)
		for {
			n, err := f.Read(buf)
			if err != nil {
				return
			}
			switch k := string(buf[:n]); {
			case k == " ":
				p.Toggle()
			case k == "q" || k == "Q" || k == "\x03" || k == "\x1b":
				p.Stop()
			case strings.HasSuffix(k, "[C"):
				p.SeekBy(5 * time.Second)
			case strings.HasSuffix(k, "[D"):
				p.SeekBy(-5 * time.Second)
			}
		}
	}()
	return func() { term.Restore(f.Fd(), state) }
}

package main

import (
	"context"

	"github.com/spf13/cobra"

	"sunostudio/internal/i18n"
	"sunostudio/internal/playback"
	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/themes"
	"sunostudio/ui"
)

// addTUIFlags adds the interactive studio's flags to the root command. They are local flags
// of the root (plain `sunostudio`), not of the subcommands.
func addTUIFlags(root *cobra.Command) {
	f := root.Flags()
	f.String("theme", "", i18n.T("cli.tui.flag.theme", i18n.List(themes.Names())))
	f.String("audio", "", i18n.T("cli.tui.flag.audio"))
}

// runTUI opens the interactive studio: plain `sunostudio`.
func runTUI(cmd *cobra.Command, g *globals) error {
	theme, _ := cmd.Flags().GetString("theme")
	audio, _ := cmd.Flags().GetString("audio")
	// readOnly: when another sunostudio holds the library, browse a snapshot instead of failing.
	return withApp(cmd, g, readOnly, engineRunning, func(a *app) error { return a.runStudio(cmd, theme, audio) })
}

// runStudio runs the interactive studio on an open app with its engine started.
func (a *app) runStudio(cmd *cobra.Command, theme, audio string) error {
	if theme == "" {
		theme = a.cfg.File.Theme
	}
	if audio == "" {
		audio = a.cfg.File.Audio.Output
	}
	if audio == "" || audio == "device" {
		audio = "auto"
	}
	// From here until the studio ends, fd 2 goes to the log file: ALSA and any other library
	// that writes to stderr must not paint over the screen. This comes before the audio
	// output is created so the device's messages follow it.
	if restore, err := ui.RedirectStderr(a.logFile); err == nil {
		defer restore()
	} else {
		a.log.Warn("stderr stays on the terminal", "err", err) // i18n:ignore: a log message
	}
	out, err := player.NewOutput(audio)
	if err != nil {
		return usageError{err}
	}
	// An output that cannot open is a state the player reports (no audio output), not an
	// error: the studio runs either way.
	pl := player.New(player.Options{Output: out})
	defer pl.Close()

	warnings := append([]string(nil), a.cfg.Warnings...)
	if a.st.ReadOnly() {
		warnings = append([]string{i18n.T("cli.tui.snapshot")}, warnings...)
	}
	return ui.Run(cmd.Context(), ui.Options{
		Engine: a.eng,
		Player: pl,
		Source: func(ctx context.Context, c *store.Clip) (player.Source, error) {
			return playback.Source(ctx, a.eng, c)
		},
		Logger:    a.log,
		Demo:      a.cfg.Demo,
		Theme:     theme,
		ThemesDir: themes.Dir(a.cfg.Paths.ConfigFile),
		NoColor:   themes.NoColor(nil),
		Keys:      a.cfg.File.Keys,
		Model:     a.cl.Profile().Model,
		Warnings:  warnings,
	})
}

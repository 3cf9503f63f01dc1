package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"sunostudio/internal/i18n"
	"sunostudio/internal/safetext"
	"sunostudio/store"
	"sunostudio/studio"
)

// craftCommands are the song-craft subcommands: making songs from library clips (extend,
// concat, cover, replace, persona) and getting more out of one (stems, wav, mp4, timing), plus
// upload. main registers them on the root command.
func craftCommands(g *globals) []*cobra.Command {
	return []*cobra.Command{
		newExtendCmd(g), newConcatCmd(g), newCoverCmd(g), newReplaceCmd(g), newPersonaCmd(g),
		newStemsCmd(g), newWAVCmd(g), newMP4Cmd(g), newTimingCmd(g), newUploadCmd(g),
	}
}

// withStockNote ends an extended command's help with what a stock relay does.
func withStockNote(long string) string {
	return long + "\n" + i18n.T("cli.craft.stock_note")
}

// withSilentDropNote is withStockNote for cover, replace and persona, which also says what
// cannot be detected: they are music submits, which a stock relay accepts and turns into
// ordinary songs.
func withSilentDropNote(long string) string {
	return long + "\n" + i18n.T("cli.craft.silent_drop_note")
}

// craftFlags are the words and style of a song made from another.
type craftFlags struct {
	lyricsFile, tags, title, model string
	wait                           bool
}

func (f *craftFlags) add(fl *pflag.FlagSet, lyricsHelp string) {
	fl.StringVar(&f.lyricsFile, "lyrics", "", lyricsHelp)
	fl.StringVar(&f.tags, "tags", "", i18n.T("cli.craft.flag.tags"))
	fl.StringVar(&f.title, "title", "", i18n.T("cli.craft.flag.title"))
	fl.StringVar(&f.model, "model", "", i18n.T("cli.craft.flag.model"))
	fl.BoolVar(&f.wait, "wait", false, i18n.T("cli.flag.wait_clips"))
}

func (f *craftFlags) options(cmd *cobra.Command) (studio.CraftOptions, error) {
	lyrics, err := readLyrics(f.lyricsFile, cmd.InOrStdin())
	if err != nil {
		return studio.CraftOptions{}, usageError{err}
	}
	return studio.CraftOptions{Lyrics: lyrics, Tags: f.tags, Title: f.title, Model: f.model}, nil
}

// craftErr makes the engine's refusals of bad input usage errors (exit 2).
func craftErr(err error) error {
	if errors.Is(err, studio.ErrBadInput) {
		return usageError{err}
	}
	return err
}

// submitted reports a craft task and finishes it like generate does. msgKey is the message
// that says it was submitted, with the task's id.
func (a *app) submitted(cmd *cobra.Command, msgKey string, t *store.Task, err error, wait bool) error {
	if err != nil {
		return craftErr(err)
	}
	fmt.Fprintln(a.errw, i18n.T(msgKey, t.ID))
	return a.finishTask(cmd.Context(), t, wait)
}

func newExtendCmd(g *globals) *cobra.Command {
	var f craftFlags
	var at float64
	cmd := &cobra.Command{
		Use:     "extend ID --at SECONDS", // i18n:ignore: command syntax
		Short:   i18n.T("cli.extend.short"),
		Long:    i18n.T("cli.extend.long"),
		Example: i18n.T("cli.extend.example"),
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("at") {
				return usageError{errors.New(i18n.T("cli.err.extend_at"))}
			}
			o, err := f.options(cmd)
			if err != nil {
				return err
			}
			return withApp(cmd, g, readWrite, engineRunning, func(a *app) error {
				t, err := a.eng.Extend(cmd.Context(), args[0], at, o.Lyrics, o.Tags, o.Title, o.Model)
				return a.submitted(cmd, "cli.extend.submitted", t, err, f.wait)
			})
		},
	}
	cmd.Flags().Float64Var(&at, "at", 0, i18n.T("cli.extend.flag.at"))
	secondsFlag(cmd, "at")
	f.add(cmd.Flags(), i18n.T("cli.extend.flag.lyrics"))
	return cmd
}

func newConcatCmd(g *globals) *cobra.Command {
	return clipActionCmd(g, clipAction{use: "concat ID", // i18n:ignore: command syntax
		short: "cli.concat.short", long: "cli.concat.long", wait: "cli.concat.flag.wait", submitted: "cli.concat.submitted",
		do: (*studio.Engine).FullSong})
}

func newCoverCmd(g *globals) *cobra.Command {
	var f craftFlags
	var audioURL string
	cmd := &cobra.Command{
		Use:     "cover ID | cover --url URL", // i18n:ignore: command syntax
		Short:   i18n.T("cli.cover.short"),
		Long:    withSilentDropNote(i18n.T("cli.cover.long")),
		Example: i18n.T("cli.cover.example"),
		Args: func(cmd *cobra.Command, args []string) error {
			if (len(args) == 1) == (audioURL != "") || len(args) > 1 {
				return usageError{errors.New(i18n.T("cli.err.cover_args"))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.options(cmd)
			if err != nil {
				return err
			}
			return withApp(cmd, g, readWrite, engineRunning, func(a *app) error {
				if audioURL == "" {
					t, err := a.eng.Cover(cmd.Context(), args[0], o)
					return a.submitted(cmd, "cli.cover.submitted", t, err, f.wait)
				}
				up, t, err := a.eng.CoverURL(cmd.Context(), audioURL, o)
				if up != nil {
					fmt.Fprintln(a.errw, i18n.T("cli.upload.uploaded_as", up.ID))
				}
				return a.submitted(cmd, "cli.cover.submitted", t, err, f.wait)
			})
		},
	}
	cmd.Flags().StringVar(&audioURL, "url", "", i18n.T("cli.cover.flag.url"))
	f.add(cmd.Flags(), i18n.T("cli.cover.flag.lyrics"))
	return cmd
}

func newReplaceCmd(g *globals) *cobra.Command {
	var f craftFlags
	var start, end float64
	cmd := &cobra.Command{
		Use:     "replace ID --start S --end S", // i18n:ignore: command syntax
		Short:   i18n.T("cli.replace.short"),
		Long:    withSilentDropNote(i18n.T("cli.replace.long")),
		Example: i18n.T("cli.replace.example"),
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("start") || !cmd.Flags().Changed("end") {
				return usageError{errors.New(i18n.T("cli.err.replace_section"))}
			}
			o, err := f.options(cmd)
			if err != nil {
				return err
			}
			return withApp(cmd, g, readWrite, engineRunning, func(a *app) error {
				t, err := a.eng.ReplaceSection(cmd.Context(), args[0], start, end, o)
				return a.submitted(cmd, "cli.replace.submitted", t, err, f.wait)
			})
		},
	}
	cmd.Flags().Float64Var(&start, "start", 0, i18n.T("cli.replace.flag.start"))
	cmd.Flags().Float64Var(&end, "end", 0, i18n.T("cli.replace.flag.end"))
	secondsFlag(cmd, "start")
	secondsFlag(cmd, "end")
	f.add(cmd.Flags(), i18n.T("cli.replace.flag.lyrics"))
	return cmd
}

func newStemsCmd(g *globals) *cobra.Command {
	return clipActionCmd(g, clipAction{use: "stems ID", // i18n:ignore: command syntax
		short: "cli.stems.short", long: "cli.stems.long", wait: "cli.stems.flag.wait", submitted: "cli.stems.submitted",
		do: (*studio.Engine).Stems})
}

// clipAction is a command that takes one clip id and a --wait and submits one action on it;
// the strings are catalog keys, except use.
type clipAction struct {
	use, short, long, wait, submitted string
	do                                func(*studio.Engine, context.Context, string) (*store.Task, error)
}

func clipActionCmd(g *globals, c clipAction) *cobra.Command {
	var wait bool
	cmd := &cobra.Command{
		Use:   c.use,
		Short: i18n.T(c.short),
		Long:  withStockNote(i18n.T(c.long)),
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, readWrite, engineRunning, func(a *app) error {
				t, err := c.do(a.eng, cmd.Context(), args[0])
				return a.submitted(cmd, c.submitted, t, err, wait)
			})
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, i18n.T(c.wait))
	return cmd
}

func newUploadCmd(g *globals) *cobra.Command {
	var f craftFlags
	var cover bool
	cmd := &cobra.Command{
		Use:     "upload URL", // i18n:ignore: command syntax
		Short:   i18n.T("cli.upload.short"),
		Long:    withStockNote(i18n.T("cli.upload.long")),
		Example: i18n.T("cli.upload.example"),
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.options(cmd)
			if err != nil {
				return err
			}
			return withApp(cmd, g, readWrite, engineRunning, func(a *app) error {
				if cover {
					up, t, err := a.eng.CoverURL(cmd.Context(), args[0], o)
					if up != nil {
						fmt.Fprintln(a.errw, i18n.T("cli.upload.uploaded_as", up.ID))
					}
					return a.submitted(cmd, "cli.cover.submitted", t, err, f.wait)
				}
				t, err := a.eng.Upload(cmd.Context(), args[0])
				if err != nil {
					return craftErr(err)
				}
				if a.json {
					return a.finishTask(cmd.Context(), t, f.wait)
				}
				if f.wait {
					if t, err = a.eng.Wait(cmd.Context(), t.ID, newProgressPrinter(a.errw).event); err != nil {
						return withCause(i18n.T("cli.err.stopped_waiting_upload", t.ID, err), err)
					}
				}
				fmt.Fprintln(a.out, t.ID)
				switch t.Status {
				case store.TaskFailed:
					return errors.New(i18n.T("cli.err.upload_failed", t.ID, studio.Localize(t.Error)))
				case store.TaskTimedOut:
					return errors.New(i18n.T("cli.err.upload_timed_out", t.ID, studio.Localize(t.Error)))
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&cover, "cover", false, i18n.T("cli.upload.flag.cover"))
	f.add(cmd.Flags(), i18n.T("cli.upload.flag.lyrics"))
	return cmd
}

// printLineage writes a clip's family for show: where it came from, what it joins, and what
// was made from it, one row per clip, in show's "key: value" layout.
func (a *app) printLineage(w io.Writer, c *store.Clip) {
	f, err := a.eng.Family(c.ID)
	if err != nil {
		return
	}
	// label is a row's label with its colon ("" on a continuation row).
	row := func(label, v string) {
		fmt.Fprintf(w, "%s %s\n", padRight(label, 10), safetext.Line(v))
	}
	for i, p := range f.Ancestors {
		label := i18n.T("cli.lineage.from")
		if i > 0 {
			label = ""
		}
		how := f.Clip.Derivation
		if i > 0 {
			how = f.Ancestors[i-1].Derivation
		}
		row(label, derivationOf(how, lineageName(p)))
	}
	if f.MissingAncestor != "" {
		label := ""
		if len(f.Ancestors) == 0 {
			label = i18n.T("cli.lineage.from")
		}
		row(label, i18n.T("cli.lineage.missing_ancestor", f.MissingAncestor))
	}
	if len(f.PartIDs) > 0 {
		names := make([]string, 0, len(f.PartIDs))
		have := map[string]*store.Clip{}
		for _, p := range f.Parts {
			have[p.ID] = p
		}
		for _, id := range f.PartIDs {
			if p := have[id]; p != nil {
				names = append(names, lineageName(p))
			} else {
				names = append(names, i18n.T("cli.lineage.missing_part", id))
			}
		}
		row(i18n.T("cli.lineage.parts"), strings.Join(names, " + "))
	}
	for _, g := range []struct {
		label string
		clips []*store.Clip
	}{
		{i18n.T("cli.lineage.extended"), f.Extensions}, {i18n.T("cli.lineage.full_song"), f.FullSongs},
		{i18n.T("cli.lineage.covered"), f.Covers}, {i18n.T("cli.lineage.stem"), f.Stems},
		{i18n.T("cli.lineage.replaced"), f.Replaced}, {i18n.T("cli.lineage.persona"), f.PersonaSongs},
		{i18n.T("cli.lineage.child"), f.Other},
	} {
		for _, k := range g.clips {
			row(g.label, lineageName(k))
		}
	}
}

// derivationOf says how a clip came from its parent (named by name), for "from:" rows.
func derivationOf(d, name string) string {
	switch d {
	case store.DeriveExtend:
		return i18n.T("cli.lineage.extension_of", name)
	case store.DeriveConcat:
		return i18n.T("cli.lineage.full_song_of", name)
	case store.DeriveCover:
		return i18n.T("cli.lineage.cover_of", name)
	case store.DeriveInfill:
		return i18n.T("cli.lineage.replaced_in", name)
	case store.DeriveStem:
		return i18n.T("cli.lineage.stem_of", name)
	case store.DerivePersona:
		return i18n.T("cli.lineage.voice_of", name)
	}
	return i18n.T("cli.lineage.made_from", name)
}

func lineageName(c *store.Clip) string {
	if c.Derivation == store.DeriveExtend && c.ContinueAt > 0 {
		return i18n.T("cli.lineage.name_at", c.ID, safetext.Line(c.Title), fmtDuration(c.ContinueAt))
	}
	return fmt.Sprintf("%s %q", c.ID, safetext.Line(c.Title))
}

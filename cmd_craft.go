package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

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

// stockRelayNote is the part of every extended command's help that says what a stock relay does.
const stockRelayNote = `
Stock new-api and one-hub relays offer only music and lyrics. There, extended actions
(concat, upload, persona, stems, timing, wav, mp4) end with "does not support this" and
nothing is recorded.`

// silentDropNote adds what cannot be detected: cover, replace and persona songs are music
// submits, which a stock relay accepts and turns into ordinary songs.
const silentDropNote = stockRelayNote + ` Covers, replaced sections and persona songs are worse: a
stock relay accepts them, drops the fields it does not know and makes an ordinary song, and
nothing in its answer shows it. Once the relay has answered "unsupported" to any extended
action, sunostudio refuses these before anything is sent; on a relay it knows nothing about
yet, the request goes out. If unsure, run "timing ID" first: a stock relay answers
"unsupported" to it, and sunostudio remembers that.`

// craftFlags are the words and style of a song made from another.
type craftFlags struct {
	lyricsFile, tags, title, model string
	wait                           bool
}

func (f *craftFlags) add(fl *pflag.FlagSet, lyricsHelp string) {
	fl.StringVar(&f.lyricsFile, "lyrics", "", lyricsHelp)
	fl.StringVar(&f.tags, "tags", "", "style tags, e.g. \"synthpop, female vocals\"")
	fl.StringVar(&f.title, "title", "", "song title")
	fl.StringVar(&f.model, "model", "", "model version (mv), e.g. chirp-v4, chirp-auk")
	fl.BoolVar(&f.wait, "wait", false, "wait until the clips are downloaded")
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

// withEngine opens the app read-write, starts the engine and runs fn.
func withEngine(cmd *cobra.Command, g *globals, fn func(a *app) error) error {
	a, err := openApp(cmd, g, readWrite)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.start(); err != nil {
		return err
	}
	return fn(a)
}

// submitted reports a craft task and finishes it like generate does.
func (a *app) submitted(cmd *cobra.Command, what string, t *store.Task, err error, wait bool) error {
	if err != nil {
		return craftErr(err)
	}
	fmt.Fprintf(a.errw, "submitted %s task %s\n", what, t.ID)
	return a.finishTask(cmd.Context(), t, wait)
}

func newExtendCmd(g *globals) *cobra.Command {
	var f craftFlags
	var at float64
	cmd := &cobra.Command{
		Use:   "extend ID --at SECONDS",
		Short: "Continue a clip from a point in it, with new lyrics",
		Long: `Continue a library clip from --at seconds with the lyrics (and style) you give: Suno
sings the continuation from there. The new clips are linked to the clip (show ID lists
them). Empty --title and --tags keep the clip's; no --lyrics makes the continuation
instrumental. concat joins an extension with what it continues into one song.`,
		Example: `  sunostudio extend 3435e194 --at 80 --lyrics verse2.txt --wait
  echo "[Chorus] ..." | sunostudio extend 3435e194 --at 95.5 --lyrics - --tags "punk" --json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("at") {
				return usageError{errors.New("say where to continue from: --at SECONDS")}
			}
			o, err := f.options(cmd)
			if err != nil {
				return err
			}
			return withEngine(cmd, g, func(a *app) error {
				t, err := a.eng.Extend(cmd.Context(), args[0], at, o.Lyrics, o.Tags, o.Title, o.Model)
				return a.submitted(cmd, "extend", t, err, f.wait)
			})
		},
	}
	cmd.Flags().Float64Var(&at, "at", 0, "seconds into the clip to continue from")
	f.add(cmd.Flags(), "lyrics of the continuation: a file, or - for stdin")
	return cmd
}

func newConcatCmd(g *globals) *cobra.Command {
	var wait bool
	cmd := &cobra.Command{
		Use:   "concat ID",
		Short: "Join an extended clip with what it continues into one full song",
		Long: `Make the full song of an extension: the clips it continues, up to where each was
extended, followed by the extension itself. The result is linked to the extension and lists
its parts (show ID). After replace, concat the replaced clip to get the whole edited song.` + stockRelayNote,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withEngine(cmd, g, func(a *app) error {
				t, err := a.eng.FullSong(cmd.Context(), args[0])
				return a.submitted(cmd, "full song", t, err, wait)
			})
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the song is downloaded")
	return cmd
}

func newCoverCmd(g *globals) *cobra.Command {
	var f craftFlags
	var audioURL string
	cmd := &cobra.Command{
		Use:   "cover ID | cover --url URL",
		Short: "Restyle a clip, or a song uploaded from a URL",
		Long: `Sing a library clip again in another style (--tags), keeping its lyrics unless you give
new ones. With --url the song at that public address is uploaded first (see upload) and
then covered; the upload id is printed on stderr.` + silentDropNote,
		Example: `  sunostudio cover 3435e194 --tags "bossa nova, male vocals" --wait
  sunostudio cover --url https://example.com/demo.mp3 --tags "orchestral" --json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if (len(args) == 1) == (audioURL != "") || len(args) > 1 {
				return usageError{errors.New("name a clip ID or give --url URL (one of them)")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.options(cmd)
			if err != nil {
				return err
			}
			return withEngine(cmd, g, func(a *app) error {
				if audioURL == "" {
					t, err := a.eng.Cover(cmd.Context(), args[0], o)
					return a.submitted(cmd, "cover", t, err, f.wait)
				}
				up, t, err := a.eng.CoverURL(cmd.Context(), audioURL, o)
				if up != nil {
					fmt.Fprintf(a.errw, "uploaded as %s\n", up.ID)
				}
				return a.submitted(cmd, "cover", t, err, f.wait)
			})
		},
	}
	cmd.Flags().StringVar(&audioURL, "url", "", "public address of a song to upload and cover")
	f.add(cmd.Flags(), "new lyrics (a file, or - for stdin); default: the clip's")
	return cmd
}

func newReplaceCmd(g *globals) *cobra.Command {
	var f craftFlags
	var start, end float64
	cmd := &cobra.Command{
		Use:   "replace ID --start S --end S",
		Short: "Replace a section of a clip with new lyrics",
		Long: `Regenerate the part of a clip between --start and --end seconds with new lyrics for
that window (Suno's Replace Section). The result is linked to the clip; concat it to get the
whole edited song.` + silentDropNote,
		Example: `  sunostudio replace 3435e194 --start 30 --end 45 --lyrics new-bridge.txt --wait`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("start") || !cmd.Flags().Changed("end") {
				return usageError{errors.New("say which section: --start S --end S (seconds)")}
			}
			o, err := f.options(cmd)
			if err != nil {
				return err
			}
			return withEngine(cmd, g, func(a *app) error {
				t, err := a.eng.ReplaceSection(cmd.Context(), args[0], start, end, o)
				return a.submitted(cmd, "replace", t, err, f.wait)
			})
		},
	}
	cmd.Flags().Float64Var(&start, "start", 0, "start of the section, in seconds")
	cmd.Flags().Float64Var(&end, "end", 0, "end of the section, in seconds")
	f.add(cmd.Flags(), "lyrics for the section: a file, or - for stdin")
	return cmd
}

func newStemsCmd(g *globals) *cobra.Command {
	var wait bool
	cmd := &cobra.Command{
		Use:   "stems ID",
		Short: "Split a clip into vocals and instrumental",
		Long: `Split a library clip into two stems, vocals and instrumental. The stems become clips of
their own under the clip (show ID lists them) and are downloaded like any song.` + stockRelayNote,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withEngine(cmd, g, func(a *app) error {
				t, err := a.eng.Stems(cmd.Context(), args[0])
				return a.submitted(cmd, "stems", t, err, wait)
			})
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the stems are downloaded")
	return cmd
}

func newUploadCmd(g *globals) *cobra.Command {
	var f craftFlags
	var cover bool
	cmd := &cobra.Command{
		Use:   "upload URL",
		Short: "Upload a song by its public URL (and cover it with --cover)",
		Long: `Register a song at a public http(s) address with the relay and print the upload id,
which cover accepts. With --cover the song is covered at once (--tags, --lyrics, --title,
--model as for cover) and the cover's task is printed instead; the upload id goes to stderr.
Where the relay shows uploads as songs, the song also enters the library.` + stockRelayNote,
		Example: `  sunostudio upload https://example.com/demo.mp3
  sunostudio upload https://example.com/demo.mp3 --cover --tags "jazz" --wait --json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.options(cmd)
			if err != nil {
				return err
			}
			return withEngine(cmd, g, func(a *app) error {
				if cover {
					up, t, err := a.eng.CoverURL(cmd.Context(), args[0], o)
					if up != nil {
						fmt.Fprintf(a.errw, "uploaded as %s\n", up.ID)
					}
					return a.submitted(cmd, "cover", t, err, f.wait)
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
						return fmt.Errorf("stopped waiting for upload %s: %w", t.ID, err)
					}
				}
				fmt.Fprintln(a.out, t.ID)
				if t.Status == store.TaskFailed || t.Status == store.TaskTimedOut {
					return fmt.Errorf("upload %s %s: %s", t.ID, t.Status, t.Error)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&cover, "cover", false, "cover the uploaded song right away")
	f.add(cmd.Flags(), "lyrics for the cover (a file, or - for stdin)")
	return cmd
}

// printLineage writes a clip's family for show: where it came from, what it joins, and what
// was made from it, one row per clip, in show's "key: value" layout.
func (a *app) printLineage(w io.Writer, c *store.Clip) {
	f, err := a.eng.Family(c.ID)
	if err != nil {
		return
	}
	row := func(k, v string) {
		if k != "" {
			k += ":"
		}
		fmt.Fprintf(w, "%-10s %s\n", k, safetext.Line(v))
	}
	for i, p := range f.Ancestors {
		k := "from"
		if i > 0 {
			k = ""
		}
		how := f.Clip.Derivation
		if i > 0 {
			how = f.Ancestors[i-1].Derivation
		}
		row(k, derivationWords(how)+" "+lineageName(p))
	}
	if f.MissingAncestor != "" {
		row(map[bool]string{true: "from", false: ""}[len(f.Ancestors) == 0], "(not in the library) "+f.MissingAncestor)
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
				names = append(names, id+" (not in the library)")
			}
		}
		row("parts", strings.Join(names, " + "))
	}
	for _, g := range []struct {
		key   string
		clips []*store.Clip
	}{
		{"extended", f.Extensions}, {"full song", f.FullSongs}, {"covered", f.Covers}, {"stem", f.Stems},
		{"replaced", f.Replaced}, {"persona", f.PersonaSongs}, {"child", f.Other},
	} {
		for _, k := range g.clips {
			row(g.key, lineageName(k))
		}
	}
}

// derivationWords says how a clip came from its parent, for "from:" rows.
func derivationWords(d string) string {
	switch d {
	case store.DeriveExtend:
		return "extension of"
	case store.DeriveConcat:
		return "full song of"
	case store.DeriveCover:
		return "cover of"
	case store.DeriveInfill:
		return "section replaced in"
	case store.DeriveStem:
		return "stem of"
	case store.DerivePersona:
		return "in the voice of"
	}
	return "made from"
}

func lineageName(c *store.Clip) string {
	s := fmt.Sprintf("%s %q", c.ID, safetext.Line(c.Title))
	if c.Derivation == store.DeriveExtend && c.ContinueAt > 0 {
		s += " from " + fmtDuration(c.ContinueAt)
	}
	return s
}

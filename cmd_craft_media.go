package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/internal/safetext"
	"sunostudio/store"
	"sunostudio/studio"
)

// The craft commands that give more of one clip (personas, WAV, MP4, synced lyrics).

// personaJSON is the stable JSON shape of a persona.
type personaJSON struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	RootClipID  string    `json:"root_clip_id"`
	Profile     string    `json:"profile,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

func personaView(p *store.Persona) personaJSON {
	return personaJSON{ID: p.ID, Name: p.Name, Description: p.Description, RootClipID: p.RootClipID,
		Profile: p.Profile, CreatedAt: p.CreatedAt}
}

func newPersonaCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "persona create|list|use", // i18n:ignore: command syntax
		Short: i18n.T("cli.persona.short"),
		Long:  withSilentDropNote(i18n.T("cli.persona.long")),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageError{errors.New(i18n.T("cli.err.persona_what"))}
		},
	}
	cmd.AddCommand(newPersonaCreateCmd(g), newPersonaListCmd(g), newPersonaUseCmd(g))
	return cmd
}

func newPersonaCreateCmd(g *globals) *cobra.Command {
	var name, description string
	cmd := &cobra.Command{
		Use:   "create ID --name NAME", // i18n:ignore: command syntax
		Short: i18n.T("cli.persona.create.short"),
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(name) == "" {
				return usageError{errors.New(i18n.T("cli.err.persona_name"))}
			}
			return withApp(cmd, g, readWrite, engineIdle, func(a *app) error {
				p, err := a.eng.CreatePersona(cmd.Context(), args[0], name, description)
				if err != nil {
					return craftErr(err)
				}
				if a.json {
					return printJSON(a.out, personaView(p))
				}
				fmt.Fprintf(a.out, "%s\t%s\n", p.ID, safetext.Line(p.Name))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", i18n.T("cli.persona.create.flag.name"))
	cmd.Flags().StringVar(&description, "description", "", i18n.T("cli.persona.create.flag.description"))
	return cmd
}

func newPersonaListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: i18n.T("cli.persona.list.short"),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, readOnly, engineIdle, func(a *app) error {
				ps, err := a.eng.Personas()
				if err != nil {
					return err
				}
				if a.json {
					views := make([]personaJSON, 0, len(ps))
					for _, p := range ps {
						views = append(views, personaView(p))
					}
					return printJSON(a.out, views)
				}
				for _, p := range ps {
					fmt.Fprintln(a.out, i18n.T("cli.persona.list.line", pad(p.ID, 36), pad(p.Name, 20), pad(p.RootClipID, 36),
						fmtTime(p.CreatedAt), safetext.Line(p.Description)))
				}
				return nil
			})
		},
	}
}

func newPersonaUseCmd(g *globals) *cobra.Command {
	var f craftFlags
	var clipID string
	cmd := &cobra.Command{
		Use:   "use PERSONA_ID", // i18n:ignore: command syntax
		Short: i18n.T("cli.persona.use.short"),
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.options(cmd)
			if err != nil {
				return err
			}
			return withApp(cmd, g, readWrite, engineRunning, func(a *app) error {
				t, err := a.eng.GenerateWithPersona(cmd.Context(), args[0], clipID, o)
				return a.submitted(cmd, "cli.persona.use.submitted", t, err, f.wait)
			})
		},
	}
	cmd.Flags().StringVar(&clipID, "clip", "", i18n.T("cli.persona.use.flag.clip"))
	f.add(cmd.Flags(), i18n.T("cli.persona.use.flag.lyrics"))
	return cmd
}

// assetJSON is what wav and mp4 print: where the file is (empty until it is there).
type assetJSON struct {
	ClipID    string `json:"clip_id"`
	LocalPath string `json:"local_path"`
	TaskID    string `json:"task_id,omitempty"`
	Status    string `json:"status"`
	Error     string `json:"error,omitempty"`
}

func newWAVCmd(g *globals) *cobra.Command {
	return newAssetCmd(g, client.KindWAV, "wav", i18n.T("cli.asset.wav"), (*studio.Engine).WAV)
}

func newMP4Cmd(g *globals) *cobra.Command {
	return newAssetCmd(g, client.KindMP4, "mp4", i18n.T("cli.asset.mp4"), (*studio.Engine).MP4)
}

type assetRequest func(*studio.Engine, context.Context, string) (*store.Task, string, error)

// newAssetCmd makes wav or mp4 (name); what names the file, as the help and messages say it.
func newAssetCmd(g *globals, kind client.Kind, name, what string, request assetRequest) *cobra.Command {
	var wait bool
	cmd := &cobra.Command{
		Use:   name + " ID",
		Short: i18n.T("cli.asset.short", what),
		Long:  withStockNote(i18n.T("cli.asset.long", what, name)),
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, readWrite, engineRunning, func(a *app) error {
				t, path, err := request(a.eng, cmd.Context(), args[0])
				if err != nil {
					return craftErr(err)
				}
				out := assetJSON{ClipID: args[0], LocalPath: path, Status: "done"}
				if t != nil {
					fmt.Fprintln(a.errw, i18n.T("cli.asset.requested", what, args[0], t.ID))
					if wait {
						if t, err = a.eng.Wait(cmd.Context(), t.ID, newProgressPrinter(a.errw).event); err != nil {
							return withCause(i18n.T("cli.err.stopped_waiting_asset", t.ID, err), err)
						}
					}
					out.TaskID, out.Status, out.Error = t.ID, t.Status, t.Error
					if t.Status == store.TaskSucceeded {
						out.Status = "done"
						if c, err := a.st.Clip(args[0]); err == nil {
							out.LocalPath = map[client.Kind]string{client.KindWAV: c.WAVPath, client.KindMP4: c.MP4Path}[kind]
						}
					}
				}
				if a.json {
					if err := printJSON(a.out, out); err != nil {
						return err
					}
				} else if out.LocalPath != "" {
					fmt.Fprintln(a.out, out.LocalPath)
				} else {
					fmt.Fprintf(a.out, "%s %s\n", out.TaskID, statusWord(out.Status))
				}
				switch out.Status {
				case store.TaskFailed:
					return errors.New(i18n.T("cli.err.asset_failed", name, args[0], studio.Localize(out.Error)))
				case store.TaskTimedOut:
					return errors.New(i18n.T("cli.err.asset_timed_out", name, args[0], studio.Localize(out.Error)))
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, i18n.T("cli.asset.flag.wait"))
	return cmd
}

// timingJSON is what timing prints.
type timingJSON struct {
	ClipID string       `json:"clip_id"`
	Words  []timingWord `json:"words"`
}

type timingWord struct {
	Word  string  `json:"word"`
	Start float64 `json:"start_s"`
	End   float64 `json:"end_s"`
}

func newTimingCmd(g *globals) *cobra.Command {
	var wait bool
	cmd := &cobra.Command{
		Use:     "timing ID", // i18n:ignore: command syntax
		Short:   i18n.T("cli.timing.short"),
		Long:    withStockNote(i18n.T("cli.timing.long")),
		Example: i18n.T("cli.timing.example"),
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			need, eng := readOnly, engineIdle // a snapshot will do: the words are fetched, just not kept
			if wait {
				need, eng = readWrite, engineRunning
			}
			return withApp(cmd, g, need, eng, func(a *app) error {
				if wait {
					if err := a.waitForClip(cmd, args[0]); err != nil {
						return err
					}
				}
				words, err := a.eng.Timing(cmd.Context(), args[0])
				if err != nil {
					return craftErr(err)
				}
				if a.json {
					out := timingJSON{ClipID: args[0], Words: make([]timingWord, len(words))}
					for i, w := range words {
						out.Words[i] = timingWord{Word: w.Word, Start: w.Start, End: w.End}
					}
					return printJSON(a.out, out)
				}
				for i, ln := range studio.SyncedLyrics(words).Lines {
					if ln.Section != "" {
						if i > 0 {
							fmt.Fprintln(a.out)
						}
						fmt.Fprintf(a.out, "[%s]\n", safetext.Line(ln.Section))
					} else if ln.StanzaStart && i > 0 {
						fmt.Fprintln(a.out)
					}
					fmt.Fprintf(a.out, "%s  %s\n", fmtStamp(ln.Start), safetext.Line(ln.Text))
				}
				if len(words) == 0 {
					fmt.Fprintln(a.errw, i18n.T("cli.timing.no_words"))
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, i18n.T("cli.timing.flag.wait"))
	return cmd
}

// fmtStamp is a karaoke time stamp, m:ss.cc.
func fmtStamp(sec float64) string {
	cs := int(sec*100 + 0.5)
	return fmt.Sprintf("%d:%02d.%02d", cs/6000, cs/100%60, cs%100)
}

// waitForClip waits until the task that makes a clip has settled.
func (a *app) waitForClip(cmd *cobra.Command, id string) error {
	c, err := a.st.Clip(id)
	if err != nil {
		return errors.New(i18n.T("cli.err.no_clip", id))
	}
	if c.Status == store.ClipComplete || c.TaskID == "" {
		return nil
	}
	if _, err := a.eng.Wait(cmd.Context(), c.TaskID, newProgressPrinter(a.errw).event); err != nil {
		return withCause(i18n.T("cli.err.stopped_waiting_clip", id, err), err)
	}
	return nil
}

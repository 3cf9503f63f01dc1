package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sunostudio/client"
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
		Use:   "persona create|list|use",
		Short: "Make a persona (a voice) from a clip, list personas, sing with one",
		Long: `A persona is a reusable voice and style made from a clip. Relays keep personas but
cannot list them, so sunostudio keeps each one it makes in the library.

  persona create ID --name N [--description D]   make one from a library clip
  persona list                                   the personas in the library
  persona use PERSONA_ID [--clip CLIP] --lyrics FILE ...   a new song in that voice

"use" follows the persona's own clip unless --clip names another. Some relays want a
persona model: --model chirp-v4-tau or chirp-v3-5-tau.` + silentDropNote,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageError{errors.New("say what to do: persona create, persona list or persona use")}
		},
	}
	cmd.AddCommand(newPersonaCreateCmd(g), newPersonaListCmd(g), newPersonaUseCmd(g))
	return cmd
}

func newPersonaCreateCmd(g *globals) *cobra.Command {
	var name, description string
	cmd := &cobra.Command{
		Use:   "create ID --name NAME",
		Short: "Make a persona from a library clip",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(name) == "" {
				return usageError{errors.New("give the persona a name: --name NAME")}
			}
			a, err := openApp(cmd, g, readWrite)
			if err != nil {
				return err
			}
			defer a.close()
			p, err := a.eng.CreatePersona(cmd.Context(), args[0], name, description)
			if err != nil {
				return craftErr(err)
			}
			if a.json {
				return printJSON(a.out, personaView(p))
			}
			fmt.Fprintf(a.out, "%s\t%s\n", p.ID, safetext.Line(p.Name))
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the persona's name")
	cmd.Flags().StringVar(&description, "description", "", "what the voice and style are like")
	return cmd
}

func newPersonaListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the personas in the library, newest first",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := openApp(cmd, g, readOnly)
			if err != nil {
				return err
			}
			defer a.close()
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
				fmt.Fprintf(a.out, "%s  %s  from %s  %s  %s\n", pad(p.ID, 36), pad(p.Name, 20), pad(p.RootClipID, 36),
					fmtTime(p.CreatedAt), safetext.Line(p.Description))
			}
			return nil
		},
	}
}

func newPersonaUseCmd(g *globals) *cobra.Command {
	var f craftFlags
	var clipID string
	cmd := &cobra.Command{
		Use:   "use PERSONA_ID",
		Short: "Make a new song sung by a persona",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.options(cmd)
			if err != nil {
				return err
			}
			return withEngine(cmd, g, func(a *app) error {
				t, err := a.eng.GenerateWithPersona(cmd.Context(), args[0], clipID, o)
				return a.submitted(cmd, "persona song", t, err, f.wait)
			})
		},
	}
	cmd.Flags().StringVar(&clipID, "clip", "", "the clip whose voice to follow (default: the persona's own)")
	f.add(cmd.Flags(), "lyrics of the new song: a file, or - for stdin")
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
	return newAssetCmd(g, client.KindWAV, "wav", "the lossless WAV", (*studio.Engine).WAV)
}

func newMP4Cmd(g *globals) *cobra.Command {
	return newAssetCmd(g, client.KindMP4, "mp4", "the music video (MP4)", (*studio.Engine).MP4)
}

type assetRequest func(*studio.Engine, context.Context, string) (*store.Task, string, error)

func newAssetCmd(g *globals, kind client.Kind, name, what string, request assetRequest) *cobra.Command {
	var wait bool
	cmd := &cobra.Command{
		Use:   name + " ID",
		Short: "Get " + what + " of a clip into the library",
		Long: `Ask the relay for ` + what + ` of a library clip and, once it is rendered, download it
next to the clip's mp3 (the same name with .` + name + `). A file already in the library is
not asked for again. The path is printed (--json: {"clip_id", "local_path"}); without
--wait, the request is tracked and the file arrives later (show ID, or run again).` + stockRelayNote,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withEngine(cmd, g, func(a *app) error {
				t, path, err := request(a.eng, cmd.Context(), args[0])
				if err != nil {
					return craftErr(err)
				}
				out := assetJSON{ClipID: args[0], LocalPath: path, Status: "done"}
				if t != nil {
					fmt.Fprintf(a.errw, "requested %s of clip %s (task %s)\n", what, args[0], t.ID)
					if wait {
						if t, err = a.eng.Wait(cmd.Context(), t.ID, newProgressPrinter(a.errw).event); err != nil {
							return fmt.Errorf("stopped waiting for task %s (it resumes next time): %w", t.ID, err)
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
					fmt.Fprintf(a.out, "%s %s\n", out.TaskID, out.Status)
				}
				if out.Status == store.TaskFailed || out.Status == store.TaskTimedOut {
					return fmt.Errorf("%s of clip %s %s: %s", name, args[0], strings.ReplaceAll(out.Status, "_", " "), out.Error)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the file is in the library")
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
		Use:   "timing ID",
		Short: "Show a clip's synced lyrics (each word's time)",
		Long: `Fetch the lyrics of a clip aligned to its audio: every word with the second it starts
and ends. They are kept in the library, so the relay is asked once. Words carry the relay's
section markers and line breaks ("[Verse]\nWinter "); --json prints them as they are, the
text view as timed lines. With --wait, a clip still being made is waited for first.` + stockRelayNote,
		Example: `  sunostudio timing 3435e194
  sunostudio timing 3435e194 --json | jq '.words[0]'`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			need := readOnly // a snapshot will do: the words are fetched, just not kept
			if wait {
				need = readWrite
			}
			a, err := openApp(cmd, g, need)
			if err != nil {
				return err
			}
			defer a.close()
			if wait {
				if err := a.start(); err != nil {
					return err
				}
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
				fmt.Fprintln(a.errw, "no words: an instrumental, or the relay has no alignment for this clip")
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait for a clip still being made")
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
		return fmt.Errorf("no clip %q in the library", id)
	}
	if c.Status == store.ClipComplete || c.TaskID == "" {
		return nil
	}
	if _, err := a.eng.Wait(cmd.Context(), c.TaskID, newProgressPrinter(a.errw).event); err != nil {
		return fmt.Errorf("stopped waiting for clip %s: %w", id, err)
	}
	return nil
}

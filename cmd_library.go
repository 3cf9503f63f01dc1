package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"sunostudio/internal/i18n"
	"sunostudio/internal/safetext"
	"sunostudio/store"
	"sunostudio/studio"
)

func newTasksCmd(g *globals) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "tasks",
		Short: i18n.T("cli.tasks.short"),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, readOnly, engineIdle, func(a *app) error {
				tasks, err := a.st.Tasks(limit)
				if err != nil {
					return err
				}
				if a.json {
					views := make([]studio.TaskJSON, 0, len(tasks))
					for _, t := range tasks {
						v, err := a.taskJSON(t)
						if err != nil {
							return err
						}
						views = append(views, v)
					}
					return printJSON(a.out, views)
				}
				for _, t := range tasks {
					line := fmt.Sprintf("%s  %s  %s %s", pad(t.ID, 36), fmtTime(t.CreatedAt), padRight(studio.KindWord(t.Kind), 7), padRight(statusWord(t.Status), 9))
					if t.Error != "" {
						line += "  " + safetext.Line(studio.Localize(t.Error))
					}
					fmt.Fprintln(a.out, line)
				}
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 50, i18n.T("cli.tasks.flag.limit"))
	return cmd
}

func newListCmd(g *globals) *cobra.Command {
	var q store.Query
	cmd := &cobra.Command{
		Use:   "list",
		Short: i18n.T("cli.list.short"),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch q.Sort {
			case store.SortDate, store.SortTitle, store.SortDuration:
			default:
				return usageError{errors.New(i18n.T("cli.err.sort", q.Sort))}
			}
			return withApp(cmd, g, readOnly, engineIdle, func(a *app) error {
				page, err := a.st.Clips(q)
				if err != nil {
					return err
				}
				if a.json {
					views := make([]studio.ClipJSON, 0, len(page.Clips))
					for _, c := range page.Clips {
						views = append(views, studio.ClipView(c))
					}
					return printJSON(a.out, views)
				}
				printClips(a.out, page.Clips)
				if page.Total > len(page.Clips) {
					fmt.Fprintln(a.errw, i18n.T("cli.list.shown", len(page.Clips), page.Total))
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&q.Text, "search", "", i18n.T("cli.list.flag.search"))
	f.BoolVar(&q.Favorite, "fav", false, i18n.T("cli.list.flag.fav"))
	f.StringVar(&q.Model, "model", "", i18n.T("cli.list.flag.model"))
	f.StringVar(&q.Status, "status", "", i18n.T("cli.list.flag.status"))
	f.IntVar(&q.Limit, "limit", 50, i18n.T("cli.list.flag.limit"))
	f.StringVar(&q.Sort, "sort", store.SortDate, i18n.T("cli.list.flag.sort"))
	f.BoolVar(&q.Asc, "reverse", false, i18n.T("cli.list.flag.reverse"))
	return cmd
}

func newShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID", // i18n:ignore: command syntax
		Short: i18n.T("cli.show.short"),
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, readOnly, engineIdle, func(a *app) error {
				id := args[0]
				if c, err := a.st.Clip(id); err == nil {
					if a.json {
						return printJSON(a.out, studio.ClipView(c))
					}
					return a.printClipDetails(c)
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
				t, err := a.st.Task(id)
				if err != nil {
					return errors.New(i18n.T("cli.err.no_clip_or_task", id))
				}
				view, err := a.taskJSON(t)
				if err != nil {
					return err
				}
				if a.json {
					return printJSON(a.out, view)
				}
				clips, _ := a.st.ClipsOfTask(t.ID)
				printTask(a.out, t, clips)
				return nil
			})
		},
	}
}

func (a *app) printClipDetails(c *store.Clip) error {
	w := a.out
	row := func(label, v string) {
		if v != "" {
			fmt.Fprintf(w, "%s %s\n", padRight(label, 10), safetext.Line(v))
		}
	}
	row(i18n.T("cli.show.title"), c.Title)
	row(i18n.T("cli.show.id"), c.ID)
	row(i18n.T("cli.show.task"), c.TaskID)
	row(i18n.T("cli.show.status"), statusWord(c.Status))
	row(i18n.T("cli.show.tags"), c.Tags)
	row(i18n.T("cli.show.avoid"), c.NegativeTags)
	row(i18n.T("cli.show.model"), c.Model)
	row(i18n.T("cli.show.duration"), fmtDuration(c.Duration))
	row(i18n.T("cli.show.created"), fmtTime(c.CreatedAt))
	if c.Favorite {
		row(i18n.T("cli.show.favourite"), i18n.T("cli.show.yes"))
	}
	row(i18n.T("cli.show.file"), c.LocalPath)
	row(i18n.T("cli.show.wav"), c.WAVPath)
	row(i18n.T("cli.show.video"), c.MP4Path)
	row(i18n.T("cli.show.cover"), c.CoverPath)
	row(i18n.T("cli.show.download"), downloadWord(c.Download))
	row(i18n.T("cli.show.problem"), studio.Localize(firstNonEmpty(c.Error, c.DownloadError)))
	a.printLineage(w, c) // cmd_craft.go
	row(i18n.T("cli.show.notes"), c.Notes)
	if c.Lyrics != "" {
		fmt.Fprintf(w, "\n%s\n", safetext.Clean(c.Lyrics))
	}
	return nil
}

func newRmCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rm ID...", // i18n:ignore: command syntax
		Short: i18n.T("cli.rm.short"),
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{errors.New(i18n.T("cli.err.rm_no_id"))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, readWrite, engineIdle, func(a *app) error {
				for _, id := range args {
					if err := a.eng.DeleteClip(id); err != nil {
						return withCause(i18n.T("cli.err.delete", id, err), err)
					}
					fmt.Fprintln(a.errw, i18n.T("cli.rm.deleted", id))
				}
				return nil
			})
		},
	}
}

func newFavCmd(g *globals) *cobra.Command {
	var off bool
	cmd := &cobra.Command{
		Use:   "fav ID", // i18n:ignore: command syntax
		Short: i18n.T("cli.fav.short"),
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, readWrite, engineIdle, func(a *app) error {
				c, err := a.eng.SetFavorite(args[0], !off)
				if err != nil {
					return err
				}
				if a.json {
					return printJSON(a.out, studio.ClipView(c))
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&off, "off", false, i18n.T("cli.fav.flag.off"))
	return cmd
}

func newExportCmd(g *globals) *cobra.Command {
	var format, output string
	cmd := &cobra.Command{
		Use:   "export",
		Short: i18n.T("cli.export.short"),
		Long:  i18n.T("cli.export.long"),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "json" && format != "m3u" {
				return usageError{errors.New(i18n.T("cli.err.format", format))}
			}
			return withApp(cmd, g, readOnly, engineIdle, func(a *app) error {
				w := a.out
				var tmp *os.File
				var err error
				if output != "" && output != "-" {
					// Write beside the target and rename, so a failed export never truncates an old one.
					tmp, err = os.CreateTemp(filepath.Dir(output), ".export-*")
					if err != nil {
						return err
					}
					defer os.Remove(tmp.Name())
					w = tmp
				}
				if format == "m3u" {
					err = a.st.ExportM3U(w)
				} else {
					err = a.st.Export(w)
				}
				if err != nil {
					return err
				}
				if tmp != nil {
					if err := tmp.Close(); err != nil {
						return err
					}
					if err := os.Rename(tmp.Name(), output); err != nil {
						return err
					}
					fmt.Fprintln(a.errw, i18n.T("cli.export.done", output))
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "json", i18n.T("cli.export.flag.format"))
	cmd.Flags().StringVarP(&output, "output", "o", "", i18n.T("cli.export.flag.output"))
	return cmd
}

func newImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE", // i18n:ignore: command syntax
		Short: i18n.T("cli.import.short"),
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			return withApp(cmd, g, readWrite, engineIdle, func(a *app) error {
				stats, err := a.st.Import(f)
				if err != nil {
					return withCause(i18n.T("cli.err.import", args[0], err), err)
				}
				if a.json {
					return printJSON(a.out, map[string]int{
						"tasks_added": stats.TasksAdded, "tasks_skipped": stats.TasksSkipped,
						"clips_added": stats.ClipsAdded, "clips_skipped": stats.ClipsSkipped, "drafts_added": stats.DraftsAdded,
					})
				}
				fmt.Fprintln(a.out, i18n.T("cli.import.done",
					stats.TasksAdded, stats.ClipsAdded, stats.TasksSkipped, stats.ClipsSkipped, stats.DraftsAdded))
				return nil
			})
		},
	}
}

func newQuotaCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "quota",
		Short: i18n.T("cli.quota.short"),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, readOnly, engineIdle, func(a *app) error {
				q, err := a.eng.RefreshQuota(cmd.Context())
				if err != nil {
					return err
				}
				if a.json {
					return printJSON(a.out, map[string]any{
						"profile": a.cl.Profile().Name, "limit": q.HardLimit, "used": q.Used,
						"remaining": q.Remaining, "unlimited": q.Unlimited, "access_until": nullTime(q.AccessUntil),
					})
				}
				if q.Unlimited {
					fmt.Fprintln(a.out, i18n.T("cli.quota.unlimited", a.cl.Profile().Name, q.Used))
					return nil
				}
				fmt.Fprintln(a.out, i18n.T("cli.quota.remaining", a.cl.Profile().Name, q.Remaining, q.HardLimit, q.Used))
				if !q.AccessUntil.IsZero() {
					fmt.Fprintln(a.out, i18n.T("cli.quota.expires", fmtTime(q.AccessUntil)))
				}
				return nil
			})
		},
	}
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func newResumeCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "resume",
		Short: i18n.T("cli.resume.short"),
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, readWrite, engineRunning, func(a *app) error {
				nt, nd, err := a.eng.Resume()
				if err != nil {
					return err
				}
				fmt.Fprintln(a.errw, i18n.T("cli.resume.resuming", nt, nd))
				return a.waitAll(cmd)
			})
		},
	}
}

// waitAll follows the engine until nothing is pending or downloading.
func (a *app) waitAll(cmd *cobra.Command) error {
	pp := newProgressPrinter(a.errw)
	sub := a.eng.Subscribe()
	defer sub.Close()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		if a.eng.Idle() {
			break
		}
		select {
		case <-cmd.Context().Done():
			return withCause(i18n.T("cli.err.stopped", cmd.Context().Err()), cmd.Context().Err())
		case ev, ok := <-sub.C():
			if !ok {
				return nil
			}
			pp.event(ev)
		case <-tick.C:
		}
	}
	failedDownloads := 0
	clips, err := a.st.ClipsNeedingDownload()
	if err == nil {
		failedDownloads = len(clips)
	}
	if failedDownloads > 0 {
		return errors.New(i18n.T("cli.err.downloads_failed", failedDownloads))
	}
	return nil
}

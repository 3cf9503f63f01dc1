package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"sunostudio/internal/safetext"
	"sunostudio/store"
	"sunostudio/studio"
)

func newTasksCmd(g *globals) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "tasks",
		Short: "List tasks, newest first",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := openApp(cmd, g, readOnly)
			if err != nil {
				return err
			}
			defer a.close()
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
				line := fmt.Sprintf("%s  %s  %-7s %-9s", pad(t.ID, 36), fmtTime(t.CreatedAt), t.Kind, t.Status)
				if t.Error != "" {
					line += "  " + safetext.Line(t.Error)
				}
				fmt.Fprintln(a.out, line)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 50, "how many tasks (0 = all)")
	return cmd
}

func newListCmd(g *globals) *cobra.Command {
	var q store.Query
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the clips in the library",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch q.Sort {
			case store.SortDate, store.SortTitle, store.SortDuration:
			default:
				return usageError{fmt.Errorf("--sort must be date, title or duration, not %q", q.Sort)}
			}
			a, err := openApp(cmd, g, readOnly)
			if err != nil {
				return err
			}
			defer a.close()
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
				fmt.Fprintf(a.errw, "%d of %d clips shown (--limit)\n", len(page.Clips), page.Total)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&q.Text, "search", "", "only clips whose title, tags or lyrics contain this")
	f.BoolVar(&q.Favorite, "fav", false, "only favourites")
	f.StringVar(&q.Model, "model", "", "only clips made by this model")
	f.StringVar(&q.Status, "status", "", "only clips in this state (queued, streaming, complete, failed)")
	f.IntVar(&q.Limit, "limit", 50, "how many clips (0 = all)")
	f.StringVar(&q.Sort, "sort", store.SortDate, "order: date (newest first), title or duration (longest first)")
	f.BoolVar(&q.Asc, "reverse", false, "reverse the order")
	return cmd
}

func newShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show a clip (or a task) with its details",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := openApp(cmd, g, readOnly)
			if err != nil {
				return err
			}
			defer a.close()
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
				return fmt.Errorf("no clip or task %q in the library", id)
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
		},
	}
}

func (a *app) printClipDetails(c *store.Clip) error {
	w := a.out
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-10s %s\n", k+":", safetext.Line(v))
		}
	}
	row("title", c.Title)
	row("id", c.ID)
	row("task", c.TaskID)
	row("status", c.Status)
	row("tags", c.Tags)
	row("avoid", c.NegativeTags)
	row("model", c.Model)
	row("duration", fmtDuration(c.Duration))
	row("created", fmtTime(c.CreatedAt))
	if c.Favorite {
		row("favourite", "yes")
	}
	row("file", c.LocalPath)
	row("wav", c.WAVPath)
	row("video", c.MP4Path)
	row("cover", c.CoverPath)
	row("download", c.Download)
	row("problem", firstNonEmpty(c.Error, c.DownloadError))
	a.printLineage(w, c) // cmd_craft.go
	row("notes", c.Notes)
	if c.Lyrics != "" {
		fmt.Fprintf(w, "\n%s\n", safetext.Clean(c.Lyrics))
	}
	return nil
}

func newRmCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rm ID...",
		Short: "Delete clips from the library, with their files",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{errors.New("name at least one clip id")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := openApp(cmd, g, readWrite)
			if err != nil {
				return err
			}
			defer a.close()
			for _, id := range args {
				if err := a.eng.DeleteClip(id); err != nil {
					return fmt.Errorf("delete %s: %w", id, err)
				}
				fmt.Fprintf(a.errw, "deleted %s\n", id)
			}
			return nil
		},
	}
}

func newFavCmd(g *globals) *cobra.Command {
	var off bool
	cmd := &cobra.Command{
		Use:   "fav ID",
		Short: "Mark a clip as a favourite (--off to unmark)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := openApp(cmd, g, readWrite)
			if err != nil {
				return err
			}
			defer a.close()
			c, err := a.eng.SetFavorite(args[0], !off)
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.out, studio.ClipView(c))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&off, "off", false, "remove the favourite mark")
	return cmd
}

func newExportCmd(g *globals) *cobra.Command {
	var format, output string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export the library as JSON (or an M3U8 playlist of the downloaded songs)",
		Long: `Export every task, clip and lyrics draft as one JSON document (import reads it back
without duplicates), or with --format m3u an M3U8 playlist of the songs on disk. The API
key is never part of an export.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "json" && format != "m3u" {
				return usageError{fmt.Errorf("--format must be json or m3u, not %q", format)}
			}
			a, err := openApp(cmd, g, readOnly)
			if err != nil {
				return err
			}
			defer a.close()
			w := a.out
			var tmp *os.File
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
				fmt.Fprintf(a.errw, "exported to %s\n", output)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "json", "json or m3u")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of stdout")
	return cmd
}

func newImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Import a library export; records already present are skipped",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			a, err := openApp(cmd, g, readWrite)
			if err != nil {
				return err
			}
			defer a.close()
			stats, err := a.st.Import(f)
			if err != nil {
				return fmt.Errorf("import %s: %w", args[0], err)
			}
			if a.json {
				return printJSON(a.out, map[string]int{
					"tasks_added": stats.TasksAdded, "tasks_skipped": stats.TasksSkipped,
					"clips_added": stats.ClipsAdded, "clips_skipped": stats.ClipsSkipped, "drafts_added": stats.DraftsAdded,
				})
			}
			fmt.Fprintf(a.out, "imported %d tasks and %d clips (%d and %d already present), %d drafts\n",
				stats.TasksAdded, stats.ClipsAdded, stats.TasksSkipped, stats.ClipsSkipped, stats.DraftsAdded)
			return nil
		},
	}
}

func newQuotaCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "quota",
		Short: "Show the relay balance of the current profile",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := openApp(cmd, g, readOnly)
			if err != nil {
				return err
			}
			defer a.close()
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
				fmt.Fprintf(a.out, "%s: unlimited (used %.2f)\n", a.cl.Profile().Name, q.Used)
				return nil
			}
			fmt.Fprintf(a.out, "%s: %.2f remaining of %.2f (used %.2f)\n", a.cl.Profile().Name, q.Remaining, q.HardLimit, q.Used)
			if !q.AccessUntil.IsZero() {
				fmt.Fprintf(a.out, "key expires %s\n", fmtTime(q.AccessUntil))
			}
			return nil
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
		Short: "Re-check unfinished tasks and download whatever is missing, then exit",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := openApp(cmd, g, readWrite)
			if err != nil {
				return err
			}
			defer a.close()
			if err := a.start(); err != nil {
				return err
			}
			nt, nd, err := a.eng.Resume()
			if err != nil {
				return err
			}
			fmt.Fprintf(a.errw, "resuming %d tasks and %d downloads\n", nt, nd)
			return a.waitAll(cmd)
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
			return fmt.Errorf("stopped; unfinished work resumes next time: %w", cmd.Context().Err())
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
		return fmt.Errorf("%d clips could not be downloaded; `sunostudio resume` tries again", failedDownloads)
	}
	return nil
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"sunostudio/internal/i18n"
	"sunostudio/internal/safetext"
	"sunostudio/store"
	"sunostudio/studio"
)

func printJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeC1(buf.Bytes()))
	return err
}

// escapeC1 writes DEL and the C1 controls (U+007F-U+009F) as \u escapes. encoding/json escapes
// only C0, but a terminal may read U+009B as CSI, and --json output is often just printed.
func escapeC1(b []byte) []byte {
	if !bytes.ContainsAny(b, "\x7f\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f") {
		return b
	}
	var out bytes.Buffer
	for _, r := range string(b) {
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			fmt.Fprintf(&out, "\\u%04x", r)
			continue
		}
		out.WriteRune(r)
	}
	return out.Bytes()
}

// taskJSON loads a task's clips and converts both to the JSON shape.
func (a *app) taskJSON(t *store.Task) (studio.TaskJSON, error) {
	clips, err := a.st.ClipsOfTask(t.ID)
	if err != nil {
		return studio.TaskJSON{}, err
	}
	return studio.TaskView(t, clips), nil
}

// pad fits s into width terminal cells, by display width: CJK titles are the normal case.
func pad(s string, width int) string {
	s = safetext.Line(s)
	if ansi.StringWidth(s) > width {
		s = ansi.Truncate(s, width, "…")
	}
	return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
}

// padRight pads s to width terminal cells without cutting it (fmt's %-Ns, by display width).
func padRight(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
}

// statusWord is a task or clip status (a stable word in --json) as a person reads it; an
// unknown one is shown as it is.
func statusWord(status string) string {
	if _, ok := studio.TaskStatusKeys[status]; ok {
		return studio.TaskStatusWord(status)
	}
	return studio.ClipStatusWord(status)
}

// downloadWord is a clip's download state (a stable word in --json) as a person reads it.
func downloadWord(d string) string {
	switch d {
	case store.DownloadPending:
		return i18n.T("cli.download.pending")
	case store.DownloadActive:
		return i18n.T("cli.download.active")
	case store.DownloadDone:
		return i18n.T("cli.download.done")
	case store.DownloadFailed:
		return i18n.T("cli.download.failed")
	}
	return d
}

// clipState is the state column of a clip line: its status, and for a complete clip not yet
// on disk where its download stands.
func clipState(c *store.Clip) string {
	if c.Status != store.ClipComplete || c.Download == store.DownloadDone {
		return statusWord(c.Status)
	}
	switch c.Download {
	case store.DownloadNone:
		return i18n.T("cli.clip.not_downloaded")
	case store.DownloadPending:
		return i18n.T("cli.clip.download_pending")
	case store.DownloadActive:
		return i18n.T("cli.clip.downloading")
	case store.DownloadFailed:
		return i18n.T("cli.clip.download_failed")
	}
	return i18n.T("cli.clip.download_other", c.Download)
}

func fmtDuration(sec float64) string {
	if sec <= 0 {
		return "-:--"
	}
	d := time.Duration(sec * float64(time.Second)).Round(time.Second)
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

// printClips writes one line per clip: id, favourite, duration, status, title, tags.
func printClips(w io.Writer, clips []*store.Clip) {
	for _, c := range clips {
		fav := " "
		if c.Favorite {
			fav = "★"
		}
		fmt.Fprintf(w, "%s %s %5s  %s  %s  %s\n", pad(c.ID, 36), fav, fmtDuration(c.Duration),
			pad(clipState(c), 10), pad(firstNonEmpty(c.Title, i18n.T("cli.clip.untitled")), 30), safetext.Line(c.Tags))
	}
}

func printTask(w io.Writer, t *store.Task, clips []*store.Clip) {
	line := i18n.T("cli.task.line", safetext.Line(t.ID), studio.KindWord(t.Kind), statusWord(t.Status))
	if t.Progress > 0 && !t.Finished() {
		line += fmt.Sprintf(" %d%%", t.Progress)
	}
	if t.Error != "" {
		line += "  " + safetext.Line(studio.Localize(t.Error))
	}
	fmt.Fprintln(w, line)
	if t.LyricsText != "" {
		fmt.Fprintf(w, "\n%s\n\n%s\n", safetext.Line(t.LyricsTitle), safetext.Clean(t.LyricsText))
	}
	printClips(w, clips)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// progressPrinter writes one stderr line per visible change while a command waits.
type progressPrinter struct {
	w    io.Writer
	last map[string]string
}

func newProgressPrinter(w io.Writer) *progressPrinter {
	return &progressPrinter{w: w, last: map[string]string{}}
}

func (p *progressPrinter) event(ev studio.Event) {
	var key, line string
	switch ev.Kind {
	case studio.TaskUpdated:
		key = "t" + ev.Task.ID
		line = i18n.T("cli.progress.task", safetext.Line(ev.Task.ID), statusWord(ev.Task.Status))
		if ev.Task.Progress > 0 && !ev.Task.Finished() {
			line += fmt.Sprintf(" %d%%", ev.Task.Progress)
		}
		if ev.Task.Error != "" {
			line = i18n.T("cli.progress.with_error", line, safetext.Line(studio.Localize(ev.Task.Error)))
		}
	case studio.ClipUpdated:
		c := ev.Clip
		key = "c" + c.ID
		id, title, status := shortID(c.ID), safetext.Line(c.Title), statusWord(c.Status)
		switch {
		case c.Download == store.DownloadDone:
			line = i18n.T("cli.progress.clip_saved", id, title, status, c.LocalPath)
		case c.Download == store.DownloadActive:
			line = i18n.T("cli.progress.clip_downloading", id, title, status)
		case c.DownloadError != "":
			line = i18n.T("cli.progress.clip_download_problem", id, title, status, safetext.Line(studio.Localize(c.DownloadError)))
		default:
			line = i18n.T("cli.progress.clip", id, title, status)
		}
		line = "  " + line
	case studio.Problem:
		key, line = "problem", i18n.T("cli.progress.problem", safetext.Line(ev.Err.Error()))
	default:
		return
	}
	if p.last[key] == line {
		return
	}
	p.last[key] = line
	fmt.Fprintln(p.w, line)
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

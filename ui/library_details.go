package ui

import (
	"strings"
	"time"

	"sunostudio/store"
	"sunostudio/themes"
)

// clipDetail is the full record of one clip, read only for the details view.
type clipDetail struct {
	c        *store.Clip
	parent   *store.Clip
	children []*store.Clip
}

// detailView shows one clip in full: its facts, where it came from, what was made from it,
// and its lyrics, scrolled by detailTop.
func (p *libraryPane) detailView(st *themes.Styles, w, h int, loc *time.Location) []string {
	d := p.detail
	c := d.c
	var ls []string
	kv := func(k, v string) {
		if v == "" {
			return
		}
		ls = append(ls, st.Muted.Render(fit(k, 10))+trunc(v, w-10))
	}
	title := line(c.Title)
	if c.Favorite {
		title = "★ " + title
	}
	ls = append(ls, st.Bold.Render(trunc(title, w)))
	kv("Tags", line(c.Tags))
	kv("Avoid", line(c.NegativeTags))
	kv("Model", modelName(line(c.Model)))
	kv("Length", clock(secs(c.Duration)))
	kv("Status", c.Status+downloadNote(c))
	kv("Created", c.CreatedAt.In(loc).Format("2006-01-02 15:04"))
	kv("File", line(c.LocalPath))
	kv("Clip id", c.ID)
	kv("Task", c.TaskID)
	if c.Error != "" {
		kv("Error", line(c.Error))
	}
	if c.DownloadError != "" {
		kv("Download", line(c.DownloadError))
	}
	if c.ParentID != "" {
		from := c.ParentID
		if d.parent != nil {
			from = line(d.parent.Title) + " (" + c.ParentID + ")"
		}
		kv("From", strings.TrimSpace(c.Derivation+" of "+from))
	}
	for i, ch := range d.children {
		k := ""
		if i == 0 {
			k = "Derived"
		}
		kv(k, line(ch.Derivation)+": "+line(ch.Title))
	}
	if c.Notes != "" {
		kv("Notes", line(c.Notes))
	}
	ls = append(ls, "")
	if c.Lyrics == "" {
		ls = append(ls, st.Muted.Render("(no lyrics)"))
	} else {
		ls = append(ls, wrap(clean(c.Lyrics), w)...)
	}
	p.detailTop = max(0, min(p.detailTop, len(ls)-h))
	return padLines(ls[p.detailTop:], w, h)
}

func downloadNote(c *store.Clip) string {
	switch c.Download {
	case store.DownloadDone:
		return ", in the library"
	case store.DownloadFailed:
		return ", download failed"
	case store.DownloadActive:
		return ", downloading"
	case store.DownloadPending:
		return ", download waiting"
	}
	return ""
}

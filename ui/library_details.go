package ui

import (
	"fmt"
	"strings"
	"time"

	"sunostudio/store"
	"sunostudio/studio"
	"sunostudio/themes"
)

// clipDetail is the full record of one clip, read only for the details view, with its
// lineage (Engine.Family) flattened into rows the user can move through.
type clipDetail struct {
	c   *store.Clip
	fam *studio.Family
	rel []relative
}

// relative is one row of the Family section: the clip itself, an ancestor, a part of a full
// song or a child. c is nil for a relative the library does not have (the row names its id and
// cannot be chosen).
type relative struct {
	label string // "parent", "this clip", "extension", ...
	c     *store.Clip
	id    string
	self  bool
}

// relatives flattens a family, oldest ancestor first, then the clip, the parts it joins (a
// full song), and what was made from it grouped by how. The order is the lineage read top to
// bottom, so moving down goes from where the song came from to what it became.
func relatives(f *studio.Family) []relative {
	var out []relative
	if f.MissingAncestor != "" {
		out = append(out, relative{label: ancestorLabel(len(f.Ancestors)), id: f.MissingAncestor})
	}
	for i := len(f.Ancestors) - 1; i >= 0; i-- {
		a := f.Ancestors[i]
		out = append(out, relative{label: ancestorLabel(i), c: a, id: a.ID})
	}
	out = append(out, relative{label: "this clip", c: f.Clip, id: f.Clip.ID, self: true})
	have := map[string]*store.Clip{}
	for _, p := range f.Parts {
		have[p.ID] = p
	}
	for i, id := range f.PartIDs {
		out = append(out, relative{label: fmt.Sprintf("part %d", i+1), c: have[id], id: id})
	}
	for _, g := range []struct {
		label string
		cs    []*store.Clip
	}{
		{"extension", f.Extensions}, {"full song", f.FullSongs}, {"cover", f.Covers}, {"stem", f.Stems},
		{"replaced", f.Replaced}, {"persona song", f.PersonaSongs}, {"made from it", f.Other},
	} {
		for _, c := range g.cs {
			out = append(out, relative{label: g.label, c: c, id: c.ID})
		}
	}
	return out
}

func ancestorLabel(depth int) string {
	switch depth {
	case 0:
		return "parent"
	case 1:
		return "grandparent"
	}
	return "ancestor"
}

// selfIndex is the row of the clip itself (where the cursor starts).
func (d *clipDetail) selfIndex() int {
	for i, r := range d.rel {
		if r.self {
			return i
		}
	}
	return 0
}

// hasFamily reports whether there is anything to move through besides the clip itself.
func (d *clipDetail) hasFamily() bool { return len(d.rel) > 1 }

// moveRel moves the family cursor to the next row that can be chosen (a relative the library
// has); it reports false at either end, where the keys scroll the text instead.
func (p *libraryPane) moveRel(delta int) bool {
	d := p.detail
	for i := p.relSel + delta; i >= 0 && i < len(d.rel); i += delta {
		if d.rel[i].c != nil {
			p.relSel = i
			p.relFollow = true
			return true
		}
	}
	return false
}

// onRelative reports whether the family cursor is on a relative (not on the clip itself).
func (p *libraryPane) onRelative() bool {
	r := p.chosenRel()
	return r != nil && !r.self && r.c != nil
}

// chosenRel is the relative under the family cursor.
func (p *libraryPane) chosenRel() *relative {
	if p.detail == nil || p.relSel < 0 || p.relSel >= len(p.detail.rel) {
		return nil
	}
	return &p.detail.rel[p.relSel]
}

// relInfo is what a relative row says after the title: where an extension continues, the
// length.
func relInfo(c *store.Clip) string {
	var parts []string
	if c.Derivation == store.DeriveExtend && c.ContinueAt > 0 {
		parts = append(parts, "from "+clock(secs(c.ContinueAt)))
	}
	if c.Duration > 0 {
		parts = append(parts, clock(secs(c.Duration)))
	}
	if c.Status != store.ClipComplete {
		parts = append(parts, c.Status)
	}
	return strings.Join(parts, " · ")
}

// detailView shows one clip in full: its facts, its family (movable with the list keys), the
// files made from it, and its lyrics, scrolled by detailTop.
func (p *libraryPane) detailView(st *themes.Styles, w, h int, loc *time.Location, acts []string) []string {
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
	kv("WAV", line(c.WAVPath))
	kv("Video", line(c.MP4Path))
	kv("Clip id", c.ID)
	kv("Task", c.TaskID)
	if c.Error != "" {
		kv("Error", line(c.Error))
	}
	if c.DownloadError != "" {
		kv("Download", line(c.DownloadError))
	}
	if c.ParentID != "" {
		how := c.Derivation
		if c.Derivation == store.DeriveExtend && c.ContinueAt > 0 {
			how += " from " + clock(secs(c.ContinueAt))
		}
		kv("Made by", strings.TrimSpace(how))
	}
	if c.Notes != "" {
		kv("Notes", line(c.Notes))
	}
	selLine := -1
	if d.hasFamily() {
		ls = append(ls, "", st.Accent.Render("Family"))
		for i, r := range d.rel {
			cur := "  "
			if i == p.relSel {
				cur = "› "
				selLine = len(ls)
			}
			name, info := r.id+" (not in the library)", ""
			if r.c != nil {
				name, info = line(r.c.Title), relInfo(r.c)
				if name == "" {
					name = "(untitled)"
				}
			}
			text := cur + fit(r.label, 13) + " "
			rest := w - width(text)
			right := ""
			if info != "" && rest > 20 {
				right = " " + st.Muted.Render(info)
			}
			row := text + spread(name, right, max(0, rest))
			switch {
			case i == p.relSel:
				row = st.Selected.Render(ansiStrip(row))
			case r.c == nil:
				row = st.Muted.Render(ansiStrip(row))
			case r.self:
				row = st.Bold.Render(ansiStrip(row))
			}
			ls = append(ls, row)
		}
	}
	if len(acts) > 0 {
		ls = append(ls, "")
		ls = append(ls, acts...)
	}
	ls = append(ls, "")
	if c.Lyrics == "" {
		ls = append(ls, st.Muted.Render("(no lyrics)"))
	} else {
		ls = append(ls, wrap(clean(c.Lyrics), w)...)
	}
	// After the family cursor moved, scroll just enough to keep it on screen.
	if p.relFollow && selLine >= 0 {
		if selLine < p.detailTop {
			p.detailTop = selLine
		}
		if selLine >= p.detailTop+h {
			p.detailTop = selLine - h + 1
		}
	}
	p.relFollow = false
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

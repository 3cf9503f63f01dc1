package ui

import (
	"strings"
	"time"

	"sunostudio/internal/i18n"
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
	label string // "parent", "this clip", "extension", ... in the language in use
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
	out = append(out, relative{label: i18n.T("library.rel.this_clip"), c: f.Clip, id: f.Clip.ID, self: true})
	have := map[string]*store.Clip{}
	for _, p := range f.Parts {
		have[p.ID] = p
	}
	for i, id := range f.PartIDs {
		out = append(out, relative{label: i18n.T("library.rel.part", i+1), c: have[id], id: id})
	}
	for _, g := range []struct {
		label string
		cs    []*store.Clip
	}{
		{"library.rel.extension", f.Extensions}, {"library.rel.full_song", f.FullSongs}, {"library.rel.cover", f.Covers},
		{"library.rel.stem", f.Stems}, {"library.rel.replaced", f.Replaced}, {"library.rel.persona_song", f.PersonaSongs},
		{"library.rel.other", f.Other},
	} {
		for _, c := range g.cs {
			out = append(out, relative{label: i18n.T(g.label), c: c, id: c.ID})
		}
	}
	return out
}

func ancestorLabel(depth int) string {
	switch depth {
	case 0:
		return i18n.T("library.rel.parent")
	case 1:
		return i18n.T("library.rel.grandparent")
	}
	return i18n.T("library.rel.ancestor")
}

// relLabelKeys are the Family section's labels (catalog keys).
var relLabelKeys = []string{"library.rel.this_clip", "library.rel.extension", "library.rel.full_song",
	"library.rel.cover", "library.rel.stem", "library.rel.replaced", "library.rel.persona_song", "library.rel.other",
	"library.rel.parent", "library.rel.grandparent", "library.rel.ancestor"}

// relLabelW is the width of the Family section's label column with its gap: the widest label
// in the language in use (a full song's parts counted up to 99).
func relLabelW() int {
	w := width(i18n.T("library.rel.part", 99))
	for _, k := range relLabelKeys {
		w = max(w, width(i18n.T(k)))
	}
	return w + 1
}

// detailKeys are the details view's labels (catalog keys).
var detailKeys = []string{"library.field.tags", "library.field.avoid", "library.field.model", "library.field.length",
	"library.field.status", "library.field.created", "library.field.file", "library.field.wav", "library.field.video",
	"library.field.clip_id", "library.field.task", "library.field.error", "library.field.download",
	"library.field.made_by", "library.field.notes"}

// detailLabelW is the width of the details view's label column with its gap: the widest label
// in the language in use.
func detailLabelW() int {
	w := 0
	for _, k := range detailKeys {
		w = max(w, width(i18n.T(k)))
	}
	return w + 2
}

// deriveKeys are the words for how a clip was made (store.DeriveExtend, ...), which stay
// English in --json.
var deriveKeys = map[string]string{
	store.DeriveExtend:  "library.derive.extend",
	store.DeriveConcat:  "library.derive.concat",
	store.DeriveCover:   "library.derive.cover",
	store.DeriveInfill:  "library.derive.infill",
	store.DeriveStem:    "library.derive.stem",
	store.DerivePersona: "library.derive.persona",
	store.DeriveUpload:  "library.derive.upload",
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
		parts = append(parts, i18n.T("library.rel.from", clock(secs(c.ContinueAt))))
	}
	if c.Duration > 0 {
		parts = append(parts, clock(secs(c.Duration)))
	}
	if c.Status != store.ClipComplete {
		parts = append(parts, studio.ClipStatusWord(c.Status))
	}
	return strings.Join(parts, " · ")
}

// detailView shows one clip in full: its facts, its family (movable with the list keys), the
// files made from it, and its lyrics, scrolled by detailTop.
func (p *libraryPane) detailView(st *themes.Styles, w, h int, loc *time.Location, acts []string) []string {
	d := p.detail
	c := d.c
	var ls []string
	lw := detailLabelW()
	kv := func(key, v string) {
		if v == "" {
			return
		}
		ls = append(ls, st.Muted.Render(fit(i18n.T(key), lw))+trunc(v, w-lw))
	}
	title := line(c.Title)
	if c.Favorite {
		title = "★ " + title
	}
	ls = append(ls, st.Bold.Render(trunc(title, w)))
	kv("library.field.tags", line(c.Tags))
	kv("library.field.avoid", line(c.NegativeTags))
	kv("library.field.model", modelName(line(c.Model)))
	kv("library.field.length", clock(secs(c.Duration)))
	kv("library.field.status", statusLine(c))
	kv("library.field.created", c.CreatedAt.In(loc).Format("2006-01-02 15:04"))
	kv("library.field.file", line(c.LocalPath))
	kv("library.field.wav", line(c.WAVPath))
	kv("library.field.video", line(c.MP4Path))
	kv("library.field.clip_id", c.ID)
	kv("library.field.task", c.TaskID)
	if c.Error != "" {
		kv("library.field.error", line(studio.Localize(c.Error)))
	}
	if c.DownloadError != "" {
		kv("library.field.download", line(studio.Localize(c.DownloadError)))
	}
	if c.ParentID != "" {
		how := studio.Word(deriveKeys, c.Derivation)
		if c.Derivation == store.DeriveExtend && c.ContinueAt > 0 {
			how = i18n.T("library.made_by_from", how, clock(secs(c.ContinueAt)))
		}
		kv("library.field.made_by", strings.TrimSpace(how))
	}
	if c.Notes != "" {
		kv("library.field.notes", line(c.Notes))
	}
	selLine := -1
	if d.hasFamily() {
		relW := relLabelW()
		ls = append(ls, "", st.Accent.Render(i18n.T("library.family")))
		for i, r := range d.rel {
			cur := "  "
			if i == p.relSel {
				cur = "› "
				selLine = len(ls)
			}
			name, info := i18n.T("library.not_in_library", r.id), ""
			if r.c != nil {
				name, info = line(r.c.Title), relInfo(r.c)
				if name == "" {
					name = i18n.T("library.untitled")
				}
			}
			text := cur + fit(r.label, relW) + " "
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
		ls = append(ls, st.Muted.Render(i18n.T("library.no_lyrics")))
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

// statusLine is a clip's state and its download's.
func statusLine(c *store.Clip) string {
	status := studio.ClipStatusWord(c.Status)
	switch c.Download {
	case store.DownloadDone:
		return i18n.T("library.status.in_library", status)
	case store.DownloadFailed:
		return i18n.T("library.status.download_failed", status)
	case store.DownloadActive:
		return i18n.T("library.status.downloading", status)
	case store.DownloadPending:
		return i18n.T("library.status.download_waiting", status)
	}
	return status
}

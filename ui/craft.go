package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"sunostudio/client"
	"sunostudio/player"
	"sunostudio/store"
	"sunostudio/studio"
)

// Song craft from the library: each action opens a small dialog, and the engine call runs in
// a Cmd whose answer (craftMsg) lands in that dialog (a refused field, an unsupported relay, a
// failure) or, once it closed, in the status line.

type craftAct int

const (
	craftExtend craftAct = iota + 1
	craftFullSong
	craftCover
	craftReplace
	craftPersona
	craftPersonaSong
	craftStems
	craftWAV
	craftMP4
)

// craftActs is every action with its key binding. extended: the action needs the relay's
// extended (apicore-family) features, so it is greyed out on a relay known to lack them.
// Extend is a plain music submit that stock relays take.
var craftActs = []struct {
	act      craftAct
	key      Action
	name     string
	extended bool
}{
	{craftExtend, ActExtend, "extend", false},
	{craftFullSong, ActFullSong, "full song", true},
	{craftCover, ActCover, "cover", true},
	{craftReplace, ActReplace, "replace section", true},
	{craftPersona, ActPersona, "persona", true},
	{craftPersonaSong, ActPersonaSong, "persona song", true},
	{craftStems, ActStems, "stems", true},
	{craftWAV, ActWAV, "WAV", true},
	{craftMP4, ActMP4, "MP4", true},
}

func craftName(a craftAct) string {
	for _, c := range craftActs {
		if c.act == a {
			return c.name
		}
	}
	return "craft"
}

func craftExtended(a craftAct) bool {
	for _, c := range craftActs {
		if c.act == a {
			return c.extended
		}
	}
	return false
}

// craftVerb is what the dialog's submit key does.
func craftVerb(a craftAct) string {
	switch a {
	case craftPersona:
		return "make the persona"
	case craftWAV, craftMP4:
		return "ask for it"
	case craftStems:
		return "split it"
	}
	return "make it"
}

// craftKey maps a key to the action it starts, if any.
func craftKey(km Keymap, msg tea.KeyPressMsg) (craftAct, bool) {
	for _, c := range craftActs {
		if km.is(msg, c.key) {
			return c.act, true
		}
	}
	return 0, false
}

// craftIntent asks for an action's dialog on a clip.
type craftIntent struct {
	act  craftAct
	clip clipInfo
}

func rowInfo(r *libRow) clipInfo {
	return clipInfo{id: r.ID, title: r.Row.Title, tags: r.Row.Tags, duration: r.Duration}
}

func clipInfoOf(c *store.Clip) clipInfo {
	return clipInfo{id: c.ID, title: c.Title, tags: c.Tags, duration: c.Duration}
}

// craftBlocked says why an action is greyed out: the relay answered "unsupported" to an
// extended endpoint before (the engine remembers it per relay; the model caches it).
func (m *Model) craftBlocked(a craftAct) string {
	s := m.support
	if !craftExtended(a) || !s.Known || s.Extended {
		return ""
	}
	return fmt.Sprintf("not on this relay (it answered \"unsupported\" to %s on %s; stock relays offer only music and lyrics)",
		s.Op, s.At.In(m.loc).Format("01-02 15:04"))
}

// actionBlocked reports whether a key's craft action is greyed out on this relay.
func (m *Model) actionBlocked(a Action) bool {
	for _, c := range craftActs {
		if c.key == a {
			return m.craftBlocked(c.act) != ""
		}
	}
	return false
}

// marks are the points marked on a clip while it played: where to extend from, and the
// section to replace. The dialogs start from them; the waveform shows them.
type marks struct {
	extend, start, end          float64
	hasExtend, hasStart, hasEnd bool
}

// positionIn is the player's position in a clip, if that clip is the current track.
func (m *Model) positionIn(id string) (float64, bool) {
	s := m.plr.st
	if id == "" || s.Track.ID != id {
		return 0, false
	}
	switch s.State {
	case player.Playing, player.Paused, player.Buffering:
		return s.Position.Seconds(), true
	}
	return 0, false
}

// lyricsCount describes the Lyrics pane's text for a dialog's check box.
func (m *Model) lyricsCount() string {
	v := strings.TrimSpace(m.lyrics.value())
	if v == "" {
		return "the Lyrics pane is empty"
	}
	return plural(len(strings.Split(v, "\n")), "line", "lines") + " in the Lyrics pane"
}

// openCraft opens an action's dialog (or says why it cannot).
func (m *Model) openCraft(it craftIntent) tea.Cmd {
	if why := m.craftBlocked(it.act); why != "" {
		m.problem = craftName(it.act) + ": " + why
		return nil
	}
	st := &m.sty
	c := it.clip
	title := line(c.title)
	if title == "" {
		title = c.id
	}
	mk := m.marks[c.id]
	if mk == nil {
		mk = &marks{}
	}
	m.formSeq++
	f := &craftForm{id: m.formSeq, act: it.act, clip: c}
	lyricsCheck := func(on bool, off string) *formField {
		return &formField{key: "lyrics", label: "Lyrics", kind: ffCheck, on: on,
			onText: "from the Lyrics pane", offText: off}
	}
	hasLyrics := strings.TrimSpace(m.lyrics.value()) != ""
	mkKey := func(a Action) string { k, _ := m.keys.short(a); return k }
	switch it.act {
	case craftExtend:
		f.intro = []string{fmt.Sprintf("Continue %q (%s) from a point, with new lyrics and style for the continuation.", title, clock(secs(c.duration)))}
		at := newTimeField(st, "at", "From", mk.extend, mk.hasExtend)
		at.hint = mkKey(ActMarkExtend) + " marks the point while the song plays; " + mkKey(ActUsePosition) + " takes the player's position now"
		lc := lyricsCheck(hasLyrics, "none: an instrumental continuation")
		lc.hint = m.lyricsCount()
		f.fields = []*formField{at,
			newTextField(st, "tags", "Style", line(c.tags), "style tags (empty keeps the song's)", 1000),
			newTextField(st, "title", "Title", "", "empty keeps the song's title", 100),
			lc}
	case craftFullSong:
		f.intro = []string{fmt.Sprintf("Join %q with the song it continues into one full song.", title)}
	case craftCover:
		f.intro = []string{fmt.Sprintf("A cover of %q in a new style.", title)}
		lc := lyricsCheck(false, "the song's own lyrics")
		lc.hint = m.lyricsCount()
		f.fields = []*formField{
			newTextField(st, "tags", "Style", "", "new style tags, e.g. jazz, female vocals", 1000),
			newTextField(st, "title", "Title", "", "empty keeps the song's title", 100),
			lc}
	case craftReplace:
		f.intro = []string{fmt.Sprintf("Sing a section of %q (%s) again with new lyrics.", title, clock(secs(c.duration)))}
		start := newTimeField(st, "start", "Start", mk.start, mk.hasStart)
		start.hint = mkKey(ActMarkStart) + " and " + mkKey(ActMarkEnd) + " mark start and end while the song plays; " +
			mkKey(ActUsePosition) + " takes the player's position now"
		end := newTimeField(st, "end", "End", mk.end, mk.hasEnd)
		end.hint = start.hint
		lc := lyricsCheck(hasLyrics, "none")
		lc.hint = m.lyricsCount() + ": the words for the section"
		f.fields = []*formField{start, end, lc,
			newTextField(st, "tags", "Style", line(c.tags), "style tags (empty keeps the song's)", 1000)}
	case craftPersona:
		f.intro = []string{fmt.Sprintf("Make a persona (a voice and style to reuse) from %q.", title)}
		f.fields = []*formField{
			newTextField(st, "name", "Name", "", "what to call the voice", 100),
			newTextField(st, "about", "About", "", "a few words about it (optional)", 500)}
	case craftPersonaSong:
		f.intro = []string{fmt.Sprintf("A new song sung by a persona, following the voice of %q.", title)}
		lc := lyricsCheck(hasLyrics, "none")
		lc.hint = m.lyricsCount()
		f.fields = []*formField{
			{key: "persona", label: "Persona", kind: ffChoice},
			newTextField(st, "title", "Title", "", "song title", 100),
			newTextField(st, "tags", "Style", line(c.tags), "style tags", 1000),
			lc}
		f.err = "reading the personas…"
	case craftStems:
		f.intro = []string{fmt.Sprintf("Split %q into vocals and instrumental. The stems become clips under it in the library.", title)}
	case craftWAV:
		f.intro = []string{fmt.Sprintf("Ask the relay for the lossless WAV of %q. It is saved next to the mp3.", title)}
	case craftMP4:
		f.intro = []string{fmt.Sprintf("Ask the relay for the music video (MP4) of %q. It is saved next to the mp3.", title)}
	}
	m.ov = overlay{kind: ovCraft, title: strings.ToUpper(craftName(it.act)[:1]) + craftName(it.act)[1:], form: f}
	cmd := f.focusAt(0)
	if it.act == craftPersonaSong {
		cmd = tea.Batch(cmd, personasCmd(m.eng, f.id))
	}
	return cmd
}

// craftReq is a dialog's request as the engine takes it.
type craftReq struct {
	form           int
	act            craftAct
	clipID         string
	at, start, end float64
	o              studio.CraftOptions
	name, about    string
	persona        string
}

// submitForm checks what can be checked here (times, a name) and sends the request.
func (m *Model) submitForm() tea.Cmd {
	f := m.ov.form
	f.clearErrors()
	r := craftReq{form: f.id, act: f.act, clipID: f.clip.id}
	bad := false
	readTime := func(key string) float64 {
		fl := f.field(key)
		v, err := parseSeconds(fl.in.Value())
		if err != nil {
			fl.err, bad = err.Error(), true
		}
		return v
	}
	lyrics := ""
	if f.checked("lyrics") {
		lyrics = m.lyrics.value()
	}
	r.o = studio.CraftOptions{Lyrics: lyrics, Tags: f.value("tags"), Title: f.value("title")}
	switch f.act {
	case craftExtend:
		r.at = readTime("at")
	case craftReplace:
		r.start, r.end = readTime("start"), readTime("end")
	case craftPersona:
		r.name, r.about = f.value("name"), f.value("about")
		if r.name == "" {
			f.field("name").err, bad = "a persona needs a name", true
		}
	case craftPersonaSong:
		r.persona = f.choice("persona")
		if r.persona == "" {
			f.err, bad = "no persona chosen: make one from a clip first ("+actionKey(m.keys, ActPersona)+")", true
		}
	}
	if bad {
		return nil
	}
	f.busy = true
	return craftCmd(m.eng, r)
}

func actionKey(km Keymap, a Action) string {
	k, _ := km.short(a)
	return k
}

// craftMsg is the engine's answer to a dialog's request.
type craftMsg struct {
	req     craftReq
	task    *store.Task
	path    string // WAV/MP4 already in the library
	persona *store.Persona
	err     error
}

// personasMsg fills the persona dialog's choice.
type personasMsg struct {
	form int
	ps   []*store.Persona
	err  error
}

// supportMsg is the relay's extended support as the engine remembers it.
type supportMsg struct{ s studio.Support }

// assetDoneMsg says where a requested WAV or MP4 landed.
type assetDoneMsg struct {
	kind, title, path string
	err               error
}

func craftCmd(e *studio.Engine, r craftReq) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), relayTimeout)
		defer cancel()
		out := craftMsg{req: r}
		switch r.act {
		case craftExtend:
			out.task, out.err = e.Extend(ctx, r.clipID, r.at, r.o.Lyrics, r.o.Tags, r.o.Title, "")
		case craftFullSong:
			out.task, out.err = e.FullSong(ctx, r.clipID)
		case craftCover:
			out.task, out.err = e.Cover(ctx, r.clipID, r.o)
		case craftReplace:
			out.task, out.err = e.ReplaceSection(ctx, r.clipID, r.start, r.end, r.o)
		case craftPersona:
			out.persona, out.err = e.CreatePersona(ctx, r.clipID, r.name, r.about)
		case craftPersonaSong:
			out.task, out.err = e.GenerateWithPersona(ctx, r.persona, r.clipID, r.o)
		case craftStems:
			out.task, out.err = e.Stems(ctx, r.clipID)
		case craftWAV:
			out.task, out.path, out.err = e.WAV(ctx, r.clipID)
		case craftMP4:
			out.task, out.path, out.err = e.MP4(ctx, r.clipID)
		}
		return out
	}
}

func personasCmd(e *studio.Engine, form int) tea.Cmd {
	return func() tea.Msg {
		ps, err := e.Personas()
		return personasMsg{form: form, ps: ps, err: err}
	}
}

// supportCmd reads what the relay has shown about the extended features (a library read).
func supportCmd(e *studio.Engine) tea.Cmd {
	return func() tea.Msg { return supportMsg{e.ExtendedSupport()} }
}

func assetDoneCmd(st *store.Store, w assetWait, t *store.Task) tea.Cmd {
	return func() tea.Msg {
		out := assetDoneMsg{kind: w.kind}
		if t.Status != store.TaskSucceeded {
			out.err = errors.New(firstNonEmpty(t.Error, "the request "+t.Status))
			return out
		}
		c, err := st.Clip(w.clipID)
		if err != nil {
			out.err = err
			return out
		}
		out.title, out.path = c.Title, c.WAVPath
		if w.kind == "MP4" {
			out.path = c.MP4Path
		}
		return out
	}
}

// assetWait is a WAV or MP4 request being followed until its file is in the library.
type assetWait struct{ clipID, kind string }

// formFor is the open dialog of id, if it is still open.
func (m *Model) formFor(id int) *craftForm {
	if m.ov.kind == ovCraft && m.ov.form != nil && m.ov.form.id == id {
		return m.ov.form
	}
	return nil
}

// handleCraft applies the engine's answer to a dialog's request.
func (m *Model) handleCraft(msg craftMsg) tea.Cmd {
	name := craftName(msg.req.act)
	f := m.formFor(msg.req.form)
	if f != nil {
		f.busy = false
	}
	cmds := []tea.Cmd{supportCmd(m.eng)} // an extended answer either way teaches the engine
	if msg.err != nil {
		text, field := craftError(msg.req.act, msg.err)
		switch {
		case f != nil && field != "" && f.field(field) != nil:
			f.field(field).err = text
		case f != nil:
			f.err = text
		default:
			m.problem = name + ": " + text
		}
		return tea.Batch(cmds...)
	}
	if f != nil {
		m.ov = overlay{}
	}
	switch {
	case msg.persona != nil:
		m.setNotice(fmt.Sprintf("persona %q made; %s on a clip sings with it", line(msg.persona.Name), actionKey(m.keys, ActPersonaSong)))
	case msg.path != "":
		m.setNotice(name + " is in the library: " + msg.path)
	case msg.task != nil:
		m.tasks.upsertTask(msg.task)
		m.tasks.selectID(msg.task.ID)
		if msg.req.act == craftWAV || msg.req.act == craftMP4 {
			w := assetWait{clipID: msg.req.clipID, kind: name}
			if msg.task.Finished() {
				cmds = append(cmds, assetDoneCmd(m.st, w, msg.task))
			} else {
				m.assets[msg.task.ID] = w
			}
			m.setNotice(name + " requested (task " + msg.task.ID + "); the file goes next to the mp3")
		} else {
			m.setNotice(name + " submitted: task " + msg.task.ID + " (see Tasks)")
		}
		cmds = append(cmds, m.startTick())
	}
	return tea.Batch(cmds...)
}

// craftError is an engine error in words, and the field it belongs to ("" for the dialog).
func craftError(a craftAct, err error) (string, string) {
	switch {
	case errors.Is(err, client.ErrUnsupported):
		return "not on this relay: " + err.Error(), ""
	case errors.Is(err, studio.ErrBadInput):
		return err.Error(), badInputField(a, err.Error())
	case errors.Is(err, studio.ErrReadOnly):
		return err.Error(), ""
	}
	return "failed: " + err.Error(), ""
}

// badInputField is the field an engine refusal is about.
func badInputField(a craftAct, text string) string {
	switch a {
	case craftExtend:
		return "at"
	case craftReplace:
		if strings.Contains(text, "end") && !strings.Contains(text, "start of the section") {
			return "end"
		}
		return "start"
	case craftPersona:
		return "name"
	case craftPersonaSong:
		if strings.Contains(text, "persona") && !strings.Contains(text, "lyrics") {
			return "persona"
		}
		return "lyrics"
	}
	return ""
}

// handlePersonas fills the persona choice of the dialog that asked.
func (m *Model) handlePersonas(msg personasMsg) {
	f := m.formFor(msg.form)
	if f == nil {
		m.quiet = true
		return
	}
	f.err = ""
	if msg.err != nil {
		f.err = "the personas could not be read: " + msg.err.Error()
		return
	}
	fl := f.field("persona")
	for _, p := range msg.ps {
		label := p.Name
		if p.Description != "" {
			label += " · " + p.Description
		}
		fl.choices = append(fl.choices, formChoice{id: p.ID, label: label})
	}
	if len(fl.choices) == 0 {
		f.err = "no personas yet: make one from a clip with " + actionKey(m.keys, ActPersona)
	}
}

// assetTaskDone tells where a followed WAV or MP4 landed once its task is over.
func (m *Model) assetTaskDone(t *store.Task) tea.Cmd {
	w, ok := m.assets[t.ID]
	if !ok || !t.Finished() {
		return nil
	}
	delete(m.assets, t.ID)
	return assetDoneCmd(m.st, w, t)
}

func (m *Model) handleAssetDone(msg assetDoneMsg) {
	if msg.err != nil {
		m.problem = msg.kind + ": " + msg.err.Error()
		return
	}
	m.setNotice(msg.kind + " of " + line(msg.title) + " saved: " + msg.path)
}

// markKey handles the keys that mark points on the playing clip (outside text fields).
func (m *Model) markKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	km := m.keys
	var what string
	switch {
	case km.is(msg, ActMarkExtend):
		what = "extend point"
	case km.is(msg, ActMarkStart):
		what = "section start"
	case km.is(msg, ActMarkEnd):
		what = "section end"
	default:
		return nil, false
	}
	id := m.plr.st.Track.ID
	pos, ok := m.positionIn(id)
	if !ok {
		m.problem = "nothing is playing: play a song, then mark the " + what + " while it plays"
		return nil, true
	}
	mk := m.marks[id]
	if mk == nil {
		mk = &marks{}
		m.marks[id] = mk
	}
	var next string
	switch what {
	case "extend point":
		mk.extend, mk.hasExtend = pos, true
		next = actionKey(km, ActExtend) + " extends from it"
	case "section start":
		mk.start, mk.hasStart = pos, true
		next = "mark the end with " + actionKey(km, ActMarkEnd)
	default:
		mk.end, mk.hasEnd = pos, true
		next = actionKey(km, ActReplace) + " replaces the section"
	}
	m.setNotice(fmt.Sprintf("%s %s marked · %s · %s", what, fmtSeconds(pos), next, line(m.plr.st.Track.Title)))
	return nil, true
}

// craftMenu lists the actions for the details view, greying out what the relay lacks.
func (m *Model) craftMenu(w int) []string {
	st := &m.sty
	var parts []string
	blocked := false
	for _, c := range craftActs {
		k, d := m.keys.short(c.key)
		if m.craftBlocked(c.act) != "" {
			blocked = true
			parts = append(parts, st.Muted.Render("✗ "+k+" "+d))
			continue
		}
		parts = append(parts, st.Key.Render(k)+" "+d)
	}
	out := []string{st.Accent.Render("Make")}
	lineParts, used := "", 0
	for _, p := range parts {
		pw := width(p)
		if used > 0 && used+3+pw > w {
			out = append(out, lineParts)
			lineParts, used = "", 0
		}
		if used > 0 {
			lineParts += st.Muted.Render(" · ")
			used += 3
		}
		lineParts += p
		used += pw
	}
	if lineParts != "" {
		out = append(out, lineParts)
	}
	if blocked {
		out = append(out, st.Muted.Render(trunc("✗ greyed: not on this relay (it answered \"unsupported\")", w)))
	}
	return out
}

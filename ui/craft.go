package ui

import (
	"context"
	"errors"
	"net/url"
	"strings"

	tea "charm.land/bubbletea/v2"

	"sunostudio/client"
	"sunostudio/internal/i18n"
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
	craftUpload // no clip: a song from the web by its URL, uploaded and perhaps covered
)

// craftAction is one action: its key binding, whether it needs the relay's extended
// (apicore-family) features (greyed out on a relay known to lack them; extend is a plain music
// submit that stock relays take), and its catalog keys: its name (before an error in the
// status line), the dialog's title, what the dialog's submit key does, and the notice once the
// relay took the request.
type craftAction struct {
	act                          craftAct
	key                          Action
	extended                     bool
	name, title, verb, submitted string
}

var craftActs = []craftAction{
	{craftExtend, ActExtend, false, "craft.name.extend", "craft.title.extend", "craft.verb.make", "craft.submitted.extend"},
	{craftFullSong, ActFullSong, true, "craft.name.full_song", "craft.title.full_song", "craft.verb.make", "craft.submitted.full_song"},
	{craftCover, ActCover, true, "craft.name.cover", "craft.title.cover", "craft.verb.make", "craft.submitted.cover"},
	{craftReplace, ActReplace, true, "craft.name.replace", "craft.title.replace", "craft.verb.make", "craft.submitted.replace"},
	{craftPersona, ActPersona, true, "craft.name.persona", "craft.title.persona", "craft.verb.make_persona", "craft.submitted.persona"},
	{craftPersonaSong, ActPersonaSong, true, "craft.name.persona_song", "craft.title.persona_song", "craft.verb.make", "craft.submitted.persona_song"},
	{craftStems, ActStems, true, "craft.name.stems", "craft.title.stems", "craft.verb.split", "craft.submitted.stems"},
	// WAV and MP4 say "requested" (craft.asset.requested), upload its own notices.
	{craftWAV, ActWAV, true, "craft.name.wav", "craft.title.wav", "craft.verb.ask", ""},
	{craftMP4, ActMP4, true, "craft.name.mp4", "craft.title.mp4", "craft.verb.ask", ""},
	{craftUpload, ActUpload, true, "craft.name.upload", "craft.title.upload", "craft.verb.upload", ""},
}

func craftInfo(a craftAct) craftAction {
	for _, c := range craftActs {
		if c.act == a {
			return c
		}
	}
	return craftAction{act: a} // not reached: every action is in the table
}

// craftName is the action's name in the language in use.
func craftName(a craftAct) string { return i18n.T(craftInfo(a).name) }

func craftExtended(a craftAct) bool { return craftInfo(a).extended }

// craftVerb is what the dialog's submit key does.
func craftVerb(a craftAct) string { return i18n.T(craftInfo(a).verb) }

// assetKind is the file format a WAV or MP4 request brings (a stable name: it is also how the
// request is followed, and the same in every language).
func assetKind(a craftAct) string {
	if a == craftMP4 {
		return "MP4"
	}
	return "WAV"
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
	return i18n.T("craft.blocked", client.Op(s.Op).Text(), s.At.In(m.loc).Format("01-02 15:04"))
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

// What a dialog's Lyrics check box uses the Lyrics pane's words for.
type lyricsUse int

const (
	lyricsForSong    lyricsUse = iota // the whole song: the hint just counts the lines
	lyricsForSection                  // the replaced section
	lyricsForCover                    // a cover
)

// lyricsCount describes the Lyrics pane's text for a dialog's check box, one whole message
// for each use and for an empty pane.
func (m *Model) lyricsCount(use lyricsUse) string {
	v := strings.TrimSpace(m.lyrics.value())
	n := len(strings.Split(v, "\n"))
	switch {
	case use == lyricsForSection && v == "":
		return i18n.T("craft.hint.section_lyrics_empty")
	case use == lyricsForSection:
		return i18n.N("craft.hint.section_lyrics", n)
	case use == lyricsForCover && v == "":
		return i18n.T("craft.hint.cover_lyrics_empty")
	case use == lyricsForCover:
		return i18n.N("craft.hint.cover_lyrics", n)
	case v == "":
		return i18n.T("craft.lyrics.empty")
	}
	return i18n.N("craft.lyrics.lines", n)
}

// openCraft opens an action's dialog (or says why it cannot).
func (m *Model) openCraft(it craftIntent) tea.Cmd {
	if why := m.craftBlocked(it.act); why != "" {
		m.problem = i18n.T("craft.problem", craftName(it.act), why)
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
		return &formField{key: "lyrics", label: i18n.T("craft.label.lyrics"), kind: ffCheck, on: on,
			onText: i18n.T("craft.check.lyrics_on"), offText: off}
	}
	hasLyrics := strings.TrimSpace(m.lyrics.value()) != ""
	mkKey := func(a Action) string { k, _ := m.keys.short(a); return k }
	style := func(value, placeholder string) *formField {
		return newTextField(st, "tags", i18n.T("craft.label.style"), value, placeholder, 1000)
	}
	titleField := func(placeholder string) *formField {
		return newTextField(st, "title", i18n.T("craft.label.title"), "", placeholder, 100)
	}
	switch it.act {
	case craftExtend:
		f.intro = []string{i18n.T("craft.intro.extend", title, clock(secs(c.duration)))}
		at := newTimeField(st, "at", i18n.T("craft.label.from"), mk.extend, mk.hasExtend)
		at.hint = i18n.T("craft.hint.mark_extend", mkKey(ActMarkExtend), mkKey(ActUsePosition))
		lc := lyricsCheck(hasLyrics, i18n.T("craft.check.lyrics_off_instrumental"))
		lc.hint = m.lyricsCount(lyricsForSong)
		f.fields = []*formField{at,
			style(line(c.tags), i18n.T("craft.placeholder.style_keep")),
			titleField(i18n.T("craft.placeholder.title_keep")),
			lc}
	case craftFullSong:
		f.intro = []string{i18n.T("craft.intro.full_song", title)}
	case craftCover:
		f.intro = []string{i18n.T("craft.intro.cover", title)}
		lc := lyricsCheck(false, i18n.T("craft.check.lyrics_off_own"))
		lc.hint = m.lyricsCount(lyricsForSong)
		f.fields = []*formField{
			style("", i18n.T("craft.placeholder.style_new")),
			titleField(i18n.T("craft.placeholder.title_keep")),
			lc}
	case craftReplace:
		f.intro = []string{i18n.T("craft.intro.replace", title, clock(secs(c.duration)))}
		start := newTimeField(st, "start", i18n.T("craft.label.start"), mk.start, mk.hasStart)
		start.hint = i18n.T("craft.hint.mark_section", mkKey(ActMarkStart), mkKey(ActMarkEnd), mkKey(ActUsePosition))
		end := newTimeField(st, "end", i18n.T("craft.label.end"), mk.end, mk.hasEnd)
		end.hint = start.hint
		lc := lyricsCheck(hasLyrics, i18n.T("craft.check.lyrics_off_none"))
		lc.hint = m.lyricsCount(lyricsForSection)
		f.fields = []*formField{start, end, lc,
			style(line(c.tags), i18n.T("craft.placeholder.style_keep"))}
	case craftPersona:
		f.intro = []string{i18n.T("craft.intro.persona", title)}
		f.fields = []*formField{
			newTextField(st, "name", i18n.T("craft.label.name"), "", i18n.T("craft.placeholder.name"), 100),
			newTextField(st, "about", i18n.T("craft.label.about"), "", i18n.T("craft.placeholder.about"), 500)}
	case craftPersonaSong:
		f.intro = []string{i18n.T("craft.intro.persona_song", title)}
		lc := lyricsCheck(hasLyrics, i18n.T("craft.check.lyrics_off_none"))
		lc.hint = m.lyricsCount(lyricsForSong)
		f.fields = []*formField{
			{key: "persona", label: i18n.T("craft.label.persona"), kind: ffChoice},
			titleField(i18n.T("craft.placeholder.song_title")),
			style(line(c.tags), i18n.T("craft.placeholder.style")),
			lc}
		f.err = i18n.T("craft.personas.reading")
	case craftStems:
		f.intro = []string{i18n.T("craft.intro.stems", title)}
	case craftWAV:
		f.intro = []string{i18n.T("craft.intro.wav", title)}
	case craftMP4:
		f.intro = []string{i18n.T("craft.intro.mp4", title)}
	case craftUpload:
		f.clip = clipInfo{} // works on no clip, so it opens in an empty library too
		f.intro = []string{i18n.T("craft.intro.upload", mkKey(ActCover))}
		addr := newTextField(st, "url", i18n.T("craft.label.url"), "", uploadExample, 2048)
		addr.hint = i18n.T("craft.hint.url")
		cov := &formField{key: "cover", label: i18n.T("craft.label.cover"), kind: ffCheck,
			onText: i18n.T("craft.check.cover_on"), offText: i18n.T("craft.check.cover_off")}
		tags := style("", i18n.T("craft.placeholder.style_cover"))
		tags.hint = i18n.T("craft.hint.cover_style")
		lc := lyricsCheck(false, i18n.T("craft.check.lyrics_off_own"))
		lc.hint = m.lyricsCount(lyricsForCover)
		f.fields = []*formField{addr, cov, tags, titleField(i18n.T("craft.placeholder.cover_title")), lc}
	}
	m.ov = overlay{kind: ovCraft, title: i18n.T(craftInfo(it.act).title), form: f}
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
	// Upload: the address, whether to cover it, and an upload this dialog made already whose
	// cover failed (a retry covers that one instead of uploading the song again).
	url      string
	cover    bool
	uploadID string
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
			f.field("name").err, bad = i18n.T("craft.err.persona_name"), true
		}
	case craftPersonaSong:
		r.persona = f.choice("persona")
		if r.persona == "" {
			f.err, bad = i18n.T("craft.err.no_persona_chosen", actionKey(m.keys, ActPersona)), true
		}
	case craftUpload:
		r.url, r.cover = f.value("url"), f.checked("cover")
		if why := uploadURLProblem(r.url); why != "" {
			f.field("url").err, bad = why, true
		}
		if r.cover && r.o.Tags == "" {
			f.field("tags").err, bad = i18n.T("craft.err.cover_style"), true
		}
		if r.cover && f.uploadID != "" && f.uploadURL == r.url {
			r.uploadID = f.uploadID
		}
	}
	if bad {
		return nil
	}
	f.busy = true
	return craftCmd(m.eng, r)
}

// uploadExample is the example address of an upload (its field's placeholder).
const uploadExample = "https://example.com/song.mp3"

// uploadURLProblem says what is wrong with an upload's address ("" when it will do): the relay
// fetches the file itself, so only a public http(s) address can work.
func uploadURLProblem(s string) string {
	if s == "" {
		return i18n.T("craft.err.url_needed", uploadExample)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return i18n.T("craft.err.url_not_http", s, uploadExample)
	}
	return ""
}

func actionKey(km Keymap, a Action) string {
	k, _ := km.short(a)
	return k
}

// craftMsg is the engine's answer to a dialog's request.
type craftMsg struct {
	req     craftReq
	task    *store.Task
	upload  *store.Task // upload and cover: the upload, also when its cover failed
	path    string      // WAV/MP4 already in the library
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
		case craftUpload:
			switch {
			case !r.cover:
				out.task, out.err = e.Upload(ctx, r.url)
			case r.uploadID != "":
				out.task, out.err = e.Cover(ctx, r.uploadID, r.o)
			default:
				out.upload, out.task, out.err = e.CoverURL(ctx, r.url, r.o)
			}
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

// requestEnded says how a request that gave no reason ended, one message per state.
func requestEnded(status string) string {
	switch status {
	case store.TaskFailed:
		return i18n.T("craft.err.request_failed")
	case store.TaskTimedOut:
		return i18n.T("craft.err.request_timed_out")
	}
	return i18n.T("craft.err.request_ended", studio.TaskStatusWord(status))
}

func assetDoneCmd(st *store.Store, w assetWait, t *store.Task) tea.Cmd {
	return func() tea.Msg {
		out := assetDoneMsg{kind: w.kind}
		if t.Status != store.TaskSucceeded {
			out.err = errors.New(firstNonEmpty(studio.Localize(t.Error), requestEnded(t.Status)))
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
	if msg.upload != nil {
		// The song is uploaded whatever became of its cover: Tasks shows it, and the dialog
		// covers it on a retry rather than uploading it again.
		m.tasks.upsertTask(msg.upload)
		if f != nil {
			f.uploadID, f.uploadURL = msg.upload.ID, msg.req.url
		}
		cmds = append(cmds, m.startTick())
	}
	if msg.err != nil {
		text, field := craftError(msg.req.act, msg.err)
		if msg.upload != nil {
			field = "" // about the cover, not the address
			if f != nil {
				text += " · " + i18n.T("craft.retry_cover", actionKey(m.keys, ActSubmit))
			}
		}
		switch {
		case f != nil && field != "" && f.field(field) != nil:
			f.field(field).err = text
		case f != nil:
			f.err = text
		default:
			m.problem = i18n.T("craft.problem", name, text)
		}
		return tea.Batch(cmds...)
	}
	if f != nil {
		m.ov = overlay{}
	}
	switch {
	case msg.persona != nil:
		m.setNotice(i18n.T("craft.notice.persona_made", line(msg.persona.Name), actionKey(m.keys, ActPersonaSong)))
	case msg.path != "":
		m.setNotice(i18n.T("craft.asset.in_library", name, msg.path))
	case msg.task != nil:
		m.tasks.upsertTask(msg.task)
		m.tasks.selectID(msg.task.ID)
		if msg.req.act == craftWAV || msg.req.act == craftMP4 {
			w := assetWait{clipID: msg.req.clipID, kind: assetKind(msg.req.act)}
			if msg.task.Finished() {
				cmds = append(cmds, assetDoneCmd(m.st, w, msg.task))
			} else {
				m.assets[msg.task.ID] = w
			}
			m.setNotice(i18n.T("craft.asset.requested", name, msg.task.ID))
		} else if msg.req.act == craftUpload {
			switch {
			case !msg.req.cover:
				m.setNotice(i18n.T("craft.notice.uploaded", msg.task.ID))
			case msg.upload != nil:
				m.setNotice(i18n.T("craft.notice.cover_of_upload", msg.task.ID, msg.upload.ID))
			default:
				m.setNotice(i18n.T("craft.notice.cover_of_upload", msg.task.ID, msg.req.uploadID))
			}
		} else {
			m.setNotice(i18n.T(craftInfo(msg.req.act).submitted, msg.task.ID))
		}
		cmds = append(cmds, m.startTick())
	}
	return tea.Batch(cmds...)
}

// craftError is an engine error in words, and the field it belongs to ("" for the dialog).
func craftError(a craftAct, err error) (string, string) {
	switch {
	case errors.Is(err, client.ErrUnsupported):
		return i18n.T("craft.err.unsupported", err.Error()), ""
	case errors.Is(err, studio.ErrBadInput):
		return err.Error(), badInputField(a, err.Error())
	case errors.Is(err, studio.ErrReadOnly):
		return err.Error(), ""
	}
	return i18n.T("craft.err.failed", err.Error()), ""
}

// badInputField is the field an engine refusal is about. The engine's refusals are said in
// the language in use, so they are told apart by its own messages, not by English words: of a
// replace, the ones naming the start of the section are about the start, the rest (its end,
// an end before the start) about the end; of a persona song, the one asking for words is about
// the lyrics, the rest about the persona.
func badInputField(a craftAct, text string) string {
	switch a {
	case craftExtend:
		return "at"
	case craftReplace:
		if strings.Contains(text, i18n.T("studio.what.section_start")) {
			return "start"
		}
		return "end"
	case craftPersona:
		return "name"
	case craftPersonaSong:
		if text == i18n.T("studio.err.persona_song_needs_words") {
			return "lyrics"
		}
		return "persona"
	case craftUpload:
		return "url"
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
		f.err = i18n.T("craft.personas.unreadable", msg.err.Error())
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
		f.err = i18n.T("craft.personas.none", actionKey(m.keys, ActPersona))
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
		m.problem = i18n.T("craft.problem", msg.kind, msg.err.Error())
		return
	}
	m.setNotice(i18n.T("craft.asset.saved", msg.kind, line(msg.title), msg.path))
}

// markKey handles the craft keys the panes leave over (outside text fields): the ones that mark
// points on the playing clip, and upload in a Library with no clip to select (the list hands
// its craft keys over only with a clip selected; upload needs none).
func (m *Model) markKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	km := m.keys
	if m.focus == paneLibrary && km.is(msg, ActUpload) {
		return m.openCraft(craftIntent{act: craftUpload}), true
	}
	// One message per mark: what was marked, and what to do next.
	var nothing, marked string
	switch {
	case km.is(msg, ActMarkExtend):
		nothing, marked = "craft.mark.nothing_playing.extend", "craft.mark.extend"
	case km.is(msg, ActMarkStart):
		nothing, marked = "craft.mark.nothing_playing.start", "craft.mark.start"
	case km.is(msg, ActMarkEnd):
		nothing, marked = "craft.mark.nothing_playing.end", "craft.mark.end"
	default:
		return nil, false
	}
	id := m.plr.st.Track.ID
	pos, ok := m.positionIn(id)
	if !ok {
		m.problem = i18n.T(nothing)
		return nil, true
	}
	mk := m.marks[id]
	if mk == nil {
		mk = &marks{}
		m.marks[id] = mk
	}
	var next string
	switch {
	case km.is(msg, ActMarkExtend):
		mk.extend, mk.hasExtend = pos, true
		next = actionKey(km, ActExtend)
	case km.is(msg, ActMarkStart):
		mk.start, mk.hasStart = pos, true
		next = actionKey(km, ActMarkEnd)
	default:
		mk.end, mk.hasEnd = pos, true
		next = actionKey(km, ActReplace)
	}
	m.setNotice(i18n.T(marked, fmtSeconds(pos), next, line(m.plr.st.Track.Title)))
	return nil, true
}

// craftMenu lists the actions for the details view, greying out what the relay lacks.
func (m *Model) craftMenu(w int) []string {
	st := &m.sty
	var parts []string
	blocked := false
	for _, c := range craftActs {
		if c.act == craftUpload {
			continue // not an action on this clip
		}
		k, d := m.keys.short(c.key)
		if m.craftBlocked(c.act) != "" {
			blocked = true
			parts = append(parts, st.Muted.Render("✗ "+k+" "+d))
			continue
		}
		parts = append(parts, st.Key.Render(k)+" "+d)
	}
	out := []string{st.Accent.Render(i18n.T("craft.menu.title"))}
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
		out = append(out, st.Muted.Render(trunc(i18n.T("craft.menu.greyed"), w)))
	}
	return out
}

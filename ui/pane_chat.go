package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"sunostudio/client"
	"sunostudio/internal/i18n"
	"sunostudio/store"
	"sunostudio/studio"
	"sunostudio/themes"
)

// chatPane is chat mode: a prompt box, the transcript of this session's exchanges with the
// relay's chat model, the state of the answer in flight, and a card for every song the latest
// answer named. The stream itself runs in a Cmd (update_chat.go); this struct only holds what
// arrived and draws it.
type chatPane struct {
	input   textinput.Model
	editing bool // the prompt box has the keyboard; otherwise the keys move among the cards

	// Prompt history, oldest first, persisted as the "chat_history" setting. histAt is the
	// entry in the prompt box; len(hist) stands for the text being written (histDraft).
	hist      []string
	histAt    int
	histDraft string

	log    transcript
	follow bool // stick to the bottom as text arrives (scrolling up stops it, the bottom resumes)
	top    int  // first transcript line shown while not following
	viewH  int  // transcript lines in the last frame: the page size for scrolling

	cards   []*chatCard
	byID    map[string]*chatCard
	sel     int
	cardTop int
	// Where things were drawn in the last frame (body lines), for the mouse.
	cardAt  []int // body line -> card index, -1 for none
	promptY int

	lastClickID string
	lastClickAt time.Time

	// The latest exchange. seq numbers streams: a message of an older stream is dropped.
	seq      int
	active   bool // the answer is streaming
	stopped  bool // esc stopped it
	started  time.Time
	lastAt   time.Time // when text last arrived (or the stream started)
	got      int       // bytes of ChatUpdate.Shown received
	waiting  bool      // a long silence (or nothing yet): "waiting for the relay… 12 s"
	frameDue bool      // a frame tick is scheduled: new text waits for it
	progress int
	phase    string
	taskID   string
	pend     chatPending
	// status is how the exchange stands or ended, shown under the transcript; when the next
	// prompt is sent it moves into the transcript as a note.
	status     string
	statusKind lineKind
	headline   string // the outcome in a word or two, for the border
}

// chatPending is what arrived since the last frame (coalescing: one render per frame, not
// per rune).
type chatPending struct {
	text  strings.Builder
	clips []client.Clip // the latest list of clips found, when it changed
	dirty bool
}

// chatCard is one song named in the answer: what the text said, then what the library says
// (the engine records every clip the moment the text names it, and follows it from there).
type chatCard struct {
	id, title, tags, lyric string
	status, download, err  string
	stream, audio, video   string
	cover                  string
	got, total             int64
}

const chatHistoryMax = 200

func newChatPane() chatPane {
	in := textinput.New()
	in.Prompt = "› "
	in.CharLimit = 2000
	return chatPane{input: in, editing: true, follow: true, byID: map[string]*chatCard{}}
}

func (p *chatPane) setStyles(st *themes.Styles) {
	p.input.SetStyles(inputStyles(st, st.Accent))
}

func (p *chatPane) setWidth(w int) {
	p.log.setWidth(w)
	p.input.SetWidth(max(1, w-width(p.input.Prompt)-1))
}

// promptView is the prompt box.
func (p *chatPane) promptView() string { return inputView(&p.input, i18n.T("chat.placeholder")) }

func (p *chatPane) setEditing(on bool) tea.Cmd {
	p.editing = on
	if on {
		return p.input.Focus()
	}
	p.input.Blur()
	return nil
}

// Intents the root carries out.
type (
	chatSendIntent struct{ prompt string }
	chatStopIntent struct{}
)

func (p *chatPane) handleKey(km Keymap, msg tea.KeyPressMsg) (bool, any, tea.Cmd) {
	// In the prompt box a binding that is a plain character is text.
	is := func(a Action) bool { return km.is(msg, a) && !(p.editing && typed(msg)) }
	page := max(1, p.viewH-1)
	switch {
	case p.active && is(ActChatStop):
		return true, chatStopIntent{}, nil
	case is(ActPageUp):
		p.scroll(-page)
		return true, nil, nil
	case is(ActPageDown):
		p.scroll(page)
		return true, nil, nil
	}
	if p.editing {
		switch {
		case is(ActBack):
			return true, nil, p.setEditing(false)
		case is(ActChatSend):
			return true, chatSendIntent{p.input.Value()}, nil
		case is(ActHistPrev):
			p.histMove(-1)
			return true, nil, nil
		case is(ActHistNext):
			p.histMove(1)
			return true, nil, nil
		}
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		return true, nil, cmd
	}
	switch {
	case is(ActUp):
		p.selectCard(p.sel - 1)
	case is(ActDown):
		p.selectCard(p.sel + 1)
	case is(ActPlay):
		if c := p.selected(); c != nil {
			return true, playIntent{c.id}, nil
		}
		return true, nil, p.setEditing(true) // no songs: enter goes back to writing
	case is(ActQueue):
		if c := p.selected(); c != nil {
			return true, queueIntent{c.id}, nil
		}
	case is(ActChatPrompt):
		return true, nil, p.setEditing(true)
	case is(ActChatRerun):
		if n := len(p.hist); n > 0 {
			return true, chatSendIntent{p.hist[n-1]}, nil
		}
	case is(ActTop):
		p.follow, p.top = false, 0
	case is(ActBottom):
		p.follow = true
	default:
		return false, nil, nil
	}
	return true, nil, nil
}

// scroll moves the transcript; reaching the bottom follows the text again.
func (p *chatPane) scroll(d int) {
	maxTop := max(0, p.log.count()-p.viewH)
	cur := p.top
	if p.follow {
		cur = maxTop
	}
	p.top = max(0, min(maxTop, cur+d))
	p.follow = p.top >= maxTop
}

func (p *chatPane) histMove(d int) {
	at := p.histAt + d
	if at < 0 || at > len(p.hist) {
		return
	}
	if p.histAt == len(p.hist) {
		p.histDraft = p.input.Value() // keep what was being written
	}
	p.histAt = at
	if at == len(p.hist) {
		p.input.SetValue(p.histDraft)
	} else {
		p.input.SetValue(p.hist[at])
	}
	p.input.CursorEnd()
}

// remember adds a sent prompt to the history (an earlier copy moves to the end) and returns a
// copy to persist.
func (p *chatPane) remember(prompt string) []string {
	h := make([]string, 0, len(p.hist)+1)
	for _, x := range p.hist {
		if x != prompt {
			h = append(h, x)
		}
	}
	h = append(h, prompt)
	if len(h) > chatHistoryMax {
		h = h[len(h)-chatHistoryMax:]
	}
	p.hist, p.histAt, p.histDraft = h, len(h), ""
	return slices.Clone(h)
}

// loadedHistory merges the saved history under prompts already sent in this session.
func (p *chatPane) loadedHistory(saved []string) {
	sent := p.hist
	p.hist = nil
	for _, s := range saved {
		if s = strings.TrimSpace(s); s != "" {
			p.hist = append(p.hist, s)
		}
	}
	for _, s := range sent {
		p.remember(s)
	}
	if len(p.hist) > chatHistoryMax {
		p.hist = p.hist[len(p.hist)-chatHistoryMax:]
	}
	p.histAt, p.histDraft = len(p.hist), ""
}

// begin starts a new exchange: the previous one's outcome becomes a note in the transcript,
// the prompt is echoed, the cards are the new answer's.
func (p *chatPane) begin(id int, prompt string, now time.Time) {
	if p.status != "" {
		p.log.addPara(p.status, p.statusKind)
	}
	p.log.blank()
	p.log.addPara("› "+line(prompt), linePrompt)
	p.seq, p.active, p.stopped = id, true, false
	p.started, p.lastAt, p.got = now, now, 0
	p.waiting, p.frameDue = true, false
	p.progress, p.phase, p.taskID = 0, "", ""
	p.pend = chatPending{}
	p.cards, p.byID, p.sel, p.cardTop = nil, map[string]*chatCard{}, 0, 0
	p.status, p.statusKind, p.headline = "", lineNote, ""
	p.follow = true
	p.input.SetValue("")
}

// take records an update of the current stream without drawing it (see flush).
func (p *chatPane) take(u client.ChatUpdate, now time.Time) {
	if u.Shown != "" {
		p.got += len(u.Shown)
		p.pend.text.WriteString(chatText(u.Shown))
		p.lastAt = now
		p.waiting = false
	}
	if u.Clips != nil {
		p.pend.clips = u.Clips
	}
	if u.Progress != 0 || u.Phase != "" {
		p.progress, p.phase = u.Progress, u.Phase
	}
	p.pend.dirty = true
}

// chatText makes relay text safe to draw: no control sequences, tabs as spaces.
func chatText(s string) string {
	s = clean(s)
	if strings.IndexByte(s, '\t') >= 0 {
		s = strings.ReplaceAll(s, "\t", "    ")
	}
	return s
}

// flush applies what arrived since the last frame: the text to the transcript (wrapping only
// the new tail) and the clips to the cards. row looks a clip up in the library list.
func (p *chatPane) flush(row func(id string) *libRow) {
	if !p.pend.dirty {
		return
	}
	if p.pend.text.Len() > 0 {
		p.log.add(p.pend.text.String(), lineText)
		p.pend.text.Reset()
	}
	for _, c := range p.pend.clips {
		p.fromText(c, row)
	}
	p.pend.clips = nil
	p.pend.dirty = false
}

// fromText adds or updates the card of a clip the text names.
func (p *chatPane) fromText(x client.Clip, row func(id string) *libRow) {
	if x.ID == "" {
		return
	}
	c, ok := p.byID[x.ID]
	if !ok {
		c = &chatCard{id: x.ID}
		p.byID[x.ID] = c
		p.cards = append(p.cards, c)
		// The engine stored the clip before the text reached us, and its events may have
		// come first: start from the library's state.
		if r := row(x.ID); r != nil {
			c.status, c.download = r.Status, r.Download
			c.title, c.tags = r.Title, r.Tags
		}
	}
	set(&c.title, x.Title)
	set(&c.tags, x.Tags)
	if l := firstLyric(x.Lyrics); l != "" {
		c.lyric = l
	}
	set(&c.stream, x.StreamURL)
	set(&c.audio, x.AudioURL)
	set(&c.video, x.VideoURL)
	set(&c.cover, firstNonEmpty(x.ImageURL, x.ImageLargeURL))
	c.status = furthest(c.status, string(x.Status))
	set(&c.err, studio.Localize(x.Error))
}

// fromLibrary applies a ClipUpdated event; it reports whether the clip has a card.
func (p *chatPane) fromLibrary(x *store.Clip) bool {
	c, ok := p.byID[x.ID]
	if !ok {
		return false
	}
	set(&c.title, x.Title)
	set(&c.tags, x.Tags)
	if l := firstLyric(x.Lyrics); l != "" {
		c.lyric = l
	}
	set(&c.stream, x.StreamURL)
	set(&c.audio, x.AudioURL)
	set(&c.video, x.VideoURL)
	set(&c.cover, x.ImageURL)
	c.status, c.download = x.Status, x.Download // the library has merged everything: it is the truth
	c.err = studio.Localize(firstNonEmpty(x.Error, x.DownloadError))
	return true
}

// downloadProgress applies a DownloadProgress event; it reports whether a card's percentage
// changed.
func (p *chatPane) downloadProgress(id string, got, total int64) bool {
	c, ok := p.byID[id]
	if !ok {
		return false
	}
	old := pct(c.got, c.total)
	c.got, c.total = got, total
	if c.download == "" || c.download == store.DownloadPending {
		c.download = store.DownloadActive
	}
	return pct(got, total) != old
}

func set(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// furthest is the later of two clip states (the text and the library may each be ahead).
func furthest(a, b string) string {
	rank := func(s string) int {
		switch s {
		case store.ClipQueued:
			return 1
		case store.ClipStreaming:
			return 2
		case store.ClipComplete, store.ClipFailed:
			return 3
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// firstLyric is the first sung line: not a [Section] marker, not blank.
func firstLyric(s string) string {
	for l := range strings.SplitSeq(s, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !(strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]")) {
			return l
		}
	}
	return ""
}

func (p *chatPane) selected() *chatCard {
	if p.sel >= 0 && p.sel < len(p.cards) {
		return p.cards[p.sel]
	}
	return nil
}

func (p *chatPane) selectCard(i int) {
	if len(p.cards) == 0 {
		return
	}
	p.sel = max(0, min(len(p.cards)-1, i))
}

func (p *chatPane) help() []Action {
	switch {
	case p.editing && p.active:
		return []Action{ActChatStop, ActPageUp, ActHistPrev, ActNextPane}
	case p.editing:
		return []Action{ActChatSend, ActHistPrev, ActHistNext, ActBack, ActPageUp}
	case len(p.cards) > 0:
		return []Action{ActChatPrompt, ActPlay, ActQueue, ActUp, ActDown, ActChatRerun}
	}
	return []Action{ActChatPrompt, ActChatRerun, ActPageUp, ActBottom}
}

// header is the pane's state in its top border.
func (p *chatPane) header(now time.Time) string {
	switch {
	case p.active && p.waiting:
		return i18n.T("chat.header.waiting", p.silence(now))
	case p.active:
		return i18n.T("chat.header.streaming", sizeText(p.got))
	case p.stopped:
		return i18n.T("chat.header.stopped")
	}
	return p.headline
}

// silence is how long (whole seconds) nothing has arrived.
func (p *chatPane) silence(now time.Time) int {
	return int(max(0, now.Sub(p.lastAt)) / time.Second)
}

func sizeText(n int) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.1f KB", float64(n)/1024)
}

// chatPhaseWord names the client's phase (a stable English word: queued, generating,
// complete) in the user's language; a word the client does not promise is shown as it came.
func chatPhaseWord(phase string) string {
	switch phase {
	case "":
		return ""
	case "queued":
		return i18n.T("chat.phase.queued")
	case "generating":
		return i18n.T("chat.phase.generating")
	case "complete":
		return i18n.T("chat.phase.complete")
	}
	return line(phase)
}

// statusLines are the lines under the transcript: the waiting state with its elapsed time,
// the stream's progress, or how the exchange ended (an error in words).
func (p *chatPane) statusLines(st *themes.Styles, w int, now time.Time) []string {
	var out []string
	switch {
	case p.active && p.waiting:
		s := i18n.T("chat.waiting", p.silence(now))
		if p.got > 0 {
			s = i18n.T("chat.quiet", p.silence(now))
		}
		out = append(out, st.Warn.Render(trunc(s, w)))
	case p.active && (p.progress > 0 || p.phase != ""):
		// The header says it streams; this line adds how far the relay says the songs are.
		var s string
		switch ph := chatPhaseWord(p.phase); {
		case p.progress > 0 && ph != "":
			s = i18n.T("chat.streaming_pct_phase", p.progress, ph)
		case p.progress > 0:
			s = i18n.T("chat.streaming_pct", p.progress)
		case ph != "":
			s = i18n.T("chat.streaming_phase", ph)
		default:
			s = i18n.T("chat.streaming")
		}
		out = append(out, st.Muted.Render(trunc(s, w)))
	case p.status != "":
		style := st.OK
		switch p.statusKind {
		case lineError:
			style = st.Error
		case lineNote:
			style = st.Muted
		}
		for i, l := range wrap(line(p.status), w) {
			if i == 4 {
				break
			}
			out = append(out, style.Render(l))
		}
	}
	if !p.follow {
		if below := p.log.count() - (p.top + p.viewH); below > 0 {
			out = append(out, st.Muted.Render(trunc(i18n.N("chat.below", below), w)))
		}
	}
	return out
}

// view draws the pane body: transcript, status, cards, prompt (bottom up, the transcript
// takes what is left).
func (p *chatPane) view(st *themes.Styles, w, h int, focused bool, now time.Time) []string {
	p.setWidth(w)
	p.cardAt = p.cardAt[:0]
	if h <= 0 {
		return nil
	}
	prompt := p.promptView()
	status := p.statusLines(st, w, now)
	avail := h - 1
	status = status[:min(len(status), max(0, avail-1))]
	avail -= len(status)
	cards := p.cardLines(st, w, focused, avail/2)
	th := max(0, avail-len(cards))
	p.viewH = th

	out := make([]string, 0, h)
	out = append(out, p.transcriptLines(st, w, th)...)
	out = append(out, status...)
	for range len(out) {
		p.cardAt = append(p.cardAt, -1)
	}
	for _, cl := range cards {
		out = append(out, cl.s)
		p.cardAt = append(p.cardAt, cl.card)
	}
	p.promptY = len(out)
	out = append(out, prompt)
	return padLines(out, w, h)
}

func (p *chatPane) transcriptLines(st *themes.Styles, w, th int) []string {
	if th == 0 {
		return nil
	}
	total := p.log.count()
	if total == 0 {
		// Wrapped like the transcript: a Chinese hint breaks between characters, never before
		// closing punctuation (wrap breaks only at spaces); English wraps as it always did.
		ls, _ := wrapPara(i18n.T("chat.hint"), w)
		for i := range ls {
			ls[i] = st.Muted.Render(ls[i])
		}
		return padLines(ls[:min(len(ls), th)], w, th)
	}
	maxTop := max(0, total-th)
	if p.follow {
		p.top = maxTop
	} else {
		p.top = min(p.top, maxTop)
	}
	out := make([]string, 0, th)
	for i := p.top; i < min(total, p.top+th); i++ {
		l := p.log.line(i)
		switch l.kind {
		case linePrompt:
			out = append(out, st.Accent.Render(l.s))
		case lineNote:
			out = append(out, st.Muted.Render(l.s))
		case lineError:
			out = append(out, st.Error.Render(l.s))
		default:
			out = append(out, l.s)
		}
	}
	for len(out) < th {
		out = append(out, "")
	}
	return out
}

type cardLine struct {
	s    string
	card int
}

// cardLines draws the cards in at most limit lines, keeping the selected card in sight.
func (p *chatPane) cardLines(st *themes.Styles, w int, focused bool, limit int) []cardLine {
	if len(p.cards) == 0 || limit < 2 {
		return nil
	}
	p.sel = max(0, min(len(p.cards)-1, p.sel))
	expand := focused && !p.editing
	head := i18n.N("chat.cards_head", len(p.cards))
	out := []cardLine{{st.Muted.Render(head + strings.Repeat("─", max(0, w-width(head)))), -1}}
	// Keep the selected card in the window.
	if p.sel < p.cardTop {
		p.cardTop = p.sel
	}
	for {
		n := 0
		for i := p.cardTop; i <= p.sel; i++ {
			n += p.cardHeight(i, expand)
		}
		if n <= limit-1 || p.cardTop >= p.sel {
			break
		}
		p.cardTop++
	}
	for i := p.cardTop; i < len(p.cards) && len(out) < limit; i++ {
		for _, l := range p.card(st, i, w, expand) {
			if len(out) == limit {
				break
			}
			out = append(out, cardLine{l, i})
		}
	}
	return out
}

func (p *chatPane) cardHeight(i int, expand bool) int {
	if expand && i == p.sel {
		return 3 + len(p.cards[i].links())
	}
	return 3
}

// links are the card's id and media links, each with its label.
func (c *chatCard) links() [][2]string {
	if c.id == "" {
		return c.media()
	}
	return append([][2]string{{"id", c.id}}, c.media()...)
}

// media are the card's media links that exist, each with its label.
func (c *chatCard) media() [][2]string {
	var out [][2]string
	for _, l := range [][2]string{{i18n.T("chat.link.stream"), c.stream}, {i18n.T("chat.link.audio"), c.audio},
		{i18n.T("chat.link.video"), c.video}, {i18n.T("chat.link.cover"), c.cover}} {
		if l[1] != "" {
			out = append(out, l)
		}
	}
	return out
}

// linkLabelWidth is the column the expanded card's labels are padded to: the widest label, by
// cells (a Chinese label is two cells a character).
func linkLabelWidth() int {
	n := width("id")
	for _, k := range []string{"chat.link.stream", "chat.link.audio", "chat.link.video", "chat.link.cover"} {
		n = max(n, width(i18n.T(k)))
	}
	return n
}

// card draws one song: title and state; tags and the first lyric line; id and which media
// exist; the selected card in the cards view also lists its links.
func (p *chatPane) card(st *themes.Styles, i, w int, expand bool) []string {
	c := p.cards[i]
	sel := i == p.sel
	mark := "  "
	if sel {
		mark = "▸ "
	}
	title := line(c.title)
	if title == "" {
		title = st.Muted.Render(i18n.T("chat.untitled"))
	}
	first := spread(mark+title, " "+c.state(st), w)
	if sel && expand {
		first = st.Selected.Render(fit(stripStyles(first), w))
	}
	var second []string
	if c.tags != "" {
		second = append(second, st.Muted.Render(line(c.tags)))
	}
	if c.lyric != "" {
		second = append(second, line(c.lyric))
	}
	var have []string
	for _, l := range c.media() {
		have = append(have, l[0])
	}
	links := st.Muted.Render(i18n.T("chat.no_links"))
	if len(have) > 0 {
		links = strings.Join(have, st.Muted.Render(" · "))
	}
	third := spread(links, " "+st.Muted.Render(shortID(c.id)), w-2)
	out := []string{first, "  " + trunc(strings.Join(second, st.Muted.Render(" · ")), w-2), "  " + third}
	if expand && sel {
		lw := linkLabelWidth()
		for _, l := range c.links() {
			out = append(out, "  "+st.Muted.Render(fit(l[0], lw)+" ")+trunc(line(l[1]), w-3-lw))
		}
	}
	return out
}

// state is the card's status in words: queued, streaming (playable now), complete, failed,
// and how the download into the library goes.
func (c *chatCard) state(st *themes.Styles) string {
	switch {
	case c.status == store.ClipFailed:
		s := i18n.T("chat.card.failed")
		if c.err != "" {
			s = i18n.T("chat.card.failed_because", trunc(line(c.err), 24))
		}
		return st.Error.Render(s)
	case c.download == store.DownloadDone:
		return st.OK.Render(i18n.T("chat.card.in_library"))
	case c.download == store.DownloadActive:
		if p := pct(c.got, c.total); p >= 0 {
			return st.Warn.Render(fmt.Sprintf("↓ %d%%", p))
		}
		return st.Warn.Render(i18n.T("chat.card.downloading"))
	case c.download == store.DownloadFailed:
		return st.Error.Render(i18n.T("chat.card.download_failed"))
	case c.status == store.ClipComplete:
		return st.OK.Render(i18n.T("chat.card.complete"))
	case c.status == store.ClipStreaming:
		return st.Accent.Render(i18n.T("chat.card.streaming"))
	case c.status == store.ClipQueued:
		return st.Warn.Render(i18n.T("chat.card.queued"))
	}
	return st.Muted.Render(i18n.T("chat.card.named"))
}

func shortID(id string) string {
	id = line(id)
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

package client

import (
	"encoding/json"
	"html"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file turns the free text of the chat dialect (relay-api.md 5.3) into clips, as the text
// arrives. Relays stream it one rune per SSE event (Suno-API), so the parser must be cheap per
// delta: Feed only appends to the pending partial line, and each line is parsed exactly once,
// when its newline arrives (or at Close). Nothing is ever re-scanned.
//
// The formats seen in the wild, all handled by the same line rules below:
//
//	(a) Suno-API's html/template: "###🎵 歌曲名：", "**模型版本：**", "**歌词：**" + lyrics, then
//	    one block per clip from "**版本ID： ** <id>" (duration, tags, cover/audio/video links).
//	(b) Suno2openai: a ```suno echo of the prompt, "- **🧩 ID1️⃣**：<id>" lists, 歌名/类型,
//	    "### 📖 完整歌词" + a fenced block, audiopipe then cdn links numbered 1️⃣/2️⃣, 🎵 ticks.
//	(c) sunotoapi: "# <title>", bare lyrics, "## 版本一" sections with bare "音频链接：<url>".
//	(d) gcui: "## Song Title:", "![Song Cover](…)", "### Lyrics:", "### Listen to the song: <url>".
//
// Values that a format gives once (title, tags, lyrics, model outside any clip block) are
// shared by every clip; values inside a clip's block belong to that clip and win.

// chatMaxLine bounds the pending partial line. A relay that never sends a newline (or a hostile
// one) must not make us buffer without limit, so a line longer than this is parsed in pieces:
// the front of the line is cut at the last space of the window (URLs and HTML entities hold no
// spaces, so they stay whole) and parsed as if it were a line of its own. The cut depends only
// on the bytes of the window, so the result is the same whatever the delta sizes were. 64 KiB
// is far above any real line (a whole format (a) answer is ~2 KB) and keeps memory bounded.
const chatMaxLine = 64 << 10

// chatEntityWindow is how far back from a forced cut an '&' may start an entity that the cut
// would split (the longest HTML5 entity name is 33 bytes).
const chatEntityWindow = 40

type chatMode uint8

const (
	chatNormal       chatMode = iota
	chatLyricsStart           // after a lyrics label: the next line opens a fence or starts the text
	chatLyricsPlain           // unfenced lyrics, until a markdown label or heading line
	chatLyricsFenced          // inside a ``` block that holds the lyrics
	chatFenceIgnored          // inside any other ``` block (Suno2openai's echoed prompt): skipped
)

// chatText accumulates lyrics line by line. Blank lines are written only when more text follows,
// so the lyrics never end with the blank lines that separate them from the next label.
type chatText struct {
	b      strings.Builder
	blanks int
	// implicit marks text taken from the lines after a "# title" heading (format (c)); an
	// explicit lyrics label replaces it.
	implicit bool
}

func (t *chatText) add(line string) bool {
	line = strings.TrimRight(line, " \t\r")
	if strings.TrimSpace(line) == "" {
		if t.b.Len() > 0 {
			t.blanks++
		}
		return false
	}
	if t.b.Len() > 0 {
		t.b.WriteByte('\n')
		for ; t.blanks > 0; t.blanks-- {
			t.b.WriteByte('\n')
		}
	}
	t.b.WriteString(line)
	return true
}

// chatClip is what the text said about one clip so far.
type chatClip struct {
	id                 string
	title, tags, model string
	lyrics             chatText
	stream, audio      string
	video              string
	image, imageLarge  string
	duration           float64
	failed             bool
	err                string
}

// chatImages holds covers seen before their clip (format (d) shows the cover first). Covers do
// not create clips: Suno may name a cover after another clip (an extension's parent).
type chatImages struct{ image, large string }

// ChatParser extracts clips from the streamed content of the chat dialect. It is not safe for
// concurrent use; one parser reads one stream.
type ChatParser struct {
	pending []byte          // the raw (still escaped) partial last line
	text    strings.Builder // the unescaped text of the lines already parsed
	rev     uint64          // bumped on every change a caller can observe besides Text

	clips   []*chatClip
	byID    map[string]*chatClip
	ordinal map[int]*chatClip // "ID1️⃣" / "[1]" / "## 版本一" number -> clip
	orphans map[string]chatImages

	// Shared values, given once for all clips.
	title, tags, model string
	lyrics             chatText

	mode    chatMode
	lyr     *chatText // where lyrics lines go; nil drops them (a second lyrics section)
	block   *chatClip // the clip whose "版本ID" block (or bound section) the lines describe
	section int       // a "## 版本N" section whose clip is not known yet
	lastID  bool      // the previous non-blank line was an ID line (a list of ids, not a block)

	violation  string // Suno2openai's "### 🚨 违规": every unfinished clip failed
	wantReason bool   // the line after the violation heading explains it

	err     string
	percent int
	phase   string
}

// NewChatParser returns a parser for one chat answer.
func NewChatParser() *ChatParser {
	return &ChatParser{
		byID:    make(map[string]*chatClip),
		ordinal: make(map[int]*chatClip),
		orphans: make(map[string]chatImages),
		percent: -1,
	}
}

// Feed appends one content delta (raw, possibly HTML-escaped; a partial line, URL or entity is
// normal) and parses the lines it completes. It reports whether the clips, title, tags, lyrics,
// error or progress changed. The cost is O(len(delta)) amortised.
func (p *ChatParser) Feed(delta string) (changed bool) {
	before := p.rev
	for len(delta) > 0 {
		i := strings.IndexByte(delta, '\n')
		if i < 0 {
			p.pending = append(p.pending, delta...)
			p.cutLongLine()
			break
		}
		p.pending = append(p.pending, delta[:i]...)
		p.cutLongLine()
		p.endLine(true)
		delta = delta[i+1:]
	}
	return p.rev != before
}

// Close parses the pending partial line: the end of the stream, with or without [DONE].
// Suno-API's "timeout" and its error JSON arrive without a newline, so they show only here.
func (p *ChatParser) Close() (changed bool) {
	before := p.rev
	if len(p.pending) > 0 {
		p.endLine(false)
	}
	return p.rev != before
}

// Text returns the HTML-unescaped text so far, including the partial last line.
func (p *ChatParser) Text() string {
	if len(p.pending) == 0 {
		return p.text.String()
	}
	return p.text.String() + html.UnescapeString(string(p.pending))
}

// Err returns the error the relay wrote into the content, "" if none.
func (p *ChatParser) Err() string { return p.err }

// Progress returns the latest percentage seen (-1 if none) and the latest phase named in the
// text: "queued", "generating", "complete", or "".
func (p *ChatParser) Progress() (percent int, phase string) { return p.percent, p.phase }

// Clips returns copies of the clips found so far, in order of first appearance of each id.
func (p *ChatParser) Clips() []Clip {
	out := make([]Clip, 0, len(p.clips))
	for _, c := range p.clips {
		out = append(out, p.export(c))
	}
	return out
}

func (p *ChatParser) export(c *chatClip) Clip {
	pick := func(own, shared string) string {
		if own != "" {
			return own
		}
		return shared
	}
	out := Clip{
		ID:            c.id,
		Title:         pick(c.title, p.title),
		Tags:          pick(c.tags, p.tags),
		Lyrics:        pick(c.lyrics.b.String(), p.lyrics.b.String()),
		Model:         pick(c.model, p.model),
		AudioURL:      c.audio,
		StreamURL:     c.stream,
		VideoURL:      c.video,
		ImageURL:      c.image,
		ImageLargeURL: c.imageLarge,
		Duration:      c.duration,
		Error:         c.err,
	}
	// A final URL and a failure exclude each other (fail and setMedia keep the first), so the
	// order here only matters for the violation, which never undoes a finished clip.
	switch {
	case c.audio != "":
		out.Status = ClipComplete
	case c.failed:
		out.Status = ClipFailed
	case p.violation != "":
		out.Status = ClipFailed
		out.Error = p.violation
	case c.stream != "":
		out.Status = ClipStreaming
	default:
		out.Status = ClipQueued
	}
	return out
}

// cutLongLine parses the front of an over-long pending line in place (see chatMaxLine).
func (p *ChatParser) cutLongLine() {
	if len(p.pending) <= chatMaxLine {
		return
	}
	start := 0
	for len(p.pending)-start > chatMaxLine {
		n := chatCutPoint(p.pending[start:])
		p.parseRaw(string(p.pending[start:start+n]), false)
		start += n
	}
	rest := p.pending[start:]
	if cap(p.pending) > 4*chatMaxLine {
		// One huge delta grew the buffer; do not keep megabytes for a 64 KiB tail.
		p.pending = append(make([]byte, 0, 2*chatMaxLine), rest...)
		return
	}
	p.pending = append(p.pending[:0], rest...)
}

// chatCutPoint picks where to cut b (len(b) > chatMaxLine), looking only at its first
// chatMaxLine bytes and the byte after them.
func chatCutPoint(b []byte) int {
	for i := chatMaxLine - 1; i >= chatMaxLine/2; i-- {
		if b[i] == ' ' || b[i] == '\t' {
			return i + 1
		}
	}
	n := chatMaxLine
	// Do not cut an entity in two: stop before an '&' that has no ';' after it yet.
	for i := n - 1; i >= n-chatEntityWindow; i-- {
		if b[i] == ';' {
			break
		}
		if b[i] == '&' {
			n = i
			break
		}
	}
	// Do not cut a rune in two (a run of invalid bytes just gets cut).
	for k := 0; k < utf8.UTFMax && n > 1 && !utf8.RuneStart(b[n]); k++ {
		n--
	}
	return n
}

func (p *ChatParser) endLine(newline bool) {
	raw := string(p.pending)
	p.pending = p.pending[:0]
	p.parseRaw(raw, newline)
}

// parseRaw unescapes one line (or a piece of an over-long one) and parses it. Entities never
// span a newline, so unescaping line by line equals unescaping the whole text.
func (p *ChatParser) parseRaw(raw string, newline bool) {
	text := raw
	if strings.IndexByte(raw, '&') >= 0 {
		text = html.UnescapeString(raw)
	}
	p.text.WriteString(text)
	if newline {
		p.text.WriteByte('\n')
	}
	p.parseLine(strings.TrimSuffix(text, "\r"))
}

func (p *ChatParser) parseLine(line string) {
	trimmed := strings.TrimSpace(line)
	switch p.mode {
	case chatFenceIgnored:
		if chatIsFence(trimmed) {
			p.mode = chatNormal
		}
		return
	case chatLyricsFenced:
		if chatIsFence(trimmed) {
			p.mode, p.lyr = chatNormal, nil
			return
		}
		if !chatTickOnly(trimmed) {
			p.addLyric(line)
		}
		return
	case chatLyricsStart:
		if trimmed == "" || chatTickOnly(trimmed) {
			return
		}
		if chatIsFence(trimmed) {
			p.mode = chatLyricsFenced
			return
		}
		if chatEndsLyrics(trimmed) {
			p.mode, p.lyr = chatNormal, nil
			break
		}
		p.mode = chatLyricsPlain
		p.addLyric(line)
		return
	case chatLyricsPlain:
		if chatTickOnly(trimmed) {
			return
		}
		if chatEndsLyrics(trimmed) {
			p.mode, p.lyr = chatNormal, nil
			break
		}
		p.addLyric(line)
		return
	}
	p.parseNormal(trimmed)
}

func (p *ChatParser) addLyric(line string) {
	if p.lyr != nil && p.lyr.add(line) {
		p.rev++
	}
}

// parseNormal reads one trimmed line outside lyrics and fences.
func (p *ChatParser) parseNormal(trimmed string) {
	// Keep-alive ticks: Suno-API's 🎵 run straight into the next text ("🎵🎵🎵***",
	// "🎵🎵timeout"), Suno2openai's end a line now and then, old Suno2openai wrote dots.
	s := chatStripTicks(trimmed)
	if s == "" || chatDotsOnly(s) {
		return // no information; a blank line does not end a list of ID lines either
	}
	prevID := p.lastID
	p.lastID = false

	if chatIsFence(s) {
		p.mode = chatFenceIgnored
		return
	}
	if s[0] == '{' && s[len(s)-1] == '}' {
		if msg, ok := chatJSONError(s); ok {
			p.setErr(msg)
			return
		}
	}
	if strings.EqualFold(s, "timeout") {
		p.setErr("timeout: the relay stopped waiting for Suno")
		return
	}
	if strings.Contains(s, "请选择suno-v3") {
		// Suno2openai's answer to an unknown model name, followed by [DONE].
		p.setErr(s)
		return
	}

	level := chatHeadingLevel(s)
	body := chatBody(s)
	if p.wantReason && level == 0 {
		p.wantReason = false
		p.setViolation("内容违规 (content policy): " + strings.ReplaceAll(body, "`", ""))
		return
	}
	if level > 0 && strings.Contains(body, "违规") {
		p.wantReason = true
		p.setViolation("内容违规 (content policy): the prompt was rejected")
		return
	}
	if level > 0 || chatIsRule(s) {
		// A heading or a rule ends a clip block; "## 版本二" opens the next one.
		p.block = nil
		p.section = 0
		if level > 0 {
			p.section = chatSection(body)
		}
	}

	urls := chatFindURLs(s)
	ids, firstID := chatBareUUIDs(s, urls)
	// A clip number belongs to the label ("音乐2️⃣：", "歌曲① <url>", "歌曲id[1] :"), never to
	// a value ("歌名：①号").
	labelEnd := len(s)
	if len(urls) > 0 {
		labelEnd = urls[0][0]
	}
	if firstID >= 0 && firstID < labelEnd {
		labelEnd = firstID
	}
	if i := strings.IndexAny(s[:labelEnd], ":："); i >= 0 {
		labelEnd = i
	}
	ord := chatOrdinal(s[:labelEnd])

	isID := len(ids) > 0 && chatHasIDLabel(s[:firstID])
	labelled := false
	if isID {
		p.handleIDs(ids, ord, prevID)
	} else {
		labelled = p.handleLabel(level, body, ord)
	}
	for _, u := range urls {
		p.handleURL(s[u[0]:u[1]], ord, s)
	}
	if !isID && !labelled {
		p.scanProgress(s, urls)
	}
	p.lastID = isID
}

// handleIDs reads "**版本ID： ** <id>", "- **🧩 ID1️⃣**：<id>", "**歌曲id[1]** : <id>".
func (p *ChatParser) handleIDs(ids []string, ord int, prevID bool) {
	for _, id := range ids {
		p.clip(id)
	}
	if len(ids) != 1 {
		p.block = nil
		return
	}
	c := p.byID[ids[0]]
	switch {
	case ord > 0:
		// A numbered list of ids (format (b)): later lines name clips by number.
		if p.ordinal[ord] == nil {
			p.ordinal[ord] = c
		}
		p.block = nil
	case p.section > 0:
		p.bindSection(c)
	case prevID:
		// Two ID lines in a row are a list, not the start of a clip's block.
		p.block = nil
	default:
		p.block = c
	}
}

func (p *ChatParser) bindSection(c *chatClip) {
	p.block = c
	if p.ordinal[p.section] == nil {
		p.ordinal[p.section] = c
	}
	p.section = 0
}

// attrib finds the clip a line without its own clip id describes: the clip numbered on the
// line (音乐2️⃣), else the clip block or section the line is in.
func (p *ChatParser) attrib(ord int) *chatClip {
	if ord > 0 {
		return p.byOrdinal(ord)
	}
	if p.block != nil {
		return p.block
	}
	if p.section > 0 {
		if c := p.byOrdinal(p.section); c != nil {
			p.bindSection(c)
			return c
		}
	}
	return nil
}

func (p *ChatParser) byOrdinal(n int) *chatClip {
	if c := p.ordinal[n]; c != nil {
		return c
	}
	if n <= len(p.clips) {
		return p.clips[n-1]
	}
	return nil
}

// handleLabel reads "label：value" lines and lyrics headings; it reports whether the line was one.
func (p *ChatParser) handleLabel(level int, body string, ord int) bool {
	label, value, ok := chatSplitLabel(body)
	kind := chatLabelNone
	if ok {
		kind = chatLabelKind(label)
	}
	if kind == chatLabelNone && level > 0 && chatLabelKind(chatNormLabel(body)) == chatLabelLyrics {
		kind, value = chatLabelLyrics, "" // "### 📖 完整歌词"
	}
	target := p.attrib(ord)
	switch kind {
	case chatLabelTitle:
		p.setField(target, value, func(c *chatClip) *string { return &c.title }, &p.title)
	case chatLabelTags:
		p.setField(target, value, func(c *chatClip) *string { return &c.tags }, &p.tags)
	case chatLabelModel:
		p.setField(target, value, func(c *chatClip) *string { return &c.model }, &p.model)
	case chatLabelDuration:
		if target == nil && len(p.clips) == 1 {
			target = p.clips[0]
		}
		if d, ok := chatParseDuration(value); ok && target != nil && target.duration != d {
			target.duration = d
			p.rev++
		}
	case chatLabelLyrics:
		p.startLyrics(target, false)
		if value != "" {
			p.mode = chatLyricsPlain // old Suno2openai: "**歌词**:[Verse]" then the rest
			p.addLyric(value)
		} else {
			p.mode = chatLyricsStart
		}
	default:
		if level == 1 && p.title == "" {
			// Format (c): "# <title>", then the lyrics without any label.
			if t := chatCleanValue(strings.TrimLeft(strings.ReplaceAll(body, "**", ""), "# ")); t != "" {
				p.title = t
				p.rev++
				p.startLyrics(nil, true)
				p.mode = chatLyricsStart
				return true
			}
		}
		return false
	}
	return true
}

// setField sets a title, tags or model: the clip's own when the line is in a clip's block,
// the shared one otherwise. The first value wins: later mentions are echoes.
func (p *ChatParser) setField(c *chatClip, value string, field func(*chatClip) *string, shared *string) {
	v := chatCleanValue(value)
	if v == "" {
		return
	}
	dst := shared
	if c != nil {
		dst = field(c)
	}
	if *dst == "" {
		*dst = v
		p.rev++
	}
}

func (p *ChatParser) startLyrics(c *chatClip, implicit bool) {
	t := &p.lyrics
	if c != nil {
		t = &c.lyrics
	}
	switch {
	case t.b.Len() > 0 && (implicit || !t.implicit):
		p.lyr = nil // the first explicit lyrics win; implicit ones never overwrite
	default:
		if t.b.Len() > 0 {
			t.b.Reset()
			t.blanks = 0
			p.rev++
		}
		t.implicit = implicit
		p.lyr = t
	}
}

// handleURL files one URL of the line under its clip.
func (p *ChatParser) handleURL(u string, ord int, line string) {
	kind, id := chatClassifyURL(u)
	switch kind {
	case chatURLStream, chatURLAudio, chatURLVideo:
		var c *chatClip
		if id != "" {
			c = p.clip(id)
			if p.block == nil && p.section > 0 {
				p.bindSection(c)
			}
		} else {
			c = p.attrib(ord) // a relay CDN name without the id
		}
		if c != nil {
			p.setMedia(c, kind, u)
		}
	case chatURLImage, chatURLImageLarge:
		if kind == chatURLImage && chatSaysLarge(line) {
			kind = chatURLImageLarge
		}
		c := p.attrib(ord)
		if c == nil && id != "" {
			if c = p.byID[id]; c == nil {
				im := p.orphans[id]
				if kind == chatURLImageLarge {
					im.large = u
				} else {
					im.image = u
				}
				p.orphans[id] = im
				return
			}
		}
		if c != nil {
			p.setMedia(c, kind, u)
		}
	case chatURLFailed:
		// None.mp3 carries no id: it is the clip this block or numbered line describes.
		if c := p.attrib(ord); c != nil {
			p.fail(c)
		} else {
			p.setErr(chatNoneMsg)
		}
	}
}

const chatNoneMsg = "Suno returned no audio (None.mp3): the generation failed or the prompt was rejected"

func (p *ChatParser) setMedia(c *chatClip, kind chatURLKind, u string) {
	var dst *string
	switch kind {
	case chatURLStream:
		dst = &c.stream
	case chatURLAudio:
		if c.failed {
			return // the first terminal state stays
		}
		dst = &c.audio
	case chatURLVideo:
		dst = &c.video
	case chatURLImage:
		dst = &c.image
	case chatURLImageLarge:
		dst = &c.imageLarge
	default:
		return
	}
	if *dst != u {
		*dst = u
		p.rev++
	}
}

func (p *ChatParser) fail(c *chatClip) {
	if c.audio != "" || c.failed {
		return
	}
	c.failed = true
	c.err = chatNoneMsg
	p.rev++
	p.setErr("clip " + c.id + ": " + chatNoneMsg)
}

// clip returns the clip with this (lowercase) id, creating it on first sight.
func (p *ChatParser) clip(id string) *chatClip {
	if c := p.byID[id]; c != nil {
		return c
	}
	c := &chatClip{id: id}
	if im, ok := p.orphans[id]; ok {
		c.image, c.imageLarge = im.image, im.large
		delete(p.orphans, id)
	}
	p.clips = append(p.clips, c)
	p.byID[id] = c
	p.rev++
	return c
}

func (p *ChatParser) setErr(msg string) {
	if msg != "" && msg != p.err {
		p.err = msg
		p.rev++
	}
}

func (p *ChatParser) setViolation(msg string) {
	if msg != p.violation {
		p.violation = msg
		p.rev++
	}
	p.setErr(msg)
}

func (p *ChatParser) scanProgress(s string, urls [][2]int) {
	t := s
	if len(urls) > 0 {
		// Percent-encoding in URLs ("%20") is not progress.
		var b strings.Builder
		prev := 0
		for _, u := range urls {
			b.WriteString(s[prev:u[0]])
			b.WriteByte(' ')
			prev = u[1]
		}
		b.WriteString(s[prev:])
		t = b.String()
	}
	if pct, ok := chatPercent(t); ok && pct != p.percent {
		p.percent = pct
		p.rev++
	}
	if ph := chatPhase(t); ph != "" && ph != p.phase {
		p.phase = ph
		p.rev++
	}
}

// ---- line helpers ----

func chatIsFence(t string) bool { return strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") }

func chatIsTick(r rune) bool {
	return r == '🎵' || r == '🎶' || r == '\uFE0F' || unicode.IsSpace(r)
}

func chatTickOnly(t string) bool {
	return t != "" && strings.TrimLeftFunc(t, chatIsTick) == ""
}

func chatStripTicks(t string) string { return strings.TrimLeftFunc(t, chatIsTick) }

func chatDotsOnly(s string) bool {
	return strings.TrimLeft(s, ".…·。 ") == ""
}

func chatIsRule(s string) bool {
	if len(s) < 3 {
		return false
	}
	c := s[0]
	if c != '*' && c != '-' && c != '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != c && s[i] != ' ' {
			return false
		}
	}
	return true
}

// chatEndsLyrics tells a markdown label, heading, link or rule line from a line of lyrics.
func chatEndsLyrics(t string) bool {
	for _, pre := range [...]string{"#", "**", "- **", "* **", "![", "```", "~~~"} {
		if strings.HasPrefix(t, pre) {
			return true
		}
	}
	return chatIsRule(t) || strings.Contains(t, "://")
}

func chatHeadingLevel(s string) int {
	n := 0
	for n < len(s) && s[n] == '#' {
		n++
	}
	if n > 6 {
		return 0
	}
	return n
}

// chatBody strips the markdown and decoration around a label: bold markers, heading marks,
// list markers and leading emoji ("- **🤖 歌名**：x" -> "歌名：x").
func chatBody(s string) string {
	if strings.Contains(s, "**") {
		s = strings.ReplaceAll(s, "**", "")
	}
	s = strings.TrimSpace(strings.TrimLeft(s, "#"))
	for len(s) >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+' || s[0] == '>') && s[1] == ' ' {
		s = strings.TrimSpace(s[2:])
	}
	return strings.TrimLeftFunc(s, chatIsDecoration)
}

// chatIsDecoration is an emoji or symbol in front of a label (🧩, 🎵, ⭐, 🖼️, keycap marks).
func chatIsDecoration(r rune) bool {
	return unicode.IsSpace(r) || unicode.In(r, unicode.So, unicode.Sk, unicode.Sm, unicode.Mn, unicode.Me, unicode.Cf, unicode.Co) ||
		r == utf8.RuneError
}

func chatSplitLabel(body string) (label, value string, ok bool) {
	i := strings.IndexAny(body, ":：")
	if i < 0 || i > 64 {
		return "", "", false
	}
	sep := 1
	if body[i] != ':' {
		sep = len("：")
	}
	return chatNormLabel(body[:i]), strings.TrimSpace(body[i+sep:]), true
}

// chatNormLabel keeps only the letters of a label, lower-cased: "🧩 ID1️⃣" -> "id",
// "Song Title" -> "songtitle", "歌曲id[1]" -> "歌曲id".
func chatNormLabel(l string) string {
	var b strings.Builder
	for _, r := range l {
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

type chatLabel uint8

const (
	chatLabelNone chatLabel = iota
	chatLabelTitle
	chatLabelTags
	chatLabelLyrics
	chatLabelModel
	chatLabelDuration
)

func chatLabelKind(l string) chatLabel {
	switch l {
	case "歌名", "歌曲名", "歌曲名称", "曲名", "标题", "songtitle", "songname", "title":
		return chatLabelTitle
	case "风格", "类型", "曲风", "标签", "风格标签", "style", "styles", "tags", "tag", "genre":
		return chatLabelTags
	case "歌词", "完整歌词", "lyrics", "lyric":
		return chatLabelLyrics
	case "模型版本", "模型", "model", "modelversion", "modelname":
		return chatLabelModel
	case "音乐时长", "歌曲时长", "时长", "duration":
		return chatLabelDuration
	}
	return chatLabelNone
}

func chatCleanValue(v string) string {
	v = strings.TrimSpace(strings.ReplaceAll(v, "**", ""))
	return strings.TrimSpace(strings.Trim(v, "`"))
}

// chatSection reads the number of a "## 版本一" / "## Version 2" heading (0 if it is not one).
func chatSection(body string) int {
	if rest, ok := strings.CutPrefix(body, "版本"); ok {
		r, _ := utf8.DecodeRuneInString(rest)
		if i := strings.IndexRune("一二三四五六七八九十", r); i >= 0 && r != utf8.RuneError {
			return i/len("一") + 1
		}
		if r >= '1' && r <= '9' {
			return int(r - '0')
		}
		return 0
	}
	if len(body) > 7 && strings.EqualFold(body[:7], "version") {
		rest := strings.TrimSpace(body[7:])
		if rest != "" && rest[0] >= '1' && rest[0] <= '9' {
			return int(rest[0] - '0')
		}
	}
	return 0
}

// chatOrdinal finds a clip number in a label: a keycap (1️⃣), a circled digit (①) or [1].
func chatOrdinal(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '1' && c <= '9':
			rest := strings.TrimPrefix(s[i+1:], "\uFE0F")
			if strings.HasPrefix(rest, "\u20E3") {
				return int(c - '0')
			}
		case c == '[' && i+2 < len(s) && s[i+1] >= '1' && s[i+1] <= '9' && s[i+2] == ']':
			return int(s[i+1] - '0')
		}
	}
	for _, r := range s {
		if r >= '①' && r <= '⑨' {
			return int(r-'①') + 1
		}
	}
	return 0
}

// chatHasIDLabel tells a clip id line ("版本ID", "ID1️⃣", "歌曲id[1]", "clip_id") from a uuid
// that is something else (a task or request id).
func chatHasIDLabel(prefix string) bool {
	l := strings.ToLower(prefix)
	for _, not := range [...]string{"task", "任务", "request", "请求", "user", "用户", "persona", "trace"} {
		if strings.Contains(l, not) {
			return false
		}
	}
	if strings.Contains(l, "uuid") || strings.Contains(l, "编号") {
		return true
	}
	for i := 0; i+1 < len(l); i++ {
		if l[i] != 'i' || l[i+1] != 'd' || (i > 0 && chatIsASCIILetter(l[i-1])) {
			continue
		}
		if i+2 >= len(l) || !chatIsASCIILetter(l[i+2]) || l[i+2] == 's' {
			return true
		}
	}
	return false
}

func chatIsASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// ---- UUIDs and URLs ----

func chatIsHex(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f'
}

func chatIsAlnum(c byte) bool { return c >= '0' && c <= '9' || chatIsASCIILetter(c) }

// chatUUIDAt reports whether a UUID (any case) starts at s[i] and stands alone.
func chatUUIDAt(s string, i int) bool {
	if i+36 > len(s) || i > 0 && chatIsAlnum(s[i-1]) || i+36 < len(s) && chatIsAlnum(s[i+36]) {
		return false
	}
	if s[i+8] != '-' || s[i+13] != '-' || s[i+18] != '-' || s[i+23] != '-' {
		return false
	}
	for j := 0; j < 36; j++ {
		if j == 8 || j == 13 || j == 18 || j == 23 {
			continue
		}
		if !chatIsHex(s[i+j]) {
			return false
		}
	}
	return true
}

// chatNextUUID returns the index of the first UUID in s at or after from, or -1.
func chatNextUUID(s string, from int) int {
	for i := from; i+36 <= len(s); i++ {
		if s[i+8] == '-' && chatUUIDAt(s, i) {
			return i
		}
	}
	return -1
}

func chatFirstUUID(s string) string {
	if i := chatNextUUID(s, 0); i >= 0 {
		return strings.ToLower(s[i : i+36])
	}
	return ""
}

// chatBareUUIDs returns the distinct UUIDs of s outside its URLs, and where the first starts.
func chatBareUUIDs(s string, urls [][2]int) (ids []string, first int) {
	first = -1
	for i := chatNextUUID(s, 0); i >= 0; i = chatNextUUID(s, i+36) {
		inURL := false
		for _, u := range urls {
			if i >= u[0] && i < u[1] {
				inURL = true
				break
			}
		}
		if inURL {
			continue
		}
		if first < 0 {
			first = i
		}
		id := strings.ToLower(s[i : i+36])
		dup := false
		for _, x := range ids {
			dup = dup || x == id
		}
		if !dup {
			ids = append(ids, id)
		}
	}
	return ids, first
}

// chatURLByte is a byte that may be part of a URL in this text: ASCII, no space, and none of
// the characters that close markdown links, autolinks, quotes or code.
func chatURLByte(c byte) bool {
	return c > ' ' && c < 0x7f && strings.IndexByte(")]>\"'`<{}|\\^", c) < 0
}

// chatFindURLs returns the spans of the http(s) URLs of s, trailing punctuation trimmed.
func chatFindURLs(s string) [][2]int {
	var out [][2]int
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], "://")
		if i < 0 {
			break
		}
		i += from
		from = i + 3
		start := -1
		switch {
		case i >= 5 && strings.EqualFold(s[i-5:i], "https"):
			start = i - 5
		case i >= 4 && strings.EqualFold(s[i-4:i], "http"):
			start = i - 4
		}
		if start < 0 {
			continue
		}
		end := i + 3
		for end < len(s) && chatURLByte(s[end]) {
			end++
		}
		for end > i+3 && strings.IndexByte(".,;:!?*", s[end-1]) >= 0 {
			end--
		}
		if end > i+3 {
			out = append(out, [2]int{start, end})
			from = end
		}
	}
	return out
}

type chatURLKind uint8

const (
	chatURLOther chatURLKind = iota
	chatURLStream
	chatURLAudio
	chatURLVideo
	chatURLImage
	chatURLImageLarge
	chatURLFailed
)

// chatClassifyURL tells what a URL is by its shape, never by its host (relays rehost media on
// their own CDNs, the simulator serves 127.0.0.1), and returns the clip id it names, if any.
func chatClassifyURL(u string) (chatURLKind, string) {
	rest := u[strings.Index(u, "://")+3:]
	host, pathq := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		host, pathq = rest[:i], rest[i:]
	}
	path, query := pathq, ""
	if i := strings.IndexAny(pathq, "?#"); i >= 0 {
		path, query = pathq[:i], pathq[i:]
	}
	base := path[strings.LastIndexByte(path, '/')+1:]
	lbase := strings.ToLower(base)

	lquery := strings.ToLower(query)
	if i := strings.Index(lquery, "item_id="); i >= 0 {
		if id := chatFirstUUID(query[i+len("item_id="):]); id != "" {
			return chatURLStream, id
		}
	}
	if strings.Contains(strings.ToLower(host), "audiopipe") || strings.Contains(strings.ToLower(path), "audiopipe") {
		if id := chatFirstUUID(pathq); id != "" {
			return chatURLStream, id
		}
	}
	if strings.HasPrefix(lbase, "none.") {
		return chatURLFailed, ""
	}
	id := chatFirstUUID(base)
	if id == "" {
		id = chatFirstUUID(path)
	}
	ext := ""
	if i := strings.LastIndexByte(lbase, '.'); i >= 0 {
		ext = lbase[i:]
	}
	switch ext {
	case ".mp3", ".wav", ".m4a", ".flac", ".ogg", ".opus", ".aac":
		return chatURLAudio, id
	case ".m3u8":
		return chatURLStream, id
	case ".mp4", ".webm", ".mov", ".m4v":
		return chatURLVideo, id
	case ".png", ".jpg", ".jpeg", ".webp", ".gif":
		if strings.HasPrefix(lbase, "image_large_") {
			return chatURLImageLarge, id
		}
		return chatURLImage, id
	}
	return chatURLOther, id
}

// chatSaysLarge reads the alt text of a cover whose file name does not say its size
// (Suno2openai's "![image_large_url](…)", old Suno2openai's "![封面图片_大](…)").
func chatSaysLarge(line string) bool {
	l := strings.ToLower(line)
	i := strings.Index(l, "://")
	if i >= 0 {
		l = l[:i]
	}
	return strings.Contains(l, "large") || strings.Contains(l, "_大") || strings.Contains(l, "大图")
}

// ---- values ----

// chatPercentRe finds "45%", "45.5 %", "45％".
var chatPercentRe = regexp.MustCompile(`(\d{1,3})(?:\.\d+)?\s?(?:%|％)`)

func chatPercent(s string) (int, bool) {
	if !strings.Contains(s, "%") && !strings.Contains(s, "％") {
		return 0, false
	}
	best, found := 0, false
	for _, m := range chatPercentRe.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > 0 && (s[m[0]-1] >= '0' && s[m[0]-1] <= '9' || s[m[0]-1] == '.') {
			continue // "1234%" or "1.5%"'s tail
		}
		n, err := strconv.Atoi(s[m[2]:m[3]])
		if err == nil && n <= 100 {
			best, found = n, true
		}
	}
	return best, found
}

// chatPhase returns the phase whose keyword appears last in s.
func chatPhase(s string) string {
	l := strings.ToLower(s)
	best, at := "", -1
	for _, k := range [...]struct{ word, phase string }{
		{"排队", "queued"}, {"queu", "queued"}, {"等待中", "queued"},
		{"生成中", "generating"}, {"正在生成", "generating"}, {"创作中", "generating"},
		{"generating", "generating"}, {"creating", "generating"}, {"in progress", "generating"},
		{"完成", "complete"}, {"complete", "complete"}, {"finished", "complete"},
	} {
		if i := strings.LastIndex(l, k.word); i > at {
			best, at = k.phase, i
		}
	}
	return best
}

// chatParseDuration reads "128.92秒", "187.16", "2:08" or "128.92s".
func chatParseDuration(v string) (float64, bool) {
	end := 0
	for end < len(v) && (v[end] >= '0' && v[end] <= '9' || v[end] == '.' || v[end] == ':') {
		end++
	}
	num := v[:end]
	if num == "" {
		return 0, false
	}
	if m, s, ok := strings.Cut(num, ":"); ok {
		mi, err1 := strconv.Atoi(m)
		sf, err2 := strconv.ParseFloat(s, 64)
		if err1 != nil || err2 != nil || mi < 0 || sf < 0 || sf >= 60 {
			return 0, false
		}
		return float64(mi)*60 + sf, true
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f <= 0 || f > 24*3600 {
		return 0, false
	}
	return f, true
}

// chatJSONError reads an error object a relay wrote into the content: OpenAI's
// {"error":{"message":…}}, {"error":"…"}, the task dialect's {"code":…,"message":…},
// Suno-API's RelayError {"StatusCode":500,"Code":"…","Err":{}}, sunotoapi's
// {"error_code":…,"error_msg":…}, FastAPI's {"detail":…}. Other JSON is not an error.
func chatJSONError(s string) (string, bool) {
	var m map[string]any
	if json.Unmarshal([]byte(s), &m) != nil {
		return "", false
	}
	str := func(v any) string {
		switch x := v.(type) {
		case string:
			return strings.TrimSpace(x)
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		return ""
	}
	switch e := m["error"].(type) {
	case string:
		if e != "" {
			return e, true
		}
	case map[string]any:
		for _, k := range [...]string{"message", "code", "type"} {
			if v := str(e[k]); v != "" {
				return v, true
			}
		}
		return TextRelayError, true
	}
	for _, k := range [...]string{"error_msg", "error_message", "detail"} {
		if v := str(m[k]); v != "" {
			return v, true
		}
	}
	if code := str(m["Code"]); code != "" {
		msg := code
		if e := str(m["Err"]); e != "" {
			msg = e + " (" + code + ")"
		}
		if st := str(m["StatusCode"]); st != "" {
			msg += " (HTTP " + st + ")"
		}
		return msg, true
	}
	code := str(m["code"])
	msg := str(m["message"])
	if msg == "" {
		msg = str(m["msg"])
	}
	switch strings.ToLower(code) {
	case "", "success", "0", "200":
		return "", false
	}
	if msg != "" {
		return msg + " (" + code + ")", true
	}
	return code, true
}

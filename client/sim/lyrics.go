package sim

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Text generation: titles, lyrics and style tags derived deterministically from the prompt, so
// that the offline demo feels like Suno (a Chinese prompt gets a Chinese title and lyrics) and
// tests can predict nothing more than "same prompt, same song".

// simKeyword matches the test keywords (sim:policy, sim:never, sim:fail, sim:format=b) that
// select behaviours; they are removed before any text is derived from a prompt.
var simKeyword = regexp.MustCompile(`(?i)\bsim:[a-z_]+(=[A-Za-z0-9_.-]+)?`)

// fate is what will happen to a task, chosen by keywords in the request text.
type fate int

const (
	fateNormal fate = iota
	fatePolicy      // content-policy rejection: clips end in error with None.mp3
	fateNever       // stays IN_PROGRESS forever
	fateFail        // fails quickly with a fail_reason
)

func fateOf(texts ...string) fate {
	all := strings.ToLower(strings.Join(texts, "\n"))
	switch {
	case strings.Contains(all, "sim:fail"):
		return fateFail
	case strings.Contains(all, "sim:policy"):
		return fatePolicy
	case strings.Contains(all, "sim:never"):
		return fateNever
	}
	return fateNormal
}

// cleanPrompt strips the sim keywords and collapses whitespace.
func cleanPrompt(s string) string {
	s = simKeyword.ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(s), " ")
}

// hasCJK reports whether the text contains Han characters (then the song is in Chinese).
func hasCJK(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

var enStop = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "to": true, "in": true,
	"on": true, "for": true, "with": true, "about": true, "song": true, "songs": true, "music": true,
	"make": true, "write": true, "me": true, "my": true, "i": true, "is": true, "it": true,
	"that": true, "this": true, "some": true, "please": true, "track": true, "style": true,
	"like": true, "into": true, "from": true, "at": true, "by": true, "be": true, "we": true,
	"you": true, "your": true, "our": true, "are": true, "was": true, "very": true, "sung": true,
	"sing": true, "lyrics": true, "instrumental": true, "create": true, "generate": true,
}

// enTheme returns the content words of an English prompt, in order.
func enTheme(prompt string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(prompt), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}) {
		w = strings.Trim(w, "'")
		if len(w) < 3 || enStop[w] {
			continue
		}
		out = append(out, w)
	}
	return out
}

var zhFiller = []string{"一首", "歌曲", "中文", "关于", "主题", "的歌", "帮我", "写", "请", "生成", "创作", "音乐", "纯音乐"}

// zhTheme picks a short Chinese theme from a prompt: the text after 主题：, else the longest
// remaining run of Han characters.
func zhTheme(prompt string) string {
	if i := strings.Index(prompt, "主题"); i >= 0 {
		rest := strings.TrimLeft(prompt[i+len("主题"):], ":： ")
		run := []rune{}
		for _, r := range rest {
			if !unicode.Is(unicode.Han, r) {
				break
			}
			run = append(run, r)
		}
		if len(run) >= 1 && len(run) <= 8 {
			return string(run)
		}
	}
	best := ""
	for _, run := range strings.FieldsFunc(prompt, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
		for _, f := range zhFiller {
			run = strings.ReplaceAll(run, f, "")
		}
		run = strings.TrimSuffix(strings.TrimPrefix(run, "的"), "的")
		if n := len([]rune(run)); n >= 2 && n > len([]rune(best)) {
			best = run
		}
	}
	if r := []rune(best); len(r) > 6 {
		best = string(r[len(r)-6:])
	}
	return best
}

var (
	enTitles = []string{"Electric Dreams", "City Lights", "Midnight Drive", "Golden Hour", "Paper Moon",
		"Neon Rain", "Summer Static", "Northern Wind", "Slow Motion", "Velvet Skies"}
	zhTitles = []string{"夏夜晚风", "星河漫步", "城市之光", "雨后彩虹", "旧时光", "月光小巷", "风的方向", "追光者"}

	enVerse = []string{
		"Walking through the {w} at night", "Every step a little light", "I can hear the {w} calling",
		"Holding on and never falling", "Streetlights hum a quiet tune", "Dancing underneath the moon",
		"All the {w} we left behind", "Echoes running through my mind", "Windows glowing, hearts awake",
		"Every promise that we make", "Counting stars above the {w}", "Waiting for the dawn to come",
	}
	enChorus = []string{
		"Oh, {w}, take me higher", "Set my heart on fire", "We are young, we are free",
		"{W}, that's all we need", "Sing it loud, sing it true", "Every road leads back to you",
		"Hold me close, don't let go", "Feel the rhythm, feel the glow",
	}
	zhVerse = []string{
		"走过{w}的街角", "晚风轻轻在吹", "路灯把影子拉长", "心跳跟着节拍", "我们笑着唱着",
		"时间慢慢地走", "{w}藏在心里", "一起看过的天空", "回忆像一首歌", "脚步追着月光",
		"窗外的雨停了", "你在我的身旁",
	}
	zhChorus = []string{
		"啦啦啦 {w}的旋律", "让快乐飞向天际", "我们一起唱下去", "不管明天在哪里",
		"{w}就在这里", "手牵手不分离", "把心情交给风", "唱给最爱的你",
	}

	styles = []string{"acoustic", "anthemic", "atmospheric", "bouncy", "chill", "dreamy", "electronic",
		"emotional", "epic", "groovy", "heartfelt", "melodic", "mellow", "powerful", "smooth", "uplifting"}
	genres = []string{"ballad", "bedroom pop", "blues", "city pop", "dance", "disco", "dream pop", "edm",
		"folk", "funk", "house", "indie", "j-pop", "jazz", "k-pop", "lo-fi", "pop", "punk", "r&b", "reggae",
		"rock", "soul", "synthpop", "synthwave", "trap"}
	zhStyleWords = map[string]string{"欢快": "upbeat", "摇滚": "rock", "民谣": "folk", "流行": "pop",
		"电子": "electronic", "爵士": "jazz", "说唱": "rap", "抒情": "ballad", "悲伤": "sad", "古风": "chinese traditional",
		"轻快": "upbeat", "温柔": "gentle", "热血": "epic", "舞曲": "dance"}
)

// enSmall are words kept lowercase inside an English title.
var enSmall = map[string]bool{"a": true, "an": true, "the": true, "of": true, "and": true, "in": true,
	"on": true, "at": true, "to": true, "for": true, "with": true, "my": true, "your": true}

// enLead are words skipped at the start of a prompt when it becomes a title.
var enLead = map[string]bool{"a": true, "an": true, "the": true, "song": true, "songs": true, "write": true,
	"make": true, "create": true, "generate": true, "me": true, "please": true, "some": true, "track": true}

// enTitlePhrase picks the words of an English title: what follows "about" if the prompt has it,
// else the start of the prompt, up to the first punctuation, at most four words.
func enTitlePhrase(p string) []string {
	first := p
	if i := strings.IndexAny(p, ",.;:!?\n"); i >= 0 {
		first = p[:i]
	}
	words := strings.Fields(first)
	for i, w := range words {
		if strings.EqualFold(w, "about") && i+1 < len(words) {
			words = words[i+1:]
			break
		}
	}
	for len(words) > 0 && enLead[strings.ToLower(words[0])] {
		words = words[1:]
	}
	var out []string
	for _, w := range words {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
		if w != "" {
			out = append(out, w)
		}
	}
	if len(out) > 4 {
		out = out[:4]
	}
	return out
}

// songTitle derives a title from a description or lyrics prompt.
func songTitle(seed, prompt string) string {
	p := cleanPrompt(prompt)
	r := seedRand("title:" + seed + p)
	if hasCJK(p) {
		if t := zhTheme(p); t != "" {
			return t
		}
		return zhTitles[r.IntN(len(zhTitles))]
	}
	if strings.HasPrefix(p, "[") { // lyrics: name the song after its first sung line
		for _, line := range strings.Split(p, "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "[") {
				p = line
				break
			}
		}
	}
	words := enTitlePhrase(p)
	if len(words) == 0 {
		return enTitles[r.IntN(len(enTitles))]
	}
	for i, w := range words {
		if i > 0 && enSmall[strings.ToLower(w)] {
			words[i] = strings.ToLower(w)
		} else {
			words[i] = titleCase(w)
		}
	}
	return strings.Join(words, " ")
}

// enThemeWord is the word the lyrics revolve around: the last content word of the title phrase
// (usually a noun: "winter rain" -> "rain", "cats" -> "cats").
func enThemeWord(p string) string {
	words := enTitlePhrase(p)
	for i := len(words) - 1; i >= 0; i-- {
		w := strings.ToLower(words[i])
		if len(w) >= 3 && !enStop[w] && !strings.Contains(w, "'") {
			return w
		}
	}
	if ws := enTheme(p); len(ws) > 0 {
		return ws[len(ws)-1]
	}
	return "night"
}

func titleCase(w string) string {
	rs := []rune(w)
	if len(rs) == 0 {
		return w
	}
	rs[0] = unicode.ToUpper(rs[0])
	return string(rs)
}

// songLyrics writes lyrics with [Verse] / [Chorus] sections in the prompt's language.
func songLyrics(seed, prompt string) string {
	p := cleanPrompt(prompt)
	r := seedRand("lyrics:" + seed + p)
	zh := hasCJK(p)
	verse, chorus := enVerse, enChorus
	theme := []string{enThemeWord(p)}
	if zh {
		verse, chorus = zhVerse, zhChorus
		theme = []string{"夏天"}
		if t := zhTheme(p); t != "" {
			theme = []string{t}
		}
	}
	fill := func(line string, i int) string {
		w := theme[i%len(theme)]
		line = strings.ReplaceAll(line, "{W}", titleCase(w))
		return strings.ReplaceAll(line, "{w}", w)
	}
	pick := func(bank []string, n int) []string {
		idx := r.Perm(len(bank))[:n]
		out := make([]string, n)
		for i, j := range idx {
			out[i] = fill(bank[j], i)
		}
		return out
	}
	v1, v2, ch := pick(verse, 4), pick(verse, 4), pick(chorus, 4)
	var b strings.Builder
	section := func(name string, lines []string) {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString("[" + name + "]\n")
		b.WriteString(strings.Join(lines, "\n"))
	}
	section("Verse", v1)
	section("Chorus", ch)
	section("Verse 2", v2)
	section("Chorus", ch)
	return b.String()
}

// songTags picks style tags: genre words found in the prompt first, then seeded choices.
func songTags(seed, prompt string) string {
	p := strings.ToLower(cleanPrompt(prompt))
	r := seedRand("tags:" + seed + p)
	var tags []string
	seen := map[string]bool{}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	// Map iteration order is random: walk the keys sorted so the tags stay deterministic.
	zhKeys := make([]string, 0, len(zhStyleWords))
	for k := range zhStyleWords {
		zhKeys = append(zhKeys, k)
	}
	sort.Strings(zhKeys)
	for _, zh := range zhKeys {
		if strings.Contains(p, zh) {
			add(zhStyleWords[zh])
		}
	}
	words := " " + strings.Join(strings.FieldsFunc(p, func(r rune) bool {
		return !unicode.IsLetter(r) && r != '&' && r != '-'
	}), " ") + " "
	for _, g := range genres {
		if strings.Contains(words, " "+g+" ") {
			add(g)
		}
	}
	if len(tags) > 3 {
		tags = tags[:3]
	}
	add(styles[r.IntN(len(styles))])
	if len(tags) < 2 {
		add(genres[r.IntN(len(genres))])
	}
	if hasCJK(prompt) {
		add("mandarin")
	}
	return strings.Join(tags, " ")
}

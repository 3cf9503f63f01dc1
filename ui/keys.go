package ui

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Action is a stable name for something a key does. These names are what config.toml's
// [keys] table binds ("play_pause = \"space,p\""), so they never change meaning.
type Action string

// Global actions: they work from every pane (outside text fields unless they use ctrl).
const (
	ActQuit        Action = "quit"
	ActSubmit      Action = "submit"
	ActNextPane    Action = "next_pane"
	ActPrevPane    Action = "prev_pane"
	ActHelp        Action = "help"
	ActBack        Action = "back"
	ActPlayPause   Action = "play_pause"
	ActNextTrack   Action = "next_track"
	ActPrevTrack   Action = "prev_track"
	ActSeekFwd     Action = "seek_forward"
	ActSeekBack    Action = "seek_back"
	ActVolUp       Action = "volume_up"
	ActVolDown     Action = "volume_down"
	ActMute        Action = "mute"
	ActRepeat      Action = "repeat"
	ActShuffle     Action = "shuffle"
	ActFocusCreate Action = "focus_create"
	ActFocusLyrics Action = "focus_lyrics"
	ActFocusTasks  Action = "focus_tasks"
	ActFocusLib    Action = "focus_library"
	ActFocusChat   Action = "focus_chat"
)

// List actions (tasks, library, overlays).
const (
	ActUp       Action = "up"
	ActDown     Action = "down"
	ActTop      Action = "top"
	ActBottom   Action = "bottom"
	ActPageUp   Action = "page_up"
	ActPageDown Action = "page_down"
)

// Pane actions.
const (
	ActFieldPrev  Action = "field_prev"
	ActFieldNext  Action = "field_next"
	ActToggle     Action = "toggle"
	ActEdit       Action = "edit"
	ActPickModel  Action = "pick_model"
	ActSwitchMode Action = "switch_mode"

	ActWriteLyrics Action = "write_lyrics"
	ActUndoLyrics  Action = "undo_lyrics"
	ActIntro       Action = "insert_intro"
	ActVerse       Action = "insert_verse"
	ActPreChorus   Action = "insert_prechorus"
	ActChorus      Action = "insert_chorus"
	ActBridge      Action = "insert_bridge"
	ActOutro       Action = "insert_outro"

	ActRetry     Action = "retry"
	ActRecheck   Action = "recheck"
	ActShowClips Action = "show_clips"

	ActFilter   Action = "filter"
	ActPlay     Action = "play"
	ActQueue    Action = "queue"
	ActFavorite Action = "favorite"
	ActDetails  Action = "details"
	ActDelete   Action = "delete"
	ActExport   Action = "export"
	ActSort     Action = "sort"
	ActReverse  Action = "reverse_sort"
	// ActGoToRel is enter on a relative in a clip's Family: the library moves to it.
	ActGoToRel Action = "go_to_relative"

	ActConfirm Action = "confirm"
	ActCancel  Action = "cancel"
)

// Song craft: actions on the selected library clip (or the one whose details are open), each
// through a small dialog; and the marks set while a clip plays, which the dialogs start from.
const (
	ActExtend      Action = "extend"
	ActFullSong    Action = "full_song"
	ActCover       Action = "cover"
	ActReplace     Action = "replace_section"
	ActPersona     Action = "make_persona"
	ActPersonaSong Action = "persona_song"
	ActStems       Action = "stems"
	ActWAV         Action = "wav"
	ActMP4         Action = "mp4"

	ActMarkExtend  Action = "mark_extend"
	ActMarkStart   Action = "mark_start"
	ActMarkEnd     Action = "mark_end"
	ActUsePosition Action = "use_position"

	ActSwitchTake Action = "switch_take"
	ActKeepTake   Action = "keep_take"
	ActKaraoke    Action = "karaoke"
)

// Chat actions. The chat pane also uses the list actions for its song cards and the
// transcript (up/down select a card, page_up/page_down/top/bottom scroll), play and queue.
const (
	ActChatSend   Action = "chat_send"
	ActChatStop   Action = "chat_stop"
	ActHistPrev   Action = "history_prev"
	ActHistNext   Action = "history_next"
	ActChatPrompt Action = "chat_prompt"
	ActChatRerun  Action = "chat_rerun"
)

type binding struct {
	keys []string
	desc string
}

// defaults are the built-in bindings. Keys are Bubble Tea key strings ("ctrl+s", "space",
// "shift+tab", "G").
var defaults = map[Action]binding{
	ActQuit:        {[]string{"ctrl+c", "q"}, "quit"},
	ActSubmit:      {[]string{"ctrl+s"}, "create the song"},
	ActNextPane:    {[]string{"tab"}, "next pane"},
	ActPrevPane:    {[]string{"shift+tab"}, "previous pane"},
	ActHelp:        {[]string{"?", "f1"}, "help"},
	ActBack:        {[]string{"esc"}, "leave field / close"},
	ActPlayPause:   {[]string{"space"}, "play / pause"},
	ActNextTrack:   {[]string{">"}, "next track"},
	ActPrevTrack:   {[]string{"<"}, "previous track"},
	ActSeekFwd:     {[]string{"."}, "forward 10 s"},
	ActSeekBack:    {[]string{","}, "back 10 s"},
	ActVolUp:       {[]string{"+", "="}, "volume up"},
	ActVolDown:     {[]string{"-"}, "volume down"},
	ActMute:        {[]string{"m"}, "mute"},
	ActRepeat:      {[]string{"R"}, "repeat off/all/one"},
	ActShuffle:     {[]string{"S"}, "shuffle"},
	ActFocusCreate: {[]string{"1"}, "go to Create"},
	ActFocusLyrics: {[]string{"2"}, "go to Lyrics"},
	ActFocusTasks:  {[]string{"3"}, "go to Tasks"},
	ActFocusLib:    {[]string{"4"}, "go to Library"},
	ActFocusChat:   {[]string{"5"}, "go to Chat"},

	ActUp:       {[]string{"k", "up"}, "up"},
	ActDown:     {[]string{"j", "down"}, "down"},
	ActTop:      {[]string{"g", "home"}, "first"},
	ActBottom:   {[]string{"G", "end"}, "last"},
	ActPageUp:   {[]string{"pgup", "ctrl+u"}, "page up"},
	ActPageDown: {[]string{"pgdown", "ctrl+d"}, "page down"},

	ActFieldPrev:  {[]string{"up", "shift+up"}, "previous field"},
	ActFieldNext:  {[]string{"down", "enter"}, "next field"},
	ActToggle:     {[]string{"space", "enter", "left", "right"}, "toggle"},
	ActEdit:       {[]string{"enter", "i"}, "edit"},
	ActPickModel:  {[]string{"ctrl+o"}, "pick a model"},
	ActSwitchMode: {[]string{"ctrl+t"}, "inspiration / custom"},

	ActWriteLyrics: {[]string{"ctrl+g"}, "write lyrics for me"},
	ActUndoLyrics:  {[]string{"ctrl+z"}, "undo generated lyrics"},
	ActIntro:       {[]string{"alt+1"}, "[Intro]"},
	ActVerse:       {[]string{"alt+2"}, "[Verse]"},
	ActPreChorus:   {[]string{"alt+3"}, "[Pre-Chorus]"},
	ActChorus:      {[]string{"alt+4"}, "[Chorus]"},
	ActBridge:      {[]string{"alt+5"}, "[Bridge]"},
	ActOutro:       {[]string{"alt+6"}, "[Outro]"},

	ActRetry:     {[]string{"r"}, "retry (new task)"},
	ActRecheck:   {[]string{"c"}, "re-check"},
	ActShowClips: {[]string{"enter"}, "its clips in the library"},

	ActFilter:   {[]string{"/"}, "filter"},
	ActPlay:     {[]string{"enter"}, "play"},
	ActQueue:    {[]string{"a"}, "add to queue"},
	ActFavorite: {[]string{"f"}, "favourite"},
	ActDetails:  {[]string{"i"}, "details"},
	ActDelete:   {[]string{"x", "delete"}, "delete"},
	ActExport:   {[]string{"e"}, "export library"},
	ActSort:     {[]string{"o"}, "sort date/title/duration"},
	ActReverse:  {[]string{"O"}, "reverse order"},
	ActGoToRel:  {[]string{"enter"}, "go to the chosen relative"},

	ActExtend:      {[]string{"E"}, "extend from a point"},
	ActFullSong:    {[]string{"F"}, "full song (join extension)"},
	ActCover:       {[]string{"c"}, "cover in a new style"},
	ActReplace:     {[]string{"r"}, "replace a section"},
	ActPersona:     {[]string{"P"}, "make a persona"},
	ActPersonaSong: {[]string{"p"}, "sing with a persona"},
	ActStems:       {[]string{"s"}, "split into stems"},
	ActWAV:         {[]string{"w"}, "WAV file"},
	ActMP4:         {[]string{"v"}, "MP4 video"},

	ActMarkExtend:  {[]string{"M"}, "mark the extend point"},
	ActMarkStart:   {[]string{"["}, "mark a section start"},
	ActMarkEnd:     {[]string{"]"}, "mark a section end"},
	ActUsePosition: {[]string{"ctrl+p"}, "time field: player's position"},
	ActSwitchTake:  {[]string{"b"}, "A/B: other take, same place"},
	ActKeepTake:    {[]string{"*"}, "keep this take (favourite)"},
	ActKaraoke:     {[]string{"L"}, "synced lyrics, full screen"},

	ActConfirm: {[]string{"y", "enter"}, "yes"},
	ActCancel:  {[]string{"n", "esc"}, "no"},

	ActChatSend:   {[]string{"enter"}, "send the prompt"},
	ActChatStop:   {[]string{"esc"}, "stop the reply (keeps the text)"},
	ActHistPrev:   {[]string{"up"}, "earlier prompt"},
	ActHistNext:   {[]string{"down"}, "later prompt"},
	ActChatPrompt: {[]string{"i"}, "to the prompt"},
	ActChatRerun:  {[]string{"r"}, "ask the last prompt again"},
}

// Keymap is the bindings in effect: the defaults with the user's [keys] table applied.
type Keymap map[Action]key.Binding

// NewKeymap applies the user's overrides ("action" -> "key,key") to the defaults. Unknown
// actions and malformed keys are warnings, not errors: the studio still starts, with the
// default for that action.
func NewKeymap(overrides map[string]string) (Keymap, []string) {
	km := Keymap{}
	for a, b := range defaults {
		km[a] = key.NewBinding(key.WithKeys(b.keys...), key.WithHelp(helpKeys(b.keys), b.desc))
	}
	var warns []string
	names := make([]string, 0, len(overrides))
	for n := range overrides {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		a := Action(strings.TrimSpace(name))
		b, ok := defaults[a]
		if !ok {
			warns = append(warns, fmt.Sprintf("keys.%s: unknown action (see the help overlay, ?, for the names)", name))
			continue
		}
		var keys []string
		bad := false
		for _, k := range splitKeys(overrides[name]) {
			if err := validKey(k); err != nil {
				warns = append(warns, fmt.Sprintf("keys.%s: %v; keeping %s", name, err, strings.Join(b.keys, ",")))
				bad = true
				break
			}
			keys = append(keys, k)
		}
		if bad {
			continue
		}
		if len(keys) == 0 {
			warns = append(warns, fmt.Sprintf("keys.%s: no key given; keeping %s", name, strings.Join(b.keys, ",")))
			continue
		}
		km[a] = key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), b.desc))
	}
	return km, warns
}

// splitKeys splits "space,p" into keys; "," itself is written as "comma".
func splitKeys(s string) []string {
	var out []string
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		switch k {
		case "":
			continue
		case "comma":
			k = ","
		}
		out = append(out, k)
	}
	return out
}

var namedKeys = map[string]bool{
	"enter": true, "tab": true, "backspace": true, "esc": true, "space": true, "up": true, "down": true,
	"left": true, "right": true, "insert": true, "delete": true, "pgup": true, "pgdown": true,
	"home": true, "end": true, "begin": true,
}

// validKey accepts what Bubble Tea's key strings look like: modifiers joined with "+"
// (ctrl, alt, shift, meta, hyper, super), then a named key, a function key or one character.
func validKey(k string) error {
	rest := k
	for {
		i := strings.Index(rest, "+")
		if i <= 0 || i == len(rest)-1 {
			break
		}
		switch rest[:i] {
		case "ctrl", "alt", "shift", "meta", "hyper", "super":
			rest = rest[i+1:]
			continue
		}
		return fmt.Errorf("%q: unknown modifier %q (use ctrl, alt, shift)", k, rest[:i])
	}
	if namedKeys[rest] {
		return nil
	}
	if len(rest) >= 2 && rest[0] == 'f' {
		n := 0
		if _, err := fmt.Sscanf(rest[1:], "%d", &n); err == nil && n >= 1 && n <= 63 && fmt.Sprint(n) == rest[1:] {
			return nil
		}
	}
	if utf8.RuneCountInString(rest) == 1 {
		r, _ := utf8.DecodeRuneInString(rest)
		if unicode.IsPrint(r) && r != ' ' {
			return nil
		}
	}
	return fmt.Errorf("%q is not a key (examples: ctrl+s, alt+1, space, enter, f2, G)", k)
}

// helpKeys is how a binding's keys are shown in help: "space/p".
func helpKeys(keys []string) string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		switch k {
		case "up":
			k = "↑"
		case "down":
			k = "↓"
		case "left":
			k = "←"
		case "right":
			k = "→"
		}
		out = append(out, k)
	}
	return strings.Join(out, "/")
}

// is reports whether msg triggers the action.
func (km Keymap) is(msg tea.KeyPressMsg, a Action) bool {
	b, ok := km[a]
	return ok && key.Matches(msg, b)
}

// short is "key desc" for a pane's one-line help.
func (km Keymap) short(a Action) (string, string) {
	h := km[a].Help()
	return h.Key, h.Desc
}

// typed reports whether a key press is text (a character to insert), not a command.
func typed(msg tea.KeyPressMsg) bool {
	return msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModMeta|tea.ModSuper|tea.ModHyper) == 0
}

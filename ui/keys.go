package ui

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"sunostudio/internal/i18n"
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
	// ActUpload needs no clip: it brings a song in from a public URL (and can cover it).
	ActUpload Action = "upload"

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
	desc string // a catalog key: the description is said in the language in use when shown
}

// defaults are the built-in bindings. Keys are Bubble Tea key strings ("ctrl+s", "space",
// "shift+tab", "G").
var defaults = map[Action]binding{
	ActQuit:        {[]string{"ctrl+c", "q"}, "ui.keys.quit"},
	ActSubmit:      {[]string{"ctrl+s"}, "ui.keys.submit"},
	ActNextPane:    {[]string{"tab"}, "ui.keys.next_pane"},
	ActPrevPane:    {[]string{"shift+tab"}, "ui.keys.prev_pane"},
	ActHelp:        {[]string{"?", "f1"}, "ui.keys.help"},
	ActBack:        {[]string{"esc"}, "ui.keys.back"},
	ActPlayPause:   {[]string{"space"}, "ui.keys.play_pause"},
	ActNextTrack:   {[]string{">"}, "ui.keys.next_track"},
	ActPrevTrack:   {[]string{"<"}, "ui.keys.prev_track"},
	ActSeekFwd:     {[]string{"."}, "ui.keys.seek_forward"},
	ActSeekBack:    {[]string{","}, "ui.keys.seek_back"},
	ActVolUp:       {[]string{"+", "="}, "ui.keys.volume_up"},
	ActVolDown:     {[]string{"-"}, "ui.keys.volume_down"},
	ActMute:        {[]string{"m"}, "ui.keys.mute"},
	ActRepeat:      {[]string{"R"}, "ui.keys.repeat"},
	ActShuffle:     {[]string{"S"}, "ui.keys.shuffle"},
	ActFocusCreate: {[]string{"1"}, "ui.keys.focus_create"},
	ActFocusLyrics: {[]string{"2"}, "ui.keys.focus_lyrics"},
	ActFocusTasks:  {[]string{"3"}, "ui.keys.focus_tasks"},
	ActFocusLib:    {[]string{"4"}, "ui.keys.focus_library"},
	ActFocusChat:   {[]string{"5"}, "ui.keys.focus_chat"},

	ActUp:       {[]string{"k", "up"}, "ui.keys.up"},
	ActDown:     {[]string{"j", "down"}, "ui.keys.down"},
	ActTop:      {[]string{"g", "home"}, "ui.keys.top"},
	ActBottom:   {[]string{"G", "end"}, "ui.keys.bottom"},
	ActPageUp:   {[]string{"pgup", "ctrl+u"}, "ui.keys.page_up"},
	ActPageDown: {[]string{"pgdown", "ctrl+d"}, "ui.keys.page_down"},

	ActFieldPrev:  {[]string{"up", "shift+up"}, "ui.keys.field_prev"},
	ActFieldNext:  {[]string{"down", "enter"}, "ui.keys.field_next"},
	ActToggle:     {[]string{"space", "enter", "left", "right"}, "ui.keys.toggle"},
	ActEdit:       {[]string{"enter", "i"}, "ui.keys.edit"},
	ActPickModel:  {[]string{"ctrl+o"}, "ui.keys.pick_model"},
	ActSwitchMode: {[]string{"ctrl+t"}, "ui.keys.switch_mode"},

	ActWriteLyrics: {[]string{"ctrl+g"}, "ui.keys.write_lyrics"},
	ActUndoLyrics:  {[]string{"ctrl+z"}, "ui.keys.undo_lyrics"},
	ActIntro:       {[]string{"alt+1"}, "ui.keys.insert_intro"},
	ActVerse:       {[]string{"alt+2"}, "ui.keys.insert_verse"},
	ActPreChorus:   {[]string{"alt+3"}, "ui.keys.insert_prechorus"},
	ActChorus:      {[]string{"alt+4"}, "ui.keys.insert_chorus"},
	ActBridge:      {[]string{"alt+5"}, "ui.keys.insert_bridge"},
	ActOutro:       {[]string{"alt+6"}, "ui.keys.insert_outro"},

	ActRetry:     {[]string{"r"}, "ui.keys.retry"},
	ActRecheck:   {[]string{"c"}, "ui.keys.recheck"},
	ActShowClips: {[]string{"enter"}, "ui.keys.show_clips"},

	ActFilter:   {[]string{"/"}, "ui.keys.filter"},
	ActPlay:     {[]string{"enter"}, "ui.keys.play"},
	ActQueue:    {[]string{"a"}, "ui.keys.queue"},
	ActFavorite: {[]string{"f"}, "ui.keys.favorite"},
	ActDetails:  {[]string{"i"}, "ui.keys.details"},
	ActDelete:   {[]string{"x", "delete"}, "ui.keys.delete"},
	ActExport:   {[]string{"e"}, "ui.keys.export"},
	ActSort:     {[]string{"o"}, "ui.keys.sort"},
	ActReverse:  {[]string{"O"}, "ui.keys.reverse_sort"},
	ActGoToRel:  {[]string{"enter"}, "ui.keys.go_to_relative"},

	ActExtend:      {[]string{"E"}, "ui.keys.extend"},
	ActFullSong:    {[]string{"F"}, "ui.keys.full_song"},
	ActCover:       {[]string{"c"}, "ui.keys.cover"},
	ActReplace:     {[]string{"r"}, "ui.keys.replace_section"},
	ActPersona:     {[]string{"P"}, "ui.keys.make_persona"},
	ActPersonaSong: {[]string{"p"}, "ui.keys.persona_song"},
	ActStems:       {[]string{"s"}, "ui.keys.stems"},
	ActWAV:         {[]string{"w"}, "ui.keys.wav"},
	ActMP4:         {[]string{"v"}, "ui.keys.mp4"},
	ActUpload:      {[]string{"U"}, "ui.keys.upload"},

	ActMarkExtend:  {[]string{"M"}, "ui.keys.mark_extend"},
	ActMarkStart:   {[]string{"["}, "ui.keys.mark_start"},
	ActMarkEnd:     {[]string{"]"}, "ui.keys.mark_end"},
	ActUsePosition: {[]string{"ctrl+p"}, "ui.keys.use_position"},
	ActSwitchTake:  {[]string{"b"}, "ui.keys.switch_take"},
	ActKeepTake:    {[]string{"*"}, "ui.keys.keep_take"},
	ActKaraoke:     {[]string{"L"}, "ui.keys.karaoke"},

	ActConfirm: {[]string{"y", "enter"}, "ui.keys.confirm"},
	ActCancel:  {[]string{"n", "esc"}, "ui.keys.cancel"},

	ActChatSend:   {[]string{"enter"}, "ui.keys.chat_send"},
	ActChatStop:   {[]string{"esc"}, "ui.keys.chat_stop"},
	ActHistPrev:   {[]string{"up"}, "ui.keys.history_prev"},
	ActHistNext:   {[]string{"down"}, "ui.keys.history_next"},
	ActChatPrompt: {[]string{"i"}, "ui.keys.chat_prompt"},
	ActChatRerun:  {[]string{"r"}, "ui.keys.chat_rerun"},
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
			warns = append(warns, i18n.T("ui.keymap.unknown_action", name))
			continue
		}
		var keys []string
		bad := false
		for _, k := range splitKeys(overrides[name]) {
			if err := validKey(k); err != nil {
				warns = append(warns, i18n.T("ui.keymap.bad_key", name, err, strings.Join(b.keys, ",")))
				bad = true
				break
			}
			keys = append(keys, k)
		}
		if bad {
			continue
		}
		if len(keys) == 0 {
			warns = append(warns, i18n.T("ui.keymap.no_key", name, strings.Join(b.keys, ",")))
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
		return errors.New(i18n.T("ui.keymap.bad_modifier", k, rest[:i]))
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
	return errors.New(i18n.T("ui.keymap.not_a_key", k))
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

// short is "key desc" for a pane's one-line help, the description in the language in use.
func (km Keymap) short(a Action) (string, string) {
	h := km[a].Help()
	if h.Desc == "" {
		return h.Key, ""
	}
	return h.Key, i18n.T(h.Desc)
}

// typed reports whether a key press is text (a character to insert), not a command.
func typed(msg tea.KeyPressMsg) bool {
	return msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModMeta|tea.ModSuper|tea.ModHyper) == 0
}

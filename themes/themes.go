// Package themes turns a few semantic colours (accent, muted, ok, warn, error, selection,
// border) into the one Styles value the UI renders with. Built-in themes include one that uses
// the terminal's own 16-colour palette, so the studio looks like the rest of the user's
// terminal; user themes are small TOML files with the same keys. With NO_COLOR the styles use
// bold, faint, underline and reverse instead of colour.
package themes

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Default is the theme used when none is chosen: the terminal's own palette.
const Default = "terminal"

// Pair is one semantic colour for a light and a dark background. A colour is "#rrggbb",
// "#rgb" or an ANSI index "0".."255" (0-15 are the terminal's palette, which the user's
// terminal theme defines). Fixed themes use the same value for both.
type Pair struct{ Light, Dark string }

// Same is a Pair that does not depend on the background.
func Same(c string) Pair { return Pair{c, c} }

// Theme is a named set of semantic colours.
type Theme struct {
	Name      string
	Accent    Pair // focused borders, titles, the playing track, keys in help
	Muted     Pair // secondary text: dates, counters, hints
	OK        Pair // success: finished tasks, downloaded files
	Warn      Pair // counters near a limit, pending work
	Error     Pair // failures and limits exceeded
	Selection Pair // background of the selected row
	Border    Pair // borders of unfocused panes
}

var builtins = map[string]Theme{
	// terminal follows the user's palette: ANSI 0-15 are whatever the terminal theme says,
	// and light/dark only choose between the normal and bright variants.
	"terminal": {
		Name:      "terminal",
		Accent:    Pair{"4", "12"},
		Muted:     Pair{"8", "8"},
		OK:        Pair{"2", "10"},
		Warn:      Pair{"3", "11"},
		Error:     Pair{"1", "9"},
		Selection: Pair{"7", "8"},
		Border:    Pair{"8", "8"},
	},
	"midnight": {
		Name:      "midnight",
		Accent:    Same("#7aa2f7"),
		Muted:     Same("#737aa2"),
		OK:        Same("#9ece6a"),
		Warn:      Same("#e0af68"),
		Error:     Same("#f7768e"),
		Selection: Same("#283457"),
		Border:    Same("#3b4261"),
	},
	"paper": {
		Name:      "paper",
		Accent:    Same("#005f87"),
		Muted:     Same("#6c6c6c"),
		OK:        Same("#2e7d32"),
		Warn:      Same("#a35200"),
		Error:     Same("#c62828"),
		Selection: Same("#d7e3ee"),
		Border:    Same("#a8a8a8"),
	},
	"contrast": {
		Name:      "contrast",
		Accent:    Same("#00ffff"),
		Muted:     Same("#d0d0d0"),
		OK:        Same("#00ff5f"),
		Warn:      Same("#ffff00"),
		Error:     Same("#ff5f5f"),
		Selection: Same("#0000af"),
		Border:    Same("#ffffff"),
	},
	// mono has no colours at all: the NO_COLOR look, chosen on purpose.
	"mono": {Name: "mono"},
}

// Names lists the built-in themes.
func Names() []string {
	out := make([]string, 0, len(builtins))
	for n := range builtins {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Builtin returns a built-in theme by name.
func Builtin(name string) (Theme, bool) {
	t, ok := builtins[strings.ToLower(strings.TrimSpace(name))]
	return t, ok
}

// NoColor reports whether the NO_COLOR convention asks for no colour: the variable is set
// and not empty (https://no-color.org).
func NoColor(getenv func(string) string) bool {
	if getenv == nil {
		getenv = os.Getenv
	}
	return getenv("NO_COLOR") != ""
}

// validColor checks a colour string: "#rgb", "#rrggbb" or an integer 0-255.
func validColor(s string) error {
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) != 3 && len(h) != 6 {
			return fmt.Errorf("%q: want #rgb or #rrggbb", s)
		}
		if _, err := strconv.ParseUint(h, 16, 32); err != nil {
			return fmt.Errorf("%q: not a hex colour", s)
		}
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 255 {
		return fmt.Errorf("%q: want #rrggbb or an ANSI colour number 0-255", s)
	}
	return nil
}

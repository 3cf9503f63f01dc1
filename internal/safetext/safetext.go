// Package safetext makes text from relays safe to show in a terminal. Titles, lyrics, tags and
// error messages come from third-party servers; an escape sequence in them could write the
// clipboard (OSC 52), retitle the window, move the cursor or hide text. Everything shown to a
// person passes through Clean or Line first.
package safetext

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Clean removes terminal escape sequences and control characters, keeping newlines and tabs.
// Invalid UTF-8 becomes U+FFFD so that width calculations stay right.
func Clean(s string) string {
	if isPlain(s) || isCleanUnicode(s) {
		return s // the common case, CJK titles included: no copy
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if keep(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Line is Clean for single-line places (a title in a list): newlines and tabs become spaces.
func Line(s string) string {
	s = Clean(s)
	if strings.ContainsAny(s, "\n\t") {
		s = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\t' {
				return ' '
			}
			return r
		}, s)
	}
	return s
}

// Excerpt is a short single-line sample of a reply body for an error message.
func Excerpt(s string, max int) string {
	s = strings.Join(strings.Fields(Line(s)), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// isCleanUnicode reports whether valid UTF-8 text has nothing Clean would remove.
func isCleanUnicode(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !keep(r) || r == 0x1b {
			return false
		}
	}
	return true
}

// isPlain is the fast path: printable ASCII, newlines and tabs need no work.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

func keep(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return true
	case r < 0x20 || r == 0x7f: // C0 controls and DEL
		return false
	case r >= 0x80 && r <= 0x9f: // C1 controls, including 8-bit CSI and OSC
		return false
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi overrides reorder what follows
		return false
	}
	return true
}

package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"sunostudio/internal/i18n"
	"sunostudio/internal/safetext"
)

// Every string from a relay (titles, tags, lyrics, errors) passes through line or clean when
// it is rendered, even though the engine already cleaned it on the way in: a record imported
// from an old export, or a future code path that forgets, must still never put an escape
// sequence on the user's terminal.

// line is relay text for a single-line place.
func line(s string) string { return safetext.Line(s) }

// clean is relay text for a multi-line place (lyrics).
func clean(s string) string { return safetext.Clean(s) }

// width is the display width of s (CJK and emoji count two cells; escape sequences none).
func width(s string) int { return ansi.StringWidth(s) }

// trunc cuts s to at most w cells, marking the cut with an ellipsis.
func trunc(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// fit truncates or pads s to exactly w cells.
func fit(s string, w int) string {
	s = trunc(s, w)
	if pad := w - width(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// fitRight right-aligns s in w cells.
func fitRight(s string, w int) string {
	s = trunc(s, w)
	if pad := w - width(s); pad > 0 {
		s = strings.Repeat(" ", pad) + s
	}
	return s
}

// spread puts left and right on one line of w cells, truncating left first.
func spread(left, right string, w int) string {
	rw := width(right)
	if rw >= w {
		return fit(right, w)
	}
	return fit(left, w-rw) + right
}

// center pads s on both sides to w cells.
func center(s string, w int) string {
	s = trunc(s, w)
	pad := w - width(s)
	if pad <= 0 {
		return s
	}
	return strings.Repeat(" ", pad/2) + s + strings.Repeat(" ", pad-pad/2)
}

// wrap breaks relay text into lines of at most w cells (CJK wraps anywhere, Latin at spaces).
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		para = strings.ReplaceAll(para, "\t", "    ")
		if para == "" {
			out = append(out, "")
			continue
		}
		var lines []string
		if hasWide(para) {
			// ansi.Wrap takes a run of CJK without spaces for one word and moves it to the
			// next line whole; wrapPara breaks between its characters, keeping closing
			// punctuation off a line's start.
			lines, _ = wrapPara(para, w)
		} else {
			lines = strings.Split(ansi.Wrap(para, w, " -"), "\n")
		}
		for _, l := range lines {
			out = append(out, trunc(l, w))
		}
	}
	return out
}

// hasWide reports whether s, plain text without escape sequences, holds a wide (CJK, emoji)
// grapheme: text that breaks between characters rather than only at spaces.
func hasWide(s string) bool {
	if strings.IndexByte(s, 0x1b) >= 0 {
		return false // styled text: ansi.Wrap knows escape sequences, wrapPara does not
	}
	for i := 0; i < len(s); {
		if s[i] < 0x80 {
			i++
			continue
		}
		g, gw := cluster(s[i:])
		if gw >= 2 {
			return true
		}
		i += len(g)
	}
	return false
}

// clock formats a duration as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func secs(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

// plural says "1 clip" / "3 clips" in the language in use. The nouns it knows are in
// countKeys; another noun is said as given (English), so prefer i18n.N with a whole message.
func plural(n int, one, many string) string {
	if key, ok := countKeys[one]; ok {
		return i18n.N(key, n)
	}
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// countKeys are the counted nouns plural knows: the English singular and its catalog key.
var countKeys = map[string]string{
	"clip":  "ui.count.clip",
	"match": "ui.count.match",
}

// thousands groups digits: 100000 -> "100,000".
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// padLines makes exactly h lines of exactly w cells.
func padLines(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = fit(lines[i], w)
		} else {
			out[i] = strings.Repeat(" ", w)
		}
	}
	return out
}

// lipStyle is a shorter name for the style type in signatures.
type lipStyle = lipgloss.Style

func ansiStrip(s string) string { return ansi.Strip(s) }

// sortStable sorts with a less function, keeping the order of equal elements.
func sortStable[T any](s []T, less func(a, b T) bool) {
	slices.SortStableFunc(s, func(a, b T) int {
		switch {
		case less(a, b):
			return -1
		case less(b, a):
			return 1
		}
		return 0
	})
}

// ansiCutLeft drops the first n cells of s, keeping its styles.
func ansiCutLeft(s string, n int) string { return ansi.TruncateLeft(s, n, "") }

// cutPad cuts s to w cells without an ellipsis and pads it to exactly w.
func cutPad(s string, w int) string {
	s = ansi.Truncate(s, w, "")
	if pad := w - width(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// inputView renders a text input with its placeholder. bubbles' textinput pads a placeholder by
// cells but slices it by runes, so a wide (Chinese) placeholder overflows the field or leaves
// NUL bytes in the view: it is cut to the field by cells first and the NULs are dropped, which
// gives the line the width an ASCII placeholder's has. placeholder is the whole text (the
// field's width may change between renders).
func inputView(in *textinput.Model, placeholder string) string {
	if width(placeholder) != utf8.RuneCountInString(placeholder) {
		placeholder = trunc(placeholder, in.Width())
	}
	in.Placeholder = placeholder
	return noNUL(in.View())
}

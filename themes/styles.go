package themes

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles is everything the UI renders with, derived from one Theme. The UI never builds a
// colour itself: a new look is a new Theme.
type Styles struct {
	Theme   string
	NoColor bool
	IsDark  bool

	// Text roles.
	Accent lipgloss.Style
	Muted  lipgloss.Style
	OK     lipgloss.Style
	Warn   lipgloss.Style
	Error  lipgloss.Style
	Bold   lipgloss.Style

	// Selected is the selected row of a focused list; SelectedBlur the same row when the
	// list is not focused (so the place is kept without competing with the focused pane).
	Selected     lipgloss.Style
	SelectedBlur lipgloss.Style

	// Pane frames and titles.
	Border        lipgloss.Style
	BorderFocused lipgloss.Style
	Title         lipgloss.Style
	TitleFocused  lipgloss.Style

	// Help: keys and their descriptions.
	Key     lipgloss.Style
	KeyDesc lipgloss.Style

	// Tabs of the compact layout.
	Tab       lipgloss.Style
	TabActive lipgloss.Style

	// Progress bar cells.
	BarFull  lipgloss.Style
	BarEmpty lipgloss.Style

	// Status line badges (DEMO, NO AUDIO).
	Badge      lipgloss.Style
	BadgeError lipgloss.Style

	// Raw colours for widgets that take colours (cursor of text fields); nil without colour.
	AccentColor color.Color
	MutedColor  color.Color
}

// Styles builds the styles for a background (isDark from tea.BackgroundColorMsg; assume dark
// until the terminal answers) and for NO_COLOR.
func (t Theme) Styles(isDark, noColor bool) Styles {
	if noColor || t.Name == "mono" {
		return monoStyles(t.Name, isDark)
	}
	ld := lipgloss.LightDark(isDark)
	pick := func(p Pair) color.Color {
		l, d := colorOf(p.Light), colorOf(p.Dark)
		if l == nil || d == nil {
			if l == nil {
				return d
			}
			return l
		}
		return ld(l, d)
	}
	fg := func(p Pair) lipgloss.Style {
		c := pick(p)
		if c == nil {
			return lipgloss.NewStyle()
		}
		return lipgloss.NewStyle().Foreground(c)
	}
	bg := func(p Pair) lipgloss.Style {
		c := pick(p)
		if c == nil {
			return lipgloss.NewStyle().Reverse(true)
		}
		return lipgloss.NewStyle().Background(c)
	}
	s := Styles{Theme: t.Name, IsDark: isDark}
	s.Accent = fg(t.Accent)
	s.Muted = fg(t.Muted)
	s.OK = fg(t.OK)
	s.Warn = fg(t.Warn)
	s.Error = fg(t.Error).Bold(true)
	s.Bold = lipgloss.NewStyle().Bold(true)
	s.Selected = bg(t.Selection).Bold(true)
	s.SelectedBlur = bg(t.Selection)
	s.Border = fg(t.Border)
	s.BorderFocused = fg(t.Accent)
	s.Title = fg(t.Muted).Bold(true)
	s.TitleFocused = fg(t.Accent).Bold(true)
	s.Key = fg(t.Accent).Bold(true)
	s.KeyDesc = fg(t.Muted)
	s.Tab = fg(t.Muted)
	s.TabActive = fg(t.Accent).Bold(true).Underline(true)
	s.BarFull = fg(t.Accent)
	s.BarEmpty = fg(t.Border)
	s.Badge = bg(t.Accent).Bold(true)
	if c := pick(t.Accent); c != nil {
		s.Badge = lipgloss.NewStyle().Background(c).Foreground(contrastOn(isDark)).Bold(true)
	}
	s.BadgeError = lipgloss.NewStyle().Bold(true).Reverse(true)
	if c := pick(t.Error); c != nil {
		s.BadgeError = lipgloss.NewStyle().Background(c).Foreground(contrastOn(isDark)).Bold(true)
	}
	s.AccentColor = pick(t.Accent)
	s.MutedColor = pick(t.Muted)
	return s
}

// contrastOn is the text colour on a coloured badge: the terminal's background colour.
func contrastOn(isDark bool) color.Color {
	if isDark {
		return lipgloss.Color("0")
	}
	return lipgloss.Color("15")
}

// monoStyles is the NO_COLOR look: emphasis by attributes only. Selection is reverse video,
// the accent is bold, secondary text faint, errors bold and underlined.
func monoStyles(name string, isDark bool) Styles {
	n := lipgloss.NewStyle()
	return Styles{
		Theme: name, NoColor: true, IsDark: isDark,
		Accent: n.Bold(true), Muted: n.Faint(true), OK: n, Warn: n.Bold(true),
		Error: n.Bold(true).Underline(true), Bold: n.Bold(true),
		Selected: n.Reverse(true).Bold(true), SelectedBlur: n.Underline(true),
		Border: n, BorderFocused: n.Bold(true), Title: n, TitleFocused: n.Bold(true).Reverse(true),
		Key: n.Bold(true), KeyDesc: n, Tab: n, TabActive: n.Bold(true).Reverse(true),
		BarFull: n.Bold(true), BarEmpty: n.Faint(true),
		Badge: n.Reverse(true).Bold(true), BadgeError: n.Reverse(true).Bold(true).Underline(true),
	}
}

func colorOf(s string) color.Color {
	if s == "" || validColor(s) != nil {
		return nil
	}
	return lipgloss.Color(s)
}

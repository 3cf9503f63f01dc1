package themes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuiltinsAreValid(t *testing.T) {
	if len(Names()) < 4 {
		t.Fatalf("want at least four built-in themes, have %v", Names())
	}
	for _, n := range Names() {
		th, _ := Builtin(n)
		for _, p := range []Pair{th.Accent, th.Muted, th.OK, th.Warn, th.Error, th.Selection, th.Border} {
			for _, c := range []string{p.Light, p.Dark} {
				if c != "" {
					if err := validColor(c); err != nil {
						t.Errorf("%s: %v", n, err)
					}
				}
			}
		}
		for _, dark := range []bool{false, true} {
			s := th.Styles(dark, false)
			out := s.Accent.Render("x")
			if n != "mono" && !strings.Contains(out, "\x1b[") {
				t.Errorf("%s: accent has no colour: %q", n, out)
			}
		}
	}
}

// TestTerminalFollowsBackground: the palette theme picks different ANSI colours for light and
// dark backgrounds (via lipgloss.LightDark).
func TestTerminalFollowsBackground(t *testing.T) {
	th, _ := Builtin("terminal")
	dark := th.Styles(true, false).Accent.Render("x")
	light := th.Styles(false, false).Accent.Render("x")
	if dark == light {
		t.Fatalf("same accent for light and dark: %q", dark)
	}
	// 12 is bright blue (SGR 94), 4 is blue (SGR 34): the terminal's own palette entries.
	if !strings.Contains(dark, "94") || !strings.Contains(light, "34") {
		t.Fatalf("dark %q light %q", dark, light)
	}
}

func TestNoColorUsesAttributes(t *testing.T) {
	th, _ := Builtin("midnight")
	s := th.Styles(true, true)
	if !s.NoColor {
		t.Fatal("NoColor not set")
	}
	for name, out := range map[string]string{
		"selected": s.Selected.Render("x"), "accent": s.Accent.Render("x"), "error": s.Error.Render("x"),
	} {
		if strings.Contains(out, "38;") || strings.Contains(out, "48;") || strings.Contains(out, "[3") && strings.Contains(out, "m") && strings.Contains(out, ";3") {
			t.Errorf("%s has colour: %q", name, out)
		}
		if !strings.Contains(out, "\x1b[") {
			t.Errorf("%s has no emphasis: %q", name, out)
		}
	}
	if !strings.Contains(s.Selected.Render("x"), "7") { // SGR 7 = reverse
		t.Errorf("selection is not reverse video: %q", s.Selected.Render("x"))
	}
	if !NoColor(func(string) string { return "1" }) || NoColor(func(string) string { return "" }) {
		t.Fatal("NoColor env rule")
	}
}

func TestUserThemeFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("pink.toml", `extends = "midnight"
accent = "#ff79c6"
selection = { light = "#eeeeee", dark = "#44475a" }
border = 240
sparkle = "yes"
`)
	th, warns, err := Load("pink", dir)
	if err != nil {
		t.Fatal(err)
	}
	if th.Name != "pink" || th.Accent != Same("#ff79c6") || th.Selection != (Pair{"#eeeeee", "#44475a"}) ||
		th.Border != Same("240") {
		t.Fatalf("%+v", th)
	}
	if mid, _ := Builtin("midnight"); th.OK != mid.OK {
		t.Fatalf("extends not applied: %+v", th.OK)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "sparkle") {
		t.Fatalf("warnings %v", warns)
	}

	write("bad.toml", `accent = "#zzzzzz"`)
	if _, _, err := Load("bad", dir); err == nil || !strings.Contains(err.Error(), "accent") {
		t.Fatalf("bad colour: %v", err)
	}
	write("broken.toml", `accent = `)
	if _, _, err := Load("broken", dir); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("broken file: %v", err)
	}
	// A user file may shadow a built-in.
	write("paper.toml", `accent = "1"`)
	if th, _, err := Load("paper", dir); err != nil || th.Accent != Same("1") {
		t.Fatalf("shadow: %+v %v", th, err)
	}
	if _, _, err := Load("nope", dir); err == nil || !strings.Contains(err.Error(), "terminal") {
		t.Fatalf("unknown theme: %v", err)
	}
	if _, _, err := Load("../x", dir); err == nil {
		t.Fatal("path in theme name accepted")
	}
	if th, _, err := Load("", ""); err != nil || th.Name != Default {
		t.Fatalf("default: %+v %v", th, err)
	}
}

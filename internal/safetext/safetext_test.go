package safetext

import (
	"strings"
	"testing"
)

func TestCleanRemovesEscapes(t *testing.T) {
	cases := map[string]string{
		"plain title":                               "plain title",
		"快乐周末 🎵":                                    "快乐周末 🎵",
		"a\x1b]52;c;ZXZpbA==\x07b":                  "ab", // OSC 52 clipboard write
		"a\x1b]0;owned\x07b":                        "ab", // window title
		"a\x1b[2J\x1b[Hb":                           "ab", // clear screen, cursor home
		"a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\": "alink",
		"bell\x07 back\bspace\r":                    "bell backspace",
		"c1\u009b31mred":                            "c131mred", // C1 CSI removed; what follows is inert text
		"bidi\u202eevil":                            "bidievil",
		"line1\nline2\ttab":                         "line1\nline2\ttab",
		"bad\xffutf8":                               "bad\uFFFDutf8",
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLineAndExcerpt(t *testing.T) {
	if got := Line("a\nb\tc\x1b[31m"); got != "a b c" {
		t.Errorf("Line = %q", got)
	}
	long := strings.Repeat("歌", 50)
	got := Excerpt("<html>\n  <title>502</title>\n"+long, 20)
	if got != "<html> <title>502</t…" {
		t.Errorf("Excerpt = %q", got)
	}
	if got := Excerpt(long, 3); got != "歌歌歌…" {
		t.Errorf("Excerpt CJK = %q", got)
	}
	if got := Excerpt("short", 10); got != "short" {
		t.Errorf("Excerpt short = %q", got)
	}
}

func FuzzClean(f *testing.F) {
	f.Add("a\x1b]52;c;x\x07b")
	f.Add("\x1b[")
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		for _, r := range out {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
				t.Fatalf("control %U survived in %q", r, out)
			}
		}
	})
}

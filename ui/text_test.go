package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestWrapChinese: wrap breaks a run of Chinese between its characters (ansi.Wrap took it for
// one word and moved it whole, leaving a short line before it), never puts closing
// punctuation at a line's start, and keeps every line within the width.
func TestWrapChinese(t *testing.T) {
	texts := []string{
		"截止时间前没有结果；请稍后重新检查（中转站可能仍会完成它）",
		"✗ 文件已从中转站删除（HTTP 404；中转站大约 14 天后会删除文件）",
		"下载 失败：下载的音频长 183.4 秒，但中转站说是 201.0 秒。请重新下载，或者换一首歌。",
		"夏天的风吹过海边，我们一起唱 la la la。Summer wind across the sea 🌊，一起唱！",
	}
	for _, s := range texts {
		for _, w := range []int{6, 9, 14, 20, 33, 50} {
			ls := wrap(s, w)
			for i, l := range ls {
				if width(l) > w {
					t.Errorf("wrap(%q, %d): line %d %q is %d cells wide", s, w, i, l, width(l))
				}
				if g, _ := cluster(l); i > 0 && l != "" && noBreakBefore(g) {
					t.Errorf("wrap(%q, %d): line %d %q starts with closing punctuation", s, w, i, l)
				}
			}
			if got, want := strings.ReplaceAll(strings.Join(ls, ""), " ", ""), strings.ReplaceAll(s, " ", ""); got != want {
				t.Errorf("wrap(%q, %d) lost text: %q", s, w, strings.Join(ls, "|"))
			}
		}
	}
	// The case that was broken: the Chinese after "错误：" used to go to the next line whole.
	if got, want := strings.Join(wrap("错误：截止时间前没有结果", 12), "|"), "错误：截止时|间前没有结果"; got != want {
		t.Errorf("wrap = %q, want %q", got, want)
	}
	if got, want := strings.Join(wrap("下载 截止时间前没有结果", 12), "|"), "下载 截止时|间前没有结果"; got != want {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}

// TestWrapEnglishUnchanged: text without wide characters wraps exactly as ansi.Wrap does
// (the English screens' goldens depend on it).
func TestWrapEnglishUnchanged(t *testing.T) {
	for _, s := range []string{
		"the relay refused the request: content policy violation (the description mentions a real artist)",
		"well-known   words with  double spaces and a supercalifragilisticexpialidocious one",
		"café déjà vu — naïve résumé",
		"\x1b[1mstyled\x1b[0m text 夏天 stays with ansi.Wrap",
	} {
		for _, w := range []int{5, 8, 13, 21, 40, 80} {
			var want []string
			for _, l := range strings.Split(ansi.Wrap(s, w, " -"), "\n") {
				want = append(want, trunc(l, w))
			}
			if got := wrap(s, w); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("wrap(%q, %d) = %q, want %q", s, w, got, want)
			}
		}
	}
}

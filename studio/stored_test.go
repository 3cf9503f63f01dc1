package studio

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"sunostudio/internal/i18n"
	"sunostudio/internal/i18n/i18ntest"
)

// The English of each stored text is its catalog message (with %v for the %w that wraps).
func TestStoredTextsAreTheirEnglishMessages(t *testing.T) {
	if i18n.Current() != i18n.English {
		t.Skip("the catalog is not in English")
	}
	seen := map[string]bool{}
	for _, m := range storedMsgs {
		if seen[m.key] {
			t.Errorf("%s listed twice", m.key)
		}
		seen[m.key] = true
		if !i18n.Has(m.key) {
			t.Errorf("%s: no such message", m.key)
			continue
		}
		if got, want := i18n.T(m.key), strings.ReplaceAll(m.format, "%w", "%v"); got != want {
			t.Errorf("%s:\n  catalog %q\n  stored  %q", m.key, got, want)
		}
	}
	// In English, stored texts are shown as they are.
	s := fmt.Sprintf(storedAssetGaveUp, "wav", 3, fmt.Errorf(storedFileGone, 404))
	if Localize(s) != s {
		t.Errorf("Localize changed English text: %q", Localize(s))
	}
}

func TestSentinelMessagesExist(t *testing.T) {
	for _, e := range []error{ErrBadInput, ErrReadOnly, ErrNoAudio, i18n.Text("studio.err.engine_stopped")} {
		if !i18n.Has(string(e.(i18n.Text))) {
			t.Errorf("%s: no such message", e)
		}
	}
}

// Stored texts stay English in the library and are said in Chinese when shown; what the
// engine did not write (the relay's words) is left alone.
func TestLocalizeReadsStoredTextsInChinese(t *testing.T) {
	i18ntest.InLanguage(t, i18n.Chinese, func(t *testing.T) {
		for _, c := range []struct{ stored, want string }{
			{storedTimedOut, "截止时间前没有结果；请稍后重新检查（中转站可能仍会完成它）"},
			{fmt.Sprintf(storedAssetGaveUp, "wav", 3, fmt.Errorf(storedFileGone, 404)),
				"wav 在尝试 3 次后仍无法下载：文件已从中转站删除（HTTP 404；中转站大约 14 天后会删除文件）"},
			{fmt.Errorf(storedAudioCut, 1200, errors.New("unexpected EOF")).Error(), "音频下载在 1200 字节后中断：unexpected EOF"},
			{fmt.Errorf(storedCoverFailed, fmt.Errorf(storedNotImage, "text/html")).Error(), "封面：封面不是图片（text/html）"},
			{fmt.Sprintf(storedAudioLength, 10.0, 120.5), "下载的音频长 10.0 秒，但中转站说是 120.5 秒"},
			{fmt.Sprintf(storedNotURL, "ftp://x"), "不是网址：「ftp://x」"},
			{"生成失败: content policy", "生成失败: content policy"},
			{"moderation", "moderation"},
			{"", ""},
		} {
			if got := Localize(c.stored); got != c.want {
				t.Errorf("Localize(%q)\n  got  %q\n  want %q", c.stored, got, c.want)
			}
		}
		// A stored error shown live keeps its cause for errors.Is.
		cause := errors.New("cause")
		err := localized(fmt.Errorf(storedFileCut, 5, cause))
		if !errors.Is(err, cause) || err.Error() != "下载在 5 字节后中断：cause" {
			t.Errorf("localized: %v", err)
		}
		if got := ErrReadOnly.Error(); !strings.Contains(got, "只读") {
			t.Errorf("ErrReadOnly in Chinese: %q", got)
		}
	})
}

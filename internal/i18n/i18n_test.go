package i18n

import (
	"strings"
	"testing"
	"testing/fstest"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"en", English, true}, {"zh-CN", Chinese, true}, {"zh_CN.UTF-8", Chinese, true},
		{"zh_TW.UTF-8", Chinese, true}, {"zh-Hans", Chinese, true}, {"ZH", Chinese, true},
		{"en_US.UTF-8", English, true}, {"en_GB@euro", English, true}, {"C", English, true},
		{"C.UTF-8", English, true}, {"POSIX", English, true}, {" zh ", Chinese, true},
		{"fr_FR.UTF-8", English, false}, {"klingon", English, false}, {"", English, false},
	}
	for _, c := range cases {
		got, ok := Parse(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Parse(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestFromEnvPrecedence(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want Lang
	}{
		{map[string]string{}, English},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, Chinese},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, English},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, Chinese},
		{map[string]string{"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en"}, Chinese},
		// The first variable set decides, even for a language we lack: such a user gets
		// English, not the Chinese of a lower-precedence variable.
		{map[string]string{"LC_ALL": "de_DE.UTF-8", "LANG": "zh_CN.UTF-8"}, English},
	}
	for _, c := range cases {
		if got := FromEnv(env(c.env)); got != c.want {
			t.Errorf("FromEnv(%v) = %q, want %q", c.env, got, c.want)
		}
	}
}

func TestResolveOrder(t *testing.T) {
	zhEnv := env(map[string]string{"LANG": "zh_CN.UTF-8"})
	cases := []struct {
		flag, config string
		getenv       func(string) string
		want         Lang
	}{
		{"", "", zhEnv, Chinese},
		{"", "en", zhEnv, English},
		{"zh", "en", env(nil), Chinese},
		{"en", "zh-CN", zhEnv, English},
		{"", "", env(nil), English},
	}
	for _, c := range cases {
		got, err := Resolve(c.flag, c.config, c.getenv)
		if err != nil || got != c.want {
			t.Errorf("Resolve(%q, %q) = %q, %v; want %q", c.flag, c.config, got, err, c.want)
		}
	}
	_, err := Resolve("", "fr", env(nil))
	if err == nil || !strings.Contains(err.Error(), "language in config.toml") || !strings.Contains(err.Error(), `"fr"`) ||
		!strings.Contains(err.Error(), "zh-CN") {
		t.Errorf("unknown config language: err = %v", err)
	}
	_, err = Resolve("xx", "", zhEnv)
	if err == nil || !strings.Contains(err.Error(), "--lang") || !strings.Contains(err.Error(), "不认识") {
		t.Errorf("unknown --lang for a Chinese locale should be said in Chinese: err = %v", err)
	}
	_, err = Resolve("", "fr", zhEnv)
	if err == nil || !strings.Contains(err.Error(), "config.toml 中的 language：") || !strings.Contains(err.Error(), "en、zh-CN") ||
		strings.Contains(err.Error(), "language in") {
		t.Errorf("unknown config language for a Chinese locale should be said wholly in Chinese: err = %v", err)
	}
}

func TestTranslateAndFallback(t *testing.T) {
	defer Use(Current())
	Use(English)
	if got := T("lang.unknown", "--lang", "x", "en"); got != `--lang: unknown language "x" (sunostudio speaks en)` {
		t.Errorf("English: %q", got)
	}
	Use(Chinese)
	if got := T("lang.unknown", "--lang", "x", "en"); !strings.Contains(got, "不认识的语言") {
		t.Errorf("Chinese: %q", got)
	}
	if got := T("no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key should show itself, got %q", got)
	}
	if !Has("lang.unknown") || Has("no.such.key") {
		t.Error("Has")
	}
}

func TestPluralForms(t *testing.T) {
	c, err := readCatalogs(fstest.MapFS{
		"locales/en/a.toml":    {Data: []byte("[n]\none = \"%d task\"\nother = \"%d tasks\"\n")},
		"locales/zh-CN/a.toml": {Data: []byte("[n]\none = \"%d 个任务\"\nother = \"%d 个任务\"\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	saved := catalogs
	loadOnce.Do(load)
	catalogs = c
	defer func() { catalogs = saved; Use(English) }()
	Use(English)
	for n, want := range map[int]string{0: "0 tasks", 1: "1 task", 2: "2 tasks"} {
		if got := N("n", n); got != want {
			t.Errorf("N(%d) = %q, want %q", n, got, want)
		}
	}
	Use(Chinese)
	if got := N("n", 3); got != "3 个任务" {
		t.Errorf("zh N(3) = %q", got)
	}
}

func TestCatalogFileErrors(t *testing.T) {
	_, err := readCatalogs(fstest.MapFS{
		"locales/en/a.toml": {Data: []byte("[x]\ny = \"one\"\n")},
		"locales/en/b.toml": {Data: []byte("[x]\ny = \"two\"\n")},
	})
	if err == nil || !strings.Contains(err.Error(), "x.y") {
		t.Errorf("a key in two files: err = %v", err)
	}
	_, err = readCatalogs(fstest.MapFS{"locales/en/a.toml": {Data: []byte("x = 3\n")}})
	if err == nil || !strings.Contains(err.Error(), "not a string") {
		t.Errorf("a number: err = %v", err)
	}
	_, err = readCatalogs(fstest.MapFS{"locales/en/a.toml": {Data: []byte("x = \n")}})
	if err == nil || !strings.Contains(err.Error(), "a.toml") {
		t.Errorf("broken TOML: err = %v", err)
	}
}

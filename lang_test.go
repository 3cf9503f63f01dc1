package main

import (
	"os"
	"path/filepath"
	"testing"

	"sunostudio/internal/i18n"
)

// TestMain keeps the tests in English whatever the developer's locale: they assert English
// text unless they choose Chinese themselves.
func TestMain(m *testing.M) {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		os.Unsetenv(v)
	}
	os.Exit(m.Run())
}

func TestChooseLanguage(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte("language = \"zh-CN\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	noEnv := func(string) string { return "" }
	zhEnv := func(k string) string {
		if k == "LANG" {
			return "zh_CN.UTF-8"
		}
		return ""
	}
	cases := []struct {
		name   string
		args   []string
		getenv func(string) string
		want   i18n.Lang
	}{
		{"nothing", []string{"list"}, noEnv, i18n.English},
		{"LANG", []string{"list"}, zhEnv, i18n.Chinese},
		{"config beats LANG", []string{"--data-dir", dir, "list"}, noEnv, i18n.Chinese},
		{"--lang beats config", []string{"--data-dir=" + dir, "list", "--lang", "en"}, zhEnv, i18n.English},
		{"--lang=", []string{"--lang=zh", "list"}, noEnv, i18n.Chinese},
		{"after -- is an argument", []string{"generate", "--", "--lang", "zh"}, noEnv, i18n.English},
	}
	for _, c := range cases {
		got, err := chooseLanguage(c.args, c.getenv)
		if err != nil || got != c.want {
			t.Errorf("%s: chooseLanguage(%q) = %q, %v; want %q", c.name, c.args, got, err, c.want)
		}
	}
	if _, err := chooseLanguage([]string{"--lang", "fr"}, noEnv); err == nil {
		t.Error("--lang fr: want an error")
	}
}

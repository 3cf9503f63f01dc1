package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sunostudio/client"
	"sunostudio/internal/i18n"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func writeConfig(t *testing.T, dir, body string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestFirstRunWritesCommentedPrivateFileAndRunsDemo(t *testing.T) {
	dir := t.TempDir()
	cfg, err := Load(Options{DataDir: dir, Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Created || !cfg.Demo || cfg.Profile.Name != DemoProfileName || cfg.Profile.APIKey != "" {
		t.Fatalf("cfg = %+v", cfg)
	}
	info, err := os.Stat(filepath.Join(dir, "config.toml"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("config.toml mode = %v, %v", info.Mode(), err)
	}
	body, _ := os.ReadFile(filepath.Join(dir, "config.toml"))
	if !strings.Contains(string(body), "# [profiles.apicore]") || !strings.Contains(string(body), "SUNOSTUDIO_API_KEY") {
		t.Errorf("starter file lacks its comments:\n%s", body)
	}
	if cfg.Paths.Library() != filepath.Join(dir, "library.db") || cfg.Paths.LogFile() != filepath.Join(dir, "logs", "sunostudio.log") {
		t.Errorf("paths = %+v", cfg.Paths)
	}
	again, err := Load(Options{DataDir: dir, Getenv: env(nil)})
	if err != nil || again.Created {
		t.Fatalf("second load: %+v %v", again, err)
	}
}

func TestXDGPaths(t *testing.T) {
	root := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(root, "cfg"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(root, "data"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(root, "state"))
	t.Setenv(EnvHome, "")
	p, err := ResolvePaths("")
	if err != nil {
		t.Fatal(err)
	}
	if p.ConfigFile != filepath.Join(root, "cfg", "sunostudio", "config.toml") ||
		p.DataDir != filepath.Join(root, "data", "sunostudio") || p.LogDir != filepath.Join(root, "state", "sunostudio") {
		t.Errorf("paths = %+v", p)
	}
	t.Setenv(EnvHome, filepath.Join(root, "home"))
	cfg, err := Load(Options{})
	if err != nil || cfg.Paths.DataDir != filepath.Join(root, "home") {
		t.Errorf("SUNOSTUDIO_HOME: %+v %v", cfg, err)
	}
}

const twoProfiles = `
default_profile = "apicore"
[profiles.apicore]
base_url = "https://api.apicore.ai"
api_key_env = "APICORE_KEY"
dialect = "task"
model = "chirp-v4"
[profiles.core]
base_url = "https://api.openai-core.com"
api_key = "sk-core"
dialect = "GoAmzAI"
`

func TestProfilesAndEnvOverrides(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, twoProfiles)
	cfg, err := Load(Options{DataDir: dir, Getenv: env(map[string]string{"APICORE_KEY": "sk-from-env"})})
	if err != nil {
		t.Fatal(err)
	}
	want := client.Profile{Name: "apicore", BaseURL: "https://api.apicore.ai", APIKey: "sk-from-env", Dialect: client.DialectTask, Model: "chirp-v4"}
	if cfg.Profile != want || cfg.Demo {
		t.Errorf("profile = %+v", cfg.Profile)
	}
	cfg, err = Load(Options{DataDir: dir, Profile: "core", Getenv: env(nil)})
	if err != nil || cfg.Profile.Dialect != client.DialectGoAmz || cfg.Profile.APIKey != "sk-core" {
		t.Errorf("--profile core: %+v %v", cfg, err)
	}
	cfg, err = Load(Options{DataDir: dir, Getenv: env(map[string]string{
		EnvProfile: "core", EnvAPIKey: "sk-override", EnvBaseURL: "https://relay.example", EnvDialect: "chat", EnvModel: "suno-v3",
	})})
	if err != nil {
		t.Fatal(err)
	}
	want = client.Profile{Name: "core", BaseURL: "https://relay.example", APIKey: "sk-override", Dialect: client.DialectChat, Model: "suno-v3"}
	if cfg.Profile != want {
		t.Errorf("env overrides: %+v", cfg.Profile)
	}
}

func TestEmptyKeyEnvMeansDemoWithWarning(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, twoProfiles)
	cfg, err := Load(Options{DataDir: dir, Getenv: env(nil)})
	if err != nil || !cfg.Demo {
		t.Fatalf("%+v %v", cfg, err)
	}
	if len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "$APICORE_KEY") {
		t.Errorf("warnings = %q", cfg.Warnings)
	}
}

func TestEnvOnlyConfiguration(t *testing.T) {
	cfg, err := Load(Options{DataDir: t.TempDir(), Getenv: env(map[string]string{EnvAPIKey: "sk-x", EnvBaseURL: "https://r.example"})})
	if err != nil || cfg.Demo || cfg.Profile.Name != "env" || cfg.Profile.Dialect != client.DialectTask {
		t.Fatalf("%+v %v", cfg, err)
	}
	_, err = Load(Options{DataDir: t.TempDir(), Getenv: env(map[string]string{EnvAPIKey: "sk-x"})})
	if err == nil || !strings.Contains(err.Error(), "no base URL") {
		t.Errorf("key without URL: %v", err)
	}
}

func TestErrorsNameFileKeyAndProblem(t *testing.T) {
	cases := map[string]string{
		"default_profile = \"nope\"\n":                                                 `default_profile: no profile named "nope"`,
		"[profiles.a]\nbase_url = \"https://x\"\ndialect = \"soap\"\n":                 `profiles.a.dialect: unknown dialect "soap"`,
		"[profiles.a]\napi_key = \"k\"\n":                                              `profiles.a.base_url: missing`,
		"[profiles.a]\nbase_url=\"https://x\"\napi_key=\"k\"\napi_key_env=\"E\"\n":     "set api_key or api_key_env, not both",
		"default_profile = \n":                                                         "line 1",
		"[audio]\noutput = \"speakers\"\n":                                             `audio.output: "speakers"`,
		"[profiles.a]\nbase_url=\"https://x\"\n[profiles.b]\nbase_url=\"https://y\"\n": "several profiles (a, b)",
	}
	for body, want := range cases {
		dir := t.TempDir()
		writeConfig(t, dir, body)
		_, err := Load(Options{DataDir: dir, Getenv: env(nil)})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "config.toml") {
			t.Errorf("%q: err = %v, want it to name config.toml and %q", body, err, want)
		}
	}
	_, err := Load(Options{DataDir: t.TempDir(), Profile: "ghost", Getenv: env(nil)})
	if err == nil || !strings.Contains(err.Error(), `no profile named "ghost"`) {
		t.Errorf("unknown --profile: %v", err)
	}
}

func TestWarnings(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, "colour = \"red\"\n[profiles.a]\nbase_url = \"http://relay.example.com\"\napi_key = \"sk-a\"\n")
	os.Chmod(filepath.Join(dir, "config.toml"), 0o644)
	cfg, err := Load(Options{DataDir: dir, Getenv: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(cfg.Warnings, "\n")
	for _, want := range []string{"readable by other users", `unknown key "colour"`, "plain http://"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "sk-a") {
		t.Error("a warning shows the key")
	}
}

func TestPollInterval(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, "poll_interval = \"5s\"\n")
	cfg, err := Load(Options{DataDir: dir, Getenv: env(nil)})
	if err != nil || cfg.PollInterval != 5*time.Second {
		t.Fatalf("%v %v", cfg.PollInterval, err)
	}
	cfg, err = Load(Options{DataDir: dir, Getenv: env(map[string]string{EnvPoll: "250ms"})})
	if err != nil || cfg.PollInterval != 250*time.Millisecond {
		t.Fatalf("env: %v %v", cfg.PollInterval, err)
	}
	for _, bad := range []string{"fast", "1ms", "2h"} {
		_, err = Load(Options{DataDir: dir, Getenv: env(map[string]string{EnvPoll: bad})})
		if err == nil || !strings.Contains(err.Error(), EnvPoll) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// TestAudioAuto: "auto" is the documented name of the sound card, in the file as on the
// command line; "device" stays accepted.
func TestAudioAuto(t *testing.T) {
	for _, v := range []string{"auto", "device", "null"} {
		dir := t.TempDir()
		writeConfig(t, dir, "[audio]\noutput = \""+v+"\"\n")
		if _, err := Load(Options{DataDir: dir, Getenv: env(nil)}); err != nil {
			t.Errorf("output = %q: %v", v, err)
		}
	}
}

// TestChineseErrorsAreWhole: a config error in Chinese joins file, key and problem with
// full-width colons only, and a TOML syntax error is labelled as one.
func TestChineseErrorsAreWhole(t *testing.T) {
	defer i18n.Use(i18n.Current())
	i18n.Use(i18n.Chinese)
	cases := map[string]string{
		"[profiles.a]\nbase_url = \"https://x\"\ndialect = \"soap\"\n":                 "：profiles.a.dialect：未知的 dialect「soap」",
		"[profiles.a]\napi_key = \"k\"\n":                                              "：profiles.a.base_url：缺失",
		"poll_interval = \"1h\"\n":                                                     "：poll_interval：「1h」不是",
		"language = \"fr\"\n":                                                          "：language：不认识的语言「fr」（sunostudio 支持 en、zh-CN）",
		"[profiles.a]\nbase_url=\"https://x\"\n[profiles.b]\nbase_url=\"https://y\"\n": "有多个配置档（a、b）",
		"default_profile = \n":                                                         "：第 1 行：TOML 语法错误：",
	}
	for body, want := range cases {
		dir := t.TempDir()
		writeConfig(t, dir, body)
		_, err := Load(Options{DataDir: dir, Getenv: env(nil)})
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), ": ") {
			t.Errorf("%q: err = %v, want %q and no ASCII \": \"", body, err, want)
		}
	}
}

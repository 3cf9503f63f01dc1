package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sunostudio/client"
)

// FuzzConfig: any config.toml either loads into a configuration sunostudio can run with, or
// is refused with an error that names the file. Never a panic, never a half-valid
// configuration that fails later, far from the file that caused it.
func FuzzConfig(f *testing.F) {
	seeds := []string{
		DefaultFile,
		"",
		"\ufeff# a BOM first\n",
		"default_profile = \"apicore\"\n[profiles.apicore]\nbase_url = \"https://api.apicore.ai\"\napi_key = \"sk-x\"\ndialect = \"task\"\nmodel = \"chirp-v4\"\n",
		"[profiles.core]\nbase_url = \"https://api.openai-core.com/v1\"\napi_key_env = \"OPENAI_CORE_KEY\"\ndialect = \"goamz\"\n",
		"[profiles.a]\nbase_url = \"http://relay.example.com\"\napi_key = \"sk-a\"\n",
		"[profiles.a]\nbase_url = \"relay.example.com\"\napi_key = \"sk-a\"\ndialect = \"chat\"\n",
		"theme = \"midnight\"\nlanguage = \"zh\"\npoll_interval = \"5s\"\n[audio]\noutput = \"null\"\n[keys]\nplay_pause = \"space,p\"\nsubmit = \"ctrl+s\"\n",
		"default_profile = \"demo\"\n",
		"default_profile = \"nope\"\n",
		"[profiles.a]\nbase_url = \"https://x\"\ndialect = \"soap\"\n",
		"[profiles.a]\napi_key = \"k\"\n",
		"[profiles.a]\nbase_url=\"https://x\"\napi_key=\"k\"\napi_key_env=\"E\"\n",
		"default_profile = \n",
		"[audio]\noutput = \"speakers\"\n",
		"[profiles.a]\nbase_url=\"https://x\"\n[profiles.b]\nbase_url=\"https://y\"\n",
		"poll_interval = \"1ms\"\n",
		"theme = 5\n",
		"profiles = 3\n",
		"keys = [1, 2]\n",
		"[profiles]\na = \"b\"\n",
		"[profiles.\"空 白\"]\nbase_url = \"https://例子.测试\"\napi_key = \"sk-中文\"\n",
		"[[profiles.a]]\nbase_url = \"https://x\"\n",
		"a = [[[[[[[[[[1]]]]]]]]]]\n",
		"x = 1979-05-27T07:32:00Z\ny = inf\nz = nan\n",
		"[profiles.a]\nbase_url = \"https://x\"\napi_key = \"sk-a\"\nmodel = \"\\u0000\\u001b]52;c;x\\u0007\"\n",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		dir := t.TempDir()
		path := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := Load(Options{DataDir: dir, Getenv: env(nil)})
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("the error does not name %s: %v", path, err)
			}
			return
		}
		if cfg.Paths.ConfigFile != path || cfg.Created {
			t.Fatalf("paths %+v, created %v", cfg.Paths, cfg.Created)
		}
		if _, ok := client.ParseDialect(string(cfg.Profile.Dialect)); !ok {
			t.Fatalf("dialect %q accepted", cfg.Profile.Dialect)
		}
		switch cfg.File.Audio.Output {
		case "", "device", "null":
		default:
			t.Fatalf("audio.output %q accepted", cfg.File.Audio.Output)
		}
		if d := cfg.PollInterval; d != 0 && (d < 100*time.Millisecond || d > 10*time.Minute) {
			t.Fatalf("poll interval %v accepted", d)
		}
		if cfg.Demo {
			if cfg.Profile.APIKey != "" || cfg.Profile.BaseURL != "" || cfg.Profile.Name != DemoProfileName {
				t.Fatalf("demo profile %+v", cfg.Profile)
			}
			return
		}
		if strings.TrimSpace(cfg.Profile.APIKey) == "" || cfg.Profile.BaseURL == "" {
			t.Fatalf("a relay profile without key or base URL: %+v", cfg.Profile)
		}
		// What the program does next with the profile: a configuration that loads must make a
		// client, or the user gets an error that does not say which file to fix.
		if _, err := client.New(cfg.Profile); err != nil {
			t.Fatalf("config.Load accepted a profile the client refuses (fix: validate base_url in config.read and name %s): %v", path, err)
		}
	})
}

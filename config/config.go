// Package config finds sunostudio's folders, reads config.toml (writing a commented one on first
// run), applies SUNOSTUDIO_* environment overrides and picks the relay profile to use.
package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/adrg/xdg"

	"sunostudio/client"
	"sunostudio/internal/i18n"
)

// Environment variables that override the config file.
const (
	EnvHome    = "SUNOSTUDIO_HOME"
	EnvAPIKey  = "SUNOSTUDIO_API_KEY"
	EnvBaseURL = "SUNOSTUDIO_BASE_URL"
	EnvDialect = "SUNOSTUDIO_DIALECT"
	EnvProfile = "SUNOSTUDIO_PROFILE"
	EnvModel   = "SUNOSTUDIO_MODEL"
	EnvPoll    = "SUNOSTUDIO_POLL_INTERVAL"
)

// DemoProfileName names the built-in simulator profile used when no key is configured.
const DemoProfileName = "demo"

// Paths are the folders sunostudio writes to.
type Paths struct {
	ConfigFile string // config.toml
	DataDir    string // library.db and the songs folder
	LogDir     string // sunostudio.log
}

// Library is the bbolt file of the library.
func (p Paths) Library() string { return filepath.Join(p.DataDir, "library.db") }

// SongsDir holds the downloaded audio, covers and lyrics.
func (p Paths) SongsDir() string { return filepath.Join(p.DataDir, "songs") }

// LogFile is where slog writes (and stderr goes while the TUI runs).
func (p Paths) LogFile() string { return filepath.Join(p.LogDir, "sunostudio.log") }

// ResolvePaths puts everything in dataDir when it is given (--data-dir), else in
// SUNOSTUDIO_HOME, else in the XDG folders.
func ResolvePaths(dataDir string) (Paths, error) {
	if dataDir == "" {
		dataDir = os.Getenv(EnvHome)
	}
	if dataDir != "" {
		abs, err := filepath.Abs(dataDir)
		if err != nil {
			return Paths{}, i18n.Wrap(i18n.T("config.err.data_dir", dataDir, err), err)
		}
		return Paths{ConfigFile: filepath.Join(abs, "config.toml"), DataDir: abs, LogDir: filepath.Join(abs, "logs")}, nil
	}
	xdg.Reload() // tests and callers may have changed XDG_* since start
	return Paths{
		ConfigFile: filepath.Join(xdg.ConfigHome, "sunostudio", "config.toml"),
		DataDir:    filepath.Join(xdg.DataHome, "sunostudio"),
		LogDir:     filepath.Join(xdg.StateHome, "sunostudio"),
	}, nil
}

// ProfileConfig is one [profiles.NAME] table.
type ProfileConfig struct {
	BaseURL   string `toml:"base_url"`
	APIKey    string `toml:"api_key"`
	APIKeyEnv string `toml:"api_key_env"`
	Dialect   string `toml:"dialect"`
	Model     string `toml:"model"`
}

// File is config.toml as written by the user.
type File struct {
	DefaultProfile string                   `toml:"default_profile"`
	Profiles       map[string]ProfileConfig `toml:"profiles"`
	Theme          string                   `toml:"theme"`
	Language       string                   `toml:"language"`
	Keys           map[string]string        `toml:"keys"`
	Audio          AudioConfig              `toml:"audio"`
	// PollInterval is the first interval between status checks of a pending task ("3s").
	PollInterval string `toml:"poll_interval"`
}

// AudioConfig is the [audio] table.
type AudioConfig struct {
	Output string `toml:"output"` // "auto" (the sound card; "device" is the same) or "null"
}

// Config is the loaded, validated configuration.
type Config struct {
	Paths Paths
	File  File
	// Profile is the relay profile to use, with env overrides applied.
	Profile client.Profile
	// Demo is true when no key is configured anywhere: the built-in simulator stands in.
	Demo bool
	// Created is true when this run wrote config.toml for the first time.
	Created bool
	// Warnings are problems that do not stop the program (unknown keys, loose permissions).
	Warnings []string
	// PollInterval is the tracker's base interval; 0 means the engine's default.
	PollInterval time.Duration
}

// Options are the command-line choices that affect loading.
type Options struct {
	DataDir string
	Profile string
	// Getenv reads the environment (tests pass a map); nil means os.Getenv.
	Getenv func(string) string
}

// Load reads (or creates) the config file and resolves the profile.
func Load(o Options) (*Config, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if o.DataDir == "" {
		o.DataDir = getenv(EnvHome)
	}
	paths, err := ResolvePaths(o.DataDir)
	if err != nil {
		return nil, err
	}
	cfg := &Config{Paths: paths}
	created, err := writeDefault(paths.ConfigFile)
	if err != nil {
		return nil, err
	}
	cfg.Created = created
	if err := cfg.read(); err != nil {
		return nil, err
	}
	if err := cfg.resolveProfile(o.Profile, getenv); err != nil {
		return nil, err
	}
	if err := cfg.resolvePoll(getenv); err != nil {
		return nil, err
	}
	return cfg, nil
}

func (c *Config) read() error {
	path := c.Paths.ConfigFile
	info, err := os.Stat(path)
	if err != nil {
		return i18n.Wrap(i18n.T("config.err.in", path, err), err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		c.Warnings = append(c.Warnings, i18n.T("config.warn.readable", path, info.Mode().Perm(), path))
	}
	md, err := toml.DecodeFile(path, &c.File)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return errors.New(i18n.T("config.err.parse", path, pe.Position.Line, pe.Message))
		}
		return i18n.Wrap(i18n.T("config.err.in", path, err), err)
	}
	for _, k := range md.Undecoded() {
		c.Warnings = append(c.Warnings, i18n.T("config.warn.unknown_key", path, k.String()))
	}
	for name, p := range c.File.Profiles {
		key := "profiles." + name
		if p.Dialect != "" {
			if _, ok := client.ParseDialect(p.Dialect); !ok {
				return at(path, key+".dialect", i18n.T("config.err.unknown_dialect", p.Dialect))
			}
		}
		if p.APIKey != "" && p.APIKeyEnv != "" {
			return at(path, key, i18n.T("config.err.key_twice"))
		}
		if p.BaseURL == "" && (p.APIKey != "" || p.APIKeyEnv != "") {
			return at(path, key+".base_url", i18n.T("config.err.base_url_missing"))
		}
		if p.BaseURL != "" {
			if err := checkBaseURL(p.BaseURL); err != nil {
				return at(path, key+".base_url", err.Error())
			}
		}
	}
	if c.File.DefaultProfile != "" {
		if _, ok := c.File.Profiles[c.File.DefaultProfile]; !ok && c.File.DefaultProfile != DemoProfileName {
			return at(path, "default_profile", i18n.T("config.err.default_profile", c.File.DefaultProfile, c.profileNames()))
		}
	}
	if c.File.Language != "" {
		if _, ok := i18n.Parse(c.File.Language); !ok {
			return at(path, "language", i18n.T("lang.unknown_value", c.File.Language, i18n.Names()))
		}
	}
	switch c.File.Audio.Output {
	case "", "auto", "device", "null":
	default:
		return at(path, "audio.output", i18n.T("config.err.audio_output", c.File.Audio.Output))
	}
	return nil
}

// at is an error in the config file: the file, the key that holds the problem, and the
// problem, joined as the language joins them.
func at(file, key, problem string) error {
	return errors.New(i18n.T("config.err.at", file, key, problem))
}

func (c *Config) profileNames() string {
	names := make([]string, 0, len(c.File.Profiles))
	for n := range c.File.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return i18n.T("config.none")
	}
	return i18n.List(names)
}

// resolveProfile picks the profile (flag, env, default_profile, the only one) and applies the
// environment overrides. No key anywhere means demo mode.
func (c *Config) resolveProfile(flag string, getenv func(string) string) error {
	name := firstSet(flag, getenv(EnvProfile), c.File.DefaultProfile)
	var pc ProfileConfig
	switch {
	case name == DemoProfileName:
	case name != "":
		p, ok := c.File.Profiles[name]
		if !ok {
			return errors.New(i18n.T("config.err.no_profile", name, c.Paths.ConfigFile, c.profileNames()))
		}
		pc = p
	case len(c.File.Profiles) == 1:
		for n, p := range c.File.Profiles {
			name, pc = n, p
		}
	case len(c.File.Profiles) > 1:
		return errors.New(i18n.T("config.err.several_profiles", c.Paths.ConfigFile, c.profileNames(), EnvProfile))
	}
	key := pc.APIKey
	if pc.APIKeyEnv != "" {
		key = getenv(pc.APIKeyEnv)
	}
	p := client.Profile{
		Name:    name,
		BaseURL: firstSet(getenv(EnvBaseURL), pc.BaseURL),
		APIKey:  firstSet(getenv(EnvAPIKey), key),
		Model:   firstSet(getenv(EnvModel), pc.Model),
	}
	if v := getenv(EnvBaseURL); v != "" {
		if err := checkBaseURL(v); err != nil {
			return errors.New(i18n.T("config.err.in", EnvBaseURL, err))
		}
	}
	dialect := firstSet(getenv(EnvDialect), pc.Dialect)
	d, ok := client.ParseDialect(dialect)
	if !ok {
		return errors.New(i18n.T("config.err.in", EnvDialect, i18n.T("config.err.unknown_dialect", dialect)))
	}
	p.Dialect = d
	if strings.TrimSpace(p.APIKey) == "" || name == DemoProfileName {
		c.Demo = true
		p.Name = DemoProfileName
		p.APIKey = ""
		p.BaseURL = ""
		if pc.APIKeyEnv != "" && name != DemoProfileName {
			c.Warnings = append(c.Warnings, i18n.T("config.warn.key_env_empty", name, pc.APIKeyEnv))
		}
	} else if p.BaseURL == "" {
		return errors.New(i18n.T("config.err.no_base_url", c.Paths.ConfigFile, EnvBaseURL))
	}
	if p.Name == "" {
		p.Name = "env"
	}
	if !c.Demo && client.InsecureBaseURL(p.BaseURL) {
		c.Warnings = append(c.Warnings, i18n.T("config.warn.insecure", p.Name))
	}
	c.Profile = p
	return nil
}

// resolvePoll reads poll_interval (or SUNOSTUDIO_POLL_INTERVAL): how often pending tasks are
// checked at first; the tracker backs off from there while nothing changes.
func (c *Config) resolvePoll(getenv func(string) string) error {
	raw, fromEnv := c.File.PollInterval, false
	if v := getenv(EnvPoll); v != "" {
		raw, fromEnv = v, true
	}
	if raw == "" {
		return nil
	}
	d, err := time.ParseDuration(raw)
	if err != nil || d < 100*time.Millisecond || d > 10*time.Minute {
		problem := i18n.T("config.err.poll_interval", raw)
		if fromEnv {
			return errors.New(i18n.T("config.err.in", EnvPoll, problem))
		}
		return at(c.Paths.ConfigFile, "poll_interval", problem)
	}
	c.PollInterval = d
	return nil
}

// checkBaseURL applies the client's rules for a relay address, so that a bad one is reported
// with the file and key that hold it, not later by whatever command first talks to the relay.
func checkBaseURL(raw string) error {
	_, err := client.New(client.Profile{Name: "check", BaseURL: raw})
	if err != nil {
		return errors.New(i18n.T("config.err.base_url", raw))
	}
	return nil
}

func firstSet(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

// writeDefault writes the commented starter file, 0600, when none exists.
// PeekLanguage reads only the language setting of the config file that Load would read, for
// choosing the language before anything else is said (help text included). Any problem
// yields "": Load reports it properly, in the language chosen without it.
func PeekLanguage(dataDir string, getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	if dataDir == "" {
		dataDir = getenv(EnvHome)
	}
	paths, err := ResolvePaths(dataDir)
	if err != nil {
		return ""
	}
	var f struct {
		Language string `toml:"language"`
	}
	if _, err := toml.DecodeFile(paths.ConfigFile, &f); err != nil {
		return ""
	}
	return f.Language
}

func writeDefault(path string) (bool, error) {
	if _, err := os.Stat(path); err == nil {
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, i18n.Wrap(i18n.T("config.err.in", path, err), err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, i18n.Wrap(i18n.T("config.err.create", filepath.Dir(path), err), err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another sunostudio won the race
		return false, nil
	}
	if err != nil {
		return false, i18n.Wrap(i18n.T("config.err.create", path, err), err)
	}
	if _, err := f.WriteString(DefaultFile); err != nil {
		f.Close()
		return false, i18n.Wrap(i18n.T("config.err.write", path, err), err)
	}
	return true, f.Close()
}

// DefaultFile is written on first run. Every setting is commented so that the simulator runs
// until the user fills in a relay.
const DefaultFile = `# sunostudio configuration. This file may hold API keys: keep it private (mode 0600).
#
# With no API key anywhere, sunostudio runs on its built-in relay simulator (demo mode).
# Environment variables override this file:
#   SUNOSTUDIO_API_KEY, SUNOSTUDIO_BASE_URL, SUNOSTUDIO_DIALECT, SUNOSTUDIO_PROFILE, SUNOSTUDIO_MODEL

# The profile used when --profile and SUNOSTUDIO_PROFILE are not given.
# default_profile = "apicore"

# The language of the studio and the command line: "en" or "zh-CN" (简体中文). Unset, it
# follows LC_ALL / LC_MESSAGES / LANG; --lang overrides it.
# language = "zh-CN"

# How often pending tasks are checked at first (backing off while nothing changes).
# poll_interval = "3s"

# One table per relay account. dialect is one of:
#   task   new-api / one-hub / apicore / V-API style: /suno/submit/music, /suno/fetch
#   goamz  GoAmzAI style: /suno/v1/music
#   chat   only the OpenAI-style /v1/chat/completions endpoint
#
# [profiles.apicore]
# base_url = "https://api.apicore.ai"
# api_key_env = "APICORE_KEY"      # read the key from this environment variable ...
# # api_key = "sk-..."             # ... or write it here
# dialect = "task"
# model = "chirp-v4"               # mv: chirp-v3-0, chirp-v3-5, chirp-v4, chirp-auk, chirp-bluejay, chirp-crow
#
# [profiles.openai-core]
# base_url = "https://api.openai-core.com"
# api_key_env = "OPENAI_CORE_KEY"
# dialect = "goamz"
# model = "chirp-v3-5"
`

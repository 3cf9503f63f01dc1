// Package i18n holds sunostudio's message catalog: every string the studio and the command
// line show to a person, in English and Simplified Chinese.
//
// Messages live in TOML files under locales/<language>/ (one file per area, so they can be
// translated and reviewed in pieces); a table [create] with a key mode = "Mode" is the message
// "create.mode". A message is a fmt format: arguments are filled in with the verbs it names,
// and a translation may reorder them with explicit indexes (%[2]s).
//
// One process shows one language, so the language is process-wide (Use), like gettext's
// locale: the studio and the CLI pick it once at start. Machine output (--json, logs' keys,
// status words) never goes through the catalog.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/BurntSushi/toml"
)

// Lang is a language the catalog has.
type Lang string

const (
	English Lang = "en"
	Chinese Lang = "zh-CN" // Simplified Chinese
)

// Languages lists every language the catalog has, English (the fallback) first.
var Languages = []Lang{English, Chinese}

//go:embed locales
var files embed.FS

type catalog map[string]string

var (
	loadOnce sync.Once
	catalogs map[Lang]catalog
	loadErr  error
	current  atomic.Value // Lang
)

func load() {
	catalogs, loadErr = readCatalogs(files)
}

// readCatalogs reads locales/<lang>/*.toml for every language. A key defined twice (in two
// files of one language) is an error: one of the two would silently win.
func readCatalogs(fsys fs.FS) (map[Lang]catalog, error) {
	out := make(map[Lang]catalog, len(Languages))
	for _, l := range Languages {
		c := catalog{}
		dir := path.Join("locales", string(l))
		names, err := fs.Glob(fsys, dir+"/*.toml")
		if err != nil {
			return nil, err
		}
		sort.Strings(names)
		for _, name := range names {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			var tree map[string]any
			if _, err := toml.Decode(string(data), &tree); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			if err := flatten(c, "", tree, name); err != nil {
				return nil, err
			}
		}
		out[l] = c
	}
	return out, nil
}

func flatten(dst catalog, prefix string, tree map[string]any, file string) error {
	for k, v := range tree {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch v := v.(type) {
		case string:
			if _, dup := dst[key]; dup {
				return fmt.Errorf("%s: message %q is defined twice", file, key)
			}
			dst[key] = v
		case map[string]any:
			if err := flatten(dst, key, v, file); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: message %q is a %T, not a string", file, key, v)
		}
	}
	return nil
}

func catalogsLoaded() map[Lang]catalog {
	loadOnce.Do(load)
	return catalogs
}

// Check reports a catalog that failed to load (a broken TOML file); tests call it, and
// without it every message falls back to its key.
func Check() error {
	loadOnce.Do(load)
	return loadErr
}

// Use makes l the language of every message from now on.
func Use(l Lang) { current.Store(l) }

// Current is the language in use (English until Use is called).
func Current() Lang {
	if l, ok := current.Load().(Lang); ok {
		return l
	}
	return English
}

// lookup finds key in language l, else in English, else returns the key itself so that a
// missing message is visible (and caught by the catalog tests) rather than blank.
func lookup(l Lang, key string) string {
	cats := catalogsLoaded()
	if s, ok := cats[l][key]; ok {
		return s
	}
	if s, ok := cats[English][key]; ok {
		return s
	}
	return key
}

// T returns the message key in the current language, formatted with args.
func T(key string, args ...any) string { return in(Current(), key, args...) }

func in(l Lang, key string, args ...any) string {
	s := lookup(l, key)
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// N is T for a message about a count: it picks key.one or key.other by n (Chinese has one
// form, so its catalog repeats the same text in both) and passes n as the first argument.
func N(key string, n int, args ...any) string {
	form := ".other"
	if n == 1 || n == -1 {
		form = ".one"
	}
	return T(key+form, append([]any{n}, args...)...)
}

// Has reports whether key is a message (for keys built from stable names, like error kinds).
func Has(key string) bool {
	_, ok := catalogsLoaded()[English][key]
	return ok
}

// Parse reads a language setting: a catalog tag ("en", "zh-CN") or a POSIX locale as found in
// LANG ("zh_CN.UTF-8", "en_US", "C"). Every Chinese locale maps to zh-CN, the only Chinese the
// catalog has (a reader of Traditional Chinese reads it more easily than English); "C" and
// "POSIX" are English. ok is false for a language the catalog does not have.
func Parse(s string) (l Lang, ok bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	s = strings.ToLower(strings.ReplaceAll(s, "_", "-"))
	base, _, _ := strings.Cut(s, "-")
	switch {
	case base == "zh":
		return Chinese, true
	case base == "en", s == "c", s == "posix":
		return English, true
	}
	return English, false
}

// FromEnv picks the language from the locale variables in POSIX order of precedence:
// LC_ALL, then LC_MESSAGES, then LANG; the first one set decides (an unknown language there
// means English, as for any program without that translation).
func FromEnv(getenv func(string) string) Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" {
			l, _ := Parse(s)
			return l
		}
	}
	return English
}

// Resolve picks the language: the --lang flag, else config.toml's language, else the locale
// variables, else English. A flag or config value naming a language the catalog lacks is an
// error (saying which), not a silent fallback: the user asked for something specific.
func Resolve(flag, config string, getenv func(string) string) (Lang, error) {
	for _, s := range []struct{ value, where string }{{flag, "lang.where.flag"}, {config, "lang.where.config"}} {
		if strings.TrimSpace(s.value) == "" {
			continue
		}
		l, ok := Parse(s.value)
		if !ok {
			// Said in the locale's language: the one we know the user reads.
			say := FromEnv(getenv)
			msg := in(say, "lang.unknown", in(say, s.where), s.value, NamesIn(say))
			return English, fmt.Errorf("%s", msg)
		}
		return l, nil
	}
	return FromEnv(getenv), nil
}

// Names lists the languages the catalog has ("en, zh-CN"), joined as the current language
// joins a list.
func Names() string { return NamesIn(Current()) }

// NamesIn is Names said in language l.
func NamesIn(l Lang) string {
	parts := make([]string, len(Languages))
	for i, lang := range Languages {
		parts[i] = string(lang)
	}
	return listIn(l, parts)
}

// List joins items as the current language writes a list: "a, b" in English, "a、b" in
// Chinese (the separator is the message i18n.list_sep).
func List(items []string) string { return listIn(Current(), items) }

func listIn(l Lang, items []string) string { return strings.Join(items, lookup(l, "i18n.list_sep")) }

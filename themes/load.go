package themes

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
)

// fileTheme is a theme file: <config dir>/themes/NAME.toml. Every key is optional; missing
// ones come from the theme named by extends (default: the terminal theme). A value is one
// colour for both backgrounds, or an inline table {light = "...", dark = "..."}.
//
//	extends = "midnight"
//	accent = "#ff79c6"
//	selection = { light = "#e0e0e0", dark = "#44475a" }
type fileTheme struct {
	Extends   string `toml:"extends"`
	Accent    any    `toml:"accent"`
	Muted     any    `toml:"muted"`
	OK        any    `toml:"ok"`
	Warn      any    `toml:"warn"`
	Error     any    `toml:"error"`
	Selection any    `toml:"selection"`
	Border    any    `toml:"border"`
}

// Load finds a theme by name: a user file <dir>/NAME.toml first (so a user can restyle a
// built-in by giving a file its name), then the built-ins. The empty name is Default.
// Warnings are problems that do not stop the theme from loading (an unknown key).
func Load(name, dir string) (Theme, []string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = Default
	}
	if dir != "" && validName(name) {
		path := filepath.Join(dir, name+".toml")
		t, warns, err := LoadFile(path)
		if err == nil {
			t.Name = name
			return t, warns, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return Theme{}, nil, err
		}
	}
	if t, ok := Builtin(name); ok {
		return t, nil, nil
	}
	avail := Names()
	if dir != "" {
		if files, _ := filepath.Glob(filepath.Join(dir, "*.toml")); len(files) > 0 {
			for _, f := range files {
				avail = append(avail, strings.TrimSuffix(filepath.Base(f), ".toml"))
			}
		}
	}
	return Theme{}, nil, fmt.Errorf("unknown theme %q (have: %s; user themes go in %s)", name,
		strings.Join(avail, ", "), filepath.Join(dir, name+".toml"))
}

// validName keeps a theme name from walking out of the themes folder.
func validName(name string) bool {
	return name != "" && !strings.ContainsAny(name, `/\`) && name != "." && name != ".."
}

var known = map[string]bool{"extends": true, "accent": true, "muted": true, "ok": true, "warn": true,
	"error": true, "selection": true, "border": true}

// LoadFile reads one theme file.
func LoadFile(path string) (Theme, []string, error) {
	var f fileTheme
	md, err := toml.DecodeFile(path, &f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return Theme{}, nil, fmt.Errorf("%s: line %d: %s", path, pe.Position.Line, pe.Message)
		}
		return Theme{}, nil, err
	}
	var warns []string
	for _, k := range md.Undecoded() {
		if len(k) > 1 && known[k[0]] {
			continue // {light, dark} of a known key: read by pairOf
		}
		warns = append(warns, fmt.Sprintf("%s: unknown key %q is ignored (keys: extends, accent, muted, ok, warn, error, selection, border)", path, k.String()))
	}
	base := f.Extends
	if base == "" {
		base = Default
	}
	t, ok := Builtin(base)
	if !ok {
		return Theme{}, nil, fmt.Errorf("%s: extends: no built-in theme %q (have: %s)", path, base, strings.Join(Names(), ", "))
	}
	t.Name = strings.TrimSuffix(filepath.Base(path), ".toml")
	for _, fld := range []struct {
		key string
		v   any
		dst *Pair
	}{
		{"accent", f.Accent, &t.Accent}, {"muted", f.Muted, &t.Muted}, {"ok", f.OK, &t.OK},
		{"warn", f.Warn, &t.Warn}, {"error", f.Error, &t.Error}, {"selection", f.Selection, &t.Selection},
		{"border", f.Border, &t.Border},
	} {
		if fld.v == nil {
			continue
		}
		p, err := pairOf(fld.v)
		if err != nil {
			return Theme{}, nil, fmt.Errorf("%s: %s: %w", path, fld.key, err)
		}
		*fld.dst = p
	}
	return t, warns, nil
}

func pairOf(v any) (Pair, error) {
	switch v := v.(type) {
	case string:
		if err := validColor(v); err != nil {
			return Pair{}, err
		}
		return Same(v), nil
	case int64:
		s := fmt.Sprint(v)
		if err := validColor(s); err != nil {
			return Pair{}, err
		}
		return Same(s), nil
	case map[string]any:
		var p Pair
		for k, x := range v {
			s := fmt.Sprint(x)
			if err := validColor(s); err != nil {
				return Pair{}, fmt.Errorf("%s: %w", k, err)
			}
			switch k {
			case "light":
				p.Light = s
			case "dark":
				p.Dark = s
			default:
				return Pair{}, fmt.Errorf("unknown key %q (want light and dark)", k)
			}
		}
		if p.Light == "" {
			p.Light = p.Dark
		}
		if p.Dark == "" {
			p.Dark = p.Light
		}
		return p, nil
	}
	return Pair{}, fmt.Errorf("want a colour such as \"#ff79c6\" or \"12\", or {light = ..., dark = ...}")
}

// Dir is where user theme files live for a config file: a themes folder beside it.
func Dir(configFile string) string {
	return filepath.Join(filepath.Dir(configFile), "themes")
}

// Package buildinfo holds the version the binary reports and sends in its User-Agent.
package buildinfo

import "runtime/debug"

// Version is set at link time (-ldflags "-X sunostudio/internal/buildinfo.Version=v1.2.3");
// otherwise it falls back to the module version or the VCS revision Go embedded.
var Version = ""

// String returns the version, never empty.
func String() string {
	if Version != "" {
		return Version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "dev-" + rev
}

// UserAgent names the program and version for relays' logs.
func UserAgent() string { return "sunostudio/" + String() }

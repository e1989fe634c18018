package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// printVersion prints what the binary was built from.
func (m *Main) printVersion() {
	bi, _ := debug.ReadBuildInfo()
	fmt.Fprintln(m.Stdout, describeVersion(bi))
}

// describeVersion says what a build is, from what the Go toolchain
// records in every binary: the module version ("(devel)" for a build of a
// checkout), the VCS revision and its time, and "-dirty" when the tree had
// changes that were not committed. Nothing is passed by hand at build time.
func describeVersion(bi *debug.BuildInfo) string {
	if bi == nil {
		return "actionbot (no build information)"
	}
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var rev, at string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "actionbot %s", version)
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if dirty {
			rev += "-dirty"
		}
		fmt.Fprintf(&b, " revision %s", rev)
		if at != "" {
			fmt.Fprintf(&b, " of %s", at)
		}
	}
	fmt.Fprintf(&b, " (%s)", bi.GoVersion)
	return b.String()
}

package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribeVersion(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"none", nil, "actionbot (no build information)"},
		{"release", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.4.0"},
			Settings: settings("vcs.revision", "0123456789abcdef0123", "vcs.time", "2026-11-29T20:00:00Z", "vcs.modified", "false")},
			"actionbot v1.4.0 revision 0123456789ab of 2026-11-29T20:00:00Z (go1.26.0)"},
		{"dirty checkout", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", "0123456789abcdef0123", "vcs.time", "2026-11-29T20:00:00Z", "vcs.modified", "true")},
			"actionbot (devel) revision 0123456789ab-dirty of 2026-11-29T20:00:00Z (go1.26.0)"},
		{"no vcs (go test)", &debug.BuildInfo{GoVersion: "go1.26.0"}, "actionbot (devel) (go1.26.0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := describeVersion(tt.bi); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVersionCommandAndFlag(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, _, err := run(t, "", "", args...)
		if err != nil || !strings.HasPrefix(out, "actionbot ") || !strings.Contains(out, "(go1.") {
			t.Errorf("%v: %q, %v", args, out, err)
		}
	}
}

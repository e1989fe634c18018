package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var deployFiles = []string{"actionbot.service", "actionbot-backup.service", "actionbot-backup.timer"}

// TestDeployFiles checks what the service files promise in README › Deploy,
// then has systemd-analyze verify them, where it exists, with the binary's
// path pointed at an executable that exists (verify checks it).
func TestDeployFiles(t *testing.T) {
	units := map[string]string{}
	for _, f := range deployFiles {
		data, err := os.ReadFile(filepath.Join("deploy", f))
		if err != nil {
			t.Fatal(err)
		}
		units[f] = string(data)
	}
	for f, want := range map[string][]string{
		"actionbot.service": {"ExecStart=/usr/local/bin/actionbot serve --config /etc/actionbot/config.toml",
			"EnvironmentFile=/etc/actionbot/secrets.env", "DynamicUser=yes", "User=actionbot", "StateDirectory=actionbot",
			"WorkingDirectory=/var/lib/actionbot", "Restart=on-failure", "NoNewPrivileges=yes", "ProtectSystem=strict"},
		"actionbot-backup.service": {"ExecStart=/usr/local/bin/actionbot backup --keep 14 /var/lib/actionbot/backups --config /etc/actionbot/config.toml",
			"Type=oneshot", "DynamicUser=yes", "User=actionbot", "StateDirectory=actionbot actionbot/backups", "ProtectSystem=strict"},
		"actionbot-backup.timer": {"OnCalendar=", "Persistent=true", "WantedBy=timers.target"},
	} {
		for _, w := range want {
			if !strings.Contains(units[f], w+"\n") && !strings.Contains(units[f], w) {
				t.Errorf("%s lacks %q", f, w)
			}
		}
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed: the unit files are not verified (apt-get install systemd)")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for _, f := range deployFiles {
		p := filepath.Join(dir, f)
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(units[f], "/usr/local/bin/actionbot", exe)), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	// verify exits 0 on an unknown key, but says so: any word from it is
	// a finding.
	out, err := exec.Command(analyze, append([]string{"verify", "--man=no"}, paths...)...).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

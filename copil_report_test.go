package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCopilReportEmail: copil-report --email queues the minutes for each
// guest once; a second run queues nothing; --again queues them anew; the
// flags are checked before anything is done.
func TestCopilReportEmail(t *testing.T) {
	dir := t.TempDir()
	config := "[store]\npath = \"" + filepath.Join(dir, "plan.db") + "\"\n" +
		"[web]\nbase_url = \"https://actionbot.example.org\"\n" +
		"[email]\nsmtp_url = \"smtp://127.0.0.1:2525\"\nfrom = \"Plan attractivité <actionbot@tours-metropole.example>\"\n" +
		"[[copil.guests]]\nname = \"Claire Martin\"\nemail = \"claire.martin@medef-touraine.example\"\norganisation = \"MEDEF Touraine\"\n" +
		"[[copil.guests]]\nname = \"Jean Dupont\"\nemail = \"jean.dupont@cci-touraine.example\"\n"
	if _, _, err := runIn(t, dir, "", config, "import", "--demo"); err != nil {
		t.Fatal(err)
	}
	out, _, err := runIn(t, dir, "", config, "copil-report", "--email")
	if err != nil || strings.Count(out, "queued minutes:") != 2 || !strings.Contains(out, "mailto:claire.martin@medef-touraine.example") {
		t.Fatalf("copil-report --email: %q, %v", out, err)
	}
	if out, _, err = runIn(t, dir, "", config, "copil-report", "--email"); err != nil || strings.Contains(out, "queued minutes") || !strings.Contains(out, "nothing queued") {
		t.Errorf("copil-report --email, again: %q, %v", out, err)
	}
	if out, _, err = runIn(t, dir, "", config, "copil-report", "--email", "--again"); err != nil || strings.Count(out, "queued minutes-again:") != 2 {
		t.Errorf("copil-report --email --again: %q, %v", out, err)
	}
	out, _, err = runIn(t, dir, "", config, "deliveries")
	if err != nil || strings.Count(out, "minutes:") != 2 || strings.Count(out, "minutes-again:") != 2 || strings.Count(out, "pending") != 4 {
		t.Errorf("deliveries: %q, %v", out, err)
	}
	for _, args := range [][]string{{"copil-report"}, {"copil-report", "--again", "-o", "x.pdf"}} {
		if _, _, err := runIn(t, dir, "", config, args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	// Without guests: said, not silent.
	plain := "[store]\npath = \"" + filepath.Join(dir, "plan.db") + "\"\n"
	if _, _, err := runIn(t, dir, "", plain, "copil-report", "--email"); err == nil || !strings.Contains(err.Error(), "copil.guests") {
		t.Errorf("--email with no guests: %v", err)
	}
}

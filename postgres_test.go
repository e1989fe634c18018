package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/store/storetest"
)

// postgresConfig is a configuration whose store is a new schema of the
// test PostgreSQL server, given through ACTIONBOT_DATABASE_URL as a
// password would be; the test is skipped without one.
func postgresConfig(t *testing.T, rest string) (config string, env map[string]string) {
	t.Helper()
	return "[store]\ndriver = \"postgres\"\n" + rest, map[string]string{"ACTIONBOT_DATABASE_URL": storetest.PostgresURL(t)}
}

// TestCommandsOnPostgres runs the command line's commands on a PostgreSQL
// store: import, export (the CSV identical to the SQLite store's), chart,
// digest and reminder printed and posted, the outbox, share; backup says
// to use pg_dump.
func TestCommandsOnPostgres(t *testing.T) {
	dir := t.TempDir()
	fake := newPostRecorder(t)
	slack := "[slack]\nbot_token = \"xoxb-cli\"\napi_url = \"" + fake.URL + "/api/\"\n[web]\nbase_url = \"https://actionbot.example.org/\"\n" +
		"[copil]\nchannel = \"C0COPIL\"\n[[groups]]\nkey = \"prospection\"\nname = \"Prospection\"\nchannel = \"C0PROSPECTION\"\n"
	config, env := postgresConfig(t, "")
	config = slack + config
	cmd := func(args ...string) (string, error) {
		t.Helper()
		out, _, err := runEnv(t, dir, "", config, env, args...)
		return out, err
	}
	lite := slack + "[store]\npath = \"" + filepath.Join(dir, "plan.db") + "\"\n"
	if out, err := cmd("import", "--demo"); err != nil || !strings.Contains(out, "52 actions") {
		t.Fatalf("import --demo: %q, %v", out, err)
	}
	if _, _, err := runIn(t, dir, "", lite, "import", "--demo"); err != nil {
		t.Fatal(err)
	}
	csvPG, err := cmd("export")
	if err != nil {
		t.Fatal(err)
	}
	csvLite, _, err := runIn(t, dir, "", lite, "export")
	if err != nil {
		t.Fatal(err)
	}
	if csvPG != csvLite {
		t.Errorf("the CSV export of the demo plan differs between PostgreSQL and SQLite")
	}
	// The CSV imported into another PostgreSQL store exports the same.
	file := filepath.Join(dir, "plan.csv")
	if err := os.WriteFile(file, []byte(csvPG), 0o600); err != nil {
		t.Fatal(err)
	}
	other, otherEnv := postgresConfig(t, "")
	if out, _, err := runEnv(t, dir, "", other, otherEnv, "import", file); err != nil || !strings.Contains(out, "52 created") {
		t.Errorf("import into a new PostgreSQL store: %q, %v", out, err)
	}
	// The demo plan's export names its people (« Marie Lefèvre <@U01MARIE> »);
	// the plan imported from it is no longer the demo, and without a bot
	// token its export writes the bare <@U01MARIE>: the rest is the same.
	unnamed := regexp.MustCompile(`[^;"<>\n]+ (<@U[A-Z0-9]+>)`).ReplaceAllString(csvPG, "$1")
	if unnamed == csvPG {
		t.Errorf("the demo plan's export names nobody")
	}
	if again, _, err := runEnv(t, dir, "", other, otherEnv, "export"); err != nil || again != unnamed {
		t.Errorf("export, import, export on PostgreSQL changed the file (%v)\n%s", err, lineDiff(unnamed, again))
	}
	png := filepath.Join(dir, "plan.png")
	if out, err := cmd("chart", "-o", png); err != nil || !strings.Contains(out, png) {
		t.Errorf("chart: %q, %v", out, err)
	} else {
		checkPNG(t, png)
	}
	if out, err := cmd("digest", "--group", "prospection", "--post"); err != nil || !strings.Contains(out, "posted to C0PROSPECTION") {
		t.Errorf("digest --post: %q, %v", out, err)
	}
	if out, err := cmd("copil-reminder"); err != nil || !strings.Contains(out, "COPIL") {
		t.Errorf("copil-reminder: %q, %v", out, err)
	}
	if out, err := cmd("deliveries"); err != nil || !regexp.MustCompile(`sent\s+digest-now:prospection:\S+\s+C0PROSPECTION\s+1`).MatchString(out) {
		t.Errorf("deliveries: %v\n%s", err, out)
	}
	if out, err := cmd("share", "--days", "10", "--name", "MEDEF Touraine"); err != nil || !strings.Contains(out, "https://actionbot.example.org/plan?t=") {
		t.Errorf("share: %q, %v", out, err)
	}
	if out, err := cmd("share", "--list"); err != nil || !strings.Contains(out, "MEDEF Touraine") {
		t.Errorf("share --list: %q, %v", out, err)
	}
	if _, err := cmd("backup", filepath.Join(dir, "copy.db")); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup on PostgreSQL = %v, want it to say to use pg_dump", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "copy.db")); err == nil {
		t.Error("backup on PostgreSQL left a file")
	}
}

// TestMigrateFrom moves a SQLite plan with the command line into an empty
// PostgreSQL store, and into another SQLite file: the command checks the
// counts and the CSV export, and the export of the copy is the export of
// the original; a second move into the same store is refused.
func TestMigrateFrom(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.db")
	lite := "[store]\npath = \"" + old + "\"\n[web]\nbase_url = \"https://actionbot.example.org/\"\n"
	if _, _, err := runIn(t, dir, "", lite, "import", "--demo"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runIn(t, dir, "", lite, "share", "--name", "MEDEF Touraine"); err != nil {
		t.Fatal(err)
	}
	want, _, err := runIn(t, dir, "", lite, "export")
	if err != nil {
		t.Fatal(err)
	}
	targets := []struct {
		name, config string
		env          map[string]string
	}{{"into SQLite", "[store]\npath = \"" + filepath.Join(dir, "new.db") + "\"\n", nil}}
	if os.Getenv(storetest.PostgresEnv) != "" {
		config, env := postgresConfig(t, "")
		targets = append(targets, struct {
			name, config string
			env          map[string]string
		}{"into PostgreSQL", config, env})
	} else {
		t.Logf("%s is not set: into SQLite only", storetest.PostgresEnv)
	}
	for _, tc := range targets {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := runEnv(t, dir, "", tc.config, tc.env, "migrate", "--from", old)
			if err != nil || !strings.Contains(out, "actions 52") || !strings.Contains(out, "links 1") || !strings.Contains(out, "CSV export identical") {
				t.Fatalf("migrate: %q, %v", out, err)
			}
			if got, _, err := runEnv(t, dir, "", tc.config, tc.env, "export"); err != nil || got != want {
				t.Errorf("the copy's export differs from the original's (%v)", err)
			}
			if _, _, err := runEnv(t, dir, "", tc.config, tc.env, "migrate", "--from", old); err == nil || !strings.Contains(err.Error(), "empty") {
				t.Errorf("a second migrate into the same store = %v, want a refusal", err)
			}
		})
	}
	if _, _, err := runIn(t, dir, "", lite, "migrate", "--from", old); err == nil {
		t.Error("migrate from the configured database into itself was accepted")
	}
}

// lineDiff shows the lines of a and b that differ, for a failure message.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x, y))
		}
		if len(out) == 5 {
			break
		}
	}
	return strings.Join(out, "\n")
}

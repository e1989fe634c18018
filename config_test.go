package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/tours-metropole/actionbot/store"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func noEnv(string) string { return "" }

func TestConfigDefaults(t *testing.T) {
	c, err := LoadConfig(filepath.Join(t.TempDir(), "missing.toml"), false, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Language != "fr" || c.Location.String() != "Europe/Paris" || c.HTTP.Listen != "127.0.0.1:3000" || c.Store.Path != "actionbot.db" {
		t.Errorf("defaults = %+v", c)
	}
	if diff := cmp.Diff([]time.Duration{7 * 24 * time.Hour, 24 * time.Hour}, c.Reminders); diff != "" {
		t.Errorf("reminders (-want +got):\n%s", diff)
	}
	var keys []string
	for _, g := range c.Groups {
		keys = append(keys, g.Key)
		if g.Digest != DefaultDigest {
			t.Errorf("group %s digest = %q", g.Key, g.Digest)
		}
		if g.Rhythm != store.DefaultRhythm {
			t.Errorf("group %s update_every = %v", g.Key, g.Rhythm)
		}
	}
	if diff := cmp.Diff([]string{"parcours-client", "prospection", "ambassadeurs", "outils-numeriques"}, keys); diff != "" {
		t.Errorf("default groups (-want +got):\n%s", diff)
	}
}

func TestConfigExampleLoads(t *testing.T) {
	c, err := LoadConfig("config.example.toml", true, noEnv)
	if err != nil {
		t.Fatalf("config.example.toml: %v", err)
	}
	d, err := LoadConfig(filepath.Join(t.TempDir(), "missing.toml"), false, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	// The example shows the defaults.
	if diff := cmp.Diff(d, c, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })); diff != "" {
		t.Errorf("config.example.toml differs from the defaults (-defaults +example):\n%s", diff)
	}
}

func TestConfigFileAndEnvironment(t *testing.T) {
	path := writeConfig(t, `
language = "en"
timezone = "America/Montreal"
admins = ["U0ADMIN1"]
[slack]
bot_token = "xoxb-from-file"
team_id = "T0TEAM"
api_url = "http://127.0.0.1:9999/api"
[copil]
channel = "C0COPIL"
reminders = ["3d", "2h"]
[[groups]]
key = "prospection"
name = "Prospection"
channel = "gt-prospection"
leads = ["U0LEAD1", "W0LEAD2"]
digest = "CRON_TZ=Europe/Paris 30 8 * * TUE"
`)
	env := map[string]string{"SLACK_BOT_TOKEN": "xoxb-from-env", "SLACK_SIGNING_SECRET": "s3cret"}
	c, err := LoadConfig(path, true, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Language != "en" || c.Location.String() != "America/Montreal" || c.Slack.BotToken != "xoxb-from-env" || c.Slack.SigningSecret != "s3cret" {
		t.Errorf("config = %+v", c)
	}
	if c.Slack.APIURL != "http://127.0.0.1:9999/api/" {
		t.Errorf("api_url = %q, want a trailing slash added", c.Slack.APIURL)
	}
	if diff := cmp.Diff([]time.Duration{72 * time.Hour, 2 * time.Hour}, c.Reminders); diff != "" {
		t.Errorf("reminders (-want +got):\n%s", diff)
	}
	if len(c.Groups) != 1 || c.Groups[0].Channel != "gt-prospection" || len(c.StoreGroups()[0].Leads) != 2 {
		t.Errorf("groups = %+v", c.Groups)
	}
}

func TestConfigPostgres(t *testing.T) {
	path := writeConfig(t, "[store]\ndriver = \"postgres\"\nurl = \"postgres://actionbot@file.example.org/actionbot\"\n")
	for _, tc := range []struct {
		name, env, want string
	}{
		{"from the file", "", "postgres://actionbot@file.example.org/actionbot"},
		{"the environment wins", "postgresql://actionbot:secret@env.example.org:5433/plan?sslmode=require", "postgresql://actionbot:secret@env.example.org:5433/plan?sslmode=require"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := LoadConfig(path, true, func(k string) string {
				if k == "ACTIONBOT_DATABASE_URL" {
					return tc.env
				}
				return ""
			})
			if err != nil {
				t.Fatal(err)
			}
			if driver, source := c.StoreSource(); driver != "postgres" || source != tc.want {
				t.Errorf("StoreSource = %q, %q; want postgres, %q", driver, source, tc.want)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name, body string
		env        map[string]string
		want       string
	}{
		{"syntax", "language = \n", nil, "line 1"},
		{"unknown key", "langage = \"fr\"\n", nil, "unknown key langage"},
		{"unknown nested key", "[slack]\ntoken = \"x\"\n", nil, "unknown key slack.token"},
		{"language", `language = "de"`, nil, `language = "de"`},
		{"timezone", `timezone = "Europe/Tours"`, nil, `timezone = "Europe/Tours"`},
		{"admin id", `admins = ["marie"]`, nil, `admins: "marie" is not a Slack user ID`},
		{"bot token prefix", "[slack]\nbot_token = \"xoxp-123\"\n", nil, "slack.bot_token (or SLACK_BOT_TOKEN): a bot token starts with xoxb-"},
		{"bot token from env", "", map[string]string{"SLACK_BOT_TOKEN": "abc"}, "starts with xoxb-"},
		{"app token prefix", "", map[string]string{"SLACK_APP_TOKEN": "xoxb-1"}, "slack.app_token (or SLACK_APP_TOKEN): an app-level token starts with xapp-"},
		{"api url", "[slack]\napi_url = \"slack.com\"\n", nil, `slack.api_url = "slack.com"`},
		{"listen", "[http]\nlisten = \"3000\"\n", nil, `http.listen = "3000"`},
		{"store path", "[store]\npath = \"\"\n", nil, "store.path is empty"},
		{"store driver", "[store]\ndriver = \"mysql\"\n", nil, `store.driver = "mysql"`},
		{"postgres without url", "[store]\ndriver = \"postgres\"\n", nil, "store.url (or ACTIONBOT_DATABASE_URL)"},
		{"postgres url", "[store]\ndriver = \"postgres\"\nurl = \"db.example.org\"\n", nil, "store.url (or ACTIONBOT_DATABASE_URL)"},
		{"url on sqlite", "", map[string]string{"ACTIONBOT_DATABASE_URL": "postgres://h/db"}, `store.driver is "sqlite"`},
		{"reminder", "[copil]\nreminders = [\"7 days\"]\n", nil, `copil.reminders: "7 days"`},
		{"negative reminder", "[copil]\nreminders = [\"-1d\"]\n", nil, `copil.reminders: "-1d"`},
		{"group key", "[[groups]]\nkey = \"Parcours Client\"\nname = \"x\"\n", nil, `groups[0].key = "Parcours Client"`},
		{"duplicate group", "[[groups]]\nkey = \"a\"\nname = \"A\"\n[[groups]]\nkey = \"a\"\nname = \"B\"\n", nil, `groups[1].key = "a": two groups`},
		{"group name", "[[groups]]\nkey = \"a\"\n", nil, "groups[0].name is empty"},
		{"lead id", "[[groups]]\nkey = \"a\"\nname = \"A\"\nleads = [\"@marie\"]\n", nil, `groups[0].leads: "@marie"`},
		{"digest", "[[groups]]\nkey = \"a\"\nname = \"A\"\ndigest = \"every monday\"\n", nil, `groups[0].digest = "every monday": not a cron spec`},
		{"digest bad zone", "[[groups]]\nkey = \"a\"\nname = \"A\"\ndigest = \"CRON_TZ=Mars/Olympus 0 9 * * MON\"\n", nil, `unknown time zone "Mars/Olympus"`},
		{"copil channel name", "[copil]\nchannel = \"#copil\"\n", nil, `copil.channel = "#copil"`},
		{"canvas without channel", "[copil]\ncanvas = true\n", nil, "copil.canvas = true needs copil.channel"},
		{"canvas_every", "[copil]\nchannel = \"C0COPIL\"\ncanvas = true\ncanvas_every = \"10 minutes\"\n", nil, `copil.canvas_every = "10 minutes"`},
		{"canvas_every too often", "[copil]\ncanvas_every = \"30s\"\n", nil, `copil.canvas_every = "30s"`},
		{"canvas_every too rare", "[copil]\ncanvas_every = \"48h\"\n", nil, `copil.canvas_every = "48h"`},
		{"canvas not a bool", "[copil]\ncanvas = \"oui\"\n", nil, "canvas"},
		{"update every", "[[groups]]\nkey = \"a\"\nname = \"A\"\nupdate_every = \"30 jours\"\n", nil, `groups[0].update_every = "30 jours"`},
		{"nudges schedule", "[nudges]\nschedule = \"lundi\"\n", nil, `nudges.schedule = "lundi"`},
		{"base url", "[web]\nbase_url = \"actionbot.example.org\"\n", nil, `web.base_url = "actionbot.example.org"`},
		// The pages, their links and their cookie live at /plan: a path
		// before it would break them all, and the unfurls.
		{"base url with a path", "[web]\nbase_url = \"https://example.org/actionbot\"\n", nil, `web.base_url = "https://example.org/actionbot"`},
		{"smtp url", "[web]\nbase_url = \"https://a.example\"\n[email]\nsmtp_url = \"imap://x\"\nfrom = \"a@b.fr\"\n", nil, `email.smtp_url = "imap://x"`},
		{"smtp url hides password", "[web]\nbase_url = \"https://a.example\"\n[email]\nsmtp_url = \"smtpx://u:secret@h\"\nfrom = \"a@b.fr\"\n", nil, `u:xxxxx@h`},
		{"email from", "[web]\nbase_url = \"https://a.example\"\n[email]\nsmtp_url = \"smtp://h:587\"\nfrom = \"Plan\"\n", nil, `email.from = "Plan"`},
		{"email without web", "[email]\nsmtp_url = \"smtp://h:587\"\nfrom = \"a@b.fr\"\n", nil, "email needs web.base_url"},
		{"guest address", "[[copil.guests]]\nname = \"A\"\nemail = \"A <a@b.fr>\"\n", nil, `copil.guests[0].email = "A <a@b.fr>"`},
		{"guest name", "[[copil.guests]]\nemail = \"a@b.fr\"\n", nil, "copil.guests[0].name is empty"},
		{"guest without email", "[[copil.guests]]\nname = \"A\"\nemail = \"a@b.fr\"\n", nil, "set [email] smtp_url"},
		{"group email", "[[groups]]\nkey = \"a\"\nname = \"A\"\nemails = [\"UEP37\"]\n", nil, `groups[0].emails: "UEP37"`},
		{"group email without [email]", "[[groups]]\nkey = \"a\"\nname = \"A\"\nemails = [\"a@b.fr\"]\n", nil, "set [email] smtp_url"},
		{"digest zone only", "[[groups]]\nkey = \"a\"\nname = \"A\"\ndigest = \"CRON_TZ=Europe/Paris\"\n", nil, "must be followed by the schedule"},
		{"timezone Local", `timezone = "Local"`, nil, `timezone = "Local"`},
		{"reminder over a year", "[copil]\nreminders = [\"400d\"]\n", nil, `copil.reminders: "400d": more than a year`},
		{"reminder over a year in hours", "[copil]\nreminders = [\"9000h\"]\n", nil, `copil.reminders: "9000h"`},
		{"digest never fires", "[[groups]]\nkey = \"a\"\nname = \"A\"\ndigest = \"0 0 30 2 *\"\n", nil, `groups[0].digest = "0 0 30 2 *": this spec never fires`},
		{"nudges never fire", "[nudges]\nschedule = \"CRON_TZ=Europe/Paris 0 9 31 4 *\"\n", nil, `never fires`},
		{"log format", "[log]\nformat = \"xml\"\n", nil, `log.format = "xml"`},
		{"log level", "[log]\nlevel = \"verbose\"\n", nil, `log.level = "verbose"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.body)
			_, err := LoadConfig(path, true, func(k string) string { return tt.env[k] })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	t.Run("missing explicit file", func(t *testing.T) {
		if _, err := LoadConfig(filepath.Join(t.TempDir(), "nope.toml"), true, noEnv); err == nil {
			t.Error("no error for a missing --config file")
		}
	})
}

// TestConfigRelativePaths: a relative path in the file is taken from the
// file's folder, whatever the current directory; an absolute one and the
// in-memory database are left as they are.
func TestConfigRelativePaths(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ path, want string }{
		{"actionbot.db", filepath.Join(dir, "actionbot.db")},
		{"data/plan.db", filepath.Join(dir, "data", "plan.db")},
		{"../plan.db", filepath.Join(filepath.Dir(dir), "plan.db")},
		{"/var/lib/actionbot/plan.db", "/var/lib/actionbot/plan.db"},
		{":memory:", ":memory:"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			file := filepath.Join(dir, "config.toml")
			if err := os.WriteFile(file, []byte("[store]\npath = \""+tt.path+"\"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := LoadConfig(file, true, noEnv)
			if err != nil {
				t.Fatal(err)
			}
			if c.Store.Path != tt.want {
				t.Errorf("store.path = %q, want %q", c.Store.Path, tt.want)
			}
		})
	}
}

func TestConfigLog(t *testing.T) {
	c, err := LoadConfig(writeConfig(t, "[log]\nformat = \"json\"\nlevel = \"debug\"\n"), true, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Log.Format != "json" || c.LogLevel != slog.LevelDebug {
		t.Errorf("log = %+v, level %v", c.Log, c.LogLevel)
	}
}

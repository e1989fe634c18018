package main

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/store"

	"github.com/tours-metropole/actionbot/minutes/pdftest"
	"github.com/xuri/excelize/v2"
)

// testNow is the fixed clock of these tests: Thursday 26 November 2026, 10:00 in Paris.
var testNow = func() time.Time {
	loc, _ := time.LoadLocation("Europe/Paris")
	return time.Date(2026, 11, 26, 10, 0, 0, 0, loc)
}

// run runs the program as the binary would, with stdin and a config file
// (none when config is ""), and returns what it printed.
func run(t *testing.T, stdin, config string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runIn(t, t.TempDir(), stdin, config, args...)
}

// runIn is run in the working directory dir.
func runIn(t *testing.T, dir, stdin, config string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runEnv(t, dir, stdin, config, nil, args...)
}

// runEnv is runIn with these environment variables set.
func runEnv(t *testing.T, dir, stdin, config string, vars map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	env := map[string]string{}
	for k, v := range vars {
		env[k] = v
	}
	if config != "" {
		path := filepath.Join(t.TempDir(), "config.toml")
		config = strings.ReplaceAll(config, "$DIR", dir)
		if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
		env["ACTIONBOT_CONFIG"] = path
	} else {
		env["ACTIONBOT_CONFIG"] = ""
	}
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }, Now: testNow, ChartDir: dir}
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil { // so that ./config.toml is not the developer's
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	err = m.Run(context.Background(), args)
	return out.String(), errb.String(), err
}

func TestDemoAnswersActionCard(t *testing.T) {
	out, _, err := run(t, "/action 23\n", "", "demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"> /action 23",
		"Action 23 · Accueillir des délégations d'investisseurs",
		"Axe 1 › 1.3 Capter et aller chercher les opportunités économiques",
		"Groupe : Prospection",
		"Pilote : Tours Métropole",
		"Statut : ⚪ À lancer",
		"Échéance : lundi 23 novembre 2026 · ⚠️ en retard de 3 jours",
		"Dernière mise à jour : import",
		"Plan de démonstration",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
}

// TestDemoScript pipes a script of commands: a change made in it shows in
// the next card and in the history.
func TestDemoScript(t *testing.T) {
	script := strings.Join([]string{
		"/action 23 statut en cours",
		"/action 23 avancement 40%",
		"/action 23 note Première délégation reçue",
		"/action 23",
		"/action 23 historique",
		"/action 23 statut fini",
		"/copil",
		"/action aide",
		"",
	}, "\n")
	out, _, err := run(t, script, "", "demo")
	if err != nil {
		t.Fatal(err)
	}
	answers := strings.Split(out, "\n> ")
	if len(answers) != 8 {
		t.Fatalf("got %d answers, want 8:\n%s", len(answers), out)
	}
	checks := []struct {
		i    int
		want string
	}{
		{0, "statut : ⚪ À lancer → 🔵 En cours"},
		{1, "avancement : 0 % → 40 %"},
		{2, "note : « Première délégation reçue »"},
		{3, "▰▰▰▰▱▱▱▱▱▱ 40 %"},
		{3, "Dernière mise à jour : @U00ADMIN, jeudi 26 novembre 2026 à 10h00 — note : « Première délégation reçue »"},
		{4, "note : « Première délégation reçue »"},
		{4, "avancement : 0 % → 40 %"},
		{4, "création de l'action"},
		{5, "« fini » n'est pas un statut"},
		{6, "Prochain COPIL : mardi 8 décembre 2026 à 14h00"},
		{7, "/action <N> statut"},
	}
	for _, c := range checks {
		if !strings.Contains(answers[c.i], c.want) {
			t.Errorf("answer %d lacks %q:\n%s", c.i, c.want, answers[c.i])
		}
	}
}

func TestDemoAs(t *testing.T) {
	out, _, err := run(t, "/action mes\n/action 3 pilote \"UEP37\"\n/action 3\n", "", "demo", "--as", "U02PAUL")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Vos actions : 6\n• *7* 🔴") {
		t.Errorf("Paul's actions missing:\n%s", out)
	}
	// Refused: the pilote stays Paul, as the card asked for afterwards shows.
	card := out[strings.LastIndex(out, "> /action 3\n"):]
	if !strings.Contains(card, "Pilote : @Paul Moreau") || strings.Contains(out, "UEP37 »") || strings.Contains(out, "→ UEP37") {
		t.Errorf("Paul could change the pilote, a lead's field:\n%s", out)
	}
	if _, _, err := run(t, "", "", "demo", "--as", "paul"); err == nil || !strings.Contains(err.Error(), "Slack user ID") {
		t.Errorf("--as paul: error = %v", err)
	}
}

func TestDemoEnglish(t *testing.T) {
	out, _, err := run(t, "/action 23 status done\n", "language = \"en\"\n", "demo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "status: ⚪ To do → 🟢 Done") {
		t.Errorf("English demo:\n%s", out)
	}
}

func TestCLIErrors(t *testing.T) {
	tests := []struct {
		name   string
		config string
		args   []string
		want   string
		usage  bool
	}{
		{"no command", "", nil, "no command given", true},
		{"unknown command", "", []string{"frobnicate"}, `unknown command "frobnicate"`, true},
		{"unknown flag", "", []string{"demo", "--verbose"}, "flag provided but not defined: -verbose", true},
		{"bad config", "language = \"de\"\n", []string{"demo"}, `language = "de"`, false},
		{"import without file", "", []string{"import"}, "import takes one FILE, or --demo", true},
		{"export bad format", "", []string{"export", "--format", "ods"}, `--format "ods"`, true},
		{"export xlsx to stdout", "", []string{"export", "--format", "xlsx"}, "give -o FILE.xlsx", true},
		{"copil-report without -o", "", []string{"copil-report"}, "needs -o FILE.pdf", true},
		{"copil-report bad day", "", []string{"copil-report", "--meeting", "31/02/2027", "-o", "cr.pdf"}, `--meeting "31/02/2027": no such day`, true},
		{"copil-report not a day", "", []string{"copil-report", "--meeting", "demain", "-o", "cr.pdf"}, "want a day as JJ/MM/AAAA", true},
		{"copil-report no meeting", "[store]\npath = \"$DIR/plan.db\"\n", []string{"copil-report", "--meeting", "15/01/2027", "-o", "cr.pdf"}, "Aucun COPIL n'est prévu le 15/01/2027", false},
		{"missing import file", "[store]\npath = \"$DIR/plan.db\"\n", []string{"import", "nope.csv"}, "nope.csv", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := run(t, "", tt.config, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
			var ue *usageError
			if errors.As(err, &ue) != tt.usage {
				t.Errorf("usage error = %v, want %v", !tt.usage, tt.usage)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"demo", "--help"}, {"import", "--help"}, {"export", "--help"}} {
		out, _, err := run(t, "", "", args...)
		if err != nil || !strings.Contains(out, "Usage: actionbot") {
			t.Errorf("%v: err %v, out:\n%s", args, err, out)
		}
	}
	out, _, err := run(t, "", "", "version")
	if err != nil || !strings.HasPrefix(out, "actionbot ") {
		t.Errorf("version: %q, %v", out, err)
	}
}

// TestImportExportRoundTrip runs the CLI as an admin would: export the
// demo plan, import the file into a new database, export it again (same
// bytes), import it again (nothing changes), then refuse a bad file whole.
func TestImportExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	demo := "[store]\npath = \"" + filepath.Join(dir, "demo.db") + "\"\n"
	config := "[store]\npath = \"" + filepath.Join(dir, "plan.db") + "\"\n"
	out, _, err := runIn(t, dir, "", demo, "import", "--demo")
	if err != nil || !strings.Contains(out, "52 actions") {
		t.Fatalf("import --demo: %q, %v", out, err)
	}
	csv1, _, err := runIn(t, dir, "", demo, "export")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(csv1, "\ufeffN°;Axe;Programme;Titre;") || strings.Count(csv1, "\r\n") != 53 {
		t.Errorf("export does not look like the documented CSV:\n%.300s", csv1)
	}
	file := filepath.Join(dir, "plan.csv")
	if err := os.WriteFile(file, []byte(csv1), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err = runIn(t, dir, "", config, "import", file)
	if err != nil || !strings.Contains(out, "52 created, 0 updated, 0 unchanged") {
		t.Errorf("import: %q, %v", out, err)
	}
	// The demo names its users; the plan imported from it is no demo,
	// and without a bot token its users are bare mentions.
	if !strings.Contains(csv1, "Marie Lefèvre <@U01MARIE>") {
		t.Errorf("the demo's export does not name Marie:\n%.600s", csv1)
	}
	var bare []string
	for id, name := range store.DemoNames {
		bare = append(bare, name+" <@"+id+">", "<@"+id+">")
	}
	csv1 = strings.NewReplacer(bare...).Replace(csv1)
	if csv2, _, err := runIn(t, dir, "", config, "export"); err != nil || csv2 != csv1 {
		t.Errorf("export, import, export changed the file (%v)", err)
	}
	out, _, err = runIn(t, dir, "", config, "import", file)
	if err != nil || !strings.Contains(out, "0 created, 0 updated, 52 unchanged") {
		t.Errorf("re-import: %q, %v", out, err)
	}
	if _, _, err := runIn(t, dir, "", config, "export", "-o", filepath.Join(dir, "plan.xlsx")); err != nil {
		t.Errorf("export -o plan.xlsx: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "plan.xlsx")); err != nil || fi.Size() < 5000 {
		t.Errorf("plan.xlsx: %v", err)
	}
	// A file with a bad row is refused whole.
	bad := strings.Replace(csv1, ";En cours;", ";Fini;", 1)
	bad = strings.Replace(bad, "Créer un guichet unique", "Titre changé", 1)
	if err := os.WriteFile(file, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = runIn(t, dir, "", config, "import", file)
	if err == nil || !strings.Contains(err.Error(), "nothing was changed") || !strings.Contains(err.Error(), "colonne « Statut » : « Fini »") {
		t.Errorf("bad import error = %v", err)
	}
	if csv3, _, err := runIn(t, dir, "", config, "export"); err != nil || csv3 != csv1 {
		t.Errorf("a refused import changed the plan (%v)", err)
	}
}

// TestCharts checks « tableau » in the demo console and actionbot chart
// both write a PNG of the expected size.
func TestCharts(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runIn(t, dir, "tableau\n", "", "demo")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`enregistré dans (\S+actionbot-tableau-2026-11-26-\d+\.png)`).FindStringSubmatch(out)
	if !strings.Contains(out, "Tableau de bord du plan") || m == nil || filepath.Dir(m[1]) != dir {
		t.Fatalf("demo tableau:\n%s", out)
	}
	checkPNG(t, m[1])

	config := "[store]\npath = \"" + filepath.Join(dir, "plan.db") + "\"\n"
	if _, _, err := runIn(t, dir, "", config, "import", "--demo"); err != nil {
		t.Fatal(err)
	}
	png := filepath.Join(dir, "plan.png")
	if out, _, err := runIn(t, dir, "", config, "chart", "-o", png); err != nil || !strings.Contains(out, png) {
		t.Fatalf("chart: %q, %v", out, err)
	}
	checkPNG(t, png)
}

// TestCopilReport writes the minutes of the demo's past COPIL, by its day.
func TestCopilReport(t *testing.T) {
	dir := t.TempDir()
	config := "[store]\npath = \"" + filepath.Join(dir, "plan.db") + "\"\n"
	if _, _, err := runIn(t, dir, "", config, "import", "--demo"); err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(dir, "cr.pdf")
	out, _, err := runIn(t, dir, "", config, "copil-report", "--meeting", "7/10/2026", "-o", pdf)
	if err != nil || !strings.Contains(out, pdf) {
		t.Fatalf("copil-report: %q, %v", out, err)
	}
	data, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if text := pdftest.Text(t, data); !strings.Contains(text, "Compte rendu du COPIL du mercredi 7 octobre 2026") {
		t.Errorf("the minutes say:\n%s", text)
	}
}

func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 800 {
		t.Errorf("%s is %v, want 1200×800", path, b)
	}
}

func TestDemoScheduledPosts(t *testing.T) {
	out, _, err := run(t, "digest prospection\nrappel-copil\ndigest\n", "", "demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Point hebdomadaire · Prospection", "Cette semaine", "Rappel : COPIL dans 12 jours",
		"— DM @Paul Moreau —", "Le COPIL approche : mardi 8 décembre 2026", "De quel groupe ?"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
}

// TestPostByHand prints a digest and a reminder, posts a digest now
// through a fake Slack API, and lists the outbox.
func TestPostByHand(t *testing.T) {
	dir := t.TempDir()
	fake := newPostRecorder(t)
	config := `
[slack]
bot_token = "xoxb-cli"
api_url = "` + fake.URL + `/api/"
[store]
path = "` + filepath.Join(dir, "plan.db") + `"
[copil]
channel = "C0COPIL"
[[groups]]
key = "prospection"
name = "Prospection"
channel = "C0PROSPECTION"
`
	if _, _, err := runIn(t, dir, "", config, "import", "--demo"); err != nil {
		t.Fatal(err)
	}
	out, _, err := runIn(t, dir, "", config, "digest", "--group", "Prospection")
	if err != nil || !strings.Contains(out, "Point hebdomadaire · Prospection") {
		t.Errorf("digest: %v\n%s", err, out)
	}
	if len(fake.to("C0PROSPECTION")) != 0 {
		t.Error("digest without --post posted")
	}
	out, _, err = runIn(t, dir, "", config, "copil-reminder")
	if err != nil || !strings.Contains(out, "Rappel : COPIL dans 12 jours") || !strings.Contains(out, "— DM U02PAUL —") {
		t.Errorf("copil-reminder: %v\n%s", err, out)
	}
	out, _, err = runIn(t, dir, "", config, "digest", "--group", "PROSPECTION", "--post")
	if err != nil || !strings.Contains(out, "posted to C0PROSPECTION") {
		t.Fatalf("digest --post: %v\n%s", err, out)
	}
	if posts := fake.to("C0PROSPECTION"); len(posts) != 1 || !strings.Contains(posts[0].Get("text"), "Point hebdomadaire") {
		t.Errorf("posts to C0PROSPECTION: %v", posts)
	}
	out, _, err = runIn(t, dir, "", config, "deliveries")
	if err != nil || !regexp.MustCompile(`sent\s+digest-now:prospection:\S+\s+C0PROSPECTION\s+1`).MatchString(out) {
		t.Errorf("deliveries: %v\n%s", err, out)
	}
	if _, _, err := runIn(t, dir, "", config, "digest", "--group", "marketing"); err == nil || !strings.Contains(err.Error(), "marketing") {
		t.Errorf("unknown group: %v", err)
	}
}

// TestExportNamesAuthors: with a bot token, the workbook's journal shows
// its authors' Slack names (users.info), which a printed sheet needs.
func TestExportNamesAuthors(t *testing.T) {
	dir := t.TempDir()
	fake := newPostRecorder(t)
	withToken := func(db string) string {
		return "[slack]\nbot_token = \"xoxb-x\"\napi_url = \"" + fake.URL + "/api/\"\n[store]\npath = \"" + filepath.Join(dir, db) + "\"\n"
	}
	demo, real := withToken("demo.db"), withToken("plan.db")
	if _, _, err := runIn(t, dir, "", demo, "import", "--demo"); err != nil {
		t.Fatal(err)
	}
	sheetColumn := func(file, sheet string, col, from int) string {
		t.Helper()
		f, err := excelize.OpenFile(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		var cells []string
		for _, r := range rows[from:] {
			if len(r) > col {
				cells = append(cells, r[col])
			}
		}
		return strings.Join(cells, ",")
	}
	// The demonstration plan: its users by their demo names.
	out := filepath.Join(dir, "demo.xlsx")
	if _, _, err := runIn(t, dir, "", demo, "export", "-o", out); err != nil {
		t.Fatal(err)
	}
	if authors := sheetColumn(out, "Journal depuis le dernier COPIL", 3, 2); !strings.Contains(authors, "Paul Moreau <@U02PAUL>") {
		t.Errorf("journal authors: %v", authors)
	}
	// A real plan: its users by the names users.info gives, in the CSV
	// too.
	csv := filepath.Join(dir, "plan.csv")
	if _, _, err := runIn(t, dir, "", demo, "export", "-o", csv); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runIn(t, dir, "", real, "import", csv); err != nil {
		t.Fatal(err)
	}
	text, _, err := runIn(t, dir, "", real, "export")
	if err != nil || !strings.Contains(text, "Nom de U02PAUL <@U02PAUL>") || strings.Contains(text, "Paul Moreau") {
		t.Errorf("export of the real plan: %v\n%.800s", err, text)
	}
	out = filepath.Join(dir, "plan.xlsx")
	if _, _, err := runIn(t, dir, "", real, "export", "-o", out); err != nil {
		t.Fatal(err)
	}
	if pilotes := sheetColumn(out, "Plan", 5, 1); !strings.Contains(pilotes, "Nom de U01MARIE <@U01MARIE>") {
		t.Errorf("pilotes: %v", pilotes)
	}
}

// TestDemoNeverMixesWithARealPlan: the demo goes into an empty database
// only, and a real plan never lands on the demo.
func TestDemoNeverMixesWithARealPlan(t *testing.T) {
	dir := t.TempDir()
	config := "[store]\npath = \"" + filepath.Join(dir, "plan.db") + "\"\n"
	if _, _, err := runIn(t, dir, "", config, "import", "--demo"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runIn(t, dir, "", config, "import", "--demo"); err == nil || !strings.Contains(err.Error(), "goes into an empty one") {
		t.Errorf("second import --demo: %v", err)
	}
	file := filepath.Join(dir, "real.csv")
	os.WriteFile(file, []byte("N°;Axe;Programme;Titre;Groupe de travail;Pilote;Contributeurs;Statut;Avancement;Échéance\n1;Axe 1;1.1;Vrai titre;Prospection;Dev'Up;;En cours;10;\n"), 0o600)
	if _, _, err := runIn(t, dir, "", config, "import", file); err == nil || !strings.Contains(err.Error(), "holds the demonstration plan") {
		t.Errorf("import over the demo: %v", err)
	}
	// And the other way round: a real plan first, then --demo.
	real := "[store]\npath = \"" + filepath.Join(dir, "real.db") + "\"\n"
	if _, _, err := runIn(t, dir, "", real, "import", file); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runIn(t, dir, "", real, "import", "--demo"); err == nil {
		t.Error("import --demo over a real plan was accepted")
	}
	out, _, err := runIn(t, dir, "", real, "export")
	if err != nil || strings.Count(out, "\r\n") != 2 || !strings.Contains(out, "Vrai titre") {
		t.Errorf("the real plan changed: %v\n%s", err, out)
	}
}

// TestConfigAfterTheCommand: --config after the command works as before
// it, and a relative [store] path is taken from the config file's folder,
// not from the directory the command runs in.
func TestConfigAfterTheCommand(t *testing.T) {
	etc, elsewhere := t.TempDir(), t.TempDir()
	config := filepath.Join(etc, "config.toml")
	if err := os.WriteFile(config, []byte("[store]\npath = \"plan.db\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"import", "--demo", "--config", config},
		{"--config", config, "export", "-o", "out.csv"},
		{"export", "--config=" + config, "-o", "out2.csv"},
	} {
		_, _, err := runIn(t, elsewhere, "", "", args...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	if _, err := os.Stat(filepath.Join(etc, "plan.db")); err != nil {
		t.Errorf("the database is not beside the config file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "plan.db")); err == nil {
		t.Error("a database was created in the current directory")
	}
	for _, args := range [][]string{{"export", "--config"}, {"export", "--config="}} {
		var ue *usageError
		if _, _, err := runIn(t, elsewhere, "", "", args...); !errors.As(err, &ue) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}

// TestPostWithoutTokenQueuesNothing: --post without a bot token is refused
// before anything is queued (serve would otherwise send it later, and each
// try would queue one more); deliveries --cancel drops a pending post for
// good and logs it.
func TestPostWithoutTokenQueuesNothing(t *testing.T) {
	dir := t.TempDir()
	config := "[store]\npath = \"" + filepath.Join(dir, "plan.db") + "\"\n[copil]\nchannel = \"C0COPIL\"\n[[groups]]\nkey = \"prospection\"\nname = \"Prospection\"\nchannel = \"C0PROSPECTION\"\n"
	if _, _, err := runIn(t, dir, "", config, "import", "--demo"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"digest", "--group", "prospection", "--post"}, {"copil-reminder", "--post"}, {"digest", "--group", "prospection", "--post"}} {
		if _, _, err := runIn(t, dir, "", config, args...); err == nil || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN") || !strings.Contains(err.Error(), "nothing was queued") {
			t.Errorf("%v: %v", args, err)
		}
	}
	s, err := store.Open(filepath.Join(dir, "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := s.Deliveries(context.Background(), 100)
	if err != nil || len(ds) != 0 {
		t.Errorf("the outbox holds %d deliveries (%v), want none", len(ds), err)
	}
	// A pending post, as serve's scheduler would leave it.
	d := store.Delivery{Key: "digest:prospection:2026-11-30T09:00:00", Kind: "digest", Channel: "C0PROSPECTION", Text: "x", NextTry: testNow()}
	if _, err := s.Enqueue(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	s.Close()
	out, logs, err := runIn(t, dir, "", config, "deliveries", "--cancel", d.Key)
	if err != nil || !strings.Contains(out, "cancelled") || !strings.Contains(logs, "delivery cancelled by hand") || !strings.Contains(logs, d.Key) {
		t.Fatalf("--cancel: %v\n%s\n%s", err, out, logs)
	}
	if _, _, err := runIn(t, dir, "", config, "deliveries", "--cancel", d.Key); err == nil {
		t.Error("a cancelled post cancelled again")
	}
	if _, _, err := runIn(t, dir, "", config, "deliveries", "--resend", d.Key); err != nil {
		t.Errorf("a cancelled post cannot be resent by hand: %v", err)
	}
}

// TestDemoCopilCycle runs the COPIL's commands in the demo console as bare
// words: a decision, the decisions, and the minutes written to a file.
func TestDemoCopilCycle(t *testing.T) {
	dir := t.TempDir()
	script := "decision 23 Étendre le guichet à Amboise\nreleve\ncompte-rendu\n"
	out, _, err := runIn(t, dir, script, "", "demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"📝 Décision du COPIL du 7 octobre 2026 enregistrée sur l'action 23",
		"Décisions du COPIL du 7 octobre 2026",
		"• Étendre le guichet à Amboise",
		"📄 Compte rendu du COPIL du 7 octobre 2026",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	m := regexp.MustCompile(`Compte rendu écrit dans (\S+compte-rendu-copil-2026-10-07-\d+\.pdf)`).FindStringSubmatch(out)
	if m == nil || filepath.Dir(m[1]) != dir {
		t.Fatalf("no minutes written in %s:\n%s", dir, out)
	}
	data, err := os.ReadFile(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if text := pdftest.Text(t, data); !strings.Contains(text, "Étendre le guichet à Amboise") {
		t.Errorf("the minutes lack the decision:\n%s", text)
	}
}

// TestDemoCheckin: the console has no modal; « point » lists the actions
// of the user (--as, a pilote of the demo) that need news, why, and the
// one command that updates each.
func TestDemoCheckin(t *testing.T) {
	out, _, err := runIn(t, t.TempDir(), "point\n", "", "demo", "--as", store.DemoPaul)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Faire le point — actions qui attendent de vos nouvelles :", "statut en cours avancement 60 note …"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
}

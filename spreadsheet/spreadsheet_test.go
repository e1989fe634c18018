package spreadsheet_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tours-metropole/actionbot/spreadsheet"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// The fixed clock and zone of these tests: Thursday 26 November 2026,
// 10:00 in Paris.
var paris, now = storetest.Paris, storetest.Now

// later is when a test changes the plan after seeding it.
var later = now.Add(time.Hour)

// mustOpen returns an empty store; mustSeed one holding the demo plan as
// of now.
var mustOpen, mustSeed = storetest.Empty, storetest.Demo

func mustExport(t *testing.T, s *store.Store, f spreadsheet.Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := spreadsheet.Export(context.Background(), s, &buf, f, paris, now, nil); err != nil {
		t.Fatalf("Export(%s): %v", f, err)
	}
	return buf.Bytes()
}

func mustActions(t *testing.T, s *store.Store) []store.Action {
	t.Helper()
	page, err := s.Actions(context.Background(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return page.Actions
}

func mustJournalCount(t *testing.T, s *store.Store) int64 {
	t.Helper()
	n, err := s.JournalCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// rowsOf is the rows a file written from actions should read back as.
func rowsOf(actions []store.Action) []store.ActionRow {
	rows := make([]store.ActionRow, len(actions))
	for i, a := range actions {
		rows[i] = store.ActionRow{
			Number: a.Number, AxisCode: a.Programme.Axis.Code, AxisName: a.Programme.Axis.Name,
			ProgrammeCode: a.Programme.Code, ProgrammeName: a.Programme.Name,
			Title: a.Title, Description: a.Description, Group: a.GroupKey,
			Pilote: a.Pilote(), Contributors: a.People(), Status: a.Status, Progress: a.Progress, Due: a.Due,
		}
	}
	return rows
}

// actionsOf builds the actions rows describe, as the store would return
// them, without a store.
func actionsOf(rows []store.ActionRow, groups []store.Group) []store.Action {
	out := make([]store.Action, len(rows))
	for i, r := range rows {
		a := store.Action{
			Number: r.Number, GroupKey: r.Group, Title: r.Title, Description: r.Description,
			Programme: store.Programme{Code: r.ProgrammeCode, Name: r.ProgrammeName, Axis: store.Axis{Code: r.AxisCode, Name: r.AxisName}},
			PiloteID:  r.Pilote.UserID, PiloteName: r.Pilote.Name, Status: r.Status, Progress: r.Progress, Due: r.Due,
		}
		for _, g := range groups {
			if g.Key == r.Group {
				a.Group = g
			}
		}
		for j, p := range r.Contributors {
			a.Contributors = append(a.Contributors, store.Contributor{Position: j, UserID: p.UserID, Name: p.Name})
		}
		out[i] = a
	}
	return out
}

// sameRows compares rows, a nil list of contributors equal to an empty one.
var sameRows = cmpopts.EquateEmpty()

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}

// slackNames is a Namer as users.info answers: Paul's name holds what
// would read back as markup or a list, Karim cannot be looked up.
func slackNames(_ context.Context, id string) (string, error) {
	switch id {
	case "U01MARIE":
		return "Marie Lefèvre", nil
	case "U02PAUL":
		return "Paul <Dupont>; DG", nil
	case "U03SOPHIE":
		return "Sophie", nil
	}
	return id, errors.New("users.info: user_not_found")
}

// TestRoundTrip: an export reads back as the plan, Slack users by name
// and mention, an organisation with its address; export → import → export
// a day later is byte-identical, XLSX included, and changes nothing.
func TestRoundTrip(t *testing.T) {
	for _, f := range []spreadsheet.Format{spreadsheet.CSV, spreadsheet.XLSX} {
		t.Run(string(f), func(t *testing.T) {
			ctx := context.Background()
			s := mustSeed(t)
			s.Now = func() time.Time { return later }
			org := store.Person{Name: "CCI Touraine <contact@cci-touraine.example>"}
			if _, err := s.SetPilote(ctx, 23, org, "U01MARIE"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.SetContributors(ctx, 24, []store.Person{org, {UserID: "U02PAUL"}, {UserID: "U04KARIM"}}, "U01MARIE"); err != nil {
				t.Fatal(err)
			}
			before := mustActions(t, s)
			journal := mustJournalCount(t, s)
			var first bytes.Buffer
			if err := spreadsheet.Export(ctx, s, &first, f, paris, later, slackNames); err != nil {
				t.Fatal(err)
			}
			text := fileText(t, f, first.Bytes())
			for _, want := range []string{
				"Marie Lefèvre &lt;@U01MARIE&gt;", "Paul ‹Dupont›, DG &lt;@U02PAUL&gt;", "Sophie &lt;@U03SOPHIE&gt;",
				"&lt;@U04KARIM&gt;", "CCI Touraine &lt;contact@cci-touraine.example&gt;",
			} {
				if f == spreadsheet.CSV {
					want = strings.NewReplacer("&lt;", "<", "&gt;", ">").Replace(want)
				}
				if !strings.Contains(text, want) {
					t.Errorf("the %s file lacks %q", f, want)
				}
			}
			if strings.Contains(text, "Karim") {
				t.Errorf("Karim, whose name is unknown, is named")
			}

			rows, err := spreadsheet.Read(bytes.NewReader(first.Bytes()), f, store.DefaultGroups())
			if err != nil {
				t.Fatalf("Read(export): %v", err)
			}
			if diff := cmp.Diff(rowsOf(before), rows, sameRows); diff != "" {
				t.Errorf("Read(export) (-want +got):\n%s", diff)
			}
			nextDay := later.Add(24 * time.Hour)
			s.Now = func() time.Time { return nextDay }
			res, err := spreadsheet.Import(ctx, s, bytes.NewReader(first.Bytes()), f, store.ImportAuthor)
			if err != nil {
				t.Fatalf("Import(export): %v", err)
			}
			if want := (store.ImportResult{Unchanged: len(before)}); res != want {
				t.Errorf("Import(export) = %+v, want %+v", res, want)
			}
			if got := mustJournalCount(t, s); got != journal {
				t.Errorf("journal has %d entries after re-importing the export, want %d", got, journal)
			}
			var second bytes.Buffer
			if err := spreadsheet.Export(ctx, s, &second, f, paris, nextDay, slackNames); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Errorf("export → import → export a day later is not byte-identical (%d bytes, then %d)", first.Len(), second.Len())
				if f == spreadsheet.XLSX {
					diffParts(t, first.Bytes(), second.Bytes())
				}
			}
		})
	}
}

// diffParts names the parts of two XLSX packages that differ.
func diffParts(t *testing.T, a, b []byte) {
	t.Helper()
	parts := func(data []byte) map[string]string {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, zf := range zr.File {
			rc, _ := zf.Open()
			part, _ := io.ReadAll(rc)
			rc.Close()
			out[zf.Name] = string(part)
		}
		return out
	}
	pa, pb := parts(a), parts(b)
	for name, x := range pa {
		if pb[name] != x {
			t.Errorf("part %s differs:\n%s", name, cmp.Diff(x, pb[name]))
		}
	}
}

// TestCSVCarriesThePlan imports the demo plan's CSV into an empty store:
// the file alone rebuilds axes, programmes and actions, and exports the
// same bytes.
func TestCSVCarriesThePlan(t *testing.T) {
	ctx := context.Background()
	src := mustExport(t, mustSeed(t), spreadsheet.CSV)
	golden(t, "demo-plan.csv", src)

	s := mustOpen(t)
	if err := s.SyncGroups(ctx, store.DefaultGroups()); err != nil {
		t.Fatal(err)
	}
	res, err := spreadsheet.Import(ctx, s, bytes.NewReader(src), spreadsheet.CSV, store.ImportAuthor)
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.ImportResult{Created: 52}); res != want {
		t.Errorf("Import = %+v, want %+v", res, want)
	}
	if got := mustExport(t, s, spreadsheet.CSV); !bytes.Equal(src, got) {
		t.Errorf("the plan imported into an empty store exports differently:\n%s", cmp.Diff(string(src), string(got)))
	}
}

func TestImportJournalsChanges(t *testing.T) {
	ctx := context.Background()
	s := mustSeed(t)
	journalBefore := mustJournalCount(t, s)
	src := string(mustExport(t, s, spreadsheet.CSV))

	// Action 3 moves on, action 5 gets a new pilote and a due date is
	// cleared; action 53 is new.
	src = replaceLine(t, src, "3;", func(cells []string) {
		cells[7], cells[8] = "Terminée", "100"
	})
	src = replaceLine(t, src, "5;", func(cells []string) {
		cells[5], cells[9] = "<@U03SOPHIE>", ""
	})
	src += "53;Axe 4;4.3 — Déployer une dynamique digitale sur le territoire;Créer un hackathon annuel;Outils numériques;Dev'Up;\"<@U04KARIM>; Tours Métropole\";en cours;10 %;15/06/2027;\r\n"

	s.Now = func() time.Time { return later }
	res, err := spreadsheet.Import(ctx, s, strings.NewReader(src), spreadsheet.CSV, store.ImportAuthor)
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.ImportResult{Created: 1, Updated: 2, Unchanged: 50}); res != want {
		t.Errorf("Import = %+v, want %+v", res, want)
	}
	entries, err := s.Journal(ctx, store.JournalFilter{Since: later})
	if err != nil {
		t.Fatal(err)
	}
	type change struct {
		Number        int
		Author, Field string
		Old, New      string
	}
	var got []change
	for _, e := range entries {
		got = append(got, change{e.ActionNumber, e.Author, e.Field, e.Old, e.New})
	}
	a5, err := s.ActionByNumber(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	// The new actions are journaled first, then the changes, each in the
	// order of the file (store.Import writes them in that order).
	want := []change{
		{53, store.ImportAuthor, store.FieldCreated, "", "Créer un hackathon annuel"},
		{3, store.ImportAuthor, store.FieldStatus, "en_cours", "terminee"},
		{3, store.ImportAuthor, store.FieldProgress, "40", "100"},
		{5, store.ImportAuthor, store.FieldPilote, "Tours Métropole", "<@U03SOPHIE>"},
		{5, store.ImportAuthor, store.FieldDue, "2026-12-26", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("journal of the import (-want +got):\n%s", diff)
	}
	if !a5.Due.IsZero() {
		t.Errorf("action 5 due %v, want no date", a5.Due)
	}
	if n := mustJournalCount(t, s); n != journalBefore+int64(len(want)) {
		t.Errorf("journal grew by %d entries, want %d", n-journalBefore, len(want))
	}
	a53, err := s.ActionByNumber(ctx, 53)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := store.JoinPeople(a53.People()), "<@U04KARIM>; Tours Métropole"; got != want {
		t.Errorf("action 53 contributors = %q, want %q", got, want)
	}
}

// replaceLine edits the cells of the CSV line (of an export) that starts
// with prefix.
func replaceLine(t *testing.T, src, prefix string, edit func(cells []string)) string {
	t.Helper()
	lines := strings.Split(src, "\r\n")
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			r := csv.NewReader(strings.NewReader(l))
			r.Comma = ';'
			cells, err := r.Read()
			if err != nil {
				t.Fatal(err)
			}
			edit(cells)
			var b strings.Builder
			w := csv.NewWriter(&b)
			w.Comma = ';'
			if err := w.Write(cells); err != nil {
				t.Fatal(err)
			}
			w.Flush()
			lines[i] = strings.TrimSuffix(b.String(), "\n")
			return strings.Join(lines, "\r\n")
		}
	}
	t.Fatalf("no line starts with %q", prefix)
	return ""
}

func TestImportRefusedChangesNothing(t *testing.T) {
	ctx := context.Background()
	s := mustSeed(t)
	journalBefore := mustJournalCount(t, s)
	a2Before, err := s.ActionByNumber(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	src := string(mustExport(t, s, spreadsheet.CSV))
	// A good change on action 2, and bad rows further down.
	src = replaceLine(t, src, "2;", func(cells []string) { cells[7] = "Terminée" })
	src = replaceLine(t, src, "10;", func(cells []string) { cells[7] = "fini" })
	src = replaceLine(t, src, "20;", func(cells []string) { cells[8] = "150" })

	s.Now = func() time.Time { return later }
	_, err = spreadsheet.Import(ctx, s, strings.NewReader(src), spreadsheet.CSV, store.ImportAuthor)
	var e *spreadsheet.Error
	if !errors.As(err, &e) {
		t.Fatalf("Import = %v, want a *spreadsheet.Error", err)
	}
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("errors.Is(%v, store.ErrInvalid) = false", err)
	}
	var lines []int
	for _, p := range e.Problems {
		lines = append(lines, p.Line)
	}
	if diff := cmp.Diff([]int{11, 21}, lines); diff != "" {
		t.Errorf("problem lines (-want +got):\n%s", diff)
	}
	if got := mustJournalCount(t, s); got != journalBefore {
		t.Errorf("journal has %d entries after a refused import, want %d", got, journalBefore)
	}
	a2After, err := s.ActionByNumber(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a2Before, a2After); diff != "" {
		t.Errorf("action 2 changed by a refused import (-before +after):\n%s", diff)
	}
}

// TestImportKeepsDescriptions: a file without the Description column
// leaves the stored descriptions alone; one with it sets them.
func TestImportKeepsDescriptions(t *testing.T) {
	ctx := context.Background()
	s := mustSeed(t)
	head := "N°;Axe;Programme;Titre;Groupe de travail;Pilote;Contributeurs;Statut;Avancement;Échéance"
	row := `1;Socle;S.1;Installer le COPIL ouvert aux entreprises et son calendrier annuel;Parcours client;Tours Métropole;"MEDEF Touraine; UEP37";Terminée;100;29/07/2026`
	with := head + ";Description\n" + row + ";Un COPIL par trimestre.\n"
	if _, err := spreadsheet.Import(ctx, s, strings.NewReader(with), spreadsheet.CSV, store.ImportAuthor); err != nil {
		t.Fatal(err)
	}
	without := head + "\n" + row + "\n"
	res, err := spreadsheet.Import(ctx, s, strings.NewReader(without), spreadsheet.CSV, store.ImportAuthor)
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.ImportResult{Unchanged: 1}); res != want {
		t.Errorf("Import without Description = %+v, want %+v", res, want)
	}
	a, err := s.ActionByNumber(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Un COPIL par trimestre."; a.Description != want {
		t.Errorf("description = %q, want %q", a.Description, want)
	}
}

func TestFormatOf(t *testing.T) {
	tests := []struct {
		name string
		file string
		want spreadsheet.Format
		ok   bool
	}{
		{"csv", "plan.csv", spreadsheet.CSV, true},
		{"upper case", "PLAN.CSV", spreadsheet.CSV, true},
		{"xlsx", "Plan d'actions.xlsx", spreadsheet.XLSX, true},
		{"old excel", "plan.xls", "", false},
		{"libreoffice", "plan.ods", "", false},
		{"no extension", "plan", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := spreadsheet.FormatOf(tt.file)
			if got != tt.want || (err == nil) != tt.ok {
				t.Errorf("FormatOf(%q) = %q, %v; want %q, ok %v", tt.file, got, err, tt.want, tt.ok)
			}
			if tt.ok && !strings.HasSuffix(strings.ToLower(tt.file), got.Extension()) {
				t.Errorf("%q does not end with %q", tt.file, got.Extension())
			}
			var e *spreadsheet.Error
			if err != nil && !errors.As(err, &e) {
				t.Errorf("FormatOf(%q) error %T, want *spreadsheet.Error", tt.file, err)
			}
		})
	}
}

// TestExampleFile checks the example a user starts from: it reads, and it
// is exactly what export writes for its actions.
func TestExampleFile(t *testing.T) {
	groups := store.DefaultGroups()
	src, err := os.ReadFile(filepath.Join("testdata", "plan-example.csv"))
	if err != nil && !*update {
		t.Fatal(err)
	}
	if *update {
		src = []byte(exampleCSV)
	}
	rows, err := spreadsheet.Read(bytes.NewReader(src), spreadsheet.CSV, groups)
	if err != nil {
		t.Fatalf("Read(plan-example.csv): %v", err)
	}
	var buf bytes.Buffer
	if err := spreadsheet.WriteCSV(&buf, actionsOf(rows, groups), nil); err != nil {
		t.Fatal(err)
	}
	golden(t, "plan-example.csv", buf.Bytes())
}

// exampleCSV is the source of testdata/plan-example.csv, rewritten in the
// export's exact form by go test -update.
const exampleCSV = `N°;Axe;Programme;Titre;Groupe de travail;Pilote;Contributeurs;Statut;Avancement;Échéance;Description
1;Socle — Socle commun de la démarche;S.1 — Animation de la démarche;Installer le COPIL ouvert aux entreprises;Parcours client;Tours Métropole;"MEDEF Touraine; UEP37";Terminée;100;15/01/2026;Un COPIL par trimestre, ouvert aux entreprises.
2;Socle — Socle commun de la démarche;S.2 — Promotion de la destination;Déployer la marque territoriale auprès des partenaires;Ambassadeurs;<@U03SOPHIE>;Touraine Loire Valley;En cours;55;30/06/2026;
12;Axe 1 — Attirer, accueillir et connecter les entreprises;1.1 — Organiser l'accueil des entreprises;Créer un guichet unique d'accueil des entreprises;Parcours client;Dev'Up;"Tours Métropole; CCI Touraine";En cours;70;31/03/2026;
20;Axe 1 — Attirer, accueillir et connecter les entreprises;1.3 — Capter et aller chercher les opportunités économiques;Définir les cibles de prospection prioritaires;Prospection;Dev'Up;Région Centre-Val de Loire;À lancer;0;;
31;Axe 2 — Capter et accompagner les apprenants;2.2 — Améliorer l'accueil et l'accompagnement des apprenants;Faciliter le logement des apprenants;Parcours client;Tours Métropole;"CROUS; Action Logement";Bloquée;15;01/09/2026;"En attente de la convention avec Action Logement.
Point au prochain COPIL."
`

// TestCatalogComplete: every kind of problem is worded in each language.
func TestCatalogComplete(t *testing.T) {
	for _, k := range spreadsheet.Kinds() {
		for _, lang := range []string{"fr", "en"} {
			got := spreadsheet.Problem{Kind: k, Value: "x", Detail: "2"}.Reason(lang)
			fallback := spreadsheet.Problem{Kind: spreadsheet.KindInvalid, Value: "x", Detail: "2"}.Reason(lang)
			if got == "" || strings.Contains(got, "%!") || (k != spreadsheet.KindInvalid && got == fallback) {
				t.Errorf("%s, %s: %q", k, lang, got)
			}
		}
		if fr, en := (spreadsheet.Problem{Kind: k}).Reason("fr"), (spreadsheet.Problem{Kind: k}).Reason("en"); fr == en {
			t.Errorf("%s: the English reason is the French one: %q", k, fr)
		}
	}
}

// TestRhythmRoundTrip: the optional « Rythme » column sets each action's
// own rhythm in the unit written, and export writes it back so; without
// the column, the stored rhythms stay; a rhythm alone is not an update.
func TestRhythmRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := mustSeed(t)
	head := "N°;Axe;Programme;Titre;Groupe de travail;Pilote;Contributeurs;Statut;Avancement;Échéance"
	rows := []string{
		`1;Socle;S.1;Installer le COPIL ouvert aux entreprises et son calendrier annuel;Parcours client;Tours Métropole;"MEDEF Touraine; UEP37";Terminée;100;29/07/2026`,
		`2;Socle;S.1;Animer les quatre groupes de travail et partager leurs feuilles de route;Parcours client;<@U01MARIE>;Tours Métropole;En cours;60;10/01/2027`,
		`3;Socle;S.1;Publier un tableau de bord partagé de l'avancement du plan;Outils numériques;<@U02PAUL>;;En cours;40;14/11/2026`,
	}
	before, _ := s.ActionByNumber(ctx, 2)
	with := head + ";Rythme\n" + rows[0] + ";14 jours\n" + rows[1] + ";2 Semaines\n" + rows[2] + ";1 mois\n"
	res, err := spreadsheet.Import(ctx, s, strings.NewReader(with), spreadsheet.CSV, store.ImportAuthor)
	if err != nil {
		t.Fatal(err)
	}
	if res.Updated != 3 {
		t.Errorf("import with Rythme = %+v, want 3 updated", res)
	}
	after, _ := s.ActionByNumber(ctx, 2)
	if after.UpdateEvery != (store.Rhythm{N: 2, Unit: store.Weeks}) || !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("action 2: rhythm %v, updated %v (was %v)", after.UpdateEvery, after.UpdatedAt, before.UpdatedAt)
	}
	// Without the column, the rhythms stay.
	if _, err := spreadsheet.Import(ctx, s, strings.NewReader(head+"\n"+strings.Join(rows, "\n")+"\n"), spreadsheet.CSV, store.ImportAuthor); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := spreadsheet.Export(ctx, s, &out, spreadsheet.CSV, paris, now, nil); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\r\n")
	for i, want := range []string{";14j", ";2 semaines", ";1 mois"} {
		if !strings.HasSuffix(lines[i+1], want) {
			t.Errorf("exported line %d = %q, want it to end with %q", i+2, lines[i+1], want)
		}
	}
	// An empty cell puts back the group's rhythm; a bad one is refused.
	if _, err := spreadsheet.Import(ctx, s, strings.NewReader(head+";Rythme\n"+rows[0]+";\n"), spreadsheet.CSV, store.ImportAuthor); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.ActionByNumber(ctx, 1); !a.UpdateEvery.IsZero() {
		t.Errorf("action 1's rhythm after an empty cell: %v", a.UpdateEvery)
	}
	_, err = spreadsheet.Import(ctx, s, strings.NewReader(head+";Rythme\n"+rows[0]+";souvent\n"), spreadsheet.CSV, store.ImportAuthor)
	var se *spreadsheet.Error
	if !errors.As(err, &se) || len(se.Problems) != 1 || se.Problems[0].Kind != spreadsheet.KindRhythm || se.Problems[0].Line != 2 {
		t.Errorf("a bad rhythm: %v", err)
	}
}

// TestExportForReadersHidesAddresses: the workbook the read-only web pages
// offer names the organisations without the addresses only admins see,
// in the plan and in the journal; the admins' export keeps them.
func TestExportForReadersHidesAddresses(t *testing.T) {
	ctx := context.Background()
	s := mustSeed(t)
	s.Now = func() time.Time { return later }
	const addr = "contact@cci-touraine.example"
	org := store.Person{Name: "CCI Touraine <" + addr + ">"}
	if _, err := s.SetPilote(ctx, 23, org, "U01MARIE"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetContributors(ctx, 24, []store.Person{org, {UserID: "U02PAUL"}}, "U01MARIE"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []spreadsheet.Format{spreadsheet.CSV, spreadsheet.XLSX} {
		var readers, admins bytes.Buffer
		if err := spreadsheet.ExportForReaders(ctx, s, &readers, f, paris, later, slackNames); err != nil {
			t.Fatalf("ExportForReaders(%s): %v", f, err)
		}
		if err := spreadsheet.Export(ctx, s, &admins, f, paris, later, slackNames); err != nil {
			t.Fatalf("Export(%s): %v", f, err)
		}
		if text := fileText(t, f, readers.Bytes()); strings.Contains(text, addr) || !strings.Contains(text, "CCI Touraine") {
			t.Errorf("%s for readers: holds the address %v, names the organisation %v",
				f, strings.Contains(text, addr), strings.Contains(text, "CCI Touraine"))
		}
		// Slack users are named for readers too, as on the web pages.
		if text := fileText(t, f, readers.Bytes()); !strings.Contains(text, "Paul ‹Dupont›, DG") || !strings.Contains(text, "Marie Lefèvre") {
			t.Errorf("%s for readers: the Slack users are not named", f)
		}
		if text := fileText(t, f, admins.Bytes()); !strings.Contains(text, addr) {
			t.Errorf("%s for admins: the address is lost", f)
		}
	}
}

// fileText is all the text of an export: the CSV itself, or every part of
// the XLSX package (sheets, shared strings) unzipped.
func fileText(t *testing.T, f spreadsheet.Format, data []byte) string {
	t.Helper()
	if f == spreadsheet.CSV {
		return string(data)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		part, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(part)
	}
	return b.String()
}

// TestImportRefusesAddressOnly: a pilote or contributor cell holding an
// address with no name before it is refused on its line, with how to write
// it, and the import stores nothing; « Name <address> » is taken.
func TestImportRefusesAddressOnly(t *testing.T) {
	ctx := context.Background()
	s := mustSeed(t)
	journalBefore := mustJournalCount(t, s)
	a2Before, err := s.ActionByNumber(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	src := string(mustExport(t, s, spreadsheet.CSV))
	bad := replaceLine(t, src, "2;", func(cells []string) { cells[5] = "contact@cci-touraine.example"; cells[7] = "Terminée" })
	bad = replaceLine(t, bad, "3;", func(cells []string) { cells[6] = "CCI Touraine; direction@cci-touraine.example" })
	_, err = spreadsheet.Import(ctx, s, strings.NewReader(bad), spreadsheet.CSV, store.ImportAuthor)
	var e *spreadsheet.Error
	if !errors.As(err, &e) {
		t.Fatalf("Import = %v, want a *spreadsheet.Error", err)
	}
	var got []string
	for _, p := range e.Problems {
		got = append(got, fmt.Sprintf("%d %s %s", p.Line, p.Column, p.Kind))
	}
	want := []string{"3 Pilote " + string(spreadsheet.KindAddressOnly), "4 Contributeurs " + string(spreadsheet.KindAddressOnly)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if n := mustJournalCount(t, s); n != journalBefore {
		t.Errorf("journal has %d entries after a refused import, want %d", n, journalBefore)
	}
	if a2After, _ := s.ActionByNumber(ctx, 2); !cmp.Equal(a2Before, a2After) {
		t.Errorf("action 2 changed by a refused import: %+v", a2After)
	}

	good := replaceLine(t, src, "2;", func(cells []string) { cells[5] = "CCI Touraine <contact@cci-touraine.example>" })
	if _, err := spreadsheet.Import(ctx, s, strings.NewReader(good), spreadsheet.CSV, store.ImportAuthor); err != nil {
		t.Fatalf("Import of a name and its address: %v", err)
	}
	if a2, _ := s.ActionByNumber(ctx, 2); a2.PiloteName != "CCI Touraine <contact@cci-touraine.example>" || a2.Pilote().Display() != "CCI Touraine" {
		t.Errorf("pilote of 2: %q", a2.PiloteName)
	}
}

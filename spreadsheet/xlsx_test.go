package spreadsheet_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/tours-metropole/actionbot/spreadsheet"
	"github.com/tours-metropole/actionbot/store"
)

func mustOpenXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// cellStyle returns the style of a cell.
func cellStyle(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestWriteXLSX(t *testing.T) {
	s := mustSeed(t)
	actions := mustActions(t, s)
	f := mustOpenXLSX(t, mustExport(t, s, spreadsheet.XLSX))

	t.Run("sheets", func(t *testing.T) {
		want := []string{"Plan", "Socle", "Axe 1", "Axe 2", "Axe 3", "Axe 4", "Journal depuis le dernier COPIL"}
		if diff := cmp.Diff(want, f.GetSheetList()); diff != "" {
			t.Errorf("sheets (-want +got):\n%s", diff)
		}
		if got := f.GetSheetName(f.GetActiveSheetIndex()); got != "Plan" {
			t.Errorf("active sheet %q, want Plan", got)
		}
		for sheet, want := range map[string]int{"Plan": 52, "Socle": 11, "Axe 1": 15, "Axe 2": 9, "Axe 3": 9, "Axe 4": 8} {
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(rows) - 1; got != want {
				t.Errorf("sheet %s has %d actions, want %d", sheet, got, want)
			}
		}
	})

	t.Run("header frozen and filtered", func(t *testing.T) {
		for _, sheet := range []string{"Plan", "Axe 1"} {
			panes, err := f.GetPanes(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
				t.Errorf("%s panes = %+v, want the first row frozen", sheet, panes)
			}
		}
		want := map[string]string{
			"Plan|_xlnm._FilterDatabase":                            "'Plan'!$A$1:$L$53",
			"Plan|_xlnm.Print_Titles":                               "'Plan'!$1:$1",
			"Axe 1|_xlnm.Print_Titles":                              "'Axe 1'!$1:$1",
			"Journal depuis le dernier COPIL|_xlnm.Print_Titles":    "'Journal depuis le dernier COPIL'!$1:$2",
			"Journal depuis le dernier COPIL|_xlnm._FilterDatabase": "'Journal depuis le dernier COPIL'!$A$2:$H$11",
		}
		got := map[string]string{}
		for _, dn := range f.GetDefinedName() {
			if _, ok := want[dn.Scope+"|"+dn.Name]; ok {
				got[dn.Scope+"|"+dn.Name] = dn.RefersTo
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("defined names (-want +got):\n%s", diff)
		}
	})

	t.Run("page setup", func(t *testing.T) {
		pl, err := f.GetPageLayout("Plan")
		if err != nil {
			t.Fatal(err)
		}
		if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 {
			t.Errorf("Plan page layout: orientation %v, fit to width %v; want landscape, 1", deref(pl.Orientation), deref(pl.FitToWidth))
		}
		props, err := f.GetSheetProps("Plan")
		if err != nil {
			t.Fatal(err)
		}
		if props.FitToPage == nil || !*props.FitToPage {
			t.Error("Plan is not set to fit to page")
		}
		width, err := f.GetColWidth("Plan", "D")
		if err != nil {
			t.Fatal(err)
		}
		if width < 40 {
			t.Errorf("Titre column is %v wide, want room for a title", width)
		}
	})

	t.Run("cells", func(t *testing.T) {
		// Action 5 is due 26/12/2026: a real date, shown JJ/MM/AAAA.
		typ, err := f.GetCellType("Plan", "J6")
		if err != nil {
			t.Fatal(err)
		}
		raw, err := f.GetCellValue("Plan", "J6", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		shown, err := f.GetCellValue("Plan", "J6")
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("due date cell type %v, want a number", typ)
		}
		if serial, err := strconv.ParseFloat(raw, 64); err != nil {
			t.Errorf("due date cell holds %q, want a date number", raw)
		} else if d, _ := excelize.ExcelDateToTime(serial, false); d != time.Date(2026, 12, 26, 0, 0, 0, 0, time.UTC) {
			t.Errorf("due date cell holds %v, want 26/12/2026", d)
		}
		if shown != "26/12/2026" {
			t.Errorf("due date shown %q, want 26/12/2026", shown)
		}
		if st := cellStyle(t, f, "Plan", "J6"); st.CustomNumFmt == nil || *st.CustomNumFmt != "dd/mm/yyyy" {
			t.Errorf("due date number format %v, want dd/mm/yyyy", deref(st.CustomNumFmt))
		}
		for _, cell := range []string{"A6", "I6"} {
			if typ, _ := f.GetCellType("Plan", cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("cell %s type %v, want a number", cell, typ)
			}
		}
	})

	t.Run("status colours", func(t *testing.T) {
		want := map[store.Status]struct{ fill, font string }{
			store.StatusTodo:       {"E0E0E0", ""},
			store.StatusInProgress: {"BBDEFB", ""},
			store.StatusBlocked:    {"FFCDD2", ""},
			store.StatusDone:       {"C8E6C9", ""},
			store.StatusAbandoned:  {"9E9E9E", "FFFFFF"},
		}
		seen := map[store.Status]bool{}
		for i, a := range actions {
			cell := "H" + strconv.Itoa(i+2)
			st := cellStyle(t, f, "Plan", cell)
			var fill, font string
			if len(st.Fill.Color) > 0 {
				fill = strings.TrimPrefix(strings.ToUpper(st.Fill.Color[0]), "#")
			}
			if st.Font != nil {
				font = strings.TrimPrefix(strings.ToUpper(st.Font.Color), "#")
			}
			if w := want[a.Status]; fill != w.fill || font != w.font {
				t.Errorf("action %d (%s): fill %q font %q, want %q %q", a.Number, a.Status, fill, font, w.fill, w.font)
			}
			seen[a.Status] = true
		}
		if len(seen) != len(store.Statuses) {
			t.Errorf("the demo plan shows %d statuses, want all %d", len(seen), len(store.Statuses))
		}
	})

	t.Run("journal", func(t *testing.T) {
		rows, err := f.GetRows("Journal depuis le dernier COPIL")
		if err != nil {
			t.Fatal(err)
		}
		// The demo's COPIL was on 07/10/2026 at 14:00 and recorded three
		// decisions at 16:00; the demo story since then is 6 notes (its
		// other edits set values already there).
		want := [][]string{
			{"Journal des changements depuis le 07/10/2026 à 14h00"},
			{"Date", "N° action", "Titre", "Auteur", "Champ", "Ancienne valeur", "Nouvelle valeur", "Note"},
			{"07/10/2026 16h00", "2", "Animer les quatre groupes de travail et partager leurs feuilles de route", "<@U01MARIE>", "décision du COPIL", "", "07/10/2026", "Chaque groupe de travail présente sa feuille de route au prochain COPIL."},
			{"07/10/2026 16h00", "7", "Lancer le portail web de l'attractivité de la métropole", "<@U01MARIE>", "décision du COPIL", "", "07/10/2026", "Lancer le marché du portail web avant la fin de l'année ; la direction de la communication pilote avec Paul."},
			{"07/10/2026 16h00", "31", "Faciliter le logement des apprenants", "<@U01MARIE>", "décision du COPIL", "", "07/10/2026", "Solliciter Action Logement pour une offre dédiée aux apprenants."},
			{"06/11/2026 10h00", "7", "Lancer le portail web de l'attractivité de la métropole", "<@U02PAUL>", "note", "", "", "En attente de la validation du marché par la commande publique."},
			{"14/11/2026 10h00", "13", "Rédiger le guide d'implantation des entreprises", "<@U01MARIE>", "note", "", "", "Relecture par Dev'Up en cours."},
			{"20/11/2026 10h00", "36", "Recruter les premiers ambassadeurs du territoire", "<@U03SOPHIE>", "note", "", "", "18 ambassadeurs recrutés sur 25."},
			{"23/11/2026 10h00", "22", "Mettre en place une veille des projets d'implantation", "<@U02PAUL>", "note", "", "", "Trois projets détectés ce mois-ci, transmis à Dev'Up."},
			{"24/11/2026 10h00", "2", "Animer les quatre groupes de travail et partager leurs feuilles de route", "<@U01MARIE>", "note", "", "", "Feuilles de route des groupes Prospection et Ambassadeurs validées."},
			{"25/11/2026 10h00", "31", "Faciliter le logement des apprenants", "<@U01MARIE>", "note", "", "", "Réunion avec Action Logement reportée ; point au prochain COPIL."},
		}
		if diff := cmp.Diff(want, trimRows(rows)); diff != "" {
			t.Errorf("journal sheet (-want +got):\n%s", diff)
		}
		if st := cellStyle(t, f, "Journal depuis le dernier COPIL", "A3"); st.CustomNumFmt == nil || *st.CustomNumFmt != `dd/mm/yyyy hh"h"mm` {
			t.Errorf("journal date format %v, want dd/mm/yyyy hh\"h\"mm", deref(st.CustomNumFmt))
		}
	})
}

// trimRows drops the empty cells at the end of each row.
func trimRows(rows [][]string) [][]string {
	for i, r := range rows {
		for len(r) > 0 && r[len(r)-1] == "" {
			r = r[:len(r)-1]
		}
		rows[i] = r
	}
	return rows
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestJournalValues writes a journal of every kind of change and checks
// it speaks French: field names, status labels, dates, group names.
func TestJournalValues(t *testing.T) {
	at := time.Date(2026, 11, 26, 8, 30, 0, 0, time.UTC) // 09:30 in Paris
	wb := spreadsheet.Workbook{
		Actions: []store.Action{{
			Number: 4, Title: "Organiser une rencontre annuelle", GroupKey: "prospection",
			Group: store.Group{Key: "prospection", Name: "Prospection"},
		}},
		Journal: []store.JournalEntry{
			{ActionNumber: 4, At: at, Author: store.ImportAuthor, Field: store.FieldCreated, New: "Organiser une rencontre annuelle"},
			{ActionNumber: 4, At: at, Author: "U01MARIE", Field: store.FieldStatus, Old: "a_lancer", New: "en_cours"},
			{ActionNumber: 4, At: at, Author: "U01MARIE", Field: store.FieldProgress, Old: "0", New: "20"},
			{ActionNumber: 4, At: at, Author: "U01MARIE", Field: store.FieldDue, Old: "2027-03-15", New: ""},
			{ActionNumber: 4, At: at, Author: "U01MARIE", Field: store.FieldGroup, Old: "parcours-client", New: "prospection"},
			{ActionNumber: 4, At: at, Author: "U01MARIE", Field: store.FieldContributors, Old: "", New: "<@U02PAUL>; Dev'Up"},
			{ActionNumber: 4, At: at, Author: "U02PAUL", Field: store.FieldPilote, Old: "<@U02PAUL>", New: "<@U01MARIE>"},
		},
		JournalSince: at.Add(-time.Hour),
		Location:     paris,
		Names:        map[string]string{"U01MARIE": "Marie Lefèvre"},
	}
	var buf bytes.Buffer
	if err := spreadsheet.WriteXLSX(&buf, wb); err != nil {
		t.Fatal(err)
	}
	rows, err := mustOpenXLSX(t, buf.Bytes()).GetRows(spreadsheet.JournalSheet)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Journal des changements depuis le 26/11/2026 à 08h30"},
		{"Date", "N° action", "Titre", "Auteur", "Champ", "Ancienne valeur", "Nouvelle valeur", "Note"},
		{"26/11/2026 09h30", "4", "Organiser une rencontre annuelle", "import", "création", "", "Organiser une rencontre annuelle"},
		{"26/11/2026 09h30", "4", "Organiser une rencontre annuelle", "Marie Lefèvre <@U01MARIE>", "statut", "À lancer", "En cours"},
		{"26/11/2026 09h30", "4", "Organiser une rencontre annuelle", "Marie Lefèvre <@U01MARIE>", "avancement", "0 %", "20 %"},
		{"26/11/2026 09h30", "4", "Organiser une rencontre annuelle", "Marie Lefèvre <@U01MARIE>", "échéance", "15/03/2027"},
		{"26/11/2026 09h30", "4", "Organiser une rencontre annuelle", "Marie Lefèvre <@U01MARIE>", "groupe", "parcours-client", "Prospection"},
		{"26/11/2026 09h30", "4", "Organiser une rencontre annuelle", "Marie Lefèvre <@U01MARIE>", "contributeurs", "", "<@U02PAUL>; Dev'Up"},
		{"26/11/2026 09h30", "4", "Organiser une rencontre annuelle", "<@U02PAUL>", "pilote", "<@U02PAUL>", "Marie Lefèvre <@U01MARIE>"},
	}
	if diff := cmp.Diff(want, trimRows(rows)); diff != "" {
		t.Errorf("journal sheet (-want +got):\n%s", diff)
	}
}

// TestWriteXLSXEmpty: an empty plan still makes a valid workbook that
// reads back as no rows.
func TestWriteXLSXEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := spreadsheet.WriteXLSX(&buf, spreadsheet.Workbook{}); err != nil {
		t.Fatal(err)
	}
	f := mustOpenXLSX(t, buf.Bytes())
	if diff := cmp.Diff([]string{"Plan", "Journal depuis le dernier COPIL"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	rows, err := spreadsheet.Read(bytes.NewReader(buf.Bytes()), spreadsheet.XLSX, store.DefaultGroups())
	if err != nil || len(rows) != 0 {
		t.Errorf("Read(empty workbook) = %v, %v; want no rows", rows, err)
	}
}

// TestReadXLSX reads workbooks made by hand, as a user would: the Plan
// sheet wherever it is, dates as date cells or text, progress as a
// percentage.
func TestReadXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Notes"))
	must(f.SetCellStr("Notes", "A1", "Pas le plan"))
	_, err := f.NewSheet(" plan ")
	must(err)
	sheet := " plan "
	must(f.SetSheetRow(sheet, "A1", &[]any{"numéro", "AXE", "programme", "Titre", "Groupe", "Pilote", "Contributeurs", "Statut", "Avancement (%)", "Date d’échéance"}))
	must(f.SetSheetRow(sheet, "A2", &[]any{1, "Axe 1", "1.1", "Un", "prospection", "Dev'Up", "", "En cours", 0.6, time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC)}))
	must(f.SetSheetRow(sheet, "A3", &[]any{2, "Axe 1", "1.1", "Deux", "Prospection", "<@U01MARIE>", "Dev'Up; <@U02PAUL>", "à lancer", 30, "15/04/2027"}))
	must(f.SetSheetRow(sheet, "A5", &[]any{3.0, "S", "S.2", "Trois", "Ambassadeurs", "CCI Touraine", "", "terminée", "100 %", "2027-05-31"}))
	percent := 9 // 0%
	pct, err := f.NewStyle(&excelize.Style{NumFmt: percent})
	must(err)
	must(f.SetCellStyle(sheet, "I2", "I2", pct))
	var buf bytes.Buffer
	must(f.Write(&buf))

	got, err := spreadsheet.Read(&buf, spreadsheet.XLSX, store.DefaultGroups())
	if err != nil {
		t.Fatal(err)
	}
	want := []store.ActionRow{
		{Number: 1, AxisCode: "1", ProgrammeCode: "1.1", Title: "Un", Group: "prospection", Pilote: store.Person{Name: "Dev'Up"},
			Status: store.StatusInProgress, Progress: 60, Due: store.Date{Year: 2027, Month: time.March, Day: 15}},
		{Number: 2, AxisCode: "1", ProgrammeCode: "1.1", Title: "Deux", Group: "prospection", Pilote: store.Person{UserID: "U01MARIE"},
			Contributors: []store.Person{{Name: "Dev'Up"}, {UserID: "U02PAUL"}},
			Status:       store.StatusTodo, Progress: 30, Due: store.Date{Year: 2027, Month: time.April, Day: 15}},
		{Number: 3, AxisCode: "S", ProgrammeCode: "S.2", Title: "Trois", Group: "ambassadeurs", Pilote: store.Person{Name: "CCI Touraine"},
			Status: store.StatusDone, Progress: 100, Due: store.Date{Year: 2027, Month: time.May, Day: 31}},
	}
	if diff := cmp.Diff(want, got, sameRows); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
}

// TestReadXLSXProblems: problems in a workbook are named by worksheet row.
func TestReadXLSXProblems(t *testing.T) {
	s := mustSeed(t)
	data := mustExport(t, s, spreadsheet.XLSX)
	f := mustOpenXLSX(t, data)
	if err := f.SetCellStr("Plan", "H8", "fini"); err != nil { // action 7
		t.Fatal(err)
	}
	if err := f.SetCellStr("Plan", "J12", "31/02/2027"); err != nil { // action 11
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := spreadsheet.Import(context.Background(), s, &buf, spreadsheet.XLSX, store.ImportAuthor)
	want := "ligne 8, colonne « Statut » : « fini » n'est pas un statut connu (À lancer, En cours, Bloquée, Terminée, Abandonnée)\n" +
		"ligne 12, colonne « Échéance » : le 31/02/2027 n'existe pas (format JJ/MM/AAAA)"
	if err == nil || err.Error() != want {
		t.Errorf("Import = %v\nwant %s", err, want)
	}
}

func TestReadUnreadableXLSX(t *testing.T) {
	_, err := spreadsheet.Read(strings.NewReader("N°;Axe\n"), spreadsheet.XLSX, store.DefaultGroups())
	want := "ce fichier n'est pas un classeur .xlsx : l'enregistrer depuis Excel ou LibreOffice au format .xlsx, ou envoyer un .csv"
	if err == nil || err.Error() != want {
		t.Errorf("Read(CSV as XLSX) = %v, want %s", err, want)
	}
}

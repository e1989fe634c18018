package commands_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/commands/planword"
	"github.com/tours-metropole/actionbot/spreadsheet"
	"github.com/tours-metropole/actionbot/store"
)

// TestOneVocabulary feeds the same words of the plan to the command parser
// (and, for groups, the handler) and to spreadsheet import, and expects the
// same value or the same refusal from both.
func TestOneVocabulary(t *testing.T) {
	type value = any
	long := strings.Repeat("x", planword.MaxNameLen+1)
	tests := []struct {
		field string // status, progress, due, axis, programme, group, pilote, contributors
		word  string // as a cell holds it; the command quotes names
		want  value  // the value read, or a planword.Problem
	}{
		{"status", "en cours", store.StatusInProgress},
		{"status", "En-Cours", store.StatusInProgress},
		{"status", "Bloquée", store.StatusBlocked},
		{"status", "terminee", store.StatusDone},
		{"status", "to do", store.StatusTodo},
		{"status", "nouveau", store.StatusTodo}, // the command accepted it, the spreadsheet did not
		{"status", "abandonné", store.StatusAbandoned},
		{"status", "fini", planword.NotStatus},
		{"progress", "60", 60},
		{"progress", "60 %", 60},
		{"progress", "100%", 100},
		{"progress", "0", 0},
		{"progress", "150", planword.OutOfRange},
		{"progress", "beaucoup", planword.NotNumber},
		{"progress", "60,5", planword.NotNumber},
		{"due", "15/03/2027", store.Date{Year: 2027, Month: 3, Day: 15}},
		{"due", "2027-03-15", store.Date{Year: 2027, Month: 3, Day: 15}},
		{"due", "15.03.2027", store.Date{Year: 2027, Month: 3, Day: 15}},
		{"due", "15/03/27", store.Date{Year: 2027, Month: 3, Day: 15}},
		{"due", "31/02/2027", planword.NoSuchDay},
		{"due", "12/13/2027", planword.NotDate},
		{"due", "demain", planword.NotDate},
		{"axis", "2", "2"},
		{"axis", "axe2", "2"},
		{"axis", "socle", "S"},
		{"axis", "S", "S"},
		{"axis", "0", planword.NotAxis},
		{"axis", "2b", planword.NotAxis},
		{"programme", "2.1", "2.1"},
		{"programme", "s.3", "S.3"},
		{"programme", "01.02", "1.2"},
		{"programme", "deux", planword.NotProgramme},
		{"programme", "1.2.3", planword.NotProgramme},
		{"group", "Parcours client", "parcours-client"},
		{"group", "parcours-client", "parcours-client"},
		{"group", "PARCOURS CLIENT", "parcours-client"},
		{"group", "parcoursclient", "parcours-client"},
		{"group", "Outils numériques", "outils-numeriques"},
		{"group", "Communication", planword.UnknownGroup},
		{"pilote", "<@U01MARIE>", store.Person{UserID: "U01MARIE"}},
		{"pilote", "CCI Touraine", store.Person{Name: "CCI Touraine"}},
		{"pilote", "Dev; Up", planword.NotAName},
		{"pilote", "<b>Dev</b>", planword.NotAName},
		{"pilote", long, planword.NameTooLong},
		{"contributors", "<@U1AB>; CCI Touraine", []store.Person{{UserID: "U1AB"}, {Name: "CCI Touraine"}}},
		{"pilote", "CCI Touraine <contact@cci-touraine.example>", store.Person{Name: "CCI Touraine <contact@cci-touraine.example>"}},
		{"pilote", "contact@cci-touraine.example", planword.AddressOnly},
		{"contributors", "<@U1AB>; contact@cci-touraine.example", planword.AddressOnly},
	}
	f := mustFixture(t, "fr")
	groups, err := f.s.Groups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.field+" "+tt.word, func(t *testing.T) {
			cmd, cmdErr := viaCommand(f, tt.field, tt.word)
			cell, cellErr := viaSpreadsheet(groups, tt.field, tt.word)
			if want, refused := tt.want.(planword.Problem); refused {
				if got := commands.WordProblem(cmdErr); got != want {
					t.Errorf("command: %v, %v; want refusal %v", cmd, cmdErr, want)
				}
				if got := sheetProblem(cellErr); got != want && !(got == planword.NotNumber && want == planword.OutOfRange) {
					// The spreadsheet has one problem for any bad progress.
					t.Errorf("spreadsheet: %v, %v; want refusal %v", cell, cellErr, want)
				}
				return
			}
			if cmdErr != nil || cellErr != nil {
				t.Fatalf("refused: command %v, spreadsheet %v; want %v", cmdErr, cellErr, tt.want)
			}
			if diff := cmp.Diff(tt.want, cmd); diff != "" {
				t.Errorf("command (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, cell); diff != "" {
				t.Errorf("spreadsheet (-want +got):\n%s", diff)
			}
		})
	}
}

// viaCommand reads word as the field of a command.
func viaCommand(f fixture, field, word string) (any, error) {
	today := store.Date{Year: 2026, Month: 11, Day: 26}
	text := map[string]string{
		"status": "23 statut ", "progress": "23 avancement ", "due": "23 échéance ",
		"axis": "liste axe ", "programme": "liste programme ", "pilote": "23 pilote ", "contributors": "23 contributeurs ",
	}[field]
	switch field {
	case "group":
		g, err := f.h.FindGroup(context.Background(), word)
		return g.Key, err
	case "pilote":
		if !strings.HasPrefix(word, "<@") {
			word = `"` + word + `"`
		}
	case "contributors":
		var parts []string
		for _, p := range strings.Split(word, ";") {
			if p = strings.TrimSpace(p); !strings.HasPrefix(p, "<@") {
				p = `"` + p + `"`
			}
			parts = append(parts, p)
		}
		word = strings.Join(parts, " ")
	}
	c, err := commands.Parse("/action", text+word, today)
	if err != nil {
		return nil, err
	}
	switch field {
	case "status":
		return *c.Edit.Status, nil
	case "progress":
		return *c.Edit.Progress, nil
	case "due":
		return *c.Edit.Due, nil
	case "axis":
		return c.List.Axis, nil
	case "programme":
		return c.List.Programme, nil
	case "pilote":
		return *c.Edit.Pilote, nil
	case "contributors":
		return *c.Edit.Contributors, nil
	}
	return nil, fmt.Errorf("field %s", field)
}

// viaSpreadsheet reads word in the field's column of a one-row CSV file.
func viaSpreadsheet(groups []store.Group, field, word string) (any, error) {
	cells := map[string]string{
		"axis": "", "programme": "2.1", "group": "Prospection", "pilote": "Dev'Up", "contributors": "",
		"status": "En cours", "progress": "0", "due": "",
	}
	cells[field] = word
	if field == "programme" {
		cells["axis"] = ""
	}
	if field == "axis" {
		// The programme must sit in the axis read.
		code, _, _ := planword.Axis(word)
		cells["programme"] = code + ".1"
	}
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	src := "N°;Axe;Programme;Titre;Groupe de travail;Pilote;Contributeurs;Statut;Avancement;Échéance\n" +
		strings.Join([]string{"1", quote(cells["axis"]), quote(cells["programme"]), "Titre", quote(cells["group"]),
			quote(cells["pilote"]), quote(cells["contributors"]), quote(cells["status"]), quote(cells["progress"]), quote(cells["due"])}, ";") + "\n"
	rows, err := spreadsheet.Read(strings.NewReader(src), spreadsheet.CSV, groups)
	if err != nil {
		return nil, err
	}
	r := rows[0]
	return map[string]any{
		"status": r.Status, "progress": r.Progress, "due": r.Due, "axis": r.AxisCode, "programme": r.ProgrammeCode,
		"group": r.Group, "pilote": r.Pilote, "contributors": r.Contributors,
	}[field], nil
}

// sheetProblem says which refusal of the vocabulary a spreadsheet error is.
func sheetProblem(err error) planword.Problem {
	e, ok := err.(*spreadsheet.Error)
	if !ok || len(e.Problems) == 0 {
		return planword.NoProblem
	}
	return map[spreadsheet.Kind]planword.Problem{
		spreadsheet.KindStatus: planword.NotStatus, spreadsheet.KindProgress: planword.NotNumber,
		spreadsheet.KindDate: planword.NotDate, spreadsheet.KindNoSuchDay: planword.NoSuchDay,
		spreadsheet.KindAxis: planword.NotAxis, spreadsheet.KindProgramme: planword.NotProgramme,
		spreadsheet.KindGroup: planword.UnknownGroup, spreadsheet.KindName: planword.NotAName,
		spreadsheet.KindNameTooLong: planword.NameTooLong, spreadsheet.KindAddressOnly: planword.AddressOnly,
	}[e.Problems[0].Kind]
}

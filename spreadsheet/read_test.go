package spreadsheet_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"

	"github.com/tours-metropole/actionbot/spreadsheet"
	"github.com/tours-metropole/actionbot/store"
)

const header = "N°;Axe;Programme;Titre;Groupe de travail;Pilote;Contributeurs;Statut;Avancement;Échéance;Description"

// file joins lines into a semicolon CSV file, LF line ends.
func file(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

func date(y int, m time.Month, d int) store.Date { return store.Date{Year: y, Month: m, Day: d} }

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []store.ActionRow
	}{
		{
			name: "comma, no BOM, LF",
			src: "N°,Axe,Programme,Titre,Groupe de travail,Pilote,Contributeurs,Statut,Avancement,Échéance\n" +
				"1,Axe 1 — Attirer,1.1 — Accueil,Créer un guichet unique,Parcours client,Dev'Up,\"Tours Métropole; CCI Touraine\",En cours,70,14/12/2026\n",
			want: []store.ActionRow{{
				Number: 1, AxisCode: "1", AxisName: "Attirer", ProgrammeCode: "1.1", ProgrammeName: "Accueil",
				Title: "Créer un guichet unique", Group: "parcours-client", Pilote: store.Person{Name: "Dev'Up"},
				Contributors: []store.Person{{Name: "Tours Métropole"}, {Name: "CCI Touraine"}},
				Status:       store.StatusInProgress, Progress: 70, Due: date(2026, 12, 14),
			}},
		},
		{
			name: "semicolon, BOM, CRLF, quoted contributors and a description on two lines",
			src: "\ufeff" + header + "\r\n" +
				"7;Socle — Socle commun;S.2 — Promotion;Lancer le portail web;Outils numériques;<@U02PAUL>;\"<@U04KARIM>; Dev'Up\";Bloquée;35;06/11/2026;\"En attente du marché.\r\nPoint au COPIL.\"\r\n",
			want: []store.ActionRow{{
				Number: 7, AxisCode: "S", AxisName: "Socle commun", ProgrammeCode: "S.2", ProgrammeName: "Promotion",
				Title: "Lancer le portail web", Group: "outils-numeriques", Pilote: store.Person{UserID: "U02PAUL"},
				Contributors: []store.Person{{UserID: "U04KARIM"}, {Name: "Dev'Up"}},
				Status:       store.StatusBlocked, Progress: 35, Due: date(2026, 11, 6),
				Description: "En attente du marché.\nPoint au COPIL.",
			}},
		},
		{
			name: "headers in another order, aliases, any case, accents and spacing",
			src: file(
				"  statut ;TITRE;numero;AVANCEMENT (%);Date d’échéance;groupe;axe;PROGRAMME;pilote;contributeurs",
				"en-cours;Un;3;60 %;2027-03-15;PROSPECTION;Axe 2: Capter;2.1 Promouvoir;Université de Tours;",
			),
			want: []store.ActionRow{{
				Number: 3, AxisCode: "2", AxisName: "Capter", ProgrammeCode: "2.1", ProgrammeName: "Promouvoir",
				Title: "Un", Group: "prospection", Pilote: store.Person{Name: "Université de Tours"},
				Status: store.StatusInProgress, Progress: 60, Due: date(2027, 3, 15),
			}},
		},
		{
			name: "every way to write axes, programmes, statuses and progress",
			src: file(
				header,
				"1;Socle;S.1;A;parcours-client;X;;À lancer;;;",
				"2;S;s.2;B;Parcours client;X;;EN_COURS;5%;;",
				"3;Socle: Le socle;S.3 — Qualité;C;Prospection;X;;bloquee;0;;",
				"4;Axe 01 - Attirer;1.02 - Accueil;D;Ambassadeurs;X;;done;100 %;1/2/2027;",
				"5;1;1.2;E;outils numeriques;X;;in progress;10;;",
				"6;axe 3;3.1;F;Outils Numériques;X;;Abandonnée;0;;",
				"7;Axe 12 — Nouveau;12.1 — Nouveau programme;G;Prospection;X;;to do;0;;",
				"8;;4.1;H;Prospection;X;;terminée;100;;",
				"9;Axe 1;1.1;I;Prospection;X;;;;;",
			),
			want: []store.ActionRow{
				{Number: 1, AxisCode: "S", ProgrammeCode: "S.1", Title: "A", Group: "parcours-client", Pilote: store.Person{Name: "X"}, Status: store.StatusTodo},
				{Number: 2, AxisCode: "S", ProgrammeCode: "S.2", Title: "B", Group: "parcours-client", Pilote: store.Person{Name: "X"}, Status: store.StatusInProgress, Progress: 5},
				{Number: 3, AxisCode: "S", AxisName: "Le socle", ProgrammeCode: "S.3", ProgrammeName: "Qualité", Title: "C", Group: "prospection", Pilote: store.Person{Name: "X"}, Status: store.StatusBlocked},
				{Number: 4, AxisCode: "1", AxisName: "Attirer", ProgrammeCode: "1.2", ProgrammeName: "Accueil", Title: "D", Group: "ambassadeurs", Pilote: store.Person{Name: "X"}, Status: store.StatusDone, Progress: 100, Due: date(2027, 2, 1)},
				{Number: 5, AxisCode: "1", ProgrammeCode: "1.2", Title: "E", Group: "outils-numeriques", Pilote: store.Person{Name: "X"}, Status: store.StatusInProgress, Progress: 10},
				{Number: 6, AxisCode: "3", ProgrammeCode: "3.1", Title: "F", Group: "outils-numeriques", Pilote: store.Person{Name: "X"}, Status: store.StatusAbandoned},
				{Number: 7, AxisCode: "12", AxisName: "Nouveau", ProgrammeCode: "12.1", ProgrammeName: "Nouveau programme", Title: "G", Group: "prospection", Pilote: store.Person{Name: "X"}, Status: store.StatusTodo},
				{Number: 8, AxisCode: "4", ProgrammeCode: "4.1", Title: "H", Group: "prospection", Pilote: store.Person{Name: "X"}, Status: store.StatusDone, Progress: 100},
				{Number: 9, AxisCode: "1", ProgrammeCode: "1.1", Title: "I", Group: "prospection", Pilote: store.Person{Name: "X"}, Status: store.StatusTodo},
			},
		},
		{
			name: "blank lines, trailing empty cells, cells padded with spaces",
			src: file(
				"",
				header+";;",
				";;;;;;;;;;",
				"  1 ; Axe 1 ;1.1;  Un  ;Prospection; <@U01MARIE> ;;En cours;  20 ;  ;  ;  ",
				"",
			),
			want: []store.ActionRow{{
				Number: 1, AxisCode: "1", ProgrammeCode: "1.1", Title: "Un", Group: "prospection",
				Pilote: store.Person{UserID: "U01MARIE"}, Status: store.StatusInProgress, Progress: 20,
			}},
		},
		{
			name: "header only",
			src:  file(header),
			want: nil,
		},
		{
			name: "Windows-1252, as Excel's plain CSV writes it",
			src: mustEncode1252(file(
				"N°;Axe;Programme;Titre;Groupe de travail;Pilote;Contributeurs;Statut;Avancement;Échéance",
				"2;Socle — Socle commun de la démarche;S.1;Animer les groupes;Parcours client;Région Centre-Val de Loire;;Terminée;100;",
			)),
			want: []store.ActionRow{{
				Number: 2, AxisCode: "S", AxisName: "Socle commun de la démarche", ProgrammeCode: "S.1",
				Title: "Animer les groupes", Group: "parcours-client", Pilote: store.Person{Name: "Région Centre-Val de Loire"},
				Status: store.StatusDone, Progress: 100,
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := spreadsheet.Read(strings.NewReader(tt.src), spreadsheet.CSV, store.DefaultGroups())
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, sameRows); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}
}

func mustEncode1252(s string) string {
	b, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return b
}

// good is a valid line; bad files below change one cell or another.
const good = "1;Axe 1 — Attirer;1.1 — Accueil;Créer un guichet unique;Parcours client;Dev'Up;;En cours;70;14/12/2026;"

// badFiles are files Read refuses, and every problem it must name.
var badFiles = []struct {
	name string
	src  string
	want []spreadsheet.Problem
}{
	{
		name: "unknown status",
		src:  file(header, good, "2;Axe 1;1.1;Deux;Prospection;Dev'Up;;fini;0;;"),
		want: []spreadsheet.Problem{{Line: 3, Column: "Statut", Value: "fini", Kind: spreadsheet.KindStatus}},
	},
	{
		name: "progress 150",
		src:  file(header, good, "2;Axe 1;1.1;Deux;Prospection;Dev'Up;;En cours;150;;"),
		want: []spreadsheet.Problem{{Line: 3, Column: "Avancement", Value: "150", Kind: spreadsheet.KindProgress}},
	},
	{
		name: "progress not a number",
		src:  file(header, "2;Axe 1;1.1;Deux;Prospection;Dev'Up;;En cours;60,5 %;;"),
		want: []spreadsheet.Problem{{Line: 2, Column: "Avancement", Value: "60,5 %", Kind: spreadsheet.KindProgress}},
	},
	{
		name: "no such day",
		src:  file(header, good, "2;Axe 1;1.1;Deux;Prospection;Dev'Up;;En cours;0;31/02/2027;"),
		want: []spreadsheet.Problem{{Line: 3, Column: "Échéance", Value: "31/02/2027", Kind: spreadsheet.KindNoSuchDay}},
	},
	{
		name: "not a date",
		src:  file(header, "2;Axe 1;1.1;Deux;Prospection;Dev'Up;;En cours;0;15 mars 2027;"),
		want: []spreadsheet.Problem{{Line: 2, Column: "Échéance", Value: "15 mars 2027", Kind: spreadsheet.KindDate}},
	},
	{
		name: "missing title",
		src:  file(header, good, "2;Axe 1;1.1;;Prospection;Dev'Up;;En cours;0;;"),
		want: []spreadsheet.Problem{{Line: 3, Column: "Titre", Kind: spreadsheet.KindRequired}},
	},
	{
		name: "missing pilote and number",
		src:  file(header, ";Axe 1;1.1;Deux;Prospection;;;En cours;0;;"),
		want: []spreadsheet.Problem{
			{Line: 2, Column: "N°", Kind: spreadsheet.KindRequired},
			{Line: 2, Column: "Pilote", Kind: spreadsheet.KindRequired},
		},
	},
	{
		name: "unknown group",
		src:  file(header, "2;Axe 1;1.1;Deux;Communication;Dev'Up;;En cours;0;;"),
		want: []spreadsheet.Problem{{Line: 2, Column: "Groupe de travail", Value: "Communication", Kind: spreadsheet.KindGroup,
			Detail: "Parcours client, Prospection, Ambassadeurs, Outils numériques"}},
	},
	{
		name: "duplicate number",
		src:  file(header, good, "2;Axe 1;1.1;Deux;Prospection;Dev'Up;;En cours;0;;", "1;Axe 1;1.1;Un bis;Prospection;Dev'Up;;En cours;0;;"),
		want: []spreadsheet.Problem{{Line: 4, Column: "N°", Value: "1", Kind: spreadsheet.KindDuplicateNumber, Detail: "2"}},
	},
	{
		name: "programme 2.1 under Axe 1",
		src:  file(header, "2;Axe 1;2.1 — Promouvoir;Deux;Prospection;Dev'Up;;En cours;0;;"),
		want: []spreadsheet.Problem{{Line: 2, Column: "Programme", Value: "2.1 — Promouvoir", Kind: spreadsheet.KindProgrammeAxis, Detail: "1"}},
	},
	{
		name: "bad number, axis and programme",
		src:  file(header, "3a;Axe un;1-2;Deux;Prospection;Dev'Up;;En cours;0;;", "0;Socle commun;S;Trois;Prospection;Dev'Up;;En cours;0;;"),
		want: []spreadsheet.Problem{
			{Line: 2, Column: "N°", Value: "3a", Kind: spreadsheet.KindNumber},
			{Line: 2, Column: "Axe", Value: "Axe un", Kind: spreadsheet.KindAxis},
			{Line: 2, Column: "Programme", Value: "1-2", Kind: spreadsheet.KindProgramme},
			{Line: 3, Column: "N°", Value: "0", Kind: spreadsheet.KindNumber},
			{Line: 3, Column: "Axe", Value: "Socle commun", Kind: spreadsheet.KindAxis},
			{Line: 3, Column: "Programme", Value: "S", Kind: spreadsheet.KindProgramme},
		},
	},
	{
		name: "an axis and a programme renamed halfway",
		src:  file(header, good, "2;Axe 1 — Accueillir;1.1 — Accueil des entreprises;Deux;Prospection;Dev'Up;;En cours;0;;", "3;Axe 1;1.1;Trois;Prospection;Dev'Up;;En cours;0;;"),
		want: []spreadsheet.Problem{
			{Line: 3, Column: "Axe", Value: "Axe 1 — Accueillir", Kind: spreadsheet.KindRenamed, Detail: "2"},
			{Line: 3, Column: "Programme", Value: "1.1 — Accueil des entreprises", Kind: spreadsheet.KindRenamed, Detail: "2"},
		},
	},
	{
		name: "unknown column header",
		src:  file(strings.Replace(header, "Statut", "Statuts", 1), good),
		want: []spreadsheet.Problem{
			{Line: 1, Column: "Statuts", Value: "Statuts", Kind: spreadsheet.KindUnknownColumn},
			{Line: 1, Column: "Statut", Kind: spreadsheet.KindMissingColumn},
		},
	},
	{
		name: "missing column",
		src:  file("N°;Axe;Programme;Titre;Groupe de travail;Contributeurs;Statut;Avancement;Échéance", "1;Axe 1;1.1;Un;Prospection;;En cours;0;"),
		want: []spreadsheet.Problem{{Line: 1, Column: "Pilote", Kind: spreadsheet.KindMissingColumn}},
	},
	{
		name: "one column twice",
		src:  file(header+";Groupe", good+";Prospection"),
		want: []spreadsheet.Problem{{Line: 1, Column: "Groupe", Value: "Groupe", Kind: spreadsheet.KindDuplicateColumn, Detail: "Groupe de travail"}},
	},
	{
		name: "a value under no header",
		src:  file(header, good+";oubli"),
		want: []spreadsheet.Problem{{Line: 2, Column: "L", Value: "oubli", Kind: spreadsheet.KindStray}},
	},
	{
		name: "misplaced quote",
		src:  file(header, `2;Axe 1;1.1;Atelier "Innovation";Prospection;Dev'Up;;En cours;0;;`),
		want: []spreadsheet.Problem{{Line: 2, Kind: spreadsheet.KindQuote, Detail: `bare " in non-quoted-field`}},
	},
	{
		name: "more text than a cell holds",
		src:  file(header, "2;Axe 1;1.1;Deux;Prospection;Dev'Up;;En cours;0;;"+strings.Repeat("é", 32768)),
		want: []spreadsheet.Problem{{Line: 2, Column: "Description", Value: strings.Repeat("é", 32768), Kind: spreadsheet.KindTooLong, Detail: "32768"}},
	},
	{
		name: "too large",
		src:  header + "\n" + strings.Repeat(" ", 10<<20),
		want: []spreadsheet.Problem{{Kind: spreadsheet.KindTooLarge, Detail: "10"}},
	},
	{
		name: "empty file",
		src:  "\ufeff\n\n",
		want: []spreadsheet.Problem{{Kind: spreadsheet.KindEmpty}},
	},
	{
		name: "UTF-16",
		src:  "\xff\xfeN\x00",
		want: []spreadsheet.Problem{{Kind: spreadsheet.KindUnreadable, Detail: "UTF-16"}},
	},
	{
		name: "several bad rows, all named at once",
		src: file(header,
			good,
			"2;Axe 1;1.1;Deux;Prospection;Dev'Up;;fini;0;;",
			"3;Axe 1;1.1;Trois;Prospection;Dev'Up;;En cours;150;;",
			`4;Axe 1;1.1;"Quatre,`,
			`sur deux lignes";Prospection;Dev'Up;;En cours;0;31/02/2027;`,
			"5;Axe 1;1.1;;Prospection;Dev'Up;;En cours;0;;",
			"6;Axe 1;1.1;Six;Communication;Dev'Up;;En cours;0;;",
			"2;Axe 1;1.1;Deux bis;Prospection;Dev'Up;;En cours;0;;",
			"8;Axe 1;2.1;Huit;Prospection;Dev'Up;;En cours;0;;",
		),
		want: []spreadsheet.Problem{
			{Line: 3, Column: "Statut", Value: "fini", Kind: spreadsheet.KindStatus},
			{Line: 4, Column: "Avancement", Value: "150", Kind: spreadsheet.KindProgress},
			{Line: 5, Column: "Échéance", Value: "31/02/2027", Kind: spreadsheet.KindNoSuchDay},
			{Line: 7, Column: "Titre", Kind: spreadsheet.KindRequired},
			{Line: 8, Column: "Groupe de travail", Value: "Communication", Kind: spreadsheet.KindGroup, Detail: "Parcours client, Prospection, Ambassadeurs, Outils numériques"},
			{Line: 9, Column: "N°", Value: "2", Kind: spreadsheet.KindDuplicateNumber, Detail: "3"},
			{Line: 10, Column: "Programme", Value: "2.1", Kind: spreadsheet.KindProgrammeAxis, Detail: "1"},
		},
	},
}

func TestReadRefuses(t *testing.T) {
	var messages strings.Builder
	for _, tt := range badFiles {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := spreadsheet.Read(strings.NewReader(tt.src), spreadsheet.CSV, store.DefaultGroups())
			var e *spreadsheet.Error
			if !errors.As(err, &e) {
				t.Fatalf("Read = %v, %v; want a *spreadsheet.Error", rows, err)
			}
			if !errors.Is(err, store.ErrInvalid) {
				t.Errorf("errors.Is(err, store.ErrInvalid) = false")
			}
			if diff := cmp.Diff(tt.want, e.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			fmt.Fprintf(&messages, "## %s\n%s\n%s\n\n", tt.name, e.Message("fr"), e.Message("en"))
		})
	}
	golden(t, "problems.golden", []byte(messages.String()))
}

// TestReadRefusesAtMost: a file with thousands of bad rows is refused with
// the first MaxProblems problems and a count of the others.
func TestReadRefusesAtMost(t *testing.T) {
	src := header + "\n" + strings.Repeat("1;Axe 1;1.1;Un;Prospection;Dev'Up;;fini;0;;\n", 3000)
	_, err := spreadsheet.Read(strings.NewReader(src), spreadsheet.CSV, store.DefaultGroups())
	var e *spreadsheet.Error
	if !errors.As(err, &e) {
		t.Fatalf("Read = %v, want a *spreadsheet.Error", err)
	}
	// Each line has a bad status, and all but the first a duplicate number.
	if got, want := len(e.Problems), spreadsheet.MaxProblems; got != want {
		t.Errorf("%d problems listed, want %d", got, want)
	}
	if got, want := e.More, 2*3000-1-spreadsheet.MaxProblems; got != want {
		t.Errorf("More = %d, want %d", got, want)
	}
	if first := e.Problems[0]; first.Line != 2 || first.Kind != spreadsheet.KindStatus {
		t.Errorf("first problem %+v, want the status on line 2", first)
	}
	msg := e.Error()
	if want := "\n… et 5899 autres problèmes : corriger d'abord ceux-ci, puis renvoyer le fichier"; !strings.HasSuffix(msg, want) {
		t.Errorf("Error() ends %q, want %q", msg[max(0, len(msg)-120):], want)
	}
}

func TestErrorMessage(t *testing.T) {
	e := &spreadsheet.Error{Problems: []spreadsheet.Problem{
		{Line: 7, Column: "Statut", Value: "fini", Kind: spreadsheet.KindStatus},
		{Line: 12, Column: "Échéance", Value: "31/02/2027", Kind: spreadsheet.KindNoSuchDay},
	}}
	want := "ligne 7, colonne « Statut » : « fini » n'est pas un statut connu (À lancer, En cours, Bloquée, Terminée, Abandonnée)\n" +
		"ligne 12, colonne « Échéance » : le 31/02/2027 n'existe pas (format JJ/MM/AAAA)"
	if got := e.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
	wantEN := "line 7, column \"Statut\": \"fini\" is not a known status (À lancer, En cours, Bloquée, Terminée, Abandonnée; or to do, in progress, blocked, done, abandoned)\n" +
		"line 12, column \"Échéance\": 31/02/2027 does not exist (format DD/MM/YYYY)"
	if got := e.Message("en"); got != wantEN {
		t.Errorf("Message(en) =\n%s\nwant\n%s", got, wantEN)
	}
}

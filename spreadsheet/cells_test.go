package spreadsheet

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tours-metropole/actionbot/store"
)

func TestParseAxis(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		code, axis string
		ok         bool
	}{
		{"export form", "Axe 1 — Attirer, accueillir", "1", "Attirer, accueillir", true},
		{"socle export form", "Socle — Socle commun de la démarche", "S", "Socle commun de la démarche", true},
		{"colon", "Axe 2: Capter", "2", "Capter", true},
		{"hyphen", "Axe 3 - Talents", "3", "Talents", true},
		{"en dash, no spaces", "Axe 3–Talents", "3", "Talents", true},
		{"bare label", "Axe 4", "4", "", true},
		{"lower case, no space", "axe4", "4", "", true},
		{"socle", "Socle", "S", "", true},
		{"SOCLE", "SOCLE : Le socle", "S", "Le socle", true},
		{"number", "2", "2", "", true},
		{"number and name", "2 — Capter", "2", "Capter", true},
		{"S", "S", "S", "", true},
		{"s and name", "s - Socle", "S", "Socle", true},
		{"leading zeros", "Axe 007", "7", "", true},
		{"any positive number", "Axe 12", "12", "", true},
		{"name keeps its own dashes", "Axe 1 — — a — b", "1", "— a — b", true},
		{"separator, no name", "Axe 1 —", "1", "", true},
		{"name without separator", "Socle commun de la démarche", "", "", false},
		{"axe S", "Axe S", "S", "", true},
		{"zero", "Axe 0", "", "", false},
		{"word", "Axe un", "", "", false},
		{"programme", "1.2", "", "", false},
		{"empty", "", "", "", false},
		{"axes", "Axes 1", "", "", false},
		{"too big", "Axe 99999999999999999999", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, name, ok := parseAxis(tt.in)
			if code != tt.code || name != tt.axis || ok != tt.ok {
				t.Errorf("parseAxis(%q) = %q, %q, %v; want %q, %q, %v", tt.in, code, name, ok, tt.code, tt.axis, tt.ok)
			}
			if ok {
				if c, n, _ := parseAxis(formatAxis(code, name)); c != code || n != name {
					t.Errorf("parseAxis(formatAxis(%q, %q)) = %q, %q", code, name, c, n)
				}
			}
		})
	}
}

func TestParseProgramme(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		code, prog string
		ok         bool
	}{
		{"export form", "1.2 — Connecter et fédérer", "1.2", "Connecter et fédérer", true},
		{"code only", "S.3", "S.3", "", true},
		{"lower-case socle", "s.3", "S.3", "", true},
		{"spaces only", "2.1 Promouvoir l'offre", "2.1", "Promouvoir l'offre", true},
		{"colon", "2.1: Promouvoir", "2.1", "Promouvoir", true},
		{"leading zeros", "01.02", "1.2", "", true},
		{"name starting with a dash", "1.2 — - x", "1.2", "- x", true},
		{"three levels", "1.2.3", "", "", false},
		{"letters after", "1.2x", "", "", false},
		{"no programme number", "1.", "", "", false},
		{"programme zero", "1.0", "", "", false},
		{"axis only", "S", "", "", false},
		{"hyphen", "1-2", "", "", false},
		{"label", "Programme 1.2", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, name, ok := parseProgramme(tt.in)
			if code != tt.code || name != tt.prog || ok != tt.ok {
				t.Errorf("parseProgramme(%q) = %q, %q, %v; want %q, %q, %v", tt.in, code, name, ok, tt.code, tt.prog, tt.ok)
			}
			if ok {
				if c, n, _ := parseProgramme(formatProgramme(code, name)); c != code || n != name {
					t.Errorf("parseProgramme(formatProgramme(%q, %q)) = %q, %q", code, name, c, n)
				}
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		in   string
		want store.Status
		ok   bool
	}{
		{"", store.StatusTodo, true},
		{"À lancer", store.StatusTodo, true},
		{"a lancer", store.StatusTodo, true},
		{"a_lancer", store.StatusTodo, true},
		{"to do", store.StatusTodo, true},
		{"TODO", store.StatusTodo, true},
		{"En cours", store.StatusInProgress, true},
		{"en-cours", store.StatusInProgress, true},
		{"EN_COURS", store.StatusInProgress, true},
		{"  en   cours ", store.StatusInProgress, true},
		{"in progress", store.StatusInProgress, true},
		{"In-Progress", store.StatusInProgress, true},
		{"Bloquée", store.StatusBlocked, true},
		{"bloque", store.StatusBlocked, true},
		{"blocked", store.StatusBlocked, true},
		{"Terminée", store.StatusDone, true},
		{"TERMINEE", store.StatusDone, true},
		{"done", store.StatusDone, true},
		{"Abandonnée", store.StatusAbandoned, true},
		{"abandoned", store.StatusAbandoned, true},
		{"fini", "", false},
		{"en cours ⚪", "", false},
		{"encours", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseStatus(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseStatus(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
	for _, st := range store.Statuses {
		if got, ok := parseStatus(statusLabel(st)); got != st || !ok {
			t.Errorf("parseStatus(statusLabel(%s)) = %q, %v", st, got, ok)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1", 1, true},
		{"012", 12, true},
		{"999999999", 999999999, true},
		{"1000000000", 0, false},
		{"99999999999999999999", 0, false},
		{"0", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{"1.0", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseNumber(tt.in)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("parseNumber(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseProgress(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"", 0, true},
		{"0", 0, true},
		{"60", 60, true},
		{"60%", 60, true},
		{"60 %", 60, true},
		{"60\u00a0%", 60, true}, // French Excel puts a no-break space before %
		{"60\u202f%", 60, true}, // or a narrow one
		{"100", 100, true},
		{"007", 7, true},
		{"101", 0, false},
		{"150", 0, false},
		{"-5", 0, false},
		{"60.5", 0, false},
		{"60,5", 0, false},
		{"%", 0, false},
		{"soixante", 0, false},
		{"1000", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseProgress(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseProgress(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseDue(t *testing.T) {
	tests := []struct {
		in   string
		want store.Date
		kind Kind
	}{
		{"", store.Date{}, ""},
		{"15/03/2027", store.Date{Year: 2027, Month: time.March, Day: 15}, ""},
		{"1/2/2027", store.Date{Year: 2027, Month: time.February, Day: 1}, ""},
		{"2027-03-15", store.Date{Year: 2027, Month: time.March, Day: 15}, ""},
		{"29/02/2028", store.Date{Year: 2028, Month: time.February, Day: 29}, ""},
		{"31/02/2027", store.Date{}, KindNoSuchDay},
		{"29/02/2027", store.Date{}, KindNoSuchDay},
		{"2027-13-01", store.Date{}, KindNoSuchDay},
		{"00/01/2027", store.Date{}, KindNoSuchDay},
		{"01/01/0000", store.Date{}, KindNoSuchDay},
		{"15/03/27", store.Date{}, KindDate},
		{"2027/03/15", store.Date{}, KindDate},
		{"15-03-2027", store.Date{}, KindDate},
		{"mars 2027", store.Date{}, KindDate},
		{"15/03/2027 14:00", store.Date{}, KindDate},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, kind := parseDue(tt.in)
			if got != tt.want || kind != tt.kind {
				t.Errorf("parseDue(%q) = %v, %q; want %v, %q", tt.in, got, kind, tt.want, tt.kind)
			}
			if kind == "" {
				if back, _ := parseDue(formatDue(got)); back != got {
					t.Errorf("parseDue(formatDue(%v)) = %v", got, back)
				}
			}
		})
	}
}

func TestColumnOf(t *testing.T) {
	tests := []struct {
		in   string
		want column
		ok   bool
	}{
		{"N°", colNumber, true},
		{"n°", colNumber, true},
		{"Numéro", colNumber, true},
		{"numero", colNumber, true},
		{"No", colNumber, true},
		{"Groupe de travail", colGroup, true},
		{"GROUPE  DE   TRAVAIL", colGroup, true},
		{"groupe", colGroup, true},
		{"Avancement (%)", colProgress, true},
		{"avancement(%)", colProgress, true},
		{"Échéance", colDue, true},
		{"echeance", colDue, true},
		{"Date d'échéance", colDue, true},
		{"date d’echeance", colDue, true},
		{"Description", colDescription, true},
		{"Statuts", 0, false},
		{"Commentaire", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := columnOf(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("columnOf(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCleanCell(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"trimmed", "  Un titre \t", "Un titre"},
		{"no-break spaces", "\u00a0Un titre\u00a0", "Un titre"},
		{"CRLF", "a\r\nb", "a\nb"},
		{"lone CR", "a\rb", "a\nb"},
		{"tab kept", "a\tb", "a\tb"},
		{"controls dropped", "a\x00b\x01c\x0bd\x1fe", "abcde"},
		{"XML non-characters dropped", "a\ufffeb\uffffc", "abc"},
		{"replacement character kept", "a\ufffdb", "a\ufffdb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanCell(tt.in); got != tt.want {
				t.Errorf("cleanCell(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestColumnLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 10: "K", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := columnLetter(i); got != want {
			t.Errorf("columnLetter(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestGroupIndex(t *testing.T) {
	gi := newGroupIndex(store.DefaultGroups())
	for in, want := range map[string]string{
		"Parcours client": "parcours-client", "PARCOURS  CLIENT": "parcours-client", "parcours-client": "parcours-client",
		"Outils numériques": "outils-numeriques", "outils numeriques": "outils-numeriques", "Outils-Numeriques": "outils-numeriques",
	} {
		if got, ok := gi.key(in); got != want || !ok {
			t.Errorf("key(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if got, ok := gi.key("Communication"); ok {
		t.Errorf("key(Communication) = %q, want no group", got)
	}
}

// TestProblemsOf: what the store refuses comes back with the file's line,
// header and cell.
func TestProblemsOf(t *testing.T) {
	p := &parsed{lines: []int{2, 5}}
	p.columns[colTitle], p.index[colTitle] = "Intitulé", 3
	p.cells = make([][numColumns]string, 2)
	p.cells[1][colTitle] = "Un titre"
	ie := &store.ImportError{Problems: []store.RowError{
		{Row: 1, Column: "title", Err: fmt.Errorf("title too long: %w", store.ErrInvalid)},
		{Row: 0, Column: "pilote", Err: fmt.Errorf("missing pilote: %w", store.ErrInvalid)},
	}}
	want := []Problem{
		{Line: 5, Column: "Intitulé", Value: "Un titre", Kind: KindInvalid, Detail: "title too long"},
		{Line: 2, Column: "Pilote", Kind: KindInvalid, Detail: "missing pilote"},
	}
	if diff := cmp.Diff(want, p.problemsOf(ie)); diff != "" {
		t.Errorf("problemsOf (-want +got):\n%s", diff)
	}
	got := (&Error{Problems: want[:1]}).Error()
	if w := "ligne 5, colonne « Intitulé » : « Un titre » refusé : title too long"; got != w {
		t.Errorf("Error() = %q, want %q", got, w)
	}
}

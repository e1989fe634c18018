package spreadsheet

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/tours-metropole/actionbot/commands/planword"
	"github.com/tours-metropole/actionbot/store"
)

// TestCellsRoundTrip: what export writes in a cell, import reads back as
// the same value. The words themselves are tested in planword.
func TestCellsRoundTrip(t *testing.T) {
	for _, ax := range []struct{ code, name string }{{"S", "Socle commun"}, {"1", "Attirer, accueillir"}, {"12", ""}, {"3", "— a — b"}} {
		if c, n, p := planword.Axis(formatAxis(ax.code, ax.name)); c != ax.code || n != ax.name || p != planword.NoProblem {
			t.Errorf("Axis(formatAxis(%q, %q)) = %q, %q, %v", ax.code, ax.name, c, n, p)
		}
	}
	for _, pr := range []struct{ code, name string }{{"S.3", ""}, {"1.2", "Connecter et fédérer"}, {"1.2", "- x"}} {
		if c, n, p := planword.Programme(formatProgramme(pr.code, pr.name)); c != pr.code || n != pr.name || p != planword.NoProblem {
			t.Errorf("Programme(formatProgramme(%q, %q)) = %q, %q, %v", pr.code, pr.name, c, n, p)
		}
	}
	for _, st := range store.Statuses {
		if got, ok := parseStatus(statusLabel(st)); got != st || !ok {
			t.Errorf("parseStatus(statusLabel(%s)) = %q, %v", st, got, ok)
		}
	}
	for _, d := range []store.Date{{Year: 2027, Month: time.March, Day: 15}, {Year: 2028, Month: time.February, Day: 29}, {}} {
		if back, kind := parseDue(formatDue(d)); back != d || kind != "" {
			t.Errorf("parseDue(formatDue(%v)) = %v, %q", d, back, kind)
		}
	}
	if st, ok := parseStatus(""); st != store.StatusTodo || !ok {
		t.Errorf(`parseStatus("") = %q, %v; want à lancer`, st, ok)
	}
	if n, ok := parseProgress(""); n != 0 || !ok {
		t.Errorf(`parseProgress("") = %d, %v; want 0`, n, ok)
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

// TestDateSerialFarAhead: the workbook writes any date it accepts as the
// day it is, beyond the 292 years a time.Duration spans from 1899 (dates
// after 2192 were written as 08/04/2192).
func TestDateSerialFarAhead(t *testing.T) {
	for _, d := range []store.Date{{Year: 1900, Month: 3, Day: 1}, {Year: 2027, Month: 3, Day: 15}, {Year: 2192, Month: 4, Day: 9}, {Year: 2300, Month: 1, Day: 1}, {Year: 9999, Month: 12, Day: 31}} {
		serial, ok := dateSerial(d)
		if !ok {
			t.Fatalf("dateSerial(%v) refused", d)
		}
		tm, err := excelize.ExcelDateToTime(serial, false)
		if err != nil {
			t.Fatal(err)
		}
		if back := store.DateOf(tm, time.UTC); back != d {
			t.Errorf("dateSerial(%v) = %v, read back as %v", d, serial, back)
		}
	}
	at := time.Date(2300, 6, 1, 14, 30, 0, 0, time.UTC)
	tm, err := excelize.ExcelDateToTime(timeSerial(at), false)
	if err != nil || !tm.Round(time.Minute).Equal(at) {
		t.Errorf("timeSerial(%v) reads back as %v, %v", at, tm, err)
	}
}

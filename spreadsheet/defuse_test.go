package spreadsheet

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/store"
)

func TestCSVFormulaInjection(t *testing.T) {
	tests := []struct{ in, out string }{
		{"=HYPERLINK(\"http://x\";\"clic\")", "'=HYPERLINK(\"http://x\";\"clic\")"},
		{"+33 2 47 00 00 00", "'+33 2 47 00 00 00"},
		{"-10 %", "'-10 %"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"'=déjà protégé", "''=déjà protégé"},
		{"CCI Touraine", "CCI Touraine"},
		{"'apostrophe", "'apostrophe"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := defuse(tt.in); got != tt.out {
			t.Errorf("defuse(%q) = %q, want %q", tt.in, got, tt.out)
		}
		if back := undefuse(defuse(tt.in)); back != tt.in {
			t.Errorf("undefuse(defuse(%q)) = %q", tt.in, back)
		}
	}
}

func TestCSVFormulaRoundTrip(t *testing.T) {
	a := store.Action{
		Number: 1, Title: "=HYPERLINK(\"http://x\")", GroupKey: "prospection",
		Group:      store.Group{Key: "prospection", Name: "Prospection"},
		Programme:  store.Programme{Code: "1.1", Name: "Accueil", Axis: store.Axis{Code: "1", Name: "Attirer"}},
		PiloteName: "@pilote", Status: store.StatusTodo,
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, []store.Action{a}, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `;"'=HYPERLINK(""http://x"")";`) || !strings.Contains(buf.String(), ";'@pilote;") {
		t.Errorf("formula-like cells are not defused:\n%s", buf.String())
	}
	rows, err := Read(&buf, CSV, []store.Group{a.Group})
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].Title != a.Title || rows[0].Pilote.Name != "@pilote" {
		t.Errorf("read back %q, %q", rows[0].Title, rows[0].Pilote.Name)
	}
}

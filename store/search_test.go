package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

func numbers(t *testing.T, s *store.Store, text string) []int {
	t.Helper()
	p, err := s.Actions(context.Background(), store.Filter{Text: text})
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	var got []int
	for _, a := range p.Actions {
		got = append(got, a.Number)
	}
	if p.Total != len(got) {
		t.Errorf("search %q: total %d for %d actions", text, p.Total, len(got))
	}
	return got
}

func TestSearchWords(t *testing.T) {
	s := mustSeed(t)
	tests := []struct {
		name, text string
		want       []int
	}{
		{"word", "investisseurs", []int{23}},
		{"start of a word", "investis", []int{23}},
		{"case and accents ignored", "DÉLÉGATIONS", []int{23}},
		{"every word must appear", "délégations investisseurs", []int{23}},
		{"a missing word finds nothing", "délégations mars", nil},
		{"apostrophe inside a word", "d'investisseurs", []int{23}},
		{"the middle of a word finds nothing", "vestisseurs", nil},
		{"a note", "Dev'Up transmis", []int{22}},
		{"only punctuation", "« ! »", nil},
		{"FTS syntax is only text", `"délégations" (investisseurs)* -accueillir`, []int{23}},
		{"FTS operators are only words", "délégations NEAR investisseurs", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, numbers(t, s, tt.text)); diff != "" {
				t.Errorf("search %q (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

// TestSearchFollowsChanges: notes, titles changed by an import and new
// actions are found at once; replaced text is not.
func TestSearchFollowsChanges(t *testing.T) {
	s := mustSeed(t)
	ctx := context.Background()
	if _, err := s.AddNote(ctx, 5, "Rencontre avec les hôteliers", "U0TEST"); err != nil {
		t.Fatal(err)
	}
	if got := numbers(t, s, "hoteliers"); !slices.Equal(got, []int{5}) {
		t.Errorf("note: search = %v, want [5]", got)
	}
	if got := numbers(t, s, "boîte outils"); !slices.Equal(got, []int{6}) {
		t.Fatalf("before import: search = %v, want [6]", got)
	}
	rows := store.DemoPlan(store.DateOf(now, paris))
	rows[5].Title = "Diffuser le kit de marque"
	rows = append(rows, rows[0])
	rows[len(rows)-1].Number, rows[len(rows)-1].Title = 53, "Ouvrir une maison des entrepreneurs"
	if _, err := s.Import(ctx, rows, store.ImportAuthor); err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string][]int{"boîte outils": nil, "kit marque": {6}, "entrepreneurs": {53}, "hoteliers": {5}} {
		if got := numbers(t, s, text); !slices.Equal(got, want) {
			t.Errorf("after import: search %q = %v, want %v", text, got, want)
		}
	}
}

// TestSearchSameOnBothDialects: the same searches on the same generated
// plan find the same actions, in the same order and count, on SQLite and on
// PostgreSQL — alone, and with the filters and pages of « retard » and the
// lists.
func TestSearchSameOnBothDialects(t *testing.T) {
	if storetest.OnPostgres() {
		t.Skip("compares both dialects in the first pass")
	}
	ctx := context.Background()
	lite, pg := storetest.Empty(t), storetest.Postgres(t)
	for _, s := range []*store.Store{lite, pg} {
		if err := s.GeneratePlan(ctx, 600, 1800); err != nil {
			t.Fatal(err)
		}
	}
	queries := []string{
		"tours", "TOURS", "tour", "joué-lès-tours", "joue les tours", "joue-les", "lès", "saint-cyr-sur-loire",
		"notre-dame-d'oé", "d'oé", "oe", "ballan-miré", "miré", "savonnières", "SAVONNIERES", "parçay meslay",
		"étienne", "etienne-de", "chigny", "dev'up", "devup", "up", "cci touraine", "centre-val", "val de loire",
		"région", "regio", "réunion lancement", "budget validé", "financement région", "convention signée",
		"co-construction", "construction", "étudiants", "prestataire", "copil", "point d'étape", "d'étape",
		"phase 2", "2", "programme 1.2", "1.2", "s.3", "pôle emploi", "crous", "université", "universite de tours",
		"accueil", "investisseurs", "délégations", "numérique", "nonexistent", "« ! »", "tours-tours", "e",
	}
	for _, q := range queries {
		for _, f := range []store.Filter{
			{Text: q},
			{Text: q, Limit: 15, Order: store.ByDue},
			{Text: q, Group: "prospection", Open: true, Limit: 10, Offset: 5, Order: store.ByPlan},
		} {
			want, err := lite.Actions(ctx, f)
			if err != nil {
				t.Fatalf("SQLite, %+v: %v", f, err)
			}
			got, err := pg.Actions(ctx, f)
			if err != nil {
				t.Fatalf("PostgreSQL, %+v: %v", f, err)
			}
			if diff := cmp.Diff(actionNumbers(want), actionNumbers(got)); diff != "" || want.Total != got.Total {
				t.Errorf("%+v: totals %d and %d; SQLite (-) and PostgreSQL (+):\n%s", f, want.Total, got.Total, diff)
			}
		}
	}
}

func actionNumbers(p store.Page) []int {
	var out []int
	for _, a := range p.Actions {
		out = append(out, a.Number)
	}
	return out
}

// TestSearchTooManyWords: up to MaxSearchWords words are searched; more
// is the user's mistake (ErrInvalid), not an internal error of the index —
// 4,096 words used to fail the FTS query.
func TestSearchTooManyWords(t *testing.T) {
	s := mustSeed(t)
	words := func(n int) string { return strings.TrimSpace(strings.Repeat("accueil ", n)) }
	if _, err := s.Actions(context.Background(), store.Filter{Text: words(store.MaxSearchWords)}); err != nil {
		t.Errorf("%d words: %v", store.MaxSearchWords, err)
	}
	for _, n := range []int{store.MaxSearchWords + 1, 4096} {
		if _, err := s.Actions(context.Background(), store.Filter{Text: words(n)}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%d words: err = %v, want ErrInvalid", n, err)
		}
	}
}

package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/store"
)

// TestImportSeesChangesMadeWhileItPrepared changes the plan between an
// import's reading and its writing, as Slack users do during a long
// import: nothing they wrote is lost, and the import's journal starts from
// what they left.
func TestImportSeesChangesMadeWhileItPrepared(t *testing.T) {
	ctx := context.Background()
	s := mustSeed(t)
	rows := store.DemoPlan(store.DateOf(now, paris))
	byNumber := func(n int) *store.ActionRow {
		for i := range rows {
			if rows[i].Number == n {
				return &rows[i]
			}
		}
		t.Fatalf("no row %d", n)
		return nil
	}
	// The file renames 3, blocks 5 and brings a new 53 — a number that
	// someone else creates meanwhile.
	byNumber(3).Title = "Titre venu du fichier"
	byNumber(5).Status = store.StatusBlocked
	byNumber(7).Progress = 77
	extra := *byNumber(1)
	extra.Number, extra.Title = 53, "Action du fichier"
	rows = append(rows, extra)

	s.OnImportPrepared(func() {
		if _, err := s.AddNote(ctx, 3, "note écrite pendant l'import", "U0NOTE"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetStatus(ctx, 5, store.StatusDone, "U0STATUS"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetRhythm(ctx, 7, store.Rhythm{N: 2, Unit: store.Weeks}, "U0RHYTHM"); err != nil {
			t.Fatal(err)
		}
		a, err := s.ActionByNumber(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		na := store.NewAction{ProgrammeCode: a.Programme.Code, Group: a.GroupKey, Title: "Créée depuis Slack", Pilote: a.Pilote()}
		if created, err := s.CreateAction(ctx, na, "U0NEW"); err != nil || created.Number != 53 {
			t.Fatalf("CreateAction = %d, %v; want 53", created.Number, err)
		}
	})
	res, err := s.Import(ctx, rows, store.ImportAuthor)
	if err != nil {
		t.Fatal(err)
	}
	// 53 is now an update of the action created from Slack; 7's new
	// rhythm is not in the file: the file sets it back, journaled.
	if want := (store.ImportResult{Updated: 4, Unchanged: 49}); res != want {
		t.Errorf("Import = %+v, want %+v", res, want)
	}

	page, err := s.Actions(ctx, store.Filter{Text: "pendant l'import"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Actions) != 1 || page.Actions[0].Number != 3 || page.Actions[0].Title != "Titre venu du fichier" {
		t.Errorf("search for the note written meanwhile finds %+v, want action 3 with the file's title", page.Actions)
	}
	last := func(n int, field string) store.JournalEntry {
		t.Helper()
		entries, err := s.History(ctx, n, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Field == field {
				return e
			}
		}
		t.Fatalf("action %d has no %s entry", n, field)
		return store.JournalEntry{}
	}
	if e := last(5, store.FieldStatus); e.Author != store.ImportAuthor || e.Old != string(store.StatusDone) || e.New != string(store.StatusBlocked) {
		t.Errorf("action 5's last status entry = %s %s → %s, want the import's from the status set meanwhile", e.Author, e.Old, e.New)
	}
	if e := last(7, store.FieldRhythm); e.Author != store.ImportAuthor || e.Old != "2w" {
		t.Errorf("action 7's last rhythm entry = %s %q → %q, want the import's from 2w", e.Author, e.Old, e.New)
	}
	if e := last(53, store.FieldTitle); !strings.Contains(e.Old, "Slack") || e.New != "Action du fichier" {
		t.Errorf("action 53's title entry = %q → %q, want from the Slack title to the file's", e.Old, e.New)
	}
	if _, _, n, err := s.NumberRange(ctx); err != nil || n != 53 {
		t.Errorf("%d actions (%v), want 53", n, err)
	}
}

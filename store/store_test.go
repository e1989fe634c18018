package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// The fixed clock and zone of these tests: Thursday 26 November 2026,
// 10:00 in Paris; stores open empty or seeded with the demo plan.
var (
	paris    = storetest.Paris
	now      = storetest.Now
	mustOpen = storetest.Empty
	mustSeed = storetest.Demo
)

func TestDemoPlanShape(t *testing.T) {
	s := mustSeed(t)
	ctx := context.Background()
	lo, hi, n, err := s.NumberRange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if lo != 1 || hi != 52 || n != 52 {
		t.Errorf("NumberRange = %d, %d, %d; want 1, 52, 52", lo, hi, n)
	}
	axes, err := s.Axes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, a := range axes {
		codes = append(codes, a.Code)
	}
	if diff := cmp.Diff([]string{"S", "1", "2", "3", "4"}, codes); diff != "" {
		t.Errorf("axes (-want +got):\n%s", diff)
	}
	progs, err := s.Programmes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(progs) != 16 {
		t.Errorf("got %d programmes, want 16", len(progs))
	}
	groups, err := s.Groups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 4 || groups[0].Key != "parcours-client" {
		t.Errorf("groups = %+v", groups)
	}
	// Every group and every status carries at least one action.
	for _, g := range groups {
		p, err := s.Actions(ctx, store.Filter{Group: g.Key})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total == 0 {
			t.Errorf("group %s has no action", g.Key)
		}
	}
	for _, st := range store.Statuses {
		p, err := s.Actions(ctx, store.Filter{Statuses: []store.Status{st}})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total == 0 {
			t.Errorf("status %s has no action", st)
		}
	}
	if _, err := s.NextMeeting(ctx, now); err != nil {
		t.Errorf("NextMeeting: %v", err)
	}
}

func TestActionByNumber(t *testing.T) {
	s := mustSeed(t)
	ctx := context.Background()
	a, err := s.ActionByNumber(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if a.Number != 7 || a.Programme.Code != "S.2" || a.Programme.Axis.Code != "S" || a.Group.Name != "Outils numériques" {
		t.Errorf("action 7 = %d %s %s %s", a.Number, a.Programme.Code, a.Programme.Axis.Code, a.Group.Name)
	}
	if a.PiloteID != store.DemoPaul || len(a.Contributors) != 2 || a.Contributors[0].UserID != store.DemoKarim || a.Contributors[1].Name != "Dev'Up" {
		t.Errorf("people of action 7 = %q %+v", a.PiloteID, a.Contributors)
	}
	if _, err := s.ActionByNumber(ctx, 99); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ActionByNumber(99) error = %v, want ErrNotFound", err)
	}
}

func TestApplyJournalsEachChange(t *testing.T) {
	s := mustSeed(t)
	ctx := context.Background()
	before, _ := s.JournalCount(ctx)
	done := store.StatusDone
	due := store.Date{Year: 2027, Month: 3, Day: 15}
	ch, err := s.Apply(ctx, 23, "U0TEST", store.Edit{Status: &done, Due: &due, Note: "Délégation reçue"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ch.Entries {
		got = append(got, fmt.Sprintf("%s %s:%s→%s %s", e.Author, e.Field, e.Old, e.New, e.Note))
	}
	want := []string{
		"U0TEST status:a_lancer→terminee ",
		"U0TEST progress:0→100 ",
		"U0TEST due:2026-11-23→2027-03-15 ",
		"U0TEST note:→ Délégation reçue",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	a, _ := s.ActionByNumber(ctx, 23)
	if a.Status != store.StatusDone || a.Progress != 100 || a.Due != due {
		t.Errorf("action 23 after = %s %d %s", a.Status, a.Progress, a.Due)
	}
	after, _ := s.JournalCount(ctx)
	if after-before != 4 {
		t.Errorf("journal grew by %d, want 4", after-before)
	}
	hist, err := s.History(ctx, 23, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[0].Field != store.FieldNote || hist[1].Field != store.FieldDue {
		t.Errorf("History newest first = %+v", hist)
	}
	// The same change again writes nothing.
	ch, err = s.SetStatus(ctx, 23, store.StatusDone, "U0TEST")
	if err != nil || len(ch.Entries) != 0 {
		t.Errorf("repeat SetStatus = %d entries, %v", len(ch.Entries), err)
	}
	// Reopening is allowed and journaled; progress stays.
	ch, err = s.SetStatus(ctx, 23, store.StatusInProgress, "U0TEST")
	if err != nil || len(ch.Entries) != 1 || ch.Action.Progress != 100 {
		t.Errorf("reopen = %+v, %v", ch.Entries, err)
	}
	// Search finds the note.
	p, err := s.Actions(ctx, store.Filter{Text: "DELEGATION recue"})
	if err != nil || p.Total != 1 || p.Actions[0].Number != 23 {
		t.Errorf("search = %+v, %v", p, err)
	}
}

func TestApplyRefusesBadValuesAndStoresNothing(t *testing.T) {
	s := mustSeed(t)
	ctx := context.Background()
	before, _ := s.JournalCount(ctx)
	bad := store.Status("fini")
	tests := []struct {
		name string
		n    int
		edit store.Edit
		want error
	}{
		{"unknown status", 1, store.Edit{Status: &bad}, store.ErrInvalid},
		{"progress too high", 1, store.Edit{Progress: ptr(101)}, store.ErrInvalid},
		{"progress negative", 1, store.Edit{Progress: ptr(-1)}, store.ErrInvalid},
		{"empty pilote", 1, store.Edit{Pilote: &store.Person{}}, store.ErrInvalid},
		{"unknown action", 999, store.Edit{Note: "x"}, store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Apply(ctx, tt.n, "U0TEST", tt.edit); !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
	after, _ := s.JournalCount(ctx)
	if after != before {
		t.Errorf("journal grew by %d after refused edits", after-before)
	}
}

func ptr[T any](v T) *T { return &v }

// TestConcurrentWriters proves that writers queue rather than fail with
// "database is locked" or a serialization error: 16 goroutines × 25 notes,
// all present afterwards.
func TestConcurrentWriters(t *testing.T) {
	replicas := storetest.Replicas(t, 2)
	s := replicas[0]
	ctx := context.Background()
	if err := s.SeedDemo(ctx, paris); err != nil {
		t.Fatal(err)
	}
	before, _ := s.JournalCount(ctx)
	// Progress can change only on actions not done (a done one is at 100).
	open, err := s.Actions(ctx, store.Filter{Open: true})
	if err != nil {
		t.Fatal(err)
	}
	const writers, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Odd writers use another Store on the same database, as a
			// second process would; even ones share s and its pool.
			ws := replicas[w%2]
			for i := range each {
				n := open.Actions[(w*each+i)%len(open.Actions)].Number
				if _, err := ws.AddNote(ctx, n, fmt.Sprintf("note %d-%d", w, i), "U0TEST"); err != nil {
					errs <- err
				}
				if _, err := ws.SetProgress(ctx, n, (w+i)%101, "U0TEST"); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	notes, err := s.Journal(ctx, store.JournalFilter{Fields: []string{store.FieldNote}, Since: now.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != writers*each {
		t.Errorf("got %d notes, want %d", len(notes), writers*each)
	}
	after, _ := s.JournalCount(ctx)
	if after-before < writers*each {
		t.Errorf("journal grew by %d, want at least %d", after-before, writers*each)
	}
	if res, err := s.IntegrityCheck(ctx); (err != nil || res != "ok") && !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("integrity_check = %q, %v", res, err)
	}
}

func TestIsDemo(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	if demo, err := s.IsDemo(ctx); err != nil || demo {
		t.Errorf("empty store IsDemo = %v, %v", demo, err)
	}
	if err := s.SeedDemo(ctx, paris); err != nil {
		t.Fatal(err)
	}
	if demo, err := s.IsDemo(ctx); err != nil || !demo {
		t.Errorf("seeded IsDemo = %v, %v", demo, err)
	}
	rows := store.DemoPlan(store.DateOf(now, paris))[:1]
	rows[0].Title = "Titre du vrai plan"
	if _, err := s.Import(ctx, rows, store.ImportAuthor); err != nil {
		t.Fatal(err)
	}
	if demo, err := s.IsDemo(ctx); err != nil || demo {
		t.Errorf("after a real import IsDemo = %v, %v", demo, err)
	}
}

func TestMineOrder(t *testing.T) {
	s := mustSeed(t)
	p, err := s.Actions(context.Background(), store.Filter{Person: store.DemoPaul, Order: store.OverdueFirst, Today: store.DateOf(now, paris)})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, a := range p.Actions {
		got = append(got, a.Number)
	}
	// 7 and 3 are overdue (most first), 22, 29 and 52 are open by due
	// date, 44 is done: last.
	if diff := cmp.Diff([]int{7, 3, 22, 29, 52, 44}, got); diff != "" {
		t.Errorf("Paul's actions (-want +got):\n%s", diff)
	}
}

func TestOpenOddPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "plan #1? 100%")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "plan.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the database is not at %s: %v", path, err)
	}
}

func TestMain(m *testing.M) { os.Exit(storetest.RunBoth(m)) }

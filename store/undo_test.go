package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// TestUndo: an author's last change — all the fields of one command —
// is put back, journaled as a change back, within the window and while
// no one else changed the action; otherwise nothing changes and the
// refusal says why.
func TestUndo(t *testing.T) {
	ctx := context.Background()
	s := storetest.Demo(t)
	clock := storetest.Now
	s.Now = func() time.Time { return clock }
	before, err := s.ActionByNumber(ctx, 22)
	if err != nil {
		t.Fatal(err)
	}
	due := store.Date{Year: 2027, Month: 3, Day: 15}
	done, progress := store.StatusDone, 100
	if _, err := s.Apply(ctx, 22, store.DemoPaul, store.Edit{Status: &done, Progress: &progress, Due: &due, Note: "fini"}); err != nil {
		t.Fatal(err)
	}
	refusal := func(err error) string {
		var r *store.UndoRefusal
		if !errors.As(err, &r) || !errors.Is(err, store.ErrConflict) {
			t.Fatalf("Undo error %v, want an *UndoRefusal", err)
		}
		return r.Reason
	}
	window := 15 * time.Minute
	clock = clock.Add(5 * time.Minute)
	if _, err := s.Undo(ctx, 22, store.DemoMarie, clock.Add(-window)); refusal(err) != store.UndoNothing {
		t.Errorf("someone who changed nothing: %v", err)
	}
	ch, err := s.Undo(ctx, 22, store.DemoPaul, clock.Add(-window))
	if err != nil {
		t.Fatal(err)
	}
	after, _ := s.ActionByNumber(ctx, 22)
	if after.Status != before.Status || after.Progress != before.Progress || after.Due != before.Due {
		t.Errorf("after undo: %s %d%% %v; want %s %d%% %v", after.Status, after.Progress, after.Due, before.Status, before.Progress, before.Due)
	}
	if len(ch.Entries) != 3 {
		t.Errorf("undo journaled %d entries, want 3 (status, progress, due back)", len(ch.Entries))
	}
	entries, _ := s.History(ctx, 22, 10)
	if entries[len(ch.Entries)].Field != store.FieldNote {
		t.Errorf("the note of the undone change left the journal: %+v", entries)
	}

	// Someone else changed it since: refused.
	if _, err := s.Apply(ctx, 22, store.DemoPaul, store.Edit{Due: &due}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddNote(ctx, 22, "vu", store.DemoMarie); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx, 22, store.DemoPaul, clock.Add(-window)); refusal(err) != store.UndoChangedSince {
		t.Errorf("changed since: %v", err)
	}
	// Marie's last change is a note: nothing to put back.
	if _, err := s.Undo(ctx, 22, store.DemoMarie, clock.Add(-window)); refusal(err) != store.UndoNoteOnly {
		t.Errorf("a note: %v", err)
	}
	// Too old.
	if _, err := s.Apply(ctx, 22, store.DemoPaul, store.Edit{Progress: &progress}); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(16 * time.Minute)
	if _, err := s.Undo(ctx, 22, store.DemoPaul, clock.Add(-window)); refusal(err) != store.UndoTooOld {
		t.Errorf("too old: %v", err)
	}
}

// TestDemoLeadAndWorkingDays: the demo has a group lead, and its COPIL
// meetings fall on working days.
func TestDemoLeadAndWorkingDays(t *testing.T) {
	ctx := context.Background()
	s := storetest.Demo(t)
	groups, err := s.Groups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	led := false
	for _, g := range groups {
		led = led || (g.Key == "ambassadeurs" && g.IsLead(store.DemoSophie))
	}
	if !led {
		t.Errorf("Sophie does not lead « ambassadeurs » in the demo: %+v", groups)
	}
	ms, err := s.Meetings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if wd := m.At.In(storetest.Paris).Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("a demo COPIL on %s", m.At.In(storetest.Paris).Format("Monday 2 January 2006"))
		}
	}
}

// TestCreateAction: a new action takes the next free number, « à lancer »,
// 0 %, and its creation is journaled.
func TestCreateAction(t *testing.T) {
	ctx := context.Background()
	s := storetest.Demo(t)
	_, hi, _, err := s.NumberRange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.CreateAction(ctx, store.NewAction{ProgrammeCode: "1.2", Group: "prospection", Title: "Guichet unique des entreprises", Pilote: store.Person{UserID: store.DemoPaul}}, store.DemoPaul)
	if err != nil {
		t.Fatal(err)
	}
	if a.Number != hi+1 || a.Status != store.StatusTodo || a.Progress != 0 || a.Programme.Code != "1.2" || a.Group.Key != "prospection" || a.PiloteID != store.DemoPaul {
		t.Errorf("created %+v", a)
	}
	entries, _ := s.History(ctx, a.Number, 10)
	if len(entries) != 1 || entries[0].Field != store.FieldCreated || entries[0].Author != store.DemoPaul {
		t.Errorf("journal %+v", entries)
	}
	if _, err := s.CreateAction(ctx, store.NewAction{ProgrammeCode: "9.9", Group: "prospection", Title: "x", Pilote: store.Person{Name: "x"}}, store.DemoPaul); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown programme: %v", err)
	}
	groups, err := s.ProgrammeGroups(ctx, "1.2")
	if err != nil || len(groups) == 0 {
		t.Errorf("ProgrammeGroups(1.2) = %v, %v", groups, err)
	}
}

// TestUndoIsNotUndone: an undo is journaled as one, and undoing it is
// refused — it would only toggle — with when it was made; nothing changes.
func TestUndoIsNotUndone(t *testing.T) {
	ctx := context.Background()
	s := storetest.Demo(t)
	clock := storetest.Now
	s.Now = func() time.Time { return clock }
	progress := 70
	if _, err := s.Apply(ctx, 22, store.DemoPaul, store.Edit{Progress: &progress}); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Minute)
	since := clock.Add(-15 * time.Minute)
	ch, err := s.Undo(ctx, 22, store.DemoPaul, since)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Entries) != 1 || !ch.Entries[0].Undo {
		t.Fatalf("undo entries %+v, want one marked Undo", ch.Entries)
	}
	undone := ch.Action.Progress
	clock = clock.Add(time.Minute)
	_, err = s.Undo(ctx, 22, store.DemoPaul, clock.Add(-15*time.Minute))
	var r *store.UndoRefusal
	if !errors.As(err, &r) || r.Reason != store.UndoUndone || !r.At.Equal(storetest.Now.Add(time.Minute)) {
		t.Fatalf("undo of an undo: %v (%+v), want UndoUndone at the undo's time", err, r)
	}
	after, _ := s.ActionByNumber(ctx, 22)
	entries, _ := s.History(ctx, 22, 10)
	if after.Progress != undone || entries[0].ID != ch.Entries[0].ID {
		t.Errorf("the refused undo changed something: progress %d, last entry %+v", after.Progress, entries[0])
	}
	if entries[1].Undo {
		t.Errorf("the change undone is marked as an undo: %+v", entries[1])
	}
	// A new change after the undo is undoable as any.
	progress = 80
	if _, err := s.Apply(ctx, 22, store.DemoPaul, store.Edit{Progress: &progress}); err != nil {
		t.Fatal(err)
	}
	if ch, err := s.Undo(ctx, 22, store.DemoPaul, clock.Add(-15*time.Minute)); err != nil || ch.Action.Progress != undone {
		t.Errorf("undo of the next change: %v, progress %d; want %d", err, ch.Action.Progress, undone)
	}
}

// TestUndoOfNoField: a rhythm, a COPIL decision or the creation of the
// action is the author's last change, but no field undo puts back: the
// refusal says so, not that it was a note.
func TestUndoOfNoField(t *testing.T) {
	ctx := context.Background()
	s := storetest.Demo(t)
	since := storetest.Now.Add(-15 * time.Minute)
	reason := func(err error) string {
		var r *store.UndoRefusal
		if !errors.As(err, &r) {
			t.Fatalf("Undo error %v, want an *UndoRefusal", err)
		}
		return r.Reason
	}
	if _, err := s.SetRhythm(ctx, 22, store.Rhythm{N: 2, Unit: store.Weeks}, store.DemoPaul); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx, 22, store.DemoPaul, since); reason(err) != store.UndoNoField {
		t.Errorf("after a rhythm: %v", err)
	}
	a, err := s.CreateAction(ctx, store.NewAction{ProgrammeCode: "1.3", Group: "prospection", Title: "Salon", Pilote: store.Person{UserID: store.DemoPaul}}, store.DemoPaul)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx, a.Number, store.DemoPaul, since); reason(err) != store.UndoNoField {
		t.Errorf("after the creation: %v", err)
	}
}

// TestCreateActionsAtOnce: « nouvelle » typed by many people at once, on
// two replicas of one database, gives every one of them an action, the
// numbers following the highest without a gap or a repeat. On PostgreSQL
// there is no in-process writer mutex: two creations read the same highest
// number unless the dialect makes them take turns.
func TestCreateActionsAtOnce(t *testing.T) {
	ctx := context.Background()
	replicas := storetest.Replicas(t, 2)
	if err := replicas[0].SeedDemo(ctx, storetest.Paris); err != nil {
		t.Fatal(err)
	}
	_, hi, _, err := replicas[0].NumberRange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const n = 24
	numbers := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			a, err := replicas[i%2].CreateAction(ctx, store.NewAction{ProgrammeCode: "1.2", Group: "prospection", Title: fmt.Sprintf("Action %d", i), Pilote: store.Person{UserID: store.DemoPaul}}, store.DemoPaul)
			numbers[i], errs[i] = a.Number, err
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("creation %d: %v", i, err)
		}
	}
	slices.Sort(numbers)
	for i, got := range numbers {
		if want := hi + 1 + i; got != want {
			t.Fatalf("numbers %v; want %d to %d", numbers, hi+1, hi+n)
		}
	}
}

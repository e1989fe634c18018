package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tours-metropole/actionbot/store"
)

func TestParseRhythm(t *testing.T) {
	tests := []struct {
		in   string
		want store.Rhythm
		bad  bool
	}{
		{in: "30d", want: store.Rhythm{N: 30, Unit: store.Days}},
		{in: "2w", want: store.Rhythm{N: 2, Unit: store.Weeks}},
		{in: " 1m ", want: store.Rhythm{N: 1, Unit: store.Months}},
		{in: "", want: store.Rhythm{}},
		{in: "0d", bad: true},
		{in: "-3d", bad: true},
		{in: "30", bad: true},
		{in: "3y", bad: true},
		{in: "800d", bad: true},
		{in: "24m", bad: true},
		{in: "d", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := store.ParseRhythm(tt.in)
			if tt.bad {
				if !errors.Is(err, store.ErrInvalid) {
					t.Errorf("ParseRhythm(%q) = %v, %v; want ErrInvalid", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseRhythm(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if back, _ := store.ParseRhythm(got.String()); back != got {
				t.Errorf("round trip of %v gave %v", got, back)
			}
		})
	}
}

func TestRhythmAfter(t *testing.T) {
	d := store.Date{Year: 2027, Month: 1, Day: 31}
	tests := []struct {
		r    store.Rhythm
		want store.Date
	}{
		{store.Rhythm{N: 14, Unit: store.Days}, store.Date{Year: 2027, Month: 2, Day: 14}},
		{store.Rhythm{N: 2, Unit: store.Weeks}, store.Date{Year: 2027, Month: 2, Day: 14}},
		{store.Rhythm{N: 1, Unit: store.Months}, store.Date{Year: 2027, Month: 3, Day: 3}},
	}
	for _, tt := range tests {
		if got := tt.r.After(d); got != tt.want {
			t.Errorf("%v after %v = %v, want %v", tt.r, d, got, tt.want)
		}
	}
}

// planAt imports three actions of group "prospection" at the given time:
// 1 and 2 piloted by U1 (2 with U2 contributing), 3 by U2.
func planAt(t *testing.T, s *store.Store, at time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.GroupByKey(ctx, "prospection"); err != nil {
		if err := s.SyncGroups(ctx, store.DefaultGroups()); err != nil {
			t.Fatal(err)
		}
	}
	clock := s.Now
	s.Now = func() time.Time { return at }
	defer func() { s.Now = clock }()
	row := func(n int, pilote string, due store.Date, people ...store.Person) store.ActionRow {
		return store.ActionRow{Number: n, AxisCode: "1", AxisName: "Attirer", ProgrammeCode: "1.1", ProgrammeName: "Accueil",
			Title: "Action", Group: "prospection", Pilote: store.Person{UserID: pilote}, Contributors: people,
			Status: store.StatusInProgress, Progress: 10, Due: due}
	}
	rows := []store.ActionRow{
		row(1, "U1", store.Date{}),
		row(2, "U1", store.Date{Year: 2026, Month: 11, Day: 1}, store.Person{UserID: "U2"}),
		row(3, "U2", store.Date{}),
	}
	if _, err := s.Import(ctx, rows, store.ImportAuthor); err != nil {
		t.Fatal(err)
	}
}

func numbersOf(ls []store.Lateness) []int {
	var out []int
	for _, l := range ls {
		out = append(out, l.Action.Number)
	}
	return out
}

func TestUpdatesLate(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	if err := s.SyncGroups(ctx, []store.Group{{Key: "prospection", Name: "Prospection", UpdateEvery: store.Rhythm{N: 2, Unit: store.Weeks}}}); err != nil {
		t.Fatal(err)
	}
	today := store.DateOf(now, paris)
	planAt(t, s, now.AddDate(0, 0, -20)) // 20 days ago: late by 6 days on a 2-week rhythm
	// Action 2 follows a rhythm of its own, longer; action 3 is updated
	// 3 days ago.
	if _, err := s.SetRhythm(ctx, 2, store.Rhythm{N: 1, Unit: store.Months}, "U9"); err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return now.AddDate(0, 0, -3) }
	if _, err := s.AddNote(ctx, 3, "Rendez-vous pris", "U2"); err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return now }

	late, total, err := s.UpdatesLate(ctx, store.Filter{}, today, paris, false)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1}, numbersOf(late)); diff != "" || total != 1 {
		t.Fatalf("late, %d in all (-want +got):\n%s", total, diff)
	}
	if late[0].Days != 6 || late[0].Next != today.AddDays(-6) {
		t.Errorf("action 1 late by %d days since %v; want 6 since %v", late[0].Days, late[0].Next, today.AddDays(-6))
	}
	a2, _ := s.ActionByNumber(ctx, 2)
	if got, want := a2.NextUpdate(paris), today.AddDays(-20).AddDays(0); got.Before(today) || a2.UpdateLate(today, paris) != 0 {
		t.Errorf("action 2 on a monthly rhythm: next %v (last %v), late %d", got, want, a2.UpdateLate(today, paris))
	}

	// Nine days on, action 1 is late by more than two rhythms (28 days).
	later := today.AddDays(9)
	esc, _, err := s.UpdatesLate(ctx, store.Filter{Group: "prospection"}, later, paris, true)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1}, numbersOf(esc)); diff != "" {
		t.Errorf("escalated (-want +got):\n%s", diff)
	}
	// Removing action 2's own rhythm puts it back on the group's.
	if _, err := s.SetRhythm(ctx, 2, store.Rhythm{}, "U9"); err != nil {
		t.Fatal(err)
	}
	late, total, _ = s.UpdatesLate(ctx, store.Filter{Order: store.ByNumber}, today, paris, false)
	if diff := cmp.Diff([]int{1, 2}, numbersOf(late)); diff != "" || total != 2 {
		t.Errorf("late after removing 2's rhythm, %d in all (-want +got):\n%s", total, diff)
	}
	// The database pages them.
	late, total, _ = s.UpdatesLate(ctx, store.Filter{Order: store.ByNumber, Limit: 1, Offset: 1}, today, paris, false)
	if diff := cmp.Diff([]int{2}, numbersOf(late)); diff != "" || total != 2 {
		t.Errorf("second page, %d in all (-want +got):\n%s", total, diff)
	}
	// A closed action is never late.
	if _, err := s.SetStatus(ctx, 1, store.StatusAbandoned, "U1"); err != nil {
		t.Fatal(err)
	}
	late, _, _ = s.UpdatesLate(ctx, store.Filter{}, later, paris, false)
	if diff := cmp.Diff([]int{2}, numbersOf(late)); diff != "" {
		t.Errorf("late after abandoning 1 (-want +got):\n%s", diff)
	}
}

func TestSetRhythmIsNotAnUpdate(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	planAt(t, s, now.AddDate(0, 0, -40))
	before, _ := s.ActionByNumber(ctx, 1)
	ch, err := s.SetRhythm(ctx, 1, store.Rhythm{N: 14, Unit: store.Days}, "U9")
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Entries) != 1 || ch.Entries[0].Field != store.FieldRhythm || ch.Entries[0].New != "14d" {
		t.Errorf("entries = %+v", ch.Entries)
	}
	after, _ := s.ActionByNumber(ctx, 1)
	if !after.UpdatedAt.Equal(before.UpdatedAt) || after.UpdateEvery.String() != "14d" {
		t.Errorf("after SetRhythm: updated %v (was %v), rhythm %v", after.UpdatedAt, before.UpdatedAt, after.UpdateEvery)
	}
	// The same rhythm again changes nothing.
	if ch, _ := s.SetRhythm(ctx, 1, store.Rhythm{N: 14, Unit: store.Days}, "U9"); len(ch.Entries) != 0 {
		t.Errorf("setting the same rhythm journaled %+v", ch.Entries)
	}
	if _, err := s.SetRhythm(ctx, 1, store.Rhythm{N: 0, Unit: 'x'}, "U9"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("bad rhythm: %v", err)
	}
	if _, err := s.SetRhythm(ctx, 99, store.Rhythm{N: 1, Unit: store.Weeks}, "U9"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown action: %v", err)
	}
}

func TestActionsNeedingNews(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	if err := s.SyncGroups(ctx, store.DefaultGroups()); err != nil {
		t.Fatal(err)
	}
	planAt(t, s, now.AddDate(0, 0, -10))
	// A COPIL was held 5 days ago; action 1 was updated since.
	if _, err := s.ScheduleMeeting(ctx, now.AddDate(0, 0, -5), "Tours", "U9", paris); err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return now.AddDate(0, 0, -1) }
	if _, err := s.SetProgress(ctx, 1, 40, "U1"); err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return now }
	got, err := s.ActionsNeedingNews(ctx, "U2", now, paris)
	if err != nil {
		t.Fatal(err)
	}
	type item struct {
		N       int
		Reasons store.NewsReason
	}
	var items []item
	for _, n := range got {
		items = append(items, item{n.Action.Number, n.Reasons})
	}
	want := []item{{2, store.NewsOverdue | store.NewsSinceMeeting}, {3, store.NewsSinceMeeting}}
	if diff := cmp.Diff(want, items); diff != "" {
		t.Errorf("U2's actions needing news (-want +got):\n%s", diff)
	}
	got, _ = s.ActionsNeedingNews(ctx, "U1", now, paris)
	if len(got) != 1 || got[0].Action.Number != 2 {
		t.Errorf("U1's actions needing news = %+v; want only 2", got)
	}
	// Forty days on, with no news, every update is late.
	got, _ = s.ActionsNeedingNews(ctx, "U2", now.AddDate(0, 0, 40), paris)
	if len(got) != 2 || got[1].Reasons&store.NewsUpdateLate == 0 {
		t.Errorf("40 days on: %+v", got)
	}
}

// TestOpenRhythmBackfill checks the rhythm each action follows, stored for
// the late query (actions.open_rhythm): kept by every change of status,
// rhythm and group rhythm, and the same when migration 00035 fills it in a
// database made before it.
func TestOpenRhythmBackfill(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	groups := store.DefaultGroups()
	groups[1].UpdateEvery = store.Rhythm{N: 2, Unit: store.Weeks} // prospection
	if err := s.SyncGroups(ctx, groups); err != nil {
		t.Fatal(err)
	}
	planAt(t, s, now.AddDate(0, 0, -40))
	// 4 in a group without a rhythm: 30 days.
	if _, err := s.Import(ctx, []store.ActionRow{{Number: 4, AxisCode: "1", AxisName: "Attirer", ProgrammeCode: "1.1", ProgrammeName: "Accueil",
		Title: "Autre", Group: "ambassadeurs", Pilote: store.Person{Name: "CCI Touraine"}, Status: store.StatusTodo}}, store.ImportAuthor); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetRhythm(ctx, 2, store.Rhythm{N: 1, Unit: store.Months}, "U9"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetStatus(ctx, 3, store.StatusDone, "U2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAction(ctx, store.NewAction{ProgrammeCode: "1.1", Group: "prospection", Title: "Nouvelle", Pilote: store.Person{UserID: "U1"}}, "U1"); err != nil {
		t.Fatal(err)
	}
	check := func(when string, want map[int]string) {
		t.Helper()
		got, err := s.OpenRhythms(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: open rhythms (-want +got):\n%s", when, diff)
		}
	}
	want := map[int]string{1: "2w", 2: "1m", 3: "", 4: "30d", 5: "2w"}
	check("kept by the changes", want)
	today := store.DateOf(now, paris)
	lateBefore, _, err := s.UpdatesLate(ctx, store.Filter{Order: store.ByNumber}, today, paris, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.BeforeOpenRhythm(ctx); err != nil {
		t.Fatal(err)
	}
	check("filled by the migration", want)
	lateAfter, _, err := s.UpdatesLate(ctx, store.Filter{Order: store.ByNumber}, today, paris, false)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1, 2}, numbersOf(lateAfter)); diff != "" || !cmp.Equal(numbersOf(lateBefore), numbersOf(lateAfter)) {
		t.Errorf("late before the migration %v, after (-want +got):\n%s", numbersOf(lateBefore), diff)
	}

	// A new group rhythm reaches the actions that follow the group's;
	// a reopened action follows one again.
	groups[1].UpdateEvery = store.Rhythm{N: 10, Unit: store.Days}
	if err := s.SyncGroups(ctx, groups); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetStatus(ctx, 3, store.StatusInProgress, "U2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetRhythm(ctx, 2, store.Rhythm{}, "U9"); err != nil {
		t.Fatal(err)
	}
	check("after a new group rhythm, a reopening, a rhythm removed", map[int]string{1: "10d", 2: "10d", 3: "10d", 4: "30d", 5: "10d"})
	// An import that moves an action to another group, or closes it.
	rows := []store.ActionRow{{Number: 1, AxisCode: "1", AxisName: "Attirer", ProgrammeCode: "1.1", ProgrammeName: "Accueil",
		Title: "Action", Group: "ambassadeurs", Pilote: store.Person{UserID: "U1"}, Status: store.StatusInProgress, Progress: 10}}
	if _, err := s.Import(ctx, rows, store.ImportAuthor); err != nil {
		t.Fatal(err)
	}
	rows[0].Number, rows[0].Group, rows[0].Status, rows[0].Progress = 4, "ambassadeurs", store.StatusAbandoned, 0
	rows[0].Title, rows[0].Pilote = "Autre", store.Person{Name: "CCI Touraine"}
	if _, err := s.Import(ctx, rows, store.ImportAuthor); err != nil {
		t.Fatal(err)
	}
	check("after imports", map[int]string{1: "30d", 2: "10d", 3: "10d", 4: "", 5: "10d"})
}

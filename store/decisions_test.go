package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tours-metropole/actionbot/store"
)

func TestRecordDecision(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	planAt(t, s, now.AddDate(0, 0, -30))
	if _, _, err := s.RecordDecision(ctx, 1, "Lancer", "U9", paris); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("with no meeting held: %v; want ErrNotFound", err)
	}
	past, _ := s.ScheduleMeeting(ctx, now.AddDate(0, 0, -7), "Tours", "U9", paris)
	// Later today, a second meeting: decisions of today go to it.
	today, _ := s.ScheduleMeeting(ctx, now.Add(4*time.Hour), "Tours", "U9", paris)

	d, m, err := s.RecordDecision(ctx, 2, "  Étendre à Amboise  ", "U9", paris)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != today.ID || d.Text != "Étendre à Amboise" || d.ActionNumber != 2 {
		t.Errorf("decision %+v of meeting %d; want today's %d", d, m.ID, today.ID)
	}
	// The next day, decisions go to the last meeting held.
	s.Now = func() time.Time { return now.AddDate(0, 0, 1) }
	if _, m, err = s.RecordDecision(ctx, 1, "Reporter", "U9", paris); err != nil || m.ID != today.ID {
		t.Errorf("next day: meeting %d, %v; want %d", m.ID, err, today.ID)
	}
	if _, _, err := s.RecordDecision(ctx, 1, " ", "U9", paris); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty decision: %v", err)
	}
	if _, _, err := s.RecordDecision(ctx, 1, strings.Repeat("é", store.MaxDecisionLen+1), "U9", paris); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("too long a decision: %v", err)
	}
	if _, _, err := s.RecordDecision(ctx, 42, "x", "U9", paris); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown action: %v", err)
	}

	ds, err := s.Decisions(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.Text+"@"+d.Action.Pilote().String())
	}
	if diff := cmp.Diff([]string{"Reporter@<@U1>", "Étendre à Amboise@<@U1>"}, got); diff != "" {
		t.Errorf("decisions of today's meeting (-want +got):\n%s", diff)
	}
	if ds, _ := s.Decisions(ctx, past); len(ds) != 0 {
		t.Errorf("the past meeting has %d decisions", len(ds))
	}
	// The journal says it, and a decision is not an update.
	h, _ := s.History(ctx, 2, 1)
	if len(h) != 1 || h[0].Field != store.FieldDecision || h[0].Note != "Étendre à Amboise" || h[0].New != store.DateOf(now, paris).String() {
		t.Errorf("journal of 2 = %+v", h)
	}
	a, _ := s.ActionByNumber(ctx, 2)
	if !a.UpdatedAt.Equal(now.AddDate(0, 0, -30).UTC()) {
		t.Errorf("action 2 updated at %v after a decision", a.UpdatedAt)
	}
}

func TestFollowUps(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	planAt(t, s, now.AddDate(0, 0, -30))
	m, _ := s.ScheduleMeeting(ctx, now.AddDate(0, 0, -7), "Tours", "U9", paris)
	s.Now = func() time.Time { return now.AddDate(0, 0, -7).Add(time.Hour) }
	if _, _, err := s.RecordDecision(ctx, 1, "Accélérer", "U9", paris); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.RecordDecision(ctx, 3, "Abandonner", "U9", paris); err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return now.AddDate(0, 0, -2) }
	if _, err := s.SetProgress(ctx, 1, 60, "U1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddNote(ctx, 1, "Deux entreprises vues", "U1"); err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return now }
	fs, err := s.FollowUps(ctx, m, now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		var fields []string
		for _, e := range f.Changes {
			fields = append(fields, e.Field)
		}
		got = append(got, f.Decision.Text+":"+strings.Join(fields, ",")+":"+string(f.Decision.Action.Status))
	}
	want := []string{"Accélérer:progress,note:en_cours", "Abandonner::en_cours"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("follow-ups (-want +got):\n%s", diff)
	}
	if got, err := s.MeetingOn(ctx, store.DateOf(now.AddDate(0, 0, -7), paris), paris); err != nil || got.ID != m.ID {
		t.Errorf("MeetingOn = %+v, %v", got, err)
	}
	if _, err := s.MeetingOn(ctx, store.DateOf(now, paris), paris); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("MeetingOn a day without: %v", err)
	}
}

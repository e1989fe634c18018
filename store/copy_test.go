package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/tours-metropole/actionbot/store"
)

// TestCopyFrom moves a SQLite plan — the demo, with notes, meetings, the
// outbox's history and a share link — into an empty store (SQLite in the
// first pass, PostgreSQL in the second): every table holds as many rows,
// the plan reads the same, and the copy takes new writes with new IDs.
func TestCopyFrom(t *testing.T) {
	ctx := context.Background()
	src, err := store.Open(filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	src.Now = func() time.Time { return now }
	if err := src.SeedDemo(ctx, paris); err != nil {
		t.Fatal(err)
	}
	if _, err := src.AddNote(ctx, 23, "Délégation reçue à Joué-lès-Tours", "U0TEST"); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"digest:prospection:2026-11-23T09:00:00", "nudge:U1:2026-11-23T09:30:00"} {
		if _, err := src.Enqueue(ctx, store.Delivery{Key: k, Kind: "digest", Channel: "C0P", Text: "x", File: []byte{0, 1, 2}}); err != nil {
			t.Fatal(err)
		}
	}
	due, _ := src.DueDeliveries(ctx, now, 10)
	src.MarkSending(ctx, due[0].ID, now.Add(time.Minute))
	src.MarkSent(ctx, due[0].ID, "1700000000.000001")
	if _, _, err := src.CreateLink(ctx, "MEDEF Touraine", "cli", now.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := src.ScheduleMeeting(ctx, now.AddDate(0, 1, 0), "Tours", "U1", paris); err != nil {
		t.Fatal(err)
	}

	dst := mustOpen(t)
	counts, err := dst.CopyFrom(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int64{}
	for _, c := range counts {
		rows[c.Table] = c.Rows
	}
	for table, min := range map[string]int64{"actions": 52, "journal_entries": 60, "contributors": 1, "meetings": 3, "deliveries": 2, "links": 1, "groups": 4, "settings": 1} {
		if rows[table] < min {
			t.Errorf("%s: %d rows copied, want at least %d", table, rows[table], min)
		}
	}

	same := func(what string, read func(*store.Store) (any, error)) {
		t.Helper()
		want, err := read(src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := read(dst)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateApproxTime(time.Microsecond)); diff != "" {
			t.Errorf("%s (-old +copy):\n%s", what, diff)
		}
	}
	same("actions", func(s *store.Store) (any, error) {
		p, err := s.Actions(ctx, store.Filter{Order: store.ByPlan})
		return p, err
	})
	same("journal", func(s *store.Store) (any, error) { return s.Journal(ctx, store.JournalFilter{}) })
	same("meetings", func(s *store.Store) (any, error) { return s.Meetings(ctx) })
	same("deliveries", func(s *store.Store) (any, error) { return s.Deliveries(ctx, 10) })
	same("search", func(s *store.Store) (any, error) {
		p, err := s.Actions(ctx, store.Filter{Text: "joué délégation"})
		return p.Total, err
	})
	same("demo", func(s *store.Store) (any, error) { return s.IsDemo(ctx) })

	// New rows get IDs past the copied ones.
	if _, err := dst.AddNote(ctx, 23, "Après la copie", "U0TEST"); err != nil {
		t.Errorf("a note after the copy: %v", err)
	}
	if _, err := dst.Enqueue(ctx, store.Delivery{Key: "after", Kind: "digest", Channel: "C0P", Text: "y"}); err != nil {
		t.Errorf("a delivery after the copy: %v", err)
	}
	// Only into an empty store.
	if _, err := dst.CopyFrom(ctx, src); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a second copy = %v, want ErrConflict", err)
	}
}

package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tours-metropole/actionbot/store"
)

func TestGeneratePlan(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	if err := s.GeneratePlan(ctx, 400, 4000); err != nil {
		t.Fatal(err)
	}
	lo, hi, n, err := s.NumberRange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if lo != 1 || hi != 400 || n != 400 {
		t.Errorf("NumberRange = %d, %d, %d; want 1, 400, 400", lo, hi, n)
	}
	if got, err := s.JournalCount(ctx); err != nil || got != 4000 {
		t.Errorf("JournalCount = %d, %v; want 4000", got, err)
	}
	for _, g := range store.DefaultGroups() {
		p, err := s.Actions(ctx, store.Filter{Group: g.Key, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 100 {
			t.Errorf("group %s has %d actions, want 100", g.Key, p.Total)
		}
	}
	a, err := s.ActionByNumber(ctx, 23)
	if err != nil {
		t.Fatal(err)
	}
	if a.Programme.Axis.Code == "" || a.Group.Name == "" || a.Pilote().IsZero() {
		t.Errorf("action 23 = %+v, want its programme, axis, group and pilote", a)
	}
	if demo, err := s.IsDemo(ctx); err != nil || demo {
		t.Errorf("IsDemo = %v, %v; want false: a generated plan is no demo", demo, err)
	}
	if res, err := s.IntegrityCheck(ctx); (err != nil || res != "ok") && !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("integrity_check = %q, %v", res, err)
	}
	if err := s.GeneratePlan(ctx, 10, 10); !errors.Is(err, store.ErrConflict) {
		t.Errorf("GeneratePlan on a plan = %v, want ErrConflict", err)
	}
}

// TestGeneratePlanDeterministic: the same clock gives the same plan.
func TestGeneratePlanDeterministic(t *testing.T) {
	ctx := context.Background()
	var cards [2]store.Action
	for i := range cards {
		s := mustOpen(t)
		if err := s.GeneratePlan(ctx, 60, 600); err != nil {
			t.Fatal(err)
		}
		a, err := s.ActionByNumber(ctx, 57)
		if err != nil {
			t.Fatal(err)
		}
		a.ID, a.CreatedAt, a.UpdatedAt = 0, a.CreatedAt.UTC(), a.UpdatedAt.UTC()
		cards[i] = a
	}
	if cards[0].Title != cards[1].Title || cards[0].Status != cards[1].Status || cards[0].SearchText != cards[1].SearchText || !cards[0].UpdatedAt.Equal(cards[1].UpdatedAt) {
		t.Errorf("two plans from one clock differ:\n%+v\n%+v", cards[0], cards[1])
	}
}

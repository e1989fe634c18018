package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tours-metropole/actionbot/store"
)

// TestCanvasRecords: the canvas ID of a channel and the mark of its
// creation, and the outbox's look-ups by key prefix the canvas and the
// reminders use.
func TestCanvasRecords(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	if id, err := s.CanvasID(ctx, "C0COPIL"); err != nil || id != "" {
		t.Fatalf("no canvas yet: %q, %v", id, err)
	}
	if err := s.MarkCanvasCreating(ctx, "C0COPIL"); err != nil {
		t.Fatal(err)
	}
	if asked, err := s.CanvasCreating(ctx, "C0COPIL"); err != nil || !asked {
		t.Errorf("creating: %v, %v", asked, err)
	}
	if asked, _ := s.CanvasCreating(ctx, "C0OTHER"); asked {
		t.Error("another channel's creation is marked")
	}
	if err := s.SetCanvasID(ctx, "C0COPIL", "F0CANVAS"); err != nil {
		t.Fatal(err)
	}
	id, _ := s.CanvasID(ctx, "C0COPIL")
	asked, _ := s.CanvasCreating(ctx, "C0COPIL")
	if id != "F0CANVAS" || asked {
		t.Errorf("after SetCanvasID: %q, creating %v", id, asked)
	}
	if err := s.SetCanvasID(ctx, "C0COPIL", ""); err != nil {
		t.Fatal(err)
	}
	if id, _ := s.CanvasID(ctx, "C0COPIL"); id != "" {
		t.Errorf("forgotten canvas: %q", id)
	}

	if _, err := s.LatestDelivery(ctx, "canvas:C0COPIL:"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("no delivery: %v", err)
	}
	for _, key := range []string{"canvas:C0COPIL:2026-11-26T10:00:00", "canvas:C0COPIL:2026-11-26T10:10:00", "canvas:C0OTHER:2026-11-26T10:20:00", "reminder:12:24h0m0s"} {
		if _, err := s.Enqueue(ctx, store.Delivery{Key: key, Kind: "canvas", Channel: "C0COPIL", Text: key}); err != nil {
			t.Fatal(err)
		}
	}
	if d, err := s.LatestDelivery(ctx, "canvas:C0COPIL:"); err != nil || d.Key != "canvas:C0COPIL:2026-11-26T10:10:00" {
		t.Errorf("latest: %q, %v", d.Key, err)
	}
	for _, tt := range []struct {
		prefixes []string
		want     bool
	}{
		{[]string{"reminder:1:", "reminder-now:1:"}, false},
		{[]string{"reminder:1:", "reminder:12:"}, true},
		{[]string{"reminder:12_"}, false}, // a prefix is text, not a pattern
		{nil, false},
	} {
		if got, err := s.HasDeliveryPrefix(ctx, tt.prefixes...); err != nil || got != tt.want {
			t.Errorf("HasDeliveryPrefix(%q) = %v, %v; want %v", tt.prefixes, got, err, tt.want)
		}
	}
}

package store_test

import (
	"context"
	"testing"

	"github.com/tours-metropole/actionbot/store"
)

// TestActionsInChunks: listing more actions than one query binds loads
// every action's contributors, in order.
func TestActionsInChunks(t *testing.T) {
	s := mustSeed(t)
	ctx := context.Background()
	whole, err := s.Actions(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.SetMaxParams(7)()
	chunked, err := s.Actions(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Actions) != 52 {
		t.Fatalf("%d actions, want 52", len(whole.Actions))
	}
	for i := range whole.Actions {
		if a, b := store.JoinPeople(whole.Actions[i].People()), store.JoinPeople(chunked.Actions[i].People()); a != b {
			t.Errorf("action %d: contributors %q in chunks, %q at once", whole.Actions[i].Number, b, a)
		}
	}
}

package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/store/storetest"
)

// TestLease: one holder at a time among replicas; the holder renews it,
// another takes it once it has expired or been given up.
func TestLease(t *testing.T) {
	ctx := context.Background()
	r := storetest.Replicas(t, 2)
	at := now
	for _, s := range r {
		s.Now = func() time.Time { return at }
	}
	hold := func(i int, holder string) bool {
		t.Helper()
		ok, err := r[i].HoldLease(ctx, "sender", holder, 15*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !hold(0, "a") || hold(1, "b") {
		t.Fatal("a did not take the free lease, or b took it from a")
	}
	at = at.Add(10 * time.Second)
	if !hold(0, "a") {
		t.Error("a could not renew its lease")
	}
	at = at.Add(14 * time.Second)
	if hold(1, "b") {
		t.Error("b took a's renewed lease before it expired")
	}
	at = at.Add(time.Second)
	if !hold(1, "b") || hold(0, "a") {
		t.Error("b did not take the expired lease, or a kept it")
	}
	if err := r[1].ReleaseLease(ctx, "sender", "a"); err != nil || hold(0, "a") {
		t.Errorf("a gave up b's lease (%v)", err)
	}
	if err := r[1].ReleaseLease(ctx, "sender", "b"); err != nil || !hold(0, "a") {
		t.Errorf("a could not take the lease b gave up (%v)", err)
	}

	// Replicas racing for an expired lease: one wins.
	at = at.Add(time.Minute)
	for round := range 5 {
		at = at.Add(time.Minute)
		wins := make([]bool, 8)
		var wg sync.WaitGroup
		for i := range wins {
			wg.Go(func() {
				ok, err := r[i%2].HoldLease(ctx, "race", string(rune('a'+i)), time.Second)
				if err != nil {
					t.Error(err)
				}
				wins[i] = ok
			})
		}
		wg.Wait()
		n := 0
		for _, w := range wins {
			if w {
				n++
			}
		}
		if n != 1 {
			t.Errorf("round %d: %d holders of one lease, want 1", round, n)
		}
	}
}

// TestFirstEvent: a Slack event is handled once among replicas, within the
// time Slack retries it; an ID is forgotten after that.
func TestFirstEvent(t *testing.T) {
	ctx := context.Background()
	r := storetest.Replicas(t, 2)
	at := now
	for _, s := range r {
		s.Now = func() time.Time { return at }
	}
	first := func(i int, id string) bool {
		t.Helper()
		ok, err := r[i].FirstEvent(ctx, id, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !first(0, "Ev1") || first(1, "Ev1") || first(0, "Ev1") {
		t.Error("Ev1 was first more than once")
	}
	if !first(1, "Ev2") {
		t.Error("Ev2 was not first")
	}
	at = at.Add(2 * time.Hour)
	if !first(1, "Ev1") {
		t.Error("Ev1, two hours later, is still remembered")
	}

	// Retries arriving at once at both replicas: one handles each.
	var wg sync.WaitGroup
	var mu sync.Mutex
	handled := map[string]int{}
	for i := range 16 {
		wg.Go(func() {
			id := "Ev" + string(rune('A'+i%4))
			ok, err := r[i%2].FirstEvent(ctx, id, time.Hour)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				handled[id]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for _, id := range []string{"EvA", "EvB", "EvC", "EvD"} {
		if handled[id] != 1 {
			t.Errorf("%s handled %d times, want 1", id, handled[id])
		}
	}
}

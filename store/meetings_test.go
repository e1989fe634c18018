package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// TestScheduleMeetingOnePerDay: a second meeting on a day is refused, a
// canceled one frees the day, and replicas scheduling the same day at once
// make one meeting between them.
func TestScheduleMeetingOnePerDay(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	at := time.Date(2026, 12, 8, 14, 0, 0, 0, paris)
	if _, err := s.ScheduleMeeting(ctx, at, "Tours", "U1", paris); err != nil {
		t.Fatal(err)
	}
	// 23:30 in Paris is the next day in UTC, still the same day here.
	if _, err := s.ScheduleMeeting(ctx, at.Add(9*time.Hour+30*time.Minute), "Tours", "U1", paris); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second meeting that day = %v, want ErrConflict", err)
	}
	if _, err := s.CancelMeeting(ctx, store.DateOf(at, paris), paris); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ScheduleMeeting(ctx, at.Add(time.Hour), "Tours", "U1", paris); err != nil {
		t.Errorf("a meeting on a canceled one's day = %v", err)
	}

	replicas := storetest.Replicas(t, 2)
	day := time.Date(2027, 1, 12, 14, 0, 0, 0, paris)
	for round := range 5 {
		day := day.AddDate(0, 0, round)
		errs := make([]error, 2*len(replicas))
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = replicas[i%len(replicas)].ScheduleMeeting(ctx, day.Add(time.Duration(i)*time.Minute), "Tours", "U1", paris)
			})
		}
		wg.Wait()
		made := 0
		for _, err := range errs {
			switch {
			case err == nil:
				made++
			case !errors.Is(err, store.ErrConflict):
				t.Errorf("ScheduleMeeting at once: %v", err)
			}
		}
		if made != 1 {
			t.Errorf("round %d: %d meetings made on one day, want 1", round, made)
		}
	}
	ms, err := replicas[0].Meetings(ctx)
	if err != nil || len(ms) != 5 {
		t.Errorf("Meetings = %d, %v; want 5", len(ms), err)
	}
}

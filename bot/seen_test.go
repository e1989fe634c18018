package bot

import (
	"fmt"
	"testing"
	"time"
)

func TestSeen(t *testing.T) {
	clock := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	s := newSeen(time.Hour, 4, func() time.Time { return clock })
	steps := []struct {
		after time.Duration // the clock moves on first
		id    string
		want  bool
	}{
		{0, "Ev1", true},
		{time.Second, "Ev1", false},      // Slack's retry
		{59 * time.Minute, "Ev1", false}, // still remembered
		{0, "Ev2", true},
		{time.Minute, "Ev1", true}, // an hour later: forgotten
		{0, "Ev2", false},
	}
	for i, st := range steps {
		clock = clock.Add(st.after)
		if got := s.first(st.id); got != st.want {
			t.Errorf("step %d: first(%s) = %v, want %v", i, st.id, got, st.want)
		}
	}
}

func TestSeenIsBounded(t *testing.T) {
	clock := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	s := newSeen(time.Hour, 100, func() time.Time { return clock })
	for i := range 1000 {
		clock = clock.Add(time.Millisecond)
		if !s.first(fmt.Sprint("Ev", i)) {
			t.Fatalf("Ev%d seen before", i)
		}
		if len(s.ids) > 100 {
			t.Fatalf("%d IDs remembered, bound is 100", len(s.ids))
		}
	}
	// The newest are still remembered.
	if s.first("Ev999") {
		t.Error("the newest ID was forgotten")
	}
	// Many at the same instant: still bounded.
	for i := range 300 {
		s.first(fmt.Sprint("same", i))
	}
	if len(s.ids) > 100 {
		t.Errorf("%d IDs remembered", len(s.ids))
	}
}

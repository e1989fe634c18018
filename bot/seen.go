package bot

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Slack retries an unacknowledged event three times within minutes; an
// hour's memory of event IDs covers that many times over.
const (
	eventMemory = time.Hour
	maxEvents   = 10000
)

// EventLog remembers the IDs of the Slack events handled. *store.Store
// has it, for replicas; without one, a Server remembers them in memory.
type EventLog interface {
	// FirstEvent records id and reports whether it was not seen within
	// keep.
	FirstEvent(ctx context.Context, id string, keep time.Duration) (bool, error)
}

// seen remembers IDs for a while, bounded in number, so that a retried
// event is processed once by this process.
type seen struct {
	mu  sync.Mutex
	ttl time.Duration
	max int
	now func() time.Time
	ids map[string]time.Time // ID → when first seen
}

func newSeen(ttl time.Duration, max int, now func() time.Time) *seen {
	return &seen{ttl: ttl, max: max, now: now, ids: map[string]time.Time{}}
}

// FirstEvent is first, for a Server without an EventLog: this process's
// memory keeps IDs for the TTL given to newSeen.
func (s *seen) FirstEvent(_ context.Context, id string, _ time.Duration) (bool, error) {
	return s.first(id), nil
}

// first reports whether id is seen for the first time within the TTL, and
// remembers it.
func (s *seen) first(id string) bool {
	_, again := s.since(id)
	return !again
}

// since returns how long ago id was first seen, and true, when that is
// within the TTL; otherwise it remembers id as seen now and returns false.
func (s *seen) since(id string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if at, ok := s.ids[id]; ok && now.Sub(at) < s.ttl {
		return now.Sub(at), true
	}
	if len(s.ids) >= s.max {
		s.forget(now)
	}
	s.ids[id] = now
	return 0, false
}

// forget drops the expired IDs and, if that is not enough, the oldest half.
func (s *seen) forget(now time.Time) {
	var times []time.Time
	for id, at := range s.ids {
		if now.Sub(at) >= s.ttl {
			delete(s.ids, id)
		} else {
			times = append(times, at)
		}
	}
	if len(s.ids) < s.max {
		return
	}
	// Still full of fresh IDs (a flood): keep the newer half.
	slices.SortFunc(times, time.Time.Compare)
	cut := times[len(times)/2]
	for id, at := range s.ids {
		if at.Before(cut) {
			delete(s.ids, id)
		}
	}
	if len(s.ids) >= s.max {
		clear(s.ids) // all seen at the same instant
	}
}

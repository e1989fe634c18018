package bot

import (
	"fmt"
	"testing"
	"time"
)

func TestReplays(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	sig := func(i int) string { return fmt.Sprintf("v0=%064x", i) }
	r := newReplays(maxReplayMemory)
	if !r.first(t0.Unix(), sig(1), t0) || r.first(t0.Unix(), sig(1), t0.Add(time.Minute)) {
		t.Fatal("a signature is not accepted once, then refused")
	}
	if !r.first(t0.Unix(), sig(2), t0) {
		t.Error("another signature of the same second refused")
	}
	if r.first(t0.Unix(), "v0=zz", t0) || r.first(t0.Unix(), "v1="+sig(3)[3:], t0) {
		t.Error("a malformed signature accepted")
	}
	// Past the window the second is forgotten: Verify refuses its
	// timestamp by then.
	r.first(t0.Add(MaxSkew+2*time.Second).Unix(), sig(9), t0.Add(MaxSkew+2*time.Second))
	if _, kept := r.seconds[t0.Unix()]; kept || r.n != 1 {
		t.Errorf("expired second kept: %d signatures in %d seconds", r.n, len(r.seconds))
	}
}

func TestReplaysBounded(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	const max = 1000
	r := newReplays(max)
	now := t0
	for i := range max + 10 {
		ts := t0.Add(time.Duration(i/(max/4)) * time.Second) // four seconds' worth
		r.first(ts.Unix(), fmt.Sprintf("v0=%064x", i), now)
	}
	if r.n > max {
		t.Errorf("%d signatures remembered, want at most %d", r.n, max)
	}
	if _, kept := r.seconds[t0.Unix()]; kept {
		t.Error("the oldest second was not the one forgotten")
	}
}

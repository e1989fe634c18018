package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// TestFollow: following is once per user and action, counted, listed by
// the Follower filter, and undone by Unfollow; an unknown action is not
// found and nothing is stored.
func TestFollow(t *testing.T) {
	ctx := context.Background()
	s := storetest.Demo(t)
	for _, step := range []struct {
		n       int
		user    string
		follow  bool
		changed bool
	}{
		{22, store.DemoMarie, true, true},
		{22, store.DemoMarie, true, false}, // twice: once
		{22, store.DemoPaul, true, true},
		{5, store.DemoMarie, true, true},
		{22, store.DemoPaul, false, true},
		{22, store.DemoPaul, false, false}, // not a follower any more
	} {
		do, name := s.Unfollow, "Unfollow"
		if step.follow {
			do, name = s.Follow, "Follow"
		}
		changed, err := do(ctx, step.n, step.user)
		if err != nil || changed != step.changed {
			t.Errorf("%s(%d, %s) = %v, %v; want %v", name, step.n, step.user, changed, err, step.changed)
		}
	}
	if _, err := s.Follow(ctx, 999, store.DemoMarie); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Follow(999) = %v, want ErrNotFound", err)
	}
	count, mine, err := s.Followers(ctx, 22, store.DemoMarie)
	if err != nil || count != 1 || !mine {
		t.Errorf("Followers(22, Marie) = %d, %v, %v; want 1, true", count, mine, err)
	}
	count, mine, err = s.Followers(ctx, 22, store.DemoPaul)
	if err != nil || count != 1 || mine {
		t.Errorf("Followers(22, Paul) = %d, %v, %v; want 1, false", count, mine, err)
	}
	if count, _, _ := s.Followers(ctx, 999, store.DemoPaul); count != 0 {
		t.Errorf("Followers(999) = %d", count)
	}
	p, err := s.Actions(ctx, store.Filter{Follower: store.DemoMarie, Order: store.ByNumber})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, a := range p.Actions {
		got = append(got, a.Number)
	}
	if diff := cmp.Diff([]int{5, 22}, got); diff != "" || p.Total != 2 {
		t.Errorf("Marie follows (-want +got):\n%s total %d", diff, p.Total)
	}
	if p, _ := s.Actions(ctx, store.Filter{Follower: store.DemoPaul}); p.Total != 0 {
		t.Errorf("Paul follows %d actions, want 0", p.Total)
	}
}

// TestFollowedChanges: the journal entries of a window, only on followed
// actions, with the followers of those actions.
func TestFollowedChanges(t *testing.T) {
	ctx := context.Background()
	s := storetest.Demo(t)
	clock := storetest.Now
	s.Now = func() time.Time { return clock }
	if _, err := s.Follow(ctx, 22, store.DemoMarie); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Follow(ctx, 22, store.DemoKarim); err != nil {
		t.Fatal(err)
	}
	progress := 40
	clock = clock.Add(10 * time.Second)
	if _, err := s.Apply(ctx, 22, store.DemoPaul, store.Edit{Progress: &progress, Note: "point fait"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddNote(ctx, 5, "pas suivie", store.DemoPaul); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Minute)
	if _, err := s.AddNote(ctx, 22, "plus tard", store.DemoPaul); err != nil {
		t.Fatal(err)
	}
	entries, followers, err := s.FollowedChanges(ctx, storetest.Now, storetest.Now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, e := range entries {
		fields = append(fields, e.Field+" "+e.Author)
		if e.ActionNumber != 22 {
			t.Errorf("entry of action %d, which nobody follows", e.ActionNumber)
		}
	}
	if diff := cmp.Diff([]string{"progress " + store.DemoPaul, "note " + store.DemoPaul}, fields); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	var users []string
	for _, f := range followers {
		users = append(users, f.UserID)
		if !f.CreatedAt.Equal(storetest.Now) {
			t.Errorf("%s follows since %v, want %v", f.UserID, f.CreatedAt, storetest.Now)
		}
	}
	if diff := cmp.Diff([]string{store.DemoMarie, store.DemoKarim}, users); diff != "" {
		t.Errorf("followers (-want +got):\n%s", diff)
	}
	if entries, _, err := s.FollowedChanges(ctx, storetest.Now.Add(-time.Hour), storetest.Now); err != nil || len(entries) != 0 {
		t.Errorf("before: %d entries, %v", len(entries), err)
	}
}

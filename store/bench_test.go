package store_test

import (
	"context"
	"testing"

	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// BenchmarkCardQueries reads what a card needs from SQLite itself, past
// the cache — action 23 with its programme, axis, group and
// contributors, its last journal entry, whether the plan is the demo —
// on the demo plan and on the generated plan of 100,000 actions and
// 1,000,000 journal entries: a constant number of queries, each on an
// index, so the two sizes take about the same time.
//
//	go test ./store -run '^$' -bench CardQueries -benchmem
func BenchmarkCardQueries(b *testing.B) {
	for _, p := range []struct {
		name string
		open func(testing.TB) *store.Store
	}{
		{"demo", storetest.Demo},
		{"100k", func(tb testing.TB) *store.Store { return storetest.Generated(tb, 100_000, 1_000_000) }},
	} {
		b.Run("plan="+p.name, func(b *testing.B) {
			s := p.open(b)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if err := s.CardUncached(ctx, 23); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package commands_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// BenchmarkDigest measures the weekly digest of the prospection group on
// the demo plan (13 of its 52 actions) and on a generated plan of 100,000
// actions and 1,000,000 journal entries (25,000 actions in the group),
// generated on first use and cached in the system's temporary directory.
//
//	go test ./commands -run '^$' -bench Digest -benchmem
func BenchmarkDigest(b *testing.B) {
	for _, p := range storetest.BenchPlans(100_000, 1_000_000, "100k") {
		b.Run("plan="+p.Name, func(b *testing.B) {
			h, err := commands.New(p.Open(b), commands.Options{Language: "fr", Location: paris})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			msg, err := h.Digest(ctx, "prospection", storetest.Now)
			if err != nil || !strings.Contains(msg.Text, "Point hebdomadaire · Prospection") {
				b.Fatalf("digest = %v\n%s", err, msg.Text)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := h.Digest(ctx, "prospection", storetest.Now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

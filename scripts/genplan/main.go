// Command genplan writes a generated plan — store.GeneratePlan: the demo's
// axes and programmes, the four default groups, as many actions and
// journal entries as asked, dated around now — into a new database file,
// for the load test in scripts/load.sh. Never point it at a real
// workspace's database: it refuses a plan that has actions.
//
//	genplan -db plan.db -actions 100000 -journal 1000000
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/tours-metropole/actionbot/store"
)

func main() {
	db := flag.String("db", "", "the database file to create")
	actions := flag.Int("actions", 100_000, "how many actions")
	journal := flag.Int("journal", 1_000_000, "how many journal entries in all (at least one per action)")
	flag.Parse()
	if *db == "" {
		log.Fatal("genplan: -db is required")
	}
	if _, err := os.Stat(*db); err == nil {
		log.Fatalf("genplan: %s exists: give a new file", *db)
	}
	start := time.Now()
	s, err := store.Open(*db)
	if err != nil {
		log.Fatal(err)
	}
	if err := s.GeneratePlan(context.Background(), *actions, *journal); err != nil {
		s.Close()
		log.Fatal(err)
	}
	if err := s.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d actions, %d journal entries, generated in %s\n", *db, *actions, *journal, time.Since(start).Round(time.Millisecond))
}

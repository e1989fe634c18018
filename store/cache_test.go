package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// TestCardsSeeEveryChange: what a card reads is kept between requests,
// yet a change made by this store shows at once, and one made by another
// connection to the database — an import run from the command line while
// the bot serves, another replica on PostgreSQL — within
// store.RecheckAfter (a millisecond).
func TestCardsSeeEveryChange(t *testing.T) {
	ctx := context.Background()
	replicas := storetest.Replicas(t, 2)
	bot, cli := replicas[0], replicas[1]
	if err := bot.SeedDemo(ctx, paris); err != nil {
		t.Fatal(err)
	}

	read := func(who string) (store.Action, store.JournalEntry, bool) {
		t.Helper()
		a, err := bot.ActionByNumber(ctx, 23)
		if err != nil {
			t.Fatal(err)
		}
		e, ok, err := bot.LastEntry(ctx, 23)
		if err != nil || !ok {
			t.Fatalf("LastEntry = %v, %v", ok, err)
		}
		demo, err := bot.IsDemo(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return a, e, demo
	}
	a, e, demo := read("before")
	if a.Status != store.StatusTodo || e.Field != store.FieldCreated || !demo {
		t.Fatalf("before: status %s, last entry %s, demo %v", a.Status, e.Field, demo)
	}
	// The caller's copy is its own.
	a.Contributors[0].Name = "changed by a caller"
	if again, _ := bot.ActionByNumber(ctx, 23); again.Contributors[0].Name == "changed by a caller" {
		t.Error("a caller changed the cached action")
	}

	if _, err := bot.SetStatus(ctx, 23, store.StatusInProgress, "U0BOT"); err != nil {
		t.Fatal(err)
	}
	if a, e, _ := read("after the bot's change"); a.Status != store.StatusInProgress || e.Author != "U0BOT" {
		t.Errorf("after the bot's change: status %s, last entry by %s", a.Status, e.Author)
	}

	// The cache was checked just now: wait out the time it trusts itself.
	afterRecheck := func() { time.Sleep(2 * store.RecheckAfter) }
	if _, err := cli.AddNote(ctx, 23, "Ajoutée par un autre processus", "U0CLI"); err != nil {
		t.Fatal(err)
	}
	afterRecheck()
	if _, e, _ := read("after another connection's note"); e.Author != "U0CLI" {
		t.Errorf("after another connection's note: last entry by %s, want U0CLI", e.Author)
	}

	rows := store.DemoPlan(store.DateOf(now, paris))
	rows[22].Title = "Titre importé"
	if _, err := cli.Import(ctx, rows, store.ImportAuthor); err != nil {
		t.Fatal(err)
	}
	afterRecheck()
	if a, _, demo := read("after another connection's import"); a.Title != "Titre importé" || demo {
		t.Errorf("after another connection's import: title %q, demo %v", a.Title, demo)
	}
}

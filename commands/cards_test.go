package commands_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/store"
)

// TestCardKeptUntilAChange: a card is rendered once between two changes
// of the plan (same Version, same content), and a change — by this
// handler, or written to the store directly, as an import would — shows
// in the next card.
func TestCardKeptUntilAChange(t *testing.T) {
	f := mustFixture(t, "fr")
	first, second := f.do(other, "/action", "23"), f.do(other, "/action", "23")
	if first.Version == "" || first.Version != second.Version {
		t.Fatalf("versions %q and %q: the card is not kept", first.Version, second.Version)
	}
	a, _ := json.Marshal(first.Blocks)
	b, _ := json.Marshal(second.Blocks)
	if string(a) != string(b) {
		t.Error("the kept card differs from the first")
	}
	f.do(admin, "/action", "23 statut bloquée")
	after := f.do(other, "/action", "23")
	if after.Version == first.Version {
		t.Error("the same version after a change")
	}
	if blocks, _ := json.Marshal(after.Blocks); !strings.Contains(string(blocks), "Bloquée") {
		t.Errorf("the card after the change does not show it:\n%s", blocks)
	}
	// A change written to the store, not through the handler.
	status := store.StatusDone
	progress := 100
	if _, err := f.s.Apply(context.Background(), 23, store.ImportAuthor, store.Edit{Status: &status, Progress: &progress}); err != nil {
		t.Fatal(err)
	}
	if blocks, _ := json.Marshal(f.do(other, "/action", "23").Blocks); !strings.Contains(string(blocks), "Terminée") {
		t.Errorf("the card after a store change does not show it:\n%s", blocks)
	}
	if f.do(other, "/action", "22").Version == after.Version {
		t.Error("two actions share a version")
	}
}

package commands

import (
	"maps"
	"strings"
	"testing"
)

// TestWordingComplete: the wording of the pages and e-mails has the same
// keys in both languages, each with the same arguments, and no text left
// empty.
func TestWordingComplete(t *testing.T) {
	for k, f := range frOutside {
		e, ok := enOutside[k]
		if !ok {
			t.Errorf("key %q has no English", k)
			continue
		}
		if f == "" || e == "" {
			t.Errorf("key %q is empty", k)
		}
		if !maps.Equal(countVerbs(f), countVerbs(e)) {
			t.Errorf("key %q: fr %q and en %q take different arguments", k, f, e)
		}
	}
	for k := range enOutside {
		if _, ok := frOutside[k]; !ok {
			t.Errorf("key %q has no French", k)
		}
	}
	h := &Handler{cat: &en}
	if got := h.Wording("dash.blocked", 3); got != "Blocked actions (3)" {
		t.Errorf("Wording = %q", got)
	}
	if got := h.Wording("no.such.key"); !strings.HasPrefix(got, "⟦") || HasWording("no.such.key") || !HasWording("dash.blocked") {
		t.Errorf("an unknown key: %q", got)
	}
}

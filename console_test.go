package main

import (
	"strings"
	"testing"
)

// TestDemoMentions: the console reads a demo user typed by first name as
// Slack sends a person picked with its @ picker.
func TestDemoMentions(t *testing.T) {
	for in, want := range map[string]string{
		"23 pilote @Marie":              "23 pilote <@U01MARIE|marie>",
		"23 contributeurs @paul @Karim": "23 contributeurs <@U02PAUL|paul> <@U04KARIM|karim>",
		"23 pilote @Mariette":           "23 pilote @Mariette",
		"23 note écrire à @sophie.":     "23 note écrire à <@U03SOPHIE|sophie>.",
	} {
		if got := demoMentions(in); got != want {
			t.Errorf("demoMentions(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDemoFollow: the demo console takes « suivre », « suivies » and « ne
// plus suivre » as bare words, as it takes the others.
func TestDemoFollow(t *testing.T) {
	out, _, err := run(t, "23 suivre\nsuivies\n23\n23 ne plus suivre\nfollowing\n", "", "demo")
	if err != nil {
		t.Fatal(err)
	}
	answers := strings.Split(out, "\n> ")
	if len(answers) != 5 {
		t.Fatalf("got %d answers, want 5:\n%s", len(answers), out)
	}
	for i, want := range []string{
		"Vous suivez l'action 23",
		"Actions suivies : 1",
		"Suivie par 1 personne",
		"Vous ne suivez plus l'action 23",
		"Vous ne suivez aucune action",
	} {
		if !strings.Contains(answers[i], want) {
			t.Errorf("answer %d lacks %q:\n%s", i, want, answers[i])
		}
	}
}

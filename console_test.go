package main

import "testing"

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

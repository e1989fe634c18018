package commands

import (
	"strings"
	"testing"
)

// TestFrenchCounts: the French catalogue writes no « (s) », and each count
// that may be 1 has a singular: « 1 autre action », never « 1 autres
// actions ».
func TestFrenchCounts(t *testing.T) {
	for k, s := range fr.msgs {
		if strings.Contains(s, "(s)") || strings.Contains(s, "(es)") {
			t.Errorf("message %d writes a plural in brackets: %q", k, s)
		}
	}
	for _, p := range [][2]msg{
		{msgDecisionsMore1, msgDecisionsMoreN}, {msgFollowDMMore1, msgFollowDMMoreN},
		{msgMinutesMoreChanges1, msgMinutesMoreChangesN}, {msgEscalationIntro1, msgEscalationIntroN},
		{msgDigestMoreChanged1, msgDigestMoreChangedN},
	} {
		one, many := fr.plural(p[0], p[1], 1, "Prospection"), fr.plural(p[0], p[1], 2, "Prospection")
		if strings.Contains(one, "actions") || strings.Contains(one, "autres") || !strings.Contains(many, "2 ") || !strings.Contains(many, "actions") {
			t.Errorf("1: %q\n2: %q", one, many)
		}
	}
}

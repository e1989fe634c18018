package commands_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

func answer(f fixture, user, command, text string) (commands.Message, commands.Report) {
	return f.h.Answer(context.Background(), commands.Request{
		TeamID: "T0TEAM", UserID: user, ChannelID: "C0CHAN", Command: command, Text: text, Now: now,
	})
}

// A decision is for the leads of the action's group and admins; it is
// stored with the meeting it belongs to.
func TestCopilDecisionPermissions(t *testing.T) {
	tests := []struct {
		name, user string
		number     string
		want       commands.Outcome
	}{
		{"admin", admin, "22", commands.OutcomeOK},
		{"lead of the group", lead, "22", commands.OutcomeOK},
		{"pilote", store.DemoPaul, "22", commands.Outcome(commands.EForbidden)},
		{"lead of another group", lead, "7", commands.Outcome(commands.EForbidden)},
		{"someone else", other, "22", commands.Outcome(commands.EForbidden)},
		{"no such action", admin, "99", commands.Outcome(commands.ENotFound)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustFixture(t, "fr")
			ctx := context.Background()
			_, rep := answer(f, tt.user, "/copil", "decision "+tt.number+" Accélérer")
			if rep.Outcome != tt.want {
				t.Fatalf("outcome %q, want %q", rep.Outcome, tt.want)
			}
			m, _ := f.s.LastHeldMeeting(ctx, now, paris)
			ds, err := f.s.Decisions(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			// The demo's meeting has three decisions already.
			if stored := len(ds) == 4; stored != (tt.want == commands.OutcomeOK) {
				t.Errorf("%d decisions stored", len(ds))
			}
		})
	}
}

func TestRhythmCommand(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	if _, rep := answer(f, store.DemoPaul, "/action", "22 rythme 14j"); rep.Outcome != commands.Outcome(commands.EForbidden) {
		t.Errorf("the pilote set the rhythm: %q", rep.Outcome)
	}
	if _, rep := answer(f, lead, "/action", "22 rythme 14j"); rep.Outcome != commands.OutcomeOK {
		t.Fatalf("the lead: %q", rep.Outcome)
	}
	a, _ := f.s.ActionByNumber(ctx, 22)
	if a.UpdateEvery != (store.Rhythm{N: 14, Unit: store.Days}) {
		t.Errorf("rhythm of 22 = %v", a.UpdateEvery)
	}
	if _, rep := answer(f, admin, "/action", "22 rythme aucun"); rep.Outcome != commands.OutcomeOK {
		t.Fatalf("the admin: %q", rep.Outcome)
	}
	if a, _ = f.s.ActionByNumber(ctx, 22); !a.UpdateEvery.IsZero() {
		t.Errorf("rhythm of 22 after « aucun » = %v", a.UpdateEvery)
	}
}

func TestCopilMinutesUploads(t *testing.T) {
	f := mustFixture(t, "fr")
	msg, rep := answer(f, other, "/copil", "compte-rendu 07/10/2026")
	if rep.Outcome != commands.OutcomeOK || !msg.InChannel || msg.Upload == nil {
		t.Fatalf("outcome %q, in channel %v, upload %v", rep.Outcome, msg.InChannel, msg.Upload != nil)
	}
	if !bytes.HasPrefix(msg.Upload.Data, []byte("%PDF-")) || msg.Upload.Name != "compte-rendu-copil-2026-10-07.pdf" {
		t.Errorf("upload %q of %d bytes", msg.Upload.Name, len(msg.Upload.Data))
	}
	if _, rep := answer(f, other, "/copil", "compte-rendu 08/10/2026"); rep.Outcome != commands.Outcome(commands.ENotFound) {
		t.Errorf("minutes of a day without a COPIL: %q", rep.Outcome)
	}
}

package commands_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/minutes/pdftest"
	"github.com/tours-metropole/actionbot/store"
)

func TestMinutesOf(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	names := func(_ context.Context, id string) (string, error) {
		if id == store.DemoPaul {
			return "Paul Martin", nil
		}
		return "", errors.New("users.info: user_not_found")
	}
	// The last meeting held: the demo's, on 7 October 2026.
	m, err := f.h.MinutesOf(ctx, store.Date{}, now, names)
	if err != nil {
		t.Fatal(err)
	}
	if m.FileName != "compte-rendu-copil-2026-10-07.pdf" || store.DateOf(m.Meeting.At, paris).String() != "2026-10-07" {
		t.Errorf("minutes of %v named %q", m.Meeting.At, m.FileName)
	}
	text := pdftest.Text(t, m.PDF)
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"Compte rendu du COPIL du mercredi 7 octobre 2026",
		"14h00 · Hôtel de Métropole, Tours",
		"Décisions du COPIL",
		"Lancer le marché du portail web avant la fin de l'année",
		"Solliciter Action Logement",
		"Tableau de bord par axe et programme",
		"Ensemble du plan",
		"Avancement du plan par axe",
		"Actions bloquées (4)",
		"Paul Martin", // a pilote named by the Namer
		"@U03SOPHIE",  // and one it could not name
		"Actions en retard",
		"Page 1 sur",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the minutes lack %q", want)
		}
	}
	pdftest.CheckPage(t, m.PDF, 1)

	// A day with no meeting, and no meeting held yet, are the user's
	// mistakes.
	var ue *commands.UserError
	if _, err := f.h.MinutesOf(ctx, store.Date{Year: 2026, Month: 10, Day: 8}, now, nil); !errors.As(err, &ue) || ue.Code != commands.ENotFound {
		t.Errorf("minutes of a day without a meeting: %v", err)
	}
	if _, err := f.h.MinutesOf(ctx, store.Date{}, now.AddDate(0, 0, -60), nil); !errors.As(err, &ue) || ue.Code != commands.ENotFound {
		t.Errorf("minutes before any meeting: %v", err)
	}
}

// The changes listed are those between the previous meeting and this one.
func TestMinutesChangesSincePreviousMeeting(t *testing.T) {
	f := mustFixture(t, "en")
	ctx := context.Background()
	at := now.AddDate(0, 0, 2)
	if _, err := f.s.ScheduleMeeting(ctx, at, "Tours", admin, paris); err != nil {
		t.Fatal(err)
	}
	f.s.Now = func() time.Time { return at.Add(3 * time.Hour) }
	if _, err := f.s.AddNote(ctx, 19, "After the meeting", admin); err != nil {
		t.Fatal(err)
	}
	m, err := f.h.MinutesOf(ctx, store.DateOf(at, paris), at.AddDate(0, 0, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(pdftest.Text(t, m.PDF)), " ")
	for _, want := range []string{"What changed since the COPIL of Wednesday 7 October 2026", "18 ambassadeurs recrutés sur 25", "No decision was recorded"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the minutes lack %q", want)
		}
	}
	if strings.Contains(flat, "After the meeting") {
		t.Error("the minutes list a change made after the meeting")
	}
}

// TestMinutesHideAddresses: the minutes go to the COPIL's channel and its
// guests; an organisation's e-mail address, for admins only, shows in them
// neither as a pilote nor in a change.
func TestMinutesHideAddresses(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	cci := store.Person{Name: "CCI Touraine <contact@cci-touraine.example>"}
	if _, err := f.s.SetPilote(ctx, 7, cci, admin); err != nil { // blocked: listed with its pilote
		t.Fatal(err)
	}
	if _, err := f.s.SetContributors(ctx, 7, []store.Person{cci}, admin); err != nil {
		t.Fatal(err)
	}
	at := now.AddDate(0, 0, 2)
	if _, err := f.s.ScheduleMeeting(ctx, at, "Tours", admin, paris); err != nil {
		t.Fatal(err)
	}
	m, err := f.h.MinutesOf(ctx, store.DateOf(at, paris), at.AddDate(0, 0, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(pdftest.Text(t, m.PDF)), " ")
	if !strings.Contains(flat, "CCI Touraine") || strings.Contains(flat, "cci-touraine.example") {
		t.Errorf("the minutes should name CCI Touraine without its address:\n%s", flat)
	}
}

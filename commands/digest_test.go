package commands_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

func TestDigestGolden(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct{ name, group string }{
		{"digest-prospection", "prospection"},
		{"digest-quiet", "Outils numériques"},
		{"digest-parcours-client", "parcours-client"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := mustFixture(t, "fr")
			msg, err := f.h.Digest(ctx, tt.group, now)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, msg)
		})
	}
}

func TestDigestContent(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t, "fr")
	msg, err := f.h.Digest(ctx, "prospection", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Point hebdomadaire · Prospection",
		"Cette semaine",
		"22 Mettre en place une veille des projets d'implantation — <@U02PAUL> : note : « Trois projets détectés ce mois-ci, transmis à Dev'Up. »",
		"En retard (3)",
		"1.3 Capter et aller chercher les opportunités économiques",
		"À échéance dans les 14 jours",
		"Bloquées (1)",
		"Point attendu, rythme de mise à jour dépassé (11)",
	} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("digest lacks %q:\n%s", want, msg.Text)
		}
	}
	// Changes to other groups' actions stay out.
	if strings.Contains(msg.Text, "18 ambassadeurs recrutés") {
		t.Errorf("the prospection digest reports an ambassadeurs change:\n%s", msg.Text)
	}
	quiet, err := f.h.Digest(ctx, "outils-numeriques", now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(quiet.Text, "Semaine calme") || strings.Contains(quiet.Text, "Cette semaine") {
		t.Errorf("quiet week:\n%s", quiet.Text)
	}
	if _, err := f.h.Digest(ctx, "marketing", now); err == nil || !strings.Contains(err.Error(), "marketing") {
		t.Errorf("unknown group: %v", err)
	}
}

func TestReminder(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t, "fr")
	m, err := f.s.NextMeeting(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := f.h.Reminder(ctx, m, now, true)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "reminder", msg)
	for _, want := range []string{"Rappel : COPIL dans 12 jours", "mardi 8 décembre 2026 à 14h00 · Hôtel de Métropole, Tours",
		"Suivi des décisions du COPIL du 7 octobre 2026", "Socle · Socle commun", "Bloquées (4)", "En retard (10)", "Sans mise à jour depuis le COPIL du mercredi 7 octobre 2026"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("reminder lacks %q:\n%s", want, msg.Text)
		}
	}
	dms, err := f.h.ReminderDMs(ctx, m, now)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, dm := range dms {
		got[dm.UserID] = dm.Message.Text
		// Each ends with « Faire le point », which opens the check-in.
		last, ok := dm.Message.Blocks[len(dm.Message.Blocks)-1].(*slack.ActionBlock)
		if !ok || len(last.Elements.ElementSet) != 1 || last.Elements.ElementSet[0].(*slack.ButtonBlockElement).ActionID != commands.ActionIDCheckin {
			t.Errorf("%s's DM has no « Faire le point » button", dm.UserID)
		}
		if dm.UserID == store.DemoPaul {
			golden(t, "reminder-dm", dm.Message)
		}
	}
	// Every demo pilote on Slack has an open action untouched since the
	// import, before the last COPIL; names (not on Slack) get no DM.
	for _, u := range []string{store.DemoMarie, store.DemoPaul, store.DemoSophie, store.DemoKarim} {
		if !strings.Contains(got[u], "Le COPIL approche : mardi 8 décembre 2026 à 14h00") {
			t.Errorf("no DM for %s: %q", u, got[u])
		}
	}
	if len(dms) != 4 {
		t.Errorf("%d DMs, want 4", len(dms))
	}
	if !strings.Contains(got[store.DemoPaul], "7 Lancer le portail web de l'attractivité de la métropole — :red_circle: Bloquée · en retard de 20 jours") ||
		!strings.Contains(got[store.DemoPaul], "/action 3 avancement 60") {
		t.Errorf("Paul's DM:\n%s", got[store.DemoPaul])
	}
}

func TestNudges(t *testing.T) {
	f := mustFixture(t, "fr")
	dms, err := f.h.Nudges(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	var users []string
	for _, dm := range dms {
		users = append(users, dm.UserID)
	}
	// Overdue actions with a pilote on Slack: 7 and 3 (Paul), 28 and 36
	// (Sophie), 13 (Marie), most overdue first; then those whose update
	// is late (30 days by default): Karim's.
	if got, want := strings.Join(users, ","), "U02PAUL,U03SOPHIE,U01MARIE,U04KARIM"; got != want {
		t.Fatalf("nudged %s, want %s", got, want)
	}
	paul := dms[0].Message.Text
	if !strings.Contains(paul, "7 Lancer le portail web de l'attractivité de la métropole — en retard de 20 jours") ||
		!strings.Contains(paul, "3 Publier un tableau de bord partagé de l'avancement du plan — en retard de 12 jours") ||
		!strings.Contains(paul, "/action 7 statut terminée") {
		t.Errorf("Paul's nudge:\n%s", paul)
	}
	golden(t, "nudge", dms[0].Message)
	if karim := dms[3].Message.Text; !strings.Contains(karim, "point attendu depuis le 27 octobre 2026 (30 jours)") {
		t.Errorf("Karim's nudge:\n%s", karim)
	}
}

// TestEscalations: an update late by more than twice its rhythm is
// escalated to the group's leads, with its pilote; exactly twice is not.
func TestEscalations(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	// The demo was imported 60 days ago: twice the default rhythm.
	dms, err := f.h.Escalations(ctx, "prospection", now)
	if err != nil || len(dms) != 0 {
		t.Fatalf("at exactly twice the rhythm: %d DMs, %v", len(dms), err)
	}
	later := now.AddDate(0, 0, 1)
	dms, err = f.h.Escalations(ctx, "prospection", later)
	if err != nil {
		t.Fatal(err)
	}
	if len(dms) != 1 || dms[0].UserID != lead {
		t.Fatalf("escalations to %+v, want the lead of prospection", dms)
	}
	text := dms[0].Message.Text
	if !strings.Contains(text, "Groupe Prospection") || !strings.Contains(text, "23 Accueillir des délégations d'investisseurs — Tours Métropole · point attendu depuis le 27 octobre 2026 (31 jours)") {
		t.Errorf("escalation:\n%s", text)
	}
	// Action 22 was updated 3 days ago: not escalated.
	if strings.Contains(text, "• 22 ") {
		t.Errorf("action 22 escalated:\n%s", text)
	}
	golden(t, "escalation", dms[0].Message)
	// A group without leads escalates to nobody.
	if dms, err := f.h.Escalations(ctx, "ambassadeurs", later); err != nil || len(dms) != 0 {
		t.Errorf("ambassadeurs, without leads: %d DMs, %v", len(dms), err)
	}
}

// TestDigestWindowAcrossDaylightSaving: a digest covers seven calendar
// days: a note made just after the Monday 25 October 2027 digest shows in
// the next one, a week of 169 hours later.
func TestDigestWindowAcrossDaylightSaving(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	f.s.Now = func() time.Time { return time.Date(2027, 10, 25, 9, 30, 0, 0, paris) }
	if _, err := f.s.AddNote(ctx, 22, "Note après le point du 25 octobre", store.DemoPaul); err != nil {
		t.Fatal(err)
	}
	before, err := f.h.Digest(ctx, "prospection", time.Date(2027, 10, 25, 9, 0, 0, 0, paris))
	if err != nil {
		t.Fatal(err)
	}
	after, err := f.h.Digest(ctx, "prospection", time.Date(2027, 11, 1, 9, 0, 0, 0, paris))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(before.Text, "Note après le point") || !strings.Contains(after.Text, "Note après le point du 25 octobre") {
		t.Errorf("the note is in the digest of the 25th: %v, of the 1st: %v",
			strings.Contains(before.Text, "Note après le point"), strings.Contains(after.Text, "Note après le point"))
	}
}

func TestScheduledPostsSpeakTheirLanguage(t *testing.T) {
	f := mustFixture(t, "en")
	dms, err := f.h.Nudges(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	if text := dms[0].Message.Text; !strings.Contains(text, "`/action 7 status done`") || strings.Contains(text, "statut") {
		t.Errorf("English nudge: %s", text)
	}
	msg, err := f.h.Digest(context.Background(), "prospection", now)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(msg.Text, "/action liste") || !strings.Contains(msg.Text, "`/action list group prospection rhythm passed`") {
		t.Errorf("English digest hints:\n%s", msg.Text)
	}
}

// TestDigestHintsListWhatWasCut: each section of the digest counts the
// actions that its hint's command lists — no more, no fewer.
func TestDigestHintsListWhatWasCut(t *testing.T) {
	f := mustFixture(t, "fr")
	msg, err := f.h.Digest(context.Background(), "prospection", now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg.Text, "… et 1 de plus : `/action liste groupe prospection rythme dépassé`") {
		t.Errorf("the stale section's hint:\n%s", msg.Text)
	}
	for _, tt := range []struct{ section, command string }{
		{"En retard", "liste groupe prospection échéance dépassée"},
		{"À échéance dans les 14 jours", "liste groupe prospection échéance proche"},
		{"Bloquées", "liste groupe prospection statut bloquée"},
		{"Point attendu, rythme de mise à jour dépassé", "liste groupe prospection rythme dépassé"},
	} {
		i := strings.Index(msg.Text, tt.section+" (")
		if i < 0 {
			t.Errorf("no section %q in the digest", tt.section)
			continue
		}
		count, _, _ := strings.Cut(msg.Text[i+len(tt.section)+2:], ")")
		list := f.do(admin, "/action", tt.command)
		if !strings.Contains(list.Text, "Actions : "+count+"\n") && !strings.HasPrefix(list.Text, "Actions : "+count) {
			t.Errorf("%s (%s) — /action %s answers:\n%.200s", tt.section, count, tt.command, list.Text)
		}
	}
}

// TestLongDigest: a group of 200 actions with long titles, a dozen of
// them much changed this week, gets a digest within Slack's limits: a
// first post and the rest as replies in its thread, each part valid.
func TestLongDigest(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t, "fr")
	f.s.Now = func() time.Time { return now.Add(-time.Hour) }
	today := store.DateOf(now, paris)
	tmpl := store.DemoPlan(today)[0]
	var rows []store.ActionRow
	for i := range 200 {
		r := tmpl
		r.Number = 1000 + i
		r.Group = "prospection"
		r.Title = fmt.Sprintf("Action %d — ", i) + strings.Repeat("un titre très long, avec R&D et <des> chevrons, ", 8)
		r.Status = []store.Status{store.StatusBlocked, store.StatusInProgress}[i%2]
		r.Due = today.AddDays(-1 - i%40)
		rows = append(rows, r)
	}
	if _, err := f.s.Import(ctx, rows, store.ImportAuthor); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		for j := range 25 {
			note := fmt.Sprintf("note %d/%d <@U02PAUL|paul> ", i, j) + strings.Repeat("é&<", 60)
			if _, err := f.s.AddNote(ctx, 1000+i, note, admin); err != nil {
				t.Fatal(err)
			}
		}
	}
	msg, err := f.h.Digest(ctx, "prospection", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Replies) == 0 {
		t.Fatalf("a digest of %d characters has no replies:\n%s", len(msg.Text), msg.Text)
	}
	checkSlackRules(t, "long digest", mustJSON(t, msg))
	t.Logf("the digest: %d blocks, %d characters of text, and %d replies", len(msg.Blocks), len(msg.Text), len(msg.Replies))
	all := msg.Text
	for _, r := range msg.Replies {
		all += r.Text
	}
	for _, want := range []string{"En retard (203)", "Bloquées (101)", "<@U02PAUL|paul>", "… et 193 de plus"} {
		if !strings.Contains(all, want) {
			t.Errorf("the long digest lacks %q", want)
		}
	}
}

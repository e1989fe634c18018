package commands_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/commands/planword"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The fixed clock and zone of these tests: Thursday 26 November 2026,
// 10:00 in Paris.
var paris, now = storetest.Paris, storetest.Now

const (
	admin = "U0ADMIN"
	lead  = "U0LEAD" // lead of prospection
	other = "U0OTHER"
)

type fixture struct {
	s *store.Store
	h *commands.Handler
}

func mustFixture(t *testing.T, lang string) fixture {
	t.Helper()
	s := storetest.Demo(t)
	groups := store.DefaultGroups()
	groups[1].Leads = []string{lead}
	if err := s.SyncGroups(context.Background(), groups); err != nil {
		t.Fatal(err)
	}
	h, err := commands.New(s, commands.Options{Language: lang, Location: paris, Admins: []string{admin}})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{s: s, h: h}
}

func (f fixture) do(user, command, text string) commands.Message {
	return f.h.Handle(context.Background(), commands.Request{
		TeamID: "T0TEAM", UserID: user, ChannelID: "C0CHAN", Command: command, Text: text, Now: now,
	})
}

// golden compares msg with testdata/name.json, rewritten with -update.
func golden(t *testing.T, name string, msg commands.Message) {
	t.Helper()
	if len(msg.Blocks) > 50 {
		t.Errorf("%s: %d blocks, Slack takes 50", name, len(msg.Blocks))
	}
	goldenJSON(t, name, struct {
		InChannel bool `json:"in_channel"`
		commands.Message
	}{msg.InChannel, msg})
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name, lang, user, command, text string
	}{
		{"card", "fr", other, "/action", "23"},
		{"card-en", "en", other, "/action", "23"},
		{"card-people", "fr", other, "/action", "7"},
		{"share", "fr", other, "/action", "7 partager"},
		{"history", "fr", other, "/action", "7 historique"},
		{"changed-status", "fr", admin, "/action", "23 statut terminée"},
		{"unchanged", "fr", admin, "/action", "1 statut terminée"},
		{"list-axis", "fr", other, "/action", "liste axe 1"},
		{"list-page1", "fr", other, "/action", "liste"},
		{"list-empty", "fr", other, "/action", "liste programme 4.2 statut bloquée"},
		{"mine", "fr", store.DemoKarim, "/action", "mes"},
		{"mine-empty", "fr", other, "/action", "mes"},
		{"late", "fr", other, "/action", "retard"},
		{"search", "fr", other, "/action", "cherche ambassadeurs"},
		{"dashboard", "fr", other, "/action", "tableau"},
		{"help", "fr", other, "/action", "aide"},
		{"help-en", "en", other, "/action", "help"},
		{"copil-next", "fr", other, "/copil", ""},
		{"copil-list", "fr", other, "/copil", "liste"},
		{"copil-help", "fr", other, "/copil", "aide"},
		{"error-unbalanced-quote", "fr", admin, "/action", `23 pilote "CCI Touraine`},
		{"copil-scheduled", "fr", admin, "/copil", "planifier 15/01/2027 14h00 Hôtel de Métropole"},
		{"error-usage", "fr", other, "/action", "23 statut fini"},
		{"error-forbidden", "fr", other, "/action", "23 statut en cours"},
		{"error-not-found", "fr", other, "/action", "99"},
		{"error-suggest-en", "en", other, "/action", "23 statu done"},
		{"rhythm-set", "fr", lead, "/action", "22 rythme 2 semaines"},
		{"rhythm-group-en", "en", admin, "/action", "22 cadence none"},
		{"copil-decision", "fr", lead, "/copil", "decision 22 Présenter les projets détectés au prochain COPIL"},
		{"copil-decisions", "fr", other, "/copil", "releve"},
		{"copil-decisions-en", "en", other, "/copil", "decisions 07/10/2026"},
		{"copil-minutes", "fr", other, "/copil", "compte-rendu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustFixture(t, tt.lang)
			golden(t, tt.name, f.do(tt.user, tt.command, tt.text))
		})
	}
}

// TestPagesEverywhere: history and search page too, with « Précédent » /
// « Suivant » buttons carrying the command of their page.
func TestPagesEverywhere(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t, "fr")
	for i := range 25 {
		if _, err := f.s.AddNote(ctx, 22, fmt.Sprintf("point %d", i), admin); err != nil {
			t.Fatal(err)
		}
	}
	h1 := f.do(other, "/action", "22 historique")
	if !strings.Contains(h1.Text, "entrées plus anciennes : `/action 22 historique page 2`") {
		t.Errorf("history page 1 does not say older entries exist:\n%s", h1.Text)
	}
	h3 := f.do(other, "/action", "22 historique page 3")
	golden(t, "history-page3", h3)
	if strings.Contains(h3.Text, "plus anciennes") || !strings.Contains(h3.Text, "page 3 sur 3") {
		t.Errorf("history page 3:\n%s", h3.Text)
	}
	data := string(mustJSON(t, h3.Blocks))
	if !strings.Contains(data, `"text":"Précédent","emoji":true},"action_id":"action_page_prev","value":"/action 22 historique page 2"`) {
		t.Errorf("history page 3 has no « Précédent » button to page 2: %s", data)
	}
	s2 := f.do(other, "/action", "cherche de page 2")
	if !strings.Contains(s2.Text, "page 2 sur") {
		t.Errorf("search page 2:\n%s", s2.Text)
	}
	// The button's command is answered as typed.
	msg, rep := f.h.PageButton(ctx, commands.Request{UserID: other, Now: now}, "/action 22 historique page 2")
	if rep.Outcome != commands.OutcomeOK || !strings.Contains(msg.Text, "page 2 sur 3") {
		t.Errorf("page button: %s\n%s", rep.Outcome, msg.Text)
	}
}

func TestListPaginates(t *testing.T) {
	f := mustFixture(t, "fr")
	p1 := f.do(other, "/action", "liste")
	if !strings.Contains(p1.Text, "1 à 15 sur 52 · page 1 sur 4 · page suivante : `/action liste page 2`") {
		t.Errorf("page 1 footer missing from:\n%s", p1.Text)
	}
	p4 := f.do(other, "/action", "liste page 4")
	if !strings.Contains(p4.Text, "• *46*") || !strings.Contains(p4.Text, "• *52*") || !strings.Contains(p4.Text, "46 à 52 sur 52 · page 4 sur 4") || strings.Contains(p4.Text, "suivante") {
		t.Errorf("page 4 should hold 46..52 with no next page:\n%s", p4.Text)
	}
	p9 := f.do(other, "/action", "liste page 9")
	if !strings.Contains(p9.Text, "Il n'y a pas de page 9 : il y en a 4.") {
		t.Errorf("page 9 of 4: %s", p9.Text)
	}
}

// TestChangesAreJournaled checks that a change shows in the next card and
// history, and that refused input stores nothing.
func TestChangesAreJournaled(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	steps := []struct {
		user, text string
		want       string // in the answer
	}{
		{store.DemoPaul, "22 avancement 70%", "avancement : 65 % → 70 %"},
		{store.DemoPaul, "22 note Deux nouveaux prospects", "note : « Deux nouveaux prospects »"},
		{store.DemoPaul, "22 statut bloquée", "statut : :large_blue_circle: En cours → :red_circle: Bloquée"},
		{lead, "22 échéance 15/03/2027", "échéance : 03/12/2026 → 15/03/2027"},
		{lead, "22 pilote \"CCI Touraine\"", "pilote : <@U02PAUL> → CCI Touraine"},
		{lead, "22 contributeurs <@U03SOPHIE|sophie> \"Dev'Up\"", "contributeurs : Dev'Up → <@U03SOPHIE>, Dev'Up"},
		{admin, "22 statut terminée", "avancement : 70 % → 100 %"},
	}
	for _, st := range steps {
		got := f.do(st.user, "/action", st.text)
		if !strings.Contains(got.Text, st.want) {
			t.Errorf("%s: answer lacks %q:\n%s", st.text, st.want, got.Text)
		}
	}
	card := f.do(other, "/action", "22")
	for _, want := range []string{"Pilote : CCI Touraine", "Contributeurs : <@U03SOPHIE>, Dev'Up", ":large_green_circle: Terminée", "100 %", "lundi 15 mars 2027",
		"Dernière mise à jour : <@U0ADMIN>, jeudi 26 novembre 2026 à 10h00 — avancement : 70 % → 100 %"} {
		if !strings.Contains(card.Text, want) {
			t.Errorf("card lacks %q:\n%s", want, card.Text)
		}
	}
	hist := f.do(other, "/action", "22 historique")
	if n := strings.Count(hist.Text, "jeudi 26 novembre 2026 à 10h00"); n != 8 {
		t.Errorf("history shows %d entries of today, want 8:\n%s", n, hist.Text)
	}
	// Refused input changes nothing.
	before, _ := f.s.JournalCount(ctx)
	for _, text := range []string{"22 avancement 101", "22 statut fini", "22 échéance 31/02/2027", "22 pilote @paul", "999 note x"} {
		f.do(admin, "/action", text)
	}
	f.do(other, "/action", "22 note je ne suis pas autorisé")
	after, _ := f.s.JournalCount(ctx)
	if after != before {
		t.Errorf("refused commands wrote %d journal entries", after-before)
	}
}

// TestPermissions covers each role × each change, by the answer's outcome
// and what the store holds — not by its wording. Several changes at once
// need the narrowest permission of their fields.
func TestPermissions(t *testing.T) {
	// Action 22 (prospection): pilote DemoPaul, contributor Dev'Up (not on
	// Slack). Action 7 (outils numériques): contributor DemoKarim.
	roles := []struct {
		name, user string
		number     string
	}{
		{"admin", admin, "22"},
		{"group lead", lead, "22"},
		{"pilote", store.DemoPaul, "22"},
		{"contributor", store.DemoKarim, "7"},
		{"lead of another group", lead, "7"},
		{"someone else", other, "22"},
	}
	changes := []struct {
		name, command, text string
		writes              bool // an allowed command writes to the journal
	}{
		{"status", "/action", "statut abandonnée", true}, {"progress", "/action", "avancement 42", true},
		{"note", "/action", "note ok", true}, {"pilote", "/action", "pilote \"UEP37\"", true},
		{"contributors", "/action", "contributeurs \"UEP37\"", true}, {"due", "/action", "échéance 01/06/2027", true},
		{"rhythm", "/action", "rythme 2 semaines", true},
		{"progress and due", "/action", "avancement 43 échéance 02/06/2027", true},
		{"progress and note", "/action", "avancement 44 note ok", true},
		{"decision", "/copil", "decision %s Relancer la CCI", true},
		{"undo", "/action", "annuler", false}, {"history", "/action", "historique", false}, {"share", "/action", "partager", false},
	}
	editors := map[string]bool{"status": true, "progress": true, "note": true, "progress and note": true, "undo": true, "history": true, "share": true}
	everyone := map[string]bool{"undo": true, "history": true, "share": true}
	all := map[string]bool{}
	for _, ch := range changes {
		all[ch.name] = true
	}
	allowed := map[string]map[string]bool{
		"admin": all, "group lead": all, "pilote": editors, "contributor": editors,
		"lead of another group": everyone, "someone else": everyone,
	}
	ctx := context.Background()
	for _, role := range roles {
		for _, ch := range changes {
			t.Run(role.name+"/"+ch.name, func(t *testing.T) {
				f := mustFixture(t, "fr")
				// A COPIL was held: a decision has a meeting to go to.
				if _, err := f.s.ScheduleMeeting(ctx, now.Add(-24*time.Hour), "Salle 1", admin, paris); err != nil {
					t.Fatal(err)
				}
				before, _ := f.s.JournalCount(ctx)
				text := role.number + " " + ch.text
				if ch.command == "/copil" {
					text = fmt.Sprintf(ch.text, role.number)
				}
				msg, rep := f.h.Answer(ctx, commands.Request{UserID: role.user, ChannelID: "C0CHAN", Command: ch.command, Text: text, Now: now})
				after, _ := f.s.JournalCount(ctx)
				want := allowed[role.name][ch.name]
				switch {
				case !want && (rep.Outcome != commands.OutcomeForbidden || after != before):
					t.Errorf("%s %s: outcome %s, %d entries written; want forbidden, none:\n%s", ch.command, text, rep.Outcome, after-before, msg.Text)
				case want && (rep.Outcome == commands.OutcomeForbidden || rep.Outcome == commands.OutcomeInternal):
					t.Errorf("%s %s: outcome %s; want allowed:\n%s", ch.command, text, rep.Outcome, msg.Text)
				case want && ch.writes && after == before:
					t.Errorf("%s %s: outcome %s, nothing written:\n%s", ch.command, text, rep.Outcome, msg.Text)
				}
			})
		}
	}
	t.Run("copil schedule is for admins", func(t *testing.T) {
		f := mustFixture(t, "fr")
		ask := func(user, text string) commands.Outcome {
			_, rep := f.h.Answer(ctx, commands.Request{UserID: user, Command: "/copil", Text: text, Now: now})
			return rep.Outcome
		}
		for _, user := range []string{lead, store.DemoPaul, other} {
			for _, text := range []string{"planifier 15/01/2027 14h", "annuler 08/12/2026"} {
				if got := ask(user, text); got != commands.OutcomeForbidden {
					t.Errorf("%s: /copil %s: %s", user, text, got)
				}
			}
		}
		if _, err := f.s.MeetingOn(ctx, store.Date{Year: 2027, Month: 1, Day: 15}, paris); err == nil {
			t.Error("a refused schedule stored the meeting")
		}
		if got := ask(admin, "planifier 15/01/2027 14h"); got != commands.OutcomeOK {
			t.Errorf("admin: %s", got)
		}
	})
}

func TestCopil(t *testing.T) {
	f := mustFixture(t, "fr")
	tests := []struct{ user, text, want string }{
		{admin, "planifier 15/01/2027 14h00 Hôtel de Métropole", "COPIL planifié : vendredi 15 janvier 2027 à 14h00 · Hôtel de Métropole"},
		{admin, "planifier 15/01/2027 9h", "Un COPIL est déjà prévu le 15/01/2027"},
		{admin, "planifier 01/01/2026 9h", "est déjà passé"},
		{other, "", "Prochain COPIL : mardi 8 décembre 2026 à 14h00 · Hôtel de Métropole, Tours* (dans 12 jours)"},
		{admin, "annuler 08/12/2026", "COPIL du mardi 8 décembre 2026 à 14h00 · Hôtel de Métropole, Tours annulé."},
		{admin, "annuler 08/12/2026", "Aucun COPIL n'est prévu le 08/12/2026"},
		{other, "", "Prochain COPIL : vendredi 15 janvier 2027 à 14h00"},
		{other, "liste", "• vendredi 15 janvier 2027 à 14h00 · Hôtel de Métropole"},
	}
	for _, tt := range tests {
		got := f.do(tt.user, "/copil", tt.text)
		if !strings.Contains(got.Text+strings.Join(blockTexts(got), "\n"), tt.want) {
			t.Errorf("/copil %s: answer lacks %q:\n%s", tt.text, tt.want, got.Text)
		}
	}
}

func blockTexts(m commands.Message) []string {
	data, _ := json.Marshal(m.Blocks)
	return []string{string(data)}
}

func TestInternalErrorIsAnApology(t *testing.T) {
	f := mustFixture(t, "fr")
	f.s.Close()
	got := f.do(other, "/action", "23")
	if !strings.Contains(got.Text, "erreur interne") || strings.Contains(strings.ToLower(got.Text), "sql") {
		t.Errorf("answer = %q", got.Text)
	}
}

// TestLimitsOfLongData: a pilote's name imported from a spreadsheet can be
// long, and notes too; answers stay within Slack's limits (2000 characters
// a field, 3000 a text) and history loses no entry.
func TestLimitsOfLongData(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	row := store.DemoPlan(store.DateOf(now, paris))[22]
	row.Pilote = store.Person{Name: strings.Repeat("Pôle ", 500)} // 2500 characters
	if _, err := f.s.Import(ctx, []store.ActionRow{row}, store.ImportAuthor); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if _, err := f.s.AddNote(ctx, 23, fmt.Sprintf("note %d ", i)+strings.Repeat("x", 1500), admin); err != nil {
			t.Fatal(err)
		}
	}
	card := f.do(other, "/action", "23")
	data, _ := json.Marshal(card.Blocks)
	var blocks []struct {
		Fields []struct{ Text string } `json:"fields"`
	}
	json.Unmarshal(data, &blocks)
	for _, b := range blocks {
		for _, fld := range b.Fields {
			if n := len([]rune(fld.Text)); n > 2000 {
				t.Errorf("a card field has %d characters", n)
			}
		}
	}
	hist := f.do(other, "/action", "23 historique")
	checkSlackRules(t, "history", mustJSON(t, hist))
	for i := range 4 {
		if !strings.Contains(string(mustJSON(t, hist.Blocks)), fmt.Sprintf("note %d ", i)) {
			t.Errorf("history blocks lost note %d", i)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDoneIsAt100AndPastMeetingsStay(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	before, _ := f.s.JournalCount(ctx)
	got := f.do(admin, "/action", "1 avancement 40")
	if !strings.Contains(got.Text, "L'action 1 est terminée, donc à 100 %") {
		t.Errorf("progress of a done action: %s", got.Text)
	}
	if after, _ := f.s.JournalCount(ctx); after != before {
		t.Errorf("a refused change wrote %d entries", after-before)
	}
	if got := f.do(admin, "/copil", "annuler 07/10/2026"); !strings.Contains(got.Text, "a déjà eu lieu") {
		t.Errorf("canceling a past COPIL: %s", got.Text)
	}
	if ms, _ := f.s.Meetings(ctx); len(ms) != 2 {
		t.Errorf("%d meetings left, want 2", len(ms))
	}
}

func TestListByPiloteIgnoresCase(t *testing.T) {
	f := mustFixture(t, "fr")
	got := f.do(other, "/action", `liste pilote "cci touraine"`)
	if !strings.Contains(got.Text, "Actions : 2") {
		t.Errorf("liste pilote \"cci touraine\":\n%s", got.Text)
	}
	// The address an organisation may carry for its e-mails is shown to
	// no one, so no one has to type it: the name finds the actions.
	ctx := context.Background()
	if _, err := f.s.SetPilote(ctx, 22, store.Person{Name: "CCI Touraine <contact@cci-touraine.example>"}, admin); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.SetPilote(ctx, 23, store.Person{Name: "CCI Touraine 37"}, admin); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"cci touraine", "CCI Touraine <contact@cci-touraine.example>"} {
		got = f.do(other, "/action", `liste pilote "`+name+`"`)
		if !strings.Contains(got.Text, "Actions : 3") || !strings.Contains(got.Text, "*22*") {
			t.Errorf("liste pilote %q, once action 22's pilote carries an address:\n%s", name, got.Text)
		}
	}
}

// TestSlackMarkup: what Slack sent as markup in a note stays a live
// mention, channel and link in the card and the history; a ping and the
// markup-like characters of a title show as text.
func TestSlackMarkup(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	row := store.DemoPlan(store.DateOf(now, paris))[22]
	row.Title = "<!channel> Guichet R&D <b>unique</b>"
	if _, err := f.s.Import(ctx, []store.ActionRow{row}, store.ImportAuthor); err != nil {
		t.Fatal(err)
	}
	// As Slack sends it: people, channels and links picked in the composer
	// as entities, typed « < > & » escaped, @here as <!here>.
	f.do(admin, "/action", "23 note Vu avec <@U02PAUL|paul> dans <#C0PROSP|prospection> : <https://example.org/cr.pdf|compte rendu> <!here> R&amp;D &lt;3")
	card := f.do(other, "/action", "23")
	golden(t, "card-markup", card)
	hist := f.do(other, "/action", "23 historique")
	golden(t, "history-markup", hist)
	for _, msg := range []commands.Message{card, hist} {
		data := string(mustJSON(t, msg))
		for _, live := range []string{`\u003c@U02PAUL|paul\u003e`, `\u003c#C0PROSP|prospection\u003e`, `\u003chttps://example.org/cr.pdf|compte rendu\u003e`} {
			if !strings.Contains(data, live) {
				t.Errorf("%s is not kept live in %s", live, msg.Text)
			}
		}
		// golden checks the mrkdwn texts; headers are plain text, where
		// nothing pings.
		for _, dead := range []string{"<!here>", "<!channel>", "<b>"} {
			if strings.Contains(msg.Text, dead) {
				t.Errorf("%s is live in %s", dead, msg.Text)
			}
		}
	}
}

// TestSeveralChanges: one command changes several fields in one
// transaction, each journaled; it needs the narrowest permission of its
// fields, and one bad value refuses the whole.
func TestSeveralChanges(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t, "fr")
	count := func() int64 {
		n, err := f.s.JournalCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	// The pilote may change progress, not the due date: nothing is stored.
	_, rep := f.h.Answer(ctx, commands.Request{UserID: store.DemoPaul, Command: "/action", Text: "22 avancement 70 échéance 15/03/2027", Now: now})
	if rep.Outcome != commands.OutcomeForbidden || count() != before {
		t.Errorf("pilote changing the due date: %s, %d entries written", rep.Outcome, count()-before)
	}
	_, rep = f.h.Answer(ctx, commands.Request{UserID: admin, Command: "/action", Text: "22 avancement 70 échéance 15/03/3027", Now: now})
	if rep.Outcome != commands.OutcomeInvalid || count() != before {
		t.Errorf("a typo date among changes: %s, %d entries written", rep.Outcome, count()-before)
	}
	msg, rep := f.h.Answer(ctx, commands.Request{UserID: store.DemoPaul, Command: "/action", Text: "22 statut bloquée avancement 70 note Point fait avec la CCI", Now: now})
	if rep.Outcome != commands.OutcomeOK || count() != before+3 {
		t.Fatalf("pilote's changes: %s, %d entries written, want 3:\n%s", rep.Outcome, count()-before, msg.Text)
	}
	a, err := f.s.ActionByNumber(ctx, 22)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != store.StatusBlocked || a.Progress != 70 {
		t.Errorf("action 22: %s, %d %%", a.Status, a.Progress)
	}
	golden(t, "changed-several", msg)
}

// TestUndo: « annuler » puts back the user's last change and says so; a
// change made by someone else since is refused with who made it.
func TestUndo(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t, "fr")
	f.s.Now = func() time.Time { return now }
	ask := func(user, text string) (commands.Message, commands.Report) {
		return f.h.Answer(ctx, commands.Request{UserID: user, Command: "/action", Text: text, Now: now.Add(time.Minute)})
	}
	if _, rep := ask(store.DemoPaul, "22 statut bloquée avancement 70"); rep.Outcome != commands.OutcomeOK {
		t.Fatal(rep.Outcome)
	}
	msg, rep := ask(store.DemoPaul, "22 annuler")
	a, _ := f.s.ActionByNumber(ctx, 22)
	if rep.Outcome != commands.OutcomeOK || a.Status != store.StatusInProgress || a.Progress != 65 {
		t.Fatalf("undo: %s, action %s %d %%:\n%s", rep.Outcome, a.Status, a.Progress, msg.Text)
	}
	golden(t, "undo", msg)
	// An undo is not undone: it would only toggle. Nothing changes, and
	// the answer says why and how to set a value.
	before, _, _ := f.s.HistoryPage(ctx, 22, 0, 100)
	msg, rep = ask(store.DemoPaul, "22 annuler")
	again, _ := f.s.ActionByNumber(ctx, 22)
	after, _, _ := f.s.HistoryPage(ctx, 22, 0, 100)
	if rep.Outcome != commands.OutcomeInvalid || again.Status != a.Status || again.Progress != a.Progress || len(after) != len(before) {
		t.Errorf("undo of an undo: %s, action %s %d %%, %d entries (was %d):\n%s", rep.Outcome, again.Status, again.Progress, len(after), len(before), msg.Text)
	}
	golden(t, "undo-undone", msg)
	ask(admin, "22 note vu")
	ask(store.DemoPaul, "22 avancement 80")
	ask(admin, "22 avancement 85")
	msg, rep = ask(store.DemoPaul, "22 annuler")
	if rep.Outcome != commands.OutcomeInvalid || !strings.Contains(msg.Text, "<@"+admin+">") {
		t.Errorf("undo after someone else: %s\n%s", rep.Outcome, msg.Text)
	}
	golden(t, "undo-refused", msg)
}

// TestNewAction: an admin or a lead of the group creates an action with
// the next number, piloted by them; others are refused.
func TestNewAction(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t, "fr")
	ask := func(user, text string) (commands.Message, commands.Report) {
		return f.h.Answer(ctx, commands.Request{UserID: user, Command: "/action", Text: text, Now: now})
	}
	if _, rep := ask(other, "nouvelle 1.3 groupe prospection Salon des investisseurs"); rep.Outcome != commands.OutcomeForbidden {
		t.Errorf("someone else: %s", rep.Outcome)
	}
	msg, rep := ask(lead, "nouvelle 1.3 groupe prospection Salon des investisseurs")
	if rep.Outcome != commands.OutcomeOK {
		t.Fatalf("lead: %s\n%s", rep.Outcome, msg.Text)
	}
	golden(t, "new-action", msg)
	a, err := f.s.ActionByNumber(ctx, 53)
	if err != nil || a.Title != "Salon des investisseurs" || a.PiloteID != lead || a.Group.Key != "prospection" {
		t.Errorf("action 53: %+v, %v", a, err)
	}
	if _, rep := ask(admin, "nouvelle 9.9 Rien"); rep.Outcome != commands.OutcomeNotFound {
		t.Errorf("unknown programme: %s", rep.Outcome)
	}
	if _, rep := ask(admin, "nouvelle 1.3"); rep.Outcome != commands.OutcomeInvalid {
		t.Errorf("no title: %s", rep.Outcome)
	}
}

// TestAddressOnlyPilote: an address typed without a name before it would
// be shown whole (cards, digests, web pages, minutes): it is refused with
// how to write it, and nothing is stored; the name followed by the address
// is taken, and only the name shows.
func TestAddressOnlyPilote(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t, "fr")
	before, _ := f.s.JournalCount(ctx)
	a, _ := f.s.ActionByNumber(ctx, 22)
	for _, text := range []string{`22 pilote "contact@cci-touraine.example"`, `22 pilote contact@cci-touraine.example`, `22 contributeurs <@U02PAUL> "contact@cci-touraine.example"`} {
		_, rep := f.h.Answer(ctx, commands.Request{UserID: admin, Command: "/action", Text: text, Now: now})
		after, _ := f.s.ActionByNumber(ctx, 22)
		if n, _ := f.s.JournalCount(ctx); rep.Outcome != commands.OutcomeInvalid || n != before || after.PiloteName != a.PiloteName || after.PiloteID != a.PiloteID || len(after.Contributors) != len(a.Contributors) {
			t.Errorf("%s: %s, %d entries written, pilote %q", text, rep.Outcome, n-before, after.PiloteName)
		}
	}
	// As Slack sends an address typed alone: the same refusal.
	if _, err := commands.Parse("/action", "22 pilote <mailto:contact@cci-touraine.example|contact@cci-touraine.example>", store.DateOf(now, storetest.Paris)); commands.WordProblem(err) != planword.AddressOnly {
		t.Errorf("Slack's mailto alone: %v", err)
	}
	msg, rep := f.h.Answer(ctx, commands.Request{UserID: admin, Command: "/action", Text: `22 pilote "CCI Touraine <contact@cci-touraine.example>"`, Now: now})
	after, _ := f.s.ActionByNumber(ctx, 22)
	if rep.Outcome != commands.OutcomeOK || after.PiloteName != "CCI Touraine <contact@cci-touraine.example>" || strings.Contains(msg.Text, "cci-touraine.example") {
		t.Errorf("the name and its address: %s, pilote %q, answer %q", rep.Outcome, after.PiloteName, msg.Text)
	}
}

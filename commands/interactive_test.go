package commands_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

// goldenJSON compares v, as JSON, with testdata/name.json (-update
// rewrites it).
func goldenJSON(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./commands -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./commands -update and review the diff):\n%s", path, got)
	}
	checkSlackRules(t, name, got)
}

func (f fixture) request(user string) commands.Request {
	return commands.Request{TeamID: "T0TEAM", UserID: user, ChannelID: "C0CHAN", Now: now}
}

// submitted is the view Slack sends back when the modal is submitted with
// these values; metadata as UpdateModal wrote it.
func submitted(metadata, status, progress, note string) slack.View {
	return slack.View{
		CallbackID:      commands.ModalCallbackID,
		PrivateMetadata: metadata,
		State: &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
			"status":   {"status": {SelectedOption: slack.OptionBlockObject{Value: status}}},
			"progress": {"progress": {Value: progress}},
			"note":     {"note": {Value: note}},
		}},
	}
}

func TestInteractiveGolden(t *testing.T) {
	ctx := context.Background()
	t.Run("modal-update", func(t *testing.T) {
		f := mustFixture(t, "fr")
		view, msg, rep := f.h.UpdateModal(ctx, f.request(store.DemoPaul), 22)
		if rep.Outcome != commands.OutcomeOK {
			t.Fatalf("UpdateModal refused: %s", msg.Text)
		}
		goldenJSON(t, "modal-update", view)
	})
	t.Run("modal-update-en", func(t *testing.T) {
		f := mustFixture(t, "en")
		view, msg, rep := f.h.UpdateModal(ctx, f.request(store.DemoPaul), 22)
		if rep.Outcome != commands.OutcomeOK {
			t.Fatalf("UpdateModal refused: %s", msg.Text)
		}
		goldenJSON(t, "modal-update-en", view)
	})
	t.Run("modal-errors", func(t *testing.T) {
		f := mustFixture(t, "fr")
		sub := f.h.SubmitUpdate(ctx, f.request(store.DemoPaul), submitted("22|C0CHAN", "terminee", "60", ""))
		goldenJSON(t, "modal-errors", slack.NewErrorsViewSubmissionResponse(sub.Errors))
	})
	t.Run("home", func(t *testing.T) {
		f := mustFixture(t, "fr")
		view, _ := f.h.Home(ctx, f.request(store.DemoKarim))
		goldenJSON(t, "home", view)
	})
	t.Run("home-following", func(t *testing.T) {
		f := mustFixture(t, "fr")
		for _, n := range []int{5, 22} {
			if _, err := f.s.Follow(ctx, n, store.DemoKarim); err != nil {
				t.Fatal(err)
			}
		}
		view, _ := f.h.Home(ctx, f.request(store.DemoKarim))
		goldenJSON(t, "home-following", view)
	})
	t.Run("home-empty", func(t *testing.T) {
		f := mustFixture(t, "fr")
		view, _ := f.h.Home(ctx, f.request(other))
		goldenJSON(t, "home-empty", view)
	})
}

func TestUpdateModalRefuses(t *testing.T) {
	tests := []struct {
		name, user string
		number     int
		want       string
		outcome    commands.Outcome
	}{
		{"someone else", other, 22, "Vous ne pouvez pas faire cela sur l'action 22", commands.OutcomeForbidden},
		{"lead of another group", lead, 7, "Vous ne pouvez pas faire cela sur l'action 7", commands.OutcomeForbidden},
		{"no such action", admin, 99, "Il n'y a pas d'action 99", commands.OutcomeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustFixture(t, "fr")
			_, msg, rep := f.h.UpdateModal(context.Background(), f.request(tt.user), tt.number)
			if rep != (commands.Report{Name: "button.update", Outcome: tt.outcome}) {
				t.Errorf("report = %+v, want button.update %s", rep, tt.outcome)
			}
			if !strings.Contains(msg.Text, tt.want) {
				t.Errorf("refusal = %q, want %q in it", msg.Text, tt.want)
			}
		})
	}
	t.Run("same words as the command", func(t *testing.T) {
		f := mustFixture(t, "fr")
		_, got, _ := f.h.UpdateModal(context.Background(), f.request(other), 22)
		want := f.do(other, "/action", "22 statut en cours")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("modal refusal differs from the command's (-command +modal):\n%s", diff)
		}
	})
}

func TestSubmitUpdate(t *testing.T) {
	tests := []struct {
		name             string
		user             string
		view             slack.View
		wantErrors       map[string]string
		wantOutcome      commands.Outcome
		wantReply        []string // in the reply's text
		wantChannel      string
		wantJournalAdded int
	}{
		{
			name: "status, progress and note", user: store.DemoPaul,
			view:        submitted("22|C0CHAN", "bloquee", "70", "  En attente du devis.  "),
			wantOutcome: commands.OutcomeOK, wantChannel: "C0CHAN", wantJournalAdded: 3,
			wantReply: []string{"C'est noté pour l'action 22", "statut : :large_blue_circle: En cours → :red_circle: Bloquée",
				"avancement : 65 % → 70 %", "note : « En attente du devis. »"},
		},
		{
			name: "only a note, from the App Home", user: store.DemoPaul,
			view:        submitted("22|", "en_cours", "65", "Relance faite."),
			wantOutcome: commands.OutcomeOK, wantChannel: "", wantJournalAdded: 1,
			wantReply: []string{"note : « Relance faite. »"},
		},
		{
			name: "nothing changed", user: store.DemoPaul,
			view:        submitted("22|C0CHAN", "en_cours", "65", ""),
			wantOutcome: commands.OutcomeOK, wantChannel: "C0CHAN",
			wantReply: []string{"Rien n'a changé : l'action 22 était déjà ainsi."},
		},
		{
			name: "done at 100", user: lead,
			view:        submitted("22|C0CHAN", "terminee", "100", ""),
			wantOutcome: commands.OutcomeOK, wantChannel: "C0CHAN", wantJournalAdded: 2,
			wantReply: []string{"statut : :large_blue_circle: En cours → :large_green_circle: Terminée", "avancement : 65 % → 100 %"},
		},
		{
			name: "progress not a number", user: store.DemoPaul,
			view:        submitted("22|C0CHAN", "en_cours", "beaucoup", ""),
			wantOutcome: commands.OutcomeInvalid, wantChannel: "C0CHAN",
			wantErrors: map[string]string{"progress": "« beaucoup » n'est pas un avancement : donnez un nombre entier entre 0 et 100, par exemple 60 ou 60%."},
		},
		{
			name: "progress out of range", user: store.DemoPaul,
			view:        submitted("22|C0CHAN", "en_cours", "150", "x"),
			wantOutcome: commands.OutcomeInvalid, wantChannel: "C0CHAN",
			wantErrors: map[string]string{"progress": "L'avancement doit être entre 0 et 100 (vous avez écrit 150)."},
		},
		{
			name: "progress missing", user: store.DemoPaul,
			view:        submitted("22|C0CHAN", "en_cours", " ", ""),
			wantOutcome: commands.OutcomeInvalid, wantChannel: "C0CHAN",
			wantErrors: map[string]string{"progress": "Quel avancement ? Donnez un pourcentage entre 0 et 100, par exemple 60."},
		},
		{
			name: "done below 100", user: store.DemoPaul,
			view:        submitted("22|C0CHAN", "terminee", "60", ""),
			wantOutcome: commands.OutcomeInvalid, wantChannel: "C0CHAN",
			wantErrors: map[string]string{"progress": "Une action terminée est à 100 % : indiquez 100 ou choisissez un autre statut."},
		},
		{
			name: "unknown status", user: store.DemoPaul,
			view:        submitted("22|C0CHAN", "fini", "60", ""),
			wantOutcome: commands.OutcomeInvalid, wantChannel: "C0CHAN",
			wantErrors: map[string]string{"status": "« fini » n'est pas un statut. Choisissez parmi : à lancer, en cours, bloquée, terminée, abandonnée."},
		},
		{
			name: "forbidden", user: other,
			view:        submitted("22|C0CHAN", "terminee", "100", "je termine"),
			wantOutcome: commands.OutcomeForbidden, wantChannel: "C0CHAN",
			wantErrors: map[string]string{"status": "Vous ne pouvez pas faire cela sur l'action 22 : c'est réservé au pilote, aux contributeurs, aux animateurs du groupe et aux admins."},
		},
		{
			name: "no such action", user: admin,
			view:        submitted("99|C0CHAN", "terminee", "100", ""),
			wantOutcome: commands.OutcomeNotFound, wantChannel: "C0CHAN",
			wantErrors: map[string]string{"status": "Il n'y a pas d'action 99 : les actions vont de 1 à 52."},
		},
		{
			name: "metadata lost", user: admin,
			view:        submitted("", "terminee", "100", ""),
			wantOutcome: commands.OutcomeInternal,
			wantErrors:  map[string]string{"status": "Désolé, une erreur interne m'empêche de répondre. Elle a été enregistrée ; réessayez dans un instant."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustFixture(t, "fr")
			ctx := context.Background()
			before, err := f.s.JournalCount(ctx)
			if err != nil {
				t.Fatal(err)
			}
			r := f.request(tt.user)
			r.ChannelID = "" // view_submission payloads carry no channel
			got := f.h.SubmitUpdate(ctx, r, tt.view)
			if diff := cmp.Diff(tt.wantErrors, got.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if got.Report.Outcome != tt.wantOutcome || got.Report.Name != "modal.update" {
				t.Errorf("report = %+v, want modal.update %s", got.Report, tt.wantOutcome)
			}
			if got.ChannelID != tt.wantChannel {
				t.Errorf("channel = %q, want %q", got.ChannelID, tt.wantChannel)
			}
			for _, w := range tt.wantReply {
				if !strings.Contains(got.Reply.Text, w) {
					t.Errorf("reply lacks %q:\n%s", w, got.Reply.Text)
				}
			}
			after, err := f.s.JournalCount(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n := int(after - before); n != tt.wantJournalAdded {
				t.Errorf("%d journal entries written, want %d", n, tt.wantJournalAdded)
			}
			if tt.wantJournalAdded > 0 {
				e, err := f.s.History(ctx, 22, 1)
				if err != nil {
					t.Fatal(err)
				}
				if e[0].Author != tt.user {
					t.Errorf("journal author = %q, want %q", e[0].Author, tt.user)
				}
			}
		})
	}
}

func TestAnswerReports(t *testing.T) {
	tests := []struct {
		user, command, text string
		want                commands.Report
	}{
		{other, "/action", "23", commands.Report{Name: "action.card", Outcome: commands.OutcomeOK}},
		{other, "/action", "", commands.Report{Name: "action.help", Outcome: commands.OutcomeOK}},
		{admin, "/action", "23 statut en cours", commands.Report{Name: "action.status", Outcome: commands.OutcomeOK}},
		{other, "/action", "23 statut en cours", commands.Report{Name: "action.status", Outcome: commands.OutcomeForbidden}},
		{other, "/action", "99", commands.Report{Name: "action.card", Outcome: commands.OutcomeNotFound}},
		{other, "/action", "23 statu fini", commands.Report{Name: "action.?", Outcome: commands.OutcomeInvalid}},
		{other, "/copil", "", commands.Report{Name: "copil.next", Outcome: commands.OutcomeOK}},
		{other, "/copil", "liste", commands.Report{Name: "copil.list", Outcome: commands.OutcomeOK}},
	}
	for _, tt := range tests {
		t.Run(tt.user+" "+tt.command+" "+tt.text, func(t *testing.T) {
			f, g := mustFixture(t, "fr"), mustFixture(t, "fr")
			r := f.request(tt.user)
			r.Command, r.Text = tt.command, tt.text
			msg, got := f.h.Answer(context.Background(), r)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
			// Answer says what Handle says, on a plan in the same state.
			if diff := cmp.Diff(g.h.Handle(context.Background(), r), msg); diff != "" {
				t.Errorf("Answer and Handle differ (-Handle +Answer):\n%s", diff)
			}
		})
	}
	t.Run("internal", func(t *testing.T) {
		f := mustFixture(t, "fr")
		f.s.Close()
		r := f.request(other)
		r.Command, r.Text = "/action", "23"
		if _, got := f.h.Answer(context.Background(), r); got.Outcome != commands.OutcomeInternal {
			t.Errorf("outcome = %s, want internal", got.Outcome)
		}
		if _, got := f.h.Home(context.Background(), r); got.Outcome != commands.OutcomeInternal {
			t.Errorf("home outcome = %s, want internal", got.Outcome)
		}
	})
}

func TestHistoryButtonIsTheCommand(t *testing.T) {
	f := mustFixture(t, "fr")
	got, rep := f.h.History(context.Background(), f.request(other), 7)
	want := f.do(other, "/action", "7 historique")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("button answer differs from /action 7 historique (-command +button):\n%s", diff)
	}
	if rep != (commands.Report{Name: "button.history", Outcome: commands.OutcomeOK}) {
		t.Errorf("report = %+v", rep)
	}
	if _, rep := f.h.History(context.Background(), f.request(other), 99); rep.Outcome != commands.OutcomeNotFound {
		t.Errorf("history of 99: outcome %s", rep.Outcome)
	}
}

// TestStaleModalKeepsOthersChanges: a « Mettre à jour » modal can stay open
// for hours. Submitting it writes only what its user changed from the values
// it showed when it opened, not every field that differs from the action at
// submit time: a change someone made meanwhile is not silently reverted.
// What the user did change is written, and journaled as theirs.
func TestStaleModalKeepsOthersChanges(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name                  string
		status, progress      string // what Paul submits; 22 showed « en cours », 65
		wantStatus            store.Status
		wantProgress          int
		wantPaulWroteStatus   bool
		wantPaulWroteProgress bool
	}{
		{name: "untouched form with a note", status: "en_cours", progress: "65", wantStatus: store.StatusBlocked, wantProgress: 50},
		{name: "progress changed", status: "en_cours", progress: "70", wantStatus: store.StatusBlocked, wantProgress: 70, wantPaulWroteProgress: true},
		{name: "status changed", status: "terminee", progress: "100", wantStatus: store.StatusDone, wantProgress: 100, wantPaulWroteStatus: true, wantPaulWroteProgress: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := mustFixture(t, "fr")
			// Paul opens the modal: 22 is « en cours », 65 %.
			view, _, rep := f.h.UpdateModal(ctx, f.request(store.DemoPaul), 22)
			if rep.Outcome != commands.OutcomeOK {
				t.Fatal(rep.Outcome)
			}
			// Meanwhile the lead blocks it and sets 50 %.
			if _, err := f.s.SetStatus(ctx, 22, store.StatusBlocked, lead); err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.SetProgress(ctx, 22, 50, lead); err != nil {
				t.Fatal(err)
			}
			before, _ := f.s.History(ctx, 22, 50)
			sub := f.h.SubmitUpdate(ctx, f.request(store.DemoPaul), submitted(view.PrivateMetadata, tc.status, tc.progress, "point fait"))
			if sub.Errors != nil || sub.Report.Outcome != commands.OutcomeOK {
				t.Fatalf("refused: %v %s", sub.Errors, sub.Report.Outcome)
			}
			a, _ := f.s.ActionByNumber(ctx, 22)
			if a.Status != tc.wantStatus || a.Progress != tc.wantProgress {
				t.Errorf("22 is %s, %d %%; want %s, %d %%", a.Status, a.Progress, tc.wantStatus, tc.wantProgress)
			}
			after, _ := f.s.History(ctx, 22, 50)
			var status, progress, note bool
			for _, e := range after[:len(after)-len(before)] {
				if e.Author != store.DemoPaul {
					t.Errorf("entry by %s: %+v", e.Author, e)
				}
				switch e.Field {
				case store.FieldStatus:
					status = true
				case store.FieldProgress:
					progress = true
				case store.FieldNote:
					note = true
				}
			}
			if status != tc.wantPaulWroteStatus || progress != tc.wantPaulWroteProgress || !note {
				t.Errorf("Paul's entries: status %v progress %v note %v; want %v %v true", status, progress, note, tc.wantPaulWroteStatus, tc.wantPaulWroteProgress)
			}
		})
	}
}

package commands_test

import (
	"context"
	"testing"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

// newSubmitted is the « Nouvelle action » modal as Slack sends it back
// submitted with these values ("" leaves a field empty).
func newSubmitted(programme, group, title, pilote, due string) slack.View {
	return slack.View{
		CallbackID: commands.NewModalCallbackID,
		State: &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
			"new_programme": {"new_programme": {SelectedOption: slack.OptionBlockObject{Value: programme}}},
			"new_group":     {"new_group": {SelectedOption: slack.OptionBlockObject{Value: group}}},
			"new_title":     {"new_title": {Value: title}},
			"new_pilote":    {"new_pilote": {SelectedUser: pilote}},
			"new_due":       {"new_due": {SelectedDate: due}},
		}},
	}
}

func TestNewActionModal(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t, "fr")
	t.Run("admin", func(t *testing.T) {
		view, msg, rep := f.h.NewActionModal(ctx, f.request(admin))
		if rep != (commands.Report{Name: "button.new", Outcome: commands.OutcomeOK}) {
			t.Fatalf("report %+v: %s", rep, msg.Text)
		}
		goldenJSON(t, "modal-new", view)
	})
	t.Run("lead: only their group, chosen", func(t *testing.T) {
		view, _, rep := f.h.NewActionModal(ctx, f.request(lead))
		if rep.Outcome != commands.OutcomeOK {
			t.Fatalf("lead refused: %s", rep.Outcome)
		}
		goldenJSON(t, "modal-new-lead", view)
	})
	t.Run("someone else: refused", func(t *testing.T) {
		_, msg, rep := f.h.NewActionModal(ctx, f.request(other))
		if rep.Outcome != commands.OutcomeForbidden || len(msg.Blocks) == 0 {
			t.Errorf("other: %s %q", rep.Outcome, msg.Text)
		}
	})
	t.Run("en", func(t *testing.T) {
		f := mustFixture(t, "en")
		view, _, _ := f.h.NewActionModal(ctx, f.request(admin))
		goldenJSON(t, "modal-new-en", view)
	})
}

// TestHomeNewButton: the « Nouvelle action » button is on the App Home of
// admins and leads only.
func TestHomeNewButton(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t, "fr")
	for _, tt := range []struct {
		user string
		want bool
	}{{admin, true}, {lead, true}, {other, false}, {store.DemoKarim, false}} {
		view, _ := f.h.Home(ctx, f.request(tt.user))
		got := false
		for _, b := range view.Blocks.BlockSet {
			if ab, ok := b.(*slack.ActionBlock); ok {
				for _, e := range ab.Elements.ElementSet {
					if be, ok := e.(*slack.ButtonBlockElement); ok && be.ActionID == commands.ActionIDNew {
						got = true
					}
				}
			}
		}
		if got != tt.want {
			t.Errorf("%s: button shown %v, want %v", tt.user, got, tt.want)
		}
	}
	view, _ := f.h.Home(ctx, f.request(lead))
	goldenJSON(t, "home-lead", view)
}

func TestSubmitNew(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		user      string
		view      slack.View
		outcome   commands.Outcome
		errorOn   string // the field refused
		wantTitle string // of action 53 when created
	}{
		{name: "lead, all fields", user: lead, view: newSubmitted("1.3", "prospection", "  Salon des investisseurs  ", store.DemoPaul, "2027-03-15"),
			outcome: commands.OutcomeOK, wantTitle: "Salon des investisseurs"},
		{name: "admin, group left out: the programme's only one", user: admin, view: newSubmitted("1.3", "", "Veille", "", ""),
			outcome: commands.OutcomeOK, wantTitle: "Veille"},
		{name: "no programme", user: admin, view: newSubmitted("", "", "Veille", "", ""),
			outcome: commands.OutcomeInvalid, errorOn: "new_programme"},
		{name: "unknown programme", user: admin, view: newSubmitted("9.9", "prospection", "Veille", "", ""),
			outcome: commands.OutcomeNotFound, errorOn: "new_programme"},
		{name: "programme of several groups, none given", user: admin, view: newSubmitted("1.2", "", "Veille", "", ""),
			outcome: commands.OutcomeInvalid, errorOn: "new_group"},
		{name: "lead of another group", user: lead, view: newSubmitted("3.1", "ambassadeurs", "Veille", "", ""),
			outcome: commands.OutcomeForbidden, errorOn: "new_group"},
		{name: "no title", user: admin, view: newSubmitted("1.3", "prospection", "   ", "", ""),
			outcome: commands.OutcomeInvalid, errorOn: "new_title"},
		{name: "a typo year", user: admin, view: newSubmitted("1.3", "prospection", "Veille", "", "3027-03-15"),
			outcome: commands.OutcomeInvalid, errorOn: "new_due"},
		{name: "someone else", user: other, view: newSubmitted("1.3", "prospection", "Veille", "", ""),
			outcome: commands.OutcomeForbidden, errorOn: "new_group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustFixture(t, "fr")
			before, _ := f.s.JournalCount(ctx)
			sub := f.h.SubmitNew(ctx, f.request(tt.user), tt.view)
			if sub.Report != (commands.Report{Name: "modal.new", Outcome: tt.outcome}) {
				t.Fatalf("report %+v, want modal.new %s (errors %v)", sub.Report, tt.outcome, sub.Errors)
			}
			after, _ := f.s.JournalCount(ctx)
			a, err := f.s.ActionByNumber(ctx, 53)
			if tt.errorOn != "" {
				if _, ok := sub.Errors[tt.errorOn]; !ok || len(sub.Errors) != 1 || sub.View != nil {
					t.Errorf("errors %v, want one on %s", sub.Errors, tt.errorOn)
				}
				if after != before || err == nil {
					t.Errorf("refused, yet %d journal entries written, action 53: %v", after-before, err)
				}
				return
			}
			if len(sub.Errors) > 0 || sub.View == nil {
				t.Fatalf("errors %v, view %v", sub.Errors, sub.View)
			}
			if err != nil || a.Title != tt.wantTitle || after-before != 1 {
				t.Fatalf("action 53: %+v, %v; %d entries", a, err, after-before)
			}
			if tt.name == "lead, all fields" {
				if a.PiloteID != store.DemoPaul || a.Due != (store.Date{Year: 2027, Month: 3, Day: 15}) || a.GroupKey != "prospection" {
					t.Errorf("action 53: pilote %s, due %v, group %s", a.PiloteID, a.Due, a.GroupKey)
				}
				goldenJSON(t, "modal-new-created", sub.View)
			} else if a.PiloteID != tt.user {
				t.Errorf("pilote %s, want the author %s", a.PiloteID, tt.user)
			}
		})
	}
	t.Run("refusals on their field", func(t *testing.T) {
		f := mustFixture(t, "fr")
		sub := f.h.SubmitNew(ctx, f.request(admin), newSubmitted("1.2", "", "Veille", "", ""))
		goldenJSON(t, "modal-new-errors", slack.NewErrorsViewSubmissionResponse(sub.Errors))
	})
	t.Run("the same refusal as the command", func(t *testing.T) {
		f := mustFixture(t, "fr")
		sub := f.h.SubmitNew(ctx, f.request(lead), newSubmitted("3.1", "ambassadeurs", "Veille", "", ""))
		msg := f.do(lead, "/action", "nouvelle 3.1 groupe ambassadeurs Veille")
		if msg.Text != sub.Errors["new_group"] {
			t.Errorf("modal says %q, the command %q", sub.Errors["new_group"], msg.Text)
		}
	})
}

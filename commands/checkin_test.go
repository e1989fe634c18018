package commands_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

// checkView checks a view as Slack would before taking it.
func checkView(t *testing.T, name string, v slack.ModalViewRequest) {
	t.Helper()
	if n := len(v.Blocks.BlockSet); n > 100 {
		t.Errorf("%s: %d blocks, a modal takes 100", name, n)
	}
	for what, o := range map[string]*slack.TextBlockObject{"title": v.Title, "submit": v.Submit, "close": v.Close} {
		if o != nil && utf8.RuneCountInString(o.Text) > 24 {
			t.Errorf("%s: %s %q is over Slack's 24 characters", name, what, o.Text)
		}
	}
	if n := len(v.PrivateMetadata); n > 3000 {
		t.Errorf("%s: private metadata of %d characters, Slack takes 3000", name, n)
	}
	ids := map[string]bool{}
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			if ids[in.BlockID] {
				t.Errorf("%s: block ID %s twice", name, in.BlockID)
			}
			ids[in.BlockID] = true
		}
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	checkSlackRules(t, name, data)
}

// filled is the view Slack sends back when v is submitted with its
// inputs as they were shown, except for those in typed (by block ID:
// a status value, a progress or a note).
func filled(v slack.ModalViewRequest, typed map[string]string) slack.View {
	values := map[string]map[string]slack.BlockAction{}
	for _, b := range v.Blocks.BlockSet {
		in, ok := b.(*slack.InputBlock)
		if !ok {
			continue
		}
		var ba slack.BlockAction
		var id string
		switch e := in.Element.(type) {
		case *slack.SelectBlockElement:
			id = e.ActionID
			if e.InitialOption != nil {
				ba.SelectedOption = *e.InitialOption
			}
			if s, ok := typed[in.BlockID]; ok {
				ba.SelectedOption = slack.OptionBlockObject{Value: s}
			}
		case *slack.NumberInputBlockElement:
			id = e.ActionID
			ba.Value = e.InitialValue
			if s, ok := typed[in.BlockID]; ok {
				ba.Value = s
			}
		case *slack.PlainTextInputBlockElement:
			id = e.ActionID
			ba.Value = typed[in.BlockID]
		}
		values[in.BlockID] = map[string]slack.BlockAction{id: ba}
	}
	return slack.View{CallbackID: v.CallbackID, PrivateMetadata: v.PrivateMetadata, Blocks: v.Blocks, State: &slack.ViewState{Values: values}}
}

// shownActions are the action numbers a check-in view asks about.
func shownActions(v slack.ModalViewRequest) []int {
	var out []int
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok && strings.HasSuffix(in.BlockID, ".status") {
			var n int
			fmt.Sscanf(in.BlockID, "checkin.%d.status", &n)
			out = append(out, n)
		}
	}
	return out
}

func TestCheckinGolden(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		f := mustFixture(t, lang)
		word := map[string]string{"fr": "point", "en": "checkin"}[lang]
		msg, rep := f.h.Answer(context.Background(), commands.Request{UserID: store.DemoPaul, ChannelID: "C0CHAN", Command: "/action", Text: word, Now: now})
		if rep.Outcome != commands.OutcomeOK || rep.Name != "action.checkin" || msg.Modal == nil {
			t.Fatalf("%s: report %+v, modal %v", lang, rep, msg.Modal != nil)
		}
		suffix := map[string]string{"fr": "", "en": "-en"}[lang]
		golden(t, "checkin-list"+suffix, msg)
		goldenJSON(t, "checkin-view"+suffix, msg.Modal)
		checkView(t, "checkin-view"+suffix, *msg.Modal)
		if got, want := shownActions(*msg.Modal), []int{3, 7, 29, 52}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: actions %v, want %v", lang, got, want)
		}

		// Submitted: 3 blocked with a note, 29 started; 7 and 52 as shown.
		typed := map[string]string{
			"checkin.3.status": "bloquee", "checkin.3.note": "En attente du devis.",
			"checkin.29.status": "en_cours", "checkin.29.progress": "15",
		}
		sub := f.h.SubmitCheckin(context.Background(), commands.Request{UserID: store.DemoPaul, Now: now.Add(time.Minute)}, filled(*msg.Modal, typed))
		if sub.Errors != nil || sub.View != nil || sub.ChannelID != "C0CHAN" || sub.Report.Outcome != commands.OutcomeOK {
			t.Fatalf("%s: submission %+v", lang, sub)
		}
		golden(t, "checkin-summary"+suffix, sub.Reply)
	}
}

func TestCheckinNothingToUpdate(t *testing.T) {
	f := mustFixture(t, "fr")
	msg, rep := f.h.Answer(context.Background(), commands.Request{UserID: other, ChannelID: "C0CHAN", Command: "/action", Text: "point", Now: now})
	if rep.Outcome != commands.OutcomeOK || msg.Modal != nil || msg.Text == "" {
		t.Errorf("report %+v, modal %v, text %q", rep, msg.Modal != nil, msg.Text)
	}
	golden(t, "checkin-nothing", msg)
	msg, rep = f.h.Checkin(context.Background(), commands.Request{UserID: other, Now: now}, true)
	if rep.Outcome != commands.OutcomeOK || rep.Name != "button.checkin" || msg.Modal != nil {
		t.Errorf("button: report %+v, modal %v", rep, msg.Modal != nil)
	}
}

// TestCheckinStoresEachField checks the journal: each field changed is
// one entry by the user, as from the command, and nothing else is
// written.
func TestCheckinStoresEachField(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	msg := f.do(store.DemoPaul, "/action", "point")
	before, _ := f.s.JournalCount(ctx)
	a3, _ := f.s.ActionByNumber(ctx, 3)
	sub := f.h.SubmitCheckin(ctx, commands.Request{UserID: store.DemoPaul, Now: now}, filled(*msg.Modal, map[string]string{
		"checkin.3.status": "terminee", // progress left alone: done at 100
		"checkin.7.note":   "Relancé le prestataire.",
	}))
	if sub.Errors != nil {
		t.Fatalf("errors %v", sub.Errors)
	}
	after, _ := f.s.JournalCount(ctx)
	if after-before != 3 {
		t.Errorf("%d journal entries, want 3 (status and progress of 3, note of 7)", after-before)
	}
	got, _ := f.s.ActionByNumber(ctx, 3)
	if got.Status != store.StatusDone || got.Progress != 100 {
		t.Errorf("action 3 is %s %d%% (was %s %d%%)", got.Status, got.Progress, a3.Status, a3.Progress)
	}
	e, _ := f.s.History(ctx, 7, 1)
	if e[0].Field != store.FieldNote || e[0].Author != store.DemoPaul || e[0].Note != "Relancé le prestataire." {
		t.Errorf("last entry of 7: %+v", e[0])
	}
}

// TestCheckinRefusesAndStoresNothing: one refused value shows on its
// field, and none of the view's changes is stored, not even the valid
// ones of other actions.
func TestCheckinRefusesAndStoresNothing(t *testing.T) {
	tests := []struct {
		name    string
		user    string
		typed   map[string]string
		outcome commands.Outcome
		blocks  []string
	}{
		{"progress out of range", store.DemoPaul,
			map[string]string{"checkin.3.progress": "150", "checkin.7.note": "ok", "checkin.29.status": "en_cours"},
			commands.OutcomeInvalid, []string{"checkin.3.progress"}},
		{"progress not a number and unknown status", store.DemoPaul,
			map[string]string{"checkin.3.progress": "beaucoup", "checkin.52.status": "fini", "checkin.7.note": "ok"},
			commands.OutcomeInvalid, []string{"checkin.3.progress", "checkin.52.status"}},
		{"done below 100", store.DemoPaul,
			map[string]string{"checkin.29.status": "terminee", "checkin.29.progress": "60", "checkin.3.note": "ok"},
			commands.OutcomeInvalid, []string{"checkin.29.progress"}},
		{"status missing", store.DemoPaul,
			map[string]string{"checkin.7.status": "", "checkin.3.note": "ok"},
			commands.OutcomeInvalid, []string{"checkin.7.status"}},
		// A view opened by Paul, submitted by someone else (a forged
		// payload): every change is checked as the command checks it.
		{"forbidden", other,
			map[string]string{"checkin.3.note": "pirate", "checkin.7.progress": "90"},
			commands.OutcomeForbidden, []string{"checkin.3.status", "checkin.7.status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustFixture(t, "fr")
			ctx := context.Background()
			msg := f.do(store.DemoPaul, "/action", "point")
			before, _ := f.s.JournalCount(ctx)
			sub := f.h.SubmitCheckin(ctx, commands.Request{UserID: tt.user, Now: now}, filled(*msg.Modal, tt.typed))
			if sub.Report.Outcome != tt.outcome || sub.Report.Name != "modal.checkin" {
				t.Errorf("report %+v, want modal.checkin %s", sub.Report, tt.outcome)
			}
			var got []string
			for b, text := range sub.Errors {
				got = append(got, b)
				if text == "" {
					t.Errorf("empty error on %s", b)
				}
			}
			if fmt.Sprint(sorted(got)) != fmt.Sprint(sorted(tt.blocks)) {
				t.Errorf("errors on %v, want %v", got, tt.blocks)
			}
			if sub.View != nil || len(sub.Reply.Blocks) > 0 {
				t.Errorf("a refused view went on: %+v", sub)
			}
			if after, _ := f.s.JournalCount(ctx); after != before {
				t.Errorf("%d journal entries written", after-before)
			}
			if len(tt.blocks) == 2 && tt.outcome == commands.OutcomeInvalid {
				goldenJSON(t, "checkin-errors", slack.NewErrorsViewSubmissionResponse(sub.Errors))
			}
		})
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// giveActions makes user the pilote of every open action, 90 days ago:
// all of them need news.
func giveActions(t *testing.T, f fixture, user string) int {
	t.Helper()
	ctx := context.Background()
	f.s.Now = func() time.Time { return now.AddDate(0, 0, -90) }
	defer func() { f.s.Now = func() time.Time { return now } }()
	p, err := f.s.Actions(ctx, store.Filter{Open: true, Order: store.ByNumber})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range p.Actions {
		if _, err := f.s.Apply(ctx, a.Number, admin, store.Edit{Pilote: &store.Person{UserID: user}}); err != nil {
			t.Fatal(err)
		}
	}
	return len(p.Actions)
}

// TestCheckinPages steps through a check-in longer than one view: each
// view within Slack's limits, « Suivant » on all but the last, what was
// typed on a view stored when it is submitted, one summary at the end.
func TestCheckinPages(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	const user = "U0MANY"
	open := giveActions(t, f, user)
	if open <= 2*19 {
		t.Fatalf("only %d open actions: the test wants three views", open)
	}
	msg := f.do(user, "/action", "point")
	if msg.Modal == nil {
		t.Fatalf("no modal: %s", msg.Text)
	}
	v := *msg.Modal
	var seen []int
	req := commands.Request{UserID: user, Now: now.Add(time.Minute)}
	for page := 1; ; page++ {
		name := fmt.Sprintf("view %d", page)
		checkView(t, name, v)
		shown := shownActions(v)
		if len(shown) == 0 || len(shown) > 19 {
			t.Fatalf("%s shows %d actions", name, len(shown))
		}
		seen = append(seen, shown...)
		if page == 2 {
			goldenJSON(t, "checkin-view-page2", v)
		}
		// A note on the first action of each view.
		typed := map[string]string{fmt.Sprintf("checkin.%d.note", shown[0]): fmt.Sprintf("point de la page %d", page)}
		sub := f.h.SubmitCheckin(ctx, req, filled(v, typed))
		if sub.Errors != nil {
			t.Fatalf("%s: errors %v", name, sub.Errors)
		}
		// Stored when its view is submitted.
		e, _ := f.s.History(ctx, shown[0], 1)
		if e[0].Note != fmt.Sprintf("point de la page %d", page) {
			t.Errorf("%s: the note of %d is not stored: %+v", name, shown[0], e[0])
		}
		if sub.View == nil {
			if v.Submit.Text != "Enregistrer" {
				t.Errorf("last view's button is %q", v.Submit.Text)
			}
			for _, w := range []string{"Point enregistré pour 3 actions", "point de la page 1", "point de la page 3"} {
				if !strings.Contains(sub.Reply.Text, w) {
					t.Errorf("summary lacks %q:\n%s", w, sub.Reply.Text)
				}
			}
			break
		}
		if v.Submit.Text != "Suivant" {
			t.Errorf("%s: button %q, want Suivant", name, v.Submit.Text)
		}
		if len(sub.Reply.Blocks) > 0 {
			t.Errorf("%s: a summary before the end", name)
		}
		v = *sub.View
		if page > 10 {
			t.Fatal("no end")
		}
	}
	if len(seen) != open {
		t.Errorf("the views showed %d actions, want %d", len(seen), open)
	}
}

// TestCheckinClosedMidway: closing after a view was stored gets the
// summary of what was; closing the first view gets nothing.
func TestCheckinClosedMidway(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	const user = "U0MANY"
	giveActions(t, f, user)
	msg := f.do(user, "/action", "point")
	req := commands.Request{UserID: user, Now: now}
	if _, ok := f.h.CheckinClosed(ctx, req, slack.View{PrivateMetadata: msg.Modal.PrivateMetadata}); ok {
		t.Error("closing the first view gave a summary")
	}
	first := shownActions(*msg.Modal)[0]
	sub := f.h.SubmitCheckin(ctx, req, filled(*msg.Modal, map[string]string{fmt.Sprintf("checkin.%d.progress", first): "99"}))
	if sub.View == nil {
		t.Fatal("no second view")
	}
	if !sub.View.NotifyOnClose {
		t.Error("the second view does not ask to be told when closed")
	}
	closed, ok := f.h.CheckinClosed(ctx, req, slack.View{PrivateMetadata: sub.View.PrivateMetadata})
	if !ok || !strings.Contains(closed.Reply.Text, "Point enregistré pour 1 action") || !strings.Contains(closed.Reply.Text, "Restent") {
		t.Errorf("summary on close: %v %q", ok, closed.Reply.Text)
	}
}

// TestCheckinAtMost100: the metadata carries 100 actions at most; the
// rest are named.
func TestCheckinAtMost100(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	const user = "U0MANY"
	f.s.Now = func() time.Time { return now.AddDate(0, 0, -90) }
	for i := range 110 {
		if _, err := f.s.CreateAction(ctx, store.NewAction{ProgrammeCode: "1.1", Group: "prospection", Title: fmt.Sprintf("Action de charge %d", i), Pilote: store.Person{UserID: user}}, admin); err != nil {
			t.Fatal(err)
		}
	}
	f.s.Now = func() time.Time { return now }
	msg := f.do(user, "/action", "point")
	if msg.Modal == nil {
		t.Fatal("no modal")
	}
	checkView(t, "first view", *msg.Modal)
	if !strings.Contains(msg.Modal.Title.Text, "(1/6)") {
		t.Errorf("title %q, want 6 views", msg.Modal.Title.Text)
	}
	var foot string
	bs := msg.Modal.Blocks.BlockSet
	if c, ok := bs[len(bs)-1].(*slack.ContextBlock); ok {
		foot = c.ContextElements.Elements[0].(*slack.TextBlockObject).Text
	}
	if !strings.Contains(foot, "10 autres actions") {
		t.Errorf("foot %q does not name the 10 left out", foot)
	}
}

// TestCheckinSubmittedTwice: Slack keeps a view open, values and all,
// when its submission took longer than 3 seconds, and the user submits it
// again: nothing is recorded twice — the note is not added again, and the
// status is no change the second time.
func TestCheckinSubmittedTwice(t *testing.T) {
	f := mustFixture(t, "fr")
	ctx := context.Background()
	msg := f.do(store.DemoPaul, "/action", "point")
	v := filled(*msg.Modal, map[string]string{"checkin.3.status": "terminee", "checkin.7.note": "Relancé le prestataire."})
	before, _ := f.s.JournalCount(ctx)
	f.h.SubmitCheckin(ctx, commands.Request{UserID: store.DemoPaul, Now: now}, v)
	mid, _ := f.s.JournalCount(ctx)
	if mid-before < 2 {
		t.Fatalf("the first submission wrote %d entries, want the status and the note", mid-before)
	}
	f.h.SubmitCheckin(ctx, commands.Request{UserID: store.DemoPaul, Now: now}, v)
	if after, _ := f.s.JournalCount(ctx); after != mid {
		t.Errorf("the same view submitted again wrote %d more entries", after-mid)
	}
	// A new note on the same action, in a new check-in, is recorded.
	again := f.do(store.DemoPaul, "/action", "point")
	if again.Modal == nil {
		t.Fatalf("no check-in the second time: %s", again.Text)
	}
	v2 := filled(*again.Modal, map[string]string{"checkin.7.note": "Devis reçu."})
	f.h.SubmitCheckin(ctx, commands.Request{UserID: store.DemoPaul, Now: now}, v2)
	if after, _ := f.s.JournalCount(ctx); after != mid+1 {
		t.Errorf("a different note wrote %d entries, want 1", after-mid)
	}
}

package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

// slashWithTrigger is a slash command carrying trigger.
func slashWithTrigger(responseURL, user, command, text, trigger string) string {
	v, _ := url.ParseQuery(slashCommand(responseURL, user, command, text))
	v.Set("trigger_id", trigger)
	return v.Encode()
}

// openedView returns the view of the i-th views.open call.
func openedView(t *testing.T, f *fakeSlack, i int) (trigger string, view json.RawMessage) {
	t.Helper()
	opened := f.called("views.open")
	if len(opened) <= i {
		t.Fatalf("views.open called %d times", len(opened))
	}
	var req struct {
		TriggerID string          `json:"trigger_id"`
		View      json.RawMessage `json:"view"`
	}
	if err := json.Unmarshal(opened[i].JSON, &req); err != nil {
		t.Fatal(err)
	}
	return req.TriggerID, req.View
}

// viewBlock is the part of a block of a view this test reads.
type viewBlock struct {
	Type    string `json:"type"`
	BlockID string `json:"block_id"`
	Element struct {
		Type          string `json:"type"`
		ActionID      string `json:"action_id"`
		InitialValue  string `json:"initial_value"`
		InitialOption *struct {
			Value string `json:"value"`
		} `json:"initial_option"`
	} `json:"element"`
}

// checkinSubmission is the view_submission Slack sends when view is
// submitted by user with its inputs as shown, except those in typed (by
// block ID).
func checkinSubmission(t *testing.T, user string, view json.RawMessage, typed map[string]string) string {
	t.Helper()
	var v struct {
		CallbackID      string      `json:"callback_id"`
		PrivateMetadata string      `json:"private_metadata"`
		Blocks          []viewBlock `json:"blocks"`
	}
	if err := json.Unmarshal(view, &v); err != nil {
		t.Fatal(err)
	}
	values := map[string]map[string]any{}
	for _, b := range v.Blocks {
		if b.Type != "input" {
			continue
		}
		e := b.Element
		s, ok := typed[b.BlockID]
		var val any
		switch e.Type {
		case "static_select":
			if !ok && e.InitialOption != nil {
				s = e.InitialOption.Value
			}
			val = map[string]any{"type": e.Type, "selected_option": map[string]any{"value": s}}
		case "number_input":
			if !ok {
				s = e.InitialValue
			}
			val = map[string]any{"type": e.Type, "value": s}
		default:
			val = map[string]any{"type": e.Type, "value": s}
		}
		values[b.BlockID] = map[string]any{e.ActionID: val}
	}
	return viewPayload(t, "view_submission", user, view, values)
}

// viewPayload wraps a view as Slack posts it in an interaction of typ.
func viewPayload(t *testing.T, typ, user string, view json.RawMessage, values map[string]map[string]any) string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(view, &v); err != nil {
		t.Fatal(err)
	}
	v["id"], v["team_id"], v["hash"], v["root_view_id"] = "V0VIEW", team, "1764147600.abcdef", "V0VIEW"
	v["state"] = map[string]any{"values": values}
	p, err := json.Marshal(map[string]any{
		"type":       typ,
		"team":       map[string]any{"id": team, "domain": "tours-metropole"},
		"user":       map[string]any{"id": user, "username": "someone", "team_id": team},
		"api_app_id": "A0APP",
		"trigger_id": "13345224609.738474920.submit",
		"view":       v,
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(p)
}

// viewAck is the answer to a view submission.
type viewAck struct {
	ResponseAction string            `json:"response_action"`
	Errors         map[string]string `json:"errors"`
	View           json.RawMessage   `json:"view"`
}

func decodeAck(t *testing.T, body string) viewAck {
	t.Helper()
	var a viewAck
	if body == "" {
		return a
	}
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatalf("ack %q: %v", body, err)
	}
	return a
}

// TestCheckinCommand: /action point opens the check-in at once with the
// command's trigger and acks empty.
func TestCheckinCommand(t *testing.T) {
	hs := startHTTP(t, nil)
	trigger := hs.slack.issue()
	status, body := hs.signedPost("/slack/commands", form, slashWithTrigger(hs.slack.URL+"/response/c1", store.DemoPaul, "/action", "point", trigger))
	if status != http.StatusOK || body != "" {
		t.Errorf("ack = %d %q, want 200 and no body (the modal is the answer)", status, body)
	}
	hs.finish()
	got, view := openedView(t, hs.slack, 0)
	if got != trigger {
		t.Errorf("views.open with trigger %q, want %q", got, trigger)
	}
	if p := viewProblem(view); p != "" {
		t.Errorf("view refused: %s", p)
	}
	if !strings.Contains(string(view), `"callback_id":"`+commands.CheckinCallbackID+`"`) || !strings.Contains(string(view), "checkin.52.note") {
		t.Errorf("view: %s", view)
	}
	if n := len(hs.slack.called("response")); n != 0 {
		t.Errorf("%d posts to response_url", n)
	}
}

// TestCheckinTriggerExpired: a modal that cannot open leaves the user the
// list of actions and the command for each.
func TestCheckinTriggerExpired(t *testing.T) {
	hs := startHTTP(t, nil)
	hs.slack.fail["views.open"] = "expired_trigger_id"
	status, body := hs.signedPost("/slack/commands", form, slashWithTrigger(hs.slack.URL+"/response/c2", store.DemoPaul, "/action", "point", hs.slack.issue()))
	hs.finish()
	r := decodeReply(t, []byte(body))
	if status != http.StatusOK || r.ResponseType != "ephemeral" || !strings.Contains(r.Text, "/action 3 statut en cours avancement 60") {
		t.Errorf("answer %d %+v", status, r)
	}
}

func TestCheckinNothingToUpdate(t *testing.T) {
	hs := startHTTP(t, nil)
	_, body := hs.signedPost("/slack/commands", form, slashWithTrigger(hs.slack.URL+"/response/c3", other, "/action", "point", hs.slack.issue()))
	hs.finish()
	if n := len(hs.slack.called("views.open")); n != 0 {
		t.Errorf("views.open called %d times", n)
	}
	if r := decodeReply(t, []byte(body)); !strings.Contains(r.Text, "Rien à mettre à jour") {
		t.Errorf("answer %+v", r)
	}
}

// TestCheckinButtons: « Faire le point » in the reminder's DM and on the
// App Home open the check-in with the click's trigger.
func TestCheckinButtons(t *testing.T) {
	ctx := context.Background()
	t.Run("reminder DM", func(t *testing.T) {
		hs := startHTTP(t, nil)
		payload := strings.ReplaceAll(blockActions("", store.DemoPaul, commands.ActionIDCheckin, "point"), `"C0CHAN"`, `"D0PAUL"`)
		status, body := hs.signedPost("/slack/interactions", form, interactionForm(payload))
		if status != http.StatusOK || body != "" {
			t.Errorf("ack = %d %q", status, body)
		}
		hs.finish()
		_, view := openedView(t, hs.slack, 0)
		if !strings.Contains(string(view), `\"c\":\"D0PAUL\"`) {
			t.Errorf("the view does not remember the DM: %s", view)
		}
	})
	t.Run("App Home, then its summary and the Home refreshed", func(t *testing.T) {
		hs := startHTTP(t, nil)
		payload := strings.Replace(blockActions("", store.DemoPaul, commands.ActionIDCheckin, "point"),
			`"container": {"type": "message", "message_ts": "1764147600.000100", "channel_id": "C0CHAN", "is_ephemeral": true}`,
			`"container": {"type": "view", "view_id": "V0HOME"}, "view": {"id": "V0HOME", "type": "home"}`, 1)
		payload = strings.Replace(payload, `"channel": {"id": "C0CHAN", "name": "gt-prospection"},`, "", 1)
		hs.signedPost("/slack/interactions", form, interactionForm(payload))
		hs.slack.await(t, "views.open", 1)
		_, view := openedView(t, hs.slack, 0)
		status, body := hs.signedPost("/slack/interactions", form, interactionForm(checkinSubmission(t, store.DemoPaul, view, map[string]string{"checkin.7.note": "Devis reçu."})))
		if status != http.StatusOK || body != "" {
			t.Errorf("ack = %d %q, want the modal closed", status, body)
		}
		hs.finish()
		dm := hs.slack.called("chat.postMessage")
		if len(dm) != 1 || dm[0].Form.Get("channel") != store.DemoPaul || !strings.Contains(dm[0].Form.Get("text"), "Devis reçu.") {
			t.Errorf("summary DMs: %v", dm)
		}
		if n := len(hs.slack.called("views.publish")); n != 1 {
			t.Errorf("views.publish called %d times, want 1", n)
		}
		if e, _ := hs.store.History(ctx, 7, 1); e[0].Note != "Devis reçu." {
			t.Errorf("note not stored: %+v", e[0])
		}
	})
}

// TestCheckinSubmissions goes through a check-in of three views over
// HTTP: a refused value (errors on its field, nothing stored), « Suivant »
// (the next view as response_action update), the end (closed, one
// summary in the channel).
func TestCheckinSubmissions(t *testing.T) {
	ctx := context.Background()
	hs := startHTTP(t, nil)
	const user = "U0MANY"
	open := giveActions(t, hs.store, user)
	hs.signedPost("/slack/commands", form, slashWithTrigger(hs.slack.URL+"/response/c4", user, "/action", "point", hs.slack.issue()))
	_, view := openedView(t, hs.slack, 0)
	first := shownIn(t, view)
	before, _ := hs.store.JournalCount(ctx)

	// A bad progress on the first action, a note on the second: errors,
	// nothing stored.
	bad := map[string]string{
		fmt.Sprintf("checkin.%d.progress", first[0]): "150",
		fmt.Sprintf("checkin.%d.note", first[1]):     "bien avancé",
	}
	_, body := hs.signedPost("/slack/interactions", form, interactionForm(checkinSubmission(t, user, view, bad)))
	a := decodeAck(t, body)
	if a.ResponseAction != "errors" || len(a.Errors) != 1 || a.Errors[fmt.Sprintf("checkin.%d.progress", first[0])] == "" {
		t.Errorf("ack %s, want the error on checkin.%d.progress", body, first[0])
	}
	if after, _ := hs.store.JournalCount(ctx); after != before {
		t.Errorf("%d journal entries written", after-before)
	}

	var seen []int
	for page := 1; ; page++ {
		shown := shownIn(t, view)
		seen = append(seen, shown...)
		typed := map[string]string{fmt.Sprintf("checkin.%d.progress", shown[0]): "77"}
		_, body := hs.signedPost("/slack/interactions", form, interactionForm(checkinSubmission(t, user, view, typed)))
		a := decodeAck(t, body)
		if got, _ := hs.store.ActionByNumber(ctx, shown[0]); got.Progress != 77 {
			t.Errorf("view %d: action %d at %d %%, want 77", page, shown[0], got.Progress)
		}
		if a.ResponseAction == "" {
			break
		}
		if a.ResponseAction != "update" {
			t.Fatalf("view %d: ack %s", page, body)
		}
		if p := viewProblem(a.View); p != "" {
			t.Fatalf("view %d: Slack would refuse the next view: %s", page+1, p)
		}
		view = a.View
		if page > 5 {
			t.Fatal("no end")
		}
	}
	hs.finish()
	if len(seen) != open {
		t.Errorf("the views showed %d actions, want %d", len(seen), open)
	}
	summary := hs.slack.called("chat.postEphemeral")
	if len(summary) != 1 || summary[0].Form.Get("channel") != "C0CHAN" || !strings.Contains(summary[0].Form.Get("text"), "Point enregistré pour 3 actions") {
		t.Errorf("summaries: %v", summary)
	}
}

// TestCheckinClosed: closing the modal after « Suivant » stored a view
// gets the summary of that view.
func TestCheckinClosed(t *testing.T) {
	hs := startHTTP(t, nil)
	const user = "U0MANY"
	giveActions(t, hs.store, user)
	hs.signedPost("/slack/commands", form, slashWithTrigger(hs.slack.URL+"/response/c5", user, "/action", "point", hs.slack.issue()))
	_, view := openedView(t, hs.slack, 0)
	shown := shownIn(t, view)
	_, body := hs.signedPost("/slack/interactions", form, interactionForm(checkinSubmission(t, user, view, map[string]string{fmt.Sprintf("checkin.%d.note", shown[0]): "vu"})))
	next := decodeAck(t, body).View
	status, body := hs.signedPost("/slack/interactions", form, interactionForm(viewPayload(t, "view_closed", user, next, nil)))
	if status != http.StatusOK || body != "" {
		t.Errorf("ack = %d %q", status, body)
	}
	hs.finish()
	summary := hs.slack.called("chat.postEphemeral")
	if len(summary) != 1 || !strings.Contains(summary[0].Form.Get("text"), "Point enregistré pour 1 action") {
		t.Errorf("summaries: %v", summary)
	}
}

// shownIn returns the actions a check-in view asks about.
func shownIn(t *testing.T, view json.RawMessage) []int {
	t.Helper()
	var v struct {
		Blocks []viewBlock `json:"blocks"`
	}
	if err := json.Unmarshal(view, &v); err != nil {
		t.Fatal(err)
	}
	var out []int
	for _, b := range v.Blocks {
		var n int
		if _, err := fmt.Sscanf(b.BlockID, "checkin.%d.status", &n); err == nil && strings.HasSuffix(b.BlockID, ".status") {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no action in the view: %s", view)
	}
	return out
}

// giveActions makes user the pilote of every open action, 90 days ago, so
// that all need news; it returns how many.
func giveActions(t *testing.T, s *store.Store, user string) int {
	t.Helper()
	ctx := context.Background()
	s.Now = func() time.Time { return now.AddDate(0, 0, -90) }
	defer func() { s.Now = func() time.Time { return now } }()
	p, err := s.Actions(ctx, store.Filter{Open: true, Order: store.ByNumber})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range p.Actions {
		if _, err := s.Apply(ctx, a.Number, admin, store.Edit{Pilote: &store.Person{UserID: user}}); err != nil {
			t.Fatal(err)
		}
	}
	return len(p.Actions)
}

// TestCheckinSocketMode: over Socket Mode, /action point opens the modal
// with the command's trigger and acks with no payload.
func TestCheckinSocketMode(t *testing.T) {
	got := make(chan []ack, 1)
	hs := startSocket(t, func(t *testing.T, conn *websocket.Conn, n int) {
		got <- exchange(t, conn, envelope("env-point", "slash_commands", socketCommand("", store.DemoPaul, "/action", "point"), 0))
		untilClosed(conn)
	}, nil)
	acks := <-got
	hs.finish()
	if len(acks) != 1 || (len(acks[0].Payload) > 0 && string(acks[0].Payload) != "null") {
		t.Errorf("acks = %+v, want one with no payload", acks)
	}
	_, view := openedView(t, hs.slack, 0)
	if !strings.Contains(string(view), commands.CheckinCallbackID) {
		t.Errorf("views.open got %s", view)
	}
}

package bot_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

// homeButton is a click on the App Home's « Nouvelle action » button, as
// Slack sends it: from a view, with no channel and no response_url.
func homeButton(user string) string {
	return `{
  "type": "block_actions",
  "user": {"id": "` + user + `", "username": "someone", "name": "someone", "team_id": "` + team + `"},
  "api_app_id": "A0APP",
  "token": "gIkuvaNzQIHg97ATvDxqgjtO",
  "container": {"type": "view", "view_id": "V0HOME"},
  "trigger_id": "13345224609.738474920.8088930838d88f008e0",
  "team": {"id": "` + team + `", "domain": "tours-metropole"},
  "enterprise": null,
  "is_enterprise_install": false,
  "view": {"id": "V0HOME", "team_id": "` + team + `", "type": "home", "blocks": [], "private_metadata": "", "callback_id": "",
    "state": {"values": {}}, "hash": "1764147600.home", "title": {"type": "plain_text", "text": "Accueil"}, "app_id": "A0APP", "bot_id": "B0BOT"},
  "actions": [{
    "action_id": "` + commands.ActionIDNew + `",
    "block_id": "home_new",
    "text": {"type": "plain_text", "text": "Nouvelle action", "emoji": true},
    "value": "new",
    "style": "primary",
    "type": "button",
    "action_ts": "1764147601.000200"
  }]
}`
}

// newSubmission is the « Nouvelle action » modal submitted, as Slack sends
// it; "" leaves a field empty.
func newSubmission(user, programme, group, title, pilote, due string) string {
	selected := func(v string) string {
		if v == "" {
			return `null`
		}
		return `{"text": {"type": "plain_text", "text": "x", "emoji": true}, "value": "` + v + `"}`
	}
	orNull := func(v string) string {
		if v == "" {
			return `null`
		}
		return strconv.Quote(v)
	}
	return `{
  "type": "view_submission",
  "team": {"id": "` + team + `", "domain": "tours-metropole"},
  "user": {"id": "` + user + `", "username": "someone", "name": "someone", "team_id": "` + team + `"},
  "api_app_id": "A0APP",
  "token": "gIkuvaNzQIHg97ATvDxqgjtO",
  "trigger_id": "13345224609.738474920.8088930838d88f008e1",
  "view": {
    "id": "V0NEW",
    "team_id": "` + team + `",
    "type": "modal",
    "callback_id": "` + commands.NewModalCallbackID + `",
    "private_metadata": "",
    "title": {"type": "plain_text", "text": "Nouvelle action", "emoji": true},
    "blocks": [],
    "state": {"values": {
      "new_programme": {"new_programme": {"type": "static_select", "selected_option": ` + selected(programme) + `}},
      "new_group": {"new_group": {"type": "static_select", "selected_option": ` + selected(group) + `}},
      "new_title": {"new_title": {"type": "plain_text_input", "value": ` + strconv.Quote(title) + `}},
      "new_pilote": {"new_pilote": {"type": "users_select", "selected_user": ` + orNull(pilote) + `}},
      "new_due": {"new_due": {"type": "datepicker", "selected_date": ` + orNull(due) + `}}
    }},
    "hash": "1764147600.abcdef",
    "previous_view_id": null,
    "root_view_id": "V0NEW",
    "app_id": "A0APP",
    "bot_id": "B0BOT"
  },
  "response_urls": [],
  "is_enterprise_install": false,
  "enterprise": null
}`
}

func TestNewActionButton(t *testing.T) {
	t.Run("a lead: the modal opens", func(t *testing.T) {
		hs := startHTTP(t, nil)
		status, body := hs.signedPost("/slack/interactions", form, interactionForm(homeButton(lead)))
		if status != http.StatusOK || body != "" {
			t.Errorf("ack = %d %q, want 200 and no body", status, body)
		}
		hs.finish()
		opened := hs.slack.called("views.open")
		if len(opened) != 1 {
			t.Fatalf("views.open called %d times", len(opened))
		}
		var req struct {
			TriggerID string `json:"trigger_id"`
			View      struct {
				CallbackID string            `json:"callback_id"`
				Blocks     []json.RawMessage `json:"blocks"`
			} `json:"view"`
		}
		if err := json.Unmarshal(opened[0].JSON, &req); err != nil {
			t.Fatal(err)
		}
		if req.TriggerID != "13345224609.738474920.8088930838d88f008e0" || req.View.CallbackID != commands.NewModalCallbackID || len(req.View.Blocks) != 5 {
			t.Errorf("views.open got %s", opened[0].JSON)
		}
	})
	t.Run("someone else: told why, in a direct message", func(t *testing.T) {
		hs := startHTTP(t, nil)
		hs.signedPost("/slack/interactions", form, interactionForm(homeButton(other)))
		hs.finish()
		if n := len(hs.slack.called("views.open")); n != 0 {
			t.Errorf("views.open called %d times", n)
		}
		dm := hs.slack.called("chat.postMessage")
		if len(dm) != 1 || dm[0].Form.Get("channel") != other {
			t.Errorf("chat.postMessage calls: %v", dm)
		}
	})
}

func TestNewActionSubmission(t *testing.T) {
	ctx := context.Background()
	t.Run("valid: created, the modal shows its number, the Home is published again", func(t *testing.T) {
		hs := startHTTP(t, nil)
		before, _ := hs.store.JournalCount(ctx)
		status, body := hs.signedPost("/slack/interactions", form, interactionForm(newSubmission(lead, "1.3", "prospection", "Salon des investisseurs", store.DemoPaul, "2027-03-15")))
		hs.finish()
		var ack struct {
			ResponseAction string `json:"response_action"`
			View           struct {
				Type   string            `json:"type"`
				Blocks []json.RawMessage `json:"blocks"`
			} `json:"view"`
		}
		if err := json.Unmarshal([]byte(body), &ack); err != nil || status != http.StatusOK {
			t.Fatalf("ack = %d %s: %v", status, body, err)
		}
		if ack.ResponseAction != "update" || ack.View.Type != "modal" || !strings.Contains(body, "Action 53 créée") || strings.Contains(body, `"actions"`) {
			t.Errorf("ack = %s", body)
		}
		a, err := hs.store.ActionByNumber(ctx, 53)
		if err != nil || a.Title != "Salon des investisseurs" || a.PiloteID != store.DemoPaul || a.Due != (store.Date{Year: 2027, Month: 3, Day: 15}) {
			t.Errorf("action 53: %+v %v", a, err)
		}
		if after, _ := hs.store.JournalCount(ctx); after-before != 1 {
			t.Errorf("%d journal entries, want 1 (the creation)", after-before)
		}
		pub := hs.slack.called("views.publish")
		if len(pub) != 1 || !strings.Contains(string(pub[0].JSON), `"user_id":"`+lead+`"`) {
			t.Errorf("views.publish calls: %v", pub)
		}
	})
	t.Run("refused: shown on its field, nothing stored, Slack not called", func(t *testing.T) {
		hs := startHTTP(t, nil)
		before, _ := hs.store.JournalCount(ctx)
		status, body := hs.signedPost("/slack/interactions", form, interactionForm(newSubmission(lead, "3.1", "ambassadeurs", "Veille", "", "")))
		hs.finish()
		var ack struct {
			ResponseAction string            `json:"response_action"`
			Errors         map[string]string `json:"errors"`
		}
		if err := json.Unmarshal([]byte(body), &ack); err != nil || status != http.StatusOK {
			t.Fatalf("ack = %d %s: %v", status, body, err)
		}
		if ack.ResponseAction != "errors" || len(ack.Errors) != 1 || ack.Errors["new_group"] == "" {
			t.Errorf("ack = %s", body)
		}
		if after, _ := hs.store.JournalCount(ctx); after != before {
			t.Errorf("%d journal entries written", after-before)
		}
		if _, err := hs.store.ActionByNumber(ctx, 53); err == nil {
			t.Error("action 53 created")
		}
		if n := hs.slack.count(); n != 0 {
			t.Errorf("Slack called %d times", n)
		}
	})
}

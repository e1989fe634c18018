package bot_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/bot"
)

// linkShared is the link_shared event callback, as Slack sends it.
func linkShared(eventID string, links ...string) string {
	var ls []string
	for _, l := range links {
		ls = append(ls, `{"domain": "actionbot.example.org", "url": "`+l+`"}`)
	}
	return `{
  "token": "gIkuvaNzQIHg97ATvDxqgjtO",
  "team_id": "` + team + `",
  "api_app_id": "A0APP",
  "event": {"type": "link_shared", "channel": "C0CHAN", "is_bot_user_member": true, "user": "U01MARIE",
    "message_ts": "1764147600.000200", "unfurl_id": "C0CHAN.1764147600.000200.abc", "source": "conversations_history",
    "links": [` + strings.Join(ls, ",") + `], "event_ts": "1764147600.000300"},
  "type": "event_callback",
  "event_id": "` + eventID + `",
  "event_time": 1764147600
}`
}

func TestUnfurl(t *testing.T) {
	hs := startHTTP(t, func(o *bot.Options) { o.WebBaseURL = "https://actionbot.example.org" })
	ev := linkShared("Ev0LINK1",
		"https://actionbot.example.org/plan/actions/23",
		"https://actionbot.example.org/plan/actions/9999", // no such action
		"https://actionbot.example.org/plan",              // not an action's page
		"https://elsewhere.example/plan/actions/7")        // not ours
	if status, _ := hs.signedPost("/slack/events", "application/json", ev); status != 200 {
		t.Fatalf("ack = %d", status)
	}
	hs.finish()
	calls := hs.slack.called("chat.unfurl")
	if len(calls) != 1 {
		t.Fatalf("chat.unfurl called %d times", len(calls))
	}
	c := calls[0]
	if c.Form.Get("channel") != "C0CHAN" || c.Form.Get("ts") != "1764147600.000200" {
		t.Errorf("chat.unfurl to %q %q", c.Form.Get("channel"), c.Form.Get("ts"))
	}
	var unfurls map[string]struct {
		Blocks []json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(c.Form.Get("unfurls")), &unfurls); err != nil {
		t.Fatalf("unfurls = %q: %v", c.Form.Get("unfurls"), err)
	}
	card, ok := unfurls["https://actionbot.example.org/plan/actions/23"]
	if len(unfurls) != 1 || !ok || len(card.Blocks) == 0 || !strings.Contains(c.Form.Get("unfurls"), "Accueillir des délégations") {
		t.Errorf("unfurls = %s", c.Form.Get("unfurls"))
	}
	if strings.Contains(c.Form.Get("unfurls"), `"type":"actions"`) {
		t.Error("the unfurled card has buttons")
	}

	// Without web.base_url, nothing unfurls.
	hs = startHTTP(t, nil)
	hs.signedPost("/slack/events", "application/json", linkShared("Ev0LINK2", "https://actionbot.example.org/plan/actions/23"))
	hs.finish()
	if n := len(hs.slack.called("chat.unfurl")); n != 0 {
		t.Errorf("chat.unfurl called %d times with no base_url", n)
	}
}

package bot_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/bot"
)

// linkShared is the link_shared event callback of a sent message, as Slack
// sends it.
func linkShared(eventID string, links ...string) string {
	return linkSharedFrom(eventID, `"channel": "C0CHAN", "message_ts": "1764147600.000200", "unfurl_id": "C0CHAN.1764147600.000200.abc", "source": "conversations_history"`, links...)
}

// linkSharedFrom is a link_shared event callback whose message is where
// (its channel, message_ts, unfurl_id and source).
func linkSharedFrom(eventID, where string, links ...string) string {
	var ls []string
	for _, l := range links {
		ls = append(ls, `{"domain": "actionbot.example.org", "url": "`+l+`"}`)
	}
	return `{
  "token": "gIkuvaNzQIHg97ATvDxqgjtO",
  "team_id": "` + team + `",
  "api_app_id": "A0APP",
  "event": {"type": "link_shared", ` + where + `, "is_bot_user_member": true, "user": "U01MARIE",
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
	c := unfurlOnce(t, hs, ev)
	if c.Form.Get("channel") != "C0CHAN" || c.Form.Get("ts") != "1764147600.000200" || c.Form.Has("unfurl_id") {
		t.Errorf("chat.unfurl to %v", c.Form)
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

	// In a channel shared with another organisation (Slack Connect),
	// nothing unfurls: its members are not the workspace's.
	hs = startHTTP(t, func(o *bot.Options) { o.WebBaseURL = "https://actionbot.example.org" })
	shared := strings.Replace(linkShared("Ev0LINK4", "https://actionbot.example.org/plan/actions/23"),
		`"type": "event_callback",`, `"type": "event_callback", "is_ext_shared_channel": true,`, 1)
	if status, _ := hs.signedPost("/slack/events", "application/json", shared); status != 200 {
		t.Fatalf("ack = %d", status)
	}
	hs.finish()
	if n := len(hs.slack.called("chat.unfurl")); n != 0 {
		t.Errorf("chat.unfurl called %d times in a Slack Connect channel", n)
	}

	// Without web.base_url, nothing unfurls.
	hs = startHTTP(t, nil)
	hs.signedPost("/slack/events", "application/json", linkShared("Ev0LINK2", "https://actionbot.example.org/plan/actions/23"))
	hs.finish()
	if n := len(hs.slack.called("chat.unfurl")); n != 0 {
		t.Errorf("chat.unfurl called %d times with no base_url", n)
	}
}

// TestUnfurlInComposer: a link typed in the message box, not sent yet,
// comes with source "composer", an unfurl_id and a message_ts that is no
// timestamp (Slack sends "COMPOSER" as the channel there): the preview is
// answered by unfurl_id and source, with neither channel nor ts.
func TestUnfurlInComposer(t *testing.T) {
	var logs bytes.Buffer // written by the bot's goroutines, read after finish
	hs := startHTTP(t, func(o *bot.Options) {
		o.WebBaseURL = "https://actionbot.example.org"
		o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	const id = "U0MARIE-909b5454-75f8-4ac4-b325-1b40e230bbd8"
	ev := linkSharedFrom("Ev0LINK3", `"channel": "COMPOSER", "message_ts": "U0MARIE-909b5454-75f8-4ac4-b325-1b40e230bbd8-gryl3kb80b3wm49ihzoo35fyqoq08n2y", "unfurl_id": "`+id+`", "source": "composer"`,
		"https://actionbot.example.org/plan/actions/23")
	f := unfurlOnce(t, hs, ev).Form
	if f.Get("unfurl_id") != id || f.Get("source") != "composer" || f.Has("channel") || f.Has("ts") {
		t.Errorf("chat.unfurl form = %v", f)
	}
	if !strings.Contains(f.Get("unfurls"), "https://actionbot.example.org/plan/actions/23") || !strings.Contains(f.Get("unfurls"), "Accueillir des délégations") {
		t.Errorf("unfurls = %s", f.Get("unfurls"))
	}
	if strings.Contains(logs.String(), "chat.unfurl failed") {
		t.Errorf("the fake Slack refused the composer's chat.unfurl:\n%s", logs.String())
	}
}

// unfurlOnce posts the signed event ev, stops the bot and returns the one
// chat.unfurl call it made.
func unfurlOnce(t *testing.T, hs *harness, ev string) call {
	t.Helper()
	if status, _ := hs.signedPost("/slack/events", "application/json", ev); status != 200 {
		t.Fatalf("ack = %d", status)
	}
	hs.finish()
	calls := hs.slack.called("chat.unfurl")
	if len(calls) != 1 {
		t.Fatalf("chat.unfurl called %d times", len(calls))
	}
	return calls[0]
}

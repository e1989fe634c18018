package commands_test

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// TestWebLink: « /action web » answers the user alone a link of their
// own, valid 12 hours; without web.base_url it says the plan is not on
// the web.
func TestWebLink(t *testing.T) {
	s := storetest.Demo(t)
	h, err := commands.New(s, commands.Options{Language: "fr", Location: paris, WebBaseURL: "https://actionbot.example.org",
		Names: func(_ context.Context, id string) (string, error) { return "Paul Martin", nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, text := range []string{"web", "lien"} {
		msg, rep := h.Answer(ctx, commands.Request{UserID: store.DemoPaul, Command: "/action", Text: text, Now: now})
		if rep.Outcome != commands.OutcomeOK || msg.InChannel {
			t.Fatalf("/action %s: %s, in channel %v", text, rep.Outcome, msg.InChannel)
		}
		m := regexp.MustCompile(`<(https://actionbot\.example\.org/plan\?t=[^|>]+)\|`).FindStringSubmatch(msg.Text)
		if m == nil {
			t.Fatalf("no link in %q", msg.Text)
		}
		u, _ := url.Parse(m[1])
		token := u.Query().Get("t")
		l, err := s.CheckLink(ctx, token, now.Add(commands.WebLinkValid-1))
		if err != nil || l.CreatedBy != store.DemoPaul || !strings.Contains(l.Name, "Paul Martin") {
			t.Errorf("the link: %+v, %v", l, err)
		}
		if _, err := s.CheckLink(ctx, token, now.Add(commands.WebLinkValid)); !errors.Is(err, store.ErrLinkExpired) {
			t.Errorf("after 12 hours: %v", err)
		}
	}
	f := mustFixture(t, "fr")
	if _, rep := f.h.Answer(ctx, commands.Request{UserID: other, Command: "/action", Text: "web", Now: now}); rep.Outcome != commands.OutcomeInvalid {
		t.Errorf("without web.base_url: %s", rep.Outcome)
	}
}

// TestUnfurl: the card of a link pasted in Slack has no buttons.
func TestUnfurl(t *testing.T) {
	f := mustFixture(t, "fr")
	msg, err := f.h.Unfurl(context.Background(), 23, now)
	if err != nil || !strings.Contains(msg.Text, "Accueillir des délégations") {
		t.Fatalf("Unfurl = %q, %v", msg.Text, err)
	}
	if data := string(mustJSON(t, msg.Blocks)); strings.Contains(data, `"type":"actions"`) {
		t.Errorf("an unfurled card has buttons: %s", data)
	}
	if _, err := f.h.Unfurl(context.Background(), 999, now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Unfurl(999) = %v", err)
	}
}

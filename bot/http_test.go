package bot_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

func TestSignatures(t *testing.T) {
	body := slashCommand("", other, "/action", "23")
	tests := []struct {
		name   string
		header http.Header
		want   int
	}{
		{"valid", sign(secret, now, body), http.StatusOK},
		{"valid, 4 minutes old", sign(secret, now.Add(-4*time.Minute), body), http.StatusOK},
		{"valid, clock 4 minutes ahead", sign(secret, now.Add(4*time.Minute), body), http.StatusOK},
		{"other secret", sign("not-the-secret", now, body), http.StatusUnauthorized},
		{"other body", sign(secret, now, body+"&x=1"), http.StatusUnauthorized},
		{"missing", http.Header{}, http.StatusUnauthorized},
		{"no timestamp", func() http.Header {
			h := sign(secret, now, body)
			h.Del("X-Slack-Request-Timestamp")
			return h
		}(), http.StatusUnauthorized},
		{"not v0", func() http.Header {
			h := sign(secret, now, body)
			h.Set("X-Slack-Signature", "v1="+strings.TrimPrefix(h.Get("X-Slack-Signature"), "v0="))
			return h
		}(), http.StatusUnauthorized},
		{"stale: 6 minutes old", sign(secret, now.Add(-6*time.Minute), body), http.StatusUnauthorized},
		{"in the future: 6 minutes ahead", sign(secret, now.Add(6*time.Minute), body), http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := startHTTP(t, nil)
			if got, reply := hs.post("/slack/commands", form, body, tt.header); got != tt.want {
				t.Errorf("status %d, want %d (%s)", got, tt.want, reply)
			}
			hs.finish()
			wantCalls := 0
			if tt.want == http.StatusOK {
				wantCalls = 1
			}
			if n := hs.spy.calls(); n != wantCalls {
				t.Errorf("%d calls reached the commands, want %d", n, wantCalls)
			}
		})
	}
}

// TestReplayRefused: a signed request is accepted once; the same request
// again (same timestamp and signature) within the window gets 401 and
// changes nothing. Another request signed in the same second is accepted.
func TestReplayRefused(t *testing.T) {
	hs := startHTTP(t, nil)
	body := slashCommand("", admin, "/action", "22 note première")
	h := sign(secret, now, body)
	if status, reply := hs.post("/slack/commands", form, body, h); status != http.StatusOK {
		t.Fatalf("first: %d %s", status, reply)
	}
	after, _ := hs.store.JournalCount(context.Background())
	for _, path := range []string{"/slack/commands", "/slack/interactions", "/slack/events"} {
		if status, _ := hs.post(path, form, body, h); status != http.StatusUnauthorized {
			t.Errorf("replay to %s: status %d, want 401", path, status)
		}
	}
	other := slashCommand("", admin, "/action", "22 note seconde")
	if status, _ := hs.post("/slack/commands", form, other, sign(secret, now, other)); status != http.StatusOK {
		t.Errorf("another request of the same second: %d", status)
	}
	hs.finish()
	if got, _ := hs.store.JournalCount(context.Background()); got != after+1 {
		t.Errorf("journal %d entries, want %d: the replay changed something", got, after+1)
	}
	if n := hs.spy.calls(); n != 2 {
		t.Errorf("%d calls reached the commands, want 2", n)
	}
}

// TestEveryPostIsVerified sends each endpoint a payload that would do
// something, badly signed: 401, and nothing happens.
func TestEveryPostIsVerified(t *testing.T) {
	tests := []struct {
		path, contentType, body string
	}{
		{"/slack/commands", form, slashCommand("", admin, "/action", "23 statut terminée")},
		{"/slack/interactions", form, interactionForm(viewSubmission(admin, "22|C0CHAN", "terminee", "100", "fini"))},
		{"/slack/interactions", form, interactionForm(blockActions("", admin, commands.ActionIDUpdate, "22"))},
		{"/slack/events", "application/json", appHomeOpened("Ev0SIG", admin)},
		{"/slack/events", "application/json", `{"token":"x","challenge":"secret-challenge","type":"url_verification"}`},
	}
	for _, tt := range tests {
		for _, h := range []http.Header{sign("not-the-secret", now, tt.body), sign(secret, now.Add(-time.Hour), tt.body), {}} {
			hs := startHTTP(t, nil)
			before, _ := hs.store.JournalCount(context.Background())
			status, body := hs.post(tt.path, tt.contentType, tt.body, h)
			hs.finish()
			if status != http.StatusUnauthorized || strings.Contains(body, "secret-challenge") {
				t.Errorf("%s: %d %q, want 401", tt.path, status, body)
			}
			if n := hs.spy.calls(); n != 0 {
				t.Errorf("%s: %d calls reached the commands", tt.path, n)
			}
			if n := hs.slack.count(); n != 0 {
				t.Errorf("%s: the bot called Slack %d times", tt.path, n)
			}
			if after, _ := hs.store.JournalCount(context.Background()); after != before {
				t.Errorf("%s: %d journal entries written", tt.path, after-before)
			}
		}
	}
}

func TestVerify(t *testing.T) {
	body := []byte("token=x&team_id=T0TEAM")
	tests := []struct {
		name   string
		secret string
		header http.Header
		want   error
	}{
		{"ok", secret, sign(secret, now, string(body)), nil},
		{"no secret configured", "", sign("", now, string(body)), bot.ErrNoSignature},
		{"bad", secret, sign("x", now, string(body)), bot.ErrBadSignature},
		{"missing", secret, http.Header{}, bot.ErrNoSignature},
		{"stale", secret, sign(secret, now.Add(-bot.MaxSkew-time.Second), string(body)), bot.ErrStale},
		{"future", secret, sign(secret, now.Add(bot.MaxSkew+time.Second), string(body)), bot.ErrStale},
		{"timestamp not a number", secret, http.Header{"X-Slack-Request-Timestamp": {"soon"}, "X-Slack-Signature": {"v0=00"}}, bot.ErrStale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bot.Verify(tt.secret, tt.header, body, now); got != tt.want {
				t.Errorf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSlashCommand(t *testing.T) {
	tests := []struct {
		name, user, text string
		wantType         string
		wantIn           string
	}{
		{"card", other, "23", "ephemeral", "Action 23 · Accueillir des délégations d'investisseurs"},
		{"share", other, "7 partager", "in_channel", "Action 7"},
		{"usage error", other, "23 statut fini", "ephemeral", "n'est pas un statut"},
		{"forbidden", other, "23 statut en cours", "ephemeral", "Vous ne pouvez pas faire cela sur l'action 23"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := startHTTP(t, nil)
			status, body := hs.signedPost("/slack/commands", form, slashCommand(hs.slack.URL+"/response/cmd", tt.user, "/action", tt.text))
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			got := decodeReply(t, []byte(body))
			if got.ResponseType != tt.wantType || !strings.Contains(got.Text, tt.wantIn) {
				t.Errorf("reply = %s %q, want %s with %q", got.ResponseType, got.Text, tt.wantType, tt.wantIn)
			}
			// The reply is exactly the handler's answer, as Slack takes it.
			_, h := mustPlan(t)
			want, _ := json.Marshal(bot.ReplyOf(h.Handle(context.Background(), commands.Request{
				TeamID: team, UserID: tt.user, ChannelID: "C0CHAN", Command: "/action", Text: tt.text, Now: now,
			})))
			if diff := cmp.Diff(string(want)+"\n", body); diff != "" {
				t.Errorf("reply differs from the handler's answer (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOtherWorkspaceRefused(t *testing.T) {
	hs := startHTTP(t, nil)
	body := strings.Replace(slashCommand("", other, "/action", "23"), "team_id="+team, "team_id=T0ELSEWHERE", 1)
	if status, _ := hs.signedPost("/slack/commands", form, body); status != http.StatusForbidden {
		t.Errorf("command from another workspace: status %d, want 403", status)
	}
	ev := strings.Replace(appHomeOpened("Ev0OTHER", other), `"team_id": "`+team+`"`, `"team_id": "T0ELSEWHERE"`, 1)
	if status, _ := hs.signedPost("/slack/events", "application/json", ev); status != http.StatusForbidden {
		t.Errorf("event from another workspace: status %d, want 403", status)
	}
	hs.finish()
	if n := hs.spy.calls(); n != 0 {
		t.Errorf("%d calls reached the commands", n)
	}
}

func TestUpdateButton(t *testing.T) {
	t.Run("opens the modal", func(t *testing.T) {
		hs := startHTTP(t, nil)
		status, body := hs.signedPost("/slack/interactions", form, interactionForm(blockActions(hs.slack.URL+"/response/a1", store.DemoPaul, commands.ActionIDUpdate, "22")))
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
				CallbackID      string `json:"callback_id"`
				PrivateMetadata string `json:"private_metadata"`
			} `json:"view"`
		}
		if err := json.Unmarshal(opened[0].JSON, &req); err != nil {
			t.Fatal(err)
		}
		if req.TriggerID != "13345224609.738474920.8088930838d88f008e0" || req.View.CallbackID != commands.ModalCallbackID || req.View.PrivateMetadata != "22|C0CHAN|en_cours|65" {
			t.Errorf("views.open got %s", opened[0].JSON)
		}
	})
	t.Run("forbidden: the command's refusal, ephemeral", func(t *testing.T) {
		hs := startHTTP(t, nil)
		hs.signedPost("/slack/interactions", form, interactionForm(blockActions(hs.slack.URL+"/response/a2", other, commands.ActionIDUpdate, "22")))
		hs.finish()
		if n := len(hs.slack.called("views.open")); n != 0 {
			t.Errorf("views.open called %d times", n)
		}
		posts := hs.slack.called("response")
		if len(posts) != 1 {
			t.Fatalf("%d posts to response_url, want 1", len(posts))
		}
		want := bot.ReplyOf(hs.h.Handle(context.Background(), commands.Request{UserID: other, Command: "/action", Text: "22 statut en cours", Now: now}))
		got := decodeReply(t, posts[0].JSON)
		if diff := cmp.Diff(want.Text, got.Text); diff != "" || got.ResponseType != "ephemeral" {
			t.Errorf("refusal (-command +button), type %s:\n%s", got.ResponseType, diff)
		}
	})
}

func TestHistoryButton(t *testing.T) {
	hs := startHTTP(t, nil)
	status, _ := hs.signedPost("/slack/interactions", form, interactionForm(blockActions(hs.slack.URL+"/response/h1", other, commands.ActionIDHistory, "7")))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	hs.finish()
	posts := hs.slack.called("response")
	if len(posts) != 1 {
		t.Fatalf("%d posts to response_url, want 1", len(posts))
	}
	want, _ := json.Marshal(bot.ReplyOf(hs.h.Handle(context.Background(), commands.Request{UserID: other, Command: "/action", Text: "7 historique", Now: now})))
	if diff := cmp.Diff(string(want), string(posts[0].JSON)); diff != "" {
		t.Errorf("history (-/action 7 historique +button):\n%s", diff)
	}
	if !strings.Contains(string(posts[0].JSON), `"response_type":"ephemeral"`) || !strings.Contains(string(posts[0].JSON), `"replace_original":false`) {
		t.Errorf("want an ephemeral answer under the card: %s", posts[0].JSON)
	}
}

// TestPageButton: « Suivant » on a list answers what its command would.
func TestPageButton(t *testing.T) {
	hs := startHTTP(t, nil)
	status, _ := hs.signedPost("/slack/interactions", form, interactionForm(blockActions(hs.slack.URL+"/response/p2", other, commands.ActionIDPage+"_next", "/action liste page 2")))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	hs.finish()
	posts := hs.slack.called("response")
	if len(posts) != 1 {
		t.Fatalf("%d posts to response_url, want 1", len(posts))
	}
	want, _ := json.Marshal(bot.ReplyOf(hs.h.Handle(context.Background(), commands.Request{UserID: other, Command: "/action", Text: "liste page 2", Now: now})))
	if diff := cmp.Diff(string(want), string(posts[0].JSON)); diff != "" {
		t.Errorf("page 2 (-/action liste page 2 +button):\n%s", diff)
	}
}

// TestBlockActionsFirstOnly: a payload with thousands of actions — Slack
// sends one per click — is handled for its first action alone.
func TestBlockActionsFirstOnly(t *testing.T) {
	hs := startHTTP(t, nil)
	one := blockActions(hs.slack.URL+"/response/many", other, commands.ActionIDHistory, "7")
	i, j := strings.Index(one, `"actions": [`)+len(`"actions": [`), strings.LastIndex(one, "]")
	action := one[i:j]
	actions := make([]string, 1500)
	for k := range actions {
		actions[k] = action
	}
	payload := one[:i] + strings.Join(actions, ",") + one[j:]
	before := runtime.NumGoroutine()
	status, _ := hs.signedPost("/slack/interactions", form, interactionForm(payload))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if n := runtime.NumGoroutine(); n > before+50 {
		t.Errorf("%d goroutines after the payload, %d before", n, before)
	}
	hs.finish()
	if n := len(hs.slack.called("response")); n != 1 {
		t.Errorf("%d answers, want 1 for the first action", n)
	}
	if n := hs.spy.calls(); n != 1 {
		t.Errorf("%d calls reached the commands, want 1", n)
	}
}

// TestExpiredResponseURL checks that an answer whose response_url has
// expired is given ephemerally instead.
func TestExpiredResponseURL(t *testing.T) {
	hs := startHTTP(t, nil)
	hs.slack.fail["response"] = "expired_url"
	hs.signedPost("/slack/interactions", form, interactionForm(blockActions(hs.slack.URL+"/response/old", other, commands.ActionIDHistory, "7")))
	hs.finish()
	eph := hs.slack.called("chat.postEphemeral")
	if len(eph) != 1 || eph[0].Form.Get("user") != other || !strings.Contains(eph[0].Form.Get("text"), "Historique de l'action 7") {
		t.Errorf("chat.postEphemeral calls: %v", eph)
	}
	rec := httpGet(t, hs.srv.Handler(), "/metrics")
	for _, want := range []string{`actionbot_posts_total{outcome="failed"} 1`, `actionbot_posts_total{outcome="sent"} 1`} {
		if !strings.Contains(rec, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestModalSubmission(t *testing.T) {
	ctx := context.Background()
	t.Run("valid: stored, journaled, confirmed in the channel", func(t *testing.T) {
		hs := startHTTP(t, nil)
		before, _ := hs.store.JournalCount(ctx)
		status, body := hs.signedPost("/slack/interactions", form, interactionForm(viewSubmission(store.DemoPaul, "22|C0CHAN", "bloquee", "70", "En attente du devis.")))
		if status != http.StatusOK || body != "" {
			t.Errorf("ack = %d %q, want 200 and no body (the modal closes)", status, body)
		}
		hs.finish()
		after, _ := hs.store.JournalCount(ctx)
		if after-before != 3 {
			t.Errorf("%d journal entries, want 3", after-before)
		}
		a, _ := hs.store.ActionByNumber(ctx, 22)
		if a.Status != store.StatusBlocked || a.Progress != 70 {
			t.Errorf("action 22 is %s %d%%", a.Status, a.Progress)
		}
		posts := hs.slack.called("chat.postEphemeral")
		if len(posts) != 1 {
			t.Fatalf("chat.postEphemeral called %d times", len(posts))
		}
		if p := posts[0].Form; p.Get("channel") != "C0CHAN" || p.Get("user") != store.DemoPaul || !strings.Contains(p.Get("text"), "C'est noté pour l'action 22") {
			t.Errorf("chat.postEphemeral got %v", p)
		}
	})
	t.Run("invalid: errors shown in the modal, nothing stored", func(t *testing.T) {
		hs := startHTTP(t, nil)
		before, _ := hs.store.JournalCount(ctx)
		status, body := hs.signedPost("/slack/interactions", form, interactionForm(viewSubmission(store.DemoPaul, "22|C0CHAN", "en_cours", "150", "note")))
		hs.finish()
		want := `{"response_action":"errors","errors":{"progress":"L'avancement doit être entre 0 et 100 (vous avez écrit 150)."}}` + "\n"
		if status != http.StatusOK || body != want {
			t.Errorf("ack = %d %s, want %s", status, body, want)
		}
		if after, _ := hs.store.JournalCount(ctx); after != before {
			t.Errorf("%d journal entries written", after-before)
		}
		if n := hs.slack.count(); n != 0 {
			t.Errorf("Slack called %d times", n)
		}
	})
	t.Run("from the App Home: the Home is published again", func(t *testing.T) {
		hs := startHTTP(t, nil)
		hs.signedPost("/slack/interactions", form, interactionForm(viewSubmission(store.DemoPaul, "22|", "en_cours", "80", "")))
		hs.finish()
		if n := len(hs.slack.called("views.publish")); n != 1 {
			t.Errorf("views.publish called %d times, want 1", n)
		}
	})
	t.Run("channel the bot cannot post in: a direct message instead", func(t *testing.T) {
		hs := startHTTP(t, nil)
		hs.slack.fail["chat.postEphemeral"] = "channel_not_found"
		hs.signedPost("/slack/interactions", form, interactionForm(viewSubmission(store.DemoPaul, "22|C0PRIVATE", "en_cours", "80", "")))
		hs.finish()
		dm := hs.slack.called("chat.postMessage")
		if len(dm) != 1 || dm[0].Form.Get("channel") != store.DemoPaul {
			t.Errorf("chat.postMessage calls: %v", dm)
		}
	})
}

func TestEvents(t *testing.T) {
	t.Run("url_verification", func(t *testing.T) {
		hs := startHTTP(t, nil)
		status, body := hs.signedPost("/slack/events", "application/json",
			`{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
		if status != http.StatusOK || body != `{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}`+"\n" {
			t.Errorf("got %d %s", status, body)
		}
	})
	t.Run("app_home_opened publishes « Mes actions »", func(t *testing.T) {
		hs := startHTTP(t, nil)
		status, body := hs.signedPost("/slack/events", "application/json", appHomeOpened("Ev0HOME1", store.DemoKarim))
		if status != http.StatusOK || body != "" {
			t.Errorf("ack = %d %q", status, body)
		}
		hs.finish()
		pub := hs.slack.called("views.publish")
		if len(pub) != 1 {
			t.Fatalf("views.publish called %d times", len(pub))
		}
		var req struct {
			UserID string `json:"user_id"`
			View   struct {
				Type string `json:"type"`
			} `json:"view"`
		}
		json.Unmarshal(pub[0].JSON, &req)
		if req.UserID != store.DemoKarim || req.View.Type != "home" || !strings.Contains(string(pub[0].JSON), "Mes actions") ||
			!strings.Contains(string(pub[0].JSON), "Prochain COPIL") {
			t.Errorf("views.publish got %s", pub[0].JSON)
		}
	})
	t.Run("a retried event is processed once", func(t *testing.T) {
		hs := startHTTP(t, nil)
		ev := appHomeOpened("Ev0RETRY", store.DemoKarim)
		hs.signedPost("/slack/events", "application/json", ev)
		for i := 1; i <= 3; i++ {
			h := sign(secret, now, ev)
			h.Set("X-Slack-Retry-Num", string(rune('0'+i)))
			h.Set("X-Slack-Retry-Reason", "http_timeout")
			if status, _ := hs.post("/slack/events", "application/json", ev, h); status != http.StatusOK {
				t.Errorf("retry %d: status %d", i, status)
			}
		}
		hs.signedPost("/slack/events", "application/json", appHomeOpened("Ev0OTHER", store.DemoPaul))
		hs.finish()
		if n := len(hs.slack.called("views.publish")); n != 2 {
			t.Errorf("views.publish called %d times, want 2 (one per event)", n)
		}
	})
	t.Run("a retry that reaches another replica is processed once", func(t *testing.T) {
		// Two replicas behind a load balancer, remembering events in one
		// database: Slack's retry of an event the first one took goes to
		// the second.
		events := storetest.Replicas(t, 2)
		first := startHTTP(t, func(o *bot.Options) { o.Events = events[0] })
		second := startHTTP(t, func(o *bot.Options) { o.Events = events[1] })
		ev := appHomeOpened("Ev0REPLICA", store.DemoKarim)
		first.signedPost("/slack/events", "application/json", ev)
		h := sign(secret, now, ev)
		h.Set("X-Slack-Retry-Num", "1")
		h.Set("X-Slack-Retry-Reason", "http_timeout")
		if status, _ := second.post("/slack/events", "application/json", ev, h); status != http.StatusOK {
			t.Errorf("retry: status %d", status)
		}
		second.signedPost("/slack/events", "application/json", appHomeOpened("Ev0OTHER", store.DemoPaul))
		first.finish()
		second.finish()
		if n, m := len(first.slack.called("views.publish")), len(second.slack.called("views.publish")); n != 1 || m != 1 {
			t.Errorf("views.publish called %d and %d times, want once each (the retry ignored, the other event handled)", n, m)
		}
	})
	t.Run("an event the bot does not know is acked", func(t *testing.T) {
		hs := startHTTP(t, nil)
		ev := strings.Replace(appHomeOpened("Ev0X", other), `"type": "app_home_opened"`, `"type": "emoji_changed_twice"`, 1)
		if status, _ := hs.signedPost("/slack/events", "application/json", ev); status != http.StatusOK {
			t.Errorf("status %d", status)
		}
	})
}

func TestHealthz(t *testing.T) {
	hs := startHTTP(t, nil)
	get := func() int {
		resp, err := http.Get(hs.url + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get(); got != http.StatusOK {
		t.Errorf("healthz = %d with the database up", got)
	}
	hs.store.Close()
	if got := get(); got != http.StatusServiceUnavailable {
		t.Errorf("healthz = %d with the database closed, want 503", got)
	}
}

func TestMetrics(t *testing.T) {
	hs := startHTTP(t, nil)
	hs.signedPost("/slack/commands", form, slashCommand("", other, "/action", "23"))
	hs.signedPost("/slack/commands", form, slashCommand("", other, "/action", "23 statut en cours"))
	hs.signedPost("/slack/interactions", form, interactionForm(blockActions(hs.slack.URL+"/response/m", other, commands.ActionIDHistory, "7")))
	hs.signedPost("/slack/commands", form, slashCommand("", other, "/evil", "23"))
	hs.signedPost("/slack/commands", form, slashCommand("", other, "/action", "frobnicate"))
	hs.srv.Metrics().SetDeliveriesPending(3)
	hs.finish() // the history post is made
	rec := httpGet(t, hs.srv.Handler(), "/metrics")
	for _, want := range []string{
		`actionbot_commands_total{command="action.card",outcome="ok"} 1`,
		`actionbot_commands_total{command="action.status",outcome="forbidden"} 1`,
		`actionbot_commands_total{command="button.history",outcome="ok"} 1`,
		`actionbot_command_seconds_count{command="action.card"} 1`,
		`actionbot_posts_total{outcome="sent"} 1`,
		`actionbot_posts_total{outcome="failed"} 0`,
		`actionbot_deliveries_pending 3`,
		`go_goroutines`,
		`actionbot_commands_total{command="other",outcome="invalid"} 1`,
		`actionbot_commands_total{command="action.?",outcome="invalid"} 1`,
	} {
		if !strings.Contains(rec, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(rec, "evil") {
		t.Errorf("a signed /evil made a series:\n%s", rec)
	}
}

// TestShutdownFinishesInFlight checks that a shutdown lets a request in
// flight finish and get its answer, and that Serve then returns nil.
func TestShutdownFinishesInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	hs := startHTTP(t, func(o *bot.Options) {
		o.Commands = blocking{Commands: o.Commands, entered: entered, release: release}
		o.InlineTimeout = time.Minute // answer inline however long it takes
	})
	type result struct {
		status int
		body   string
	}
	answered := make(chan result, 1)
	go func() {
		status, body := hs.signedPost("/slack/commands", form, slashCommand("", other, "/action", "23"))
		answered <- result{status, body}
	}()
	<-entered
	served := make(chan error, 1)
	go func() { served <- hs.finish() }()
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) with a request in flight", err)
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	r := <-answered
	if r.status != http.StatusOK || !strings.Contains(r.body, "Action 23") {
		t.Errorf("in-flight request got %d %s", r.status, r.body)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
	// No new request is taken.
	if _, err := http.Get(hs.url + "/healthz"); err == nil {
		t.Error("the bot still takes requests after shutdown")
	}
}

// blocking holds each answer until release is closed.
type blocking struct {
	bot.Commands
	entered chan struct{}
	release chan struct{}
}

func (b blocking) Answer(ctx context.Context, r commands.Request) (commands.Message, commands.Report) {
	close(b.entered)
	<-b.release
	return b.Commands.Answer(ctx, r)
}

// httpGet serves one GET with h and returns the body.
func httpGet(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, rec.Code)
	}
	return rec.Body.String()
}

// sent is a Reply as Slack reads it.
type sent struct {
	ResponseType    string       `json:"response_type"`
	Text            string       `json:"text"`
	Blocks          slack.Blocks `json:"blocks"`
	ReplaceOriginal bool         `json:"replace_original"`
}

func decodeReply(t *testing.T, data []byte) sent {
	t.Helper()
	var r sent
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("not a reply: %v\n%s", err, data)
	}
	return r
}

// TestCopilDashboardPostsChart: /copil tableau answers the dashboard at
// once, in the channel, then uploads the chart there (the three calls of
// files.uploadV2); a failed upload tells the user how to fix it.
func TestCopilDashboardPostsChart(t *testing.T) {
	hs := startHTTP(t, nil)
	status, reply := hs.signedPost("/slack/commands", form, slashCommand(hs.slack.URL+"/response/c1", other, "/copil", "tableau"))
	if status != http.StatusOK || !strings.Contains(reply, `"response_type":"in_channel"`) || !strings.Contains(reply, "Tableau de bord du plan") {
		t.Fatalf("reply %d: %.300s", status, reply)
	}
	hs.finish()
	get := hs.slack.called("files.getUploadURLExternal")
	if len(get) != 1 {
		t.Fatalf("%d files.getUploadURLExternal calls, want 1", len(get))
	}
	if size, _ := strconv.Atoi(get[0].Form.Get("length")); size < 10000 || get[0].Form.Get("alt_txt") == "" {
		t.Errorf("files.getUploadURLExternal for %s bytes, alt text %q", get[0].Form.Get("length"), get[0].Form.Get("alt_txt"))
	}
	if up := hs.slack.called("upload"); len(up) != 1 {
		t.Errorf("%d uploads, want 1", len(up))
	}
	done := hs.slack.called("files.completeUploadExternal")
	if len(done) != 1 || done[0].Form.Get("channel_id") != "C0CHAN" || !strings.Contains(done[0].Form.Get("files"), "Avancement du plan par axe") {
		t.Errorf("files.completeUploadExternal: %v", done)
	}
	if n := len(hs.slack.called("response")); n != 0 {
		t.Errorf("%d messages to response_url after a chart that went fine", n)
	}

	failing := startHTTP(t, nil)
	failing.slack.fail["files.completeUploadExternal"] = "not_in_channel"
	failing.signedPost("/slack/commands", form, slashCommand(failing.slack.URL+"/response/c2", other, "/copil", "tableau"))
	failing.finish()
	res := failing.slack.called("response")
	if len(res) != 1 || !strings.Contains(string(res[0].JSON), "invitez-moi d'abord") {
		t.Errorf("after a failed upload, response_url got %v", res)
	}
}

// TestCopilMinutesUploadsPDF: /copil compte-rendu answers in the channel,
// then uploads the minutes of the last COPIL there as a PDF; a failed
// upload tells the user how to fix it.
func TestCopilMinutesUploadsPDF(t *testing.T) {
	// The minutes are also handed to Options.Minutes, which serve wires to
	// the guests' e-mails (Posts.MailMinutes).
	handed := make(chan commands.Minutes, 4)
	hs := startHTTP(t, func(o *bot.Options) {
		o.Minutes = func(_ context.Context, mn commands.Minutes, _ time.Time) error {
			handed <- mn
			return nil
		}
	})
	status, reply := hs.signedPost("/slack/commands", form, slashCommand(hs.slack.URL+"/response/m1", other, "/copil", "compte-rendu"))
	hs.finish()
	if status != http.StatusOK {
		t.Fatalf("reply %d: %.300s", status, reply)
	}
	// The answer comes inline or, past the inline timeout, through the
	// response_url.
	if !strings.Contains(reply, `"response_type":"in_channel"`) {
		res := hs.slack.called("response")
		if len(res) != 1 || !strings.Contains(string(res[0].JSON), `"response_type":"in_channel"`) {
			t.Fatalf("no answer in the channel: reply %.300s, response_url %v", reply, res)
		}
	}
	get := hs.slack.called("files.getUploadURLExternal")
	if len(get) != 1 || get[0].Form.Get("filename") != "compte-rendu-copil-2026-10-07.pdf" {
		t.Fatalf("files.getUploadURLExternal: %v", get)
	}
	up := hs.slack.called("upload")
	if len(up) != 1 || !strings.HasPrefix(up[0].Form.Get("file"), "%PDF-") {
		t.Errorf("%d uploads, or not a PDF", len(up))
	}
	done := hs.slack.called("files.completeUploadExternal")
	if len(done) != 1 || done[0].Form.Get("channel_id") != "C0CHAN" || !strings.Contains(done[0].Form.Get("files"), "Compte rendu du COPIL") {
		t.Errorf("files.completeUploadExternal: %v", done)
	}
	if len(handed) != 1 {
		t.Fatalf("the minutes were handed %d times to Options.Minutes", len(handed))
	}
	if mn := <-handed; mn.Meeting.ID == 0 || !strings.HasPrefix(string(mn.PDF), "%PDF-") || mn.FileName != "compte-rendu-copil-2026-10-07.pdf" {
		t.Errorf("Options.Minutes got meeting %d, %q, %d bytes", mn.Meeting.ID, mn.FileName, len(mn.PDF))
	}

	failing := startHTTP(t, nil)
	failing.slack.fail["files.completeUploadExternal"] = "not_in_channel"
	failing.signedPost("/slack/commands", form, slashCommand(failing.slack.URL+"/response/m2", other, "/copil", "compte-rendu"))
	failing.finish()
	var told bool
	for _, res := range failing.slack.called("response") {
		told = told || strings.Contains(string(res.JSON), "invitez-moi dans le canal")
	}
	if !told {
		t.Errorf("after a failed upload, response_url got %v", failing.slack.called("response"))
	}
}

// TestInChannelOncePerMinute: a user posts for everyone in a channel at
// most once a minute; more gets an ephemeral answer instead, and another
// channel or another user is not held back.
func TestInChannelOncePerMinute(t *testing.T) {
	var clock atomic.Int64
	clock.Store(now.UnixNano())
	hs := startHTTP(t, func(o *bot.Options) {
		o.Now = func() time.Time { return time.Unix(0, clock.Load()).In(now.Location()) }
	})
	n := 0
	share := func(user, channel string) string {
		n++ // each request its own, as Slack's are
		body := strings.Replace(slashCommand("", user, "/action", "23 partager"), "channel_id=C0CHAN", "channel_id="+channel, 1) + "&n=" + strconv.Itoa(n)
		status, reply := hs.post("/slack/commands", form, body, sign(secret, now, body))
		if status != http.StatusOK {
			t.Fatalf("status %d: %s", status, reply)
		}
		return decodeReply(t, []byte(reply)).ResponseType
	}
	steps := []struct {
		name, user, channel string
		advance             time.Duration
		want                string
	}{
		{"first", other, "C0CHAN", 0, "in_channel"},
		{"again at once", other, "C0CHAN", 0, "ephemeral"},
		{"50 s later", other, "C0CHAN", 50 * time.Second, "ephemeral"},
		{"another channel", other, "C0OTHER", 0, "in_channel"},
		{"another user", admin, "C0CHAN", 0, "in_channel"},
		{"a minute after the first", other, "C0CHAN", 11 * time.Second, "in_channel"},
	}
	for _, st := range steps {
		clock.Add(int64(st.advance))
		if got := share(st.user, st.channel); got != st.want {
			t.Errorf("%s: %s, want %s", st.name, got, st.want)
		}
	}
}

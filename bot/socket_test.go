package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/websocket"
	"github.com/slack-go/slack/slacktest"
	"github.com/slack-go/slack/socketmode"
	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

// socketHarness is the bot in Socket Mode against slack-go's slacktest
// server, whose /ws plays the script of the test and whose Web API
// methods and response_urls are recorded (slacktest's own chat.postMessage
// records nothing).
type socketHarness struct {
	t     *testing.T
	api   *slacktest.Server
	slack *fakeSlack
	h     *commands.Handler
	store *store.Store
	spy   *spy
	conns atomic.Int32
	stop  context.CancelFunc
	done  chan error
	// url is the bot's HTTP listener, which serves /healthz and /metrics
	// in Socket Mode too.
	url string
}

// wsScript plays Slack's side of the n-th WebSocket connection.
type wsScript func(t *testing.T, conn *websocket.Conn, n int)

func startSocket(t *testing.T, script wsScript, edit func(*bot.Options), custom ...slacktest.Binder) *socketHarness {
	t.Helper()
	s, h := mustPlan(t)
	hs := &socketHarness{t: t, slack: &fakeSlack{fail: map[string]string{}, issued: map[string]time.Time{fixedTrigger: time.Now()}}, h: h, store: s, spy: &spy{Commands: h}, done: make(chan error, 1)}
	binders := append(custom, func(c slacktest.Customize) {
		c.Handle("/ws", slacktest.Websocket(func(conn *websocket.Conn) {
			script(t, conn, int(hs.conns.Add(1)))
		}))
		for _, m := range []string{"/chat.postMessage", "/chat.postEphemeral", "/views.open", "/views.publish", "/response/"} {
			c.Handle(m, hs.slack.serve)
		}
	})
	hs.api = slacktest.NewTestServer(binders...)
	hs.api.Start()
	t.Cleanup(hs.api.Stop)

	r := bot.NewRetrier()
	r.Log = quiet
	api := bot.NewClient(bot.ClientOptions{BotToken: "xoxb-test", AppToken: "xapp-1-test", APIURL: hs.api.GetAPIURL(), HTTP: r})
	sm := socketmode.New(api, socketmode.OptionLog(log.New(io.Discard, "", 0)))
	o := bot.Options{Commands: hs.spy, Slack: api, TeamID: team, Now: func() time.Time { return now }, Logger: quiet}
	if edit != nil {
		edit(&o)
	}
	srv, err := bot.New(o)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs.url = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	hs.stop = cancel
	go func() { hs.done <- srv.RunSocketMode(ctx, sm, ln) }()
	t.Cleanup(func() { hs.finish() })
	return hs
}

// finish stops the bot and returns what RunSocketMode returned, once all
// it started is done.
func (hs *socketHarness) finish() error {
	hs.stop()
	select {
	case err := <-hs.done:
		hs.done <- err
		return err
	case <-time.After(10 * time.Second):
		hs.t.Fatal("RunSocketMode did not return")
	}
	return nil
}

// ack is what the bot sent back for an envelope.
type ack struct {
	EnvelopeID string          `json:"envelope_id"`
	Payload    json.RawMessage `json:"payload"`
}

// exchange sends envelopes and returns the acks, in the order they came.
func exchange(t *testing.T, conn *websocket.Conn, envelopes ...string) []ack {
	if err := conn.WriteMessage(websocket.TextMessage, []byte(hello)); err != nil {
		t.Error(err)
		return nil
	}
	for _, e := range envelopes {
		if err := conn.WriteMessage(websocket.TextMessage, []byte(e)); err != nil {
			t.Error(err)
			return nil
		}
	}
	var acks []ack
	conn.SetReadDeadline(time.Now().Add(5 * time.Second)) // a guard, not a wait
	for range envelopes {
		var a ack
		if err := conn.ReadJSON(&a); err != nil {
			t.Errorf("reading the acks: %v", err)
			return acks
		}
		acks = append(acks, a)
	}
	return acks
}

// untilClosed keeps the connection until the bot closes it.
func untilClosed(conn *websocket.Conn) {
	conn.SetReadDeadline(time.Time{})
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			return
		}
	}
}

const hello = `{"type":"hello","num_connections":1,"debug_info":{"host":"applink-7fc4fdbb64-4x5xq","build_number":10,"approximate_connection_time":18060},"connection_info":{"app_id":"A0APP"}}`

func envelope(id, typ string, payload string, retry int) string {
	return `{"envelope_id":"` + id + `","type":"` + typ + `","accepts_response_payload":` + strconv.FormatBool(typ != "events_api") +
		`,"retry_attempt":` + strconv.Itoa(retry) + `,"retry_reason":"","payload":` + payload + `}`
}

// socketCommand is a slash command as Socket Mode carries it.
func socketCommand(responseURL, user, command, text string) string {
	b, _ := json.Marshal(map[string]string{
		"token": "gIkuvaNzQIHg97ATvDxqgjtO", "team_id": team, "team_domain": "tours-metropole",
		"channel_id": "C0CHAN", "channel_name": "gt-prospection", "user_id": user, "user_name": "someone",
		"command": command, "text": text, "api_app_id": "A0APP", "is_enterprise_install": "false",
		"response_url": responseURL, "trigger_id": "13345224609.738474920.8088930838d88f008e0",
	})
	return string(b)
}

func TestSocketMode(t *testing.T) {
	t.Run("slash command: the answer is the ack's payload", func(t *testing.T) {
		got := make(chan []ack, 1)
		hs := startSocket(t, func(t *testing.T, conn *websocket.Conn, n int) {
			got <- exchange(t, conn, envelope("env-cmd-1", "slash_commands", socketCommand("", other, "/action", "23"), 0))
			untilClosed(conn)
		}, nil)
		acks := <-got
		if len(acks) != 1 || acks[0].EnvelopeID != "env-cmd-1" {
			t.Fatalf("acks = %+v", acks)
		}
		want, _ := json.Marshal(bot.ReplyOf(hs.h.Handle(context.Background(), commands.Request{
			TeamID: team, UserID: other, ChannelID: "C0CHAN", Command: "/action", Text: "23", Now: now,
		})))
		if diff := cmp.Diff(string(want), string(acks[0].Payload)); diff != "" {
			t.Errorf("ack payload differs from the handler's answer (-want +got):\n%s", diff)
		}
		if err := hs.finish(); err != nil {
			t.Errorf("RunSocketMode = %v, want nil", err)
		}
	})
	t.Run("app_home_opened, retried: acked each time, published once", func(t *testing.T) {
		got := make(chan []ack, 1)
		ev := appHomeOpened("Ev0SOCKET", store.DemoKarim)
		hs := startSocket(t, func(t *testing.T, conn *websocket.Conn, n int) {
			got <- exchange(t, conn,
				envelope("env-ev-1", "events_api", ev, 0),
				envelope("env-ev-2", "events_api", ev, 1))
			untilClosed(conn)
		}, nil)
		acks := <-got
		hs.finish()
		ids := []string{}
		for _, a := range acks {
			ids = append(ids, a.EnvelopeID)
			if len(a.Payload) != 0 {
				t.Errorf("event ack with a payload: %s", a.Payload)
			}
		}
		if len(ids) != 2 {
			t.Errorf("acks %v, want both envelopes", ids)
		}
		pub := hs.slack.called("views.publish")
		if len(pub) != 1 || !strings.Contains(string(pub[0].JSON), `"user_id":"U04KARIM"`) {
			t.Errorf("views.publish calls: %v", pub)
		}
	})
	t.Run("buttons and modals", func(t *testing.T) {
		got := make(chan []ack, 1)
		hs := startSocket(t, func(t *testing.T, conn *websocket.Conn, n int) {
			got <- exchange(t, conn,
				envelope("env-i-1", "interactive", blockActions("", other, commands.ActionIDHistory, "7"), 0),
				envelope("env-i-2", "interactive", viewSubmission(store.DemoPaul, "22|C0CHAN", "terminee", "60", ""), 0))
			untilClosed(conn)
		}, nil)
		acks := <-got
		hs.finish()
		byID := map[string]string{}
		for _, a := range acks {
			byID[a.EnvelopeID] = string(a.Payload)
		}
		if p, ok := byID["env-i-1"]; !ok || p != "" {
			t.Errorf("button ack = %q, %v; want an empty ack", p, ok)
		}
		want := `{"response_action":"errors","errors":{"progress":"Une action terminée est à 100 % : indiquez 100 ou choisissez un autre statut."}}`
		if p := byID["env-i-2"]; p != want {
			t.Errorf("submission ack = %s, want %s", p, want)
		}
		// No response_url in the payload: the history comes ephemerally.
		eph := hs.slack.called("chat.postEphemeral")
		if len(eph) != 1 || !strings.Contains(eph[0].Form.Get("text"), "Historique de l'action 7") {
			t.Errorf("chat.postEphemeral calls: %v", eph)
		}
	})
	t.Run("slow command: acked at once, completed through response_url", func(t *testing.T) {
		entered, release := make(chan struct{}), make(chan struct{})
		got := make(chan []ack, 1)
		var url atomic.Value
		hs := startSocket(t, func(t *testing.T, conn *websocket.Conn, n int) {
			got <- exchange(t, conn, envelope("env-slow", "slash_commands", socketCommand(url.Load().(string), other, "/action", "23"), 0))
			untilClosed(conn)
		}, func(o *bot.Options) {
			o.Commands = blocking{Commands: o.Commands, entered: entered, release: release}
			o.InlineTimeout = time.Millisecond
		})
		url.Store(hs.api.GetAPIURL() + "response/slow")
		acks := <-got
		<-entered
		if len(acks) != 1 || len(acks[0].Payload) != 0 {
			t.Errorf("acks = %+v, want one empty ack", acks)
		}
		close(release)
		hs.finish()
		posts := hs.slack.called("response")
		if len(posts) != 1 || !strings.Contains(string(posts[0].JSON), "Action 23") {
			t.Errorf("response_url posts: %v", posts)
		}
	})
	t.Run("reconnects after losing the connection", func(t *testing.T) {
		got := make(chan []ack, 1)
		hs := startSocket(t, func(t *testing.T, conn *websocket.Conn, n int) {
			if n == 1 {
				conn.WriteMessage(websocket.TextMessage, []byte(hello))
				conn.UnderlyingConn().Close() // the network goes
				return
			}
			got <- exchange(t, conn, envelope("env-again", "slash_commands", socketCommand("", other, "/action", "23"), 0))
			untilClosed(conn)
		}, nil)
		acks := <-got
		if len(acks) != 1 || !strings.Contains(string(acks[0].Payload), "Action 23") {
			t.Errorf("acks after reconnecting: %+v", acks)
		}
		if n := hs.conns.Load(); n != 2 {
			t.Errorf("%d connections, want 2", n)
		}
		if err := hs.finish(); err != nil {
			t.Errorf("RunSocketMode = %v", err)
		}
	})
	for _, refusal := range []string{"invalid_auth", "token_revoked", "account_inactive", "not_authed"} {
		t.Run("token refused: "+refusal, func(t *testing.T) {
			hs := startSocket(t, func(t *testing.T, conn *websocket.Conn, n int) {
				t.Error("connected with a refused token")
			}, nil, func(c slacktest.Customize) {
				c.Handle("/apps.connections.open", func(w http.ResponseWriter, r *http.Request) {
					io.WriteString(w, `{"ok":false,"error":"`+refusal+`"}`)
				})
			})
			var err error
			select {
			case err = <-hs.done:
				hs.done <- err
			case <-time.After(10 * time.Second):
				t.Fatal("RunSocketMode kept going with a refused token")
			}
			if !errors.Is(err, bot.ErrAppToken) || !strings.Contains(err.Error(), refusal) || !strings.Contains(err.Error(), "SLACK_APP_TOKEN") {
				t.Errorf("RunSocketMode = %v, want ErrAppToken naming %s and the setting", err, refusal)
			}
		})
	}
}

// TestSocketModeHealthz: in Socket Mode the listener serves /healthz,
// which says 503 until Slack is connected and again once the connection is
// lost, and 200 while it is up; Options.Ready is called once connected.
func TestSocketModeHealthz(t *testing.T) {
	health := func(hs *socketHarness) (int, string) {
		resp, err := http.Get(hs.url + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	connected, checked := make(chan struct{}), make(chan struct{})
	var opens atomic.Int32
	var wsURL atomic.Value
	refuse := make(chan struct{})
	ready := make(chan struct{})
	hs := startSocket(t, func(t *testing.T, conn *websocket.Conn, n int) {
		conn.WriteMessage(websocket.TextMessage, []byte(hello))
		close(connected)
		<-checked
		conn.UnderlyingConn().Close() // the network goes
	}, func(o *bot.Options) {
		o.Ready = func() { close(ready) }
	}, func(c slacktest.Customize) {
		c.Handle("/apps.connections.open", func(w http.ResponseWriter, r *http.Request) {
			if opens.Add(1) > 1 {
				<-refuse // Slack cannot be reached again
				io.WriteString(w, `{"ok":false,"error":"internal_error"}`)
				return
			}
			io.WriteString(w, `{"ok":true,"url":"`+wsURL.Load().(string)+`"}`)
		})
	})
	wsURL.Store(hs.api.GetWSURL())
	<-connected
	<-ready
	// The state follows the events read after the hello: wait for it
	// rather than sleep, bounded.
	deadline := time.Now().Add(5 * time.Second)
	code, body := health(hs)
	for code != http.StatusOK && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		code, body = health(hs)
	}
	if code != http.StatusOK || !strings.Contains(body, "slack: connected") {
		t.Errorf("connected: healthz %d %q", code, body)
	}
	close(checked)
	for code == http.StatusOK && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		code, body = health(hs)
	}
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "slack: not connected") {
		t.Errorf("connection lost: healthz %d %q, want 503 naming the connection", code, body)
	}
	close(refuse)
	if err := hs.finish(); err != nil {
		t.Errorf("RunSocketMode = %v", err)
	}
	if _, err := http.Get(hs.url + "/healthz"); err == nil {
		t.Error("the listener still serves after RunSocketMode returned")
	}
}

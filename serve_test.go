package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/web"
)

// watchedLog is the bot's standard error: it tells when the bot listens,
// and where.
type watchedLog struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	addr  chan string
	found bool
}

var listening = regexp.MustCompile(`msg="listening for Slack" addr=(\S+)`)

func (w *watchedLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if m := listening.FindSubmatch(w.buf.Bytes()); m != nil && !w.found {
		w.found = true
		w.addr <- string(m[1])
	}
	return len(p), nil
}

func (w *watchedLog) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// serveMain is a Main for serve with config as its configuration file.
func serveMain(t *testing.T, config string) (*Main, *watchedLog) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	log := &watchedLog{addr: make(chan string, 1)}
	env := map[string]string{"ACTIONBOT_CONFIG": path}
	return &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: log, Getenv: func(k string) string { return env[k] }, Now: testNow}, log
}

// seededDB writes the demo plan to a database file and closes it.
func seededDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = testNow
	if err := s.SeedDemo(context.Background(), testNow().Location()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServeHTTP runs "actionbot serve" against a fake Slack API and
// answers a signed /action 23 with the card; then a signal stops it
// cleanly.
func TestServeHTTP(t *testing.T) {
	var mu sync.Mutex
	var apiCalls []string
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/auth.test" {
			io.WriteString(w, `{"ok":true,"team_id":"T0TEAM","user_id":"U0BOT"}`)
			return
		}
		mu.Lock()
		apiCalls = append(apiCalls, r.URL.Path)
		mu.Unlock()
		io.WriteString(w, `{"ok":true}`)
	}))
	defer fake.Close()
	db := seededDB(t)
	const secret = "e2e-signing-secret"
	m, log := serveMain(t, `
[slack]
bot_token = "xoxb-e2e"
signing_secret = "`+secret+`"
team_id = "T0TEAM"
api_url = "`+fake.URL+`/api/"
[http]
listen = "127.0.0.1:0"
[store]
path = "`+db+`"
[log]
level = "debug"
[web]
base_url = "http://actionbot.example.org"
`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve"}) }()
	var addr string
	select {
	case addr = <-log.addr:
	case err := <-done:
		t.Fatalf("serve returned %v before listening:\n%s", err, log)
	case <-time.After(10 * time.Second):
		t.Fatalf("serve is not listening:\n%s", log)
	}

	body := url.Values{
		"token": {"x"}, "team_id": {"T0TEAM"}, "team_domain": {"tours-metropole"},
		"channel_id": {"C0CHAN"}, "channel_name": {"gt-prospection"}, "user_id": {"U0OTHER"}, "user_name": {"someone"},
		"command": {"/action"}, "text": {"23"}, "api_app_id": {"A0APP"},
		"response_url": {fake.URL + "/response/1"}, "trigger_id": {"1.2.3"},
	}.Encode()
	ts := strconv.FormatInt(testNow().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	io.WriteString(mac, "v0:"+ts+":"+body)
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	reply, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("POST /slack/commands: %s %s\n%s", resp.Status, resp.Header.Get("Content-Type"), reply)
	}
	for _, want := range []string{`"response_type":"ephemeral"`, `Action 23 · Accueillir des délégations d'investisseurs`, `"action_id":"action_update"`} {
		if !strings.Contains(string(reply), want) {
			t.Errorf("reply lacks %s:\n%s", want, reply)
		}
	}
	if resp, err := http.Get("http://" + addr + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz: %v %v", resp, err)
	}
	// The read-only plan is on the same listener, for link holders only.
	if resp, err := http.Get("http://" + addr + "/plan"); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET /plan with no link: %v %v", resp, err)
	}
	token := shareLink(t, db)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	if resp, err := browser.Get(web.LinkURL("http://"+addr, token)); err != nil || resp.StatusCode != http.StatusOK || resp.Request.URL.RawQuery != "" {
		t.Errorf("GET the shared link: %v %v", resp, err)
	}
	if resp, err := browser.Get("http://" + addr + "/plan/actions/23"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET /plan/actions/23 with the link's cookie: %v %v", resp, err)
	}

	cancel() // SIGINT
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve = %v after the signal, want nil (exit 0)\n%s", err, log)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := os.Stat(db + "-wal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the database was not closed cleanly: %s-wal is left (%v)", db, err)
	}
	if !strings.Contains(log.String(), "database closed") {
		t.Errorf("log:\n%s", log)
	}
	// The request's log line names the command and the user; no line
	// holds a secret, even at the debug level.
	if !regexp.MustCompile(`msg=command .*command=/action user=U0OTHER name=action.card outcome=ok`).MatchString(log.String()) {
		t.Errorf("no log line of the request with its command and user:\n%s", log)
	}
	for _, secret := range []string{secret, "xoxb-e2e"} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("the log holds a secret %q:\n%s", secret, log)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, call := range apiCalls {
		// The web pages ask users' names; a card asks nothing.
		if call != "/api/users.info" {
			t.Errorf("Slack API called for a card: %v", apiCalls)
			break
		}
	}
}

// shareLink makes a link in the database at path, as actionbot share does.
func shareLink(t *testing.T, path string) string {
	t.Helper()
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, token, err := s.CreateLink(context.Background(), "e2e", "cli", time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func TestServeConfigErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "plan.db")
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	tests := []struct {
		name, config string
		want         []string
	}{
		{"HTTP without signing secret", `
[slack]
bot_token = "xoxb-1"
[store]
path = "` + db + `"`, []string{"slack.signing_secret", "SLACK_SIGNING_SECRET"}},
		{"Socket Mode without bot token", `
[slack]
app_token = "xapp-1"
[store]
path = "` + db + `"`, []string{"slack.bot_token", "SLACK_BOT_TOKEN"}},
		{"listen address taken", `
[slack]
bot_token = "xoxb-1"
signing_secret = "s"
[http]
listen = "` + taken.Addr().String() + `"
[store]
path = "` + db + `"`, []string{"http.listen", taken.Addr().String()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := serveMain(t, tt.config)
			err := m.Run(context.Background(), []string{"serve"})
			if err == nil {
				t.Fatal("serve started")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %s", err, w)
				}
			}
		})
	}
	t.Run("extra argument", func(t *testing.T) {
		m, _ := serveMain(t, "")
		var usage *usageError
		if err := m.Run(context.Background(), []string{"serve", "now"}); !errors.As(err, &usage) {
			t.Errorf("err = %v, want a usage error", err)
		}
	})
}

// TestServeSocketModeRevokedToken checks that a revoked app token is
// reported and ends serve with an error (exit 1).
func TestServeSocketModeRevokedToken(t *testing.T) {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/auth.test" { // the bot token is fine
			io.WriteString(w, `{"ok":true,"team_id":"T0TEAM"}`)
			return
		}
		io.WriteString(w, `{"ok":false,"error":"token_revoked"}`)
	}))
	defer fake.Close()
	m, log := serveMain(t, `
[slack]
bot_token = "xoxb-e2e"
app_token = "xapp-1-revoked"
api_url = "`+fake.URL+`/api/"
[store]
path = "`+seededDB(t)+`"
`)
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background(), []string{"serve"}) }()
	select {
	case err := <-done:
		if !errors.Is(err, bot.ErrAppToken) {
			t.Errorf("serve = %v, want ErrAppToken", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve kept running with a revoked token")
	}
	if !strings.Contains(log.String(), "token_revoked") {
		t.Errorf("the log does not say why:\n%s", log)
	}
}

// TestServeChecksBotToken: in both modes, serve calls auth.test before
// anything else; a revoked bot token or one of another workspace ends it
// with an error (exit 1) naming the key and its environment variable, and
// a network failure is retried.
func TestServeChecksBotToken(t *testing.T) {
	tests := []struct {
		name, answer, mode string
		want               error
		words              []string
	}{
		{"revoked, HTTP", `{"ok":false,"error":"token_revoked"}`, "signing_secret = \"s\"", bot.ErrBotToken, []string{"slack.bot_token", "SLACK_BOT_TOKEN", "token_revoked"}},
		{"revoked, Socket Mode", `{"ok":false,"error":"invalid_auth"}`, "app_token = \"xapp-1\"", bot.ErrBotToken, []string{"slack.bot_token", "SLACK_BOT_TOKEN"}},
		{"another workspace", `{"ok":true,"team_id":"T0OTHER","team":"Elsewhere"}`, "signing_secret = \"s\"", bot.ErrWrongTeam, []string{"slack.team_id", "T0TEAM", "T0OTHER"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls []string
			var mu sync.Mutex
			fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				calls = append(calls, r.URL.Path)
				mu.Unlock()
				io.WriteString(w, tt.answer)
			}))
			defer fake.Close()
			m, log := serveMain(t, `
[slack]
bot_token = "xoxb-revoked"
team_id = "T0TEAM"
`+tt.mode+`
api_url = "`+fake.URL+`/api/"
[http]
listen = "127.0.0.1:0"
[store]
path = "`+seededDB(t)+`"
`)
			err := m.Run(context.Background(), []string{"serve"})
			if !errors.Is(err, tt.want) {
				t.Fatalf("serve = %v, want %v\n%s", err, tt.want, log)
			}
			for _, w := range tt.words {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %s", err, w)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if len(calls) != 1 || calls[0] != "/api/auth.test" {
				t.Errorf("Slack calls = %v, want auth.test alone", calls)
			}
			if strings.Contains(log.String(), "listening for Slack") {
				t.Errorf("serve listened before checking the token:\n%s", log)
			}
		})
	}
	t.Run("network failure is retried", func(t *testing.T) {
		var n int
		var mu sync.Mutex
		fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			n++
			first := n == 1
			mu.Unlock()
			if first && r.URL.Path == "/api/auth.test" {
				// The connection drops without an answer.
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
				return
			}
			io.WriteString(w, `{"ok":true,"team_id":"T0TEAM"}`)
		}))
		defer fake.Close()
		m, log := serveMain(t, digestConfig(fake.URL, seededDB(t), "0 9 * * MON"))
		stop := runServe(t, m, log)
		stop()
		if !strings.Contains(log.String(), "retrying") || !strings.Contains(log.String(), "bot token accepted") {
			t.Errorf("the failure is not retried and logged:\n%s", log)
		}
	})
}

// TestServeManifest checks that the app manifest declares what serve
// handles, and asks for no more scopes than it needs.
func TestServeManifest(t *testing.T) {
	data, err := os.ReadFile("slack-app-manifest.yml")
	if err != nil {
		t.Fatal(err)
	}
	m := string(data)
	for _, want := range []string{
		"- command: /action", "- command: /copil", "home_tab_enabled: true", "- app_home_opened", "- link_shared",
		"unfurl_domains:\n    - actionbot.example.org",
		"interactivity:\n    is_enabled: true", "socket_mode_enabled: true",
		"# url: https://actionbot.example.org/slack/commands",
		"# request_url: https://actionbot.example.org/slack/events",
		"# request_url: https://actionbot.example.org/slack/interactions",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("manifest lacks %q", want)
		}
	}
	if n := strings.Count(m, "should_escape: true"); n != 2 {
		t.Errorf("should_escape: true %d times, want once per command", n)
	}
	scopes := regexp.MustCompile(`(?s)bot:\n((?:      - \S+\n)+)`).FindStringSubmatch(m)
	if scopes == nil {
		t.Fatal("no bot scopes")
	}
	got := strings.Fields(strings.ReplaceAll(scopes[1], "-", ""))
	want := []string{"commands", "chat:write", "chat:write.public", "im:write", "users:read", "files:write", "links:read", "links:write",
		"canvases:write", "channels:read", "groups:read"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("bot scopes = %v, want %v", got, want)
	}
}

// postRecorder is a fake Slack Web API that records chat.postMessage.
type postRecorder struct {
	*httptest.Server
	mu    sync.Mutex
	posts []url.Values
	// late holds the bodies posted to a response_url (path /response…):
	// an answer that missed the 3-second ack goes there instead.
	late []string
}

func newPostRecorder(t *testing.T) *postRecorder {
	t.Helper()
	p := &postRecorder{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/response") {
			body, _ := io.ReadAll(r.Body)
			p.mu.Lock()
			p.late = append(p.late, string(body))
			p.mu.Unlock()
			io.WriteString(w, "ok")
			return
		}
		r.ParseForm()
		if strings.HasSuffix(r.URL.Path, "/chat.postMessage") {
			p.mu.Lock()
			p.posts = append(p.posts, r.Form)
			n := len(p.posts)
			p.mu.Unlock()
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1700000000.%06d"}`, r.Form.Get("channel"), n)
			return
		}
		if strings.HasSuffix(r.URL.Path, "/users.info") {
			fmt.Fprintf(w, `{"ok":true,"user":{"id":%q,"name":"x","profile":{"display_name":"Nom de %s"}}}`, r.Form.Get("user"), r.Form.Get("user"))
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *postRecorder) to(channel string) []url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []url.Values
	for _, f := range p.posts {
		if f.Get("channel") == channel {
			out = append(out, f)
		}
	}
	return out
}

// waitFor polls cond on the real clock: serve runs real goroutines and a
// real HTTP server, so this end-to-end test can only watch from outside.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runServe starts serve and returns a function that stops it (as a signal
// would) and checks it exited cleanly.
func runServe(t *testing.T, m *Main, log *watchedLog) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve"}) }()
	select {
	case <-log.addr:
	case err := <-done:
		cancel()
		t.Fatalf("serve returned %v before listening:\n%s", err, log)
	case <-time.After(15 * time.Second):
		cancel()
		t.Fatalf("serve is not listening:\n%s", log)
	}
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve = %v, want nil\n%s", err, log)
		}
	}
}

func digestConfig(fake, db, spec string) string {
	return `
[slack]
bot_token = "xoxb-e2e"
signing_secret = "s"
api_url = "` + fake + `/api/"
[http]
listen = "127.0.0.1:0"
[store]
path = "` + db + `"
[nudges]
enabled = false
[[groups]]
key = "prospection"
name = "Prospection"
channel = "C0PROSPECTION"
digest = "` + spec + `"
`
}

// TestServePostsDigests: with a group whose digest is @every 1s, serve
// posts it to the group's channel within seconds, each delivery once.
func TestServePostsDigests(t *testing.T) {
	fake := newPostRecorder(t)
	db := seededDB(t)
	m, log := serveMain(t, digestConfig(fake.URL, db, "@every 1s"))
	m.Now = time.Now // the scheduler's slots follow the real clock here
	stop := runServe(t, m, log)
	waitFor(t, "two digests in C0PROSPECTION", func() bool { return len(fake.to("C0PROSPECTION")) >= 2 })
	stop()
	posts := fake.to("C0PROSPECTION")
	if !strings.Contains(posts[0].Get("text"), "Point hebdomadaire · Prospection") || !strings.Contains(posts[0].Get("blocks"), `"type":"header"`) {
		t.Errorf("first digest: %v", posts[0])
	}
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ds, _ := s.Deliveries(context.Background(), 1000)
	sent := 0
	for _, d := range ds {
		if d.State == store.DeliverySent {
			sent++
		}
	}
	if sent != len(posts) {
		t.Errorf("%d posts for %d sent deliveries: a delivery was posted twice or lost", len(posts), sent)
	}
}

// TestServeRestartDoesNotRepeat: a slot missed while the bot was down is
// caught up at start and posted; a restart does not post it again.
func TestServeRestartDoesNotRepeat(t *testing.T) {
	fake := newPostRecorder(t)
	db := seededDB(t)
	loc, _ := time.LoadLocation("Europe/Paris")
	slot := time.Now().In(loc).Add(-2 * time.Minute)
	spec := fmt.Sprintf("%d %d * * *", slot.Minute(), slot.Hour()) // daily, two minutes ago
	for run := 1; run <= 2; run++ {
		m, log := serveMain(t, digestConfig(fake.URL, db, spec))
		m.Now = time.Now
		stop := runServe(t, m, log)
		waitFor(t, "the caught-up digest", func() bool { return len(fake.to("C0PROSPECTION")) >= 1 })
		// Each run catches the slot up at start; stop waits for the
		// scheduler's catch-up, so a second delivery for the slot, posted
		// or not yet, would be in the outbox by then.
		waitFor(t, "the catch-up", func() bool { return strings.Contains(log.String(), "catching up a missed slot") })
		stop()
		if n := len(fake.to("C0PROSPECTION")); n != 1 {
			t.Fatalf("run %d: %d digests posted for one slot\n%s", run, n, log)
		}
		if n := deliveriesTo(t, db, "C0PROSPECTION"); n != 1 {
			t.Fatalf("run %d: %d deliveries queued for one slot\n%s", run, n, log)
		}
		if run == 1 {
			// Catching up comes after the listener is up, so that /healthz
			// answers at once however much is due.
			l := log.String()
			listen, catch := strings.Index(l, "listening for Slack"), strings.Index(l, "catching up a missed slot")
			if catch < 0 || listen < 0 || catch < listen {
				t.Errorf("want the catch-up logged after the listener is up:\n%s", l)
			}
		}
	}
}

// deliveriesTo counts the outbox deliveries to channel in the database at
// path, with serve stopped.
func deliveriesTo(t *testing.T, path, channel string) int {
	t.Helper()
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ds, err := s.Deliveries(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range ds {
		if d.Channel == channel {
			n++
		}
	}
	return n
}

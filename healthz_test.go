package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/store"
)

// heldSlack is a fake Slack Web API that accepts the bot token at once
// (auth.test) and holds every other call until released: the test, not a
// clock, decides that the catch-up of posts is still under way.
type heldSlack struct {
	*httptest.Server
	first    chan string // the method of the first call held
	release  chan struct{}
	once     sync.Once
	mu       sync.Mutex
	held     int
	released bool
}

func newHeldSlack(t *testing.T) *heldSlack {
	t.Helper()
	h := &heldSlack{first: make(chan string, 1), release: make(chan struct{})}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		if method == "auth.test" {
			io.WriteString(w, `{"ok":true,"team_id":"T0TOURS","user_id":"U0BOT"}`)
			return
		}
		h.mu.Lock()
		h.held++
		h.mu.Unlock()
		h.once.Do(func() { h.first <- method })
		select {
		case <-h.release:
		case <-r.Context().Done():
			return
		}
		io.WriteString(w, `{"ok":true,"channel":"C0","ts":"1700000000.000001"}`)
	}))
	t.Cleanup(func() {
		h.open()
		h.Close()
	})
	return h
}

// open lets the held calls go.
func (h *heldSlack) open() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.released {
		h.released = true
		close(h.release)
	}
}

// TestHealthzBeforeCatchUp starts serve with hundreds of posts due — 300
// deliveries left in the outbox and 40 groups whose digest slot of this
// morning was missed — and a Slack API that holds every post: /healthz
// answers 200 while the first post is held and nearly all of them are
// still pending, so catching up waits for nothing and delays nothing.
func TestHealthzBeforeCatchUp(t *testing.T) {
	const pending, groups = 300, 40
	slack := newHeldSlack(t)
	db := seededDB(t)
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for i := range pending {
		d := store.Delivery{Key: fmt.Sprintf("digest:g%03d:2026-11-26T08:00:00", i), Kind: "digest",
			Channel: fmt.Sprintf("C0G%03d", i%groups), Text: "x", NextTry: testNow().Add(-time.Hour)}
		if _, err := s.Enqueue(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	var config strings.Builder
	fmt.Fprintf(&config, "[slack]\nbot_token = \"xoxb-e2e\"\nsigning_secret = \"s\"\napi_url = %q\n[http]\nlisten = \"127.0.0.1:0\"\n[store]\npath = %q\n[nudges]\nenabled = false\n",
		slack.URL+"/api/", db)
	for i := range groups {
		// Daily at 09:00; the fixed clock says 10:00: this morning's
		// digest is caught up at start.
		fmt.Fprintf(&config, "[[groups]]\nkey = \"g%03d\"\nname = \"Groupe %d\"\nchannel = \"C0G%03d\"\ndigest = \"0 9 * * *\"\n", i, i, i)
	}
	m, log := serveMain(t, config.String())
	stop := runServe(t, m, log)
	defer stop()
	defer slack.open()
	addr := listening.FindStringSubmatch(log.String())[1]

	select {
	case method := <-slack.first:
		t.Logf("Slack holds the first call of the catch-up: %s", method)
	case <-time.After(30 * time.Second): // a bound on failure, not a pass condition
		t.Fatalf("no post reached Slack:\n%s", log)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("/healthz while the catch-up is held: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "database: ok") {
		t.Errorf("/healthz = %d %q, want 200 with the database ok", resp.StatusCode, body)
	}
	left, err := s.PendingDeliveries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if left < pending-1 {
		t.Errorf("%d posts pending when /healthz answered, want at least %d: the catch-up was not held", left, pending-1)
	}
}

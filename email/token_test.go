package email_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
	"github.com/tours-metropole/actionbot/web"
)

// tokenish is what a link token can hide in: a run of base64url letters.
var tokenish = regexp.MustCompile(`[A-Za-z0-9_-]{20,}`)

// usableTokens returns the strings in text that CheckLink accepts, or
// that name a link that has expired or was revoked: any token the store
// knows. Runs longer than a token are tried at every offset.
func usableTokens(t *testing.T, s *store.Store, text string, now time.Time) []string {
	t.Helper()
	const size = 43 // 32 random bytes, base64url without padding
	var found []string
	for _, run := range tokenish.FindAllString(text, -1) {
		cands := []string{run}
		for i := 0; i+size <= len(run) && len(run) > size; i++ {
			cands = append(cands, run[i:i+size])
		}
		for _, c := range cands {
			if _, err := s.CheckLink(context.Background(), c, now); !errors.Is(err, store.ErrNotFound) {
				found = append(found, c)
			}
		}
	}
	return found
}

// noTokenInOutbox fails t if any delivery's text or HTML holds a token the
// store knows.
func noTokenInOutbox(t *testing.T, s *store.Store, now time.Time, when string) {
	t.Helper()
	ds, err := s.Deliveries(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) == 0 {
		t.Fatalf("%s: the outbox is empty", when)
	}
	for _, d := range ds {
		if got := usableTokens(t, s, d.Text+"\n"+d.HTML, now); len(got) > 0 {
			t.Errorf("%s: delivery %s (%s) holds %d usable tokens in clear", when, d.Key, d.State, len(got))
		}
	}
}

// TestNoTokenInOutbox queues a guest's reminder, sends it after a 4xx and
// resends it after a 5xx: the outbox never holds a token the store knows,
// neither queued nor sent; each attempt makes its own link; the message
// received carries a link the web guard lets in, and a resend a fresh one.
func TestNoTokenInOutbox(t *testing.T) {
	ss := newSMTPServer(t)
	f := newFixture(t, ss)
	ctx := context.Background()
	now := storetest.Now
	clock := func() time.Time { return now }
	f.s.Now = clock

	// The scan finds a token where there is one.
	_, tok, err := f.s.CreateLink(ctx, "scan", "test", now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got := usableTokens(t, f.s, "<a href=\""+web.LinkURL(base, tok)+"\">x</a> ab"+tok+"cd", now); len(got) != 2 {
		t.Fatalf("the scan found %d of 2 tokens", len(got))
	}
	links := func() int {
		ls, _ := f.s.Links(ctx)
		return len(ls) - 1 // the scan's
	}

	d, _ := f.reminder(t)
	if _, err := f.s.Enqueue(ctx, d); err != nil {
		t.Fatal(err)
	}
	if n := links(); n != 0 {
		t.Errorf("%d links made at queuing; want none before the e-mail is sent", n)
	}
	noTokenInOutbox(t, f.s, now, "queued")

	snd := bot.NewSender(bot.SenderOptions{Outbox: f.s, Slack: noSlack{}, Mail: f.mailer, Now: clock, ChannelGap: time.Millisecond, Logger: quiet})
	ss.mu.Lock()
	ss.fail = []int{451}
	ss.mu.Unlock()
	if err := snd.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := f.s.DeliveryByKey(ctx, d.Key)
	if got.State != store.DeliveryPending {
		t.Fatalf("after a 451: %s", got.State)
	}
	noTokenInOutbox(t, f.s, now, "after a 451")
	now = got.NextTry
	if err := snd.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ = f.s.DeliveryByKey(ctx, d.Key); got.State != store.DeliverySent || len(ss.messages()) != 1 {
		t.Fatalf("after the retry: %s, %d received", got.State, len(ss.messages()))
	}
	if n := links(); n != 2 {
		t.Errorf("%d links made for 2 attempts", n)
	}
	noTokenInOutbox(t, f.s, now, "sent")

	// The message received opens the plan.
	srv := guard(t, f, clock)
	first := receivedToken(t, f, ss.messages()[0], now)
	res, err := client.Get(web.LinkURL(srv.URL, first))
	if err != nil || res.StatusCode != http.StatusSeeOther || len(res.Cookies()) == 0 {
		t.Fatalf("the e-mailed link: %v, %v; want 303 and a cookie", res, err)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+res.Header.Get("Location"), nil)
	for _, c := range res.Cookies() {
		req.AddCookie(c)
	}
	if res, err := client.Do(req); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("the plan with the link's cookie: %v, %v", res, err)
	}

	// A 5xx, then actionbot deliveries --resend: a fresh link.
	d5 := d
	d5.Key = "resent"
	f.s.Enqueue(ctx, d5)
	ss.mu.Lock()
	ss.fail = []int{550}
	ss.mu.Unlock()
	snd.Flush(ctx)
	if got, _ := f.s.DeliveryByKey(ctx, d5.Key); got.State != store.DeliveryFailed {
		t.Fatalf("after a 550: %s", got.State)
	}
	if _, err := f.s.Resend(ctx, d5.Key); err != nil {
		t.Fatal(err)
	}
	snd.Flush(ctx)
	if got, _ := f.s.DeliveryByKey(ctx, d5.Key); got.State != store.DeliverySent || len(ss.messages()) != 2 {
		t.Fatalf("resent: %s, %d received", got.State, len(ss.messages()))
	}
	if again := receivedToken(t, f, ss.messages()[1], now); again == first {
		t.Error("the resend carries the link of the first message")
	}
	noTokenInOutbox(t, f.s, now, "resent")

	// Past the link's end, nothing is sent and the delivery fails for good.
	dl := d
	dl.Key = "late"
	f.s.Enqueue(ctx, dl)
	now = d.LinkUntil.Add(time.Minute)
	snd.Flush(ctx)
	if got, _ := f.s.DeliveryByKey(ctx, dl.Key); got.State != store.DeliveryFailed || got.Attempts != 1 || !strings.Contains(got.LastError, "link") || len(ss.messages()) != 2 {
		t.Errorf("after the link's end: %s, %d attempts, %q, %d received", got.State, got.Attempts, got.LastError, len(ss.messages()))
	}
}

// guard is the web server of f's plan, the guard in front of the pages.
func guard(t *testing.T, f *fixture, now func() time.Time) *httptest.Server {
	t.Helper()
	w, err := web.New(web.Options{Plan: f.s, Words: f.h, Optouts: f.s, Now: now, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w)
	t.Cleanup(srv.Close)
	return srv
}

// receivedToken returns the token of the link in r's text and HTML parts,
// the same in both, that CheckLink accepts at now.
func receivedToken(t *testing.T, f *fixture, r received, now time.Time) string {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(r.data))
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	var text, html string
	for _, p := range leaves(t, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, &types) {
		switch p.typ {
		case "text/plain":
			text = string(p.content)
		case "text/html":
			html = string(p.content)
		}
	}
	link := web.LinkURL(base, "")
	i := strings.Index(text, link)
	if i < 0 {
		t.Fatalf("no link to the plan in:\n%s", text)
	}
	token := strings.Fields(text[i+len(link):])[0]
	if _, err := f.s.CheckLink(context.Background(), token, now); err != nil {
		t.Fatalf("the e-mailed token: %v", err)
	}
	if !strings.Contains(html, `href="`+link+token+`"`) {
		t.Error("the HTML part does not carry the text's link")
	}
	return token
}

var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

package email_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/email"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
	"github.com/tours-metropole/actionbot/web"
)

// smtpServer is a real SMTP server in the test process that keeps what it
// is given, and answers the next messages with the codes in fail.
type smtpServer struct {
	addr string
	mu   sync.Mutex
	got  []received
	fail []int // SMTP codes to answer DATA with, one per message
}

type received struct {
	from string
	to   []string
	data []byte
}

func newSMTPServer(t *testing.T) *smtpServer {
	t.Helper()
	ss := &smtpServer{}
	srv := smtp.NewServer(ss)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ss.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ss
}

func (ss *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{ss: ss}, nil }

func (ss *smtpServer) messages() []received {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return append([]received(nil), ss.got...)
}

type session struct {
	ss *smtpServer
	r  received
}

func (s *session) Reset()        { s.r = received{} }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.r.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.r.to = append(s.r.to, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.ss.mu.Lock()
	defer s.ss.mu.Unlock()
	if len(s.ss.fail) > 0 {
		code := s.ss.fail[0]
		s.ss.fail = s.ss.fail[1:]
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: "refused by the test"}
	}
	s.r.data = b
	s.ss.got = append(s.ss.got, s.r)
	return nil
}

const base = "https://actionbot.example.org"

var guest = email.Guest{Name: "Claire Martin", Email: "claire.martin@medef-touraine.example", Organisation: "MEDEF Touraine"}

// fixture is the demo plan, its handler, a mailer to ss and a writer.
type fixture struct {
	s      *store.Store
	h      *commands.Handler
	mailer *email.Mailer
	writer *email.Writer
}

func newFixture(t *testing.T, ss *smtpServer) *fixture {
	t.Helper()
	return newFixtureIn(t, ss, "fr")
}

// newFixtureIn is newFixture with the bot set to language lang.
func newFixtureIn(t *testing.T, ss *smtpServer, lang string) *fixture {
	t.Helper()
	s := storetest.Demo(t)
	h, err := commands.New(s, commands.Options{Language: lang, Location: storetest.Paris})
	if err != nil {
		t.Fatal(err)
	}
	m, err := email.NewMailer(email.Config{URL: "smtp://" + ss.addr, From: "Plan attractivité <actionbot@tours-metropole.example>", BaseURL: base}, s)
	if err != nil {
		t.Fatal(err)
	}
	w := &email.Writer{Store: s, BaseURL: base, Words: h,
		Names: func(_ context.Context, id string) (string, error) {
			if id == store.DemoPaul {
				return "Paul Martin", nil
			}
			return "", errors.New("unknown")
		}}
	return &fixture{s: s, h: h, mailer: m, writer: w}
}

// reminder composes the guest's reminder of the next meeting.
func (f *fixture) reminder(t *testing.T) (store.Delivery, commands.Chart) {
	t.Helper()
	ctx := context.Background()
	m, err := f.s.NextMeeting(ctx, storetest.Now)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := f.h.Reminder(ctx, m, storetest.Now, true)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := f.h.Chart(ctx, storetest.Now)
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.writer.Reminder(ctx, guest, m, msg, ch, storetest.Now)
	if err != nil {
		t.Fatal(err)
	}
	d.Key = "reminder:1:168h0m0s:mailto:" + guest.Email
	return d, ch
}

// part is one leaf of a MIME tree.
type part struct {
	typ     string
	header  map[string]string
	content []byte
}

// leaves walks a MIME entity, returning its leaves and the multipart
// types met on the way.
func leaves(t *testing.T, contentType string, transferEnc string, body io.Reader, types *[]string) []part {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatalf("Content-Type %q: %v", contentType, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		*types = append(*types, mt)
		var out []part
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			sub := leaves(t, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, types)
			for i := range sub {
				if sub[i].header == nil {
					sub[i].header = map[string]string{"Content-Id": p.Header.Get("Content-Id"), "Content-Disposition": p.Header.Get("Content-Disposition")}
				}
			}
			out = append(out, sub...)
		}
		return out
	}
	b, _ := io.ReadAll(decoder(transferEnc, body))
	return []part{{typ: mt, content: b}}
}

func TestReminderMIME(t *testing.T) {
	ss := newSMTPServer(t)
	f := newFixture(t, ss)
	d, ch := f.reminder(t)
	id, err := f.mailer.Send(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	got := ss.messages()
	if len(got) != 1 || got[0].from != "actionbot@tours-metropole.example" || len(got[0].to) != 1 || got[0].to[0] != guest.Email {
		t.Fatalf("received %+v", got)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(got[0].data))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if !strings.HasPrefix(subject, "Rappel : COPIL du plan attractivité, ") {
		t.Errorf("Subject = %q", subject)
	}
	if from, _ := mail.ParseAddress(h.Get("From")); from == nil || from.Name != "Plan attractivité" {
		t.Errorf("From = %q", h.Get("From"))
	}
	if h.Get("Message-Id") != "<"+id+">" || !strings.HasSuffix(id, "@tours-metropole.example") {
		t.Errorf("Message-ID = %q; Send said %q", h.Get("Message-Id"), id)
	}
	key, _ := f.s.MailSecret(context.Background())
	unsub := web.UnsubscribeURL(base, key, guest.Email)
	if h.Get("List-Unsubscribe") != "<"+unsub+">" || h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe = %q, %q", h.Get("List-Unsubscribe"), h.Get("List-Unsubscribe-Post"))
	}
	var types []string
	parts := leaves(t, h.Get("Content-Type"), h.Get("Content-Transfer-Encoding"), msg.Body, &types)
	byType := map[string]part{}
	for _, p := range parts {
		byType[p.typ] = p
	}
	if len(parts) != 3 || !contains(types, "multipart/alternative") || !contains(types, "multipart/related") {
		t.Fatalf("MIME: %d leaves %v in %v", len(parts), keys(byType), types)
	}
	text, html, img := string(byType["text/plain"].content), string(byType["text/html"].content), byType["image/png"]
	link := web.LinkURL(base, "")
	for name, body := range map[string]string{"text": text, "html": html} {
		for _, want := range []string{"Claire Martin", "Paul Martin", strings.TrimSuffix(link, "=")} {
			if !strings.Contains(body, want) {
				t.Errorf("the %s part lacks %q", name, want)
			}
		}
		if strings.Contains(body, "<@U") || strings.Contains(body, "U02PAUL") {
			t.Errorf("the %s part shows a Slack ID", name)
		}
	}
	if !strings.Contains(text, unsub) || !strings.Contains(html, strings.ReplaceAll(unsub, "&", "&amp;")) {
		t.Error("the message has no unsubscribe link in its body")
	}
	if !strings.Contains(html, `src="cid:`+email.ContentID+`"`) || img.header["Content-Id"] != "<"+email.ContentID+">" || !bytes.Equal(img.content, ch.PNG) {
		t.Errorf("the chart is not inline: Content-ID %q, %d bytes (want %d)", img.header["Content-Id"], len(img.content), len(ch.PNG))
	}
	// The guest's link opens the plan until a week after the meeting.
	i := strings.Index(text, link)
	token := strings.Fields(text[i+len(link):])[0]
	m, _ := f.s.NextMeeting(context.Background(), storetest.Now)
	for _, tt := range []struct {
		at   time.Time
		want error
	}{{storetest.Now, nil}, {m.At.Add(email.LinkValidAfter - time.Minute), nil}, {m.At.Add(email.LinkValidAfter), store.ErrLinkExpired}} {
		if _, err := f.s.CheckLink(context.Background(), token, tt.at); !errors.Is(err, tt.want) {
			t.Errorf("the guest's link at %s: %v; want %v", tt.at, err, tt.want)
		}
	}
}

func TestSMTPErrors(t *testing.T) {
	ss := newSMTPServer(t)
	f := newFixture(t, ss)
	d, _ := f.reminder(t)
	for _, tt := range []struct {
		code      int
		permanent bool
	}{{451, false}, {421, false}, {550, true}, {554, true}} {
		ss.mu.Lock()
		ss.fail = []int{tt.code}
		ss.mu.Unlock()
		_, err := f.mailer.Send(context.Background(), d)
		var e *email.Error
		if !errors.As(err, &e) || e.Permanent() != tt.permanent {
			t.Errorf("SMTP %d: %v; want permanent %v", tt.code, err, tt.permanent)
		}
	}
	// Nothing listens: temporary.
	m, _ := email.NewMailer(email.Config{URL: "smtp://127.0.0.1:1", From: "a@b.example", BaseURL: base}, f.s)
	if _, err := m.Send(context.Background(), d); err == nil {
		t.Error("sent with no server")
	} else if e := (*email.Error)(nil); errors.As(err, &e) && e.Permanent() {
		t.Errorf("a refused connection is permanent: %v", err)
	}
}

// TestExactlyOnce sends through the outbox and the bot's sender: a 4xx
// is retried later and the message arrives once; a 5xx fails at once; an
// address that unsubscribed gets nothing; a delivery interrupted
// mid-send is left unknown and not sent again.
func TestExactlyOnce(t *testing.T) {
	ss := newSMTPServer(t)
	f := newFixture(t, ss)
	ctx := context.Background()
	now := storetest.Now
	clock := func() time.Time { return now }
	f.s.Now = clock
	snd := bot.NewSender(bot.SenderOptions{Outbox: f.s, Slack: noSlack{}, Mail: f.mailer, Now: clock, ChannelGap: time.Millisecond, Logger: quiet})
	d, _ := f.reminder(t)
	for range 2 {
		if _, err := f.s.Enqueue(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	ss.mu.Lock()
	ss.fail = []int{451}
	ss.mu.Unlock()
	if err := snd.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := f.s.DeliveryByKey(ctx, d.Key)
	if got.State != store.DeliveryPending || got.Attempts != 1 || !got.NextTry.After(now) || len(ss.messages()) != 0 {
		t.Fatalf("after a 451: %s, %d attempts, next %s, %d received", got.State, got.Attempts, got.NextTry, len(ss.messages()))
	}
	now = got.NextTry
	for range 2 {
		if err := snd.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ = f.s.DeliveryByKey(ctx, d.Key); got.State != store.DeliverySent || len(ss.messages()) != 1 {
		t.Fatalf("after the retry: %s, %d received", got.State, len(ss.messages()))
	}

	// 5xx: failed at once.
	d5 := d
	d5.Key, d5.Channel = "five", store.MailPrefix+"nobody@medef-touraine.example"
	f.s.Enqueue(ctx, d5)
	ss.mu.Lock()
	ss.fail = []int{550}
	ss.mu.Unlock()
	snd.Flush(ctx)
	if got, _ := f.s.DeliveryByKey(ctx, "five"); got.State != store.DeliveryFailed || got.Attempts != 1 {
		t.Errorf("after a 550: %s, %d attempts", got.State, got.Attempts)
	}

	// Unsubscribed: nothing is sent.
	if err := f.s.Unsubscribe(ctx, guest.Email); err != nil {
		t.Fatal(err)
	}
	du := d
	du.Key = "after-unsubscribe"
	f.s.Enqueue(ctx, du)
	snd.Flush(ctx)
	if got, _ := f.s.DeliveryByKey(ctx, du.Key); got.State != store.DeliveryFailed || !strings.Contains(got.LastError, "unsubscribed") || len(ss.messages()) != 1 {
		t.Errorf("to an unsubscribed address: %s %q, %d received", got.State, got.LastError, len(ss.messages()))
	}

	// A crash mid-send: left "sending"; once the send's lease has run out,
	// it is held as unknown.
	dc := d
	dc.Key, dc.Channel = "crash", store.MailPrefix+"other@cci-touraine.example"
	f.s.Enqueue(ctx, dc)
	got, _ = f.s.DeliveryByKey(ctx, "crash")
	if err := f.s.MarkSending(ctx, got.ID, f.s.Now()); err != nil {
		t.Fatal(err)
	}
	if held, err := f.s.RecoverInterrupted(ctx); err != nil || len(held) != 1 || held[0].Key != "crash" {
		t.Fatalf("RecoverInterrupted = %v, %v", held, err)
	}
	snd.Flush(ctx)
	if got, _ := f.s.DeliveryByKey(ctx, "crash"); got.State != store.DeliveryUnknown || len(ss.messages()) != 1 {
		t.Errorf("interrupted: %s, %d received", got.State, len(ss.messages()))
	}
}

var quiet = slog.New(slog.DiscardHandler)

// TestGuestsGetTheReminder runs the scheduled COPIL reminders with guests
// and no Slack channel: each guest's e-mail is enqueued once, however many
// times the check runs, and a second guest gets one of their own.
func TestGuestsGetTheReminder(t *testing.T) {
	ss := newSMTPServer(t)
	f := newFixture(t, ss)
	ctx := context.Background()
	m, err := f.s.NextMeeting(ctx, storetest.Now)
	if err != nil {
		t.Fatal(err)
	}
	other := email.Guest{Name: "Jean Dupont", Email: "jean.dupont@cci-touraine.example", Organisation: "CCI Touraine"}
	var guests []bot.Guest
	for _, g := range []email.Guest{guest, other} {
		guests = append(guests, bot.Guest{Name: g.Name, Email: g.Email, Organisation: g.Organisation})
	}
	posts := bot.NewPosts(f.h, f.s, bot.PostsConfig{
		Reminders: []time.Duration{7 * 24 * time.Hour}, Location: storetest.Paris, Guests: guests,
		MailReminder: func(ctx context.Context, g bot.Guest, m store.Meeting, msg commands.Message, ch commands.Chart, now time.Time) (store.Delivery, error) {
			return f.writer.Reminder(ctx, email.Guest{Name: g.Name, Email: g.Email, Organisation: g.Organisation}, m, msg, ch, now)
		},
	}, quiet, nil)
	if len(posts.Jobs()) == 0 {
		t.Fatal("guests alone schedule no reminder")
	}
	at := m.At.Add(-7 * 24 * time.Hour).Add(time.Minute)
	for range 3 {
		if err := posts.Reminders(ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := f.s.Deliveries(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	to := map[string]int{}
	for _, d := range ds {
		to[d.Channel]++
	}
	if len(ds) != 2 || to[store.MailPrefix+guest.Email] != 1 || to[store.MailPrefix+other.Email] != 1 {
		t.Errorf("deliveries: %v", to)
	}
	if links, _ := f.s.Links(ctx); len(links) != 0 {
		t.Errorf("%d links made before sending", len(links))
	}
	noTokenInOutbox(t, f.s, storetest.Now, "queued")
}

// noSlack fails the test's Slack calls: only e-mail goes out here.
type noSlack struct{ bot.Poster }

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func keys(m map[string]part) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestGroupDigestByEmail: a group's members outside Slack get its weekly
// digest once per slot, with a link to the group's page.
func TestGroupDigestByEmail(t *testing.T) {
	ss := newSMTPServer(t)
	f := newFixture(t, ss)
	ctx := context.Background()
	g, err := f.s.GroupByKey(ctx, "prospection")
	if err != nil {
		t.Fatal(err)
	}
	addrs := []string{"contact@uep37.example", "direction@cci-touraine.example"}
	posts := bot.NewPosts(f.h, f.s, bot.PostsConfig{
		Groups: []store.Group{g}, Location: storetest.Paris,
		GroupEmails: map[string][]string{g.Key: addrs}, MailDigest: f.writer.Digest,
	}, quiet, nil)
	digests := 0
	for _, j := range posts.Jobs() {
		if strings.HasPrefix(j.Name, "digest ") {
			digests++
		}
	}
	if digests != 1 {
		t.Fatalf("digest jobs = %d: a group with e-mails and no channel has no digest", digests)
	}
	slot := bot.Slot{At: storetest.Now, SendAt: storetest.Now}
	for range 2 {
		if err := posts.Digest(ctx, g, slot); err != nil {
			t.Fatal(err)
		}
	}
	ds, _ := f.s.Deliveries(ctx, 100)
	if len(ds) != 2 {
		t.Fatalf("%d deliveries for 2 addresses", len(ds))
	}
	snd := bot.NewSender(bot.SenderOptions{Outbox: f.s, Slack: noSlack{}, Mail: f.mailer, Now: func() time.Time { return storetest.Now }, ChannelGap: time.Millisecond, Logger: quiet})
	if err := snd.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got := ss.messages()
	if len(got) != 2 {
		t.Fatalf("%d messages received", len(got))
	}
	for _, r := range got {
		msg, _ := mail.ReadMessage(bytes.NewReader(r.data))
		var types []string
		parts := leaves(t, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, &types)
		var text string
		for _, p := range parts {
			if p.typ == "text/plain" {
				text = string(p.content)
			}
		}
		if !strings.Contains(text, base+"/plan/groupes/prospection?t=") || !strings.Contains(text, "Prospection") {
			t.Errorf("the digest to %v lacks the group's link:\n%s", r.to, text)
		}
	}
}

// TestOrganisationNudge: an organisation that carries an address in the
// plan gets the weekly nudge of its late actions by e-mail, once, and its
// address shows nowhere in Slack.
func TestOrganisationNudge(t *testing.T) {
	ss := newSMTPServer(t)
	f := newFixture(t, ss)
	ctx := context.Background()
	const cci = "CCI Touraine <contact@cci-touraine.example>"
	page, err := f.s.Actions(ctx, store.Filter{DueBefore: store.DateOf(storetest.Now, storetest.Paris), Order: store.ByDue})
	if err != nil || len(page.Actions) < 2 {
		t.Fatalf("overdue actions: %d, %v", len(page.Actions), err)
	}
	a, b := page.Actions[0], page.Actions[1]
	if _, err := f.s.SetPilote(ctx, a.Number, store.Person{Name: cci}, store.DemoMarie); err != nil {
		t.Fatal(err)
	}
	// As Slack sends it when typed: the address made a mailto link.
	if _, err := f.s.SetContributors(ctx, b.Number, []store.Person{{Name: "CCI Touraine <<mailto:contact@cci-touraine.example|contact@cci-touraine.example>>"}}, store.DemoMarie); err != nil {
		t.Fatal(err)
	}
	posts := bot.NewPosts(f.h, f.s, bot.PostsConfig{Location: storetest.Paris, NudgeSpec: "30 9 * * MON", MailNudge: f.writer.Nudge}, quiet, nil)
	slot := bot.Slot{At: storetest.Now, SendAt: storetest.Now}
	for range 2 {
		if err := posts.Nudge(ctx, slot); err != nil {
			t.Fatal(err)
		}
	}
	var mails []store.Delivery
	ds, _ := f.s.Deliveries(ctx, 100)
	for _, d := range ds {
		if strings.HasPrefix(d.Channel, store.MailPrefix) {
			mails = append(mails, d)
		}
	}
	if len(mails) != 1 || mails[0].Channel != store.MailPrefix+"contact@cci-touraine.example" {
		t.Fatalf("e-mail nudges: %+v", mails)
	}
	d, _ := f.s.DeliveryByKey(ctx, mails[0].Key)
	for _, n := range []int{a.Number, b.Number} {
		if !strings.Contains(d.Text, fmt.Sprintf("%d ", n)) {
			t.Errorf("the nudge lacks action %d:\n%s", n, d.Text)
		}
	}
	if _, err := f.mailer.Send(ctx, d); err != nil || len(ss.messages()) != 1 {
		t.Fatalf("Send: %v", err)
	}
	card := f.h.Handle(ctx, commands.Request{UserID: store.DemoPaul, Command: "/action", Text: fmt.Sprint(a.Number), Now: storetest.Now})
	if !strings.Contains(card.Text, "CCI Touraine") || strings.Contains(card.Text, "cci-touraine.example") {
		t.Errorf("the card shows the address:\n%s", card.Text)
	}
}

// TestLongDigestByEmail: a digest too long for one Slack message goes on
// in replies in its thread; its e-mail carries every part, not the first
// alone.
func TestLongDigestByEmail(t *testing.T) {
	f := newFixture(t, newSMTPServer(t))
	ctx := context.Background()
	g, err := f.s.GroupByKey(ctx, "prospection")
	if err != nil {
		t.Fatal(err)
	}
	msg := commands.Message{Text: "*Semaine du groupe*\n• *22* première partie", Replies: []commands.Message{
		{Text: "• *23* deuxième partie"}, {Text: "• *24* troisième partie"},
	}}
	d, err := f.writer.Digest(ctx, "contact@uep37.example", g, msg, storetest.Now)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"première partie", "deuxième partie", "troisième partie"} {
		if !strings.Contains(d.Text, want) || !strings.Contains(d.HTML, want) {
			t.Errorf("the e-mail lacks %q:\n%s", want, d.Text)
		}
	}
}

// TestUnsubscribedNotEnqueued: an address that unsubscribed is left out
// when the weekly digest, the COPIL reminder, the organisations' nudge and
// the minutes are enqueued — no e-mail composed, no link made, no delivery
// that the sender would fail (and log at Error level) every week — while
// the other addresses get theirs.
func TestUnsubscribedNotEnqueued(t *testing.T) {
	ctx := context.Background()
	const gone, kept = "direction@cci-touraine.example", "contact@uep37.example"
	mails := func(t *testing.T, f *fixture) map[string]int {
		t.Helper()
		ds, err := f.s.Deliveries(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		to := map[string]int{}
		for _, d := range ds {
			if addr, ok := strings.CutPrefix(d.Channel, store.MailPrefix); ok {
				to[addr]++
			}
		}
		return to
	}
	setup := func(t *testing.T) *fixture {
		t.Helper()
		f := newFixture(t, newSMTPServer(t))
		// As the link in an e-mail records it: any case, any spaces.
		if err := f.s.Unsubscribe(ctx, " Direction@CCI-Touraine.example "); err != nil {
			t.Fatal(err)
		}
		return f
	}
	guests := []bot.Guest{{Name: "Jean Dupont", Email: gone, Organisation: "CCI Touraine"}, {Name: "Anne Roux", Email: kept, Organisation: "UEP 37"}}
	t.Run("digest", func(t *testing.T) {
		f := setup(t)
		g, err := f.s.GroupByKey(ctx, "prospection")
		if err != nil {
			t.Fatal(err)
		}
		posts := bot.NewPosts(f.h, f.s, bot.PostsConfig{
			Groups: []store.Group{g}, Location: storetest.Paris,
			GroupEmails: map[string][]string{g.Key: {"Direction@cci-touraine.example", kept}}, MailDigest: f.writer.Digest,
		}, quiet, nil)
		if err := posts.Digest(ctx, g, bot.Slot{At: storetest.Now, SendAt: storetest.Now}); err != nil {
			t.Fatal(err)
		}
		if got := mails(t, f); len(got) != 1 || got[kept] != 1 {
			t.Errorf("e-mails enqueued: %v; want %s alone", got, kept)
		}
		if links, _ := f.s.Links(ctx); len(links) != 0 {
			t.Errorf("%d links made before sending", len(links))
		}
	})
	t.Run("reminder", func(t *testing.T) {
		f := setup(t)
		m, err := f.s.NextMeeting(ctx, storetest.Now)
		if err != nil {
			t.Fatal(err)
		}
		posts := bot.NewPosts(f.h, f.s, bot.PostsConfig{
			Reminders: []time.Duration{7 * 24 * time.Hour}, Location: storetest.Paris, Guests: guests,
			MailReminder: func(ctx context.Context, g bot.Guest, m store.Meeting, msg commands.Message, ch commands.Chart, now time.Time) (store.Delivery, error) {
				return f.writer.Reminder(ctx, email.Guest{Name: g.Name, Email: g.Email, Organisation: g.Organisation}, m, msg, ch, now)
			},
		}, quiet, nil)
		if err := posts.Reminders(ctx, m.At.Add(-7*24*time.Hour).Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got := mails(t, f); len(got) != 1 || got[kept] != 1 {
			t.Errorf("e-mails enqueued: %v; want %s alone", got, kept)
		}
	})
	t.Run("nudge", func(t *testing.T) {
		f := setup(t)
		page, err := f.s.Actions(ctx, store.Filter{DueBefore: store.DateOf(storetest.Now, storetest.Paris), Order: store.ByDue})
		if err != nil || len(page.Actions) < 2 {
			t.Fatalf("overdue actions: %d, %v", len(page.Actions), err)
		}
		for i, who := range []string{"CCI Touraine <" + gone + ">", "UEP 37 <" + kept + ">"} {
			if _, err := f.s.SetPilote(ctx, page.Actions[i].Number, store.Person{Name: who}, store.DemoMarie); err != nil {
				t.Fatal(err)
			}
		}
		posts := bot.NewPosts(f.h, f.s, bot.PostsConfig{Location: storetest.Paris, NudgeSpec: "30 9 * * MON", MailNudge: f.writer.Nudge}, quiet, nil)
		if err := posts.Nudge(ctx, bot.Slot{At: storetest.Now, SendAt: storetest.Now}); err != nil {
			t.Fatal(err)
		}
		if got := mails(t, f); len(got) != 1 || got[kept] != 1 {
			t.Errorf("e-mails enqueued: %v; want %s alone", got, kept)
		}
	})
	t.Run("minutes", func(t *testing.T) {
		f := setup(t)
		posts := bot.NewPosts(f.h, f.s, bot.PostsConfig{
			Location: storetest.Paris, Guests: guests,
			MailMinutes: func(_ context.Context, g bot.Guest, _ commands.Minutes, _ *store.Meeting, _ time.Time) (store.Delivery, error) {
				return store.Delivery{Kind: "email", Channel: store.MailPrefix + g.Email, Text: "compte rendu"}, nil
			},
		}, quiet, nil)
		m, err := f.s.NextMeeting(ctx, storetest.Now)
		if err != nil {
			t.Fatal(err)
		}
		for _, again := range []bool{false, true} {
			if _, err := posts.MailMinutes(ctx, commands.Minutes{Meeting: m}, storetest.Now, again); err != nil {
				t.Fatal(err)
			}
		}
		if got := mails(t, f); len(got) != 1 || got[kept] != 2 {
			t.Errorf("e-mails enqueued: %v; want %s alone, twice", got, kept)
		}
	})
}

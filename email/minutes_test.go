package email_test

import (
	"bytes"
	"context"
	"errors"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/email"
	"github.com/tours-metropole/actionbot/minutes/pdftest"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
	"github.com/tours-metropole/actionbot/web"
)

// TestMinutesToGuests makes the minutes of the last COPIL and e-mails them
// to the guests through the outbox and the bot's sender to a real SMTP
// server: one e-mail per guest, the PDF attached, the headers and the
// link; made twice, they go once; an address that unsubscribed gets
// nothing, not even a delivery in the outbox; --again sends them anew.
func TestMinutesToGuests(t *testing.T) {
	ss := newSMTPServer(t)
	f := newFixture(t, ss)
	ctx := context.Background()
	now := storetest.Now
	other := email.Guest{Name: "Jean Dupont", Email: "jean.dupont@cci-touraine.example", Organisation: "CCI Touraine"}
	gone := email.Guest{Name: "Ancien membre", Email: "ancien@uep37.example"}
	var guests []bot.Guest
	for _, g := range []email.Guest{guest, other, gone} {
		guests = append(guests, bot.Guest{Name: g.Name, Email: g.Email, Organisation: g.Organisation})
	}
	posts := bot.NewPosts(f.h, f.s, bot.PostsConfig{Location: storetest.Paris, Guests: guests,
		MailMinutes: func(ctx context.Context, g bot.Guest, mn commands.Minutes, next *store.Meeting, now time.Time) (store.Delivery, error) {
			return f.writer.Minutes(ctx, email.Guest{Name: g.Name, Email: g.Email, Organisation: g.Organisation}, mn, next, now)
		}}, quiet, nil)
	if err := f.s.Unsubscribe(ctx, gone.Email); err != nil {
		t.Fatal(err)
	}
	mn, err := f.h.MinutesOf(ctx, store.Date{}, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Made twice (/copil compte-rendu, then copil-report --email): once.
	queued, err := posts.MailMinutes(ctx, mn, now, false)
	if err != nil || len(queued) != 2 || queued[0] != bot.MinutesKey(mn.Meeting.ID, guest.Email) {
		t.Fatalf("MailMinutes = %v, %v", queued, err)
	}
	if queued, err := posts.MailMinutes(ctx, mn, now.Add(time.Hour), false); err != nil || len(queued) != 0 {
		t.Fatalf("the second time, MailMinutes = %v, %v", queued, err)
	}
	if links, _ := f.s.Links(ctx); len(links) != 0 {
		t.Errorf("%d links made before sending", len(links))
	}
	noTokenInOutbox(t, f.s, now, "queued")
	snd := bot.NewSender(bot.SenderOptions{Outbox: f.s, Slack: noSlack{}, Mail: f.mailer, Now: func() time.Time { return now }, ChannelGap: time.Millisecond, Logger: quiet})
	if err := snd.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if links, _ := f.s.Links(ctx); len(links) != 2 {
		t.Errorf("%d links made for 2 e-mails sent", len(links))
	}
	noTokenInOutbox(t, f.s, now, "sent")
	got := ss.messages()
	if len(got) != 2 {
		t.Fatalf("%d messages received; want 2 (the third guest unsubscribed)", len(got))
	}
	if d, err := f.s.DeliveryByKey(ctx, bot.MinutesKey(mn.Meeting.ID, gone.Email)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("to the unsubscribed address: %s %q, %v; want none enqueued", d.State, d.LastError, err)
	}
	next, err := f.s.NextMeeting(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := f.s.MailSecret(ctx)
	for _, r := range got {
		if len(r.to) != 1 || (r.to[0] != guest.Email && r.to[0] != other.Email) {
			t.Fatalf("sent to %v", r.to)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(r.data))
		if err != nil {
			t.Fatal(err)
		}
		h := msg.Header
		subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
		if !strings.HasPrefix(subject, "Compte rendu du COPIL du plan attractivité, mercredi 7 octobre 2026") {
			t.Errorf("Subject = %q", subject)
		}
		if to, _ := mail.ParseAddress(h.Get("To")); to == nil || to.Address != r.to[0] {
			t.Errorf("To = %q", h.Get("To"))
		}
		if h.Get("Message-Id") != "<"+f.mailer.MessageID(bot.MinutesKey(mn.Meeting.ID, r.to[0]))+">" {
			t.Errorf("Message-ID = %q", h.Get("Message-Id"))
		}
		if h.Get("List-Unsubscribe") != "<"+web.UnsubscribeURL(base, secret, r.to[0])+">" || h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || h.Get("Auto-Submitted") != "auto-generated" {
			t.Errorf("List-Unsubscribe = %q, %q", h.Get("List-Unsubscribe"), h.Get("List-Unsubscribe-Post"))
		}
		var types []string
		parts := leaves(t, h.Get("Content-Type"), h.Get("Content-Transfer-Encoding"), msg.Body, &types)
		byType := map[string]part{}
		for _, p := range parts {
			byType[p.typ] = p
		}
		if mt, _, _ := mime.ParseMediaType(h.Get("Content-Type")); mt != "multipart/mixed" || len(parts) != 3 || !contains(types, "multipart/alternative") || contains(types, "multipart/related") {
			t.Fatalf("MIME: %s, %d leaves %v in %v", mt, len(parts), keys(byType), types)
		}
		pdf := byType["application/pdf"]
		disp, params, _ := mime.ParseMediaType(pdf.header["Content-Disposition"])
		if disp != "attachment" || params["filename"] != mn.FileName || !bytes.HasPrefix(pdf.content, []byte("%PDF-")) || !bytes.Equal(pdf.content, mn.PDF) {
			t.Errorf("the attachment: %q %v, %d bytes, starts %q", disp, params, len(pdf.content), pdf.content[:min(8, len(pdf.content))])
		}
		text, html := string(byType["text/plain"].content), string(byType["text/html"].content)
		link := web.LinkURL(base, "")
		for name, body := range map[string]string{"text": text, "html": html} {
			for _, want := range []string{"compte rendu", strings.TrimSuffix(link, "=")} {
				if !strings.Contains(body, want) {
					t.Errorf("the %s part lacks %q", name, want)
				}
			}
		}
		// The link opens the plan until a week after the next meeting.
		i := strings.Index(text, link)
		token := strings.Fields(text[i+len(link):])[0]
		for _, tt := range []struct {
			at   time.Time
			want error
		}{{now, nil}, {next.At.Add(email.LinkValidAfter - time.Minute), nil}, {next.At.Add(email.LinkValidAfter), store.ErrLinkExpired}} {
			if _, err := f.s.CheckLink(ctx, token, tt.at); !errors.Is(err, tt.want) {
				t.Errorf("the link at %s: %v; want %v", tt.at, err, tt.want)
			}
		}
	}

	// --again: every guest anew, under keys of their own.
	again, err := posts.MailMinutes(ctx, mn, now, true)
	if err != nil || len(again) != 2 || !strings.HasPrefix(again[0], "minutes-again:") {
		t.Fatalf("again: %v, %v", again, err)
	}
	if err := snd.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(ss.messages()); n != 4 {
		t.Errorf("%d messages after --again; want 4", n)
	}

	// No next meeting planned: the link lasts MinutesLinkValid.
	if got := email.MinutesLinkUntil(nil, now); !got.Equal(now.Add(email.MinutesLinkValid)) {
		t.Errorf("MinutesLinkUntil(nil) = %s", got)
	}

	// The PDF reads back as the minutes (skipped without poppler-utils).
	if txt := pdftest.Text(t, got[0].pdf(t)); !strings.Contains(txt, "Compte rendu du COPIL") {
		t.Errorf("the attached PDF reads:\n%.400s", txt)
	}
}

// pdf returns the PDF attached to a received message.
func (r received) pdf(t *testing.T) []byte {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(r.data))
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, p := range leaves(t, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, &types) {
		if p.typ == "application/pdf" {
			return p.content
		}
	}
	t.Fatal("no PDF attached")
	return nil
}

package email

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/web"
)

// Guest is a member of the COPIL outside Slack: [[copil.guests]].
type Guest struct {
	Name, Email, Organisation string
}

// LinkValidAfter is how long after the meeting a guest's link to the plan
// still opens it.
const LinkValidAfter = 7 * 24 * time.Hour

// Store is what the writer needs of the store; *store.Store has it.
type Store interface {
	MailSecret(ctx context.Context) ([]byte, error)
}

// TokenSlot begins what stands for the token of an e-mail's personal link
// in the text and HTML the writer puts in the outbox: the token is never
// stored there. The mailer makes the link when it sends and fills the
// slot (Mailer.Send). The whole slot is TokenSlot followed by a mark that
// only the bot can make (slotOf), so that a note or a title quoted in the
// e-mail cannot hold a slot of its own and have the reader's token sent
// to an address of its writer's choosing.
const TokenSlot = "actionbot-token-slot"

// slotOf is the token slot of the e-mail to channel carrying the link
// name until until: TokenSlot and an HMAC of these under the mail secret,
// computed the same way by the writer and by the mailer. until counts to
// the second: PostgreSQL keeps microseconds, not Go's nanoseconds.
func slotOf(secret []byte, channel, name string, until time.Time) string {
	mac := hmac.New(sha256.New, secret)
	fmt.Fprintf(mac, "token-slot\x00%s\x00%s\x00%s", channel, name, until.UTC().Format(time.RFC3339))
	return TokenSlot + "-" + hex.EncodeToString(mac.Sum(nil))[:32]
}

// Writer composes the e-mails, as deliveries of the outbox.
type Writer struct {
	Store   Store
	BaseURL string
	// Names gives Slack users' names for the mentions in the bot's texts;
	// nil or a failure writes « un membre de Slack ».
	Names func(ctx context.Context, userID string) (string, error)
	// Words are the wording of the e-mails, in the configured language,
	// and its way of writing a moment; *commands.Handler has them.
	Words Words
}

// Words is what the writer says with; *commands.Handler has it.
type Words interface {
	Language() string
	// Wording returns a sentence of the e-mails (commands' catalogue).
	Wording(key string, args ...any) string
	// When writes a moment: « vendredi 11 décembre 2026 à 14h00 ».
	When(t time.Time) string
}

//go:embed templates/*.html
var files embed.FS

var messageHTML = template.Must(template.ParseFS(files, "templates/message.html"))

type messageData struct {
	Lang        string
	LinkNote    string
	Stop        string
	Greeting    string
	Subject     string
	Lines       []template.HTML
	ChartAlt    string
	Chart       bool
	Link        string
	LinkLabel   string
	LinkUntil   string
	Why         string
	Unsubscribe string
}

// letter is one e-mail to compose: to whom, why they get it, what it
// says (a message of the bot, in mrkdwn), and the link to the plan it
// carries.
type letter struct {
	kind, to, name, subject, why string
	msg                          commands.Message
	chart                        commands.Chart
	linkName, linkBy, linkPath   string
	linkLabel                    string
	until                        time.Time
	now                          time.Time
}

// compose makes the delivery of l: the HTML and text parts, the link to
// the plan with TokenSlot for its token (the link itself is made when the
// e-mail is sent), the unsubscribe link.
func (w *Writer) compose(ctx context.Context, l letter) (store.Delivery, error) {
	if !l.until.After(l.now) {
		return store.Delivery{}, fmt.Errorf("link %q until %s: %w", l.linkName, l.until.Format(time.DateOnly), store.ErrInvalid)
	}
	key, err := w.Store.MailSecret(ctx)
	if err != nil {
		return store.Delivery{}, err
	}
	names := w.namer(ctx)
	// A post too long for one Slack message goes on in replies in its
	// thread; an e-mail has room for all of it.
	all := l.msg.Text
	for _, r := range l.msg.Replies {
		all += "\n" + r.Text
	}
	lines := strings.Split(strings.TrimSpace(all), "\n")
	t := w.Words.Wording
	until := w.Words.When(l.until)
	linkUntil := l.until.UTC()
	slot := slotOf(key, store.MailPrefix+l.to, l.linkName, linkUntil)
	d := messageData{
		Lang: w.Words.Language(), LinkNote: t("mail.link.note", until), Stop: t("mail.unsub"),
		Greeting: t("mail.hello", l.name), Subject: l.subject, Chart: len(l.chart.PNG) > 0, ChartAlt: l.chart.AltText,
		Link: web.PageURL(w.BaseURL, l.linkPath, slot), LinkLabel: l.linkLabel, LinkUntil: until,
		Why: l.why, Unsubscribe: web.UnsubscribeURL(w.BaseURL, key, l.to),
	}
	if l.name == "" {
		d.Greeting = t("mail.hello.anon")
	}
	var text strings.Builder
	text.WriteString(d.Greeting + "\n\n")
	for _, line := range lines {
		d.Lines = append(d.Lines, web.Rich(line, names))
		text.WriteString(web.Plain(line, names) + "\n")
	}
	fmt.Fprintf(&text, "\n%s\n%s\n", t("mail.link.text", d.LinkLabel, d.LinkUntil), d.Link)
	fmt.Fprintf(&text, "\n-- \n%s\n%s\n", d.Why, t("mail.unsub.text", d.Unsubscribe))
	var html bytes.Buffer
	if err := messageHTML.Execute(&html, d); err != nil {
		return store.Delivery{}, err
	}
	out := store.Delivery{
		Kind: l.kind, Channel: store.MailPrefix + l.to,
		Title: l.subject, Text: text.String(), HTML: html.String(),
		LinkName: l.linkName, LinkBy: l.linkBy, LinkUntil: &linkUntil,
	}
	if d.Chart {
		out.File, out.FileName, out.AltText = l.chart.PNG, "avancement-"+l.now.Format("2006-01-02")+".png", l.chart.AltText
	}
	return out, nil
}

// Reminder composes the COPIL reminder msg for guest g: the reminder as
// HTML with the chart inline and as text, and a personal link to the plan
// valid until a week after meeting m, which the mailer makes when it sends.
func (w *Writer) Reminder(ctx context.Context, g Guest, m store.Meeting, msg commands.Message, ch commands.Chart, now time.Time) (store.Delivery, error) {
	who := g.Name
	if g.Organisation != "" {
		who += " (" + g.Organisation + ")"
	}
	t := w.Words.Wording
	subject := t("mail.reminder.subject")
	if m.At.After(now) {
		subject = t("mail.reminder.next", w.Words.When(m.At))
	}
	return w.compose(ctx, letter{
		kind: "reminder-email", to: g.Email, name: g.Name, subject: subject, msg: msg, chart: ch, now: now,
		why:      t("mail.guest.why"),
		linkName: "COPIL : " + who, linkBy: fmt.Sprintf("copil:%d", m.ID), linkPath: "/plan",
		linkLabel: t("mail.plan.link"), until: m.At.Add(LinkValidAfter),
	})
}

// MinutesLinkValid is how long the link a guest's minutes carry stays
// valid when no next meeting is planned; with one, until a week after it
// (LinkValidAfter).
const MinutesLinkValid = 30 * 24 * time.Hour

// MinutesLinkUntil is when the link of the minutes e-mailed at now ends: a
// week after the next meeting, or MinutesLinkValid after now when none is
// planned.
func MinutesLinkUntil(next *store.Meeting, now time.Time) time.Time {
	if next != nil && next.At.After(now) {
		return next.At.Add(LinkValidAfter)
	}
	return now.Add(MinutesLinkValid)
}

// Minutes composes the e-mail that sends guest g the minutes mn of a
// COPIL: a short text, the PDF attached, and a personal link to the plan
// valid until MinutesLinkUntil(next, now), made when it is sent.
func (w *Writer) Minutes(ctx context.Context, g Guest, mn commands.Minutes, next *store.Meeting, now time.Time) (store.Delivery, error) {
	who := g.Name
	if g.Organisation != "" {
		who += " (" + g.Organisation + ")"
	}
	t := w.Words.Wording
	when := w.Words.When(mn.Meeting.At)
	body := "*" + t("mail.minutes.title", when) + "*\n" + t("mail.minutes.body")
	if next != nil && next.At.After(now) {
		body += "\n" + t("mail.minutes.next", w.Words.When(next.At))
	}
	d, err := w.compose(ctx, letter{
		kind: "minutes-email", to: g.Email, name: g.Name, subject: t("mail.minutes.subject", when),
		msg: commands.Message{Text: body}, now: now,
		why:      t("mail.guest.why"),
		linkName: "COPIL : " + who, linkBy: fmt.Sprintf("minutes:%d", mn.Meeting.ID), linkPath: "/plan",
		linkLabel: t("mail.plan.link"), until: MinutesLinkUntil(next, now),
	})
	if err != nil {
		return d, err
	}
	d.File, d.FileName = mn.PDF, mn.FileName
	return d, nil
}

// DigestLinkValid is how long the link to its group's page that a
// weekly digest carries stays valid: until the next two digests.
const DigestLinkValid = 14 * 24 * time.Hour

// Digest composes the weekly digest msg of group g for addr, with a link
// to the group's page valid DigestLinkValid, made when it is sent.
func (w *Writer) Digest(ctx context.Context, addr string, g store.Group, msg commands.Message, now time.Time) (store.Delivery, error) {
	t := w.Words.Wording
	return w.compose(ctx, letter{
		kind: "digest-email", to: addr, subject: t("mail.digest.subject", g.Name), msg: msg, now: now,
		why:      t("mail.digest.why", g.Name),
		linkName: "Synthèse " + g.Name + " : " + addr, linkBy: "digest:" + g.Key, linkPath: "/plan/groupes/" + url.PathEscape(g.Key),
		linkLabel: t("mail.digest.link"), until: now.Add(DigestLinkValid),
	})
}

// NudgeLinkValid is how long the link a weekly nudge carries stays valid.
const NudgeLinkValid = 14 * 24 * time.Hour

// Nudge composes the weekly nudge n of an organisation that carries an
// address in the plan, with a link to the plan valid NudgeLinkValid, made
// when it is sent.
func (w *Writer) Nudge(ctx context.Context, n commands.MailNudge, now time.Time) (store.Delivery, error) {
	t := w.Words.Wording
	return w.compose(ctx, letter{
		kind: "nudge-email", to: n.Email, name: "", subject: t("mail.nudge.subject", n.Name), msg: n.Message, now: now,
		why:      t("mail.nudge.why", n.Name),
		linkName: "Relance " + n.Name + " : " + n.Email, linkBy: "nudge", linkPath: "/plan",
		linkLabel: t("mail.plan.link"), until: now.Add(NudgeLinkValid),
	})
}

func (w *Writer) namer(ctx context.Context) web.Reader {
	seen := map[string]string{}
	return web.Reader{Someone: w.Words.Wording("someone"), Channel: w.Words.Wording("a channel"), Name: func(id string) (string, bool) {
		if n, ok := seen[id]; ok {
			return n, n != ""
		}
		n := ""
		if w.Names != nil {
			if got, err := w.Names(ctx, id); err == nil {
				n = got
			}
		}
		seen[id] = n
		return n, n != ""
	}}
}

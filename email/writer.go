package email

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
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
	CreateLink(ctx context.Context, name, by string, expires time.Time) (store.Link, string, error)
	MailSecret(ctx context.Context) ([]byte, error)
}

// Writer composes the e-mails, as deliveries of the outbox.
type Writer struct {
	Store   Store
	BaseURL string
	// Names gives Slack users' names for the mentions in the bot's texts;
	// nil or a failure writes « un membre de Slack ».
	Names func(ctx context.Context, userID string) (string, error)
	// When writes a moment as the bot does: « vendredi 11 décembre 2026 à 14h00 ».
	When func(t time.Time) string
}

//go:embed templates/*.html
var files embed.FS

var reminderHTML = template.Must(template.ParseFS(files, "templates/reminder.html"))

type reminderData struct {
	Guest       Guest
	Subject     string
	Lines       []template.HTML
	ChartAlt    string
	Chart       bool
	Link        string
	LinkUntil   string
	Unsubscribe string
}

// Reminder composes the COPIL reminder msg for guest g: the reminder as
// HTML with the chart inline and as text, and a personal link to the plan
// valid until a week after meeting m. The link is made now: call it only
// for a delivery not yet in the outbox.
func (w *Writer) Reminder(ctx context.Context, g Guest, m store.Meeting, msg commands.Message, ch commands.Chart, now time.Time) (store.Delivery, error) {
	until := m.At.Add(LinkValidAfter)
	who := g.Name
	if g.Organisation != "" {
		who += " (" + g.Organisation + ")"
	}
	_, token, err := w.Store.CreateLink(ctx, "COPIL : "+who, fmt.Sprintf("copil:%d", m.ID), until)
	if err != nil {
		return store.Delivery{}, err
	}
	key, err := w.Store.MailSecret(ctx)
	if err != nil {
		return store.Delivery{}, err
	}
	names := w.namer(ctx)
	lines := strings.Split(strings.TrimSpace(msg.Text), "\n")
	subject := "COPIL du plan attractivité : " + web.Plain(lines[0], names)
	if m.At.After(now) {
		subject = "Rappel : COPIL du plan attractivité, " + w.When(m.At)
	}
	d := reminderData{
		Guest: g, Subject: subject, Chart: len(ch.PNG) > 0, ChartAlt: ch.AltText,
		Link: web.LinkURL(w.BaseURL, token), LinkUntil: w.When(until),
		Unsubscribe: web.UnsubscribeURL(w.BaseURL, key, g.Email),
	}
	var text strings.Builder
	fmt.Fprintf(&text, "Bonjour %s,\n\n", g.Name)
	for _, l := range lines {
		d.Lines = append(d.Lines, web.Rich(l, names))
		text.WriteString(web.Plain(l, names) + "\n")
	}
	fmt.Fprintf(&text, "\nLe plan en ligne, en lecture seule (lien personnel, valable jusqu'au %s) :\n%s\n", d.LinkUntil, d.Link)
	fmt.Fprintf(&text, "\n-- \nVous recevez ce message comme invité(e) du COPIL du plan d'actions attractivité de Tours Métropole Val de Loire.\nNe plus recevoir ces messages : %s\n", d.Unsubscribe)
	var html bytes.Buffer
	if err := reminderHTML.Execute(&html, d); err != nil {
		return store.Delivery{}, err
	}
	out := store.Delivery{
		Kind: "reminder-email", Channel: store.MailPrefix + g.Email,
		Title: subject, Text: text.String(), HTML: html.String(),
	}
	if d.Chart {
		out.File, out.FileName, out.AltText = ch.PNG, "avancement-"+now.Format("2006-01-02")+".png", ch.AltText
	}
	return out, nil
}

func (w *Writer) namer(ctx context.Context) web.Namer {
	seen := map[string]string{}
	return func(id string) (string, bool) {
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
	}
}

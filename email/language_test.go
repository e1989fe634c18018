package email_test

import (
	"bytes"
	"context"
	"mime"
	"net/mail"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// TestLanguages sends the reminder and the minutes with the bot set to
// French, then English: subject, text and HTML are in that language — the
// wording around the bot's text as much as the text itself — and the
// HTML's lang says it.
func TestLanguages(t *testing.T) {
	for _, tt := range []struct {
		lang                string
		subjects, want, not []string
	}{
		{"fr", []string{"Rappel : COPIL du plan attractivité", "Compte rendu du COPIL du plan attractivité"},
			[]string{"Bonjour Claire Martin,", "Ne plus recevoir ces messages", "Consulter le plan en ligne", "valable jusqu'au", "invité(e) du COPIL", "pièce jointe"},
			[]string{"Hello", "Stop receiving", "valid until", "See the plan"}},
		{"en", []string{"Reminder: COPIL of the attractiveness plan", "Minutes of the COPIL of the attractiveness plan"},
			[]string{"Hello Claire Martin,", "Stop receiving these messages", "See the plan online", "valid until", "guest of the COPIL", "attached", "Next COPIL:"},
			[]string{"Bonjour", "Ne plus recevoir", "valable", "Consulter", "invité", "pièce jointe", "Rappel", "Prochain", "décembre", "à 14h00", "un membre de Slack"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			ss := newSMTPServer(t)
			f := newFixtureIn(t, ss, tt.lang)
			ctx := context.Background()
			d, _ := f.reminder(t)
			mn, err := f.h.MinutesOf(ctx, store.Date{}, storetest.Now, nil)
			if err != nil {
				t.Fatal(err)
			}
			next, _ := f.s.NextMeeting(ctx, storetest.Now)
			dm, err := f.writer.Minutes(ctx, guest, mn, &next, storetest.Now)
			if err != nil {
				t.Fatal(err)
			}
			dm.Key = "minutes:1:mailto:" + guest.Email
			for _, d := range []store.Delivery{d, dm} {
				if _, err := f.mailer.Send(ctx, d); err != nil {
					t.Fatal(err)
				}
			}
			got := ss.messages()
			if len(got) != 2 {
				t.Fatalf("%d messages", len(got))
			}
			var all strings.Builder
			for i, r := range got {
				msg, err := mail.ReadMessage(bytes.NewReader(r.data))
				if err != nil {
					t.Fatal(err)
				}
				subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
				if !strings.HasPrefix(subject, tt.subjects[i]) {
					t.Errorf("Subject = %q; want %q…", subject, tt.subjects[i])
				}
				var types []string
				for _, p := range leaves(t, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, &types) {
					switch p.typ {
					case "text/html":
						if !bytes.Contains(p.content, []byte(`<html lang="`+tt.lang+`">`)) {
							t.Errorf("message %d: the HTML does not say lang=%q", i, tt.lang)
						}
						fallthrough
					case "text/plain":
						all.Write(p.content)
					}
				}
				all.WriteString(subject)
			}
			text := all.String()
			if strings.Contains(text, "⟦") {
				t.Error("a sentence is missing from the catalogue")
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("the messages do not say %q", w)
				}
			}
			for _, w := range tt.not {
				if i := strings.Index(text, w); i >= 0 {
					t.Errorf("the messages say %q, of the other language: …%s…", w, text[max(0, i-80):min(len(text), i+80)])
				}
			}
		})
	}
}

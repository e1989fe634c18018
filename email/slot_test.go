package email

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

// slotStore is the store as the writer and the mailer see it, its link
// token a fixed one.
type slotStore struct{}

func (slotStore) Unsubscribed(context.Context, string) (bool, error) { return false, nil }
func (slotStore) MailSecret(context.Context) ([]byte, error)         { return []byte("mail secret"), nil }
func (slotStore) CreateLink(context.Context, string, string, time.Time) (store.Link, string, error) {
	return store.Link{}, "SECRETTOKEN", nil
}

type slotWords struct{}

func (slotWords) Language() string                       { return "fr" }
func (slotWords) Wording(key string, args ...any) string { return key + fmt.Sprint(args...) }
func (slotWords) When(t time.Time) string                { return t.Format(time.DateOnly) }

// TestSlotOnlyTheWritersOwn: a note quoted in an e-mail that holds a link
// with the token slot's name (« …?t=actionbot-token-slot ») does not get
// the reader's token: only the link the writer made for this e-mail does,
// in the text and in the HTML.
func TestSlotOnlyTheWritersOwn(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 9, 0, 0, 123456789, time.UTC)
	w := &Writer{Store: slotStore{}, BaseURL: "https://plan.example", Words: slotWords{}}
	evil := "https://evil.example/x?t=" + TokenSlot
	d, err := w.compose(ctx, letter{
		kind: "digest", to: "guest@example.org", subject: "Digest",
		msg:      commands.Message{Text: "• 12 note : <" + evil + "|le compte rendu> et " + evil + "-0123456789abcdef0123456789abcdef"},
		linkName: "digest", linkBy: "digest:g", linkPath: "/plan",
		until: now.Add(7 * 24 * time.Hour), now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	// The outbox keeps until to the microsecond, as PostgreSQL does.
	until := d.LinkUntil.Truncate(time.Microsecond)
	d.LinkUntil = &until
	m := &Mailer{optouts: slotStore{}}
	got, err := m.withLink(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	for part, body := range map[string]string{"text": got.Text, "HTML": got.HTML} {
		if strings.Contains(body, "evil.example/x?t=SECRETTOKEN") {
			t.Errorf("%s: the reader's token went into the note's link:\n%s", part, body)
		}
		if !strings.Contains(body, "https://plan.example/plan?t=SECRETTOKEN") {
			t.Errorf("%s: no personal link:\n%s", part, body)
		}
	}

	// A delivery whose slot is not the one made for it sends nothing.
	d.Text = strings.ReplaceAll(d.Text, slotOf([]byte("mail secret"), d.Channel, d.LinkName, *d.LinkUntil), TokenSlot)
	if _, err := m.withLink(ctx, d); err == nil {
		t.Error("a delivery without its own slot was given a link")
	}
}

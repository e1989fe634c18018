package commands

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/tours-metropole/actionbot/store"
)

// The methods below say the plan's data with the wording of the Block Kit
// answers, for the media other than Slack (the web pages, e-mail), so that
// a status or a journal entry reads the same everywhere. Texts that may
// carry markup (a note's links, a mention) are in Slack's mrkdwn: the
// medium converts them.

// Language returns the handler's language, "fr" or "en".
func (h *Handler) Language() string { return h.cat.lang }

// Location returns the time zone dates are shown in.
func (h *Handler) Location() *time.Location { return h.loc }

// StatusName returns the name of a status, with no emoji: « En cours ».
func (h *Handler) StatusName(s store.Status) string { return h.cat.status[s] }

// FieldName returns the name of an action's field as the journal says it.
func (h *Handler) FieldName(field string) string { return h.cat.fields[field] }

// EntryText returns what a journal entry changed, in mrkdwn:
// « Statut : En cours → Bloquée », or the note itself with the mentions,
// channels and links Slack made live kept live (see rich).
func (h *Handler) EntryText(e store.JournalEntry) string { return h.renderer().entry(e) }

// DueText returns an action's due date with how far it is, in mrkdwn:
// « lundi 23 novembre 2026 · en retard de 3 jours ».
func (h *Handler) DueText(a store.Action, today store.Date) string {
	return h.renderer().due(a, today)
}

// When returns a moment in the configured zone: « jeudi 19 novembre 2026 à 10h00 ».
func (h *Handler) When(t time.Time) string { return h.renderer().when(t) }

// LongDate returns a day as « lundi 15 mars 2027 ».
func (h *Handler) LongDate(d store.Date) string { return h.cat.longDate(d) }

// WebLinkValid is how long the link « /action web » gives stays valid.
const WebLinkValid = 12 * time.Hour

// runWeb answers the user, privately, a personal link to the plan on the
// web. The link carries the user's ID (« actionbot share --list » shows
// whose it is) and ends after WebLinkValid.
func (h *Handler) runWeb(ctx context.Context, r Request, c Command, a store.Action) (Message, error) {
	if h.web == "" {
		return Message{}, &UserError{Code: EInvalid, Key: msgWebOff}
	}
	name := "Slack " + r.UserID
	if h.names != nil {
		if n, err := h.names(ctx, r.UserID); err == nil && n != "" {
			name = "Slack " + n + " (" + r.UserID + ")"
		}
	}
	until := r.Now.Add(WebLinkValid)
	_, token, err := h.store.CreateLink(ctx, name, r.UserID, until)
	if err != nil {
		return Message{}, err
	}
	rd := h.renderer()
	link := "<" + webLink(h.web, token) + "|" + h.cat.t(msgWebLinkLabel) + ">"
	return Message{Text: h.cat.t(msgWebLink, link, rd.when(until))}, nil
}

// webLink is the address of the plan for the holder of token; the web
// package reads it (web.LinkURL: commands does not import it).
func webLink(base, token string) string {
	return strings.TrimSuffix(base, "/") + "/plan?t=" + url.QueryEscape(token)
}

// Unfurl returns the card of action n as a link to its web page unfurls in
// Slack: the card without its buttons.
func (h *Handler) Unfurl(ctx context.Context, n int, now time.Time) (Message, error) {
	a, err := h.store.ActionByNumber(ctx, n)
	if err != nil {
		return Message{}, err
	}
	return h.cardOf(ctx, a, store.DateOf(now, h.loc), false)
}

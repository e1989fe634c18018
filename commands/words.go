package commands

import (
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

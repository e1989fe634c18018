package commands

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/tours-metropole/actionbot/chart"
	"github.com/tours-metropole/actionbot/store"
)

// Chart is the PNG « Avancement du plan par axe » as of now, with the
// alternative text and title to post it with.
type Chart struct {
	PNG     []byte
	Title   string
	AltText string
}

// Chart draws the progress chart of the plan as of now, in the
// configured language.
func (h *Handler) Chart(ctx context.Context, now time.Time) (Chart, error) {
	today := store.DateOf(now, h.loc)
	d, err := h.store.Dashboard(ctx, today, "")
	if err != nil {
		return Chart{}, err
	}
	return h.renderer().chart(d)
}

func (r renderer) chart(d store.Dashboard) (Chart, error) {
	// No-break spaces keep « 26 novembre 2026 » on one line if the title wraps.
	date := strings.ReplaceAll(r.c.longDate(d.Today), " ", "\u00a0")
	title := r.c.t(msgChartTitle, date)
	png, err := chart.Plan(d, chart.Labels{
		Title:   title,
		Status:  r.c.status,
		Axis:    func(a store.Axis) string { return a.Label() + " · " + a.Name },
		Average: func(pct int) string { return r.c.t(msgAverage, pct) },
		Overdue: func(n int) string { return r.c.t(msgOverdueCount, n) },
		Empty:   r.c.t(msgDashboardEmpty),
	}, chart.Options{})
	if err != nil {
		return Chart{}, err
	}
	return Chart{PNG: png, Title: strings.ReplaceAll(title, "\u00a0", " "), AltText: r.c.t(msgChartAlt, r.c.longDate(d.Today))}, nil
}

// Phrase is a sentence of the catalogue that callers outside this package
// may say (the demo console, the command line).
type Phrase int

// The phrases callers may say.
const (
	SayChartSaved     Phrase = iota // the chart was written to a file: %s
	SayDigestUsage                  // how to ask the demo console for a digest
	SayChartFailed                  // the chart could not be posted in the channel
	SayConsoleWelcome               // the demo console's greeting, for user %s
	SayMinutesSaved                 // the minutes were written to a file: %s
	SayUploadFailed                 // a file could not be uploaded in the channel
	SayAlreadyPosted                // the user posted for everyone in this channel %d seconds ago
)

var phrases = map[Phrase]msg{
	SayChartSaved: msgChartSaved, SayDigestUsage: msgDigestUsage, SayChartFailed: msgChartFailed, SayConsoleWelcome: msgConsoleWelcome,
	SayMinutesSaved: msgMinutesSaved, SayUploadFailed: msgUploadFailed, SayAlreadyPosted: msgAlreadyPosted,
}

// Explain says err to the user as a command would: a user's mistake in
// their language, anything else as an apology (and logged).
func (h *Handler) Explain(err error) string {
	return h.failure(Request{}, err).PlainText()
}

// NextMeetingOf returns the next COPIL meeting, or a user error saying
// there is none and how to plan one.
func (h *Handler) NextMeetingOf(ctx context.Context, now time.Time) (store.Meeting, error) {
	m, err := h.store.NextMeeting(ctx, now)
	if errors.Is(err, store.ErrNotFound) {
		return m, &UserError{Code: ENotFound, Key: msgCopilNone}
	}
	return m, err
}

// Say returns a phrase in the configured language, for a terminal.
func (h *Handler) Say(p Phrase, args ...any) string { return Terminal(h.cat.t(phrases[p], args...)) }

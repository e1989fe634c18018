package spreadsheet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tours-metropole/actionbot/store"
)

// Import reads a plan file (see Read) and upserts its rows into s by action
// number on behalf of author (store.ImportAuthor for a file import), each
// change journaled. A file with any bad row changes nothing and comes back
// as an *Error naming every problem by line and column. A file without a
// Description column keeps the stored descriptions.
func Import(ctx context.Context, s *store.Store, r io.Reader, f Format, author string) (store.ImportResult, error) {
	groups, err := s.Groups(ctx)
	if err != nil {
		return store.ImportResult{}, fmt.Errorf("import: %w", err)
	}
	p, err := read(r, f, groups)
	if err != nil {
		return store.ImportResult{}, err
	}
	// A column left out keeps what is stored: the descriptions, the
	// actions' own rhythms.
	if !p.hasDescription() || !p.hasRhythm() {
		page, err := s.Actions(ctx, store.Filter{})
		if err != nil {
			return store.ImportResult{}, fmt.Errorf("import: %w", err)
		}
		stored := make(map[int]store.Action, len(page.Actions))
		for _, a := range page.Actions {
			stored[a.Number] = a
		}
		for i := range p.rows {
			a := stored[p.rows[i].Number]
			if !p.hasDescription() {
				p.rows[i].Description = a.Description
			}
			if !p.hasRhythm() {
				p.rows[i].UpdateEvery = a.UpdateEvery
			}
		}
	}
	res, err := s.Import(ctx, p.rows, author)
	if ie := (*store.ImportError)(nil); errors.As(err, &ie) {
		// The groups changed since they were read: say so by line.
		var ps problems
		for _, pr := range p.problemsOf(ie) {
			ps.add(p.rank(pr.Column), pr)
		}
		return store.ImportResult{}, ps.err()
	}
	if err != nil {
		return store.ImportResult{}, fmt.Errorf("import: %w", err)
	}
	return res, nil
}

// JournalFallback is how far back the journal sheet goes when no COPIL
// meeting has taken place yet.
const JournalFallback = 30 * 24 * time.Hour

// Export writes the whole plan of s as a file of format f. An XLSX file
// also lists the journal since the previous COPIL meeting before now (or
// over the last 30 days if there was none), its dates shown in loc; the
// workbook is dated by the plan's last change, not by now, so that one
// state of the plan always gives the same bytes. names, when not nil,
// gives the Slack users it shows — pilotes, contributors, the journal's
// authors — their names: « Marie Lefèvre <@U01MARIE> », which import reads
// back.
func Export(ctx context.Context, s *store.Store, w io.Writer, f Format, loc *time.Location, now time.Time, names Namer) error {
	return export(ctx, s, w, f, loc, now, names, false)
}

// ExportForReaders writes the plan as Export does, for readers who are
// not admins (the read-only web pages): the e-mail addresses that
// organisations carry (« CCI Touraine <contact@…> ») are left out of the
// people and of the journal. Such a file does not import back the
// addresses.
func ExportForReaders(ctx context.Context, s *store.Store, w io.Writer, f Format, loc *time.Location, now time.Time, names Namer) error {
	return export(ctx, s, w, f, loc, now, names, true)
}

func export(ctx context.Context, s *store.Store, w io.Writer, f Format, loc *time.Location, now time.Time, names Namer, hideAddresses bool) error {
	page, err := s.Actions(ctx, store.Filter{})
	if err == nil && hideAddresses {
		hideActionAddresses(page.Actions)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	switch f {
	case CSV:
		return WriteCSV(w, page.Actions, slackNames(ctx, names, page.Actions, nil))
	case XLSX:
	default:
		return &Error{Problems: []Problem{{Kind: KindFormat, Value: string(f)}}}
	}
	since := now.Add(-JournalFallback)
	m, err := s.PreviousMeeting(ctx, now)
	switch {
	case err == nil:
		since = m.At
	case !errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("export: %w", err)
	}
	journal, err := s.Journal(ctx, store.JournalFilter{Since: since})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if hideAddresses {
		hideJournalAddresses(journal)
	}
	wb := Workbook{
		Actions: page.Actions, Journal: journal, JournalSince: since, Location: loc,
		At: lastChange(page.Actions, journal), Names: slackNames(ctx, names, page.Actions, journal),
	}
	return WriteXLSX(w, wb)
}

// lastChange is when the newest of the actions or journal entries changed:
// the date of a workbook that shows them.
func lastChange(actions []store.Action, journal []store.JournalEntry) time.Time {
	var last time.Time
	for _, a := range actions {
		if a.UpdatedAt.After(last) {
			last = a.UpdatedAt
		}
	}
	for _, e := range journal {
		if e.At.After(last) {
			last = e.At
		}
	}
	return last
}

// hideActionAddresses leaves the organisations' e-mail addresses out of
// the actions' pilotes and contributors, in place.
func hideActionAddresses(actions []store.Action) {
	for i := range actions {
		a := &actions[i]
		a.PiloteName = a.Pilote().Display()
		contributors := make([]store.Contributor, len(a.Contributors))
		for j, c := range a.Contributors {
			c.Name = c.Person().Display()
			contributors[j] = c
		}
		a.Contributors = contributors
	}
}

// hideJournalAddresses does the same for the people named by journal
// entries that changed a pilote or the contributors.
func hideJournalAddresses(journal []store.JournalEntry) {
	hide := func(v string) string {
		people := store.SplitPeople(v)
		for i, p := range people {
			people[i] = store.Person{UserID: p.UserID, Name: p.Display()}
		}
		return store.JoinPeople(people)
	}
	for i := range journal {
		e := &journal[i]
		if e.Field == store.FieldPilote || e.Field == store.FieldContributors {
			e.Old, e.New = hide(e.Old), hide(e.New)
		}
	}
}

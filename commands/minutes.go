package commands

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/tours-metropole/actionbot/minutes"
	"github.com/tours-metropole/actionbot/store"
)

// Minutes is the PDF of a COPIL's minutes, with the name and title to
// upload it with.
type Minutes struct {
	PDF      []byte
	FileName string // compte-rendu-copil-2027-01-15.pdf
	Title    string
	Meeting  store.Meeting
}

// Namer returns the name Slack shows for a user ID; a PDF cannot show a
// mention. Nil, or an error, writes @U123 instead.
type Namer func(ctx context.Context, userID string) (string, error)

// maxChangedActions bounds the actions listed under « what changed »: the
// minutes of a big plan stay a document, not a database dump.
const maxChangedActions = 150

// MinutesOf makes the minutes of the meeting on day (in the configured
// zone), or of the last meeting held by now when day is zero: the meeting,
// its decisions by action with each action's state now, the dashboard by
// axis and programme, the chart, the blocked and overdue actions, and what
// changed from the previous meeting up to this one. A day without a
// meeting is a user error.
func (h *Handler) MinutesOf(ctx context.Context, day store.Date, now time.Time, names Namer) (Minutes, error) {
	m, err := h.meetingOf(ctx, day, now)
	if err != nil {
		return Minutes{}, err
	}
	b := minutesBuilder{h: h, r: h.renderer(), ctx: ctx, names: names, nameOf: map[string]string{}}
	doc, err := b.document(m, now)
	if err != nil {
		return Minutes{}, err
	}
	pdf, err := minutes.Write(doc)
	if err != nil {
		return Minutes{}, err
	}
	mday := store.DateOf(m.At, h.loc)
	return Minutes{PDF: pdf, FileName: h.cat.t(msgMinutesFileName, mday.String()), Title: doc.Title, Meeting: m}, nil
}

type minutesBuilder struct {
	h      *Handler
	r      renderer
	ctx    context.Context
	names  Namer
	nameOf map[string]string
	// canvas makes the texts for a Slack canvas: people as canvas
	// mentions, what users wrote escaped for its markdown; the PDF
	// takes them as they are.
	canvas bool
	// limit bounds the blocked and overdue actions listed; 0: all.
	limit int
}

// text is what a user wrote (a title, a decision, a programme's name),
// ready for the medium.
func (b *minutesBuilder) text(s string) string {
	if b.canvas {
		return markdownText(s)
	}
	return s
}

func (b *minutesBuilder) t(k msg, args ...any) string { return b.h.cat.t(k, args...) }

func (b *minutesBuilder) document(m store.Meeting, now time.Time) (minutes.Document, error) {
	c, loc := b.h.cat, b.h.loc
	mday := store.DateOf(m.At, loc)
	today := store.DateOf(now, loc)
	place := m.Place
	if place == "" {
		place = b.t(msgNoPlace)
	}
	doc := minutes.Document{
		Title: b.t(msgMinutesTitle, c.longDate(mday)),
		Lines: []string{
			b.t(msgMinutesWhere, c.clock(m.At.In(loc)), place),
			b.t(msgMinutesMade, c.longDate(today)),
		},
		PageLabel: func(page int, pages string) string { return b.t(msgMinutesPage, page, pages) },
	}
	decisions, err := b.decisions(m, today)
	if err != nil {
		return doc, err
	}
	d, err := b.h.store.Dashboard(b.ctx, today, "")
	if err != nil {
		return doc, err
	}
	ch, err := b.r.chart(d)
	if err != nil {
		return doc, err
	}
	blocked, overdue, err := b.attention(today)
	if err != nil {
		return doc, err
	}
	changes, err := b.changes(m, now)
	if err != nil {
		return doc, err
	}
	doc.Sections = []minutes.Section{
		decisions,
		{Heading: b.t(msgMinutesDashboard, c.longDate(today)), Blocks: []minutes.Block{b.dashboard(d)}},
		{Heading: b.t(msgMinutesChart), Blocks: []minutes.Block{minutes.Image{PNG: ch.PNG}}},
		blocked, overdue, changes,
	}
	return doc, nil
}

// decisions lists the meeting's decisions by action, each with its
// action's state as of today.
func (b *minutesBuilder) decisions(m store.Meeting, today store.Date) (minutes.Section, error) {
	s := minutes.Section{Heading: b.t(msgMinutesDecisions)}
	ds, err := b.h.store.Decisions(b.ctx, m)
	if err != nil {
		return s, err
	}
	if len(ds) == 0 {
		s.Blocks = []minutes.Block{minutes.Paragraph{Text: b.t(msgMinutesNoDecision), Italic: true}}
		return s, nil
	}
	t := minutes.Table{
		Header: []string{b.t(msgMinutesColNumber), b.t(msgMinutesColAction), b.t(msgMinutesColDecision), b.t(msgMinutesColState)},
		Widths: []float64{1.2, 5, 7, 3.5}, Right: []int{0},
	}
	for i, d := range ds {
		a := d.Action
		number, title, state := strconv.Itoa(a.Number), a.Title, b.state(a, today)
		if i > 0 && ds[i-1].ActionID == d.ActionID {
			// The action's other decisions follow under it.
			number, title, state = "", "", ""
		}
		t.Rows = append(t.Rows, minutes.Row{Cells: []string{number, b.text(title), b.text(d.Text), state}})
	}
	s.Blocks = []minutes.Block{t}
	return s, nil
}

// state writes an action's status and progress: « En cours, 45 % ».
func (b *minutesBuilder) state(a store.Action, today store.Date) string {
	s := b.h.cat.status[a.Status] + ", " + b.r.value(store.FieldProgress, strconv.Itoa(a.Progress))
	if a.Overdue(today) {
		s += " — " + b.t(msgMinutesLate, b.h.cat.short(a.Due))
	}
	return s
}

// dashboard is the table of the plan by axis and programme: counts by
// status, overdue, average progress; axes and the total in bold.
func (b *minutesBuilder) dashboard(d store.Dashboard) minutes.Block {
	c := b.h.cat
	header := []string{b.t(msgMinutesColScope), b.t(msgMinutesColTotal)}
	for _, st := range store.Statuses {
		header = append(header, c.status[st])
	}
	header = append(header, b.t(msgMinutesColOverdue), b.t(msgMinutesColAverage))
	t := minutes.Table{Header: header, Widths: []float64{4.5, 1.6, 2, 2, 2, 2, 2, 1.8, 2.2}}
	for i := 1; i < len(header); i++ {
		t.Right = append(t.Right, i)
	}
	row := func(name string, tl store.Tally, bold bool) minutes.Row {
		cells := []string{name, strconv.Itoa(tl.Total)}
		for _, st := range store.Statuses {
			cells = append(cells, strconv.Itoa(tl.ByStatus[st]))
		}
		cells = append(cells, strconv.Itoa(tl.Overdue), b.r.value(store.FieldProgress, strconv.Itoa(tl.AverageProgress())))
		return minutes.Row{Cells: cells, Bold: bold}
	}
	for _, ax := range d.Axes {
		t.Rows = append(t.Rows, row(ax.Axis.Label()+" · "+b.text(ax.Axis.Name), ax.Tally, true))
		for _, p := range ax.Programmes {
			t.Rows = append(t.Rows, row("   "+p.Programme.Code+" "+b.text(p.Programme.Name), p.Tally, false))
		}
	}
	t.Rows = append(t.Rows, row(b.t(msgMinutesTotal), d.Tally, true))
	return t
}

// attention lists the blocked actions and the overdue ones.
func (b *minutesBuilder) attention(today store.Date) (blocked, overdue minutes.Section, err error) {
	c := b.h.cat
	table := func(actions []store.Action) minutes.Block {
		if len(actions) == 0 {
			return minutes.Paragraph{Text: b.t(msgMinutesNone), Italic: true}
		}
		t := minutes.Table{
			Header: []string{b.t(msgMinutesColNumber), b.t(msgMinutesColAction), b.t(msgPilote), b.t(msgDue), b.t(msgProgress)},
			Widths: []float64{1.2, 8, 3.5, 2.4, 2.2}, Right: []int{0, 4},
		}
		for _, a := range actions {
			due := ""
			if !a.Due.IsZero() {
				due = c.short(a.Due)
			}
			t.Rows = append(t.Rows, minutes.Row{Cells: []string{strconv.Itoa(a.Number), b.text(a.Title), b.person(a.Pilote()), due,
				b.r.value(store.FieldProgress, strconv.Itoa(a.Progress))}})
		}
		return t
	}
	section := func(heading msg, f store.Filter) (minutes.Section, error) {
		f.Limit = b.limit
		p, err := b.h.store.Actions(b.ctx, f)
		if err != nil {
			return minutes.Section{}, err
		}
		s := minutes.Section{Heading: b.t(heading, p.Total), Blocks: []minutes.Block{table(p.Actions)}}
		if more := p.Total - len(p.Actions); more > 0 {
			s.Blocks = append(s.Blocks, minutes.Paragraph{Text: b.t(msgCanvasMore, more), Italic: true})
		}
		return s, nil
	}
	if blocked, err = section(msgMinutesBlocked, store.Filter{Statuses: []store.Status{store.StatusBlocked}, Order: store.ByPlan}); err != nil {
		return blocked, overdue, err
	}
	overdue, err = section(msgMinutesOverdue, store.Filter{DueBefore: today, Order: store.ByDue})
	return blocked, overdue, err
}

// changes lists, action by action, what changed between the previous
// meeting and this one.
func (b *minutesBuilder) changes(m store.Meeting, now time.Time) (minutes.Section, error) {
	c := b.h.cat
	// What the meeting saw: changes up to its start, even when the
	// minutes are made days later.
	until := m.At
	if now.Before(until) {
		until = now
	}
	s := minutes.Section{Heading: b.t(msgMinutesChangesFirst)}
	var since time.Time
	prev, err := b.h.store.PreviousMeeting(b.ctx, m.At)
	switch {
	case err == nil:
		since = prev.At
		s.Heading = b.t(msgMinutesChangesSince, c.longDate(store.DateOf(prev.At, b.h.loc)))
	case errors.Is(err, store.ErrNotFound):
	default:
		return s, err
	}
	entries, err := b.h.store.Journal(b.ctx, store.JournalFilter{Since: since, Until: until})
	if err != nil {
		return s, err
	}
	var order []int
	byAction := map[int][]string{}
	for _, e := range entries {
		if e.Field == store.FieldCreated && since.IsZero() {
			continue // before any meeting, every action was created
		}
		if _, ok := byAction[e.ActionNumber]; !ok {
			order = append(order, e.ActionNumber)
		}
		byAction[e.ActionNumber] = append(byAction[e.ActionNumber], b.entry(e))
	}
	if len(order) == 0 {
		s.Blocks = []minutes.Block{minutes.Paragraph{Text: b.t(msgMinutesNoChange), Italic: true}}
		return s, nil
	}
	shown := order[:min(len(order), maxChangedActions)]
	page, err := b.h.store.Actions(b.ctx, store.Filter{Numbers: shown, Order: store.ByNumber})
	if err != nil {
		return s, err
	}
	t := minutes.Table{
		Header: []string{b.t(msgMinutesColNumber), b.t(msgMinutesColAction), b.t(msgMinutesColChanges)},
		Widths: []float64{1.2, 6, 10}, Right: []int{0},
	}
	for _, a := range page.Actions {
		t.Rows = append(t.Rows, minutes.Row{Cells: []string{strconv.Itoa(a.Number), a.Title, strings.Join(byAction[a.Number], "\n")}})
	}
	s.Blocks = []minutes.Block{t}
	if more := len(order) - len(shown); more > 0 {
		s.Blocks = append(s.Blocks, minutes.Paragraph{Text: b.h.cat.plural(msgMinutesMoreChanges1, msgMinutesMoreChangesN, more), Italic: true})
	}
	return s, nil
}

// entry writes one journal entry as plain text: no mrkdwn, people by name.
func (b *minutesBuilder) entry(e store.JournalEntry) string {
	c := b.h.cat
	var what string
	switch e.Field {
	case store.FieldCreated:
		what = b.t(msgEntryCreated)
	case store.FieldNote:
		what = b.t(msgEntryNote, e.Note)
	case store.FieldDecision:
		what = c.decisionEntry(e, func(s string) string { return s })
	default:
		what = b.t(msgEntryChange, c.fields[e.Field], b.value(e.Field, e.Old), b.value(e.Field, e.New))
	}
	return c.short(store.DateOf(e.At, b.h.loc)) + " — " + what + " (" + b.author(e.Author) + ")"
}

func (b *minutesBuilder) value(field, v string) string {
	switch field {
	case store.FieldPilote:
		if v == "" {
			return b.t(msgNobody)
		}
		return b.person(store.ParsePerson(v))
	case store.FieldContributors:
		ps := store.SplitPeople(v)
		if len(ps) == 0 {
			return b.t(msgNobody)
		}
		names := make([]string, len(ps))
		for i, p := range ps {
			names[i] = b.person(p)
		}
		return strings.Join(names, ", ")
	case store.FieldStatus:
		if v == "" {
			return b.t(msgNobody)
		}
		return b.h.cat.status[store.Status(v)]
	case store.FieldNote, store.FieldTitle, store.FieldDescription, store.FieldGroup, store.FieldProgramme:
		if v == "" {
			return b.t(msgNobody)
		}
		return v
	}
	// Progress and dates: the renderer's wording, which escapes nothing
	// for these values.
	return b.r.value(field, v)
}

func (b *minutesBuilder) author(a string) string {
	if store.IsUserID(a) {
		return b.person(store.Person{UserID: a})
	}
	return a
}

// person writes a person by name: a Slack user's name comes from names,
// once per user; without it, @U123.
func (b *minutesBuilder) person(p store.Person) string {
	if p.UserID == "" {
		if p.Name == "" {
			return b.t(msgNobody)
		}
		// An organisation's address is for its e-mails: the minutes go
		// to the channel and the guests.
		return b.text(p.Display())
	}
	if b.canvas {
		return canvasMention(p.UserID)
	}
	if n, ok := b.nameOf[p.UserID]; ok {
		return n
	}
	n := "@" + p.UserID
	if b.names != nil {
		if got, err := b.names(b.ctx, p.UserID); err == nil && got != "" {
			n = got
		} else if err != nil {
			b.h.log.Warn("minutes: user name", "user", p.UserID, "err", err)
		}
	}
	b.nameOf[p.UserID] = n
	return n
}

// decisionEntry writes a decision as the journal shows it: « Décision du
// COPIL du 15 janvier 2027 : … », its text through quote (Slack's escaping,
// or none for a PDF).
func (c *catalog) decisionEntry(e store.JournalEntry, quote func(string) string) string {
	day := e.New
	if d, err := store.ParseISODate(e.New); err == nil {
		day = c.dayMonthYear(d)
	}
	return c.t(msgDecisionEntry, day, quote(e.Note))
}

package commands

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/store"
)

// How far the scheduled posts look.
const (
	digestDays     = 7                   // changes reported by a weekly digest, in calendar days
	dueSoonDays    = 14                  // "due in the next 14 days"
	staleAfter     = 30 * 24 * time.Hour // "no news for 30 days"
	sectionLines   = 10                  // lines per section before « … et N de plus »
	changeNoteSize = 140                 // characters of a note quoted in a digest
)

// DM is a direct message to one Slack user.
type DM struct {
	UserID  string
	Message Message
}

// MailNudge is the weekly nudge of an organisation that carries an
// address in the plan (« CCI Touraine <contact@cci-touraine.example> »),
// pilote or contributor of actions that are late: it goes by e-mail.
type MailNudge struct {
	Name, Email string
	Message     Message
}

// Digest renders the weekly digest of working group key as of now: what
// changed in the last 7 days and who did it, then what is overdue, due in
// the next 14 days, blocked, or whose update is late (past its rhythm),
// grouped by programme. A quiet week gets a short post saying so.
func (h *Handler) Digest(ctx context.Context, key string, now time.Time) (Message, error) {
	g, err := h.group(ctx, key)
	if err != nil {
		return Message{}, err
	}
	rd := h.renderer()
	today := store.DateOf(now, h.loc)
	// Seven calendar days back on the wall clock, not 168 hours: across a
	// daylight-saving change, the hour between two digests would otherwise
	// be reported twice or never.
	since := now.In(h.loc).AddDate(0, 0, -digestDays)
	entries, err := h.store.Journal(ctx, store.JournalFilter{Since: since, Until: now, Group: g.Key})
	if err != nil {
		return Message{}, err
	}
	titles, err := h.titles(ctx, entries)
	if err != nil {
		return Message{}, err
	}
	d, err := h.store.Dashboard(ctx, today, g.Key)
	if err != nil {
		return Message{}, err
	}

	title := h.cat.t(msgDigestTitle, escape(g.Name))
	week := h.cat.t(msgDigestWeek, h.cat.longDate(store.DateOf(since, h.loc)), h.cat.longDate(today))
	var parts []part
	if len(entries) == 0 {
		parts = append(parts, part{body: h.cat.t(msgDigestQuiet)})
	} else {
		parts = append(parts, part{title: h.cat.t(msgDigestChanges), body: rd.changes(entries, titles)})
	}
	// Each section counts its actions and reads only the ones it shows,
	// in plan order: a group of 25,000 actions is never loaded whole. Its
	// hint is the list command that shows them all, and only them.
	sections := []struct {
		title  msg
		filter store.Filter
		more   more
	}{
		{msgDigestOverdue, store.Filter{DueBefore: today}, h.cat.moreIn(h.cat.t(msgHintGroupOverdue, escape(g.Key)))},
		{msgDigestDueSoon, store.Filter{DueFrom: today, DueBefore: today.AddDays(dueSoonDays + 1)}, h.cat.moreIn(h.cat.t(msgHintGroupDueSoon, escape(g.Key)))},
		{msgDigestBlocked, store.Filter{Statuses: []store.Status{store.StatusBlocked}}, h.cat.moreIn(h.cat.t(msgHintGroupBlocked, escape(g.Key)))},
		{msgDigestStale, store.Filter{UpdateLate: today, Zone: h.loc}, h.cat.moreIn(h.cat.t(msgHintGroupRhythm, escape(g.Key)))},
	}
	pressing := 0 // overdue, due soon or blocked
	for i, s := range sections {
		s.filter.Group, s.filter.Order, s.filter.Limit = g.Key, store.ByPlan, sectionLines
		p, err := h.store.Actions(ctx, s.filter)
		if err != nil {
			return Message{}, err
		}
		if i < 3 {
			pressing += p.Total
		}
		if p.Total > 0 {
			parts = append(parts, part{title: h.cat.t(s.title) + " (" + fmt.Sprint(p.Total) + ")", body: rd.byProgramme(p.Actions, p.Total, today, s.more)})
		}
	}
	if pressing == 0 {
		parts = append(parts, part{body: h.cat.t(msgDigestAllClear)})
	}
	return compose(title, week+" · "+rd.tally(d.Tally), parts), nil
}

// titles loads the actions whose changes a digest shows — the first
// sectionLines of entries — by number.
func (h *Handler) titles(ctx context.Context, entries []store.JournalEntry) (map[int]store.Action, error) {
	numbers := []int{}
	seen := map[int]bool{}
	for _, e := range entries {
		if len(numbers) == sectionLines {
			break
		}
		if !seen[e.ActionNumber] {
			seen[e.ActionNumber] = true
			numbers = append(numbers, e.ActionNumber)
		}
	}
	p, err := h.store.Actions(ctx, store.Filter{Numbers: numbers})
	if err != nil {
		return nil, err
	}
	byNumber := make(map[int]store.Action, len(p.Actions))
	for _, a := range p.Actions {
		byNumber[a.Number] = a
	}
	return byNumber, nil
}

// part is one section of a scheduled post.
type part struct{ title, body string }

// compose lays out a post: a header, a context line and a section per
// part — several for a part longer than a section holds, cut between its
// lines. What does not fit in one message (maxBlocks blocks,
// maxMessageChars characters) goes on in replies in its thread.
func compose(title, sub string, parts []part) Message {
	page := Message{Blocks: []slack.Block{header(title), contextBlock(sub)}, Text: title + "\n" + sub}
	chars := utf8.RuneCountInString(plainText(title)) + utf8.RuneCountInString(sub)
	var pages []Message
	for _, p := range parts {
		body := p.body
		if p.title != "" {
			body = "*" + p.title + "*\n" + body
		}
		for _, chunk := range chunks(body, maxTextLen) {
			n := utf8.RuneCountInString(chunk)
			if len(page.Blocks) == maxBlocks || chars+n > maxMessageChars {
				pages = append(pages, page)
				page, chars = Message{}, 0
			}
			page.Blocks = append(page.Blocks, section(chunk))
			if page.Text != "" {
				page.Text += "\n\n"
			}
			page.Text += strings.ReplaceAll(chunk, "*", "")
			chars += n
		}
	}
	first := page
	if len(pages) > 0 {
		first, first.Replies = pages[0], append(pages[1:], page)
	}
	return first
}

// chunks cuts mrkdwn s between its lines into pieces of at most n
// characters; a line longer than that is clipped.
func chunks(s string, n int) []string {
	var out []string
	cur := ""
	for _, line := range strings.Split(s, "\n") {
		line = clipMrkdwn(line, n)
		switch {
		case cur == "":
			cur = line
		case utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(line) <= n:
			cur += "\n" + line
		default:
			out = append(out, cur)
			cur = line
		}
	}
	return append(out, cur)
}

// changes writes the journal entries of a period, one line per action.
func (r renderer) changes(entries []store.JournalEntry, actions map[int]store.Action) string {
	var order []int
	lines := map[int][]string{}
	for _, e := range entries {
		if _, seen := lines[e.ActionNumber]; !seen {
			order = append(order, e.ActionNumber)
		}
		// A digest quotes, it does not copy: a long note, title or
		// description would push the other actions out of the section.
		e.Note, e.Old, e.New = clip(e.Note, changeNoteSize), clip(e.Old, changeNoteSize), clip(e.New, changeNoteSize)
		lines[e.ActionNumber] = append(lines[e.ActionNumber], r.c.t(msgLabel, r.author(e.Author), r.entry(e)))
	}
	out := make([]string, 0, len(order))
	for _, n := range order {
		a := actions[n]
		out = append(out, fmt.Sprintf("• *%d* %s — %s", n, escape(clip(a.Title, 80)), strings.Join(lines[n], " ; ")))
	}
	return limitLines(out, func(n int) string { return r.c.plural(msgDigestMoreChanged1, msgDigestMoreChangedN, n) })
}

// byProgramme lists actions under their programme, in plan order.
// total counts all the actions of the list, of which actions may be only
// the first.
func (r renderer) byProgramme(actions []store.Action, total int, today store.Date, more more) string {
	sorted := slices.Clone(actions)
	slices.SortFunc(sorted, func(a, b store.Action) int {
		return cmp.Or(
			cmp.Compare(a.Programme.Axis.Position, b.Programme.Axis.Position),
			cmp.Compare(a.Programme.Position, b.Programme.Position),
			cmp.Compare(a.Number, b.Number))
	})
	var out []string
	prog := ""
	for i, a := range sorted {
		if i == sectionLines {
			break
		}
		if a.Programme.Code != prog {
			prog = a.Programme.Code
			out = append(out, "_"+prog+" "+escape(clip(a.Programme.Name, 80))+"_")
		}
		out = append(out, "• "+r.listLine(a, today))
	}
	if shown := min(len(sorted), sectionLines); total > shown {
		out = append(out, more(total-shown))
	}
	return strings.Join(out, "\n")
}

// limitLines keeps the first sectionLines lines, then says how many more
// there are.
func limitLines(lines []string, more more) string {
	if len(lines) > sectionLines {
		rest := len(lines) - sectionLines
		lines = append(lines[:sectionLines:sectionLines], more(rest))
	}
	return strings.Join(lines, "\n")
}

// more is the last line of a list cut short: how many more, and where
// to see them.
type more func(n int) string

// moreIn says that cmd lists what was cut, and nothing else.
func (c *catalog) moreIn(cmd string) more {
	return func(n int) string { return c.t(msgDigestMore, n, cmd) }
}

// moreAmong says that what was cut is in what cmd lists, among others.
func (c *catalog) moreAmong(cmd string) more {
	return func(n int) string { return c.t(msgDigestMoreAmong, n, cmd) }
}

// staleSince is the moment before which an action's last change counts as
// "no update": the previous COPIL, or 30 days ago when there was none.
func (h *Handler) staleSince(ctx context.Context, now time.Time) (time.Time, *store.Meeting, error) {
	prev, err := h.store.PreviousMeeting(ctx, now)
	switch {
	case err == nil:
		return prev.At, &prev, nil
	case errors.Is(err, store.ErrNotFound):
		return now.Add(-staleAfter), nil, nil
	}
	return time.Time{}, nil, err
}

// Reminder renders a reminder of COPIL meeting m as of now: when and
// where, days left, the dashboard by axis, blocked and overdue actions,
// and the actions with no update since the previous COPIL (or for 30
// days). The first reminder of m opens with the follow-up of the previous
// COPIL's decisions (each one's action now and what changed on it since);
// the later ones do not repeat it.
func (h *Handler) Reminder(ctx context.Context, m store.Meeting, now time.Time, first bool) (Message, error) {
	rd := h.renderer()
	today := store.DateOf(now, h.loc)
	d, err := h.store.Dashboard(ctx, today, "")
	if err != nil {
		return Message{}, err
	}
	since, prev, err := h.staleSince(ctx, now)
	if err != nil {
		return Message{}, err
	}
	title := h.cat.t(msgReminderTitle, rd.daysLeft(m, today))
	var axes []string
	for _, ax := range d.Axes {
		axes = append(axes, "*"+ax.Axis.Label()+"* · "+escape(clip(ax.Axis.Name, 60))+"\n"+rd.tally(ax.Tally))
	}
	var parts []part
	// The decisions of the last COPIL come first: what became of them is
	// the first thing the next one asks.
	if !first {
		// Said once, with the first reminder.
	} else if fu, ok, err := h.followUp(ctx, m, now); err != nil {
		return Message{}, err
	} else if ok {
		parts = append(parts, fu)
	}
	parts = append(parts, part{title: h.cat.t(msgDashboardTitle, h.cat.longDate(today)), body: rd.tally(d.Tally) + "\n\n" + strings.Join(axes, "\n")})
	lists := []struct {
		title  string
		filter store.Filter
		more   more
	}{
		{h.cat.t(msgDigestBlocked), store.Filter{Statuses: []store.Status{store.StatusBlocked}}, h.cat.moreIn(h.cat.t(msgHintBlocked))},
		{h.cat.t(msgDigestOverdue), store.Filter{DueBefore: today}, h.cat.moreIn(h.cat.t(msgHintLate))},
		// No list command selects these alone: the hint says where
		// they are, among others.
		{h.staleTitle(prev), store.Filter{Open: true, UpdatedBefore: since}, h.cat.moreAmong(h.cat.t(msgHintList))},
	}
	for _, l := range lists {
		l.filter.Limit = sectionLines
		p, err := h.store.Actions(ctx, l.filter)
		if err != nil {
			return Message{}, err
		}
		if p.Total > 0 {
			parts = append(parts, part{title: l.title + " (" + fmt.Sprint(p.Total) + ")", body: rd.byProgramme(p.Actions, p.Total, today, l.more)})
		}
	}
	return compose(title, rd.meeting(m), parts), nil
}

func (h *Handler) staleTitle(prev *store.Meeting) string {
	if prev == nil {
		return h.cat.t(msgReminderStale30)
	}
	return h.cat.t(msgReminderStaleSince, h.cat.longDate(store.DateOf(prev.At, h.loc)))
}

// ReminderDMs are the direct messages of the first reminder of meeting m:
// one to each pilote on Slack who has actions blocked, overdue or without
// update since the previous COPIL, listing them with the command to update
// each.
func (h *Handler) ReminderDMs(ctx context.Context, m store.Meeting, now time.Time) ([]DM, error) {
	today := store.DateOf(now, h.loc)
	since, _, err := h.staleSince(ctx, now)
	if err != nil {
		return nil, err
	}
	p, err := h.store.Actions(ctx, store.Filter{Open: true, Order: store.ByNumber})
	if err != nil {
		return nil, err
	}
	rd := h.renderer()
	dms := h.dms(p.Actions, func(a store.Action) (string, bool) {
		var why []string
		if a.Status == store.StatusBlocked {
			why = append(why, rd.status(a.Status))
		}
		if a.Overdue(today) {
			why = append(why, h.cat.plural(msgOverdueBy1, msgOverdueByN, today.DaysSince(a.Due)))
		}
		if a.UpdatedAt.Before(since) {
			why = append(why, h.cat.t(msgReasonStale, h.cat.short(store.DateOf(a.UpdatedAt, h.loc))))
		}
		return strings.Join(why, " · "), len(why) > 0
	}, h.cat.t(msgReminderDMIntro, rd.meeting(m)), func(n int) string {
		return h.cat.t(msgReminderDMHint, n)
	})
	// « Faire le point » opens the check-in of these actions at once.
	for i := range dms {
		dms[i].Message.Blocks = append(dms[i].Message.Blocks, h.checkinButton())
	}
	return dms, nil
}

// Nudges are the weekly direct messages to the pilotes of actions that
// are overdue or whose update is late: the overdue first, most overdue
// first, then the late updates.
func (h *Handler) Nudges(ctx context.Context, now time.Time) ([]DM, error) {
	actions, reason, err := h.nudged(ctx, now)
	if err != nil {
		return nil, err
	}
	return h.dms(actions, reason, h.cat.t(msgNudgeIntro), func(n int) string {
		return h.cat.t(msgNudgeHint, n)
	}), nil
}

// nudged returns the actions a nudge is about — overdue, or not updated
// as often as their rhythm asks — and why each one is.
func (h *Handler) nudged(ctx context.Context, now time.Time) ([]store.Action, func(store.Action) (string, bool), error) {
	today := store.DateOf(now, h.loc)
	p, err := h.store.Actions(ctx, store.Filter{DueBefore: today, Order: store.ByDue})
	if err != nil {
		return nil, nil, err
	}
	late, _, err := h.store.UpdatesLate(ctx, store.Filter{Order: store.ByNumber}, today, h.loc, false)
	if err != nil {
		return nil, nil, err
	}
	actions := p.Actions
	seen := map[int]bool{}
	for _, a := range actions {
		seen[a.Number] = true
	}
	for _, l := range late {
		if !seen[l.Action.Number] {
			actions = append(actions, l.Action)
		}
	}
	rd := h.renderer()
	return actions, func(a store.Action) (string, bool) {
		var why []string
		if a.Overdue(today) {
			why = append(why, h.cat.plural(msgOverdueBy1, msgOverdueByN, today.DaysSince(a.Due)))
		}
		if a.UpdateLate(today, h.loc) > 0 {
			why = append(why, rd.updateLate(a, today))
		}
		return strings.Join(why, " · "), len(why) > 0
	}, nil
}

// MailNudges returns, as of now, the weekly nudge of each organisation
// with an address in the plan (see store.Person.Email) that is pilote or
// contributor of actions the nudge is about, in mrkdwn, with no Slack
// command to type: the e-mail carries a link to the plan instead.
func (h *Handler) MailNudges(ctx context.Context, now time.Time) ([]MailNudge, error) {
	actions, reason, err := h.nudged(ctx, now)
	if err != nil {
		return nil, err
	}
	var order []string
	names := map[string]string{}
	lines := map[string][]string{}
	for _, a := range actions {
		why, ok := reason(a)
		if !ok {
			continue
		}
		done := map[string]bool{}
		for _, p := range append([]store.Person{a.Pilote()}, a.People()...) {
			name, addr, ok := p.Email()
			if !ok || done[addr] {
				continue
			}
			done[addr] = true
			if _, seen := names[addr]; !seen {
				order = append(order, addr)
				names[addr] = name
			}
			lines[addr] = append(lines[addr], fmt.Sprintf("• *%d* %s — %s", a.Number, escape(clip(a.Title, 90)), why))
		}
	}
	out := make([]MailNudge, 0, len(order))
	for _, addr := range order {
		text := h.cat.t(msgMailNudgeIntro, escape(names[addr])) + "\n" + limitLines(lines[addr], func(n int) string { return h.cat.t(msgMoreBare, n) })
		out = append(out, MailNudge{Name: names[addr], Email: addr, Message: Message{Text: text}})
	}
	return out, nil
}

// Escalations are the direct messages to the leads of working group key
// at its digest's time: the group's actions whose update is late by more
// than twice their rhythm, with their pilotes. None when there is no such
// action or the group has no lead.
func (h *Handler) Escalations(ctx context.Context, key string, now time.Time) ([]DM, error) {
	g, err := h.group(ctx, key)
	if err != nil || len(g.Leads) == 0 {
		return nil, err
	}
	today := store.DateOf(now, h.loc)
	late, total, err := h.store.UpdatesLate(ctx, store.Filter{Group: g.Key, Order: store.ByNumber, Limit: sectionLines}, today, h.loc, true)
	if err != nil || total == 0 {
		return nil, err
	}
	rd := h.renderer()
	lines := make([]string, 0, len(late))
	for _, l := range late {
		a := l.Action
		lines = append(lines, fmt.Sprintf("• *%d* %s — %s · %s", a.Number, escape(clip(a.Title, 90)), rd.person(a.Pilote()), rd.updateLate(a, today)))
	}
	if total > len(late) {
		// Late by twice their rhythm: among those late by any.
		lines = append(lines, h.cat.moreAmong(h.cat.t(msgHintGroupRhythm, escape(g.Key)))(total-len(late)))
	}
	text := h.cat.plural(msgEscalationIntro1, msgEscalationIntroN, total, escape(g.Name)) + "\n" + strings.Join(lines, "\n") + "\n" + h.cat.t(msgEscalationHint)
	msg := Message{Blocks: []slack.Block{section(text)}, Text: strings.ReplaceAll(text, "*", "")}
	out := make([]DM, 0, len(g.Leads))
	for _, lead := range g.Leads {
		out = append(out, DM{UserID: lead, Message: msg})
	}
	return out, nil
}

// dms groups the actions that concern their pilote (reason says why) into
// one message per pilote on Slack, in the order of the actions.
func (h *Handler) dms(actions []store.Action, reason func(store.Action) (string, bool), intro string, hint func(n int) string) []DM {
	var users []string
	lines := map[string][]string{}
	first := map[string]int{}
	for _, a := range actions {
		if a.PiloteID == "" {
			continue
		}
		why, ok := reason(a)
		if !ok {
			continue
		}
		if _, seen := lines[a.PiloteID]; !seen {
			users = append(users, a.PiloteID)
			first[a.PiloteID] = a.Number
		}
		lines[a.PiloteID] = append(lines[a.PiloteID], fmt.Sprintf("• *%d* %s — %s", a.Number, escape(clip(a.Title, 90)), why))
	}
	out := make([]DM, 0, len(users))
	for _, u := range users {
		body := limitLines(lines[u], h.cat.moreAmong(h.cat.t(msgHintMine)))
		text := intro + "\n" + body + "\n" + hint(first[u])
		out = append(out, DM{UserID: u, Message: Message{Blocks: []slack.Block{section(text)}, Text: strings.ReplaceAll(text, "*", "")}})
	}
	return out
}

package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/store"
)

// runRhythm sets or removes the action's own rhythm of updates.
func (h *Handler) runRhythm(ctx context.Context, r Request, c Command, a store.Action) (Message, error) {
	ch, err := h.store.SetRhythm(ctx, a.Number, c.Rhythm, r.UserID)
	if err != nil {
		return Message{}, err
	}
	today := store.DateOf(r.Now, h.loc)
	demo, err := h.store.IsDemo(ctx)
	if err != nil {
		return Message{}, err
	}
	rd := h.renderer()
	head := h.cat.t(msgRhythmSet, a.Number, rd.rhythm(ch.Action.Rhythm()))
	if c.Rhythm.IsZero() {
		head = h.cat.t(msgRhythmGroup, a.Number, rd.rhythm(ch.Action.Rhythm()))
	}
	last, _, err := h.store.LastEntry(ctx, a.Number)
	if err != nil {
		return Message{}, err
	}
	card := rd.card(ch.Action, &last, today, demo, true)
	return Message{Blocks: append([]slack.Block{section(":white_check_mark: " + head)}, card.Blocks...), Text: head + "\n\n" + card.Text}, nil
}

// rhythm writes a rhythm as people say it: « 14 jours », « 2 semaines ».
func (r renderer) rhythm(rh store.Rhythm) string {
	switch rh.Unit {
	case store.Weeks:
		return r.c.plural(msgRhythmWeeks1, msgRhythmWeeksN, rh.N)
	case store.Months:
		return r.c.plural(msgRhythmMonths1, msgRhythmMonthsN, rh.N)
	}
	return r.c.plural(msgRhythmDays1, msgRhythmDaysN, rh.N)
}

// nextUpdate is the card's line about the next update: when it is
// expected, or since when it is late. Closed actions have none.
func (r renderer) nextUpdate(a store.Action, today store.Date) string {
	if a.Status.Closed() {
		return ""
	}
	next := a.NextUpdate(r.loc)
	if late := a.UpdateLate(today, r.loc); late > 0 {
		return r.c.t(msgUpdateLate, r.c.dayMonthYear(next), r.c.plural(msgDays1, msgDaysN, late))
	}
	return r.c.t(msgNextUpdate, r.c.longDate(next), r.rhythm(a.Rhythm()))
}

// updateLate says since when an action's update is expected: « point
// attendu depuis le 27 octobre 2026 (30 jours) ».
func (r renderer) updateLate(a store.Action, today store.Date) string {
	return r.c.t(msgUpdateLateShort, r.c.dayMonthYear(a.NextUpdate(r.loc)), r.c.plural(msgDays1, msgDaysN, a.UpdateLate(today, r.loc)))
}

// runCopilDecision records a decision of the COPIL on the action it names,
// for the leads of the action's group and admins.
func (h *Handler) runCopilDecision(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	a, err := h.action(ctx, c.Number)
	if err != nil {
		return Message{}, err
	}
	if err := h.allowed(ctx, r.UserID, a, Leads); err != nil {
		return Message{}, err
	}
	d, m, err := h.store.RecordDecision(ctx, a.Number, c.Text, r.UserID, h.loc)
	if errors.Is(err, store.ErrNotFound) {
		return Message{}, &UserError{Code: ENotFound, Key: msgDecisionNoMeeting}
	}
	if err != nil {
		return Message{}, err
	}
	text := h.cat.t(msgDecisionRecorded, h.cat.dayMonthYear(store.DateOf(m.At, h.loc)), a.Number, escape(a.Title), escape(d.Text))
	return Message{Blocks: blocksOf(text), Text: text}, nil
}

// meetingOf returns the meeting on day, or the last one held by now when
// day is zero; none is the user's mistake.
func (h *Handler) meetingOf(ctx context.Context, day store.Date, now time.Time) (store.Meeting, error) {
	if day.IsZero() {
		m, err := h.store.LastHeldMeeting(ctx, now, h.loc)
		if errors.Is(err, store.ErrNotFound) {
			return m, &UserError{Code: ENotFound, Key: msgMinutesNoMeeting}
		}
		return m, err
	}
	m, err := h.store.MeetingOn(ctx, day, h.loc)
	if errors.Is(err, store.ErrNotFound) {
		return m, &UserError{Code: ENotFound, Key: msgMeetingNotFound, Args: []any{h.cat.short(day)}}
	}
	return m, err
}

// runCopilDecisions lists a meeting's decisions by action, each action with
// its state today.
func (h *Handler) runCopilDecisions(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	m, err := h.meetingOf(ctx, c.Day, r.Now)
	if err != nil {
		return Message{}, err
	}
	ds, err := h.store.Decisions(ctx, m)
	if err != nil {
		return Message{}, err
	}
	return h.renderer().decisions(m, ds), nil
}

// decisions renders a meeting's decisions: one section per action, its
// status and progress now, then its decisions.
func (r renderer) decisions(m store.Meeting, ds []store.Decision) Message {
	title := r.c.t(msgDecisionsTitle, r.c.dayMonthYear(store.DateOf(m.At, r.loc)))
	blocks := []slack.Block{header(title)}
	lines := []string{title}
	if len(ds) == 0 {
		none := r.c.t(msgDecisionsNone)
		return Message{Blocks: append(blocks, section(none)), Text: title + "\n" + none}
	}
	var groups [][]store.Decision
	for i, d := range ds {
		if i == 0 || ds[i-1].ActionID != d.ActionID {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], d)
	}
	shown := groups
	if len(groups) > maxBlocks-2 {
		shown = groups[:maxBlocks-2]
	}
	for _, g := range shown {
		a := g[0].Action
		var b strings.Builder
		b.WriteString(r.c.t(msgCardTitle, a.Number, escape(a.Title)))
		b.WriteString(" — " + r.status(a.Status) + " · " + r.c.percent(a.Progress))
		for _, d := range g {
			b.WriteString("\n• " + escape(d.Text))
		}
		text := clip(b.String(), maxTextLen)
		blocks = append(blocks, section(text))
		lines = append(lines, text)
	}
	if more := len(groups) - len(shown); more > 0 {
		t := r.c.plural(msgDecisionsMore1, msgDecisionsMoreN, more)
		blocks = append(blocks, contextBlock(t))
		lines = append(lines, t)
	}
	return Message{Blocks: blocks, Text: strings.Join(lines, "\n")}
}

// runCopilMinutes makes the minutes of a meeting and asks the transport
// to upload them in the channel.
func (h *Handler) runCopilMinutes(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	m, err := h.meetingOf(ctx, c.Day, r.Now)
	if err != nil {
		return Message{}, err
	}
	mn, err := h.MinutesOf(ctx, store.DateOf(m.At, h.loc), r.Now, h.names)
	if err != nil {
		return Message{}, err
	}
	text := h.cat.t(msgMinutesPosted, h.cat.dayMonthYear(store.DateOf(m.At, h.loc)))
	return Message{Blocks: blocksOf(text), Text: text, InChannel: true,
		Upload: &File{Data: mn.PDF, Name: mn.FileName, Title: mn.Title}, Minutes: &mn}, nil
}

// followUp is the reminder's « Suivi des décisions du COPIL du … »: each
// decision of the meeting held before m, its action's status and progress
// now, and what changed on it since. ok is false when that meeting decided
// nothing (or there was none).
func (h *Handler) followUp(ctx context.Context, m store.Meeting, now time.Time) (p part, ok bool, err error) {
	prev, err := h.store.PreviousMeeting(ctx, m.At)
	if errors.Is(err, store.ErrNotFound) {
		return part{}, false, nil
	}
	if err != nil {
		return part{}, false, err
	}
	fs, err := h.store.FollowUps(ctx, prev, now)
	if err != nil || len(fs) == 0 {
		return part{}, false, err
	}
	rd := h.renderer()
	lines := make([]string, 0, len(fs))
	for _, f := range fs {
		a := f.Decision.Action
		line := fmt.Sprintf("• *%d* %s — %s · %s\n      _%s_", a.Number, escape(clip(a.Title, 80)),
			rd.status(a.Status), h.cat.percent(a.Progress), escape(clip(f.Decision.Text, 200)))
		if len(f.Changes) == 0 {
			line += "\n      " + h.cat.t(msgFollowUpNoChange)
		} else {
			changes := make([]string, 0, len(f.Changes))
			for _, e := range f.Changes {
				e.Note, e.Old, e.New = clip(e.Note, changeNoteSize), clip(e.Old, changeNoteSize), clip(e.New, changeNoteSize)
				changes = append(changes, rd.entry(e))
			}
			line += "\n      " + h.cat.t(msgFollowUpChanges, strings.Join(changes, " ; "))
		}
		lines = append(lines, line)
	}
	title := h.cat.t(msgFollowUpTitle, h.cat.dayMonthYear(store.DateOf(prev.At, h.loc)))
	return part{title: title, body: limitLines(lines, h.cat.moreIn(h.cat.t(msgFollowUpHint)))}, true, nil
}

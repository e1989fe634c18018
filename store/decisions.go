package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Decision is a decision of the COPIL on one action, recorded during or
// after the meeting it belongs to.
type Decision struct {
	ID           uint    `gorm:"primaryKey"`
	MeetingID    uint    `gorm:"index;not null"`
	Meeting      Meeting `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	ActionID     uint    `gorm:"index;not null"`
	Action       Action  `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	ActionNumber int     `gorm:"not null"`
	Text         string  `gorm:"not null"`
	Author       string  `gorm:"not null"` // Slack user ID
	At           time.Time
}

// MaxDecisionLen bounds a decision's text, in characters: a decision is a
// sentence or two, and it is quoted in reminders and the minutes.
const MaxDecisionLen = 1000

// RecordDecision records text as a decision of the COPIL on action n. It
// belongs to the meeting held on the day of the store's now (in loc), or
// else to the last meeting held before now; with no meeting at all it
// fails with ErrNotFound. The decision is also written to the action's
// journal (FieldDecision), in the same transaction; it is not an update of
// the action.
func (s *Store) RecordDecision(ctx context.Context, n int, text, author string, loc *time.Location) (Decision, Meeting, error) {
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > MaxDecisionLen {
		return Decision{}, Meeting{}, fmt.Errorf("decision of %d characters: %w", len([]rune(text)), ErrInvalid)
	}
	now := s.Now()
	var d Decision
	var m Meeting
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if m, err = meetingOfDecision(tx, now, loc); err != nil {
			return err
		}
		a, err := actionByNumber(tx, n)
		if err != nil {
			return err
		}
		d = Decision{MeetingID: m.ID, ActionID: a.ID, ActionNumber: a.Number, Text: text, Author: author, At: now.UTC()}
		if err := tx.Omit("Meeting", "Action").Create(&d).Error; err != nil {
			return fmt.Errorf("decision on action %d: %w", n, err)
		}
		j := journal{action: &a, author: author, at: now.UTC()}
		j.add(FieldDecision, "", DateOf(m.At, loc).String(), text)
		if err := tx.Create(&j.entries).Error; err != nil {
			return fmt.Errorf("journal action %d: %w", n, err)
		}
		return nil
	})
	if err != nil {
		return Decision{}, Meeting{}, err
	}
	d.Meeting = m
	return d, m, nil
}

// meetingOfDecision returns the meeting held on now's day, else the last
// one held before now.
func meetingOfDecision(tx *gorm.DB, now time.Time, loc *time.Location) (Meeting, error) {
	var m Meeting
	day := DateOf(now, loc)
	err := tx.Where("canceled = ? AND at >= ? AND at < ?", false, day.In(loc).UTC(), day.AddDays(1).In(loc).UTC()).
		Order("at").Take(&m).Error
	if err == nil {
		return m, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return m, err
	}
	err = tx.Where("canceled = ? AND at < ?", false, now.UTC()).Order("at DESC").Take(&m).Error
	return m, notFound(err, "meeting held by now")
}

// MeetingOn returns the meeting (not canceled) on day, in loc.
func (s *Store) MeetingOn(ctx context.Context, day Date, loc *time.Location) (Meeting, error) {
	var m Meeting
	err := s.db.WithContext(ctx).Where("canceled = ? AND at >= ? AND at < ?", false,
		day.In(loc).UTC(), day.AddDays(1).In(loc).UTC()).Order("at").Take(&m).Error
	return m, notFound(err, "meeting on "+day.String())
}

// LastHeldMeeting returns the meeting of now's day if there is one, else
// the last held before now: the meeting whose decisions are « the last
// COPIL's ».
func (s *Store) LastHeldMeeting(ctx context.Context, now time.Time, loc *time.Location) (Meeting, error) {
	return meetingOfDecision(s.db.WithContext(ctx), now, loc)
}

// Decisions returns the decisions of meeting, in action number order, then
// in the order they were recorded, each with its action loaded.
func (s *Store) Decisions(ctx context.Context, meeting Meeting) ([]Decision, error) {
	var ds []Decision
	err := s.db.WithContext(ctx).Where("meeting_id = ?", meeting.ID).Order("action_number, id").Find(&ds).Error
	if err != nil {
		return nil, fmt.Errorf("decisions: %w", err)
	}
	if len(ds) == 0 {
		return ds, nil
	}
	numbers := make([]int, 0, len(ds))
	for _, d := range ds {
		numbers = append(numbers, d.ActionNumber)
	}
	page, err := s.Actions(ctx, Filter{Numbers: numbers})
	if err != nil {
		return nil, fmt.Errorf("decisions: %w", err)
	}
	byID := map[uint]Action{}
	for _, a := range page.Actions {
		byID[a.ID] = a
	}
	for i := range ds {
		ds[i].Meeting = meeting
		ds[i].Action = byID[ds[i].ActionID]
	}
	return ds, nil
}

// FollowUp is one decision of a past COPIL, its action as it stands now and
// what changed on the action since the decision.
type FollowUp struct {
	Decision Decision
	Changes  []JournalEntry // oldest first; notes included, decisions not
}

// FollowUps returns the decisions of meeting with what changed on each
// action since the decision was recorded, until now.
func (s *Store) FollowUps(ctx context.Context, meeting Meeting, now time.Time) ([]FollowUp, error) {
	ds, err := s.Decisions(ctx, meeting)
	if err != nil {
		return nil, err
	}
	out := make([]FollowUp, 0, len(ds))
	for _, d := range ds {
		var entries []JournalEntry
		err := s.db.WithContext(ctx).Where("action_id = ? AND at >= ? AND at < ? AND field NOT IN ?",
			d.ActionID, d.At.UTC(), now.UTC(), []string{FieldDecision, FieldRhythm}).Order("id").Find(&entries).Error
		if err != nil {
			return nil, fmt.Errorf("follow-up of decision %d: %w", d.ID, err)
		}
		out = append(out, FollowUp{Decision: d, Changes: entries})
	}
	return out, nil
}

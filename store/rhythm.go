package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// RhythmUnit is the unit of a Rhythm.
type RhythmUnit byte

// The units of a rhythm. A month is a calendar month: from 31 January, one
// month on is 3 March (time.AddDate's rule).
const (
	Days   RhythmUnit = 'd'
	Weeks  RhythmUnit = 'w'
	Months RhythmUnit = 'm'
)

// Rhythm is how often an action is expected to be updated: every 14 days, 2
// weeks, 1 month. It keeps the unit it was given, so that « 2 semaines »
// read from a spreadsheet is written back as « 2 semaines », not « 14j ».
// The zero Rhythm is "none given": an action without one follows its
// group's, and a group without one follows DefaultRhythm.
type Rhythm struct {
	N    int
	Unit RhythmUnit
}

// DefaultRhythm is the rhythm of a group whose configuration gives none:
// an update every 30 days.
var DefaultRhythm = Rhythm{30, Days}

// MaxRhythmDays bounds a rhythm, so that a typo (« 1000 mois ») is refused
// rather than silencing an action for ever: about two years.
const MaxRhythmDays = 731

// IsZero reports whether r is the zero Rhythm.
func (r Rhythm) IsZero() bool { return r == Rhythm{} }

// Valid reports whether r is a positive number of a known unit, no longer
// than MaxRhythmDays.
func (r Rhythm) Valid() bool {
	if r.N < 1 {
		return false
	}
	switch r.Unit {
	case Days:
		return r.N <= MaxRhythmDays
	case Weeks:
		return r.N*7 <= MaxRhythmDays
	case Months:
		return r.N*31 <= MaxRhythmDays
	}
	return false
}

// String writes r in its stored form, "14d", "2w" or "1m"; "" for the zero
// Rhythm. ParseRhythm reads it back. Wording for people («14 jours») is
// the caller's.
func (r Rhythm) String() string {
	if r.IsZero() {
		return ""
	}
	return strconv.Itoa(r.N) + string(r.Unit)
}

// ParseRhythm reads a rhythm written by String ("14d", "2w", "1m"), as the
// configuration gives it; the empty string is the zero Rhythm.
func ParseRhythm(s string) (Rhythm, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Rhythm{}, nil
	}
	unit := RhythmUnit(s[len(s)-1])
	n, err := strconv.Atoi(s[:len(s)-1])
	r := Rhythm{n, unit}
	if err != nil || !r.Valid() {
		return Rhythm{}, fmt.Errorf("rhythm %q (want a number of days, weeks or months such as \"30d\", \"2w\", \"1m\"): %w", s, ErrInvalid)
	}
	return r, nil
}

// After returns the day r after d.
func (r Rhythm) After(d Date) Date { return r.times(d, 1) }

// times returns d moved by k rhythms (k may be negative).
func (r Rhythm) times(d Date, k int) Date {
	t := d.In(time.UTC)
	switch r.Unit {
	case Weeks:
		t = t.AddDate(0, 0, 7*r.N*k)
	case Months:
		t = t.AddDate(0, r.N*k, 0)
	default:
		t = t.AddDate(0, 0, r.N*k)
	}
	return DateOf(t, time.UTC)
}

// Value stores r as its String, NULL for the zero Rhythm.
func (r Rhythm) Value() (driver.Value, error) {
	if r.IsZero() {
		return nil, nil
	}
	return r.String(), nil
}

// Scan reads a rhythm stored by Value.
func (r *Rhythm) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*r = Rhythm{}
		return nil
	case string:
		p, err := ParseRhythm(v)
		*r = p
		return err
	case []byte:
		p, err := ParseRhythm(string(v))
		*r = p
		return err
	}
	return fmt.Errorf("store: cannot scan %T into Rhythm", src)
}

// GormDataType tells GORM the column type.
func (Rhythm) GormDataType() string { return "text" }

// Rhythm returns the rhythm the action follows: its own, else its group's
// (the Group must be loaded, as every query of this package does), else
// DefaultRhythm.
func (a Action) Rhythm() Rhythm {
	switch {
	case !a.UpdateEvery.IsZero():
		return a.UpdateEvery
	case !a.Group.UpdateEvery.IsZero():
		return a.Group.UpdateEvery
	}
	return DefaultRhythm
}

// LastUpdate returns the day, in loc, of the action's last change or note.
// Every change and every note counts as an update; a COPIL decision or a
// new rhythm, which are not news from the pilote, do not.
func (a Action) LastUpdate(loc *time.Location) Date { return DateOf(a.UpdatedAt, loc) }

// NextUpdate returns the day the next update is expected: one rhythm after
// the last.
func (a Action) NextUpdate(loc *time.Location) Date { return a.Rhythm().After(a.LastUpdate(loc)) }

// UpdateLate returns how many days the action's update is late on today:
// 0 when it is not, or when the action is done or abandoned. It is late
// when its last update is more than one rhythm before today (the same test
// Filter.UpdateLate makes in SQL).
func (a Action) UpdateLate(today Date, loc *time.Location) int {
	if !a.lateBy(1, today, loc) {
		return 0
	}
	// At least a day: a month's rhythm from the 31st may end a day or
	// two past the cutoff.
	return max(1, today.DaysSince(a.NextUpdate(loc)))
}

// Escalated reports whether the action's update is late by more than twice
// its rhythm on today: nothing for two whole rhythms and more.
func (a Action) Escalated(today Date, loc *time.Location) bool { return a.lateBy(2, today, loc) }

// lateBy reports whether the action is open and its last update is more
// than k rhythms before today.
func (a Action) lateBy(k int, today Date, loc *time.Location) bool {
	return !a.Status.Closed() && a.LastUpdate(loc).Before(a.Rhythm().times(today, -k))
}

// SetRhythm sets the rhythm of action n; the zero Rhythm removes the
// action's own, so that it follows its group's again. The change is
// journaled (field FieldRhythm) but is not an update: the action's last
// update stays what it was.
func (s *Store) SetRhythm(ctx context.Context, n int, r Rhythm, author string) (Change, error) {
	if !r.IsZero() && !r.Valid() {
		return Change{}, fmt.Errorf("rhythm %q: %w", r, ErrInvalid)
	}
	var ch Change
	err := s.tx(ctx, func(tx *gorm.DB) error {
		a, err := actionByNumber(tx, n)
		if err != nil {
			return err
		}
		ch.Action = a
		if a.UpdateEvery == r {
			return nil
		}
		j := journal{action: &a, author: author, at: s.Now().UTC()}
		j.add(FieldRhythm, a.UpdateEvery.String(), r.String(), "")
		// UpdateColumn: updated_at, the last update, stays.
		if err := tx.Model(&Action{ID: a.ID}).UpdateColumn("update_every", r).Error; err != nil {
			return fmt.Errorf("rhythm of action %d: %w", n, err)
		}
		if err := refreshOpenRhythm(tx, "id = ?", a.ID); err != nil {
			return err
		}
		if err := tx.Create(&j.entries).Error; err != nil {
			return fmt.Errorf("journal action %d: %w", n, err)
		}
		a.UpdateEvery = r
		ch = Change{Action: a, Entries: j.entries}
		return nil
	})
	return ch, err
}

// Lateness is one action whose update is late, and by how much.
type Lateness struct {
	Action Action
	Next   Date // the day the update was expected
	Days   int  // days since then
}

// UpdatesLate returns the actions matching f whose update is late on
// today — by more than twice their rhythm with escalated — in f's order,
// and how many there are in all (f.Limit and f.Offset page them).
func (s *Store) UpdatesLate(ctx context.Context, f Filter, today Date, loc *time.Location, escalated bool) ([]Lateness, int, error) {
	f.UpdateLate, f.Zone, f.LateTwice = today, loc, escalated
	page, err := s.Actions(ctx, f)
	if err != nil {
		return nil, 0, fmt.Errorf("updates late: %w", err)
	}
	out := make([]Lateness, 0, len(page.Actions))
	for _, a := range page.Actions {
		out = append(out, Lateness{Action: a, Next: a.NextUpdate(loc), Days: a.UpdateLate(today, loc)})
	}
	return out, page.Total, nil
}

// lateCondition is the SQL of Filter.UpdateLate: for each rhythm that
// open actions follow (actions.open_rhythm: their own, else their
// group's, else DefaultRhythm), the actions following it whose last update
// is before today less one rhythm (two with LateTwice). Exact, so that the
// database counts and pages them; each term is one range of the index
// idx_actions_late (group, rhythm, last update), read without the table.
// A closed action has no open_rhythm, so no term keeps it.
func (s *Store) lateCondition(ctx context.Context, f Filter) (clause.Expr, error) {
	loc := f.Zone
	if loc == nil {
		loc = time.UTC
	}
	k := 1
	if f.LateTwice {
		k = 2
	}
	rhythms, err := s.openRhythms(ctx, f.Group)
	if err != nil {
		return clause.Expr{}, err
	}
	if len(rhythms) == 0 {
		return clause.Expr{SQL: "0 = 1"}, nil
	}
	parts := make([]string, 0, len(rhythms))
	vars := make([]any, 0, 2*len(rhythms))
	for _, r := range rhythms {
		parts = append(parts, "(actions.open_rhythm = ? AND actions.updated_at < ?)")
		vars = append(vars, r.String(), r.times(f.UpdateLate, -k).In(loc).UTC())
	}
	return clause.Expr{SQL: "(" + strings.Join(parts, " OR ") + ")", Vars: vars}, nil
}

// openRhythms returns the rhythms that open actions — of group, when not
// empty — follow, in the order of their stored form: one seek of the index
// per rhythm (a loose index scan), however many actions follow each.
func (s *Store) openRhythms(ctx context.Context, group string) ([]Rhythm, error) {
	var out []Rhythm
	for last := ""; ; {
		q := s.db.WithContext(ctx).Model(&Action{}).Where("actions.open_rhythm > ?", last)
		if group != "" {
			q = q.Where("actions.group_key = ?", group)
		}
		var next []string
		if err := q.Order("actions.open_rhythm").Limit(1).Pluck("actions.open_rhythm", &next).Error; err != nil {
			return nil, fmt.Errorf("rhythms in use: %w", err)
		}
		if len(next) == 0 {
			return out, nil
		}
		r, err := ParseRhythm(next[0])
		if err != nil {
			return nil, fmt.Errorf("rhythms in use: %w", err)
		}
		out = append(out, r)
		last = next[0]
	}
}

// openRhythmSQL is, over a row of actions, the rhythm the action follows
// while it is open — its own, else its group's, else DefaultRhythm — and
// NULL once it is done or abandoned: what actions.open_rhythm holds.
// Migration 00035 fills the column with the same expression.
var openRhythmSQL = fmt.Sprintf(`CASE WHEN actions.status IN ('%s', '%s') THEN NULL `+
	`ELSE COALESCE(actions.update_every, (SELECT "g".update_every FROM "groups" AS "g" WHERE "g"."key" = actions.group_key), '%s') END`,
	StatusDone, StatusAbandoned, DefaultRhythm)

// refreshOpenRhythms sets actions.open_rhythm of the actions of ids, in tx,
// importChunk at a time.
func refreshOpenRhythms(tx *gorm.DB, ids []uint) error {
	for lo := 0; lo < len(ids); lo += importChunk {
		if err := refreshOpenRhythm(tx, "id IN ?", ids[lo:min(lo+importChunk, len(ids))]); err != nil {
			return err
		}
	}
	return nil
}

// refreshOpenRhythm sets actions.open_rhythm of the actions matching
// where, in tx: called by every change of an action's status, rhythm or
// group, in its transaction.
func refreshOpenRhythm(tx *gorm.DB, where string, args ...any) error {
	if err := tx.Exec("UPDATE actions SET open_rhythm = "+openRhythmSQL+" WHERE "+where, args...).Error; err != nil {
		return fmt.Errorf("rhythm followed: %w", err)
	}
	return nil
}

// NewsReason says why an action needs news from its pilote.
type NewsReason uint8

// The reasons an action needs news; one action may have several.
const (
	NewsUpdateLate   NewsReason = 1 << iota // its update is late
	NewsOverdue                             // past its due date
	NewsSinceMeeting                        // unchanged since the last COPIL
)

// NeedingNews is one action that needs news, and why.
type NeedingNews struct {
	Action  Action
	Reasons NewsReason
	Next    Date // the day the next update is expected
}

// ActionsNeedingNews returns, in number order, the open actions that
// userID pilotes or contributes to and that need news on now: the update
// is late, the action is overdue, or it is unchanged since the last COPIL
// held before now. This is what a check-in steps through.
func (s *Store) ActionsNeedingNews(ctx context.Context, userID string, now time.Time, loc *time.Location) ([]NeedingNews, error) {
	if userID == "" {
		return nil, nil
	}
	page, err := s.Actions(ctx, Filter{Person: userID, Open: true, Order: ByNumber})
	if err != nil {
		return nil, fmt.Errorf("actions needing news: %w", err)
	}
	var since time.Time
	if m, err := s.PreviousMeeting(ctx, now); err == nil {
		since = m.At
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	today := DateOf(now, loc)
	var out []NeedingNews
	for _, a := range page.Actions {
		var why NewsReason
		if a.UpdateLate(today, loc) > 0 {
			why |= NewsUpdateLate
		}
		if a.Overdue(today) {
			why |= NewsOverdue
		}
		if !since.IsZero() && a.UpdatedAt.Before(since) {
			why |= NewsSinceMeeting
		}
		if why != 0 {
			out = append(out, NeedingNews{Action: a, Reasons: why, Next: a.NextUpdate(loc)})
		}
	}
	return out, nil
}

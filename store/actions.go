package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Edit is a change to one action: each non-nil field is set, Note (when
// not empty) is added to the journal. All of it is applied, and journaled,
// in one transaction.
type Edit struct {
	Status       *Status
	Progress     *int
	Pilote       *Person
	Contributors *[]Person
	Due          *Date // a pointer to the zero Date clears the due date
	Note         string
}

// Change is what an edit did: the action as it now stands and the journal
// entries written, in order. No entries means nothing changed.
type Change struct {
	Action  Action
	Entries []JournalEntry
}

// NumberRange returns the lowest and highest action numbers, and how many
// actions there are; all zero for an empty plan.
func (s *Store) NumberRange(ctx context.Context) (lo, hi, count int, err error) {
	var r struct{ Lo, Hi, N int }
	err = s.db.WithContext(ctx).Model(&Action{}).
		Select("COALESCE(MIN(number),0) AS lo, COALESCE(MAX(number),0) AS hi, COUNT(*) AS n").Scan(&r).Error
	return r.Lo, r.Hi, r.N, err
}

// SetStatus sets the status of action n. Setting StatusDone also sets
// progress to 100.
func (s *Store) SetStatus(ctx context.Context, n int, st Status, author string) (Change, error) {
	return s.Apply(ctx, n, author, Edit{Status: &st})
}

// SetProgress sets the progress (0–100) of action n.
func (s *Store) SetProgress(ctx context.Context, n, progress int, author string) (Change, error) {
	return s.Apply(ctx, n, author, Edit{Progress: &progress})
}

// AddNote adds a note to the journal of action n.
func (s *Store) AddNote(ctx context.Context, n int, note, author string) (Change, error) {
	if strings.TrimSpace(note) == "" {
		return Change{}, fmt.Errorf("empty note: %w", ErrInvalid)
	}
	return s.Apply(ctx, n, author, Edit{Note: note})
}

// SetPilote sets the pilote of action n.
func (s *Store) SetPilote(ctx context.Context, n int, p Person, author string) (Change, error) {
	return s.Apply(ctx, n, author, Edit{Pilote: &p})
}

// SetContributors replaces the contributors of action n.
func (s *Store) SetContributors(ctx context.Context, n int, people []Person, author string) (Change, error) {
	return s.Apply(ctx, n, author, Edit{Contributors: &people})
}

// SetDue sets the due date of action n; the zero Date clears it.
func (s *Store) SetDue(ctx context.Context, n int, due Date, author string) (Change, error) {
	return s.Apply(ctx, n, author, Edit{Due: &due})
}

// Apply applies e to action n on behalf of author, writing the change and
// its journal entries in one transaction.
func (s *Store) Apply(ctx context.Context, n int, author string, e Edit) (Change, error) {
	if err := e.validate(); err != nil {
		return Change{}, err
	}
	var ch Change
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockAction(tx, n); err != nil {
			return err
		}
		var err error
		ch, err = s.apply(tx, n, author, e, false)
		return err
	})
	return ch, err
}

// apply applies e to action n, locked in tx, on behalf of author; undo
// marks its entries as an undo's.
func (s *Store) apply(tx *gorm.DB, n int, author string, e Edit, undo bool) (Change, error) {
	var ch Change
	err := func() error {
		a, err := actionByNumber(tx, n)
		if err != nil {
			return err
		}
		j := journal{action: &a, author: author, at: s.Now().UTC(), undo: undo}
		statusChanged := false
		if e.Status != nil && *e.Status != a.Status {
			j.add(FieldStatus, string(a.Status), string(*e.Status), "")
			a.Status, statusChanged = *e.Status, true
		}
		if e.Progress != nil && *e.Progress != a.Progress {
			j.add(FieldProgress, strconv.Itoa(a.Progress), strconv.Itoa(*e.Progress), "")
			a.Progress = *e.Progress
		}
		if a.Status == StatusDone && a.Progress != 100 && (e.Status != nil) {
			j.add(FieldProgress, strconv.Itoa(a.Progress), "100", "")
			a.Progress = 100
		}
		if e.Pilote != nil && *e.Pilote != a.Pilote() {
			j.add(FieldPilote, a.Pilote().String(), e.Pilote.String(), "")
			a.PiloteID, a.PiloteName = e.Pilote.UserID, e.Pilote.Name
		}
		contributorsChanged := false
		if e.Contributors != nil && JoinPeople(*e.Contributors) != JoinPeople(a.People()) {
			j.add(FieldContributors, JoinPeople(a.People()), JoinPeople(*e.Contributors), "")
			contributorsChanged = true
		}
		if e.Due != nil && *e.Due != a.Due {
			j.add(FieldDue, a.Due.String(), e.Due.String(), "")
			a.Due = *e.Due
		}
		noted := false
		if note := strings.TrimSpace(e.Note); note != "" {
			j.add(FieldNote, "", "", note)
			a.SearchText += "\n" + Fold(note)
			noted = true
		}
		if len(j.entries) == 0 {
			ch = Change{Action: a}
			return nil
		}
		if a.Status == StatusDone && a.Progress != 100 {
			return fmt.Errorf("action %d is done, so at 100%%, not %d%%: %w", n, a.Progress, ErrInvalid)
		}
		a.UpdatedAt = j.at
		cols := []any{"progress", "pilote_id", "pilote_name", "due", "updated_at"}
		if noted {
			// Only a note changes the text that search indexes: the
			// index is rewritten only then.
			cols = append(cols, "search_text")
		}
		if err := tx.Model(&Action{ID: a.ID}).Select("status", cols...).
			Updates(&a).Error; err != nil {
			return fmt.Errorf("update action %d: %w", n, err)
		}
		if statusChanged {
			// Closed, an action has no rhythm to follow; reopened, it
			// follows one again.
			if err := refreshOpenRhythm(tx, "id = ?", a.ID); err != nil {
				return err
			}
		}
		if contributorsChanged {
			if err := replaceContributors(tx, a.ID, *e.Contributors); err != nil {
				return err
			}
			a.Contributors = contributorRows(a.ID, *e.Contributors)
		}
		if err := tx.Create(&j.entries).Error; err != nil {
			return fmt.Errorf("journal action %d: %w", n, err)
		}
		ch = Change{Action: a, Entries: j.entries}
		return nil
	}()
	return ch, err
}

// UndoRefusal is why Undo changed nothing. It unwraps to ErrConflict.
type UndoRefusal struct {
	// Reason is UndoNothing, UndoChangedSince, UndoTooOld, UndoNoteOnly,
	// UndoUndone or UndoNoField.
	Reason string
	// By is who changed the action since (UndoChangedSince), At when the
	// change to undo was made (UndoTooOld, UndoUndone).
	By string
	At time.Time
}

// The reasons of an UndoRefusal.
const (
	UndoNothing      = "nothing"       // the author changed nothing of the action
	UndoChangedSince = "changed-since" // someone else changed it after the author
	UndoTooOld       = "too-old"       // the author's last change is older than the window
	UndoNoteOnly     = "note-only"     // the last change is a note, which stays in the journal
	UndoUndone       = "undone"        // the last change is itself an undo, which is not undone
	UndoNoField      = "no-field"      // the last change is a rhythm, a decision or the creation: no field to put back
)

func (e *UndoRefusal) Error() string { return "undo: " + e.Reason }

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *UndoRefusal) Unwrap() error { return ErrConflict }

// Undo reverts author's last change to action n — every field one command
// changed, journaled as a change back — if it was made at or after since
// and no one changed the action after it; a note it held stays. Its
// entries are marked Undo, and an undo is not undone in its turn (that
// would only toggle). Otherwise it changes nothing and returns an
// *UndoRefusal. The check and the reversal are one transaction.
func (s *Store) Undo(ctx context.Context, n int, author string, since time.Time) (Change, error) {
	var ch Change
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockAction(tx, n); err != nil {
			return err
		}
		var id uint
		if err := tx.Model(&Action{}).Select("id").Where("number = ?", n).Take(&id).Error; err != nil {
			return notFound(err, "action "+strconv.Itoa(n))
		}
		var last JournalEntry
		err := tx.Where("action_id = ?", id).Order("id DESC").Take(&last).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return &UndoRefusal{Reason: UndoNothing}
		}
		if err != nil {
			return err
		}
		if last.Author != author {
			var mine int64
			if err := tx.Model(&JournalEntry{}).Where("action_id = ? AND author = ?", id, author).Count(&mine).Error; err != nil {
				return err
			}
			if mine == 0 {
				return &UndoRefusal{Reason: UndoNothing}
			}
			return &UndoRefusal{Reason: UndoChangedSince, By: last.Author}
		}
		if last.Undo {
			// Undoing an undo would only toggle: the author writes the
			// value they want instead.
			return &UndoRefusal{Reason: UndoUndone, At: last.At}
		}
		if last.At.Before(since) {
			return &UndoRefusal{Reason: UndoTooOld, At: last.At}
		}
		var batch []JournalEntry
		if err := tx.Where("action_id = ? AND author = ? AND at = ?", id, author, last.At).Order("id").Find(&batch).Error; err != nil {
			return err
		}
		e, err := reversal(batch)
		if err != nil {
			return err
		}
		ch, err = s.apply(tx, n, author, e, true)
		return err
	})
	return ch, err
}

// reversal is the edit that puts back the old values of a change's
// entries.
func reversal(entries []JournalEntry) (Edit, error) {
	var e Edit
	for _, j := range entries {
		switch j.Field {
		case FieldStatus:
			st := Status(j.Old)
			e.Status = &st
		case FieldProgress:
			if p, err := strconv.Atoi(j.Old); err == nil && e.Progress == nil {
				e.Progress = &p
			}
		case FieldPilote:
			p := ParsePerson(j.Old)
			e.Pilote = &p
		case FieldContributors:
			people := SplitPeople(j.Old)
			e.Contributors = &people
		case FieldDue:
			d := Date{}
			if j.Old != "" {
				var err error
				if d, err = ParseISODate(j.Old); err != nil {
					return e, fmt.Errorf("journal due date %q: %w", j.Old, err)
				}
			}
			e.Due = &d
		}
	}
	if e == (Edit{}) {
		for _, j := range entries {
			if j.Field == FieldNote {
				return e, &UndoRefusal{Reason: UndoNoteOnly}
			}
		}
		return e, &UndoRefusal{Reason: UndoNoField}
	}
	return e, nil
}

// lockAction locks the row of action n until tx ends (SELECT … FOR
// UPDATE), so that writers of one action take turns, in whichever process
// they run: each reads the action as the one before left it, and no update
// is lost. SQLite drops the clause: there a writing transaction holds the
// whole database already.
func lockAction(tx *gorm.DB, n int) error {
	var id uint
	err := tx.Model(&Action{}).Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).
		Select("id").Where("number = ?", n).Take(&id).Error
	return notFound(err, "action "+strconv.Itoa(n))
}

func (e Edit) validate() error {
	if e.Status != nil && !e.Status.Valid() {
		return fmt.Errorf("status %q: %w", *e.Status, ErrInvalid)
	}
	if e.Progress != nil && (*e.Progress < 0 || *e.Progress > 100) {
		return fmt.Errorf("progress %d: %w", *e.Progress, ErrInvalid)
	}
	if e.Pilote != nil && e.Pilote.IsZero() {
		return fmt.Errorf("empty pilote: %w", ErrInvalid)
	}
	if e.Contributors != nil {
		for _, p := range *e.Contributors {
			if p.IsZero() {
				return fmt.Errorf("empty contributor: %w", ErrInvalid)
			}
		}
	}
	return nil
}

// journal collects the entries of one change.
type journal struct {
	action  *Action
	author  string
	at      time.Time
	undo    bool // the entries undo the author's change before
	entries []JournalEntry
}

func (j *journal) add(field, old, new, note string) {
	j.entries = append(j.entries, JournalEntry{
		ActionID: j.action.ID, ActionNumber: j.action.Number, At: j.at,
		Author: j.author, Field: field, Old: old, New: new, Note: note, Undo: j.undo,
	})
}

func replaceContributors(tx *gorm.DB, actionID uint, people []Person) error {
	if err := tx.Where("action_id = ?", actionID).Delete(&Contributor{}).Error; err != nil {
		return fmt.Errorf("contributors: %w", err)
	}
	if rows := contributorRows(actionID, people); len(rows) > 0 {
		if err := tx.Create(&rows).Error; err != nil {
			return fmt.Errorf("contributors: %w", err)
		}
	}
	return nil
}

func contributorRows(actionID uint, people []Person) []Contributor {
	rows := make([]Contributor, len(people))
	for i, p := range people {
		rows[i] = Contributor{ActionID: actionID, Position: i, UserID: p.UserID, Name: p.Name}
	}
	return rows
}

// JoinPeople writes people as one text, "<@U1>; CCI Touraine", the form
// journal entries and spreadsheets use; SplitPeople reads it back.
func JoinPeople(people []Person) string {
	parts := make([]string, len(people))
	for i, p := range people {
		parts[i] = p.String()
	}
	return strings.Join(parts, "; ")
}

// SplitPeople reads a list written by JoinPeople; empty parts are skipped.
func SplitPeople(s string) []Person {
	var out []Person
	for _, part := range strings.Split(s, ";") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, ParsePerson(part))
		}
	}
	return out
}

// HistoryPage returns limit journal entries of action n, newest first,
// after skipping offset, and how many it has in all.
func (s *Store) HistoryPage(ctx context.Context, n, offset, limit int) ([]JournalEntry, int, error) {
	db := s.db.WithContext(ctx).Session(&gorm.Session{})
	var id uint
	if err := db.Model(&Action{}).Select("id").Where("number = ?", n).Take(&id).Error; err != nil {
		return nil, 0, notFound(err, "action "+strconv.Itoa(n))
	}
	var total int64
	if err := db.Model(&JournalEntry{}).Where("action_id = ?", id).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var entries []JournalEntry
	err := db.Where("action_id = ?", id).Order("id DESC").Offset(offset).Limit(limit).Find(&entries).Error
	return entries, int(total), err
}

// History returns the last limit journal entries of action n, newest first.
func (s *Store) History(ctx context.Context, n, limit int) ([]JournalEntry, error) {
	db := s.db.WithContext(ctx)
	var id uint
	if err := db.Model(&Action{}).Select("id").Where("number = ?", n).Take(&id).Error; err != nil {
		return nil, notFound(err, "action "+strconv.Itoa(n))
	}
	var entries []JournalEntry
	err := db.Where("action_id = ?", id).Order("id DESC").Limit(limit).Find(&entries).Error
	return entries, err
}

// NewAction is an action created from Slack: its programme (by code), its
// working group (by key), title, pilote and due date (zero: none).
type NewAction struct {
	ProgrammeCode string
	Group         string
	Title         string
	Pilote        Person
	Due           Date
}

// CreateAction creates action na with the next free number, status « à
// lancer » and progress 0, journaled as created by author, in one
// transaction. An unknown programme or group is ErrNotFound; an empty
// title or pilote ErrInvalid.
func (s *Store) CreateAction(ctx context.Context, na NewAction, author string) (Action, error) {
	na.Title = strings.TrimSpace(na.Title)
	if na.Title == "" || na.Pilote.IsZero() {
		return Action{}, fmt.Errorf("new action without a title or a pilote: %w", ErrInvalid)
	}
	var a Action
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var p Programme
		if err := tx.Where("code = ?", na.ProgrammeCode).Take(&p).Error; err != nil {
			return notFound(err, "programme "+na.ProgrammeCode)
		}
		var g Group
		if err := tx.Where("key = ?", na.Group).Take(&g).Error; err != nil {
			return notFound(err, "group "+na.Group)
		}
		if err := s.dialect.lockNumbers(tx); err != nil {
			return fmt.Errorf("lock action numbers: %w", err)
		}
		var last struct{ N int }
		if err := tx.Model(&Action{}).Select("COALESCE(MAX(number), 0) AS n").Scan(&last).Error; err != nil {
			return err
		}
		at := s.Now().UTC()
		a = Action{
			Number: last.N + 1, ProgrammeID: p.ID, GroupKey: g.Key, Title: na.Title,
			PiloteID: na.Pilote.UserID, PiloteName: na.Pilote.Name, Status: StatusTodo, Due: na.Due,
			SearchText: Fold(na.Title), CreatedAt: at, UpdatedAt: at,
		}
		if err := tx.Omit("Programme", "Group", "Contributors").Create(&a).Error; err != nil {
			return fmt.Errorf("create action %d: %w", a.Number, err)
		}
		if err := refreshOpenRhythm(tx, "id = ?", a.ID); err != nil {
			return err
		}
		entry := JournalEntry{ActionID: a.ID, ActionNumber: a.Number, At: at, Author: author, Field: FieldCreated, New: a.Title}
		return tx.Create(&entry).Error
	})
	if err != nil {
		return Action{}, err
	}
	return s.ActionByNumber(ctx, a.Number)
}

// ProgrammeGroups returns the keys of the working groups the actions of
// programme code belong to, each once.
func (s *Store) ProgrammeGroups(ctx context.Context, code string) ([]string, error) {
	var keys []string
	err := s.db.WithContext(ctx).Model(&Action{}).Distinct("actions.group_key").
		Joins("JOIN programmes ON programmes.id = actions.programme_id").
		Where("programmes.code = ?", code).Order("actions.group_key").Pluck("actions.group_key", &keys).Error
	return keys, err
}

package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ActionRow is one action as a spreadsheet or the demo plan describes it.
// Import upserts rows by Number.
type ActionRow struct {
	Number        int
	AxisCode      string // "S" for the socle, "1".."4"
	AxisName      string
	ProgrammeCode string // "1.2", "S.3"
	ProgrammeName string
	Title         string
	Description   string
	Group         string // working group key
	Pilote        Person
	Contributors  []Person
	Status        Status
	Progress      int
	Due           Date
	UpdateEvery   Rhythm // the action's own rhythm; zero: its group's
}

// RowError is a problem with one row of an import: its index in the rows
// given (0-based), the column at fault and what is wrong.
type RowError struct {
	Row    int
	Column string
	Err    error
}

func (e RowError) Error() string {
	return fmt.Sprintf("row %d, %s: %v", e.Row+1, e.Column, e.Err)
}

func (e RowError) Unwrap() error { return e.Err }

// ImportError lists every problem found in the rows of an import; when
// Import returns it, nothing was changed.
type ImportError struct {
	Problems []RowError
}

func (e *ImportError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	return "import refused: " + strings.Join(parts, "; ")
}

func (e *ImportError) Unwrap() error { return ErrInvalid }

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated, Unchanged int
}

// Import upserts rows by action number in one transaction: new numbers are
// created, existing ones updated, and each change is journaled under
// author. Actions not in rows are left as they are. If any row is invalid
// the whole import is refused with an *ImportError and nothing changes.
func (s *Store) Import(ctx context.Context, rows []ActionRow, author string) (ImportResult, error) {
	groups, err := s.Groups(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	if err := ValidateRows(rows, groups); err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	err = s.tx(ctx, func(tx *gorm.DB) error {
		res = ImportResult{}
		if err := s.setSetting(tx, keySource, SourceImport); err != nil {
			return err
		}
		imp := importer{tx: tx, axes: map[string]*Axis{}, progs: map[string]*Programme{}}
		for i, r := range rows {
			created, changed, err := imp.upsert(r, author, s.Now().UTC())
			if err != nil {
				return fmt.Errorf("row %d (action %d): %w", i+1, r.Number, err)
			}
			switch {
			case created:
				res.Created++
			case changed:
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	return res, nil
}

// ValidateRows checks rows against the plan's rules and the known groups
// and returns an *ImportError naming every problem, or nil.
func ValidateRows(rows []ActionRow, groups []Group) error {
	known := map[string]bool{}
	for _, g := range groups {
		known[g.Key] = true
	}
	var probs []RowError
	bad := func(i int, col string, format string, args ...any) {
		probs = append(probs, RowError{Row: i, Column: col, Err: fmt.Errorf(format+": %w", append(args, ErrInvalid)...)})
	}
	seen := map[int]int{}
	progAxis := map[string]string{}
	for i, r := range rows {
		if r.Number < 1 {
			bad(i, "number", "action number %d must be 1 or more", r.Number)
		} else if j, dup := seen[r.Number]; dup {
			bad(i, "number", "action %d already on row %d", r.Number, j+1)
		} else {
			seen[r.Number] = i
		}
		if r.AxisCode == "" {
			bad(i, "axis", "missing axis")
		}
		if r.ProgrammeCode == "" {
			bad(i, "programme", "missing programme")
		} else if r.AxisCode != "" && !strings.HasPrefix(r.ProgrammeCode, r.AxisCode+".") {
			bad(i, "programme", "programme %s is not in axis %s", r.ProgrammeCode, r.AxisCode)
		} else if a, ok := progAxis[r.ProgrammeCode]; ok && a != r.AxisCode {
			bad(i, "programme", "programme %s given in two axes", r.ProgrammeCode)
		} else {
			progAxis[r.ProgrammeCode] = r.AxisCode
		}
		if strings.TrimSpace(r.Title) == "" {
			bad(i, "title", "missing title")
		}
		if !known[r.Group] {
			bad(i, "group", "unknown working group %q", r.Group)
		}
		if r.Pilote.IsZero() {
			bad(i, "pilote", "missing pilote")
		}
		if !r.Status.Valid() {
			bad(i, "status", "unknown status %q", r.Status)
		}
		if r.Progress < 0 || r.Progress > 100 {
			bad(i, "progress", "progress %d outside 0–100", r.Progress)
		}
	}
	if len(probs) > 0 {
		return &ImportError{Problems: probs}
	}
	return nil
}

type importer struct {
	tx    *gorm.DB
	axes  map[string]*Axis
	progs map[string]*Programme
}

func (im *importer) axis(code, name string) (*Axis, error) {
	if a, ok := im.axes[code]; ok {
		return a, nil
	}
	var a Axis
	err := im.tx.Where("code = ?", code).Take(&a).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		a = Axis{Code: code, Name: name, Position: axisPosition(code)}
		if err := im.tx.Create(&a).Error; err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case name != "" && name != a.Name:
		a.Name = name
		if err := im.tx.Model(&a).Update("name", name).Error; err != nil {
			return nil, err
		}
	}
	im.axes[code] = &a
	return &a, nil
}

func axisPosition(code string) int {
	if code == SocleCode {
		return 0
	}
	n, err := strconv.Atoi(code)
	if err != nil {
		return 1000
	}
	return n
}

func (im *importer) programme(r ActionRow) (*Programme, error) {
	if p, ok := im.progs[r.ProgrammeCode]; ok {
		return p, nil
	}
	ax, err := im.axis(r.AxisCode, r.AxisName)
	if err != nil {
		return nil, err
	}
	var p Programme
	err = im.tx.Where("code = ?", r.ProgrammeCode).Take(&p).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		p = Programme{Code: r.ProgrammeCode, AxisID: ax.ID, Name: r.ProgrammeName, Position: programmePosition(r.ProgrammeCode)}
		if err := im.tx.Create(&p).Error; err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case p.AxisID != ax.ID || (r.ProgrammeName != "" && p.Name != r.ProgrammeName):
		p.AxisID = ax.ID
		if r.ProgrammeName != "" {
			p.Name = r.ProgrammeName
		}
		if err := im.tx.Model(&p).Select("axis_id", "name").Updates(&p).Error; err != nil {
			return nil, err
		}
	}
	p.Axis = *ax
	im.progs[r.ProgrammeCode] = &p
	return &p, nil
}

func programmePosition(code string) int {
	_, after, _ := strings.Cut(code, ".")
	n, err := strconv.Atoi(after)
	if err != nil {
		return 1000
	}
	return n
}

func (im *importer) upsert(r ActionRow, author string, at time.Time) (created, changed bool, err error) {
	prog, err := im.programme(r)
	if err != nil {
		return false, false, err
	}
	err = lockAction(im.tx, r.Number)
	var a Action
	if err == nil {
		a, err = actionByNumber(im.tx, r.Number)
	}
	if errors.Is(err, ErrNotFound) {
		a = Action{
			Number: r.Number, ProgrammeID: prog.ID, GroupKey: r.Group, Title: r.Title, Description: r.Description,
			PiloteID: r.Pilote.UserID, PiloteName: r.Pilote.Name, Status: r.Status, Progress: r.Progress, Due: r.Due, UpdateEvery: r.UpdateEvery,
			SearchText: Fold(r.Title + "\n" + r.Description), CreatedAt: at, UpdatedAt: at,
		}
		if err := im.tx.Omit("Programme", "Group", "Contributors").Create(&a).Error; err != nil {
			return false, false, err
		}
		if err := replaceContributors(im.tx, a.ID, r.Contributors); err != nil {
			return false, false, err
		}
		if err := refreshOpenRhythm(im.tx, "id = ?", a.ID); err != nil {
			return false, false, err
		}
		entry := JournalEntry{ActionID: a.ID, ActionNumber: a.Number, At: at, Author: author, Field: FieldCreated, New: a.Title}
		return true, false, im.tx.Create(&entry).Error
	}
	if err != nil {
		return false, false, err
	}
	j := journal{action: &a, author: author, at: at}
	if a.ProgrammeID != prog.ID {
		j.add(FieldProgramme, a.Programme.Code, prog.Code, "")
		a.ProgrammeID = prog.ID
	}
	// A new group, status or rhythm may change the rhythm the action
	// follows (actions.open_rhythm).
	followed := false
	if a.GroupKey != r.Group {
		j.add(FieldGroup, a.GroupKey, r.Group, "")
		a.GroupKey, followed = r.Group, true
	}
	textChanged := false
	if a.Title != r.Title {
		j.add(FieldTitle, a.Title, r.Title, "")
		a.Title, textChanged = r.Title, true
	}
	if a.Description != r.Description {
		j.add(FieldDescription, a.Description, r.Description, "")
		a.Description, textChanged = r.Description, true
	}
	if a.Pilote() != r.Pilote {
		j.add(FieldPilote, a.Pilote().String(), r.Pilote.String(), "")
		a.PiloteID, a.PiloteName = r.Pilote.UserID, r.Pilote.Name
	}
	contributorsChanged := JoinPeople(a.People()) != JoinPeople(r.Contributors)
	if contributorsChanged {
		j.add(FieldContributors, JoinPeople(a.People()), JoinPeople(r.Contributors), "")
	}
	if a.Status != r.Status {
		j.add(FieldStatus, string(a.Status), string(r.Status), "")
		a.Status, followed = r.Status, true
	}
	if a.Progress != r.Progress {
		j.add(FieldProgress, strconv.Itoa(a.Progress), strconv.Itoa(r.Progress), "")
		a.Progress = r.Progress
	}
	if a.Due != r.Due {
		j.add(FieldDue, a.Due.String(), r.Due.String(), "")
		a.Due = r.Due
	}
	rhythmChanged := false
	if a.UpdateEvery != r.UpdateEvery {
		// Journaled, but not an update: updated_at stays unless
		// something else changed.
		rj := journal{action: &a, author: author, at: at}
		rj.add(FieldRhythm, a.UpdateEvery.String(), r.UpdateEvery.String(), "")
		if err := im.tx.Model(&Action{ID: a.ID}).UpdateColumn("update_every", r.UpdateEvery).Error; err != nil {
			return false, false, err
		}
		if err := im.tx.Create(&rj.entries).Error; err != nil {
			return false, false, err
		}
		a.UpdateEvery, rhythmChanged = r.UpdateEvery, true
		if err := refreshOpenRhythm(im.tx, "id = ?", a.ID); err != nil {
			return false, false, err
		}
	}
	if len(j.entries) == 0 {
		return false, rhythmChanged, nil
	}
	if textChanged {
		var notes []string
		if err := im.tx.Model(&JournalEntry{}).Where("action_id = ? AND field = ?", a.ID, FieldNote).Order("id").Pluck("note", &notes).Error; err != nil {
			return false, false, err
		}
		a.SearchText = Fold(strings.Join(append([]string{a.Title, a.Description}, notes...), "\n"))
	}
	a.UpdatedAt = at
	if err := im.tx.Model(&Action{ID: a.ID}).
		Select("programme_id", "group_key", "title", "description", "pilote_id", "pilote_name", "status", "progress", "due", "search_text", "updated_at").
		Updates(&a).Error; err != nil {
		return false, false, err
	}
	if followed {
		if err := refreshOpenRhythm(im.tx, "id = ?", a.ID); err != nil {
			return false, false, err
		}
	}
	if contributorsChanged {
		if err := replaceContributors(im.tx, a.ID, r.Contributors); err != nil {
			return false, false, err
		}
	}
	return false, true, im.tx.Create(&j.entries).Error
}

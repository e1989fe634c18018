package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

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
//
// An import is prepared before it writes, so that a note from Slack waits
// for the writing, not for the reading of 15,000 rows: the rows are
// checked, the plan is read and every change worked out outside any write
// transaction. In the transaction, the import looks again at the marks of
// the actions (updated_at, rhythm) and works out again the rows of those
// that changed since it read them, so that nothing written meanwhile is
// lost; then it writes the new actions, and last the changed ones. On
// PostgreSQL, where writers of other actions are not held up, the actions
// it changes are locked only for those last statements.
func (s *Store) Import(ctx context.Context, rows []ActionRow, author string) (ImportResult, error) {
	groups, err := s.Groups(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	if err := ValidateRows(rows, groups); err != nil {
		return ImportResult{}, err
	}
	at := s.Now().UTC()
	db := s.db.WithContext(ctx)
	st, err := readImportState(db, rows)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	p, err := st.prepare(db, rows, author, at)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	if s.importPrepared != nil {
		s.importPrepared()
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := st.refresh(tx, nil, &p, rows, author, at); err != nil {
			return err
		}
		if err := s.setSetting(tx, keySource, SourceImport); err != nil {
			return err
		}
		progs, err := p.writeNew(tx, rows)
		if err != nil {
			return err
		}
		if err := st.refresh(tx, p.changing(), &p, rows, author, at); err != nil {
			return err
		}
		return p.writeChanges(tx, rows, progs)
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	return p.res, nil
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

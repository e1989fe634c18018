package store

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// An import runs in two steps (see Store.Import): prepare reads the plan
// and works out every change outside any write transaction; write, under
// the lock, checks the marks of the actions, works out again those that
// changed meanwhile, and writes in a few statements per thousand rows.

// importState is the plan as an import read it: the actions of its rows,
// their contributors and, once needed, their notes.
type importState struct {
	progCodes map[uint]string       // every programme's code by ID
	actions   map[int]*storedAction // the actions of the rows, by number
	marks     map[int]actionMark    // every action's mark when read, by number
	wanted    map[int]bool          // the numbers of the rows
}

// storedAction is one action as an import read it.
type storedAction struct {
	actionHead
	people    []Person
	notes     []string // its notes, oldest first, once notesRead
	notesRead bool
}

// actionHead is an action's own columns, those an import compares.
type actionHead struct {
	ID          uint
	Number      int
	ProgrammeID uint
	GroupKey    string
	Title       string
	Description string
	PiloteID    string
	PiloteName  string
	Status      Status
	Progress    int
	Due         Date
	UpdateEvery Rhythm
	UpdatedAt   time.Time
}

// actionMark tells whether an action changed since it was read: every
// change to an action sets its updated_at (a note, a status, its
// contributors…), except a new rhythm, which is not an update.
type actionMark struct {
	ID          uint
	Number      int
	UpdatedAt   time.Time
	UpdateEvery Rhythm
}

func (m actionMark) same(o actionMark) bool {
	return m.ID == o.ID && m.UpdatedAt.Equal(o.UpdatedAt) && m.UpdateEvery == o.UpdateEvery
}

// importChunk bounds the values of one IN (…) list or multi-row INSERT.
const importChunk = 500

// readImportState reads what the import of rows compares them with.
func readImportState(db *gorm.DB, rows []ActionRow) (*importState, error) {
	st := &importState{wanted: make(map[int]bool, len(rows)), actions: map[int]*storedAction{}}
	for _, r := range rows {
		st.wanted[r.Number] = true
	}
	if err := st.readProgrammes(db); err != nil {
		return nil, err
	}
	var marks []actionMark
	if err := db.Model(&Action{}).Select("id, number, updated_at, update_every").Find(&marks).Error; err != nil {
		return nil, fmt.Errorf("read actions: %w", err)
	}
	st.marks = make(map[int]actionMark, len(marks))
	var numbers []int
	for _, m := range marks {
		st.marks[m.Number] = m
		if st.wanted[m.Number] {
			numbers = append(numbers, m.Number)
		}
	}
	if err := st.readActions(db, numbers); err != nil {
		return nil, err
	}
	return st, nil
}

func (st *importState) readProgrammes(db *gorm.DB) error {
	var progs []Programme
	if err := db.Select("id, code").Find(&progs).Error; err != nil {
		return fmt.Errorf("read programmes: %w", err)
	}
	st.progCodes = make(map[uint]string, len(progs))
	for _, p := range progs {
		st.progCodes[p.ID] = p.Code
	}
	return nil
}

// readActions (re)reads the actions numbered numbers and their
// contributors; their notes are read again when needed.
func (st *importState) readActions(db *gorm.DB, numbers []int) error {
	byID := map[uint]*storedAction{}
	for lo := 0; lo < len(numbers); lo += importChunk {
		var heads []actionHead
		err := db.Model(&Action{}).
			Select("id, number, programme_id, group_key, title, description, pilote_id, pilote_name, status, progress, due, update_every, updated_at").
			Where("number IN ?", numbers[lo:min(lo+importChunk, len(numbers))]).Find(&heads).Error
		if err != nil {
			return fmt.Errorf("read actions: %w", err)
		}
		for _, h := range heads {
			a := &storedAction{actionHead: h}
			st.actions[h.Number] = a
			byID[h.ID] = a
		}
	}
	ids := make([]uint, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	for lo := 0; lo < len(ids); lo += importChunk {
		var cs []Contributor
		err := db.Where("action_id IN ?", ids[lo:min(lo+importChunk, len(ids))]).Order("action_id, position").Find(&cs).Error
		if err != nil {
			return fmt.Errorf("read contributors: %w", err)
		}
		for _, c := range cs {
			a := byID[c.ActionID]
			a.people = append(a.people, c.Person())
		}
	}
	return nil
}

// readNotes reads the notes of the actions that need them, in chunks.
func (st *importState) readNotes(db *gorm.DB, need []*storedAction) error {
	byID := make(map[uint]*storedAction, len(need))
	ids := make([]uint, len(need))
	for i, a := range need {
		byID[a.ID], ids[i] = a, a.ID
		a.notes, a.notesRead = nil, true
	}
	for lo := 0; lo < len(ids); lo += importChunk {
		var notes []struct {
			ActionID uint
			Note     string
		}
		err := db.Model(&JournalEntry{}).Select("action_id, note").
			Where("field = ? AND action_id IN ?", FieldNote, ids[lo:min(lo+importChunk, len(ids))]).Order("id").Find(&notes).Error
		if err != nil {
			return fmt.Errorf("read notes: %w", err)
		}
		for _, n := range notes {
			a := byID[n.ActionID]
			a.notes = append(a.notes, n.Note)
		}
	}
	return nil
}

// refresh runs in the writing transaction. It reads the marks of the
// actions — of every action when ids is nil, else of those, locked until
// the transaction ends (PostgreSQL; on SQLite the transaction holds the
// database already) — and rereads the import's actions that changed
// since they were read, or appeared; if any did, *p is prepared again.
func (st *importState) refresh(tx *gorm.DB, ids []uint, p **importPlan, rows []ActionRow, author string, at time.Time) error {
	var marks []actionMark
	if ids == nil {
		err := tx.Model(&Action{}).Select("id, number, updated_at, update_every").Find(&marks).Error
		if err != nil {
			return fmt.Errorf("read actions: %w", err)
		}
	}
	for lo := 0; lo < len(ids); lo += importChunk {
		var some []actionMark
		err := tx.Model(&Action{}).Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).
			Select("id, number, updated_at, update_every").Where("id IN ?", ids[lo:min(lo+importChunk, len(ids))]).
			Order("id").Find(&some).Error
		if err != nil {
			return fmt.Errorf("lock actions: %w", err)
		}
		marks = append(marks, some...)
	}
	var changed []int
	for _, m := range marks {
		if old, ok := st.marks[m.Number]; st.wanted[m.Number] && (!ok || !old.same(m)) {
			changed = append(changed, m.Number)
			delete(st.actions, m.Number)
		}
		st.marks[m.Number] = m
	}
	if len(changed) == 0 {
		return nil
	}
	if err := st.readProgrammes(tx); err != nil {
		return err
	}
	if err := st.readActions(tx, changed); err != nil {
		return err
	}
	again, err := st.prepare(tx, rows, author, at)
	if err != nil {
		return err
	}
	*p = again
	return nil
}

// importPlan is every write of an import, worked out: one step per row.
type importPlan struct {
	res   ImportResult
	steps []importStep
}

// importStep is what the import does to the action of one row.
type importStep struct {
	action *storedAction // nil: the action is created
	// rhythm is the entry of a new rhythm of the action, written first: it
	// is not an update, so it does not touch updated_at.
	rhythm       *JournalEntry
	entries      []JournalEntry // the changes, journaled; for a new action its creation
	text         bool           // title or description changed: search text too
	searchText   string
	contributors bool // replaced by the row's
}

// prepare works out the import of rows from st; db reads the notes of the
// actions whose text changes.
func (st *importState) prepare(db *gorm.DB, rows []ActionRow, author string, at time.Time) (*importPlan, error) {
	p := &importPlan{steps: make([]importStep, len(rows))}
	var needNotes []*storedAction
	for i, r := range rows {
		step := &p.steps[i]
		a, ok := st.actions[r.Number]
		if !ok {
			step.entries = []JournalEntry{{ActionNumber: r.Number, At: at, Author: author, Field: FieldCreated, New: r.Title}}
			step.searchText = Fold(r.Title + "\n" + r.Description)
			step.contributors = len(r.Contributors) > 0
			p.res.Created++
			continue
		}
		step.action = a
		add := func(field, old, new string) {
			step.entries = append(step.entries, JournalEntry{
				ActionID: a.ID, ActionNumber: a.Number, At: at, Author: author, Field: field, Old: old, New: new,
			})
		}
		if code := st.progCodes[a.ProgrammeID]; code != r.ProgrammeCode {
			add(FieldProgramme, code, r.ProgrammeCode)
		}
		if a.GroupKey != r.Group {
			add(FieldGroup, a.GroupKey, r.Group)
		}
		if a.Title != r.Title {
			add(FieldTitle, a.Title, r.Title)
			step.text = true
		}
		if a.Description != r.Description {
			add(FieldDescription, a.Description, r.Description)
			step.text = true
		}
		if was := (Person{UserID: a.PiloteID, Name: a.PiloteName}); was != r.Pilote {
			add(FieldPilote, was.String(), r.Pilote.String())
		}
		if was, now := JoinPeople(a.people), JoinPeople(r.Contributors); was != now {
			add(FieldContributors, was, now)
			step.contributors = true
		}
		if a.Status != r.Status {
			add(FieldStatus, string(a.Status), string(r.Status))
		}
		if a.Progress != r.Progress {
			add(FieldProgress, strconv.Itoa(a.Progress), strconv.Itoa(r.Progress))
		}
		if a.Due != r.Due {
			add(FieldDue, a.Due.String(), r.Due.String())
		}
		if a.UpdateEvery != r.UpdateEvery {
			step.rhythm = &JournalEntry{
				ActionID: a.ID, ActionNumber: a.Number, At: at, Author: author,
				Field: FieldRhythm, Old: a.UpdateEvery.String(), New: r.UpdateEvery.String(),
			}
		}
		switch {
		case len(step.entries) > 0 || step.rhythm != nil:
			p.res.Updated++
		default:
			p.res.Unchanged++
		}
		if step.text && !a.notesRead {
			needNotes = append(needNotes, a)
		}
	}
	if err := st.readNotes(db, needNotes); err != nil {
		return nil, err
	}
	for i, r := range rows {
		if step := &p.steps[i]; step.text {
			step.searchText = Fold(strings.Join(append([]string{r.Title, r.Description}, step.action.notes...), "\n"))
		}
	}
	return p, nil
}

// changing returns the IDs of the stored actions the plan changes, in
// order.
func (p *importPlan) changing() []uint {
	ids := []uint{}
	for _, step := range p.steps {
		if step.action != nil && (len(step.entries) > 0 || step.rhythm != nil) {
			ids = append(ids, step.action.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// writeNew writes through tx, the writing transaction, the axes and
// programmes of rows, and the new actions with their contributors and
// journal. It returns the programmes' IDs by code.
func (p *importPlan) writeNew(tx *gorm.DB, rows []ActionRow) (map[string]uint, error) {
	// The axes and programmes: a few dozen, created or renamed as the
	// rows say.
	imp := importer{tx: tx, axes: map[string]*Axis{}, progs: map[string]*Programme{}}
	progIDs := map[string]uint{}
	for _, r := range rows {
		if _, ok := progIDs[r.ProgrammeCode]; ok {
			continue
		}
		prog, err := imp.programme(r)
		if err != nil {
			return nil, fmt.Errorf("programme %s: %w", r.ProgrammeCode, err)
		}
		progIDs[r.ProgrammeCode] = prog.ID
	}

	var created []int
	for i := range p.steps {
		if p.steps[i].action == nil {
			created = append(created, i)
		}
	}
	err := insertRows(tx, "actions",
		[]string{"number", "programme_id", "group_key", "title", "description", "pilote_id", "pilote_name",
			"status", "progress", "due", "update_every", "search_text", "created_at", "updated_at"},
		len(created), func(i int, row []any) {
			r, step := &rows[created[i]], &p.steps[created[i]]
			at := step.entries[0].At
			row[0], row[1], row[2], row[3], row[4] = r.Number, progIDs[r.ProgrammeCode], r.Group, r.Title, r.Description
			row[5], row[6], row[7], row[8], row[9] = r.Pilote.UserID, r.Pilote.Name, r.Status, r.Progress, r.Due
			row[10], row[11], row[12], row[13] = r.UpdateEvery, step.searchText, at, at
		})
	if err != nil {
		return nil, err
	}
	ids := make(map[int]uint, len(created))
	for lo := 0; lo < len(created); lo += importChunk {
		numbers := make([]int, 0, importChunk)
		for _, i := range created[lo:min(lo+importChunk, len(created))] {
			numbers = append(numbers, rows[i].Number)
		}
		var got []actionMark
		if err := tx.Model(&Action{}).Select("id, number").Where("number IN ?", numbers).Find(&got).Error; err != nil {
			return nil, fmt.Errorf("new actions: %w", err)
		}
		for _, m := range got {
			ids[m.Number] = m.ID
		}
	}
	newIDs := make([]uint, 0, len(created))
	for _, i := range created {
		p.steps[i].entries[0].ActionID = ids[rows[i].Number]
		newIDs = append(newIDs, ids[rows[i].Number])
	}
	if err := refreshOpenRhythms(tx, newIDs); err != nil {
		return nil, err
	}
	return progIDs, p.writeRest(tx, rows, created)
}

// writeChanges writes through tx the changes to stored actions, with their
// contributors and journal.
func (p *importPlan) writeChanges(tx *gorm.DB, rows []ActionRow, progIDs map[string]uint) error {
	const set = "UPDATE actions SET programme_id = ?, group_key = ?, title = ?, description = ?, pilote_id = ?, pilote_name = ?, status = ?, progress = ?, due = ?, updated_at = ?"
	var changed []int
	var replaced []uint
	for i := range p.steps {
		step, r := &p.steps[i], &rows[i]
		if step.action == nil || len(step.entries) == 0 && step.rhythm == nil {
			continue
		}
		changed = append(changed, i)
		if step.rhythm != nil {
			if err := tx.Exec("UPDATE actions SET update_every = ? WHERE id = ?", r.UpdateEvery, step.action.ID).Error; err != nil {
				return fmt.Errorf("action %d: %w", r.Number, err)
			}
		}
		if len(step.entries) == 0 {
			continue
		}
		args := []any{progIDs[r.ProgrammeCode], r.Group, r.Title, r.Description, r.Pilote.UserID, r.Pilote.Name, r.Status, r.Progress, r.Due, step.entries[0].At}
		q := set
		if step.text {
			q += ", search_text = ?"
			args = append(args, step.searchText)
		}
		if err := tx.Exec(q+" WHERE id = ?", append(args, step.action.ID)...).Error; err != nil {
			return fmt.Errorf("action %d: %w", r.Number, err)
		}
		if step.contributors {
			replaced = append(replaced, step.action.ID)
		}
	}
	for lo := 0; lo < len(replaced); lo += importChunk {
		if err := tx.Where("action_id IN ?", replaced[lo:min(lo+importChunk, len(replaced))]).Delete(&Contributor{}).Error; err != nil {
			return fmt.Errorf("contributors: %w", err)
		}
	}
	// A new status, group or rhythm may change the rhythm followed.
	ids := make([]uint, 0, len(changed))
	for _, i := range changed {
		ids = append(ids, p.steps[i].action.ID)
	}
	if err := refreshOpenRhythms(tx, ids); err != nil {
		return err
	}
	return p.writeRest(tx, rows, changed)
}

// writeRest inserts the contributors and journal entries of the steps of
// rows numbered which, in their order.
func (p *importPlan) writeRest(tx *gorm.DB, rows []ActionRow, which []int) error {
	var people []Contributor
	var entries []JournalEntry
	for _, i := range which {
		step := &p.steps[i]
		var id uint
		if step.action != nil {
			id = step.action.ID
		} else {
			id = step.entries[0].ActionID
		}
		if step.rhythm != nil {
			entries = append(entries, *step.rhythm)
		}
		entries = append(entries, step.entries...)
		if step.contributors {
			people = append(people, contributorRows(id, rows[i].Contributors)...)
		}
	}
	err := insertRows(tx, "contributors", []string{"action_id", "position", "user_id", "name"}, len(people), func(i int, row []any) {
		c := &people[i]
		row[0], row[1], row[2], row[3] = c.ActionID, c.Position, c.UserID, c.Name
	})
	if err != nil {
		return err
	}
	return insertRows(tx, "journal_entries", []string{"action_id", "action_number", "at", "author", "field", "old", "new", "note"},
		len(entries), func(i int, row []any) {
			e := &entries[i]
			row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = e.ActionID, e.ActionNumber, e.At, e.Author, e.Field, e.Old, e.New, e.Note
		})
}

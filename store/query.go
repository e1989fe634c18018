package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Order is how a list of actions is sorted.
type Order int

// The orders of a list of actions.
const (
	ByNumber     Order = iota // action number
	ByDue                     // most overdue first, then by due date; no date last
	OverdueFirst              // overdue first, then by number
	ByPlan                    // axis, programme, then number: the plan's own order
)

// Filter selects actions. Zero fields select everything.
type Filter struct {
	Axis      string   // axis code: "S", "1".."4"
	Programme string   // programme code: "2.1"
	Group     string   // working group key
	Statuses  []Status // any of these
	Person    string   // Slack user ID who is pilote or contributor
	Follower  string   // Slack user ID who follows the action
	Pilote    Person   // exact pilote (user or name)
	Open      bool     // only actions that are not done or abandoned
	DueBefore Date     // only open actions due strictly before this day
	DueFrom   Date     // only actions due on or after this day (with DueBefore: a window)
	// UpdatedBefore keeps only actions whose last change is older.
	UpdatedBefore time.Time
	Text          string // words that must all appear in title, description or notes, whole or as a word's start
	Numbers       []int  // only these action numbers (nil: any)
	// UpdateLate keeps only the open actions whose update is late on
	// that day (see Action.UpdateLate), by more than twice their rhythm
	// with LateTwice; Zone is where days begin (nil: UTC).
	UpdateLate Date
	LateTwice  bool
	Zone       *time.Location
	late       *clause.Expr // UpdateLate's condition, made by Actions
	Order      Order
	Today      Date // for OverdueFirst
	Limit      int  // 0: no limit
	Offset     int
}

// Page is one page of actions and the total count matching the filter.
type Page struct {
	Actions []Action
	Total   int
}

// Actions returns the actions matching f, with programme, axis, group and
// contributors loaded.
func (s *Store) Actions(ctx context.Context, f Filter) (Page, error) {
	if n := SearchWords(f.Text); n > MaxSearchWords {
		return Page{}, fmt.Errorf("a search of %d words, %d at most: %w", n, MaxSearchWords, ErrInvalid)
	}
	if !f.UpdateLate.IsZero() {
		late, err := s.lateCondition(ctx, f)
		if err != nil {
			return Page{}, fmt.Errorf("list actions: %w", err)
		}
		f.late = &late
	}
	var total int64
	if f.searchOnly() {
		if terms := searchTerms(f.Text); terms != nil {
			n, err := s.dialect.countMatches(s.db.WithContext(ctx), terms)
			if err != nil {
				return Page{}, fmt.Errorf("count actions: %w", err)
			}
			total = n
		}
	} else if err := s.filter(s.db.WithContext(ctx).Model(&Action{}), f, false).Count(&total).Error; err != nil {
		return Page{}, fmt.Errorf("count actions: %w", err)
	}
	var q *gorm.DB
	if f.late != nil && f.Limit > 0 {
		// The page's IDs first, from the index that the late
		// condition reads (it holds the programme and the number that
		// order them), then only those rows: ordering every late
		// action of a big group read each of its rows (25,000 in the
		// 100k plan's group, 0.5 s).
		ids := f.order(s.filter(s.db.WithContext(ctx).Model(&Action{}).Select("actions.id"), f, true)).Limit(f.Limit).Offset(f.Offset)
		q = f.order(s.db.WithContext(ctx).Model(&Action{}).Where("actions.id IN (?)", ids))
	} else {
		q = f.order(s.filter(s.db.WithContext(ctx).Model(&Action{}), f, true))
		if f.Limit > 0 {
			q = q.Limit(f.Limit)
		}
		if f.Offset > 0 {
			q = q.Offset(f.Offset)
		}
	}
	var actions []Action
	if err := q.Preload("Programme.Axis").Preload("Group").Find(&actions).Error; err != nil {
		return Page{}, fmt.Errorf("list actions: %w", err)
	}
	if err := loadContributors(s.db.WithContext(ctx), actions); err != nil {
		return Page{}, fmt.Errorf("list actions: %w", err)
	}
	return Page{Actions: actions, Total: int(total)}, nil
}

// order sorts q, a query of actions, in f's order.
func (f Filter) order(q *gorm.DB) *gorm.DB {
	switch f.Order {
	case ByDue:
		if f.dated() {
			// No undated action is selected: the order of the index
			// (due, number, status), so that a page is read from it
			// instead of sorting every match.
			return q.Order("actions.due, actions.number")
		}
		return q.Order("actions.due IS NULL, actions.due, actions.number")
	case ByPlan:
		return q.Joins("JOIN programmes AS plan_programmes ON plan_programmes.id = actions.programme_id").
			Joins("JOIN axes AS plan_axes ON plan_axes.id = plan_programmes.axis_id").
			Order("plan_axes.position, plan_programmes.position, actions.number")
	case OverdueFirst:
		// Open actions first — the overdue ones lead since they are due
		// soonest — then closed ones.
		return q.Order(clause.OrderBy{Expression: clause.Expr{
			SQL:  "actions.status IN (?, ?), actions.due IS NULL, actions.due, actions.number",
			Vars: []any{StatusDone, StatusAbandoned},
		}})
	}
	return q.Order("actions.number")
}

// searchOnly reports whether f selects by words and nothing else.
func (f Filter) searchOnly() bool {
	g := f
	g.Text = ""
	return strings.TrimSpace(f.Text) != "" && g.selectsAll()
}

// selectsAll reports whether f keeps every action.
func (f Filter) selectsAll() bool {
	return f.Axis == "" && f.Programme == "" && f.Group == "" && len(f.Statuses) == 0 && f.Person == "" && f.Follower == "" &&
		f.Pilote.IsZero() && !f.Open && f.DueBefore.IsZero() && f.DueFrom.IsZero() && f.UpdatedBefore.IsZero() &&
		strings.TrimSpace(f.Text) == "" && f.Numbers == nil && f.UpdateLate.IsZero()
}

// dated reports whether f selects only actions that have a due date.
func (f Filter) dated() bool { return !f.DueBefore.IsZero() || !f.DueFrom.IsZero() }

// maxParams is how many IDs one query binds: SQLite refuses more than
// 32,766 parameters in a statement, which GORM's preload of every action
// of a big plan passed (an export, the COPIL's DMs: « too many SQL
// variables » at 100,000 actions). A variable for the tests.
var maxParams = 10_000

// loadContributors sets the contributors of actions, in order, maxParams
// actions to a query.
func loadContributors(db *gorm.DB, actions []Action) error {
	at := make(map[uint]int, len(actions))
	for i := range actions {
		at[actions[i].ID] = i
		actions[i].Contributors = []Contributor{}
	}
	for lo := 0; lo < len(actions); lo += maxParams {
		hi := min(lo+maxParams, len(actions))
		ids := make([]uint, 0, hi-lo)
		for _, a := range actions[lo:hi] {
			ids = append(ids, a.ID)
		}
		var cs []Contributor
		if err := db.Where("action_id IN ?", ids).Order("action_id, position").Find(&cs).Error; err != nil {
			return fmt.Errorf("contributors: %w", err)
		}
		for _, c := range cs {
			a := &actions[at[c.ActionID]]
			a.Contributors = append(a.Contributors, c)
		}
	}
	return nil
}

// filter adds f's conditions to q; paging says whether q reads a page of
// actions in order rather than counting them.
func (s *Store) filter(q *gorm.DB, f Filter, paging bool) *gorm.DB {
	if f.Axis != "" || f.Programme != "" {
		q = q.Joins("JOIN programmes ON programmes.id = actions.programme_id")
		if f.Programme != "" {
			q = q.Where("programmes.code = ?", f.Programme)
		}
		if f.Axis != "" {
			q = q.Joins("JOIN axes ON axes.id = programmes.axis_id").Where("axes.code = ?", f.Axis)
		}
	}
	if f.Group != "" {
		q = q.Where("actions.group_key = ?", f.Group)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("actions.status IN ?", f.Statuses)
	}
	if f.Person != "" {
		q = q.Where("(actions.pilote_id = ? OR actions.id IN (SELECT action_id FROM contributors WHERE user_id = ?))", f.Person, f.Person)
	}
	if f.Follower != "" {
		q = q.Where("actions.id IN (SELECT action_id FROM followers WHERE user_id = ?)", f.Follower)
	}
	if f.Pilote.UserID != "" {
		q = q.Where("actions.pilote_id = ? AND LOWER(actions.pilote_name) = LOWER(?)", f.Pilote.UserID, f.Pilote.Name)
	} else if !f.Pilote.IsZero() {
		// A name is typed as people remember it: "cci touraine" finds
		// « CCI Touraine » (SQLite's LOWER folds ASCII letters only, so
		// both sides are folded the same way), and « CCI Touraine
		// <contact@…> », whose address is shown to no one.
		name := f.Pilote.Display()
		q = q.Where("actions.pilote_id = '' AND (LOWER(actions.pilote_name) = LOWER(?) OR LOWER(actions.pilote_name) LIKE LOWER(?) ESCAPE '!')",
			name, likePrefix(name+" <"))
	}
	if f.late != nil {
		q = q.Where(*f.late)
	}
	// The late condition needs no test of the status: a closed action
	// has no open_rhythm, and the index answers alone.
	if f.Open || !f.DueBefore.IsZero() {
		q = q.Where("actions.status NOT IN ?", []Status{StatusDone, StatusAbandoned})
	}
	if !f.DueBefore.IsZero() {
		q = q.Where("actions.due IS NOT NULL AND actions.due < ?", f.DueBefore.String())
	}
	if !f.UpdatedBefore.IsZero() {
		q = q.Where("actions.updated_at < ?", f.UpdatedBefore.UTC())
	}
	if !f.DueFrom.IsZero() {
		q = q.Where("actions.due IS NOT NULL AND actions.due >= ?", f.DueFrom.String())
	}
	if f.Numbers != nil {
		q = q.Where("actions.number IN ?", f.Numbers)
	}
	if strings.TrimSpace(f.Text) != "" {
		if terms := searchTerms(f.Text); terms == nil {
			q = q.Where("0 = 1") // only punctuation: nothing to find
		} else {
			q = q.Where(s.dialect.match(terms, paging))
		}
	}
	return q
}

// Tally counts actions: how many in each status, how many late, and the sum
// of their progress.
type Tally struct {
	ByStatus    map[Status]int
	Total       int
	ProgressSum int
	Overdue     int
}

// AverageProgress returns the mean progress, rounded, or 0 with no action.
func (t Tally) AverageProgress() int {
	if t.Total == 0 {
		return 0
	}
	return (t.ProgressSum + t.Total/2) / t.Total
}

func (t *Tally) addTally(o Tally) {
	if t.ByStatus == nil {
		t.ByStatus = map[Status]int{}
	}
	for st, n := range o.ByStatus {
		t.ByStatus[st] += n
	}
	t.Total += o.Total
	t.ProgressSum += o.ProgressSum
	t.Overdue += o.Overdue
}

// ProgrammeTally is the tally of one programme.
type ProgrammeTally struct {
	Programme Programme
	Tally
}

// AxisTally is the tally of one axis and of each of its programmes.
type AxisTally struct {
	Axis       Axis
	Programmes []ProgrammeTally
	Tally
}

// Dashboard is the state of the plan (or of one group's part of it) by axis
// and programme, as of a day.
type Dashboard struct {
	Today Date
	Axes  []AxisTally
	Tally
}

// Dashboard tallies the plan as of today; group, when not empty, keeps only
// that working group's actions. Programmes with no matching action are left
// out. It runs one grouped query whatever the size of the plan.
func (s *Store) Dashboard(ctx context.Context, today Date, group string) (Dashboard, error) {
	db := s.db.WithContext(ctx)
	var rows []struct {
		ProgrammeID uint
		Status      Status
		N           int
		Progress    int
		Overdue     int
	}
	q := db.Model(&Action{}).Select(`programme_id, status, COUNT(*) AS n, SUM(progress) AS progress,
		SUM(CASE WHEN due IS NOT NULL AND due < ? AND status NOT IN ? THEN 1 ELSE 0 END) AS overdue`,
		today.String(), []Status{StatusDone, StatusAbandoned}).Group("programme_id, status")
	if group != "" {
		q = q.Where("group_key = ?", group)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	progs, err := s.Programmes(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	byProg := map[uint]*Tally{}
	for _, r := range rows {
		t := byProg[r.ProgrammeID]
		if t == nil {
			t = &Tally{ByStatus: map[Status]int{}}
			byProg[r.ProgrammeID] = t
		}
		t.ByStatus[r.Status] += r.N
		t.Total += r.N
		t.ProgressSum += r.Progress
		t.Overdue += r.Overdue
	}
	d := Dashboard{Today: today, Tally: Tally{ByStatus: map[Status]int{}}}
	for _, p := range progs {
		t, ok := byProg[p.ID]
		if !ok {
			continue
		}
		if len(d.Axes) == 0 || d.Axes[len(d.Axes)-1].Axis.ID != p.AxisID {
			d.Axes = append(d.Axes, AxisTally{Axis: p.Axis, Tally: Tally{ByStatus: map[Status]int{}}})
		}
		ax := &d.Axes[len(d.Axes)-1]
		ax.Programmes = append(ax.Programmes, ProgrammeTally{Programme: p, Tally: *t})
		ax.addTally(*t)
		d.addTally(*t)
	}
	return d, nil
}

// Axes returns the axes in order, the socle first.
func (s *Store) Axes(ctx context.Context) ([]Axis, error) {
	var axes []Axis
	err := s.db.WithContext(ctx).Order("position, code").Find(&axes).Error
	return axes, err
}

// Programmes returns every programme with its axis, in plan order.
func (s *Store) Programmes(ctx context.Context) ([]Programme, error) {
	var progs []Programme
	err := s.db.WithContext(ctx).Joins("Axis").Order(`"Axis".position, "Axis".code, programmes.position, programmes.code`).Find(&progs).Error
	if err != nil {
		return nil, fmt.Errorf("programmes: %w", err)
	}
	return progs, nil
}

// JournalFilter selects journal entries.
type JournalFilter struct {
	Since  time.Time // entries at or after (zero: from the start)
	Until  time.Time // entries strictly before (zero: up to now)
	Group  string    // only actions of this working group
	Fields []string  // only these fields (zero: all)
	Limit  int       // 0: no limit
}

// Journal returns the entries matching f, oldest first.
func (s *Store) Journal(ctx context.Context, f JournalFilter) ([]JournalEntry, error) {
	q := s.db.WithContext(ctx).Model(&JournalEntry{})
	if !f.Since.IsZero() {
		q = q.Where("journal_entries.at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		q = q.Where("journal_entries.at < ?", f.Until.UTC())
	}
	switch {
	case f.Group != "" && !f.Since.IsZero():
		// A window of time (a digest's week) holds far fewer entries
		// than a group's actions have: the unary + keeps SQLite on the
		// index of journal_entries.at instead of walking every entry of
		// the group's actions (0.5 s at 25,000 actions).
		q = q.Where("+journal_entries.action_id IN (SELECT id FROM actions WHERE group_key = ?)", f.Group)
	case f.Group != "":
		q = q.Where("journal_entries.action_id IN (SELECT id FROM actions WHERE group_key = ?)", f.Group)
	}
	if len(f.Fields) > 0 {
		q = q.Where("journal_entries.field IN ?", f.Fields)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var entries []JournalEntry
	if err := q.Order("journal_entries.id").Find(&entries).Error; err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	return entries, nil
}

// JournalCount returns how many journal entries there are in all.
func (s *Store) JournalCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&JournalEntry{}).Count(&n).Error
	return n, err
}

// SyncGroups makes the stored working groups match groups (from the
// configuration): new ones are added and existing ones updated. Groups no
// longer configured stay while actions refer to them.
func (s *Store) SyncGroups(ctx context.Context, groups []Group) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		for i, g := range groups {
			g.Position = i
			if g.Leads == nil {
				g.Leads = []string{}
			}
			if err := tx.Save(&g).Error; err != nil {
				return fmt.Errorf("group %s: %w", g.Key, err)
			}
			// The open actions without a rhythm of their own follow
			// the group's: only those that followed another one are
			// written, so that a start with the same configuration
			// writes nothing.
			r := g.UpdateEvery
			if r.IsZero() {
				r = DefaultRhythm
			}
			if err := tx.Exec("UPDATE actions SET open_rhythm = ? WHERE group_key = ? AND update_every IS NULL AND open_rhythm IS NOT NULL AND open_rhythm <> ?",
				r.String(), g.Key, r.String()).Error; err != nil {
				return fmt.Errorf("group %s: rhythm followed: %w", g.Key, err)
			}
		}
		return nil
	})
}

// Groups returns the working groups in configured order.
func (s *Store) Groups(ctx context.Context) ([]Group, error) {
	var groups []Group
	err := s.db.WithContext(ctx).Order("position, key").Find(&groups).Error
	return groups, err
}

// GroupByKey returns one working group.
func (s *Store) GroupByKey(ctx context.Context, key string) (Group, error) {
	var g Group
	err := s.db.WithContext(ctx).Where("key = ?", key).Take(&g).Error
	return g, notFound(err, "group "+key)
}

// likePrefix is a LIKE pattern of the texts that start with s: its own
// « % » and « _ » match themselves (ESCAPE '!').
func likePrefix(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s) + "%"
}

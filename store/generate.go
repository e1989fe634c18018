package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// GeneratePlan fills an empty store with a generated plan of nActions
// actions and nJournal journal entries, for benchmarks, load tests and
// fault tests — never for a real workspace. It has the demo's socle, axes
// and programmes and the four default groups, the actions spread evenly
// over the groups (100,000 actions make 25,000 per group), pilotes and
// contributors drawn from 2,000 Slack users and the demo's organisations,
// due dates from 200 days ago to 400 days ahead, a creation entry for each
// action two years ago and the rest of the journal spread evenly over the
// two years since, oldest first, with notes that search finds. The plan is
// labelled imported, not demo, and has a past and a next COPIL.
//
// The same clock gives the same plan. Rows are written with multi-row
// INSERTs in one transaction, so a million journal entries take seconds.
func (s *Store) GeneratePlan(ctx context.Context, nActions, nJournal int) error {
	if nActions < 1 || nJournal < nActions {
		return fmt.Errorf("generate %d actions, %d journal entries: each action needs its creation entry: %w", nActions, nJournal, ErrInvalid)
	}
	if _, _, n, err := s.NumberRange(ctx); err != nil {
		return err
	} else if n > 0 {
		return fmt.Errorf("generate: the plan already has %d actions: %w", n, ErrConflict)
	}
	now := s.Now().UTC()
	g := newGenerator(now, nActions, nJournal)
	return s.tx(ctx, func(tx *gorm.DB) error {
		progs, err := g.structure(tx)
		if err != nil {
			return err
		}
		if err := s.setSetting(tx, keySource, SourceImport); err != nil {
			return err
		}
		for _, at := range []time.Time{now.AddDate(0, 0, -50), now.AddDate(0, 0, 12)} {
			day := time.Date(at.Year(), at.Month(), at.Day(), 13, 0, 0, 0, time.UTC)
			if err := tx.Create(&Meeting{At: day, Place: "Hôtel de Métropole, Tours", CreatedBy: ImportAuthor, CreatedAt: now}).Error; err != nil {
				return fmt.Errorf("generate meetings: %w", err)
			}
		}
		if err := g.write(tx, progs); err != nil {
			return err
		}
		return s.dialect.resetIDs(tx, "actions")
	})
}

// generator draws a plan from a seeded random source.
type generator struct {
	rng      *rand.Rand
	now      time.Time
	start    time.Time // when the actions were created
	today    Date
	actions  []genAction
	nJournal int
	users    []string
}

// genAction is one action being generated, with its state after the
// generated journal.
type genAction struct {
	prog, group, title, description string
	pilote                          Person
	contributors                    []Person
	status                          Status
	progress                        int
	due                             Date
	updated                         time.Time
	notes                           []string
}

// The organisations and places the generated text is made of.
var (
	genOrgs = []string{"Tours Métropole", "CCI Touraine", "CMA Centre-Val de Loire", "Dev'Up", "MEDEF Touraine", "UEP37",
		"Université de Tours", "Région Centre-Val de Loire", "France Travail", "Touraine Loire Valley", "Office de tourisme", "CROUS"}
	genPlaces = []string{"Tours", "Joué-lès-Tours", "Saint-Cyr-sur-Loire", "Saint-Pierre-des-Corps", "Saint-Avertin",
		"Chambray-lès-Tours", "La Riche", "Fondettes", "Ballan-Miré", "Luynes", "Notre-Dame-d'Oé", "Rochecorbon",
		"Savonnières", "Villandry", "Mettray", "Parçay-Meslay", "Chanceaux-sur-Choisille", "Druye", "Berthenay",
		"Saint-Genouph", "Saint-Étienne-de-Chigny", "Vallères"}
	genNotes = []string{
		"Réunion de lancement tenue avec les partenaires.",
		"Budget validé en bureau communautaire.",
		"En attente du retour de la Région sur le financement.",
		"Premiers résultats présentés au groupe de travail.",
		"Calendrier décalé d'un mois à la demande des entreprises.",
		"Convention de partenariat signée.",
		"Point d'étape au prochain COPIL.",
		"Prestataire retenu après consultation.",
		"Atelier de co-construction organisé avec les étudiants.",
		"Relance des entreprises du secteur prévue.",
	}
)

var genStatuses = []struct {
	st     Status
	weight int
}{{StatusTodo, 25}, {StatusInProgress, 45}, {StatusBlocked, 8}, {StatusDone, 17}, {StatusAbandoned, 5}}

func newGenerator(now time.Time, nActions, nJournal int) *generator {
	g := &generator{
		rng:      rand.New(rand.NewPCG(23, 52)),
		now:      now,
		start:    now.AddDate(-2, 0, 0),
		today:    DateOf(now, time.UTC),
		nJournal: nJournal,
		users:    make([]string, 2000),
	}
	for i := range g.users {
		g.users[i] = fmt.Sprintf("U%07d", i+1)
	}
	groups := DefaultGroups()
	g.actions = make([]genAction, nActions)
	for i := range g.actions {
		d := demoActions[i%len(demoActions)]
		place := genPlaces[g.rng.IntN(len(genPlaces))]
		a := genAction{
			prog:  d.prog,
			group: groups[i%len(groups)].Key,
			title: d.title + " à " + place,
			description: "Action portée avec " + genOrgs[g.rng.IntN(len(genOrgs))] + " sur le territoire de " + place +
				", phase " + strconv.Itoa(1+g.rng.IntN(4)) + " du programme " + d.prog + ".",
			pilote:  g.person(),
			status:  g.status(""),
			updated: g.start,
		}
		for range g.rng.IntN(4) {
			a.contributors = append(a.contributors, g.person())
		}
		a.progress = g.progress(a.status, 0)
		if g.rng.IntN(10) > 0 {
			a.due = g.today.AddDays(g.rng.IntN(601) - 200)
		}
		g.actions[i] = a
	}
	return g
}

// person is a Slack user one time in three, an organisation otherwise.
func (g *generator) person() Person {
	if g.rng.IntN(3) == 0 {
		return Person{UserID: g.users[g.rng.IntN(len(g.users))]}
	}
	return Person{Name: genOrgs[g.rng.IntN(len(genOrgs))]}
}

// status draws a status other than not.
func (g *generator) status(not Status) Status {
	for {
		n := g.rng.IntN(100)
		for _, w := range genStatuses {
			if n < w.weight {
				if w.st != not {
					return w.st
				}
				break
			}
			n -= w.weight
		}
	}
}

func (g *generator) progress(st Status, was int) int {
	switch st {
	case StatusTodo:
		return 0
	case StatusDone:
		return 100
	case StatusInProgress:
		return max(was, 5+g.rng.IntN(91))
	}
	return was
}

// structure writes the axes, programmes and default groups, and returns
// the programme IDs by code.
func (g *generator) structure(tx *gorm.DB) (map[string]uint, error) {
	axes := map[string]uint{}
	for _, a := range demoAxes {
		ax := Axis{Code: a.code, Name: a.name, Position: axisPosition(a.code)}
		if err := tx.Create(&ax).Error; err != nil {
			return nil, fmt.Errorf("generate axes: %w", err)
		}
		axes[a.code] = ax.ID
	}
	progs := map[string]uint{}
	for _, p := range demoProgrammes {
		pr := Programme{Code: p.code, AxisID: axes[p.code[:1]], Name: p.name, Position: programmePosition(p.code)}
		if err := tx.Omit("Axis").Create(&pr).Error; err != nil {
			return nil, fmt.Errorf("generate programmes: %w", err)
		}
		progs[p.code] = pr.ID
	}
	for i, gr := range DefaultGroups() {
		gr.Position = 100 + i
		gr.Leads = []string{}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&gr).Error; err != nil {
			return nil, fmt.Errorf("generate groups: %w", err)
		}
	}
	return progs, nil
}

// genEntry is one generated journal entry.
type genEntry struct {
	action         int // index in actions
	at             time.Time
	author, field  string
	old, new, note string
}

// journal draws the entries after the creation ones, oldest first, and
// leaves each action in the state they describe.
func (g *generator) journal() []genEntry {
	n := g.nJournal - len(g.actions)
	out := make([]genEntry, n)
	span := g.now.Add(-time.Minute).Sub(g.start)
	for k := range out {
		i := g.rng.IntN(len(g.actions))
		a := &g.actions[i]
		e := genEntry{action: i, at: g.start.Add(span / time.Duration(n+1) * time.Duration(k+1))}
		if a.pilote.UserID != "" && g.rng.IntN(2) == 0 {
			e.author = a.pilote.UserID
		} else {
			e.author = g.users[g.rng.IntN(len(g.users))]
		}
		switch r := g.rng.IntN(100); {
		case r < 40:
			e.field, e.note = FieldNote, genNotes[g.rng.IntN(len(genNotes))]
			a.notes = append(a.notes, e.note)
		case r < 75:
			p := g.rng.IntN(101)
			e.field, e.old, e.new = FieldProgress, strconv.Itoa(a.progress), strconv.Itoa(p)
			a.progress = p
		default:
			st := g.status(a.status)
			e.field, e.old, e.new = FieldStatus, string(a.status), string(st)
			a.status, a.progress = st, g.progress(st, a.progress)
		}
		a.updated = e.at
		out[k] = e
	}
	return out
}

// genBatch is how many rows one INSERT writes; SQLite takes up to 32,766
// parameters in one statement, PostgreSQL 65,535.
const genBatch = 200

// write inserts the actions, contributors and journal through db, which
// is the transaction.
func (g *generator) write(db *gorm.DB, progs map[string]uint) error {
	entries := g.journal()
	created := g.start
	err := insertRows(db, "actions",
		[]string{"id", "number", "programme_id", "group_key", "title", "description", "pilote_id", "pilote_name",
			"status", "progress", "due", "search_text", "created_at", "updated_at"},
		len(g.actions), func(i int, row []any) {
			a := &g.actions[i]
			text := a.title + "\n" + a.description
			if len(a.notes) > 0 {
				text += "\n" + strings.Join(a.notes, "\n")
			}
			row[0], row[1], row[2], row[3], row[4], row[5] = i+1, i+1, progs[a.prog], a.group, a.title, a.description
			row[6], row[7], row[8], row[9], row[10] = a.pilote.UserID, a.pilote.Name, a.status, a.progress, a.due
			row[11], row[12], row[13] = Fold(text), created, a.updated
		})
	if err != nil {
		return err
	}
	if err := refreshOpenRhythm(db, "1 = 1"); err != nil {
		return err
	}
	type contributor struct {
		action, position int
		p                Person
	}
	var cs []contributor
	for i, a := range g.actions {
		for j, p := range a.contributors {
			cs = append(cs, contributor{i + 1, j, p})
		}
	}
	err = insertRows(db, "contributors", []string{"action_id", "position", "user_id", "name"},
		len(cs), func(i int, row []any) {
			row[0], row[1], row[2], row[3] = cs[i].action, cs[i].position, cs[i].p.UserID, cs[i].p.Name
		})
	if err != nil {
		return err
	}
	cols := []string{"action_id", "action_number", "at", "author", "field", "old", "new", "note"}
	err = insertRows(db, "journal_entries", cols, len(g.actions), func(i int, row []any) {
		row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = i+1, i+1, created, ImportAuthor, FieldCreated, "", g.actions[i].title, ""
	})
	if err != nil {
		return err
	}
	return insertRows(db, "journal_entries", cols, len(entries), func(i int, row []any) {
		e := &entries[i]
		row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = e.action+1, e.action+1, e.at, e.author, e.field, e.old, e.new, e.note
	})
}

// insertRows inserts n rows into table, genBatch to a statement; fill
// writes row i's values. GORM writes each ? as the database wants it.
func insertRows(db *gorm.DB, table string, cols []string, n int, fill func(i int, row []any)) error {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	args := make([]any, 0, genBatch*len(cols))
	for lo := 0; lo < n; lo += genBatch {
		hi := min(lo+genBatch, n)
		args = args[:(hi-lo)*len(cols)]
		for i := lo; i < hi; i++ {
			fill(i, args[(i-lo)*len(cols):(i-lo+1)*len(cols)])
		}
		q := head + strings.TrimSuffix(strings.Repeat(one+",", hi-lo), ",")
		if err := db.Exec(q, args...).Error; err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

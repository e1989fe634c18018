package spreadsheet

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/tours-metropole/actionbot/commands/planword"
	"github.com/tours-metropole/actionbot/store"
)

// maxFileSize bounds what Read accepts: the plan is a few hundred lines at
// most, and a bot should not hold an arbitrary upload in memory.
const maxFileSize = 10 << 20

// Read reads the plan from a CSV or XLSX file and checks every row against
// groups (the working groups, matched by name or key) and the rules of
// store.ValidateRows. It returns the rows in file order, or an *Error that
// lists every problem with its line and column.
//
// When the file has no Description column the rows' descriptions are
// empty; Import then keeps the descriptions already stored.
func Read(r io.Reader, f Format, groups []store.Group) ([]store.ActionRow, error) {
	p, err := read(r, f, groups)
	if err != nil {
		return nil, err
	}
	return p.rows, nil
}

// record is one line of a file: its 1-based line number and its cells as
// read, not yet cleaned.
type record struct {
	line  int
	cells []string
}

// parsed is a file read and checked.
type parsed struct {
	rows    []store.ActionRow
	lines   []int                // file line of each row
	cells   [][numColumns]string // cleaned cells of each row, for problems found later
	columns [numColumns]string   // each column's header as written; "" when absent
	index   [numColumns]int      // each column's position in the file; -1 when absent
	groups  planword.Groups
}

func (p *parsed) hasDescription() bool { return p.columns[colDescription] != "" }

func (p *parsed) hasRhythm() bool { return p.columns[colRhythm] != "" }

func read(r io.Reader, f Format, groups []store.Group) (*parsed, error) {
	var (
		recs []record
		err  error
	)
	switch f {
	case CSV:
		recs, err = readCSV(r)
	case XLSX:
		recs, err = readXLSX(r)
	default:
		return nil, &Error{Problems: []Problem{{Kind: KindFormat, Value: string(f)}}}
	}
	if err != nil {
		return nil, err
	}
	return parse(recs, groups)
}

// readAll reads at most maxFileSize bytes of r.
func readAll(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read spreadsheet: %w", err)
	}
	if len(data) > maxFileSize {
		return nil, &Error{Problems: []Problem{{Kind: KindTooLarge, Detail: strconv.Itoa(maxFileSize >> 20)}}}
	}
	return data, nil
}

// problems collects the problems of a file with the rank of their column,
// so that they come out in line then column order.
type problems struct {
	list  []rankedProblem
	lines map[int]bool // lines with a problem
	more  int          // problems beyond MaxProblems, counted only
}

type rankedProblem struct {
	Problem
	rank int
}

func (ps *problems) add(rank int, p Problem) {
	if ps.lines == nil {
		ps.lines = map[int]bool{}
	}
	ps.lines[p.Line] = true
	if len(ps.list) >= MaxProblems {
		ps.more++
		return
	}
	ps.list = append(ps.list, rankedProblem{p, rank})
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	slices.SortStableFunc(ps.list, func(a, b rankedProblem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.rank - b.rank
	})
	out := make([]Problem, len(ps.list))
	for i, p := range ps.list {
		out[i] = p.Problem
	}
	return &Error{Problems: out, More: ps.more}
}

// parse turns the records of a file into checked rows. The first record
// with a value is the header.
func parse(recs []record, groups []store.Group) (*parsed, error) {
	p := &parsed{groups: planword.NewGroups(groups)}
	for c := range p.index {
		p.index[c] = -1
	}
	var probs problems
	h := slices.IndexFunc(recs, func(r record) bool { return !blank(r.cells) })
	if h < 0 {
		return nil, &Error{Problems: []Problem{{Kind: KindEmpty}}}
	}
	header := recs[h]
	named := make([]bool, len(header.cells))
	for i, cell := range header.cells {
		name := cleanCell(cell)
		if name == "" {
			continue
		}
		c, ok := columnOf(name)
		switch {
		case !ok:
			probs.add(i, Problem{Line: header.line, Column: name, Value: name, Kind: KindUnknownColumn})
		case p.index[c] >= 0:
			probs.add(i, Problem{Line: header.line, Column: name, Value: name, Kind: KindDuplicateColumn, Detail: p.columns[c]})
		default:
			p.index[c], p.columns[c], named[i] = i, name, true
		}
	}
	for c := range numColumns {
		if p.index[c] < 0 && !c.optional() {
			probs.add(1000+int(c), Problem{Line: header.line, Column: headers[c], Kind: KindMissingColumn})
		}
	}
	if err := probs.err(); err != nil {
		return nil, err // without its columns, the rows cannot be read
	}

	rc := rowChecker{p: p, probs: &probs, firstLine: map[int]int{}, axisNames: map[string]seenName{}, progNames: map[string]seenName{}}
	for _, rec := range recs[h+1:] {
		if blank(rec.cells) {
			continue
		}
		cells := make([]string, len(rec.cells))
		for i, c := range rec.cells {
			cells[i] = cleanCell(c)
			if cells[i] != "" && (i >= len(named) || !named[i]) {
				probs.add(i, Problem{Line: rec.line, Column: columnLetter(i), Value: cells[i], Kind: KindStray})
			}
		}
		var vals [numColumns]string
		for c, i := range p.index {
			if i >= 0 && i < len(cells) {
				vals[c] = cells[i]
			}
		}
		p.rows = append(p.rows, rc.row(rec.line, vals))
		p.lines = append(p.lines, rec.line)
		p.cells = append(p.cells, vals)
	}
	// The store has the last word on what a plan is: anything it refuses
	// that the checks above let through still comes back with its line.
	if err := store.ValidateRows(p.rows, groups); err != nil {
		var ie *store.ImportError
		if !errors.As(err, &ie) {
			return nil, fmt.Errorf("validate rows: %w", err)
		}
		for _, pr := range p.problemsOf(ie) {
			if !probs.lines[pr.Line] { // a line with a problem of its own needs no second opinion
				probs.add(p.rank(pr.Column), pr)
			}
		}
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return p, nil
}

// blank reports whether a record has no value at all: such lines are
// skipped wherever they are.
func blank(cells []string) bool {
	for _, c := range cells {
		if cleanCell(c) != "" {
			return false
		}
	}
	return true
}

// seenName is the first name given to an axis or programme, and where.
type seenName struct {
	name string
	line int
}

// rowChecker reads rows one by one, remembering what cross-row checks need.
type rowChecker struct {
	p         *parsed
	probs     *problems
	firstLine map[int]int // action number → first line
	axisNames map[string]seenName
	progNames map[string]seenName
}

// row reads the cleaned cells of the row on line into an ActionRow,
// reporting each bad cell.
func (rc *rowChecker) row(line int, vals [numColumns]string) store.ActionRow {
	var reported [numColumns]bool // one problem per cell is enough
	bad := func(c column, kind Kind, detail string) {
		if !reported[c] {
			reported[c] = true
			rc.probs.add(rc.p.index[c], Problem{Line: line, Column: rc.p.columns[c], Value: vals[c], Kind: kind, Detail: detail})
		}
	}
	var r store.ActionRow
	for c, v := range vals {
		if n := cellLength(v); n > maxCellChars {
			bad(column(c), KindTooLong, strconv.Itoa(n))
		}
	}

	switch n, ok := parseNumber(vals[colNumber]); {
	case vals[colNumber] == "":
		bad(colNumber, KindRequired, "")
	case !ok:
		bad(colNumber, KindNumber, "")
	default:
		r.Number = n
		if first, dup := rc.firstLine[n]; dup {
			bad(colNumber, KindDuplicateNumber, strconv.Itoa(first))
		} else {
			rc.firstLine[n] = line
		}
	}

	progOK := false
	if vals[colProgramme] != "" {
		var p planword.Problem
		r.ProgrammeCode, r.ProgrammeName, p = planword.Programme(vals[colProgramme])
		progOK = p == planword.NoProblem
	}
	switch code, name, p := planword.Axis(vals[colAxis]); {
	case vals[colAxis] == "" && progOK:
		r.AxisCode, _, _ = strings.Cut(r.ProgrammeCode, ".") // the programme says which axis
	case vals[colAxis] == "" && vals[colProgramme] == "":
		bad(colAxis, KindRequired, "")
	case vals[colAxis] == "":
		// the programme's own problem says it all
	case p != planword.NoProblem:
		bad(colAxis, KindAxis, "")
	default:
		r.AxisCode, r.AxisName = code, name
		rc.sameName(rc.axisNames, code, name, line, func(first int) { bad(colAxis, KindRenamed, strconv.Itoa(first)) })
	}
	switch {
	case vals[colProgramme] == "":
		bad(colProgramme, KindRequired, "")
	case !progOK:
		bad(colProgramme, KindProgramme, "")
	case r.AxisCode != "" && !strings.HasPrefix(r.ProgrammeCode, r.AxisCode+"."):
		bad(colProgramme, KindProgrammeAxis, r.AxisCode)
	default:
		rc.sameName(rc.progNames, r.ProgrammeCode, r.ProgrammeName, line, func(first int) { bad(colProgramme, KindRenamed, strconv.Itoa(first)) })
	}

	if r.Title = vals[colTitle]; r.Title == "" {
		bad(colTitle, KindRequired, "")
	}

	switch g, p := rc.p.groups.Find(vals[colGroup]); {
	case vals[colGroup] == "":
		bad(colGroup, KindRequired, "")
	case p != planword.NoProblem:
		bad(colGroup, KindGroup, strings.Join(rc.p.groups.Names(), ", "))
	default:
		r.Group = g.Key
	}

	if vals[colPilote] == "" {
		bad(colPilote, KindRequired, "")
	} else if person, p := planword.Person(vals[colPilote]); p != planword.NoProblem {
		bad(colPilote, nameKind(p), "")
	} else {
		r.Pilote = person
	}
	if people, _, p := planword.People(vals[colContributors]); p != planword.NoProblem {
		bad(colContributors, nameKind(p), "")
	} else {
		r.Contributors = people
	}

	if st, ok := parseStatus(vals[colStatus]); ok {
		r.Status = st
	} else {
		bad(colStatus, KindStatus, "")
	}
	if n, ok := parseProgress(vals[colProgress]); ok {
		r.Progress = n
	} else {
		bad(colProgress, KindProgress, "")
	}
	if d, kind := parseDue(vals[colDue]); kind != "" {
		bad(colDue, kind, "")
	} else {
		r.Due = d
	}
	r.Description = vals[colDescription]
	if rh, kind := parseRhythm(vals[colRhythm]); kind != "" {
		bad(colRhythm, kind, "")
	} else {
		r.UpdateEvery = rh
	}
	return r
}

// nameKind is the problem of a refused person.
func nameKind(p planword.Problem) Kind {
	switch p {
	case planword.NameTooLong:
		return KindNameTooLong
	case planword.AddressOnly:
		return KindAddressOnly
	}
	return KindName
}

// sameName checks that an axis or programme keeps one name throughout the
// file: the store would otherwise rename it row after row, last one wins.
func (rc *rowChecker) sameName(seen map[string]seenName, code, name string, line int, renamed func(first int)) {
	if name == "" {
		return
	}
	if s, ok := seen[code]; ok {
		if s.name != name {
			renamed(s.line)
		}
		return
	}
	seen[code] = seenName{name, line}
}

// rank orders the problems of one line: by column, as the file has them.
func (p *parsed) rank(header string) int {
	for c, h := range p.columns {
		if h != "" && h == header {
			return p.index[c]
		}
	}
	return -1
}

// storeColumns maps the column names of store.RowError to the columns.
var storeColumns = map[string]column{
	"number": colNumber, "axis": colAxis, "programme": colProgramme, "title": colTitle,
	"group": colGroup, "pilote": colPilote, "status": colStatus, "progress": colProgress,
	"contributors": colContributors, "due": colDue, "description": colDescription, "rhythm": colRhythm,
}

// problemsOf turns the problems the store found in the rows back into
// problems of the file: its lines, its headers, its cells. The store words
// them in English; Detail keeps that wording.
func (p *parsed) problemsOf(ie *store.ImportError) []Problem {
	out := make([]Problem, 0, len(ie.Problems))
	for _, re := range ie.Problems {
		pr := Problem{Kind: KindInvalid, Detail: storeReason(re.Err)}
		if re.Row >= 0 && re.Row < len(p.lines) {
			pr.Line = p.lines[re.Row]
			if c, ok := storeColumns[re.Column]; ok {
				pr.Column = cmpOr(p.columns[c], headers[c])
				pr.Value = p.cells[re.Row][c]
			}
		}
		out = append(out, pr)
	}
	return out
}

// storeReason is the store's reason without the ": invalid value" its
// errors end with.
func storeReason(err error) string {
	if err == nil {
		return ""
	}
	return strings.TrimSuffix(err.Error(), ": "+store.ErrInvalid.Error())
}

package spreadsheet

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tours-metropole/actionbot/commands/planword"
	"github.com/tours-metropole/actionbot/store"
)

// Error is a refused file: it lists every problem found (up to
// MaxProblems), so that the person who sent the file can fix them all at
// once. When Read or Import returns an
// *Error, nothing was changed. It unwraps to store.ErrInvalid: the user
// caused it, and its Message is fit to show them.
type Error struct {
	// Problems lists the problems in line then column order, at most
	// MaxProblems of them.
	Problems []Problem
	// More counts the problems found beyond MaxProblems: a file that bad
	// is the wrong file, and a longer list would help no one.
	More int
}

// MaxProblems is how many problems an Error lists at most.
const MaxProblems = 100

// Error renders the problems one per line, in French.
func (e *Error) Error() string { return e.Message("fr") }

// Message renders the problems one per line in lang ("fr" or "en"; anything
// else is French).
func (e *Error) Message(lang string) string {
	c := catalogFor(lang)
	lines := make([]string, len(e.Problems), len(e.Problems)+1)
	for i, p := range e.Problems {
		lines[i] = p.Message(lang)
	}
	if e.More > 0 {
		lines = append(lines, fmt.Sprintf(c.more, e.More))
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes errors.Is(err, store.ErrInvalid) true.
func (e *Error) Unwrap() error { return store.ErrInvalid }

// Problem is one thing wrong in a file: where it is, what the cell held and
// what kind of mistake it is. Reason words it for the user.
type Problem struct {
	// Line is the 1-based line of the file (a CSV line as a text editor
	// counts them, a worksheet row number); the header is usually line 1.
	// 0 means the file as a whole.
	Line int
	// Column is the column's header as written in the file, its canonical
	// name for a missing column, or its letter (A, B…) for a cell that
	// sits under no header. Empty for the file or line as a whole.
	Column string
	// Value is what the cell held, trimmed.
	Value string
	// Kind is the mistake.
	Kind Kind
	// Detail is what the wording needs besides the value: the line where a
	// duplicate number first appears, the axis code a programme should
	// belong to, the known group names, the store's reason…
	Detail string
}

// Kind is a kind of Problem.
type Kind string

// The kinds of problem a file can have.
const (
	KindFormat          Kind = "format"           // the file is neither .csv nor .xlsx; Value is its name
	KindUnreadable      Kind = "unreadable"       // not a CSV or XLSX file at all; Detail says why
	KindTooLarge        Kind = "too-large"        // a file over the size limit; Detail is the limit in MiB
	KindNotWorkbook     Kind = "not-workbook"     // an .xlsx file that is no workbook
	KindTooWide         Kind = "too-wide"         // a sheet with a cell beyond MaxColumns; Detail is the limit
	KindTooManyRows     Kind = "too-many-rows"    // a sheet with a line beyond MaxRows; Detail is the limit
	KindQuote           Kind = "quote"            // a misplaced double quote in a CSV file
	KindEmpty           Kind = "empty"            // no header line
	KindMissingColumn   Kind = "missing-column"   // a required column is absent; Column is its canonical name
	KindUnknownColumn   Kind = "unknown-column"   // a header that names no column
	KindDuplicateColumn Kind = "duplicate-column" // two headers for one column; Detail is the first one
	KindStray           Kind = "stray"            // a value in a column with no header
	KindRequired        Kind = "required"         // an empty cell in a column that needs a value
	KindNumber          Kind = "number"           // not an action number
	KindDuplicateNumber Kind = "duplicate-number" // Detail is the line where the number first appears
	KindAxis            Kind = "axis"             // not an axis
	KindProgramme       Kind = "programme"        // not a programme
	KindProgrammeAxis   Kind = "programme-axis"   // programme not in the row's axis; Detail is the axis code
	KindRenamed         Kind = "renamed"          // an axis or programme named differently on another line; Detail is that line
	KindGroup           Kind = "group"            // unknown working group; Detail lists the known ones
	KindStatus          Kind = "status"           // unknown status
	KindProgress        Kind = "progress"         // not 0–100
	KindRhythm          Kind = "rhythm"           // not a rhythm of updates
	KindDate            Kind = "date"             // not a date
	KindNoSuchDay       Kind = "no-such-day"      // a date that is not on the calendar
	KindTooLong         Kind = "too-long"         // more text than an Excel cell holds; Detail is its length
	KindName            Kind = "name"             // a pilote or contributor that would read back as someone else
	KindNameTooLong     Kind = "name-too-long"    // a pilote or contributor name over planword.MaxNameLen
	KindAddressOnly     Kind = "address-only"     // an e-mail address with no name before it
	KindInvalid         Kind = "invalid"          // refused by the store for another reason; Detail is its reason
)

// Message renders p on one line in lang ("fr" or "en"):
// « ligne 7, colonne « Statut » : … ».
func (p Problem) Message(lang string) string {
	c := catalogFor(lang)
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, c.line, p.Line)
	}
	if p.Column != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, c.column, p.Column)
	}
	if b.Len() > 0 {
		b.WriteString(c.colon)
	}
	b.WriteString(p.Reason(lang))
	return b.String()
}

// Reason says what is wrong and how to write it, in lang ("fr" or "en").
func (p Problem) Reason(lang string) string {
	c := catalogFor(lang)
	format, ok := c.reasons[p.Kind]
	if !ok {
		format = c.reasons[KindInvalid]
	}
	if !strings.Contains(format, "%[") {
		// fmt would append the arguments a format does not use.
		return strings.ReplaceAll(format, "%%", "%")
	}
	code, _, _ := planword.Programme(p.Value)
	return fmt.Sprintf(format,
		c.quote(shorten(p.Value)), // %[1]s
		shorten(p.Value),          // %[2]s
		p.Detail,                  // %[3]s
		strings.Join(canonicalHeaders(), c.semicolon), // %[4]s
		strings.Join(canonicalHeaders(), ", "),        // %[5]s
		strings.Join(statusLabelList(), ", "),         // %[6]s
		code,                                          // %[7]s
		c.axis(p.Detail),                              // %[8]s
		c.quote(p.Detail),                             // %[9]s
		planword.MaxNameLen,                           // %[10]d
	)
}

// shorten keeps a value readable inside a one-line message.
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const max = 60
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

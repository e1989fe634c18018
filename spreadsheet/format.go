package spreadsheet

import (
	"path/filepath"
	"strings"

	"github.com/tours-metropole/actionbot/store"
)

// Format is a kind of spreadsheet file.
type Format string

// The formats the plan is imported from and exported to.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// FormatOf returns the format of a file from its name's extension (.csv or
// .xlsx, in any case). Any other name is refused with an *Error.
func FormatOf(filename string) (Format, error) {
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".csv":
		return CSV, nil
	case ".xlsx":
		return XLSX, nil
	}
	return "", &Error{Problems: []Problem{{Kind: KindFormat, Value: filepath.Base(filename)}}}
}

// Extension returns the file name extension of f, with its dot.
func (f Format) Extension() string { return "." + string(f) }

// column is one of the plan's columns.
type column int

// The columns, in the order export writes them.
const (
	colNumber column = iota
	colAxis
	colProgramme
	colTitle
	colGroup
	colPilote
	colContributors
	colStatus
	colProgress
	colDue
	colDescription
	colRhythm
	numColumns
)

// headers are the canonical headers, written by export.
var headers = [numColumns]string{
	colNumber:       "N°",
	colAxis:         "Axe",
	colProgramme:    "Programme",
	colTitle:        "Titre",
	colGroup:        "Groupe de travail",
	colPilote:       "Pilote",
	colContributors: "Contributeurs",
	colStatus:       "Statut",
	colProgress:     "Avancement",
	colDue:          "Échéance",
	colDescription:  "Description",
	colRhythm:       "Rythme",
}

func canonicalHeaders() []string { return headers[:] }

// optional reports whether a file may leave the column out.
func (c column) optional() bool { return c == colDescription || c == colRhythm }

// aliases are the other headers import accepts for each column, besides the
// canonical one. Keep doc.go in step.
var aliases = map[column][]string{
	colNumber:       {"N°", "Nº", "No", "N", "Numéro", "Num", "Number"},
	colAxis:         {"Axis"},
	colProgramme:    {"Program"},
	colTitle:        {"Intitulé", "Title"},
	colGroup:        {"Groupe", "GT", "Group", "Working group"},
	colPilote:       {"Pilot"},
	colContributors: {"Contributeur", "Contributors"},
	colStatus:       {"Status"},
	colProgress:     {"Avancement (%)", "Avancement %", "Progress"},
	colDue:          {"Date d'échéance", "Due date", "Due"},
	colDescription:  {},
	colRhythm:       {"Rythme de mise à jour", "Cadence", "Rhythm"},
}

// byHeaderKey maps headerKey of every accepted header to its column.
var byHeaderKey = func() map[string]column {
	m := map[string]column{}
	for c := range numColumns {
		m[headerKey(headers[c])] = c
		for _, a := range aliases[c] {
			m[headerKey(a)] = c
		}
	}
	return m
}()

// headerKey folds a header so that case, accents, spacing and the kind of
// apostrophe do not matter.
func headerKey(s string) string {
	s = strings.ReplaceAll(store.Fold(s), "’", "'")
	return strings.Join(strings.Fields(s), "")
}

// columnOf returns the column a header names.
func columnOf(header string) (column, bool) {
	c, ok := byHeaderKey[headerKey(header)]
	return c, ok
}

// columnLetter returns the spreadsheet letter of the 0-based column index i
// (A, B, … Z, AA…).
func columnLetter(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

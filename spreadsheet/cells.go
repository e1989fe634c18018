package spreadsheet

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/tours-metropole/actionbot/commands/planword"
	"github.com/tours-metropole/actionbot/store"
)

// The cells of one column are read by a parse function and written by a
// format function; format's output always parses back to the same value.

// statusLabels are the French labels export writes.
var statusLabels = map[store.Status]string{
	store.StatusTodo:       "À lancer",
	store.StatusInProgress: "En cours",
	store.StatusBlocked:    "Bloquée",
	store.StatusDone:       "Terminée",
	store.StatusAbandoned:  "Abandonnée",
}

// statusLabel returns the French label of st, or st itself if unknown.
func statusLabel(st store.Status) string {
	if l, ok := statusLabels[st]; ok {
		return l
	}
	return string(st)
}

func statusLabelList() []string {
	out := make([]string, len(store.Statuses))
	for i, st := range store.Statuses {
		out[i] = statusLabels[st]
	}
	return out
}

// parseStatus reads a status; empty means À lancer.
func parseStatus(s string) (store.Status, bool) {
	if s == "" {
		return store.StatusTodo, true
	}
	st, p := planword.Status(s)
	return st, p == planword.NoProblem
}

// parseNumber reads an action number, as planword.Number.
func parseNumber(s string) (int, bool) { return planword.Number(s) }

// maxCellChars is how much text an Excel cell holds, in UTF-16 code units.
const maxCellChars = 32767

// cellLength is the length of s as Excel counts it.
func cellLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// parseProgress reads a progress, as planword.Progress; empty means 0.
func parseProgress(s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	n, p := planword.Progress(s)
	return n, p == planword.NoProblem
}

// parseDue reads a due date as planword.Date reads one with its year
// written; empty means no date. The Kind is KindDate for a malformed date
// and KindNoSuchDay for a day that is not on the calendar.
// parseRhythm reads a cell of « Rythme »: 14j, 2 semaines, 1 mois; empty
// is the group's rhythm.
func parseRhythm(s string) (store.Rhythm, Kind) {
	if s == "" {
		return store.Rhythm{}, ""
	}
	r, p := planword.Rhythm(s)
	if p != planword.NoProblem {
		return store.Rhythm{}, KindRhythm
	}
	return r, ""
}

// formatRhythm writes a rhythm as parseRhythm reads it, in its own unit:
// « 14j », « 2 semaines », « 1 mois »; "" for the group's.
func formatRhythm(r store.Rhythm) string {
	switch {
	case r.IsZero():
		return ""
	case r.Unit == store.Weeks && r.N == 1:
		return "1 semaine"
	case r.Unit == store.Weeks:
		return strconv.Itoa(r.N) + " semaines"
	case r.Unit == store.Months:
		return strconv.Itoa(r.N) + " mois"
	}
	return strconv.Itoa(r.N) + "j"
}

func parseDue(s string) (store.Date, Kind) {
	if s == "" {
		return store.Date{}, ""
	}
	d, p := planword.Date(s, store.Date{})
	switch p {
	case planword.NoProblem:
		return d, ""
	case planword.NoSuchDay:
		return store.Date{}, KindNoSuchDay
	}
	return store.Date{}, KindDate
}

// formatDue writes a due date as JJ/MM/AAAA, or nothing for no date.
func formatDue(d store.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
}

// formatAxis writes "Socle — name" or "Axe 2 — name" (just the label when
// the name is empty).
func formatAxis(code, name string) string {
	if name == "" {
		return axisLabel(code)
	}
	return axisLabel(code) + " — " + name
}

// axisLabel is "Socle" or "Axe N", as store.Axis.Label.
func axisLabel(code string) string { return store.Axis{Code: code}.Label() }

// formatProgramme writes "1.2 — name", or just the code.
func formatProgramme(code, name string) string {
	if name == "" {
		return code
	}
	return code + " — " + name
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// cleanCell trims a cell, makes its line ends plain "\n" and drops the
// characters a workbook cannot hold (control characters but tab and line
// feed, U+FFFE, U+FFFF), so that a cell reads the same from a CSV file
// written with CRLF and from a workbook.
func cleanCell(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r < 0x20 && r != '\t' && r != '\n', r == 0xFFFE, r == 0xFFFF:
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

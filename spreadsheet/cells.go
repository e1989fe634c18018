package spreadsheet

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

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

// statusWords maps statusKey of every accepted spelling to its status.
var statusWords = func() map[string]store.Status {
	m := map[string]store.Status{}
	for st, label := range statusLabels {
		m[statusKey(label)] = st
		m[statusKey(string(st))] = st
	}
	for w, st := range map[string]store.Status{
		"to do": store.StatusTodo, "todo": store.StatusTodo,
		"in progress": store.StatusInProgress,
		"blocked":     store.StatusBlocked, "bloqué": store.StatusBlocked,
		"done": store.StatusDone, "terminé": store.StatusDone,
		"abandoned": store.StatusAbandoned, "abandonné": store.StatusAbandoned,
	} {
		m[statusKey(w)] = st
	}
	return m
}()

// statusKey folds a status so that case, accents and separators (space,
// hyphen, underscore) do not matter.
func statusKey(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return ' '
		}
		return r
	}, store.Fold(s))
	return strings.Join(strings.Fields(s), " ")
}

// parseStatus reads a status; empty means À lancer.
func parseStatus(s string) (store.Status, bool) {
	if s == "" {
		return store.StatusTodo, true
	}
	st, ok := statusWords[statusKey(s)]
	return st, ok
}

// maxNumber is the highest action number: numbers stay far below the 15
// digits Excel keeps exactly.
const maxNumber = 999_999_999

// parseNumber reads an action number: a whole number from 1 to maxNumber.
func parseNumber(s string) (int, bool) {
	if !allDigits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= maxNumber
}

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

// parseProgress reads a progress: a whole number from 0 to 100, with an
// optional "%" (with or without a space before it); empty means 0.
func parseProgress(s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	if !allDigits(s) || len(s) > 3 {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	if n > 100 {
		return 0, false
	}
	return n, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var (
	frenchDate = regexp.MustCompile(`^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$`)
	isoDate    = regexp.MustCompile(`^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$`)
)

// parseDue reads a due date, JJ/MM/AAAA or AAAA-MM-JJ; empty means no date.
// The Kind is KindDate for a malformed date and KindNoSuchDay for a day
// that is not on the calendar.
func parseDue(s string) (store.Date, Kind) {
	if s == "" {
		return store.Date{}, ""
	}
	var y, m, d string
	if g := frenchDate.FindStringSubmatch(s); g != nil {
		d, m, y = g[1], g[2], g[3]
	} else if g := isoDate.FindStringSubmatch(s); g != nil {
		y, m, d = g[1], g[2], g[3]
	} else {
		return store.Date{}, KindDate
	}
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	date, err := store.NewDate(yy, time.Month(mm), dd)
	if err != nil {
		return store.Date{}, KindNoSuchDay
	}
	return date, ""
}

// formatDue writes a due date as JJ/MM/AAAA, or nothing for no date.
func formatDue(d store.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
}

// isSeparator reports whether r may stand between an axis or programme
// code and its name.
func isSeparator(r rune) bool { return r == '—' || r == '–' || r == '-' || r == ':' }

// nameAfter reads what follows a code: nothing, or a separator then the
// name. With spaceOK, spaces alone also separate the code from the name.
func nameAfter(rest string, spaceOK bool) (name string, ok bool) {
	if rest == "" {
		return "", true
	}
	trimmed := strings.TrimLeftFunc(rest, unicode.IsSpace)
	r, size := utf8.DecodeRuneInString(trimmed)
	switch {
	case trimmed == "":
		return "", true
	case isSeparator(r):
		return strings.TrimSpace(trimmed[size:]), true
	case spaceOK && len(trimmed) < len(rest):
		return strings.TrimSpace(trimmed), true
	}
	return "", false
}

// hasPrefixFold reports whether s starts with the ASCII word prefix, in
// any case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// axisCode reads an axis code at the start of s: "S" or a positive number
// (leading zeros dropped). It returns the rest of s.
func axisCode(s string) (code, rest string, ok bool) {
	if hasPrefixFold(s, "s") {
		return store.SocleCode, s[1:], true
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return "", s, false
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil || n < 1 {
		return "", s, false
	}
	return strconv.Itoa(n), s[i:], true
}

// parseAxis reads an axis: "Socle — name", "Axe 2 — name", "Axe 2: name",
// "Axe 2 - name", "Axe 2", "Socle", "2" or "S". Unlike a programme, the
// name must follow a separator: "Socle commun" is refused rather than read
// as the socle renamed "commun".
func parseAxis(s string) (code, name string, ok bool) {
	var rest string
	switch {
	case hasPrefixFold(s, "socle"):
		code, rest = store.SocleCode, s[len("socle"):]
	case hasPrefixFold(s, "axe"):
		code, rest, ok = axisCode(strings.TrimLeftFunc(s[len("axe"):], unicode.IsSpace))
		if !ok {
			return "", "", false
		}
	default:
		code, rest, ok = axisCode(s)
		if !ok {
			return "", "", false
		}
	}
	name, ok = nameAfter(rest, false)
	if !ok {
		return "", "", false
	}
	return code, name, true
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

// parseProgramme reads a programme: its code ("1.2", "S.3", "s.3") then
// optionally a separator or spaces and its name.
func parseProgramme(s string) (code, name string, ok bool) {
	axis, rest, ok := axisCode(s)
	if !ok || !strings.HasPrefix(rest, ".") {
		return "", "", false
	}
	rest = rest[1:]
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(rest[:i])
	if i == 0 || err != nil || n < 1 {
		return "", "", false
	}
	name, ok = nameAfter(rest[i:], true)
	if !ok {
		return "", "", false
	}
	return axis + "." + strconv.Itoa(n), name, true
}

// formatProgramme writes "1.2 — name", or just the code.
func formatProgramme(code, name string) string {
	if name == "" {
		return code
	}
	return code + " — " + name
}

// groupIndex finds working groups by name first, then by key, both folded.
type groupIndex struct {
	byName, byKey map[string]string
	names         []string
}

func newGroupIndex(groups []store.Group) groupIndex {
	gi := groupIndex{byName: map[string]string{}, byKey: map[string]string{}}
	for _, g := range groups {
		if _, dup := gi.byName[groupFold(g.Name)]; !dup && g.Name != "" {
			gi.byName[groupFold(g.Name)] = g.Key
		}
		gi.byKey[groupFold(g.Key)] = g.Key
		gi.names = append(gi.names, cmpOr(g.Name, g.Key))
	}
	return gi
}

// key returns the key of the group named or keyed s.
func (gi groupIndex) key(s string) (string, bool) {
	f := groupFold(s)
	if k, ok := gi.byName[f]; ok {
		return k, true
	}
	k, ok := gi.byKey[f]
	return k, ok
}

// groupFold folds a group name or key so that case, accents and spacing do
// not matter.
func groupFold(s string) string { return strings.Join(strings.Fields(store.Fold(s)), " ") }

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

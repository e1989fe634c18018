// Package planword reads the words of the plan — statuses, progress, dates,
// axis and programme codes, working groups and people — the same way for
// the command parser (package commands) and for spreadsheet import (package
// spreadsheet), so that a word the bot accepts in Slack is accepted in a
// workbook and means the same thing there, and a word one refuses the
// other refuses for the same reason.
//
// Each reader returns a value and a Problem; NoProblem means the word was
// read. The callers word the refusal in their own catalogue: this package
// says nothing to users. It imports only store's types.
package planword

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tours-metropole/actionbot/store"
)

// Problem is why a word was refused.
type Problem int

// The problems a word can have. Each reader names the ones it returns.
const (
	NoProblem       Problem = iota
	NotStatus               // not one of the statuses
	NotNumber               // a progress that is not a whole number
	OutOfRange              // a progress below 0 or above 100
	NotDate                 // not a date
	NoSuchDay               // a date that is not on the calendar (31/02)
	NotAxis                 // not an axis
	NotProgramme            // not a programme code
	UnknownGroup            // no working group of that name or key
	NotAName                // a name that would read back as someone else (« <@U…> », « ; »)
	NameTooLong             // a name over MaxNameLen characters
	ImplausibleYear         // a date before MinYear or more than MaxYearsAhead years ahead
	NotRhythm               // not a rhythm of updates (« 14j », « 2 semaines »)
	AddressOnly             // an e-mail address without the name it belongs to before it
)

// MaxNumber is the highest action number: numbers stay far below the 15
// digits a spreadsheet keeps exactly.
const MaxNumber = 999_999_999

// Number reads an action number: a whole number from 1 to MaxNumber, in
// digits only.
func Number(s string) (int, bool) {
	if !allDigits(s) || len(s) > 12 {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, n >= 1 && n <= MaxNumber
}

// Key folds a word for matching: lower case, no accents, and no spaces,
// hyphens, underscores, apostrophes or dots, so that « En-Cours »,
// "en cours" and "EN_COURS" are one word.
func Key(s string) string {
	f := store.Fold(s)
	var b strings.Builder
	b.Grow(len(f))
	for _, r := range f {
		switch r {
		case ' ', '-', '_', '\'', '’', '.', '\t', '\n':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// statusWords maps the Key of every accepted spelling to its status: the
// French labels, with or without the feminine « e » (« terminé »), the
// English ones, store's own values and « nouveau » / « nouvelle » for an
// action not started yet.
var statusWords = map[string]store.Status{
	"alancer": store.StatusTodo, "todo": store.StatusTodo, "tostart": store.StatusTodo,
	"nouveau": store.StatusTodo, "nouvelle": store.StatusTodo, "new": store.StatusTodo,
	"encours": store.StatusInProgress, "inprogress": store.StatusInProgress, "ongoing": store.StatusInProgress,
	"bloquee": store.StatusBlocked, "bloque": store.StatusBlocked, "blocked": store.StatusBlocked,
	"terminee": store.StatusDone, "termine": store.StatusDone, "done": store.StatusDone, "finished": store.StatusDone,
	"abandonnee": store.StatusAbandoned, "abandonne": store.StatusAbandoned, "abandoned": store.StatusAbandoned,
}

// Status reads a status in French or English, in any case, with or without
// accents and separators. It refuses with NotStatus.
func Status(s string) (store.Status, Problem) {
	if st, ok := statusWords[Key(s)]; ok {
		return st, NoProblem
	}
	return "", NotStatus
}

// Progress reads a progress: a whole number from 0 to 100, with or without
// « % » (and a space before it). It refuses with NotNumber, or with
// OutOfRange and the number read.
func Progress(s string) (int, Problem) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || !allDigits(digits) {
		return 0, NotNumber
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		// More digits than an int holds: a number, far out of range.
		return 0, OutOfRange
	}
	if n < 0 || n > 100 {
		return n, OutOfRange
	}
	return n, NoProblem
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

// NoneWord reports whether s says « nobody » or « no date »: aucun,
// aucune, personne, none, nobody.
func NoneWord(s string) bool {
	switch Key(s) {
	case "aucun", "aucune", "personne", "none", "nobody":
		return true
	}
	return false
}

// The dates a plan holds: a due date or a meeting before MinYear, or more
// than MaxYearsAhead years after today, is a typo (« 15/03/3027 »).
const (
	MinYear       = 2000
	MaxYearsAhead = 20
)

// Date reads 15/03/2027, 15.03.2027, 15/03/27, 2027-03-15 or, when today is
// known, 15/03 — the next 15 March from today. A zero today (a spreadsheet,
// which is a record) wants the year written. It refuses with NotDate,
// NoSuchDay, or ImplausibleYear (checked only when today is known).
func Date(s string, today store.Date) (store.Date, Problem) {
	s = strings.TrimSpace(s)
	if parts := strings.Split(s, "-"); len(parts) == 3 && len(parts[0]) == 4 {
		y, m, d, ok := nums(parts)
		if !ok {
			return store.Date{}, NotDate
		}
		return checked(y, m, d, today)
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' })
	if len(parts) < 2 || len(parts) > 3 || strings.Count(s, "/")+strings.Count(s, ".") != len(parts)-1 {
		return store.Date{}, NotDate
	}
	if len(parts) == 3 {
		d, m, y, ok := nums(parts)
		switch {
		case !ok || len(parts[0]) > 2 || len(parts[1]) > 2:
			return store.Date{}, NotDate
		case len(parts[2]) == 2:
			y += 2000
		case len(parts[2]) != 4:
			return store.Date{}, NotDate
		}
		return checked(y, m, d, today)
	}
	d, m, _, ok := nums(append(parts, "0"))
	if !ok || today.IsZero() || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return store.Date{}, NotDate
	}
	// The next such day from today: 29/02 may be years away.
	p := NotDate
	for y := today.Year; y <= today.Year+8; y++ {
		var date store.Date
		if date, p = checked(y, m, d, today); p == NoProblem && !date.Before(today) {
			return date, NoProblem
		}
	}
	if p == NoProblem {
		p = NoSuchDay
	}
	return store.Date{}, p
}

func nums(parts []string) (a, b, c int, ok bool) {
	var v [3]int
	for i, p := range parts {
		if !allDigits(p) || len(p) > 4 {
			return 0, 0, 0, false
		}
		v[i], _ = strconv.Atoi(p)
	}
	return v[0], v[1], v[2], true
}

func checked(y, m, d int, today store.Date) (store.Date, Problem) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1 {
		return store.Date{}, NotDate
	}
	date, err := store.NewDate(y, time.Month(m), d)
	if err != nil {
		return store.Date{}, NoSuchDay
	}
	if !today.IsZero() && (y < MinYear || y > today.Year+MaxYearsAhead) {
		return date, ImplausibleYear
	}
	return date, NoProblem
}

// Axis reads an axis: "Socle — name", "Axe 2 — name", "Axe 2: name",
// "Axis 2", "Axe 2", "axe2", "Socle", "2" or "S"; it returns its code ("S",
// "2") and its name if one follows a separator. « Socle commun » is refused
// rather than read as the socle renamed « commun ». It refuses with
// NotAxis.
func Axis(s string) (code, name string, p Problem) {
	s = strings.TrimSpace(s)
	var rest string
	ok := true
	switch {
	case hasPrefixFold(s, "socle"):
		code, rest = store.SocleCode, s[len("socle"):]
	case hasPrefixFold(s, "axis"):
		code, rest, ok = axisCode(strings.TrimLeftFunc(s[len("axis"):], unicode.IsSpace))
	case hasPrefixFold(s, "axe"):
		code, rest, ok = axisCode(strings.TrimLeftFunc(s[len("axe"):], unicode.IsSpace))
	default:
		code, rest, ok = axisCode(s)
	}
	if !ok {
		return "", "", NotAxis
	}
	name, ok = nameAfter(rest, false)
	if !ok {
		return "", "", NotAxis
	}
	return code, name, NoProblem
}

// Programme reads a programme: its code ("1.2", "S.3", "s.3") then
// optionally a separator or spaces and its name. It refuses with
// NotProgramme.
func Programme(s string) (code, name string, p Problem) {
	s = strings.TrimSpace(s)
	axis, rest, ok := axisCode(s)
	if !ok || !strings.HasPrefix(rest, ".") {
		return "", "", NotProgramme
	}
	rest = rest[1:]
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(rest[:i])
	if i == 0 || err != nil || n < 1 {
		return "", "", NotProgramme
	}
	name, ok = nameAfter(rest[i:], true)
	if !ok {
		return "", "", NotProgramme
	}
	return axis + "." + strconv.Itoa(n), name, NoProblem
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
	if i == 0 || i > 4 {
		return "", s, false
	}
	n, _ := strconv.Atoi(s[:i])
	if n < 1 {
		return "", s, false
	}
	return strconv.Itoa(n), s[i:], true
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

// Groups finds working groups by name, then by key, whatever the case,
// accents and separators: « Parcours client », "parcours-client" and
// "parcoursclient" are one group.
type Groups struct {
	byName, byKey map[string]store.Group
	names         []string
}

// NewGroups indexes groups.
func NewGroups(groups []store.Group) Groups {
	g := Groups{byName: map[string]store.Group{}, byKey: map[string]store.Group{}}
	for _, gr := range groups {
		if _, dup := g.byName[Key(gr.Name)]; !dup && gr.Name != "" {
			g.byName[Key(gr.Name)] = gr
		}
		g.byKey[Key(gr.Key)] = gr
		name := gr.Name
		if name == "" {
			name = gr.Key
		}
		g.names = append(g.names, name)
	}
	return g
}

// Find returns the group named or keyed s, or refuses with UnknownGroup.
func (g Groups) Find(s string) (store.Group, Problem) {
	k := Key(strings.Trim(s, `"“”«» `))
	if gr, ok := g.byName[k]; ok {
		return gr, NoProblem
	}
	if gr, ok := g.byKey[k]; ok {
		return gr, NoProblem
	}
	return store.Group{}, UnknownGroup
}

// Names lists the groups' names (their keys when unnamed), for a refusal.
func (g Groups) Names() []string { return g.names }

// MaxNameLen bounds a person's or organisation's name: a card shows it in
// a field of at most 2000 characters.
const MaxNameLen = 200

// Person reads one person as a spreadsheet cell or a journal value writes
// it: a Slack mention (<@U123>, <@U123|marie>, @U123), a Slack user named
// before their mention as export writes them (« Marie Lefèvre <@U123> »,
// whose name is only for readers: the ID is what is read), or a name. A
// name that would read back as someone else — a Slack user, a list
// (« ; »), markup (« < ») — is refused with NotAName, a name longer than
// MaxNameLen with NameTooLong.
func Person(s string) (store.Person, Problem) {
	s = strings.TrimSpace(s)
	if id, ok := mentionOf(s); ok {
		return store.Person{UserID: id}, NoProblem
	}
	return store.Person{Name: s}, CheckName(s)
}

// mentionOf returns the Slack user s names: s is a mention, or ends with
// one after a name.
func mentionOf(s string) (string, bool) {
	if p := store.ParsePerson(s); p.UserID != "" {
		return p.UserID, true
	}
	if !strings.HasSuffix(s, ">") {
		return "", false
	}
	i := strings.LastIndex(s, "<@")
	if i <= 0 || strings.TrimSpace(s[:i]) == "" {
		return "", false
	}
	if p := store.ParsePerson(s[i:]); store.IsUserID(p.UserID) {
		return p.UserID, true
	}
	return "", false
}

// CheckName says whether name may be stored as the name of a person or an
// organisation not on Slack: AddressOnly for an e-mail address that is not
// written after a name (« CCI Touraine <contact@cci-touraine.example> »),
// NotAName for a name that would read back as someone else, NameTooLong
// past MaxNameLen.
func CheckName(name string) Problem {
	if addressOnly(name) {
		return AddressOnly
	}
	if _, ok := mentionOf(strings.TrimSpace(name)); ok || strings.ContainsRune(name, ';') || strings.HasPrefix(name, "<") {
		return NotAName
	}
	if utf8.RuneCountInString(name) > MaxNameLen {
		return NameTooLong
	}
	return NoProblem
}

// anAddress finds an e-mail address in a name, alone or in Slack's
// <mailto:…|…>.
var anAddress = regexp.MustCompile(`[^\s<>|:;@]+@[^\s<>|;@]+\.[^\s<>|;@]+`)

// addressOnly reports whether name holds an e-mail address that is not an
// organisation's name followed by its address. Such a name would be shown
// whole — address included — in every card, digest, web page and minutes,
// where only the name of an organisation may show (store.Person.Display),
// and it would get no e-mail either: refused where it is typed or
// imported, with how to write it.
func addressOnly(name string) bool {
	if !anAddress.MatchString(name) {
		return false
	}
	_, _, ok := store.Person{Name: strings.TrimSpace(name)}.Email()
	return !ok
}

// People reads a list of people as a spreadsheet cell writes it, separated
// by « ; »; the first refused one is returned with its problem.
func People(s string) ([]store.Person, string, Problem) {
	var out []store.Person
	for _, part := range strings.Split(s, ";") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		p, prob := Person(part)
		if prob != NoProblem {
			return nil, part, prob
		}
		out = append(out, p)
	}
	return out, "", NoProblem
}

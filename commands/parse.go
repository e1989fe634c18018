package commands

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tours-metropole/actionbot/commands/planword"
	"github.com/tours-metropole/actionbot/store"
)

// Command is a parsed command: what to do and its arguments. Only the
// fields its Kind uses are set.
type Command struct {
	Kind   Kind
	Number int // the action, for kinds that take one
	// Edit holds the changes to the action: status, progress, pilote,
	// contributors (an empty list removes them), due date (the zero Date
	// clears it) and a note.
	Edit         store.Edit
	Text         string        // KindSearch (words), KindCopilSchedule (place)
	List         ListOptions   // KindList, KindMine, KindLate, KindSearch
	Day          store.Date    // KindCopilSchedule, KindCopilCancel; KindCopilDecisions, KindCopilMinutes (zero: the last meeting held)
	Rhythm       store.Rhythm  // KindRhythm (zero: the group's)
	Clock        time.Duration // KindCopilSchedule: time of day
	HelpLanguage int           // which names the user typed (0 fr, 1 en)
}

// ListOptions are the filters and page of a list.
type ListOptions struct {
	Axis      string       // "S", "1".."4"
	Programme string       // "2.1"
	Group     string       // as typed; matched against groups when run
	Status    store.Status // zero: any
	Owner     store.Person // zero: anyone
	// Due keeps the actions whose due date is past (DuePast) or comes
	// within 14 days (DueSoon); empty: any.
	Due string
	// RhythmPassed keeps the open actions whose update is late for their
	// rhythm (« rythme dépassé »).
	RhythmPassed bool
	Page         int // 1-based
}

// The values of ListOptions.Due.
const (
	DuePast = "past"
	DueSoon = "soon"
)

// dueWords and rhythmWords are the values the « échéance » and « rythme »
// filters of a list take, folded.
var (
	dueWords = map[string]string{
		"depassee": DuePast, "depasse": DuePast, "passee": DuePast, "enretard": DuePast, "retard": DuePast, "past": DuePast, "overdue": DuePast,
		"proche": DueSoon, "bientot": DueSoon, "soon": DueSoon,
	}
	rhythmWords = map[string]bool{"depasse": true, "depassee": true, "enretard": true, "passed": true, "late": true}
)

// token is one word of a command: plain, "quoted", or a Slack <…> escape.
type token struct {
	text       string
	quoted     bool
	escape     bool // a <…> escape made by Slack: a mention, a channel, a link
	unclosed   bool // starts with a quote that nothing closes
	start, end int  // byte offsets in the text, quotes included
}

// slackText undoes Slack's escaping of what people type: Slack sends &, <
// and > as &amp;, &lt; and &gt;, so that a real < only ever opens one of
// its own escapes (<@U123|marie>).
var slackText = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

var closing = map[rune]rune{'"': '"', '“': '”', '«': '»'}

// tokenize splits text into words, keeping quoted strings and Slack escapes
// (<@U123|marie>) whole.
func tokenize(s string) []token {
	var toks []token
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += w
			continue
		}
		start := i
		unclosed := false
		if end, ok := closing[r]; ok {
			j := strings.IndexRune(s[i+w:], end)
			if j >= 0 {
				body := s[i+w : i+w+j]
				_, ew := utf8.DecodeRuneInString(s[i+w+j:])
				i = i + w + j + ew
				toks = append(toks, token{text: strings.TrimSpace(slackText.Replace(body)), quoted: true, start: start, end: i})
				continue
			}
			unclosed = true
		}
		if r == '<' {
			if j := strings.IndexByte(s[i:], '>'); j > 0 {
				i += j + 1
				toks = append(toks, token{text: s[start:i], escape: true, start: start, end: i})
				continue
			}
		}
		for i < len(s) {
			r, w := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				break
			}
			i += w
		}
		toks = append(toks, token{text: slackText.Replace(s[start:i]), start: start, end: i, unclosed: unclosed})
	}
	return toks
}

// key folds a word for matching, as the plan's vocabulary does.
func key(s string) string { return planword.Key(s) }

// parser walks the tokens of one command.
type parser struct {
	text  string
	toks  []token
	today store.Date
}

// rest is the text from token i on, as the user typed it.
func (p *parser) rest(i int) string {
	if i >= len(p.toks) {
		return ""
	}
	return strings.TrimSpace(slackText.Replace(p.text[p.toks[i].start:]))
}

// Parse turns the text typed after a slash command into a Command. It is
// pure: today (in the configured time zone) completes dates written
// without a year. The error, if any, is a *UserError.
func Parse(command, text string, today store.Date) (Command, error) {
	p := &parser{text: text, toks: tokenize(text), today: today}
	switch strings.TrimPrefix(strings.ToLower(strings.TrimSpace(command)), "/") {
	case "action", "actions":
		return p.action()
	case "copil":
		return p.copil()
	}
	return Command{}, invalid(msgUnknownCommand, command)
}

func (p *parser) action() (Command, error) {
	if len(p.toks) == 0 {
		return Command{Kind: KindHelp}, nil
	}
	if n, ok := actionNumber(p.toks[0].text); ok {
		c := Command{Kind: KindCard, Number: n}
		if len(p.toks) == 1 {
			return c, nil
		}
		s, lang, next, err := p.lookupWords(1, "/action", true)
		if err != nil {
			return Command{}, err
		}
		c.Kind, c.HelpLanguage = s.kind, lang
		return p.args(s, next, c)
	}
	first := p.toks[0].text
	if strings.Trim(first, "0") == "" {
		return Command{}, invalid(msgNumberFrom1)
	}
	if strings.HasPrefix(first, "-") || strings.HasPrefix(first, "#") || startsWithDigit(first) {
		return Command{}, invalid(msgBadNumber, first)
	}
	s, lang, next, err := p.lookupWords(0, "/action", false)
	if err != nil {
		return Command{}, err
	}
	return p.args(s, next, Command{Kind: s.kind, HelpLanguage: lang})
}

func (p *parser) copil() (Command, error) {
	if len(p.toks) == 0 {
		for _, s := range specs {
			if s.command == "/copil" && s.bare {
				return Command{Kind: s.kind}, nil
			}
		}
	}
	s, lang, next, err := p.lookupWords(0, "/copil", false)
	if err != nil {
		return Command{}, err
	}
	return p.args(s, next, Command{Kind: s.kind, HelpLanguage: lang})
}

// args reads the arguments of sub-command s from token i on into c; a
// sub-command that takes none refuses any. Errors carry s's usage.
func (p *parser) args(s *spec, i int, c Command) (Command, error) {
	if s.edit {
		return p.edits(s, i, c)
	}
	if s.parse != nil {
		if err := s.parse(p, i, &c); err != nil {
			return Command{}, withSpec(err, s)
		}
	} else if len(p.toks) > i {
		return Command{}, invalid(msgTooManyArgs, p.rest(i)).with(s)
	}
	return c, nil
}

// edits reads one or more changes from token i on, the first of sub-command
// s: each field's value runs up to the next field's name, and a note takes
// the rest of the line. A field's name inside a value (« in progress »)
// ends it only where what comes before reads as that field's value. A
// field given twice is refused; a bad value refuses the whole command,
// with that field's usage.
func (p *parser) edits(s *spec, i int, c Command) (Command, error) {
	seen := map[Kind]bool{}
	for {
		seen[s.kind] = true
		// Where this field's value may end: before the name of another.
		var ends []int
		if s.kind != KindNote {
			for j := i; j < len(p.toks); j++ {
				if t := p.toks[j]; !t.quoted && !t.escape && editSpec(t.text) != nil {
					ends = append(ends, j)
				}
			}
		}
		ends = append(ends, len(p.toks))
		var err error
		end := ends[0]
		for _, e := range ends {
			next := c
			if err2 := s.parse(p.upTo(e), i, &next); err2 == nil {
				end, c, err = e, next, nil
				break
			} else if err == nil {
				err = err2 // the first boundary's error names the value
			}
		}
		if err != nil {
			return Command{}, withSpec(err, s)
		}
		if end == len(p.toks) {
			return c, nil
		}
		next := editSpec(p.toks[end].text)
		if seen[next.kind] {
			return Command{}, invalid(msgFieldTwice, p.toks[end].text).with(next)
		}
		s, i = next, end+1
	}
}

// unbalanced refuses a quote that nothing closes, naming what follows it.
func (p *parser) unbalanced(t token) error {
	q, w := utf8.DecodeRuneInString(p.text[t.start:])
	return invalid(msgUnbalancedQuote, string(q), strings.TrimSpace(slackText.Replace(p.text[t.start+w:])))
}

// parseNew reads « 1.2 [groupe prospection] Guichet unique des
// entreprises »: the programme's code, optionally its group (one word or
// quoted), then the title.
func parseNew(p *parser, i int, c *Command) error {
	if i >= len(p.toks) {
		return invalid(msgMissingProgramme)
	}
	code, name, prob := planword.Programme(p.toks[i].text)
	if prob != planword.NoProblem || name != "" {
		return invalid(msgBadProgramme, p.toks[i].text)
	}
	c.List.Programme = code
	i++
	if i+1 < len(p.toks) && !p.toks[i].quoted && filterKeys[key(p.toks[i].text)] == "group" {
		if p.toks[i+1].unclosed {
			return p.unbalanced(p.toks[i+1])
		}
		c.List.Group = p.toks[i+1].text
		i += 2
	}
	if c.Text = p.rest(i); c.Text == "" {
		return invalid(msgMissingTitle)
	}
	return nil
}

// upTo is the parser of the tokens before token end.
func (p *parser) upTo(end int) *parser {
	cut := len(p.text)
	if end < len(p.toks) {
		cut = p.toks[end].start
	}
	return &parser{text: p.text[:cut], toks: p.toks[:end], today: p.today}
}

// editSpec returns the /action row that changes the field named word, or
// nil.
func editSpec(word string) *spec {
	k := key(word)
	for i := range specs {
		if s := &specs[i]; s.edit {
			for _, names := range s.names {
				for _, n := range names {
					if key(n) == k {
						return s
					}
				}
			}
		}
	}
	return nil
}

func withSpec(err error, s *spec) error {
	if ue, ok := err.(*UserError); ok && ue.Spec == nil {
		ue.Spec = s
	}
	return err
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// actionNumber reads "23" (also "#23" and "n°23").
func actionNumber(s string) (int, bool) {
	s = strings.TrimPrefix(s, "#")
	if f := store.Fold(s); strings.HasPrefix(f, "n°") {
		s = s[len("n°"):]
	}
	return planword.Number(s)
}

// lookupWords finds the sub-command named from token i on, as lookup
// does, and returns the token after its name. A name may be several words
// (« ne plus suivre »): the longest that the words typed spell is taken,
// so that the words of a name are never read as arguments.
func (p *parser) lookupWords(i int, command string, target bool) (*spec, int, int, error) {
	for n := min(maxNameWords, len(p.toks)-i); n > 1; n-- {
		words := make([]string, 0, n)
		for _, t := range p.toks[i : i+n] {
			if t.quoted || t.escape {
				break
			}
			words = append(words, t.text)
		}
		if len(words) < n {
			continue
		}
		name := strings.Join(words, " ")
		_, _, this := named(key(name), command, target)
		_, _, other := named(key(name), command, !target)
		if this || other {
			s, lang, err := lookup(name, command, target)
			return s, lang, i + n, err
		}
	}
	s, lang, err := lookup(p.toks[i].text, command, target)
	return s, lang, i + 1, err
}

// maxNameWords is how many words the longest name of a sub-command has;
// set with the table.
var maxNameWords int

// named finds the sub-command of command whose name, in either language,
// folds to k, among those that do (target) or do not take a number.
func named(k, command string, target bool) (*spec, int, bool) {
	for i := range specs {
		s := &specs[i]
		if s.command != command || s.target != target {
			continue
		}
		for lang, names := range s.names {
			for _, n := range names {
				if key(n) == k {
					return s, lang, true
				}
			}
		}
	}
	return nil, 0, false
}

// lookup finds the sub-command named word among those of command that do
// (target) or do not take an action number, and which language's name it
// is. Unknown words get a suggestion.
func lookup(word, command string, target bool) (*spec, int, error) {
	k := key(word)
	if s, lang, ok := named(k, command, target); ok {
		return s, lang, nil
	}
	if s, _, ok := named(k, command, !target); ok {
		if s.target {
			return nil, 0, invalid(msgNeedsNumber, word).with(s)
		}
		return nil, 0, invalid(msgNoNumberNeeded, word).with(s)
	}
	// Suggest the closest name in each language; the catalogue shows the
	// one in the user's language.
	var best [2]string
	dist := [2]int{1 << 30, 1 << 30}
	for i := range specs {
		s := &specs[i]
		if s.command != command || s.target != target {
			continue
		}
		for lang, names := range s.names {
			for _, n := range names {
				if !strings.ContainsFunc(n, unicode.IsLetter) {
					continue // « ? » is no word to suggest
				}
				if d := levenshtein(k, key(n)); d < dist[lang] {
					best[lang], dist[lang] = n, d
				}
			}
		}
	}
	limit := max(2, len(k)/3)
	if dist[0] <= limit || dist[1] <= limit {
		for lang := range best {
			if dist[lang] > limit {
				best[lang] = best[1-lang]
			}
		}
		return nil, 0, invalid(msgUnknownSubSuggest, word, best[0], best[1], command)
	}
	return nil, 0, invalid(msgUnknownSub, word, command)
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func parseStatusArg(p *parser, i int, c *Command) error {
	arg := p.rest(i)
	if arg == "" {
		return invalid(msgMissingStatus)
	}
	st, prob := planword.Status(arg)
	if prob != planword.NoProblem {
		return wordError(prob, arg)
	}
	c.Edit.Status = &st
	return nil
}

func parseProgressArg(p *parser, i int, c *Command) error {
	arg := p.rest(i)
	if arg == "" {
		return invalid(msgMissingProgress)
	}
	n, prob := planword.Progress(arg)
	if prob != planword.NoProblem {
		return progressError(prob, arg, n)
	}
	c.Edit.Progress = &n
	return nil
}

func parseNoteArg(p *parser, i int, c *Command) error {
	c.Edit.Note = p.rest(i)
	if c.Edit.Note == "" {
		return invalid(msgMissingNote)
	}
	return nil
}

func parseSearchArg(p *parser, i int, c *Command) error {
	c.List.Page = 1
	if n := len(p.toks); n-i >= 3 && key(p.toks[n-2].text) == "page" {
		if page, err := strconv.Atoi(p.toks[n-1].text); err == nil {
			if page < 1 {
				return invalid(msgBadPage, p.toks[n-1].text)
			}
			c.List.Page = page
			p = p.upTo(n - 2)
		}
	}
	c.Text = p.rest(i)
	if c.Text == "" {
		return invalid(msgMissingSearch)
	}
	if store.SearchWords(c.Text) > store.MaxSearchWords {
		return invalid(msgTooManySearchWords, store.MaxSearchWords)
	}
	return nil
}

// people reads mentions, quoted names and unquoted names (separated by
// commas or semicolons) from token i on.
func (p *parser) people(i int) ([]store.Person, error) {
	var out []store.Person
	var loose []string
	flush := func() error {
		text := strings.Join(loose, " ")
		loose = loose[:0]
		for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' }) {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			if err := checkName(part); err != nil {
				return err
			}
			out = append(out, store.Person{Name: part})
		}
		return nil
	}
	for _, t := range p.toks[i:] {
		switch {
		case t.unclosed:
			return nil, p.unbalanced(t)
		case t.quoted:
			if err := flush(); err != nil {
				return nil, err
			}
			if t.text != "" {
				if err := checkName(t.text); err != nil {
					return nil, err
				}
				out = append(out, store.Person{Name: t.text})
			}
		case t.escape && strings.HasPrefix(t.text, "<@"):
			if err := flush(); err != nil {
				return nil, err
			}
			out = append(out, store.ParsePerson(t.text))
		case t.escape || strings.HasPrefix(t.text, "<"):
			if planword.CheckName(t.text) == planword.AddressOnly {
				// An address alone, as Slack sends it
				// (<mailto:…|…>): say how to write it.
				return nil, wordError(planword.AddressOnly, t.text)
			}
			return nil, invalid(msgNotAPerson, t.text)
		case strings.HasPrefix(t.text, "@"):
			// Slack sends a person picked from its autocomplete as <@U…>:
			// a bare @name was typed by hand and names nobody.
			return nil, invalid(msgBareMention, t.text)
		default:
			loose = append(loose, t.text)
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

func parsePiloteArg(p *parser, i int, c *Command) error {
	if p.rest(i) == "" {
		return invalid(msgMissingPerson)
	}
	people, err := p.people(i)
	if err != nil {
		return err
	}
	if len(people) != 1 {
		return invalid(msgOnePilote, len(people))
	}
	c.Edit.Pilote = &people[0]
	return nil
}

// checkName refuses a name that would read back as someone else: the
// journal and spreadsheets write people as text, where <@U123> is a Slack
// user and « ; » separates contributors.
func checkName(name string) error {
	if prob := planword.CheckName(name); prob != planword.NoProblem {
		return wordError(prob, name)
	}
	return nil
}

func parseContributorsArg(p *parser, i int, c *Command) error {
	arg := p.rest(i)
	if arg == "" {
		return invalid(msgMissingPeople)
	}
	people := []store.Person{}
	if !planword.NoneWord(arg) {
		var err error
		if people, err = p.people(i); err != nil {
			return err
		}
	}
	c.Edit.Contributors = &people
	return nil
}

func parseDueArg(p *parser, i int, c *Command) error {
	arg := p.rest(i)
	if arg == "" {
		return invalid(msgMissingDate)
	}
	d := store.Date{}
	if !planword.NoneWord(arg) && arg != "-" {
		var err error
		if d, err = parseDate(arg, p.today); err != nil {
			return err
		}
	}
	c.Edit.Due = &d
	return nil
}

// parseDate reads a date as planword.Date does, today completing a date
// written without its year.
func parseDate(s string, today store.Date) (store.Date, error) {
	d, prob := planword.Date(s, today)
	switch prob {
	case planword.NoProblem:
		return d, nil
	case planword.ImplausibleYear:
		return store.Date{}, invalid(msgImplausibleYear, strings.TrimSpace(s), d.Year, planword.MinYear, today.Year+planword.MaxYearsAhead)
	}
	return store.Date{}, wordError(prob, strings.TrimSpace(s))
}

// parseClock reads 14h00, 14h, 14:00 or 9h30 as a time of day.
func parseClock(s string) (time.Duration, bool) {
	f := strings.ToLower(strings.TrimSpace(s))
	h, m, found := strings.Cut(f, "h")
	if !found {
		h, m, found = strings.Cut(f, ":")
		if !found {
			return 0, false
		}
	}
	hh, err := strconv.Atoi(h)
	if err != nil || hh < 0 || hh > 23 {
		return 0, false
	}
	mm := 0
	if m != "" {
		if mm, err = strconv.Atoi(m); err != nil || mm < 0 || mm > 59 || len(m) != 2 {
			return 0, false
		}
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, true
}

// filterKeys maps the folded filter words of a list to what they set.
var filterKeys = map[string]string{
	"axe": "axis", "axis": "axis",
	"programme": "programme", "program": "programme", "prog": "programme",
	"groupe": "group", "group": "group", "gt": "group",
	"statut": "status", "status": "status",
	"pilote": "owner", "owner": "owner",
	"echeance": "due", "due": "due",
	"rythme": "rhythm", "rhythm": "rhythm", "cadence": "rhythm",
	"page": "page",
}

func parseListArgs(p *parser, i int, c *Command) error {
	c.List.Page = 1
	for i < len(p.toks) {
		t := p.toks[i]
		what, ok := filterKeys[key(t.text)]
		if !ok || t.quoted {
			return invalid(msgUnknownFilter, t.text)
		}
		j := i + 1
		for j < len(p.toks) {
			if _, isKey := filterKeys[key(p.toks[j].text)]; isKey && !p.toks[j].quoted {
				break
			}
			j++
		}
		if j == i+1 {
			return invalid(msgMissingFilterValue, t.text)
		}
		for _, v := range p.toks[i+1 : j] {
			if v.unclosed {
				return p.unbalanced(v)
			}
		}
		value := strings.TrimSpace(p.text[p.toks[i+1].start:p.toks[j-1].end])
		switch what {
		case "axis":
			a, _, prob := planword.Axis(value)
			if prob != planword.NoProblem {
				return wordError(prob, value)
			}
			c.List.Axis = a
		case "programme":
			pc, _, prob := planword.Programme(value)
			if prob != planword.NoProblem {
				return wordError(prob, value)
			}
			c.List.Programme = pc
		case "group":
			c.List.Group = strings.Trim(value, `"“”«» `)
		case "status":
			st, prob := planword.Status(value)
			if prob != planword.NoProblem {
				return wordError(prob, value)
			}
			c.List.Status = st
		case "owner":
			sub := &parser{text: p.text, toks: p.toks[:j], today: p.today}
			people, err := sub.people(i + 1)
			if err != nil {
				return err
			}
			if len(people) != 1 {
				return invalid(msgOnePilote, len(people))
			}
			c.List.Owner = people[0]
		case "due":
			due, ok := dueWords[key(value)]
			if !ok {
				return invalid(msgBadDueFilter, value)
			}
			c.List.Due = due
		case "rhythm":
			if !rhythmWords[key(value)] {
				return invalid(msgBadRhythmFilter, value)
			}
			c.List.RhythmPassed = true
		case "page":
			n, err := strconv.Atoi(value)
			if err != nil || n < 1 {
				return invalid(msgBadPage, value)
			}
			c.List.Page = n
		}
		i = j
	}
	return nil
}

// parsePageOnly reads an optional "page N" after mes/retard.
func parsePageOnly(p *parser, i int, c *Command) error {
	c.List.Page = 1
	if i >= len(p.toks) {
		return nil
	}
	if key(p.toks[i].text) != "page" || i+2 != len(p.toks) {
		return invalid(msgTooManyArgs, p.rest(i))
	}
	n, err := strconv.Atoi(p.toks[i+1].text)
	if err != nil || n < 1 {
		return invalid(msgBadPage, p.toks[i+1].text)
	}
	c.List.Page = n
	return nil
}

func parseSchedule(p *parser, i int, c *Command) error {
	if i >= len(p.toks) {
		return invalid(msgMissingDate)
	}
	d, err := parseDate(p.toks[i].text, p.today)
	if err != nil {
		return err
	}
	c.Day = d
	if i+1 >= len(p.toks) {
		return invalid(msgMissingTime)
	}
	clock, ok := parseClock(p.toks[i+1].text)
	if !ok {
		return invalid(msgBadTime, p.toks[i+1].text)
	}
	c.Clock = clock
	c.Text = p.rest(i + 2)
	return nil
}

func parseCancel(p *parser, i int, c *Command) error {
	if i >= len(p.toks) {
		return invalid(msgMissingDate)
	}
	if i+1 < len(p.toks) {
		return invalid(msgTooManyArgs, p.rest(i+1))
	}
	d, err := parseDate(p.toks[i].text, p.today)
	if err != nil {
		return err
	}
	c.Day = d
	return nil
}

// wordError words a refused word of the plan. A progress out of range and
// an implausible year need the number read: see progressError and
// parseDate.
func wordError(prob planword.Problem, value string) *UserError {
	switch prob {
	case planword.NotStatus:
		return invalid(msgUnknownStatus, value)
	case planword.NotNumber, planword.OutOfRange:
		return invalid(msgBadProgress, value)
	case planword.NoSuchDay:
		return invalid(msgNoSuchDay, value)
	case planword.NotAxis:
		return invalid(msgBadAxis, value)
	case planword.NotProgramme:
		return invalid(msgBadProgramme, value)
	case planword.NotAName:
		return invalid(msgBadName, value)
	case planword.NameTooLong:
		return invalid(msgNameTooLong, planword.MaxNameLen)
	case planword.AddressOnly:
		return invalid(msgAddressOnly, value)
	case planword.NotRhythm:
		return invalid(msgBadRhythm, value)
	}
	return invalid(msgBadDate, value)
}

// progressError words a refused progress: out of range says the number
// read.
func progressError(prob planword.Problem, value string, n int) *UserError {
	if prob == planword.OutOfRange && n != 0 {
		return invalid(msgProgressRange, n)
	}
	return wordError(prob, value)
}

func parseRhythmArg(p *parser, i int, c *Command) error {
	text := p.rest(i)
	if text == "" {
		return invalid(msgMissingRhythm)
	}
	if planword.NoneWord(text) {
		c.Rhythm = store.Rhythm{}
		return nil
	}
	r, prob := planword.Rhythm(text)
	if prob != planword.NoProblem {
		return invalid(msgBadRhythm, text)
	}
	c.Rhythm = r
	return nil
}

// parseDecision reads « 23 Étendre à Amboise »: the action, then the
// decision as typed.
func parseDecision(p *parser, i int, c *Command) error {
	if i >= len(p.toks) {
		return invalid(msgMissingDecision)
	}
	n, ok := actionNumber(p.toks[i].text)
	if !ok {
		return invalid(msgBadNumber, p.toks[i].text)
	}
	c.Number = n
	c.Text = p.rest(i + 1)
	switch {
	case c.Text == "":
		return invalid(msgMissingDecision)
	case utf8.RuneCountInString(c.Text) > store.MaxDecisionLen:
		return invalid(msgDecisionTooLong, store.MaxDecisionLen)
	}
	return nil
}

// parseOptionalDay reads an optional day: none means the last meeting
// held.
func parseOptionalDay(p *parser, i int, c *Command) error {
	if i >= len(p.toks) {
		return nil
	}
	return parseCancel(p, i, c)
}

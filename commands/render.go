package commands

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/store"
)

// Slack's limits on one message.
const (
	maxBlocks  = 50
	maxTextLen = 3000 // a text object
	// maxMessageChars is how much text Slack takes across a message's
	// blocks (msg_blocks_too_long beyond).
	maxMessageChars = 12000
	maxFieldLen     = 2000 // a field of a section
	maxHeaderLen    = 150
	maxButtonText   = 75
)

// Button action IDs of the card, which the Slack transport routes back.
const (
	ActionIDUpdate  = "action_update"
	ActionIDHistory = "action_history"
	// ActionIDPage starts the action IDs of the « Précédent » and
	// « Suivant » buttons of a paged answer (action_page_prev,
	// action_page_next); their value is the command that shows that page.
	ActionIDPage = "action_page"
)

// renderer turns data into messages; it is pure.
type renderer struct {
	c   *catalog
	loc *time.Location
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, clipMrkdwn(s, maxTextLen), false, false)
}

// field is one field of a section, within Slack's 2000 characters.
func field(label, value string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, clipMrkdwn("*"+label+"*\n"+value, maxFieldLen), false, false)
}

// plain is a plain-text object showing mrkdwn s, within n characters.
func plain(s string, n int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, clip(plainText(s), n), true, false)
}

func section(s string) *slack.SectionBlock { return slack.NewSectionBlock(mrkdwn(s), nil, nil) }

func blocksOf(s string) []slack.Block { return []slack.Block{section(s)} }

func header(s string) *slack.HeaderBlock { return slack.NewHeaderBlock(plain(s, maxHeaderLen)) }

func contextBlock(s string) *slack.ContextBlock { return slack.NewContextBlock("", mrkdwn(s)) }

// person writes p as a Slack mention or an escaped name.
func (r renderer) person(p store.Person) string {
	if p.UserID != "" {
		return "<@" + p.UserID + ">"
	}
	if p.Name == "" {
		return r.c.t(msgNobody)
	}
	// An organisation's address is for its e-mails, not for the channel.
	return escape(p.Display())
}

func (r renderer) people(ps []store.Person) string {
	if len(ps) == 0 {
		return r.c.t(msgNobody)
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = r.person(p)
	}
	return strings.Join(parts, ", ")
}

// author writes the author of a journal entry: a mention, or "import".
func (r renderer) author(a string) string {
	if store.IsUserID(a) {
		return "<@" + a + ">"
	}
	return escape(a)
}

func (r renderer) status(s store.Status) string {
	return r.c.emoji[s] + " " + r.c.status[s]
}

// bar draws progress as ten cells and a percentage.
func (r renderer) bar(p int) string {
	full := (p + 5) / 10
	return strings.Repeat("▰", full) + strings.Repeat("▱", 10-full) + " " + r.c.percent(p)
}

// due writes a due date with how far it is: « lundi 23 novembre 2026 (en retard de 3 jours) ».
func (r renderer) due(a store.Action, today store.Date) string {
	if a.Due.IsZero() {
		return r.c.t(msgNoDue)
	}
	s := r.c.longDate(a.Due)
	if a.Status.Closed() {
		return s
	}
	switch days := a.Due.DaysSince(today); {
	case days < 0:
		return s + " · :warning: *" + r.c.plural(msgOverdueBy1, msgOverdueByN, -days) + "*"
	case days == 0:
		return s + " · " + r.c.t(msgDueToday)
	case days <= 14:
		return s + " · " + r.c.plural(msgDueIn1, msgDueInN, days)
	default:
		return s
	}
}

// when writes a moment in the configured zone: « jeudi 19 novembre 2026 à 10h00 ».
func (r renderer) when(t time.Time) string {
	t = t.In(r.loc)
	return r.c.t(msgAt, r.c.longDate(store.DateOf(t, r.loc)), r.c.clock(t))
}

// entry writes one journal entry's change.
func (r renderer) entry(e store.JournalEntry) string {
	switch e.Field {
	case store.FieldCreated:
		return r.c.t(msgEntryCreated)
	case store.FieldNote:
		return r.c.t(msgEntryNote, rich(e.Note))
	case store.FieldDecision:
		return r.c.decisionEntry(e, escape)
	}
	line := r.c.t(msgEntryChange, r.c.fields[e.Field], r.value(e.Field, e.Old), r.value(e.Field, e.New))
	if e.Undo {
		line += " " + r.c.t(msgEntryUndo)
	}
	return line
}

// value writes a journal value as people read it.
func (r renderer) value(field, v string) string {
	if v == "" && field == store.FieldDue {
		return r.c.t(msgNoDue)
	}
	if v == "" {
		return r.c.t(msgNobody)
	}
	switch field {
	case store.FieldStatus:
		return r.status(store.Status(v))
	case store.FieldProgress:
		return r.c.percent(v)
	case store.FieldDue:
		if d, err := store.ParseISODate(v); err == nil {
			return r.c.short(d)
		}
	case store.FieldPilote:
		return r.person(store.ParsePerson(v))
	case store.FieldContributors:
		return r.people(store.SplitPeople(v))
	case store.FieldRhythm:
		if rh, err := store.ParseRhythm(v); err == nil {
			return r.rhythm(rh)
		}
	}
	return escape(v)
}

func (r renderer) entryLine(e store.JournalEntry) string {
	return r.c.t(msgEntryBy, r.author(e.Author), r.when(e.At)) + " — " + r.entry(e)
}

func (r renderer) path(a store.Action) string {
	return r.c.t(msgCardPath, a.Programme.Axis.Label(), a.Programme.Code, escape(a.Programme.Name))
}

// card renders an action's card.
func (r renderer) card(a store.Action, last *store.JournalEntry, today store.Date, demo, buttons bool) Message {
	title := r.c.t(msgCardTitle, a.Number, escape(a.Title))
	path := r.path(a)
	fields := []*slack.TextBlockObject{
		field(r.c.t(msgPilote), r.person(a.Pilote())),
		field(r.c.t(msgContributors), r.people(a.People())),
		field(r.c.t(msgStatus), r.status(a.Status)),
		field(r.c.t(msgProgress), r.bar(a.Progress)),
		field(r.c.t(msgDue), r.due(a, today)),
		field(r.c.t(msgGroup), escape(a.Group.Name)),
	}
	lastLine := r.c.t(msgNoJournal)
	if last != nil {
		lastLine = r.c.t(msgLastEntry, r.entryLine(*last))
	}
	blocks := []slack.Block{
		header(title),
		contextBlock(path),
		slack.NewSectionBlock(nil, fields, nil),
	}
	if a.Description != "" {
		blocks = append(blocks, section(escape(a.Description)))
	}
	blocks = append(blocks, contextBlock(lastLine))
	followers := ""
	if a.Followers > 0 {
		followers = r.c.plural(msgCardFollowers1, msgCardFollowersN, a.Followers)
		blocks = append(blocks, contextBlock(":eyes: "+followers))
	}
	next := r.nextUpdate(a, today)
	if next != "" {
		blocks = append(blocks, contextBlock(next))
	}
	if buttons {
		num := strconv.Itoa(a.Number)
		blocks = append(blocks, slack.NewActionBlock("action_"+num,
			slack.NewButtonBlockElement(ActionIDUpdate, num, plain(r.c.t(msgButtonUpdate), maxButtonText)).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(ActionIDHistory, num, plain(r.c.t(msgButtonHistory), maxButtonText)),
		))
	}
	if demo {
		blocks = append(blocks, contextBlock("_"+r.c.t(msgDemo)+"_"))
	}
	label := func(k msg, v string) string { return r.c.t(msgLabel, r.c.t(k), v) }
	text := strings.Join([]string{
		title,
		path,
		label(msgGroup, escape(a.Group.Name)),
		label(msgPilote, r.person(a.Pilote())),
		label(msgContributors, r.people(a.People())),
		label(msgStatus, r.status(a.Status)),
		label(msgProgress, r.bar(a.Progress)),
		label(msgDue, strings.ReplaceAll(r.due(a, today), "*", "")),
		lastLine,
	}, "\n")
	if followers != "" {
		text += "\n" + followers
	}
	if next != "" {
		text += "\n" + next
	}
	if demo {
		text += "\n" + r.c.t(msgDemo)
	}
	return Message{Blocks: blocks, Text: text}
}

// changed renders the confirmation of a change: what changed, then the card.
func (r renderer) changed(ch store.Change, today store.Date, demo bool) Message {
	card := r.card(ch.Action, lastOf(ch.Entries), today, demo, true)
	var lines []string
	for _, e := range ch.Entries {
		lines = append(lines, "• "+r.entry(e))
	}
	head := r.c.t(msgNoChange, ch.Action.Number)
	if len(lines) > 0 {
		head = ":white_check_mark: " + r.c.t(msgChangedBy, ch.Action.Number) + "\n" + strings.Join(lines, "\n")
	}
	card.Blocks = append([]slack.Block{section(head)}, card.Blocks...)
	card.Text = head + "\n\n" + card.Text
	return card
}

func lastOf(entries []store.JournalEntry) *store.JournalEntry {
	if len(entries) == 0 {
		return nil
	}
	return &entries[len(entries)-1]
}

// history renders one page of the journal of an action, newest first.
func (r renderer) history(a store.Action, entries []store.JournalEntry, p pager) Message {
	title := r.c.t(msgHistoryTitle, a.Number, escape(a.Title))
	if len(entries) == 0 {
		text := r.c.t(msgHistoryEmpty, a.Number)
		if p.total > 0 {
			text = r.noSuchPage(p)
		}
		return Message{Blocks: []slack.Block{header(title), section(text)}, Text: title + "\n" + text}
	}
	// One section per entry: ten long notes in one section would be cut
	// at Slack's 3000 characters, and the oldest lost; each note gets its
	// share of the 12,000 characters a message holds.
	blocks := []slack.Block{header(title)}
	lines := []string{title}
	for _, e := range entries {
		if e.Field == store.FieldNote {
			e.Note = clip(e.Note, maxMessageChars/historyLength-200)
		}
		line := "• " + r.entryLine(e)
		blocks = append(blocks, section(line))
		lines = append(lines, line)
	}
	foot, buttons := r.pageFoot(p, len(entries), msgOlderEntries)
	blocks = append(blocks, contextBlock(foot))
	if buttons != nil {
		blocks = append(blocks, buttons)
	}
	lines = append(lines, foot)
	return Message{Blocks: blocks, Text: strings.Join(lines, "\n")}
}

// listLine writes one action on one line.
func (r renderer) listLine(a store.Action, today store.Date) string {
	parts := []string{
		fmt.Sprintf("*%d* %s %s", a.Number, r.c.emoji[a.Status], escape(clip(a.Title, 90))),
		r.person(a.Pilote()),
		r.c.percent(a.Progress),
	}
	if !a.Due.IsZero() {
		d := r.c.t(msgDueShort, r.c.short(a.Due))
		if a.Overdue(today) {
			d += " :warning: " + r.c.plural(msgOverdueBy1, msgOverdueByN, today.DaysSince(a.Due))
		}
		parts = append(parts, d)
	}
	return strings.Join(parts, " · ")
}

// listPageSize is how many actions a list shows at once: one section each,
// well within Slack's 50 blocks.
const listPageSize = 15

// list renders a page of actions.
func (r renderer) list(title, empty string, page store.Page, p pager, today store.Date) Message {
	if page.Total == 0 {
		return Message{Blocks: []slack.Block{section(empty)}, Text: empty}
	}
	if len(page.Actions) == 0 {
		text := title + "\n" + r.noSuchPage(p)
		return Message{Blocks: []slack.Block{section(text)}, Text: text}
	}
	blocks := []slack.Block{header(title)}
	lines := []string{title}
	for _, a := range page.Actions {
		l := r.listLine(a, today)
		blocks = append(blocks, section(l))
		lines = append(lines, "• "+l)
	}
	foot, buttons := r.pageFoot(p, len(page.Actions), msgNextPage)
	blocks = append(blocks, contextBlock(foot))
	if buttons != nil {
		blocks = append(blocks, buttons)
	}
	lines = append(lines, foot)
	return Message{Blocks: blocks, Text: strings.Join(lines, "\n")}
}

// pager says where one page of a paged answer stands, and how to ask for
// another.
type pager struct {
	base              string // the command without its page: /action liste axe 1
	page, size, total int
}

func (p pager) pages() int { return max(1, (p.total+p.size-1)/p.size) }

// command is the command that shows page n.
func (p pager) command(n int) string { return p.base + " page " + strconv.Itoa(n) }

// noSuchPage says that p's page is past the end.
func (r renderer) noSuchPage(p pager) string {
	return r.c.plural(msgNoSuchPage1, msgNoSuchPageN, p.pages(), p.page)
}

// pageFoot writes the foot of a page that shows shown items: which ones of
// how many, which page of how many and the command for the next (next
// words it), and the « Précédent » / « Suivant » buttons, nil on a single
// page.
func (r renderer) pageFoot(p pager, shown int, next msg) (string, slack.Block) {
	from, to := (p.page-1)*p.size+1, (p.page-1)*p.size+shown
	if p.pages() == 1 && p.page == 1 {
		return r.c.t(msgListAll, shown, p.total), nil
	}
	foot := r.c.t(msgListPage, from, to, p.total, p.page, p.pages())
	var buttons []slack.BlockElement
	if p.page > 1 {
		buttons = append(buttons, slack.NewButtonBlockElement(ActionIDPage+"_prev", p.command(p.page-1), plain(r.c.t(msgButtonPrevious), maxButtonText)))
	}
	if to < p.total {
		cmd := p.command(p.page + 1)
		foot += " · " + r.c.t(next, "`"+escape(cmd)+"`")
		buttons = append(buttons, slack.NewButtonBlockElement(ActionIDPage+"_next", cmd, plain(r.c.t(msgButtonNext), maxButtonText)))
	}
	if len(buttons) == 0 {
		return foot, nil
	}
	return foot, slack.NewActionBlock("pages", buttons...)
}

// tally writes counts per status: ⚪ 3 · 🔵 7 …
func (r renderer) tally(t store.Tally) string {
	var parts []string
	for _, st := range store.Statuses {
		if n := t.ByStatus[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", r.c.emoji[st], n))
		}
	}
	s := r.c.plural(msgTallyLine1, msgTallyLine, t.Total, t.AverageProgress())
	if len(parts) > 0 {
		s += " · " + strings.Join(parts, " ")
	}
	if t.Overdue > 0 {
		s += " · :warning: " + r.c.t(msgOverdueCount, t.Overdue)
	}
	return s
}

// legend says what each status emoji stands for.
func (r renderer) legend() string {
	parts := make([]string, len(store.Statuses))
	for i, st := range store.Statuses {
		parts[i] = r.c.emoji[st] + " " + strings.ToLower(r.c.status[st])
	}
	return r.c.t(msgLegend, strings.Join(parts, " · "))
}

// dashboard renders the plan by axis and programme.
func (r renderer) dashboard(d store.Dashboard, groupName string) Message {
	title := r.c.t(msgDashboardTitle, r.c.longDate(d.Today))
	if groupName != "" {
		title = r.c.t(msgDashboardGroupTitle, escape(groupName), r.c.longDate(d.Today))
	}
	if len(d.Axes) == 0 {
		text := r.c.t(msgDashboardEmpty)
		return Message{Blocks: []slack.Block{header(title), section(text)}, Text: title + "\n" + text}
	}
	blocks := []slack.Block{header(title), section(r.tally(d.Tally))}
	lines := []string{title, r.tally(d.Tally)}
	for _, ax := range d.Axes {
		axLine := fmt.Sprintf("*%s · %s*\n%s", ax.Axis.Label(), escape(ax.Axis.Name), r.tally(ax.Tally))
		var progs []string
		for _, p := range ax.Programmes {
			progs = append(progs, fmt.Sprintf("› %s %s — %s", p.Programme.Code, escape(clip(p.Programme.Name, 70)), r.tally(p.Tally)))
		}
		body := axLine + "\n" + strings.Join(progs, "\n")
		blocks = append(blocks, slack.NewDividerBlock(), section(body))
		lines = append(lines, "", strings.ReplaceAll(body, "*", ""))
	}
	legend := r.legend()
	blocks = append(blocks, contextBlock(legend))
	lines = append(lines, "", legend)
	return Message{Blocks: blocks, Text: strings.Join(lines, "\n")}
}

// usage writes the syntax and examples of one sub-command.
func (c *catalog) usage(s *spec) string {
	return c.t(msgUsage) + " `" + c.syntax(s) + "`\n" + c.t(msgExamples) + " " + quoteAll(c.examples(s))
}

func quoteAll(xs []string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = "`" + x + "`"
	}
	return strings.Join(out, ", ")
}

// syntax writes how a sub-command is typed: /action 23 statut <…>.
func (c *catalog) syntax(s *spec) string {
	if s.bare {
		return s.command
	}
	parts := []string{s.command}
	if s.target {
		parts = append(parts, escape("<N>"))
	}
	if names := s.names[c.names]; len(names) > 0 {
		parts = append(parts, names[0])
	}
	if s.usage != msgNone {
		parts = append(parts, c.t(s.usage))
	}
	return strings.Join(parts, " ")
}

// help renders the command table.
func (r renderer) help(only string) Message {
	title := r.c.t(msgHelpTitle)
	blocks := []slack.Block{header(title), contextBlock(r.c.t(msgHelpIntro))}
	lines := []string{title, r.c.t(msgHelpIntro)}
	var chunk []string
	flush := func() {
		if len(chunk) > 0 {
			for _, c := range chunks(strings.Join(chunk, "\n"), maxTextLen) {
				blocks = append(blocks, section(c))
			}
			chunk = nil
		}
	}
	command := ""
	for i := range specs {
		s := &specs[i]
		if only != "" && s.command != only {
			continue
		}
		if s.command != command {
			flush()
			command = s.command
		}
		syntax := r.c.syntax(s)
		line := "`" + syntax + "` — " + r.c.t(s.about)
		if s.perm != Anyone {
			line += " _(" + r.c.t(msgHelpWho, r.c.perms[s.perm]) + ")_"
		}
		if ex := r.c.examples(s); ex[0] != syntax {
			line += "\n    " + r.c.t(msgExamples) + " " + quoteAll(ex)
		}
		chunk = append(chunk, line)
		lines = append(lines, strings.NewReplacer("`", "", "_", "").Replace(line))
	}
	flush()
	return Message{Blocks: blocks, Text: strings.Join(lines, "\n")}
}

// meeting writes a meeting: « jeudi 8 décembre 2026 à 14h00 · Hôtel de Métropole ».
func (r renderer) meeting(m store.Meeting) string {
	place := m.Place
	if place == "" {
		place = r.c.t(msgNoPlace)
	}
	t := m.At.In(r.loc)
	return r.c.t(msgCopilWhen, r.c.longDate(store.DateOf(t, r.loc)), r.c.clock(t), escape(place))
}

// daysLeft writes « dans 12 jours » from today to the meeting's day.
func (r renderer) daysLeft(m store.Meeting, today store.Date) string {
	days := store.DateOf(m.At, r.loc).DaysSince(today)
	if days == 0 {
		return r.c.t(msgCopilToday)
	}
	return r.c.plural(msgCopilInDays1, msgCopilInDaysN, days)
}

// copilNext renders the next meeting (or that there is none) above the dashboard.
func (r renderer) copilNext(m *store.Meeting, today store.Date, d store.Dashboard) Message {
	var head string
	if m == nil {
		head = r.c.t(msgCopilNone)
	} else {
		head = ":calendar: *" + r.c.t(msgCopilNext, r.meeting(*m)) + "* (" + r.daysLeft(*m, today) + ")"
	}
	dash := r.dashboard(d, "")
	dash.Blocks = append([]slack.Block{section(head), slack.NewDividerBlock()}, dash.Blocks...)
	dash.Text = strings.ReplaceAll(head, "*", "") + "\n\n" + dash.Text
	return dash
}

// copilList renders upcoming and past meetings.
func (r renderer) copilList(ms []store.Meeting, now time.Time) Message {
	var up, past []string
	for _, m := range ms {
		if m.At.Before(now) {
			past = append([]string{"• " + r.meeting(m)}, past...)
		} else {
			up = append(up, "• "+r.meeting(m))
		}
	}
	if len(past) > 10 {
		past = past[:10]
	}
	none := "• " + r.c.t(msgCopilListEmpty)
	if len(up) == 0 {
		up = []string{none}
	}
	if len(past) == 0 {
		past = []string{none}
	}
	title := r.c.t(msgCopilListTitle)
	body := "*" + r.c.t(msgCopilUpcoming) + "*\n" + strings.Join(up, "\n") + "\n\n*" + r.c.t(msgCopilPast) + "*\n" + strings.Join(past, "\n")
	return Message{Blocks: []slack.Block{header(title), section(body)}, Text: title + "\n" + strings.ReplaceAll(body, "*", "")}
}

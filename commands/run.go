package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/commands/planword"
	"github.com/tours-metropole/actionbot/store"
)

// historyLength is how many journal entries « historique » shows.
const historyLength = 10

func (h *Handler) renderer() renderer { return renderer{c: h.cat, loc: h.loc} }

// run carries out a parsed command for the request's user.
func (h *Handler) run(ctx context.Context, r Request, c Command) (Message, error) {
	s := specOf(c.Kind)
	var a store.Action
	if s.target {
		var err error
		if a, err = h.action(ctx, c.Number); err != nil {
			return Message{}, err
		}
		perm := s.perm
		if s.edit {
			perm = editPerm(c.Edit)
		}
		if err := h.allowed(ctx, r.UserID, a, perm); err != nil {
			return Message{}, err
		}
	} else if s.perm == Admins && !h.admins[r.UserID] {
		return Message{}, &UserError{Code: EForbidden, Key: msgForbiddenAdmins}
	}

	return s.run(h, ctx, r, c, a)
}

// The run functions of the table's rows, in its order.

func (h *Handler) runCard(ctx context.Context, r Request, c Command, a store.Action) (Message, error) {
	return h.card(ctx, a, store.DateOf(r.Now, h.loc))
}

func (h *Handler) runShare(ctx context.Context, r Request, c Command, a store.Action) (Message, error) {
	msg, err := h.card(ctx, a, store.DateOf(r.Now, h.loc))
	msg.InChannel = true
	return msg, err
}

// runEdit applies the command's changes to a in one transaction, each
// journaled, and answers with what changed and the card.
func (h *Handler) runEdit(ctx context.Context, r Request, c Command, a store.Action) (Message, error) {
	ch, err := h.edit(ctx, r.UserID, a, c.Edit)
	if err != nil {
		return Message{}, err
	}
	return h.changed(ctx, r, ch)
}

// changed is the answer to a change: what changed, and the card.
func (h *Handler) changed(ctx context.Context, r Request, ch store.Change) (Message, error) {
	demo, err := h.store.IsDemo(ctx)
	if err != nil {
		return Message{}, err
	}
	return h.renderer().changed(ch, store.DateOf(r.Now, h.loc), demo), nil
}

// edit applies e to a on behalf of user, in one transaction, each field
// journaled: the one path of a change of status, progress or note, typed
// (« statut … avancement … note … »), from the « Mettre à jour » modal or
// from a check-in. The caller has checked the user's permission.
func (h *Handler) edit(ctx context.Context, user string, a store.Action, e store.Edit) (store.Change, error) {
	if err := checkEdit(a, e); err != nil {
		return store.Change{}, err
	}
	return h.store.Apply(ctx, a.Number, user, e)
}

// checkEdit refuses a progress other than 100 on an action that is and
// stays done.
func checkEdit(a store.Action, e store.Edit) error {
	if e.Progress != nil && *e.Progress != 100 && a.Status == store.StatusDone && (e.Status == nil || *e.Status == store.StatusDone) {
		return invalid(msgDoneAt100, a.Number)
	}
	return nil
}

// runNew creates an action in c's programme and group (the programme's
// only group when none is given), piloted by the user (or c.Edit's
// pilote, due on c.Edit's date: the App Home's form gives them), who must
// be an admin or a lead of that group.
func (h *Handler) runNew(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	var g store.Group
	var err error
	if c.List.Group != "" {
		if g, err = h.group(ctx, c.List.Group); err != nil {
			return Message{}, err
		}
	} else {
		keys, err := h.store.ProgrammeGroups(ctx, c.List.Programme)
		if err != nil {
			return Message{}, err
		}
		switch len(keys) {
		case 0:
			// No action in it: unknown, or new and empty (then a group
			// given by name creates its first action).
			return Message{}, &UserError{Code: ENotFound, Key: msgUnknownProgramme, Args: []any{c.List.Programme}}
		case 1:
		default:
			return Message{}, invalid(msgNewNeedsGroup, c.List.Programme)
		}
		if g, err = h.group(ctx, keys[0]); err != nil {
			return Message{}, err
		}
	}
	if !h.admins[r.UserID] && !g.IsLead(r.UserID) {
		return Message{}, &UserError{Code: EForbidden, Key: msgForbiddenNew, Args: []any{g.Name}}
	}
	na := store.NewAction{ProgrammeCode: c.List.Programme, Group: g.Key, Title: c.Text, Pilote: store.Person{UserID: r.UserID}}
	if c.Edit.Pilote != nil {
		na.Pilote = *c.Edit.Pilote
	}
	if c.Edit.Due != nil {
		na.Due = *c.Edit.Due
	}
	a, err := h.store.CreateAction(ctx, na, r.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return Message{}, &UserError{Code: ENotFound, Key: msgUnknownProgramme, Args: []any{c.List.Programme}}
	}
	if err != nil {
		return Message{}, err
	}
	msg, err := h.card(ctx, a, store.DateOf(r.Now, h.loc))
	if err != nil {
		return Message{}, err
	}
	head := ":white_check_mark: " + h.cat.t(msgCreated, a.Number)
	msg.Blocks = append([]slack.Block{section(head)}, msg.Blocks...)
	msg.Text = head + "\n\n" + msg.Text
	return msg, nil
}

// undoWindow is how long after a change its author may undo it.
const undoWindow = 15 * time.Minute

// runUndo reverts the user's last change to a, if recent and the last.
func (h *Handler) runUndo(ctx context.Context, r Request, c Command, a store.Action) (Message, error) {
	ch, err := h.store.Undo(ctx, a.Number, r.UserID, r.Now.Add(-undoWindow))
	var refused *store.UndoRefusal
	if errors.As(err, &refused) {
		switch refused.Reason {
		case store.UndoChangedSince:
			return Message{}, invalid(msgUndoChangedSince, a.Number, markup(h.renderer().author(refused.By)))
		case store.UndoTooOld:
			return Message{}, invalid(msgUndoTooOld, a.Number, int(undoWindow.Minutes()), h.renderer().when(refused.At))
		case store.UndoNoteOnly:
			return Message{}, invalid(msgUndoNoteOnly, a.Number)
		case store.UndoNoField:
			return Message{}, invalid(msgUndoNoField, a.Number, a.Number)
		case store.UndoUndone:
			return Message{}, invalid(msgUndoUndone, a.Number, h.renderer().when(refused.At), a.Number)
		}
		return Message{}, &UserError{Code: ENotFound, Key: msgUndoNothing, Args: []any{a.Number}}
	}
	if err != nil {
		return Message{}, err
	}
	return h.changed(ctx, r, ch)
}

func (h *Handler) runHistory(ctx context.Context, r Request, c Command, a store.Action) (Message, error) {
	page := max(c.List.Page, 1)
	entries, total, err := h.store.HistoryPage(ctx, a.Number, (page-1)*historyLength, historyLength)
	if err != nil {
		return Message{}, err
	}
	s := specOf(KindHistory)
	base := fmt.Sprintf("/action %d %s", a.Number, s.names[h.cat.names][0])
	return h.renderer().history(a, entries, pager{base: base, page: page, size: historyLength, total: total}), nil
}

func (h *Handler) runList(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	return h.list(ctx, r, c, store.DateOf(r.Now, h.loc))
}

func (h *Handler) runMine(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	today := store.DateOf(r.Now, h.loc)
	f := store.Filter{Person: r.UserID, Order: store.OverdueFirst, Today: today}
	return h.page(ctx, f, c.List.Page, today, h.cat.t(msgMineEmpty), h.title(msgMineTitle), basePage(r))
}

func (h *Handler) runLate(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	today := store.DateOf(r.Now, h.loc)
	f := store.Filter{DueBefore: today, Order: store.ByDue}
	return h.page(ctx, f, c.List.Page, today, h.cat.t(msgLateEmpty), h.title(msgLateTitle), basePage(r))
}

func (h *Handler) runSearch(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	f := store.Filter{Text: c.Text, Order: store.ByNumber}
	return h.page(ctx, f, c.List.Page, store.DateOf(r.Now, h.loc), h.cat.t(msgSearchEmpty, escape(c.Text)), func(n int) string {
		return h.cat.t(msgSearchTitle, escape(c.Text), n)
	}, basePage(r))
}

func (h *Handler) runDashboard(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	d, err := h.store.Dashboard(ctx, store.DateOf(r.Now, h.loc), "")
	if err != nil {
		return Message{}, err
	}
	return h.renderer().dashboard(d, ""), nil
}

// runCopilDashboard is the dashboard for the room: it goes to the channel,
// and the chart follows it.
func (h *Handler) runCopilDashboard(ctx context.Context, r Request, c Command, a store.Action) (Message, error) {
	msg, err := h.runDashboard(ctx, r, c, a)
	msg.InChannel, msg.Chart = true, true
	return msg, err
}

// runHelp lists the commands: all of them for /action aide, those of
// /copil for /copil aide.
func (h *Handler) runHelp(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	only := ""
	if s := specOf(c.Kind); s.command != "/action" {
		only = s.command
	}
	return h.renderer().help(only), nil
}

func (h *Handler) runCopilNext(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	return h.copilNext(ctx, r.Now, store.DateOf(r.Now, h.loc))
}

func (h *Handler) runCopilSchedule(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	return h.schedule(ctx, r, c)
}

func (h *Handler) runCopilCancel(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	if c.Day.Before(store.DateOf(r.Now, h.loc)) {
		return Message{}, invalid(msgMeetingCancelPast, h.cat.short(c.Day))
	}
	m, err := h.store.CancelMeeting(ctx, c.Day, h.loc)
	if errors.Is(err, store.ErrNotFound) {
		return Message{}, &UserError{Code: ENotFound, Key: msgMeetingNotFound, Args: []any{h.cat.short(c.Day)}}
	}
	if err != nil {
		return Message{}, err
	}
	text := ":x: " + h.cat.t(msgCopilCanceled, h.renderer().meeting(m))
	return Message{Blocks: blocksOf(text), Text: text}, nil
}

func (h *Handler) runCopilList(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	ms, err := h.store.Meetings(ctx)
	if err != nil {
		return Message{}, err
	}
	return h.renderer().copilList(ms, r.Now), nil
}

// editPerm is who may make the changes of e: the narrowest permission of
// the fields it changes.
func editPerm(e store.Edit) Permission {
	perm := Anyone
	for k, set := range map[Kind]bool{
		KindStatus: e.Status != nil, KindProgress: e.Progress != nil, KindNote: e.Note != "",
		KindPilote: e.Pilote != nil, KindContributors: e.Contributors != nil, KindDue: e.Due != nil,
	} {
		if set {
			perm = max(perm, specOf(k).perm)
		}
	}
	return perm
}

// action loads action n, or explains which numbers exist.
func (h *Handler) action(ctx context.Context, n int) (store.Action, error) {
	a, err := h.store.ActionByNumber(ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		lo, hi, count, rerr := h.store.NumberRange(ctx)
		if rerr != nil {
			return a, rerr
		}
		if count == 0 {
			return a, &UserError{Code: ENotFound, Key: msgEmptyPlan}
		}
		return a, &UserError{Code: ENotFound, Key: msgActionNotFound, Args: []any{n, lo, hi}}
	}
	return a, err
}

// allowed checks that user may run a command of permission perm on a.
func (h *Handler) allowed(ctx context.Context, user string, a store.Action, perm Permission) error {
	if Allowed(perm, user, a, h.admins[user]) {
		return nil
	}
	return &UserError{Code: EForbidden, Key: msgForbidden, Args: []any{a.Number, h.cat.perms[perm]}}
}

// Allowed reports whether user may run a command of permission perm on
// action a (whose Group must be loaded); admin says whether user is an admin.
func Allowed(perm Permission, user string, a store.Action, admin bool) bool {
	switch {
	case perm == Anyone || admin:
		return true
	case perm == Admins || user == "":
		return false
	case a.Group.IsLead(user):
		return true
	case perm == Editors:
		return a.Involves(user)
	}
	return false
}

func (h *Handler) card(ctx context.Context, a store.Action, today store.Date) (Message, error) {
	return h.cardOf(ctx, a, today, true)
}

// cardOf renders a's card, with its buttons or not. It is rendered once
// between two changes of the plan (see cards).
func (h *Handler) cardOf(ctx context.Context, a store.Action, today store.Date, buttons bool) (Message, error) {
	key := cardKey{number: a.Number, today: today, buttons: buttons}
	gen, cacheable := h.store.Generation()
	if cacheable {
		if m, ok := h.cards.get(gen, key); ok {
			return m, nil
		}
		// Read again after the generation was taken: what was read before
		// it may predate a change, and would be kept under the new one.
		var err error
		if a, err = h.store.ActionByNumber(ctx, a.Number); err != nil {
			return Message{}, err
		}
	}
	entry, ok, err := h.store.LastEntry(ctx, a.Number)
	if err != nil {
		return Message{}, err
	}
	demo, err := h.store.IsDemo(ctx)
	if err != nil {
		return Message{}, err
	}
	var last *store.JournalEntry
	if ok {
		last = &entry
	}
	m := h.renderer().card(a, last, today, demo, buttons)
	if cacheable {
		m.Version = key.version(h.cat.lang, gen)
		h.cards.put(gen, key, m)
	}
	return m, nil
}

func (h *Handler) list(ctx context.Context, r Request, c Command, today store.Date) (Message, error) {
	f := store.Filter{
		Axis: c.List.Axis, Programme: c.List.Programme, Pilote: c.List.Owner,
		Order: store.ByNumber,
	}
	if c.List.Status != "" {
		f.Statuses = []store.Status{c.List.Status}
	}
	switch c.List.Due {
	case DuePast:
		f.DueBefore = today
	case DueSoon:
		f.DueFrom, f.DueBefore = today, today.AddDays(dueSoonDays+1)
	}
	if c.List.RhythmPassed {
		f.UpdateLate, f.Zone = today, h.loc
	}
	if c.List.Group != "" {
		g, err := h.group(ctx, c.List.Group)
		if err != nil {
			return Message{}, err
		}
		f.Group = g.Key
	}
	return h.page(ctx, f, c.List.Page, today, h.cat.t(msgListEmpty), h.title(msgListTitle), basePage(r))
}

// title returns a list title that shows the count.
func (h *Handler) title(k msg) func(int) string {
	return func(n int) string { return h.cat.t(k, n) }
}

// page lists one page of the actions f selects, under a title given the
// total; base is the command without its page.
func (h *Handler) page(ctx context.Context, f store.Filter, page int, today store.Date, empty string, title func(total int) string, base string) (Message, error) {
	page = max(page, 1)
	f.Limit, f.Offset = listPageSize, (page-1)*listPageSize
	p, err := h.store.Actions(ctx, f)
	if err != nil {
		return Message{}, err
	}
	return h.renderer().list(title(p.Total), empty, p, pager{base: base, page: page, size: listPageSize, total: p.Total}, today), nil
}

// basePage writes the command of r without a trailing « page N ».
func basePage(r Request) string {
	text := strings.TrimSpace(r.Text)
	toks := tokenize(text)
	if n := len(toks); n >= 2 && key(toks[n-2].text) == "page" {
		text = strings.TrimSpace(text[:toks[n-2].start])
	}
	return strings.TrimSpace(r.Command + " " + text)
}

// FindGroup finds a working group by key or name, whatever the case,
// accents and separators (« Parcours client », "parcours-client",
// "parcoursclient"); an unknown name is a user error listing the groups.
func (h *Handler) FindGroup(ctx context.Context, name string) (store.Group, error) {
	return h.group(ctx, name)
}

// group finds a working group by name or key, as planword.Groups does.
func (h *Handler) group(ctx context.Context, name string) (store.Group, error) {
	groups, err := h.store.Groups(ctx)
	if err != nil {
		return store.Group{}, err
	}
	idx := planword.NewGroups(groups)
	g, prob := idx.Find(name)
	if prob != planword.NoProblem {
		return store.Group{}, &UserError{Code: ENotFound, Key: msgUnknownGroup, Args: []any{name, strings.Join(idx.Names(), ", ")}}
	}
	return g, nil
}

func (h *Handler) copilNext(ctx context.Context, now time.Time, today store.Date) (Message, error) {
	var next *store.Meeting
	m, err := h.store.NextMeeting(ctx, now)
	switch {
	case err == nil:
		next = &m
	case !errors.Is(err, store.ErrNotFound):
		return Message{}, err
	}
	d, err := h.store.Dashboard(ctx, today, "")
	if err != nil {
		return Message{}, err
	}
	return h.renderer().copilNext(next, today, d), nil
}

func (h *Handler) schedule(ctx context.Context, r Request, c Command) (Message, error) {
	// time.Date keeps the wall clock on a daylight-saving day.
	at := time.Date(c.Day.Year, c.Day.Month, c.Day.Day, int(c.Clock.Hours()), int(c.Clock.Minutes())%60, 0, 0, h.loc)
	if at.Before(r.Now) {
		return Message{}, invalid(msgMeetingPast, h.cat.short(c.Day), h.cat.clock(at))
	}
	m, err := h.store.ScheduleMeeting(ctx, at, c.Text, r.UserID, h.loc)
	if errors.Is(err, store.ErrConflict) {
		d := h.cat.short(c.Day)
		return Message{}, invalid(msgMeetingConflict, d, d)
	}
	if err != nil {
		return Message{}, err
	}
	text := ":calendar: " + h.cat.t(msgCopilScheduled, h.renderer().meeting(m))
	return Message{Blocks: blocksOf(text), Text: text}, nil
}

package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/store"
)

// « Faire le point », the check-in: a modal that steps through the
// user's actions needing news (store.ActionsNeedingNews), each with its
// status, progress and a note. It opens from /action point, from the
// button of the first COPIL reminder's DM and from the App Home.
//
// A view holds checkinPerView actions. Submitting a view checks every
// value on it first: while one is refused, the view stays open with the
// refusal on its field and nothing of the view is stored. Otherwise each
// action is stored in its own transaction through edit, and the next view
// comes (« Suivant ») or the modal closes and the user gets one summary of
// what the check-in recorded. What the views carry from one to the next
// (the actions to come, those recorded) is in their private metadata;
// Slack caps it at 3,000 characters, too little for the notes of a whole
// view, which is why each view is stored when it is submitted rather than
// all at the end. Closing the modal after a view was stored also gets the
// summary.

// CheckinCallbackID is the callback ID of the check-in's views, which the
// Slack transport routes back to SubmitCheckin and CheckinClosed.
const CheckinCallbackID = "checkin_modal"

// ActionIDCheckin is the « Faire le point » button (the reminder's DM, the
// App Home): it opens the check-in of whoever clicks it.
const ActionIDCheckin = "checkin"

const (
	// slackViewBlocks is how many blocks Slack takes in a modal.
	slackViewBlocks = 100
	// checkinBlocksPer is what one action takes in a view: its section,
	// three inputs and a divider.
	checkinBlocksPer = 5
	// checkinPerView is how many actions a view holds: with an intro and
	// a foot, and no divider after the last, within Slack's 100 blocks.
	checkinPerView = (slackViewBlocks - 2 + 1) / checkinBlocksPer
	// checkinMax bounds the actions one check-in steps through: their
	// numbers travel in the views' private metadata (3,000 characters).
	checkinMax = 100
)

// checkinState is what a view of the check-in carries in its private
// metadata, as JSON.
type checkinState struct {
	Channel string `json:"c,omitempty"` // where it was opened from; the summary goes there
	Home    bool   `json:"h,omitempty"` // opened from the App Home, which is refreshed after
	// Start is when the check-in opened (Unix seconds): the summary shows
	// what the user recorded on its actions since.
	Start int64          `json:"t"`
	Shown []checkinShown `json:"s"`           // this view's actions as it shows them
	Next  []int          `json:"n,omitempty"` // the actions of the views to come
	Done  []int          `json:"d,omitempty"` // the actions recorded by the views before
	Page  int            `json:"p"`           // this view, from 1
	Pages int            `json:"q"`
	More  int            `json:"m,omitempty"` // actions needing news beyond checkinMax
}

// checkinShown is one action as a view shows it: what the user's values
// are compared with, so that only what they changed is written.
type checkinShown struct {
	N        int          `json:"n"`
	Status   store.Status `json:"s"`
	Progress int          `json:"p"`
}

// checkinFields are the blocks of action n in a check-in view.
func checkinFields(n int) fieldIDs {
	p := "checkin." + strconv.Itoa(n) + "."
	return fieldIDs{status: p + blockStatus, progress: p + blockProgress, note: p + blockNote}
}

// checkinButton is the « Faire le point » button, in a block of its own.
func (h *Handler) checkinButton() slack.Block {
	return slack.NewActionBlock("checkin", h.checkinElement())
}

// checkinElement is the « Faire le point » button.
func (h *Handler) checkinElement() *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(ActionIDCheckin, "point", plain(h.cat.t(msgButtonCheckin), maxButtonText)).WithStyle(slack.StylePrimary)
}

// runCheckin is /action point: the check-in modal, or that there is
// nothing to update.
func (h *Handler) runCheckin(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	return h.checkin(ctx, r, false)
}

// Checkin answers the « Faire le point » button: like /action point, a
// message whose Modal is the check-in's first view, or a message saying
// that nothing needs news. home says the button is on the App Home.
func (h *Handler) Checkin(ctx context.Context, r Request, home bool) (Message, Report) {
	rep := Report{Name: "button.checkin", Outcome: OutcomeOK}
	msg, err := h.checkin(ctx, r, home)
	if err != nil {
		rep.Outcome = outcomeOf(err)
		return h.failure(r, err), rep
	}
	return msg, rep
}

func (h *Handler) checkin(ctx context.Context, r Request, home bool) (Message, error) {
	news, err := h.store.ActionsNeedingNews(ctx, r.UserID, r.Now, h.loc)
	if err != nil {
		return Message{}, err
	}
	if len(news) == 0 {
		text := ":white_check_mark: " + h.cat.t(msgCheckinNothing)
		return Message{Blocks: blocksOf(text), Text: text}, nil
	}
	today := store.DateOf(r.Now, h.loc)
	msg := h.renderer().checkinList(news, today)
	st := checkinState{Channel: r.ChannelID, Home: home, Start: r.Now.Unix(), Page: 1}
	if len(news) > checkinMax {
		st.More = len(news) - checkinMax
		news = news[:checkinMax]
	}
	st.Pages = (len(news) + checkinPerView - 1) / checkinPerView
	first := news[:min(len(news), checkinPerView)]
	for _, n := range news[len(first):] {
		st.Next = append(st.Next, n.Action.Number)
	}
	view, err := h.checkinView(st, first, today)
	if err != nil {
		return Message{}, err
	}
	msg.Modal = &view
	return msg, nil
}

// checkinView renders one view of the check-in, showing actions (st.Shown
// is set from them); it is pure.
func (h *Handler) checkinView(st checkinState, actions []store.NeedingNews, today store.Date) (slack.ModalViewRequest, error) {
	c := h.cat
	rd := h.renderer()
	st.Shown = st.Shown[:0]
	first := (st.Page-1)*checkinPerView + 1
	total := first - 1 + len(actions) + len(st.Next)
	intro := c.t(msgCheckinIntro, total)
	if st.Pages > 1 {
		intro = c.t(msgCheckinRange, first, first+len(actions)-1, total) + " " + intro
	}
	blocks := []slack.Block{contextBlock(intro)}
	for i, n := range actions {
		a := n.Action
		st.Shown = append(st.Shown, checkinShown{N: a.Number, Status: a.Status, Progress: a.Progress})
		if i > 0 {
			blocks = append(blocks, slack.NewDividerBlock())
		}
		head := fmt.Sprintf("*%d* · %s\n%s", a.Number, escape(clip(a.Title, 150)), rd.newsReasons(n, today))
		blocks = append(blocks, section(head))
		blocks = append(blocks, h.fieldBlocks(a, checkinFields(a.Number))...)
	}
	submit := c.t(msgModalSubmit)
	foot := c.t(msgCheckinLastFoot)
	if len(st.Next) > 0 {
		submit = c.t(msgButtonNext)
		foot = c.t(msgCheckinNextFoot, len(st.Next))
	}
	if st.More > 0 {
		foot += " " + c.t(msgCheckinMore, st.More)
	}
	blocks = append(blocks, contextBlock(foot))
	meta, err := json.Marshal(st)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	title := c.t(msgCheckinTitle)
	if st.Pages > 1 {
		title += fmt.Sprintf(" (%d/%d)", st.Page, st.Pages)
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CheckinCallbackID,
		PrivateMetadata: string(meta),
		Title:           plain(title, 24),
		Submit:          plain(submit, 24),
		Close:           plain(c.t(msgModalCancel), 24),
		// Closing it after a view was stored still gets the summary.
		NotifyOnClose: st.Page > 1,
		Blocks:        slack.Blocks{BlockSet: blocks},
	}, nil
}

// newsReasons says why an action needs news: overdue, update late,
// unchanged since the last COPIL.
func (r renderer) newsReasons(n store.NeedingNews, today store.Date) string {
	a := n.Action
	var why []string
	if n.Reasons&store.NewsOverdue != 0 {
		why = append(why, r.c.plural(msgOverdueBy1, msgOverdueByN, today.DaysSince(a.Due)))
	}
	if n.Reasons&store.NewsUpdateLate != 0 {
		why = append(why, r.updateLate(a, today))
	}
	if n.Reasons&store.NewsSinceMeeting != 0 {
		why = append(why, r.c.t(msgReasonStale, r.c.short(store.DateOf(a.UpdatedAt, r.loc))))
	}
	return ":hourglass: " + strings.Join(why, " · ")
}

// checkinList is the check-in as a message, for where no modal opens (the
// demo console, a trigger that expired): each action, why it needs news
// and the one command that updates it.
func (r renderer) checkinList(news []store.NeedingNews, today store.Date) Message {
	title := r.c.t(msgCheckinListTitle, len(news))
	lines := make([]string, 0, len(news))
	for _, n := range news {
		a := n.Action
		lines = append(lines, fmt.Sprintf("• *%d* %s %s · %s — %s", a.Number, r.c.emoji[a.Status], escape(clip(a.Title, 90)),
			r.c.percent(a.Progress), strings.TrimPrefix(r.newsReasons(n, today), ":hourglass: ")))
	}
	hint := r.c.t(msgCheckinListHint, news[0].Action.Number)
	body := limitLines(lines, r.c.moreAmong(r.c.t(msgHintMine)))
	text := "*" + title + "*\n" + body + "\n" + hint
	return Message{Blocks: []slack.Block{section(text)}, Text: strings.ReplaceAll(text, "*", "")}
}

// CheckinSubmission is what to do with a submitted view of the check-in,
// as with any modal (Submission): show Errors in it and store nothing; or
// View, the view that follows (response_action update); or close it and
// give Reply, the summary, in ChannelID (empty: a direct message) — and
// publish the App Home again if Home, where it was opened from.
type CheckinSubmission struct {
	Submission
	Home bool
}

// SubmitCheckin reads a submitted view of the check-in. Every value of the
// view is checked first, with the user's permission on each action: while
// one is refused, Errors holds it on its field and nothing is stored.
// Then each action is stored in its own transaction, each field journaled
// as the commands do.
func (h *Handler) SubmitCheckin(ctx context.Context, r Request, v slack.View) CheckinSubmission {
	sub := CheckinSubmission{Submission: Submission{Report: Report{Name: "modal.checkin", Outcome: OutcomeOK}}}
	var st checkinState
	if err := json.Unmarshal([]byte(v.PrivateMetadata), &st); err != nil || len(st.Shown) == 0 {
		h.log.Error("check-in metadata unreadable", "user", r.UserID, "metadata", v.PrivateMetadata, "err", err)
		sub.Report.Outcome = OutcomeInternal
		sub.Errors = map[string]string{}
		for _, b := range v.Blocks.BlockSet {
			if in, ok := b.(*slack.InputBlock); ok {
				sub.Errors[in.BlockID] = h.cat.t(msgInternal)
				break
			}
		}
		return sub
	}
	sub.ChannelID, sub.Home = st.Channel, st.Home
	values := stateValues(v)
	type pending struct {
		a store.Action
		e store.Edit
	}
	var todo []pending
	errs := map[string]string{}
	var failed error
	for _, s := range st.Shown {
		ids := checkinFields(s.N)
		a, err := h.action(ctx, s.N)
		if err != nil {
			failed = err
			errs[ids.status] = plainText(h.say(r, err))
			continue
		}
		shown := a
		shown.Status, shown.Progress = s.Status, s.Progress
		e, ferrs := h.readFields(values, ids, shown)
		if ferrs != nil {
			maps.Copy(errs, ferrs)
			failed = invalid(msgNone)
			continue
		}
		if e == (store.Edit{}) {
			continue
		}
		if err := h.allowed(ctx, r.UserID, a, editPerm(e)); err != nil {
			failed = err
			errs[ids.status] = plainText(h.say(r, err))
			continue
		}
		if err := checkEdit(a, e); err != nil {
			// Done meanwhile, and a progress typed.
			failed = err
			errs[ids.progress] = plainText(h.say(r, err))
			continue
		}
		todo = append(todo, pending{a, e})
	}
	if len(errs) > 0 {
		sub.Errors = errs
		sub.Report.Outcome = outcomeOf(failed)
		return sub
	}
	today := store.DateOf(r.Now, h.loc)
	// The same view submitted again — Slack keeps it open, values and all,
	// when the first submission took longer than its 3 seconds — must not
	// add its notes twice (its status and progress are no change the
	// second time): a note this user already recorded on the action since
	// the check-in opened, word for word, is not recorded again.
	noted, err := h.notedSince(ctx, r.UserID, time.Unix(st.Start, 0))
	if err != nil {
		h.log.Error("check-in: reading the notes recorded", "user", r.UserID, "err", err)
	}
	var unstored []string
	for _, p := range todo {
		if p.e.Note != "" && noted[notedKey{p.a.Number, strings.TrimSpace(p.e.Note)}] {
			p.e.Note = ""
			if p.e == (store.Edit{}) {
				st.Done = append(st.Done, p.a.Number)
				continue
			}
		}
		if _, err := h.edit(ctx, r.UserID, p.a, p.e); err != nil {
			// Checked a moment ago: only a change meanwhile (or the
			// database) refuses it. The view cannot show it any more
			// without storing its other actions twice, so the check-in
			// ends here and the summary gives back what was typed.
			sub.Report.Outcome = outcomeOf(err)
			unstored = append(unstored, h.renderer().unstored(p.a, p.e, h.say(r, err)))
			continue
		}
		st.Done = append(st.Done, p.a.Number)
	}
	if len(st.Next) > 0 && len(unstored) == 0 {
		next, err := h.nextView(ctx, st, today)
		if err == nil {
			sub.View = next
			return sub
		}
		h.log.Error("check-in: next view failed", "user", r.UserID, "err", err)
		sub.Report.Outcome = OutcomeInternal
		unstored = append(unstored, h.cat.t(msgInternal))
	}
	sub.Reply = h.checkinSummary(ctx, r, st, unstored)
	return sub
}

// notedKey is a note as recorded on an action.
type notedKey struct {
	action int
	note   string
}

// notedSince returns the notes user recorded since since, by action.
func (h *Handler) notedSince(ctx context.Context, user string, since time.Time) (map[notedKey]bool, error) {
	entries, err := h.store.Journal(ctx, store.JournalFilter{Since: since, Fields: []string{store.FieldNote}})
	if err != nil {
		return nil, err
	}
	noted := map[notedKey]bool{}
	for _, e := range entries {
		if e.Author == user {
			noted[notedKey{e.ActionNumber, strings.TrimSpace(e.Note)}] = true
		}
	}
	return noted, nil
}

// say is the user's error as the user reads it.
func (h *Handler) say(r Request, err error) string {
	var ue *UserError
	if errors.As(err, &ue) {
		return h.cat.render(ue)
	}
	h.log.Error("check-in failed", "user", r.UserID, "err", err)
	return h.cat.t(msgInternal)
}

// nextView renders the view after st's: the next actions, read again.
func (h *Handler) nextView(ctx context.Context, st checkinState, today store.Date) (*slack.ModalViewRequest, error) {
	next := st.Next[:min(len(st.Next), checkinPerView)]
	st.Next = st.Next[len(next):]
	st.Page++
	var news []store.NeedingNews
	for _, n := range next {
		a, err := h.store.ActionByNumber(ctx, n)
		if errors.Is(err, store.ErrNotFound) {
			continue // deleted meanwhile: nothing to ask
		}
		if err != nil {
			return nil, err
		}
		news = append(news, store.NeedingNews{Action: a, Reasons: reasonsOf(a, today, h.loc)})
	}
	if len(news) == 0 {
		if len(st.Next) == 0 {
			return nil, errors.New("check-in: no action left to show")
		}
		return h.nextView(ctx, st, today)
	}
	v, err := h.checkinView(st, news, today)
	return &v, err
}

// reasonsOf says again why an action listed at the start of a check-in
// needs news; « unchanged since the last COPIL » is not asked again (it
// only lists, it does not change what the view asks).
func reasonsOf(a store.Action, today store.Date, loc *time.Location) store.NewsReason {
	var why store.NewsReason
	if a.Overdue(today) {
		why |= store.NewsOverdue
	}
	if a.UpdateLate(today, loc) > 0 {
		why |= store.NewsUpdateLate
	}
	return why
}

// CheckinClosed answers a check-in closed before its end: the summary of
// the views already stored, if any (ok false: nothing to say).
func (h *Handler) CheckinClosed(ctx context.Context, r Request, v slack.View) (sub CheckinSubmission, ok bool) {
	sub.Report = Report{Name: "modal.checkin_closed", Outcome: OutcomeOK}
	var st checkinState
	if err := json.Unmarshal([]byte(v.PrivateMetadata), &st); err != nil || len(st.Done) == 0 {
		return sub, false
	}
	sub.ChannelID, sub.Home = st.Channel, st.Home
	for _, s := range st.Shown {
		st.Next = append([]int{s.N}, st.Next...)
	}
	sub.Reply = h.checkinSummary(ctx, r, st, nil)
	return sub, true
}

// checkinSummaryLines bounds the actions a summary names one by one, each
// in its own section: within Slack's 12,000 characters a message holds.
const checkinSummaryLines = 15

// checkinSummary is the one message a check-in ends with: each action
// recorded and what was recorded on it (the user's journal entries since
// the check-in opened), what could not be stored with what was typed,
// and the actions not reached.
func (h *Handler) checkinSummary(ctx context.Context, r Request, st checkinState, unstored []string) Message {
	rd := h.renderer()
	c := h.cat
	start := time.Unix(st.Start, 0)
	var lines []string
	for _, n := range st.Done {
		a, err := h.store.ActionByNumber(ctx, n)
		if err != nil {
			h.log.Error("check-in summary", "action", n, "err", err)
			continue
		}
		entries, _, err := h.store.HistoryPage(ctx, n, 0, 10)
		if err != nil {
			h.log.Error("check-in summary", "action", n, "err", err)
			continue
		}
		var what []string
		for _, e := range slices.Backward(entries) {
			if e.Author == r.UserID && !e.At.Before(start) {
				if e.Field == store.FieldNote {
					e.Note = clip(e.Note, 300)
				}
				what = append(what, rd.entry(e))
			}
		}
		lines = append(lines, fmt.Sprintf("• *%d* %s\n%s", a.Number, escape(clip(a.Title, 90)), strings.Join(what, "\n")))
	}
	var parts []string
	if len(lines) == 0 && len(unstored) == 0 {
		parts = append(parts, ":ballot_box_with_check: "+c.t(msgCheckinUnchanged))
	} else {
		parts = append(parts, ":white_check_mark: *"+c.plural(msgCheckinDone1, msgCheckinDoneN, len(lines))+"*")
	}
	if len(lines) > checkinSummaryLines {
		rest := len(lines) - checkinSummaryLines
		lines = append(lines[:checkinSummaryLines:checkinSummaryLines], c.moreAmong(c.t(msgHintMine))(rest))
	}
	parts = append(parts, lines...)
	if len(unstored) > 0 {
		parts = append(parts, ":warning: *"+c.t(msgCheckinUnstored)+"*")
		parts = append(parts, unstored...)
	}
	if left := len(st.Next) + st.More; left > 0 {
		parts = append(parts, c.t(msgCheckinLeft, left))
	}
	blocks := make([]slack.Block, len(parts))
	for i, p := range parts {
		blocks[i] = section(p)
	}
	return Message{Blocks: blocks, Text: strings.ReplaceAll(strings.Join(parts, "\n"), "*", "")}
}

// unstored writes what was typed for an action that could not be stored,
// so that nothing the user wrote is lost.
func (r renderer) unstored(a store.Action, e store.Edit, why string) string {
	var typed []string
	if e.Status != nil {
		typed = append(typed, r.status(*e.Status))
	}
	if e.Progress != nil {
		typed = append(typed, r.c.percent(*e.Progress))
	}
	if e.Note != "" {
		// Whole (the modal takes 2,000 characters at most): it is not stored.
		typed = append(typed, "« "+escape(e.Note)+" »")
	}
	return fmt.Sprintf("• *%d* — %s\n%s", a.Number, why, strings.Join(typed, " · "))
}

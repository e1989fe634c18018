package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/commands/planword"
	"github.com/tours-metropole/actionbot/store"
)

// What the Slack transport needs besides Handle: which sub-command ran and
// how it ended (for metrics), the « Mettre à jour » modal of the card's
// button and its submission, the « Historique » button, and the App Home
// tab. Like Handle, none of them fails: a refusal or an internal error is
// said in the user's language.

// Outcome is how a request ended.
type Outcome string

// The outcomes of a request: answered, or refused for one of the user
// error codes, or failed inside.
const (
	OutcomeOK        Outcome = "ok"
	OutcomeInvalid   Outcome = Outcome(EInvalid)
	OutcomeNotFound  Outcome = Outcome(ENotFound)
	OutcomeForbidden Outcome = Outcome(EForbidden)
	OutcomeInternal  Outcome = "internal"
)

// Report says which sub-command a request ran — "action.card",
// "action.status", "copil.next", "modal.update", "home"… or "action.?" when
// the text did not parse — and how it ended.
type Report struct {
	Name    string
	Outcome Outcome
}

func outcomeOf(err error) Outcome {
	if err == nil {
		return OutcomeOK
	}
	var ue *UserError
	if errors.As(err, &ue) {
		return Outcome(ue.Code)
	}
	return OutcomeInternal
}

// name is the sub-command's English name for metrics: "action.status".
func (s *spec) name() string {
	n := "card"
	if len(s.names[1]) > 0 {
		n = s.names[1][0]
	}
	return strings.TrimPrefix(s.command, "/") + "." + n
}

// Answer is Handle that also reports which sub-command ran and how it
// ended.
func (h *Handler) Answer(ctx context.Context, r Request) (Message, Report) {
	today := store.DateOf(r.Now, h.loc)
	cmd, err := Parse(r.Command, r.Text, today)
	if err != nil {
		name := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(r.Command)), "/") + ".?"
		return h.failure(r, err), Report{Name: name, Outcome: outcomeOf(err)}
	}
	rep := Report{Name: specOf(cmd.Kind).name(), Outcome: OutcomeOK}
	msg, err := h.run(ctx, r, cmd)
	if err != nil {
		rep.Outcome = outcomeOf(err)
		return h.failure(r, err), rep
	}
	return msg, rep
}

// History answers the card's « Historique » button on action n: the same
// answer as /action n historique.
func (h *Handler) History(ctx context.Context, r Request, n int) (Message, Report) {
	rep := Report{Name: "button.history", Outcome: OutcomeOK}
	msg, err := h.run(ctx, r, Command{Kind: KindHistory, Number: n})
	if err != nil {
		rep.Outcome = outcomeOf(err)
		return h.failure(r, err), rep
	}
	return msg, rep
}

// PageButton answers a « Précédent » or « Suivant » button of a paged
// answer, whose value is the command of the page it shows: as if the user
// had typed it.
func (h *Handler) PageButton(ctx context.Context, r Request, value string) (Message, Report) {
	r.Command, r.Text, _ = strings.Cut(strings.TrimSpace(value), " ")
	msg, rep := h.Answer(ctx, r)
	rep.Name = "button.page"
	return msg, rep
}

// ModalCallbackID is the callback ID of the « Mettre à jour » modal, which
// the Slack transport routes back to SubmitUpdate.
const ModalCallbackID = "action_update_modal"

// The modal's input blocks; each holds one element of the same action ID.
const (
	blockStatus   = "status"
	blockProgress = "progress"
	blockNote     = "note"
)

// maxNoteLen bounds the note typed in the modal; Slack enforces it.
const maxNoteLen = 2000

// modalPerm is who may use the modal: it changes status and progress and
// adds a note, so the narrowest of those commands' permissions.
func modalPerm() Permission {
	return max(specOf(KindStatus).perm, specOf(KindProgress).perm, specOf(KindNote).perm)
}

// UpdateModal returns the « Mettre à jour » modal of action n — status,
// progress and a note, filled with the action as it stands — for the
// request's user. Its private metadata carries the action number and the
// channel it was opened from (r.ChannelID, empty from the App Home). When
// the action does not exist or the user may not change it, the report's
// outcome says so and refusal is what the command would have answered.
func (h *Handler) UpdateModal(ctx context.Context, r Request, n int) (view slack.ModalViewRequest, refusal Message, rep Report) {
	rep = Report{Name: "button.update", Outcome: OutcomeOK}
	a, err := h.action(ctx, n)
	if err == nil {
		err = h.allowed(ctx, r.UserID, a, modalPerm())
	}
	if err != nil {
		rep.Outcome = outcomeOf(err)
		return view, h.failure(r, err), rep
	}
	return h.modal(a, r.ChannelID), Message{}, rep
}

// modal renders the « Mettre à jour » modal of a; it is pure.
func (h *Handler) modal(a store.Action, channel string) slack.ModalViewRequest {
	c := h.cat
	blocks := []slack.Block{
		section("*" + c.t(msgCardTitle, a.Number, escape(a.Title)) + "*"),
		contextBlock(h.renderer().path(a)),
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      ModalCallbackID,
		PrivateMetadata: modalMetadata{number: a.Number, channel: channel, status: a.Status, progress: a.Progress}.String(),
		Title:           plain(c.t(msgModalTitle, a.Number), 24),
		Submit:          plain(c.t(msgModalSubmit), 24),
		Close:           plain(c.t(msgModalCancel), 24),
		Blocks:          slack.Blocks{BlockSet: append(blocks, h.fieldBlocks(a, updateFields)...)},
	}
}

// fieldIDs name the input blocks of one action's status, progress and
// note in a modal. Each block holds one element whose action ID is the
// field's (blockStatus…), so a modal may hold the fields of several
// actions.
type fieldIDs struct{ status, progress, note string }

// updateFields are the blocks of the « Mettre à jour » modal.
var updateFields = fieldIDs{blockStatus, blockProgress, blockNote}

// fieldBlocks renders the inputs of a's status, progress and note, filled
// with a as it stands; the note is optional. It is pure.
func (h *Handler) fieldBlocks(a store.Action, ids fieldIDs) []slack.Block {
	c := h.cat
	var options []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, st := range store.Statuses {
		o := slack.NewOptionBlockObject(string(st), plain(c.emoji[st]+" "+c.status[st], 75), nil)
		options = append(options, o)
		if st == a.Status {
			initial = o
		}
	}
	status := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, blockStatus, options...)
	status.InitialOption = initial
	progress := slack.NewNumberInputBlockElement(nil, blockProgress, false).
		WithInitialValue(strconv.Itoa(a.Progress)).WithMinValue("0").WithMaxValue("100")
	note := slack.NewPlainTextInputBlockElement(plain(c.t(msgModalNoteHint), 150), blockNote).
		WithMultiline(true).WithMaxLength(maxNoteLen)
	noteBlock := slack.NewInputBlock(ids.note, plain(c.t(msgModalNoteLabel), 2000), nil, note)
	noteBlock.Optional = true
	return []slack.Block{
		slack.NewInputBlock(ids.status, plain(c.t(msgStatus), 2000), nil, status),
		slack.NewInputBlock(ids.progress, plain(c.t(msgModalProgressLabel), 2000), nil, progress),
		noteBlock,
	}
}

// readFields reads what a modal holds in the blocks ids for an action
// that it showed as shown, and returns the edit to make: the status and
// progress where they differ from shown — what the user changed, so that
// the journal says what they did rather than what the form held — and the
// note, if any. A status set to done with the progress left alone is
// done at 100 by the store; with a progress typed other than 100 it is
// refused. Refused values come back by block, in the user's language.
func (h *Handler) readFields(values map[string]map[string]slack.BlockAction, ids fieldIDs, shown store.Action) (store.Edit, map[string]string) {
	var e store.Edit
	errs := map[string]string{}
	status := store.Status(values[ids.status][blockStatus].SelectedOption.Value)
	switch {
	case status == "":
		errs[ids.status] = plainText(h.cat.render(invalid(msgMissingStatus)))
	case !status.Valid():
		errs[ids.status] = plainText(h.cat.render(invalid(msgUnknownStatus, status)))
	case status != shown.Status:
		e.Status = &status
	}
	text := strings.TrimSpace(values[ids.progress][blockProgress].Value)
	progress, prob := planword.Progress(text)
	switch {
	case text == "":
		errs[ids.progress] = plainText(h.cat.render(invalid(msgMissingProgress)))
	case prob != planword.NoProblem:
		errs[ids.progress] = plainText(h.cat.render(progressError(prob, text, progress)))
	case status == store.StatusDone && progress != 100 && (progress != shown.Progress || shown.Status == store.StatusDone):
		errs[ids.progress] = plainText(h.cat.render(invalid(msgModalDoneAt100, 100)))
	case progress != shown.Progress:
		e.Progress = &progress
	}
	e.Note = strings.TrimSpace(values[ids.note][blockNote].Value)
	if len(errs) > 0 {
		return store.Edit{}, errs
	}
	return e, nil
}

// modalMetadata is what the « Mettre à jour » modal keeps in its
// private_metadata: the action, the channel it was opened from (empty from
// the App Home), and the status and progress it showed, against which
// SubmitUpdate tells what its user changed.
type modalMetadata struct {
	number   int
	channel  string
	status   store.Status
	progress int
	// shown is false for a modal opened before the shown values were
	// kept (« 22|C0CHAN »).
	shown bool
}

// String writes m as « 22|C0CHAN|en_cours|65 ».
func (m modalMetadata) String() string {
	return strconv.Itoa(m.number) + "|" + m.channel + "|" + string(m.status) + "|" + strconv.Itoa(m.progress)
}

// parseModalMetadata reads what modalMetadata.String wrote, or the
// « number|channel » of the modals opened before it.
func parseModalMetadata(s string) (modalMetadata, error) {
	parts := strings.Split(s, "|")
	var m modalMetadata
	var err error
	if m.number, err = strconv.Atoi(parts[0]); err != nil {
		return m, fmt.Errorf("modal metadata %q: %w", s, err)
	}
	if len(parts) > 1 {
		m.channel = parts[1]
	}
	if len(parts) == 4 {
		m.status = store.Status(parts[2])
		m.progress, err = strconv.Atoi(parts[3])
		if err != nil || !m.status.Valid() {
			return m, fmt.Errorf("modal metadata %q: shown values", s)
		}
		m.shown = true
	}
	return m, nil
}

// Submission is what to do with a submitted modal: show Errors in it (by
// input block ID) and store nothing, or close it and give Reply in the
// channel it was opened from (ChannelID; empty when opened from the App
// Home).
type Submission struct {
	Errors    map[string]string
	Reply     Message
	ChannelID string
	// View, when set, replaces the modal instead of closing it: what was
	// done, said where the user is looking.
	View   *slack.ModalViewRequest
	Report Report
}

// SubmitUpdate reads a submitted « Mettre à jour » modal, checks its values
// and the user's permission again, and applies it as the commands do: one
// transaction, journaled under the user's name. Invalid values and refusals
// come back as Errors and nothing is stored.
func (h *Handler) SubmitUpdate(ctx context.Context, r Request, v slack.View) Submission {
	sub := Submission{Report: Report{Name: "modal.update", Outcome: OutcomeOK}}
	refuse := func(block string, err error) Submission {
		sub.Report.Outcome = outcomeOf(err)
		var ue *UserError
		if errors.As(err, &ue) {
			sub.Errors = map[string]string{block: h.cat.render(ue)}
		} else {
			h.log.Error("modal submission failed", "user", r.UserID, "metadata", v.PrivateMetadata, "err", err)
			sub.Errors = map[string]string{block: h.cat.t(msgInternal)}
		}
		return sub
	}
	meta, err := parseModalMetadata(v.PrivateMetadata)
	if err != nil {
		return refuse(blockStatus, err)
	}
	n := meta.number
	sub.ChannelID = meta.channel
	a, err := h.action(ctx, n)
	if err == nil {
		err = h.allowed(ctx, r.UserID, a, modalPerm())
	}
	if err != nil {
		return refuse(blockStatus, err)
	}
	// Only what the user changed from what the modal showed is written
	// (readFields), so that a change someone made while the modal was
	// open (it can stay open for hours) is not silently reverted by an
	// untouched field. A modal opened before the shown values were kept
	// compares with the action as it is now.
	shown := a
	if meta.shown {
		shown.Status, shown.Progress = meta.status, meta.progress
	}
	e, errs := h.readFields(stateValues(v), updateFields, shown)
	if errs != nil {
		sub.Report.Outcome = OutcomeInvalid
		sub.Errors = errs
		return sub
	}
	ch, err := h.edit(ctx, r.UserID, a, e)
	if err != nil {
		return refuse(blockStatus, err)
	}
	if sub.Reply, err = h.changed(ctx, r, ch); err != nil {
		return refuse(blockStatus, err)
	}
	return sub
}

// stateValues returns the values of a submitted view's inputs, by block
// and action ID.
func stateValues(v slack.View) map[string]map[string]slack.BlockAction {
	if v.State == nil {
		return map[string]map[string]slack.BlockAction{}
	}
	return v.State.Values
}

// homeLimit is how many of the user's actions the App Home lists, and
// homeFollowLimit how many of those they follow: one section each, well
// within the 100 blocks of a Home tab.
const (
	homeLimit       = 20
	homeFollowLimit = 10
)

// Home renders the App Home tab of the request's user, « Mes actions »:
// « Faire le point » when some of their actions need news, the actions
// they are pilote or contributor of, overdue first, each with its
// « Mettre à jour » button, the actions they follow, then the next
// COPIL. Those who may create an action (admins, leads of a group) get a
// « Nouvelle action » button.
func (h *Handler) Home(ctx context.Context, r Request) (slack.HomeTabViewRequest, Report) {
	rep := Report{Name: "home", Outcome: OutcomeOK}
	blocks, err := h.home(ctx, r)
	if err != nil {
		h.log.Error("app home failed", "user", r.UserID, "err", err)
		rep.Outcome = OutcomeInternal
		blocks = []slack.Block{header(h.cat.t(msgHomeTitle)), section(":warning: " + h.cat.t(msgInternal))}
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}, rep
}

func (h *Handler) home(ctx context.Context, r Request) ([]slack.Block, error) {
	today := store.DateOf(r.Now, h.loc)
	rd := h.renderer()
	c := h.cat
	p, err := h.store.Actions(ctx, store.Filter{Person: r.UserID, Order: store.OverdueFirst, Today: today, Limit: homeLimit})
	if err != nil {
		return nil, err
	}
	blocks := []slack.Block{header(c.t(msgHomeTitle))}
	// « Faire le point » first, when some of them need news.
	news, err := h.store.ActionsNeedingNews(ctx, r.UserID, r.Now, h.loc)
	if err != nil {
		return nil, err
	}
	if len(news) > 0 {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(":hourglass: "+c.t(msgHomeCheckin, len(news))), nil, slack.NewAccessory(h.checkinElement())))
	}
	if groups, err := h.creatableGroups(ctx, r.UserID); err != nil {
		return nil, err
	} else if len(groups) > 0 {
		blocks = append(blocks, h.newButton())
	}
	if p.Total == 0 {
		blocks = append(blocks, section(c.t(msgMineEmpty)))
	} else {
		blocks = append(blocks, contextBlock(c.t(msgHomeIntro, p.Total)))
		for _, a := range p.Actions {
			button := slack.NewButtonBlockElement(ActionIDUpdate, strconv.Itoa(a.Number), plain(c.t(msgButtonUpdate), maxButtonText))
			blocks = append(blocks, slack.NewSectionBlock(mrkdwn(rd.listLine(a, today)), nil, slack.NewAccessory(button)))
		}
		if more := p.Total - len(p.Actions); more > 0 {
			blocks = append(blocks, contextBlock(c.t(msgHomeMore, more)))
		}
	}
	following, err := h.homeFollowing(ctx, r.UserID, today)
	if err != nil {
		return nil, err
	}
	blocks = append(blocks, following...)
	blocks = append(blocks, slack.NewDividerBlock())
	m, err := h.store.NextMeeting(ctx, r.Now)
	switch {
	case err == nil:
		blocks = append(blocks, section(":calendar: *"+c.t(msgCopilNext, rd.meeting(m))+"* ("+rd.daysLeft(m, today)+")"))
	case errors.Is(err, store.ErrNotFound):
		blocks = append(blocks, section(c.t(msgCopilNone)))
	default:
		return nil, err
	}
	demo, err := h.store.IsDemo(ctx)
	if err != nil {
		return nil, err
	}
	if demo {
		blocks = append(blocks, contextBlock("_"+c.t(msgDemo)+"_"))
	}
	return blocks, nil
}

// homeFollowing is the App Home's part on the actions user follows, by
// number, or how to follow one.
func (h *Handler) homeFollowing(ctx context.Context, user string, today store.Date) ([]slack.Block, error) {
	c := h.cat
	p, err := h.store.Actions(ctx, store.Filter{Follower: user, Order: store.ByNumber, Limit: homeFollowLimit})
	if err != nil {
		return nil, err
	}
	blocks := []slack.Block{slack.NewDividerBlock(), header(c.t(msgHomeFollowing))}
	if p.Total == 0 {
		return append(blocks, contextBlock(c.t(msgHomeFollowingNone))), nil
	}
	blocks = append(blocks, contextBlock(c.t(msgHomeFollowingIntro, p.Total)))
	for _, a := range p.Actions {
		blocks = append(blocks, section(h.renderer().listLine(a, today)))
	}
	if more := p.Total - len(p.Actions); more > 0 {
		blocks = append(blocks, contextBlock(c.t(msgHomeFollowingMore, more)))
	}
	return blocks, nil
}

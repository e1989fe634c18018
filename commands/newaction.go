package commands

import (
	"cmp"
	"context"
	"errors"
	"strings"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/commands/planword"
	"github.com/tours-metropole/actionbot/store"
)

// The « Nouvelle action » button of the App Home opens a modal with the
// fields of /action nouvelle — programme, group, title — plus the pilote
// and the due date. Its submission runs the command's own row (runNew),
// so that the two obey the same rules; only reading the form and placing
// a refusal on its field are the modal's.

// ActionIDNew is the action ID of the App Home's « Nouvelle action »
// button, which the Slack transport routes to NewActionModal.
const ActionIDNew = "action_new"

// NewModalCallbackID is the callback ID of the « Nouvelle action » modal,
// which the Slack transport routes back to SubmitNew.
const NewModalCallbackID = "action_new_modal"

// The « Nouvelle action » modal's input blocks; each holds one element of
// the same action ID.
const (
	blockNewProgramme = "new_programme"
	blockNewGroup     = "new_group"
	blockNewTitle     = "new_title"
	blockNewPilote    = "new_pilote"
	blockNewDue       = "new_due"
)

// maxSelectOptions is how many options a Slack static select takes; past
// it, the modal asks for the programme's code as text.
const maxSelectOptions = 100

// maxOptionText is the length of an option's text in a select.
const maxOptionText = 75

// creatableGroups returns the groups user may create an action in: all
// of them for an admin, those they lead for anyone else (maybe none).
func (h *Handler) creatableGroups(ctx context.Context, user string) ([]store.Group, error) {
	groups, err := h.store.Groups(ctx)
	if err != nil {
		return nil, err
	}
	if h.admins[user] {
		return groups, nil
	}
	var out []store.Group
	for _, g := range groups {
		if g.IsLead(user) {
			out = append(out, g)
		}
	}
	return out, nil
}

// NewActionModal returns the « Nouvelle action » modal for the request's
// user, or, when they may create no action (neither an admin nor the lead
// of a group), a refusal and a report saying so.
func (h *Handler) NewActionModal(ctx context.Context, r Request) (view slack.ModalViewRequest, refusal Message, rep Report) {
	rep = Report{Name: "button.new", Outcome: OutcomeOK}
	fail := func(err error) (slack.ModalViewRequest, Message, Report) {
		rep.Outcome = outcomeOf(err)
		return slack.ModalViewRequest{}, h.failure(r, err), rep
	}
	groups, err := h.creatableGroups(ctx, r.UserID)
	if err != nil {
		return fail(err)
	}
	if len(groups) == 0 {
		return fail(&UserError{Code: EForbidden, Key: msgForbiddenNewAny})
	}
	progs, err := h.store.Programmes(ctx)
	if err != nil {
		return fail(err)
	}
	return h.newModal(r.UserID, progs, groups), Message{}, rep
}

// newModal renders the « Nouvelle action » modal; it is pure. The pilote
// is the user unless they pick someone else.
func (h *Handler) newModal(user string, progs []store.Programme, groups []store.Group) slack.ModalViewRequest {
	c := h.cat
	var programme slack.BlockElement
	if len(progs) > 0 && len(progs) <= maxSelectOptions {
		options := make([]*slack.OptionBlockObject, len(progs))
		for i, p := range progs {
			options[i] = slack.NewOptionBlockObject(p.Code, plain(escape(p.Code+" "+p.Name), maxOptionText), nil)
		}
		programme = slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(c.t(msgNewProgrammeHint), 150), blockNewProgramme, options...)
	} else {
		// Too many for a select: the code, as the command takes it.
		programme = slack.NewPlainTextInputBlockElement(plain(c.t(msgNewProgrammeCode), 150), blockNewProgramme).WithMaxLength(20)
	}
	groupOptions := make([]*slack.OptionBlockObject, 0, len(groups))
	for _, g := range groups {
		groupOptions = append(groupOptions, slack.NewOptionBlockObject(g.Key, plain(escape(cmp.Or(g.Name, g.Key)), maxOptionText), nil))
	}
	if len(groupOptions) > maxSelectOptions {
		groupOptions = groupOptions[:maxSelectOptions]
	}
	group := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(c.t(msgNewGroupHint), 150), blockNewGroup, groupOptions...)
	if len(groupOptions) == 1 {
		group.InitialOption = groupOptions[0]
	}
	groupBlock := slack.NewInputBlock(blockNewGroup, plain(c.t(msgNewGroupLabel), 2000), plain(c.t(msgNewGroupHelp), 2000), group)
	groupBlock.Optional = true
	title := slack.NewPlainTextInputBlockElement(plain(c.t(msgNewTitleHint), 150), blockNewTitle)
	pilote := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, nil, blockNewPilote)
	pilote.InitialUser = user
	piloteBlock := slack.NewInputBlock(blockNewPilote, plain(c.t(msgNewPiloteLabel), 2000), nil, pilote)
	piloteBlock.Optional = true
	due := slack.NewDatePickerBlockElement(blockNewDue)
	due.Placeholder = plain(c.t(msgNewDueHint), 150)
	dueBlock := slack.NewInputBlock(blockNewDue, plain(c.t(msgNewDueLabel), 2000), nil, due)
	dueBlock.Optional = true
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: NewModalCallbackID,
		Title:      plain(c.t(msgNewModalTitle), 24),
		Submit:     plain(c.t(msgNewModalSubmit), 24),
		Close:      plain(c.t(msgModalCancel), 24),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock(blockNewProgramme, plain(c.t(msgNewProgrammeLabel), 2000), nil, programme),
			groupBlock,
			slack.NewInputBlock(blockNewTitle, plain(c.t(msgNewTitleLabel), 2000), nil, title),
			piloteBlock,
			dueBlock,
		}},
	}
}

// newField is the modal's field a refusal of /action nouvelle is about.
var newField = map[msg]string{
	msgMissingProgramme: blockNewProgramme, msgBadProgramme: blockNewProgramme, msgUnknownProgramme: blockNewProgramme,
	msgNewNeedsGroup: blockNewGroup, msgUnknownGroup: blockNewGroup, msgForbiddenNew: blockNewGroup,
	msgMissingTitle: blockNewTitle,
	msgBadDate:      blockNewDue, msgNoSuchDay: blockNewDue, msgImplausibleYear: blockNewDue,
}

// SubmitNew reads a submitted « Nouvelle action » modal and runs it as
// /action nouvelle with the pilote and due date of the form: the same
// checks, one transaction, the creation journaled. A refusal comes back as
// Errors on the field it is about, and nothing is stored; success closes
// the form on a view that gives the new action's number and card.
func (h *Handler) SubmitNew(ctx context.Context, r Request, v slack.View) Submission {
	sub := Submission{Report: Report{Name: "modal.new", Outcome: OutcomeOK}}
	refuse := func(err error) Submission {
		sub.Report.Outcome = outcomeOf(err)
		block := blockNewProgramme
		var ue *UserError
		if errors.As(err, &ue) {
			if b, ok := newField[ue.Key]; ok {
				block = b
			}
			sub.Errors = map[string]string{block: plainText(h.cat.render(ue))}
		} else {
			h.log.Error("new action modal failed", "user", r.UserID, "err", err)
			sub.Errors = map[string]string{block: plainText(h.cat.t(msgInternal))}
		}
		return sub
	}
	values := map[string]map[string]slack.BlockAction{}
	if v.State != nil {
		values = v.State.Values
	}
	value := func(block string) slack.BlockAction { return values[block][block] }
	cmd := Command{Kind: KindNew}
	prog := value(blockNewProgramme)
	code := strings.TrimSpace(cmp.Or(prog.SelectedOption.Value, prog.Value))
	if code == "" {
		return refuse(invalid(msgMissingProgramme))
	}
	var prob planword.Problem
	var name string
	if cmd.List.Programme, name, prob = planword.Programme(code); prob != planword.NoProblem || name != "" {
		return refuse(invalid(msgBadProgramme, code))
	}
	cmd.List.Group = value(blockNewGroup).SelectedOption.Value
	cmd.Text = strings.TrimSpace(value(blockNewTitle).Value)
	if cmd.Text == "" {
		return refuse(invalid(msgMissingTitle))
	}
	if p := value(blockNewPilote).SelectedUser; p != "" {
		cmd.Edit.Pilote = &store.Person{UserID: p}
	}
	if d := value(blockNewDue).SelectedDate; d != "" {
		due, err := parseDate(d, store.DateOf(r.Now, h.loc))
		if err != nil {
			return refuse(err)
		}
		cmd.Edit.Due = &due
	}
	msg, err := h.run(ctx, r, cmd)
	if err != nil {
		return refuse(err)
	}
	// The card without its buttons: in a modal they would open another.
	var blocks []slack.Block
	for _, b := range msg.Blocks {
		if b.BlockType() != slack.MBTAction {
			blocks = append(blocks, b)
		}
	}
	sub.Reply = msg
	sub.View = &slack.ModalViewRequest{
		Type:   slack.VTModal,
		Title:  plain(h.cat.t(msgNewModalTitle), 24),
		Close:  plain(h.cat.t(msgNewModalClose), 24),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
	return sub
}

// newButton is the App Home's « Nouvelle action » button, for those who
// may create an action.
func (h *Handler) newButton() slack.Block {
	b := slack.NewButtonBlockElement(ActionIDNew, "new", plain(h.cat.t(msgButtonNew), maxButtonText)).WithStyle(slack.StylePrimary)
	return slack.NewActionBlock("home_new", b)
}

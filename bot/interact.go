package bot

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/tours-metropole/actionbot/commands"
)

// interaction handles a button click or a modal submission, over HTTP or
// Socket Mode alike, and returns what to ack with: nil for an empty ack, or
// the modal's errors. What may take longer (opening the modal, answering a
// button) goes on in goroutines.
func (s *Server) interaction(cb slack.InteractionCallback) any {
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		// A click is one action: a payload that carries more (Slack never
		// sends such, a forger could send thousands) is handled for its
		// first only.
		if as := cb.ActionCallback.BlockActions; len(as) > 0 {
			if len(as) > 1 {
				s.log.Warn("block_actions with several actions: only the first is handled", "actions", len(as), "user", cb.User.ID)
			}
			s.button(cb, as[0])
		}
	case slack.InteractionTypeViewClosed:
		if cb.View.CallbackID == commands.CheckinCallbackID {
			s.checkinClosed(cb)
		}
	case slack.InteractionTypeViewSubmission:
		if cb.View.CallbackID == commands.CheckinCallbackID {
			return s.checkinSubmitted(cb)
		}
		submit := s.cmds.SubmitUpdate
		switch cb.View.CallbackID {
		case commands.ModalCallbackID:
		case commands.NewModalCallbackID:
			submit = s.cmds.SubmitNew
		default:
			return nil
		}
		log := s.log.With("command", "modal", "user", cb.User.ID)
		req := commands.Request{TeamID: cb.Team.ID, UserID: cb.User.ID, Now: s.now()}
		start := time.Now()
		sub := submit(s.work, req, cb.View)
		s.metrics.served(sub.Report, time.Since(start))
		log.Info("modal", "name", sub.Report.Name, "outcome", sub.Report.Outcome)
		if len(sub.Errors) > 0 {
			return submissionAck(sub)
		}
		s.spawn("modal reply", func(ctx context.Context) {
			if sub.ChannelID == "" {
				// Opened from the App Home: show the change there.
				s.publishHome(ctx, cb.Team.ID, cb.User.ID)
				return
			}
			s.tell(ctx, log, "", sub.ChannelID, cb.User.ID, sub.Reply)
		})
		// What was done, in the modal the user is looking at, if any.
		return submissionAck(sub)
	}
	return nil
}

// submissionAck is the ack of a submitted modal: its errors (it stays
// open), the view that replaces it (response_action update), or nil: it
// closes.
func submissionAck(sub commands.Submission) any {
	switch {
	case len(sub.Errors) > 0:
		return slack.NewErrorsViewSubmissionResponse(sub.Errors)
	case sub.View != nil:
		return slack.NewUpdateViewSubmissionResponse(sub.View)
	}
	return nil
}

// button handles one of the card's buttons, whose value is the action
// number, or a page button of a paged answer, whose value is its command.
func (s *Server) button(cb slack.InteractionCallback, a *slack.BlockAction) {
	log := s.log.With("command", "button", "user", cb.User.ID, "action_id", a.ActionID)
	if strings.HasPrefix(a.ActionID, commands.ActionIDPage) {
		// « Précédent » / « Suivant »: the value is the command of the page.
		req := commands.Request{TeamID: cb.Team.ID, UserID: cb.User.ID, ChannelID: cb.Channel.ID, Now: s.now()}
		s.spawn("page", func(ctx context.Context) {
			start := time.Now()
			msg, rep := s.cmds.PageButton(ctx, req, a.Value)
			s.metrics.served(rep, time.Since(start))
			s.tell(ctx, log, cb.ResponseURL, cb.Channel.ID, cb.User.ID, msg)
		})
		return
	}
	if a.ActionID == commands.ActionIDCheckin {
		s.checkinButton(cb, log)
		return
	}
	if a.ActionID == commands.ActionIDNew {
		// « Nouvelle action » on the App Home: no channel, no response_url;
		// a refusal goes to the app's direct messages.
		req := commands.Request{TeamID: cb.Team.ID, UserID: cb.User.ID, Now: s.now()}
		s.spawn("open modal", func(ctx context.Context) {
			start := time.Now()
			view, refusal, rep := s.cmds.NewActionModal(ctx, req)
			s.metrics.served(rep, time.Since(start))
			if rep.Outcome != commands.OutcomeOK {
				s.tell(ctx, log, cb.ResponseURL, cb.Channel.ID, cb.User.ID, refusal)
				return
			}
			s.openModal(ctx, log, cb.TriggerID, &view)
		})
		return
	}
	n, err := strconv.Atoi(a.Value)
	if err != nil {
		log.Warn("button without an action number", "value", a.Value)
		return
	}
	req := commands.Request{TeamID: cb.Team.ID, UserID: cb.User.ID, ChannelID: cb.Channel.ID, Now: s.now()}
	switch a.ActionID {
	case commands.ActionIDUpdate:
		s.spawn("open modal", func(ctx context.Context) {
			start := time.Now()
			view, refusal, rep := s.cmds.UpdateModal(ctx, req, n)
			s.metrics.served(rep, time.Since(start))
			if rep.Outcome != commands.OutcomeOK {
				s.tell(ctx, log, cb.ResponseURL, cb.Channel.ID, cb.User.ID, refusal)
				return
			}
			s.openModal(ctx, log.With("action", n), cb.TriggerID, &view)
		})
	case commands.ActionIDHistory:
		s.spawn("history", func(ctx context.Context) {
			start := time.Now()
			msg, rep := s.cmds.History(ctx, req, n)
			s.metrics.served(rep, time.Since(start))
			s.tell(ctx, log, cb.ResponseURL, cb.Channel.ID, cb.User.ID, msg)
		})
	}
}

// checkinButton opens the check-in of whoever clicked « Faire le point »
// (in the first COPIL reminder's DM, or on the App Home); when nothing
// needs news, or the modal could not open, it says so instead.
func (s *Server) checkinButton(cb slack.InteractionCallback, log *slog.Logger) {
	home := cb.View.Type == slack.VTHomeTab
	req := commands.Request{TeamID: cb.Team.ID, UserID: cb.User.ID, ChannelID: cb.Channel.ID, Now: s.now()}
	s.spawn("open check-in", func(ctx context.Context) {
		start := time.Now()
		msg, rep := s.cmds.Checkin(ctx, req, home)
		s.metrics.served(rep, time.Since(start))
		if msg.Modal != nil && s.openModal(ctx, log, cb.TriggerID, msg.Modal) {
			return
		}
		s.tell(ctx, log, cb.ResponseURL, cb.Channel.ID, cb.User.ID, msg)
	})
}

// checkinSubmitted answers a submitted view of the check-in: its errors,
// or the next view, or (the modal closing) the summary afterwards.
func (s *Server) checkinSubmitted(cb slack.InteractionCallback) any {
	log := s.log.With("command", "checkin", "user", cb.User.ID)
	req := commands.Request{TeamID: cb.Team.ID, UserID: cb.User.ID, Now: s.now()}
	start := time.Now()
	sub := s.cmds.SubmitCheckin(s.work, req, cb.View)
	s.metrics.served(sub.Report, time.Since(start))
	log.Info("modal", "name", sub.Report.Name, "outcome", sub.Report.Outcome)
	if ack := submissionAck(sub.Submission); ack != nil {
		return ack
	}
	s.checkinSummary(log, cb.Team.ID, cb.User.ID, sub)
	return nil
}

// checkinClosed gives the summary of a check-in closed after one of its
// views was stored.
func (s *Server) checkinClosed(cb slack.InteractionCallback) {
	log := s.log.With("command", "checkin", "user", cb.User.ID)
	req := commands.Request{TeamID: cb.Team.ID, UserID: cb.User.ID, Now: s.now()}
	if sub, ok := s.cmds.CheckinClosed(s.work, req, cb.View); ok {
		s.checkinSummary(log, cb.Team.ID, cb.User.ID, sub)
	}
}

// checkinSummary sends the one summary of a check-in where it was opened
// (ephemeral, else a direct message), and refreshes the App Home it was
// opened from.
func (s *Server) checkinSummary(log *slog.Logger, team, user string, sub commands.CheckinSubmission) {
	s.spawn("check-in summary", func(ctx context.Context) {
		s.tell(ctx, log, "", sub.ChannelID, user, sub.Reply)
		if sub.Home {
			s.publishHome(ctx, team, user)
		}
	})
}

// event handles an Events API event, already acked.
func (s *Server) event(ctx context.Context, ev slackevents.EventsAPIEvent) {
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppHomeOpenedEvent:
		if e.Tab == "home" {
			s.publishHome(ctx, ev.TeamID, e.User)
		}
	case *slackevents.LinkSharedEvent:
		s.unfurl(ctx, e, composerOf(ev))
	}
}

// eventID is the ID Slack gives an event callback, the same on each of its
// retries.
func eventID(ev slackevents.EventsAPIEvent) string {
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
		return cb.EventID
	}
	return ""
}

// firstDelivery reports whether an event is new, not a retry of one
// already handled — by this replica or another. When the memory of events
// cannot be read, the event is handled: an App Home published twice is
// better than none.
func (s *Server) firstDelivery(ctx context.Context, ev slackevents.EventsAPIEvent) bool {
	id := eventID(ev)
	if id == "" {
		return true
	}
	first, err := s.events.FirstEvent(ctx, id, eventMemory)
	if err != nil {
		s.log.Error("events: could not tell whether the event was handled; handling it", "event_id", id, "err", err)
		return true
	}
	if !first {
		s.log.Info("event already handled; retry ignored", "event_id", id)
	}
	return first
}

// publishHome publishes the « Mes actions » App Home tab of user.
func (s *Server) publishHome(ctx context.Context, team, user string) {
	start := time.Now()
	view, rep := s.cmds.Home(ctx, commands.Request{TeamID: team, UserID: user, Now: s.now()})
	s.metrics.served(rep, time.Since(start))
	if _, err := s.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view}); err != nil {
		s.log.Error("views.publish failed", "command", "home", "user", user, "err", err)
	}
}

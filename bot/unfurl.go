package bot

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// maxUnfurls bounds the links of one message the bot unfurls.
const maxUnfurls = 5

var actionPage = regexp.MustCompile(`^/plan/actions/([0-9]{1,9})/?$`)

// hostOf is the host of an address, lower case; "" when it has none.
func hostOf(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// actionOfLink returns the number of the action whose web page link is,
// under host.
func actionOfLink(link, host string) (int, bool) {
	u, err := url.Parse(link)
	if err != nil || host == "" || u.Hostname() != host {
		return 0, false
	}
	m := actionPage.FindStringSubmatch(u.Path)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil && n > 0
}

// composer is where a link_shared event's links are when they are still
// being typed: Slack sends source "composer" and an unfurl_id, and the
// preview is answered by that ID, the message having no channel and ts
// yet. slackevents.LinkSharedEvent has neither field: they are read from
// the raw event.
type composer struct {
	UnfurlID string `json:"unfurl_id"`
	Source   string `json:"source"`
	// extShared says the link was shared in a channel shared with another
	// organisation (Slack Connect), from the event's envelope.
	extShared bool
}

// SourceComposer is link_shared's source for a link in the message
// composer, not yet sent.
const SourceComposer = "composer"

// composerOf returns the unfurl_id and source of a link_shared event.
func composerOf(ev slackevents.EventsAPIEvent) composer {
	var c composer
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok && cb.InnerEvent != nil {
		_ = json.Unmarshal(*cb.InnerEvent, &c) // a bad one is answered by channel and ts, as before
	}
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
		c.extShared = cb.IsExtSharedChannel
	}
	return c
}

// unfurl answers link_shared: each link to an action's page on the web
// unfurls as the action's card, without its buttons. The card is the
// plan's, not the link's holder's: pasting a link shows what /action 23
// shows anyone in the workspace, and no token is needed or read. A link
// still in the composer is answered by unfurl_id and source, as Slack
// asks (chat.unfurl takes either those two or channel and ts). In a
// channel shared with another organisation (Slack Connect) nothing
// unfurls: the card is for the workspace, not for another company's
// members, who may have no link to the plan.
func (s *Server) unfurl(ctx context.Context, e *slackevents.LinkSharedEvent, c composer) {
	byID := c.Source == SourceComposer && c.UnfurlID != ""
	if s.webHost == "" || (!byID && (e.Channel == "" || e.MessageTimeStamp == "")) {
		return
	}
	if c.extShared {
		s.log.Info("unfurl: not in a channel shared with another organisation", "channel", e.Channel)
		return
	}
	unfurls := map[string]slack.Attachment{}
	for _, l := range e.Links {
		if len(unfurls) == maxUnfurls {
			break
		}
		n, ok := actionOfLink(l.URL, s.webHost)
		if !ok {
			continue
		}
		msg, err := s.cmds.Unfurl(ctx, n, s.now())
		if err != nil {
			s.log.Info("unfurl: no card for this link", "action", n, "err", err)
			continue
		}
		unfurls[l.URL] = slack.Attachment{Blocks: slack.Blocks{BlockSet: msg.Blocks}, Fallback: msg.Text}
	}
	if len(unfurls) == 0 {
		return
	}
	var err error
	if byID {
		_, _, _, err = s.api.UnfurlMessageByIDContext(ctx, c.UnfurlID, c.Source, unfurls)
	} else {
		_, _, _, err = s.api.UnfurlMessageContext(ctx, e.Channel, e.MessageTimeStamp, unfurls)
	}
	if err != nil {
		s.log.Error("chat.unfurl failed", "channel", e.Channel, "source", c.Source, "err", err)
	}
}

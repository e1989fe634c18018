package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/slack-go/slack"
)

// AuthTester is the part of the Slack Web API that checks a token;
// *slack.Client has it.
type AuthTester interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
}

// ErrBotToken is returned by CheckBotToken when Slack refuses the bot
// token, and ErrWrongTeam when the token belongs to another workspace than
// slack.team_id: no retry changes either.
var (
	ErrBotToken  = errors.New("Slack refused the bot token")
	ErrWrongTeam = errors.New("the bot token belongs to another workspace")
)

// Backoff of CheckBotToken between two failed calls.
const (
	authRetryMin = time.Second
	authRetryMax = time.Minute
)

// CheckBotToken calls auth.test until Slack answers: a refused token
// returns an error wrapping ErrBotToken, an answer for another workspace
// than team (when set) one wrapping ErrWrongTeam; a network failure or a
// Slack outage is logged and retried with backoff, forever, until ctx is
// done. wait sleeps between tries (nil: the real clock).
func CheckBotToken(ctx context.Context, api AuthTester, team string, log *slog.Logger, wait func(context.Context, time.Duration) error) (*slack.AuthTestResponse, error) {
	if wait == nil {
		wait = sleep
	}
	backoff := authRetryMin
	for {
		resp, err := api.AuthTestContext(ctx)
		switch {
		case err == nil && team != "" && resp.TeamID != team:
			return resp, fmt.Errorf("%w: slack.team_id is %s, but the token (slack.bot_token or SLACK_BOT_TOKEN) is for %s (%s)", ErrWrongTeam, team, resp.TeamID, resp.Team)
		case err == nil:
			return resp, nil
		case refused(err):
			return nil, fmt.Errorf("%w (%v): check slack.bot_token or SLACK_BOT_TOKEN — the xoxb- token of the app's « OAuth & Permissions » page — and slack.api_url if set", ErrBotToken, err)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		log.Warn("cannot check the bot token with Slack (auth.test); retrying", "err", err, "in", backoff)
		if err := wait(ctx, backoff); err != nil {
			return nil, err
		}
		backoff = min(2*backoff, authRetryMax)
	}
}

package bot

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// Reconnection backoff of the Socket Mode supervisor, on top of
// socketmode's own.
const (
	reconnectMin = time.Second
	reconnectMax = 2 * time.Minute
)

// authErrors are the answers of apps.connections.open that no retry will
// change: the app token is wrong, revoked or of the wrong kind.
var authErrors = map[string]bool{
	"invalid_auth": true, "not_authed": true, "account_inactive": true,
	"token_revoked": true, "token_expired": true, "not_allowed_token_type": true,
}

// ErrAppToken is returned by RunSocketMode when Slack refuses the app
// token.
var ErrAppToken = errors.New("Slack refused the app-level token")

// RunSocketMode serves Slack over Socket Mode with sm (built on a client
// with the app token) until ctx is cancelled, then lets the work in flight
// finish and returns nil. With ln, it also serves Handler there — for
// /healthz, which then says whether the connection is up, /metrics and
// any page — as in HTTP mode, minus Slack's POSTs. Every envelope is acked within the inline
// timeout and handled in a goroutine, so the reader never waits. The
// connection is supervised: it is reopened forever when the network fails,
// and RunSocketMode returns an error wrapping ErrAppToken when Slack refuses
// the token.
func (s *Server) RunSocketMode(ctx context.Context, sm *socketmode.Client, ln net.Listener) error {
	s.socket.Store(socketDown)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if ln != nil {
		hs, errc := s.listen(ln)
		go func() {
			select {
			case err := <-errc:
				s.log.Error("the HTTP listener stopped", "err", err)
			case <-runCtx.Done():
			}
		}()
		defer func() {
			sctx, stop := context.WithTimeout(context.Background(), s.shutdown)
			defer stop()
			hs.Shutdown(sctx)
		}()
	}
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		s.read(runCtx, sm)
	}()
	err := s.supervise(runCtx, sm)
	cancel()
	<-readerDone
	sctx, stop := context.WithTimeout(context.Background(), s.shutdown)
	defer stop()
	if err == nil {
		s.log.Info("shutting down: finishing the work in flight")
	}
	s.drain(sctx)
	return err
}

// supervise keeps the Socket Mode connection open until ctx is cancelled
// or the token is refused.
func (s *Server) supervise(ctx context.Context, sm *socketmode.Client) error {
	wait := reconnectMin
	for {
		err := sm.RunContext(ctx)
		s.socket.Store(socketDown)
		if ctx.Err() != nil {
			return nil
		}
		if refused(err) {
			s.log.Error("Slack refused the app-level token: check slack.app_token (or SLACK_APP_TOKEN), slack.api_url if set, and that Socket Mode is on",
				"err", err)
			return fmt.Errorf("%w (%v): check slack.app_token or SLACK_APP_TOKEN, slack.api_url if set, and that Socket Mode is on in the app's settings", ErrAppToken, err)
		}
		s.log.Warn("Socket Mode connection lost; reconnecting", "err", err, "in", wait)
		if sleep(ctx, wait) != nil {
			return nil
		}
		wait = min(2*wait, reconnectMax)
	}
}

// refused reports whether err is Slack refusing the token.
func refused(err error) bool {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) && authErrors[se.Err] {
		return true
	}
	if err != nil && authErrors[err.Error()] {
		return true
	}
	var sc slack.StatusCodeError
	return errors.As(err, &sc) && (sc.Code == http.StatusUnauthorized || sc.Code == http.StatusForbidden || sc.Code == http.StatusNotFound)
}

// read takes the events of sm until ctx is done. It only dispatches:
// everything that may wait runs in a goroutine.
func (s *Server) read(ctx context.Context, sm *socketmode.Client) {
	for {
		select {
		case <-ctx.Done():
			return
		case evt := <-sm.Events:
			s.dispatch(sm, evt)
		}
	}
}

func (s *Server) dispatch(sm *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		s.socket.Store(socketDown)
		s.log.Debug("Socket Mode: connecting")
	case socketmode.EventTypeConnected:
		s.socket.Store(socketUp)
		s.log.Info("connected to Slack (Socket Mode)")
		s.up()
	case socketmode.EventTypeDisconnect:
		s.socket.Store(socketDown)
		s.log.Info("Socket Mode: Slack asks to reconnect")
	case socketmode.EventTypeConnectionError:
		s.socket.Store(socketDown)
		s.log.Warn("Socket Mode: cannot connect; retrying", "err", evt.Data)
	case socketmode.EventTypeInvalidAuth:
		s.socket.Store(socketDown)
		s.log.Error("Socket Mode: Slack refused the app-level token")
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorBadMessage, socketmode.EventTypeErrorWriteFailed:
		s.log.Warn("Socket Mode: "+string(evt.Type), "detail", evt.Data)
	case socketmode.EventTypeSlashCommand:
		sc, ok := evt.Data.(slack.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		req := *evt.Request
		s.spawn("socket command", func(ctx context.Context) {
			if !s.allowedTeam(sc.TeamID) {
				s.ack(ctx, sm, req, nil)
				return
			}
			reply := s.command(sc, func() { s.ack(ctx, sm, req, nil) })
			if reply == nil {
				return // acked late
			}
			if err := sm.AckCtx(ctx, req.EnvelopeID, reply); err != nil {
				// Too large for an ack: ack empty and post it instead.
				log := s.log.With("command", sc.Command, "user", sc.UserID)
				log.Warn("Socket Mode ack with the answer failed; posting it to response_url", "err", err)
				s.ack(ctx, sm, req, nil)
				s.metrics.posted(s.respond(ctx, sc.ResponseURL, *reply), log, "response_url")
			}
		})
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || evt.Request == nil {
			return
		}
		req := *evt.Request
		s.spawn("socket interaction", func(ctx context.Context) {
			if !s.allowedTeam(cb.Team.ID) {
				s.ack(ctx, sm, req, nil)
				return
			}
			s.ack(ctx, sm, req, s.interaction(cb))
		})
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok || evt.Request == nil {
			return
		}
		req := *evt.Request
		s.spawn("socket event", func(ctx context.Context) {
			s.ack(ctx, sm, req, nil)
			if req.RetryAttempt > 0 {
				s.log.Info("event retried by Slack", "retry", req.RetryAttempt, "reason", req.RetryReason, "event_id", eventID(ev))
			}
			if ev.Type != slackevents.CallbackEvent || !s.allowedTeam(ev.TeamID) || !s.firstDelivery(ctx, ev) {
				return
			}
			s.event(ctx, ev)
		})
	}
}

// ack acknowledges an envelope, with payload when not nil.
func (s *Server) ack(ctx context.Context, sm *socketmode.Client, req socketmode.Request, payload any) {
	if err := sm.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
		s.log.Error("Socket Mode ack failed", "envelope", req.EnvelopeID, "err", err)
	}
}

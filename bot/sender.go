package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/store"
)

// Outbox is what the sender needs of the store's outbox: the deliveries
// due, and the record of each attempt. *store.Store has it.
type Outbox interface {
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]store.Delivery, error)
	NextDeliveryTime(ctx context.Context) (time.Time, bool, error)
	MarkSending(ctx context.Context, id uint, until time.Time) error
	MarkSent(ctx context.Context, id uint, ts string) error
	MarkRetry(ctx context.Context, id uint, cause string, next time.Time, final bool) error
	PendingDeliveries(ctx context.Context) (int64, error)
	RecoverInterrupted(ctx context.Context) ([]store.Delivery, error)
}

// Lease keeps one sender at a time among the processes that share an
// outbox — replicas on one PostgreSQL database — so that Slack's pace per
// channel is kept by one of them. *store.Store has it.
type Lease interface {
	HoldLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// Poster is the Slack Web API calls the sender makes. *slack.Client has
// them; NewClient builds one.
type Poster interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	UploadFileContext(ctx context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error)
}

// Defaults of SenderOptions.
const (
	DefaultMaxAttempts = 8
	// DefaultChannelGap is Slack's pace for chat.postMessage: about one
	// message a second per channel.
	DefaultChannelGap = time.Second
	DefaultPoll       = 30 * time.Second
	// DefaultCallTimeout bounds one Slack call, the Retrier's own retries
	// included (4 tries of 10 s, and up to a minute for each 429).
	DefaultCallTimeout   = 4 * time.Minute
	DefaultShutdownGrace = 10 * time.Second
	// DefaultLeaseTTL is how long the sender's lease lasts unless renewed;
	// it is renewed every third of it. A replica that dies is replaced
	// by another within DefaultLeaseTTL plus a third: 20 s.
	DefaultLeaseTTL = 15 * time.Second
)

const (
	// firstBackoff is the wait after a first failed attempt; it doubles
	// with each next one, up to maxBackoff: with 8 attempts, a delivery
	// is given up on about an hour after its first try.
	firstBackoff = 30 * time.Second
	maxBackoff   = 30 * time.Minute
	// minRetryAfter is the least wait after a 429, whatever Slack says.
	minRetryAfter = time.Second
	// batch is how many due deliveries one pass reads; uploads carry
	// their bytes, so not all at once.
	batch = 100
	// recordTimeout bounds the store write that records an attempt's
	// outcome, which runs even when the sender is stopping.
	recordTimeout = 10 * time.Second
	// kindUpload is the kind of the deliveries that are files.
	kindUpload = "upload"
	// dmLane is the pace all DMs share; no channel name has an '@'.
	dmLane = "@dm"
	// senderLease is the name of the sender's lease.
	senderLease = "sender"
	// sendLeaseMargin is added to a send's lease beyond the longest its
	// call and the record of its outcome can take.
	sendLeaseMargin = time.Minute
	// mailLane is the pace of e-mails, one SMTP session at a time.
	mailLane = "@mail"
)

// errShutdown is the cause of a call cut short by a stop: Slack may have
// posted it or not, and only a person can tell.
var errShutdown = errors.New("interrupted by shutdown: Slack may or may not have posted it; check the channel, then resend if it is missing (actionbot deliveries --resend KEY)")

// permanentSlackErrors are Slack's answers that no retry will change:
// the channel, the user, the message or the token is wrong.
var permanentSlackErrors = map[string]bool{
	"channel_not_found": true, "not_in_channel": true, "is_archived": true, "invalid_channel": true,
	"user_not_found": true, "cannot_dm_bot": true, "user_disabled": true, "messages_tab_disabled": true,
	"invalid_blocks": true, "invalid_blocks_format": true, "msg_too_long": true, "no_text": true,
	"too_many_attachments": true, "invalid_arguments": true, "invalid_arg_name": true,
	"invalid_array_arg": true, "invalid_charset": true, "invalid_form_data": true,
	"invalid_auth": true, "not_authed": true, "account_inactive": true, "token_revoked": true,
	"token_expired": true, "not_allowed_token_type": true, "missing_scope": true, "no_permission": true,
	"access_denied": true, "ekm_access_denied": true, "team_access_not_granted": true,
	"restricted_action": true, "restricted_action_read_only_channel": true,
	"restricted_action_thread_only_channel": true, "restricted_action_non_threadable_channel": true,
	"method_deprecated": true, "deprecated_endpoint": true,
	// Canvases: the plan or the workspace's settings allow none.
	"team_tier_cannot_create_channel_canvases": true, "canvas_disabled_user_team": true,
	"free_teams_cannot_edit_standalone_canvases": true, "free_team_canvas_tab_already_exists": true,
	"not_allowed": true,
}

// Canvases is where the sender remembers the canvas it keeps in a
// channel; *store.Store has it.
type Canvases interface {
	CanvasID(ctx context.Context, channel string) (string, error)
	SetCanvasID(ctx context.Context, channel, id string) error
	MarkCanvasCreating(ctx context.Context, channel string) error
	CanvasCreating(ctx context.Context, channel string) (bool, error)
}

// CanvasAPI is the Slack Web API calls that keep a channel's canvas;
// *slack.Client has them.
type CanvasAPI interface {
	CreateChannelCanvasContext(ctx context.Context, channel string, content slack.DocumentContent, options ...slack.CreateChannelCanvasOption) (string, error)
	EditCanvasContext(ctx context.Context, params slack.EditCanvasParams) error
	GetConversationInfoContext(ctx context.Context, input *slack.GetConversationInfoInput) (*slack.Channel, error)
}

// Mailer sends the deliveries that are e-mails (Channel "mailto:…") and
// returns the message's ID; package email's *Mailer has it. An error with
// a method Permanent() bool that says true is not retried.
type Mailer interface {
	Send(ctx context.Context, d store.Delivery) (string, error)
}

// SenderOptions configure a Sender. Outbox and Slack are required.
type SenderOptions struct {
	Outbox Outbox
	Slack  Poster
	// Mail sends the e-mails; nil fails them, saying e-mail is not set up.
	Mail Mailer
	// Canvases keeps the IDs of the canvases the bot keeps; nil fails
	// the canvas refreshes. Slack must then also be a CanvasAPI.
	Canvases Canvases
	// Now dates what the sender writes — when a retry is due — and which
	// deliveries are due; nil is time.Now. Pacing and waits run on the
	// runtime's monotonic clock, so a wall-clock jump cannot burst posts
	// nor stall them.
	Now     func() time.Time
	Logger  *slog.Logger
	Metrics *Metrics // nil: metrics of its own, not served
	// MaxAttempts is how many times a delivery is tried before it is
	// marked failed; 0 is DefaultMaxAttempts.
	MaxAttempts int
	// ChannelGap is the least time between two posts to one channel, and
	// between two DMs whoever they go to; 0 is DefaultChannelGap.
	ChannelGap time.Duration
	// Poll is the longest Run sleeps without looking at the outbox, for
	// deliveries enqueued by another process; 0 is DefaultPoll.
	Poll time.Duration
	// CallTimeout bounds each Slack call; 0 is DefaultCallTimeout.
	CallTimeout time.Duration
	// ShutdownGrace is how long a call in flight may still take once the
	// sender is stopped; 0 is DefaultShutdownGrace.
	ShutdownGrace time.Duration
	// Lease, when set, makes Run send only while this process holds the
	// sender's lease, as Holder, and stand by while another does. Nil:
	// Run sends whenever it runs (one process, or tests).
	Lease  Lease
	Holder string
	// LeaseTTL is how long the lease lasts unless renewed; 0 is
	// DefaultLeaseTTL.
	LeaseTTL time.Duration
}

// Sender delivers the outbox to Slack: each delivery is posted once, in
// the order it came due, at Slack's pace.
//
// An attempt is recorded as started (MarkSending) before Slack is called,
// and its outcome (MarkSent or MarkRetry) once Slack has answered — even
// when the sender is being stopped, since a delivery left "sending" past
// its lease is held for review rather than sent again (see
// store.RecoverInterrupted). A stop lets the call in flight finish for
// ShutdownGrace; one cut short may have been posted, so it is marked
// failed for an admin to check and resend, never retried on its own.
//
// A failed attempt is retried, as a durable retry recorded in the
// outbox, so that it survives a restart:
//
//	429 (rate limited)                 after Slack's Retry-After, at least 1 s
//	5xx, timeout, network, other       after 30 s, doubling up to 30 min
//	a Slack error no retry will fix    never: failed at once (channel_not_found, not_in_channel,
//	                                   is_archived, invalid_blocks, msg_too_long, invalid_auth…)
//
// and after MaxAttempts attempts the delivery is failed, logged once at
// Error level with its key, channel and cause; `actionbot deliveries`
// lists it. A timeout is retried like a 5xx, as it must for nothing to
// be lost; but Slack gives chat.postMessage no idempotency key, so a post
// whose answer was lost on the way back may, rarely, show twice — the
// risk NewClient's Retrier already takes within one call.
//
// Posts to one channel are at least ChannelGap apart; DMs — to a user ID
// (U…, W…) or a DM channel (D…) — share one pace, so a burst of nudges
// goes out at about one a second instead of tripping the rate limit. A
// delivery held back by the pace of its channel does not hold back those
// to other channels.
//
// A delivery whose Channel is "mailto:ADDRESS" is an e-mail, handed to
// SenderOptions.Mail (package email); an error whose Permanent() says true
// (an SMTP 5xx, an address that unsubscribed) fails it at once, any other
// (a 4xx, the network) is retried as above. E-mails keep a pace of their own.
//
// A delivery of kind "upload" is a file (File, FileName, Title, AltText,
// and Text as its comment), shared in Channel through files.getUploadURLExternal,
// the upload and files.completeUploadExternal; Channel must be a channel
// ID (see CheckUploadChannel). Its SlackTS records the file's ID. Any
// other delivery is a message: Text, with Blocks (Block Kit JSON) when
// not empty. A delivery with a Parent is a reply in its parent's thread
// (thread_ts), due only once the parent is sent.
type Sender struct {
	outbox      Outbox
	slack       Poster
	mail        Mailer
	canvases    Canvases
	now         func() time.Time
	log         *slog.Logger
	metrics     *Metrics
	maxAttempts int
	gap         time.Duration
	poll        time.Duration
	callTimeout time.Duration
	grace       time.Duration
	lease       Lease
	holder      string
	leaseTTL    time.Duration
	wake        chan struct{}

	// mu makes passes take turns, when Run and Flush share a sender.
	mu sync.Mutex
	// pace says, on the monotonic clock, when each lane (a channel, or
	// all DMs) may be posted to again.
	pace map[string]time.Time
}

// NewSender returns a sender; it starts nothing. It panics without
// Options.Outbox or Options.Slack, a mistake of the caller's code.
func NewSender(o SenderOptions) *Sender {
	if o.Outbox == nil || o.Slack == nil {
		panic("bot: SenderOptions.Outbox and SenderOptions.Slack are required")
	}
	s := &Sender{
		outbox: o.Outbox, slack: o.Slack, mail: o.Mail, canvases: o.Canvases, now: o.Now, log: o.Logger, metrics: o.Metrics,
		maxAttempts: o.MaxAttempts, gap: o.ChannelGap, poll: o.Poll,
		callTimeout: o.CallTimeout, grace: o.ShutdownGrace,
		lease: o.Lease, holder: o.Holder, leaseTTL: o.LeaseTTL,
		wake: make(chan struct{}, 1),
		pace: map[string]time.Time{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	if s.maxAttempts <= 0 {
		s.maxAttempts = DefaultMaxAttempts
	}
	if s.gap <= 0 {
		s.gap = DefaultChannelGap
	}
	if s.poll <= 0 {
		s.poll = DefaultPoll
	}
	if s.callTimeout <= 0 {
		s.callTimeout = DefaultCallTimeout
	}
	if s.grace <= 0 {
		s.grace = DefaultShutdownGrace
	}
	if s.leaseTTL <= 0 {
		s.leaseTTL = DefaultLeaseTTL
	}
	return s
}

// Run delivers the outbox until ctx is done: what is due, then again when
// the next delivery comes due, a channel's pace allows, Wake is called or
// Poll has passed. It returns nil once stopped, after the call in flight,
// if any, has been recorded. Run one Run per sender.
//
// With a Lease, Run delivers only while it holds the sender's lease: it
// takes it when free or expired, renews it every third of LeaseTTL, stops
// sending when it loses it (the database out of reach for longer than the
// lease), and gives it up when stopped, so that another replica takes over
// at once — or, when this process dies, once the lease has expired.
//
// Before each look at the outbox, Run holds as unknown the deliveries
// whose send was interrupted: those left "sending" past their own lease
// (MarkSending's until), whichever process started them.
func (s *Sender) Run(ctx context.Context) error {
	if s.lease == nil {
		s.deliver(ctx)
		return nil
	}
	held := false
	for {
		ok, err := s.lease.HoldLease(ctx, senderLease, s.holder, s.leaseTTL)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			s.log.Error("sender: the lease could not be read", "err", err)
		case ok:
			s.log.Info("sender: this process now sends the outbox", "holder", s.holder)
			s.whileHeld(ctx)
			if ctx.Err() != nil {
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
				err := s.lease.ReleaseLease(rctx, senderLease, s.holder)
				cancel()
				if err != nil {
					s.log.Warn("sender: the lease was not given up; another process takes it when it expires", "err", err)
				}
				return nil
			}
			s.log.Warn("sender: lost the lease; standing by", "holder", s.holder)
		case !held:
			s.log.Info("sender: another process sends the outbox; standing by", "holder", s.holder)
		}
		held = ok
		if err := sleep(ctx, s.leaseTTL/3); err != nil {
			return nil
		}
	}
}

// whileHeld delivers the outbox while the lease is renewed, and returns
// once ctx is done or the lease is lost: another process may hold it, or
// the database has not answered for so long that it may have expired.
func (s *Sender) whileHeld(ctx context.Context) {
	held, lost := context.WithCancel(ctx)
	defer lost()
	renewed := time.Now() // on the monotonic clock
	var renewing sync.WaitGroup
	renewing.Go(func() {
		tick := time.NewTicker(s.leaseTTL / 3)
		defer tick.Stop()
		for {
			select {
			case <-held.Done():
				return
			case <-tick.C:
			}
			ok, err := s.lease.HoldLease(held, senderLease, s.holder, s.leaseTTL)
			switch {
			case held.Err() != nil:
				return
			case err == nil && ok:
				renewed = time.Now()
				// What other replicas enqueued rings no bell here: look
				// at each renewal, every few seconds, not only at Poll.
				s.Wake()
				continue
			case err == nil:
				lost() // another process has it
				return
			}
			s.log.Error("sender: the lease could not be renewed", "err", err)
			// Stop before it can have expired: by then another process
			// may send.
			if time.Since(renewed) > s.leaseTTL-s.leaseTTL/3 {
				lost()
				return
			}
		}
	})
	s.deliver(held)
	lost()
	renewing.Wait()
}

// deliver runs passes over the outbox until ctx is done.
func (s *Sender) deliver(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-s.wake:
		}
		s.recover(ctx)
		r := s.pass(ctx, s.now())
		if r.err != nil {
			s.log.Error("sender: the outbox failed", "err", r.err)
		}
		timer.Reset(s.pause(ctx, r))
	}
}

// recover holds as unknown, and logs, the sends interrupted past their
// lease.
func (s *Sender) recover(ctx context.Context) {
	interrupted, err := s.outbox.RecoverInterrupted(ctx)
	if err != nil && ctx.Err() == nil {
		s.log.Error("sender: looking for interrupted sends", "err", err)
	}
	for _, d := range interrupted {
		s.log.Warn("a post was being sent when its sender stopped: check the channel, then resend it if it is missing (actionbot deliveries --resend KEY)",
			"key", d.Key, "channel", d.Channel)
	}
}

// Wake tells Run that something was enqueued, to look now rather than at
// its next poll. It never blocks.
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Flush delivers what is due now, at Slack's pace, and returns: when no
// delivery due by the time Flush was called is left pending, or when ctx
// is done. Deliveries that failed or were put off for a retry are then
// in the outbox, as Run would leave them: Flush's error is about the
// outbox or ctx, not Slack.
func (s *Sender) Flush(ctx context.Context) error {
	// A retry comes due after cutoff: Flush does not wait for it.
	cutoff := s.now()
	for {
		r := s.pass(ctx, cutoff)
		if r.err != nil {
			return r.err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if r.paced.IsZero() {
			// A post sent may have made its thread's replies due: look
			// again until a pass sends nothing.
			if !r.full && r.tried == 0 {
				return nil
			}
			continue
		}
		if err := sleep(ctx, time.Until(r.paced)); err != nil {
			return err
		}
	}
}

// round is what one pass over the due deliveries did.
type round struct {
	tried int       // deliveries handed to Slack
	paced time.Time // when the first lane held back frees, on the monotonic clock; zero if none
	full  bool      // the batch was full: more may be due
	err   error     // the outbox failed
}

// pass tries, oldest first, the deliveries due at cutoff whose lane's pace
// allows, and reports the pending ones to the metrics.
func (s *Sender) pass(ctx context.Context, cutoff time.Time) round {
	s.mu.Lock()
	defer s.mu.Unlock()
	var r round
	due, err := s.outbox.DueDeliveries(ctx, cutoff, batch)
	if err != nil && ctx.Err() != nil {
		return r // stopping
	}
	if err != nil {
		r.err = fmt.Errorf("reading the due deliveries: %w", err)
		return r
	}
	r.full = len(due) == batch
	for lane, at := range s.pace {
		if !time.Now().Before(at) {
			delete(s.pace, lane)
		}
	}
	var errs []error
	for _, d := range due {
		if ctx.Err() != nil {
			break
		}
		lane := laneOf(d.Channel)
		if at, ok := s.pace[lane]; ok && time.Now().Before(at) {
			if r.paced.IsZero() || at.Before(r.paced) {
				r.paced = at
			}
			continue
		}
		rest, err := s.send(ctx, d)
		if err != nil {
			errs = append(errs, err)
		}
		if rest > 0 {
			s.pace[lane] = time.Now().Add(rest)
			r.tried++
		}
	}
	r.err = errors.Join(errs...)
	if n, err := s.outbox.PendingDeliveries(context.WithoutCancel(ctx)); err == nil {
		s.metrics.SetDeliveriesPending(int(n))
	} else {
		s.log.Warn("sender: counting the pending deliveries", "err", err)
	}
	return r
}

// pause is how long Run waits after pass r: until the next delivery is
// due or a held-back lane frees, and at most Poll.
func (s *Sender) pause(ctx context.Context, r round) time.Duration {
	if r.err != nil || ctx.Err() != nil {
		return s.poll
	}
	wait := s.poll
	if !r.paced.IsZero() {
		wait = min(wait, time.Until(r.paced))
	}
	next, ok, err := s.outbox.NextDeliveryTime(ctx)
	now := s.now()
	switch {
	case err != nil && ctx.Err() != nil: // stopping
	case err != nil:
		s.log.Error("sender: reading the next delivery time", "err", err)
	case !ok:
	case next.After(now):
		wait = min(wait, next.Sub(now))
	case r.tried > 0:
		// More came due while sending, or the batch was full.
		wait = 0
	}
	return max(wait, 0)
}

// send makes one attempt at delivery d and records its outcome. It
// returns how long d's lane must then rest, 0 if Slack was not called
// (another sender took d, or the outbox failed), and the outbox's error.
func (s *Sender) send(ctx context.Context, d store.Delivery) (time.Duration, error) {
	// The send holds d until its call, retries and grace included, and
	// the record of its outcome are over, whatever happens to this
	// process: past that, any process may judge it interrupted.
	until := s.now().Add(s.callTimeout + s.grace + recordTimeout + sendLeaseMargin)
	if err := s.outbox.MarkSending(ctx, d.ID, until); errors.Is(err, store.ErrConflict) || err != nil && ctx.Err() != nil {
		return 0, nil // another sender took it, or we are stopping
	} else if err != nil {
		return 0, fmt.Errorf("delivery %s: %w", d.Key, err)
	}
	attempt := d.Attempts + 1
	ts, err := s.post(ctx, d)
	now := s.now()
	// The outcome is recorded even when ctx is done: a delivery left
	// "sending" would be held for review once its lease is over.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	log := s.log.With("key", d.Key, "kind", d.Kind, "channel", d.Channel, "attempt", attempt)
	if err == nil {
		if err := s.outbox.MarkSent(rctx, d.ID, ts); err != nil {
			return s.gap, fmt.Errorf("delivery %s was posted (%s) but not recorded as sent; it is held for review once its send's lease is over, never resent: %w", d.Key, ts, err)
		}
		s.metrics.posts.WithLabelValues("sent").Inc()
		log.Info("delivery sent", "ts", ts)
		return s.gap, nil
	}
	wait, retry := verdict(err, attempt)
	rest := s.gap
	if limited := (*slack.RateLimitedError)(nil); errors.As(err, &limited) {
		rest = max(rest, wait) // Slack said so of the lane, not only of d
	}
	cause := err.Error()
	if retry && attempt >= s.maxAttempts {
		retry = false
		cause = fmt.Sprintf("%s (gave up after %d attempts)", cause, attempt)
	}
	if !retry {
		if err := s.outbox.MarkRetry(rctx, d.ID, cause, now, true); err != nil {
			return rest, fmt.Errorf("delivery %s failed (%s) but was not recorded as failed: %w", d.Key, cause, err)
		}
		s.metrics.posts.WithLabelValues("failed").Inc()
		log.Error("delivery failed", "err", cause)
		return rest, nil
	}
	next := now.Add(wait)
	if err := s.outbox.MarkRetry(rctx, d.ID, cause, next, false); err != nil {
		return rest, fmt.Errorf("delivery %s failed (%s) and its retry was not recorded: %w", d.Key, cause, err)
	}
	log.Warn("delivery not sent; will retry", "in", wait, "err", cause)
	return rest, nil
}

// post hands d to Slack and returns the message's ts, or the file's ID.
// The call is detached from ctx: a stop gives it ShutdownGrace to finish,
// so that a stop does not leave in doubt what Slack did.
func (s *Sender) post(ctx context.Context, d store.Delivery) (string, error) {
	base, stop := context.WithCancelCause(context.WithoutCancel(ctx))
	defer stop(nil)
	call, cancel := context.WithTimeout(base, s.callTimeout)
	defer cancel()
	unhook := context.AfterFunc(ctx, func() {
		t := time.NewTimer(s.grace)
		defer t.Stop()
		select {
		case <-t.C:
			stop(errShutdown)
		case <-call.Done():
		}
	})
	defer unhook()
	ts, err := s.call(call, d)
	if err != nil && errors.Is(context.Cause(call), errShutdown) {
		return "", permanent{fmt.Errorf("%w (after %s: %v)", errShutdown, s.grace, err)}
	}
	return ts, err
}

// call is the Slack call of d: a message or an upload.
func (s *Sender) call(ctx context.Context, d store.Delivery) (string, error) {
	if strings.HasPrefix(d.Channel, store.MailPrefix) {
		if s.mail == nil {
			return "", permanent{errors.New("e-mail is not set up: [email] smtp_url and from")}
		}
		return s.mail.Send(ctx, d)
	}
	if d.Kind == kindUpload {
		return s.upload(ctx, d)
	}
	if d.Kind == KindCanvas {
		return s.canvas(ctx, d)
	}
	opts := []slack.MsgOption{slack.MsgOptionText(d.Text, false)}
	if d.Parent != "" {
		if d.ThreadTS == "" {
			return "", permanent{fmt.Errorf("a reply in the thread of %s, which has no timestamp", d.Parent)}
		}
		opts = append(opts, slack.MsgOptionTS(d.ThreadTS))
	}
	if d.Blocks != "" {
		var b slack.Blocks
		if err := json.Unmarshal([]byte(d.Blocks), &b); err != nil {
			return "", permanent{fmt.Errorf("the blocks are not Block Kit JSON: %w", err)}
		}
		if len(b.BlockSet) > 0 {
			opts = append(opts, slack.MsgOptionBlocks(b.BlockSet...))
		}
	}
	_, ts, err := s.slack.PostMessageContext(ctx, d.Channel, opts...)
	return ts, err
}

// upload shares d's file in its channel and returns the file's ID.
func (s *Sender) upload(ctx context.Context, d store.Delivery) (string, error) {
	if err := CheckUploadChannel(d.Channel); err != nil {
		return "", permanent{err}
	}
	if len(d.File) == 0 || d.FileName == "" {
		return "", permanent{errors.New("an upload needs a file and a file name")}
	}
	f, err := s.slack.UploadFileContext(ctx, slack.UploadFileParameters{
		Reader: bytes.NewReader(d.File), FileSize: len(d.File), Filename: d.FileName,
		Title: d.Title, AltTxt: d.AltText, InitialComment: d.Text, Channel: d.Channel,
	})
	if err != nil {
		return "", err
	}
	return f.ID, nil
}

// canvas puts d's markdown in the canvas of d's channel, replacing all of
// it, and returns the canvas's ID. The first time, the canvas is created
// (conversations.canvases.create) with the markdown, and its ID recorded.
//
// A crash between Slack's creation and the record of the ID cannot make a
// second canvas: a channel has one channel canvas, and Slack answers
// channel_canvas_already_exists. The creation is marked in the store
// before it is asked; finding the mark an earlier attempt left, the sender
// takes the channel's canvas as its own (conversations.info gives its ID)
// and edits it. Without it, the canvas is someone else's: the refresh
// fails, saying so, and the people's canvas is left alone.
func (s *Sender) canvas(ctx context.Context, d store.Delivery) (string, error) {
	api, ok := s.slack.(CanvasAPI)
	if s.canvases == nil || !ok {
		return "", permanent{errors.New("canvases are not set up in this sender")}
	}
	content := slack.DocumentContent{Type: "markdown", Markdown: d.Text}
	id, err := s.canvases.CanvasID(ctx, d.Channel)
	if err != nil {
		return "", err
	}
	if id == "" {
		// Whether an earlier attempt asked for it: then a canvas in the
		// channel may be the bot's.
		asked, err := s.canvases.CanvasCreating(ctx, d.Channel)
		if err != nil {
			return "", err
		}
		if err := s.canvases.MarkCanvasCreating(ctx, d.Channel); err != nil {
			return "", err
		}
		id, err = api.CreateChannelCanvasContext(ctx, d.Channel, content, slack.CreateChannelCanvasOptionTitle(d.Title))
		if err == nil {
			if err := s.canvases.SetCanvasID(ctx, d.Channel, id); err != nil {
				return "", fmt.Errorf("canvas %s was made but its ID not recorded; the next attempt takes it back: %w", id, err)
			}
			return id, nil
		}
		var refused slack.SlackErrorResponse
		if !errors.As(err, &refused) || refused.Err != "channel_canvas_already_exists" {
			return "", err
		}
		if !asked {
			// The mark just made is no claim on it.
			if err := s.canvases.SetCanvasID(ctx, d.Channel, ""); err != nil {
				return "", err
			}
			return "", permanent{fmt.Errorf("channel %s already has a canvas, which the bot did not make: it is left as it is; "+
				"delete it in Slack for the bot to keep its own, or set [copil] canvas = false", d.Channel)}
		}
		ch, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: d.Channel})
		if err != nil {
			return "", fmt.Errorf("the canvas of %s, made before a crash: %w", d.Channel, err)
		}
		if ch.Properties == nil || ch.Properties.Canvas.FileId == "" {
			return "", fmt.Errorf("the canvas of %s, made before a crash: conversations.info gives no canvas", d.Channel)
		}
		id = ch.Properties.Canvas.FileId
		if err := s.canvases.SetCanvasID(ctx, d.Channel, id); err != nil {
			return "", err
		}
		s.log.Info("canvas: took back the canvas made before an interruption", "channel", d.Channel, "canvas", id)
	}
	err = api.EditCanvasContext(ctx, slack.EditCanvasParams{CanvasID: id, Changes: []slack.CanvasChange{{Operation: "replace", DocumentContent: content}}})
	var refused slack.SlackErrorResponse
	if errors.As(err, &refused) && refused.Err == "canvas_not_found" {
		// Deleted in Slack: the next attempt makes a new one.
		if ferr := s.canvases.SetCanvasID(ctx, d.Channel, ""); ferr != nil {
			return "", errors.Join(err, ferr)
		}
		s.log.Warn("canvas: gone from Slack; a new one will be made", "channel", d.Channel, "canvas", id)
		return "", fmt.Errorf("canvas %s was deleted: %w", id, err)
	}
	return id, err
}

// CheckUploadChannel returns an error unless channel is a conversation ID
// (C…, G… or D…): files.completeUploadExternal shares a file only by ID,
// while chat.postMessage also takes a channel's name or a user's ID.
// Check at start the channels that will receive files with it.
func CheckUploadChannel(channel string) error {
	ok := len(channel) >= 2 && strings.ContainsRune("CGD", rune(channel[0]))
	for _, c := range channel[min(1, len(channel)):] {
		ok = ok && ('A' <= c && c <= 'Z' || '0' <= c && c <= '9')
	}
	if !ok {
		return fmt.Errorf("uploads need a channel ID (C…, G… or D…), not %q: Slack shares a file only by ID — "+
			"in Slack, the channel's details show it at the bottom; for a DM, use the D… ID of the conversation", channel)
	}
	return nil
}

// permanent is a failure of the delivery itself, which no retry can fix.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// verdict says whether a failed attempt, the attempt-th, is worth a retry,
// and after how long.
func verdict(err error, attempt int) (time.Duration, bool) {
	var perm permanent
	var final interface{ Permanent() bool }
	var limited *slack.RateLimitedError
	var refused slack.SlackErrorResponse
	switch {
	case errors.As(err, &perm):
		return 0, false
	case errors.As(err, &final) && final.Permanent():
		return 0, false // an SMTP 5xx, an unsubscribed address
	case errors.As(err, &limited):
		return max(limited.RetryAfter, minRetryAfter), true
	case errors.As(err, &refused) && permanentSlackErrors[refused.Err]:
		return 0, false
	}
	// 5xx, timeouts, the network, and what is not known to be hopeless.
	return backoff(attempt), true
}

// backoff is the wait after the attempt-th failed attempt: 30 s, 1 min,
// 2 min… up to 30 min.
func backoff(attempt int) time.Duration {
	d := firstBackoff
	for i := 1; i < attempt && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// laneOf is the pace a post to channel keeps: the channel's own, or the
// one all DMs share, whether to a user (U…, W…) or a DM channel (D…).
func laneOf(channel string) string {
	if strings.HasPrefix(channel, store.MailPrefix) {
		return mailLane
	}
	if channel != "" && strings.ContainsRune("UWD", rune(channel[0])) {
		return dmLane
	}
	return channel
}

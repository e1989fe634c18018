package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/commands"
)

// Commands is what the bot asks of the commands package: the answer to a
// slash command, the card's buttons, the modal they open, the check-in
// and the App Home.
// *commands.Handler has it.
type Commands interface {
	Answer(ctx context.Context, r commands.Request) (commands.Message, commands.Report)
	History(ctx context.Context, r commands.Request, n int) (commands.Message, commands.Report)
	PageButton(ctx context.Context, r commands.Request, value string) (commands.Message, commands.Report)
	UpdateModal(ctx context.Context, r commands.Request, n int) (slack.ModalViewRequest, commands.Message, commands.Report)
	SubmitUpdate(ctx context.Context, r commands.Request, v slack.View) commands.Submission
	NewActionModal(ctx context.Context, r commands.Request) (slack.ModalViewRequest, commands.Message, commands.Report)
	SubmitNew(ctx context.Context, r commands.Request, v slack.View) commands.Submission
	Home(ctx context.Context, r commands.Request) (slack.HomeTabViewRequest, commands.Report)
	Checkin(ctx context.Context, r commands.Request, home bool) (commands.Message, commands.Report)
	SubmitCheckin(ctx context.Context, r commands.Request, v slack.View) commands.CheckinSubmission
	CheckinClosed(ctx context.Context, r commands.Request, v slack.View) (commands.CheckinSubmission, bool)
	Unfurl(ctx context.Context, n int, now time.Time) (commands.Message, error)
	Chart(ctx context.Context, now time.Time) (commands.Chart, error)
	Say(p commands.Phrase, args ...any) string
}

// SlackAPI is the part of the Slack Web API the bot calls. *slack.Client
// has it; NewClient builds one.
type SlackAPI interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
	UploadFileContext(ctx context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error)
	UnfurlMessageContext(ctx context.Context, channelID, timestamp string, unfurls map[string]slack.Attachment, options ...slack.MsgOption) (string, string, string, error)
	UnfurlMessageByIDContext(ctx context.Context, unfurlID, source string, unfurls map[string]slack.Attachment, options ...slack.MsgOption) (string, string, string, error)
}

// Pinger answers whether the database is up; *store.Store has it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Doer sends HTTP requests; *http.Client and *Retrier are Doers. The bot
// posts late answers to Slack's response_url with it.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Defaults of Options.
const (
	// DefaultInlineTimeout is how long a slash command may take to be
	// answered in the reply itself: Slack drops replies after 3 seconds,
	// so past 2 the bot acks and answers through response_url.
	DefaultInlineTimeout = 2 * time.Second
	// DefaultShutdownTimeout is how long a shutdown waits for requests
	// and posts in flight.
	DefaultShutdownTimeout = 10 * time.Second
)

// Options configure a Server. Commands and Slack are required.
type Options struct {
	Commands Commands
	Slack    SlackAPI
	// Health is pinged by GET /healthz; nil always answers 200.
	Health Pinger
	// HTTP posts late answers to response_url; nil uses NewRetrier().
	HTTP Doer
	// SigningSecret verifies HTTP requests; without it every POST is
	// refused. Socket Mode does not use it.
	SigningSecret string
	// TeamID, when set, is the only workspace served.
	TeamID string
	// Now is the clock of requests and signature timestamps; nil is
	// time.Now.
	Now     func() time.Time
	Logger  *slog.Logger
	Metrics *Metrics // nil: NewMetrics()
	// Ready, when set, is called once the bot is up: in HTTP mode when the
	// listener serves, in Socket Mode when Slack first connects. What may
	// take long at start (catching up missed posts, sending them) waits
	// for it, so that /healthz answers at once.
	Ready func()
	// Web, when set, serves the read-only plan under /plan on the same
	// listener (package web).
	Web http.Handler
	// WebBaseURL is web.base_url: links to an action's page there
	// (/plan/actions/23) pasted in Slack unfurl as the action's card.
	WebBaseURL string
	// Events, when set, remembers the Slack events handled where every
	// replica sees them (the database), so that an event Slack retries to
	// another replica — or another Socket Mode connection — is handled
	// once. Nil: this process remembers them.
	Events EventLog
	// Minutes, when set, is handed the minutes of a COPIL that an answer
	// carries (/copil compte-rendu), to e-mail them to the COPIL's guests:
	// Posts.MailMinutes, which sends them once per guest and meeting.
	Minutes         func(ctx context.Context, mn commands.Minutes, now time.Time) error
	InlineTimeout   time.Duration
	ShutdownTimeout time.Duration
}

// Server is the Slack adapter: it turns what Slack sends, over HTTP or
// Socket Mode, into commands requests and writes the answers back.
type Server struct {
	cmds     Commands
	api      SlackAPI
	health   Pinger
	http     Doer
	secret   string
	team     string
	now      func() time.Time
	log      *slog.Logger
	metrics  *Metrics
	inline   time.Duration
	shutdown time.Duration
	events   EventLog
	verifier *verifier
	replays  *replays
	encoded  encoded
	// inChannel remembers who posted for everyone where, for a minute.
	inChannel *seen
	ready     sync.Once
	onReady   func()
	// socket is the Socket Mode connection's state for /healthz:
	// socketOff in HTTP mode, else socketDown or socketUp.
	socket atomic.Int32
	web    http.Handler
	// webHost is the host of WebBaseURL, whose links unfurl.
	webHost string
	minutes func(ctx context.Context, mn commands.Minutes, now time.Time) error

	// work is the context of the goroutines that outlive a request (late
	// answers, modals, App Home); stop cancels it once a shutdown has
	// waited long enough.
	work context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup
}

// New returns a Server; it starts nothing. A Server serves once: Serve or
// RunSocketMode, until its context is cancelled.
func New(o Options) (*Server, error) {
	if o.Commands == nil || o.Slack == nil {
		return nil, errors.New("bot: Options.Commands and Options.Slack are required")
	}
	s := &Server{
		cmds: o.Commands, api: o.Slack, health: o.Health, http: o.HTTP,
		secret: o.SigningSecret, team: o.TeamID, now: o.Now, log: o.Logger, metrics: o.Metrics,
		inline: o.InlineTimeout, shutdown: o.ShutdownTimeout, onReady: o.Ready, web: o.Web, webHost: hostOf(o.WebBaseURL), minutes: o.Minutes,
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.http == nil {
		r := NewRetrier()
		r.Log = s.log
		s.http = r
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	if s.inline <= 0 {
		s.inline = DefaultInlineTimeout
	}
	if s.shutdown <= 0 {
		s.shutdown = DefaultShutdownTimeout
	}
	s.verifier = newVerifier(s.secret)
	s.events = o.Events
	if s.events == nil {
		s.events = newSeen(eventMemory, maxEvents, s.now)
	}
	s.replays = newReplays(maxReplayMemory)
	s.inChannel = newSeen(InChannelEvery, maxEvents, s.now)
	s.work, s.stop = context.WithCancel(context.Background())
	return s, nil
}

// States of Server.socket.
const (
	socketOff int32 = iota
	socketDown
	socketUp
)

// up calls Options.Ready, once.
func (s *Server) up() {
	s.ready.Do(func() {
		if s.onReady != nil {
			s.onReady()
		}
	})
}

// Metrics returns the server's metrics, for the scheduler to report its
// pending deliveries.
func (s *Server) Metrics() *Metrics { return s.metrics }

// spawn runs fn in a goroutine that a shutdown waits for. A panic is
// logged with the job's name and does not take the bot down.
func (s *Server) spawn(name string, fn func(ctx context.Context)) {
	s.wg.Go(func() {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("job panicked", "job", name, "panic", fmt.Sprint(r))
			}
		}()
		fn(s.work)
	})
}

// drain waits for the goroutines in flight until ctx is done, then cancels
// those still running.
func (s *Server) drain(ctx context.Context) {
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		s.log.Warn("shutdown: work still in flight is cancelled")
		s.stop()
		<-done
	}
	s.stop()
}

// allowedTeam reports whether a request from team may be served.
func (s *Server) allowedTeam(team string) bool {
	if s.team == "" || team == s.team {
		return true
	}
	s.log.Warn("request from another workspace refused", "team", team, "want", s.team)
	return false
}

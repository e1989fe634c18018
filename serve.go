package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/slack-go/slack/socketmode"
	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/spreadsheet"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/web"
)

// serve runs the bot in Slack until ctx is cancelled (SIGINT, SIGTERM):
// in Socket Mode when an app token is configured, as an HTTP server on
// http.listen otherwise. On the way out it stops taking requests, lets
// those in flight finish, closes the database and returns nil.
func (m *Main) serve(ctx context.Context, g globals, args []string) error {
	fs := m.flags("serve", "", "Runs the bot in Slack until SIGINT or SIGTERM. With slack.app_token (SLACK_APP_TOKEN) set it\n"+
		"connects in Socket Mode — no public URL needed; otherwise it serves Slack's HTTP requests on\n"+
		"http.listen: POST /slack/commands, /slack/interactions, /slack/events; GET /healthz, /metrics.\n"+
		"See README.md › Running in Slack.")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve takes no argument (got %q)", fs.Arg(0))
	}
	c, err := m.config(g)
	if err != nil {
		return err
	}
	socket := c.Slack.AppToken != ""
	if err := checkServe(c, socket); err != nil {
		return fmt.Errorf("config %s: %w", g.config, err)
	}
	log := m.logger(c)
	driver, source := c.StoreSource()
	s, err := m.openStore(ctx, c, driver, source)
	if err != nil {
		return err
	}
	closed := false
	defer func() {
		if !closed {
			s.Close()
		}
	}()
	if _, _, n, err := s.NumberRange(ctx); err != nil {
		return err
	} else if n == 0 {
		log.Warn("the plan is empty: every /action will say so until it is loaded with \"actionbot import plan.xlsx\" (or \"actionbot import --demo\" to try the bot)",
			"database", s.String())
	}
	// The listener is taken first, in both modes, so that a port in use
	// is found at once; it serves once Slack has accepted the token.
	ln, err := net.Listen("tcp", c.HTTP.Listen)
	if err != nil {
		return fmt.Errorf("http.listen = %q: %w", c.HTTP.Listen, err)
	}
	defer ln.Close()
	api := bot.NewClient(bot.ClientOptions{BotToken: c.Slack.BotToken, AppToken: c.Slack.AppToken, APIURL: c.Slack.APIURL, Logger: log})
	// A revoked token or another workspace's is found now, not at the
	// first command; a network failure is retried until Slack answers.
	who, err := bot.CheckBotToken(ctx, api, c.Slack.TeamID, log, nil)
	if ctx.Err() != nil {
		return nil // stopped before Slack answered
	}
	if err != nil {
		return err
	}
	log.Info("bot token accepted by Slack", "team", who.TeamID, "bot_user", who.UserID)
	// Where a mention cannot show — the web pages, the PDF minutes —
	// people are named as Slack shows them (users.info, cached).
	names := bot.NewNames(api)
	h, err := commands.New(s, commands.Options{Language: c.Language, Location: c.Location, Admins: c.Admins, Logger: log, Names: names.DisplayName, WebBaseURL: c.Web.BaseURL})
	if err != nil {
		return err
	}
	pages, err := m.webPages(c, s, names, log)
	if err != nil {
		return err
	}
	ml, err := m.mailing(c, s, h, names.DisplayName)
	if err != nil {
		return err
	}

	// What the bot posts on its own: the scheduler enqueues into the
	// outbox, the sender delivers. Every replica runs the scheduler (a
	// slot's key makes one delivery of it, whoever enqueues it first); one
	// replica at a time sends, the one holding the sender's lease.
	metrics := bot.NewMetrics()
	// The sender retries durably through the outbox: its client retries
	// only what Slack cannot have posted.
	outboxAPI := bot.NewClient(bot.ClientOptions{BotToken: c.Slack.BotToken, APIURL: c.Slack.APIURL, Logger: log, SafeRetriesOnly: true})
	sender := bot.NewSender(bot.SenderOptions{Outbox: s, Slack: outboxAPI, Mail: ml.mailer, Canvases: s, Now: m.Now, Logger: log, Metrics: metrics,
		Lease: s, Holder: replicaName()})
	sched := bot.NewScheduler(c.Location, log, m.Now)
	posts := bot.NewPosts(h, s, c.postsConfigWith(ml), log, sender.Wake)
	jobs := posts.Jobs()
	if err := bot.CheckJobs(jobs); err != nil {
		return err
	}
	postCtx, cancelPosting := context.WithCancel(ctx)
	defer cancelPosting()
	// Posting starts once the bot is up, so that catching up many missed
	// posts never delays /healthz nor the first answers.
	var posting sync.WaitGroup
	var startOnce, stopOnce sync.Once
	startPosting := func() {
		startOnce.Do(func() {
			posting.Go(func() {
				if err := sched.Start(postCtx, jobs); err != nil {
					log.Error("the scheduler did not start", "err", err)
				}
			})
			posting.Go(func() {
				if err := sender.Run(postCtx); err != nil && !errors.Is(err, context.Canceled) {
					log.Error("sender stopped", "err", err)
				}
			})
		})
	}
	stopPosting := func() {
		stopOnce.Do(func() {
			startOnce.Do(func() {}) // too late to start
			cancelPosting()
			posting.Wait()
			sched.Stop()
		})
	}
	defer stopPosting()
	srv, err := bot.New(bot.Options{
		Commands: h, Slack: api, Health: s,
		SigningSecret: c.Slack.SigningSecret, TeamID: c.Slack.TeamID,
		Now: m.Now, Logger: log, Metrics: metrics, Ready: startPosting, Web: pages, WebBaseURL: c.Web.BaseURL,
		Minutes: mailMinutes(posts, ml),
		Events:  s,
	})
	if err != nil {
		return err
	}

	log.Info("listening for Slack", "addr", ln.Addr().String(), "database", s.String(), "socket_mode", socket)
	if socket {
		log.Info("connecting to Slack in Socket Mode")
		sm := socketmode.New(api, socketmode.OptionLog(slog.NewLogLogger(log.Handler(), slog.LevelDebug)))
		err = srv.RunSocketMode(ctx, sm, ln)
	} else {
		err = srv.Serve(ctx, ln)
	}
	if err != nil {
		return err
	}
	// The scheduler and the sender stop before the database closes.
	stopPosting()
	closed = true
	if err := s.Close(); err != nil {
		return fmt.Errorf("closing the database: %w", err)
	}
	log.Info("stopped; database closed")
	return nil
}

// replicaName names this process among the replicas, in the sender's
// lease and the logs: host, process ID and a random part, since two
// containers may both be PID 1 on hosts of one name.
func replicaName() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), rand.Text()[:6])
}

// webPages returns the read-only plan's pages when web.base_url is set,
// and nil otherwise. The pages are in French whatever the bot's language:
// they are for the COPIL's partners.
func (m *Main) webPages(c Config, s *store.Store, names *bot.Names, log *slog.Logger) (http.Handler, error) {
	if c.Web.BaseURL == "" {
		return nil, nil
	}
	fr, err := commands.New(s, commands.Options{Language: "fr", Location: c.Location, Logger: log})
	if err != nil {
		return nil, err
	}
	return web.New(web.Options{
		Plan: s, Words: fr, Names: names.DisplayName,
		Workbook: func(ctx context.Context, w io.Writer, now time.Time) error {
			return spreadsheet.ExportForReaders(ctx, s, w, spreadsheet.XLSX, c.Location, now, withDemoNames(s, names.DisplayName))
		},
		Optouts: s, BaseURL: c.Web.BaseURL, Contact: c.Web.Contact, Now: m.Now, Logger: log,
	})
}

// checkServe checks that the configuration has what serve needs in its
// mode, naming the key and its environment variable.
func checkServe(c Config, socket bool) error {
	if c.Slack.BotToken == "" {
		return errors.New("slack.bot_token (or SLACK_BOT_TOKEN) is required to serve Slack: the xoxb- token of the app's « OAuth & Permissions » page")
	}
	if !socket && c.Slack.SigningSecret == "" {
		return errors.New("slack.signing_secret (or SLACK_SIGNING_SECRET) is required in HTTP mode, to verify Slack's requests: " +
			"find it in the app's « Basic Information » page — or set slack.app_token (SLACK_APP_TOKEN) for Socket Mode")
	}
	return nil
}

// mailMinutes is what serve does with the minutes /copil compte-rendu
// makes: e-mail them to the COPIL's guests, once per guest and meeting;
// nil when no guest gets e-mail.
func mailMinutes(posts *bot.Posts, ml mailing) func(ctx context.Context, mn commands.Minutes, now time.Time) error {
	if ml.minutes == nil {
		return nil
	}
	return func(ctx context.Context, mn commands.Minutes, now time.Time) error {
		_, err := posts.MailMinutes(ctx, mn, now, false)
		if errors.Is(err, bot.ErrNoGuests) {
			return nil
		}
		return err
	}
}

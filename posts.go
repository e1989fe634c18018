package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

// botEnv is what the commands that post need: the config, the store, the
// handler and the scheduled posts.
type botEnv struct {
	c     Config
	s     *store.Store
	h     *commands.Handler
	posts *bot.Posts
	ml    mailing
}

func (m *Main) botEnv(ctx context.Context, g globals) (*botEnv, error) {
	c, s, err := m.open(ctx, g)
	if err != nil {
		return nil, err
	}
	h, err := commands.New(s, commands.Options{Language: c.Language, Location: c.Location, Admins: c.Admins, Logger: m.logger(c)})
	if err != nil {
		s.Close()
		return nil, err
	}
	var names func(context.Context, string) (string, error)
	if c.Slack.BotToken != "" {
		names = bot.NewNames(bot.NewClient(bot.ClientOptions{BotToken: c.Slack.BotToken, APIURL: c.Slack.APIURL, Logger: m.logger(c)})).DisplayName
	}
	ml, err := m.mailing(c, s, h, names)
	if err != nil {
		s.Close()
		return nil, err
	}
	return &botEnv{c: c, s: s, h: h, ml: ml, posts: bot.NewPosts(h, s, c.postsConfigWith(ml), m.logger(c), nil)}, nil
}

// canPost refuses --post before anything is queued when no bot token can
// send it: a post left queued would go out later, from serve, unasked.
func canPost(c Config) error {
	if c.Slack.BotToken == "" {
		return errors.New("slack.bot_token (or SLACK_BOT_TOKEN) is required to post; nothing was queued")
	}
	return nil
}

// send delivers what is due in the outbox now, through Slack.
func (m *Main) send(ctx context.Context, e *botEnv, key string) error {
	api := bot.NewClient(bot.ClientOptions{BotToken: e.c.Slack.BotToken, APIURL: e.c.Slack.APIURL, Logger: m.logger(e.c), SafeRetriesOnly: true})
	snd := bot.NewSender(bot.SenderOptions{Outbox: e.s, Slack: api, Mail: e.ml.mailer, Canvases: e.s, Now: m.Now, Logger: m.logger(e.c)})
	if err := snd.Flush(ctx); err != nil {
		return err
	}
	d, err := e.s.DeliveryByKey(ctx, key)
	if err != nil {
		return err
	}
	if d.State != store.DeliverySent {
		return fmt.Errorf("%s not posted (%s): %s — it stays in the outbox; see actionbot deliveries", key, d.State, d.LastError)
	}
	fmt.Fprintf(m.Stdout, "posted to %s (%s)\n", d.Channel, key)
	return nil
}

func (m *Main) digest(ctx context.Context, g globals, args []string) error {
	fs := m.flags("digest", "--group KEY [--post]", "Prints the weekly digest of a working group as of now, as it would be posted in its channel.\n--post posts it now (keyed apart from the scheduled digest, which still goes out).")
	group := fs.String("group", "", "the working group: its key or name (prospection, \"Parcours client\"…)")
	post := fs.Bool("post", false, "post it now in the group's channel")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *group == "" || fs.NArg() > 0 {
		return usagef("digest takes --group KEY, such as --group prospection")
	}
	e, err := m.botEnv(ctx, g)
	if err != nil {
		return err
	}
	defer e.s.Close()
	now := m.Now()
	msg, err := e.h.Digest(ctx, *group, now)
	if err != nil {
		return fmt.Errorf("%s", e.h.Explain(err))
	}
	if !*post {
		fmt.Fprintln(m.Stdout, msg.PlainText())
		return nil
	}
	if err := canPost(e.c); err != nil {
		return err
	}
	grp, err := e.h.FindGroup(ctx, *group)
	if err != nil {
		return fmt.Errorf("%s", e.h.Explain(err))
	}
	key, err := e.posts.PostDigestNow(ctx, grp, now)
	if err != nil {
		return err
	}
	return m.send(ctx, e, key)
}

func (m *Main) copilReminder(ctx context.Context, g globals, args []string) error {
	fs := m.flags("copil-reminder", "[--post]", "Prints the reminder of the next COPIL as of now, as it would be posted in the COPIL channel,\nand the DMs to pilotes that go with the first reminder. --post posts the reminder now.")
	post := fs.Bool("post", false, "post it now in the COPIL channel")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("copil-reminder takes no argument (got %q)", fs.Arg(0))
	}
	e, err := m.botEnv(ctx, g)
	if err != nil {
		return err
	}
	defer e.s.Close()
	now := m.Now()
	meeting, err := e.h.NextMeetingOf(ctx, now)
	if err != nil {
		return fmt.Errorf("%s", e.h.Explain(err))
	}
	if *post {
		if err := canPost(e.c); err != nil {
			return err
		}
		key, err := e.posts.PostReminderNow(ctx, now)
		if err != nil {
			return err
		}
		return m.send(ctx, e, key)
	}
	first, err := e.posts.FirstReminder(ctx, meeting)
	if err != nil {
		return err
	}
	msg, err := e.h.Reminder(ctx, meeting, now, first)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, msg.PlainText())
	dms, err := e.h.ReminderDMs(ctx, meeting, now)
	if err != nil {
		return err
	}
	for _, dm := range dms {
		fmt.Fprintf(m.Stdout, "\n— DM %s —\n%s\n", dm.UserID, dm.Message.PlainText())
	}
	return nil
}

func (m *Main) deliveries(ctx context.Context, g globals, args []string) error {
	fs := m.flags("deliveries", "[--sent N] [--resend KEY | --cancel KEY]", "Lists the posts of the outbox: pending, being sent, failed, unknown (interrupted mid-send:\ncheck the channel) and the last sent ones. --resend puts a failed or unknown post back in the queue;\n--cancel drops a post not yet sent, for good.")
	sent := fs.Int("sent", 20, "how many recent sent posts to list")
	resend := fs.String("resend", "", "the key of a failed or unknown post to send again")
	cancel := fs.String("cancel", "", "the key of a pending, failed or unknown post never to send")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("deliveries takes no argument (got %q)", fs.Arg(0))
	}
	if *resend != "" && *cancel != "" {
		return usagef("--resend or --cancel, not both")
	}
	c, s, err := m.open(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()
	if *cancel != "" {
		d, err := s.Cancel(ctx, *cancel)
		if err != nil {
			return err
		}
		m.logger(c).Warn("delivery cancelled by hand: it will not be sent", "key", d.Key, "kind", d.Kind, "channel", d.Channel)
		fmt.Fprintf(m.Stdout, "%s is cancelled: it will not be sent\n", d.Key)
		return nil
	}
	if *resend != "" {
		d, err := s.Resend(ctx, *resend)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s is pending again: serve sends it within a minute\n", d.Key)
		return nil
	}
	ds, err := s.Deliveries(ctx, *sent)
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		fmt.Fprintln(m.Stdout, "the outbox is empty")
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATE\tKEY\tCHANNEL\tTRIES\tWHEN\tERROR")
	for _, d := range ds {
		when := d.NextTry
		if d.SentAt != nil {
			when = *d.SentAt
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", d.State, d.Key, d.Channel, d.Attempts, when.In(c.Location).Format(time.DateTime), d.LastError)
	}
	return tw.Flush()
}

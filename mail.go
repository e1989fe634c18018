package main

import (
	"context"
	"fmt"
	"net/mail"
	"time"

	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/email"
	"github.com/tours-metropole/actionbot/store"
)

// mailing is e-mail as the bot sends it: the mailer the sender hands
// e-mails to, and the writer of the guests' reminders. Both are nil when
// [email] is not set.
type mailing struct {
	mailer   bot.Mailer
	reminder bot.MailReminder
	digest   bot.MailDigest
	nudge    bot.MailNudge
	minutes  bot.MailMinutes
}

// mailing wires package email to the store, the handler's wording and
// Slack users' names (names may be nil).
func (m *Main) mailing(c Config, s *store.Store, h *commands.Handler, names func(context.Context, string) (string, error)) (mailing, error) {
	if c.Email.SMTPURL == "" {
		return mailing{}, nil
	}
	mailer, err := email.NewMailer(c.EmailConfig(), s)
	if err != nil {
		return mailing{}, err
	}
	w := &email.Writer{Store: s, BaseURL: c.Web.BaseURL, Names: names, Words: h}
	return mailing{
		mailer: mailer,
		reminder: func(ctx context.Context, g bot.Guest, mt store.Meeting, msg commands.Message, ch commands.Chart, now time.Time) (store.Delivery, error) {
			return w.Reminder(ctx, email.Guest{Name: g.Name, Email: g.Email, Organisation: g.Organisation}, mt, msg, ch, now)
		},
		digest: w.Digest,
		nudge:  w.Nudge,
		minutes: func(ctx context.Context, g bot.Guest, mn commands.Minutes, next *store.Meeting, now time.Time) (store.Delivery, error) {
			return w.Minutes(ctx, email.Guest{Name: g.Name, Email: g.Email, Organisation: g.Organisation}, mn, next, now)
		},
	}, nil
}

// postsConfig is c.PostsConfig with the e-mails of ml.
func (c Config) postsConfigWith(ml mailing) bot.PostsConfig {
	pc := c.PostsConfig()
	pc.MailReminder, pc.MailDigest, pc.MailNudge, pc.MailMinutes = ml.reminder, ml.digest, ml.nudge, ml.minutes
	return pc
}

func (m *Main) emailCmd(ctx context.Context, g globals, args []string) error {
	fs := m.flags("email", "--resubscribe ADDRESS | --unsubscribe ADDRESS", "An address that followed the unsubscribe link of an e-mail gets nothing more from the bot.\n"+
		"--resubscribe lets it receive e-mail again (when its owner asks); --unsubscribe stops it by hand.")
	resub := fs.String("resubscribe", "", "the address to send e-mail to again")
	unsub := fs.String("unsubscribe", "", "the address to send nothing more to")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 || (*resub == "") == (*unsub == "") {
		return usagef("email takes --resubscribe ADDRESS or --unsubscribe ADDRESS")
	}
	addr := *resub + *unsub
	if a, err := mail.ParseAddress(addr); err != nil || a.Address != addr {
		return usagef("%q is not an e-mail address", addr)
	}
	_, s, err := m.open(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()
	if *unsub != "" {
		if err := s.Unsubscribe(ctx, addr); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s gets no more e-mail from the bot\n", addr)
		return nil
	}
	ok, err := s.Resubscribe(ctx, addr)
	if err != nil {
		return err
	}
	if !ok {
		fmt.Fprintf(m.Stdout, "%s had not unsubscribed: nothing changed\n", addr)
		return nil
	}
	fmt.Fprintf(m.Stdout, "%s gets the bot's e-mail again\n", addr)
	return nil
}

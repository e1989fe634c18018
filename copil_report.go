package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/commands/planword"
	"github.com/tours-metropole/actionbot/store"
)

func (m *Main) copilReport(ctx context.Context, g globals, args []string) error {
	fs := m.flags("copil-report", "[--meeting JJ/MM/AAAA] [-o FILE.pdf] [--email [--again]]", "Writes the minutes of a COPIL as a PDF: the meeting, its decisions by action, the dashboard\nby axis and programme, the chart, blocked and overdue actions, and what changed since the\nprevious COPIL. Without --meeting, the last meeting held.\n"+
		"--email queues one e-mail per [[copil.guests]] with the PDF attached; serve sends them. A guest\n"+
		"gets the minutes of a meeting once (as when /copil compte-rendu made them): asking again queues\n"+
		"nothing for those who have them. --again sends them anew to every guest (corrected minutes).")
	meeting := fs.String("meeting", "", "the meeting's day, JJ/MM/AAAA (default: the last meeting held)")
	out := fs.String("o", "", "the PDF file to write")
	mail := fs.Bool("email", false, "e-mail the minutes to the COPIL's guests, once each")
	again := fs.Bool("again", false, "with --email: e-mail them to every guest anew, even those who had them")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("copil-report takes no argument (got %q)", fs.Arg(0))
	}
	if *out == "" && !*mail {
		return usagef("copil-report needs -o FILE.pdf, or --email")
	}
	if *again && !*mail {
		return usagef("--again goes with --email")
	}
	var day store.Date
	if *meeting != "" {
		// The year written: a record, as a spreadsheet's dates are.
		var p planword.Problem
		switch day, p = planword.Date(*meeting, store.Date{}); p {
		case planword.NoProblem:
		case planword.NoSuchDay:
			return usagef("--meeting %q: no such day", *meeting)
		default:
			return usagef("--meeting %q: want a day as JJ/MM/AAAA, such as 15/01/2027", *meeting)
		}
	}
	e, err := m.botEnv(ctx, g)
	if err != nil {
		return err
	}
	defer e.s.Close()
	// With a bot token, the minutes name people as Slack shows them
	// (users.info, cached); a PDF cannot show a mention.
	var names commands.Namer
	if e.c.Slack.BotToken != "" {
		names = bot.NewNames(bot.NewClient(bot.ClientOptions{BotToken: e.c.Slack.BotToken, APIURL: e.c.Slack.APIURL, Logger: m.logger(e.c)})).DisplayName
	}
	mn, err := e.h.MinutesOf(ctx, day, m.Now(), names)
	if ue := (*commands.UserError)(nil); errors.As(err, &ue) {
		return errors.New(e.h.Explain(err))
	} else if err != nil {
		return err
	}
	if *out != "" {
		if err := os.WriteFile(*out, mn.PDF, 0o644); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, e.h.Say(commands.SayMinutesSaved, *out))
	}
	if !*mail {
		return nil
	}
	now := m.Now()
	keys, err := e.posts.MailMinutes(ctx, mn, now, *again)
	for _, k := range keys {
		fmt.Fprintf(m.Stdout, "queued %s\n", k)
	}
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		fmt.Fprintln(m.Stdout, "every guest has these minutes already (or they are queued): nothing queued; --again sends them anew")
		return nil
	}
	fmt.Fprintf(m.Stdout, "%d e-mails queued: serve sends them (actionbot deliveries lists them)\n", len(keys))
	return nil
}

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
	fs := m.flags("copil-report", "[--meeting JJ/MM/AAAA] -o FILE.pdf", "Writes the minutes of a COPIL as a PDF: the meeting, its decisions by action, the dashboard\nby axis and programme, the chart, blocked and overdue actions, and what changed since the\nprevious COPIL. Without --meeting, the last meeting held.")
	meeting := fs.String("meeting", "", "the meeting's day, JJ/MM/AAAA (default: the last meeting held)")
	out := fs.String("o", "", "the PDF file to write")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("copil-report takes no argument (got %q)", fs.Arg(0))
	}
	if *out == "" {
		return usagef("copil-report needs -o FILE.pdf")
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
	if err := os.WriteFile(*out, mn.PDF, 0o644); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, e.h.Say(commands.SayMinutesSaved, *out))
	return nil
}

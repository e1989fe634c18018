package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

// console answers lines typed on standard input as the bot answers in
// Slack, printing each answer's text fallback.
type console struct {
	h      *commands.Handler
	in     io.Reader
	out    io.Writer
	user   string
	now    func() time.Time
	prompt bool
	lang   string
	// chartDir is where « tableau » writes the chart; "" means the system's
	// temporary directory.
	chartDir string
}

const consoleChannel = "CDEMO"

func (c *console) run(ctx context.Context) error {
	if c.prompt {
		fmt.Fprintln(c.out, c.h.Say(commands.SayConsoleWelcome, c.user))
	}
	sc := bufio.NewScanner(c.in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for {
		if c.prompt {
			fmt.Fprint(c.out, "> ")
		}
		if !sc.Scan() {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		switch strings.ToLower(line) {
		case "quit", "exit", "quitter":
			return nil
		}
		if handled, err := c.scheduled(ctx, line); handled {
			if err != nil {
				return err
			}
			continue
		}
		command, text := "/action", line
		if strings.HasPrefix(line, "/") {
			command, text, _ = strings.Cut(line, " ")
		} else if _, err := commands.Parse("/action", text, store.Date{}); err != nil {
			// « decision 23 … », « releve », « compte-rendu »: what
			// /action does not know, /copil may.
			if _, err := commands.Parse("/copil", text, store.Date{}); err == nil {
				command = "/copil"
			}
		}
		text = demoMentions(text)
		now := c.now()
		msg := c.h.Handle(ctx, commands.Request{
			TeamID: "TDEMO", UserID: c.user, ChannelID: consoleChannel,
			Command: command, Text: text, Now: now,
		})
		if !c.prompt {
			fmt.Fprintf(c.out, "> %s\n", line)
		}
		fmt.Fprintln(c.out, c.text(msg))
		if cmd, err := commands.Parse(command, text, store.Date{}); err == nil && (cmd.Kind == commands.KindDashboard || cmd.Kind == commands.KindCopilDashboard) {
			// In Slack the chart follows the dashboard as an image; here it
			// goes to a file.
			if err := c.saveChart(ctx, now); err != nil {
				return err
			}
		}
		if f := msg.Upload; f != nil {
			// In Slack the minutes follow in the channel; here they go to
			// a file.
			path, err := c.save(f.Name, f.Data)
			if err != nil {
				return err
			}
			fmt.Fprintln(c.out, "📄 "+c.h.Say(commands.SayMinutesSaved, path))
		}
		fmt.Fprintln(c.out)
	}
	return sc.Err()
}

// scheduled shows what the bot would post on its own: « digest <groupe> »
// (the weekly digest) and « rappel-copil » (the next COPIL's reminder and
// the DMs that go with it).
func (c *console) scheduled(ctx context.Context, line string) (bool, error) {
	word, arg, _ := strings.Cut(line, " ")
	var out []string
	switch strings.ToLower(word) {
	case "digest":
		if strings.TrimSpace(arg) == "" {
			out = append(out, c.h.Say(commands.SayDigestUsage))
			break
		}
		msg, err := c.h.Digest(ctx, strings.TrimSpace(arg), c.now())
		if err != nil {
			out = append(out, c.h.Explain(err))
			break
		}
		out = append(out, c.text(msg))
	case "rappel-copil", "copil-reminder":
		m, err := c.h.NextMeetingOf(ctx, c.now())
		if err != nil {
			out = append(out, c.h.Explain(err))
			break
		}
		// The console has no outbox: it shows the first reminder,
		// with its follow-up of the last COPIL's decisions.
		msg, err := c.h.Reminder(ctx, m, c.now(), true)
		if err != nil {
			return true, err
		}
		out = append(out, c.text(msg))
		dms, err := c.h.ReminderDMs(ctx, m, c.now())
		if err != nil {
			return true, err
		}
		for _, dm := range dms {
			out = append(out, "— DM "+c.person(dm.UserID)+" —\n"+c.text(dm.Message))
		}
	default:
		return false, nil
	}
	if !c.prompt {
		fmt.Fprintf(c.out, "> %s\n", line)
	}
	fmt.Fprintln(c.out, strings.Join(out, "\n\n"))
	fmt.Fprintln(c.out)
	return true, nil
}

func (c *console) saveChart(ctx context.Context, now time.Time) error {
	ch, err := c.h.Chart(ctx, now)
	if err != nil {
		return err
	}
	path, err := c.save("actionbot-tableau-"+now.Format("2006-01-02")+".png", ch.PNG)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.out, "📊 "+c.h.Say(commands.SayChartSaved, path))
	return nil
}

// save writes data to a new file in the console's directory, named after
// name (actionbot-tableau-2026-11-26-123.png), and returns its path.
func (c *console) save(name string, data []byte) (string, error) {
	dir := c.chartDir
	if dir == "" {
		dir = os.TempDir()
	}
	// A new file each time: a fixed name in a shared temporary directory
	// could be a link another user planted.
	ext := filepath.Ext(name)
	f, err := os.CreateTemp(dir, strings.TrimSuffix(name, ext)+"-*"+ext)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", err
	}
	return f.Name(), f.Close()
}

// demoMention is « @Marie »: a demo user typed by first name.
var demoMention = regexp.MustCompile(`(?i)@(marie|paul|sophie|karim)\b`)

// demoMentions writes the demo users typed as « @Marie » the way Slack
// sends a person picked with its @ picker, <@U01MARIE|marie>, so that the
// README's examples work as typed in the console.
func demoMentions(text string) string {
	return demoMention.ReplaceAllStringFunc(text, func(m string) string {
		for id, name := range store.DemoFirstNames {
			if strings.EqualFold(name, m[1:]) {
				return "<@" + id + "|" + strings.ToLower(name) + ">"
			}
		}
		return m
	})
}

// text is msg as the console prints it: the demo's people by name, as
// Slack shows a mention (« @Paul Moreau », not « <@U02PAUL> »).
func (c *console) text(msg commands.Message) string {
	return msg.PlainTextNamed(func(id string) string { return store.DemoNames[id] })
}

// person is user as text shows a mention of them.
func (c *console) person(user string) string {
	return c.text(commands.Message{Text: "<@" + user + ">"})
}

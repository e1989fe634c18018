package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/tours-metropole/actionbot/web"
)

// DefaultShareDays is how long a link made by actionbot share lasts unless
// --days says otherwise.
const DefaultShareDays = 30

func (m *Main) share(ctx context.Context, g globals, args []string) error {
	const about = "Prints a personal read-only link to the plan on the web (web.base_url), valid --days days.\n" +
		"--list shows every link with its name and expiry; --revoke ID ends one at once.\n" +
		"Only a hash of each link is kept: a lost link cannot be shown again, make another."
	fs := m.flags("share", "[--days 30] [--name NAME] | --list | --revoke ID", about)
	days := fs.Int("days", DefaultShareDays, "how many days the link lasts")
	name := fs.String("name", "", "whom the link is for, as --list shows it (such as \"MEDEF Touraine\")")
	list := fs.Bool("list", false, "list the links")
	revoke := fs.String("revoke", "", "the ID of a link to end")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("share takes no argument (got %q); give --name \"MEDEF Touraine\"", fs.Arg(0))
	}
	modes := 0
	for _, on := range []bool{*list, *revoke != "", *name != "" || *days != DefaultShareDays} {
		if on {
			modes++
		}
	}
	if modes > 1 {
		return usagef("share: give --list, --revoke ID, or a new link's --name and --days, not several")
	}
	if *days < 1 || *days > 366 {
		return usagef("--days %d: want 1 to 366", *days)
	}
	c, s, err := m.open(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()
	now := m.Now()
	switch {
	case *list:
		ls, err := s.Links(ctx)
		if err != nil {
			return err
		}
		if len(ls) == 0 {
			fmt.Fprintln(m.Stdout, "no link yet: actionbot share --name \"MEDEF Touraine\" makes one")
			return nil
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSTATE\tEXPIRES\tLAST USED\tMADE BY")
		for _, l := range ls {
			state := "active"
			switch {
			case l.RevokedAt != nil:
				state = "revoked"
			case !l.Active(now):
				state = "expired"
			}
			used := "never"
			if l.LastUsed != nil {
				used = l.LastUsed.In(c.Location).Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", l.ID, l.Name, state, l.ExpiresAt.In(c.Location).Format("2006-01-02 15:04"), used, l.CreatedBy)
		}
		return tw.Flush()
	case *revoke != "":
		id, err := strconv.ParseUint(*revoke, 10, 32)
		if err != nil {
			return usagef("--revoke %q: want a link's ID, as share --list shows it", *revoke)
		}
		l, err := s.RevokeLink(ctx, uint(id))
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "link %d (%s) revoked: it opens nothing any more\n", l.ID, l.Name)
		return nil
	}
	if c.Web.BaseURL == "" {
		return fmt.Errorf("web.base_url is not set: a link needs the public address of the bot, such as \"https://actionbot.example.org\" (see README.md › Outside Slack)")
	}
	who := *name
	if who == "" {
		who = "lien du " + now.In(c.Location).Format("02/01/2006")
	}
	expires := now.Add(time.Duration(*days) * 24 * time.Hour)
	l, token, err := s.CreateLink(ctx, who, "cli", expires)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, web.LinkURL(c.Web.BaseURL, token))
	fmt.Fprintf(m.Stderr, "link %d for %s, valid until %s (actionbot share --revoke %d ends it)\n",
		l.ID, l.Name, l.ExpiresAt.In(c.Location).Format("2006-01-02 15:04"), l.ID)
	return nil
}

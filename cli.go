package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/spreadsheet"
	"github.com/tours-metropole/actionbot/store"
)

// Main is the whole program with its inputs and outputs as fields, so that
// tests run exactly what the binary runs.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time
	// StdinIsTerminal says whether the demo console should show a prompt.
	StdinIsTerminal bool
	// ChartDir is where the demo console writes charts ("" for the
	// system's temporary directory).
	ChartDir string
}

// NewMain returns a Main on the process's own standard streams.
func NewMain() *Main {
	interactive := false
	if fi, err := os.Stdin.Stat(); err == nil {
		interactive = fi.Mode()&os.ModeCharDevice != 0
	}
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now, StdinIsTerminal: interactive}
}

// usageError is a mistake on the command line; main exits 2 for it.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// subcommand is one "actionbot <name>" command.
type subcommand struct {
	name, args, about string
	run               func(m *Main, ctx context.Context, g globals, args []string) error
}

// globals are the options every subcommand takes.
type globals struct {
	config   string
	explicit bool // --config or $ACTIONBOT_CONFIG was given: the file must exist
}

var subcommands []subcommand

func init() {
	subcommands = []subcommand{
		{"demo", "[--as U123]", "try the bot on the demo plan, in memory: type /action 23", (*Main).demo},
		{"import", "FILE | --demo", "load a plan spreadsheet (.csv or .xlsx) into the database", (*Main).importPlan},
		{"export", "[--format csv|xlsx] [-o FILE]", "write the plan as a spreadsheet (CSV on standard output by default)", (*Main).export},
		{"serve", "", "run the bot in Slack (Socket Mode with an app token, HTTP otherwise)", (*Main).serve},
		{"digest", "--group KEY [--post]", "print (or post now) a working group's weekly digest", (*Main).digest},
		{"copil-reminder", "[--post]", "print (or post now) the reminder of the next COPIL", (*Main).copilReminder},
		{"deliveries", "[--resend KEY]", "list the posts and e-mails of the outbox: pending, failed, recent", (*Main).deliveries},
		{"copil-report", "[--meeting JJ/MM/AAAA] -o FILE", "write the minutes of a COPIL as a PDF", (*Main).copilReport},
		{"email", "--resubscribe ADDRESS | --unsubscribe ADDRESS", "send e-mail again to an address that unsubscribed (or stop it)", (*Main).emailCmd},
		{"share", "[--days 30] [--name NAME] | --list | --revoke ID", "make, list or end read-only web links to the plan", (*Main).share},
		{"chart", "[-o FILE]", "draw the chart « Avancement du plan par axe » as a PNG", (*Main).chart},
		{"migrate", "--from FILE.db", "copy a SQLite database into the configured, empty store (PostgreSQL)", (*Main).migrateStore},
		{"backup", "FILE | --keep N DIR", "write a consistent copy of the database, even while serving", (*Main).backup},
		{"version", "", "print the version, VCS revision and build time", func(m *Main, _ context.Context, _ globals, _ []string) error {
			m.printVersion()
			return nil
		}},
	}
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: actionbot [--config FILE] <command> [arguments]\n\nCommands:\n")
	for _, s := range subcommands {
		fmt.Fprintf(w, "  %-14s %-30s %s\n", s.name, s.args, s.about)
	}
	fmt.Fprintf(w, "\n--config FILE  configuration (default ./config.toml, or $ACTIONBOT_CONFIG), before or after the command\n"+
		"--version      print the version\nRun \"actionbot <command> --help\" for a command's options.\n")
}

// Run runs the command line args (without the program name).
func (m *Main) Run(ctx context.Context, args []string) error {
	g := globals{config: "config.toml"}
	if env := m.Getenv("ACTIONBOT_CONFIG"); env != "" {
		g.config, g.explicit = env, true
	}
	args, config, err := takeConfig(args)
	if err != nil {
		return err
	}
	if config != "" {
		g.config, g.explicit = config, true
	}
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-h", "--help", "-help":
			m.usage(m.Stdout)
			return nil
		case "--version", "-version":
			m.printVersion()
			return nil
		default:
			return usagef("unknown option %s (run actionbot --help)", args[0])
		}
	}
	if len(args) == 0 {
		m.usage(m.Stderr)
		return usagef("no command given")
	}
	if args[0] == "help" {
		m.usage(m.Stdout)
		return nil
	}
	for _, s := range subcommands {
		if s.name == args[0] {
			return s.run(m, ctx, g, args[1:])
		}
	}
	return usagef("unknown command %q (run actionbot --help)", args[0])
}

// takeConfig removes --config FILE (or --config=FILE) from args, before or
// after the command, so that "actionbot serve --config /etc/…" works as
// "actionbot --config /etc/… serve" does. Arguments after "--" are left
// alone.
func takeConfig(args []string) (rest []string, config string, err error) {
	rest = make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(a, "=")
		switch {
		case a == "--":
			return append(rest, args[i:]...), config, nil
		case name != "--config" && name != "-config":
			rest = append(rest, a)
			continue
		case !hasValue:
			if i+1 >= len(args) {
				return nil, "", usagef("--config needs a file")
			}
			i++
			value = args[i]
		}
		if value == "" {
			return nil, "", usagef("--config needs a file")
		}
		config = value
	}
	return rest, config, nil
}

// flags returns a FlagSet for a subcommand whose --help prints its usage.
func (m *Main) flags(name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stdout, "Usage: actionbot %s %s\n\n%s\n", name, args, about)
		fs.SetOutput(m.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(m.Stderr)
	}
	return fs
}

// parse parses a subcommand's flags; --help is not an error.
func parse(fs *flag.FlagSet, args []string) (help bool, err error) {
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return true, nil
	}
	if err != nil {
		return false, &usageError{err.Error()}
	}
	return false, nil
}

func (m *Main) config(g globals) (Config, error) {
	return LoadConfig(g.config, g.explicit, m.Getenv)
}

// logger returns the logger of [log]: text or JSON lines on standard
// error, from its level up.
func (m *Main) logger(c Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(m.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(m.Stderr, opts))
}

// open loads the configuration and opens its database.
func (m *Main) open(ctx context.Context, g globals) (Config, *store.Store, error) {
	c, err := m.config(g)
	if err != nil {
		return c, nil, err
	}
	driver, source := c.StoreSource()
	s, err := m.openStore(ctx, c, driver, source)
	return c, s, err
}

// openStore opens the store driver finds at source (see
// Config.StoreSource) and syncs the configured groups.
func (m *Main) openStore(ctx context.Context, c Config, driver, source string) (*store.Store, error) {
	s, err := store.OpenDriver(driver, source)
	if err != nil {
		return nil, err
	}
	s.Now = m.Now
	if err := s.SyncGroups(ctx, c.StoreGroups()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// DemoAdmin is the Slack user the demo console acts as unless --as names
// another: an admin, so that every command can be tried.
const DemoAdmin = "U00ADMIN"

func (m *Main) demo(ctx context.Context, g globals, args []string) error {
	fs := m.flags("demo", "[--as U123]", "Runs the bot on the demo plan, in memory, with no Slack workspace: each line typed on\nstandard input is answered as the bot would in Slack (/action 23, /action aide, /copil).\nNothing is saved.")
	as := fs.String("as", DemoAdmin, "the Slack user ID to act as (the default is an admin)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if !store.IsUserID(*as) {
		return usagef("--as %q: want a Slack user ID such as %s", *as, store.DemoMarie)
	}
	c, err := m.config(g)
	if err != nil {
		return err
	}
	s, err := m.openStore(ctx, c, store.DriverSQLite, store.Memory)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SeedDemo(ctx, c.Location); err != nil {
		return err
	}
	h, err := commands.New(s, commands.Options{
		Language: c.Language, Location: c.Location,
		Admins: append([]string{DemoAdmin}, c.Admins...), Logger: m.logger(c),
	})
	if err != nil {
		return err
	}
	con := &console{h: h, in: m.Stdin, out: m.Stdout, user: *as, now: m.Now, prompt: m.StdinIsTerminal, lang: c.Language, chartDir: m.ChartDir}
	return con.run(ctx)
}

func (m *Main) importPlan(ctx context.Context, g globals, args []string) error {
	fs := m.flags("import", "FILE | --demo", "Loads a plan spreadsheet (.csv or .xlsx, format in README.md) into the database:\nactions are created or updated by number and each change is journaled. A file with any\nbad row is refused whole and nothing changes. --demo loads the demonstration plan instead.")
	demo := fs.Bool("demo", false, "load the demonstration plan")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *demo == (fs.NArg() == 1) || fs.NArg() > 1 {
		return usagef("import takes one FILE, or --demo")
	}
	c, s, err := m.open(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()
	if *demo {
		if err := s.SeedDemo(ctx, c.Location); err != nil {
			return err
		}
		_, _, n, err := s.NumberRange(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "demo plan loaded into %s: %d actions\n", s, n)
		return nil
	}
	path := fs.Arg(0)
	if demo, err := s.IsDemo(ctx); err != nil {
		return err
	} else if demo {
		return fmt.Errorf("%s holds the demonstration plan: import the real plan into a new database — set [store] path to a new file (or url to a new database), or delete %s — so that no demo action, note or COPIL stays behind", s, s)
	}
	format, err := spreadsheet.FormatOf(path)
	if err != nil {
		return usagef("%v", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := spreadsheet.Import(ctx, s, f, format, store.ImportAuthor)
	var bad *spreadsheet.Error
	if errors.As(err, &bad) {
		return fmt.Errorf("%s refused, nothing was changed:\n%s", path, bad.Message(c.Language))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintf(m.Stdout, "%s imported into %s: %d created, %d updated, %d unchanged\n", path, s, res.Created, res.Updated, res.Unchanged)
	return nil
}

func (m *Main) export(ctx context.Context, g globals, args []string) error {
	fs := m.flags("export", "[--format csv|xlsx] [-o FILE]", "Writes the plan as a spreadsheet that import reads back. The xlsx workbook adds one sheet\nper axis and the journal since the last COPIL.")
	format := fs.String("format", "", "csv or xlsx (default: from -o's extension, else csv)")
	out := fs.String("o", "", "write to FILE instead of standard output")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("export takes no argument (got %q)", fs.Arg(0))
	}
	f := spreadsheet.Format(*format)
	if f == "" {
		f = spreadsheet.CSV
		if *out != "" {
			var err error
			if f, err = spreadsheet.FormatOf(*out); err != nil {
				return usagef("%v", err)
			}
		}
	}
	if f != spreadsheet.CSV && f != spreadsheet.XLSX {
		return usagef("--format %q: want csv or xlsx", *format)
	}
	if f == spreadsheet.XLSX && *out == "" {
		return usagef("an xlsx workbook is binary: give -o FILE.xlsx")
	}
	c, s, err := m.open(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()
	w := m.Stdout
	if *out != "" {
		file, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	// With a bot token, the file names the Slack users it shows
	// (users.info, cached) beside their mentions: « Marie Lefèvre
	// <@U01MARIE> ». The demonstration plan names its users without one.
	var names spreadsheet.Namer
	if c.Slack.BotToken != "" {
		names = bot.NewNames(bot.NewClient(bot.ClientOptions{BotToken: c.Slack.BotToken, APIURL: c.Slack.APIURL, Logger: m.logger(c)})).DisplayName
	}
	if err := spreadsheet.Export(ctx, s, w, f, c.Location, m.Now(), withDemoNames(s, names)); err != nil {
		return err
	}
	if file, ok := w.(*os.File); ok && file != os.Stdout {
		return file.Close()
	}
	return nil
}

func (m *Main) chart(ctx context.Context, g globals, args []string) error {
	fs := m.flags("chart", "[-o FILE]", "Draws the chart « Avancement du plan par axe » of the plan in the database as of now:\nfor the socle and each axis, actions by status and the average progress.")
	out := fs.String("o", "plan.png", "the PNG file to write")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("chart takes no argument (got %q)", fs.Arg(0))
	}
	e, err := m.botEnv(ctx, g)
	if err != nil {
		return err
	}
	defer e.s.Close()
	h := e.h
	ch, err := h.Chart(ctx, m.Now())
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, ch.PNG, 0o644); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, h.Say(commands.SayChartSaved, *out))
	return nil
}

// withDemoNames names the demo users by their demo names when s holds the
// demonstration plan (they are on no Slack), and everyone else with names
// (nil: no one).
func withDemoNames(s *store.Store, names spreadsheet.Namer) spreadsheet.Namer {
	return func(ctx context.Context, id string) (string, error) {
		if name, ok := store.DemoNames[id]; ok {
			if demo, err := s.IsDemo(ctx); err == nil && demo {
				return name, nil
			}
		}
		if names == nil {
			return id, errNoName
		}
		return names(ctx, id)
	}
}

// errNoName says that a user's name cannot be had without a bot token.
var errNoName = errors.New("no bot token to ask users.info")

package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/email"
	"github.com/tours-metropole/actionbot/store"
)

// Config is actionbot's configuration: config.toml over the defaults, then
// secrets from the environment.
type Config struct {
	Language string   `toml:"language"`
	Timezone string   `toml:"timezone"`
	Admins   []string `toml:"admins"`
	Slack    struct {
		BotToken      string `toml:"bot_token"`
		AppToken      string `toml:"app_token"`
		SigningSecret string `toml:"signing_secret"`
		TeamID        string `toml:"team_id"`
		APIURL        string `toml:"api_url"`
	} `toml:"slack"`
	HTTP struct {
		Listen string `toml:"listen"`
	} `toml:"http"`
	Store struct {
		Driver string `toml:"driver"`
		Path   string `toml:"path"`
		URL    string `toml:"url"`
	} `toml:"store"`
	Web struct {
		BaseURL string `toml:"base_url"`
		Contact string `toml:"contact"`
	} `toml:"web"`
	Copil struct {
		Channel   string   `toml:"channel"`
		Reminders []string `toml:"reminders"`
		Guests    []Guest  `toml:"guests"`
		// Canvas keeps the channel's canvas as a living dashboard,
		// refreshed at most every CanvasEvery.
		Canvas      bool   `toml:"canvas"`
		CanvasEvery string `toml:"canvas_every"`
	} `toml:"copil"`
	Email struct {
		SMTPURL  string `toml:"smtp_url"`
		From     string `toml:"from"`
		Password string `toml:"-"` // ACTIONBOT_SMTP_PASSWORD
	} `toml:"email"`
	Groups []GroupConfig `toml:"groups"`
	Nudges struct {
		Enabled  bool   `toml:"enabled"`
		Schedule string `toml:"schedule"`
	} `toml:"nudges"`
	Log struct {
		Format string `toml:"format"`
		Level  string `toml:"level"`
	} `toml:"log"`

	// Derived by Load from the fields above.
	Location  *time.Location  `toml:"-"`
	Reminders []time.Duration `toml:"-"`
	// CanvasEvery is copil.canvas_every, parsed; 0 without copil.canvas.
	CanvasEvery time.Duration `toml:"-"`
	LogLevel    slog.Level    `toml:"-"`
}

// Guest is one [[copil.guests]] entry: a member of the COPIL outside
// Slack, who gets the reminders by e-mail.
type Guest struct {
	Name         string `toml:"name"`
	Email        string `toml:"email"`
	Organisation string `toml:"organisation"`
}

// GroupConfig is one [[groups]] entry: a working group.
type GroupConfig struct {
	Key     string   `toml:"key"`
	Name    string   `toml:"name"`
	Channel string   `toml:"channel"`
	Leads   []string `toml:"leads"`
	Digest  string   `toml:"digest"`
	// Emails get the weekly digest by e-mail: members outside Slack.
	Emails []string `toml:"emails"`
	// UpdateEvery is how often the group's actions are expected to be
	// updated: "30d", "2w", "1m".
	UpdateEvery string `toml:"update_every"`

	Rhythm store.Rhythm `toml:"-"` // UpdateEvery, parsed by check
}

// DefaultDigest is when a group's weekly digest is posted unless its
// [[groups]] entry says otherwise: Monday 09:00.
const DefaultDigest = "0 9 * * MON"

// DefaultNudges is when pilotes of overdue actions get their weekly DM
// unless [nudges] says otherwise: Monday 09:30.
const DefaultNudges = "30 9 * * MON"

// DefaultCanvasEvery is how often at most the COPIL channel's canvas is
// refreshed unless [copil] canvas_every says otherwise.
const DefaultCanvasEvery = "10m"

// DefaultConfig returns the configuration used where config.toml is silent.
func DefaultConfig() Config {
	var c Config
	c.Language = "fr"
	c.Timezone = "Europe/Paris"
	c.HTTP.Listen = "127.0.0.1:3000"
	c.Store.Driver = store.DriverSQLite
	c.Store.Path = "actionbot.db"
	c.Copil.Reminders = []string{"7d", "1d"}
	c.Copil.CanvasEvery = DefaultCanvasEvery
	c.Nudges.Enabled = true
	c.Nudges.Schedule = DefaultNudges
	c.Log.Format = "text"
	c.Log.Level = "info"
	return c
}

// LoadConfig reads path over the defaults (a missing file is fine when
// mustExist is false), then SLACK_BOT_TOKEN, SLACK_APP_TOKEN,
// SLACK_SIGNING_SECRET and ACTIONBOT_DATABASE_URL from getenv, and checks
// everything. Its errors name
// the key at fault.
func LoadConfig(path string, mustExist bool, getenv func(string) string) (Config, error) {
	c := DefaultConfig()
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist) && !mustExist:
	case err != nil:
		return c, fmt.Errorf("config: %w", err)
	default:
		md, err := toml.Decode(string(data), &c)
		if err != nil {
			var perr toml.ParseError
			if errors.As(err, &perr) {
				return c, fmt.Errorf("config %s: line %d: %s", path, perr.Position.Line, perr.Message)
			}
			return c, fmt.Errorf("config %s: %w", path, err)
		}
		if und := md.Undecoded(); len(und) > 0 {
			keys := make([]string, len(und))
			for i, k := range und {
				keys[i] = k.String()
			}
			return c, fmt.Errorf("config %s: unknown key %s (see config.example.toml)", path, strings.Join(keys, ", "))
		}
		c.resolvePaths(filepath.Dir(path))
	}
	for env, dst := range map[string]*string{
		"SLACK_BOT_TOKEN":      &c.Slack.BotToken,
		"SLACK_APP_TOKEN":      &c.Slack.AppToken,
		"SLACK_SIGNING_SECRET": &c.Slack.SigningSecret,
		// So that a database password stays out of the file.
		"ACTIONBOT_DATABASE_URL": &c.Store.URL,
	} {
		if v := getenv(env); v != "" {
			*dst = v
		}
	}
	c.Email.Password = getenv("ACTIONBOT_SMTP_PASSWORD")
	if err := c.check(); err != nil {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// resolvePaths takes the relative paths of the file from dir, the file's
// folder, so that a service started from any directory opens the same
// database. Every key that names a file or folder belongs here.
func (c *Config) resolvePaths(dir string) {
	for _, p := range []*string{&c.Store.Path} {
		if *p != "" && *p != store.Memory && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
}

var groupKey = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// check validates every key and fills the derived fields.
func (c *Config) check() error {
	if c.Language != "fr" && c.Language != "en" {
		return fmt.Errorf("language = %q: want \"fr\" or \"en\"", c.Language)
	}
	if c.Timezone == "Local" {
		return errors.New("timezone = \"Local\": name the zone, such as \"Europe/Paris\" — the machine's own zone changes with the machine and the service's environment")
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || c.Timezone == "" {
		return fmt.Errorf("timezone = %q: not a time zone name such as \"Europe/Paris\"", c.Timezone)
	}
	c.Location = loc
	switch c.Log.Format {
	case "text", "json":
	default:
		return fmt.Errorf("log.format = %q: want \"text\" or \"json\"", c.Log.Format)
	}
	if err := c.LogLevel.UnmarshalText([]byte(c.Log.Level)); err != nil || c.Log.Level == "" {
		return fmt.Errorf("log.level = %q: want \"debug\", \"info\", \"warn\" or \"error\"", c.Log.Level)
	}
	for _, a := range c.Admins {
		if !store.IsUserID(a) {
			return fmt.Errorf("admins: %q is not a Slack user ID (U… or W…, as in the member's profile › Copy member ID)", a)
		}
	}
	if t := c.Slack.BotToken; t != "" && !strings.HasPrefix(t, "xoxb-") {
		return errors.New("slack.bot_token (or SLACK_BOT_TOKEN): a bot token starts with xoxb-")
	}
	if t := c.Slack.AppToken; t != "" && !strings.HasPrefix(t, "xapp-") {
		return errors.New("slack.app_token (or SLACK_APP_TOKEN): an app-level token starts with xapp-")
	}
	if u := c.Slack.APIURL; u != "" {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("slack.api_url = %q: want an http(s) URL such as \"https://slack.com/api/\"", u)
		}
		if !strings.HasSuffix(c.Slack.APIURL, "/") {
			c.Slack.APIURL += "/"
		}
	}
	if _, _, err := net.SplitHostPort(c.HTTP.Listen); err != nil {
		return fmt.Errorf("http.listen = %q: want host:port such as \"127.0.0.1:3000\"", c.HTTP.Listen)
	}
	if u := c.Web.BaseURL; u != "" {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.RawQuery != "" || p.Fragment != "" {
			return fmt.Errorf("web.base_url = %q: want the public http(s) address of http.listen, such as \"https://actionbot.example.org\"", u)
		}
		if strings.Trim(p.Path, "/") != "" {
			// The pages, their links and their cookie live at /plan.
			return fmt.Errorf("web.base_url = %q: want the address without a path, such as \"https://actionbot.example.org\": the pages are served at /plan under it", u)
		}
		c.Web.BaseURL = strings.TrimSuffix(u, "/")
	}
	if err := c.checkEmail(); err != nil {
		return err
	}
	switch c.Store.Driver {
	case store.DriverSQLite:
		if c.Store.Path == "" {
			return errors.New("store.path is empty: give the database file, such as \"actionbot.db\"")
		}
		if c.Store.URL != "" {
			return errors.New("store.url (or ACTIONBOT_DATABASE_URL) is set, but store.driver is \"sqlite\": set driver = \"postgres\" to use it")
		}
	case store.DriverPostgres:
		p, err := url.Parse(c.Store.URL)
		if c.Store.URL == "" || err != nil || (p.Scheme != "postgres" && p.Scheme != "postgresql") || p.Host == "" {
			return errors.New("store.url (or ACTIONBOT_DATABASE_URL): with driver = \"postgres\", want a URL such as \"postgres://actionbot@db.example.org:5432/actionbot?sslmode=require\"")
		}
	default:
		return fmt.Errorf("store.driver = %q: want \"sqlite\" or \"postgres\"", c.Store.Driver)
	}
	if ch := c.Copil.Channel; ch != "" {
		if err := bot.CheckUploadChannel(ch); err != nil {
			return fmt.Errorf("copil.channel = %q: the reminders carry the chart, and %v", ch, err)
		}
	}
	c.Reminders = nil
	for _, r := range c.Copil.Reminders {
		d, err := ParseOffset(r)
		if err != nil {
			return fmt.Errorf("copil.reminders: %w", err)
		}
		c.Reminders = append(c.Reminders, d)
	}
	if err := c.checkCanvas(); err != nil {
		return err
	}
	if _, err := bot.ParseSpec(c.Nudges.Schedule); err != nil {
		return fmt.Errorf("nudges.schedule = %q: %w", c.Nudges.Schedule, err)
	}
	if len(c.Groups) == 0 {
		for _, g := range store.DefaultGroups() {
			c.Groups = append(c.Groups, GroupConfig{Key: g.Key, Name: g.Name, Digest: g.Digest})
		}
	}
	seen := map[string]bool{}
	for i := range c.Groups {
		g := &c.Groups[i]
		at := fmt.Sprintf("groups[%d]", i)
		if !groupKey.MatchString(g.Key) {
			return fmt.Errorf("%s.key = %q: want lower-case letters, digits and hyphens, such as \"prospection\"", at, g.Key)
		}
		if seen[g.Key] {
			return fmt.Errorf("%s.key = %q: two groups have this key", at, g.Key)
		}
		seen[g.Key] = true
		if strings.TrimSpace(g.Name) == "" {
			return fmt.Errorf("%s.name is empty (group %s)", at, g.Key)
		}
		for _, l := range g.Leads {
			if !store.IsUserID(l) {
				return fmt.Errorf("%s.leads: %q is not a Slack user ID (U… or W…)", at, l)
			}
		}
		if g.Digest == "" {
			g.Digest = DefaultDigest
		}
		if _, err := bot.ParseSpec(g.Digest); err != nil {
			return fmt.Errorf("%s.digest = %q: %w", at, g.Digest, err)
		}
		if g.UpdateEvery == "" {
			g.UpdateEvery = store.DefaultRhythm.String()
		}
		if g.Rhythm, err = store.ParseRhythm(g.UpdateEvery); err != nil {
			return fmt.Errorf("%s.update_every = %q: want days, weeks or months such as \"30d\", \"2w\" or \"1m\"", at, g.UpdateEvery)
		}
	}
	return nil
}

// checkCanvas checks [copil] canvas and canvas_every.
func (c *Config) checkCanvas() error {
	d, err := time.ParseDuration(c.Copil.CanvasEvery)
	if err != nil || d < time.Minute || d > 24*time.Hour {
		return fmt.Errorf("copil.canvas_every = %q: want a duration from \"1m\" to \"24h\", such as \"10m\" or \"1h\"", c.Copil.CanvasEvery)
	}
	c.CanvasEvery = 0
	if !c.Copil.Canvas {
		return nil
	}
	if c.Copil.Channel == "" {
		return errors.New("copil.canvas = true needs copil.channel: the canvas is the COPIL channel's")
	}
	c.CanvasEvery = d
	return nil
}

// checkEmail checks [email] and the guests who need it.
func (c *Config) checkEmail() error {
	if c.Email.SMTPURL != "" || c.Email.From != "" {
		if err := email.CheckConfig(c.EmailConfig()); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for i, g := range c.Copil.Guests {
		at := fmt.Sprintf("copil.guests[%d]", i)
		a, err := mail.ParseAddress(g.Email)
		if err != nil || a.Address != strings.TrimSpace(g.Email) {
			return fmt.Errorf("%s.email = %q: want a bare address such as \"contact@medef-touraine.example\"", at, g.Email)
		}
		if strings.TrimSpace(g.Name) == "" {
			return fmt.Errorf("%s.name is empty (%s): the e-mails greet the guest by name", at, g.Email)
		}
		if seen[strings.ToLower(a.Address)] {
			return fmt.Errorf("%s.email = %q: two guests have this address", at, g.Email)
		}
		seen[strings.ToLower(a.Address)] = true
		if c.Email.SMTPURL == "" {
			return fmt.Errorf("%s: the guests get the reminders by e-mail: set [email] smtp_url and from", at)
		}
	}
	for i, g := range c.Groups {
		for _, e := range g.Emails {
			if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
				return fmt.Errorf("groups[%d].emails: %q is not a bare address such as \"contact@ueptours.example\"", i, e)
			}
			if c.Email.SMTPURL == "" {
				return fmt.Errorf("groups[%d].emails: the digest goes to them by e-mail: set [email] smtp_url and from", i)
			}
		}
	}
	return nil
}

// EmailConfig is the [email] section as package email takes it.
func (c *Config) EmailConfig() email.Config {
	return email.Config{URL: c.Email.SMTPURL, Password: c.Email.Password, From: c.Email.From, BaseURL: c.Web.BaseURL}
}

// StoreSource returns the store's driver and where it is: a file path for
// SQLite, a URL for PostgreSQL.
func (c *Config) StoreSource() (driver, source string) {
	if c.Store.Driver == store.DriverPostgres {
		return c.Store.Driver, c.Store.URL
	}
	return c.Store.Driver, c.Store.Path
}

// StoreGroups returns the configured groups as the store keeps them.
func (c *Config) StoreGroups() []store.Group {
	out := make([]store.Group, len(c.Groups))
	for i, g := range c.Groups {
		out[i] = store.Group{Key: g.Key, Name: g.Name, Channel: g.Channel, Leads: g.Leads, Digest: g.Digest, UpdateEvery: g.Rhythm}
	}
	return out
}

// PostsConfig is what the bot posts on its own, and where.
func (c *Config) PostsConfig() bot.PostsConfig {
	pc := bot.PostsConfig{Groups: c.StoreGroups(), CopilChannel: c.Copil.Channel, Reminders: c.Reminders, Location: c.Location,
		CanvasEvery: c.CanvasEvery}
	if c.Nudges.Enabled {
		pc.NudgeSpec = c.Nudges.Schedule
	}
	for _, g := range c.Copil.Guests {
		pc.Guests = append(pc.Guests, bot.Guest{Name: g.Name, Email: strings.TrimSpace(g.Email), Organisation: g.Organisation})
	}
	for _, g := range c.Groups {
		if len(g.Emails) > 0 {
			if pc.GroupEmails == nil {
				pc.GroupEmails = map[string][]string{}
			}
			pc.GroupEmails[g.Key] = g.Emails
		}
	}
	return pc
}

// MaxOffset is the longest reminder offset: a COPIL is not announced
// more than a year ahead, and a bigger number is a typo.
const MaxOffset = 366 * 24 * time.Hour

// ParseOffset reads a duration before a meeting: "7d", "1d", "36h", "90m".
func ParseOffset(s string) (time.Duration, error) {
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q: want a positive duration such as \"7d\", \"1d\" or \"2h\"", s)
	}
	if d > MaxOffset {
		return 0, fmt.Errorf("%q: more than a year before the meeting (at most \"366d\")", s)
	}
	return d, nil
}

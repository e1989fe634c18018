package commands

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/store"
)

// Request is one thing a user typed: which slash command, its text, who,
// where and when.
type Request struct {
	TeamID    string
	UserID    string
	ChannelID string
	Command   string // "/action" or "/copil"
	Text      string
	Now       time.Time
}

// Message is the bot's answer: Block Kit blocks and a plain-text fallback
// (which notifications and the demo console show).
type Message struct {
	Blocks []slack.Block `json:"blocks,omitempty"`
	Text   string        `json:"text"`
	// InChannel posts the answer for everyone in the channel; otherwise
	// only the user who typed the command sees it.
	InChannel bool `json:"-"`
	// Chart asks the transport to post the chart of the plan in the
	// channel after this answer: drawing and uploading it may take longer
	// than Slack waits for an answer.
	Chart bool `json:"-"`
	// Replies are posted in order in the thread of this message, after
	// it: the rest of a scheduled post too long for one message.
	Replies []Message `json:"replies,omitempty"`
	// Upload asks the transport to upload a file in the channel after
	// this answer: the minutes of a COPIL.
	Upload *File `json:"-"`
	// Modal asks the transport to open this modal with the request's
	// trigger at once (Slack takes a trigger for 3 seconds) instead of
	// answering: the check-in. The blocks and text are the answer where
	// no modal opens (the demo console, or an expired trigger).
	Modal *slack.ModalViewRequest `json:"-"`
	// Minutes are the COPIL's minutes this answer carries, for the
	// transport to send to the COPIL's guests by e-mail (bot.Options.Minutes),
	// once per guest and meeting.
	Minutes *Minutes `json:"-"`
	// Version, when set, names the content of this message: two messages
	// with the same Version hold the same blocks and text, so that a
	// transport may keep what it encoded of one for the other. Empty:
	// nothing to keep.
	Version string `json:"-"`
}

// File is a file to upload: its bytes, name and title.
type File struct {
	Data  []byte
	Name  string // compte-rendu-copil-2027-01-15.pdf
	Title string
}

// Options configure a Handler.
type Options struct {
	Language string         // "fr" (default) or "en"
	Location *time.Location // dates are shown here; default Europe/Paris
	Admins   []string       // Slack user IDs who may do everything
	Logger   *slog.Logger
	// Names names Slack users where a mention cannot show (the PDF
	// minutes); nil writes @U123.
	Names Namer
	// WebBaseURL is web.base_url: « /action web » gives links to the plan
	// there; empty says the plan is not on the web.
	WebBaseURL string
}

// Handler understands the command language and answers it from the store.
type Handler struct {
	store  *store.Store
	cat    *catalog
	loc    *time.Location
	admins map[string]bool
	log    *slog.Logger
	names  Namer
	web    string
	cards  cards
}

// New returns a Handler answering from s.
func New(s *store.Store, o Options) (*Handler, error) {
	cat, err := catalogFor(o.Language)
	if err != nil {
		return nil, err
	}
	loc := o.Location
	if loc == nil {
		if loc, err = time.LoadLocation("Europe/Paris"); err != nil {
			return nil, err
		}
	}
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	h := &Handler{store: s, cat: cat, loc: loc, admins: map[string]bool{}, log: log, names: o.Names, web: o.WebBaseURL}
	for _, a := range o.Admins {
		h.admins[a] = true
	}
	return h, nil
}

// Handle answers one request. It never fails: a user's mistake gets a
// message saying what was wrong and how to write it, and anything else is
// logged and answered with a short apology. Answer does the same and also
// reports what was run, for metrics.
func (h *Handler) Handle(ctx context.Context, r Request) Message {
	msg, _ := h.Answer(ctx, r)
	return msg
}

// failure turns an error into the answer the user sees.
func (h *Handler) failure(r Request, err error) Message {
	var ue *UserError
	if errors.As(err, &ue) {
		text := h.cat.render(ue)
		return Message{Text: text, Blocks: []slack.Block{section(":warning: " + text)}}
	}
	h.log.Error("command failed", "command", r.Command, "text", r.Text, "user", r.UserID, "err", err)
	text := h.cat.t(msgInternal)
	return Message{Text: text, Blocks: []slack.Block{section(":warning: " + text)}}
}

package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/commands"
)

// request is the one conversion of a slash command, as Slack sends it over
// HTTP or Socket Mode, into a commands request.
func (s *Server) request(sc slack.SlashCommand) commands.Request {
	return commands.Request{
		TeamID: sc.TeamID, UserID: sc.UserID, ChannelID: sc.ChannelID,
		Command: sc.Command, Text: sc.Text, Now: s.now(),
	}
}

// Reply is the one writer of an answer: the JSON Slack takes as a slash
// command's HTTP response body, as the payload of a Socket Mode ack, and
// as a POST to a response_url.
type Reply struct {
	ResponseType string        `json:"response_type"` // "ephemeral" or "in_channel"
	Text         string        `json:"text"`
	Blocks       []slack.Block `json:"blocks,omitempty"`
	// ReplaceOriginal is always written, false: an answer to a button
	// comes under the card, which stays.
	ReplaceOriginal bool `json:"replace_original"`

	// version is the message's Version: the key of its encoding in the
	// server's cache of encoded answers.
	version string
}

// ReplyOf writes a commands message as Slack takes it.
func ReplyOf(m commands.Message) Reply {
	r := Reply{ResponseType: slack.ResponseTypeEphemeral, Text: m.Text, Blocks: m.Blocks, version: m.Version}
	if m.InChannel {
		r.ResponseType = slack.ResponseTypeInChannel
	}
	return r
}

// command answers a slash command on the calling goroutine. It returns
// the reply when the answer is ready within the inline timeout. Otherwise,
// at the inline timeout, ack is called — once, on the timer's goroutine,
// while command goes on — to acknowledge the command without a body, well
// inside Slack's 3 seconds; command then returns nil and the answer is
// posted to the response_url when ready. So the rule holds whatever a
// command does: the slow ones (charts, uploads, long lists) complete
// through response_url. No goroutine is started for the answers in time —
// nearly all — and the timer's runs only when one is late. An answer that
// is a modal (Message.Modal, the check-in) is opened with the command's
// trigger at once; once it is open, ack is called (if not already) and
// command returns nil.
func (s *Server) command(sc slack.SlashCommand, ack func()) *Reply {
	req := s.request(sc)
	var (
		mu             sync.Mutex
		answered, late bool
	)
	timer := time.AfterFunc(s.inline, func() {
		mu.Lock()
		defer mu.Unlock()
		if !answered {
			late = true
			ack()
		}
	})
	start := time.Now()
	msg, rep := s.answer(req)
	mu.Lock()
	answered = true
	mu.Unlock()
	timer.Stop()
	msg = s.oncePerMinute(req, msg)
	s.metrics.served(rep, time.Since(start))
	// A command answered is a debug line (the metrics count them); one
	// refused is worth an info line. At thousands a second, a line each
	// was a twelfth of a card's time and a write to standard error.
	level := slog.LevelInfo
	if rep.Outcome == commands.OutcomeOK {
		level = slog.LevelDebug
	}
	if s.log.Enabled(s.work, level) {
		s.log.Log(s.work, level, "command", "command", sc.Command, "user", sc.UserID, "name", rep.Name, "outcome", rep.Outcome, "ms", time.Since(start).Milliseconds())
	}
	if msg.Modal != nil {
		// At once: Slack takes the trigger for 3 seconds only. Opened, the
		// answer is an empty ack; else the message is the answer.
		if s.openModal(s.work, s.requestLog(sc), sc.TriggerID, msg.Modal) {
			if !late {
				ack()
			}
			return nil
		}
		msg.Modal = nil
	}
	if !late {
		s.followUp(sc, req, msg)
		r := ReplyOf(msg)
		return &r
	}
	s.spawn("late answer "+sc.Command, func(ctx context.Context) {
		s.tell(ctx, s.requestLog(sc), sc.ResponseURL, sc.ChannelID, sc.UserID, msg)
		s.followUp(sc, req, msg)
	})
	return nil
}

// openModal opens view with trigger, and reports whether it opened: a
// trigger expires 3 seconds after the click or command that gave it.
func (s *Server) openModal(ctx context.Context, log *slog.Logger, trigger string, view *slack.ModalViewRequest) bool {
	_, err := s.api.OpenViewContext(ctx, trigger, *view)
	s.metrics.posted(err, log, "views.open")
	if err != nil {
		log.Error("views.open failed", "callback_id", view.CallbackID, "err", err)
		return false
	}
	return true
}

// answer runs a request in the server's work context: a command acked
// late goes on after its HTTP request has ended.
func (s *Server) answer(req commands.Request) (commands.Message, commands.Report) {
	return s.cmds.Answer(s.work, req)
}

// requestLog is the logger of a request's later lines: each carries the
// command and the user.
func (s *Server) requestLog(sc slack.SlashCommand) *slog.Logger {
	return s.log.With("command", sc.Command, "user", sc.UserID)
}

// InChannelEvery is how often one user may post for everyone in one
// channel (/action N partager, /copil tableau): more is noise, or a loop.
const InChannelEvery = time.Minute

// oncePerMinute turns an in-channel answer into an ephemeral « déjà publié
// il y a N s » when the same user posted in the same channel less than
// InChannelEvery ago. The memory is per process: with several replicas
// behind a load balancer, each allows its own.
func (s *Server) oncePerMinute(req commands.Request, msg commands.Message) commands.Message {
	if !msg.InChannel {
		return msg
	}
	ago, again := s.inChannel.since(req.UserID + "|" + req.ChannelID)
	if !again {
		return msg
	}
	secs := max(1, int(ago/time.Second))
	return commands.Message{Text: s.cmds.Say(commands.SayAlreadyPosted, secs)}
}

// followUp does what comes after an answer: posting the chart, or
// uploading the file, it asks for, and e-mailing the minutes it carries.
func (s *Server) followUp(sc slack.SlashCommand, req commands.Request, msg commands.Message) {
	if msg.Minutes == nil && msg.Upload == nil && !msg.Chart {
		return
	}
	log := s.requestLog(sc)
	if mn := msg.Minutes; mn != nil && s.minutes != nil {
		s.spawn("minutes by e-mail", func(ctx context.Context) {
			if err := s.minutes(ctx, *mn, req.Now); err != nil {
				log.Error("the minutes were not queued for the COPIL's guests", "meeting", mn.Meeting.ID, "err", err)
			}
		})
	}
	if f := msg.Upload; f != nil {
		s.spawn("upload", func(ctx context.Context) {
			_, err := s.api.UploadFileContext(ctx, slack.UploadFileParameters{
				Reader: bytes.NewReader(f.Data), FileSize: len(f.Data), Filename: f.Name, Title: f.Title, Channel: sc.ChannelID,
			})
			s.metrics.posted(err, log, "files.upload")
			if err != nil {
				log.Warn("file not uploaded", "file", f.Name, "channel", sc.ChannelID, "err", err)
				s.tell(ctx, log, sc.ResponseURL, sc.ChannelID, sc.UserID, commands.Message{Text: s.cmds.Say(commands.SayUploadFailed)})
			}
		})
	}
	if !msg.Chart {
		return
	}
	s.spawn("chart", func(ctx context.Context) {
		err := s.postChart(ctx, sc.ChannelID, req.Now)
		s.metrics.posted(err, log, "files.upload")
		if err != nil {
			log.Warn("chart not posted", "channel", sc.ChannelID, "err", err)
			s.tell(ctx, log, sc.ResponseURL, sc.ChannelID, sc.UserID, commands.Message{Text: s.cmds.Say(commands.SayChartFailed)})
		}
	})
}

// postChart draws the chart of the plan and uploads it to channel.
func (s *Server) postChart(ctx context.Context, channel string, now time.Time) error {
	ch, err := s.cmds.Chart(ctx, now)
	if err != nil {
		return err
	}
	_, err = s.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Reader: bytes.NewReader(ch.PNG), FileSize: len(ch.PNG), Filename: "avancement-" + now.Format("2006-01-02") + ".png",
		Title: ch.Title, AltTxt: ch.AltText, Channel: channel,
	})
	return err
}

// tell gives a user an answer outside of an HTTP reply or ack: through
// the response_url when there is one, else (or if it has expired)
// ephemerally in the channel, else (or if that fails) in the app's direct
// messages.
// log is the request's logger.
func (s *Server) tell(ctx context.Context, log *slog.Logger, responseURL, channel, user string, msg commands.Message) {
	if responseURL != "" {
		err := s.respond(ctx, responseURL, ReplyOf(msg))
		s.metrics.posted(err, log, "response_url")
		if err == nil || ctx.Err() != nil {
			return
		}
	}
	opts := []slack.MsgOption{slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)}
	if channel != "" {
		_, err := s.api.PostEphemeralContext(ctx, channel, user, opts...)
		if err == nil {
			s.metrics.posted(nil, log, "chat.postEphemeral")
			return
		}
		// Not in the channel, or a channel the bot cannot see: say it in
		// the app's own messages instead.
		log.Warn("ephemeral answer failed; sending it as a direct message", "channel", channel, "err", err)
	}
	_, _, err := s.api.PostMessageContext(ctx, user, opts...)
	s.metrics.posted(err, log, "chat.postMessage")
}

// respond POSTs a reply to a response_url.
func (s *Server) respond(ctx context.Context, url string, r Reply) error {
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("response_url: %s: %s", resp.Status, text)
	}
	return nil
}

// maxEncoded bounds the encoded answers kept; past it the cache starts
// afresh.
const maxEncoded = 1024

// encoded keeps the JSON of answers that name their content (a card,
// between two changes of the plan): encoding Block Kit by reflection was
// a sixth of a request's time under load.
type encoded struct {
	mu sync.Mutex
	m  map[string][]byte
}

// of returns the JSON of r, encoded once per version.
func (e *encoded) of(r *Reply) ([]byte, error) {
	if r.version == "" {
		return marshalLine(r)
	}
	key := r.version + "|" + r.ResponseType
	e.mu.Lock()
	b, ok := e.m[key]
	e.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := marshalLine(r)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	if e.m == nil || len(e.m) >= maxEncoded {
		e.m = map[string][]byte{}
	}
	e.m[key] = b
	e.mu.Unlock()
	return b, nil
}

// marshalLine encodes v as json.Encoder does: a line.
func marshalLine(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	return append(b, '\n'), err
}

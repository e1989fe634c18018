package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

// Writer is what the scheduled posts ask of the commands package;
// *commands.Handler has it.
type Writer interface {
	Digest(ctx context.Context, group string, now time.Time) (commands.Message, error)
	Reminder(ctx context.Context, m store.Meeting, now time.Time, first bool) (commands.Message, error)
	ReminderDMs(ctx context.Context, m store.Meeting, now time.Time) ([]commands.DM, error)
	Nudges(ctx context.Context, now time.Time) ([]commands.DM, error)
	MailNudges(ctx context.Context, now time.Time) ([]commands.MailNudge, error)
	Escalations(ctx context.Context, group string, now time.Time) ([]commands.DM, error)
	Chart(ctx context.Context, now time.Time) (commands.Chart, error)
	Canvas(ctx context.Context, now time.Time) (commands.Canvas, error)
	FollowBatches(ctx context.Context, now time.Time) ([]commands.FollowBatch, error)
	FollowDM(ctx context.Context, b commands.FollowBatch) (commands.Message, error)
}

// Queue is the outbox and the meetings; *store.Store has it.
type Queue interface {
	Enqueue(ctx context.Context, d store.Delivery, replies ...store.Delivery) (bool, error)
	Meetings(ctx context.Context) ([]store.Meeting, error)
	NextMeeting(ctx context.Context, now time.Time) (store.Meeting, error)
	DeliveryByKey(ctx context.Context, key string) (store.Delivery, error)
	HasDeliveryPrefix(ctx context.Context, prefixes ...string) (bool, error)
	LatestDelivery(ctx context.Context, prefix string) (store.Delivery, error)
	Cancel(ctx context.Context, key string) (store.Delivery, error)
	// Unsubscribed reports whether an address asked for no more e-mail.
	Unsubscribed(ctx context.Context, addr string) (bool, error)
}

// Guest is a member of the COPIL outside Slack ([[copil.guests]]), who
// gets its reminders by e-mail.
type Guest struct {
	Name, Email, Organisation string
}

// MailReminder composes the e-mail of a COPIL reminder for a guest, as a
// delivery the outbox keys and sends (package email's Writer.Reminder,
// wired by main). It may make a link to the plan: it is called only for
// an e-mail not yet in the outbox.
type MailReminder func(ctx context.Context, g Guest, m store.Meeting, msg commands.Message, ch commands.Chart, now time.Time) (store.Delivery, error)

// MailDigest composes the e-mail of a working group's weekly digest for an
// address (package email's Writer.Digest). Like MailReminder, it is called
// only for an e-mail not yet in the outbox.
type MailDigest func(ctx context.Context, addr string, g store.Group, msg commands.Message, now time.Time) (store.Delivery, error)

// MailNudge composes the weekly nudge of an organisation with an address
// in the plan (package email's Writer.Nudge); called only for an e-mail
// not yet in the outbox.
type MailNudge func(ctx context.Context, n commands.MailNudge, now time.Time) (store.Delivery, error)

// MailMinutes composes the e-mail that sends a guest the minutes of a
// COPIL, the PDF attached, with a link to the plan valid until a week
// after next (nil: no meeting planned) — package email's Writer.Minutes.
// Called only for an e-mail not yet in the outbox.
type MailMinutes func(ctx context.Context, g Guest, mn commands.Minutes, next *store.Meeting, now time.Time) (store.Delivery, error)

// PostsConfig says what the bot posts on its own, and where.
type PostsConfig struct {
	Groups       []store.Group // each with its channel and digest spec
	CopilChannel string        // reminders go here; "" posts none
	Guests       []Guest       // get the reminders by e-mail, with MailReminder
	MailReminder MailReminder  // nil: no e-mail
	// GroupEmails are the addresses that get each group's digest by
	// e-mail ([[groups]] emails), with MailDigest, by group key.
	GroupEmails map[string][]string
	MailDigest  MailDigest
	MailNudge   MailNudge       // nil: organisations get no nudge
	MailMinutes MailMinutes     // nil: the guests get no minutes
	Reminders   []time.Duration // before each meeting
	// CanvasEvery is how often at most the COPIL channel's canvas is
	// refreshed ([copil] canvas_every); 0 keeps no canvas.
	CanvasEvery time.Duration
	NudgeSpec   string // when to nudge pilotes; "" nudges nobody
	Location    *time.Location
}

// Posts turns the schedule into deliveries in the outbox: each is
// recorded under a key naming its kind, target and slot, so that a slot
// seen twice — a restart, a second tick, a clock change — posts once.
type Posts struct {
	w    Writer
	q    Queue
	cfg  PostsConfig
	log  *slog.Logger
	wake func()
}

// NewPosts returns the scheduled posts; wake (may be nil) is called after
// something was enqueued, to let the sender know.
func NewPosts(w Writer, q Queue, cfg PostsConfig, log *slog.Logger, wake func()) *Posts {
	if log == nil {
		log = slog.Default()
	}
	if wake == nil {
		wake = func() {}
	}
	return &Posts{w: w, q: q, cfg: cfg, log: log, wake: wake}
}

// CatchUpWindow is how long after its slot a missed digest or nudge is
// still worth posting when the bot starts.
const CatchUpWindow = 24 * time.Hour

// ReminderCheck is how often upcoming meetings are checked for a reminder due.
const ReminderCheck = "@every 1m"

// FollowCheck is how often the journal is looked at for changes to tell
// the followers of an action.
const FollowCheck = "@every 1m"

// Jobs is the table of scheduled jobs: one weekly digest per group that
// has a channel, the COPIL reminders, the nudges.
func (p *Posts) Jobs() []Job {
	var jobs []Job
	for _, g := range p.cfg.Groups {
		if g.Channel == "" && len(p.digestEmails(g)) == 0 {
			p.log.Warn("no weekly digest for this group: it has no channel", "group", g.Key)
			continue
		}
		jobs = append(jobs, Job{
			Name: "digest " + g.Key, Spec: g.Digest, Workdays: true, CatchUp: CatchUpWindow,
			Run: func(ctx context.Context, s Slot) error { return p.Digest(ctx, g, s) },
		})
	}
	if p.cfg.CopilChannel == "" && !p.mailing() {
		p.log.Warn("no COPIL reminders: copil.channel is not set")
	} else if len(p.cfg.Reminders) > 0 {
		jobs = append(jobs, Job{Name: "copil reminders", Spec: ReminderCheck, AtStart: true,
			Run: func(ctx context.Context, s Slot) error { return p.Reminders(ctx, s.At) }})
	}
	// Looks back commands.FollowLookback at start as at every tick.
	jobs = append(jobs, Job{Name: "follow DMs", Spec: FollowCheck, AtStart: true,
		Run: func(ctx context.Context, s Slot) error { return p.Follow(ctx, s.At) }})
	if p.cfg.CanvasEvery > 0 && p.cfg.CopilChannel != "" {
		jobs = append(jobs, Job{Name: "copil canvas", Spec: CanvasCheck, AtStart: true, Run: p.Canvas})
	}
	if p.cfg.NudgeSpec != "" {
		jobs = append(jobs, Job{Name: "nudges", Spec: p.cfg.NudgeSpec, Workdays: true, CatchUp: CatchUpWindow, Run: p.Nudge})
	}
	return jobs
}

// slotKey writes a slot on the wall clock: the same for October's two
// 02:30, so that the key makes the second impossible.
func (p *Posts) slotKey(t time.Time) string {
	return t.In(p.cfg.Location).Format("2006-01-02T15:04:05")
}

// Digest enqueues group g's weekly digest for slot s, to go out at s.SendAt.
func (p *Posts) Digest(ctx context.Context, g store.Group, s Slot) error {
	return p.digest(ctx, g, "digest:"+g.Key+":"+p.slotKey(s.At), s.At, s.SendAt)
}

func (p *Posts) digest(ctx context.Context, g store.Group, key string, now, sendAt time.Time) error {
	var to []string
	for _, addr := range p.digestEmails(g) {
		if owed, err := p.mailOwed(ctx, mailKey(key, addr), addr); err != nil {
			return err
		} else if owed {
			to = append(to, addr)
		}
	}
	if g.Channel == "" && len(to) == 0 {
		return nil
	}
	msg, err := p.w.Digest(ctx, g.Key, now)
	if err != nil {
		return err
	}
	var errs []error
	for _, addr := range to {
		d, err := p.cfg.MailDigest(ctx, addr, g, msg, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("digest e-mail: %w", err))
			continue
		}
		d.Key, d.NextTry = mailKey(key, addr), sendAt
		if created, err := p.q.Enqueue(ctx, d); err != nil {
			errs = append(errs, err)
		} else if created {
			p.log.Info("e-mail scheduled", "key", d.Key)
			p.wake()
		}
	}
	if g.Channel != "" {
		if _, err := p.enqueue(ctx, key, "digest", g.Channel, msg, sendAt); err != nil {
			errs = append(errs, err)
		}
	}
	// With the digest, the group's leads hear of the actions whose update
	// is late by more than twice their rhythm: one DM each, keyed with
	// the digest's slot.
	dms, err := p.w.Escalations(ctx, g.Key, now)
	if err != nil {
		errs = append(errs, fmt.Errorf("escalations: %w", err))
	}
	for _, dm := range dms {
		if _, err := p.enqueue(ctx, key+":escalation:"+dm.UserID, "escalation", dm.UserID, dm.Message, sendAt); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// digestEmails are the addresses that get g's digest by e-mail.
func (p *Posts) digestEmails(g store.Group) []string {
	if p.cfg.MailDigest == nil {
		return nil
	}
	return p.cfg.GroupEmails[g.Key]
}

// Nudge enqueues, for slot s, one DM to each pilote of overdue actions.
func (p *Posts) Nudge(ctx context.Context, s Slot) error {
	dms, err := p.w.Nudges(ctx, s.At)
	if err != nil {
		return err
	}
	var errs []error
	for _, dm := range dms {
		if _, err := p.enqueue(ctx, "nudge:"+dm.UserID+":"+p.slotKey(s.At), "nudge", dm.UserID, dm.Message, s.SendAt); err != nil {
			errs = append(errs, err)
		}
	}
	if p.cfg.MailNudge == nil {
		return errors.Join(errs...)
	}
	mails, err := p.w.MailNudges(ctx, s.At)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	for _, n := range mails {
		key := "nudge:" + store.MailPrefix + n.Email + ":" + p.slotKey(s.At)
		if owed, err := p.mailOwed(ctx, key, n.Email); err != nil || !owed {
			if err != nil {
				errs = append(errs, err)
			}
			continue
		}
		d, err := p.cfg.MailNudge(ctx, n, s.At)
		if err != nil {
			errs = append(errs, fmt.Errorf("nudge e-mail: %w", err))
			continue
		}
		d.Key, d.NextTry = key, s.SendAt
		if created, err := p.q.Enqueue(ctx, d); err != nil {
			errs = append(errs, err)
		} else if created {
			p.log.Info("e-mail scheduled", "key", d.Key)
			p.wake()
		}
	}
	return errors.Join(errs...)
}

// Reminders enqueues, for each meeting to come, the reminder due at now if
// any (see DueReminder), with the chart; with the meeting's first reminder,
// one DM to each pilote who has actions to update.
func (p *Posts) Reminders(ctx context.Context, now time.Time) error {
	meetings, err := p.q.Meetings(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, m := range meetings {
		off, ok := DueReminder(m.At, p.cfg.Reminders, now, p.cfg.Location)
		if !ok {
			continue
		}
		if err := p.reminder(ctx, m, fmt.Sprintf("reminder:%d:%s", m.ID, off), now); err != nil {
			errs = append(errs, fmt.Errorf("meeting %d: %w", m.ID, err))
		}
	}
	return errors.Join(errs...)
}

// reminder enqueues meeting m's reminder under key, its chart, and — the
// first time for this meeting — the pilotes' DMs. Everything is drawn
// before anything is enqueued: if drawing fails, nothing is, and the next
// check tries again. Nothing is drawn when key is already in the outbox.
func (p *Posts) reminder(ctx context.Context, m store.Meeting, key string, now time.Time) error {
	// The check runs every minute while a reminder is due: look before
	// drawing anything.
	post, err := p.owed(ctx, key, p.cfg.CopilChannel != "")
	if err != nil {
		return err
	}
	var guests []Guest
	if p.mailing() {
		for _, g := range p.cfg.Guests {
			if owed, err := p.mailOwed(ctx, mailKey(key, g.Email), g.Email); err != nil {
				return err
			} else if owed {
				guests = append(guests, g)
			}
		}
	}
	if !post && len(guests) == 0 {
		return nil
	}
	first, err := p.FirstReminder(ctx, m)
	if err != nil {
		return err
	}
	msg, err := p.w.Reminder(ctx, m, now, first)
	if err != nil {
		return err
	}
	ch, err := p.w.Chart(ctx, now)
	if err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	dms, err := p.w.ReminderDMs(ctx, m, now)
	if err != nil {
		return err
	}
	var errs []error
	for _, g := range guests {
		d, err := p.cfg.MailReminder(ctx, g, m, msg, ch, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("e-mail to a guest: %w", err))
			continue
		}
		d.Key, d.NextTry = mailKey(key, g.Email), now
		if created, err := p.q.Enqueue(ctx, d); err != nil {
			errs = append(errs, err)
		} else if created {
			p.log.Info("e-mail scheduled", "key", d.Key)
			p.wake()
		}
	}
	if !post {
		return errors.Join(errs...)
	}
	created, err := p.enqueue(ctx, key, "reminder", p.cfg.CopilChannel, msg, now)
	if err != nil || !created {
		return errors.Join(append(errs, err)...)
	}
	// The chart goes as its own delivery, after the text: a failed upload
	// is retried on its own and never holds the reminder back.
	if _, err := p.q.Enqueue(ctx, store.Delivery{
		Key: key + ":chart", Kind: "upload", Channel: p.cfg.CopilChannel, NextTry: now,
		File: ch.PNG, FileName: "avancement-" + now.In(p.cfg.Location).Format("2006-01-02") + ".png", Title: ch.Title, AltText: ch.AltText,
	}); err != nil {
		errs = append(errs, err)
	}
	for _, dm := range dms {
		// Keyed by meeting: a pilote gets one DM per meeting, with the
		// first reminder sent, scheduled or by hand.
		if _, err := p.enqueue(ctx, fmt.Sprintf("reminder-dm:%d:%s", m.ID, dm.UserID), "reminder-dm", dm.UserID, dm.Message, now); err != nil {
			errs = append(errs, err)
		}
	}
	p.wake()
	return errors.Join(errs...)
}

// FirstReminder reports whether no reminder of meeting m is in the outbox
// yet — none scheduled or by hand, in the channel, by DM or by e-mail —
// so that the next one is the first: the one that follows up the previous
// COPIL's decisions.
func (p *Posts) FirstReminder(ctx context.Context, m store.Meeting) (bool, error) {
	sent, err := p.q.HasDeliveryPrefix(ctx, fmt.Sprintf("reminder:%d:", m.ID), fmt.Sprintf("reminder-now:%d:", m.ID), fmt.Sprintf("reminder-dm:%d:", m.ID))
	return !sent, err
}

// Follow enqueues, as of now, the DMs owed to the followers of actions:
// one per follower and minute of changes (commands.FollowBatches), keyed
// so that a minute seen again — the next tick, a restart, another
// replica — is told once. A DM already in the outbox is not written
// again.
func (p *Posts) Follow(ctx context.Context, now time.Time) error {
	batches, err := p.w.FollowBatches(ctx, now)
	if err != nil {
		return err
	}
	var errs []error
	for _, b := range batches {
		key := b.Key()
		if owed, err := p.owed(ctx, key, true); err != nil || !owed {
			if err != nil {
				errs = append(errs, err)
			}
			continue
		}
		msg, err := p.w.FollowDM(ctx, b)
		if err != nil {
			errs = append(errs, fmt.Errorf("follow DM %s: %w", key, err))
			continue
		}
		if _, err := p.enqueue(ctx, key, "follow", b.UserID, msg, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// CanvasCheck is how often the plan is looked at for a change to show in
// the COPIL channel's canvas.
const CanvasCheck = "@every 1m"

// KindCanvas is the kind of the deliveries that refresh a channel's
// canvas: their Text is its markdown, their Title its title.
const KindCanvas = "canvas"

// Canvas enqueues, for slot s, a refresh of the COPIL channel's canvas if
// the plan changed since the last one and that one is at least
// CanvasEvery old: at most one refresh per CanvasEvery, none while nothing
// changes. A refresh not yet sent is superseded by the next: it is
// cancelled, so that an older canvas never replaces a newer one.
func (p *Posts) Canvas(ctx context.Context, s Slot) error {
	ch := p.cfg.CopilChannel
	prefix := KindCanvas + ":" + ch + ":"
	last, err := p.q.LatestDelivery(ctx, prefix)
	had := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if had {
		// The slot in the key, not a timestamp of the store: what the
		// pace counts is the schedule's time.
		at, err := time.ParseInLocation("2006-01-02T15:04:05", strings.TrimPrefix(last.Key, prefix), p.cfg.Location)
		if err == nil && s.At.Before(at.Add(p.cfg.CanvasEvery)) {
			return nil
		}
	}
	c, err := p.w.Canvas(ctx, s.At)
	if err != nil {
		return err
	}
	if had && last.Text == c.Markdown && last.State != store.DeliveryCancelled {
		return nil // nothing changed
	}
	key := prefix + p.slotKey(s.At)
	created, err := p.q.Enqueue(ctx, store.Delivery{Key: key, Kind: KindCanvas, Channel: ch, Text: c.Markdown, Title: c.Title, NextTry: s.At})
	if err != nil || !created {
		return err
	}
	p.log.Info("canvas refresh scheduled", "key", key)
	if had && last.State != store.DeliverySent && last.State != store.DeliveryCancelled {
		if _, err := p.q.Cancel(ctx, last.Key); err != nil && !errors.Is(err, store.ErrConflict) {
			p.log.Warn("canvas: the superseded refresh was not cancelled", "key", last.Key, "err", err)
		}
	}
	p.wake()
	return nil
}

// mailing reports whether the reminders also go by e-mail.
func (p *Posts) mailing() bool { return p.cfg.MailReminder != nil && len(p.cfg.Guests) > 0 }

// mailKey is the key of the e-mail to addr that goes with the post under key.
func mailKey(key, addr string) string {
	return key + ":" + store.MailPrefix + strings.ToLower(strings.TrimSpace(addr))
}

// owed reports whether the delivery under key is still to enqueue: wanted
// and not in the outbox.
func (p *Posts) owed(ctx context.Context, key string, wanted bool) (bool, error) {
	if !wanted {
		return false, nil
	}
	_, err := p.q.DeliveryByKey(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	}
	return false, err
}

// mailOwed reports whether the e-mail to addr under key is still to
// enqueue: not in the outbox, and addr has not unsubscribed. An address
// that unsubscribed is left out before anything is composed for it — no
// link made, no delivery the sender would fail every week; the mailer
// still checks when it sends, for an address that unsubscribes while its
// e-mail waits.
func (p *Posts) mailOwed(ctx context.Context, key, addr string) (bool, error) {
	owed, err := p.owed(ctx, key, true)
	if err != nil || !owed {
		return false, err
	}
	un, err := p.q.Unsubscribed(ctx, addr)
	if err != nil {
		return false, fmt.Errorf("unsubscribed %s: %w", key, err)
	}
	if un {
		p.log.Debug("e-mail left out: the address unsubscribed", "key", key)
	}
	return !un, nil
}

// PostDigestNow enqueues group g's digest as of now, keyed apart from the
// scheduled ones, and returns its key.
func (p *Posts) PostDigestNow(ctx context.Context, g store.Group, now time.Time) (string, error) {
	if g.Channel == "" && len(p.digestEmails(g)) == 0 {
		return "", fmt.Errorf("group %s has no channel: set [[groups]] channel", g.Key)
	}
	key := "digest-now:" + g.Key + ":" + now.UTC().Format(time.RFC3339Nano)
	return key, p.digest(ctx, g, key, now, now)
}

// PostReminderNow enqueues the reminder of the next meeting as of now,
// with its chart and (if none went yet for this meeting) the pilotes' DMs,
// keyed apart from the scheduled ones, and returns its key.
func (p *Posts) PostReminderNow(ctx context.Context, now time.Time) (string, error) {
	if p.cfg.CopilChannel == "" && !p.mailing() {
		return "", errors.New("copil.channel is not set")
	}
	m, err := p.q.NextMeeting(ctx, now)
	if err != nil {
		return "", err
	}
	key := fmt.Sprintf("reminder-now:%d:%s", m.ID, now.UTC().Format(time.RFC3339Nano))
	return key, p.reminder(ctx, m, key, now)
}

// enqueue records msg for channel under key, to send at sendAt, and its
// replies (the rest of a long post) under key:reply:N, to be posted in
// its thread once it is sent.
func (p *Posts) enqueue(ctx context.Context, key, kind, channel string, msg commands.Message, sendAt time.Time) (bool, error) {
	d, err := DeliveryOf(key, kind, channel, msg)
	if err != nil {
		return false, err
	}
	d.NextTry = sendAt
	replies := make([]store.Delivery, len(msg.Replies))
	for i, r := range msg.Replies {
		if replies[i], err = DeliveryOf(fmt.Sprintf("%s:reply:%d", key, i+1), kind, channel, r); err != nil {
			return false, err
		}
	}
	created, err := p.q.Enqueue(ctx, d, replies...)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", key, err)
	}
	if created {
		p.log.Info("post scheduled", "key", key, "channel", channel, "at", sendAt.In(p.cfg.Location).Format(time.DateTime))
		p.wake()
	}
	return created, nil
}

// DeliveryOf turns a message into a delivery of the outbox: its text and
// its blocks as JSON.
func DeliveryOf(key, kind, channel string, msg commands.Message) (store.Delivery, error) {
	var blocks []byte
	if len(msg.Blocks) > 0 {
		var err error
		if blocks, err = json.Marshal(msg.Blocks); err != nil {
			return store.Delivery{}, fmt.Errorf("delivery %s: %w", key, err)
		}
	}
	return store.Delivery{Key: key, Kind: kind, Channel: channel, Text: msg.Text, Blocks: string(blocks)}, nil
}

// MinutesKey is the outbox key of the minutes of meeting id e-mailed to
// addr: one delivery per guest and meeting.
func MinutesKey(id uint, addr string) string { return mailKey(fmt.Sprintf("minutes:%d", id), addr) }

// ErrNoGuests is MailMinutes' answer when no one is to get the minutes by
// e-mail: no [[copil.guests]], or no [email].
var ErrNoGuests = errors.New("no COPIL guest gets e-mail: set [[copil.guests]] and [email]")

// MailMinutes enqueues the minutes mn for each guest, to go at once, and
// returns the keys it enqueued. Each guest gets the minutes of a meeting
// once (MinutesKey), however often they are made — /copil compte-rendu
// twice, or copil-report --email after it: a guest who has them, or whose
// e-mail is queued, is skipped. With again, every guest gets them anew,
// under keys of this moment (minutes-again:<meeting>:<time>): an admin's
// way to send corrected minutes. An address that unsubscribed gets
// nothing (see mailOwed).
func (p *Posts) MailMinutes(ctx context.Context, mn commands.Minutes, now time.Time, again bool) ([]string, error) {
	if p.cfg.MailMinutes == nil || len(p.cfg.Guests) == 0 {
		return nil, ErrNoGuests
	}
	var next *store.Meeting
	if m, err := p.q.NextMeeting(ctx, now); err == nil {
		next = &m
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	var keys []string
	var errs []error
	for _, g := range p.cfg.Guests {
		key := MinutesKey(mn.Meeting.ID, g.Email)
		if again {
			key = mailKey(fmt.Sprintf("minutes-again:%d:%s", mn.Meeting.ID, now.UTC().Format(time.RFC3339Nano)), g.Email)
		}
		if owed, err := p.mailOwed(ctx, key, g.Email); err != nil || !owed {
			if err != nil {
				errs = append(errs, err)
			}
			continue
		}
		d, err := p.cfg.MailMinutes(ctx, g, mn, next, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("minutes e-mail: %w", err))
			continue
		}
		d.Key, d.NextTry = key, now
		created, err := p.q.Enqueue(ctx, d)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if created {
			keys = append(keys, key)
			p.log.Info("e-mail scheduled", "key", key)
		}
	}
	if len(keys) > 0 {
		p.wake()
	}
	return keys, errors.Join(errs...)
}

package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// DeliveryState is where a delivery of the outbox stands.
type DeliveryState string

// The states of a delivery.
const (
	DeliveryPending DeliveryState = "pending"
	DeliverySending DeliveryState = "sending" // handed to Slack, answer not yet recorded
	DeliverySent    DeliveryState = "sent"
	DeliveryFailed  DeliveryState = "failed"
	// DeliveryUnknown is a delivery that was being sent when the bot
	// stopped: Slack may or may not have posted it. It is not sent again
	// on its own — that could post it twice — but listed for an admin to
	// check and resend (actionbot deliveries --resend KEY).
	DeliveryUnknown DeliveryState = "unknown"
	// DeliveryCancelled is a delivery an admin dropped before it was
	// sent: it stays, so that its key is never queued again.
	DeliveryCancelled DeliveryState = "cancelled"
)

// Delivery is one post the bot owes Slack: a digest, a reminder, a nudge,
// a file. It is recorded under a unique Key (kind, target, period) before
// anything is sent, so that a post is never owed — nor sent — twice.
type Delivery struct {
	ID        uint   `gorm:"primaryKey"`
	Key       string `gorm:"uniqueIndex;not null"`
	Kind      string `gorm:"index;not null"` // digest, reminder, nudge, upload…
	Channel   string `gorm:"not null"`       // channel ID or name, a user ID for a DM, or "mailto:" and an address
	Text      string // plain-text fallback (an e-mail's text part)
	Blocks    string // Block Kit JSON, may be empty
	HTML      string // an e-mail's HTML part
	File      []byte // for uploads: the file's bytes; an e-mail's inline image
	FileName  string
	Title     string        // for uploads: the file's title; an e-mail's subject
	AltText   string        // for uploads of images
	State     DeliveryState `gorm:"index:idx_delivery_due,priority:1;not null"`
	Attempts  int           `gorm:"not null;default:0"`
	NextTry   time.Time     `gorm:"index:idx_delivery_due,priority:2;not null"`
	LastError string
	SentAt    *time.Time
	SlackTS   string // the posted message's timestamp, once sent
	// LeaseUntil is when a send in flight (DeliverySending) is given up
	// on: past it, RecoverInterrupted judges it interrupted.
	LeaseUntil *time.Time
	// Parent is the key of the delivery in whose thread this one replies,
	// or "". A reply is not due before its parent is sent.
	Parent string `gorm:"index;not null;default:''"`
	// ThreadTS is the parent's SlackTS, which DueDeliveries fills for a
	// reply: the thread to post in.
	ThreadTS string `gorm:"-"`
	// LinkName, LinkBy and LinkUntil describe the personal link to the
	// plan an e-mail carries, as CreateLink takes them. Its token is never
	// stored here: Text and HTML hold a slot in its place, and the mailer
	// makes the link — a fresh one at each attempt — and fills the slot
	// just before it hands the message to SMTP. Empty: no link.
	LinkName  string `gorm:"not null;default:''"`
	LinkBy    string `gorm:"not null;default:''"`
	LinkUntil *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Enqueue records d as pending, to be sent at d.NextTry (now when zero),
// and replies, to be posted in order in d's thread once d is sent (their
// Parent, Channel and NextTry are d's), all in one transaction. Each
// delivery whose Key exists, whatever its state, is left as it is; created
// says whether d was new: that is what makes a post exactly-once.
func (s *Store) Enqueue(ctx context.Context, d Delivery, replies ...Delivery) (created bool, err error) {
	if d.Key == "" || d.Channel == "" {
		return false, fmt.Errorf("delivery %q to %q: %w", d.Key, d.Channel, ErrInvalid)
	}
	if d.NextTry.IsZero() {
		d.NextTry = s.Now()
	}
	all := append([]Delivery{d}, replies...)
	for i := range all {
		all[i].ID, all[i].State, all[i].NextTry = 0, DeliveryPending, d.NextTry.UTC()
		if i > 0 {
			all[i].Parent, all[i].Channel = d.Key, d.Channel
			if all[i].Key == "" || all[i].Key == d.Key {
				return false, fmt.Errorf("reply %d of delivery %q has no key of its own: %w", i, d.Key, ErrInvalid)
			}
		}
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		for i := range all {
			res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoNothing: true}).Create(&all[i])
			if res.Error != nil {
				return fmt.Errorf("enqueue %s: %w", all[i].Key, res.Error)
			}
			if i == 0 {
				created = res.RowsAffected == 1
			}
		}
		return nil
	})
	return created, err
}

// due selects the pending deliveries a sender may take: not replies
// waiting for their parent to be sent.
func (s *Store) due(ctx context.Context) *gorm.DB {
	sent := s.db.Model(&Delivery{}).Select("key").Where("state = ?", DeliverySent)
	return s.db.WithContext(ctx).Where("state = ? AND (parent = '' OR parent IN (?))", DeliveryPending, sent)
}

// DueDeliveries returns up to limit pending deliveries whose next try is at
// or before now, oldest first.
func (s *Store) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error) {
	var ds []Delivery
	err := s.due(ctx).Where("next_try <= ?", now.UTC()).Order("next_try, id").Limit(limit).Find(&ds).Error
	if err != nil {
		return nil, err
	}
	// The thread of each reply: its parent's timestamp.
	var parents []string
	for _, d := range ds {
		if d.Parent != "" {
			parents = append(parents, d.Parent)
		}
	}
	if len(parents) == 0 {
		return ds, nil
	}
	var sent []Delivery
	if err := s.db.WithContext(ctx).Select("key", "slack_ts").Where("key IN ?", parents).Find(&sent).Error; err != nil {
		return nil, err
	}
	ts := make(map[string]string, len(sent))
	for _, p := range sent {
		ts[p.Key] = p.SlackTS
	}
	for i := range ds {
		ds[i].ThreadTS = ts[ds[i].Parent]
	}
	return ds, nil
}

// NextDeliveryTime returns when the earliest pending delivery is due, and
// false when none is pending.
func (s *Store) NextDeliveryTime(ctx context.Context) (time.Time, bool, error) {
	var d Delivery
	err := s.due(ctx).Order("next_try").Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	return d.NextTry, true, nil
}

// MarkSending records, before delivery id is handed to Slack, that an
// attempt starts and holds until at most until: the sender's call, with
// its retries and the record of its outcome, ends before then. It fails
// with ErrConflict if the delivery is no longer pending (another sender
// took it).
func (s *Store) MarkSending(ctx context.Context, id uint, until time.Time) error {
	res := s.db.WithContext(ctx).Model(&Delivery{}).Where("id = ? AND state = ?", id, DeliveryPending).Updates(map[string]any{
		"state": DeliverySending, "attempts": gorm.Expr("attempts + 1"), "lease_until": until.UTC(),
	})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("delivery %d is not pending: %w", id, ErrConflict)
	}
	return nil
}

// MarkSent records that delivery id was accepted by Slack as message ts.
func (s *Store) MarkSent(ctx context.Context, id uint, ts string) error {
	now := s.Now().UTC()
	return s.db.WithContext(ctx).Model(&Delivery{ID: id}).Updates(map[string]any{
		"state": DeliverySent, "sent_at": now, "slack_ts": ts, "last_error": "",
	}).Error
}

// MarkRetry records a failed attempt of delivery id: it is tried again at
// next, or marked failed for good when final.
func (s *Store) MarkRetry(ctx context.Context, id uint, cause string, next time.Time, final bool) error {
	state := DeliveryPending
	if final {
		state = DeliveryFailed
	}
	return s.db.WithContext(ctx).Model(&Delivery{ID: id}).Updates(map[string]any{
		"state": state, "next_try": next.UTC(), "last_error": cause,
	}).Error
}

// RecoverInterrupted marks as DeliveryUnknown the deliveries left
// "sending" whose lease has expired — a sender stopped mid-send, in this
// process or another — and returns them. A send still within its lease is
// left alone, whichever replica runs it: any process may call this at any
// time (the sender does, while it holds the sender's lease).
func (s *Store) RecoverInterrupted(ctx context.Context) ([]Delivery, error) {
	var ds []Delivery
	now := s.Now().UTC()
	expired := "state = ? AND (lease_until IS NULL OR lease_until <= ?)"
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Omit("file").Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).
			Where(expired, DeliverySending, now).Find(&ds).Error; err != nil {
			return err
		}
		if len(ds) == 0 {
			return nil
		}
		ids := make([]uint, len(ds))
		for i, d := range ds {
			ids[i] = d.ID
		}
		return tx.Model(&Delivery{}).Where("id IN ?", ids).Updates(map[string]any{
			"state": DeliveryUnknown, "last_error": "interrupted while sending: check the channel, then resend if it is missing",
		}).Error
	})
	return ds, err
}

// Resend puts the delivery under key back in the queue, to be sent now:
// for a failed one, or an unknown one an admin found missing in Slack. A
// cancelled one comes back with the replies Cancel took with it.
func (s *Store) Resend(ctx context.Context, key string) (Delivery, error) {
	d, err := s.DeliveryByKey(ctx, key)
	if err != nil {
		return d, err
	}
	if d.State == DeliverySent || d.State == DeliveryPending || d.State == DeliverySending {
		return d, fmt.Errorf("delivery %s is %s: %w", key, d.State, ErrConflict)
	}
	again := map[string]any{"state": DeliveryPending, "next_try": s.Now().UTC(), "attempts": 0}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Delivery{ID: d.ID}).Updates(again).Error; err != nil {
			return err
		}
		if d.State != DeliveryCancelled {
			return nil
		}
		return tx.Model(&Delivery{}).Where("parent = ? AND state = ?", key, DeliveryCancelled).Updates(again).Error
	})
	d.State = DeliveryPending
	return d, err
}

// Cancel drops the delivery under key before it is sent: a pending,
// failed or unknown one. One being sent or already sent is a conflict. It
// stays in the outbox as cancelled, so that the same slot is never queued
// again. Its replies go with it: with no thread to post in, they would
// wait, pending, for ever.
func (s *Store) Cancel(ctx context.Context, key string) (Delivery, error) {
	d, err := s.DeliveryByKey(ctx, key)
	if err != nil {
		return d, err
	}
	unsent := []DeliveryState{DeliveryPending, DeliveryFailed, DeliveryUnknown}
	cancelled := map[string]any{"state": DeliveryCancelled, "last_error": "cancelled by hand at " + s.Now().UTC().Format(time.RFC3339)}
	var n int64
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// Conditional: the sender may be taking it at this very moment.
		res := tx.Model(&Delivery{}).Where("id = ? AND state IN ?", d.ID, unsent).Updates(cancelled)
		if n = res.RowsAffected; res.Error != nil || n == 0 {
			return res.Error
		}
		return tx.Model(&Delivery{}).Where("parent = ? AND state IN ?", key, unsent).Updates(cancelled).Error
	})
	if err != nil {
		return d, err
	}
	if n == 0 {
		d, _ = s.DeliveryByKey(ctx, key)
		return d, fmt.Errorf("delivery %s is %s: %w", key, d.State, ErrConflict)
	}
	d.State = DeliveryCancelled
	return d, nil
}

// Deliveries returns the deliveries not sent (pending, failed, unknown)
// and the last
// recentSent sent ones, newest first.
func (s *Store) Deliveries(ctx context.Context, recentSent int) ([]Delivery, error) {
	// A new session per query: a reused GORM chain would keep its conditions.
	db := s.db.WithContext(ctx).Omit("file").Session(&gorm.Session{})
	var open []Delivery
	if err := db.Where("state IN ?", []DeliveryState{DeliveryPending, DeliverySending, DeliveryFailed, DeliveryUnknown}).Order("id DESC").Find(&open).Error; err != nil {
		return nil, err
	}
	var sent []Delivery
	if err := db.Where("state = ?", DeliverySent).Order("id DESC").Limit(recentSent).Find(&sent).Error; err != nil {
		return nil, err
	}
	return append(open, sent...), nil
}

// PendingDeliveries counts the deliveries still to send.
func (s *Store) PendingDeliveries(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Delivery{}).Where("state = ?", DeliveryPending).Count(&n).Error
	return n, err
}

// HasDeliveryPrefix reports whether the outbox holds a delivery, in any
// state, whose key begins with one of prefixes.
func (s *Store) HasDeliveryPrefix(ctx context.Context, prefixes ...string) (bool, error) {
	if len(prefixes) == 0 {
		return false, nil
	}
	cond, vars := keyPrefixed(prefixes...)
	var n int64
	if err := s.db.WithContext(ctx).Model(&Delivery{}).Where(cond, vars...).Count(&n).Error; err != nil {
		return false, fmt.Errorf("outbox: %w", err)
	}
	return n > 0, nil
}

// keyPrefixed is the condition that a delivery's key begins with one of
// prefixes, compared as text, not as a LIKE pattern: a key may hold « _ »
// or « % ».
func keyPrefixed(prefixes ...string) (string, []any) {
	conds := make([]string, len(prefixes))
	var vars []any
	for i, p := range prefixes {
		conds[i] = "SUBSTR(key, 1, ?) = ?"
		vars = append(vars, utf8.RuneCountInString(p), p)
	}
	return strings.Join(conds, " OR "), vars
}

// DeliveryByKey returns the delivery recorded under key.
func (s *Store) DeliveryByKey(ctx context.Context, key string) (Delivery, error) {
	var d Delivery
	err := s.db.WithContext(ctx).Where("key = ?", key).Take(&d).Error
	return d, notFound(err, "delivery "+key)
}

package store

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"gorm.io/gorm/clause"
)

// lease is a role that one process holds at a time: until ExpiresAt, unless
// its holder renews it.
type lease struct {
	Name      string `gorm:"primaryKey"`
	Holder    string
	ExpiresAt time.Time
}

// HoldLease takes the lease called name for holder until ttl from now, or
// renews it, and reports whether holder has it: true when it was free,
// expired or holder's already; false while another holder's runs. The
// store's clock dates it: the replicas' clocks must agree (NTP) to well
// under ttl.
func (s *Store) HoldLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	now := s.Now().UTC()
	until := now.Add(ttl)
	// One statement, which the database runs on the row alone: of two
	// processes taking an expired lease at once, the second finds it no
	// longer expired.
	res := s.db.WithContext(ctx).Model(&lease{}).
		Where("name = ? AND (holder = ? OR expires_at <= ?)", name, holder, now).
		Updates(map[string]any{"holder": holder, "expires_at": until})
	if res.Error != nil {
		return false, fmt.Errorf("lease %s: %w", name, res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	res = s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&lease{Name: name, Holder: holder, ExpiresAt: until})
	if res.Error != nil {
		return false, fmt.Errorf("lease %s: %w", name, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ReleaseLease gives up the lease called name if holder has it, so that
// another process takes it at once rather than when it expires.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	err := s.db.WithContext(ctx).Where("name = ? AND holder = ?", name, holder).Delete(&lease{}).Error
	if err != nil {
		return fmt.Errorf("lease %s: %w", name, err)
	}
	return nil
}

// slackEvent is the ID of a Slack event that was handled.
type slackEvent struct {
	ID     string `gorm:"primaryKey"`
	SeenAt time.Time
}

// eventsWritten counts FirstEvent's calls, to forget old IDs now and then.
var eventsWritten atomic.Uint64

// forgetEvery is how many events are recorded between two sweeps of the
// old ones.
const forgetEvery = 256

// FirstEvent records that the Slack event id is being handled and reports
// whether it is the first time within keep — false for a retry that
// another replica, or this one, already took. IDs older than keep are
// forgotten now and then.
func (s *Store) FirstEvent(ctx context.Context, id string, keep time.Duration) (bool, error) {
	now := s.Now().UTC()
	db := s.db.WithContext(ctx)
	if eventsWritten.Add(1)%forgetEvery == 1 {
		if err := db.Where("seen_at < ?", now.Add(-keep)).Delete(&slackEvent{}).Error; err != nil {
			return false, fmt.Errorf("forget events: %w", err)
		}
	}
	res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&slackEvent{ID: id, SeenAt: now})
	if res.Error != nil {
		return false, fmt.Errorf("event %s: %w", id, res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	// Seen: within keep, unless it is an old one not swept yet.
	res = db.Model(&slackEvent{}).Where("id = ? AND seen_at < ?", id, now.Add(-keep)).Update("seen_at", now)
	return res.RowsAffected == 1, res.Error
}

package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ScheduleMeeting adds a COPIL meeting at the given time. A second meeting
// on the same day (in loc) is refused with ErrConflict — by the unique
// index on the day when two processes schedule it at once.
func (s *Store) ScheduleMeeting(ctx context.Context, at time.Time, place, author string, loc *time.Location) (Meeting, error) {
	day := DateOf(at, loc)
	m := Meeting{At: at.UTC(), Place: place, CreatedBy: author, Day: day.String()}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Meeting{}).Where("canceled = ? AND at >= ? AND at < ?", false,
			day.In(loc).UTC(), day.AddDays(1).In(loc).UTC()).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("meeting on %s: %w", day, ErrConflict)
		}
		if err := tx.Create(&m).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
			return fmt.Errorf("meeting on %s: %w", day, ErrConflict)
		} else if err != nil {
			return err
		}
		return nil
	})
	return m, err
}

// CancelMeeting cancels the meeting on day (in loc). The meeting stays on
// record, marked canceled.
func (s *Store) CancelMeeting(ctx context.Context, day Date, loc *time.Location) (Meeting, error) {
	var m Meeting
	err := s.tx(ctx, func(tx *gorm.DB) error {
		err := tx.Where("canceled = ? AND at >= ? AND at < ?", false, day.In(loc).UTC(), day.AddDays(1).In(loc).UTC()).
			Take(&m).Error
		if err != nil {
			return notFound(err, "meeting on "+day.String())
		}
		m.Canceled = true
		return tx.Model(&m).Update("canceled", true).Error
	})
	return m, err
}

// NextMeeting returns the first meeting that is not canceled and starts at
// or after now.
func (s *Store) NextMeeting(ctx context.Context, now time.Time) (Meeting, error) {
	var m Meeting
	err := s.db.WithContext(ctx).Where("canceled = ? AND at >= ?", false, now.UTC()).Order("at").Take(&m).Error
	return m, notFound(err, "next meeting")
}

// PreviousMeeting returns the last meeting that is not canceled and started
// before now.
func (s *Store) PreviousMeeting(ctx context.Context, now time.Time) (Meeting, error) {
	var m Meeting
	err := s.db.WithContext(ctx).Where("canceled = ? AND at < ?", false, now.UTC()).Order("at DESC").Take(&m).Error
	return m, notFound(err, "previous meeting")
}

// Meetings returns the meetings that are not canceled, in date order.
func (s *Store) Meetings(ctx context.Context) ([]Meeting, error) {
	var ms []Meeting
	err := s.db.WithContext(ctx).Where("canceled = ?", false).Order("at").Find(&ms).Error
	return ms, err
}

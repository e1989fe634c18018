package store

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Follower is a Slack user who follows an action: they hear of the
// changes others make to it (see Followed). Following is no role: it
// gives no permission.
type Follower struct {
	ActionID  uint   `gorm:"primaryKey;autoIncrement:false"`
	UserID    string `gorm:"primaryKey;index"`
	CreatedAt time.Time
}

// Follow makes user a follower of action n; added is false when they
// already were. Unknown actions are ErrNotFound.
func (s *Store) Follow(ctx context.Context, n int, user string) (added bool, err error) {
	err = s.tx(ctx, func(tx *gorm.DB) error {
		id, err := actionID(tx, n)
		if err != nil {
			return err
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).
			Create(&Follower{ActionID: id, UserID: user, CreatedAt: s.Now().UTC()})
		added = res.RowsAffected == 1
		return res.Error
	})
	return added, err
}

// Unfollow stops user following action n; removed is false when they did
// not follow it.
func (s *Store) Unfollow(ctx context.Context, n int, user string) (removed bool, err error) {
	err = s.tx(ctx, func(tx *gorm.DB) error {
		id, err := actionID(tx, n)
		if err != nil {
			return err
		}
		res := tx.Where("action_id = ? AND user_id = ?", id, user).Delete(&Follower{})
		removed = res.RowsAffected == 1
		return res.Error
	})
	return removed, err
}

// Followers returns how many follow action n, and whether user is one of
// them.
func (s *Store) Followers(ctx context.Context, n int, user string) (count int, follows bool, err error) {
	var r struct{ N, Mine int }
	err = s.db.WithContext(ctx).Model(&Follower{}).
		Select("COUNT(*) AS n, COALESCE(SUM(CASE WHEN followers.user_id = ? THEN 1 ELSE 0 END), 0) AS mine", user).
		Joins("JOIN actions ON actions.id = followers.action_id").
		Where("actions.number = ?", n).Scan(&r).Error
	return r.N, r.Mine > 0, err
}

// FollowedChanges returns the journal entries written at or after from
// and before to on the actions someone follows, oldest first, and the
// followers of those actions. Followed decides who hears of which.
func (s *Store) FollowedChanges(ctx context.Context, from, to time.Time) ([]JournalEntry, []Follower, error) {
	db := s.db.WithContext(ctx).Session(&gorm.Session{})
	followed := db.Model(&Follower{}).Select("action_id")
	var entries []JournalEntry
	if err := db.Where("at >= ? AND at < ? AND action_id IN (?)", from.UTC(), to.UTC(), followed).
		Order("at, id").Find(&entries).Error; err != nil {
		return nil, nil, err
	}
	if len(entries) == 0 {
		return nil, nil, nil
	}
	ids := map[uint]bool{}
	var list []uint
	for _, e := range entries {
		if !ids[e.ActionID] {
			ids[e.ActionID] = true
			list = append(list, e.ActionID)
		}
	}
	var fs []Follower
	for lo := 0; lo < len(list); lo += maxParams {
		var part []Follower
		if err := db.Where("action_id IN ?", list[lo:min(lo+maxParams, len(list))]).Order("action_id, user_id").Find(&part).Error; err != nil {
			return nil, nil, err
		}
		fs = append(fs, part...)
	}
	return entries, fs, nil
}

// actionID returns the row ID of action n.
func actionID(db *gorm.DB, n int) (uint, error) {
	var id uint
	err := db.Model(&Action{}).Select("id").Where("number = ?", n).Take(&id).Error
	return id, notFound(err, "action "+strconv.Itoa(n))
}

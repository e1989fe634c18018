package store

import (
	"context"
	"fmt"
)

// RecheckAfter is how stale the cache may be about another process's
// change.
const RecheckAfter = recheckAfter

// SetMaxParams sets how many IDs one query binds, and returns a function
// that puts it back.
func SetMaxParams(n int) (restore func()) {
	old := maxParams
	maxParams = n
	return func() { maxParams = old }
}

// CardUncached reads what a card of action n needs from SQLite, past the
// cache: the action with its programme, axis, group and contributors, its
// last journal entry, and whether the plan is the demo.
func (s *Store) CardUncached(ctx context.Context, n int) error {
	if _, err := actionByNumber(s.db.WithContext(ctx), n); err != nil {
		return err
	}
	if _, err := s.History(ctx, n, 1); err != nil {
		return err
	}
	_, err := s.isDemo(ctx)
	return err
}

// OpenRhythms returns the stored actions.open_rhythm of every action by
// number, "" for NULL.
func (s *Store) OpenRhythms(ctx context.Context) (map[int]string, error) {
	var rows []struct {
		Number     int
		OpenRhythm *string
	}
	if err := s.db.WithContext(ctx).Model(&Action{}).Select("number", "open_rhythm").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := map[int]string{}
	for _, r := range rows {
		out[r.Number] = ""
		if r.OpenRhythm != nil {
			out[r.Number] = *r.OpenRhythm
		}
	}
	return out, nil
}

// BeforeOpenRhythm takes the database back to what it was before
// migration 00035 — no column open_rhythm, no index on it, the version not
// recorded — and migrates it again, as the first Open of a database made
// before 00035 does.
func (s *Store) BeforeOpenRhythm(ctx context.Context) error {
	for _, q := range []string{
		"DROP INDEX idx_actions_late_plan",
		"DROP INDEX idx_actions_late",
		"ALTER TABLE actions DROP COLUMN open_rhythm",
		"DELETE FROM " + versionTable + " WHERE version_id = 35",
	} {
		if err := s.db.WithContext(ctx).Exec(q).Error; err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return s.dialect.migrate(ctx, sqlDB)
}

// OnImportPrepared makes f run between the preparation of each import and
// its writing.
func (s *Store) OnImportPrepared(f func()) { s.importPrepared = f }

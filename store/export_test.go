package store

import "context"

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

// OnImportPrepared makes f run between the preparation of each import and
// its writing.
func (s *Store) OnImportPrepared(f func()) { s.importPrepared = f }

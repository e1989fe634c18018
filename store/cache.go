package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// readCache keeps what every /action N reads — the action with its
// programme, axis, group and contributors, its last journal entry, and
// whether the plan is the demo — until the database changes. A card read
// from SQLite took eight queries, 0.4 ms of CPU, which capped the bot at
// about 2,000 cards a second on two cores.
//
// A change made through this store empties the cache as it commits,
// before its answer is written: whoever made it sees it at once. Any other
// change — another process, such as an import run from the command line
// while the bot serves, or another replica on PostgreSQL — is seen within
// recheckAfter: at most that often, the cache asks the database whether
// anything was committed since, on a connection of its own that never
// writes (the dialect's versionQuery: SQLite's PRAGMA data_version,
// PostgreSQL's current snapshot). Asking on every read cost a
// fifth of the bot's CPU under forty requests at once.
type readCache struct {
	mu      sync.RWMutex // guards gen and the maps
	gen     uint64       // changes whenever the maps are emptied
	actions map[int]Action
	last    map[int]*JournalEntry // nil value: the action has no entry
	demo    *bool

	checking sync.Mutex // one check at a time; guards what follows
	db       *sql.DB
	query    string    // the version query
	conn     *sql.Conn // nil until first used, and after an error
	stmt     *sql.Stmt // query, prepared once on conn
	version  string
	start    time.Time    // the monotonic clock's origin
	checked  atomic.Int64 // when the last check was, in ns since start; 0: never
}

// recheckAfter is how long the cache trusts itself without asking SQLite
// whether another process changed the database: a replica's change shows
// in another's cards a millisecond later at most.
const recheckAfter = time.Millisecond

// maxCached bounds the actions kept; past it the cache starts afresh.
const maxCached = 4096

func newReadCache(db *sql.DB, versionQuery string) *readCache {
	return &readCache{db: db, query: versionQuery, start: time.Now(), actions: map[int]Action{}, last: map[int]*JournalEntry{}}
}

// fresh returns the generation of the maps once they reflect every change
// committed more than recheckAfter ago; ok is false when the database
// could not tell, and the caller reads the database instead.
func (c *readCache) fresh() (gen uint64, ok bool) {
	if c.recent() {
		return c.generation(), true
	}
	c.checking.Lock()
	defer c.checking.Unlock()
	if c.recent() {
		return c.generation(), true
	}
	// Not the request's context: a cancelled query could leave the
	// connection unusable, and this one takes microseconds.
	ctx := context.Background()
	if c.conn == nil {
		conn, err := c.db.Conn(ctx)
		if err != nil {
			return 0, false
		}
		stmt, err := conn.PrepareContext(ctx, c.query)
		if err != nil {
			conn.Close()
			return 0, false
		}
		c.conn, c.stmt = conn, stmt
	}
	var v string
	if err := c.stmt.QueryRowContext(ctx).Scan(&v); err != nil {
		c.release()
		return 0, false
	}
	c.mu.Lock()
	if v != c.version || len(c.actions) >= maxCached {
		c.emptyLocked()
		c.version = v
	}
	gen = c.gen
	c.mu.Unlock()
	c.checked.Store(max(1, int64(time.Since(c.start))))
	return gen, true
}

func (c *readCache) recent() bool {
	at := c.checked.Load()
	return at != 0 && time.Duration(int64(time.Since(c.start))-at) < recheckAfter
}

func (c *readCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// empty forgets everything: a change was committed.
func (c *readCache) empty() {
	c.mu.Lock()
	c.emptyLocked()
	c.mu.Unlock()
}

func (c *readCache) emptyLocked() {
	clear(c.actions)
	clear(c.last)
	c.demo = nil
	c.gen++
}

func (c *readCache) close() {
	c.checking.Lock()
	defer c.checking.Unlock()
	c.release()
}

// release gives the cache's connection back; c.checking is held.
func (c *readCache) release() {
	if c.conn != nil {
		c.stmt.Close()
		c.conn.Close()
		c.conn, c.stmt = nil, nil
	}
	c.checked.Store(0)
}

// cached returns what get finds in c, or loads it and keeps it with put
// unless the cache was emptied meanwhile.
func cached[T any](c *readCache, get func() (T, bool), load func() (T, error), put func(T)) (T, error) {
	if c == nil {
		return load()
	}
	gen, ok := c.fresh()
	if ok {
		c.mu.RLock()
		t, hit := get()
		c.mu.RUnlock()
		if hit {
			return t, nil
		}
	}
	t, err := load()
	if err != nil || !ok {
		return t, err
	}
	c.mu.Lock()
	if c.gen == gen {
		put(t)
	}
	c.mu.Unlock()
	return t, nil
}

// ActionByNumber returns the action numbered n, with its programme, axis,
// group and contributors.
func (s *Store) ActionByNumber(ctx context.Context, n int) (Action, error) {
	c := s.cache
	a, err := cached(c,
		func() (Action, bool) { a, ok := c.actions[n]; return a, ok },
		func() (Action, error) { return actionByNumber(s.db.WithContext(ctx), n) },
		func(a Action) { c.actions[n] = a })
	// The caller gets its own slices: the cached ones are shared.
	a.Contributors = slices.Clone(a.Contributors)
	a.Group.Leads = slices.Clone(a.Group.Leads)
	return a, err
}

func actionByNumber(db *gorm.DB, n int) (Action, error) {
	var a Action
	err := db.Preload("Programme.Axis").Preload("Group").
		Preload("Contributors", func(db *gorm.DB) *gorm.DB { return db.Order("position") }).
		Where("number = ?", n).Take(&a).Error
	if err != nil {
		return a, notFound(err, "action "+strconv.Itoa(n))
	}
	var followers int64
	err = db.Session(&gorm.Session{NewDB: true}).Model(&Follower{}).Where("action_id = ?", a.ID).Count(&followers).Error
	a.Followers = int(followers)
	return a, err
}

// LastEntry returns the latest journal entry of action n; ok is false when
// it has none.
func (s *Store) LastEntry(ctx context.Context, n int) (e JournalEntry, ok bool, err error) {
	c := s.cache
	last, err := cached(c,
		func() (*JournalEntry, bool) { e, ok := c.last[n]; return e, ok },
		func() (*JournalEntry, error) {
			entries, err := s.History(ctx, n, 1)
			if err != nil || len(entries) == 0 {
				return nil, err
			}
			return &entries[0], nil
		},
		func(e *JournalEntry) { c.last[n] = e })
	if err != nil || last == nil {
		return JournalEntry{}, false, err
	}
	return *last, true, nil
}

// IsDemo reports whether the plan is still the demonstration plan, which
// answers label as such until a real plan is imported.
func (s *Store) IsDemo(ctx context.Context) (bool, error) {
	c := s.cache
	return cached(c,
		func() (bool, bool) {
			if c.demo == nil {
				return false, false
			}
			return *c.demo, true
		},
		func() (bool, error) { return s.isDemo(ctx) },
		func(d bool) { c.demo = &d })
}

// Generation returns a number that changes whenever what the plan's reads
// return may have changed — a change through this store at once, any
// other within recheckAfter — so that a caller may keep what it built from
// those reads (a rendered card) under it. Take it before reading: what is
// read after it is at least as new. ok is false when the store cannot
// tell (an in-memory database, a failed check): keep nothing then.
func (s *Store) Generation() (gen uint64, ok bool) {
	if s.cache == nil {
		return 0, false
	}
	return s.cache.fresh()
}

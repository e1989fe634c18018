package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
)

// The databases the store runs on, as [store] driver names them.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// dialect is what differs between SQLite and PostgreSQL: opening,
// migrating under a lock, search, how writers take turns, how the read
// cache learns of other processes' changes, and backups. Everything else in
// the store is GORM's builder and SQL that both understand. This file is
// the only one that knows which database it talks to.
type dialect interface {
	// String names the database for messages, without any password.
	String() string
	// open returns the GORM dialector and sets up the pool.
	dialector() gorm.Dialector
	setPool(db *sql.DB)
	// migrate brings the schema up to date under a lock, so that
	// processes starting at once migrate it once.
	migrate(ctx context.Context, db *sql.DB) error
	// serialWrites reports whether the store's writers should take turns
	// in-process before they ask the database (see Store.tx).
	serialWrites() bool
	// lockNumbers makes the transactions that number new actions take
	// turns, until tx ends: the highest number read inside it stays the
	// highest until the new action is written.
	lockNumbers(tx *gorm.DB) error
	// versionQuery returns a query whose answer changes whenever a change
	// is committed to the plan, by this process or another: the read
	// cache asks it before trusting itself. "" means no cache.
	versionQuery() string
	// match returns the condition that keeps the actions whose text holds
	// every term; paging says the query reads a page in order.
	match(terms []searchTerm, paging bool) (string, any)
	// countMatches counts the actions whose text holds every term.
	countMatches(db *gorm.DB, terms []searchTerm) (int64, error)
	// tables lists the tables that hold the store's data, each after
	// those its foreign keys point to, for CopyFrom.
	tables(db *gorm.DB) ([]string, error)
	// resetIDs makes the next row of each table get an ID past the
	// highest, after rows were inserted with their IDs.
	resetIDs(db *gorm.DB, tables ...string) error
	// backup writes a consistent copy of the database to path.
	backup(ctx context.Context, db *gorm.DB, path string) error
	// integrityCheck returns the database's verdict on itself, "ok" when
	// sound.
	integrityCheck(ctx context.Context, db *gorm.DB) (string, error)
}

// sqliteDialect is a SQLite file, or a private in-memory database for
// Memory.
type sqliteDialect struct{ path string }

func (d sqliteDialect) String() string { return d.path }

func (d sqliteDialect) dialector() gorm.Dialector {
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	if d.path == Memory {
		return sqlite.Open("file::memory:?" + q.Encode())
	}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	// Escape the path: a '?' or '#' in a file name would otherwise end it
	// early and open another file.
	return sqlite.Open("file:" + (&url.URL{Path: d.path}).EscapedPath() + "?" + q.Encode())
}

func (d sqliteDialect) setPool(db *sql.DB) {
	if d.path == Memory {
		// Each connection to :memory: is its own database: keep one.
		db.SetMaxOpenConns(1)
		return
	}
	// A bounded pool whose connections stay open. database/sql's default
	// opens as many connections as there are queries at once and keeps
	// two: under forty requests at once it opened and closed SQLite
	// connections all the time, each re-reading the schema and starting a
	// cold page cache of its own (2 MB each, up to forty of them). Queries
	// beyond maxConns wait their turn.
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
}

func (d sqliteDialect) migrate(ctx context.Context, db *sql.DB) error {
	lockPath := d.path + "-migrate"
	if d.path == Memory {
		lockPath = ""
	}
	return migrateSQLite(ctx, db, lockPath)
}

// serialWrites: a writer that finds a SQLite database locked sleeps in its
// busy handler, by steps growing to 100 ms, however soon the lock is
// released, while a writer waiting on a mutex starts the moment the
// previous one commits. Another process (an import from the command line)
// still waits for the lock with the busy timeout.
func (d sqliteDialect) serialWrites() bool { return true }

// lockNumbers: nothing more to do. The store's writers take turns on its
// mutex, and every transaction is an immediate one (_txlock=immediate):
// another process's writer waits for the database lock before it reads.
func (d sqliteDialect) lockNumbers(*gorm.DB) error { return nil }

// versionQuery: PRAGMA data_version changes when another connection
// commits. The only connection to :memory: cannot be set apart for it, and
// nothing else writes there: no cache.
func (d sqliteDialect) versionQuery() string {
	if d.path == Memory {
		return ""
	}
	return "PRAGMA data_version"
}

func (d sqliteDialect) match(terms []searchTerm, paging bool) (string, any) {
	if paging {
		// A page walks the actions in its order and keeps those the
		// index found: the unary + stops SQLite from starting at every
		// match and sorting them all to keep 15 (26 ms for a word in
		// 30,000 of 100,000 actions, 8 ms this way; 9 ms for a word in
		// none).
		return "+actions.id IN (SELECT docid FROM action_search WHERE action_search MATCH ?)", fts4Query(terms)
	}
	return "actions.id IN (SELECT docid FROM action_search WHERE action_search MATCH ?)", fts4Query(terms)
}

func (d sqliteDialect) countMatches(db *gorm.DB, terms []searchTerm) (int64, error) {
	// Counted in the search index alone: every action is there once.
	var n int64
	err := db.Raw("SELECT COUNT(*) FROM action_search WHERE action_search MATCH ?", fts4Query(terms)).Scan(&n).Error
	return n, err
}

func (d sqliteDialect) tables(db *gorm.DB) ([]string, error) { return sqliteTables(db) }

// resetIDs: SQLite's AUTOINCREMENT continues past the highest ID inserted.
func (d sqliteDialect) resetIDs(*gorm.DB, ...string) error { return nil }

// backup uses VACUUM INTO, which reads one snapshot of the whole database:
// safe while the store is in use.
func (d sqliteDialect) backup(ctx context.Context, db *gorm.DB, path string) error {
	return db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error
}

func (d sqliteDialect) integrityCheck(ctx context.Context, db *gorm.DB) (string, error) {
	var res string
	err := db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&res).Error
	return res, err
}

// postgresDialect is a PostgreSQL database, reached through pgx.
type postgresDialect struct{ url string }

// String is the URL without its password.
func (d postgresDialect) String() string {
	u, err := url.Parse(d.url)
	if err != nil {
		return "PostgreSQL"
	}
	return u.Redacted()
}

func (d postgresDialect) dialector() gorm.Dialector {
	return postgres.New(postgres.Config{DSN: d.url})
}

// postgresConns bounds the connections of one process: each replica takes
// this many from the server's max_connections (100 by default).
const postgresConns = 16

func (d postgresDialect) setPool(db *sql.DB) {
	db.SetMaxOpenConns(postgresConns)
	db.SetMaxIdleConns(postgresConns)
}

// migrate takes goose's session lock — a PostgreSQL advisory lock, which
// the server releases if the process dies — keyed by the database and
// schema, so that replicas of one store migrate once and stores in other
// schemas (the tests') do not wait for each other.
func (d postgresDialect) migrate(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var where string
	if err := conn.QueryRowContext(ctx, "SELECT current_database() || '.' || COALESCE(current_schema(), '')").Scan(&where); err != nil {
		return err
	}
	h := fnv.New64a()
	h.Write([]byte("actionbot migrations " + where))
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64())), lock.WithLockTimeout(1, 600))
	if err != nil {
		return err
	}
	if err := locker.SessionLock(ctx, conn); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer locker.SessionUnlock(context.WithoutCancel(ctx), conn)
	return migrateUp(ctx, db, goose.DialectPostgres, "postgres")
}

// serialWrites: PostgreSQL makes writers of one action wait on its row lock
// (SELECT … FOR UPDATE), whichever replica they run in, and lets others
// proceed.
func (d postgresDialect) serialWrites() bool { return false }

// lockNumbers takes a transaction-scoped advisory lock, keyed by the schema
// (the tests' stores live side by side in one database), which PostgreSQL
// releases at commit or rollback. Without it two replicas creating an
// action at once read the same MAX(number) and the second fails on
// idx_actions_number. Under READ COMMITTED the statement after the lock
// sees what the previous holder committed. Only creations take it: the
// other writers lock the rows they change (lockAction).
func (d postgresDialect) lockNumbers(tx *gorm.DB) error {
	return tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended('actionbot action numbers ' || COALESCE(current_schema(), ''), 0))").Error
}

// versionQuery reads the server's current snapshot — the next transaction
// ID and those still running — which changes whenever a transaction that
// wrote anything starts or ends: a change committed by any replica is seen
// by the next check after it. It needs no table, trigger or counter row
// that every writer would queue on; the price is that other databases'
// writes on the same server empty the cache too.
func (d postgresDialect) versionQuery() string { return "SELECT pg_current_snapshot()::text" }

// searchVector is the column of an action's words, indexed by
// idx_actions_search (migrations/postgres/00004).
const searchVector = "actions.search_vector"

func (d postgresDialect) match(terms []searchTerm, _ bool) (string, any) {
	return searchVector + " @@ to_tsquery('actionbot_search', ?)", tsQuery(terms)
}

func (d postgresDialect) countMatches(db *gorm.DB, terms []searchTerm) (int64, error) {
	cond, arg := d.match(terms, false)
	var n int64
	err := db.Model(&Action{}).Where(cond, arg).Count(&n).Error
	return n, err
}

// tables: a PostgreSQL database is copied with pg_dump, not CopyFrom.
func (d postgresDialect) tables(*gorm.DB) ([]string, error) {
	return nil, fmt.Errorf("copying from PostgreSQL: use pg_dump and pg_restore: %w", errors.ErrUnsupported)
}

func (d postgresDialect) resetIDs(db *gorm.DB, tables ...string) error {
	for _, t := range tables {
		err := db.Exec("SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE((SELECT MAX(id) FROM "+t+"), 0) + 1, false)", t).Error
		if err != nil {
			return fmt.Errorf("%s ids: %w", t, err)
		}
	}
	return nil
}

// errUsePgDump is the answer to a backup of a PostgreSQL store.
var errUsePgDump = fmt.Errorf("a PostgreSQL database is backed up with pg_dump (pg_dump --format=custom --file=actionbot.dump URL), restored with pg_restore: %w", errors.ErrUnsupported)

func (d postgresDialect) backup(context.Context, *gorm.DB, string) error { return errUsePgDump }

func (d postgresDialect) integrityCheck(context.Context, *gorm.DB) (string, error) {
	return "", fmt.Errorf("PostgreSQL checks its own pages and constraints; for more, pg_amcheck: %w", errors.ErrUnsupported)
}

// searchTerm is one word a user searches for: its parts (one for a plain
// word, more for « joué-lès-tours »), folded, each the start of a word of
// the text, in a row.
type searchTerm []string

// fts4Query writes terms as an FTS4 query: every term must appear, a part
// as the start of a word, the parts of one term as a phrase.
func fts4Query(terms []searchTerm) string {
	out := make([]string, len(terms))
	for i, t := range terms {
		parts := make([]string, len(t))
		for j, p := range t {
			parts[j] = p + "*"
		}
		out[i] = strings.Join(parts, " ")
		if len(t) > 1 {
			out[i] = `"` + out[i] + `"`
		}
	}
	return strings.Join(out, " ")
}

// tsQuery writes terms as a PostgreSQL tsquery that means what fts4Query
// means: prefixes (:*), followed by (<->), and (&).
func tsQuery(terms []searchTerm) string {
	out := make([]string, len(terms))
	for i, t := range terms {
		parts := make([]string, len(t))
		for j, p := range t {
			parts[j] = p + ":*"
		}
		out[i] = "(" + strings.Join(parts, " <-> ") + ")"
	}
	return strings.Join(out, " & ")
}

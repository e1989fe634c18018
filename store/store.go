package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Memory is the path that opens a private in-memory database, as the demo
// console does.
const Memory = ":memory:"

// maxConns bounds the connections to a database file: enough for reads to
// use both cores while one writes, few enough to keep each one's page
// cache warm.
const maxConns = 8

// Store is the action plan in a SQLite database.
type Store struct {
	db      *gorm.DB
	writing sync.Mutex // held by the transaction that writes
	cache   *readCache // nil for Memory
	// Now is the store's clock: journal entries and timestamps read it.
	// Tests replace it.
	Now func() time.Time
}

// Open opens (creating if needed) the SQLite database at path — or a private
// in-memory one for Memory — and brings its schema up to date.
func Open(path string) (*Store, error) {
	s := &Store{Now: time.Now}
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	var dsn string
	if path == Memory {
		dsn = "file::memory:?" + q.Encode()
	} else {
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
		// Escape the path: a '?' or '#' in a file name would otherwise
		// end it early and open another file.
		dsn = "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	}
	db, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return s.Now().UTC() },
		SkipDefaultTransaction: true,
		TranslateError:         true,
	})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if path == Memory {
		// Each connection to :memory: is its own database: keep one.
		sqlDB.SetMaxOpenConns(1)
	} else {
		// A bounded pool whose connections stay open. database/sql's
		// default opens as many connections as there are queries at
		// once and keeps two: under forty requests at once it opened and
		// closed SQLite connections all the time, each re-reading the
		// schema and starting a cold page cache of its own (2 MB each,
		// up to forty of them). Queries beyond maxConns wait their turn.
		sqlDB.SetMaxOpenConns(maxConns)
		sqlDB.SetMaxIdleConns(maxConns)
	}
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s.db = db
	lock := ""
	if path != Memory {
		lock = path + "-migrate"
	}
	if err := migrateSQLite(context.Background(), sqlDB, lock, func() error { return db.AutoMigrate(notYetMigrated...) }); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if path != Memory {
		// The only connection to :memory: cannot be set apart.
		s.cache = newReadCache(sqlDB)
	}
	return s, nil
}

// notYetMigrated are the tables of features that landed on main before
// versioned migrations and still count on AutoMigrate. Each moves into a
// migration of its owner's range (store/migrations/), in both dialects,
// and leaves this list; when it is empty, the list goes.
var notYetMigrated = []any{}

// Close closes the database.
func (s *Store) Close() error {
	if s.cache != nil {
		s.cache.close()
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks that the database answers, for health checks.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.db.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
}

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict ("ok"
// for a sound database).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	err := s.db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&res).Error
	return res, err
}

// Backup writes a consistent copy of the database to path with VACUUM INTO;
// it is safe while the store is in use. path must not exist yet.
func (s *Store) Backup(ctx context.Context, path string) error {
	if err := s.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// tx runs fn in one immediate transaction, then empties the read cache.
// The store's writers take turns on a mutex before they ask SQLite: a
// writer that finds the database locked sleeps in SQLite's busy handler,
// by steps growing to 100 ms, however soon the lock is released, while a
// writer waiting on the mutex starts the moment the previous one commits.
// Another process (an import from the command line) still waits for the
// lock with the busy timeout.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	s.writing.Lock()
	defer s.writing.Unlock()
	err := s.db.WithContext(ctx).Transaction(fn)
	if s.cache != nil {
		// Before the change is answered, so that its author sees it.
		s.cache.empty()
	}
	return err
}

// notFound turns GORM's not-found into ErrNotFound.
func notFound(err error, what string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return err
}

// Fold lower-cases s and strips its accents, so that "Échéance" and
// "echeance" compare equal. Search and the command parser both use it.
func Fold(s string) string {
	if isASCII(s) {
		// Nothing to strip: the parser folds every word of every
		// command, and most are plain ASCII.
		return strings.ToLower(s)
	}
	// A transform chain keeps state between calls: never shared by two
	// at once, and reused, since making one allocates some 8 KB.
	folder := folders.Get().(transform.Transformer)
	defer folders.Put(folder)
	folder.Reset()
	out, _, err := transform.String(folder, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

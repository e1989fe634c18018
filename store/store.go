package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
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

// Store is the action plan in a SQLite or PostgreSQL database.
type Store struct {
	db      *gorm.DB
	dialect dialect
	writing *sync.Mutex // held by the transaction that writes; nil: the database's row locks suffice
	cache   *readCache  // nil: none
	// importPrepared, when set, runs between an import's preparation and
	// its writing (tests change the plan there).
	importPrepared func()
	// Now is the store's clock: journal entries and timestamps read it.
	// Tests replace it.
	Now func() time.Time
}

// Open opens (creating if needed) the SQLite database at path — or a private
// in-memory one for Memory — and brings its schema up to date.
func Open(path string) (*Store, error) {
	return open(sqliteDialect{path: path})
}

// OpenPostgres opens the PostgreSQL database at url
// (postgres://user:password@host:5432/db?sslmode=require) and brings its
// schema up to date. Any number of processes may open one database: they
// migrate it once, and each sees the others' changes.
func OpenPostgres(url string) (*Store, error) {
	return open(postgresDialect{url: url})
}

// OpenDriver opens the store that driver (DriverSQLite or DriverPostgres)
// finds at source: a file path or a URL.
func OpenDriver(driver, source string) (*Store, error) {
	switch driver {
	case DriverSQLite, "":
		return Open(source)
	case DriverPostgres:
		return OpenPostgres(source)
	}
	return nil, fmt.Errorf("store driver %q: want %q or %q: %w", driver, DriverSQLite, DriverPostgres, ErrInvalid)
}

func open(d dialect) (*Store, error) {
	s := &Store{Now: time.Now, dialect: d}
	db, err := gorm.Open(d.dialector(), &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return s.Now().UTC() },
		SkipDefaultTransaction: true,
		TranslateError:         true,
	})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", d, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", d, err)
	}
	d.setPool(sqlDB)
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", d, err)
	}
	s.db = db
	if err := d.migrate(context.Background(), sqlDB); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", d, err)
	}
	if d.serialWrites() {
		s.writing = new(sync.Mutex)
	}
	if q := d.versionQuery(); q != "" {
		s.cache = newReadCache(sqlDB, q)
	}
	return s, nil
}

// String names the database: its file, or its URL without the password.
func (s *Store) String() string { return s.dialect.String() }

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

// IntegrityCheck runs SQLite's PRAGMA integrity_check and returns its
// verdict ("ok" for a sound database). On PostgreSQL it fails with
// errors.ErrUnsupported.
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	return s.dialect.integrityCheck(ctx, s.db)
}

// Backup writes a consistent copy of a SQLite database to path with VACUUM
// INTO; it is safe while the store is in use. path must not exist yet. On
// PostgreSQL it fails with errors.ErrUnsupported and says to use pg_dump.
func (s *Store) Backup(ctx context.Context, path string) error {
	if err := s.dialect.backup(ctx, s.db, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// tx runs fn in one transaction (an immediate one on SQLite), then empties
// the read cache. On SQLite the store's writers first take turns on a
// mutex (see sqliteDialect.serialWrites); on PostgreSQL a change locks the
// rows it reads to write (lockAction).
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.writing != nil {
		s.writing.Lock()
		defer s.writing.Unlock()
	}
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

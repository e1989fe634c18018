package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

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

// Store is the action plan in a SQLite database.
type Store struct {
	db *gorm.DB
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
	}
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s.db = db
	if err := s.migrate(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) migrate() error {
	return s.db.AutoMigrate(&Axis{}, &Programme{}, &Group{}, &Action{}, &Contributor{}, &JournalEntry{}, &Meeting{}, &setting{}, &Delivery{})
}

// Close closes the database.
func (s *Store) Close() error {
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

// tx runs fn in one immediate transaction.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.db.WithContext(ctx).Transaction(fn)
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
	// A transform chain keeps state between calls: one per call, so that
	// concurrent requests never share it.
	folder := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(folder, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

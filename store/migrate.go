package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
)

// The schema is a series of versioned SQL migrations, one folder per
// dialect, embedded in the binary and applied at Open by
// github.com/pressly/goose/v3. Goose was chosen because it reads
// migrations from an embed.FS, keeps plain SQL files per dialect (FTS4
// triggers for SQLite, a text-search configuration for PostgreSQL), is
// driven from Go (goose.Provider, no CLI or global state), and on
// PostgreSQL serialises replicas starting together with its session
// locker (an advisory lock). golang-migrate would do most of this, but
// needs a driver package per database and a lock it re-implements.
//
// Adding a migration: a file NNNNN_what.sql in both migrations/sqlite and
// migrations/postgres (same version, within the range of the issue),
// beginning with "-- +goose Up". TestMigrationsInStep checks that both
// dialects list the same versions.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// versionTable is where goose records the migrations applied.
const versionTable = "goose_db_version"

// baseline is the version that reproduces the schema AutoMigrate made
// before migrations were versioned.
const baseline = 1

// migrateSQLite brings the SQLite database db up to the latest version.
// lockPath names a file locked while it runs, so that two processes
// opening one database at once migrate it once; "" for a private
// in-memory database.
func migrateSQLite(ctx context.Context, db *sql.DB, lockPath string) error {
	if lockPath != "" {
		unlock, err := lockFile(lockPath)
		if err != nil {
			return err
		}
		defer unlock()
	}
	if err := adoptAutoMigrated(ctx, db); err != nil {
		return fmt.Errorf("adopt schema: %w", err)
	}
	return migrateUp(ctx, db, goose.DialectSQLite3, "sqlite")
}

// migrateUp applies the migrations of folder dir not yet applied to db.
func migrateUp(ctx context.Context, db *sql.DB, dialect goose.Dialect, dir string, opts ...goose.ProviderOption) error {
	fsys, err := fs.Sub(migrationFiles, "migrations/"+dir)
	if err != nil {
		return err
	}
	// Each issue numbers its migrations in a range of its own, and they
	// land in any order: a database at 00041 still takes a 00004 that
	// landed after it.
	opts = append(opts, goose.WithDisableGlobalRegistry(true), goose.WithAllowOutofOrder(true))
	p, err := goose.NewProvider(dialect, db, fsys, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	// Not p.Close: it would close db.
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// lockFile takes an exclusive lock on the file at path, creating it, and
// returns what releases it. The kernel releases it if the process dies.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("migration lock %s: %w", path, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// adoptAutoMigrated records a database made by GORM's AutoMigrate — it
// has tables but no version table — as being at the baseline, without
// re-creating anything. What an older AutoMigrate had not made yet (a
// table, a column, an index, the search index and its triggers) is added
// first, as AutoMigrate would have, so that the database matches the
// baseline before later migrations run. All of it in one transaction.
func adoptAutoMigrated(ctx context.Context, db *sql.DB) error {
	has := func(q querier, name string) (bool, error) {
		var n int
		err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name = ?", name).Scan(&n)
		return n > 0, err
	}
	if ok, err := has(db, versionTable); err != nil || ok {
		return err
	}
	if ok, err := has(db, "actions"); err != nil || !ok {
		return err // a new database: the migrations make everything
	}
	want, err := baselineSchema(ctx)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if ok, err := has(tx, versionTable); err != nil || ok {
		return err // another process adopted it meanwhile
	}
	searchMade := false
	for _, o := range want.objects {
		ok, err := has(tx, o.name)
		if err != nil {
			return err
		}
		if !ok {
			if _, err := tx.ExecContext(ctx, o.sql); err != nil {
				return fmt.Errorf("%s: %w", o.name, err)
			}
			searchMade = searchMade || o.name == "action_search"
			continue
		}
		if o.kind != "table" {
			continue
		}
		have, err := columns(ctx, tx, o.name)
		if err != nil {
			return err
		}
		for _, c := range want.columns[o.name] {
			if _, ok := have[c.name]; !ok {
				if _, err := tx.ExecContext(ctx, "ALTER TABLE `"+o.name+"` ADD COLUMN "+c.definition()); err != nil {
					return fmt.Errorf("%s.%s: %w", o.name, c.name, err)
				}
			}
		}
	}
	if searchMade {
		// The actions written before the index existed.
		if _, err := tx.ExecContext(ctx, "INSERT INTO action_search(action_search) VALUES ('rebuild')"); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	versions, err := database.NewStore(database.DialectSQLite3, versionTable)
	if err != nil {
		return err
	}
	if err := versions.CreateVersionTable(ctx, tx); err != nil {
		return err
	}
	for _, v := range []int64{0, baseline} {
		if err := versions.Insert(ctx, tx, database.InsertRequest{Version: v}); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// querier is what a *sql.DB and a *sql.Tx share.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// schema is what sqlite_master and table_info say of a database.
type schema struct {
	objects []schemaObject // in the order they were made
	columns map[string][]column
}

type schemaObject struct{ kind, name, sql string }

type column struct {
	name, typ string
	notNull   bool
	dflt      sql.NullString
}

// definition is the column as ALTER TABLE ADD COLUMN takes it: SQLite adds
// a NOT NULL column only with a default.
func (c column) definition() string {
	d := "`" + c.name + "` " + c.typ
	if c.dflt.Valid {
		if c.notNull {
			d += " NOT NULL"
		}
		d += " DEFAULT " + c.dflt.String
	}
	return d
}

// baselineSchema applies the migrations up to the baseline to a private
// in-memory database and reads its schema back.
func baselineSchema(ctx context.Context) (schema, error) {
	db, err := sql.Open("sqlite3", "file::memory:")
	if err != nil {
		return schema{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	fsys, err := fs.Sub(migrationFiles, "migrations/sqlite")
	if err != nil {
		return schema{}, err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return schema{}, err
	}
	if _, err := p.UpTo(ctx, baseline); err != nil {
		return schema{}, err
	}
	return readSchema(ctx, db)
}

// readSchema lists the tables, indexes and triggers of db but those SQLite
// and goose make on their own: FTS4's shadow tables, sqlite_sequence, the
// version table.
func readSchema(ctx context.Context, db *sql.DB) (schema, error) {
	s := schema{columns: map[string][]column{}}
	rows, err := db.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_master
		WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name != ? ORDER BY rowid`, versionTable)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.kind, &o.name, &o.sql); err != nil {
			return s, err
		}
		if o.kind == "table" && strings.HasPrefix(o.sql, "CREATE TABLE IF NOT EXISTS '") {
			continue // a shadow table of a virtual one, made with it
		}
		s.objects = append(s.objects, o)
	}
	if err := rows.Err(); err != nil {
		return s, err
	}
	for _, o := range s.objects {
		if o.kind != "table" || strings.HasPrefix(o.sql, "CREATE VIRTUAL") {
			continue
		}
		cs, err := columnList(ctx, db, o.name)
		if err != nil {
			return s, err
		}
		s.columns[o.name] = cs
	}
	return s, nil
}

func columns(ctx context.Context, q querier, table string) (map[string]column, error) {
	cs, err := columnList(ctx, q, table)
	m := map[string]column{}
	for _, c := range cs {
		m[c.name] = c
	}
	return m, err
}

func columnList(ctx context.Context, q querier, table string) ([]column, error) {
	rows, err := q.QueryContext(ctx, "SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.name, &c.typ, &c.notNull, &c.dflt); err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

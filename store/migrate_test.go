package store_test

import (
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	_ "github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// legacyDB writes, at a new path, a database as actionbot made it before
// migrations were versioned (testdata/automigrated.sql: GORM's AutoMigrate
// and the search index of the time, with the demo plan), after running
// the SQL statements alter on it.
func legacyDB(t *testing.T, alter ...string) string {
	t.Helper()
	script, err := os.ReadFile("testdata/automigrated.sql")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "legacy.db")
	tx, err := rawOpen(t, path).Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range append([]string{string(script)}, alter...) {
		if _, err := tx.Exec(stmt); err != nil {
			t.Fatalf("%.60s: %v", stmt, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return path
}

func rawOpen(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// sqliteSchema is what `sqlite3 FILE .schema` shows, one statement a line,
// sorted, without goose's version table.
func sqliteSchema(t *testing.T, path string) []string {
	t.Helper()
	return schemaLines(t, rawOpen(t, path), `SELECT sql FROM sqlite_master
		WHERE sql IS NOT NULL AND name != 'goose_db_version'`)
}

func versions(t *testing.T, path string) []int64 {
	t.Helper()
	rows, err := rawOpen(t, path).Query("SELECT version_id FROM goose_db_version ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var vs []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	return vs
}

func openPath(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return now }
	t.Cleanup(func() { s.Close() })
	return s
}

// sqliteOnly skips a test of SQLite's own migrations in the PostgreSQL
// pass: it opens SQLite files whatever the pass.
func sqliteOnly(t *testing.T) {
	if storetest.OnPostgres() {
		t.Skip("SQLite files: tested in the first pass")
	}
}

// migrationVersions lists the versions of the migrations of a dialect.
func migrationVersions(t *testing.T, dialect string) []string {
	t.Helper()
	files, err := fs.Glob(os.DirFS("migrations/"+dialect), "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	var vs []string
	for _, f := range files {
		v, _, _ := strings.Cut(f, "_")
		vs = append(vs, v)
	}
	return vs
}

// TestMigrationsInStep: both dialects have the same versions, so that a
// database moved from one to the other (actionbot migrate) is at the same
// place in both.
func TestMigrationsInStep(t *testing.T) {
	sqlite, postgres := migrationVersions(t, "sqlite"), migrationVersions(t, "postgres")
	if len(sqlite) == 0 {
		t.Fatal("no migration")
	}
	if diff := cmp.Diff(sqlite, postgres); diff != "" {
		t.Errorf("migration versions, sqlite (-) and postgres (+):\n%s", diff)
	}
}

// TestBaselineIsAutoMigrateSchema: the baseline migration makes the
// schema, statement for statement, that AutoMigrate made before migrations
// were versioned.
func TestBaselineIsAutoMigrateSchema(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "baseline.db")
	p, err := goose.NewProvider(goose.DialectSQLite3, rawOpen(t, path), os.DirFS("migrations/sqlite"), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sqliteSchema(t, legacyDB(t)), sqliteSchema(t, path)); diff != "" {
		t.Errorf("schema, AutoMigrate (-) and migrations (+):\n%s", diff)
	}
}

// TestOpenAdoptsAutoMigrated: a database made by AutoMigrate is recorded
// at the baseline without being re-created: its plan stays, and it ends
// with the schema of a new database.
func TestOpenAdoptsAutoMigrated(t *testing.T) {
	sqliteOnly(t)
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	openPath(t, fresh).Close()
	for _, tc := range []struct {
		name  string
		alter []string
	}{
		{name: "as made by the last AutoMigrate"},
		{name: "older: no search index, no outbox, an index and a column missing", alter: []string{
			"DROP TRIGGER action_search_insert", "DROP TRIGGER action_search_before_update",
			"DROP TRIGGER action_search_after_update", "DROP TRIGGER action_search_delete",
			"DROP TABLE action_search", "DROP TABLE deliveries", "DROP INDEX idx_actions_due_order",
			"ALTER TABLE meetings DROP COLUMN created_by",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := legacyDB(t, tc.alter...)
			s := openPath(t, path)
			ctx := context.Background()
			if _, _, n, err := s.NumberRange(ctx); err != nil || n != 52 {
				t.Errorf("NumberRange: %d actions, %v; want the demo plan's 52", n, err)
			}
			if got := numbers(t, s, "investisseurs"); !slices.Equal(got, []int{23}) {
				t.Errorf("search = %v, want [23]", got)
			}
			// Writes go on: the journal, and the search index's triggers.
			if _, err := s.AddNote(ctx, 23, "pépinière", "U1"); err != nil {
				t.Fatal(err)
			}
			if got := numbers(t, s, "pepiniere"); !slices.Equal(got, []int{23}) {
				t.Errorf("search after a note = %v, want [23]", got)
			}
			s.Close()
			if got, want := sqliteSchema(t, path), sqliteSchema(t, fresh); !cmp.Equal(got, want) {
				// The tables AutoMigrate altered keep their own CREATE
				// statement; what matters is what they hold.
				if diff := cmp.Diff(names(t, fresh), names(t, path)); diff != "" {
					t.Errorf("tables, indexes and triggers, new (-) and adopted (+):\n%s", diff)
				}
			}
			if got, want := versions(t, path), versions(t, fresh); !slices.Equal(got, want) {
				t.Errorf("versions = %v, want those of a new database %v", got, want)
			}
			// Opening again changes nothing.
			before := sqliteSchema(t, path)
			openPath(t, path).Close()
			if diff := cmp.Diff(before, sqliteSchema(t, path)); diff != "" {
				t.Errorf("second open changed the schema:\n%s", diff)
			}
		})
	}
}

// names lists the tables, indexes and triggers of the database at path,
// each with its columns for a table.
func names(t *testing.T, path string) []string {
	t.Helper()
	db := rawOpen(t, path)
	rows, err := db.Query(`SELECT type, name FROM sqlite_master WHERE sql IS NOT NULL AND name != 'goose_db_version' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var kind, name string
		if err := rows.Scan(&kind, &name); err != nil {
			t.Fatal(err)
		}
		out = append(out, kind+" "+name)
	}
	rows.Close()
	for i, o := range out {
		kind, name, _ := strings.Cut(o, " ")
		if kind != "table" {
			continue
		}
		var cols []string
		crows, err := db.Query("SELECT name || ' ' || type || ' ' || \"notnull\" || ' ' || ifnull(dflt_value, '') FROM pragma_table_info(?)", name)
		if err != nil {
			t.Fatal(err)
		}
		for crows.Next() {
			var c string
			crows.Scan(&c)
			cols = append(cols, c)
		}
		crows.Close()
		slices.Sort(cols)
		out[i] += " (" + strings.Join(cols, ", ") + ")"
	}
	return out
}

// TestOpenMigratesOnce: processes opening one new database at once — here
// stores in one process, each with its own connections — make its schema
// once between them.
func TestOpenMigratesOnce(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "plan.db")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := store.Open(path)
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if vs := versions(t, path); len(vs) != len(migrationVersions(t, "sqlite"))+1 {
		t.Errorf("versions recorded = %v, want each migration once after 0", vs)
	}
}

// TestMigrationsOutOfOrder: a database that has every migration but one of
// a lower version — one that landed after the others — takes it at Open.
func TestMigrationsOutOfOrder(t *testing.T) {
	sqliteOnly(t)
	path := filepath.Join(t.TempDir(), "plan.db")
	vs := migrationVersions(t, "sqlite")
	if len(vs) < 3 {
		t.Skip("too few migrations")
	}
	missing, err := strconv.ParseInt(vs[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, rawOpen(t, path), os.DirFS("migrations/sqlite"),
		goose.WithDisableGlobalRegistry(true), goose.WithExcludeVersions([]int64{missing}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(context.Background()); err != nil {
		t.Fatal(err)
	}
	openPath(t, path).Close()
	if got := versions(t, path); !slices.Contains(got, missing) {
		t.Errorf("versions = %v, want %d applied too", got, missing)
	}
}

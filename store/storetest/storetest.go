// Package storetest opens plans for the tests and benchmarks of the
// packages above store: the demo plan, and generated plans of any size,
// generated once and cached between runs. They open on SQLite, or on
// PostgreSQL in a schema of their own for the second pass of RunBoth.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql's "pgx", for the schemas
	"github.com/tours-metropole/actionbot/store"
)

// PostgresEnv names the variable that gives the tests a PostgreSQL server
// where they may create and drop schemas:
// postgres://root@127.0.0.1:5432/test?sslmode=disable on the development
// and CI machines. Unset, the tests that need it are skipped.
const PostgresEnv = "ACTIONBOT_TEST_POSTGRES_URL"

// onPostgres makes Empty, Demo and Generated open PostgreSQL stores: the
// second pass of RunBoth.
var onPostgres bool

// RunBoth runs the tests of a package on SQLite, then, when PostgresEnv is
// set, once more with every store that Empty, Demo and Generated open on
// PostgreSQL, each in a schema of its own. A package's TestMain calls it:
// os.Exit(storetest.RunBoth(m)).
func RunBoth(m *testing.M) int {
	code := m.Run()
	if os.Getenv(PostgresEnv) == "" {
		fmt.Printf("storetest: %s is not set: the tests ran on SQLite only\n", PostgresEnv)
		return code
	}
	fmt.Println("storetest: the same tests again, with their stores on PostgreSQL")
	onPostgres = true
	defer func() { onPostgres = false }()
	if c := m.Run(); c != 0 {
		code = c
	}
	return code
}

// OnPostgres reports whether the stores of this pass are on PostgreSQL.
func OnPostgres() bool { return onPostgres }

// PostgresURL returns the URL of a new, empty schema of the test
// PostgreSQL server, dropped when the test ends, or skips the test when
// PostgresEnv is not set.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skipf("%s is not set: no PostgreSQL to test against", PostgresEnv)
	}
	admin, err := adminDB(base)
	if err != nil {
		tb.Fatal(err)
	}
	schema := "t_" + strings.ToLower(rand.Text()[:16])
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	// public for the extension unaccent, which a database holds once.
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	tb.Logf("store on PostgreSQL, schema %s", schema)
	return u.String()
}

var admin struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// adminDB returns the connection that makes and drops the schemas, having
// installed unaccent in public once: two schemas' migrations each
// installing it at once would collide.
func adminDB(url string) (*sql.DB, error) {
	admin.once.Do(func() {
		admin.db, admin.err = sql.Open("pgx", url)
		if admin.err != nil {
			return
		}
		admin.db.SetMaxOpenConns(2)
		_, admin.err = admin.db.Exec("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
		if admin.err != nil {
			admin.err = fmt.Errorf("%s: %w", PostgresEnv, admin.err)
		}
	})
	return admin.db, admin.err
}

// Postgres opens an empty store in a new schema of the test PostgreSQL
// server, dated Now, or skips the test when there is none.
func Postgres(tb testing.TB) *store.Store {
	tb.Helper()
	s, err := store.OpenPostgres(PostgresURL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return dated(tb, s)
}

// Paris is the time zone of the plans.
var Paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// Now is the clock of the plans this package opens: Thursday 26 November
// 2026, 10:00 in Paris, the fixed now of the tests.
var Now = time.Date(2026, 11, 26, 10, 0, 0, 0, Paris)

// Version names the generated plans cached in os.TempDir(). Bump it when
// store.GeneratePlan or the schema changes, so that no benchmark runs on a
// file made by an older generator.
const Version = 5

// Empty opens an empty store in a file under tb.TempDir() (in a schema of
// its own in RunBoth's PostgreSQL pass), dated Now and closed when the test
// ends.
func Empty(tb testing.TB) *store.Store {
	tb.Helper()
	if onPostgres {
		return Postgres(tb)
	}
	return open(tb, filepath.Join(tb.TempDir(), "plan.db"))
}

// BenchPlans are the plans the benchmarks run on: the demo and a generated
// plan of nActions actions and nJournal journal entries, on SQLite, and on
// PostgreSQL too when PostgresEnv is set ("pg-demo", "pg-100k").
func BenchPlans(nActions, nJournal int, big string) []BenchPlan {
	plans := []BenchPlan{
		{"demo", Demo},
		{big, func(tb testing.TB) *store.Store { return Generated(tb, nActions, nJournal) }},
	}
	if os.Getenv(PostgresEnv) != "" {
		plans = append(plans,
			BenchPlan{"pg-demo", func(tb testing.TB) *store.Store {
				s := Postgres(tb)
				if err := s.SeedDemo(context.Background(), Paris); err != nil {
					tb.Fatal(err)
				}
				return s
			}},
			BenchPlan{"pg-" + big, func(tb testing.TB) *store.Store { return PostgresGenerated(tb, nActions, nJournal) }})
	}
	return plans
}

// BenchPlan is one plan of BenchPlans.
type BenchPlan struct {
	Name string
	Open func(testing.TB) *store.Store
}

// PostgresGenerated opens the plan GeneratePlan makes, in a schema of the
// test PostgreSQL server kept between runs (bench_v3_100000_1000000):
// generated at the first call, reused after. Unlike Generated, what a
// benchmark writes stays in it (a few notes).
func PostgresGenerated(tb testing.TB, nActions, nJournal int) *store.Store {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skipf("%s is not set", PostgresEnv)
	}
	admin, err := adminDB(base)
	if err != nil {
		tb.Fatal(err)
	}
	schema := fmt.Sprintf("bench_v%d_%d_%d", Version, nActions, nJournal)
	if _, err := admin.Exec("CREATE SCHEMA IF NOT EXISTS " + schema); err != nil {
		tb.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	s, err := store.OpenPostgres(u.String())
	if err != nil {
		tb.Fatal(err)
	}
	dated(tb, s)
	ctx := context.Background()
	if _, _, n, err := s.NumberRange(ctx); err != nil {
		tb.Fatal(err)
	} else if n == 0 {
		start := time.Now()
		tb.Logf("generating a plan of %d actions and %d journal entries into PostgreSQL schema %s (once)", nActions, nJournal, schema)
		if err := s.GeneratePlan(ctx, nActions, nJournal); err != nil {
			tb.Fatal(err)
		}
		// VACUUM as autovacuum would, in time, after so many inserts:
		// until then no index-only scan reads an index alone (every
		// row's visibility is checked in the table), which is not the
		// state of a database in service.
		if _, err := admin.Exec("VACUUM ANALYZE " + schema + ".actions, " + schema + ".journal_entries, " + schema + ".contributors"); err != nil {
			tb.Fatal(err)
		}
		tb.Logf("generated in %s", time.Since(start).Round(time.Millisecond))
	}
	return s
}

// Replicas opens n stores on one new, empty database, as n processes
// would: a file under tb.TempDir(), or a schema of its own in RunBoth's
// PostgreSQL pass. They are dated Now and closed when the test ends.
func Replicas(tb testing.TB, n int) []*store.Store {
	tb.Helper()
	driver, source := store.DriverSQLite, filepath.Join(tb.TempDir(), "plan.db")
	if onPostgres {
		driver, source = store.DriverPostgres, PostgresURL(tb)
	}
	out := make([]*store.Store, n)
	for i := range out {
		s, err := store.OpenDriver(driver, source)
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = dated(tb, s)
	}
	return out
}

// Demo opens the demo plan, seeded as of Now, in a file under tb.TempDir()
// (or as Empty does).
func Demo(tb testing.TB) *store.Store {
	tb.Helper()
	s := Empty(tb)
	if err := s.SeedDemo(context.Background(), Paris); err != nil {
		tb.Fatal(err)
	}
	return s
}

// Generated opens a private copy of the plan store.GeneratePlan makes with
// nActions actions and nJournal journal entries as of Now. The first call
// generates it into os.TempDir() under a name that says its version and
// size (actionbot-plan-v5-100000-1000000.db); later calls, in this run or
// the next, copy that file, so that a benchmark's writes never reach the
// cache and a rerun starts in a second.
func Generated(tb testing.TB, nActions, nJournal int) *store.Store {
	tb.Helper()
	cache, err := CachedPlan(nActions, nJournal, tb.Logf)
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "plan.db")
	if err := copyFile(cache, path); err != nil {
		tb.Fatal(err)
	}
	return open(tb, path)
}

// CachedPlan returns the path of the cached generated plan of this size,
// generating it first if it is not there; logf tells that it does. The
// file is shared: open a copy of it.
func CachedPlan(nActions, nJournal int, logf func(format string, args ...any)) (string, error) {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("actionbot-plan-v%d-%d-%d.db", Version, nActions, nJournal))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	// Generate beside it and rename: a run that dies half-way, or two
	// packages generating at once, never leave a partial file under the
	// cache's name.
	tmp, err := os.MkdirTemp(os.TempDir(), "actionbot-plan-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	start := time.Now()
	logf("generating a plan of %d actions and %d journal entries into %s (once: later runs reuse it)", nActions, nJournal, path)
	s, err := store.Open(filepath.Join(tmp, "plan.db"))
	if err != nil {
		return "", err
	}
	s.Now = func() time.Time { return Now }
	if err := s.GeneratePlan(context.Background(), nActions, nJournal); err != nil {
		s.Close()
		return "", err
	}
	if err := s.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(filepath.Join(tmp, "plan.db"), path); err != nil {
		return "", err
	}
	logf("generated in %s", time.Since(start).Round(time.Millisecond))
	return path, nil
}

func open(tb testing.TB, path string) *store.Store {
	tb.Helper()
	s, err := store.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	return dated(tb, s)
}

// dated sets s's clock to Now and closes it when the test ends.
func dated(tb testing.TB, s *store.Store) *store.Store {
	tb.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return Now }
	return s
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	// Written out before the caller measures anything: the kernel
	// flushing 250 MB in the background slowed the first benchmark run
	// after a copy by half.
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

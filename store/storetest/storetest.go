// Package storetest opens plans for the tests and benchmarks of the
// packages above store: the demo plan, and generated plans of any size,
// generated once and cached between runs.
package storetest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/store"
)

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
const Version = 4

// Empty opens an empty store in a file under tb.TempDir(), dated Now and
// closed when the test ends.
func Empty(tb testing.TB) *store.Store {
	tb.Helper()
	return open(tb, filepath.Join(tb.TempDir(), "plan.db"))
}

// Demo opens the demo plan, seeded as of Now, in a file under tb.TempDir().
func Demo(tb testing.TB) *store.Store {
	tb.Helper()
	s := open(tb, filepath.Join(tb.TempDir(), "plan.db"))
	if err := s.SeedDemo(context.Background(), Paris); err != nil {
		tb.Fatal(err)
	}
	return s
}

// Generated opens a private copy of the plan store.GeneratePlan makes with
// nActions actions and nJournal journal entries as of Now. The first call
// generates it into os.TempDir() under a name that says its version and
// size (actionbot-plan-v3-100000-1000000.db); later calls, in this run or
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

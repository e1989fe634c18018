package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tours-metropole/actionbot/spreadsheet"
	"github.com/tours-metropole/actionbot/store"
)

// migrateStore copies a SQLite database into the configured store — a
// PostgreSQL database, or another SQLite file — which must be empty: the
// way from one server to several replicas (README « Scaling »).
func (m *Main) migrateStore(ctx context.Context, g globals, args []string) error {
	flags := m.flags("migrate", "--from FILE.db", "Copies everything a SQLite database holds — plan, journal, meetings, outbox history, links and\n"+
		"the rest — into the configured store ([store] driver and url, or path), which must be empty, in\n"+
		"one transaction; then checks that every table holds as many rows, and that both export the same\n"+
		"CSV. Stop the bot that uses FILE first. FILE is brought to the current schema if it is older.")
	from := flags.String("from", "", "the SQLite database to copy")
	if help, err := parse(flags, args); help || err != nil {
		return err
	}
	if *from == "" || flags.NArg() > 0 {
		return usagef("migrate takes --from FILE.db and nothing else")
	}
	c, err := m.config(g)
	if err != nil {
		return err
	}
	if _, err := os.Stat(*from); err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	driver, source := c.StoreSource()
	if driver == store.DriverSQLite && sameFile(*from, source) {
		return usagef("--from %s is the configured database itself", *from)
	}
	src, err := store.Open(*from)
	if err != nil {
		return err
	}
	defer src.Close()
	// Not openStore, which would sync the configured groups into a store
	// that must be found empty: serve syncs them when it starts.
	dst, err := store.OpenDriver(driver, source)
	if err != nil {
		return err
	}
	defer dst.Close()
	dst.Now = m.Now
	counts, err := dst.CopyFrom(ctx, src)
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("%w — copy into a new, empty database", err)
	}
	if err != nil {
		return err
	}
	var csv [2]bytes.Buffer
	for i, s := range []*store.Store{src, dst} {
		if err := spreadsheet.Export(ctx, s, &csv[i], spreadsheet.CSV, c.Location, m.Now(), nil); err != nil {
			return err
		}
	}
	if !bytes.Equal(csv[0].Bytes(), csv[1].Bytes()) {
		return fmt.Errorf("the copy in %s does not export the same CSV as %s: do not use it", dst, *from)
	}
	var parts []string
	for _, t := range counts {
		parts = append(parts, fmt.Sprintf("%s %d", t.Table, t.Rows))
	}
	fmt.Fprintf(m.Stdout, "%s copied into %s: %s; row counts checked, CSV export identical\n", *from, dst, strings.Join(parts, ", "))
	return nil
}

// sameFile reports whether two paths name one file.
func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	absA, _ := filepath.Abs(a)
	absB, _ := filepath.Abs(b)
	return absA == absB
}

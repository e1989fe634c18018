package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/tours-metropole/actionbot/store"
)

// backup writes a consistent copy of the configured database to a new
// file with SQLite's VACUUM INTO, which reads one snapshot of the whole
// database: it runs while "actionbot serve" answers and writes, and the
// copy holds each change whole or not at all. The copy is checked
// (PRAGMA integrity_check) before it is reported. With --keep N DIR it
// writes a dated copy into DIR and then removes the oldest dated copies
// beyond N — what a daily timer runs.
func (m *Main) backup(ctx context.Context, g globals, args []string) error {
	flags := m.flags("backup", "FILE | --keep N DIR", "Writes a consistent copy of the database (plan, journal, meetings, outbox) to FILE, with\n"+
		"SQLite's VACUUM INTO: safe while the bot serves. FILE must not exist; the copy is checked\n"+
		"before it is reported. With --keep N DIR, writes DIR/<database>-<UTC date and time>.db and\n"+
		"removes the oldest such copies so that N remain. To restore, stop the bot and put the copy\n"+
		"in place of [store] path. A PostgreSQL store ([store] driver = \"postgres\") is backed up\n"+
		"with pg_dump instead.")
	keep := flags.Int("keep", 0, "write a dated copy into the folder DIR and keep the N newest")
	if help, err := parse(flags, args); help || err != nil {
		return err
	}
	if flags.NArg() != 1 {
		return usagef("backup takes one FILE, which must not exist (or --keep N DIR)")
	}
	if *keep < 0 || (*keep == 0 && flagGiven(flags, "keep")) {
		return usagef("--keep %d: keep at least one copy", *keep)
	}
	c, err := m.config(g)
	if err != nil {
		return err
	}
	if c.Store.Driver == store.DriverPostgres {
		return errors.New("[store] driver is postgres: back the database up with PostgreSQL's own tools, pg_dump --format=custom --file=actionbot.dump \"$ACTIONBOT_DATABASE_URL\" (consistent while the bot serves), and restore with pg_restore")
	}
	if _, err := os.Stat(c.Store.Path); err != nil {
		return fmt.Errorf("no database to back up: %w", err)
	}
	if *keep == 0 {
		return m.backupTo(ctx, c, flags.Arg(0))
	}
	dir := flags.Arg(0)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("--keep %d %s: not a folder (%v)", *keep, dir, err)
	}
	prefix := strings.TrimSuffix(filepath.Base(c.Store.Path), filepath.Ext(c.Store.Path)) + "-"
	path := filepath.Join(dir, prefix+m.Now().UTC().Format(backupStamp)+".db")
	if err := m.backupTo(ctx, c, path); err != nil {
		return err
	}
	removed, err := pruneBackups(dir, prefix, *keep)
	for _, r := range removed {
		fmt.Fprintf(m.Stdout, "removed the old backup %s\n", r)
	}
	return err
}

// backupStamp is the UTC time in a dated backup's name: names sort as
// times do.
const backupStamp = "2006-01-02T150405Z"

// pruneBackups removes the oldest of the dated backups in dir whose names
// start with prefix, so that keep remain, and returns what it removed.
// Only names that are exactly prefix, a stamp and ".db" are touched.
func pruneBackups(dir, prefix string, keep int) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var dated []string
	for _, e := range entries {
		stamp, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		stamp, ok = strings.CutSuffix(stamp, ".db")
		if _, err := time.Parse(backupStamp, stamp); !ok || err != nil {
			continue
		}
		dated = append(dated, e.Name())
	}
	sort.Strings(dated)
	var removed []string
	for len(dated) > keep {
		path := filepath.Join(dir, dated[0])
		if err := os.Remove(path); err != nil {
			return removed, err
		}
		// What opening the copy to check it may leave beside it: SQLite's
		// journal files, the store's migration lock.
		for _, sibling := range []string{"-wal", "-shm", "-migrate"} {
			os.Remove(path + sibling)
		}
		removed = append(removed, path)
		dated = dated[1:]
	}
	return removed, nil
}

func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// backupTo writes and checks a copy of the database at path, which must
// not exist.
func (m *Main) backupTo(ctx context.Context, c Config, path string) error {
	// Claim the name first: a file that exists, or appears meanwhile, is
	// never overwritten, and a failed copy removes only its own file.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists: a backup never overwrites a file, give a new name", path)
	}
	if err != nil {
		return err
	}
	f.Close()
	s, err := store.Open(c.Store.Path)
	if err != nil {
		os.Remove(path)
		return err
	}
	err = s.Backup(ctx, path)
	s.Close()
	if err != nil {
		os.Remove(path)
		return err
	}
	copied, err := store.Open(path)
	if err != nil {
		return fmt.Errorf("the backup %s does not open: %w", path, err)
	}
	defer copied.Close()
	if res, err := copied.IntegrityCheck(ctx); err != nil || res != "ok" {
		return fmt.Errorf("the backup %s fails its integrity check: %s %v", path, res, err)
	}
	_, _, actions, err := copied.NumberRange(ctx)
	if err != nil {
		return err
	}
	journal, err := copied.JournalCount(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%s backed up to %s: %d actions, %d journal entries, integrity ok\n", c.Store.Path, path, actions, journal)
	return nil
}

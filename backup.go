package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/tours-metropole/actionbot/store"
)

// backup writes a consistent copy of the configured database to a new
// file with SQLite's VACUUM INTO, which reads one snapshot of the whole
// database: it runs while "actionbot serve" answers and writes, and the
// copy holds each change whole or not at all. The copy is checked
// (PRAGMA integrity_check) before it is reported.
func (m *Main) backup(ctx context.Context, g globals, args []string) error {
	flags := m.flags("backup", "FILE", "Writes a consistent copy of the database (plan, journal, meetings, outbox) to FILE, with\n"+
		"SQLite's VACUUM INTO: safe while the bot serves. FILE must not exist; the copy is checked\n"+
		"before it is reported. To restore, stop the bot and put the copy in place of [store] path.\n"+
		"A PostgreSQL store ([store] driver = \"postgres\") is backed up with pg_dump instead.")
	if help, err := parse(flags, args); help || err != nil {
		return err
	}
	if flags.NArg() != 1 {
		return usagef("backup takes one FILE, which must not exist")
	}
	path := flags.Arg(0)
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

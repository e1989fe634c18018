package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tours-metropole/actionbot/store"
)

func TestBackup(t *testing.T) {
	db := seededDB(t)
	out := filepath.Join(t.TempDir(), "copie.db")
	stdout, _, err := run(t, "", "[store]\npath = \""+db+"\"\n", "backup", out)
	if err != nil {
		t.Fatal(err)
	}
	if want := "backed up to " + out + ": 52 actions"; !strings.Contains(stdout, want) {
		t.Errorf("stdout = %q, want it to contain %q", stdout, want)
	}
	s, err := store.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := s.ActionByNumber(context.Background(), 23)
	if err != nil || a.Title != "Accueillir des délégations d'investisseurs" {
		t.Errorf("action 23 of the copy = %q, %v", a.Title, err)
	}
}

func TestBackupRefuses(t *testing.T) {
	db := seededDB(t)
	config := "[store]\npath = \"" + db + "\"\n"
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		config string
		args   []string
		want   string
	}{
		{"no file", config, []string{"backup"}, "backup takes one FILE"},
		{"two files", config, []string{"backup", "a.db", "b.db"}, "backup takes one FILE"},
		{"existing file", config, []string{"backup", existing}, "exists: a backup never overwrites a file"},
		{"no database", "[store]\npath = \"" + filepath.Join(dir, "none.db") + "\"\n", []string{"backup", filepath.Join(dir, "new.db")}, "no database to back up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := run(t, "", tt.config, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if data, _ := os.ReadFile(existing); string(data) != "keep me" {
		t.Errorf("the existing file was changed: %q", data)
	}
	for _, f := range []string{"new.db", "none.db"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s was created", f)
		}
	}
}

// TestBackupWhileWriting backs up while another connection writes notes
// one after another: the copy is sound and holds the notes up to some
// point, each whole and none after a missing one — one moment of the
// database.
func TestBackupWhileWriting(t *testing.T) {
	db := seededDB(t)
	ctx := context.Background()
	writer, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	writer.Now = testNow
	stop := make(chan struct{})
	var wg sync.WaitGroup
	written := 0
	wg.Go(func() {
		for ; ; written++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := writer.AddNote(ctx, 1+written%52, fmt.Sprintf("pendant la sauvegarde %d", written), "U0WRITER"); err != nil {
				t.Error(err)
				return
			}
		}
	})
	// Let the writer get going, then back up while it writes.
	for {
		n, err := writer.JournalCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n > 52+20 {
			break
		}
	}
	out := filepath.Join(t.TempDir(), "copie.db")
	_, _, err = run(t, "", "[store]\npath = \""+db+"\"\n", "backup", out)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if res, err := s.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Fatalf("integrity_check of the copy = %q, %v", res, err)
	}
	entries, err := s.Journal(ctx, store.JournalFilter{Fields: []string{store.FieldNote}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.Author == "U0WRITER" {
			got = append(got, e.Note)
		}
	}
	for i, note := range got {
		if want := fmt.Sprintf("pendant la sauvegarde %d", i); note != want {
			t.Fatalf("note %d of the copy = %q, want %q: not one moment of the database", i, note, want)
		}
	}
	if len(got) == 0 || len(got) > written {
		t.Errorf("the copy holds %d of the %d notes written", len(got), written)
	}
	t.Logf("the copy holds the first %d of %d notes written during the backup", len(got), written)
}

// TestBackupKeep: --keep N DIR writes a dated copy into DIR and removes
// the oldest dated copies beyond N, leaving any other file alone.
func TestBackupKeep(t *testing.T) {
	db := seededDB(t) // plan.db
	dir := t.TempDir()
	for _, name := range []string{"plan-2026-11-20T020000Z.db", "plan-2026-11-20T020000Z.db-migrate", "plan-2026-11-21T020000Z.db", "plan-2026-11-22T020000Z.db", "plan-notes.db", "other-2026-11-01T020000Z.db"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	config := "[store]\npath = \"" + db + "\"\n"
	stdout, _, err := run(t, "", config, "backup", "--keep", "2", dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		// Opening the new copy to check it leaves the store's lock file.
		if e.Name() != "plan-2026-11-26T090000Z.db-migrate" {
			names = append(names, e.Name())
		}
	}
	// testNow is 26 November 2026, 10:00 in Paris: 09:00 UTC.
	want := []string{"other-2026-11-01T020000Z.db", "plan-2026-11-22T020000Z.db", "plan-2026-11-26T090000Z.db", "plan-notes.db"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("backups = %v, want %v\n%s", names, want, stdout)
	}
	if !strings.Contains(stdout, "52 actions") || strings.Count(stdout, "removed the old backup") != 2 {
		t.Errorf("stdout:\n%s", stdout)
	}
	s, err := store.Open(filepath.Join(dir, "plan-2026-11-26T090000Z.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, args := range [][]string{{"backup", "--keep", "0", dir}, {"backup", "--keep", "-1", dir}} {
		if _, _, err := run(t, "", config, args...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	if _, _, err := run(t, "", config, "backup", "--keep", "2", filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("missing folder: %v", err)
	}
}

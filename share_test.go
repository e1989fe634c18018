package main

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/store"
)

// TestShare makes a link, finds it in the list, checks it opens the plan
// until it is revoked.
func TestShare(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "plan.db")
	config := "[store]\npath = \"" + db + "\"\n[web]\nbase_url = \"https://actionbot.example.org/\"\n"
	out, errOut, err := runIn(t, dir, "", config, "share", "--days", "10", "--name", "MEDEF Touraine")
	if err != nil {
		t.Fatalf("share: %v\n%s", err, errOut)
	}
	u, err := url.Parse(strings.TrimSpace(out))
	if err != nil || u.Host != "actionbot.example.org" || u.Path != "/plan" || u.Query().Get("t") == "" {
		t.Fatalf("share printed %q", out)
	}
	token := u.Query().Get("t")
	if !strings.Contains(errOut, "2026-12-06 10:00") {
		t.Errorf("share did not say the expiry, 10 days from now: %q", errOut)
	}

	check := func(want error) {
		t.Helper()
		s, err := store.Open(db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.CheckLink(context.Background(), token, testNow()); !errors.Is(err, want) {
			t.Errorf("CheckLink = %v; want %v", err, want)
		}
	}
	check(nil)

	out, _, err = runIn(t, dir, "", config, "share", "--list")
	if err != nil || !strings.Contains(out, "MEDEF Touraine") || !strings.Contains(out, "active") || strings.Contains(out, token) {
		t.Errorf("share --list = %q, %v", out, err)
	}
	if _, _, err = runIn(t, dir, "", config, "share", "--revoke", "1"); err != nil {
		t.Fatal(err)
	}
	check(store.ErrLinkRevoked)
	if out, _, _ = runIn(t, dir, "", config, "share", "--list"); !strings.Contains(out, "revoked") {
		t.Errorf("share --list after revoke = %q", out)
	}
	if _, _, err = runIn(t, dir, "", config, "share", "--revoke", "7"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("share --revoke 7 = %v", err)
	}
}

func TestShareErrors(t *testing.T) {
	noBase := "[store]\npath = \"$DIR/plan.db\"\n"
	tests := []struct {
		name   string
		config string
		args   []string
		usage  bool
	}{
		{"no base_url", noBase, []string{"share"}, false},
		{"two modes", noBase, []string{"share", "--list", "--revoke", "1"}, true},
		{"days out of range", noBase, []string{"share", "--days", "0"}, true},
		{"bad id", noBase, []string{"share", "--revoke", "abc"}, true},
		{"stray argument", noBase, []string{"share", "MEDEF"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := run(t, "", tt.config, tt.args...)
			var usage *usageError
			if err == nil || errors.As(err, &usage) != tt.usage {
				t.Errorf("err = %v; usage error %v", err, tt.usage)
			}
		})
	}
	if _, _, err := run(t, "", "[web]\nbase_url = \"ftp://x\"\n", "share"); err == nil || !strings.Contains(err.Error(), "web.base_url") {
		t.Errorf("a bad base_url was taken: %v", err)
	}
}

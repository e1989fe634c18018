package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/store"
)

func TestLinks(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	until := now.Add(30 * 24 * time.Hour)
	l, token, err := s.CreateLink(ctx, " MEDEF Touraine ", "cli", until)
	if err != nil {
		t.Fatal(err)
	}
	if l.Name != "MEDEF Touraine" || len(token) < 40 || l.Hash == token || strings.Contains(l.Hash, token) {
		t.Fatalf("CreateLink = %+v, %q", l, token)
	}
	_, other, _ := s.CreateLink(ctx, "UEP37", "cli", until)
	if other == token {
		t.Fatal("two links share a token")
	}

	tests := []struct {
		name  string
		token string
		at    time.Time
		want  error
	}{
		{"valid", token, now, nil},
		{"last second", token, until.Add(-time.Second), nil},
		{"expired", token, until, store.ErrLinkExpired},
		{"altered", token[:len(token)-1] + "x", now, store.ErrNotFound},
		{"empty", "", now, store.ErrNotFound},
		{"hash instead of token", l.Hash, now, store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.CheckLink(ctx, tt.token, tt.at)
			if !errors.Is(err, tt.want) || (tt.want == nil && got.ID != l.ID) {
				t.Errorf("CheckLink = %+v, %v; want %v", got, err, tt.want)
			}
		})
	}

	if _, err := s.RevokeLink(ctx, l.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CheckLink(ctx, token, now); !errors.Is(err, store.ErrLinkRevoked) {
		t.Errorf("revoked link: %v", err)
	}
	if _, err := s.CheckLink(ctx, other, now); err != nil {
		t.Errorf("revoking one link ended another: %v", err)
	}
	if _, err := s.RevokeLink(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RevokeLink(999) = %v", err)
	}
	ls, err := s.Links(ctx)
	if err != nil || len(ls) != 2 || ls[0].Name != "UEP37" || ls[1].RevokedAt == nil || ls[1].Active(now) || !ls[0].Active(now) {
		t.Fatalf("Links = %+v, %v", ls, err)
	}
	if _, _, err := s.CreateLink(ctx, "Passé", "cli", now.Add(-time.Hour)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a link already expired was made: %v", err)
	}
}

func TestEmailOptouts(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	if u, err := s.Unsubscribed(ctx, "contact@cci-touraine.example"); err != nil || u {
		t.Fatalf("Unsubscribed before = %v, %v", u, err)
	}
	for range 2 {
		if err := s.Unsubscribe(ctx, " Contact@CCI-Touraine.example "); err != nil {
			t.Fatal(err)
		}
	}
	if u, _ := s.Unsubscribed(ctx, "contact@cci-touraine.example"); !u {
		t.Error("an unsubscribed address is not")
	}
	if ok, err := s.Resubscribe(ctx, "CONTACT@cci-touraine.example"); !ok || err != nil {
		t.Errorf("Resubscribe = %v, %v", ok, err)
	}
	if ok, _ := s.Resubscribe(ctx, "contact@cci-touraine.example"); ok {
		t.Error("Resubscribe of a subscribed address said it was not")
	}
	k1, err := s.MailSecret(ctx)
	k2, _ := s.MailSecret(ctx)
	if err != nil || len(k1) != 32 || string(k1) != string(k2) {
		t.Errorf("MailSecret = %x, %x, %v", k1, k2, err)
	}
	d := store.Delivery{Key: "mail:1", Kind: "reminder-email", Channel: store.MailPrefix + "a@b.fr", Text: "t", HTML: "<p>t</p>"}
	if _, err := s.Enqueue(ctx, d); err != nil {
		t.Fatal(err)
	}
	if got, err := s.DeliveryByKey(ctx, "mail:1"); err != nil || got.HTML != "<p>t</p>" {
		t.Errorf("the HTML part was not kept: %+v, %v", got, err)
	}
}

func TestPersonEmail(t *testing.T) {
	tests := []struct {
		in         store.Person
		name, addr string
		ok         bool
	}{
		{store.Person{Name: "CCI Touraine <contact@cci-touraine.example>"}, "CCI Touraine", "contact@cci-touraine.example", true},
		{store.Person{Name: "CCI Touraine <<mailto:Contact@cci-touraine.example|Contact@cci-touraine.example>>"}, "CCI Touraine", "contact@cci-touraine.example", true},
		{store.Person{Name: "CCI Touraine"}, "CCI Touraine", "", false},
		{store.Person{Name: "contact@cci-touraine.example"}, "contact@cci-touraine.example", "", false},
		{store.Person{UserID: "U01MARIE"}, "", "", false},
	}
	for _, tt := range tests {
		name, addr, ok := tt.in.Email()
		if name != tt.name || addr != tt.addr || ok != tt.ok {
			t.Errorf("%+v.Email() = %q, %q, %v", tt.in, name, addr, ok)
		}
		if tt.ok && tt.in.Display() != tt.name {
			t.Errorf("Display = %q", tt.in.Display())
		}
	}
}

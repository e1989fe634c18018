package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/store"
)

func TestOutboxExactlyOnce(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	d := store.Delivery{Key: "digest:prospection:2026-11-30", Kind: "digest", Channel: "C1", Text: "Semaine calme"}
	for i, want := range []bool{true, false, false} {
		created, err := s.Enqueue(ctx, d)
		if err != nil || created != want {
			t.Fatalf("Enqueue #%d = %v, %v; want %v", i+1, created, err, want)
		}
	}
	due, err := s.DueDeliveries(ctx, now, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("DueDeliveries = %d, %v; want 1", len(due), err)
	}
	if err := s.MarkSending(ctx, due[0].ID, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSending(ctx, due[0].ID, now.Add(time.Minute)); err == nil {
		t.Error("a delivery was taken twice for sending")
	}
	if err := s.MarkRetry(ctx, due[0].ID, "slack: 500", now.Add(time.Minute), false); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueDeliveries(ctx, now, 10); len(due) != 0 {
		t.Errorf("a delivery retried in a minute is due now")
	}
	if due, _ := s.DueDeliveries(ctx, now.Add(time.Minute), 10); len(due) != 1 || due[0].Attempts != 1 || due[0].LastError != "slack: 500" {
		t.Fatalf("after retry = %+v", due)
	}
	s.MarkSending(ctx, due[0].ID, now.Add(time.Minute))
	if err := s.MarkSent(ctx, due[0].ID, "1700000000.0001"); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueDeliveries(ctx, now.Add(time.Hour), 10); len(due) != 0 {
		t.Errorf("a sent delivery is due again")
	}
	// A sent key can never be enqueued again.
	if created, err := s.Enqueue(ctx, d); err != nil || created {
		t.Errorf("Enqueue after sent = %v, %v", created, err)
	}
	got, err := s.DeliveryByKey(ctx, d.Key)
	if err != nil || got.State != store.DeliverySent || got.Attempts != 2 || got.SlackTS != "1700000000.0001" {
		t.Errorf("DeliveryByKey = %+v, %v", got, err)
	}
	if n, _ := s.PendingDeliveries(ctx); n != 0 {
		t.Errorf("pending = %d", n)
	}
}

func TestOutboxFailedAndListing(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	for _, k := range []string{"a", "b", "c"} {
		if _, err := s.Enqueue(ctx, store.Delivery{Key: k, Kind: "nudge", Channel: "U1", Text: k}); err != nil {
			t.Fatal(err)
		}
	}
	due, _ := s.DueDeliveries(ctx, now, 10)
	s.MarkSending(ctx, due[0].ID, now.Add(time.Minute))
	s.MarkSent(ctx, due[0].ID, "1.1")
	s.MarkSending(ctx, due[1].ID, now.Add(time.Minute))
	s.MarkRetry(ctx, due[1].ID, "channel_not_found", now, true)
	all, err := s.Deliveries(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, d := range all {
		states = append(states, d.Key+":"+string(d.State))
	}
	if got, want := len(states), 3; got != want || states[0] != "c:pending" || states[1] != "b:failed" || states[2] != "a:sent" {
		t.Errorf("Deliveries = %v", states)
	}
	if _, err := s.Enqueue(ctx, store.Delivery{Key: "", Channel: "C"}); err == nil {
		t.Error("a delivery with no key was accepted")
	}
	next, ok, err := s.NextDeliveryTime(ctx)
	if err != nil || !ok || !next.Equal(now) {
		t.Errorf("NextDeliveryTime = %v, %v, %v", next, ok, err)
	}
}

func TestOutboxInterruptedSend(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	s.Enqueue(ctx, store.Delivery{Key: "k", Kind: "digest", Channel: "C1", Text: "x"})
	due, _ := s.DueDeliveries(ctx, now, 10)
	if err := s.MarkSending(ctx, due[0].ID, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	// The bot stops here. Within the send's lease, the send may still be
	// running (in another replica): nobody judges it.
	if got, err := s.RecoverInterrupted(ctx); err != nil || len(got) != 0 {
		t.Fatalf("RecoverInterrupted within the lease = %+v, %v; want none", got, err)
	}
	s.Now = func() time.Time { return now.Add(time.Minute) }
	got, err := s.RecoverInterrupted(ctx)
	if err != nil || len(got) != 1 || got[0].Key != "k" {
		t.Fatalf("RecoverInterrupted = %+v, %v", got, err)
	}
	if due, _ := s.DueDeliveries(ctx, now.Add(time.Hour), 10); len(due) != 0 {
		t.Errorf("an interrupted delivery is sent again on its own")
	}
	if _, err := s.Resend(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueDeliveries(ctx, now.Add(time.Minute), 10); len(due) != 1 || due[0].Attempts != 0 {
		t.Errorf("after Resend: %+v", due)
	}
	if _, err := s.Resend(ctx, "k"); err == nil {
		t.Error("a pending delivery was resent")
	}
	if _, err := s.Resend(ctx, "nope"); err == nil {
		t.Error("Resend of an unknown key")
	}
}

// TestOutboxCancelTakesReplies: the replies of a cancelled delivery, which
// would wait for their thread forever, are cancelled with it.
func TestOutboxCancelTakesReplies(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	d := store.Delivery{Key: "digest:prospection:2026-11-30", Kind: "digest", Channel: "C1", Text: "1/2"}
	other := store.Delivery{Key: "digest:outils:2026-11-30", Kind: "digest", Channel: "C2", Text: "1/1"}
	if _, err := s.Enqueue(ctx, d, store.Delivery{Key: d.Key + ":reply:1", Kind: "digest", Text: "2/2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Enqueue(ctx, other, store.Delivery{Key: other.Key + ":reply:1", Kind: "digest", Text: "2/2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Cancel(ctx, d.Key); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]store.DeliveryState{
		d.Key: store.DeliveryCancelled, d.Key + ":reply:1": store.DeliveryCancelled,
		other.Key: store.DeliveryPending, other.Key + ":reply:1": store.DeliveryPending,
	} {
		if got, err := s.DeliveryByKey(ctx, key); err != nil || got.State != want {
			t.Errorf("%s: %s, %v; want %s", key, got.State, err, want)
		}
	}
	if n, _ := s.PendingDeliveries(ctx); n != 2 {
		t.Errorf("pending = %d, want 2: the other digest and its reply", n)
	}
	// Resent, it comes back whole.
	if _, err := s.Resend(ctx, d.Key); err != nil {
		t.Fatal(err)
	}
	if got, err := s.DeliveryByKey(ctx, d.Key+":reply:1"); err != nil || got.State != store.DeliveryPending {
		t.Errorf("the reply of a resent delivery: %s, %v", got.State, err)
	}
}

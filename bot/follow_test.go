package bot_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

// followed makes Marie and Paul follow action 22, then, setting s's clock
// with set, Paul changes it at start+5s, Marie adds a note at start+40s and
// Paul one at start+62s.
func followed(t *testing.T, s *store.Store, set func(time.Time), start time.Time) {
	t.Helper()
	ctx := context.Background()
	for _, u := range []string{store.DemoMarie, store.DemoPaul} {
		if _, err := s.Follow(ctx, 22, u); err != nil {
			t.Fatal(err)
		}
	}
	progress := 70
	set(start.Add(5 * time.Second))
	if _, err := s.Apply(ctx, 22, store.DemoPaul, store.Edit{Progress: &progress, Note: "Point fait avec la CCI"}); err != nil {
		t.Fatal(err)
	}
	set(start.Add(40 * time.Second))
	if _, err := s.AddNote(ctx, 22, "Vu, merci", store.DemoMarie); err != nil {
		t.Fatal(err)
	}
	set(start.Add(62 * time.Second))
	if _, err := s.AddNote(ctx, 22, "Relance envoyée", store.DemoPaul); err != nil {
		t.Fatal(err)
	}
}

// TestFollowDMsOncePerMinute: on an injected clock, each follower gets one
// DM per minute of others' changes, once the minute is over; ticks seen
// again, a restart and a second replica enqueue nothing more.
func TestFollowDMsOncePerMinute(t *testing.T) {
	s, p, _ := mustPosts(t)
	ctx := context.Background()
	clock := now
	s.Now = func() time.Time { return clock }
	followed(t, s, func(t time.Time) { clock = t }, now)
	_, h := mustPlanOn(t, s)
	replica := bot.NewPosts(h, s, bot.PostsConfig{Location: paris}, quiet, nil)

	steps := []struct {
		posts *bot.Posts
		at    time.Duration
		want  []string // the whole outbox
	}{
		{p, time.Minute, nil},
		{p, time.Minute + 29*time.Second, nil}, // not settled
		{p, 2 * time.Minute, []string{
			"follow follow:U01MARIE:2026-11-26T09:00Z → U01MARIE @ 11-26 10:02",
			"follow follow:U02PAUL:2026-11-26T09:00Z → U02PAUL @ 11-26 10:02",
		}},
		{p, 2 * time.Minute, nil},                      // the same tick twice
		{replica, 2 * time.Minute, nil},                // another replica
		{replica, 2*time.Minute + 10*time.Second, nil}, // a restart's tick
		{p, 3 * time.Minute, []string{
			"follow follow:U01MARIE:2026-11-26T09:01Z → U01MARIE @ 11-26 10:03",
		}},
		{replica, time.Hour, nil},
	}
	var all []string
	for i, st := range steps {
		if err := st.posts.Follow(ctx, now.Add(st.at)); err != nil {
			t.Fatal(err)
		}
		all = append(all, st.want...)
		if diff := cmp.Diff(all, outbox(t, s)); diff != "" {
			t.Fatalf("step %d (%s): outbox (-want +got):\n%s", i, st.at, diff)
		}
	}
	marie, _ := s.DeliveryByKey(ctx, "follow:U01MARIE:2026-11-26T09:00Z")
	paul, _ := s.DeliveryByKey(ctx, "follow:U02PAUL:2026-11-26T09:00Z")
	for _, c := range []struct {
		d             store.Delivery
		want, notWant []string
	}{
		{marie, []string{"<@U02PAUL> — avancement : 65 % → 70 %", "Point fait avec la CCI"}, []string{"Vu, merci", "Relance"}},
		{paul, []string{"<@U01MARIE> — note : « Vu, merci »"}, []string{"Point fait", "Relance"}},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.d.Text, w) {
				t.Errorf("%s lacks %q:\n%s", c.d.Key, w, c.d.Text)
			}
		}
		for _, w := range c.notWant {
			if strings.Contains(c.d.Text, w) {
				t.Errorf("%s tells %q:\n%s", c.d.Key, w, c.d.Text)
			}
		}
	}
}

// mustPlanOn is a handler on s, as mustPlan makes.
func mustPlanOn(t *testing.T, s *store.Store) (*store.Store, *commands.Handler) {
	t.Helper()
	h, err := commands.New(s, commands.Options{Language: "fr", Location: paris, Admins: []string{admin}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return s, h
}

// TestFollowDMsReachSlack: the scheduler's job and the sender, in a
// synctest bubble, against the strict fake Slack: each follower's DM is
// posted once, with what changed and who changed it, and a restart of the
// bot posts nothing again.
func TestFollowDMsReachSlack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(time.Until(now)) // the bubble starts in 2000
		s, h := mustPlan(t)
		var mu sync.Mutex
		var fixed time.Time // zero: the bubble's clock
		s.Now = func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			if fixed.IsZero() {
				return time.Now()
			}
			return fixed
		}
		fake := newOutboxSlack(t)
		start := func() (stop func()) {
			snd := bot.NewSender(bot.SenderOptions{Outbox: s, Slack: fake.client(false), Logger: quiet})
			p := bot.NewPosts(h, s, bot.PostsConfig{Location: paris}, quiet, snd.Wake)
			sched := bot.NewScheduler(paris, slog.New(slog.DiscardHandler), nil)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- snd.Run(ctx) }()
			if err := sched.Start(ctx, p.Jobs()); err != nil {
				t.Fatal(err)
			}
			return func() {
				sched.Stop()
				cancel()
				if err := <-done; err != nil {
					t.Errorf("sender: %v", err)
				}
			}
		}
		stop := start()
		followedAt := func() {
			// The changes are made on a clock of their own, then the
			// store reads the bubble's again.
			set := func(t time.Time) { mu.Lock(); defer mu.Unlock(); fixed = t }
			followed(t, s, set, time.Now())
			set(time.Time{})
		}
		followedAt()
		time.Sleep(5 * time.Minute)
		stop()
		stop = start() // a restart: its job runs at once, over the last hour
		time.Sleep(5 * time.Minute)
		stop()

		got := map[string]int{}
		for _, c := range fake.called("chat.postMessage") {
			got[c.Form.Get("channel")]++
			var blocks []map[string]any
			if err := json.Unmarshal([]byte(c.Form.Get("blocks")), &blocks); err != nil || len(blocks) == 0 {
				t.Errorf("DM to %s without blocks: %v", c.Form.Get("channel"), err)
			}
			if text := c.Form.Get("text"); c.Form.Get("channel") == store.DemoMarie && !strings.Contains(text, "<@U02PAUL> — ") {
				t.Errorf("Marie's DM does not say who changed what:\n%s", text)
			}
		}
		// Marie: the minute of Paul's change, then the minute of his
		// reminder; Paul: Marie's note.
		if diff := cmp.Diff(map[string]int{store.DemoMarie: 2, store.DemoPaul: 1}, got); diff != "" {
			t.Errorf("DMs by channel (-want +got):\n%s", diff)
		}
	})
}

// TestFakeSlackIsStrict: the fake refuses what Slack refuses, so that the
// tests above would see a message too big.
func TestFakeSlackIsStrict(t *testing.T) {
	fake := newFakeSlack(t)
	api := bot.NewClient(bot.ClientOptions{BotToken: "xoxb-test", APIURL: fake.URL + "/api/"})
	section := func(n int) string {
		return `{"type":"section","text":{"type":"mrkdwn","text":"` + strings.Repeat("a", n) + `"}}`
	}
	many := func(n, size int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = section(size)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	tests := []struct {
		name, blocks, want string
	}{
		{"fine", many(50, 200), ""},
		{"51 blocks", many(51, 10), "invalid_blocks"},
		{"a section of 3,001", many(1, 3001), "invalid_blocks"},
		{"12,000 across blocks", many(5, 2400), ""},
		{"12,500 across blocks", many(5, 2500), "msg_blocks_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b slack.Blocks
			if err := json.Unmarshal([]byte(tt.blocks), &b); err != nil {
				t.Fatal(err)
			}
			_, _, err := api.PostMessageContext(context.Background(), "C0CHAN", slack.MsgOptionText("x", false), slack.MsgOptionBlocks(b.BlockSet...))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("post: %q, want %q", got, tt.want)
			}
		})
	}
}

package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

func mustPosts(t *testing.T) (*store.Store, *bot.Posts, *int) {
	t.Helper()
	s, h := mustPlan(t)
	groups := store.DefaultGroups()
	groups[1].Channel = "C0PROSPECTION"
	wakes := 0
	p := bot.NewPosts(h, s, bot.PostsConfig{
		Groups: groups, CopilChannel: "C0COPIL", Reminders: []time.Duration{7 * 24 * time.Hour, 24 * time.Hour},
		NudgeSpec: "30 9 * * MON", Location: paris,
	}, quiet, func() { wakes++ })
	return s, p, &wakes
}

// outbox lists the deliveries as "kind key → channel @ next try".
func outbox(t *testing.T, s *store.Store) []string {
	t.Helper()
	ds, err := s.Deliveries(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(ds) - 1; i >= 0; i-- {
		d := ds[i]
		out = append(out, d.Kind+" "+d.Key+" → "+d.Channel+" @ "+d.NextTry.In(paris).Format("01-02 15:04"))
	}
	return out
}

func TestJobsTable(t *testing.T) {
	_, p, _ := mustPosts(t)
	var names []string
	for _, j := range p.Jobs() {
		names = append(names, j.Name+" "+j.Spec)
	}
	// Only prospection has a channel.
	want := []string{"digest prospection 0 9 * * MON", "copil reminders @every 1m", "follow DMs @every 1m", "nudges 30 9 * * MON"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("jobs (-want +got):\n%s", diff)
	}
}

func TestDigestPostedOncePerSlot(t *testing.T) {
	s, p, wakes := mustPosts(t)
	ctx := context.Background()
	g, _ := s.GroupByKey(ctx, "prospection")
	g.Channel = "C0PROSPECTION"
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, paris)
	for range 3 { // a second tick, a restart's catch-up: same slot
		if err := p.Digest(ctx, g, bot.Slot{At: monday, SendAt: monday}); err != nil {
			t.Fatal(err)
		}
	}
	// October's repeated hour: 02:30 CEST and 02:30 CET are one slot.
	cest := time.Date(2027, 10, 31, 0, 30, 0, 0, time.UTC)
	cet := time.Date(2027, 10, 31, 1, 30, 0, 0, time.UTC)
	for _, at := range []time.Time{cest, cet} {
		if err := p.Digest(ctx, g, bot.Slot{At: at, SendAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	// Easter Monday's digest goes out on Tuesday.
	easter := time.Date(2027, 3, 29, 9, 0, 0, 0, paris)
	cal := bot.FrenchCalendar(paris)
	if err := p.Digest(ctx, g, bot.Slot{At: easter, SendAt: cal.Postpone(easter)}); err != nil {
		t.Fatal(err)
	}
	// Each digest comes with its escalation to the group's lead: the
	// demo's actions have had no update for two rhythms and more.
	want := []string{
		"digest digest:prospection:2026-11-30T09:00:00 → C0PROSPECTION @ 11-30 09:00",
		"escalation digest:prospection:2026-11-30T09:00:00:escalation:U0LEAD → U0LEAD @ 11-30 09:00",
		"digest digest:prospection:2027-10-31T02:30:00 → C0PROSPECTION @ 10-31 02:30",
		"escalation digest:prospection:2027-10-31T02:30:00:escalation:U0LEAD → U0LEAD @ 10-31 02:30",
		"digest digest:prospection:2027-03-29T09:00:00 → C0PROSPECTION @ 03-30 09:00",
		"escalation digest:prospection:2027-03-29T09:00:00:escalation:U0LEAD → U0LEAD @ 03-30 09:00",
	}
	if diff := cmp.Diff(want, outbox(t, s)); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
	if *wakes != 6 {
		t.Errorf("sender woken %d times, want 6", *wakes)
	}
	d, _ := s.DeliveryByKey(ctx, "digest:prospection:2026-11-30T09:00:00")
	if !strings.Contains(d.Text, "Point hebdomadaire · Prospection") || !strings.Contains(d.Blocks, `"type":"header"`) {
		t.Errorf("digest delivery = %q / %.200s", d.Text, d.Blocks)
	}
}

func TestRemindersOneAtATime(t *testing.T) {
	s, p, _ := mustPosts(t)
	ctx := context.Background()
	// The demo's next COPIL is on Tuesday 8 December 2026 at 14:00.
	steps := []struct {
		now  string
		want []string // new deliveries
	}{
		{"2026-11-30 10:00", nil},
		{"2026-12-01 14:00", []string{
			"reminder reminder:2:168h0m0s → C0COPIL @ 12-01 14:00",
			"upload reminder:2:168h0m0s:chart → C0COPIL @ 12-01 14:00",
			"reminder-dm reminder-dm:2:U02PAUL → U02PAUL @ 12-01 14:00",
			"reminder-dm reminder-dm:2:U04KARIM → U04KARIM @ 12-01 14:00",
			"reminder-dm reminder-dm:2:U01MARIE → U01MARIE @ 12-01 14:00",
			"reminder-dm reminder-dm:2:U03SOPHIE → U03SOPHIE @ 12-01 14:00",
		}},
		{"2026-12-01 14:01", nil},
		{"2026-12-05 09:00", nil},
		{"2026-12-07 14:00", []string{
			"reminder reminder:2:24h0m0s → C0COPIL @ 12-07 14:00",
			"upload reminder:2:24h0m0s:chart → C0COPIL @ 12-07 14:00",
		}},
		{"2026-12-08 15:00", nil},
	}
	var seen []string
	for _, st := range steps {
		at, _ := time.ParseInLocation("2006-01-02 15:04", st.now, paris)
		if err := p.Reminders(ctx, at); err != nil {
			t.Fatal(err)
		}
		all := outbox(t, s)
		if diff := cmp.Diff(st.want, all[len(seen):], cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("at %s, new deliveries (-want +got):\n%s", st.now, diff)
		}
		seen = all
	}
	up, _ := s.DeliveryByKey(ctx, "reminder:2:168h0m0s:chart")
	if len(up.File) < 1000 || !strings.HasPrefix(string(up.File), "\x89PNG") || up.AltText == "" || up.Title == "" {
		t.Errorf("chart delivery: %d bytes, title %q, alt %q", len(up.File), up.Title, up.AltText)
	}
}

func TestReminderCatchUpSendsOnlyTheLatest(t *testing.T) {
	s, p, _ := mustPosts(t)
	// Down from 30 November to the morning of the meeting: the 7-day
	// reminder was missed, only the 1-day one goes.
	at := time.Date(2026, 12, 8, 8, 0, 0, 0, paris)
	if err := p.Reminders(context.Background(), at); err != nil {
		t.Fatal(err)
	}
	var reminders []string
	for _, d := range outbox(t, s) {
		if strings.HasPrefix(d, "reminder ") {
			reminders = append(reminders, d)
		}
	}
	if diff := cmp.Diff([]string{"reminder reminder:2:24h0m0s → C0COPIL @ 12-08 08:00"}, reminders); diff != "" {
		t.Errorf("reminders (-want +got):\n%s", diff)
	}
}

func TestNudgesOncePerSlot(t *testing.T) {
	s, p, _ := mustPosts(t)
	ctx := context.Background()
	monday := time.Date(2026, 11, 30, 9, 30, 0, 0, paris)
	for range 2 {
		if err := p.Nudge(ctx, bot.Slot{At: monday, SendAt: monday}); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"nudge nudge:U02PAUL:2026-11-30T09:30:00 → U02PAUL @ 11-30 09:30",
		"nudge nudge:U03SOPHIE:2026-11-30T09:30:00 → U03SOPHIE @ 11-30 09:30",
		"nudge nudge:U01MARIE:2026-11-30T09:30:00 → U01MARIE @ 11-30 09:30",
		"nudge nudge:U04KARIM:2026-11-30T09:30:00 → U04KARIM @ 11-30 09:30",
	}
	if diff := cmp.Diff(want, outbox(t, s)); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
}

// TestReminderReachesSlack: the 7-day reminder goes through the outbox to
// a fake Slack API: its text in the COPIL channel, then the chart in the
// three calls of an upload, with the PNG's bytes, to the same channel.
func TestReminderReachesSlack(t *testing.T) {
	s, p, _ := mustPosts(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 14, 0, 0, 0, paris)
	if err := p.Reminders(ctx, at); err != nil {
		t.Fatal(err)
	}
	fake := newFakeSlack(t)
	api := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL+"/api/"))
	snd := bot.NewSender(bot.SenderOptions{Outbox: s, Slack: api, Now: func() time.Time { return at }, Logger: quiet, ChannelGap: time.Millisecond})
	if err := snd.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var posted []string
	for _, c := range fake.called("chat.postMessage") {
		posted = append(posted, c.Form.Get("channel"))
	}
	if diff := cmp.Diff([]string{"C0COPIL", "U02PAUL", "U04KARIM", "U01MARIE", "U03SOPHIE"}, posted); diff != "" {
		t.Errorf("posts (-want +got):\n%s", diff)
	}
	if text := fake.called("chat.postMessage")[0].Form.Get("text"); !strings.Contains(text, "Rappel : COPIL dans 7 jours") {
		t.Errorf("reminder text: %.200s", text)
	}
	// Each pilote's DM carries « Faire le point », through the outbox.
	for _, c := range fake.called("chat.postMessage")[1:] {
		if b := c.Form.Get("blocks"); !strings.Contains(b, `"action_id":"`+commands.ActionIDCheckin+`"`) {
			t.Errorf("DM to %s without the check-in button: %.300s", c.Form.Get("channel"), b)
		}
	}
	up := fake.called("upload")
	done := fake.called("files.completeUploadExternal")
	if len(fake.called("files.getUploadURLExternal")) != 1 || len(up) != 1 || len(done) != 1 {
		t.Fatalf("upload calls: %d, %d, %d", len(fake.called("files.getUploadURLExternal")), len(up), len(done))
	}
	chart, _ := s.DeliveryByKey(ctx, "reminder:2:168h0m0s:chart")
	if up[0].Form.Get("file") != string(chart.File) || !strings.HasPrefix(up[0].Form.Get("file"), "\x89PNG") {
		t.Errorf("uploaded %d bytes, want the chart's %d", len(up[0].Form.Get("file")), len(chart.File))
	}
	if done[0].Form.Get("channel_id") != "C0COPIL" {
		t.Errorf("chart shared in %q", done[0].Form.Get("channel_id"))
	}
	if n, _ := s.PendingDeliveries(ctx); n != 0 {
		t.Errorf("%d deliveries still pending", n)
	}
}

// TestDigestEscalatesToLeads: with the digest, each lead of the group gets
// one DM listing the actions late by more than twice their rhythm, once
// per slot.
func TestDigestEscalatesToLeads(t *testing.T) {
	s, p, _ := mustPosts(t)
	ctx := context.Background()
	groups := store.DefaultGroups()
	groups[1].Channel, groups[1].Leads = "C0PROSPECTION", []string{"U0LEAD1", "U0LEAD2"}
	if err := s.SyncGroups(ctx, groups); err != nil {
		t.Fatal(err)
	}
	g, _ := s.GroupByKey(ctx, "prospection")
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, paris)
	for range 2 {
		if err := p.Digest(ctx, g, bot.Slot{At: monday, SendAt: monday}); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"digest digest:prospection:2026-11-30T09:00:00 → C0PROSPECTION @ 11-30 09:00",
		"escalation digest:prospection:2026-11-30T09:00:00:escalation:U0LEAD1 → U0LEAD1 @ 11-30 09:00",
		"escalation digest:prospection:2026-11-30T09:00:00:escalation:U0LEAD2 → U0LEAD2 @ 11-30 09:00",
	}
	if diff := cmp.Diff(want, outbox(t, s)); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
	d, _ := s.DeliveryByKey(ctx, "digest:prospection:2026-11-30T09:00:00:escalation:U0LEAD1")
	if !strings.Contains(d.Text, "plus de deux fois leur rythme") {
		t.Errorf("escalation = %q", d.Text)
	}
}

// TestFollowUpInTheFirstReminderOnly: « Suivi des décisions du COPIL du … »
// opens the first reminder of the next COPIL that goes — scheduled, caught
// up or by hand — and no later one.
func TestFollowUpInTheFirstReminderOnly(t *testing.T) {
	const followUp = "Suivi des décisions du COPIL du"
	at := func(s string) time.Time {
		t, _ := time.ParseInLocation("2006-01-02 15:04", s, paris)
		return t
	}
	tests := []struct {
		name  string
		run   func(ctx context.Context, p *bot.Posts) ([]string, error) // the keys of the reminders posted, in order
		first string                                                    // the one with the follow-up
	}{
		{"scheduled 7 days, then 1 day before", func(ctx context.Context, p *bot.Posts) ([]string, error) {
			for _, now := range []string{"2026-12-01 14:00", "2026-12-07 14:00"} {
				if err := p.Reminders(ctx, at(now)); err != nil {
					return nil, err
				}
			}
			return []string{"reminder:2:168h0m0s", "reminder:2:24h0m0s"}, nil
		}, "reminder:2:168h0m0s"},
		{"caught up the day before only", func(ctx context.Context, p *bot.Posts) ([]string, error) {
			return []string{"reminder:2:24h0m0s"}, p.Reminders(ctx, at("2026-12-08 08:00"))
		}, "reminder:2:24h0m0s"},
		{"by hand, then scheduled", func(ctx context.Context, p *bot.Posts) ([]string, error) {
			key, err := p.PostReminderNow(ctx, at("2026-11-30 10:00"))
			if err != nil {
				return nil, err
			}
			return []string{key, "reminder:2:168h0m0s"}, p.Reminders(ctx, at("2026-12-01 14:00"))
		}, "reminder-now:2:2026-11-30T09:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, p, _ := mustPosts(t)
			ctx := context.Background()
			keys, err := tt.run(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, key := range keys {
				d, err := s.DeliveryByKey(ctx, key)
				if err != nil {
					t.Fatalf("%s: %v", key, err)
				}
				if got, want := strings.Contains(d.Text, followUp) && strings.Contains(d.Blocks, followUp), key == tt.first; got != want {
					t.Errorf("%s opens with the follow-up: %v, want %v\n%.300s", key, got, want, d.Text)
				}
			}
		})
	}
}

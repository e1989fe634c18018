package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustSpec(t *testing.T, spec string) interface{ Next(time.Time) time.Time } {
	t.Helper()
	s, err := ParseSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	return OnWallClock(s, paris)
}

func format(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.In(paris).Format("2006-01-02 15:04 MST")
	}
	return out
}

func TestWallClockAcrossDaylightSaving(t *testing.T) {
	tests := []struct {
		name, spec, from string
		want             []string
	}{
		{"weekly Monday 09:00", "0 9 * * MON", "2026-11-26 10:00", []string{"2026-11-30 09:00 CET", "2026-12-07 09:00 CET", "2026-12-14 09:00 CET"}},
		{"02:30 on the March 2027 change comes at 03:30", "30 2 * * *", "2027-03-27 12:00", []string{"2027-03-28 03:30 CEST", "2027-03-29 02:30 CEST", "2027-03-30 02:30 CEST"}},
		{"02:30 on the October 2027 change comes once", "30 2 * * *", "2027-10-30 12:00", []string{"2027-10-31 02:30 CET", "2027-11-01 02:30 CET", "2027-11-02 02:30 CET"}},
		{"09:00 is untouched by the changes", "0 9 * * *", "2027-03-27 12:00", []string{"2027-03-28 09:00 CEST", "2027-03-29 09:00 CEST", "2027-03-30 09:00 CEST"}},
		{"an explicit zone keeps its own clock", "CRON_TZ=UTC 0 8 * * *", "2027-03-27 12:00", []string{"2027-03-28 10:00 CEST", "2027-03-29 10:00 CEST", "2027-03-30 10:00 CEST"}},
		{"CRON_TZ=Europe/Paris 02:30 on the March change comes at 03:30", "CRON_TZ=Europe/Paris 30 2 * * *", "2027-03-27 12:00", []string{"2027-03-28 03:30 CEST", "2027-03-29 02:30 CEST", "2027-03-30 02:30 CEST"}},
		{"CRON_TZ=Europe/Paris 02:30 on the October change comes once", "CRON_TZ=Europe/Paris 30 2 * * *", "2027-10-30 12:00", []string{"2027-10-31 02:30 CET", "2027-11-01 02:30 CET", "2027-11-02 02:30 CET"}},
		{"CRON_TZ=America/New_York on its own change", "CRON_TZ=America/New_York 30 2 * * *", "2027-03-13 12:00", []string{"2027-03-14 08:30 CET", "2027-03-15 07:30 CET", "2027-03-16 07:30 CET"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSpec(t, tt.spec)
			var got []time.Time
			next := at(tt.from)
			for range 3 {
				next = s.Next(next)
				got = append(got, next)
			}
			if diff := cmp.Diff(tt.want, format(got)); diff != "" {
				t.Errorf("slots (-want +got):\n%s", diff)
			}
		})
	}
	// Whichever of October's two 02:30 is chosen, it is chosen once: from
	// any moment of the repeated hour, the slot after the one of the 31st
	// is the 1st's.
	s := mustSpec(t, "30 2 * * *")
	for _, from := range []time.Time{
		time.Date(2027, 10, 31, 0, 10, 0, 0, time.UTC), // 02:10 CEST, the first time round
		time.Date(2027, 10, 31, 1, 10, 0, 0, time.UTC), // 02:10 CET, the second
	} {
		first := s.Next(from)
		if got := format([]time.Time{s.Next(first)}); got[0] != "2027-11-01 02:30 CET" {
			t.Errorf("from %s: slots %s then %s", format([]time.Time{from})[0], format([]time.Time{first})[0], got[0])
		}
	}
}

func TestMissedSlot(t *testing.T) {
	cal := FrenchCalendar(paris)
	workdays := func(t time.Time) Slot { return Slot{At: t, SendAt: cal.Postpone(t)} }
	tests := []struct {
		name, spec, now string
		window          time.Duration
		want            string // slot At, or "" for none
	}{
		{"started an hour after the Monday slot", "0 9 * * MON", "2026-11-30 10:00", 24 * time.Hour, "2026-11-30 09:00"},
		{"started 23h after", "0 9 * * MON", "2026-12-01 08:00", 24 * time.Hour, "2026-11-30 09:00"},
		{"started 25h after: too late", "0 9 * * MON", "2026-12-01 10:00", 24 * time.Hour, ""},
		{"started before the slot: nothing missed", "0 9 * * MON", "2026-11-30 08:59", 24 * time.Hour, ""},
		{"Easter Monday's slot postponed to Tuesday, caught up on Tuesday", "0 9 * * MON", "2027-03-30 20:00", 24 * time.Hour, "2027-03-29 09:00"},
		{"Easter Monday's slot, started on the holiday: due Tuesday", "0 9 * * MON", "2027-03-29 12:00", 24 * time.Hour, "2027-03-29 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sched, _ := ParseSpec(tt.spec)
			got, ok := MissedSlot(OnWallClock(sched, paris), at(tt.now), tt.window, workdays)
			gotS := ""
			if ok {
				gotS = got.At.In(paris).Format("2006-01-02 15:04")
			}
			if gotS != tt.want {
				t.Errorf("MissedSlot = %q, want %q", gotS, tt.want)
			}
		})
	}
}

func TestDueReminder(t *testing.T) {
	meeting := at("2026-12-08 14:00")
	offsets := []time.Duration{7 * 24 * time.Hour, 24 * time.Hour}
	tests := []struct {
		now  string
		want time.Duration
		ok   bool
	}{
		{"2026-11-30 10:00", 0, false},
		{"2026-12-01 13:59", 0, false},
		{"2026-12-01 14:00", 7 * 24 * time.Hour, true},
		{"2026-12-05 09:00", 7 * 24 * time.Hour, true},
		{"2026-12-07 14:00", 24 * time.Hour, true},
		// Back from a stop that spanned both: only the latest, never two.
		{"2026-12-08 09:00", 24 * time.Hour, true},
		{"2026-12-08 14:00", 0, false},
	}
	for _, tt := range tests {
		got, ok := DueReminder(meeting, offsets, at(tt.now), paris)
		if got != tt.want || ok != tt.ok {
			t.Errorf("DueReminder at %s = %v, %v; want %v, %v", tt.now, got, ok, tt.want, tt.ok)
		}
	}
}

// TestReminderAt places reminders before COPILs on either side of the
// daylight-saving changes of 2027 in Paris (28 March, 31 October): whole
// days are calendar days at the meeting's wall-clock time, hours are
// hours.
func TestReminderAt(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		name    string
		meeting string
		off     time.Duration
		want    string // on Paris's wall clock
	}{
		{"7d across March's change", "2027-04-01 14:00 CEST", 7 * day, "2027-03-25 14:00 CET"},
		{"7d across October's change", "2027-11-04 14:00 CET", 7 * day, "2027-10-28 14:00 CEST"},
		{"1d over the short Sunday", "2027-03-29 14:00 CEST", day, "2027-03-28 14:00 CEST"},
		{"1d over the long Sunday", "2027-11-01 09:30 CET", day, "2027-10-31 09:30 CET"},
		{"48h is two days", "2027-03-29 14:00 CEST", 2 * day, "2027-03-27 14:00 CET"},
		{"1d into the missing hour", "2027-03-29 02:30 CEST", day, "2027-03-28 03:30 CEST"},
		{"7d with no change between", "2027-06-10 14:00 CEST", 7 * day, "2027-06-03 14:00 CEST"},
		{"36h is a duration", "2027-03-29 14:00 CEST", 36 * time.Hour, "2027-03-28 01:00 CET"},
		{"90m is a duration", "2027-10-31 03:30 CET", 90 * time.Minute, "2027-10-31 02:00 CET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := time.ParseInLocation("2006-01-02 15:04 MST", tt.meeting, paris)
			if err != nil {
				t.Fatal(err)
			}
			if got := ReminderAt(m, tt.off, paris).In(paris).Format("2006-01-02 15:04 MST"); got != tt.want {
				t.Errorf("%s before %s = %s, want %s", tt.off, tt.meeting, got, tt.want)
			}
		})
	}
}

// TestSchedulerRunsSlots runs the real robfig/cron loop on synctest's fake
// clock over three weeks: a weekly job gets its three slots, Easter Monday's
// postponed; a failing and a panicking job stop nothing.
func TestSchedulerRunsSlots(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The bubble starts at 2000-01-01 UTC; move to Thursday 25 March 2027.
		time.Sleep(time.Until(at("2027-03-25 10:00")))
		var mu sync.Mutex
		var slots []string
		calls := map[string]int{}
		record := func(name string) func(context.Context, Slot) error {
			return func(_ context.Context, s Slot) error {
				mu.Lock()
				defer mu.Unlock()
				calls[name]++
				if name == "weekly" {
					slots = append(slots, s.At.In(paris).Format("01-02 15:04")+"→"+s.SendAt.In(paris).Format("01-02 15:04"))
				}
				return nil
			}
		}
		s := NewScheduler(paris, slog.New(slog.DiscardHandler), nil)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		err := s.Start(ctx, []Job{
			{Name: "weekly", Spec: "0 9 * * MON", Run: record("weekly"), Workdays: true, CatchUp: 24 * time.Hour},
			{Name: "fails", Spec: "0 * * * *", Run: func(context.Context, Slot) error { return errors.New("boom") }},
			{Name: "panics", Spec: "0 * * * *", Run: func(context.Context, Slot) error { panic("boom") }},
			{Name: "hourly", Spec: "30 * * * *", Run: record("hourly")},
			{Name: "at start", Spec: "@every 1h", Run: record("at start"), AtStart: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Until(at("2027-04-13 00:00")))
		s.Stop()
		want := []string{"03-29 09:00→03-30 09:00", "04-05 09:00→04-05 09:00", "04-12 09:00→04-12 09:00"}
		if diff := cmp.Diff(want, slots); diff != "" {
			t.Errorf("weekly slots (-want +got):\n%s", diff)
		}
		hours := int(at("2027-04-13 00:00").Sub(at("2027-03-25 10:00")).Hours())
		if calls["hourly"] != hours {
			t.Errorf("hourly ran %d times, want %d: failing jobs got in the way", calls["hourly"], hours)
		}
		if calls["at start"] != hours+1 {
			t.Errorf("at-start job ran %d times, want %d", calls["at start"], hours+1)
		}
	})
}

func TestSchedulerRefusesBadSpec(t *testing.T) {
	s := NewScheduler(paris, nil, nil)
	err := s.Start(context.Background(), []Job{{Name: "digest prospection", Spec: "CRON_TZ=Nowhere 0 9 * * MON", Run: func(context.Context, Slot) error { return nil }}})
	if err == nil || !strings.Contains(err.Error(), "digest prospection") {
		t.Errorf("error = %v", err)
	}
}

// TestLateFireKeepsItsSlot: cron firing 65 s late (a paused machine) must
// name the slot the spec gave, as a catch-up at the next start would, or
// the two would post the same digest under two keys.
func TestLateFireKeepsItsSlot(t *testing.T) {
	cron, _ := ParseSpec("0 9 * * MON")
	s := NewScheduler(paris, slog.New(slog.DiscardHandler), nil)
	j := Job{Name: "digest", Workdays: true, CatchUp: 24 * time.Hour}
	for _, late := range []time.Duration{0, 65 * time.Second, 3 * time.Hour} {
		fired := at("2026-11-30 09:00").Add(late)
		got := s.slot(OnWallClock(cron, paris), j, fired)
		missed, ok := s.missed(OnWallClock(cron, paris), j, fired)
		if !got.At.Equal(at("2026-11-30 09:00")) || !ok || !missed.At.Equal(got.At) {
			t.Errorf("fired %v late: slot %v, catch-up %v (%v)", late, got.At.In(paris), missed.At.In(paris), ok)
		}
	}
}

// TestEveryOnAGrid: replicas started at different times run an @every job
// at the same times and name the same slots, so that its outbox keys make
// one post of each slot among them.
func TestEveryOnAGrid(t *testing.T) {
	sched, err := ParseSpec("@every 1m")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		from time.Duration // after 09:00
		want string
	}{
		{0, "2026-11-30 09:01"},
		{37 * time.Second, "2026-11-30 09:01"},
		{59*time.Minute + 59*time.Second, "2026-11-30 10:00"},
	} {
		if got := sched.Next(at("2026-11-30 09:00").Add(tc.from)); !got.Equal(at(tc.want)) {
			t.Errorf("Next(09:00 + %s) = %s, want %s", tc.from, got.In(paris).Format(time.DateTime), tc.want)
		}
	}
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		slots := map[int][]string{}
		start := func(replica int) *Scheduler {
			s := NewScheduler(paris, slog.New(slog.DiscardHandler), nil)
			err := s.Start(context.Background(), []Job{{Name: "digest", Spec: "@every 1m", Run: func(_ context.Context, sl Slot) error {
				mu.Lock()
				defer mu.Unlock()
				slots[replica] = append(slots[replica], sl.At.In(paris).Format(time.TimeOnly))
				return nil
			}}})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		time.Sleep(time.Until(time.Now().Truncate(time.Minute).Add(time.Minute + 7*time.Second)))
		a := start(0)
		time.Sleep(23 * time.Second)
		b := start(1)
		time.Sleep(3*time.Minute - 23*time.Second)
		a.Stop()
		b.Stop()
		if len(slots[0]) != 3 {
			t.Errorf("slots = %v, want 3", slots[0])
		}
		if diff := cmp.Diff(slots[0], slots[1]); diff != "" {
			t.Errorf("slots of two replicas (-first +second):\n%s", diff)
		}
	})
}

package bot

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is one scheduled task of the bot: a name for the logs, a cron spec,
// and what to do for each slot the spec names.
type Job struct {
	Name string
	Spec string
	Run  func(ctx context.Context, s Slot) error
	// Workdays postpones a slot that falls on a French public holiday to
	// the next working day: Slot.SendAt says when to post.
	Workdays bool
	// CatchUp, when set, runs at start the latest slot missed while the
	// bot was down, if its send time is less than CatchUp ago.
	CatchUp time.Duration
	// AtStart runs the job once when the scheduler starts, with the slot
	// "now" (for jobs that look at the state of things, not at slots).
	AtStart bool
}

// Slot is one occurrence of a job: At is the time its spec names, SendAt
// when its post should go out (At, or the next working day at the same
// time).
type Slot struct {
	At, SendAt time.Time
}

// Scheduler runs jobs at their cron specs in the configured time zone,
// through robfig/cron with cron.Recover in the chain: a job that fails or
// panics is logged with its name and never stops the others.
type Scheduler struct {
	loc  *time.Location
	cal  *Calendar
	log  *slog.Logger
	now  func() time.Time
	cron *cron.Cron
	ctx  context.Context
}

// NewScheduler returns a scheduler in loc; now is its clock (nil: time.Now).
func NewScheduler(loc *time.Location, log *slog.Logger, now func() time.Time) *Scheduler {
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	return &Scheduler{loc: loc, cal: FrenchCalendar(loc), log: log, now: now}
}

// CheckJobs checks every job's spec, as Start does, and runs nothing.
func CheckJobs(jobs []Job) error {
	_, err := parseJobs(jobs, time.UTC)
	return err
}

func parseJobs(jobs []Job, loc *time.Location) ([]cron.Schedule, error) {
	scheds := make([]cron.Schedule, len(jobs))
	for i, j := range jobs {
		sched, err := ParseSpec(j.Spec)
		if err != nil {
			return nil, fmt.Errorf("job %s: spec %q: %w", j.Name, j.Spec, err)
		}
		scheds[i] = OnWallClock(sched, loc)
	}
	return scheds, nil
}

// Start catches up on missed slots, then runs jobs until Stop. Every spec
// is checked before anything runs.
func (s *Scheduler) Start(ctx context.Context, jobs []Job) error {
	scheds, err := parseJobs(jobs, s.loc)
	if err != nil {
		return err
	}
	s.ctx = ctx
	now := s.now()
	for i, j := range jobs {
		switch {
		case j.AtStart:
			s.run(j, Slot{At: now, SendAt: now})
		case j.CatchUp > 0:
			if slot, ok := s.missed(scheds[i], j, now); ok {
				s.log.Info("catching up a missed slot", "job", j.Name, "slot", slot.At.In(s.loc).Format(time.DateTime))
				s.run(j, slot)
			}
		}
	}
	s.cron = cron.New(cron.WithLocation(s.loc), cron.WithChain(cron.Recover(cronLogger{s.log})))
	for i, j := range jobs {
		sched := scheds[i]
		s.cron.Schedule(sched, cron.FuncJob(func() {
			s.run(j, s.slot(sched, j, s.now()))
		}))
	}
	s.cron.Start()
	return nil
}

// Stop stops the scheduler and waits for the jobs running.
func (s *Scheduler) Stop() {
	if s.cron != nil {
		<-s.cron.Stop().Done()
	}
}

func (s *Scheduler) run(j Job, slot Slot) {
	if err := j.Run(s.ctx, slot); err != nil {
		s.log.Error("scheduled job failed", "job", j.Name, "slot", slot.At.In(s.loc).Format(time.DateTime), "err", err)
	}
}

// slot returns the slot a job fired for at now: the latest time at or
// before now that its spec names — the same slot a catch-up at start would
// find, even when cron fired late (a paused machine, a clock step), so
// that both write the same outbox key. An @every spec's slot is the time
// of its grid at or before now, the same in every replica.
func (s *Scheduler) slot(sched cron.Schedule, j Job, now time.Time) Slot {
	if every, ok := sched.(Every); ok {
		return s.sendAt(j, now.Truncate(every.Delay))
	}
	if at, ok := LatestSlot(sched, now); ok {
		return s.sendAt(j, at)
	}
	return s.sendAt(j, now.Truncate(time.Minute))
}

// LatestSlot returns the latest time at or before now that sched names,
// looking back an hour, then a week, then a year — cheap for a job that
// runs every minute, and still right for a weekly one.
func LatestSlot(sched cron.Schedule, now time.Time) (time.Time, bool) {
	for _, back := range []time.Duration{time.Hour, 8 * 24 * time.Hour, 400 * 24 * time.Hour} {
		var last time.Time
		for t := now.Add(-back); ; {
			next := sched.Next(t)
			if next.IsZero() || next.After(now) {
				break
			}
			last, t = next, next
		}
		if !last.IsZero() {
			return last, true
		}
	}
	return time.Time{}, false
}

func (s *Scheduler) sendAt(j Job, at time.Time) Slot {
	if j.Workdays {
		return Slot{At: at, SendAt: s.cal.Postpone(at)}
	}
	return Slot{At: at, SendAt: at}
}

// missed returns the latest slot of sched at or before now whose send time
// is less than j.CatchUp ago. @every specs have no slot worth catching up.
func (s *Scheduler) missed(sched cron.Schedule, j Job, now time.Time) (Slot, bool) {
	if _, every := sched.(Every); every {
		return Slot{}, false
	}
	return MissedSlot(sched, now, j.CatchUp, func(at time.Time) Slot { return s.sendAt(j, at) })
}

// MissedSlot returns the latest slot of sched at or before now whose send
// time (as sendAt computes it) is at most window ago. It looks back window
// plus a week, which covers a slot postponed over a holiday weekend.
func MissedSlot(sched cron.Schedule, now time.Time, window time.Duration, sendAt func(time.Time) Slot) (Slot, bool) {
	var best Slot
	found := false
	t := now.Add(-window - 7*24*time.Hour)
	for i := 0; i < 100000; i++ {
		next := sched.Next(t)
		if next.IsZero() || next.After(now) {
			break
		}
		if sl := sendAt(next); !sl.SendAt.Before(now.Add(-window)) {
			best, found = sl, true
		}
		t = next
	}
	return best, found
}

// OnWallClock makes a five-field spec follow the wall clock of loc across
// daylight-saving changes. On its own, robfig/cron skips a 02:30 job on the
// day clocks go forward and runs it twice on the day they go back; read on
// the wall clock, 02:30 on the March day is 03:30 (the hour that exists)
// and comes once in October. A spec with its own CRON_TZ= follows the
// same rule on its zone's wall clock. @every specs are returned as they
// are.
func OnWallClock(sched cron.Schedule, loc *time.Location) cron.Schedule {
	spec, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return sched
	}
	if spec.Location != time.Local {
		// Evaluated on civil time like the others: the spec's own zone
		// becomes the wall clock, and the copy reads times as given.
		own := *spec
		loc, own.Location = spec.Location, time.Local
		spec = &own
	}
	return wallClock{spec: spec, loc: loc}
}

type wallClock struct {
	spec *cron.SpecSchedule
	loc  *time.Location
}

// Next evaluates the spec on civil time (the wall clock read as UTC, which
// has no daylight saving) and maps the answer back to loc.
func (w wallClock) Next(t time.Time) time.Time {
	l := t.In(w.loc)
	civil := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
	for i := 0; i < 1000; i++ {
		civil = w.spec.Next(civil)
		if civil.IsZero() {
			return civil
		}
		// In October's repeated hour, the civil time may map to the first
		// of the two instants, before t: that slot has been run already.
		if r := onWall(civil, w.loc); r.After(t) {
			return r
		}
	}
	return time.Time{}
}

// onWall returns the instant at which the wall clock of loc reads civil (a
// wall-clock time written in UTC, which has no daylight saving). In
// March's missing hour, time.Date may give the instant an hour early (New
// York) or late (Paris): the wall clock skips the hour, so the time is as
// far past it as it was into it — 02:30 at 03:30. In October's repeated
// hour it is one of the two.
func onWall(civil time.Time, loc *time.Location) time.Time {
	r := time.Date(civil.Year(), civil.Month(), civil.Day(), civil.Hour(), civil.Minute(), civil.Second(), civil.Nanosecond(), loc)
	l := r.In(loc)
	if read := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC); read.Before(civil) {
		r = r.Add(civil.Sub(read))
	}
	return r
}

// ReminderAt returns when the reminder off before a meeting at meeting
// falls. An offset of whole days ("7d", "1d", or "48h") counts calendar
// days on loc's wall clock, at the meeting's time: seven days before a
// COPIL at 14:00 is 14:00, whatever daylight saving did in between (on the
// day clocks go forward, 02:30 is 03:30). Any other offset ("36h", "90m")
// is a duration.
func ReminderAt(meeting time.Time, off time.Duration, loc *time.Location) time.Time {
	const day = 24 * time.Hour
	if off <= 0 || off%day != 0 {
		return meeting.Add(-off)
	}
	l := meeting.In(loc)
	civil := time.Date(l.Year(), l.Month(), l.Day()-int(off/day), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
	return onWall(civil, loc)
}

// DueReminder returns which reminder of a meeting at meeting is due at
// now: of the offsets before the meeting that have passed (each as
// ReminderAt places it on loc's wall clock), the smallest — the latest
// reminder — so that a bot back from a long stop sends one reminder, never
// two at once. False before the first offset and once the meeting has
// started.
func DueReminder(meeting time.Time, offsets []time.Duration, now time.Time, loc *time.Location) (time.Duration, bool) {
	if !now.Before(meeting) {
		return 0, false
	}
	var best time.Duration
	found := false
	for _, off := range offsets {
		if !ReminderAt(meeting, off, loc).After(now) && (!found || off < best) {
			best, found = off, true
		}
	}
	return best, found
}

// cronLogger lets cron.Recover log panics through slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}

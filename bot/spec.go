package bot

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// cronParser reads the digest specs: five fields, or a descriptor such as
// @weekly or @every 5s, optionally after CRON_TZ=Area/City.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSpec parses a cron spec without ever panicking: robfig/cron panics
// on some malformed CRON_TZ= specs, so the zone is checked first and any
// panic left is turned into an error.
func ParseSpec(spec string) (s cron.Schedule, err error) {
	if rest, ok := strings.CutPrefix(spec, "CRON_TZ="); ok || strings.HasPrefix(spec, "TZ=") {
		if !ok {
			rest = strings.TrimPrefix(spec, "TZ=")
		}
		zone, fields, found := strings.Cut(rest, " ")
		if !found || strings.TrimSpace(fields) == "" {
			return nil, errors.New("a CRON_TZ= zone must be followed by the schedule, as in \"CRON_TZ=Europe/Paris 0 9 * * MON\"")
		}
		if _, err := time.LoadLocation(zone); err != nil || zone == "" {
			return nil, fmt.Errorf("unknown time zone %q", zone)
		}
	}
	if every, ok := strings.CutPrefix(strings.TrimSpace(spec), "@every "); ok {
		if d, err := time.ParseDuration(strings.TrimSpace(every)); err != nil || d < time.Second {
			return nil, fmt.Errorf("@every takes a duration of at least 1s, such as \"@every 5s\" or \"@every 168h\"")
		}
	}
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("not a cron spec (%v)", r)
		}
	}()
	s, err = cronParser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("not a cron spec: %v (write it as \"0 9 * * MON\", minute hour day month weekday)", err)
	}
	if d, ok := s.(cron.ConstantDelaySchedule); ok {
		return Every{d.Delay}, nil
	}
	// robfig/cron gives up after five years: a spec with no time in that
	// span (30 February) never fires. From a leap year's 1 January, 29
	// February is found.
	if s.Next(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return nil, errors.New("this spec never fires (no such date): check the day and the month")
	}
	return s, nil
}

// Every is an @every spec on a grid: its times are the multiples of Delay
// since Go's zero time (every minute on the minute, every 5 s at :00, :05…),
// not Delay after whenever the process started, so that replicas started
// at different times name the same slots, and a slot's outbox key makes
// one post of it among them.
type Every struct {
	Delay time.Duration
}

// Next returns the first time of the grid after t.
func (e Every) Next(t time.Time) time.Time {
	return t.Truncate(e.Delay).Add(e.Delay)
}

package bot

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/fr"
)

// Calendar knows which days are French public holidays — Easter and
// Pentecost Mondays, Ascension, 1 and 8 May, 14 July, 15 August, 1 and 11
// November, Christmas, New Year — through rickar/cal, which computes the
// moving feasts from Easter so that no year's dates need to be typed in.
type Calendar struct {
	bc  *cal.BusinessCalendar
	loc *time.Location
}

// FrenchCalendar returns the calendar of French public holidays, with days
// taken in loc.
func FrenchCalendar(loc *time.Location) *Calendar {
	bc := cal.NewBusinessCalendar()
	bc.AddHoliday(fr.Holidays...)
	return &Calendar{bc: bc, loc: loc}
}

// IsHoliday reports whether t's day (in the calendar's zone) is a public
// holiday.
func (c *Calendar) IsHoliday(t time.Time) bool {
	actual, observed, _ := c.bc.IsHoliday(c.day(t))
	return actual || observed
}

// IsWorkday reports whether t's day is a weekday that is not a holiday.
func (c *Calendar) IsWorkday(t time.Time) bool {
	return c.bc.IsWorkday(c.day(t))
}

// day returns noon of t's day in the calendar's zone: cal compares dates,
// and noon keeps clear of daylight-saving edges.
func (c *Calendar) day(t time.Time) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d, 12, 0, 0, 0, c.loc)
}

// Postpone moves t, keeping its wall-clock time, to the next working day
// when t falls on a public holiday; any other t is returned as it is (a
// digest set for a Saturday still goes out on Saturday).
func (c *Calendar) Postpone(t time.Time) time.Time {
	if !c.IsHoliday(t) {
		return t
	}
	local := t.In(c.loc)
	for i := 1; i <= 14; i++ {
		next := time.Date(local.Year(), local.Month(), local.Day()+i, local.Hour(), local.Minute(), local.Second(), 0, c.loc)
		if c.IsWorkday(next) {
			return next
		}
	}
	return t
}

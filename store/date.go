package store

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar day with no time of day and no time zone, such as an
// action's due date. The zero Date is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the Date for year, month and day, or an error when that
// day does not exist (31/02/2027).
func NewDate(year int, month time.Month, day int) (Date, error) {
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 {
		return Date{}, fmt.Errorf("%04d-%02d-%02d: %w", year, month, day, ErrNoSuchDay)
	}
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || t.Month() != month {
		return Date{}, fmt.Errorf("%04d-%02d-%02d: %w", year, month, day, ErrNoSuchDay)
	}
	return Date{year, month, day}, nil
}

// DateOf returns the calendar day that t falls on in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// ParseISODate parses a date written 2006-01-02.
func ParseISODate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: %w", s, ErrNoSuchDay)
	}
	return DateOf(t, time.UTC), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns d as 2006-01-02, the form it is stored in.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// In returns midnight of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date {
	return DateOf(d.In(time.UTC).AddDate(0, 0, n), time.UTC)
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.String() < e.String() }

// DaysSince returns how many days lie from e to d (positive when d is after e).
func (d Date) DaysSince(e Date) int {
	// In seconds, not time.Duration: a Duration spans only 292 years, and
	// a date of 2200 would count from 1900 wrongly.
	return int((d.In(time.UTC).Unix() - e.In(time.UTC).Unix()) / (24 * 60 * 60))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.In(time.UTC).Weekday() }

// Value stores d as 2006-01-02 text so that SQL compares dates as strings.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date stored by Value.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		p, err := ParseISODate(v)
		*d = p
		return err
	case []byte:
		p, err := ParseISODate(string(v))
		*d = p
		return err
	case time.Time:
		*d = DateOf(v, time.UTC)
		return nil
	}
	return fmt.Errorf("store: cannot scan %T into Date", src)
}

// GormDataType tells GORM the column type.
func (Date) GormDataType() string { return "text" }

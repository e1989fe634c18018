package bot

import (
	"testing"
	"time"
)

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCalendarPostpone(t *testing.T) {
	c := FrenchCalendar(paris)
	tests := []struct {
		name, in, want string
	}{
		{"ordinary Monday", "2027-03-22 09:00", "2027-03-22 09:00"},
		{"Easter Monday 2027", "2027-03-29 09:00", "2027-03-30 09:00"},
		{"Pentecost Monday 2027", "2027-05-17 09:00", "2027-05-18 09:00"},
		{"Ascension Thursday 2027", "2027-05-06 09:30", "2027-05-07 09:30"},
		{"1 May 2027 is a Saturday: next working day is Monday 3", "2027-05-01 09:00", "2027-05-03 09:00"},
		{"8 May 2028 is a Monday", "2028-05-08 09:00", "2028-05-09 09:00"},
		{"14 July 2027", "2027-07-14 09:00", "2027-07-15 09:00"},
		{"15 August 2027 is a Sunday", "2027-08-15 09:00", "2027-08-16 09:00"},
		{"1 November 2027 (Monday)", "2027-11-01 09:00", "2027-11-02 09:00"},
		{"11 November 2027 (Thursday)", "2027-11-11 09:00", "2027-11-12 09:00"},
		{"Christmas 2026 (Friday) goes to Monday", "2026-12-25 09:00", "2026-12-28 09:00"},
		{"New Year 2027 (Friday) goes to Monday", "2027-01-01 09:00", "2027-01-04 09:00"},
		{"a Saturday that is no holiday stays", "2027-03-27 09:00", "2027-03-27 09:00"},
		{"Easter Sunday is no public holiday", "2027-03-28 09:00", "2027-03-28 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Postpone(at(tt.in)); !got.Equal(at(tt.want)) {
				t.Errorf("Postpone(%s) = %s, want %s", tt.in, got.In(paris).Format("2006-01-02 15:04 Mon"), tt.want)
			}
		})
	}
}

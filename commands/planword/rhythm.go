package planword

import (
	"strconv"
	"strings"

	"github.com/tours-metropole/actionbot/store"
)

// rhythmUnits maps the Key of every accepted unit to its store unit:
// French and English, singular and plural, short and long.
var rhythmUnits = map[string]store.RhythmUnit{
	"j": store.Days, "jour": store.Days, "jours": store.Days, "d": store.Days, "day": store.Days, "days": store.Days,
	"s": store.Weeks, "sem": store.Weeks, "semaine": store.Weeks, "semaines": store.Weeks,
	"w": store.Weeks, "wk": store.Weeks, "week": store.Weeks, "weeks": store.Weeks,
	"m": store.Months, "mois": store.Months, "month": store.Months, "months": store.Months,
}

// Rhythm reads a rhythm of updates: a whole number and a unit, joined or
// not — « 14j », « 14 jours », « 2 semaines », « 1 mois », "14d",
// "2 weeks", "1m". The unit is kept, so that « 2 semaines » is written
// back as such. It refuses with NotRhythm, or with OutOfRange for a
// rhythm of zero or longer than store.MaxRhythmDays. NoneWord tells
// « aucun » apart, which callers read as "the group's rhythm".
func Rhythm(s string) (store.Rhythm, Problem) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 4 {
		return store.Rhythm{}, NotRhythm
	}
	n, _ := strconv.Atoi(s[:i])
	unit, ok := rhythmUnits[Key(s[i:])]
	if !ok {
		return store.Rhythm{}, NotRhythm
	}
	r := store.Rhythm{N: n, Unit: unit}
	if !r.Valid() {
		return store.Rhythm{}, OutOfRange
	}
	return r, NoProblem
}

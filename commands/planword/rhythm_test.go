package planword_test

import (
	"testing"

	"github.com/tours-metropole/actionbot/commands/planword"
	"github.com/tours-metropole/actionbot/store"
)

func TestRhythm(t *testing.T) {
	tests := []struct {
		in   string
		want store.Rhythm
		prob planword.Problem
	}{
		{in: "14j", want: store.Rhythm{N: 14, Unit: store.Days}},
		{in: "14 jours", want: store.Rhythm{N: 14, Unit: store.Days}},
		{in: "1 jour", want: store.Rhythm{N: 1, Unit: store.Days}},
		{in: "14d", want: store.Rhythm{N: 14, Unit: store.Days}},
		{in: "2 semaines", want: store.Rhythm{N: 2, Unit: store.Weeks}},
		{in: "2 Semaines", want: store.Rhythm{N: 2, Unit: store.Weeks}},
		{in: "3 weeks", want: store.Rhythm{N: 3, Unit: store.Weeks}},
		{in: "2w", want: store.Rhythm{N: 2, Unit: store.Weeks}},
		{in: "1 mois", want: store.Rhythm{N: 1, Unit: store.Months}},
		{in: "1m", want: store.Rhythm{N: 1, Unit: store.Months}},
		{in: "6 months", want: store.Rhythm{N: 6, Unit: store.Months}},
		{in: "0j", prob: planword.OutOfRange},
		{in: "1000 jours", prob: planword.OutOfRange},
		{in: "30 mois", prob: planword.OutOfRange},
		{in: "14", prob: planword.NotRhythm},
		{in: "jours", prob: planword.NotRhythm},
		{in: "14 ans", prob: planword.NotRhythm},
		{in: "-3j", prob: planword.NotRhythm},
		{in: "", prob: planword.NotRhythm},
		{in: "aucun", prob: planword.NotRhythm},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, prob := planword.Rhythm(tt.in)
			if got != tt.want || prob != tt.prob {
				t.Errorf("Rhythm(%q) = %v, %v; want %v, %v", tt.in, got, prob, tt.want, tt.prob)
			}
		})
	}
}

func FuzzRhythm(f *testing.F) {
	for _, s := range []string{"14j", "2 semaines", "1 mois", "3 weeks", "0d", "99999m", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, prob := planword.Rhythm(s)
		if prob == planword.NoProblem && !r.Valid() {
			t.Errorf("Rhythm(%q) = %v, an invalid rhythm, with no problem", s, r)
		}
	})
}

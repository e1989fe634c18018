package bot

import (
	"strings"
	"testing"
	"time"
)

func TestParseSpecNeverPanics(t *testing.T) {
	tests := []struct {
		spec string
		ok   bool
	}{
		{"0 9 * * MON", true},
		{"@every 5s", true},
		{"@weekly", true},
		{"CRON_TZ=Europe/Paris 0 9 * * MON", true},
		{"TZ=Europe/Paris 0 9 * * MON", true},
		{"CRON_TZ=", false},
		{"CRON_TZ=Europe/Paris", false},
		{"CRON_TZ= 0 9 * * MON", false},
		{"CRON_TZ=Nowhere/Land 0 9 * * MON", false},
		{"TZ=", false},
		{"0 9 * *", false},
		{"61 9 * * MON", false},
		{"", false},
		{"@every -5s", false},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			s, err := ParseSpec(tt.spec)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseSpec(%q) error = %v, want ok %v", tt.spec, err, tt.ok)
			}
			if tt.ok && strings.HasPrefix(tt.spec, "0 9") {
				paris, _ := time.LoadLocation("Europe/Paris")
				from := time.Date(2026, 11, 26, 10, 0, 0, 0, paris) // a Thursday
				if got, want := s.Next(from), time.Date(2026, 11, 30, 9, 0, 0, 0, paris); !got.Equal(want) {
					t.Errorf("Next = %v, want %v", got, want)
				}
			}
		})
	}
}

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"0 9 * * MON", "CRON_TZ=Europe/Paris 0 9 * * MON", "CRON_TZ=", "TZ=x", "@every 5s", "* * * * * *"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		ParseSpec(spec) // must not panic
	})
}

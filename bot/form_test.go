package bot

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
)

// TestSlashCommandOf reads slash command forms as slack.SlashCommandParse
// does.
func TestSlashCommandOf(t *testing.T) {
	tests := []struct{ name, body string }{
		{"slack's", "token=x&team_id=T0TEAM&team_domain=tours&channel_id=C0&channel_name=copil&user_id=U0&user_name=marie" +
			"&command=%2Faction&text=23+note+Point+d%27%C3%A9tape+%C3%A0+100%25&api_app_id=A0" +
			"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0%2F1%2Fabc&trigger_id=1.2.3"},
		{"enterprise", "command=/copil&text=&enterprise_id=E0&enterprise_name=M%C3%A9tropole&is_enterprise_install=true"},
		{"the first of two values", "command=/action&text=23&text=24&user_id=U1&user_id=U2"},
		{"unknown fields and empty pairs", "a=1&&command=/action&=x&text&b"},
		{"no form", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			want, err := slack.SlashCommandParse(r)
			if err != nil {
				t.Fatal(err)
			}
			got, err := slashCommandOf("application/x-www-form-urlencoded", []byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-SlashCommandParse +slashCommandOf):\n%s", diff)
			}
		})
	}
	if _, err := slashCommandOf("application/json", []byte(`{"command":"/action"}`)); err == nil {
		t.Error("a JSON body read as a form")
	}
	if _, err := slashCommandOf("application/x-www-form-urlencoded", []byte("command=/action&text=%zz")); err == nil {
		t.Error("a bad escape read without an error")
	}
}

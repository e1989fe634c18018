package bot_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/bot"
)

// authAnswers plays auth.test: each call takes the next answer.
type authAnswers struct {
	answers []func() (*slack.AuthTestResponse, error)
	calls   int
}

func (a *authAnswers) AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error) {
	f := a.answers[min(a.calls, len(a.answers)-1)]
	a.calls++
	return f()
}

func TestCheckBotToken(t *testing.T) {
	ok := func(team string) func() (*slack.AuthTestResponse, error) {
		return func() (*slack.AuthTestResponse, error) {
			return &slack.AuthTestResponse{TeamID: team, Team: "Tours Métropole", UserID: "U0BOT"}, nil
		}
	}
	down := func() (*slack.AuthTestResponse, error) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	}
	revoked := func() (*slack.AuthTestResponse, error) {
		return nil, slack.SlackErrorResponse{Err: "token_revoked"}
	}
	tests := []struct {
		name    string
		team    string
		answers []func() (*slack.AuthTestResponse, error)
		wantErr error
		waits   []time.Duration
	}{
		{"accepted", "", []func() (*slack.AuthTestResponse, error){ok("T1")}, nil, nil},
		{"accepted for the configured team", "T1", []func() (*slack.AuthTestResponse, error){ok("T1")}, nil, nil},
		{"another workspace", "T1", []func() (*slack.AuthTestResponse, error){ok("T2")}, bot.ErrWrongTeam, nil},
		{"revoked", "", []func() (*slack.AuthTestResponse, error){revoked}, bot.ErrBotToken, nil},
		{"network down, then up", "", []func() (*slack.AuthTestResponse, error){down, down, down, ok("T1")}, nil,
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{"network down, then revoked", "", []func() (*slack.AuthTestResponse, error){down, revoked}, bot.ErrBotToken, []time.Duration{time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			var waits []time.Duration
			api := &authAnswers{answers: tt.answers}
			_, err := bot.CheckBotToken(context.Background(), api, tt.team, slog.New(slog.NewTextHandler(&logs, nil)),
				func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil })
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.waits, waits); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if got := strings.Count(logs.String(), "retrying"); got != len(tt.waits) {
				t.Errorf("%d retries logged, want %d:\n%s", got, len(tt.waits), logs.String())
			}
			if errors.Is(err, bot.ErrBotToken) && !strings.Contains(err.Error(), "SLACK_BOT_TOKEN") {
				t.Errorf("the error does not name SLACK_BOT_TOKEN: %v", err)
			}
		})
	}
	t.Run("backoff is capped", func(t *testing.T) {
		api := &authAnswers{answers: []func() (*slack.AuthTestResponse, error){down}}
		ctx, cancel := context.WithCancel(context.Background())
		var last time.Duration
		_, err := bot.CheckBotToken(ctx, api, "", slog.New(slog.DiscardHandler), func(_ context.Context, d time.Duration) error {
			last = d
			if api.calls == 20 {
				cancel()
				return ctx.Err()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) || last != time.Minute {
			t.Errorf("err %v, last wait %v; want canceled after waits capped at 1m", err, last)
		}
	})
}

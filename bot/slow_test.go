package bot_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
)

// slowCommands takes its time to answer, on the bubble's clock.
type slowCommands struct {
	bot.Commands
	delay time.Duration
}

func (c slowCommands) Answer(ctx context.Context, r commands.Request) (commands.Message, commands.Report) {
	time.Sleep(c.delay)
	text := "chart of " + r.Text
	return commands.Message{Text: text, Blocks: []slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)}},
		commands.Report{Name: "action.chart", Outcome: commands.OutcomeOK}
}

// recorder is an in-memory response_url.
type recorder struct {
	mu    sync.Mutex
	posts []string
	at    []time.Time
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.posts = append(r.posts, req.URL.String()+" "+string(body))
	r.at = append(r.at, time.Now())
	r.mu.Unlock()
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Body: io.NopCloser(strings.NewReader("ok"))}, nil
}

// TestThreeSecondRule checks that a slash command is answered in its reply
// when ready within 2 seconds, and otherwise acked at 2 seconds with no
// body and completed through response_url — on synctest's clock.
func TestThreeSecondRule(t *testing.T) {
	tests := []struct {
		name      string
		delay     time.Duration
		wantInAck bool
	}{
		{"quick: answered in the reply", 1500 * time.Millisecond, true},
		{"slow: acked, then posted to response_url", 5 * time.Second, false},
		{"very slow", time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rec := &recorder{}
				srv, err := bot.New(bot.Options{
					Commands:      slowCommands{delay: tt.delay},
					Slack:         slack.New("xoxb-unused"),
					HTTP:          rec,
					SigningSecret: secret,
					Logger:        quiet,
				})
				if err != nil {
					t.Fatal(err)
				}
				body := slashCommand("https://hooks.slack.com/commands/T0TEAM/1/abc", other, "/action", "graphique")
				req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
				req.Header = sign(secret, time.Now(), body)
				req.Header.Set("Content-Type", form)
				start := time.Now()
				w := &ackRecorder{ResponseRecorder: httptest.NewRecorder()}
				srv.Handler().ServeHTTP(w, req)
				// A late answer is acked while the command goes on: what
				// counts is when the response was written.
				acked := w.at.Sub(start)

				if w.Code != http.StatusOK {
					t.Fatalf("status %d", w.Code)
				}
				if acked >= 3*time.Second {
					t.Errorf("acked after %v: Slack has given up", acked)
				}
				if got := strings.Contains(w.Body.String(), "chart of graphique"); got != tt.wantInAck {
					t.Errorf("answer in the reply = %v, want %v (reply %q after %v)", got, tt.wantInAck, w.Body.String(), acked)
				}
				if !tt.wantInAck && (w.Body.Len() != 0 || acked != bot.DefaultInlineTimeout) {
					t.Errorf("ack = %q after %v, want an empty ack after %v", w.Body.String(), acked, bot.DefaultInlineTimeout)
				}

				time.Sleep(tt.delay) // the bubble's clock: instant
				synctest.Wait()
				rec.mu.Lock()
				defer rec.mu.Unlock()
				if tt.wantInAck {
					if len(rec.posts) != 0 {
						t.Errorf("answered twice: also posted %v", rec.posts)
					}
					return
				}
				if len(rec.posts) != 1 || !strings.HasPrefix(rec.posts[0], "https://hooks.slack.com/commands/T0TEAM/1/abc {") ||
					!strings.Contains(rec.posts[0], `"text":"chart of graphique"`) {
					t.Fatalf("response_url posts = %v", rec.posts)
				}
				if d := rec.at[0].Sub(start); d != tt.delay {
					t.Errorf("posted after %v, want as soon as ready (%v)", d, tt.delay)
				}
			})
		})
	}
}

// ackRecorder records when the response was first written.
type ackRecorder struct {
	*httptest.ResponseRecorder
	at time.Time
}

func (a *ackRecorder) written() {
	if a.at.IsZero() {
		a.at = time.Now()
	}
}

func (a *ackRecorder) WriteHeader(code int) { a.written(); a.ResponseRecorder.WriteHeader(code) }

func (a *ackRecorder) Write(b []byte) (int, error) { a.written(); return a.ResponseRecorder.Write(b) }

func (a *ackRecorder) Flush() { a.written(); a.ResponseRecorder.Flush() }

// heldCommands answers once released.
type heldCommands struct {
	bot.Commands
	release chan struct{}
}

func (c heldCommands) Answer(ctx context.Context, r commands.Request) (commands.Message, commands.Report) {
	<-c.release
	return commands.Message{Text: "enfin"}, commands.Report{Name: "action.chart", Outcome: commands.OutcomeOK}
}

// TestLateAckOnTheWire sends a slash command to a real HTTP server whose
// command is held: Slack's side has the whole empty 200 at the inline
// timeout while the command still runs, and the answer goes to
// response_url once it is done.
func TestLateAckOnTheWire(t *testing.T) {
	rec := &signalling{posted: make(chan struct{}, 1)}
	held := heldCommands{release: make(chan struct{})}
	srv, err := bot.New(bot.Options{
		Commands: held, Slack: slack.New("xoxb-unused"), HTTP: rec, SigningSecret: secret, Logger: quiet,
		InlineTimeout: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	body := slashCommand("https://hooks.slack.com/commands/T0TEAM/1/abc", other, "/action", "graphique")
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/slack/commands", strings.NewReader(body))
	req.Header = sign(secret, time.Now(), body)
	req.Header.Set("Content-Type", form)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || len(got) != 0 {
		t.Fatalf("while the command is held: %d %q %v, want an empty 200", resp.StatusCode, got, err)
	}
	rec.mu.Lock()
	early := len(rec.posts)
	rec.mu.Unlock()
	if early != 0 {
		t.Fatalf("posted to response_url before the answer was ready: %v", rec.posts)
	}
	close(held.release)
	select {
	case <-rec.posted:
	case <-time.After(10 * time.Second): // a bound on failure
		t.Fatal("the late answer never reached response_url")
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.posts) != 1 || !strings.Contains(rec.posts[0], `"text":"enfin"`) {
		t.Errorf("response_url got %v", rec.posts)
	}
}

// signalling is a response_url that says when it is posted to.
type signalling struct {
	recorder
	posted chan struct{}
}

func (s *signalling) Do(req *http.Request) (*http.Response, error) {
	resp, err := s.recorder.Do(req)
	s.posted <- struct{}{}
	return resp, err
}

package bot_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/bot"
)

// script is a Slack that answers each call with the next of its steps.
type script struct {
	mu     sync.Mutex
	steps  []func(w http.ResponseWriter, r *http.Request)
	bodies []string
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.bodies = append(s.bodies, string(body))
	i := len(s.bodies) - 1
	s.mu.Unlock()
	if i >= len(s.steps) {
		i = len(s.steps) - 1
	}
	s.steps[i](w, r)
}

func status(code int, header ...string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		io.WriteString(w, `{"ok":true,"channel":"C1","ts":"1.2"}`)
	}
}

// hang answers nothing until the client gives up.
func hang(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

func TestRetrier(t *testing.T) {
	ok := status(http.StatusOK)
	tests := []struct {
		name       string
		steps      []func(http.ResponseWriter, *http.Request)
		wantStatus int
		wantErr    bool
		wantTries  int
		wantWaits  []time.Duration
		safeOnly   bool
	}{
		{"first try", []func(http.ResponseWriter, *http.Request){ok}, 200, false, 1, nil, false},
		{"429 honours Retry-After", []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "7"), ok}, 200, false, 2, []time.Duration{7 * time.Second}, false},
		{"429 without Retry-After waits a second", []func(http.ResponseWriter, *http.Request){status(429), ok}, 200, false, 2, []time.Duration{time.Second}, false},
		{"429 asking too long is given up", []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "3600"), ok}, 429, false, 1, nil, false},
		{"5xx backs off, doubling", []func(http.ResponseWriter, *http.Request){status(500), status(502), ok}, 200, false, 3,
			[]time.Duration{100 * time.Millisecond, 200 * time.Millisecond}, false},
		{"backoff is capped", []func(http.ResponseWriter, *http.Request){status(503)}, 503, false, 5,
			[]time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond, 300 * time.Millisecond}, false},
		{"timeout is retried", []func(http.ResponseWriter, *http.Request){hang, ok}, 200, false, 2, []time.Duration{100 * time.Millisecond}, false},
		{"4xx is not retried", []func(http.ResponseWriter, *http.Request){status(400), ok}, 400, false, 1, nil, false},
		{"safe only: 429 is retried", []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "2"), ok}, 200, false, 2, []time.Duration{2 * time.Second}, true},
		{"safe only: a 5xx may have posted, not retried", []func(http.ResponseWriter, *http.Request){status(500), ok}, 500, false, 1, nil, true},
		{"safe only: a timeout may have posted, not retried", []func(http.ResponseWriter, *http.Request){hang, ok}, 0, true, 1, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := &script{steps: tt.steps}
			srv := httptest.NewServer(sc)
			defer srv.Close()
			var waits []time.Duration
			r := bot.NewRetrier()
			// Long enough that a loaded machine (the race detector,
			// other tests) never turns a quick answer into a timeout;
			// the two hanging cases wait it out once each.
			r.Client.Timeout = time.Second
			r.Attempts, r.Backoff, r.MaxBackoff = 5, 100*time.Millisecond, 300*time.Millisecond
			r.Sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
			r.Log = quiet
			r.SafeOnly = tt.safeOnly
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/chat.postMessage", strings.NewReader("channel=C1&text=bonjour"))
			resp, err := r.Do(req)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if resp != nil {
				resp.Body.Close()
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("status %d, want %d", resp.StatusCode, tt.wantStatus)
				}
			}
			if diff := cmp.Diff(tt.wantWaits, waits); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			sc.mu.Lock()
			defer sc.mu.Unlock()
			if len(sc.bodies) != tt.wantTries {
				t.Errorf("%d tries, want %d", len(sc.bodies), tt.wantTries)
			}
			for i, b := range sc.bodies {
				if b != "channel=C1&text=bonjour" {
					t.Errorf("try %d sent %q: the body was not replayed", i+1, b)
				}
			}
		})
	}
	t.Run("a body that cannot be replayed is sent once", func(t *testing.T) {
		sc := &script{steps: []func(http.ResponseWriter, *http.Request){status(503), status(200)}}
		srv := httptest.NewServer(sc)
		defer srv.Close()
		r := bot.NewRetrier()
		r.Sleep = func(context.Context, time.Duration) error { return nil }
		r.Log = quiet
		req, _ := http.NewRequest(http.MethodPost, srv.URL, io.MultiReader(strings.NewReader("stream")))
		resp, err := r.Do(req)
		if err != nil || resp.StatusCode != 503 {
			t.Fatalf("got %v %v", resp, err)
		}
		resp.Body.Close()
		if len(sc.bodies) != 1 {
			t.Errorf("%d tries", len(sc.bodies))
		}
	})
	t.Run("cancelled while waiting", func(t *testing.T) {
		sc := &script{steps: []func(http.ResponseWriter, *http.Request){status(503)}}
		srv := httptest.NewServer(sc)
		defer srv.Close()
		r := bot.NewRetrier()
		r.Sleep = func(context.Context, time.Duration) error { return context.Canceled }
		r.Log = quiet
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		if _, err := r.Do(req); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

// TestClientThroughRetrier checks that the Slack client built by
// NewClient calls APIURL and retries a 429 for slack-go's calls too.
func TestClientThroughRetrier(t *testing.T) {
	sc := &script{steps: []func(http.ResponseWriter, *http.Request){status(429, "Retry-After", "2"), status(500), status(200)}}
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		sc.ServeHTTP(w, r)
	}))
	defer srv.Close()
	r := bot.NewRetrier()
	var waits []time.Duration
	r.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	r.Log = quiet
	api := bot.NewClient(bot.ClientOptions{BotToken: "xoxb-test", APIURL: srv.URL + "/api/", HTTP: r})
	if _, _, err := api.PostMessageContext(context.Background(), "C1", slack.MsgOptionText("bonjour", false)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"/api/chat.postMessage", "/api/chat.postMessage", "/api/chat.postMessage"}, paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]time.Duration{2 * time.Second, 500 * time.Millisecond}, waits); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	for _, b := range sc.bodies {
		if !strings.Contains(b, "text=bonjour") {
			t.Errorf("body %q", b)
		}
	}
}

// users is a users.info that counts its calls.
type users struct {
	calls int
	user  slack.User
}

func (u *users) GetUserInfoContext(ctx context.Context, id string, _ ...slack.GetUserInfoOption) (*slack.User, error) {
	u.calls++
	if id == "U0GONE" {
		return nil, slack.SlackErrorResponse{Err: "user_not_found"}
	}
	out := u.user
	out.ID = id
	return &out, nil
}

func TestNames(t *testing.T) {
	tests := []struct {
		name string
		user slack.User
		want string
	}{
		{"display name", slack.User{Name: "marie", RealName: "Marie Lefèvre", Profile: slack.UserProfile{DisplayName: "Marie", RealName: "Marie Lefèvre"}}, "Marie"},
		{"real name", slack.User{Name: "marie", RealName: "Marie Lefèvre", Profile: slack.UserProfile{RealName: "Marie Lefèvre"}}, "Marie Lefèvre"},
		{"user name", slack.User{Name: "marie"}, "marie"},
		{"nothing", slack.User{}, "U01MARIE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &users{user: tt.user}
			clock := now
			n := bot.NewNames(api)
			n.Now = func() time.Time { return clock }
			for range 3 {
				got, err := n.DisplayName(context.Background(), "U01MARIE")
				if err != nil || got != tt.want {
					t.Fatalf("DisplayName = %q, %v; want %q", got, err, tt.want)
				}
			}
			if api.calls != 1 {
				t.Errorf("users.info called %d times, want 1 (cached)", api.calls)
			}
			clock = clock.Add(n.TTL)
			n.DisplayName(context.Background(), "U01MARIE")
			if api.calls != 2 {
				t.Errorf("after the TTL, users.info called %d times in all, want 2", api.calls)
			}
		})
	}
	t.Run("unknown user", func(t *testing.T) {
		n := bot.NewNames(&users{})
		got, err := n.DisplayName(context.Background(), "U0GONE")
		if err == nil || got != "U0GONE" {
			t.Errorf("DisplayName = %q, %v; want the ID and an error", got, err)
		}
	})
	t.Run("through users.info on the fake Slack", func(t *testing.T) {
		fake := newFakeSlack(t)
		n := bot.NewNames(bot.NewClient(bot.ClientOptions{BotToken: "xoxb-test", APIURL: fake.URL + "/api/"}))
		got, err := n.DisplayName(context.Background(), "U01MARIE")
		if err != nil || got != "Marie" {
			t.Errorf("DisplayName = %q, %v", got, err)
		}
		if c := fake.called("users.info"); len(c) != 1 || c[0].Form.Get("user") != "U01MARIE" {
			t.Errorf("users.info calls: %v", c)
		}
	})
}

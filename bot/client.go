package bot

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// ClientOptions configure NewClient.
type ClientOptions struct {
	BotToken string // xoxb-…
	AppToken string // xapp-…, for Socket Mode
	// APIURL is the Web API base URL, ending in "/"; empty is Slack's.
	APIURL string
	// HTTP sends the requests; nil is NewRetrier() logging to Logger.
	HTTP   Doer
	Logger *slog.Logger
	// SafeRetriesOnly makes the default Retrier retry only calls Slack
	// cannot have carried out (see Retrier.SafeOnly): for the outbox's
	// sender, which retries the rest itself, durably and once.
	SafeRetriesOnly bool
}

// NewClient returns the Slack Web API client: Slack's base URL or
// APIURL, and an HTTP client with timeouts that retries rate-limited
// calls and Slack's failures (see Retrier).
func NewClient(o ClientOptions) *slack.Client {
	doer := o.HTTP
	if doer == nil {
		r := NewRetrier()
		if o.Logger != nil {
			r.Log = o.Logger
		}
		r.SafeOnly = o.SafeRetriesOnly
		doer = r
	}
	opts := []slack.Option{slack.OptionHTTPClient(doer)}
	if o.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(o.APIURL))
	}
	if o.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(o.AppToken))
	}
	return slack.New(o.BotToken, opts...)
}

// Retrier is an HTTP client that retries what is worth retrying: a 429
// after the Retry-After it gives, a 5xx or a timeout or refused
// connection after an exponential backoff — at most Attempts tries in all.
// Requests whose body cannot be replayed are sent once.
type Retrier struct {
	Client   *http.Client // its Timeout bounds each try
	Attempts int
	// Backoff is the wait before the second try; it doubles for each
	// next one, up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// SafeOnly retries only a 429 and a refused connection, which Slack
	// has not acted on. A 5xx or a timeout may come after Slack posted the
	// message, and chat.postMessage has no idempotency key: retrying it
	// here, inside a caller that retries too, could post it several times.
	SafeOnly bool
	// MaxRetryAfter is the longest Retry-After waited for; a longer one
	// is given up on and the 429 returned.
	MaxRetryAfter time.Duration
	// Sleep waits for d or until ctx is done; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	Log   *slog.Logger
}

// NewRetrier returns a Retrier of 4 tries, 10 seconds each, backing off
// from 500 ms to 8 s and waiting up to a minute when rate limited.
func NewRetrier() *Retrier {
	return &Retrier{
		Client:        &http.Client{Timeout: 10 * time.Second},
		Attempts:      4,
		Backoff:       500 * time.Millisecond,
		MaxBackoff:    8 * time.Second,
		MaxRetryAfter: time.Minute,
		Sleep:         sleep,
		Log:           slog.Default(),
	}
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Do sends req, retrying as the Retrier says.
func (r *Retrier) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	backoff := r.Backoff
	for attempt := 1; ; attempt++ {
		if attempt > 1 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req.Body = body
		}
		resp, err := r.Client.Do(req)
		wait, retry := r.verdict(resp, err)
		if !retry || attempt >= r.Attempts || (req.Body != nil && req.GetBody == nil) || ctx.Err() != nil {
			return resp, err
		}
		if wait == 0 {
			wait = backoff
			backoff = min(2*backoff, r.MaxBackoff)
		}
		reason := "error"
		if resp != nil {
			reason = resp.Status
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		r.Log.Warn("Slack call failed; retrying", "url", redact(req), "reason", reason, "err", err, "attempt", attempt, "wait", wait)
		if err := r.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// verdict says whether a try is worth retrying, and how long to wait when
// Slack said so (0: back off).
func (r *Retrier) verdict(resp *http.Response, err error) (time.Duration, bool) {
	if err != nil {
		var ne net.Error
		if errors.Is(err, context.Canceled) {
			return 0, false
		}
		if isConnRefused(err) {
			return 0, true
		}
		if !r.SafeOnly && (errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded)) {
			return 0, true
		}
		return 0, false
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		wait := time.Second
		if sec, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && sec > 0 {
			wait = time.Duration(sec) * time.Second
		}
		if wait > r.MaxRetryAfter {
			return 0, false
		}
		return wait, true
	case resp.StatusCode >= 500:
		return 0, !r.SafeOnly
	}
	return 0, false
}

func isConnRefused(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// redact returns a request's URL without its query, which may hold a
// token, nor a response_url's secret path.
func redact(req *http.Request) string {
	u := *req.URL
	u.RawQuery = ""
	if strings.HasPrefix(u.Path, "/commands/") || strings.HasPrefix(u.Path, "/actions/") {
		u.Path = u.Path[:strings.IndexByte(u.Path[1:], '/')+1] + "/…"
	}
	return u.String()
}

// UsersAPI is users.info; *slack.Client has it.
type UsersAPI interface {
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
}

// Names gives users' display names, for the places where Slack does not
// render a <@U123> mention (plain-text fields, notifications, exports). It
// asks users.info once per user and TTL.
type Names struct {
	API UsersAPI
	TTL time.Duration
	Now func() time.Time

	mu    sync.Mutex
	cache map[string]cachedName
}

type cachedName struct {
	name string
	at   time.Time
}

// NewNames returns Names that remember each name for an hour.
func NewNames(api UsersAPI) *Names {
	return &Names{API: api, TTL: time.Hour, Now: time.Now}
}

// DisplayName returns how Slack shows user: the display name, else the
// real name, else the user name. On failure it returns the user ID, with
// the error.
func (n *Names) DisplayName(ctx context.Context, user string) (string, error) {
	now := n.Now()
	n.mu.Lock()
	c, ok := n.cache[user]
	n.mu.Unlock()
	if ok && now.Sub(c.at) < n.TTL {
		return c.name, nil
	}
	u, err := n.API.GetUserInfoContext(ctx, user)
	if err != nil {
		return user, err
	}
	name := user
	for _, v := range []string{u.Profile.DisplayName, u.Profile.RealName, u.RealName, u.Name} {
		if strings.TrimSpace(v) != "" {
			name = v
			break
		}
	}
	n.mu.Lock()
	if n.cache == nil {
		n.cache = map[string]cachedName{}
	}
	n.cache[user] = cachedName{name: name, at: now}
	n.mu.Unlock()
	return name, nil
}

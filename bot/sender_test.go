package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/store"
)

// pipeListener is an in-memory network for a fake Slack in a synctest
// bubble: its connections are net.Pipes. A goroutine blocked on a
// loopback socket is not durably blocked, so the bubble's clock would
// stand still; on a pipe it is, and the clock moves.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

// DialContext connects to the listener, whatever the address.
func (l *pipeListener) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	server, client := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
	case <-ctx.Done():
	}
	server.Close()
	client.Close()
	return nil, &net.OpError{Op: "dial", Net: "pipe", Err: net.ErrClosed}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "slack.test" }

// answer is a scripted answer to one call.
type answer struct {
	status     int           // an HTTP error status…
	retryAfter string        // …with this Retry-After;
	delay      time.Duration // or the call is taken and answered this late;
	hang       bool          // or taken, and never answered: the client hangs up
}

// hit is one request as the fake Slack saw it.
type hit struct {
	method, channel string
	at              time.Duration // since the fake started, on the bubble's clock
	answer          string        // "ok", "429", "500", a Slack error, "hang"
}

// outboxSlack is the Slack of the sender's tests: a real httptest server
// on a pipeListener, whose fakeSlack (fixture_test.go) records the calls
// and answers chat.postMessage; the upload's methods are answered here,
// and a script can make a method's next calls fail first. Every request
// is noted with its time on the bubble's clock.
type outboxSlack struct {
	*fakeSlack
	transport *http.Transport
	start     time.Time

	smu    sync.Mutex // guards script and hits; fakeSlack.mu guards the calls
	script map[string][]answer
	hits   []hit
}

// newOutboxSlack starts the fake; call it inside the bubble.
func newOutboxSlack(t *testing.T) *outboxSlack {
	t.Helper()
	ln := newPipeListener()
	f := &outboxSlack{
		fakeSlack: &fakeSlack{fail: map[string]string{}},
		transport: &http.Transport{DialContext: ln.DialContext},
		start:     time.Now(),
		script:    map[string][]answer{},
	}
	f.Server = &httptest.Server{Listener: ln, Config: &http.Server{Handler: f}}
	f.Start()
	t.Cleanup(func() {
		f.Close()
		f.transport.CloseIdleConnections()
	})
	return f
}

// client is a Slack client of the fake: with a plain HTTP client, so that
// the outbox's own retries are what is tested, or with the Retrier that
// NewClient uses in production.
func (f *outboxSlack) client(retrier bool) *slack.Client {
	var doer bot.Doer = &http.Client{Transport: f.transport}
	if retrier {
		r := bot.NewRetrier()
		r.Client = &http.Client{Transport: f.transport, Timeout: 10 * time.Second}
		r.Log = quiet
		doer = r
	}
	return bot.NewClient(bot.ClientOptions{BotToken: "xoxb-test", APIURL: f.URL + "/api/", HTTP: doer})
}

// answers scripts the next answers to method.
func (f *outboxSlack) answers(method string, as ...answer) {
	f.smu.Lock()
	defer f.smu.Unlock()
	f.script[method] = append(f.script[method], as...)
}

// seen returns the requests of method, as "when answer".
func (f *outboxSlack) seen(method string) []string {
	var out []string
	for _, h := range f.requests() {
		if h.method == method {
			out = append(out, h.at.String()+" "+h.answer)
		}
	}
	return out
}

// requests returns every request, in order.
func (f *outboxSlack) requests() []hit {
	f.smu.Lock()
	defer f.smu.Unlock()
	return slices.Clone(f.hits)
}

// record notes a call answered outside serve.
func (f *fakeSlack) record(c call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

func (f *outboxSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	if strings.HasPrefix(r.URL.Path, "/upload/") {
		method = "upload"
	}
	form, _ := url.ParseQuery(string(body))

	f.smu.Lock()
	var a answer
	if q := f.script[method]; len(q) > 0 {
		a, f.script[method] = q[0], q[1:]
	}
	h := hit{method: method, channel: form.Get("channel") + form.Get("channel_id"), at: time.Since(f.start), answer: "ok"}
	switch {
	case a.status != 0:
		h.answer = strconv.Itoa(a.status)
	case a.hang:
		h.answer = "hang"
	case f.failure(method) != "":
		h.answer = f.failure(method)
	}
	f.hits = append(f.hits, h)
	f.smu.Unlock()

	switch {
	case a.status != 0:
		if a.retryAfter != "" {
			w.Header().Set("Retry-After", a.retryAfter)
		}
		http.Error(w, http.StatusText(a.status), a.status)
		return
	case a.hang:
		f.record(call{Method: method, Form: form}) // Slack took it…
		<-r.Context().Done()                       // …and the answer never comes
		return
	}
	time.Sleep(a.delay)
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "files.getUploadURLExternal":
		f.record(call{Method: method, Form: form})
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "upload_url": f.URL + "/upload/F0CHART", "file_id": "F0CHART"})
	case "upload":
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		got := url.Values{}
		for _, fh := range r.MultipartForm.File["file"] {
			file, _ := fh.Open()
			data, _ := io.ReadAll(file)
			file.Close()
			got.Set("filename", fh.Filename)
			got.Set("file", string(data))
		}
		f.record(call{Method: method, Form: got})
		io.WriteString(w, "OK - 1234")
	case "files.completeUploadExternal":
		f.record(call{Method: method, Form: form})
		var files []slack.FileSummary
		json.Unmarshal([]byte(form.Get("files")), &files)
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "files": files})
	default:
		f.serve(w, r)
	}
}

// failure is the Slack error fakeSlack answers method with, if any.
func (f *fakeSlack) failure(method string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fail[method]
}

// logBuffer is a log the sender writes and the test reads.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines returns the lines that hold all of parts.
func (l *logBuffer) lines(parts ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range strings.Split(l.b.String(), "\n") {
		all := line != ""
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			out = append(out, line)
		}
	}
	return out
}

// senderRig is a sender's world in a synctest bubble: the outbox in a
// real SQLite file, the fake Slack, the metrics and the logs.
type senderRig struct {
	t       *testing.T
	path    string
	store   *store.Store
	slack   *outboxSlack
	metrics *bot.Metrics
	logs    *logBuffer
}

// newSenderRig builds the rig; call it inside the bubble.
func newSenderRig(t *testing.T) *senderRig {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.db")
	return &senderRig{t: t, path: path, store: openOutbox(t, path), slack: newOutboxSlack(t), metrics: bot.NewMetrics(), logs: &logBuffer{}}
}

// openOutbox opens the database at path, as a process does at start.
func openOutbox(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// sender is a sender of outbox to the fake, with a plain HTTP client
// unless edit says otherwise.
func (rg *senderRig) sender(outbox *store.Store, edit func(*bot.SenderOptions)) *bot.Sender {
	o := bot.SenderOptions{
		Outbox:  outbox,
		Slack:   rg.slack.client(false),
		Logger:  slog.New(slog.NewTextHandler(rg.logs, nil)),
		Metrics: rg.metrics,
	}
	if edit != nil {
		edit(&o)
	}
	return bot.NewSender(o)
}

// run starts snd.Run; stop cancels it and waits for it to return.
func (rg *senderRig) run(snd *bot.Sender) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- snd.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				rg.t.Errorf("Run = %v, want nil", err)
			}
		})
	}
	rg.t.Cleanup(stop)
	return stop
}

func (rg *senderRig) enqueue(outbox *store.Store, ds ...store.Delivery) {
	rg.t.Helper()
	for _, d := range ds {
		if created, err := outbox.Enqueue(context.Background(), d); err != nil || !created {
			rg.t.Fatalf("Enqueue(%s) = %v, %v", d.Key, created, err)
		}
	}
}

func (rg *senderRig) delivery(outbox *store.Store, key string) store.Delivery {
	rg.t.Helper()
	d, err := outbox.DeliveryByKey(context.Background(), key)
	if err != nil {
		rg.t.Fatal(err)
	}
	return d
}

// posts counts the messages the fake took, by "channel text".
func (rg *senderRig) posts() map[string]int {
	got := map[string]int{}
	for _, c := range rg.slack.called("chat.postMessage") {
		got[c.Form.Get("channel")+" "+c.Form.Get("text")]++
	}
	return got
}

// metric returns the value of one line of the metrics, such as
// `actionbot_deliveries_pending`.
func metric(m *bot.Metrics, name string) string {
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return "(missing)"
}

const (
	pending     = "actionbot_deliveries_pending"
	postsSent   = `actionbot_posts_total{outcome="sent"}`
	postsFailed = `actionbot_posts_total{outcome="failed"}`
	fakeTS      = "1764147600.000100" // what fakeSlack answers chat.postMessage
)

func TestSenderPostsEachDeliveryOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rg := newSenderRig(t)
		blocks := `[{"type":"section","text":{"type":"mrkdwn","text":"*Semaine 48* : 3 actions avancent, 1 en retard"}}]`
		ds := []store.Delivery{
			{Key: "digest:prospection:2026-11-30T09:00:00", Kind: "digest", Channel: "C0PROSPECT", Text: "Semaine 48 : 3 actions avancent, 1 en retard", Blocks: blocks},
			{Key: "reminder:1:72h0m0s", Kind: "reminder", Channel: "C0COPIL", Text: "COPIL dans 3 jours"},
			{Key: "nudge:U0LEAD:2026-11-30T09:00:00", Kind: "nudge", Channel: lead, Text: "Deux de vos actions sont en retard"},
			{Key: "nudge:U0OTHER:2026-11-30T09:00:00", Kind: "nudge", Channel: other, Text: "Une de vos actions est en retard"},
		}
		rg.enqueue(rg.store, ds...)
		stop := rg.run(rg.sender(rg.store, nil))
		time.Sleep(time.Hour) // a hundred looks at the outbox: none posts again
		stop()

		want := map[string]int{}
		for _, d := range ds {
			want[d.Channel+" "+d.Text] = 1
		}
		if diff := cmp.Diff(want, rg.posts()); diff != "" {
			t.Errorf("posts (-want +got):\n%s", diff)
		}
		for _, c := range rg.slack.called("chat.postMessage") {
			switch c.Form.Get("channel") {
			case "C0PROSPECT":
				var got, want any
				json.Unmarshal([]byte(c.Form.Get("blocks")), &got)
				json.Unmarshal([]byte(blocks), &want)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("blocks posted (-stored +posted):\n%s", diff)
				}
			default:
				if c.Form.Has("blocks") {
					t.Errorf("blocks posted to %s, whose delivery has none: %s", c.Form.Get("channel"), c.Form.Get("blocks"))
				}
			}
		}
		for _, d := range ds {
			got := rg.delivery(rg.store, d.Key)
			if got.State != store.DeliverySent || got.Attempts != 1 || got.SlackTS != fakeTS || got.SentAt == nil {
				t.Errorf("%s: state %s, attempts %d, ts %q, sent at %v; want sent once as %s", d.Key, got.State, got.Attempts, got.SlackTS, got.SentAt, fakeTS)
			}
			if n := len(rg.logs.lines("level=INFO", `msg="delivery sent"`, "key="+d.Key, "channel="+d.Channel)); n != 1 {
				t.Errorf("%s: logged as sent %d times, want 1", d.Key, n)
			}
		}
		if got := metric(rg.metrics, pending); got != "0" {
			t.Errorf("%s = %s, want 0", pending, got)
		}
		if got := metric(rg.metrics, postsSent); got != "4" {
			t.Errorf("%s = %s, want 4", postsSent, got)
		}
	})
}

func TestSenderRetries(t *testing.T) {
	const key = "digest:prospection:2026-11-30T09:00:00"
	fiveHundreds := func(n int) []answer {
		as := make([]answer, n)
		for i := range as {
			as[i] = answer{status: http.StatusInternalServerError}
		}
		return as
	}
	tests := []struct {
		name         string
		retrier      bool     // through NewClient's Retrier, not a plain client
		script       []answer // chat.postMessage's first answers
		refuse       string   // chat.postMessage's Slack error, every time
		wantCalls    []string // "when answer"
		wantState    store.DeliveryState
		wantAttempts int    // recorded in the outbox
		wantError    string // in LastError
		wantRetries  int    // logged at Warn
	}{
		{
			name:   "429: tried again after its Retry-After, posted once",
			script: []answer{{status: http.StatusTooManyRequests, retryAfter: "7"}},
			// The lane rests too: 7 s, not the 1 s of the pace.
			wantCalls: []string{"0s 429", "7s ok"}, wantState: store.DeliverySent, wantAttempts: 2, wantRetries: 1,
		},
		{
			name:      "500 twice: backs off 30 s then 60 s, posted on the third attempt",
			script:    fiveHundreds(2),
			wantCalls: []string{"0s 500", "30s 500", "1m30s ok"}, wantState: store.DeliverySent, wantAttempts: 3, wantRetries: 2,
		},
		{
			name:      "a Slack error no retry fixes: failed at once",
			refuse:    "channel_not_found",
			wantCalls: []string{"0s channel_not_found"}, wantState: store.DeliveryFailed, wantAttempts: 1, wantError: "channel_not_found",
		},
		{
			name:   "500 at every attempt: failed after MaxAttempts, the backoff capped at 30 min",
			script: fiveHundreds(10),
			wantCalls: []string{"0s 500", "30s 500", "1m30s 500", "3m30s 500", "7m30s 500", "15m30s 500", "31m30s 500",
				"1h1m30s 500"},
			wantState: store.DeliveryFailed, wantAttempts: 8, wantError: "gave up after 8 attempts", wantRetries: 7,
		},
		{
			name:    "NewClient's Retrier waits out a 429 within one attempt",
			retrier: true,
			script:  []answer{{status: http.StatusTooManyRequests, retryAfter: "7"}},
			// One attempt of the outbox: nothing to retry.
			wantCalls: []string{"0s 429", "7s ok"}, wantState: store.DeliverySent, wantAttempts: 1,
		},
		{
			name:    "NewClient's Retrier gives up on 500s, the outbox does not",
			retrier: true,
			script:  fiveHundreds(4),
			// The Retrier's 4 tries (0.5 s, 1 s, 2 s apart), then the
			// outbox's 30 s.
			wantCalls: []string{"0s 500", "500ms 500", "1.5s 500", "3.5s 500", "33.5s ok"}, wantState: store.DeliverySent, wantAttempts: 2, wantRetries: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rg := newSenderRig(t)
				rg.slack.answers("chat.postMessage", tt.script...)
				if tt.refuse != "" {
					rg.slack.fail["chat.postMessage"] = tt.refuse
				}
				rg.enqueue(rg.store, store.Delivery{Key: key, Kind: "digest", Channel: "C0PROSPECT", Text: "Semaine 48"})
				stop := rg.run(rg.sender(rg.store, func(o *bot.SenderOptions) {
					if tt.retrier {
						o.Slack = rg.slack.client(true)
					}
				}))
				time.Sleep(2 * time.Hour)
				stop()

				if diff := cmp.Diff(tt.wantCalls, rg.slack.seen("chat.postMessage")); diff != "" {
					t.Errorf("chat.postMessage calls (-want +got):\n%s", diff)
				}
				d := rg.delivery(rg.store, key)
				if d.State != tt.wantState || d.Attempts != tt.wantAttempts || !strings.Contains(d.LastError, tt.wantError) {
					t.Errorf("delivery: %s after %d attempts, last error %q; want %s after %d, error with %q",
						d.State, d.Attempts, d.LastError, tt.wantState, tt.wantAttempts, tt.wantError)
				}
				if n := len(rg.logs.lines("level=WARN", "key="+key, "channel=C0PROSPECT")); n != tt.wantRetries {
					t.Errorf("%d retries logged, want %d", n, tt.wantRetries)
				}
				failed := tt.wantState == store.DeliveryFailed
				wantFailed, wantSent := "0", "1"
				if failed {
					wantFailed, wantSent = "1", "0"
				}
				// A failure is logged once, with its key, channel and cause.
				errs := rg.logs.lines("level=ERROR")
				if logged := len(rg.logs.lines("level=ERROR", "key="+key, "channel=C0PROSPECT", tt.wantError)); len(errs) != logged || failed != (logged == 1) {
					t.Errorf("errors logged: %q; want one if failed (%v), with the key, the channel and %q", errs, failed, tt.wantError)
				}
				if got := metric(rg.metrics, postsFailed); got != wantFailed {
					t.Errorf("%s = %s, want %s", postsFailed, got, wantFailed)
				}
				if got := metric(rg.metrics, postsSent); got != wantSent {
					t.Errorf("%s = %s, want %s", postsSent, got, wantSent)
				}
			})
		})
	}
}

// TestSenderRestart plays a crash in the middle of a send: Slack took the
// post, the process died before recording it. The next process leaves it
// alone while the send's own lease runs — it could be a live replica's —
// then holds it as unknown, never posts it again, and sends what the dead
// one had not tried yet.
func TestSenderRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rg := newSenderRig(t)
		rg.slack.answers("chat.postMessage", answer{hang: true})
		const digest, reminder = "digest:prospection:2026-11-30T09:00:00", "reminder:1:24h0m0s"
		rg.enqueue(rg.store,
			store.Delivery{Key: digest, Kind: "digest", Channel: "C0PROSPECT", Text: "Semaine 48"},
			store.Delivery{Key: reminder, Kind: "reminder", Channel: "C0COPIL", Text: "COPIL demain", NextTry: time.Now().Add(time.Minute)})

		// The first process hands the digest to Slack, which posts it;
		// the answer never comes back, and the process dies: its
		// database handle is closed, it records nothing more.
		deadStore := openOutbox(t, rg.path)
		dead := rg.run(rg.sender(deadStore, nil))
		synctest.Wait()
		if d := rg.delivery(rg.store, digest); d.State != store.DeliverySending || d.LeaseUntil == nil {
			t.Fatalf("digest %s until %v, want sending with a lease", d.State, d.LeaseUntil)
		}
		deadStore.Close()

		// The next process opens the same file.
		next := openOutbox(t, rg.path)
		stop := rg.run(rg.sender(next, nil))
		time.Sleep(2 * time.Minute)
		if d := rg.delivery(next, digest); d.State != store.DeliverySending {
			t.Errorf("digest %s within its send's lease, want still sending", d.State)
		}
		time.Sleep(time.Hour)
		stop()

		want := map[string]int{"C0PROSPECT Semaine 48": 1, "C0COPIL COPIL demain": 1}
		if diff := cmp.Diff(want, rg.posts()); diff != "" {
			t.Errorf("posts (-want +got):\n%s", diff)
		}
		if got, want := rg.slack.seen("chat.postMessage"), []string{"0s hang", "1m0s ok"}; !cmp.Equal(got, want) {
			t.Errorf("chat.postMessage calls = %q, want %q", got, want)
		}
		if d := rg.delivery(next, digest); d.State != store.DeliveryUnknown {
			t.Errorf("digest %s, want unknown (held for an admin)", d.State)
		}
		if d := rg.delivery(next, reminder); d.State != store.DeliverySent || d.Attempts != 1 {
			t.Errorf("reminder %s after %d attempts, want sent at the first", d.State, d.Attempts)
		}
		dead() // let the dead process's goroutine go, for the bubble to end
	})
}

// TestSenderShutdown checks that a stop lets the call in flight finish
// and records it, and that a call cut short by the grace is failed for an
// admin to check, never sent again on its own.
func TestSenderShutdown(t *testing.T) {
	const key = "digest:prospection:2026-11-30T09:00:00"
	tests := []struct {
		name        string
		answer      answer
		wantStopped time.Duration // after the stop
		wantState   store.DeliveryState
		wantError   string
	}{
		{"the call in flight finishes and is recorded", answer{delay: 3 * time.Second}, 2 * time.Second, store.DeliverySent, ""},
		{"a call cut short by the grace is failed for review", answer{hang: true}, bot.DefaultShutdownGrace, store.DeliveryFailed, "interrupted by shutdown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rg := newSenderRig(t)
				rg.slack.answers("chat.postMessage", tt.answer)
				rg.enqueue(rg.store, store.Delivery{Key: key, Kind: "digest", Channel: "C0PROSPECT", Text: "Semaine 48"})
				stop := rg.run(rg.sender(rg.store, nil))
				time.Sleep(time.Second) // the call is in flight
				start := time.Now()
				stop()
				if got := time.Since(start); got != tt.wantStopped {
					t.Errorf("Run returned %v after the stop, want %v", got, tt.wantStopped)
				}
				d := rg.delivery(rg.store, key)
				if d.State != tt.wantState || !strings.Contains(d.LastError, tt.wantError) {
					t.Errorf("delivery %s (%q), want %s with %q", d.State, d.LastError, tt.wantState, tt.wantError)
				}
				// The next process sends nothing more.
				stop = rg.run(rg.sender(rg.store, nil))
				time.Sleep(time.Hour)
				stop()
				if n := len(rg.slack.called("chat.postMessage")); n != 1 {
					t.Errorf("Slack took the post %d times, want 1", n)
				}
			})
		})
	}
}

func TestSenderPace(t *testing.T) {
	tests := []struct {
		name string
		gap  time.Duration // SenderOptions.ChannelGap
		unit time.Duration // the spacing wanted
	}{
		{"default: a second", 0, time.Second},
		{"two seconds", 2 * time.Second, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rg := newSenderRig(t)
				var ds []store.Delivery
				for i := range 5 {
					ds = append(ds, store.Delivery{Key: "digest:" + strconv.Itoa(i), Kind: "digest", Channel: "C0PROSPECT", Text: "semaine " + strconv.Itoa(i)})
				}
				// Nudges to five people, by user ID or DM channel.
				for _, u := range []string{"U01", "U02", "W03", "D04", "U05"} {
					ds = append(ds, store.Delivery{Key: "nudge:" + u, Kind: "nudge", Channel: u, Text: "relance"})
				}
				// Queued last, and not held back by the others' pace.
				ds = append(ds,
					store.Delivery{Key: "digest:one", Kind: "digest", Channel: "C0ONE", Text: "un"},
					store.Delivery{Key: "digest:two", Kind: "digest", Channel: "C0TWO", Text: "deux"})
				rg.enqueue(rg.store, ds...)
				stop := rg.run(rg.sender(rg.store, func(o *bot.SenderOptions) { o.ChannelGap = tt.gap }))
				time.Sleep(time.Minute)
				stop()

				got := map[string][]time.Duration{}
				for _, h := range rg.slack.requests() {
					got[h.channel] = append(got[h.channel], h.at)
				}
				u := tt.unit
				want := map[string][]time.Duration{
					"C0PROSPECT": {0, u, 2 * u, 3 * u, 4 * u},
					"U01":        {0}, "U02": {u}, "W03": {2 * u}, "D04": {3 * u}, "U05": {4 * u},
					"C0ONE": {0}, "C0TWO": {0},
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("posts' times by channel (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// chartPNG is a small PNG, as the chart command makes them.
func chartPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for x := range 4 {
		img.Set(x, 2, color.RGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSenderUploads(t *testing.T) {
	const chart = "reminder:1:72h0m0s:chart"
	upload := func(t *testing.T, channel string) store.Delivery {
		return store.Delivery{Key: chart, Kind: "upload", Channel: channel, File: chartPNG(t),
			FileName: "avancement-2026-11-26.png", Title: "Avancement du plan", AltText: "12 actions terminées sur 40"}
	}
	t.Run("the three calls carry the file", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			rg := newSenderRig(t)
			d := upload(t, "C0COPIL")
			rg.enqueue(rg.store, d)
			if err := rg.sender(rg.store, nil).Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
			var order []string
			for _, h := range rg.slack.requests() {
				order = append(order, h.method)
			}
			if want := []string{"files.getUploadURLExternal", "upload", "files.completeUploadExternal"}; !cmp.Equal(order, want) {
				t.Fatalf("calls %q, want %q", order, want)
			}
			get := rg.slack.called("files.getUploadURLExternal")[0].Form
			if get.Get("filename") != d.FileName || get.Get("length") != strconv.Itoa(len(d.File)) || get.Get("alt_txt") != d.AltText {
				t.Errorf("files.getUploadURLExternal with %v", get)
			}
			if up := rg.slack.called("upload")[0].Form; up.Get("filename") != d.FileName || up.Get("file") != string(d.File) {
				t.Errorf("uploaded %q (%d bytes), want %q (%d bytes)", up.Get("filename"), len(up.Get("file")), d.FileName, len(d.File))
			}
			done := rg.slack.called("files.completeUploadExternal")[0].Form
			if done.Get("channel_id") != "C0COPIL" || done.Get("files") != `[{"id":"F0CHART","title":"Avancement du plan"}]` {
				t.Errorf("files.completeUploadExternal with %v", done)
			}
			if got := rg.delivery(rg.store, chart); got.State != store.DeliverySent || got.SlackTS != "F0CHART" {
				t.Errorf("upload %s as %q, want sent as F0CHART", got.State, got.SlackTS)
			}
		})
	})
	t.Run("a failed upload is retried and does not hold back the text", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			rg := newSenderRig(t)
			rg.slack.answers("files.completeUploadExternal", answer{status: http.StatusInternalServerError})
			// As the reminder is queued: its text, then its chart.
			rg.enqueue(rg.store, upload(t, "C0COPIL"),
				store.Delivery{Key: "reminder:1:72h0m0s", Kind: "reminder", Channel: "C0COPIL", Text: "COPIL dans 3 jours"})
			stop := rg.run(rg.sender(rg.store, nil))
			time.Sleep(time.Hour)
			stop()
			for _, c := range []struct {
				method string
				want   []string
			}{
				{"chat.postMessage", []string{"1s ok"}}, // after the channel's pace
				{"files.completeUploadExternal", []string{"0s 500", "30s ok"}},
			} {
				if got := rg.slack.seen(c.method); !cmp.Equal(got, c.want) {
					t.Errorf("%s: %q, want %q", c.method, got, c.want)
				}
			}
			if d := rg.delivery(rg.store, chart); d.State != store.DeliverySent || d.Attempts != 2 {
				t.Errorf("upload %s after %d attempts, want sent after 2", d.State, d.Attempts)
			}
			if d := rg.delivery(rg.store, "reminder:1:72h0m0s"); d.State != store.DeliverySent || d.Attempts != 1 {
				t.Errorf("text %s after %d attempts, want sent at the first", d.State, d.Attempts)
			}
		})
	})
	for _, channel := range []string{"#copil", "copil", lead} {
		t.Run("to "+channel+": failed at once, asking for a channel ID", func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rg := newSenderRig(t)
				rg.enqueue(rg.store, upload(t, channel))
				if err := rg.sender(rg.store, nil).Flush(context.Background()); err != nil {
					t.Fatal(err)
				}
				if n := rg.slack.count(); n != 0 {
					t.Errorf("%d calls to Slack, want none", n)
				}
				d := rg.delivery(rg.store, chart)
				if d.State != store.DeliveryFailed || !strings.Contains(d.LastError, "uploads need a channel ID") {
					t.Errorf("upload %s: %q; want failed, asking for a channel ID", d.State, d.LastError)
				}
			})
		})
	}
}

func TestCheckUploadChannel(t *testing.T) {
	tests := []struct {
		channel string
		wantErr bool
	}{
		{"C0COPIL", false},
		{"G01AB2CD3", false},
		{"D0DM", false},
		{"#copil", true},
		{"copil", true},
		{"U0LEAD", true},
		{"W0LEAD", true},
		{"c0copil", true},
		{"C", true},
		{"", true},
	}
	for _, tt := range tests {
		t.Run(tt.channel, func(t *testing.T) {
			err := bot.CheckUploadChannel(tt.channel)
			if got := err != nil; got != tt.wantErr {
				t.Errorf("CheckUploadChannel(%q) = %v, want error: %v", tt.channel, err, tt.wantErr)
			}
		})
	}
}

func TestSenderWake(t *testing.T) {
	tests := []struct {
		name   string
		wake   bool
		wantAt string
	}{
		{"woken: sent at once", true, "5s ok"},
		{"not woken: sent at the next poll", false, "30s ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rg := newSenderRig(t)
				snd := rg.sender(rg.store, nil)
				stop := rg.run(snd)
				time.Sleep(5 * time.Second) // Run waits for its next poll
				rg.enqueue(rg.store, store.Delivery{Key: "reminder-now:1", Kind: "reminder", Channel: "C0COPIL", Text: "COPIL demain"})
				if tt.wake {
					snd.Wake()
				}
				time.Sleep(time.Minute)
				stop()
				if got := rg.slack.seen("chat.postMessage"); !cmp.Equal(got, []string{tt.wantAt}) {
					t.Errorf("chat.postMessage calls %q, want %q", got, tt.wantAt)
				}
			})
		})
	}
}

func TestSenderFlush(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rg := newSenderRig(t)
		rg.slack.answers("chat.postMessage", answer{status: http.StatusTooManyRequests, retryAfter: "60"})
		rg.enqueue(rg.store,
			store.Delivery{Key: "limited", Kind: "digest", Channel: "C0COPIL", Text: "limité"},
			store.Delivery{Key: "first", Kind: "digest", Channel: "C0PROSPECT", Text: "un"},
			store.Delivery{Key: "second", Kind: "digest", Channel: "C0PROSPECT", Text: "deux"},
			store.Delivery{Key: "dm", Kind: "nudge", Channel: lead, Text: "relance"},
			store.Delivery{Key: "later", Kind: "digest", Channel: "C0ONE", Text: "plus tard", NextTry: time.Now().Add(time.Hour)})
		start := time.Now()
		if err := rg.sender(rg.store, nil).Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		// The second post to C0PROSPECT waits a second; the 429 is not
		// waited for: its retry is Run's.
		if got := time.Since(start); got != time.Second {
			t.Errorf("Flush returned after %v, want 1s", got)
		}
		want := map[string]int{"C0PROSPECT un": 1, "C0PROSPECT deux": 1, "U0LEAD relance": 1}
		if diff := cmp.Diff(want, rg.posts()); diff != "" {
			t.Errorf("posts (-want +got):\n%s", diff)
		}
		for key, want := range map[string]store.DeliveryState{"limited": store.DeliveryPending, "later": store.DeliveryPending, "second": store.DeliverySent} {
			if got := rg.delivery(rg.store, key).State; got != want {
				t.Errorf("%s %s, want %s", key, got, want)
			}
		}
		if got := metric(rg.metrics, pending); got != "2" {
			t.Errorf("%s = %s, want 2", pending, got)
		}
	})
}

// TestSendersShareTheOutbox runs two processes' senders on one database —
// serve's Run, and `actionbot digest --post`'s Flush — at once: each
// delivery is posted once.
func TestSendersShareTheOutbox(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rg := newSenderRig(t)
		other := openOutbox(t, rg.path)
		want := map[string]int{}
		for i := range 20 {
			ch := "C0CHAN" + strconv.Itoa(i)
			rg.enqueue(rg.store, store.Delivery{Key: "digest:" + ch, Kind: "digest", Channel: ch, Text: "semaine"})
			want[ch+" semaine"] = 1
		}
		stop := rg.run(rg.sender(rg.store, nil))
		if err := rg.sender(other, nil).Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		stop()
		if diff := cmp.Diff(want, rg.posts()); diff != "" {
			t.Errorf("posts (-want +got):\n%s", diff)
		}
	})
}

// TestSenderLease runs two replicas' senders on one outbox, each with the
// sender's lease: one sends while the other stands by; when the sender
// stops, the other takes over at once, and when it dies without a word,
// within 30 s.
func TestSenderLease(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rg := newSenderRig(t)
		replica := func(outbox *store.Store, name string) (*bot.Metrics, func()) {
			m := bot.NewMetrics()
			return m, rg.run(rg.sender(outbox, func(o *bot.SenderOptions) {
				o.Lease, o.Holder, o.Metrics = outbox, name, m
			}))
		}
		sent := func(m *bot.Metrics) string { return metric(m, postsSent) }
		enqueue := func(n int) {
			for i := range n {
				ch := fmt.Sprintf("C0CHAN%d", i)
				rg.enqueue(rg.store, store.Delivery{Key: fmt.Sprintf("digest:%s:%s", ch, time.Now().Format(time.TimeOnly)), Kind: "digest", Channel: ch, Text: "semaine"})
			}
		}
		aStore := openOutbox(t, rg.path)
		a, stopA := replica(aStore, "a")
		synctest.Wait()
		b, stopB := replica(rg.store, "b")
		defer stopB()
		enqueue(5)
		time.Sleep(time.Minute)
		if sent(a) != "5" || sent(b) != "0" {
			t.Errorf("with a holding the lease: a sent %s, b %s; want 5 and none", sent(a), sent(b))
		}

		// a stops and gives the lease up: b sends at once.
		stopA()
		enqueue(3)
		time.Sleep(bot.DefaultLeaseTTL/3 + time.Second)
		if sent(b) != "3" {
			t.Errorf("after a stopped: b sent %s, want 3", sent(b))
		}

		// A third replica comes, then b dies without giving the lease up.
		cStore := openOutbox(t, rg.path)
		c, stopC := replica(cStore, "c")
		defer stopC()
		synctest.Wait()
		// Its database handle closes first: it cannot give the lease up,
		// which stays until it expires.
		rg.store.Close()
		stopB()
		died := time.Now()
		enqueue2 := func() {
			if created, err := cStore.Enqueue(context.Background(), store.Delivery{Key: "after-b", Kind: "digest", Channel: "C0LAST", Text: "semaine"}); err != nil || !created {
				t.Fatalf("Enqueue = %v, %v", created, err)
			}
		}
		enqueue2()
		for sent(c) != "1" && time.Since(died) < time.Minute {
			time.Sleep(time.Second)
		}
		if took := time.Since(died); sent(c) != "1" || took > 30*time.Second || took < bot.DefaultLeaseTTL/2 {
			t.Errorf("after b died: c sent %s after %s, want 1 within 30 s, once b's lease expired", sent(c), took)
		}
		if diff := cmp.Diff(map[string]int{"C0CHAN0 semaine": 2, "C0CHAN1 semaine": 2, "C0CHAN2 semaine": 2, "C0CHAN3 semaine": 1, "C0CHAN4 semaine": 1, "C0LAST semaine": 1}, rg.posts()); diff != "" {
			t.Errorf("posts (-want +got):\n%s", diff)
		}
	})
}

// TestSenderThreadReplies: the rest of a long post goes as replies in its
// thread, each once, only after the first post is sent — even when that
// one needs a retry — and in order.
func TestSenderThreadReplies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rg := newSenderRig(t)
		const key = "digest:prospection:2026-11-30T09:00:00"
		first := store.Delivery{Key: key, Kind: "digest", Channel: "C0PROSPECT", Text: "Point hebdomadaire (1/3)"}
		replies := []store.Delivery{
			{Key: key + ":reply:1", Kind: "digest", Text: "Point hebdomadaire (2/3)"},
			{Key: key + ":reply:2", Kind: "digest", Text: "Point hebdomadaire (3/3)"},
		}
		if created, err := rg.store.Enqueue(context.Background(), first, replies...); err != nil || !created {
			t.Fatalf("Enqueue = %v, %v", created, err)
		}
		// Enqueued again (the slot's job ran twice): nothing more.
		if created, err := rg.store.Enqueue(context.Background(), first, replies...); err != nil || created {
			t.Fatalf("Enqueue again = %v, %v; want not created", created, err)
		}
		rg.slack.answers("chat.postMessage", answer{status: http.StatusInternalServerError})
		stop := rg.run(rg.sender(rg.store, nil))
		time.Sleep(time.Hour)
		stop()

		var got []string
		for _, c := range rg.slack.called("chat.postMessage") {
			got = append(got, c.Form.Get("channel")+" "+c.Form.Get("text")+" thread="+c.Form.Get("thread_ts"))
		}
		want := []string{
			"C0PROSPECT Point hebdomadaire (1/3) thread=",
			"C0PROSPECT Point hebdomadaire (2/3) thread=" + fakeTS,
			"C0PROSPECT Point hebdomadaire (3/3) thread=" + fakeTS,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("posts (-want +got):\n%s", diff)
		}
		if n := len(rg.slack.seen("chat.postMessage")); n != 4 {
			t.Errorf("%d calls to chat.postMessage, want 4 (one failed, three posts)", n)
		}
		for _, k := range []string{key, key + ":reply:1", key + ":reply:2"} {
			if d := rg.delivery(rg.store, k); d.State != store.DeliverySent {
				t.Errorf("%s: %s, want sent", k, d.State)
			}
		}
	})
}

// TestSenderFlushThreadReplies: Flush (actionbot digest --post) posts a
// long post whole — its replies come due as the first part is sent, and
// Flush leaves none of them for serve to post later.
func TestSenderFlushThreadReplies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rg := newSenderRig(t)
		const key = "digest-now:prospection:2026-11-26T09:00:00Z"
		first := store.Delivery{Key: key, Kind: "digest", Channel: "C0PROSPECT", Text: "Point hebdomadaire (1/2)"}
		reply := store.Delivery{Key: key + ":reply:1", Kind: "digest", Text: "Point hebdomadaire (2/2)"}
		if _, err := rg.store.Enqueue(context.Background(), first, reply); err != nil {
			t.Fatal(err)
		}
		if err := rg.sender(rg.store, nil).Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{key, reply.Key} {
			if d := rg.delivery(rg.store, k); d.State != store.DeliverySent {
				t.Errorf("after Flush, %s is %s, want sent", k, d.State)
			}
		}
	})
}

package bot

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// maxBody bounds what is read of a POST before its signature is checked.
const maxBody = 1 << 20

// Handler returns the HTTP endpoints of the bot:
//
//	POST /slack/commands      slash commands
//	POST /slack/interactions  buttons and modal submissions
//	POST /slack/events        Events API (url_verification, app_home_opened)
//	GET  /healthz             200 when the database answers (and, in Socket
//	                          Mode, the connection to Slack is up); 503 with
//	                          the reason otherwise
//	GET  /metrics             Prometheus metrics
//	/plan, /plan/…            the read-only plan, with Options.Web
//
// Every POST is verified with the signing secret before anything is
// parsed: a bad, missing or stale signature gets 401 and nothing happens,
// and so does a request already received (same timestamp and signature).
// In Socket Mode there is no signing secret, and every POST is refused:
// Slack's requests come over the WebSocket; the rest is served alike.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /slack/commands", s.verified(s.serveCommand, false))
	mux.Handle("POST /slack/interactions", s.verified(s.serveInteraction, false))
	mux.Handle("POST /slack/events", s.verified(s.serveEvent, true))
	mux.HandleFunc("GET /healthz", s.serveHealth)
	mux.Handle("GET /metrics", s.metrics.Handler())
	if s.web != nil {
		mux.Handle("/plan", s.web)
		mux.Handle("/plan/", s.web)
	}
	return mux
}

// Serve serves Handler on ln until ctx is cancelled; then it stops taking
// requests, lets those in flight and the work they started finish (for up
// to the shutdown timeout) and returns nil.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.secret == "" {
		return errors.New("bot: HTTP mode needs the signing secret")
	}
	hs, errc := s.listen(ln)
	s.up()
	select {
	case err := <-errc:
		s.drain(ctx)
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing the requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), s.shutdown)
	defer cancel()
	err := hs.Shutdown(sctx)
	s.drain(sctx)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}

// listen serves Handler on ln in a goroutine; errc gets what Serve
// returned, unless it was shut down.
func (s *Server) listen(ln net.Listener) (*http.Server, <-chan error) {
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() {
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	return hs, errc
}

// verified checks a POST's signature, and that it was not received
// before, and passes its body on. With retries, a request Slack marks as a
// retry (X-Slack-Retry-Num) may come again with the same signature: the
// events it carries are processed once by their ID instead.
func (s *Server) verified(next func(w http.ResponseWriter, r *http.Request, body []byte), retries bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		now := s.now()
		ts, sig, err := s.verifier.check(r.Header, body, now)
		if err != nil {
			s.log.Warn("request refused", "path", r.URL.Path, "remote", r.RemoteAddr, "reason", err)
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		retry := retries && r.Header.Get("X-Slack-Retry-Num") != ""
		if !s.replays.firstKey(ts, sig, now) && !retry {
			s.log.Warn("request refused", "path", r.URL.Path, "remote", r.RemoteAddr, "reason", "replayed: this signed request was already received")
			http.Error(w, "replayed request", http.StatusUnauthorized)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next(w, r, body)
	})
}

// Errors of Verify.
var (
	ErrNoSignature  = errors.New("no signature or timestamp")
	ErrStale        = errors.New("timestamp more than 5 minutes off")
	ErrBadSignature = errors.New("signature does not match")
)

// MaxSkew is how far a request's timestamp may be from now, either way.
const MaxSkew = 5 * time.Minute

// Verify checks Slack's signature of a request body: the header
// X-Slack-Signature must be "v0=" and the hex HMAC-SHA256, keyed with the
// signing secret, of "v0:<X-Slack-Request-Timestamp>:<body>", and the
// timestamp within MaxSkew of now. An empty secret verifies nothing.
func Verify(secret string, h http.Header, body []byte, now time.Time) error {
	_, _, err := newVerifier(secret).check(h, body, now)
	return err
}

// verifier checks signatures made with one signing secret. It keeps its
// keyed HMACs for the next requests: keying one, and writing the message
// through fmt, cost a card a tenth of its allocations.
type verifier struct {
	secret []byte
	macs   sync.Pool // of *signing
}

// signing is an HMAC keyed with the secret, and room for its input.
type signing struct {
	mac  hash.Hash
	head []byte // "v0:<timestamp>:"
	sum  []byte
}

func newVerifier(secret string) *verifier {
	v := &verifier{secret: []byte(secret)}
	v.macs.New = func() any { return &signing{mac: hmac.New(sha256.New, v.secret)} }
	return v
}

// check is Verify; it also returns the request's timestamp and the HMAC it
// carried, by which a replay is known.
func (v *verifier) check(h http.Header, body []byte, now time.Time) (ts int64, sig [32]byte, err error) {
	stamp, signature := h.Get("X-Slack-Request-Timestamp"), h.Get("X-Slack-Signature")
	if len(v.secret) == 0 || stamp == "" || signature == "" {
		return 0, sig, ErrNoSignature
	}
	ts, err = strconv.ParseInt(stamp, 10, 64)
	if err != nil {
		return 0, sig, ErrStale
	}
	if d := now.Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return 0, sig, ErrStale
	}
	sig, ok := signatureOf(signature)
	if !ok {
		return 0, sig, ErrBadSignature
	}
	sg := v.macs.Get().(*signing)
	defer v.macs.Put(sg)
	sg.mac.Reset()
	sg.head = append(append(append(sg.head[:0], "v0:"...), stamp...), ':')
	sg.mac.Write(sg.head)
	sg.mac.Write(body)
	sg.sum = sg.mac.Sum(sg.sum[:0])
	if !hmac.Equal(sg.sum, sig[:]) {
		return 0, sig, ErrBadSignature
	}
	return ts, sig, nil
}

func (s *Server) writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		s.log.Warn("writing the reply failed", "err", err)
	}
}

func (s *Server) serveCommand(w http.ResponseWriter, r *http.Request, body []byte) {
	sc, err := slashCommandOf(r.Header.Get("Content-Type"), body)
	if err != nil || sc.Command == "" {
		http.Error(w, "not a slash command", http.StatusBadRequest)
		return
	}
	if !s.allowedTeam(sc.TeamID) {
		http.Error(w, "workspace not served", http.StatusForbidden)
		return
	}
	// An answer that is late is acknowledged at the inline timeout with
	// an empty 200, its length said so that Slack has the whole response
	// at once, while the command goes on (then posted to response_url).
	ack := func() {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	if reply := s.command(sc, ack); reply != nil {
		b, err := s.encoded.of(reply)
		if err != nil {
			s.log.Error("encoding the reply failed", "command", sc.Command, "user", sc.UserID, "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(b)
	}
}

func (s *Server) serveInteraction(w http.ResponseWriter, r *http.Request, _ []byte) {
	cb, err := slack.InteractionCallbackParse(r)
	if err != nil {
		http.Error(w, "not an interaction payload", http.StatusBadRequest)
		return
	}
	if !s.allowedTeam(cb.Team.ID) {
		http.Error(w, "workspace not served", http.StatusForbidden)
		return
	}
	if ack := s.interaction(cb); ack != nil {
		s.writeJSON(w, ack)
	}
}

func (s *Server) serveEvent(w http.ResponseWriter, r *http.Request, body []byte) {
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		// An event the bot does not know: ack it so that Slack does not
		// retry it.
		s.log.Debug("event not understood", "err", err)
		return
	}
	switch ev.Type {
	case slackevents.URLVerification:
		v, ok := ev.Data.(*slackevents.EventsAPIURLVerificationEvent)
		if !ok {
			http.Error(w, "bad url_verification", http.StatusBadRequest)
			return
		}
		s.writeJSON(w, map[string]string{"challenge": v.Challenge})
	case slackevents.CallbackEvent:
		if !s.allowedTeam(ev.TeamID) {
			http.Error(w, "workspace not served", http.StatusForbidden)
			return
		}
		if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
			s.log.Info("event retried by Slack", "retry", n, "reason", r.Header.Get("X-Slack-Retry-Reason"), "event_id", eventID(ev))
		}
		if s.firstDelivery(r.Context(), ev) {
			s.spawn("event", func(ctx context.Context) { s.event(ctx, ev) })
		}
	}
}

func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	status := http.StatusOK
	if s.health != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.health.Ping(ctx); err != nil {
			s.log.Error("health check: the database does not answer", "err", err)
			status = http.StatusServiceUnavailable
			b.WriteString("database: unavailable\n")
		} else {
			b.WriteString("database: ok\n")
		}
	}
	switch s.socket.Load() {
	case socketUp:
		b.WriteString("slack: connected (Socket Mode)\n")
	case socketDown:
		status = http.StatusServiceUnavailable
		b.WriteString("slack: not connected (Socket Mode)\n")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, b.String())
}

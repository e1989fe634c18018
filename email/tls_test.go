package email_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	stdlog "log"
	"log/slog"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/email"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// testCA is a certificate authority made for one test, and a server
// certificate it signed for 127.0.0.1 and localhost.
type testCA struct {
	pool   *x509.CertPool
	server tls.Certificate
}

func newTestCA(t *testing.T) testCA {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	notBefore := time.Now().Add(-time.Hour) // crypto/tls checks against the real clock
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "actionbot test CA"},
		NotBefore: notBefore, NotAfter: notBefore.Add(48 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "smtp.test"},
		NotBefore: notBefore, NotAfter: notBefore.Add(48 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return testCA{pool: pool, server: tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key}}
}

// authServer is a real SMTP server with TLS and AUTH PLAIN: STARTTLS on a
// plain listener (as on 587), or TLS from the first byte (as on 465). It
// refuses MAIL before a login, and a login before TLS.
type authServer struct {
	*smtpServer
	user, password string
	mu             sync.Mutex
	logins         []string // who logged in, over TLS
}

func newAuthServer(t *testing.T, ca testCA, implicit bool) *authServer {
	t.Helper()
	as := &authServer{smtpServer: &smtpServer{}, user: "actionbot", password: "s3cret pass"}
	srv := smtp.NewServer(as)
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{ca.server}, MinVersion: tls.VersionTLS12}
	srv.AllowInsecureAuth = false
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = stdlog.New(io.Discard, "", 0) // the refused handshakes are the test's
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	as.addr = ln.Addr().String()
	if implicit {
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return as
}

func (as *authServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &authSession{session: session{ss: as.smtpServer}, as: as, conn: c}, nil
}

type authSession struct {
	session
	as     *authServer
	conn   *smtp.Conn
	authed bool
}

func (s *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *authSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != s.as.user || password != s.as.password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		_, overTLS := s.conn.TLSConnectionState()
		s.as.mu.Lock()
		s.as.logins = append(s.as.logins, map[bool]string{true: user + " over TLS", false: user + " in clear"}[overTLS])
		s.as.mu.Unlock()
		s.authed = true
		return nil
	}), nil
}

func (s *authSession) Mail(from string, o *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	return s.session.Mail(from, o)
}

// TestTLSAndAuth sends through STARTTLS on a plain listener (smtp://,
// as on 587) and through TLS from the start (smtps://, as on 465), both
// with AUTH, the client verifying the server's certificate against a CA
// made for the test (Config.RootCAs — there is no switch to skip the
// verification). Without that CA the certificate is refused and nothing
// is sent.
func TestTLSAndAuth(t *testing.T) {
	ca := newTestCA(t)
	for _, tt := range []struct {
		name, scheme string
		implicit     bool
	}{{"STARTTLS", "smtp", false}, {"implicit TLS", "smtps", true}} {
		t.Run(tt.name, func(t *testing.T) {
			as := newAuthServer(t, ca, tt.implicit)
			f := newFixture(t, as.smtpServer)
			d, _ := f.reminder(t)
			cfg := email.Config{URL: tt.scheme + "://actionbot@" + as.addr, Password: as.password, From: "Plan attractivité <actionbot@tours-metropole.example>", BaseURL: base, RootCAs: ca.pool}
			m, err := email.NewMailer(cfg, f.s)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Send(context.Background(), d); err != nil {
				t.Fatalf("Send: %v", err)
			}
			as.mu.Lock()
			logins := append([]string(nil), as.logins...)
			as.mu.Unlock()
			if got := as.messages(); len(got) != 1 || got[0].to[0] != guest.Email || len(logins) != 1 || logins[0] != "actionbot over TLS" {
				t.Fatalf("%d messages received, logins %v", len(got), logins)
			}

			// The system's roots do not know the test CA: refused, nothing sent.
			cfg.RootCAs = nil
			m, _ = email.NewMailer(cfg, f.s)
			_, err = m.Send(context.Background(), d)
			if err == nil || !strings.Contains(err.Error(), "certificate") {
				t.Errorf("with an unknown CA: %v", err)
			}
			if n := len(as.messages()); n != 1 {
				t.Errorf("%d messages received with an unknown CA", n)
			}

			// 4xx over TLS is temporary, 5xx permanent.
			cfg.RootCAs = ca.pool
			m, _ = email.NewMailer(cfg, f.s)
			for _, code := range []int{451, 552} {
				as.mu.Lock()
				as.fail = []int{code}
				as.mu.Unlock()
				_, err := m.Send(context.Background(), d)
				var e *email.Error
				if !errors.As(err, &e) || e.Permanent() != (code >= 500) || e.Code != code {
					t.Errorf("SMTP %d: %v", code, err)
				}
			}
		})
	}
}

// TestWrongPassword: a login the server refuses (535) fails the delivery
// at once, on its first attempt, and the log says what to check.
func TestWrongPassword(t *testing.T) {
	ca := newTestCA(t)
	as := newAuthServer(t, ca, false)
	f := newFixture(t, as.smtpServer)
	ctx := context.Background()
	m, err := email.NewMailer(email.Config{URL: "smtp://actionbot@" + as.addr, Password: "wrong", From: "actionbot@tours-metropole.example", BaseURL: base, RootCAs: ca.pool}, f.s)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := f.reminder(t)
	_, err = m.Send(ctx, d)
	var e *email.Error
	if !errors.As(err, &e) || !e.Permanent() || e.Code != 535 || !strings.Contains(err.Error(), "ACTIONBOT_SMTP_PASSWORD") || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("Send with a wrong password: %v", err)
	}

	var logs bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
	snd := bot.NewSender(bot.SenderOptions{Outbox: f.s, Slack: noSlack{}, Mail: m, Now: func() time.Time { return storetest.Now }, ChannelGap: time.Millisecond, Logger: log})
	if _, err := f.s.Enqueue(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := snd.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := f.s.DeliveryByKey(ctx, d.Key)
	mu.Lock()
	text := logs.String()
	mu.Unlock()
	if got.State != store.DeliveryFailed || got.Attempts != 1 || !strings.Contains(got.LastError, "refused the login") {
		t.Errorf("the delivery: %s after %d attempts, %q", got.State, got.Attempts, got.LastError)
	}
	if !strings.Contains(text, "level=ERROR") || !strings.Contains(text, "refused the login") || !strings.Contains(text, d.Key) {
		t.Errorf("the log says:\n%s", text)
	}
	if len(as.messages()) != 0 {
		t.Error("a message went through with a wrong password")
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

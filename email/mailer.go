package email

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/web"
)

// Config is the [email] section: where to send and as whom.
type Config struct {
	// URL is smtp://user@host:587 (STARTTLS when the server offers it)
	// or smtps://user@host:465 (TLS from the start).
	URL string
	// Password, when set, wins over the URL's (ACTIONBOT_SMTP_PASSWORD).
	Password string
	// From is the sender: "Plan attractivité <actionbot@tours-metropole.fr>".
	From string
	// BaseURL is web.base_url, for the unsubscribe links.
	BaseURL string
	// RootCAs are the authorities the SMTP server's certificate is checked
	// against; nil is the system's (which SSL_CERT_FILE and SSL_CERT_DIR
	// can extend). Tests set a CA of their own. The certificate is always
	// verified: there is no switch to skip it.
	RootCAs *x509.CertPool
}

// CheckConfig says what is wrong with c, naming the key.
func CheckConfig(c Config) error {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return fmt.Errorf("email.smtp_url = %q: want smtp://user@host:587 (STARTTLS) or smtps://user@host:465", redact(c.URL))
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("email.smtp_url = %q: bad port", redact(c.URL))
		}
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("email.from = %q: want an address such as \"Plan attractivité <actionbot@tours-metropole.fr>\"", c.From)
	}
	if c.BaseURL == "" {
		return errors.New("email needs web.base_url: every message carries a link to the plan and one to unsubscribe")
	}
	return nil
}

// redact hides the password of an SMTP URL.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Optouts is what the mailer asks the store before sending, and where it
// makes the personal links; *store.Store has it.
type Optouts interface {
	Unsubscribed(ctx context.Context, addr string) (bool, error)
	MailSecret(ctx context.Context) ([]byte, error)
	CreateLink(ctx context.Context, name, by string, expires time.Time) (store.Link, string, error)
}

// Mailer sends the e-mail deliveries of the outbox.
type Mailer struct {
	c       Config
	optouts Optouts
	opts    []gomail.Option
	host    string
	domain  string
	user    string
}

// NewMailer returns a Mailer for c (checked by CheckConfig).
func NewMailer(c Config, optouts Optouts) (*Mailer, error) {
	if err := CheckConfig(c); err != nil {
		return nil, err
	}
	u, _ := url.Parse(c.URL)
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second),
		gomail.WithTLSConfig(&tls.Config{ServerName: u.Hostname(), RootCAs: c.RootCAs, MinVersion: tls.VersionTLS12})}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p)
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil && u.User.Username() != "" {
		pw, _ := u.User.Password()
		if c.Password != "" {
			pw = c.Password
		}
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	from, _ := mail.ParseAddress(c.From)
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	user := ""
	if u.User != nil {
		user = u.User.Username()
	}
	return &Mailer{c: c, optouts: optouts, opts: opts, host: u.Hostname(), domain: domain, user: user}, nil
}

// Error is a failed sending. Permanent says whether trying again can
// change anything: the server refused for good (5xx), or the address
// unsubscribed.
type Error struct {
	Code int // the SMTP answer, 0 when none came
	Err  error
	perm bool
}

func (e *Error) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("smtp %d: %v", e.Code, e.Err)
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Permanent reports whether no retry can help.
func (e *Error) Permanent() bool { return e.perm }

// ErrUnsubscribed is the cause of a delivery to an address that
// unsubscribed.
var ErrUnsubscribed = errors.New("the address unsubscribed: nothing is sent to it until actionbot email --resubscribe")

// ContentID is the Content-ID of the chart inlined in a message's HTML
// (<img src="cid:…">).
const ContentID = "avancement@actionbot"

// TypePDF is the MIME type of an attached PDF.
const TypePDF gomail.ContentType = "application/pdf"

// IsPDF reports whether a delivery's file is a PDF document (attached to
// the message) rather than an image (shown inline).
func IsPDF(b []byte) bool { return http.DetectContentType(b) == string(TypePDF) }

// MessageID is the Message-ID of the delivery under key: the same for
// every attempt, so that a mail system that saw it can drop a repeat.
func (m *Mailer) MessageID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16]) + "@" + m.domain
}

// Send sends delivery d (its Channel "mailto:ADDRESS") and returns its
// Message-ID.
func (m *Mailer) Send(ctx context.Context, d store.Delivery) (string, error) {
	to, ok := strings.CutPrefix(d.Channel, store.MailPrefix)
	if !ok || to == "" {
		return "", &Error{Err: fmt.Errorf("not an e-mail delivery: %q", d.Channel), perm: true}
	}
	if un, err := m.optouts.Unsubscribed(ctx, to); err != nil {
		return "", err
	} else if un {
		return "", &Error{Err: ErrUnsubscribed, perm: true}
	}
	d, err := m.withLink(ctx, d)
	if err != nil {
		return "", err
	}
	msg, err := m.compose(ctx, to, d)
	if err != nil {
		return "", &Error{Err: err, perm: true}
	}
	client, err := gomail.NewClient(m.host, m.opts...)
	if err != nil {
		return "", &Error{Err: err, perm: true}
	}
	// Once the server has accepted the message (250 after its DATA), what
	// fails after — the RSET, the QUIT, the connection — is no failure of
	// the delivery: a retry would send it twice.
	if err := client.DialAndSendWithContext(ctx, msg); err != nil && !msg.IsDelivered() {
		return "", m.classify(err)
	}
	return m.MessageID(d.Key), nil
}

// withLink makes the personal link d carries (d.LinkName) and puts its
// token where the writer left TokenSlot. Each attempt makes its own link,
// so that no usable token is ever in the outbox: a resend gets a fresh
// one. A link whose time has run out fails the delivery for good.
func (m *Mailer) withLink(ctx context.Context, d store.Delivery) (store.Delivery, error) {
	if d.LinkName == "" || d.LinkUntil == nil {
		return d, nil
	}
	secret, err := m.optouts.MailSecret(ctx)
	if err != nil {
		return d, err
	}
	// Only the slot the writer made for this e-mail is filled: text quoted
	// from the plan (a note, a title) cannot know it.
	slot := web.TokenParam + "=" + slotOf(secret, d.Channel, d.LinkName, *d.LinkUntil)
	if !strings.Contains(d.Text, slot) || (d.HTML != "" && !strings.Contains(d.HTML, slot)) {
		return d, &Error{Err: errors.New("the e-mail has no place for its link"), perm: true}
	}
	_, token, err := m.optouts.CreateLink(ctx, d.LinkName, d.LinkBy, *d.LinkUntil)
	if errors.Is(err, store.ErrInvalid) {
		return d, &Error{Err: fmt.Errorf("the personal link of this e-mail was valid until %s: nothing sent, its time is over", d.LinkUntil.Format(time.RFC3339)), perm: true}
	} else if err != nil {
		return d, err
	}
	tok := web.TokenParam + "=" + url.QueryEscape(token)
	d.Text = strings.ReplaceAll(d.Text, slot, tok)
	d.HTML = strings.ReplaceAll(d.HTML, slot, tok)
	return d, nil
}

// compose builds the MIME message of d: the text, the HTML alternative
// with the image inline, the unsubscribe headers.
func (m *Mailer) compose(ctx context.Context, to string, d store.Delivery) (*gomail.Msg, error) {
	key, err := m.optouts.MailSecret(ctx)
	if err != nil {
		return nil, err
	}
	msg := gomail.NewMsg()
	if err := msg.From(m.c.From); err != nil {
		return nil, err
	}
	if err := msg.To(to); err != nil {
		return nil, err
	}
	msg.Subject(d.Title)
	msg.SetMessageIDWithValue(m.MessageID(d.Key))
	msg.SetDate()
	unsub := web.UnsubscribeURL(m.c.BaseURL, key, to)
	msg.SetGenHeaderPreformatted("List-Unsubscribe", "<"+unsub+">")
	msg.SetGenHeaderPreformatted("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	msg.SetGenHeaderPreformatted("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, d.Text)
	if d.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, d.HTML)
	}
	switch {
	case len(d.File) == 0:
	case IsPDF(d.File):
		// A document (the COPIL's minutes): attached, not shown in the HTML.
		if err := msg.AttachReader(d.FileName, bytes.NewReader(d.File), gomail.WithFileContentType(TypePDF)); err != nil {
			return nil, err
		}
	default:
		// The chart, shown inline by the HTML (cid:).
		if err := msg.EmbedReader(d.FileName, bytes.NewReader(d.File), gomail.WithFileContentID("<"+ContentID+">")); err != nil {
			return nil, err
		}
	}
	return msg, nil
}

// classify turns go-mail's error into an Error: 4xx and network trouble
// are temporary, 5xx permanent — whether the server said it to the
// message (a SendError) or while the client logged in (the dial's
// textproto.Error). A refused login says what to check.
func (m *Mailer) classify(err error) error {
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode() != 0 {
		code := se.ErrorCode()
		return &Error{Code: code, Err: err, perm: code >= 500 && !se.IsTemp()}
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		switch te.Code {
		case 534, 535, 530, 538:
			err = fmt.Errorf("the SMTP server refused the login of %q (%d %s): check the user of email.smtp_url and the password (ACTIONBOT_SMTP_PASSWORD)", m.user, te.Code, te.Msg)
		}
		return &Error{Code: te.Code, Err: err, perm: te.Code >= 500}
	}
	return &Error{Err: err}
}

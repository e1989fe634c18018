package web

import (
	"context"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

// Plan is what the pages read of the store; *store.Store has it.
type Plan interface {
	CheckLink(ctx context.Context, token string, now time.Time) (store.Link, error)
	TouchLink(ctx context.Context, l store.Link, now time.Time) error
	Dashboard(ctx context.Context, today store.Date, group string) (store.Dashboard, error)
	Actions(ctx context.Context, f store.Filter) (store.Page, error)
	ActionByNumber(ctx context.Context, n int) (store.Action, error)
	HistoryPage(ctx context.Context, n, offset, limit int) ([]store.JournalEntry, int, error)
	NextMeeting(ctx context.Context, now time.Time) (store.Meeting, error)
	Groups(ctx context.Context) ([]store.Group, error)
	GroupByKey(ctx context.Context, key string) (store.Group, error)
	Axes(ctx context.Context) ([]store.Axis, error)
	Programmes(ctx context.Context) ([]store.Programme, error)
}

// Optouts records who wants no more e-mail.
type Optouts interface {
	MailSecret(ctx context.Context) ([]byte, error)
	Unsubscribe(ctx context.Context, addr string) error
}

// Words is how the plan's data reads, the same as in Slack, and the
// wording of the pages, in the configured language; *commands.Handler has
// it.
type Words interface {
	Language() string
	// Wording returns a sentence of the pages (commands' catalogue).
	Wording(key string, args ...any) string
	Chart(ctx context.Context, now time.Time) (commands.Chart, error)
	StatusName(s store.Status) string
	EntryText(e store.JournalEntry) string
	DueText(a store.Action, today store.Date) string
	When(t time.Time) string
	LongDate(d store.Date) string
	Location() *time.Location
}

// Options configure a Server. Plan and Words are required.
type Options struct {
	Plan  Plan
	Words Words
	// Names gives Slack users' names (cached: bot.Names); nil or a
	// failure shows « un membre de Slack », never an ID.
	Names func(ctx context.Context, userID string) (string, error)
	// Workbook writes the plan as an xlsx workbook; nil: no download.
	Workbook func(ctx context.Context, w io.Writer, now time.Time) error
	// Optouts, when set, serves the unsubscribe links of e-mails
	// (UnsubscribeURL); *store.Store has it.
	Optouts Optouts
	// BaseURL is web.base_url; its scheme says whether the cookie is
	// Secure.
	BaseURL string
	// Contact is whom a reader whose link no longer works should ask,
	// as the 403 page says it; empty: « la personne qui vous a transmis le
	// lien » (the catalogue's site.contact).
	Contact string
	Now     func() time.Time
	Logger  *slog.Logger
}

// CookieName is the cookie that carries a reader's link after the first
// visit.
const CookieName = "actionbot_lien"

// Server serves the read-only plan under /plan.
type Server struct {
	o     Options
	mux   *http.ServeMux
	pages map[string]*template.Template
}

// New returns a Server.
func New(o Options) (*Server, error) {
	if o.Plan == nil || o.Words == nil {
		return nil, errors.New("web: Options.Plan and Options.Words are required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Contact == "" {
		o.Contact = o.Words.Wording("site.contact")
	}
	s := &Server{o: o, mux: http.NewServeMux(), pages: parsePages(o.Words)}
	s.mux.HandleFunc("GET /plan/style.css", serveCSS)
	s.mux.Handle("GET /plan", s.guard(s.dashboard))
	s.mux.Handle("GET /plan/actions/{n}", s.guard(s.action))
	s.mux.Handle("GET /plan/groupes/{key}", s.guard(s.group))
	s.mux.Handle("GET /plan/graphique.png", s.guard(s.chart))
	s.mux.Handle("GET /plan/plan.xlsx", s.guard(s.workbook))
	if o.Optouts != nil {
		// No link needed: the address's signature is the key.
		s.mux.HandleFunc("GET "+UnsubscribePath, s.unsubscribe)
		s.mux.HandleFunc("POST "+UnsubscribePath, s.unsubscribe)
	}
	s.mux.Handle("/plan/", s.guard(func(w http.ResponseWriter, r *http.Request, _ *view) {
		s.notFound(w, r, s.t("notfound.page"))
	}))
	return s, nil
}

// ServeHTTP serves /plan and what is under it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	s.mux.ServeHTTP(w, r)
}

// view is what one request may see: the link it came with, and the
// moment it is served at.
type view struct {
	link  store.Link
	now   time.Time
	today store.Date
	names map[string]string
	ctx   context.Context
}

// guard lets a request through only with a valid link: the token in the
// query on a first visit (set as a cookie, then redirected to the same
// address without it), or the cookie after that. Every request checks it
// against the store, so that a revoked link stops at once.
func (s *Server) guard(next func(w http.ResponseWriter, r *http.Request, v *view)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := s.o.Now()
		token, fromQuery := r.URL.Query().Get(TokenParam), true
		if token == "" {
			fromQuery = false
			if c, err := r.Cookie(CookieName); err == nil {
				token = c.Value
			}
		}
		w.Header().Set("Cache-Control", "private, no-store")
		l, err := s.o.Plan.CheckLink(r.Context(), token, now)
		if err != nil {
			s.forbidden(w, r, token, l, err)
			return
		}
		if fromQuery {
			http.SetCookie(w, &http.Cookie{
				Name: CookieName, Value: token, Path: "/plan",
				Expires: l.ExpiresAt, HttpOnly: true, SameSite: http.SameSiteLaxMode,
				Secure: strings.HasPrefix(s.o.BaseURL, "https://"),
			})
			q := r.URL.Query()
			q.Del(TokenParam)
			u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
			http.Redirect(w, r, u.String(), http.StatusSeeOther)
			return
		}
		if err := s.o.Plan.TouchLink(r.Context(), l, now); err != nil {
			s.o.Logger.Warn("web: recording a link's use failed", "link", l.ID, "err", err)
		}
		loc := s.o.Words.Location()
		next(w, r, &view{link: l, now: now, today: store.DateOf(now, loc), names: map[string]string{}, ctx: r.Context()})
	})
}

// t is a sentence of the pages' wording.
func (s *Server) t(key string, args ...any) string { return s.o.Words.Wording(key, args...) }

// reader reads Slack's mrkdwn for one request (Rich, Plain).
func (s *Server) reader(v *view) Reader {
	return Reader{Name: s.name(v), Someone: s.t("someone"), Channel: s.t("a channel")}
}

// name is the Namer of one request: each user is asked once.
func (s *Server) name(v *view) Namer {
	return func(id string) (string, bool) {
		if n, ok := v.names[id]; ok {
			return n, n != ""
		}
		n := ""
		if s.o.Names != nil {
			var err error
			if n, err = s.o.Names(v.ctx, id); err != nil {
				s.o.Logger.Warn("web: a user's name is unknown", "user", id, "err", err)
				n = ""
			}
		}
		v.names[id] = n
		return n, n != ""
	}
}

// person writes p by name.
func (s *Server) person(v *view, p store.Person) string {
	switch {
	case p.UserID != "":
		if n, ok := s.name(v)(p.UserID); ok {
			return n
		}
		return s.t("someone")
	case p.Name != "":
		return p.Display()
	}
	return s.t("nobody")
}

func (s *Server) people(v *view, ps []store.Person) string {
	if len(ps) == 0 {
		return s.t("nobody")
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = s.person(v, p)
	}
	return strings.Join(names, ", ")
}

// author writes the author of a journal entry.
func (s *Server) author(v *view, a string) string {
	switch {
	case store.IsUserID(a):
		return s.person(v, store.Person{UserID: a})
	case a == store.ImportAuthor:
		return s.t("import")
	}
	return a
}

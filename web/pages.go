package web

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/tours-metropole/actionbot/store"
)

//go:embed templates/*.html templates/style.css
var files embed.FS

var css = func() []byte {
	b, err := files.ReadFile("templates/style.css")
	if err != nil {
		panic(err)
	}
	return b
}()

// pageNames are the templates of the pages; each is parsed with the
// layout.
var pageNames = []string{"dashboard", "action", "group", "error", "unsubscribe"}

// parsePages parses the templates, each with the layout, their wording
// from words: {{t "key" args…}} a sentence, {{tn "key" n}} the sentence
// key.one or key.many by n, {{pct n}} a percentage.
func parsePages(words Words) map[string]*template.Template {
	base := template.Must(template.New("layout.html").Funcs(template.FuncMap{
		"t":   words.Wording,
		"tn":  func(key string, n int) string { return words.Wording(key+plural(n), n) },
		"pct": func(n int) string { return words.Wording("percent", n) },
	}).ParseFS(files, "templates/layout.html", "templates/parts.html"))
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		out[name] = template.Must(template.Must(base.Clone()).ParseFS(files, "templates/"+name+".html"))
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return ".one"
	}
	return ".many"
}

func serveCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(css)
}

// page is what the layout shows around a page's content.
type page struct {
	Lang   string // the html element's lang: the configured language
	Title  string
	Nav    bool // the site's navigation (not on error pages)
	Crumbs []crumb
	Data   any
}

type crumb struct{ Label, Href string }

// render writes a page; a template failure is logged and answered 500.
func (s *Server) render(w http.ResponseWriter, code int, name string, p page) {
	var buf bytes.Buffer
	p.Lang = s.o.Words.Language()
	if err := s.pages[name].ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.o.Logger.Error("web: rendering a page failed", "page", name, "err", err)
		http.Error(w, s.t("error.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

type errorPage struct {
	Heading, Reason, Contact string
	Home                     bool
}

// forbidden answers a request with no valid link.
func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, token string, l store.Link, err error) {
	reason := s.t("denied.nolink")
	switch {
	case errors.Is(err, store.ErrLinkExpired):
		reason = s.t("denied.expired", s.o.Words.When(l.ExpiresAt))
	case errors.Is(err, store.ErrLinkRevoked):
		reason = s.t("denied.revoked")
	case token != "" && errors.Is(err, store.ErrNotFound):
		reason = s.t("denied.altered")
	case token != "":
		s.o.Logger.Error("web: checking a link failed", "err", err)
		s.render(w, http.StatusInternalServerError, "error", page{Title: s.t("error.title"), Data: errorPage{
			Heading: s.t("error.heading"), Reason: s.t("error.read"), Contact: s.o.Contact}})
		return
	}
	if c, cerr := r.Cookie(CookieName); cerr == nil && c.Value == token {
		// A dead link's cookie is useless: drop it.
		http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/plan", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	s.render(w, http.StatusForbidden, "error", page{Title: s.t("denied.title"), Data: errorPage{
		Heading: s.t("denied.title"), Reason: reason, Contact: s.o.Contact}})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, reason string) {
	s.render(w, http.StatusNotFound, "error", page{Title: s.t("notfound.title"), Nav: true, Data: errorPage{
		Heading: s.t("notfound.title"), Reason: reason, Home: true}})
}

func (s *Server) failed(w http.ResponseWriter, r *http.Request, err error) {
	s.o.Logger.Error("web: a page failed", "path", r.URL.Path, "err", err)
	s.render(w, http.StatusInternalServerError, "error", page{Title: s.t("error.title"), Nav: true, Data: errorPage{
		Heading: s.t("error.heading"), Reason: s.t("error.page"), Home: true}})
}

// statusCell is one status and its count, in display order.
type statusCell struct {
	Status store.Status
	Name   string
	N      int
}

type tallyRow struct {
	Code, Name string
	Cells      []statusCell
	Total      int
	Average    int
	Overdue    int
}

type axisTable struct {
	Label, Name string
	Rows        []tallyRow
	Sum         tallyRow
}

type actionLine struct {
	Number           int
	Title            string
	Href             string
	Programme        string
	Pilote           string
	Status           store.Status
	StatusName       string
	Progress         int
	Due              template.HTML
	Overdue, Blocked bool
}

type meetingInfo struct {
	When, Place string
	DaysLeft    int
}

type dashboardData struct {
	Today     string
	Statuses  []statusCell
	Tally     tallyRow
	Axes      []axisTable
	Meeting   *meetingInfo
	Blocked   listing
	Overdue   listing
	Groups    []store.Group
	ChartAlt  string
	ChartCap  string
	Workbook  bool
	EmptyPlan bool
}

type listing struct {
	Lines []actionLine
	Total int
}

func (s *Server) tallyRow(code, name string, t store.Tally) tallyRow {
	row := tallyRow{Code: code, Name: name, Total: t.Total, Average: t.AverageProgress(), Overdue: t.Overdue}
	for _, st := range store.Statuses {
		row.Cells = append(row.Cells, statusCell{Status: st, Name: s.o.Words.StatusName(st), N: t.ByStatus[st]})
	}
	return row
}

func (s *Server) line(v *view, a store.Action) actionLine {
	return actionLine{
		Number: a.Number, Title: a.Title, Href: "/plan/actions/" + strconv.Itoa(a.Number),
		Programme: a.Programme.Code, Pilote: s.person(v, a.Pilote()),
		Status: a.Status, StatusName: s.o.Words.StatusName(a.Status), Progress: a.Progress,
		Due: Rich(s.o.Words.DueText(a, v.today), s.reader(v)), Overdue: a.Overdue(v.today), Blocked: a.Status == store.StatusBlocked,
	}
}

func (s *Server) listing(v *view, f store.Filter) (listing, error) {
	p, err := s.o.Plan.Actions(v.ctx, f)
	if err != nil {
		return listing{}, err
	}
	l := listing{Total: p.Total}
	for _, a := range p.Actions {
		l.Lines = append(l.Lines, s.line(v, a))
	}
	return l, nil
}

// maxListed bounds the blocked and overdue actions a dashboard lists.
const maxListed = 50

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, v *view) {
	d, err := s.o.Plan.Dashboard(v.ctx, v.today, "")
	if err != nil {
		s.failed(w, r, err)
		return
	}
	data := dashboardData{Today: s.o.Words.LongDate(v.today), Tally: s.tallyRow("", s.t("dash.whole"), d.Tally), Workbook: s.o.Workbook != nil, EmptyPlan: d.Total == 0}
	data.Statuses = data.Tally.Cells
	for _, ax := range d.Axes {
		t := axisTable{Label: ax.Axis.Label(), Name: ax.Axis.Name, Sum: s.tallyRow(ax.Axis.Label(), s.t("dash.axis.whole"), ax.Tally)}
		for _, p := range ax.Programmes {
			t.Rows = append(t.Rows, s.tallyRow(p.Programme.Code, p.Programme.Name, p.Tally))
		}
		data.Axes = append(data.Axes, t)
	}
	if m, err := s.o.Plan.NextMeeting(v.ctx, v.now); err == nil {
		data.Meeting = &meetingInfo{When: s.o.Words.When(m.At), Place: m.Place, DaysLeft: store.DateOf(m.At, s.o.Words.Location()).DaysSince(v.today)}
	} else if !errors.Is(err, store.ErrNotFound) {
		s.failed(w, r, err)
		return
	}
	if data.Blocked, err = s.listing(v, store.Filter{Statuses: []store.Status{store.StatusBlocked}, Order: store.ByPlan, Limit: maxListed}); err != nil {
		s.failed(w, r, err)
		return
	}
	if data.Overdue, err = s.listing(v, store.Filter{DueBefore: v.today, Order: store.ByDue, Limit: maxListed}); err != nil {
		s.failed(w, r, err)
		return
	}
	if data.Groups, err = s.o.Plan.Groups(v.ctx); err != nil {
		s.failed(w, r, err)
		return
	}
	data.ChartCap = s.t("dash.chart.caption", data.Today)
	data.ChartAlt = s.t("dash.chart.alt")
	s.render(w, http.StatusOK, "dashboard", page{Title: s.t("dash.title"), Nav: true, Data: data})
}

type entryLine struct {
	When   string
	Author string
	Text   template.HTML
}

type actionData struct {
	actionLine
	Axis, ProgrammeName string
	Group               store.Group
	Contributors        string
	Description         template.HTML
	Entries             []entryLine
	Pager               pager
}

// entriesPerPage is how many journal entries an action's page shows at once.
const entriesPerPage = 25

type pager struct {
	Page, Pages, Total int
	Prev, Next         string
}

func makePager(r *http.Request, total, per int) (pager, bool) {
	p := pager{Page: 1, Total: total, Pages: max(1, (total+per-1)/per)}
	if s := r.URL.Query().Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, false
		}
		p.Page = n
	}
	at := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return "?" + q.Encode()
	}
	if p.Page > 1 {
		p.Prev = at(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.Next = at(p.Page + 1)
	}
	return p, true
}

func (s *Server) action(w http.ResponseWriter, r *http.Request, v *view) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		s.notFound(w, r, s.t("notfound.number", r.PathValue("n")))
		return
	}
	a, err := s.o.Plan.ActionByNumber(v.ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r, s.t("notfound.action", n))
		return
	}
	if err != nil {
		s.failed(w, r, err)
		return
	}
	_, total, err := s.o.Plan.HistoryPage(v.ctx, n, 0, 1)
	if err != nil {
		s.failed(w, r, err)
		return
	}
	pg, ok := makePager(r, total, entriesPerPage)
	if !ok || pg.Page > pg.Pages {
		s.notFound(w, r, s.t("notfound.journalpage"))
		return
	}
	entries, _, err := s.o.Plan.HistoryPage(v.ctx, n, (pg.Page-1)*entriesPerPage, entriesPerPage)
	if err != nil {
		s.failed(w, r, err)
		return
	}
	data := actionData{
		actionLine: s.line(v, a), Axis: a.Programme.Axis.Label() + " · " + a.Programme.Axis.Name,
		ProgrammeName: a.Programme.Name, Group: a.Group, Contributors: s.people(v, a.People()),
		Description: Rich(a.Description, s.reader(v)), Pager: pg,
	}
	for _, e := range entries {
		data.Entries = append(data.Entries, entryLine{When: s.o.Words.When(e.At), Author: s.author(v, e.Author), Text: Rich(s.o.Words.EntryText(e), s.reader(v))})
	}
	crumbs := []crumb{{s.t("dash.title"), "/plan"}}
	if a.Group.Key != "" {
		crumbs = append(crumbs, crumb{a.Group.Name, "/plan/groupes/" + url.PathEscape(a.Group.Key)})
	}
	s.render(w, http.StatusOK, "action", page{Title: s.t("action.title", a.Number, a.Title), Nav: true, Crumbs: crumbs, Data: data})
}

type option struct {
	Value, Label string
	Selected     bool
}

type groupData struct {
	Group                    store.Group
	Axes, Programmes, Status []option
	Filtered                 bool
	Tally                    tallyRow
	List                     listing
	Pager                    pager
	Workbook                 bool
}

// actionsPerPage is how many actions a group's page lists at once.
const actionsPerPage = 50

func (s *Server) group(w http.ResponseWriter, r *http.Request, v *view) {
	g, err := s.o.Plan.GroupByKey(v.ctx, r.PathValue("key"))
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r, s.t("notfound.group"))
		return
	}
	if err != nil {
		s.failed(w, r, err)
		return
	}
	q := r.URL.Query()
	f := store.Filter{Group: g.Key, Axis: q.Get("axe"), Programme: q.Get("programme"), Order: store.ByPlan}
	data := groupData{Group: g, Workbook: s.o.Workbook != nil, Filtered: f.Axis != "" || f.Programme != "" || q.Get("statut") != ""}
	data.Axes = []option{{"", s.t("group.all.axes"), f.Axis == ""}}
	axes, err := s.o.Plan.Axes(v.ctx)
	if err != nil {
		s.failed(w, r, err)
		return
	}
	for _, a := range axes {
		data.Axes = append(data.Axes, option{a.Code, a.Label() + " · " + a.Name, a.Code == f.Axis})
	}
	data.Programmes = []option{{"", s.t("group.all.progs"), f.Programme == ""}}
	progs, err := s.o.Plan.Programmes(v.ctx)
	if err != nil {
		s.failed(w, r, err)
		return
	}
	for _, p := range progs {
		data.Programmes = append(data.Programmes, option{p.Code, p.Code + " " + p.Name, p.Code == f.Programme})
	}
	data.Status = []option{{"", s.t("group.all.statuses"), q.Get("statut") == ""}, {"ouvertes", s.t("group.open"), q.Get("statut") == "ouvertes"}}
	for _, st := range store.Statuses {
		data.Status = append(data.Status, option{string(st), s.o.Words.StatusName(st), q.Get("statut") == string(st)})
	}
	switch st := q.Get("statut"); {
	case st == "":
	case st == "ouvertes":
		f.Open = true
	case store.Status(st).Valid():
		f.Statuses = []store.Status{store.Status(st)}
	default:
		s.notFound(w, r, s.t("notfound.status"))
		return
	}
	d, err := s.o.Plan.Dashboard(v.ctx, v.today, g.Key)
	if err != nil {
		s.failed(w, r, err)
		return
	}
	data.Tally = s.tallyRow("", g.Name, d.Tally)
	count, err := s.o.Plan.Actions(v.ctx, store.Filter{Group: f.Group, Axis: f.Axis, Programme: f.Programme, Statuses: f.Statuses, Open: f.Open, Limit: 1})
	if err != nil {
		s.failed(w, r, err)
		return
	}
	pg, ok := makePager(r, count.Total, actionsPerPage)
	if !ok || pg.Page > pg.Pages {
		s.notFound(w, r, s.t("notfound.listpage"))
		return
	}
	data.Pager = pg
	f.Limit, f.Offset = actionsPerPage, (pg.Page-1)*actionsPerPage
	if data.List, err = s.listing(v, f); err != nil {
		s.failed(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "group", page{Title: s.t("group.title", g.Name), Nav: true, Crumbs: []crumb{{s.t("dash.title"), "/plan"}}, Data: data})
}

func (s *Server) chart(w http.ResponseWriter, r *http.Request, v *view) {
	ch, err := s.o.Words.Chart(v.ctx, v.now)
	if err != nil {
		s.failed(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	if r.URL.Query().Has("telecharger") {
		w.Header().Set("Content-Disposition", `attachment; filename="avancement-plan-`+v.today.String()+`.png"`)
	}
	w.Write(ch.PNG)
}

func (s *Server) workbook(w http.ResponseWriter, r *http.Request, v *view) {
	if s.o.Workbook == nil {
		s.notFound(w, r, s.t("notfound.workbook"))
		return
	}
	var buf bytes.Buffer
	if err := s.o.Workbook(v.ctx, &buf, v.now); err != nil {
		s.failed(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="plan-attractivite-`+v.today.String()+`.xlsx"`)
	w.Write(buf.Bytes())
}

type unsubscribeData struct {
	Address string
	Done    bool
}

// unsubscribe asks (GET) and records (POST, from the page's button or a
// mail client's one-click, RFC 8058) that an address wants no more e-mail.
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "private, no-store")
	addr, sig := r.URL.Query().Get("a"), r.URL.Query().Get("s")
	key, err := s.o.Optouts.MailSecret(r.Context())
	if err != nil {
		s.failed(w, r, err)
		return
	}
	if !checkUnsubscribe(key, addr, sig) {
		s.render(w, http.StatusForbidden, "error", page{Title: s.t("unsub.bad.title"), Data: errorPage{
			Heading: s.t("unsub.bad.heading"), Reason: s.t("unsub.bad.reason"), Contact: s.o.Contact}})
		return
	}
	if r.Method == http.MethodPost {
		if err := s.o.Optouts.Unsubscribe(r.Context(), addr); err != nil {
			s.failed(w, r, err)
			return
		}
		s.o.Logger.Info("web: an address unsubscribed from e-mail")
	}
	s.render(w, http.StatusOK, "unsubscribe", page{Title: s.t("unsub.title"), Data: unsubscribeData{Address: addr, Done: r.Method == http.MethodPost}})
}

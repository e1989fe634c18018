package web_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
	"github.com/tours-metropole/actionbot/web"
)

var demoNames = map[string]string{
	store.DemoMarie: "Marie Lefèvre", store.DemoPaul: "Paul Martin", store.DemoSophie: "Sophie Bernard", store.DemoKarim: "Karim Haddad",
}

// fixture is the web pages on the demo plan, with a valid link.
type fixture struct {
	s     *store.Store
	srv   *httptest.Server
	token string
	link  store.Link
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureIn(t, "fr")
}

// newFixtureIn is newFixture with the bot set to language lang.
func newFixtureIn(t *testing.T, lang string) *fixture {
	t.Helper()
	s := storetest.Demo(t)
	h, err := commands.New(s, commands.Options{Language: lang, Location: storetest.Paris})
	if err != nil {
		t.Fatal(err)
	}
	w, err := web.New(web.Options{
		Plan: s, Words: h,
		Names: func(_ context.Context, id string) (string, error) {
			if n, ok := demoNames[id]; ok {
				return n, nil
			}
			return "", errors.New("users.info: user_not_found")
		},
		Workbook: func(_ context.Context, w io.Writer, _ time.Time) error {
			_, err := io.WriteString(w, "PK\x03\x04 workbook")
			return err
		},
		BaseURL: "https://actionbot.example.org", Contact: "la mission attractivité", Optouts: s,
		Now: func() time.Time { return storetest.Now },
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w)
	t.Cleanup(srv.Close)
	l, token, err := s.CreateLink(context.Background(), "MEDEF Touraine", "cli", storetest.Now.Add(30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{s: s, srv: srv, token: token, link: l}
}

// client does not follow redirects, so that each answer can be checked.
var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// get fetches path with the link's cookie (none when token is "").
func (f *fixture) get(t *testing.T, path, token string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
	if token != "" {
		req.AddCookie(&http.Cookie{Name: web.CookieName, Value: token})
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func TestFirstVisitSetsCookieAndDropsToken(t *testing.T) {
	f := newFixture(t)
	res, _ := f.get(t, "/plan/groupes/prospection?statut=bloquee&t="+url.QueryEscape(f.token), "")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/plan/groupes/prospection?statut=bloquee" {
		t.Fatalf("first visit = %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	var c *http.Cookie
	for _, k := range res.Cookies() {
		if k.Name == web.CookieName {
			c = k
		}
	}
	if c == nil || c.Value != f.token || !c.HttpOnly || !c.Secure || c.Path != "/plan" || c.SameSite != http.SameSiteLaxMode || !c.Expires.Equal(f.link.ExpiresAt.Truncate(time.Second)) {
		t.Fatalf("cookie = %+v", c)
	}
	if res, _ := f.get(t, "/plan/groupes/prospection?statut=bloquee", c.Value); res.StatusCode != http.StatusOK {
		t.Errorf("with the cookie = %d", res.StatusCode)
	}
}

func TestAccessRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, expiredToken, _ := f.s.CreateLink(ctx, "Ancien", "cli", storetest.Now.Add(time.Hour))
	revoked, revokedToken, _ := f.s.CreateLink(ctx, "Révoqué", "cli", storetest.Now.Add(time.Hour))
	if _, err := f.s.RevokeLink(ctx, revoked.ID); err != nil {
		t.Fatal(err)
	}
	// A link cannot be made already expired: the pages look two hours
	// ahead instead.
	later := newFixtureAt(t, f.s, storetest.Now.Add(2*time.Hour))

	tests := []struct {
		name   string
		srv    *fixture
		path   string
		cookie string
	}{
		{"no link", f, "/plan", ""},
		{"no link, action page", f, "/plan/actions/23", ""},
		{"no link, chart", f, "/plan/graphique.png", ""},
		{"no link, workbook", f, "/plan/plan.xlsx", ""},
		{"no link, unknown page", f, "/plan/nope", ""},
		{"altered cookie", f, "/plan", f.token[:len(f.token)-2] + "xy"},
		{"altered query", f, "/plan?t=" + url.QueryEscape(f.token+"x"), ""},
		{"revoked", f, "/plan", revokedToken},
		{"revoked in query", f, "/plan?t=" + url.QueryEscape(revokedToken), ""},
		{"expired", later, "/plan", expiredToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := tt.srv.get(t, tt.path, tt.cookie)
			if res.StatusCode != http.StatusForbidden {
				t.Fatalf("status = %d; want 403", res.StatusCode)
			}
			if !strings.Contains(body, `lang="fr"`) || !strings.Contains(body, "la mission attractivité") {
				t.Errorf("the 403 page is not the French page naming whom to ask:\n%s", body)
			}
			if strings.Contains(body, "Tableau de bord du plan") || strings.Contains(body, "/plan/actions/") {
				t.Errorf("a refused request sees the plan")
			}
		})
	}
	// A link revoked after its first visit stops at the next request.
	if res, _ := f.get(t, "/plan", f.token); res.StatusCode != http.StatusOK {
		t.Fatalf("valid link = %d", res.StatusCode)
	}
	f.s.RevokeLink(ctx, f.link.ID)
	if res, _ := f.get(t, "/plan", f.token); res.StatusCode != http.StatusForbidden {
		t.Errorf("revoked link still opens the plan: %d", res.StatusCode)
	}
}

// newFixtureAt serves s's pages with the clock at now.
func newFixtureAt(t *testing.T, s *store.Store, now time.Time) *fixture {
	t.Helper()
	h, _ := commands.New(s, commands.Options{Language: "fr", Location: storetest.Paris})
	w, err := web.New(web.Options{Plan: s, Words: h, Contact: "la mission attractivité", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w)
	t.Cleanup(srv.Close)
	return &fixture{s: s, srv: srv}
}

// rawID finds a Slack user ID or mention shown as such.
var rawID = regexp.MustCompile(`<@|&lt;@|\bU0[0-9][A-Z]{3,}\b`)

func TestPages(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		path string
		want []string // present in the page
	}{
		{"/plan", []string{"Prochain COPIL", `src="/plan/graphique.png"`, "Actions bloquées", "Actions en retard", `href="/plan/groupes/prospection"`, `href="/plan/plan.xlsx"`}},
		{"/plan/actions/23", []string{"Action 23", "Journal", "Pilote"}},
		{"/plan/groupes/prospection", []string{"Prospection", `name="statut"`, `name="axe"`, `name="programme"`}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, body := f.get(t, tt.path, f.token)
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("status %d, %s", res.StatusCode, res.Header.Get("Content-Type"))
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("missing %q", w)
				}
			}
			if m := rawID.FindString(body); m != "" {
				t.Errorf("the page shows a raw Slack ID %q", m)
			}
			if strings.Contains(body, "<script") {
				t.Error("the page has a script")
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("CSP = %q", csp)
			}
			if res.Header.Get("Referrer-Policy") != "no-referrer" || res.Header.Get("Cache-Control") != "private, no-store" {
				t.Errorf("headers = %v", res.Header)
			}
		})
	}
	for _, tt := range []struct{ path, typ, prefix string }{
		{"/plan/graphique.png", "image/png", "\x89PNG"},
		{"/plan/plan.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
		{"/plan/style.css", "text/css; charset=utf-8", "/*"},
	} {
		res, body := f.get(t, tt.path, f.token)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != tt.typ || !strings.HasPrefix(body, tt.prefix) {
			t.Errorf("%s = %d %s %.10q", tt.path, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
	}
	for _, path := range []string{"/plan/actions/9999", "/plan/actions/abc", "/plan/groupes/nope", "/plan/groupes/prospection?statut=fini", "/plan/actions/23?page=99", "/plan/nope"} {
		if res, body := f.get(t, path, f.token); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page introuvable") {
			t.Errorf("%s = %d; want the 404 page", path, res.StatusCode)
		}
	}
}

// TestActionJournal checks the whole journal is there, by page, newest
// first, with Slack markup as names and links.
func TestActionJournal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := 1; i <= 30; i++ {
		if _, err := f.s.AddNote(ctx, 23, fmt.Sprintf("Point %02d avec <@%s>, voir <https://example.org/cr|le compte rendu> <b>gras</b> <!channel>", i, store.DemoPaul), store.DemoMarie); err != nil {
			t.Fatal(err)
		}
	}
	_, total, err := f.s.HistoryPage(ctx, 23, 0, 1)
	if err != nil || total < 31 {
		t.Fatalf("HistoryPage total = %d, %v", total, err)
	}
	_, p1 := f.get(t, "/plan/actions/23", f.token)
	_, p2 := f.get(t, "/plan/actions/23?page=2", f.token)
	for _, want := range []string{"Point 30 avec Paul Martin", `<a href="https://example.org/cr">le compte rendu</a>`, "&lt;b&gt;gras&lt;/b&gt; &lt;!channel&gt;", "par Marie Lefèvre", `href="?page=2"`} {
		if !strings.Contains(p1, want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
	if strings.Contains(p1, "Point 05") || !strings.Contains(p2, "Point 05") || strings.Contains(p2, "Point 30") {
		t.Error("the journal is not paged newest first")
	}
	seen := 0
	for p := 1; ; p++ {
		res, body := f.get(t, fmt.Sprintf("/plan/actions/23?page=%d", p), f.token)
		if res.StatusCode != http.StatusOK {
			break
		}
		seen += strings.Count(body, `<p class="meta">`)
	}
	if seen != total {
		t.Errorf("the pages show %d entries; the journal has %d", seen, total)
	}
}

func TestGroupFilters(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tt := range []struct {
		query string
		want  store.Filter
	}{
		{"", store.Filter{Group: "prospection"}},
		{"?statut=bloquee", store.Filter{Group: "prospection", Statuses: []store.Status{store.StatusBlocked}}},
		{"?statut=ouvertes&axe=2", store.Filter{Group: "prospection", Open: true, Axis: "2"}},
		{"?programme=2.1", store.Filter{Group: "prospection", Programme: "2.1"}},
	} {
		t.Run(tt.query, func(t *testing.T) {
			page, err := f.s.Actions(ctx, tt.want)
			if err != nil {
				t.Fatal(err)
			}
			res, body := f.get(t, "/plan/groupes/prospection"+tt.query, f.token)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := strings.Count(body, `<tr><td>`); got != min(page.Total, 50) {
				t.Errorf("%d rows; the store has %d such actions", got, page.Total)
			}
			for _, a := range page.Actions {
				if !strings.Contains(body, fmt.Sprintf(`href="/plan/actions/%d"`, a.Number)) {
					t.Errorf("action %d missing", a.Number)
				}
			}
		})
	}
}

func TestRich(t *testing.T) {
	names := web.Reader{Name: func(id string) (string, bool) {
		n, ok := demoNames[id]
		return n, ok
	}, Someone: "un membre de Slack", Channel: "un canal Slack"}
	tests := []struct {
		name, in string
		want     string
	}{
		{"text", "a < b & c", "a &lt; b &amp; c"},
		{"slack escaped", "a &lt; b &amp;amp; c", "a &lt; b &amp;amp; c"},
		{"mention", "vu avec <@U02PAUL>", "vu avec Paul Martin"},
		{"mention with label", "<@U02PAUL|paul>", "Paul Martin"},
		{"unknown user", "<@U9UNKNOWN>", "un membre de Slack"},
		{"channel", "dans <#C0123|gt-prospection>", "dans #gt-prospection"},
		{"channel without its name", "dans <#C0123>", "dans un canal Slack"},
		{"link", "<https://example.org/a?b=1&amp;c=2|le CR>", `<a href="https://example.org/a?b=1&amp;c=2">le CR</a>`},
		{"bare link", "<https://example.org>", `<a href="https://example.org">https://example.org</a>`},
		{"mailto", "<mailto:a@b.fr|a@b.fr>", `<a href="mailto:a@b.fr">a@b.fr</a>`},
		{"javascript link", "<javascript:alert(1)|clic>", "clic"},
		{"html in label", `<https://x.org|"><script>>`, `<a href="https://x.org">&#34;</a>script&gt;`},
		{"special", "<!channel> et <!subteam^S1|@equipe>", "@channel et @equipe"},
		{"bold and emoji", ":warning: *en retard de 3 jours*", `<span aria-hidden="true">⚠</span> <strong>en retard de 3 jours</strong>`},
		{"unknown emoji", "bravo :tada:", "bravo "},
		{"unclosed", "a <b", "a &lt;b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(web.Rich(tt.in, names)); got != tt.want {
				t.Errorf("Rich(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
	if got := web.Plain("<@U02PAUL> : <https://x.org|le CR> :warning:", names); got != "Paul Martin : le CR (https://x.org) ⚠" {
		t.Errorf("Plain = %q", got)
	}
	if got := web.Plain("• *31* Faciliter _vite_ ~non~", names); got != "• 31 Faciliter vite non" {
		t.Errorf("Plain = %q", got)
	}
}

func TestUnsubscribe(t *testing.T) {
	s := storetest.Demo(t)
	h, _ := commands.New(s, commands.Options{Language: "fr", Location: storetest.Paris})
	w, err := web.New(web.Options{Plan: s, Words: h, Optouts: s, Now: func() time.Time { return storetest.Now }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w)
	defer srv.Close()
	ctx := context.Background()
	key, _ := s.MailSecret(ctx)
	const addr = "contact@cci-touraine.example"
	u := web.UnsubscribeURL(srv.URL, key, addr)
	forged := web.UnsubscribeURL(srv.URL, key, "other@cci-touraine.example")
	forged = strings.Replace(forged, "other%40", "contact%40", 1)

	if res, err := client.Get(u); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET = %v, %v", res, err)
	}
	if un, _ := s.Unsubscribed(ctx, addr); un {
		t.Fatal("a GET unsubscribed (a link checker would unsubscribe people)")
	}
	if res, _ := client.Post(forged, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click")); res.StatusCode != http.StatusForbidden {
		t.Errorf("forged signature = %d", res.StatusCode)
	}
	if un, _ := s.Unsubscribed(ctx, addr); un {
		t.Fatal("a forged link unsubscribed")
	}
	// A mail client's one-click POST (RFC 8058).
	if res, _ := client.Post(u, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click")); res.StatusCode != http.StatusOK {
		t.Errorf("POST = %d", res.StatusCode)
	}
	if un, _ := s.Unsubscribed(ctx, addr); !un {
		t.Error("the one-click POST did not unsubscribe")
	}
}

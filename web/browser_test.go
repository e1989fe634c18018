package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/tours-metropole/actionbot/store/storetest"
	"github.com/tours-metropole/actionbot/web"
)

// browser finds headless Chromium and axe-core, or skips: .ci/run
// installs both (apt-get install chromium; npm ci in .ci/axe).
func browser(t *testing.T) (chromium, axe string) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	if raceEnabled {
		t.Skip("-race: the browser test runs in the plain pass")
	}
	if storetest.OnPostgres() {
		// The pages' HTML does not depend on the database, and their
		// content on PostgreSQL is checked by the other tests of this pass.
		t.Skip("PostgreSQL pass: the browser test runs in the SQLite pass")
	}
	chromium = os.Getenv("ACTIONBOT_CHROMIUM")
	if chromium == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				chromium = p
				break
			}
		}
	}
	if chromium == "" {
		t.Skip("no chromium: apt-get install chromium (or set ACTIONBOT_CHROMIUM) to run the pages in a browser")
	}
	axe = os.Getenv("ACTIONBOT_AXE_JS")
	if axe == "" {
		axe = filepath.Join("..", ".ci", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	if _, err := os.Stat(axe); err != nil {
		t.Skipf("no axe-core at %s: run (cd .ci/axe && npm ci), or set ACTIONBOT_AXE_JS", axe)
	}
	return chromium, axe
}

type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any  `json:"target"`
			HTML   string `json:"html"`
		} `json:"nodes"`
	} `json:"violations"`
	Passes []struct {
		ID string `json:"id"`
	} `json:"passes"`
}

// TestPagesInBrowser opens every page in headless Chromium, runs axe-core
// on it (WCAG 2.1 A and AA, and axe's best practices): no violation; then
// checks the print stylesheet hides the navigation and that nothing is
// wider than a phone's screen. Screenshots go to $ACTIONBOT_SCREENSHOTS
// when it is set.
func TestPagesInBrowser(t *testing.T) {
	chromium, axePath := browser(t)
	axeJS, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	key, err := f.s.MailSecret(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("headless", "new"), chromedp.Flag("lang", "fr-FR"))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()

	// The first visit brings the token; the cookie carries it after.
	var landed string
	if err := chromedp.Run(ctx, chromedp.Navigate(f.srv.URL+"/plan?t="+url.QueryEscape(f.token)), chromedp.Location(&landed)); err != nil {
		t.Fatal(err)
	}
	if landed != f.srv.URL+"/plan" {
		t.Fatalf("after the first visit the address is %s", landed)
	}
	shots := os.Getenv("ACTIONBOT_SCREENSHOTS")
	pages := []struct{ name, path string }{
		{"tableau-de-bord", "/plan"},
		{"action", "/plan/actions/23"},
		{"groupe", "/plan/groupes/prospection?statut=ouvertes"},
		{"introuvable", "/plan/actions/9999"},
		{"desabonnement", web.UnsubscribeURL("", key, "contact@cci-touraine.example")},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			for _, size := range []struct {
				name          string
				width, height int64
				mobile        bool
			}{{"ordinateur", 1280, 900, false}, {"telephone", 390, 844, true}} {
				var res axeResult
				var raw []byte
				var scrollWidth, clientWidth int64
				err := chromedp.Run(ctx,
					emulation.SetDeviceMetricsOverride(size.width, size.height, 1, size.mobile),
					emulation.SetEmulatedMedia().WithMedia("screen"),
					chromedp.Navigate(f.srv.URL+p.path),
					chromedp.WaitReady("body"),
					chromedp.Evaluate(string(axeJS), nil),
					chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}).then(r => JSON.stringify({violations: r.violations, passes: r.passes}))`,
						&raw, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
					chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
					chromedp.Evaluate(`document.documentElement.clientWidth`, &clientWidth),
				)
				if err != nil {
					t.Fatalf("%s: %v", size.name, err)
				}
				var s string
				if err := json.Unmarshal(raw, &s); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal([]byte(s), &res); err != nil {
					t.Fatal(err)
				}
				for _, v := range res.Violations {
					for _, n := range v.Nodes {
						t.Errorf("%s: axe %s (%s): %s at %v: %s", size.name, v.ID, v.Impact, v.Help, n.Target, n.HTML)
					}
				}
				if len(res.Passes) < 10 {
					t.Errorf("%s: axe passed only %d rules: did it run?", size.name, len(res.Passes))
				}
				if scrollWidth > clientWidth {
					t.Errorf("%s: the page is %d px wide in a %d px window: it scrolls sideways", size.name, scrollWidth, clientWidth)
				}
				if shots != "" {
					var png []byte
					if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(shots, fmt.Sprintf("%s-%s.png", p.name, size.name)), png, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			// Printed: no navigation, no form, no downloads.
			var shown []string
			err := chromedp.Run(ctx,
				emulation.SetEmulatedMedia().WithMedia("print"),
				chromedp.Evaluate(`[...document.querySelectorAll("nav, form, .skip, #telecharger")].filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 60))`, &shown),
			)
			if err != nil {
				t.Fatal(err)
			}
			if len(shown) > 0 {
				t.Errorf("printed, the page still shows %v", shown)
			}
			if shots != "" && p.name == "tableau-de-bord" {
				var pdf []byte
				err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
					var err error
					pdf, _, err = page.PrintToPDF().WithPaperWidth(8.27).WithPaperHeight(11.69).WithPreferCSSPageSize(true).Do(ctx)
					return err
				}))
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(shots, p.name+".pdf"), pdf, 0o644)
			}
		})
	}
	// A refused request gets an accessible page too.
	t.Run("refus", func(t *testing.T) {
		var raw []byte
		err := chromedp.Run(ctx,
			emulation.SetEmulatedMedia().WithMedia("screen"),
			chromedp.Navigate(f.srv.URL+"/plan?t=altered"),
			chromedp.Evaluate(string(axeJS), nil),
			chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}).then(r => JSON.stringify(r.violations.map(v => v.id + ": " + v.help)))`,
				&raw, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		)
		if err != nil {
			t.Fatal(err)
		}
		var s string
		json.Unmarshal(raw, &s)
		if s != "[]" {
			t.Errorf("axe on the 403 page: %s", s)
		}
	})
	// With the bot in English, the pages say lang="en" and still pass.
	t.Run("english", func(t *testing.T) {
		en := newFixtureIn(t, "en")
		if err := chromedp.Run(ctx, chromedp.Navigate(en.srv.URL+"/plan?t="+url.QueryEscape(en.token))); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/plan", "/plan/actions/23", "/plan/groupes/prospection", "/plan/actions/9999"} {
			var raw []byte
			var lang string
			err := chromedp.Run(ctx,
				emulation.SetDeviceMetricsOverride(1280, 900, 1, false),
				emulation.SetEmulatedMedia().WithMedia("screen"),
				chromedp.Navigate(en.srv.URL+path),
				chromedp.WaitReady("body"),
				chromedp.Evaluate(`document.documentElement.lang`, &lang),
				chromedp.Evaluate(string(axeJS), nil),
				chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}).then(r => JSON.stringify(r.violations.map(v => v.id + ": " + v.help)))`,
					&raw, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
			)
			if err != nil {
				t.Fatal(err)
			}
			var s string
			json.Unmarshal(raw, &s)
			if lang != "en" || s != "[]" {
				t.Errorf("%s in English: lang %q, axe %s", path, lang, s)
			}
		}
	})
}

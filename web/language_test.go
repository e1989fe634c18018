package web_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/web"
)

// TestLanguages opens every page with the bot set to French, then to
// English: the html element says the language, every sentence comes from
// the catalogue (no ⟦key⟧), and no page shows the other language's words.
func TestLanguages(t *testing.T) {
	for _, tt := range []struct {
		lang        string
		want, other []string
	}{
		{"fr", []string{"Tableau de bord du plan", "Prochain COPIL", "Journal (", "Groupe de travail Prospection", "Accès refusé", "Page introuvable", "Désabonnement", "Aller au contenu"},
			[]string{"Dashboard", "Next COPIL", "Working group", "Access denied", "Page not found", "Skip to content", "Owner"}},
		{"en", []string{"Dashboard of the plan", "Next COPIL", "Journal (", "Working group Prospection", "Access denied", "Page not found", "Unsubscribe", "Skip to content", "Owner"},
			[]string{"Tableau de bord", "Prochain", "Groupe de travail", "Accès refusé", "Page introuvable", "Désabonnement", "Aller au contenu", "échéance", "Pilote", "Avancement", "personne", "un membre de Slack", "Télécharger", "Aucun"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			f := newFixtureIn(t, tt.lang)
			key, err := f.s.MailSecret(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var all strings.Builder
			for _, p := range []struct {
				path, token string
				code        int
			}{
				{"/plan", f.token, 200},
				{"/plan/actions/23", f.token, 200},
				{"/plan/groupes/prospection?statut=ouvertes", f.token, 200},
				{"/plan/groupes/prospection?statut=nulle", f.token, 404},
				{"/plan/actions/9999", f.token, 404},
				{"/plan", "", 403},
				{web.UnsubscribeURL("", key, "contact@cci-touraine.example"), "", 200},
			} {
				res, body := f.get(t, p.path, p.token)
				if res.StatusCode != p.code {
					t.Errorf("%s: %d, want %d", p.path, res.StatusCode, p.code)
				}
				if !strings.Contains(body, `<html lang="`+tt.lang+`">`) {
					t.Errorf("%s: the html element does not say lang=%q", p.path, tt.lang)
				}
				if strings.Contains(body, "⟦") {
					t.Errorf("%s: a sentence missing from the catalogue: %s", p.path, regexp.MustCompile(`⟦[^⟧]*⟧`).FindString(body))
				}
				all.WriteString(body)
			}
			for _, w := range tt.want {
				if !strings.Contains(all.String(), w) {
					t.Errorf("no page says %q", w)
				}
			}
			for _, w := range tt.other {
				if strings.Contains(all.String(), w) {
					i := strings.Index(all.String(), w)
					t.Errorf("a page says %q, of the other language: …%s…", w, all.String()[max(0, i-80):min(all.Len(), i+80)])
				}
			}
		})
	}
}

// TestTemplatesUseTheCatalogue: every key the templates and the web
// package name is in the catalogue, and the templates never branch on the
// language — the only use of .Lang is the html element's attribute.
func TestTemplatesUseTheCatalogue(t *testing.T) {
	files, _ := filepath.Glob("templates/*.html")
	code, _ := filepath.Glob("*.go")
	keyRe := regexp.MustCompile(`\{\{-?\s*(t|tn)\s+"([^"]+)"|\bs\.t\("([^"]+)"`)
	n := 0
	for _, name := range append(files, code...) {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, m := range keyRe.FindAllStringSubmatch(text, -1) {
			if m[2] == "key" {
				continue // the doc comment of parsePages
			}
			n++
			switch {
			case m[1] == "tn":
				for _, k := range []string{m[2] + ".one", m[2] + ".many"} {
					if !commands.HasWording(k) {
						t.Errorf("%s: %q is not in the catalogue", name, k)
					}
				}
			case m[2] != "" && !commands.HasWording(m[2]), m[3] != "" && !commands.HasWording(m[3]):
				t.Errorf("%s: %q is not in the catalogue", name, m[0])
			}
		}
		if strings.HasSuffix(name, ".html") && strings.Count(text, ".Lang") != strings.Count(text, `lang="{{.Lang}}"`) {
			t.Errorf("%s uses .Lang beyond the lang attribute", name)
		}
	}
	if n < 100 {
		t.Errorf("only %d keys found: the pattern no longer matches the code", n)
	}
}

package commands_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/store"
)

// goldenText compares got with testdata/name, rewritten with -update.
func goldenText(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./commands -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run go test ./commands -update and review the diff):\n%s", path, got)
	}
}

// TestCanvas: the COPIL channel's canvas is canvas markdown — tables,
// ![](@U…) mentions — and never Slack's mrkdwn; what users wrote is
// escaped.
func TestCanvas(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			f := mustFixture(t, lang)
			ctx := context.Background()
			// A blocked action carried by an organisation whose name
			// reads as markdown and as a mention.
			p := store.Person{Name: "CCI *Touraine* | ![](@U0EVIL) <b>x</b> _a_"}
			blocked, err := f.s.Actions(ctx, store.Filter{Statuses: []store.Status{store.StatusBlocked}, Order: store.ByPlan, Limit: 1})
			if err != nil || len(blocked.Actions) == 0 {
				t.Fatalf("a blocked action: %v", err)
			}
			if _, err := f.s.SetPilote(ctx, blocked.Actions[0].Number, p, admin); err != nil {
				t.Fatal(err)
			}
			c, err := f.h.Canvas(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			name := "canvas.md"
			if lang == "en" {
				name = "canvas-en.md"
			}
			goldenText(t, name, c.Markdown)
			md := c.Markdown
			for _, bad := range []string{"<@", "<#", "<!", "&lt;", "&gt;", "&amp;", "![](@U0EVIL)", "<b>"} {
				if strings.Contains(md, bad) {
					t.Errorf("the canvas holds %q, which is mrkdwn or unescaped", bad)
				}
			}
			for _, want := range []string{
				"![](@" + store.DemoSophie + ")",                        // a pilote, as a canvas mention
				`CCI \*Touraine\* \| !\[\](@U0EVIL) \<b\>x\</b\> \_a\_`, // what a user wrote, escaped
				"| ---: |", "\n## ",
			} {
				if !strings.Contains(md, want) {
					t.Errorf("the canvas lacks %q", want)
				}
			}
			if c.Title == "" || len(md) > 1<<20 {
				t.Errorf("title %q, %d bytes of markdown (Slack takes 1 MiB)", c.Title, len(md))
			}
			// The same plan the same day: the same canvas.
			again, err := f.h.Canvas(ctx, now.Add(3*60*60e9))
			if err != nil || again.Markdown != md {
				t.Errorf("the canvas three hours later differs (%v)", err)
			}
		})
	}
}

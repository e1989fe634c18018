package commands_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tours-metropole/actionbot/store"
)

// Slack's limits, as it enforces them (msg_blocks_too_long, invalid_blocks).
const (
	slackMaxBlocks       = 50    // a message
	slackMaxViewBlocks   = 100   // a modal or the App Home
	slackMaxSection      = 3000  // a section's text, a context element
	slackMaxField        = 2000  // a field of a section
	slackMaxMessageChars = 12000 // the text across a message's blocks
	slackMaxModalTitle   = 24    // a modal's title, submit and close texts
)

// checkSlackRules checks a message, a modal or a Home tab as JSON against
// what Slack renders and accepts: every mrkdwn text and the text fallback
// are valid markup (each « < » opens a user, channel or link entity, each
// « & » an entity; no special mention), and the limits hold.
func checkSlackRules(t *testing.T, name string, data []byte) {
	t.Helper()
	var top map[string]any
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if replies, ok := top["replies"].([]any); ok {
		for i, r := range replies {
			data, _ := json.Marshal(r)
			checkSlackRules(t, fmt.Sprintf("%s reply %d", name, i+1), data)
		}
	}
	maxBlocks := slackMaxBlocks
	if typ, _ := top["type"].(string); typ == "modal" || typ == "home" {
		maxBlocks = slackMaxViewBlocks
	}
	if typ, _ := top["type"].(string); typ == "modal" {
		// A modal's title and buttons take 24 characters.
		for _, k := range []string{"title", "submit", "close"} {
			if o, ok := top[k].(map[string]any); ok {
				if s, _ := o["text"].(string); utf8.RuneCountInString(s) > slackMaxModalTitle {
					t.Errorf("%s: the modal's %s %q has %d characters, Slack takes %d", name, k, s, utf8.RuneCountInString(s), slackMaxModalTitle)
				}
			}
		}
	}
	if text, ok := top["text"].(string); ok {
		if err := markupError(text); err != "" {
			t.Errorf("%s: text fallback: %s", name, err)
		}
	}
	blocks, _ := top["blocks"].([]any)
	if len(blocks) > maxBlocks {
		t.Errorf("%s: %d blocks, Slack takes %d", name, len(blocks), maxBlocks)
	}
	total := 0
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			text, isText := x["text"].(string)
			typ, _ := x["type"].(string)
			if isText && (typ == "mrkdwn" || typ == "plain_text") {
				n := utf8.RuneCountInString(text)
				total += n
				limit := slackMaxSection
				if strings.Contains(path, ".fields") {
					limit = slackMaxField
				}
				if n > limit {
					t.Errorf("%s: %s has %d characters, Slack takes %d", name, path, n, limit)
				}
				if typ == "mrkdwn" {
					if err := markupError(text); err != "" {
						t.Errorf("%s: %s: %s", name, path, err)
					}
				}
			}
			for k, e := range x {
				walk(path+"."+k, e)
			}
		case []any:
			for _, e := range x {
				walk(path+"[]", e)
			}
		}
	}
	walk("", blocks)
	if maxBlocks == slackMaxBlocks && total > slackMaxMessageChars {
		t.Errorf("%s: %d characters across the blocks, Slack takes %d", name, total, slackMaxMessageChars)
	}
}

// markupError says what in mrkdwn s Slack would read otherwise than
// meant, or "".
func markupError(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '&':
			rest := s[i:]
			if !strings.HasPrefix(rest, "&amp;") && !strings.HasPrefix(rest, "&lt;") && !strings.HasPrefix(rest, "&gt;") {
				return "a bare « & » at " + clipAt(s, i)
			}
		case '>':
			return "a bare « > » at " + clipAt(s, i)
		case '<':
			end := strings.IndexAny(s[i+1:], "<>\n")
			if end < 0 || s[i+1+end] != '>' {
				return "a « < » that opens nothing at " + clipAt(s, i)
			}
			body := s[i+1 : i+1+end]
			target, _, _ := strings.Cut(body, "|")
			switch {
			case strings.HasPrefix(target, "@") && store.IsUserID(target[1:]),
				strings.HasPrefix(target, "#C"),
				strings.HasPrefix(target, "https://"), strings.HasPrefix(target, "http://"), strings.HasPrefix(target, "mailto:"):
			default:
				return "« <" + body + "> » is no entity the bot may write"
			}
			if strings.Contains(body, "&") && markupError(strings.ReplaceAll(body, "|", "")) != "" {
				return "a bare « & » in « <" + body + "> »"
			}
			i += end + 1
		}
	}
	return ""
}

func clipAt(s string, i int) string {
	end := min(len(s), i+30)
	return "« " + strings.ToValidUTF8(s[i:end], "") + " »"
}

// TestGoldenFilesFollowSlackRules checks every golden file.
func TestGoldenFilesFollowSlackRules(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden file: %v", err)
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checkSlackRules(t, path, data)
	}
}

func TestMarkupError(t *testing.T) {
	for s, bad := range map[string]bool{
		"R&amp;D &lt;3": false, "<@U02PAUL>": false, "<@U02PAUL|paul>": false, "<#C0PROSP|prospection>": false,
		"<https://example.org/cr.pdf|compte rendu>": false, "a & b": true, "a < b": true, "a > b": true,
		"<!channel>": true, "<!subteam^S123>": true, "&am…": true, "<@U02P…": true,
	} {
		if got := markupError(s) != ""; got != bad {
			t.Errorf("markupError(%q) = %q, want bad %v", s, markupError(s), bad)
		}
	}
}

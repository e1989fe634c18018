package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/store"
)

// canvasSlack plays the three methods that keep a channel canvas, strict
// where Slack is: one channel canvas per channel, document_content of
// type markdown (1 MiB at most), one change per canvases.edit. It refuses
// what is mrkdwn, not canvas markdown — a <@U…> mention, an &lt; escape.
type canvasSlack struct {
	*httptest.Server
	mu       sync.Mutex
	canvases map[string]string // channel → canvas ID
	content  map[string]string // canvas ID → markdown
	calls    []string          // methods, in order
	refusals []string          // what the fake refused, for the test to report
	loseID   bool              // answer a creation with an error after making it (a crash)
}

func newCanvasSlack(t *testing.T) *canvasSlack {
	f := &canvasSlack{canvases: map[string]string{}, content: map[string]string{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *canvasSlack) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, method)
	answer := func(v map[string]any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	refuse := func(code, why string) {
		f.refusals = append(f.refusals, method+": "+why)
		answer(map[string]any{"ok": false, "error": code})
	}
	markdown := func(raw string) (string, bool) {
		var dc struct{ Type, Markdown string }
		if err := json.Unmarshal([]byte(raw), &dc); err != nil || dc.Type != "markdown" || dc.Markdown == "" {
			refuse("invalid_arguments", "document_content "+raw)
			return "", false
		}
		if len(dc.Markdown) > 1<<20 {
			refuse("invalid_arguments", "markdown over 1 MiB")
			return "", false
		}
		for _, bad := range []string{"<@", "<#", "<!", "&lt;", "&gt;", "&amp;"} {
			if strings.Contains(dc.Markdown, bad) {
				refuse("invalid_arguments", "mrkdwn in canvas markdown: "+bad)
				return "", false
			}
		}
		return dc.Markdown, true
	}
	if form.Get("token") != "xoxb-test" && r.Header.Get("Authorization") != "Bearer xoxb-test" {
		refuse("not_authed", "no token")
		return
	}
	switch method {
	case "conversations.canvases.create":
		ch := form.Get("channel_id")
		if ch == "" {
			refuse("invalid_arguments", "no channel_id")
			return
		}
		if _, ok := f.canvases[ch]; ok {
			answer(map[string]any{"ok": false, "error": "channel_canvas_already_exists"})
			return
		}
		md, ok := markdown(form.Get("document_content"))
		if !ok {
			return
		}
		id := fmt.Sprintf("F0CANVAS%d", len(f.content)+1)
		f.canvases[ch], f.content[id] = id, md
		if f.loseID {
			f.loseID = false
			http.Error(w, "upstream timeout", http.StatusGatewayTimeout) // made, but the bot never hears of it
			return
		}
		answer(map[string]any{"ok": true, "canvas_id": id})
	case "canvases.edit":
		id := form.Get("canvas_id")
		if _, ok := f.content[id]; !ok {
			answer(map[string]any{"ok": false, "error": "canvas_not_found"})
			return
		}
		var changes []struct {
			Operation       string          `json:"operation"`
			SectionID       string          `json:"section_id"`
			DocumentContent json.RawMessage `json:"document_content"`
		}
		if err := json.Unmarshal([]byte(form.Get("changes")), &changes); err != nil || len(changes) != 1 {
			refuse("invalid_arguments", "changes "+form.Get("changes"))
			return
		}
		if c := changes[0]; c.Operation != "replace" || c.SectionID != "" {
			refuse("invalid_arguments", "want one replace of the whole canvas, got "+form.Get("changes"))
			return
		}
		md, ok := markdown(string(changes[0].DocumentContent))
		if !ok {
			return
		}
		f.content[id] = md
		answer(map[string]any{"ok": true})
	case "conversations.info":
		ch := form.Get("channel")
		answer(map[string]any{"ok": true, "channel": map[string]any{"id": ch, "properties": map[string]any{"canvas": map[string]any{"file_id": f.canvases[ch]}}}})
	default:
		refuse("unknown_method", "unexpected")
	}
}

func (f *canvasSlack) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == method {
			n++
		}
	}
	return n
}

// canvasPosts returns the demo plan and its posts, with the COPIL
// channel's canvas refreshed at most every 10 minutes.
func canvasPosts(t *testing.T) (*store.Store, *bot.Posts) {
	t.Helper()
	s, h := mustPlan(t)
	p := bot.NewPosts(h, s, bot.PostsConfig{Groups: store.DefaultGroups(), CopilChannel: "C0COPIL", CanvasEvery: 10 * time.Minute, Location: paris}, quiet, nil)
	return s, p
}

// TestCanvasKeptInTheCopilChannel: the first refresh creates the COPIL
// channel's canvas with the dashboard and records its ID; the next ones
// replace its content; a refresh comes at most once per canvas_every, and
// none while nothing changes; each goes through the outbox once.
func TestCanvasKeptInTheCopilChannel(t *testing.T) {
	s, p := canvasPosts(t)
	fake := newCanvasSlack(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 26, 10, 0, 0, 0, paris)
	sender := func(at time.Time) *bot.Sender {
		return bot.NewSender(bot.SenderOptions{Outbox: s, Canvases: s, Now: func() time.Time { return at }, Logger: quiet, ChannelGap: time.Millisecond,
			Slack: bot.NewClient(bot.ClientOptions{BotToken: "xoxb-test", APIURL: fake.URL + "/api/", SafeRetriesOnly: true})})
	}
	step := func(at time.Time) {
		t.Helper()
		if err := p.Canvas(ctx, bot.Slot{At: at, SendAt: at}); err != nil {
			t.Fatal(err)
		}
		if err := sender(at).Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	step(t0)
	id, err := s.CanvasID(ctx, "C0COPIL")
	if err != nil || id == "" || fake.count("conversations.canvases.create") != 1 || fake.count("canvases.edit") != 0 {
		t.Fatalf("after the first refresh: canvas %q (%v), calls %v", id, err, fake.calls)
	}
	if md := fake.content[id]; !strings.Contains(md, "| Axe / programme |") || !strings.Contains(md, "![](@U") {
		t.Errorf("the canvas:\n%.400s", md)
	}
	// A change a minute later waits for canvas_every.
	if _, err := s.SetStatus(ctx, 23, store.StatusBlocked, store.DemoMarie); err != nil {
		t.Fatal(err)
	}
	step(t0.Add(time.Minute))
	if n := fake.count("canvases.edit"); n != 0 {
		t.Errorf("refreshed %d times within canvas_every", n)
	}
	step(t0.Add(10 * time.Minute))
	if n := fake.count("canvases.edit"); n != 1 || !strings.Contains(fake.content[id], "| 23 |") {
		t.Errorf("after canvas_every: %d edits, canvas:\n%.300s", n, fake.content[id])
	}
	// Nothing changed: no refresh, however long.
	step(t0.Add(30 * time.Minute))
	step(t0.Add(2 * time.Hour))
	if n := fake.count("canvases.edit"); n != 1 || fake.count("conversations.canvases.create") != 1 {
		t.Errorf("with nothing changed: %d edits, %d creations", n, fake.count("conversations.canvases.create"))
	}
	if len(fake.refusals) > 0 {
		t.Errorf("the fake Slack refused: %v", fake.refusals)
	}
	ds, _ := s.Deliveries(ctx, 100)
	for _, d := range ds {
		if d.Kind == bot.KindCanvas && d.State != store.DeliverySent {
			t.Errorf("%s is %s: %s", d.Key, d.State, d.LastError)
		}
	}
}

// TestCanvasCrashBetweenCreateAndRecord: Slack made the canvas but the bot
// never recorded its ID. The retry finds the mark of its creation, takes
// the channel's canvas back and edits it: one canvas, never two. A canvas
// the bot did not make is left alone.
func TestCanvasCrashBetweenCreateAndRecord(t *testing.T) {
	for _, tt := range []struct {
		name   string
		ours   bool // the canvas was made by the bot, which lost its ID
		edited bool
	}{
		{"made by the bot before a crash", true, true},
		{"made by people", false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, p := canvasPosts(t)
			fake := newCanvasSlack(t)
			ctx := context.Background()
			at := time.Date(2026, 11, 26, 10, 0, 0, 0, paris)
			flush := func(when time.Time) {
				t.Helper()
				snd := bot.NewSender(bot.SenderOptions{Outbox: s, Canvases: s, Now: func() time.Time { return when }, Logger: quiet, ChannelGap: time.Millisecond,
					Slack: slack.New("xoxb-test", slack.OptionAPIURL(fake.URL+"/api/"))})
				if err := snd.Flush(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if tt.ours {
				fake.loseID = true
			} else {
				fake.canvases["C0COPIL"], fake.content["F0PEOPLE"] = "F0PEOPLE", "Notre canevas"
			}
			if err := p.Canvas(ctx, bot.Slot{At: at, SendAt: at}); err != nil {
				t.Fatal(err)
			}
			flush(at)
			flush(at.Add(time.Hour)) // the retry
			if !tt.ours {
				// A later refresh leaves the people's canvas alone too.
				if _, err := s.SetStatus(ctx, 23, store.StatusBlocked, store.DemoMarie); err != nil {
					t.Fatal(err)
				}
				later := at.Add(2 * time.Hour)
				if err := p.Canvas(ctx, bot.Slot{At: later, SendAt: later}); err != nil {
					t.Fatal(err)
				}
				flush(later)
			}
			d, _ := s.LatestDelivery(ctx, "canvas:C0COPIL:")
			id, _ := s.CanvasID(ctx, "C0COPIL")
			if n := len(fake.content); n != 1 {
				t.Errorf("%d canvases in Slack, want 1", n)
			}
			if tt.edited {
				if d.State != store.DeliverySent || id != fake.canvases["C0COPIL"] || fake.count("canvases.edit") != 1 || !strings.Contains(fake.content[id], "| Axe / programme |") {
					t.Errorf("delivery %s (%s), canvas %q, calls %v", d.State, d.LastError, id, fake.calls)
				}
			} else {
				if d.State != store.DeliveryFailed || id != "" || fake.count("canvases.edit") != 0 || fake.count("conversations.canvases.create") != 2 || fake.content["F0PEOPLE"] != "Notre canevas" {
					t.Errorf("delivery %s (%s), canvas %q, calls %v", d.State, d.LastError, id, fake.calls)
				}
			}
		})
	}
}

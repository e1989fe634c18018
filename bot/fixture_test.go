package bot_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// The fixed clock and zone of these tests: Thursday 26 November 2026,
// 10:00 in Paris.
var paris, now = storetest.Paris, storetest.Now

const (
	secret = "8f742231b10e8888abcd99yyyzzz85a5"
	team   = "T0TEAM"
	admin  = "U0ADMIN"
	lead   = "U0LEAD" // lead of prospection
	other  = "U0OTHER"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// mustPlan opens the demo plan in a real SQLite file and a handler on it.
func mustPlan(t *testing.T) (*store.Store, *commands.Handler) {
	t.Helper()
	s := storetest.Demo(t)
	groups := store.DefaultGroups()
	groups[1].Leads = []string{lead}
	if err := s.SyncGroups(context.Background(), groups); err != nil {
		t.Fatal(err)
	}
	h, err := commands.New(s, commands.Options{Language: "fr", Location: paris, Admins: []string{admin}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return s, h
}

// call is one request the fake Slack received.
type call struct {
	Method string          // "chat.postMessage", "views.open"…, or "response" for a response_url
	Form   url.Values      // form-encoded calls
	JSON   json.RawMessage // JSON calls and response_url posts
}

// fakeSlack plays the Slack Web API and response_urls, recording every call.
type fakeSlack struct {
	*httptest.Server
	mu    sync.Mutex
	calls []call
	// fail maps a method to the Slack error it answers with.
	fail map[string]string
	// issued is when each trigger was given (by a test sending a command
	// or a click): views.open takes it once, within 3 seconds.
	issued map[string]time.Time
	// changed is closed at the next call (see await).
	changed chan struct{}
}

// await returns once method was called n times, for what the bot does
// after its ack; a minute is a guard against a hang, not a timing.
func (f *fakeSlack) await(t *testing.T, method string, n int) {
	t.Helper()
	guard := time.After(time.Minute)
	for {
		f.mu.Lock()
		got := 0
		for _, c := range f.calls {
			if c.Method == method {
				got++
			}
		}
		if got >= n {
			f.mu.Unlock()
			return
		}
		if f.changed == nil {
			f.changed = make(chan struct{})
		}
		ch := f.changed
		f.mu.Unlock()
		select {
		case <-ch:
		case <-guard:
			t.Fatalf("%s called %d times, want %d", method, got, n)
		}
	}
}

// fixedTrigger is the trigger_id of the payloads below: issued when the
// fake starts, so that a test opens at most one modal with it.
const fixedTrigger = "13345224609.738474920.8088930838d88f008e0"

// triggerLife is how long Slack takes a trigger_id.
const triggerLife = 3 * time.Second

func newFakeSlack(t *testing.T) *fakeSlack {
	t.Helper()
	f := &fakeSlack{fail: map[string]string{}, issued: map[string]time.Time{fixedTrigger: time.Now()}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeSlack) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c := call{Method: strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/api"), "/")}
	if strings.HasPrefix(r.URL.Path, "/response/") {
		c.Method = "response"
	}
	if strings.HasPrefix(r.URL.Path, "/upload/") {
		c.Method = "upload"
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		c.JSON = body
	} else if c.Method == "upload" {
		c.Form = url.Values{"file": {uploaded(r.Header.Get("Content-Type"), body)}}
	} else {
		c.Form, _ = url.ParseQuery(string(body))
	}
	f.mu.Lock()
	f.calls = append(f.calls, c)
	failure := f.fail[c.Method]
	if failure == "" && strings.HasPrefix(c.Method, "views.") {
		failure = f.refuseView(c)
	}
	if f.changed != nil {
		close(f.changed)
		f.changed = nil
	}
	f.mu.Unlock()
	if failure == "" {
		failure = refusal(c)
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case c.Method == "response" && failure != "":
		http.Error(w, failure, http.StatusNotFound)
	case c.Method == "response":
		io.WriteString(w, "ok")
	case failure != "":
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": failure})
	case c.Method == "chat.unfurl" && !unfurlArgsOK(c.Form):
		// Slack: "Both channel and ts must be provided together, or
		// unfurl_id and source must be provided together."
		io.WriteString(w, `{"ok":false,"error":"invalid_arguments"}`)
	case strings.HasPrefix(c.Method, "views."):
		io.WriteString(w, `{"ok":true,"view":{"id":"V0VIEW"}}`)
	case c.Method == "files.getUploadURLExternal":
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "upload_url": f.URL + "/upload/F0CHART", "file_id": "F0CHART"})
	case c.Method == "upload":
		io.WriteString(w, "OK - 1234")
	case c.Method == "files.completeUploadExternal":
		io.WriteString(w, `{"ok":true,"files":[{"id":"F0CHART","title":"chart"}]}`)
	case c.Method == "users.info":
		io.WriteString(w, `{"ok":true,"user":{"id":"U01MARIE","name":"marie","real_name":"Marie Lefèvre","profile":{"real_name":"Marie Lefèvre","display_name":"Marie"}}}`)
	default:
		io.WriteString(w, `{"ok":true,"channel":"C0CHAN","ts":"1764147600.000100","message_ts":"1764147600.000100"}`)
	}
}

// issue gives a new trigger_id, as Slack does with each command or
// click.
func (f *fakeSlack) issue() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := "trigger." + strconv.Itoa(len(f.issued))
	f.issued[id] = time.Now()
	return id
}

// refuseView is the error Slack answers a views.* call with, or "": a
// trigger unknown, used or older than 3 seconds; a view over its limits.
// f.mu is held.
func (f *fakeSlack) refuseView(c call) string {
	var req struct {
		TriggerID string          `json:"trigger_id"`
		View      json.RawMessage `json:"view"`
	}
	if err := json.Unmarshal(c.JSON, &req); err != nil {
		return "invalid_arguments"
	}
	if c.Method == "views.open" || c.Method == "views.push" {
		at, ok := f.issued[req.TriggerID]
		switch {
		case !ok:
			return "invalid_trigger_id"
		case at.IsZero():
			return "exchanged_trigger_id"
		case time.Since(at) > triggerLife:
			return "expired_trigger_id"
		}
		f.issued[req.TriggerID] = time.Time{}
	}
	return viewProblem(req.View)
}

// viewProblem says what Slack would refuse in a view, as its error, or "".
func viewProblem(data []byte) string {
	var v struct {
		Type            string            `json:"type"`
		Blocks          []json.RawMessage `json:"blocks"`
		PrivateMetadata string            `json:"private_metadata"`
		CallbackID      string            `json:"callback_id"`
		Title, Submit   *struct{ Text string }
		Close           *struct{ Text string }
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return "invalid_arguments"
	}
	if len(v.Blocks) > 100 {
		return "invalid_arguments"
	}
	for _, t := range []*struct{ Text string }{v.Title, v.Submit, v.Close} {
		if t != nil && utf8.RuneCountInString(t.Text) > 24 {
			return "invalid_arguments"
		}
	}
	if v.Type == "modal" && v.Title == nil {
		return "invalid_arguments"
	}
	if len(v.PrivateMetadata) > 3000 || len(v.CallbackID) > 255 {
		return "invalid_arguments"
	}
	ids := map[string]bool{}
	for _, b := range v.Blocks {
		var blk struct {
			BlockID string `json:"block_id"`
		}
		json.Unmarshal(b, &blk)
		if blk.BlockID != "" && ids[blk.BlockID] {
			return "invalid_arguments"
		}
		ids[blk.BlockID] = true
	}
	return ""
}

// unfurlArgsOK reports whether a chat.unfurl form names its message as
// Slack requires: channel and ts, or unfurl_id and source (composer or
// conversations_history), one pair and not the other, and unfurls.
func unfurlArgsOK(f url.Values) bool {
	byTS := f.Get("channel") != "" && f.Get("ts") != ""
	byID := f.Get("unfurl_id") != "" && (f.Get("source") == "composer" || f.Get("source") == "conversations_history")
	mixed := (f.Has("unfurl_id") || f.Has("source")) && (f.Has("channel") || f.Has("ts"))
	return byTS != byID && !mixed && f.Get("unfurls") != ""
}

// Slack's limits on a message, which it refuses past: blocks in a message,
// characters in a section's text, in a field, in a header, across a
// message's blocks, and in its text.
const (
	slackMaxBlocks       = 50
	slackMaxSection      = 3000
	slackMaxField        = 2000
	slackMaxHeader       = 150
	slackMaxMessageChars = 12000
	slackMaxText         = 40000
)

// refusal is the error Slack answers a message that breaks its rules
// with, or "": the fake is as strict as Slack where the bot could go wrong.
func refusal(c call) string {
	var channel, text, blocksJSON string
	switch c.Method {
	case "chat.postMessage", "chat.postEphemeral", "chat.update":
		channel, text, blocksJSON = c.Form.Get("channel"), c.Form.Get("text"), c.Form.Get("blocks")
		if channel == "" {
			return "channel_not_found"
		}
	case "response":
		var m struct {
			Text   string          `json:"text"`
			Blocks json.RawMessage `json:"blocks"`
		}
		if json.Unmarshal(c.JSON, &m) != nil {
			return "invalid_json"
		}
		text, blocksJSON = m.Text, string(m.Blocks)
	default:
		return ""
	}
	var blocks []map[string]any
	if blocksJSON != "" && blocksJSON != "null" {
		if err := json.Unmarshal([]byte(blocksJSON), &blocks); err != nil {
			return "invalid_blocks_format"
		}
	}
	switch {
	case text == "" && len(blocks) == 0:
		return "no_text"
	case utf8.RuneCountInString(text) > slackMaxText:
		return "msg_too_long"
	case len(blocks) > slackMaxBlocks:
		return "invalid_blocks"
	}
	total, bad := 0, false
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			typ, _ := x["type"].(string)
			if t, ok := x["text"].(string); ok && (typ == "mrkdwn" || typ == "plain_text") {
				n := utf8.RuneCountInString(t)
				total += n
				limit := slackMaxSection
				switch key {
				case "fields":
					limit = slackMaxField
				case "header":
					limit = slackMaxHeader
				}
				bad = bad || n > limit || n == 0
			}
			for k, e := range x {
				if k == "text" && typ == "header" {
					k = "header"
				}
				walk(k, e)
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		}
	}
	for _, b := range blocks {
		walk("", b)
	}
	switch {
	case bad:
		return "invalid_blocks"
	case total > slackMaxMessageChars:
		return "msg_blocks_too_long"
	}
	return ""
}

// uploaded returns the file of a multipart upload body (or the body itself).
func uploaded(contentType string, body []byte) string {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil || params["boundary"] == "" {
		return string(body)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			return ""
		}
		if part.FormName() == "file" || part.FileName() != "" {
			data, _ := io.ReadAll(part)
			return string(data)
		}
	}
}

// called returns the calls of one method, in order.
func (f *fakeSlack) called(method string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeSlack) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// spy counts what reaches the commands, to show that refused requests do
// nothing.
type spy struct {
	bot.Commands
	mu sync.Mutex
	n  int
}

func (s *spy) hit() {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}

func (s *spy) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func (s *spy) Answer(ctx context.Context, r commands.Request) (commands.Message, commands.Report) {
	s.hit()
	return s.Commands.Answer(ctx, r)
}

func (s *spy) History(ctx context.Context, r commands.Request, n int) (commands.Message, commands.Report) {
	s.hit()
	return s.Commands.History(ctx, r, n)
}

func (s *spy) UpdateModal(ctx context.Context, r commands.Request, n int) (slack.ModalViewRequest, commands.Message, commands.Report) {
	s.hit()
	return s.Commands.UpdateModal(ctx, r, n)
}

func (s *spy) SubmitUpdate(ctx context.Context, r commands.Request, v slack.View) commands.Submission {
	s.hit()
	return s.Commands.SubmitUpdate(ctx, r, v)
}

func (s *spy) Home(ctx context.Context, r commands.Request) (slack.HomeTabViewRequest, commands.Report) {
	s.hit()
	return s.Commands.Home(ctx, r)
}

// harness is a bot serving HTTP on a real listener, in front of the demo
// plan and a fake Slack.
type harness struct {
	t     *testing.T
	url   string
	slack *fakeSlack
	store *store.Store
	h     *commands.Handler
	spy   *spy
	srv   *bot.Server
	stop  context.CancelFunc
	done  chan error
	once  sync.Once
	err   error
}

func startHTTP(t *testing.T, edit func(*bot.Options)) *harness {
	t.Helper()
	s, h := mustPlan(t)
	fake := newFakeSlack(t)
	sp := &spy{Commands: h}
	o := bot.Options{
		Commands:      sp,
		Slack:         bot.NewClient(bot.ClientOptions{BotToken: "xoxb-test", APIURL: fake.URL + "/api/"}),
		Health:        s,
		SigningSecret: secret,
		TeamID:        team,
		Now:           func() time.Time { return now },
		Logger:        quiet,
		// finish waits for every follow-up (a chart, a PDF) to be made:
		// under -race on a loaded machine drawing and uploading one took
		// longer than the 10 s default, and shutdown cancelled it.
		ShutdownTimeout: time.Minute,
	}
	if edit != nil {
		edit(&o)
	}
	srv, err := bot.New(o)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	hs := &harness{t: t, url: "http://" + ln.Addr().String(), slack: fake, store: s, h: h, spy: sp, srv: srv, stop: cancel, done: make(chan error, 1)}
	go func() { hs.done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() { hs.finish() })
	return hs
}

// finish shuts the bot down and waits for everything it started: after
// it, every post the bot was going to make has been made. It returns what
// Serve returned.
func (hs *harness) finish() error {
	hs.once.Do(func() {
		hs.stop()
		select {
		case hs.err = <-hs.done:
		case <-time.After(2 * time.Minute):
			// A guard against a hang, not a timing: past the server's
			// own one-minute shutdown timeout set above.
			hs.t.Error("the bot did not shut down")
		}
	})
	return hs.err
}

// sign returns Slack's headers for body sent at ts.
func sign(key string, ts time.Time, body string) http.Header {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte("v0:" + stamp + ":" + body))
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", stamp)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return h
}

// post sends body to path with headers and returns the status and body.
func (hs *harness) post(path, contentType, body string, h http.Header) (int, string) {
	hs.t.Helper()
	req, err := http.NewRequest(http.MethodPost, hs.url+path, strings.NewReader(body))
	if err != nil {
		hs.t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		hs.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// signedPost posts body signed now with the right secret.
func (hs *harness) signedPost(path, contentType, body string) (int, string) {
	hs.t.Helper()
	return hs.post(path, contentType, body, sign(secret, now, body))
}

const form = "application/x-www-form-urlencoded"

// slashCommand is a slash command's form as Slack posts it.
func slashCommand(responseURL, user, command, text string) string {
	return url.Values{
		"token":                 {"gIkuvaNzQIHg97ATvDxqgjtO"},
		"team_id":               {team},
		"team_domain":           {"tours-metropole"},
		"enterprise_id":         {""},
		"channel_id":            {"C0CHAN"},
		"channel_name":          {"gt-prospection"},
		"user_id":               {user},
		"user_name":             {"someone"},
		"command":               {command},
		"text":                  {text},
		"api_app_id":            {"A0APP"},
		"is_enterprise_install": {"false"},
		"response_url":          {responseURL},
		"trigger_id":            {"13345224609.738474920.8088930838d88f008e0"},
	}.Encode()
}

// interactionForm wraps an interaction payload as Slack posts it.
func interactionForm(payload string) string {
	return url.Values{"payload": {payload}}.Encode()
}

// blockActions is a click on one of the card's buttons, as Slack sends it.
func blockActions(responseURL, user, actionID, value string) string {
	return `{
  "type": "block_actions",
  "user": {"id": "` + user + `", "username": "someone", "name": "someone", "team_id": "` + team + `"},
  "api_app_id": "A0APP",
  "token": "gIkuvaNzQIHg97ATvDxqgjtO",
  "container": {"type": "message", "message_ts": "1764147600.000100", "channel_id": "C0CHAN", "is_ephemeral": true},
  "trigger_id": "13345224609.738474920.8088930838d88f008e0",
  "team": {"id": "` + team + `", "domain": "tours-metropole"},
  "enterprise": null,
  "is_enterprise_install": false,
  "channel": {"id": "C0CHAN", "name": "gt-prospection"},
  "state": {"values": {}},
  "response_url": "` + responseURL + `",
  "actions": [{
    "action_id": "` + actionID + `",
    "block_id": "action_` + value + `",
    "text": {"type": "plain_text", "text": "Mettre à jour", "emoji": true},
    "value": "` + value + `",
    "type": "button",
    "action_ts": "1764147601.000200"
  }]
}`
}

// viewSubmission is the « Mettre à jour » modal submitted, as Slack sends it.
func viewSubmission(user, metadata, status, progress, note string) string {
	return `{
  "type": "view_submission",
  "team": {"id": "` + team + `", "domain": "tours-metropole"},
  "user": {"id": "` + user + `", "username": "someone", "name": "someone", "team_id": "` + team + `"},
  "api_app_id": "A0APP",
  "token": "gIkuvaNzQIHg97ATvDxqgjtO",
  "trigger_id": "13345224609.738474920.8088930838d88f008e0",
  "view": {
    "id": "V0VIEW",
    "team_id": "` + team + `",
    "type": "modal",
    "callback_id": "` + commands.ModalCallbackID + `",
    "private_metadata": "` + metadata + `",
    "title": {"type": "plain_text", "text": "Action 22", "emoji": true},
    "blocks": [],
    "state": {"values": {
      "status": {"status": {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "Bloquée", "emoji": true}, "value": "` + status + `"}}},
      "progress": {"progress": {"type": "number_input", "value": "` + progress + `"}},
      "note": {"note": {"type": "plain_text_input", "value": ` + strconv.Quote(note) + `}}
    }},
    "hash": "1764147600.abcdef",
    "previous_view_id": null,
    "root_view_id": "V0VIEW",
    "app_id": "A0APP",
    "bot_id": "B0BOT"
  },
  "response_urls": [],
  "is_enterprise_install": false,
  "enterprise": null
}`
}

// appHomeOpened is the app_home_opened event callback, as Slack sends it.
func appHomeOpened(eventID, user string) string {
	return `{
  "token": "gIkuvaNzQIHg97ATvDxqgjtO",
  "team_id": "` + team + `",
  "api_app_id": "A0APP",
  "event": {"type": "app_home_opened", "user": "` + user + `", "channel": "D0DM", "tab": "home", "event_ts": "1764147600.000100"},
  "type": "event_callback",
  "event_id": "` + eventID + `",
  "event_time": 1764147600,
  "authorizations": [{"enterprise_id": null, "team_id": "` + team + `", "user_id": "U0BOT", "is_bot": true, "is_enterprise_install": false}],
  "is_ext_shared_channel": false
}`
}

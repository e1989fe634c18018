package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// replicaSet is "actionbot serve" started n times on one PostgreSQL schema,
// in HTTP mode, each on a port of its own, against one fake Slack API.
type replicaSet struct {
	url      string // the database
	config   string // the configuration file they share
	children []*child
	addrs    []string
}

// startReplicas seeds a new schema with the demo plan and starts n serve
// processes on it with the configuration extra adds to.
func startReplicas(t *testing.T, n int, slackURL, extra string) *replicaSet {
	t.Helper()
	rs := &replicaSet{url: storetest.PostgresURL(t)}
	s, err := store.OpenPostgres(rs.url)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = testNow
	if err := s.SeedDemo(context.Background(), testNow().Location()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	rs.config = filepath.Join(t.TempDir(), "config.toml")
	body := `admins = ["U0ADMIN"]
[slack]
bot_token = "xoxb-replicas"
signing_secret = "replicas-secret"
api_url = "` + slackURL + `/api/"
[http]
listen = "127.0.0.1:0"
[store]
driver = "postgres"
url = "` + rs.url + `"
[nudges]
enabled = false
` + extra
	if err := os.WriteFile(rs.config, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	for range n {
		c := startChild(t, rs.config, "serve")
		select {
		case addr := <-c.addr:
			rs.addrs = append(rs.addrs, addr)
		case <-c.exited:
			t.Fatalf("serve ended before listening:\n%s", c.log())
		case <-time.After(30 * time.Second):
			t.Fatalf("serve is not listening:\n%s", c.log())
		}
		rs.children = append(rs.children, c)
	}
	return rs
}

// stop ends every replica still running with SIGTERM, as systemd does, and
// waits for them.
func (rs *replicaSet) stop(t *testing.T) {
	for _, c := range rs.children {
		select {
		case <-c.exited:
			continue
		default:
		}
		c.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-c.exited:
		case <-time.After(30 * time.Second):
			t.Errorf("a replica did not stop on SIGTERM:\n%s", c.log())
		}
	}
}

// waitUntil polls cond on the real clock until deadline: the replicas are
// real processes that a test can only watch from outside.
func waitUntil(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestReplicasPostEachSlotOnce runs three replicas on one PostgreSQL with a
// digest every 2 s, and kills with SIGKILL the one that holds the sender's
// lease: another takes over within 30 s, and every slot from the first to
// the last is posted exactly once — none lost, none doubled, whichever
// replica enqueued or sent it.
func TestReplicasPostEachSlotOnce(t *testing.T) {
	const every = 2 * time.Second
	fake := newPostRecorder(t)
	rs := startReplicas(t, 3, fake.URL, `
[[groups]]
key = "prospection"
name = "Prospection"
channel = "C0DIGEST"
digest = "@every 2s"
`)
	posts := func() int { return len(fake.to("C0DIGEST")) }
	waitUntil(t, 20*time.Second, "no digest posted", func() bool { return posts() >= 3 })

	// Who sends: the replica that says so last.
	watch, err := store.OpenPostgres(rs.url)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close()
	ctx := context.Background()
	sender := -1
	for i, c := range rs.children {
		if strings.Contains(c.log(), "this process now sends the outbox") {
			sender = i
		}
	}
	if sender < 0 {
		t.Fatalf("no replica says it sends")
	}
	before := posts()
	rs.children[sender].kill(t)
	killed := time.Now()
	waitUntil(t, 30*time.Second, "no replica took over the sending", func() bool { return posts() > before+1 })
	t.Logf("killed the sender after %d posts; another replica posted again %s later", before, time.Since(killed).Round(100*time.Millisecond))
	// The backlog of the slots enqueued meanwhile goes out at Slack's
	// pace, one a second in a channel.
	waitUntil(t, 30*time.Second, "the backlog was not sent", func() bool {
		n, err := watch.PendingDeliveries(ctx)
		return err == nil && n == 0
	})
	rs.stop(t)

	// Every slot of the grid from the first digest to the last is in the
	// outbox once, and each was posted once: a post the killed sender
	// made without recording it is its one delivery left "sending".
	ds, err := watch.Deliveries(ctx, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	var first, last time.Time
	slots := map[int64]store.Delivery{} // by Unix time
	inFlight := 0
	var pending []time.Time
	for _, d := range ds {
		at, ok := strings.CutPrefix(d.Key, "digest:prospection:")
		if !ok {
			continue
		}
		slot, err := time.ParseInLocation("2006-01-02T15:04:05", at, testNow().Location())
		if err != nil {
			t.Fatal(err)
		}
		slots[slot.Unix()] = d
		if first.IsZero() || slot.Before(first) {
			first = slot
		}
		if slot.After(last) {
			last = slot
		}
		switch d.State {
		case store.DeliverySent:
		case store.DeliverySending, store.DeliveryUnknown:
			inFlight++
		case store.DeliveryPending:
			// Enqueued in the last moments, as the sender stopped.
			pending = append(pending, slot)
		default:
			t.Errorf("slot %s %s: %s", at, d.State, d.LastError)
		}
	}
	for _, p := range pending {
		if p.Before(last.Add(-2 * every)) {
			t.Errorf("slot %s still pending", p.Format(time.TimeOnly))
		}
	}
	for s := first; !s.After(last); s = s.Add(every) {
		if _, ok := slots[s.Unix()]; !ok {
			t.Errorf("slot %s has no delivery", s.Format(time.TimeOnly))
		}
	}
	if want := int(last.Sub(first)/every) + 1; len(slots) != want {
		t.Errorf("%d digest slots from %s to %s, want %d: replicas named different slots", len(slots), first.Format(time.TimeOnly), last.Format(time.TimeOnly), want)
	}
	recorded := map[string]bool{}
	for _, d := range slots {
		if d.SlackTS != "" {
			if recorded[d.SlackTS] {
				t.Errorf("two deliveries record the post %s", d.SlackTS)
			}
			recorded[d.SlackTS] = true
		}
	}
	unrecorded := 0
	for _, ts := range postedTS(fake, "C0DIGEST") {
		if !recorded[ts] {
			unrecorded++
		}
	}
	if inFlight > 1 || unrecorded > inFlight {
		t.Errorf("%d posts are no delivery's, %d deliveries were in flight at the kill: a slot was posted twice", unrecorded, inFlight)
	}
	t.Logf("%d slots of %s from %s to %s, %d posts, %d in flight at the kill", len(slots), every,
		first.Format(time.TimeOnly), last.Format(time.TimeOnly), posts(), inFlight)
}

// TestReplicasWriteTheSameActions runs two replicas on one PostgreSQL and
// sixteen writers against each, all adding notes to the same three
// actions at once: every note whose change was answered is in the journal,
// and in the action's text — a note lost by an update that read the text
// before another's was written would be missing there.
func TestReplicasWriteTheSameActions(t *testing.T) {
	const writers, each = 16, 8
	fake := newPostRecorder(t)
	rs := startReplicas(t, 2, fake.URL, "")
	client := &http.Client{Timeout: 20 * time.Second}
	var mu sync.Mutex
	answered := map[string]int{} // note word → action
	var wg sync.WaitGroup
	for p, addr := range rs.addrs {
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					n := []int{7, 22, 23}[(w+i)%3]
					word := fmt.Sprintf("mot%dx%dx%d", p, w, i)
					form := fmt.Sprintf("team_id=T0R&channel_id=C0R&user_id=U0ADMIN&command=%%2Faction&text=%d+note+%s&response_url=%s", n, word, fake.URL+"/response")
					reply, err := signedPost(client, "http://"+addr+"/slack/commands", "replicas-secret", form)
					if err != nil {
						t.Errorf("%s: %v", word, err)
						return
					}
					if strings.Contains(reply, word) {
						mu.Lock()
						answered[word] = n
						mu.Unlock()
					}
				}
			})
		}
	}
	wg.Wait()
	rs.stop(t)
	// On a loaded machine some changes take longer than the ack window and
	// are answered through response_url: the user got them all the same.
	fake.mu.Lock()
	for _, body := range fake.late {
		for p := range rs.addrs {
			for w := range writers {
				for i := range each {
					word := fmt.Sprintf("mot%dx%dx%d", p, w, i)
					if _, ok := answered[word]; !ok && strings.Contains(body, word) {
						answered[word] = []int{7, 22, 23}[(w+i)%3]
					}
				}
			}
		}
	}
	fake.mu.Unlock()

	s, err := store.OpenPostgres(rs.url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	entries, err := s.Journal(ctx, store.JournalFilter{Fields: []string{store.FieldNote}})
	if err != nil {
		t.Fatal(err)
	}
	journaled := map[string]bool{}
	for _, e := range entries {
		journaled[e.Note] = true
	}
	for word, n := range answered {
		if !journaled[word] {
			t.Errorf("note %s was answered but is not in the journal", word)
		}
		p, err := s.Actions(ctx, store.Filter{Text: word})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Actions) != 1 || p.Actions[0].Number != n {
			t.Errorf("note %s on action %d: the action's text lost it (search finds %d actions)", word, n, len(p.Actions))
		}
	}
	if len(answered) < 2*writers*each*9/10 {
		t.Errorf("only %d of %d changes answered", len(answered), 2*writers*each)
	}
	t.Logf("%d changes by %d writers in 2 replicas answered; all in the journal and the actions' text", len(answered), 2*writers)
}

// postedTS returns the ts the fake answered each post to channel with.
func postedTS(p *postRecorder, channel string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for i, f := range p.posts {
		if f.Get("channel") == channel {
			out = append(out, fmt.Sprintf("1700000000.%06d", i+1))
		}
	}
	return out
}

package commands_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
)

// TestParseFollow: « ne plus suivre » is read as one name, in any case
// and with hyphens, and its words in a note stay the note's.
func TestParseFollow(t *testing.T) {
	today := store.Date{Year: 2026, Month: 11, Day: 26}
	tests := []struct {
		text string
		kind commands.Kind
		n    int
		page int
	}{
		{"23 suivre", commands.KindFollow, 23, 0},
		{"23 follow", commands.KindFollow, 23, 0},
		{"23 ne plus suivre", commands.KindUnfollow, 23, 0},
		{"23 NE PLUS  Suivre", commands.KindUnfollow, 23, 0},
		{"23 ne-plus-suivre", commands.KindUnfollow, 23, 0},
		{"23 unfollow", commands.KindUnfollow, 23, 0},
		{"suivies", commands.KindFollowing, 0, 1},
		{"following page 2", commands.KindFollowing, 0, 2},
		{"suivis", commands.KindFollowing, 0, 1},
		{"23 note ne plus suivre", commands.KindNote, 23, 0},
	}
	for _, tt := range tests {
		c, err := commands.Parse("/action", tt.text, today)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.text, err)
			continue
		}
		if c.Kind != tt.kind || c.Number != tt.n || c.List.Page != tt.page {
			t.Errorf("Parse(%q) = kind %d, number %d, page %d; want %d, %d, %d", tt.text, c.Kind, c.Number, c.List.Page, tt.kind, tt.n, tt.page)
		}
		if tt.kind == commands.KindNote && c.Edit.Note != "ne plus suivre" {
			t.Errorf("Parse(%q) note %q", tt.text, c.Edit.Note)
		}
	}
	for _, text := range []string{"suivre", "23 ne plus", "23 suivre maintenant", "suivies 2", "23 suivies"} {
		if _, err := commands.Parse("/action", text, today); err == nil {
			t.Errorf("Parse(%q) accepted", text)
		}
	}
}

// TestFollowCommands: anyone follows and unfollows, once; the card counts
// the followers; « suivies » pages what I follow; an unknown action is
// refused with nothing stored.
func TestFollowCommands(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t, "fr")
	ask := func(user, text string) (commands.Message, commands.Report) {
		t.Helper()
		return f.h.Answer(ctx, commands.Request{UserID: user, Command: "/action", Text: text, Now: now})
	}
	ok := func(user, text string) commands.Message {
		t.Helper()
		msg, rep := ask(user, text)
		if rep.Outcome != commands.OutcomeOK {
			t.Fatalf("%s %q: %s\n%s", user, text, rep.Outcome, msg.Text)
		}
		return msg
	}
	count := func(n int) int {
		t.Helper()
		c, _, err := f.s.Followers(ctx, n, other)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if msg := ok(other, "22"); strings.Contains(msg.Text, "Suivie par") {
		t.Errorf("a card without followers says it has some:\n%s", msg.Text)
	}
	golden(t, "follow", ok(other, "22 suivre"))
	// The card rendered before is not served again: it counts the follower.
	if msg := ok(other, "22"); !strings.Contains(msg.Text, "Suivie par 1 personne") {
		t.Errorf("the card after a follow:\n%s", msg.Text)
	}
	ok(other, "22 suivre") // twice: once
	if c := count(22); c != 1 {
		t.Errorf("after following twice: %d followers, want 1", c)
	}
	ok(store.DemoMarie, "22 suivre")
	golden(t, "card-followers", ok(other, "22"))
	if msg := ok(other, "23"); strings.Contains(msg.Text, "Suivie par") {
		t.Errorf("a card without followers says it has some:\n%s", msg.Text)
	}
	ok(other, "5 suivre")
	golden(t, "following", ok(other, "suivies"))
	golden(t, "unfollow", ok(other, "22 ne plus suivre"))
	golden(t, "unfollow-not-following", ok(other, "22 ne plus suivre"))
	if c := count(22); c != 1 {
		t.Errorf("after unfollowing: %d followers, want 1 (Marie)", c)
	}
	golden(t, "following-empty", ok(store.DemoPaul, "suivies"))
	if _, rep := ask(other, "99 suivre"); rep.Outcome != commands.OutcomeNotFound {
		t.Errorf("an unknown action: %s", rep.Outcome)
	}
	for _, text := range []string{"suivre", "ne plus suivre"} {
		if msg, rep := ask(other, text); rep.Outcome != commands.OutcomeInvalid || !strings.Contains(msg.Text, "/action 23 "+text) {
			t.Errorf("%q without a number: %s\n%s", text, rep.Outcome, msg.Text)
		}
	}
	if p, _ := f.s.Actions(ctx, store.Filter{Follower: other}); p.Total != 1 {
		t.Errorf("%s follows %d actions, want 1 (5)", other, p.Total)
	}

	// Paged like « liste »: 15 a page, with the command of the next.
	for n := 1; n <= 20; n++ {
		if _, err := f.s.Follow(ctx, n, store.DemoSophie); err != nil {
			t.Fatal(err)
		}
	}
	if msg := ok(store.DemoSophie, "suivies"); !strings.Contains(msg.Text, "`/action suivies page 2`") {
		t.Errorf("page 1 of 20 followed does not say how to get the next:\n%s", msg.Text)
	}
	if msg := ok(store.DemoSophie, "suivies page 2"); !strings.Contains(msg.Text, "16 à 20 sur 20") {
		t.Errorf("page 2 of 20 followed:\n%s", msg.Text)
	}

	en := mustFixture(t, "en")
	msg, rep := en.h.Answer(ctx, commands.Request{UserID: other, Command: "/action", Text: "22 follow", Now: now})
	if rep.Outcome != commands.OutcomeOK {
		t.Fatalf("follow in English: %s", rep.Outcome)
	}
	golden(t, "follow-en", msg)
}

// TestFollowBatches: which journal entries go in which DM, on a fixed
// clock: a follower hears of others' changes made after they began to
// follow, one DM per minute once it is over (and settled), within the
// lookback.
func TestFollowBatches(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) // 10:00 in Paris
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	var nextID uint
	entry := func(action int, author string, d time.Duration) store.JournalEntry {
		nextID++
		return store.JournalEntry{ID: nextID, ActionID: uint(action), ActionNumber: action, Author: author, At: at(d), Field: store.FieldNote, Note: fmt.Sprint(nextID)}
	}
	follows := func(action int, user string, since time.Duration) store.Follower {
		return store.Follower{ActionID: uint(action), UserID: user, CreatedAt: at(since)}
	}
	const marie, paul, karim = store.DemoMarie, store.DemoPaul, store.DemoKarim
	// The same entries for every case: IDs 1 to 7.
	entries := []store.JournalEntry{
		entry(22, paul, 5*time.Second),            // 1
		entry(22, paul, 40*time.Second),           // 2
		entry(22, marie, 50*time.Second),          // 3: Marie's own
		entry(5, paul, 59*time.Second),            // 4: another action, same minute
		entry(22, paul, time.Minute+time.Second),  // 5: next minute
		entry(7, karim, 10*time.Second),           // 6: nobody follows 7
		entry(22, paul, -2*time.Hour+time.Second), // 7: before the lookback
	}
	tests := []struct {
		name      string
		followers []store.Follower
		now       time.Duration
		want      []string // "user minute: entry IDs"
	}{
		{"the minute is not over", []store.Follower{follows(22, marie, -time.Hour)}, 59 * time.Second, nil},
		{"over but not settled", []store.Follower{follows(22, marie, -time.Hour)}, time.Minute + 29*time.Second, nil},
		{"settled: one DM for the minute, without her own change", []store.Follower{follows(22, marie, -time.Hour)},
			time.Minute + commands.FollowSettle, []string{"U01MARIE 09:00: 1 2"}},
		{"two minutes later: two DMs", []store.Follower{follows(22, marie, -time.Hour)},
			3 * time.Minute, []string{"U01MARIE 09:00: 1 2", "U01MARIE 09:01: 5"}},
		{"actions of one minute in one DM, by number", []store.Follower{follows(22, marie, -time.Hour), follows(5, marie, -time.Hour)},
			2 * time.Minute, []string{"U01MARIE 09:00: 4 1 2"}},
		{"Paul hears only of Marie's change", []store.Follower{follows(22, paul, -time.Hour)}, 3 * time.Minute, []string{"U02PAUL 09:00: 3"}},
		{"followed after the first change", []store.Follower{follows(22, karim, 30*time.Second)},
			2 * time.Minute, []string{"U04KARIM 09:00: 2 3"}},
		{"two followers", []store.Follower{follows(22, marie, -time.Hour), follows(22, karim, -time.Hour)},
			2 * time.Minute, []string{"U01MARIE 09:00: 1 2", "U04KARIM 09:00: 1 2 3"}},
		{"an hour later, still told", []store.Follower{follows(22, marie, -3*time.Hour)},
			time.Hour, []string{"U01MARIE 09:00: 1 2", "U01MARIE 09:01: 5"}},
		{"past the lookback, not told", []store.Follower{follows(22, marie, -3*time.Hour)},
			time.Hour + time.Minute, []string{"U01MARIE 09:01: 5"}},
		{"no follower", nil, 3 * time.Minute, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, b := range commands.FollowBatches(entries, tt.followers, at(tt.now)) {
				ids := make([]string, len(b.Entries))
				for i, e := range b.Entries {
					ids[i] = fmt.Sprint(e.ID)
				}
				got = append(got, b.UserID+" "+b.Minute.Format("15:04")+": "+strings.Join(ids, " "))
				if want := "follow:" + b.UserID + ":" + b.Minute.Format("2006-01-02T15:04Z"); b.Key() != want {
					t.Errorf("key %q, want %q", b.Key(), want)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("batches (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFollowDM: the DM says, for each action, who changed what and when;
// it is within Slack's limits even for many actions with long notes.
func TestFollowDM(t *testing.T) {
	ctx := context.Background()
	f := mustFixture(t, "fr")
	clock := now
	f.s.Now = func() time.Time { return clock }
	for _, n := range []int{22, 5} {
		if _, err := f.s.Follow(ctx, n, store.DemoMarie); err != nil {
			t.Fatal(err)
		}
	}
	clock = now.Add(10 * time.Second)
	ask := func(user, text string) {
		t.Helper()
		if msg, rep := f.h.Answer(ctx, commands.Request{UserID: user, Command: "/action", Text: text, Now: clock}); rep.Outcome != commands.OutcomeOK {
			t.Fatalf("%q: %s\n%s", text, rep.Outcome, msg.Text)
		}
	}
	ask(store.DemoPaul, "22 statut bloquée avancement 70 note En attente de la CCI <@U01MARIE|marie>")
	clock = now.Add(20 * time.Second)
	ask(store.DemoPaul, "22 annuler")
	ask(admin, "5 échéance 15/03/2027 pilote <@U02PAUL|paul> contributeurs \"CCI Touraine\"")
	ask(admin, "5 rythme 2 semaines")
	if msg, rep := f.h.Answer(ctx, commands.Request{UserID: admin, Command: "/copil", Text: "decision 5 Étendre à Amboise", Now: clock}); rep.Outcome != commands.OutcomeOK {
		t.Fatalf("decision: %s\n%s", rep.Outcome, msg.Text)
	}
	batches, err := f.h.FollowBatches(ctx, now.Add(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 1 || batches[0].UserID != store.DemoMarie {
		t.Fatalf("batches %+v, want one for Marie", batches)
	}
	// Every kind of change counts: notes, status, progress, due date,
	// pilote, contributors, rhythm, decisions, undo.
	fields := map[string]int{}
	for _, e := range batches[0].Entries {
		if e.Undo {
			fields["undo"]++
		}
		fields[e.Field]++
	}
	want := map[string]int{
		store.FieldStatus: 2, store.FieldProgress: 2, store.FieldNote: 1, "undo": 2, store.FieldDue: 1,
		store.FieldPilote: 1, store.FieldContributors: 1, store.FieldRhythm: 1, store.FieldDecision: 1,
	}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("entries told (-want +got):\n%s", diff)
	}
	msg, err := f.h.FollowDM(ctx, batches[0])
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "follow-dm", msg)

	// Many actions, long notes: ten in detail, then how many more.
	var many commands.FollowBatch
	many.UserID, many.Minute = store.DemoMarie, now.UTC().Truncate(time.Minute)
	for n := 1; n <= 14; n++ {
		for range 3 {
			many.Entries = append(many.Entries, store.JournalEntry{ActionNumber: n, At: now, Author: admin, Field: store.FieldNote, Note: strings.Repeat("<&> long ", 200)})
		}
	}
	msg, err = f.h.FollowDM(ctx, many)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	checkSlackRules(t, "follow-dm-many", data)
	if !strings.Contains(msg.Text, "… et 4 autres actions") {
		t.Errorf("the DM of 14 actions does not say 4 more:\n%.300s", msg.Text[len(msg.Text)-300:])
	}
}

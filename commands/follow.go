package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/tours-metropole/actionbot/store"
)

// The run functions of « suivre », « ne plus suivre » and « suivies ».

func (h *Handler) runFollow(ctx context.Context, r Request, c Command, a store.Action) (Message, error) {
	added, err := h.store.Follow(ctx, a.Number, r.UserID)
	if err != nil {
		return Message{}, err
	}
	text := h.cat.t(msgAlreadyFollowing, a.Number, a.Number)
	if added {
		text = ":eyes: " + h.cat.t(msgFollowed, a.Number, a.Number)
	}
	return Message{Blocks: blocksOf(text), Text: text}, nil
}

func (h *Handler) runUnfollow(ctx context.Context, r Request, c Command, a store.Action) (Message, error) {
	removed, err := h.store.Unfollow(ctx, a.Number, r.UserID)
	if err != nil {
		return Message{}, err
	}
	text := h.cat.t(msgNotFollowing, a.Number, a.Number)
	if removed {
		text = h.cat.t(msgUnfollowed, a.Number)
	}
	return Message{Blocks: blocksOf(text), Text: text}, nil
}

func (h *Handler) runFollowing(ctx context.Context, r Request, c Command, _ store.Action) (Message, error) {
	today := store.DateOf(r.Now, h.loc)
	f := store.Filter{Follower: r.UserID, Order: store.ByNumber}
	return h.page(ctx, f, c.List.Page, today, h.cat.t(msgFollowingEmpty), h.title(msgFollowingTitle), basePage(r))
}

// A follower hears of the changes others make to the actions they follow
// by DM: the changes of one minute together, told once the minute is over.

// FollowSettle is how long after a minute ends its changes are told: a
// change is journaled with the time its transaction began, which may
// commit a little later.
const FollowSettle = 30 * time.Second

// FollowLookback is how far back the changes are looked at: a bot down
// for less loses none. Looking twice at a minute is harmless, the DM of a
// follower and a minute being keyed in the outbox (FollowBatch.Key).
const FollowLookback = time.Hour

// FollowBatch is one DM owed to a follower: the changes others made, in
// one minute, to the actions they follow.
type FollowBatch struct {
	UserID string
	Minute time.Time // its first instant, UTC
	// Entries are the journal entries of the minute, by action number,
	// then in the order they were written.
	Entries []store.JournalEntry
}

// Key names the DM in the outbox: one per follower and minute, whichever
// replica or restart finds it.
func (b FollowBatch) Key() string {
	return "follow:" + b.UserID + ":" + b.Minute.UTC().Format("2006-01-02T15:04Z")
}

// FollowBatches decides which DMs the journal entries owe as of now. A
// follower hears of an entry of an action they follow if someone else
// wrote it, after they began following, in a minute that ended at least
// FollowSettle before now and began at most FollowLookback before it;
// the entries of one minute go in one DM. Entries and followers are as
// store.FollowedChanges returns them. Batches come by minute, then user.
func FollowBatches(entries []store.JournalEntry, followers []store.Follower, now time.Time) []FollowBatch {
	byAction := map[uint][]store.Follower{}
	for _, f := range followers {
		byAction[f.ActionID] = append(byAction[f.ActionID], f)
	}
	type slot struct {
		user   string
		minute time.Time
	}
	batches := map[slot]*FollowBatch{}
	oldest := now.Add(-FollowLookback)
	for _, e := range entries {
		minute := e.At.UTC().Truncate(time.Minute)
		if minute.Add(time.Minute+FollowSettle).After(now) || minute.Before(oldest) {
			continue
		}
		for _, f := range byAction[e.ActionID] {
			if f.UserID == e.Author || e.At.Before(f.CreatedAt) {
				continue
			}
			k := slot{f.UserID, minute}
			b := batches[k]
			if b == nil {
				b = &FollowBatch{UserID: f.UserID, Minute: minute}
				batches[k] = b
			}
			b.Entries = append(b.Entries, e)
		}
	}
	out := make([]FollowBatch, 0, len(batches))
	for _, b := range batches {
		slices.SortStableFunc(b.Entries, func(x, y store.JournalEntry) int { return x.ActionNumber - y.ActionNumber })
		out = append(out, *b)
	}
	slices.SortFunc(out, func(x, y FollowBatch) int {
		if c := x.Minute.Compare(y.Minute); c != 0 {
			return c
		}
		return strings.Compare(x.UserID, y.UserID)
	})
	return out
}

// FollowBatches returns the DMs owed to followers as of now: see the
// function FollowBatches.
func (h *Handler) FollowBatches(ctx context.Context, now time.Time) ([]FollowBatch, error) {
	entries, followers, err := h.store.FollowedChanges(ctx, now.Add(-FollowLookback), now)
	if err != nil {
		return nil, fmt.Errorf("followed changes: %w", err)
	}
	return FollowBatches(entries, followers, now), nil
}

// followDMActions is how many actions a follower's DM details, and
// followDMChars how much text each gets: within the 12,000 characters of
// a message.
const (
	followDMActions = 10
	followDMChars   = 1000
)

// FollowDM writes the DM of b: when, then for each action its number and
// title, and who changed what.
func (h *Handler) FollowDM(ctx context.Context, b FollowBatch) (Message, error) {
	if len(b.Entries) == 0 {
		return Message{}, fmt.Errorf("follow DM %s: no change to tell", b.Key())
	}
	rd := h.renderer()
	title := ":eyes: " + h.cat.t(msgFollowDMTitle, rd.when(b.Minute))
	blocks := []slack.Block{section("*" + title + "*")}
	lines := []string{title}
	var numbers []int
	for _, e := range b.Entries {
		if !slices.Contains(numbers, e.ActionNumber) {
			numbers = append(numbers, e.ActionNumber)
		}
	}
	for i, n := range numbers {
		if i == followDMActions {
			more := h.cat.plural(msgFollowDMMore1, msgFollowDMMoreN, len(numbers)-i)
			blocks = append(blocks, contextBlock(more))
			lines = append(lines, more)
			break
		}
		a, err := h.store.ActionByNumber(ctx, n)
		if err != nil {
			return Message{}, err
		}
		part := []string{"*" + h.cat.t(msgCardTitle, a.Number, escape(a.Title)) + "*"}
		for _, e := range b.Entries {
			if e.ActionNumber == n {
				part = append(part, "• "+rd.author(e.Author)+" — "+rd.entry(e))
			}
		}
		text := clipMrkdwn(strings.Join(part, "\n"), followDMChars)
		blocks = append(blocks, section(text))
		lines = append(lines, text)
	}
	foot := h.cat.t(msgFollowDMFoot, numbers[0], numbers[0])
	blocks = append(blocks, contextBlock(foot))
	lines = append(lines, foot)
	return Message{Blocks: blocks, Text: strings.Join(lines, "\n")}, nil
}

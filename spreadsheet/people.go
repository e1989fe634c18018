package spreadsheet

import (
	"context"
	"strings"

	"github.com/tours-metropole/actionbot/store"
)

// Namer returns the name Slack shows for a user ID.
type Namer func(ctx context.Context, userID string) (string, error)

// A Slack user appears in a file as « Marie Lefèvre <@U01MARIE> »: the
// name for the people who read it, the mention for import, which reads
// the user back from it (planword.Person) — as it reads a bare <@U01MARIE>,
// written when the name is not known. Organisations and people not on
// Slack appear by name, as stored.

// personCell writes p as a cell shows it.
func personCell(p store.Person, names map[string]string) string {
	if p.UserID == "" {
		return p.String()
	}
	if name := nameBeforeMention(names[p.UserID]); name != "" {
		return name + " " + p.String()
	}
	return p.String()
}

// peopleCell writes a list of people as a cell shows it, separated by
// « ; ».
func peopleCell(people []store.Person, names map[string]string) string {
	parts := make([]string, len(people))
	for i, p := range people {
		parts[i] = personCell(p, names)
	}
	return strings.Join(parts, "; ")
}

// nameLookalikes replaces in a Slack name what would make the cell read
// back as someone else: « ; » separates people, « < » and « > » enclose the
// mention. Import ignores the name beside a mention, so the look-alikes
// change nothing it reads, and the next export writes them again.
var nameLookalikes = strings.NewReplacer(";", ",", "<", "‹", ">", "›", "\r", " ", "\n", " ", "\t", " ")

// nameBeforeMention is a Slack name as it stands before the user's
// mention in a cell.
func nameBeforeMention(name string) string {
	return strings.Join(strings.Fields(nameLookalikes.Replace(name)), " ")
}

// slackNames asks names for the name of every Slack user the actions and
// the journal show. A name that cannot be had leaves the mention: the
// export never fails for it. nil names gives no names.
func slackNames(ctx context.Context, names Namer, actions []store.Action, journal []store.JournalEntry) map[string]string {
	out := map[string]string{}
	if names == nil {
		return out
	}
	var ids []string
	seen := map[string]bool{}
	add := func(id string) {
		if store.IsUserID(id) && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, a := range actions {
		for _, p := range append([]store.Person{a.Pilote()}, a.People()...) {
			add(p.UserID)
		}
	}
	for _, e := range journal {
		add(e.Author)
		if e.Field == store.FieldPilote || e.Field == store.FieldContributors {
			for _, p := range append(store.SplitPeople(e.Old), store.SplitPeople(e.New)...) {
				add(p.UserID)
			}
		}
	}
	for _, id := range ids {
		if name, err := names(ctx, id); err == nil && name != id && strings.TrimSpace(name) != "" {
			out[id] = name
		}
	}
	return out
}

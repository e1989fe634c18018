package commands

import (
	"context"
	"strings"

	"github.com/tours-metropole/actionbot/store"
)

// Kind is what a command does: the identity of one row of the table.
type Kind int

// The kinds of command, in the order help lists them.
const (
	KindCard Kind = iota
	KindStatus
	KindProgress
	KindNote
	KindPilote
	KindContributors
	KindDue
	KindRhythm
	KindHistory
	KindShare
	KindList
	KindMine
	KindLate
	KindSearch
	KindDashboard
	KindWeb
	KindHelp
	KindCopilNext
	KindCopilSchedule
	KindCopilCancel
	KindCopilList
	KindCopilDashboard
	KindCopilDecision
	KindCopilDecisions
	KindCopilMinutes
	KindCopilHelp
	KindUndo
	KindNew
	KindFollow
	KindUnfollow
	KindFollowing
	KindCheckin
)

// Permission says who may run a command.
type Permission int

// The permissions, from the widest to the narrowest.
const (
	Anyone  Permission = iota
	Editors            // the pilote, contributors, the leads of the action's group, admins
	Leads              // the leads of the action's group, admins
	Admins             // admins only
)

// runFunc carries out a parsed command for the request's user. a is the
// action the command names, loaded and permission-checked, when the
// sub-command takes one (spec.target); the zero Action otherwise.
type runFunc func(h *Handler, ctx context.Context, r Request, c Command, a store.Action) (Message, error)

// spec is one row of the command table: everything about one sub-command.
// Help, usage errors, the parser's lookup, permissions and the runner all
// read it; its wording (about, usage, examples) is in the catalogue of each
// language, under the keys the row names.
type spec struct {
	kind    Kind
	command string      // "/action" or "/copil"
	names   [2][]string // [fr, en]; the first of each is the one shown
	target  bool        // takes an action number: /action 23 <name>
	// edit says the row changes a field of the action (store.Edit): several
	// such rows combine in one command, « statut en cours avancement 55 ».
	edit     bool
	bare     bool // what the command alone does (/copil)
	perm     Permission
	about    msg // what it does
	usage    msg // its arguments, after the name; msgNone when it takes none
	examples msg // full examples, one a line
	// parse reads the arguments from token i on into c; nil when the
	// sub-command takes none.
	parse func(p *parser, i int, c *Command) error
	run   runFunc
}

// specs is the command table. It is filled by init because some run
// functions (help) read the table themselves.
var specs []spec

func init() {
	specs = []spec{
		{kind: KindCard, command: "/action", target: true,
			about: msgAboutCard, examples: msgExamplesCard, run: (*Handler).runCard},
		{kind: KindStatus, command: "/action", target: true, edit: true, perm: Editors,
			names: [2][]string{{"statut", "état"}, {"status", "state"}},
			about: msgAboutStatus, usage: msgUsageStatus, examples: msgExamplesStatus,
			parse: parseStatusArg, run: (*Handler).runEdit},
		{kind: KindProgress, command: "/action", target: true, edit: true, perm: Editors,
			names: [2][]string{{"avancement", "avance"}, {"progress"}},
			about: msgAboutProgress, usage: msgUsageProgress, examples: msgExamplesProgress,
			parse: parseProgressArg, run: (*Handler).runEdit},
		{kind: KindNote, command: "/action", target: true, edit: true, perm: Editors,
			names: [2][]string{{"note", "commentaire"}, {"note", "comment"}},
			about: msgAboutNote, usage: msgUsageNote, examples: msgExamplesNote,
			parse: parseNoteArg, run: (*Handler).runEdit},
		{kind: KindPilote, command: "/action", target: true, edit: true, perm: Leads,
			names: [2][]string{{"pilote"}, {"owner"}},
			about: msgAboutPilote, usage: msgUsagePilote, examples: msgExamplesPilote,
			parse: parsePiloteArg, run: (*Handler).runEdit},
		{kind: KindContributors, command: "/action", target: true, edit: true, perm: Leads,
			names: [2][]string{{"contributeurs", "contributeur"}, {"contributors", "contributor"}},
			about: msgAboutContributors, usage: msgUsageContributors, examples: msgExamplesContributors,
			parse: parseContributorsArg, run: (*Handler).runEdit},
		{kind: KindDue, command: "/action", target: true, edit: true, perm: Leads,
			names: [2][]string{{"échéance", "date"}, {"due", "deadline"}},
			about: msgAboutDue, usage: msgUsageDue, examples: msgExamplesDue,
			parse: parseDueArg, run: (*Handler).runEdit},
		{kind: KindRhythm, command: "/action", target: true, perm: Leads,
			names: [2][]string{{"rythme"}, {"cadence", "rhythm"}},
			about: msgAboutRhythm, usage: msgUsageRhythm, examples: msgExamplesRhythm,
			parse: parseRhythmArg, run: (*Handler).runRhythm},
		// Anyone may ask: the store undoes only the user's own change.
		{kind: KindUndo, command: "/action", target: true,
			names: [2][]string{{"annuler", "défaire"}, {"undo"}},
			about: msgAboutUndo, examples: msgExamplesUndo, run: (*Handler).runUndo},
		// Anyone may follow an action: it gives no right, only DMs.
		{kind: KindFollow, command: "/action", target: true,
			names: [2][]string{{"suivre"}, {"follow"}},
			about: msgAboutFollow, examples: msgExamplesFollow, run: (*Handler).runFollow},
		// A name of several words: the parser reads it whole.
		{kind: KindUnfollow, command: "/action", target: true,
			names: [2][]string{{"ne plus suivre"}, {"unfollow"}},
			about: msgAboutUnfollow, examples: msgExamplesUnfollow, run: (*Handler).runUnfollow},
		{kind: KindHistory, command: "/action", target: true,
			names: [2][]string{{"historique", "journal"}, {"history", "log"}},
			about: msgAboutHistory, usage: msgUsagePage, examples: msgExamplesHistory,
			parse: parsePageOnly, run: (*Handler).runHistory},
		{kind: KindShare, command: "/action", target: true,
			names: [2][]string{{"partager"}, {"share"}},
			about: msgAboutShare, examples: msgExamplesShare, run: (*Handler).runShare},
		{kind: KindList, command: "/action",
			names: [2][]string{{"liste"}, {"list"}},
			about: msgAboutList, usage: msgUsageList, examples: msgExamplesList,
			parse: parseListArgs, run: (*Handler).runList},
		// Admins and the leads of the action's group: the group is known
		// only once read, so run checks it.
		{kind: KindNew, command: "/action", perm: Leads,
			names: [2][]string{{"nouvelle", "nouveau", "creer"}, {"new", "create"}},
			about: msgAboutNew, usage: msgUsageNew, examples: msgExamplesNew,
			parse: parseNew, run: (*Handler).runNew},
		{kind: KindMine, command: "/action",
			names: [2][]string{{"mes", "mesactions"}, {"mine", "my"}},
			about: msgAboutMine, usage: msgUsagePage, examples: msgExamplesMine,
			parse: parsePageOnly, run: (*Handler).runMine},
		{kind: KindFollowing, command: "/action",
			names: [2][]string{{"suivies", "suivis"}, {"following", "followed"}},
			about: msgAboutFollowing, usage: msgUsagePage, examples: msgExamplesFollowing,
			parse: parsePageOnly, run: (*Handler).runFollowing},
		// Anyone: it lists the user's own actions, and each change is
		// checked as the command would check it.
		{kind: KindCheckin, command: "/action",
			names: [2][]string{{"point", "fairelepoint"}, {"checkin", "check-in"}},
			about: msgAboutCheckin, examples: msgExamplesCheckin, run: (*Handler).runCheckin},
		{kind: KindLate, command: "/action",
			names: [2][]string{{"retard", "retards", "enretard"}, {"late", "overdue"}},
			about: msgAboutLate, usage: msgUsagePage, examples: msgExamplesLate,
			parse: parsePageOnly, run: (*Handler).runLate},
		{kind: KindSearch, command: "/action",
			names: [2][]string{{"cherche", "chercher", "recherche"}, {"search", "find"}},
			about: msgAboutSearch, usage: msgUsageSearch, examples: msgExamplesSearch,
			// « cherche de page 2 »: the words, then the page.
			parse: parseSearchArg, run: (*Handler).runSearch},
		{kind: KindDashboard, command: "/action",
			names: [2][]string{{"tableau", "tableaudebord", "bilan"}, {"dashboard", "summary"}},
			about: msgAboutDashboard, examples: msgExamplesDashboard, run: (*Handler).runDashboard},
		{kind: KindWeb, command: "/action",
			names: [2][]string{{"web", "lien"}, {"web", "link"}},
			about: msgAboutWeb, examples: msgExamplesWeb, run: (*Handler).runWeb},
		{kind: KindHelp, command: "/action",
			names: [2][]string{{"aide", "?"}, {"help"}},
			about: msgAboutHelp, examples: msgExamplesHelp, run: (*Handler).runHelp},
		{kind: KindCopilNext, command: "/copil", bare: true,
			names: [2][]string{{"prochain"}, {"next"}},
			about: msgAboutCopilNext, examples: msgExamplesCopilNext, run: (*Handler).runCopilNext},
		{kind: KindCopilSchedule, command: "/copil", perm: Admins,
			names: [2][]string{{"planifier", "ajouter"}, {"schedule", "add"}},
			about: msgAboutCopilSchedule, usage: msgUsageCopilSchedule, examples: msgExamplesCopilSchedule,
			parse: parseSchedule, run: (*Handler).runCopilSchedule},
		{kind: KindCopilCancel, command: "/copil", perm: Admins,
			names: [2][]string{{"annuler"}, {"cancel"}},
			about: msgAboutCopilCancel, usage: msgUsageCopilCancel, examples: msgExamplesCopilCancel,
			parse: parseCancel, run: (*Handler).runCopilCancel},
		{kind: KindCopilList, command: "/copil",
			names: [2][]string{{"liste"}, {"list"}},
			about: msgAboutCopilList, examples: msgExamplesCopilList, run: (*Handler).runCopilList},
		{kind: KindCopilDashboard, command: "/copil",
			names: [2][]string{{"tableau", "bilan"}, {"dashboard"}},
			about: msgAboutDashboard, examples: msgExamplesCopilDashboard, run: (*Handler).runCopilDashboard},
		// decision names its action after the sub-command, so it is no
		// target row: its run checks that the user leads the action's
		// group (or is an admin).
		{kind: KindCopilDecision, command: "/copil", perm: Leads,
			names: [2][]string{{"decision", "décision", "decider"}, {"decision", "decide"}},
			about: msgAboutDecision, usage: msgUsageDecision, examples: msgExamplesDecision,
			parse: parseDecision, run: (*Handler).runCopilDecision},
		{kind: KindCopilDecisions, command: "/copil",
			names: [2][]string{{"releve", "relevé", "décisions"}, {"decisions"}},
			about: msgAboutDecisions, usage: msgUsageDecisions, examples: msgExamplesDecisions,
			parse: parseOptionalDay, run: (*Handler).runCopilDecisions},
		{kind: KindCopilMinutes, command: "/copil",
			names: [2][]string{{"compte-rendu", "cr"}, {"minutes", "report"}},
			about: msgAboutMinutes, usage: msgUsageDecisions, examples: msgExamplesMinutes,
			parse: parseOptionalDay, run: (*Handler).runCopilMinutes},
		{kind: KindCopilHelp, command: "/copil",
			names: [2][]string{{"aide", "?"}, {"help"}},
			about: msgAboutCopilHelp, examples: msgExamplesCopilHelp, run: (*Handler).runHelp},
	}
	for _, s := range specs {
		for _, names := range s.names {
			for _, name := range names {
				maxNameWords = max(maxNameWords, len(strings.Fields(name)))
			}
		}
	}
}

// specOf returns the table entry of a kind.
func specOf(k Kind) *spec {
	for i := range specs {
		if specs[i].kind == k {
			return &specs[i]
		}
	}
	panic("commands: no spec for kind")
}

package commands

// Kind is what a command does.
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
	KindHistory
	KindShare
	KindList
	KindMine
	KindLate
	KindSearch
	KindDashboard
	KindHelp
	KindCopilNext
	KindCopilSchedule
	KindCopilCancel
	KindCopilList
	KindCopilDashboard
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

// spec declares one sub-command: its names in French and English, whether
// it takes an action number, its usage and examples in each language, who
// may run it and how its arguments are read. Help and usage errors are
// generated from this table.
type spec struct {
	kind     Kind
	command  string      // "/action" or "/copil"
	names    [2][]string // [fr, en]; the first of each is the one shown
	target   bool        // takes an action number: /action 23 <name>
	usage    [2]string   // arguments, after the name
	examples [2][]string // full examples
	perm     Permission
	about    msg // what it does, from the catalogue
	parse    func(p *parser, i int, c *Command) error
}

// specs is the command table.
var specs = []spec{
	{kind: KindCard, command: "/action", target: true, about: msgAboutCard,
		examples: [2][]string{{"/action 23"}, {"/action 23"}}},
	{kind: KindStatus, command: "/action", target: true, perm: Editors, about: msgAboutStatus, parse: parseStatusArg,
		names:    [2][]string{{"statut", "état"}, {"status", "state"}},
		usage:    [2]string{"<à lancer|en cours|bloquée|terminée|abandonnée>", "<to do|in progress|blocked|done|abandoned>"},
		examples: [2][]string{{"/action 23 statut en cours"}, {"/action 23 status in progress"}}},
	{kind: KindProgress, command: "/action", target: true, perm: Editors, about: msgAboutProgress, parse: parseProgressArg,
		names:    [2][]string{{"avancement", "avance"}, {"progress"}},
		usage:    [2]string{"<0-100>", "<0-100>"},
		examples: [2][]string{{"/action 23 avancement 60", "/action 23 avancement 60%"}, {"/action 23 progress 60"}}},
	{kind: KindNote, command: "/action", target: true, perm: Editors, about: msgAboutNote, parse: parseNoteArg,
		names:    [2][]string{{"note", "commentaire"}, {"note", "comment"}},
		usage:    [2]string{"<texte>", "<text>"},
		examples: [2][]string{{"/action 23 note Rencontre avec Dev'Up le 12/01"}, {"/action 23 note Met Dev'Up on 12/01"}}},
	{kind: KindPilote, command: "/action", target: true, perm: Leads, about: msgAboutPilote, parse: parsePiloteArg,
		names:    [2][]string{{"pilote"}, {"owner"}},
		usage:    [2]string{`<@personne | "Organisation">`, `<@person | "Organisation">`},
		examples: [2][]string{{"/action 23 pilote @Marie", `/action 23 pilote "CCI Touraine"`}, {"/action 23 owner @Marie"}}},
	{kind: KindContributors, command: "/action", target: true, perm: Leads, about: msgAboutContributors, parse: parseContributorsArg,
		names:    [2][]string{{"contributeurs", "contributeur"}, {"contributors", "contributor"}},
		usage:    [2]string{`<@a @b "Organisation"… | aucun>`, `<@a @b "Organisation"… | none>`},
		examples: [2][]string{{`/action 23 contributeurs @Paul @Sophie "Université de Tours"`}, {`/action 23 contributors @Paul "Université de Tours"`}}},
	{kind: KindDue, command: "/action", target: true, perm: Leads, about: msgAboutDue, parse: parseDueArg,
		names:    [2][]string{{"échéance", "date"}, {"due", "deadline"}},
		usage:    [2]string{"<JJ/MM/AAAA | JJ/MM | AAAA-MM-JJ | aucune>", "<DD/MM/YYYY | DD/MM | YYYY-MM-DD | none>"},
		examples: [2][]string{{"/action 23 échéance 15/03/2027", "/action 23 échéance aucune"}, {"/action 23 due 2027-03-15"}}},
	{kind: KindHistory, command: "/action", target: true, about: msgAboutHistory,
		names:    [2][]string{{"historique", "journal"}, {"history", "log"}},
		examples: [2][]string{{"/action 23 historique"}, {"/action 23 history"}}},
	{kind: KindShare, command: "/action", target: true, about: msgAboutShare,
		names:    [2][]string{{"partager"}, {"share"}},
		examples: [2][]string{{"/action 23 partager"}, {"/action 23 share"}}},
	{kind: KindList, command: "/action", about: msgAboutList, parse: parseListArgs,
		names:    [2][]string{{"liste"}, {"list"}},
		usage:    [2]string{"[axe N] [programme N.N] [groupe G] [statut S] [pilote P] [page N]", "[axis N] [programme N.N] [group G] [status S] [owner P] [page N]"},
		examples: [2][]string{{"/action liste axe 2", "/action liste groupe prospection statut bloquée"}, {"/action list group prospection status blocked"}}},
	{kind: KindMine, command: "/action", about: msgAboutMine, parse: parsePageOnly,
		names:    [2][]string{{"mes", "mesactions"}, {"mine", "my"}},
		examples: [2][]string{{"/action mes"}, {"/action mine"}}},
	{kind: KindLate, command: "/action", about: msgAboutLate, parse: parsePageOnly,
		names:    [2][]string{{"retard", "retards", "enretard"}, {"late", "overdue"}},
		examples: [2][]string{{"/action retard"}, {"/action late"}}},
	{kind: KindSearch, command: "/action", about: msgAboutSearch, parse: parseSearchArg,
		names:    [2][]string{{"cherche", "chercher", "recherche"}, {"search", "find"}},
		usage:    [2]string{"<mots>", "<words>"},
		examples: [2][]string{{"/action cherche ambassadeurs"}, {"/action search ambassadors"}}},
	{kind: KindDashboard, command: "/action", about: msgAboutDashboard,
		names:    [2][]string{{"tableau", "tableaudebord", "bilan"}, {"dashboard", "summary"}},
		examples: [2][]string{{"/action tableau"}, {"/action dashboard"}}},
	{kind: KindHelp, command: "/action", about: msgAboutHelp,
		names:    [2][]string{{"aide", "?"}, {"help"}},
		examples: [2][]string{{"/action aide"}, {"/action help"}}},
	{kind: KindCopilNext, command: "/copil", about: msgAboutCopilNext,
		names:    [2][]string{{"prochain"}, {"next"}},
		examples: [2][]string{{"/copil"}, {"/copil"}}},
	{kind: KindCopilSchedule, command: "/copil", perm: Admins, about: msgAboutCopilSchedule, parse: parseSchedule,
		names:    [2][]string{{"planifier", "ajouter"}, {"schedule", "add"}},
		usage:    [2]string{"<JJ/MM/AAAA> <14h00> [lieu]", "<DD/MM/YYYY> <14:00> [place]"},
		examples: [2][]string{{"/copil planifier 15/01/2027 14h00 Hôtel de Métropole"}, {"/copil schedule 15/01/2027 14:00 Hôtel de Métropole"}}},
	{kind: KindCopilCancel, command: "/copil", perm: Admins, about: msgAboutCopilCancel, parse: parseCancel,
		names:    [2][]string{{"annuler"}, {"cancel"}},
		usage:    [2]string{"<JJ/MM/AAAA>", "<DD/MM/YYYY>"},
		examples: [2][]string{{"/copil annuler 15/01/2027"}, {"/copil cancel 15/01/2027"}}},
	{kind: KindCopilList, command: "/copil", about: msgAboutCopilList,
		names:    [2][]string{{"liste"}, {"list"}},
		examples: [2][]string{{"/copil liste"}, {"/copil list"}}},
	{kind: KindCopilDashboard, command: "/copil", about: msgAboutDashboard,
		names:    [2][]string{{"tableau", "bilan"}, {"dashboard"}},
		examples: [2][]string{{"/copil tableau"}, {"/copil dashboard"}}},
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

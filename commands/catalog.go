package commands

import (
	"fmt"
	"strings"
	"time"

	"github.com/tours-metropole/actionbot/store"
)

// msg is the key of one sentence of the catalogue.
type msg int

// The catalogue's keys. Every key has a text in each language (a test
// checks it).
const (
	msgNone msg = iota // no text: a row without usage
	msgInternal
	msgUnknownCommand
	msgBadNumber
	msgTooManyArgs
	msgNeedsNumber
	msgNoNumberNeeded
	msgUnknownSubSuggest
	msgUnknownSub
	msgMissingStatus
	msgUnknownStatus
	msgMissingProgress
	msgBadProgress
	msgProgressRange
	msgMissingNote
	msgMissingSearch
	msgTooManySearchWords
	msgBareMention
	msgNotAPerson
	msgBadName
	msgNameTooLong
	msgAddressOnly
	msgLabel
	msgDoneAt100
	msgNoSuchPage1
	msgNoSuchPageN
	msgListPage
	msgNextPage
	msgOlderEntries
	msgButtonNext
	msgButtonPrevious
	msgMeetingCancelPast
	msgMissingPerson
	msgOnePilote
	msgMissingPeople
	msgMissingDate
	msgBadDate
	msgNoSuchDay
	msgMissingTime
	msgBadTime
	msgUnknownFilter
	msgMissingFilterValue
	msgBadAxis
	msgBadProgramme
	msgBadPage
	msgActionNotFound
	msgEmptyPlan
	msgForbidden
	msgForbiddenAdmins
	msgUnknownGroup
	msgMeetingPast
	msgMeetingConflict
	msgMeetingNotFound
	msgUsage
	msgExamples

	msgChartTitle
	msgChartAlt
	msgChartSaved
	msgDigestUsage
	msgChartFailed
	msgConsoleWelcome
	msgHintGroupBlocked
	msgHintGroupOverdue
	msgHintGroupDueSoon
	msgHintGroupRhythm
	msgDigestMoreAmong
	msgDigestMoreChanged1
	msgDigestMoreChangedN
	msgMoreBare
	msgBadDueFilter
	msgBadRhythmFilter
	msgHintBlocked
	msgHintLate
	msgHintList
	msgHintMine

	msgDigestTitle
	msgDigestWeek
	msgDigestChanges
	msgDigestQuiet
	msgDigestOverdue
	msgDigestDueSoon
	msgDigestBlocked
	msgDigestStale
	msgDigestMore
	msgDigestAllClear
	msgReminderTitle
	msgReminderStaleSince
	msgReminderStale30
	msgReminderDMIntro
	msgReminderDMHint
	msgNudgeIntro
	msgNudgeHint
	msgReasonStale

	msgAboutCard
	msgAboutStatus
	msgAboutProgress
	msgAboutNote
	msgAboutPilote
	msgAboutContributors
	msgAboutDue
	msgAboutHistory
	msgAboutShare
	msgAboutList
	msgAboutMine
	msgAboutLate
	msgAboutSearch
	msgAboutDashboard
	msgAboutWeb
	msgAboutCheckin
	msgAboutHelp
	msgAboutCopilNext
	msgAboutCopilSchedule
	msgAboutCopilCancel
	msgAboutCopilList

	// The usage (arguments after the name) and examples of the table's
	// rows.
	msgUsageStatus
	msgUsageProgress
	msgUsageNote
	msgUsagePilote
	msgUsageContributors
	msgUsageDue
	msgUsageList
	msgUsagePage
	msgUsageSearch
	msgUsageCopilSchedule
	msgUsageCopilCancel
	msgExamplesCard
	msgExamplesStatus
	msgExamplesProgress
	msgExamplesNote
	msgExamplesPilote
	msgExamplesContributors
	msgExamplesDue
	msgExamplesHistory
	msgExamplesShare
	msgExamplesList
	msgExamplesMine
	msgExamplesLate
	msgExamplesSearch
	msgExamplesDashboard
	msgExamplesWeb
	msgExamplesCheckin
	msgExamplesHelp
	msgWebLink
	msgWebLinkLabel
	msgMailNudgeIntro
	msgWebOff
	msgExamplesCopilNext
	msgExamplesCopilSchedule
	msgExamplesCopilCancel
	msgExamplesCopilList
	msgExamplesCopilDashboard

	msgImplausibleYear
	msgFieldTwice
	msgAboutCopilHelp
	msgExamplesCopilHelp
	msgUnbalancedQuote
	msgAboutUndo
	msgExamplesUndo
	msgUndoNothing
	msgUndoChangedSince
	msgUndoTooOld
	msgUndoNoteOnly
	msgUndoNoField
	msgHomeFollowing
	msgHomeFollowingIntro
	msgHomeFollowingNone
	msgHomeFollowingMore
	msgAboutFollow
	msgExamplesFollow
	msgAboutUnfollow
	msgExamplesUnfollow
	msgAboutFollowing
	msgExamplesFollowing
	msgFollowed
	msgAlreadyFollowing
	msgUnfollowed
	msgNotFollowing
	msgFollowingTitle
	msgFollowingEmpty
	msgCardFollowers1
	msgCardFollowersN
	msgUndoUndone
	msgEntryUndo
	msgFollowDMTitle
	msgFollowDMFoot
	msgFollowDMMore1
	msgFollowDMMoreN
	msgAboutNew
	msgUsageNew
	msgExamplesNew
	msgMissingProgramme
	msgMissingTitle
	msgNewNeedsGroup
	msgUnknownProgramme
	msgForbiddenNew
	msgCreated
	msgPercent
	msgAt
	msgLongDate
	msgDayMonthYear

	msgCardTitle
	msgCardPath
	msgGroup
	msgPilote
	msgContributors
	msgStatus
	msgProgress
	msgDue
	msgNoDue
	msgNobody
	msgOverdueBy1
	msgOverdueByN
	msgDueToday
	msgDueIn1
	msgDueInN
	msgLastEntry
	msgNoJournal
	msgDemo
	msgButtonUpdate
	msgButtonHistory
	msgChangedBy
	msgNoChange
	msgHistoryTitle
	msgHistoryEmpty
	msgEntryCreated
	msgEntryChange
	msgEntryNote
	msgEntryBy
	msgListTitle
	msgListEmpty
	msgListAll
	msgMineTitle
	msgMineEmpty
	msgLateTitle
	msgLateEmpty
	msgSearchTitle
	msgSearchEmpty
	msgDashboardTitle
	msgDashboardGroupTitle
	msgTallyLine
	msgTallyLine1
	msgNumberFrom1
	msgLegend
	msgAverage
	msgOverdueCount
	msgDashboardEmpty
	msgHelpTitle
	msgHelpIntro
	msgHelpWho
	msgCopilNext
	msgCopilWhen
	msgCopilInDays1
	msgCopilInDaysN
	msgCopilToday
	msgCopilNone
	msgCopilScheduled
	msgCopilCanceled
	msgCopilListTitle
	msgCopilUpcoming
	msgCopilPast
	msgCopilListEmpty
	msgNoPlace
	msgOverdueShort
	msgDueShort

	// The modal of the « Mettre à jour » button and the App Home.
	msgModalTitle
	msgModalSubmit
	msgModalCancel
	msgModalProgressLabel
	msgModalNoteLabel
	msgModalNoteHint
	msgModalDoneAt100
	msgHomeTitle
	msgHomeIntro
	msgHomeMore
	msgButtonNew
	msgForbiddenNewAny
	msgNewModalTitle
	msgNewModalSubmit
	msgNewModalClose
	msgNewProgrammeLabel
	msgNewProgrammeHint
	msgNewProgrammeCode
	msgNewGroupLabel
	msgNewGroupHint
	msgNewGroupHelp
	msgNewTitleLabel
	msgNewTitleHint
	msgNewPiloteLabel
	msgNewDueLabel
	msgNewDueHint

	// The check-in, « Faire le point ».
	msgCheckinTitle
	msgCheckinIntro
	msgCheckinRange
	msgCheckinNextFoot
	msgCheckinLastFoot
	msgCheckinMore
	msgCheckinNothing
	msgCheckinListTitle
	msgCheckinListHint
	msgCheckinDone1
	msgCheckinDoneN
	msgCheckinUnchanged
	msgCheckinUnstored
	msgCheckinLeft
	msgButtonCheckin
	msgHomeCheckin

	// The minutes of a COPIL (PDF).
	msgMinutesTitle
	msgMinutesWhere
	msgMinutesMade
	msgMinutesPage
	msgMinutesFileName
	msgMinutesNoMeeting
	msgMinutesDecisions
	msgMinutesNoDecision
	msgMinutesColNumber
	msgMinutesColAction
	msgMinutesColDecision
	msgMinutesColState
	msgMinutesLate
	msgMinutesDashboard
	msgMinutesColScope
	msgMinutesColTotal
	msgMinutesColOverdue
	msgMinutesColAverage
	msgMinutesTotal
	msgMinutesChart
	msgMinutesBlocked
	msgMinutesOverdue
	msgMinutesNone
	msgMinutesChangesSince
	msgMinutesChangesFirst
	msgMinutesNoChange
	msgMinutesColChanges
	msgMinutesMoreChanges1
	msgMinutesMoreChangesN
	msgDecisionEntry
	msgMinutesSaved

	msgAboutRhythm
	msgUsageRhythm
	msgExamplesRhythm
	msgMissingRhythm
	msgBadRhythm
	msgRhythmDays1
	msgRhythmDaysN
	msgRhythmWeeks1
	msgRhythmWeeksN
	msgRhythmMonths1
	msgRhythmMonthsN
	msgRhythmSet
	msgRhythmGroup
	msgNextUpdate
	msgUpdateLate
	msgDays1
	msgDaysN
	msgAboutDecision
	msgUsageDecision
	msgExamplesDecision
	msgMissingDecision
	msgDecisionTooLong
	msgDecisionNoMeeting
	msgDecisionRecorded
	msgAboutDecisions
	msgUsageDecisions
	msgExamplesDecisions
	msgDecisionsTitle
	msgDecisionsNone
	msgDecisionsMore1
	msgDecisionsMoreN
	msgAboutMinutes
	msgExamplesMinutes
	msgMinutesPosted

	msgUploadFailed
	msgAlreadyPosted

	msgFollowUpTitle
	msgFollowUpNoChange
	msgFollowUpChanges
	msgFollowUpHint

	msgUpdateLateShort
	msgEscalationIntro1
	msgEscalationIntroN
	msgEscalationHint

	msgCanvasTitle
	msgCanvasAsOf
	msgCanvasNext
	msgCanvasNextWhen
	msgCanvasNoNext
	msgCanvasDecisions
	msgCanvasNoMeeting
	msgCanvasMore

	msgCount // not a key: the number of keys
)

// catalog is everything the bot says in one language.
type catalog struct {
	lang     string
	msgs     map[msg]string
	weekdays [7]string // Sunday first, as time.Weekday
	months   [12]string
	status   map[store.Status]string
	emoji    map[store.Status]string
	fields   map[string]string
	perms    map[Permission]string
	// clock writes a time of day: 14h00 in French, 14:00 in English.
	clock func(t time.Time) string
	// names is which names of the table's rows this language shows: 0
	// French, 1 English.
	names int
	// firstOfMonth writes the first day of a month in a long date (« 1er »);
	// empty writes the number.
	firstOfMonth string
	// zeroIsOne says that zero takes the singular (« 0 action »).
	zeroIsOne bool
	// outside is the wording of the web pages and e-mails (wording.go).
	outside map[string]string
}

func catalogFor(lang string) (*catalog, error) {
	switch lang {
	case "", "fr":
		return &fr, nil
	case "en":
		return &en, nil
	}
	return nil, fmt.Errorf("language %q: want \"fr\" or \"en\"", lang)
}

// t returns the sentence k as mrkdwn, its wording escaped, with its
// arguments, which must be mrkdwn already (see escape and rich).
func (c *catalog) t(k msg, args ...any) string { return c.format(k, args...) }

func (c *catalog) format(k msg, args ...any) string {
	s, ok := c.msgs[k]
	if !ok {
		return fmt.Sprintf("[%d]", k)
	}
	s = escape(s)
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// plural picks one or many by n and formats it with n first.
func (c *catalog) plural(one, many msg, n int, args ...any) string {
	k := many
	if n == 1 || (c.zeroIsOne && n == 0) {
		k = one
	}
	return c.format(k, append([]any{n}, args...)...)
}

// longDate writes « lundi 15 mars 2027 » / "Monday 15 March 2027".
func (c *catalog) longDate(d store.Date) string {
	return c.t(msgLongDate, c.weekdays[d.Weekday()], c.dayMonthYear(d))
}

// dayMonthYear writes « 15 mars 2027 » (« 1er mars 2027 ») / "15 March 2027".
func (c *catalog) dayMonthYear(d store.Date) string {
	day := fmt.Sprint(d.Day)
	if d.Day == 1 && c.firstOfMonth != "" {
		day = c.firstOfMonth
	}
	return c.t(msgDayMonthYear, day, c.months[d.Month-1], d.Year)
}

// percent writes a percentage: « 60 % », "60%".
func (c *catalog) percent(v any) string { return c.t(msgPercent, v) }

// examples lists the examples of a row.
func (c *catalog) examples(s *spec) []string { return strings.Split(c.t(s.examples), "\n") }

// short writes 15/03/2027.
func (c *catalog) short(d store.Date) string {
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
}

var fr = catalog{
	lang:         "fr",
	outside:      frOutside,
	names:        0,
	firstOfMonth: "1er",
	zeroIsOne:    true,
	weekdays:     [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
	months:       [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	status: map[store.Status]string{
		store.StatusTodo: "À lancer", store.StatusInProgress: "En cours", store.StatusBlocked: "Bloquée",
		store.StatusDone: "Terminée", store.StatusAbandoned: "Abandonnée",
	},
	emoji: statusEmoji,
	fields: map[string]string{
		store.FieldStatus: "statut", store.FieldProgress: "avancement", store.FieldPilote: "pilote",
		store.FieldContributors: "contributeurs", store.FieldDue: "échéance", store.FieldTitle: "titre",
		store.FieldDescription: "description", store.FieldProgramme: "programme", store.FieldGroup: "groupe",
		store.FieldNote: "note", store.FieldCreated: "création", store.FieldRhythm: "rythme", store.FieldDecision: "décision",
	},
	perms: map[Permission]string{
		Anyone:  "ouvert à tous",
		Editors: "réservé au pilote, aux contributeurs, aux animateurs du groupe et aux admins",
		Leads:   "réservé aux animateurs du groupe et aux admins",
		Admins:  "réservé aux admins",
	},
	clock: func(t time.Time) string { return t.Format("15h04") },
	msgs: map[msg]string{
		msgInternal:           "Désolé, une erreur interne m'empêche de répondre. Elle a été enregistrée ; réessayez dans un instant.",
		msgUnknownCommand:     "Je ne connais pas la commande %s : utilisez /action ou /copil.",
		msgBadNumber:          "« %s » n'est pas un numéro d'action : écrivez un nombre entier, par exemple /action 23.",
		msgTooManyArgs:        "Je ne sais pas quoi faire de « %s ».",
		msgNeedsNumber:        "« %s » s'applique à une action : indiquez son numéro avant, par exemple /action 23 %[1]s …",
		msgNoNumberNeeded:     "« %s » ne prend pas de numéro d'action.",
		msgUnknownSubSuggest:  "Je ne connais pas « %[1]s ». Vouliez-vous dire « %[2]s » ? Tapez %[4]s aide pour la liste des commandes.",
		msgUnknownSub:         "Je ne connais pas « %s ». Tapez %s aide pour la liste des commandes.",
		msgMissingStatus:      "Quel statut ? Choisissez parmi : à lancer, en cours, bloquée, terminée, abandonnée.",
		msgUnknownStatus:      "« %s » n'est pas un statut. Choisissez parmi : à lancer, en cours, bloquée, terminée, abandonnée.",
		msgMissingProgress:    "Quel avancement ? Donnez un pourcentage entre 0 et 100, par exemple 60.",
		msgBadProgress:        "« %s » n'est pas un avancement : donnez un nombre entier entre 0 et 100, par exemple 60 ou 60%%.",
		msgProgressRange:      "L'avancement doit être entre 0 et 100 (vous avez écrit %d).",
		msgMissingNote:        "La note est vide : écrivez le texte après « note ».",
		msgMissingSearch:      "Que faut-il chercher ? Écrivez un ou plusieurs mots après « cherche ».",
		msgTooManySearchWords: "Cherchez avec moins de mots : %d au plus (chaque mot doit se trouver dans l'action).",
		msgBareMention:        "« %s » n'est pas reconnu comme une personne : choisissez-la dans la liste que Slack propose quand vous tapez @, ou écrivez un nom entre guillemets.",
		msgNotAPerson:         "« %s » n'est pas une personne : mentionnez quelqu'un avec @ ou écrivez un nom entre guillemets.",
		msgBadName:            "« %s » ne peut pas être un nom : pour une personne sur Slack, choisissez-la avec @ ; un nom ne commence pas par « < », ne contient pas de « ; » et ne finit pas par une mention.",
		msgNameTooLong:        "Ce nom est trop long : %d caractères au plus.",
		msgAddressOnly:        "« %s » : une adresse e-mail ne s'écrit pas seule. Écrivez le nom de l'organisation ou de la personne, puis l'adresse entre < et >, le tout entre guillemets : \"CCI Touraine <contact@cci-touraine.example>\" (seul le nom sera affiché).",
		msgLabel:              "%s : %s",
		msgDoneAt100:          "L'action %d est terminée, donc à 100 %% : pour changer son avancement, changez d'abord son statut (/action %[1]d statut en cours).",
		msgNoSuchPage1:        "Il n'y a pas de page %[2]d : tout tient en une page.",
		msgNoSuchPageN:        "Il n'y a pas de page %[2]d : il y en a %[1]d.",
		msgListPage:           "%d à %d sur %d · page %d sur %d",
		msgNextPage:           "page suivante : %s",
		msgOlderEntries:       "entrées plus anciennes : %s",
		msgButtonNext:         "Suivant",
		msgButtonPrevious:     "Précédent",
		msgMeetingCancelPast:  "Le COPIL du %s a déjà eu lieu : il reste dans l'historique et ne peut plus être annulé.",
		msgMissingPerson:      "Qui ? Mentionnez une personne avec @ ou écrivez un nom entre guillemets, par exemple \"CCI Touraine\".",
		msgOnePilote:          "Une action a un seul pilote (vous en avez donné %d).",
		msgMissingPeople:      "Qui ? Mentionnez les contributeurs avec @, écrivez des noms entre guillemets, ou « aucun » pour les retirer.",
		msgMissingDate:        "Quelle date ? Écrivez-la JJ/MM/AAAA, par exemple 15/03/2027.",
		msgBadDate:            "« %s » n'est pas une date : écrivez JJ/MM/AAAA (15/03/2027), JJ/MM (15/03) ou AAAA-MM-JJ.",
		msgNoSuchDay:          "Le %s n'existe pas dans le calendrier : vérifiez le jour et le mois.",
		msgMissingTime:        "À quelle heure ? Écrivez-la après la date, par exemple 14h00.",
		msgBadTime:            "« %s » n'est pas une heure : écrivez 14h00, 14h ou 14:00.",
		msgUnknownFilter:      "« %s » n'est pas un filtre. Filtres possibles : axe, programme, groupe, statut, pilote, échéance, rythme, page.",
		msgMissingFilterValue: "Le filtre « %s » attend une valeur, par exemple « axe 2 ».",
		msgBadAxis:            "« %s » n'est pas un axe : écrivez socle, 1, 2, 3 ou 4.",
		msgBadProgramme:       "« %s » n'est pas un programme : écrivez son code, par exemple 2.1 ou S.3.",
		msgBadPage:            "« %s » n'est pas un numéro de page : écrivez un nombre entier à partir de 1.",
		msgActionNotFound:     "Il n'y a pas d'action %d : les actions vont de %d à %d.",
		msgEmptyPlan:          "Le plan est vide : un admin doit d'abord l'importer (actionbot import plan.xlsx).",
		msgForbidden:          "Vous ne pouvez pas faire cela sur l'action %d : c'est %s.",
		msgForbiddenAdmins:    "Vous ne pouvez pas utiliser cette commande : elle est réservée aux admins.",
		msgUnknownGroup:       "Je ne connais pas le groupe « %s ». Groupes : %s.",
		msgMeetingPast:        "Le %s à %s est déjà passé : choisissez une date à venir.",
		msgMeetingConflict:    "Un COPIL est déjà prévu le %s : annulez-le d'abord (/copil annuler %s).",
		msgMeetingNotFound:    "Aucun COPIL n'est prévu le %s : tapez /copil liste pour voir les dates.",
		msgUsage:              "Syntaxe :",
		msgExamples:           "Exemples :",
		msgChartTitle:         "Avancement du plan par axe — %s",
		msgChartAlt:           "Graphique en barres : pour le socle et chaque axe, le nombre d'actions par statut et l'avancement moyen, au %s.",
		msgChartSaved:         "Graphique « Avancement du plan par axe » enregistré dans %s",
		msgHintGroupBlocked:   "`/action liste groupe %s statut bloquée`",
		msgHintGroupOverdue:   "`/action liste groupe %s échéance dépassée`",
		msgHintGroupDueSoon:   "`/action liste groupe %s échéance proche`",
		msgHintGroupRhythm:    "`/action liste groupe %s rythme dépassé`",
		msgDigestMoreAmong:    "… et %d de plus, à retrouver dans %s",
		msgDigestMoreChanged1: "… et %d autre action modifiée cette semaine : son détail avec `/action <N> historique`.",
		msgDigestMoreChangedN: "… et %d autres actions modifiées cette semaine : le détail de chacune avec `/action <N> historique`.",
		msgMoreBare:           "… et %d de plus.",
		msgBadDueFilter:       "« %s » : le filtre échéance prend « dépassée » (les actions en retard) ou « proche » (à échéance dans les 14 jours).",
		msgBadRhythmFilter:    "« %s » : le filtre rythme prend « dépassé » (les actions dont le point est attendu).",
		msgHintBlocked:        "`/action liste statut bloquée`",
		msgHintLate:           "`/action retard`",
		msgHintList:           "`/action liste`",
		msgHintMine:           "`/action mes`",
		msgConsoleWelcome:     "actionbot démo — plan de démonstration en mémoire, vous êtes %s. Tapez /action 23, /action aide, /copil, digest prospection, rappel-copil, tableau, decision 23 …, releve, compte-rendu ; Ctrl-D pour quitter.",
		msgChartFailed:        "Je n'ai pas pu publier le graphique dans ce canal. S'il est privé, invitez-moi d'abord : /invite @actionbot. Sinon, réessayez dans un instant.",
		msgDigestUsage:        "De quel groupe ? Par exemple : digest prospection (groupes : parcours-client, prospection, ambassadeurs, outils-numeriques).",
		msgDigestTitle:        "Point hebdomadaire · %s",
		msgDigestWeek:         "Du %s au %s",
		msgDigestChanges:      "Cette semaine",
		msgDigestQuiet:        "Semaine calme : aucune action du groupe n'a été mise à jour ces 7 derniers jours.",
		msgDigestOverdue:      "En retard",
		msgDigestDueSoon:      "À échéance dans les 14 jours",
		msgDigestBlocked:      "Bloquées",
		msgDigestStale:        "Point attendu, rythme de mise à jour dépassé",
		msgDigestMore:         "… et %d de plus : %s",
		msgDigestAllClear:     "Rien en retard, rien de bloqué, rien à échéance dans les 14 jours.",
		msgReminderTitle:      "Rappel : COPIL %s",
		msgReminderStaleSince: "Sans mise à jour depuis le COPIL du %s",
		msgNumberFrom1:        "Il n'y a pas d'action 0 : les actions sont numérotées à partir de 1, par exemple /action 23.",
		msgLegend:             "Légende : %s",
		msgReminderStale30:    "Sans mise à jour depuis 30 jours",
		msgReminderDMIntro:    "Le COPIL approche : %s. Vos actions à mettre à jour avant la réunion :",
		msgReminderDMHint:     "Une commande suffit, depuis n'importe quel canal : `/action %d avancement 60`, `/action %[1]d note …`",
		msgNudgeIntro:         "Bonjour ! Ces actions dont vous êtes pilote sont en retard ou attendent un point :",
		msgNudgeHint:          "Mettez-les à jour en une ligne, par exemple `/action %d statut terminée`, ou donnez une nouvelle échéance : `/action %[1]d échéance 15/03`",
		msgReasonStale:        "pas de mise à jour depuis le %s",

		msgAboutCard:          "la fiche de l'action : pilote, statut, avancement, échéance",
		msgAboutStatus:        "change le statut ; avec d'autres champs (avancement, échéance, pilote, contributeurs, puis note) en une commande",
		msgAboutProgress:      "change l'avancement",
		msgAboutNote:          "ajoute une note au journal",
		msgAboutPilote:        "change le pilote",
		msgAboutContributors:  "remplace les contributeurs",
		msgAboutDue:           "change ou retire l'échéance",
		msgAboutHistory:       "les 10 dernières entrées du journal",
		msgAboutShare:         "publie la fiche dans le canal pour tous",
		msgAboutList:          "les actions, filtrées",
		msgAboutMine:          "mes actions (pilote ou contributeur), en retard d'abord",
		msgAboutLate:          "les actions en retard, les plus en retard d'abord",
		msgAboutSearch:        "cherche dans les titres, descriptions et notes",
		msgAboutDashboard:     "l'avancement du plan par axe et programme",
		msgAboutWeb:           "votre lien personnel vers le plan sur le web, valable 12 heures",
		msgAboutCheckin:       "faire le point : un seul formulaire pour mettre à jour d'un coup vos actions qui attendent des nouvelles (en retard, point attendu, inchangées depuis le dernier COPIL)",
		msgAboutHelp:          "cette aide",
		msgAboutCopilNext:     "le prochain COPIL et le tableau de bord",
		msgAboutCopilSchedule: "ajoute un COPIL",
		msgAboutCopilCancel:   "annule un COPIL",
		msgAboutCopilList:     "les COPIL à venir et passés",

		msgUsageStatus:            "<à lancer|en cours|bloquée|terminée|abandonnée>",
		msgUsageProgress:          "<0-100>",
		msgUsageNote:              "<texte>",
		msgUsagePilote:            `<@personne | "Organisation">`,
		msgUsageContributors:      `<@a @b "Organisation"… | aucun>`,
		msgUsageDue:               "<JJ/MM/AAAA | JJ/MM | AAAA-MM-JJ | aucune>",
		msgUsageList:              "[axe N] [programme N.N] [groupe G] [statut S] [pilote P] [échéance dépassée|proche] [rythme dépassé] [page N]",
		msgUsagePage:              "[page N]",
		msgUsageSearch:            "<mots> [page N]",
		msgUsageCopilSchedule:     "<JJ/MM/AAAA> <14h00> [lieu]",
		msgUsageCopilCancel:       "<JJ/MM/AAAA>",
		msgExamplesCard:           "/action 23",
		msgExamplesStatus:         "/action 23 statut en cours\n/action 23 statut en cours avancement 55 note Point fait avec la CCI",
		msgExamplesProgress:       "/action 23 avancement 60\n/action 23 avancement 60%",
		msgExamplesNote:           "/action 23 note Rencontre avec Dev'Up le 12/01",
		msgExamplesPilote:         "/action 23 pilote @Marie\n/action 23 pilote \"CCI Touraine\"",
		msgExamplesContributors:   "/action 23 contributeurs @Paul @Sophie \"Université de Tours\"",
		msgExamplesDue:            "/action 23 échéance 15/03/2027\n/action 23 échéance aucune",
		msgExamplesHistory:        "/action 23 historique\n/action 23 historique page 2",
		msgExamplesShare:          "/action 23 partager",
		msgExamplesList:           "/action liste axe 2\n/action liste groupe prospection statut bloquée\n/action liste groupe prospection échéance proche",
		msgExamplesMine:           "/action mes",
		msgExamplesLate:           "/action retard",
		msgExamplesSearch:         "/action cherche ambassadeurs\n/action cherche de page 2",
		msgExamplesDashboard:      "/action tableau",
		msgExamplesWeb:            "/action web",
		msgExamplesCheckin:        "/action point",
		msgExamplesHelp:           "/action aide",
		msgWebLink:                ":link: %s — votre lien personnel, en lecture seule, valable jusqu'à %s. Ne le transmettez pas : pour un partenaire, un admin fait un lien à son nom (`actionbot share`).",
		msgWebLinkLabel:           "Le plan sur le web",
		msgMailNudgeIntro:         "Ces actions du plan d'attractivité dont %s est pilote ou contributeur sont en retard ou attendent un point :",
		msgWebOff:                 "Le plan n'est pas publié sur le web : un admin doit régler `web.base_url`.",
		msgExamplesCopilNext:      "/copil",
		msgExamplesCopilSchedule:  "/copil planifier 15/01/2027 14h00 Hôtel de Métropole",
		msgExamplesCopilCancel:    "/copil annuler 15/01/2027",
		msgExamplesCopilList:      "/copil liste",
		msgExamplesCopilDashboard: "/copil tableau",

		msgImplausibleYear:    "« %s » : l'année %d semble une faute de frappe (écrivez une date entre %d et %d).",
		msgFieldTwice:         "« %s » est donné deux fois : chaque champ une seule fois par commande.",
		msgAboutCopilHelp:     "les commandes de /copil",
		msgAboutUndo:          "annule votre dernière modification de l'action (tous les champs d'une commande), dans les 15 minutes et si personne ne l'a modifiée depuis",
		msgExamplesUndo:       "/action 23 annuler",
		msgAboutNew:           "crée une action dans un programme, pilotée par vous, au numéro suivant ; le groupe peut manquer si toutes les actions du programme sont du même groupe",
		msgUsageNew:           "<programme> [groupe G] <titre>",
		msgExamplesNew:        "/action nouvelle 1.2 groupe prospection Guichet unique des entreprises",
		msgMissingProgramme:   "Dans quel programme ? Écrivez son code puis le titre, par exemple /action nouvelle 1.2 Guichet unique des entreprises.",
		msgMissingTitle:       "Quel titre ? Écrivez-le après le programme (et le groupe).",
		msgNewNeedsGroup:      "Les actions du programme %s ne sont pas toutes du même groupe : précisez-le, par exemple groupe prospection.",
		msgUnknownProgramme:   "Il n'y a pas de programme %s : tapez /action tableau pour voir les programmes.",
		msgForbiddenNew:       "Vous ne pouvez pas créer d'action dans le groupe %s : c'est réservé à ses animateurs et aux admins.",
		msgCreated:            "Action %d créée :",
		msgUndoNothing:        "Vous n'avez rien modifié sur l'action %d : il n'y a rien à annuler.",
		msgUndoChangedSince:   "L'action %d a été modifiée depuis par %s : votre modification ne peut plus être annulée. Remettez la valeur voulue par une commande.",
		msgUndoTooOld:         "Votre dernière modification de l'action %d date de plus de %d minutes (%s) : elle ne peut plus être annulée. Remettez la valeur voulue par une commande.",
		msgUndoNoteOnly:       "Votre dernière modification de l'action %d est une note : elle reste au journal. Ajoutez une note qui la corrige.",
		msgUndoNoField:        "Votre dernière modification de l'action %d — un rythme, une décision du COPIL ou sa création — ne s'annule pas : annuler remet un statut, un avancement, un pilote, des contributeurs ou une échéance. Pour un rythme, écrivez celui que vous voulez, par exemple /action %d rythme 1 mois.",
		msgHomeFollowing:      "Actions suivies",
		msgHomeFollowingIntro: "Actions que vous suivez : %d. Un message privé vous dit ce que d'autres y changent.",
		msgHomeFollowingNone:  "Vous ne suivez aucune action. Pour savoir par message privé ce que d'autres changent à une action : /action 23 suivre.",
		msgHomeFollowingMore:  "… et %d de plus : tapez /action suivies pour la liste complète.",
		msgAboutFollow:        "vous envoie un message privé pour chaque changement que d'autres font à l'action (ceux d'une même minute ensemble)",
		msgExamplesFollow:     "/action 23 suivre",
		msgAboutUnfollow:      "arrête ces messages privés",
		msgExamplesUnfollow:   "/action 23 ne plus suivre",
		msgAboutFollowing:     "les actions que vous suivez",
		msgExamplesFollowing:  "/action suivies",
		msgFollowed:           "Vous suivez l'action %d : un message privé vous dira ce que d'autres y changent. Pour arrêter : /action %d ne plus suivre.",
		msgAlreadyFollowing:   "Vous suivez déjà l'action %d. Pour arrêter : /action %d ne plus suivre.",
		msgUnfollowed:         "Vous ne suivez plus l'action %d : plus de message privé sur ses changements.",
		msgNotFollowing:       "Vous ne suiviez pas l'action %d : rien à changer. Pour la suivre : /action %d suivre.",
		msgFollowingTitle:     "Actions suivies : %d",
		msgFollowingEmpty:     "Vous ne suivez aucune action. Pour en suivre une : /action 23 suivre.",
		msgCardFollowers1:     "Suivie par %d personne",
		msgCardFollowersN:     "Suivie par %d personnes",
		msgUndoUndone:         "Rien à annuler sur l'action %d : votre dernière modification (%s) est elle-même une annulation, et une annulation ne s'annule pas. Pour remettre une valeur, écrivez-la, par exemple /action %d avancement 40.",
		msgEntryUndo:          "(annulation)",
		msgFollowDMTitle:      "Changements sur les actions que vous suivez, %s :",
		msgFollowDMFoot:       "Pour ne plus suivre l'action %d : /action %d ne plus suivre · les actions que vous suivez : /action suivies",
		msgFollowDMMore1:      "… et %d autre action changée dans la même minute : /action suivies pour la voir.",
		msgFollowDMMoreN:      "… et %d autres actions changées dans la même minute : /action suivies pour les voir.",
		msgExamplesCopilHelp:  "/copil aide",
		msgUnbalancedQuote:    "Le guillemet %s de « %s » n'est pas fermé : écrivez le nom entre deux guillemets, par exemple \"CCI Touraine\" ou « CCI Touraine ».",
		msgPercent:            "%v %%",
		msgAt:                 "%s à %s",
		msgLongDate:           "%s %s",
		msgDayMonthYear:       "%s %s %d",

		msgCardTitle:           "Action %d · %s",
		msgCardPath:            "%s › %s %s",
		msgGroup:               "Groupe",
		msgPilote:              "Pilote",
		msgContributors:        "Contributeurs",
		msgStatus:              "Statut",
		msgProgress:            "Avancement",
		msgDue:                 "Échéance",
		msgNoDue:               "aucune",
		msgNobody:              "aucun",
		msgOverdueBy1:          "en retard de %d jour",
		msgOverdueByN:          "en retard de %d jours",
		msgDueToday:            "aujourd'hui",
		msgDueIn1:              "dans %d jour",
		msgDueInN:              "dans %d jours",
		msgLastEntry:           "Dernière mise à jour : %s",
		msgNoJournal:           "Pas encore de journal.",
		msgDemo:                "Plan de démonstration — le vrai plan s'importe dans une base neuve (actionbot import plan.xlsx).",
		msgButtonUpdate:        "Mettre à jour",
		msgButtonHistory:       "Historique",
		msgChangedBy:           "C'est noté pour l'action %d :",
		msgNoChange:            "Rien n'a changé : l'action %d était déjà ainsi.",
		msgHistoryTitle:        "Historique de l'action %d · %s",
		msgHistoryEmpty:        "Le journal de l'action %d est vide.",
		msgEntryCreated:        "création de l'action",
		msgEntryChange:         "%s : %s → %s",
		msgEntryNote:           "note : « %s »",
		msgEntryBy:             "%s, %s",
		msgListTitle:           "Actions : %d",
		msgListEmpty:           "Aucune action ne correspond à ces filtres.",
		msgListAll:             "%d sur %d",
		msgMineTitle:           "Vos actions : %d",
		msgMineEmpty:           "Vous n'êtes ni pilote ni contributeur d'aucune action.",
		msgLateTitle:           "Actions en retard : %d",
		msgLateEmpty:           "Aucune action en retard. Bravo !",
		msgSearchTitle:         "Recherche « %s » : %d",
		msgSearchEmpty:         "Rien ne correspond à « %s ».",
		msgDashboardTitle:      "Tableau de bord du plan · %s",
		msgDashboardGroupTitle: "Tableau de bord du groupe %s · %s",
		msgTallyLine1:          "%d action · moy. %d %%",
		msgTallyLine:           "%d actions · moy. %d %%",
		msgAverage:             "moy. %d %%",
		msgOverdueCount:        "%d en retard",
		msgDashboardEmpty:      "Le plan ne compte encore aucune action.",
		msgHelpTitle:           "Ce que je comprends",
		msgHelpIntro:           "Les commandes acceptent majuscules et accents indifféremment ; les noms anglais marchent aussi. Les réponses ne sont visibles que par vous, sauf « partager » et « /copil tableau », publiés dans le canal avec le graphique, et « /copil compte-rendu », qui y dépose le PDF.",
		msgHelpWho:             "%s",
		msgCopilNext:           "Prochain COPIL : %s",
		msgCopilWhen:           "%s à %s · %s",
		msgCopilInDays1:        "dans %d jour",
		msgCopilInDaysN:        "dans %d jours",
		msgCopilToday:          "aujourd'hui",
		msgCopilNone:           "Aucun COPIL n'est planifié. Un admin peut en ajouter un : /copil planifier 15/01/2027 14h00 Hôtel de Métropole",
		msgCopilScheduled:      "COPIL planifié : %s",
		msgCopilCanceled:       "COPIL du %s annulé.",
		msgCopilListTitle:      "COPIL",
		msgCopilUpcoming:       "À venir",
		msgCopilPast:           "Passés",
		msgCopilListEmpty:      "aucun",
		msgNoPlace:             "lieu à préciser",
		msgOverdueShort:        "en retard",
		msgDueShort:            "échéance %s",

		msgModalTitle:          "Action %d",
		msgModalSubmit:         "Enregistrer",
		msgModalCancel:         "Annuler",
		msgModalProgressLabel:  "Avancement (de 0 à 100)",
		msgModalNoteLabel:      "Note au journal",
		msgModalNoteHint:       "Ce qui a avancé, ce qui bloque, la prochaine étape.",
		msgModalDoneAt100:      "Une action terminée est à %d %% : indiquez %[1]d ou choisissez un autre statut.",
		msgHomeTitle:           "Mes actions",
		msgHomeIntro:           "Les actions dont vous êtes pilote ou contributeur : %d, les retards d'abord.",
		msgHomeMore:            "… et %d de plus : tapez /action mes pour la liste complète.",
		msgCheckinTitle:        "Faire le point",
		msgCheckinIntro:        "Actions qui attendent de vos nouvelles : %d. Changez ce qui a bougé ; une note seule compte aussi comme un point.",
		msgCheckinRange:        "Actions %d à %d sur %d.",
		msgCheckinNextFoot:     "« Suivant » enregistre cette page, puis montre la suite (%d actions de plus).",
		msgCheckinLastFoot:     "« Enregistrer » enregistre vos réponses ; vous recevrez un résumé de ce qui a été noté.",
		msgCheckinMore:         "%d autres actions attendent aussi : refaites /action point ensuite.",
		msgCheckinNothing:      "Rien à mettre à jour : aucune de vos actions n'est en retard ni n'attend de nouvelles.",
		msgCheckinListTitle:    "Faire le point — actions qui attendent de vos nouvelles : %d",
		msgCheckinListHint:     "Une commande par action suffit : `/action %d statut en cours avancement 60 note …` (dans Slack, `/action point` ouvre un formulaire pour toutes à la fois).",
		msgCheckinDone1:        "Point enregistré pour %d action :",
		msgCheckinDoneN:        "Point enregistré pour %d actions :",
		msgCheckinUnchanged:    "Rien n'a changé, donc rien n'a été enregistré : une note suffit pour compter comme un point.",
		msgCheckinUnstored:     "Pas enregistré — voici ce que vous aviez écrit :",
		msgCheckinLeft:         "Restent %d actions à voir : /action point pour reprendre.",
		msgButtonCheckin:       "Faire le point",
		msgHomeCheckin:         "Actions qui attendent de vos nouvelles : %d.",
		msgButtonNew:           "Nouvelle action",
		msgForbiddenNewAny:     "Vous ne pouvez pas créer d'action : c'est réservé aux animateurs des groupes et aux admins.",
		msgNewModalTitle:       "Nouvelle action",
		msgNewModalSubmit:      "Créer",
		msgNewModalClose:       "Fermer",
		msgNewProgrammeLabel:   "Programme",
		msgNewProgrammeHint:    "Choisissez un programme",
		msgNewProgrammeCode:    "Son code, par exemple 1.2",
		msgNewGroupLabel:       "Groupe de travail",
		msgNewGroupHint:        "Choisissez un groupe",
		msgNewGroupHelp:        "Facultatif quand toutes les actions du programme sont du même groupe.",
		msgNewTitleLabel:       "Titre",
		msgNewTitleHint:        "Par exemple : Guichet unique des entreprises",
		msgNewPiloteLabel:      "Pilote",
		msgNewDueLabel:         "Échéance",
		msgNewDueHint:          "Aucune",
		msgMinutesTitle:        "Compte rendu du COPIL du %s",
		msgMinutesWhere:        "%s · %s",
		msgMinutesMade:         "Établi le %s",
		msgMinutesPage:         "Page %d sur %s",
		msgMinutesFileName:     "compte-rendu-copil-%s.pdf",
		msgMinutesNoMeeting:    "Aucun COPIL n'a encore eu lieu : il n'y a pas de compte rendu à faire. Tapez /copil liste pour voir les dates.",
		msgMinutesDecisions:    "Décisions du COPIL",
		msgMinutesNoDecision:   "Aucune décision n'a été enregistrée pour ce COPIL.",
		msgMinutesColNumber:    "N°",
		msgMinutesColAction:    "Action",
		msgMinutesColDecision:  "Décision",
		msgMinutesColState:     "État aujourd'hui",
		msgMinutesLate:         "en retard (échéance %s)",
		msgMinutesDashboard:    "Tableau de bord par axe et programme au %s",
		msgMinutesColScope:     "Axe / programme",
		msgMinutesColTotal:     "Actions",
		msgMinutesColOverdue:   "En retard",
		msgMinutesColAverage:   "Avancement moyen",
		msgMinutesTotal:        "Ensemble du plan",
		msgMinutesChart:        "Avancement du plan par axe",
		msgMinutesBlocked:      "Actions bloquées (%d)",
		msgMinutesOverdue:      "Actions en retard (%d)",
		msgMinutesNone:         "Aucune.",
		msgMinutesChangesSince: "Ce qui a changé depuis le COPIL du %s",
		msgMinutesChangesFirst: "Ce qui a changé avant ce COPIL",
		msgMinutesNoChange:     "Aucun changement.",
		msgMinutesColChanges:   "Changements",
		msgMinutesMoreChanges1: "… et %d autre action modifiée : l'export du plan (actionbot export) en donne le journal complet.",
		msgMinutesMoreChangesN: "… et %d autres actions modifiées : l'export du plan (actionbot export) en donne le journal complet.",
		msgDecisionEntry:       "Décision du COPIL du %s : %s",
		msgMinutesSaved:        "Compte rendu écrit dans %s",
		msgUpdateLateShort:     "point attendu depuis le %s (%s)",
		msgEscalationIntro1:    "Groupe %[2]s : %[1]d action sans point depuis plus de deux fois son rythme de mise à jour. Un mot à son pilote ?",
		msgEscalationIntroN:    "Groupe %[2]s : %[1]d actions sans point depuis plus de deux fois leur rythme de mise à jour. Un mot à leurs pilotes ?",
		msgEscalationHint:      "Les pilotes reçoivent déjà chaque semaine la liste de leurs actions à mettre à jour.",
		msgFollowUpTitle:       "Suivi des décisions du COPIL du %s",
		msgFollowUpNoChange:    "Rien n'a changé depuis.",
		msgFollowUpChanges:     "Depuis : %s",
		msgFollowUpHint:        "/copil releve les donne toutes",
		msgUploadFailed:        "Je n'ai pas pu déposer le fichier dans ce canal : invitez-moi dans le canal (/invite @actionbot), puis réessayez.",
		msgAlreadyPosted:       "Déjà publié il y a %d s dans ce canal : une publication par minute et par personne. Réessayez dans un instant.",
		msgAboutRhythm:         "le rythme attendu des mises à jour de l'action ; « aucun » le remet à celui de son groupe",
		msgUsageRhythm:         "<14j | 2 semaines | 1 mois | aucun>",
		msgExamplesRhythm:      "/action 23 rythme 14j\n/action 23 rythme 1 mois\n/action 23 rythme aucun",
		msgMissingRhythm:       "Quel rythme ? Donnez un nombre de jours, de semaines ou de mois, par exemple 14j, 2 semaines ou 1 mois ; « aucun » remet celui du groupe.",
		msgBadRhythm:           "« %s » n'est pas un rythme : écrivez par exemple 14j, 2 semaines ou 1 mois (au plus deux ans).",
		msgRhythmDays1:         "%d jour",
		msgRhythmDaysN:         "%d jours",
		msgRhythmWeeks1:        "%d semaine",
		msgRhythmWeeksN:        "%d semaines",
		msgRhythmMonths1:       "%d mois",
		msgRhythmMonthsN:       "%d mois",
		msgRhythmSet:           "Rythme de l'action %d : %s entre deux points.",
		msgRhythmGroup:         "Rythme de l'action %d : celui de son groupe, %s entre deux points.",
		msgNextUpdate:          ":calendar: Prochain point attendu le %s (rythme : %s)",
		msgUpdateLate:          ":hourglass: Point attendu depuis le %s (%s)",
		msgDays1:               "%d jour",
		msgDaysN:               "%d jours",
		msgAboutDecision:       "enregistre une décision du COPIL sur une action (celui du jour, sinon le dernier tenu)",
		msgUsageDecision:       "<N> <texte>",
		msgExamplesDecision:    "/copil decision 23 Étendre le guichet unique à Amboise",
		msgMissingDecision:     "Quelle décision ? Écrivez le numéro de l'action puis la décision, par exemple /copil decision 23 Étendre à Amboise.",
		msgDecisionTooLong:     "Une décision tient en %d caractères au plus : résumez-la, et ajoutez le détail en note sur l'action.",
		msgDecisionNoMeeting:   "Aucun COPIL ne s'est encore tenu : une décision appartient au COPIL du jour ou au dernier tenu. Tapez /copil liste pour voir les dates.",
		msgDecisionRecorded:    ":memo: Décision du COPIL du %s enregistrée sur l'action %d · %s :\n> %s",
		msgAboutDecisions:      "les décisions du dernier COPIL (ou de celui de cette date), par action, avec l'état de chacune aujourd'hui",
		msgUsageDecisions:      "[JJ/MM/AAAA]",
		msgExamplesDecisions:   "/copil releve\n/copil releve 15/01/2027",
		msgDecisionsTitle:      "Décisions du COPIL du %s",
		msgDecisionsNone:       "Aucune décision n'a été enregistrée pour ce COPIL. Un animateur ou un admin en ajoute une avec /copil decision 23 <texte>.",
		msgDecisionsMore1:      "… et %d autre action : le compte rendu (/copil compte-rendu) les donne toutes.",
		msgDecisionsMoreN:      "… et %d autres actions : le compte rendu (/copil compte-rendu) les donne toutes.",
		msgAboutMinutes:        "poste dans le canal le compte rendu du dernier COPIL (ou de celui de cette date), en PDF",
		msgExamplesMinutes:     "/copil compte-rendu\n/copil compte-rendu 15/01/2027",
		msgMinutesPosted:       ":page_facing_up: Compte rendu du COPIL du %s : le PDF suit dans le canal.",
		msgCanvasTitle:         "Tableau de bord du plan",
		msgCanvasAsOf:          "État au %s. Ce canevas est tenu à jour par le bot : ce qui y est écrit à la main est remplacé au prochain changement du plan.",
		msgCanvasNext:          "Prochain COPIL",
		msgCanvasNextWhen:      "%s à %s · %s",
		msgCanvasNoNext:        "Aucun COPIL n'est programmé : un admin en ajoute un avec /copil planifier.",
		msgCanvasDecisions:     "Décisions du COPIL du %s",
		msgCanvasNoMeeting:     "Aucun COPIL n'a encore eu lieu.",
		msgCanvasMore:          "… et %d de plus : /action liste les donne toutes.",
	},
}

var en = catalog{
	outside:  enOutside,
	lang:     "en",
	names:    1,
	weekdays: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	months:   [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	status: map[store.Status]string{
		store.StatusTodo: "To do", store.StatusInProgress: "In progress", store.StatusBlocked: "Blocked",
		store.StatusDone: "Done", store.StatusAbandoned: "Abandoned",
	},
	emoji: statusEmoji,
	fields: map[string]string{
		store.FieldStatus: "status", store.FieldProgress: "progress", store.FieldPilote: "owner",
		store.FieldContributors: "contributors", store.FieldDue: "due date", store.FieldTitle: "title",
		store.FieldDescription: "description", store.FieldProgramme: "programme", store.FieldGroup: "group",
		store.FieldNote: "note", store.FieldCreated: "creation", store.FieldRhythm: "rhythm", store.FieldDecision: "decision",
	},
	perms: map[Permission]string{
		Anyone:  "open to all",
		Editors: "for the owner, contributors, the group's leads and admins",
		Leads:   "for the group's leads and admins",
		Admins:  "for admins",
	},
	clock: func(t time.Time) string { return t.Format("15:04") },
	msgs: map[msg]string{
		msgInternal:           "Sorry, an internal error stops me from answering. It has been logged; please try again in a moment.",
		msgUnknownCommand:     "I don't know the command %s: use /action or /copil.",
		msgBadNumber:          "“%s” is not an action number: write a whole number, for example /action 23.",
		msgTooManyArgs:        "I don't know what to do with “%s”.",
		msgNeedsNumber:        "“%s” applies to an action: put its number first, for example /action 23 %[1]s …",
		msgNoNumberNeeded:     "“%s” takes no action number.",
		msgUnknownSubSuggest:  "I don't know “%[1]s”. Did you mean “%[3]s”? Type %[4]s help for the list of commands.",
		msgUnknownSub:         "I don't know “%s”. Type %s help for the list of commands.",
		msgMissingStatus:      "Which status? Choose one of: to do, in progress, blocked, done, abandoned.",
		msgUnknownStatus:      "“%s” is not a status. Choose one of: to do, in progress, blocked, done, abandoned.",
		msgMissingProgress:    "What progress? Give a percentage from 0 to 100, for example 60.",
		msgBadProgress:        "“%s” is not a progress: give a whole number from 0 to 100, for example 60 or 60%%.",
		msgProgressRange:      "Progress must be between 0 and 100 (you wrote %d).",
		msgMissingNote:        "The note is empty: write its text after “note”.",
		msgMissingSearch:      "What should I look for? Write one or more words after “search”.",
		msgTooManySearchWords: "Search with fewer words: %d at most (each word must be in the action).",
		msgBareMention:        "“%s” is not recognised as a person: pick them from the list Slack shows when you type @, or write a name in quotes.",
		msgNotAPerson:         "“%s” is not a person: mention someone with @ or write a name in quotes.",
		msgBadName:            "“%s” cannot be a name: for someone on Slack, pick them with @; a name does not start with “<”, contain “;” nor end with a mention.",
		msgNameTooLong:        "This name is too long: %d characters at most.",
		msgAddressOnly:        "“%s”: an e-mail address is not written alone. Write the name of the organisation or person, then the address between < and >, all in quotes: \"CCI Touraine <contact@cci-touraine.example>\" (only the name is shown).",
		msgLabel:              "%s: %s",
		msgDoneAt100:          "Action %d is done, hence at 100%%: to change its progress, change its status first (/action %[1]d status in progress).",
		msgNoSuchPage1:        "There is no page %[2]d: it all fits on one page.",
		msgNoSuchPageN:        "There is no page %[2]d: there are %[1]d.",
		msgListPage:           "%d to %d of %d · page %d of %d",
		msgNextPage:           "next page: %s",
		msgOlderEntries:       "older entries: %s",
		msgButtonNext:         "Next",
		msgButtonPrevious:     "Previous",
		msgMeetingCancelPast:  "The COPIL of %s has taken place: it stays on record and can no longer be canceled.",
		msgMissingPerson:      "Who? Mention a person with @ or write a name in quotes, for example \"CCI Touraine\".",
		msgOnePilote:          "An action has exactly one owner (you gave %d).",
		msgMissingPeople:      "Who? Mention contributors with @, write names in quotes, or “none” to remove them.",
		msgMissingDate:        "Which date? Write it DD/MM/YYYY, for example 15/03/2027.",
		msgBadDate:            "“%s” is not a date: write DD/MM/YYYY (15/03/2027), DD/MM (15/03) or YYYY-MM-DD.",
		msgNoSuchDay:          "%s is not on the calendar: check the day and the month.",
		msgMissingTime:        "At what time? Write it after the date, for example 14:00.",
		msgBadTime:            "“%s” is not a time: write 14:00, 14h00 or 14h.",
		msgUnknownFilter:      "“%s” is not a filter. Filters: axis, programme, group, status, owner, due, rhythm, page.",
		msgMissingFilterValue: "The filter “%s” needs a value, for example “axis 2”.",
		msgBadAxis:            "“%s” is not an axis: write socle, 1, 2, 3 or 4.",
		msgBadProgramme:       "“%s” is not a programme: write its code, for example 2.1 or S.3.",
		msgBadPage:            "“%s” is not a page number: write a whole number from 1.",
		msgActionNotFound:     "There is no action %d: actions go from %d to %d.",
		msgEmptyPlan:          "The plan is empty: an admin must import it first (actionbot import plan.xlsx).",
		msgForbidden:          "You cannot do that to action %d: it is %s.",
		msgForbiddenAdmins:    "You cannot use this command: it is for admins only.",
		msgUnknownGroup:       "I don't know the group “%s”. Groups: %s.",
		msgMeetingPast:        "%s at %s has already passed: pick a date to come.",
		msgMeetingConflict:    "A COPIL is already planned on %s: cancel it first (/copil cancel %s).",
		msgMeetingNotFound:    "No COPIL is planned on %s: type /copil list to see the dates.",
		msgUsage:              "Usage:",
		msgExamples:           "Examples:",
		msgChartTitle:         "Plan progress by axis — %s",
		msgChartAlt:           "Bar chart: for the socle and each axis, the number of actions by status and the average progress, as of %s.",
		msgChartSaved:         "Chart “Plan progress by axis” saved to %s",
		msgHintGroupBlocked:   "`/action list group %s status blocked`",
		msgHintGroupOverdue:   "`/action list group %s due past`",
		msgHintGroupDueSoon:   "`/action list group %s due soon`",
		msgHintGroupRhythm:    "`/action list group %s rhythm passed`",
		msgDigestMoreAmong:    "… and %d more, to be found in %s",
		msgDigestMoreChanged1: "… and %d other action changed this week: its details with `/action <N> history`.",
		msgDigestMoreChangedN: "… and %d other actions changed this week: the details of each with `/action <N> history`.",
		msgMoreBare:           "… and %d more.",
		msgBadDueFilter:       "“%s”: the due filter takes “past” (overdue actions) or “soon” (due in the next 14 days).",
		msgBadRhythmFilter:    "“%s”: the rhythm filter takes “passed” (actions whose update is expected).",
		msgHintBlocked:        "`/action list status blocked`",
		msgHintLate:           "`/action late`",
		msgHintList:           "`/action list`",
		msgHintMine:           "`/action mine`",
		msgConsoleWelcome:     "actionbot demo — demonstration plan in memory, acting as %s. Type /action 23, /action help, /copil, digest prospection, rappel-copil, tableau, decision 23 …, decisions, minutes; Ctrl-D to quit.",
		msgChartFailed:        "I could not post the chart in this channel. If it is private, invite me first: /invite @actionbot. Otherwise, try again in a moment.",
		msgDigestUsage:        "Which group? For example: digest prospection (groups: parcours-client, prospection, ambassadeurs, outils-numeriques).",
		msgDigestTitle:        "Weekly digest · %s",
		msgDigestWeek:         "From %s to %s",
		msgDigestChanges:      "This week",
		msgDigestQuiet:        "A quiet week: no action of the group was updated in the last 7 days.",
		msgDigestOverdue:      "Overdue",
		msgDigestDueSoon:      "Due in the next 14 days",
		msgDigestBlocked:      "Blocked",
		msgDigestStale:        "Update expected, rhythm passed",
		msgDigestMore:         "… and %d more: %s",
		msgDigestAllClear:     "Nothing overdue, nothing blocked, nothing due in the next 14 days.",
		msgReminderTitle:      "Reminder: COPIL %s",
		msgReminderStaleSince: "No update since the COPIL of %s",
		msgNumberFrom1:        "There is no action 0: actions are numbered from 1, for example /action 23.",
		msgLegend:             "Key: %s",
		msgReminderStale30:    "No update for 30 days",
		msgReminderDMIntro:    "The COPIL is coming: %s. Your actions to update before the meeting:",
		msgReminderDMHint:     "One command does it, from any channel: `/action %d progress 60`, `/action %[1]d note …`",
		msgNudgeIntro:         "Hello! These actions you own are overdue or due for an update:",
		msgNudgeHint:          "Update them in one line, for example `/action %d status done`, or give a new due date: `/action %[1]d due 15/03`",
		msgReasonStale:        "no update since %s",

		msgAboutCard:          "the action's card: owner, status, progress, due date",
		msgAboutStatus:        "changes the status; with other fields (progress, due, owner, contributors, then note) in one command",
		msgAboutProgress:      "changes the progress",
		msgAboutNote:          "adds a note to the journal",
		msgAboutPilote:        "changes the owner",
		msgAboutContributors:  "replaces the contributors",
		msgAboutDue:           "changes or clears the due date",
		msgAboutHistory:       "the last 10 journal entries",
		msgAboutShare:         "posts the card in the channel for everyone",
		msgAboutList:          "actions, filtered",
		msgAboutMine:          "my actions (owner or contributor), overdue first",
		msgAboutLate:          "overdue actions, most overdue first",
		msgAboutSearch:        "searches titles, descriptions and notes",
		msgAboutDashboard:     "progress of the plan by axis and programme",
		msgAboutWeb:           "your personal link to the plan on the web, valid 12 hours",
		msgAboutCheckin:       "check-in: a single form to update at once your actions waiting for news (overdue, update expected, unchanged since the last COPIL)",
		msgAboutHelp:          "this help",
		msgAboutCopilNext:     "the next COPIL and the dashboard",
		msgAboutCopilSchedule: "adds a COPIL meeting",
		msgAboutCopilCancel:   "cancels a COPIL meeting",
		msgAboutCopilList:     "upcoming and past COPIL meetings",

		msgUsageStatus:            "<to do|in progress|blocked|done|abandoned>",
		msgUsageProgress:          "<0-100>",
		msgUsageNote:              "<text>",
		msgUsagePilote:            `<@person | "Organisation">`,
		msgUsageContributors:      `<@a @b "Organisation"… | none>`,
		msgUsageDue:               "<DD/MM/YYYY | DD/MM | YYYY-MM-DD | none>",
		msgUsageList:              "[axis N] [programme N.N] [group G] [status S] [owner P] [due past|soon] [rhythm passed] [page N]",
		msgUsagePage:              "[page N]",
		msgUsageSearch:            "<words> [page N]",
		msgUsageCopilSchedule:     "<DD/MM/YYYY> <14:00> [place]",
		msgUsageCopilCancel:       "<DD/MM/YYYY>",
		msgExamplesCard:           "/action 23",
		msgExamplesStatus:         "/action 23 status in progress\n/action 23 status in progress progress 55 note Met the CCI",
		msgExamplesProgress:       "/action 23 progress 60",
		msgExamplesNote:           "/action 23 note Met Dev'Up on 12/01",
		msgExamplesPilote:         "/action 23 owner @Marie",
		msgExamplesContributors:   "/action 23 contributors @Paul \"Université de Tours\"",
		msgExamplesDue:            "/action 23 due 2027-03-15",
		msgExamplesHistory:        "/action 23 history",
		msgExamplesShare:          "/action 23 share",
		msgExamplesList:           "/action list group prospection status blocked\n/action list group prospection due soon",
		msgExamplesMine:           "/action mine",
		msgExamplesLate:           "/action late",
		msgExamplesSearch:         "/action search ambassadors",
		msgExamplesDashboard:      "/action dashboard",
		msgExamplesWeb:            "/action web",
		msgExamplesCheckin:        "/action checkin",
		msgExamplesHelp:           "/action help",
		msgWebLink:                ":link: %s — your personal read-only link, valid until %s. Do not pass it on: for a partner, an admin makes a link in their name (`actionbot share`).",
		msgWebLinkLabel:           "The plan on the web",
		msgMailNudgeIntro:         "These actions of the attractiveness plan that %s owns or contributes to are overdue or due for an update:",
		msgWebOff:                 "The plan is not published on the web: an admin must set `web.base_url`.",
		msgExamplesCopilNext:      "/copil",
		msgExamplesCopilSchedule:  "/copil schedule 15/01/2027 14:00 Hôtel de Métropole",
		msgExamplesCopilCancel:    "/copil cancel 15/01/2027",
		msgExamplesCopilList:      "/copil list",
		msgExamplesCopilDashboard: "/copil dashboard",

		msgImplausibleYear:    "“%s”: the year %d looks like a typo (write a date between %d and %d).",
		msgFieldTwice:         "“%s” is given twice: each field once per command.",
		msgAboutCopilHelp:     "the commands of /copil",
		msgAboutUndo:          "undoes your last change to the action (all fields of one command), within 15 minutes and if no one changed it since",
		msgExamplesUndo:       "/action 23 undo",
		msgAboutNew:           "creates an action in a programme, owned by you, with the next number; the group may be left out when all the programme's actions are of one group",
		msgUsageNew:           "<programme> [group G] <title>",
		msgExamplesNew:        "/action new 1.2 group prospection One-stop shop for businesses",
		msgMissingProgramme:   "In which programme? Write its code, then the title, for example /action new 1.2 One-stop shop.",
		msgMissingTitle:       "What title? Write it after the programme (and the group).",
		msgNewNeedsGroup:      "The actions of programme %s are not all of one group: name it, for example group prospection.",
		msgUnknownProgramme:   "There is no programme %s: type /action dashboard to see the programmes.",
		msgForbiddenNew:       "You cannot create an action in the group %s: it is for its leads and admins.",
		msgCreated:            "Action %d created:",
		msgUndoNothing:        "You changed nothing on action %d: there is nothing to undo.",
		msgUndoChangedSince:   "Action %d was changed since by %s: your change can no longer be undone. Set the value you want with a command.",
		msgUndoTooOld:         "Your last change to action %d is more than %d minutes old (%s): it can no longer be undone. Set the value you want with a command.",
		msgUndoNoteOnly:       "Your last change to action %d is a note: it stays in the journal. Add a note that corrects it.",
		msgUndoNoField:        "Your last change to action %d — a rhythm, a COPIL decision or its creation — is not undone: undo puts back a status, a progress, an owner, contributors or a due date. For a rhythm, write the one you want, for example /action %d cadence 1 month.",
		msgHomeFollowing:      "Actions I follow",
		msgHomeFollowingIntro: "Actions you follow: %d. A direct message tells you what others change in them.",
		msgHomeFollowingNone:  "You follow no action. To hear by direct message what others change in an action: /action 23 follow.",
		msgHomeFollowingMore:  "… and %d more: type /action following for the full list.",
		msgAboutFollow:        "sends you a direct message for each change others make to the action (those of one minute together)",
		msgExamplesFollow:     "/action 23 follow",
		msgAboutUnfollow:      "stops those direct messages",
		msgExamplesUnfollow:   "/action 23 unfollow",
		msgAboutFollowing:     "the actions you follow",
		msgExamplesFollowing:  "/action following",
		msgFollowed:           "You follow action %d: a direct message will tell you what others change in it. To stop: /action %d unfollow.",
		msgAlreadyFollowing:   "You already follow action %d. To stop: /action %d unfollow.",
		msgUnfollowed:         "You no longer follow action %d: no more direct messages about its changes.",
		msgNotFollowing:       "You did not follow action %d: nothing to change. To follow it: /action %d follow.",
		msgFollowingTitle:     "Actions you follow: %d",
		msgFollowingEmpty:     "You follow no action. To follow one: /action 23 follow.",
		msgCardFollowers1:     "Followed by %d person",
		msgCardFollowersN:     "Followed by %d people",
		msgUndoUndone:         "Nothing to undo on action %d: your last change (%s) is itself an undo, and an undo is not undone. To set a value back, write it, for example /action %d progress 40.",
		msgEntryUndo:          "(undo)",
		msgFollowDMTitle:      "Changes to the actions you follow, %s:",
		msgFollowDMFoot:       "To stop following action %d: /action %d unfollow · the actions you follow: /action following",
		msgFollowDMMore1:      "… and %d more action changed in the same minute: /action following to see it.",
		msgFollowDMMoreN:      "… and %d more actions changed in the same minute: /action following to see them.",
		msgExamplesCopilHelp:  "/copil help",
		msgUnbalancedQuote:    "The quote %s of “%s” is not closed: write the name between two quotes, for example \"CCI Touraine\".",
		msgPercent:            "%v%%",
		msgAt:                 "%s at %s",
		msgLongDate:           "%s %s",
		msgDayMonthYear:       "%s %s %d",

		msgCardTitle:           "Action %d · %s",
		msgCardPath:            "%s › %s %s",
		msgGroup:               "Group",
		msgPilote:              "Owner",
		msgContributors:        "Contributors",
		msgStatus:              "Status",
		msgProgress:            "Progress",
		msgDue:                 "Due",
		msgNoDue:               "none",
		msgNobody:              "none",
		msgOverdueBy1:          "%d day late",
		msgOverdueByN:          "%d days late",
		msgDueToday:            "today",
		msgDueIn1:              "in %d day",
		msgDueInN:              "in %d days",
		msgLastEntry:           "Last update: %s",
		msgNoJournal:           "No journal yet.",
		msgDemo:                "Demonstration plan — the real plan is imported into a new database (actionbot import plan.xlsx).",
		msgButtonUpdate:        "Update",
		msgButtonHistory:       "History",
		msgChangedBy:           "Done for action %d:",
		msgNoChange:            "Nothing changed: action %d was already so.",
		msgHistoryTitle:        "History of action %d · %s",
		msgHistoryEmpty:        "The journal of action %d is empty.",
		msgEntryCreated:        "action created",
		msgEntryChange:         "%s: %s → %s",
		msgEntryNote:           "note: “%s”",
		msgEntryBy:             "%s, %s",
		msgListTitle:           "Actions: %d",
		msgListEmpty:           "No action matches these filters.",
		msgListAll:             "%d of %d",
		msgMineTitle:           "Your actions: %d",
		msgMineEmpty:           "You are neither owner nor contributor of any action.",
		msgLateTitle:           "Overdue actions: %d",
		msgLateEmpty:           "No overdue action. Well done!",
		msgSearchTitle:         "Search “%s”: %d",
		msgSearchEmpty:         "Nothing matches “%s”.",
		msgDashboardTitle:      "Plan dashboard · %s",
		msgDashboardGroupTitle: "Dashboard of group %s · %s",
		msgTallyLine1:          "%d action · avg. %d%%",
		msgTallyLine:           "%d actions · avg. %d%%",
		msgAverage:             "avg. %d%%",
		msgOverdueCount:        "%d overdue",
		msgDashboardEmpty:      "The plan has no action yet.",
		msgHelpTitle:           "What I understand",
		msgHelpIntro:           "Commands ignore case and accents; French names work too. Answers are visible only to you, except “share” and “/copil dashboard”, posted in the channel with the chart, and “/copil minutes”, which uploads the PDF there.",
		msgHelpWho:             "%s",
		msgCopilNext:           "Next COPIL: %s",
		msgCopilWhen:           "%s at %s · %s",
		msgCopilInDays1:        "in %d day",
		msgCopilInDaysN:        "in %d days",
		msgCopilToday:          "today",
		msgCopilNone:           "No COPIL is planned. An admin can add one: /copil schedule 15/01/2027 14:00 Hôtel de Métropole",
		msgCopilScheduled:      "COPIL planned: %s",
		msgCopilCanceled:       "COPIL of %s canceled.",
		msgCopilListTitle:      "COPIL meetings",
		msgCopilUpcoming:       "Upcoming",
		msgCopilPast:           "Past",
		msgCopilListEmpty:      "none",
		msgNoPlace:             "place to be confirmed",
		msgOverdueShort:        "overdue",
		msgDueShort:            "due %s",

		msgModalTitle:          "Action %d",
		msgModalSubmit:         "Save",
		msgModalCancel:         "Cancel",
		msgModalProgressLabel:  "Progress (0 to 100)",
		msgModalNoteLabel:      "Note for the journal",
		msgModalNoteHint:       "What moved, what is blocking, the next step.",
		msgModalDoneAt100:      "A done action is at %d%%: enter %[1]d or pick another status.",
		msgHomeTitle:           "My actions",
		msgHomeIntro:           "Actions you own or contribute to: %d, overdue first.",
		msgHomeMore:            "… and %d more: type /action mine for the full list.",
		msgCheckinTitle:        "Check-in",
		msgCheckinIntro:        "Actions waiting for your news: %d. Change what moved; a note alone counts as an update too.",
		msgCheckinRange:        "Actions %d to %d of %d.",
		msgCheckinNextFoot:     "« Next » saves this page, then shows the rest (%d more actions).",
		msgCheckinLastFoot:     "« Save » records your answers; you will get a summary of what was recorded.",
		msgCheckinMore:         "%d more actions are waiting too: run /action checkin again afterwards.",
		msgCheckinNothing:      "Nothing to update: none of your actions is overdue or waiting for news.",
		msgCheckinListTitle:    "Check-in — actions waiting for your news: %d",
		msgCheckinListHint:     "One command per action does it: `/action %d status in progress progress 60 note …` (in Slack, `/action checkin` opens one form for all of them).",
		msgCheckinDone1:        "Check-in recorded for %d action:",
		msgCheckinDoneN:        "Check-in recorded for %d actions:",
		msgCheckinUnchanged:    "Nothing changed, so nothing was recorded: a note is enough to count as an update.",
		msgCheckinUnstored:     "Not recorded — here is what you wrote:",
		msgCheckinLeft:         "%d actions left to see: /action checkin to go on.",
		msgButtonCheckin:       "Check in",
		msgHomeCheckin:         "Actions waiting for your news: %d.",
		msgButtonNew:           "New action",
		msgForbiddenNewAny:     "You cannot create an action: it is for the leads of the groups and admins.",
		msgNewModalTitle:       "New action",
		msgNewModalSubmit:      "Create",
		msgNewModalClose:       "Close",
		msgNewProgrammeLabel:   "Programme",
		msgNewProgrammeHint:    "Pick a programme",
		msgNewProgrammeCode:    "Its code, for example 1.2",
		msgNewGroupLabel:       "Working group",
		msgNewGroupHint:        "Pick a group",
		msgNewGroupHelp:        "Optional when all the programme's actions are of one group.",
		msgNewTitleLabel:       "Title",
		msgNewTitleHint:        "For example: One-stop shop for businesses",
		msgNewPiloteLabel:      "Owner",
		msgNewDueLabel:         "Due date",
		msgNewDueHint:          "None",
		msgMinutesTitle:        "Minutes of the COPIL of %s",
		msgMinutesWhere:        "%s · %s",
		msgMinutesMade:         "Made on %s",
		msgMinutesPage:         "Page %d of %s",
		msgMinutesFileName:     "copil-minutes-%s.pdf",
		msgMinutesNoMeeting:    "No COPIL has been held yet: there are no minutes to make. Type /copil list to see the dates.",
		msgMinutesDecisions:    "Decisions of the COPIL",
		msgMinutesNoDecision:   "No decision was recorded for this COPIL.",
		msgMinutesColNumber:    "No.",
		msgMinutesColAction:    "Action",
		msgMinutesColDecision:  "Decision",
		msgMinutesColState:     "State today",
		msgMinutesLate:         "overdue (due %s)",
		msgMinutesDashboard:    "Dashboard by axis and programme on %s",
		msgMinutesColScope:     "Axis / programme",
		msgMinutesColTotal:     "Actions",
		msgMinutesColOverdue:   "Overdue",
		msgMinutesColAverage:   "Average progress",
		msgMinutesTotal:        "Whole plan",
		msgMinutesChart:        "Plan progress by axis",
		msgMinutesBlocked:      "Blocked actions (%d)",
		msgMinutesOverdue:      "Overdue actions (%d)",
		msgMinutesNone:         "None.",
		msgMinutesChangesSince: "What changed since the COPIL of %s",
		msgMinutesChangesFirst: "What changed before this COPIL",
		msgMinutesNoChange:     "No change.",
		msgMinutesColChanges:   "Changes",
		msgMinutesMoreChanges1: "… and %d more action changed: the plan's export (actionbot export) has the full journal.",
		msgMinutesMoreChangesN: "… and %d more actions changed: the plan's export (actionbot export) has the full journal.",
		msgDecisionEntry:       "Decision of the COPIL of %s: %s",
		msgMinutesSaved:        "Minutes written to %s",
		msgUpdateLateShort:     "update expected since %s (%s)",
		msgEscalationIntro1:    "Group %[2]s: %[1]d action without an update for more than twice its rhythm. A word with its owner?",
		msgEscalationIntroN:    "Group %[2]s: %[1]d actions without an update for more than twice their rhythm. A word with their owners?",
		msgEscalationHint:      "The owners already get the list of their actions to update each week.",
		msgFollowUpTitle:       "Follow-up of the decisions of the COPIL of %s",
		msgFollowUpNoChange:    "Nothing changed since.",
		msgFollowUpChanges:     "Since: %s",
		msgFollowUpHint:        "/copil decisions gives them all",
		msgUploadFailed:        "I could not upload the file in this channel: invite me to the channel (/invite @actionbot), then try again.",
		msgAlreadyPosted:       "Already posted %d s ago in this channel: one post a minute per person. Try again in a moment.",
		msgAboutRhythm:         "how often the action is expected to be updated; \"none\" puts it back on its group's",
		msgUsageRhythm:         "<14d | 2 weeks | 1 month | none>",
		msgExamplesRhythm:      "/action 23 cadence 14d\n/action 23 cadence 1 month\n/action 23 cadence none",
		msgMissingRhythm:       "Which rhythm? Give a number of days, weeks or months, such as 14d, 2 weeks or 1 month; \"none\" puts back the group's.",
		msgBadRhythm:           "\"%s\" is not a rhythm: write for instance 14d, 2 weeks or 1 month (two years at most).",
		msgRhythmDays1:         "%d day",
		msgRhythmDaysN:         "%d days",
		msgRhythmWeeks1:        "%d week",
		msgRhythmWeeksN:        "%d weeks",
		msgRhythmMonths1:       "%d month",
		msgRhythmMonthsN:       "%d months",
		msgRhythmSet:           "Action %d: %s between updates.",
		msgRhythmGroup:         "Action %d follows its group's rhythm: %s between updates.",
		msgNextUpdate:          ":calendar: Next update expected on %s (every %s)",
		msgUpdateLate:          ":hourglass: Update expected since %s (%s)",
		msgDays1:               "%d day",
		msgDaysN:               "%d days",
		msgAboutDecision:       "records a decision of the COPIL on an action (today's meeting, else the last one held)",
		msgUsageDecision:       "<N> <text>",
		msgExamplesDecision:    "/copil decision 23 Extend the one-stop shop to Amboise",
		msgMissingDecision:     "Which decision? Write the action's number then the decision, for instance /copil decision 23 Extend to Amboise.",
		msgDecisionTooLong:     "A decision holds %d characters at most: sum it up, and add the details as a note on the action.",
		msgDecisionNoMeeting:   "No COPIL has been held yet: a decision belongs to today's COPIL or the last one held. Type /copil list to see the dates.",
		msgDecisionRecorded:    ":memo: Decision of the COPIL of %s recorded on action %d · %s:\n> %s",
		msgAboutDecisions:      "the decisions of the last COPIL (or of that date), by action, with each one's state today",
		msgUsageDecisions:      "[DD/MM/YYYY]",
		msgExamplesDecisions:   "/copil decisions\n/copil decisions 15/01/2027",
		msgDecisionsTitle:      "Decisions of the COPIL of %s",
		msgDecisionsNone:       "No decision was recorded for this COPIL. A lead or an admin adds one with /copil decision 23 <text>.",
		msgDecisionsMore1:      "… and %d more action: the minutes (/copil minutes) give them all.",
		msgDecisionsMoreN:      "… and %d more actions: the minutes (/copil minutes) give them all.",
		msgAboutMinutes:        "posts in the channel the minutes of the last COPIL (or of that date), as a PDF",
		msgExamplesMinutes:     "/copil minutes\n/copil minutes 15/01/2027",
		msgMinutesPosted:       ":page_facing_up: Minutes of the COPIL of %s: the PDF follows in the channel.",
		msgCanvasTitle:         "Plan dashboard",
		msgCanvasAsOf:          "As of %s. The bot keeps this canvas up to date: what is written in it by hand is replaced at the plan's next change.",
		msgCanvasNext:          "Next COPIL",
		msgCanvasNextWhen:      "%s at %s · %s",
		msgCanvasNoNext:        "No COPIL is scheduled: an admin adds one with /copil schedule.",
		msgCanvasDecisions:     "Decisions of the COPIL of %s",
		msgCanvasNoMeeting:     "No COPIL has been held yet.",
		msgCanvasMore:          "… and %d more: /action list gives them all.",
	},
}

// statusEmoji are the Slack emoji of each status; the chart uses the same
// colours.
var statusEmoji = map[store.Status]string{
	store.StatusTodo:       ":white_circle:",
	store.StatusInProgress: ":large_blue_circle:",
	store.StatusBlocked:    ":red_circle:",
	store.StatusDone:       ":large_green_circle:",
	store.StatusAbandoned:  ":black_circle:",
}

// markup is an argument of a user error that is mrkdwn already (a
// mention), which render does not escape.
type markup string

// render writes a user error as mrkdwn, with the usage of its sub-command
// if any. Its arguments are what the user typed, or names: literal text.
func (c *catalog) render(e *UserError) string {
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		switch s := a.(type) {
		case string:
			a = escape(s)
		case markup:
			a = string(s)
		}
		args[i] = a
	}
	text := c.format(e.Key, args...)
	if e.Spec != nil {
		text += "\n" + c.usage(e.Spec)
	}
	return text
}

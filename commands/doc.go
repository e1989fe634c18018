/*
Package commands is what actionbot understands and says: the /action and
/copil command language, parsed by a pure function, run against the store
with the plan's permissions, and answered as Slack messages (Block Kit
blocks with a plain-text fallback) from one catalogue per language.

# The command language

French comes first; English names work too. Sub-commands, statuses and
filters ignore case and accents, and spaces, hyphens and underscores are
alike: « échéance », "echeance" and "ECHEANCE" are one word, and
« en cours », "en-cours" and "EN_COURS" one status.

	/action 23                                   the card of action 23
	/action 23 statut en cours                   status: à lancer, en cours, bloquée, terminée, abandonnée
	                                             (to do, in progress, blocked, done, abandoned)
	/action 23 avancement 60                     progress 0–100, "60%" also works
	/action 23 note Rencontre avec Dev'Up        adds a note to the journal
	/action 23 pilote @Marie                     the pilote: a Slack user, or a name in quotes
	/action 23 pilote "CCI Touraine"
	/action 23 contributeurs @Paul "Université"  replaces the contributors; "aucun" removes them
	/action 23 échéance 15/03/2027               also 2027-03-15, 15/03 (the next 15 March), "aucune"
	/action 23 rythme 14j                        the action's rhythm of updates: 14j, 2 semaines,
	                                             1 mois; "aucun" puts back its group's
	/action 23 statut en cours avancement 55 note Point fait avec la CCI
	                                             several changes at once: statut, avancement,
	                                             échéance, pilote, contributeurs (each once), then
	                                             note with the rest of the line; one transaction,
	                                             the narrowest permission of the fields
	/action nouvelle 1.2 groupe prospection Guichet unique des entreprises
	                                             creates an action (next number, à lancer, 0 %,
	                                             me as pilote); admins and the group's leads
	/action 23 annuler                           undoes my last change (all its fields) within
	                                             15 minutes, if no one changed the action since;
	                                             an undo is not undone in its turn, nor a note,
	                                             a rhythm, a decision or the creation
	/action 23 suivre                            follows the action: a DM for the changes others
	                                             make to it, those of one minute in one DM
	/action 23 ne plus suivre                    stops following it
	/action suivies [page N]                     the actions I follow
	/action 23 historique [page 2]               the journal, 10 entries a page
	/action 23 partager                          posts the card for the whole channel
	/action liste axe 2 groupe prospection       filters: axe, programme, groupe, statut, pilote, échéance, rythme, page
	/action liste groupe prospection échéance proche
	                                             échéance dépassée (overdue) or proche (due within 14 days);
	                                             rythme dépassé: the update is late for its rhythm
	/action mes [page N]                         my actions (pilote or contributor), overdue first
	/action point                                « Faire le point »: a form (modal) with each of my
	                                             actions needing news, or « rien à mettre à jour »
	/action retard [page N]                      overdue actions, most overdue first
	/action cherche ambassadeurs [page 2]        words in titles, descriptions and notes; each word
	                                             typed, or its start ("ambass"), must appear
	/action tableau                              progress by axis and programme
	/action web                                  a personal link to the plan on the web, 12 hours
	                                             (with web.base_url; a link to an action's page
	                                             pasted in Slack unfurls as its card)
	/action aide                                 help, generated from the command table
	/copil                                       the next COPIL and the dashboard
	/copil planifier 15/01/2027 14h00 Hôtel de Métropole
	/copil annuler 15/01/2027
	/copil liste
	/copil aide                                  the commands of /copil
	/copil decision 23 Étendre à Amboise         a decision of the COPIL on action 23
	/copil releve [15/01/2027]                   the decisions of the last COPIL (or that day's)
	/copil compte-rendu [15/01/2027]             the minutes as a PDF, uploaded in the channel

In English: status, progress, note, owner, contributors, due, cadence,
undo, follow, unfollow, history, share, list (axis, programme, group,
status, owner, page), new, mine, following, late, search, dashboard, help;
/copil schedule, cancel, list, decision, decisions, minutes. A name may be
several words (« ne plus suivre »): the parser reads the longest name the
words spell, so its words are never taken for arguments.

A quote (" or «) opened in a name and never closed is refused. A field's
name inside a value ends it only where what comes before reads as that
field's value: « status in progress progress 55 » is a status and a
progress.

Slack sends a person picked from its @ autocomplete as an escaped mention,
<@U123|marie>; a bare "@marie" typed by hand names nobody and is answered
with a hint. Names of organisations or people not on Slack are written in
quotes ("CCI Touraine", « Université de Tours ») or, for contributors,
separated by commas. An organisation may carry its address after its name
("CCI Touraine <contact@cci-touraine.example>"), of which only the name is
ever shown; an address alone is refused, with how to write it, in a
command and in a spreadsheet alike.

Statuses, progress, dates, axis and programme codes, groups and people are
read by package planword, which spreadsheet import uses too: a word means
the same in a command and in a workbook. A date more than 20 years ahead or
before 2000 is refused as a typo. « nouveau » is « à lancer ».

# The command table

Each sub-command is one row of the table (table.go): its names in French
and English, whether it takes an action number, who may run it, how its
arguments are read and the function that runs it; its description, usage
and examples are keys of the catalogue (catalog.go), the one home of all
wording, one per language. Help and usage errors are generated from the
table. The README's « Adding a sub-command » says how to add one.

# Who may do what

Anyone may read (cards, lists, history, dashboard, /copil). Status,
progress and notes are for the action's pilote and contributors, the leads
of its working group and admins. Pilote, contributors, due date and rhythm
are for the group's leads and admins, and so are the COPIL's decisions on
the group's actions. Scheduling and cancelling a COPIL is for admins.

# The COPIL cycle

Every action is expected to be updated at a rhythm: its own (« rythme »),
else its group's ([[groups]] update_every, default 30 days). Any change or
note is an update; a decision or a new rhythm is not. The card says when
the next update is expected, « Prochain point attendu le lundi 7 décembre
2026 », or since when it is late, « Point attendu depuis le 27 octobre 2026
(30 jours) ». A decision belongs to the meeting held that day, else to the
last one held, and shows in the action's journal as « Décision du COPIL du
7 octobre 2026 : … ». « releve » lists a meeting's decisions with each
action's state now; « compte-rendu » makes the minutes (MinutesOf: the
meeting, decisions, dashboard, chart, blocked and overdue actions, what
changed since the previous COPIL) and asks the transport to upload the
PDF in the channel (Message.Upload) and to e-mail it to the COPIL's guests
(Message.Minutes; once per guest and meeting, bot.Posts.MailMinutes).

# Pages

liste, mes, suivies, retard, cherche and historique take « page N » last. A paged
answer says which items of how many and which page of how many it shows,
the command of the next page, and carries « Précédent » / « Suivant »
buttons (ActionIDPage…) whose value is the command of their page:
PageButton answers it as typed.

# Buttons, modal and App Home

The card carries two buttons: « Mettre à jour » opens a modal (UpdateModal)
with status, progress and a note, whose submission (SubmitUpdate) follows
the same permissions and journal as the commands and shows invalid values
in the modal. The modal keeps the status and progress it showed
(private_metadata) and the submission writes only the fields its user
changed from those, so a change made by someone else while it was open is
not reverted; « Historique » answers as « historique ». The App Home tab
(Home) lists the user's actions, overdue first, the actions they follow,
and the next COPIL. For admins and group leads it carries « Nouvelle
action » (ActionIDNew), whose modal (NewActionModal) asks for programme,
group, title, pilote and due date; its submission (SubmitNew) runs the row
of « nouvelle » with that pilote and date, shows a refusal on the field it
is about, and replaces the modal with the new action's number and card.

# The check-in

« Faire le point » (/action point, the ActionIDCheckin button of the first
COPIL reminder's DM and of the App Home) answers with Message.Modal: the
transport opens it with the request's trigger at once, and the message is
the answer where no modal opens (the demo console). Its views
(CheckinCallbackID) list the user's actions needing news
(store.ActionsNeedingNews), 19 a view, each with the status, progress and
note inputs of the « Mettre à jour » modal (fieldBlocks, block IDs
checkin.<n>.status|progress|note). SubmitCheckin checks a whole view
before storing any of it: refused values come back by block and nothing is
stored; then each action goes through edit, the path of the typed
commands, in its own transaction. Only what differs from what the view
showed is written. A view with more to come is stored and followed by the
next (CheckinSubmission.View); the last one, or CheckinClosed after a
stored view, ends with one summary.

# Scheduled posts

Digest, Reminder, ReminderDMs, Nudges and Escalations render what the bot
posts on its own; the bot package decides when and delivers them. The
digest lists, by programme, the actions whose update is late; nudges go to
the pilotes of actions overdue or late; escalations, with the digest, to
the group's leads for updates late by more than twice their rhythm. The
first reminder of a meeting opens with the follow-up of the previous
COPIL's decisions (Reminder's first argument; the later ones leave it
out). Canvas renders the COPIL channel's canvas in canvas markdown
(tables, ![](@U…) mentions), not mrkdwn. A digest or reminder too long for one message (50 blocks, 3,000 characters a section, 12,000
across its blocks) comes with Message.Replies, posted in its thread.

# Following an action

Anyone may follow an action (Follow, no permission needed: it gives none).
The card says « Suivie par N personnes » when N > 0; « suivies » and the
App Home list what the user follows. Every change goes through the
journal — status, progress, due date, pilote, contributors, rhythm, notes,
decisions, undos (marked « (annulation) ») — and FollowBatches, a pure
function, decides which entries go in which DM: a follower hears of the
entries others wrote, after they began following, one DM per minute of
changes, once the minute ended FollowSettle (30 s) ago, looking back
FollowLookback (an hour). FollowDM writes it: who changed what, by action.
The bot's « follow DMs » job runs every minute and enqueues each DM under
FollowBatch.Key (follower and minute) in the outbox: a tick seen twice, a
restart or a second replica never tells a minute twice.

# Slack text

Everything is written as mrkdwn: literal text is escaped (escape), notes
keep the mentions, channels and links Slack made live and show pings as
text (rich), cuts never split an entity or a mention (clipMrkdwn), and
plain-text objects undo the escaping. slacktext.go says which is which.

# Answers

Answers are ephemeral (seen only by the user) except « partager »,
« /copil tableau », which is posted in the channel and asks the transport
(Message.Chart) to follow it with the chart, and « /copil compte-rendu »,
followed by its PDF (Message.Upload). The transport lets one user post
for the channel once a minute in a channel (bot.InChannelEvery), and
answers sooner ones only to them (SayAlreadyPosted). Every
change is written with its journal entry — author, time, field, old and new
value — in one transaction; nothing is stored when input is refused. A
mistake is answered with what was wrong and how to write it (the
sub-command's usage and examples come from the command table); an internal
error is logged and answered with a short apology, never SQL.
*/
package commands

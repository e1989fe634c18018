package commands

import (
	"errors"
	"maps"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tours-metropole/actionbot/store"
)

var today = store.Date{Year: 2026, Month: time.November, Day: 26}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		command string
		text    string
		want    Command
	}{
		{"card", "/action", "23", Command{Kind: KindCard, Number: 23}},
		{"card with hash", "/action", "#23", Command{Kind: KindCard, Number: 23}},
		{"empty is help", "/action", "", Command{Kind: KindHelp}},
		{"help fr", "/action", "aide", Command{Kind: KindHelp}},
		{"help en", "/action", "HELP", Command{Kind: KindHelp, HelpLanguage: 1}},
		{"status", "/action", "23 statut en cours", Command{Kind: KindStatus, Number: 23, Edit: store.Edit{Status: ptr(store.StatusInProgress)}}},
		{"status hyphen", "/action", "23 statut en-cours", Command{Kind: KindStatus, Number: 23, Edit: store.Edit{Status: ptr(store.StatusInProgress)}}},
		{"status underscore upper", "/action", "23 STATUT EN_COURS", Command{Kind: KindStatus, Number: 23, Edit: store.Edit{Status: ptr(store.StatusInProgress)}}},
		{"status accents", "/action", "23 Statut Bloquée", Command{Kind: KindStatus, Number: 23, Edit: store.Edit{Status: ptr(store.StatusBlocked)}}},
		{"status no accents", "/action", "23 statut terminee", Command{Kind: KindStatus, Number: 23, Edit: store.Edit{Status: ptr(store.StatusDone)}}},
		{"status à lancer", "/action", "23 statut à lancer", Command{Kind: KindStatus, Number: 23, Edit: store.Edit{Status: ptr(store.StatusTodo)}}},
		{"status en", "/action", "23 status in progress", Command{Kind: KindStatus, Number: 23, Edit: store.Edit{Status: ptr(store.StatusInProgress)}, HelpLanguage: 1}},
		{"status état", "/action", "23 état abandonnée", Command{Kind: KindStatus, Number: 23, Edit: store.Edit{Status: ptr(store.StatusAbandoned)}}},
		{"progress", "/action", "23 avancement 60", Command{Kind: KindProgress, Number: 23, Edit: store.Edit{Progress: ptr(60)}}},
		{"progress percent", "/action", "23 avancement 60%", Command{Kind: KindProgress, Number: 23, Edit: store.Edit{Progress: ptr(60)}}},
		{"progress percent space", "/action", "23 avancement 60 %", Command{Kind: KindProgress, Number: 23, Edit: store.Edit{Progress: ptr(60)}}},
		{"progress en", "/action", "23 progress 0", Command{Kind: KindProgress, Number: 23, Edit: store.Edit{Progress: ptr(0)}, HelpLanguage: 1}},
		{"note keeps text", "/action", "23 note  Rencontre avec « Dev'Up »  le 12/01 ", Command{Kind: KindNote, Number: 23, Edit: store.Edit{Note: "Rencontre avec « Dev'Up »  le 12/01"}}},
		{"pilote mention", "/action", "23 pilote <@U01MARIE|marie>", Command{Kind: KindPilote, Number: 23, Edit: store.Edit{Pilote: &store.Person{UserID: "U01MARIE"}}}},
		{"pilote quoted", "/action", `23 pilote "CCI Touraine"`, Command{Kind: KindPilote, Number: 23, Edit: store.Edit{Pilote: &store.Person{Name: "CCI Touraine"}}}},
		{"pilote guillemets", "/action", "23 pilote « CCI Touraine »", Command{Kind: KindPilote, Number: 23, Edit: store.Edit{Pilote: &store.Person{Name: "CCI Touraine"}}}},
		{"pilote unquoted", "/action", "23 owner Dev'Up", Command{Kind: KindPilote, Number: 23, Edit: store.Edit{Pilote: &store.Person{Name: "Dev'Up"}}, HelpLanguage: 1}},
		{"contributors", "/action", `23 contributeurs <@U1AB|a> <@U2CD> "Université de Tours"`, Command{Kind: KindContributors, Number: 23,
			Edit: store.Edit{Contributors: &[]store.Person{{UserID: "U1AB"}, {UserID: "U2CD"}, {Name: "Université de Tours"}}}}},
		{"contributors commas", "/action", "23 contributeurs CCI Touraine, Dev'Up", Command{Kind: KindContributors, Number: 23,
			Edit: store.Edit{Contributors: &[]store.Person{{Name: "CCI Touraine"}, {Name: "Dev'Up"}}}}},
		{"contributors none", "/action", "23 contributeurs aucun", Command{Kind: KindContributors, Number: 23, Edit: store.Edit{Contributors: &[]store.Person{}}}},
		{"due dd/mm/yyyy", "/action", "23 echeance 15/03/2027", Command{Kind: KindDue, Number: 23, Edit: store.Edit{Due: &store.Date{Year: 2027, Month: 3, Day: 15}}}},
		{"due accent upper", "/action", "23 ÉCHÉANCE 15/03/2027", Command{Kind: KindDue, Number: 23, Edit: store.Edit{Due: &store.Date{Year: 2027, Month: 3, Day: 15}}}},
		{"due iso", "/action", "23 échéance 2027-03-15", Command{Kind: KindDue, Number: 23, Edit: store.Edit{Due: &store.Date{Year: 2027, Month: 3, Day: 15}}}},
		{"due dd/mm later this year", "/action", "23 échéance 15/12", Command{Kind: KindDue, Number: 23, Edit: store.Edit{Due: &store.Date{Year: 2026, Month: 12, Day: 15}}}},
		{"due dd/mm rolls to next year", "/action", "23 échéance 15/03", Command{Kind: KindDue, Number: 23, Edit: store.Edit{Due: &store.Date{Year: 2027, Month: 3, Day: 15}}}},
		{"due none", "/action", "23 échéance aucune", Command{Kind: KindDue, Number: 23, Edit: store.Edit{Due: &store.Date{}}}},
		{"due 29/02 is the next leap day", "/action", "23 échéance 29/02", Command{Kind: KindDue, Number: 23, Edit: store.Edit{Due: &store.Date{Year: 2028, Month: 2, Day: 29}}}},
		{"note as Slack escapes it", "/action", "23 note R&amp;D &lt;3 &gt; rien", Command{Kind: KindNote, Number: 23, Edit: store.Edit{Note: "R&D <3 > rien"}}},
		{"quoted name as Slack escapes it", "/action", `23 pilote "Arts &amp; Métiers"`, Command{Kind: KindPilote, Number: 23, Edit: store.Edit{Pilote: &store.Person{Name: "Arts & Métiers"}}}},
		{"search as Slack escapes it", "/action", "cherche R&amp;D", Command{Kind: KindSearch, Text: "R&D", List: ListOptions{Page: 1}}},
		{"due none en", "/action", "23 due none", Command{Kind: KindDue, Number: 23, Edit: store.Edit{Due: &store.Date{}}, HelpLanguage: 1}},
		{"history", "/action", "23 historique", Command{Kind: KindHistory, Number: 23, List: ListOptions{Page: 1}}},
		{"history page", "/action", "23 historique page 2", Command{Kind: KindHistory, Number: 23, List: ListOptions{Page: 2}}},
		{"search page", "/action", "cherche de page 2", Command{Kind: KindSearch, Text: "de", List: ListOptions{Page: 2}}},
		{"several changes", "/action", "23 statut en cours avancement 55 note Point fait avec la CCI, avancement noté",
			Command{Kind: KindStatus, Number: 23, Edit: store.Edit{Status: ptr(store.StatusInProgress), Progress: ptr(55), Note: "Point fait avec la CCI, avancement noté"}}},
		{"several changes, a field's name in a value", "/action", "23 status in progress progress 55",
			Command{Kind: KindStatus, Number: 23, HelpLanguage: 1, Edit: store.Edit{Status: ptr(store.StatusInProgress), Progress: ptr(55)}}},
		{"several changes, people and dates", "/action", `23 échéance 15/03/2027 pilote "CCI Touraine" contributeurs aucun`,
			Command{Kind: KindDue, Number: 23, Edit: store.Edit{Due: &store.Date{Year: 2027, Month: 3, Day: 15}, Pilote: &store.Person{Name: "CCI Touraine"}, Contributors: &[]store.Person{}}}},
		{"share", "/action", "23 partager", Command{Kind: KindShare, Number: 23}},
		{"list", "/action", "liste", Command{Kind: KindList, List: ListOptions{Page: 1}}},
		{"list filters", "/action", "liste axe 2 programme 2.1 groupe Parcours client statut en cours pilote <@U01MARIE> page 2",
			Command{Kind: KindList, List: ListOptions{Axis: "2", Programme: "2.1", Group: "Parcours client", Status: store.StatusInProgress, Owner: store.Person{UserID: "U01MARIE"}, Page: 2}}},
		{"list socle", "/action", "liste axe socle", Command{Kind: KindList, List: ListOptions{Axis: "S", Page: 1}}},
		{"list due past, rhythm passed", "/action", "liste groupe prospection échéance dépassée rythme dépassé",
			Command{Kind: KindList, List: ListOptions{Group: "prospection", Due: DuePast, RhythmPassed: true, Page: 1}}},
		{"list due soon", "/action", "list due soon", Command{Kind: KindList, HelpLanguage: 1, List: ListOptions{Due: DueSoon, Page: 1}}},
		{"list en", "/action", "list group prospection status blocked owner \"CCI Touraine\"",
			Command{Kind: KindList, HelpLanguage: 1, List: ListOptions{Group: "prospection", Status: store.StatusBlocked, Owner: store.Person{Name: "CCI Touraine"}, Page: 1}}},
		{"mine", "/action", "mes", Command{Kind: KindMine, List: ListOptions{Page: 1}}},
		{"mine page", "/action", "mine page 3", Command{Kind: KindMine, HelpLanguage: 1, List: ListOptions{Page: 3}}},
		{"late", "/action", "retard", Command{Kind: KindLate, List: ListOptions{Page: 1}}},
		{"search", "/action", "cherche ambassadeurs réseau", Command{Kind: KindSearch, Text: "ambassadeurs réseau", List: ListOptions{Page: 1}}},
		{"dashboard", "/action", "tableau", Command{Kind: KindDashboard}},
		{"copil", "/copil", "", Command{Kind: KindCopilNext}},
		{"copil schedule", "/copil", "planifier 15/01/2027 14h00 Hôtel de Métropole",
			Command{Kind: KindCopilSchedule, Day: store.Date{Year: 2027, Month: 1, Day: 15}, Clock: 14 * time.Hour, Text: "Hôtel de Métropole"}},
		{"copil schedule colon", "/copil", "schedule 15/01/2027 9:30",
			Command{Kind: KindCopilSchedule, HelpLanguage: 1, Day: store.Date{Year: 2027, Month: 1, Day: 15}, Clock: 9*time.Hour + 30*time.Minute}},
		{"follow", "/action", "23 suivre", Command{Kind: KindFollow, Number: 23}},
		{"unfollow, several words", "/action", "23 ne plus suivre", Command{Kind: KindUnfollow, Number: 23}},
		{"unfollow en", "/action", "23 unfollow", Command{Kind: KindUnfollow, Number: 23, HelpLanguage: 1}},
		{"following", "/action", "suivies page 2", Command{Kind: KindFollowing, List: ListOptions{Page: 2}}},
		{"copil cancel", "/copil", "annuler 15/01/2027", Command{Kind: KindCopilCancel, Day: store.Date{Year: 2027, Month: 1, Day: 15}}},
		{"copil list", "/copil", "liste", Command{Kind: KindCopilList}},
		{"copil help", "/copil", "aide", Command{Kind: KindCopilHelp}},
		{"copil help en", "/copil", "help", Command{Kind: KindCopilHelp, HelpLanguage: 1}},
		{"note keeps a lone quote", "/action", `23 note il a dit "oui`, Command{Kind: KindNote, Number: 23, Edit: store.Edit{Note: `il a dit "oui`}}},
		{"copil dashboard", "/copil", "tableau", Command{Kind: KindCopilDashboard}},
		{"rhythm days", "/action", "23 rythme 14j", Command{Kind: KindRhythm, Number: 23, Rhythm: store.Rhythm{N: 14, Unit: store.Days}}},
		{"rhythm weeks", "/action", "23 rythme 2 semaines", Command{Kind: KindRhythm, Number: 23, Rhythm: store.Rhythm{N: 2, Unit: store.Weeks}}},
		{"rhythm none", "/action", "23 rythme aucun", Command{Kind: KindRhythm, Number: 23}},
		{"cadence en", "/action", "23 cadence 1 month", Command{Kind: KindRhythm, Number: 23, HelpLanguage: 1, Rhythm: store.Rhythm{N: 1, Unit: store.Months}}},
		{"copil decision", "/copil", "décision 23 Étendre « le guichet » à Amboise", Command{Kind: KindCopilDecision, Number: 23, Text: "Étendre « le guichet » à Amboise"}},
		{"copil decisions", "/copil", "releve", Command{Kind: KindCopilDecisions}},
		{"copil decisions day", "/copil", "relevé 15/01/2027", Command{Kind: KindCopilDecisions, Day: store.Date{Year: 2027, Month: 1, Day: 15}}},
		{"copil minutes", "/copil", "compte-rendu", Command{Kind: KindCopilMinutes}},
		{"copil minutes en", "/copil", "minutes 07/10/2026", Command{Kind: KindCopilMinutes, HelpLanguage: 1, Day: store.Date{Year: 2026, Month: 10, Day: 7}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.command, tt.text, today)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.text, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		command string
		text    string
		key     msg
		spec    Kind // the sub-command whose usage is shown; -1 for none
		fr      string
	}{
		{"unknown sub suggests", "/action", "23 statu en cours", msgUnknownSubSuggest, -1, "Vouliez-vous dire « statut » ?"},
		{"unknown sub accent suggests", "/action", "23 echance 15/03/2027", msgUnknownSubSuggest, -1, "Vouliez-vous dire « échéance » ?"},
		{"unknown list word", "/action", "lsite", msgUnknownSubSuggest, -1, "« liste »"},
		{"unknown sub far", "/action", "23 xyzzyplugh", msgUnknownSub, -1, "Tapez /action aide"},
		{"missing rhythm", "/action", "23 rythme", msgMissingRhythm, KindRhythm, "Quel rythme ?"},
		{"bad rhythm", "/action", "23 rythme souvent", msgBadRhythm, KindRhythm, "« souvent » n'est pas un rythme"},
		{"zero rhythm", "/action", "23 rythme 0j", msgBadRhythm, KindRhythm, "« 0j » n'est pas un rythme"},
		{"missing decision", "/copil", "decision 23", msgMissingDecision, KindCopilDecision, "Quelle décision ?"},
		{"decision without number", "/copil", "decision Étendre", msgBadNumber, KindCopilDecision, "« Étendre » n'est pas un numéro d'action"},
		{"decision too long", "/copil", "decision 23 " + strings.Repeat("a", store.MaxDecisionLen+1), msgDecisionTooLong, KindCopilDecision, "1000 caractères au plus"},
		{"releve too many", "/copil", "releve 15/01/2027 demain", msgTooManyArgs, KindCopilDecisions, "« demain »"},
		{"unknown status", "/action", "23 statut fini", msgUnknownStatus, KindStatus, "« fini » n'est pas un statut. Choisissez parmi : à lancer, en cours, bloquée, terminée, abandonnée."},
		{"missing status", "/action", "23 statut", msgMissingStatus, KindStatus, "Quel statut ?"},
		{"progress over", "/action", "23 avancement 150", msgProgressRange, KindProgress, "entre 0 et 100 (vous avez écrit 150)"},
		{"progress negative", "/action", "23 avancement -5", msgProgressRange, KindProgress, "(vous avez écrit -5)"},
		{"progress not a number", "/action", "23 avancement beaucoup", msgBadProgress, KindProgress, "« beaucoup » n'est pas un avancement"},
		{"missing progress", "/action", "23 avancement", msgMissingProgress, KindProgress, "Quel avancement ?"},
		{"no such day", "/action", "23 échéance 31/02/2027", msgNoSuchDay, KindDue, "Le 31/02/2027 n'existe pas"},
		{"bad date", "/action", "23 échéance demain", msgBadDate, KindDue, "écrivez JJ/MM/AAAA"},
		{"month 13", "/action", "23 échéance 12/13/2027", msgBadDate, KindDue, "« 12/13/2027 » n'est pas une date"},
		{"missing date", "/action", "23 échéance", msgMissingDate, KindDue, "Quelle date ?"},
		{"bare mention", "/action", "23 pilote @marie", msgBareMention, KindPilote, "choisissez-la dans la liste que Slack propose"},
		{"two pilotes", "/action", "23 pilote <@U1AB> <@U2CD>", msgOnePilote, KindPilote, "un seul pilote (vous en avez donné 2)"},
		{"missing pilote", "/action", "23 pilote", msgMissingPerson, KindPilote, "Qui ?"},
		{"missing contributors", "/action", "23 contributeurs", msgMissingPeople, KindContributors, "« aucun » pour les retirer"},
		{"channel is not a person", "/action", "23 contributeurs <#C123|general>", msgNotAPerson, KindContributors, "n'est pas une personne"},
		{"a typed <@U…> is no mention", "/action", "23 pilote &lt;@U02PAUL&gt;", msgNotAPerson, KindPilote, "« &lt;@U02PAUL&gt; » n'est pas une personne"},
		{"a quoted name that reads as a user", "/action", `23 pilote "<@U02PAUL>"`, msgBadName, KindPilote, "ne peut pas être un nom"},
		{"a name with a semicolon", "/action", `23 contributeurs "Dev; Up" "CCI"`, msgBadName, KindContributors, "« Dev; Up » ne peut pas être un nom"},
		{"a name too long", "/action", `23 pilote "` + strings.Repeat("x", 201) + `"`, msgNameTooLong, KindPilote, "200 caractères au plus"},
		{"missing note", "/action", "23 note", msgMissingNote, KindNote, "La note est vide"},
		{"unbalanced quote", "/action", `23 pilote "CCI Touraine`, msgUnbalancedQuote, KindPilote, "Le guillemet \" de « CCI Touraine » n'est pas fermé"},
		{"unbalanced guillemet", "/action", `23 contributeurs « Université de Tours`, msgUnbalancedQuote, KindContributors, "Le guillemet « de « Université de Tours » n'est pas fermé"},
		{"unbalanced quote in a filter", "/action", `liste groupe "Parcours client`, msgUnbalancedQuote, KindList, "n'est pas fermé"},
		{"a field twice", "/action", "23 avancement 50 statut en cours avancement 60", msgFieldTwice, KindProgress, "« avancement » est donné deux fois"},
		{"one bad value of several", "/action", "23 statut en cours avancement beaucoup note x", msgBadProgress, KindProgress, "« beaucoup » n'est pas un avancement"},
		{"a field without value", "/action", "23 statut avancement 50", msgMissingStatus, KindStatus, "Quel statut ?"},
		{"a typo date", "/action", "23 échéance 15/03/3027", msgImplausibleYear, KindDue, "l'année 3027 semble une faute de frappe"},
		{"extra args on history", "/action", "23 historique complet", msgTooManyArgs, KindHistory, "« complet »"},
		{"bad number", "/action", "-3", msgBadNumber, -1, "« -3 » n'est pas un numéro d'action"},
		{"number with junk", "/action", "23abc", msgBadNumber, -1, "« 23abc »"},
		{"action 0", "/action", "0", msgNumberFrom1, -1, "numérotées à partir de 1"},
		{"sub needs number", "/action", "statut en cours", msgNeedsNumber, KindStatus, "indiquez son numéro avant"},
		{"list takes no number", "/action", "23 liste", msgNoNumberNeeded, KindList, "ne prend pas de numéro"},
		{"unknown filter", "/action", "liste couleur rouge", msgUnknownFilter, KindList, "« couleur » n'est pas un filtre"},
		{"filter without value", "/action", "liste axe", msgMissingFilterValue, KindList, "Le filtre « axe » attend une valeur"},
		{"bad due filter", "/action", "liste échéance demain", msgBadDueFilter, KindList, "« demain » : le filtre échéance prend « dépassée »"},
		{"bad rhythm filter", "/action", "liste rythme lent", msgBadRhythmFilter, KindList, "« lent » : le filtre rythme prend « dépassé »"},
		{"bad axis", "/action", "liste axe 2b", msgBadAxis, KindList, "« 2b » n'est pas un axe"},
		{"bad programme", "/action", "liste programme deux", msgBadProgramme, KindList, "« deux » n'est pas un programme"},
		{"bad page", "/action", "liste page 0", msgBadPage, KindList, "« 0 » n'est pas un numéro de page"},
		{"bad list status", "/action", "liste statut fini", msgUnknownStatus, KindList, "« fini » n'est pas un statut"},
		{"missing search", "/action", "cherche", msgMissingSearch, KindSearch, "Que faut-il chercher ?"},
		{"search of 33 words", "/action", "cherche" + strings.Repeat(" mot", 33), msgTooManySearchWords, KindSearch, "moins de mots"},
		{"search of 4,096 words", "/action", "cherche" + strings.Repeat(" a", 4096), msgTooManySearchWords, KindSearch, "32 au plus"},
		{"search of one word of 40 parts", "/action", "cherche " + strings.Repeat("a-", 40), msgTooManySearchWords, KindSearch, "moins de mots"},
		{"copil unknown", "/copil", "planfier 15/01/2027 14h", msgUnknownSubSuggest, -1, "« planifier »"},
		{"copil missing time", "/copil", "planifier 15/01/2027", msgMissingTime, KindCopilSchedule, "À quelle heure ?"},
		{"copil bad time", "/copil", "planifier 15/01/2027 25h00", msgBadTime, KindCopilSchedule, "« 25h00 » n'est pas une heure"},
		{"copil bad day", "/copil", "planifier 30/02/2027 14h", msgNoSuchDay, KindCopilSchedule, "Le 30/02/2027 n'existe pas"},
		{"copil cancel missing", "/copil", "annuler", msgMissingDate, KindCopilCancel, "Quelle date ?"},
		{"unknown slash command", "/plan", "23", msgUnknownCommand, -1, "Je ne connais pas la commande /plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.command, tt.text, today)
			var ue *UserError
			if !errors.As(err, &ue) {
				t.Fatalf("Parse(%q) error = %v, want a *UserError", tt.text, err)
			}
			if ue.Key != tt.key {
				t.Errorf("key = %d, want %d (%s)", ue.Key, tt.key, fr.render(ue))
			}
			switch {
			case tt.spec < 0 && ue.Spec != nil:
				t.Errorf("usage of kind %d shown, want none", ue.Spec.kind)
			case tt.spec >= 0 && (ue.Spec == nil || ue.Spec.kind != tt.spec):
				t.Errorf("usage shown = %+v, want kind %d", ue.Spec, tt.spec)
			}
			if got := fr.render(ue); !contains(got, tt.fr) {
				t.Errorf("French message = %q, want it to contain %q", got, tt.fr)
			}
			if en.render(ue) == fr.render(ue) {
				t.Errorf("English message is the French one: %q", en.render(ue))
			}
		})
	}
}

// TestSuggestsRealNames: a near miss is never answered with « ? ».
func TestSuggestsRealNames(t *testing.T) {
	for _, text := range []string{"é", "!", "a"} {
		_, err := Parse("/action", text, today)
		var ue *UserError
		if !errors.As(err, &ue) {
			t.Fatalf("Parse(%q) = %v", text, err)
		}
		if got := fr.render(ue); strings.Contains(got, "« ? »") {
			t.Errorf("Parse(%q) suggests « ? »: %s", text, got)
		}
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// TestCatalogComplete checks that every key has a text in each language,
// with the same number of arguments.
func TestCatalogComplete(t *testing.T) {
	for k := msgNone + 1; k < msgCount; k++ {
		f, ok1 := fr.msgs[k]
		e, ok2 := en.msgs[k]
		if !ok1 || !ok2 || f == "" || e == "" {
			t.Errorf("key %d: fr %v, en %v", k, ok1, ok2)
			continue
		}
		if !maps.Equal(countVerbs(f), countVerbs(e)) {
			t.Errorf("key %d: fr %q and en %q take different arguments", k, f, e)
		}
	}
	for _, c := range []*catalog{&fr, &en} {
		for _, st := range store.Statuses {
			if c.status[st] == "" || c.emoji[st] == "" {
				t.Errorf("%s: status %s has no label or emoji", c.lang, st)
			}
		}
		for _, p := range []Permission{Anyone, Editors, Leads, Admins} {
			if c.perms[p] == "" {
				t.Errorf("%s: permission %d has no wording", c.lang, p)
			}
		}
	}
}

func countVerbs(s string) map[byte]int {
	n := map[byte]int{}
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' {
			if s[i+1] == '%' {
				i++
				continue
			}
			j := i + 1
			for j < len(s) && (s[j] == '[' || s[j] == ']' || (s[j] >= '0' && s[j] <= '9')) {
				j++
			}
			if j < len(s) {
				n[s[j]]++
			}
		}
	}
	return n
}

// TestTableNamesUnique checks that no two sub-commands of a slash command
// share a name, which would make one unreachable.
func TestTableNamesUnique(t *testing.T) {
	seen := map[string]Kind{}
	for _, s := range specs {
		for _, names := range s.names {
			for _, n := range names {
				k := s.command + " " + key(n)
				if prev, dup := seen[k]; dup && prev != s.kind {
					t.Errorf("%s is the name of kinds %d and %d", k, prev, s.kind)
				}
				seen[k] = s.kind
			}
		}
		// Every example parses to the kind it illustrates.
		for lang, c := range []*catalog{&fr, &en} {
			for _, ex := range c.examples(&s) {
				// In Slack, a person picked with @ arrives escaped.
				cmd, text, _ := cut(slackMention.ReplaceAllString(ex, "<@UTEST|$1>"))
				c, err := Parse(cmd, text, today)
				if err != nil {
					t.Errorf("example %q (lang %d): %v", ex, lang, err)
					continue
				}
				if c.Kind != s.kind {
					t.Errorf("example %q parses as kind %d, want %d", ex, c.Kind, s.kind)
				}
			}
		}
	}
}

var slackMention = regexp.MustCompile(`@(\w+)`)

func cut(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{"23", "23 statut en cours", "23 échéance 31/02/2027", "liste axe 2 statut bloquée page 2",
		`23 contributeurs <@U1|a> "Université" CCI, Dev'Up`, "planifier 15/01/2027 14h00 Hôtel", "« non fermé", "<@", "23 note \x00"} {
		f.Add("/action", seed)
		f.Add("/copil", seed)
	}
	f.Fuzz(func(t *testing.T, command, text string) {
		c, err := Parse(command, text, today)
		if err != nil {
			var ue *UserError
			if !errors.As(err, &ue) {
				t.Fatalf("Parse(%q, %q) error %v is not a *UserError", command, text, err)
			}
			fr.render(ue)
			en.render(ue)
			return
		}
		if specOf(c.Kind).target && c.Number < 1 {
			t.Fatalf("Parse(%q, %q) = kind %d with number %d", command, text, c.Kind, c.Number)
		}
		if p := c.Edit.Progress; p != nil && (*p < 0 || *p > 100) {
			t.Fatalf("Parse(%q, %q) progress %d", command, text, *p)
		}
		if st := c.Edit.Status; st != nil && !st.Valid() {
			t.Fatalf("Parse(%q, %q) status %q", command, text, *st)
		}
	})
}

func ptr[T any](v T) *T { return &v }

package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm/clause"
)

// DefaultGroups are the four working groups that carry the strategy, used
// when the configuration declares none.
func DefaultGroups() []Group {
	return []Group{
		{Key: "parcours-client", Name: "Parcours client", Digest: "0 9 * * MON"},
		{Key: "prospection", Name: "Prospection", Digest: "0 9 * * MON"},
		{Key: "ambassadeurs", Name: "Ambassadeurs", Digest: "0 9 * * MON"},
		{Key: "outils-numeriques", Name: "Outils numériques", Digest: "0 9 * * MON"},
	}
}

// Demo Slack users: pilotes and contributors of the demonstration plan who
// are "on Slack", so that mentions, « mes actions » and nudges have someone
// to speak to.
const (
	DemoMarie  = "U01MARIE"
	DemoPaul   = "U02PAUL"
	DemoSophie = "U03SOPHIE"
	DemoKarim  = "U04KARIM"
)

// DemoNames are the demo users' names, as users.info would give them:
// an export of the demonstration plan names them (« Marie Lefèvre
// <@U01MARIE> »).
var DemoNames = map[string]string{DemoMarie: "Marie Lefèvre", DemoPaul: "Paul Moreau", DemoSophie: "Sophie Girard", DemoKarim: "Karim Benali"}

// DemoFirstNames are the demo users' first names, as Slack's @ picker
// offers them: the demo console reads « @Marie » as a mention of her.
var DemoFirstNames = func() map[string]string {
	first := map[string]string{}
	for id, name := range DemoNames {
		first[id], _, _ = strings.Cut(name, " ")
	}
	return first
}()

// DemoLeads are the demo's group leads: Sophie leads « Ambassadeurs », so
// that `demo --as U03SOPHIE` shows what a lead may do.
var DemoLeads = map[string][]string{"ambassadeurs": {DemoSophie}}

var demoAxes = []struct{ code, name string }{
	{"S", "Socle commun de la démarche"},
	{"1", "Attirer, accueillir et connecter les entreprises"},
	{"2", "Capter et accompagner les apprenants"},
	{"3", "Faire des talents un levier d'attractivité"},
	{"4", "Insuffler le goût d'innover et d'entreprendre"},
}

var demoProgrammes = []struct{ code, name string }{
	{"S.1", "Animation de la démarche"},
	{"S.2", "Promotion de la destination"},
	{"S.3", "Qualité de l'hospitalité territoriale"},
	{"1.1", "Organiser l'accueil des entreprises"},
	{"1.2", "Connecter et fédérer les entreprises, animer les écosystèmes"},
	{"1.3", "Capter et aller chercher les opportunités économiques"},
	{"1.4", "Découvrir les opportunités locales en matière d'emplois"},
	{"2.1", "Promouvoir l'offre de formation et le cadre de vie"},
	{"2.2", "Améliorer l'accueil et l'accompagnement des apprenants"},
	{"2.3", "Connecter les apprenants avec les entreprises"},
	{"3.1", "Développer une communauté d'ambassadeurs"},
	{"3.2", "Accompagner et connecter les talents"},
	{"3.3", "Promouvoir nos pépites et nos talents"},
	{"4.1", "Faciliter l'innovation"},
	{"4.2", "Implanter l'innovation"},
	{"4.3", "Déployer une dynamique digitale sur le territoire"},
}

// demoAction is one line of the demonstration plan; due is in days from
// the day the demo is seeded (0: no due date).
type demoAction struct {
	prog, group, title, pilote, contributors string
	status                                   Status
	progress, due                            int
}

const (
	pc = "parcours-client"
	pr = "prospection"
	am = "ambassadeurs"
	on = "outils-numeriques"
)

var demoActions = []demoAction{
	// Socle
	{"S.1", pc, "Installer le COPIL ouvert aux entreprises et son calendrier annuel", "Tours Métropole", "MEDEF Touraine; UEP37", StatusDone, 100, -120},
	{"S.1", pc, "Animer les quatre groupes de travail et partager leurs feuilles de route", "<@" + DemoMarie + ">", "Tours Métropole", StatusInProgress, 60, 45},
	{"S.1", on, "Publier un tableau de bord partagé de l'avancement du plan", "<@" + DemoPaul + ">", "Tours Métropole", StatusInProgress, 40, -12},
	{"S.1", pc, "Organiser une rencontre annuelle des partenaires de l'attractivité", "Tours Métropole", "Région Centre-Val de Loire; Dev'Up", StatusTodo, 0, 160},
	{"S.2", am, "Déployer la marque territoriale auprès des partenaires", "Tours Métropole", "Touraine Loire Valley", StatusInProgress, 55, 30},
	{"S.2", am, "Créer une boîte à outils de la marque (logos, visuels, argumentaire)", "<@" + DemoSophie + ">", "Agence de communication", StatusDone, 100, -40},
	{"S.2", on, "Lancer le portail web de l'attractivité de la métropole", "<@" + DemoPaul + ">", "<@" + DemoKarim + ">; Dev'Up", StatusBlocked, 35, -20},
	{"S.2", am, "Produire une campagne vidéo « Vivre et travailler en Touraine »", "Tours Métropole", "Office de tourisme", StatusTodo, 0, 90},
	{"S.3", pc, "Former les acteurs en contact avec les clientèles à l'accueil des nouveaux arrivants", "CCI Touraine", "CMA Centre-Val de Loire", StatusInProgress, 30, 60},
	{"S.3", on, "Organiser la gestion des flux d'informations entre partenaires", "<@" + DemoKarim + ">", "Tours Métropole; Dev'Up", StatusTodo, 0, 21},
	{"S.3", pc, "Mettre en place un label « accueil attractivité » pour les commerces", "CCI Touraine", "", StatusAbandoned, 10, 0},
	// Axe 1
	{"1.1", pc, "Créer un guichet unique d'accueil des entreprises", "Dev'Up", "Tours Métropole; CCI Touraine", StatusInProgress, 70, 14},
	{"1.1", pc, "Rédiger le guide d'implantation des entreprises", "<@" + DemoMarie + ">", "Dev'Up", StatusInProgress, 80, -5},
	{"1.1", pc, "Proposer un accompagnement des conjoints des salariés recrutés", "Tours Métropole", "France Travail; APEC", StatusTodo, 0, 120},
	{"1.1", pr, "Recenser l'offre foncière et immobilière disponible pour les entreprises", "Tours Métropole", "Dev'Up", StatusDone, 100, -60},
	{"1.2", pr, "Organiser des petits-déjeuners d'entreprises par filière", "MEDEF Touraine", "UEP37; CCI Touraine", StatusInProgress, 50, 35},
	{"1.2", am, "Créer un club des entreprises nouvellement implantées", "UEP37", "<@" + DemoMarie + ">", StatusTodo, 0, 75},
	{"1.2", pr, "Cartographier les écosystèmes et filières d'excellence", "Dev'Up", "Université de Tours", StatusInProgress, 45, -30},
	{"1.2", on, "Ouvrir un annuaire en ligne des entreprises du territoire", "<@" + DemoKarim + ">", "CCI Touraine", StatusBlocked, 20, 10},
	{"1.3", pr, "Définir les cibles de prospection prioritaires", "Dev'Up", "Région Centre-Val de Loire", StatusDone, 100, -90},
	{"1.3", pr, "Participer aux salons professionnels nationaux avec une offre commune", "Dev'Up", "CCI Touraine; Tours Métropole", StatusInProgress, 25, 50},
	{"1.3", pr, "Mettre en place une veille des projets d'implantation", "<@" + DemoPaul + ">", "Dev'Up", StatusInProgress, 65, 7},
	{"1.3", pr, "Accueillir des délégations d'investisseurs", "Tours Métropole", "Région Centre-Val de Loire", StatusTodo, 0, -3},
	{"1.4", pc, "Organiser un forum annuel de l'emploi et des métiers", "France Travail", "CCI Touraine; CMA Centre-Val de Loire", StatusInProgress, 30, 100},
	{"1.4", on, "Publier les offres d'emploi locales sur le portail de l'attractivité", "<@" + DemoKarim + ">", "France Travail", StatusTodo, 0, 40},
	{"1.4", pc, "Faire découvrir les métiers en tension aux nouveaux arrivants", "CMA Centre-Val de Loire", "", StatusTodo, 0, 0},
	// Axe 2
	{"2.1", am, "Promouvoir l'offre de formation supérieure dans les salons étudiants", "Université de Tours", "Région Centre-Val de Loire", StatusInProgress, 60, 25},
	{"2.1", am, "Valoriser le cadre de vie auprès des lycéens et étudiants", "<@" + DemoSophie + ">", "Université de Tours; Tours Métropole", StatusInProgress, 35, -15},
	{"2.1", on, "Créer un site « Étudier à Tours »", "Université de Tours", "<@" + DemoPaul + ">", StatusTodo, 0, 130},
	{"2.2", pc, "Organiser la rentrée des étudiants avec les partenaires", "Université de Tours", "Tours Métropole; CROUS", StatusDone, 100, -70},
	{"2.2", pc, "Faciliter le logement des apprenants", "Tours Métropole", "CROUS; Action Logement", StatusBlocked, 15, -45},
	{"2.2", pc, "Mettre en place un parcours d'accueil des étudiants internationaux", "Université de Tours", "<@" + DemoMarie + ">", StatusInProgress, 40, 20},
	{"2.3", pr, "Développer les stages et alternances dans les entreprises locales", "MEDEF Touraine", "Université de Tours; UEP37", StatusInProgress, 55, 60},
	{"2.3", am, "Organiser des visites d'entreprises pour les étudiants", "UEP37", "Université de Tours", StatusTodo, 0, 30},
	{"2.3", pr, "Créer une plateforme de projets tutorés entreprises-étudiants", "Université de Tours", "Dev'Up", StatusTodo, 0, 180},
	// Axe 3
	{"3.1", am, "Recruter les premiers ambassadeurs du territoire", "<@" + DemoSophie + ">", "MEDEF Touraine; UEP37", StatusInProgress, 75, -8},
	{"3.1", am, "Animer la communauté des ambassadeurs (rencontres, newsletter)", "<@" + DemoSophie + ">", "Tours Métropole", StatusInProgress, 30, 55},
	{"3.1", on, "Outiller les ambassadeurs d'un réseau social dédié", "<@" + DemoKarim + ">", "<@" + DemoSophie + ">", StatusTodo, 0, 15},
	{"3.2", pc, "Accompagner les talents nouvellement recrutés et leur famille", "Tours Métropole", "APEC", StatusTodo, 0, 70},
	{"3.2", am, "Connecter les talents entre eux par des événements thématiques", "UEP37", "", StatusInProgress, 20, 40},
	{"3.2", pr, "Lancer un programme de retour des talents partis du territoire", "Région Centre-Val de Loire", "Dev'Up", StatusBlocked, 5, 5},
	{"3.3", am, "Publier des portraits de pépites et talents du territoire", "Tours Métropole", "<@" + DemoSophie + ">", StatusInProgress, 50, 28},
	{"3.3", am, "Créer des trophées de l'attractivité", "MEDEF Touraine", "CCI Touraine; Tours Métropole", StatusTodo, 0, 150},
	{"3.3", on, "Relayer les succès des entreprises sur les réseaux sociaux", "<@" + DemoPaul + ">", "", StatusDone, 100, -25},
	// Axe 4
	{"4.1", pr, "Faciliter l'accès des PME aux laboratoires de l'Université", "Université de Tours", "Dev'Up; CCI Touraine", StatusInProgress, 45, 80},
	{"4.1", pr, "Organiser des rencontres start-up / grands comptes", "Dev'Up", "MEDEF Touraine", StatusInProgress, 30, -2},
	{"4.1", on, "Créer un guichet numérique des aides à l'innovation", "Région Centre-Val de Loire", "<@" + DemoKarim + ">", StatusTodo, 0, 110},
	{"4.2", pr, "Implanter un tiers-lieu d'innovation en cœur de métropole", "Tours Métropole", "Université de Tours; Dev'Up", StatusInProgress, 20, 200},
	{"4.2", pr, "Attirer des programmes d'accélération de start-up", "Dev'Up", "Région Centre-Val de Loire", StatusTodo, 0, 95},
	{"4.3", on, "Accompagner la transition numérique des commerces et artisans", "CMA Centre-Val de Loire", "CCI Touraine", StatusInProgress, 55, 65},
	{"4.3", on, "Déployer des ateliers d'inclusion numérique", "Tours Métropole", "", StatusTodo, 0, -35},
	{"4.3", on, "Organiser une semaine du numérique en Touraine", "<@" + DemoKarim + ">", "<@" + DemoPaul + ">; UEP37", StatusInProgress, 10, 140},
}

// DemoPlan returns the demonstration plan — 1 socle, 4 axes, 16
// programmes, 52 actions — with due dates around today. It is a
// demonstration, to be replaced by the real plan through import.
func DemoPlan(today Date) []ActionRow {
	axisName := map[string]string{}
	for _, a := range demoAxes {
		axisName[a.code] = a.name
	}
	progName := map[string]string{}
	for _, p := range demoProgrammes {
		progName[p.code] = p.name
	}
	rows := make([]ActionRow, len(demoActions))
	for i, d := range demoActions {
		axis := d.prog[:1]
		r := ActionRow{
			Number: i + 1, AxisCode: axis, AxisName: axisName[axis],
			ProgrammeCode: d.prog, ProgrammeName: progName[d.prog],
			Title: d.title, Group: d.group, Pilote: ParsePerson(d.pilote),
			Contributors: SplitPeople(d.contributors), Status: d.status, Progress: d.progress,
		}
		if d.due != 0 {
			r.Due = today.AddDays(d.due)
		}
		rows[i] = r
	}
	return rows
}

// demoStory is a change a demo user made some days before the seed, so that
// cards, histories and digests have something to tell.
var demoStory = []struct {
	daysAgo int
	number  int
	author  string
	edit    func() Edit
}{
	{20, 7, DemoPaul, func() Edit {
		st := StatusBlocked
		return Edit{Status: &st, Note: "En attente de la validation du marché par la commande publique."}
	}},
	{12, 13, DemoMarie, func() Edit { p := 80; return Edit{Progress: &p, Note: "Relecture par Dev'Up en cours."} }},
	{6, 36, DemoSophie, func() Edit { p := 75; return Edit{Progress: &p, Note: "18 ambassadeurs recrutés sur 25."} }},
	{3, 22, DemoPaul, func() Edit { return Edit{Note: "Trois projets détectés ce mois-ci, transmis à Dev'Up."} }},
	{2, 2, DemoMarie, func() Edit {
		p := 60
		return Edit{Progress: &p, Note: "Feuilles de route des groupes Prospection et Ambassadeurs validées."}
	}},
	{1, 31, DemoMarie, func() Edit { return Edit{Note: "Réunion avec Action Logement reportée ; point au prochain COPIL."} }},
}

// SeedDemo fills an empty store with the demonstration plan as of now (a
// store holding actions or meetings is refused with ErrConflict): the
// four default groups (those not already configured), the 52 actions
// imported 60 days ago, a past COPIL with three decisions, a few recent
// updates by demo users, and the next COPIL in 12 days at 14:00 in loc.
func (s *Store) SeedDemo(ctx context.Context, loc *time.Location) error {
	// The demo fills an empty plan only: over a real one it would replace
	// actions, add made-up notes and a fictitious COPIL.
	var n int64
	if err := s.db.WithContext(ctx).Raw("SELECT (SELECT COUNT(*) FROM actions) + (SELECT COUNT(*) FROM meetings)").Scan(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the database already holds a plan or meetings: the demonstration plan goes into an empty one: %w", ErrConflict)
	}
	// The demo's actions belong to the four default groups: add those the
	// configuration does not declare, and leave the ones it does alone.
	for i, g := range DefaultGroups() {
		g.Position = 100 + i
		g.Leads = DemoLeads[g.Key]
		if g.Leads == nil {
			g.Leads = []string{}
		}
		if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&g).Error; err != nil {
			return fmt.Errorf("demo groups: %w", err)
		}
		// A configured group keeps its leads; one with none gets the demo's.
		var have Group
		if err := s.db.WithContext(ctx).Where("key = ?", g.Key).Take(&have).Error; err != nil {
			return fmt.Errorf("demo groups: %w", err)
		}
		if len(have.Leads) == 0 && len(g.Leads) > 0 {
			if err := s.db.WithContext(ctx).Model(&have).Select("leads").Updates(&Group{Leads: g.Leads}).Error; err != nil {
				return fmt.Errorf("demo group leads: %w", err)
			}
		}
	}
	now := s.Now
	defer func() { s.Now = now }()
	start := now()
	today := DateOf(start, loc)
	s.Now = func() time.Time { return start.AddDate(0, 0, -60) }
	if _, err := s.Import(ctx, DemoPlan(today), ImportAuthor); err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	// A COPIL meets on a working day.
	at14 := func(d Date) time.Time {
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d = d.AddDays(1)
		}
		return time.Date(d.Year, d.Month, d.Day, 14, 0, 0, 0, loc)
	}
	past, next := at14(today.AddDays(-50)), at14(today.AddDays(12))
	if _, err := s.ScheduleMeeting(ctx, past, "Hôtel de Métropole, Tours", ImportAuthor, loc); err != nil {
		return fmt.Errorf("demo meetings: %w", err)
	}
	// The past COPIL decided on three actions, at the end of the meeting.
	s.Now = func() time.Time { return past.Add(2 * time.Hour) }
	for _, d := range demoDecisions {
		if _, _, err := s.RecordDecision(ctx, d.number, d.text, DemoMarie, loc); err != nil {
			return fmt.Errorf("demo decisions: %w", err)
		}
	}
	for _, st := range demoStory {
		s.Now = func() time.Time { return start.AddDate(0, 0, -st.daysAgo) }
		if _, err := s.Apply(ctx, st.number, st.author, st.edit()); err != nil {
			return fmt.Errorf("demo story, action %d: %w", st.number, err)
		}
	}
	s.Now = now
	if err := s.setSetting(s.db.WithContext(ctx), keySource, SourceDemo); err != nil {
		return err
	}
	if s.cache != nil {
		s.cache.empty()
	}
	if _, err := s.ScheduleMeeting(ctx, next, "Hôtel de Métropole, Tours", ImportAuthor, loc); err != nil {
		return fmt.Errorf("demo meetings: %w", err)
	}
	return nil
}

// demoDecisions are the decisions of the demo's past COPIL.
var demoDecisions = []struct {
	number int
	text   string
}{
	{2, "Chaque groupe de travail présente sa feuille de route au prochain COPIL."},
	{7, "Lancer le marché du portail web avant la fin de l'année ; la direction de la communication pilote avec Paul."},
	{31, "Solliciter Action Logement pour une offre dédiée aux apprenants."},
}

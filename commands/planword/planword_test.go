package planword

import (
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/store"
)

func TestStatus(t *testing.T) {
	tests := []struct {
		in   string
		want store.Status
		prob Problem
	}{
		{"À lancer", store.StatusTodo, NoProblem},
		{"a lancer", store.StatusTodo, NoProblem},
		{"a_lancer", store.StatusTodo, NoProblem},
		{"to do", store.StatusTodo, NoProblem},
		{"nouveau", store.StatusTodo, NoProblem},
		{"En cours", store.StatusInProgress, NoProblem},
		{"EN_COURS", store.StatusInProgress, NoProblem},
		{"  en   cours ", store.StatusInProgress, NoProblem},
		{"encours", store.StatusInProgress, NoProblem},
		{"In-Progress", store.StatusInProgress, NoProblem},
		{"Bloquée", store.StatusBlocked, NoProblem},
		{"bloque", store.StatusBlocked, NoProblem},
		{"TERMINEE", store.StatusDone, NoProblem},
		{"abandoned", store.StatusAbandoned, NoProblem},
		{"fini", "", NotStatus},
		{"en cours ⚪", "", NotStatus},
		{"", "", NotStatus},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, prob := Status(tt.in)
			if got != tt.want || prob != tt.prob {
				t.Errorf("Status(%q) = %q, %v; want %q, %v", tt.in, got, prob, tt.want, tt.prob)
			}
		})
	}
	for _, st := range store.Statuses {
		if got, prob := Status(string(st)); got != st || prob != NoProblem {
			t.Errorf("Status(%q) = %q, %v", st, got, prob)
		}
	}
}

func TestProgress(t *testing.T) {
	tests := []struct {
		in   string
		want int
		prob Problem
	}{
		{"0", 0, NoProblem},
		{"60", 60, NoProblem},
		{"60%", 60, NoProblem},
		{"60 %", 60, NoProblem},
		{"60\u00a0%", 60, NoProblem}, // French Excel puts a no-break space before %
		{"60\u202f%", 60, NoProblem}, // or a narrow one
		{"100", 100, NoProblem},
		{"007", 7, NoProblem},
		{"101", 101, OutOfRange},
		{"-5", -5, OutOfRange},
		{"1000", 1000, OutOfRange},
		{"99999999999999999999", 0, OutOfRange},
		{"60.5", 0, NotNumber},
		{"60,5", 0, NotNumber},
		{"%", 0, NotNumber},
		{"--5", 0, NotNumber},
		{"soixante", 0, NotNumber},
		{"", 0, NotNumber},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, prob := Progress(tt.in)
			if got != tt.want || prob != tt.prob {
				t.Errorf("Progress(%q) = %d, %v; want %d, %v", tt.in, got, prob, tt.want, tt.prob)
			}
		})
	}
}

func TestDate(t *testing.T) {
	today := store.Date{Year: 2026, Month: time.November, Day: 26}
	d := func(y int, m time.Month, day int) store.Date { return store.Date{Year: y, Month: m, Day: day} }
	tests := []struct {
		in    string
		today store.Date
		want  store.Date
		prob  Problem
	}{
		{"15/03/2027", store.Date{}, d(2027, 3, 15), NoProblem},
		{"1/2/2027", store.Date{}, d(2027, 2, 1), NoProblem},
		{"15.03.2027", store.Date{}, d(2027, 3, 15), NoProblem},
		{"15/03/27", store.Date{}, d(2027, 3, 15), NoProblem},
		{"2027-03-15", store.Date{}, d(2027, 3, 15), NoProblem},
		{"29/02/2028", store.Date{}, d(2028, 2, 29), NoProblem},
		{"15/03", today, d(2027, 3, 15), NoProblem},
		{"15/12", today, d(2026, 12, 15), NoProblem},
		{"29/02", today, d(2028, 2, 29), NoProblem},
		{"15/03", store.Date{}, store.Date{}, NotDate}, // a spreadsheet writes the year
		{"31/02/2027", store.Date{}, store.Date{}, NoSuchDay},
		{"29/02/2027", store.Date{}, store.Date{}, NoSuchDay},
		{"31/04", today, store.Date{}, NoSuchDay},
		{"2027-13-01", store.Date{}, store.Date{}, NotDate},
		{"00/01/2027", store.Date{}, store.Date{}, NotDate},
		{"12/13/2027", store.Date{}, store.Date{}, NotDate},
		{"2027/03/15", store.Date{}, store.Date{}, NotDate},
		{"15-03-2027", store.Date{}, store.Date{}, NotDate},
		{"15/03/027", store.Date{}, store.Date{}, NotDate},
		{"mars 2027", store.Date{}, store.Date{}, NotDate},
		{"15/03/2027 14:00", store.Date{}, store.Date{}, NotDate},
		{"15//2027", store.Date{}, store.Date{}, NotDate},
		{"15/03/3027", today, d(3027, 3, 15), ImplausibleYear},
		{"15/03/1999", today, d(1999, 3, 15), ImplausibleYear},
		{"15/03/2046", today, d(2046, 3, 15), NoProblem},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, prob := Date(tt.in, tt.today)
			if got != tt.want || prob != tt.prob {
				t.Errorf("Date(%q, %v) = %v, %v; want %v, %v", tt.in, tt.today, got, prob, tt.want, tt.prob)
			}
		})
	}
}

func TestAxis(t *testing.T) {
	tests := []struct {
		name, in, code, axis string
		prob                 Problem
	}{
		{"export form", "Axe 1 — Attirer, accueillir", "1", "Attirer, accueillir", NoProblem},
		{"socle export form", "Socle — Socle commun de la démarche", "S", "Socle commun de la démarche", NoProblem},
		{"colon", "Axe 2: Capter", "2", "Capter", NoProblem},
		{"hyphen", "Axe 3 - Talents", "3", "Talents", NoProblem},
		{"en dash, no spaces", "Axe 3–Talents", "3", "Talents", NoProblem},
		{"bare label", "Axe 4", "4", "", NoProblem},
		{"lower case, no space", "axe4", "4", "", NoProblem},
		{"English", "axis 2", "2", "", NoProblem},
		{"socle", "Socle", "S", "", NoProblem},
		{"SOCLE", "SOCLE : Le socle", "S", "Le socle", NoProblem},
		{"number", "2", "2", "", NoProblem},
		{"number and name", "2 — Capter", "2", "Capter", NoProblem},
		{"S", "S", "S", "", NoProblem},
		{"s and name", "s - Socle", "S", "Socle", NoProblem},
		{"leading zeros", "Axe 007", "7", "", NoProblem},
		{"any positive number", "Axe 12", "12", "", NoProblem},
		{"name keeps its own dashes", "Axe 1 — — a — b", "1", "— a — b", NoProblem},
		{"separator, no name", "Axe 1 —", "1", "", NoProblem},
		{"name without separator", "Socle commun de la démarche", "", "", NotAxis},
		{"axe S", "Axe S", "S", "", NoProblem},
		{"zero", "Axe 0", "", "", NotAxis},
		{"bare zero", "0", "", "", NotAxis},
		{"word", "Axe un", "", "", NotAxis},
		{"letters after", "2b", "", "", NotAxis},
		{"programme", "1.2", "", "", NotAxis},
		{"empty", "", "", "", NotAxis},
		{"axes", "Axes 1", "", "", NotAxis},
		{"too big", "Axe 99999999999999999999", "", "", NotAxis},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, name, prob := Axis(tt.in)
			if code != tt.code || name != tt.axis || prob != tt.prob {
				t.Errorf("Axis(%q) = %q, %q, %v; want %q, %q, %v", tt.in, code, name, prob, tt.code, tt.axis, tt.prob)
			}
		})
	}
}

func TestProgramme(t *testing.T) {
	tests := []struct {
		name, in, code, prog string
		prob                 Problem
	}{
		{"export form", "1.2 — Connecter et fédérer", "1.2", "Connecter et fédérer", NoProblem},
		{"code only", "S.3", "S.3", "", NoProblem},
		{"lower-case socle", "s.3", "S.3", "", NoProblem},
		{"spaces only", "2.1 Promouvoir l'offre", "2.1", "Promouvoir l'offre", NoProblem},
		{"colon", "2.1: Promouvoir", "2.1", "Promouvoir", NoProblem},
		{"leading zeros", "01.02", "1.2", "", NoProblem},
		{"name starting with a dash", "1.2 — - x", "1.2", "- x", NoProblem},
		{"three levels", "1.2.3", "", "", NotProgramme},
		{"letters after", "1.2x", "", "", NotProgramme},
		{"no programme number", "1.", "", "", NotProgramme},
		{"programme zero", "1.0", "", "", NotProgramme},
		{"axis only", "S", "", "", NotProgramme},
		{"hyphen", "1-2", "", "", NotProgramme},
		{"label", "Programme 1.2", "", "", NotProgramme},
		{"word", "deux", "", "", NotProgramme},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, name, prob := Programme(tt.in)
			if code != tt.code || name != tt.prog || prob != tt.prob {
				t.Errorf("Programme(%q) = %q, %q, %v; want %q, %q, %v", tt.in, code, name, prob, tt.code, tt.prog, tt.prob)
			}
		})
	}
}

func TestGroups(t *testing.T) {
	g := NewGroups(store.DefaultGroups())
	for in, want := range map[string]string{
		"Parcours client": "parcours-client", "PARCOURS  CLIENT": "parcours-client", "parcours-client": "parcours-client",
		"parcoursclient": "parcours-client", `"Parcours client"`: "parcours-client",
		"Outils numériques": "outils-numeriques", "outils numeriques": "outils-numeriques", "Outils-Numeriques": "outils-numeriques",
	} {
		if got, prob := g.Find(in); got.Key != want || prob != NoProblem {
			t.Errorf("Find(%q) = %q, %v; want %q", in, got.Key, prob, want)
		}
	}
	if got, prob := g.Find("Communication"); prob != UnknownGroup {
		t.Errorf("Find(Communication) = %q, %v; want UnknownGroup", got.Key, prob)
	}
	if len(g.Names()) != len(store.DefaultGroups()) {
		t.Errorf("Names() = %v", g.Names())
	}
}

func TestPerson(t *testing.T) {
	long := string(make([]rune, MaxNameLen+1))
	tests := []struct {
		in   string
		want store.Person
		prob Problem
	}{
		{"<@U01MARIE>", store.Person{UserID: "U01MARIE"}, NoProblem},
		{"<@U01MARIE|marie>", store.Person{UserID: "U01MARIE"}, NoProblem},
		{"@U01MARIE", store.Person{UserID: "U01MARIE"}, NoProblem},
		{"CCI Touraine", store.Person{Name: "CCI Touraine"}, NoProblem},
		{" Dev'Up ", store.Person{Name: "Dev'Up"}, NoProblem},
		{"Dev; Up", store.Person{Name: "Dev; Up"}, NotAName},
		{"<b>", store.Person{Name: "<b>"}, NotAName},
		{long, store.Person{Name: long}, NameTooLong},
		// A Slack user named before their mention, as export writes
		// them: the ID is read, the name is for readers.
		{"Marie Lefèvre <@U01MARIE>", store.Person{UserID: "U01MARIE"}, NoProblem},
		{"  Paul ‹Dupont›, DG   <@U02PAUL|paul> ", store.Person{UserID: "U02PAUL"}, NoProblem},
		{"Marie <3 <@U01MARIE>", store.Person{UserID: "U01MARIE"}, NoProblem},
		// An organisation's address is no mention.
		{"CCI Touraine <contact@cci.example>", store.Person{Name: "CCI Touraine <contact@cci.example>"}, NoProblem},
		{"Club <@ nobody>", store.Person{Name: "Club <@ nobody>"}, NoProblem},
		// An address alone would show whole where only the name may:
		// the name goes before it.
		{"contact@cci-touraine.example", store.Person{Name: "contact@cci-touraine.example"}, AddressOnly},
		{"<contact@cci-touraine.example>", store.Person{Name: "<contact@cci-touraine.example>"}, AddressOnly},
		{"<mailto:contact@cci.example|contact@cci.example>", store.Person{Name: "<mailto:contact@cci.example|contact@cci.example>"}, AddressOnly},
		{"CCI Touraine contact@cci.example", store.Person{Name: "CCI Touraine contact@cci.example"}, AddressOnly},
		{"CCI Touraine <<mailto:contact@cci.example|contact@cci.example>>", store.Person{Name: "CCI Touraine <<mailto:contact@cci.example|contact@cci.example>>"}, NoProblem},
		{"Tours@Venir", store.Person{Name: "Tours@Venir"}, NoProblem},
	}
	for _, tt := range tests {
		got, prob := Person(tt.in)
		if got != tt.want || prob != tt.prob {
			t.Errorf("Person(%q) = %+v, %v; want %+v, %v", tt.in, got, prob, tt.want, tt.prob)
		}
	}
	// A name that would read back as a Slack user is no name.
	if prob := CheckName("Marie Lefèvre <@U01MARIE>"); prob != NotAName {
		t.Errorf("CheckName(a name and a mention) = %v, want NotAName", prob)
	}
	people, bad, prob := People("<@U1AB>; CCI Touraine ;; Dev'Up; Marie Lefèvre <@U01MARIE>")
	if prob != NoProblem || len(people) != 4 || people[0].UserID != "U1AB" || people[2].Name != "Dev'Up" || people[3] != (store.Person{UserID: "U01MARIE"}) {
		t.Errorf("People = %+v, %q, %v", people, bad, prob)
	}
	if _, bad, prob := People("CCI; <x>"); prob != NotAName || bad != "<x>" {
		t.Errorf("People(CCI; <x>) = %q, %v; want <x> NotAName", bad, prob)
	}
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"15/03/2027", "15/03", "2027-03-15", "29/02", "1.1.1", "99/99/9999"} {
		f.Add(s)
	}
	today := store.Date{Year: 2026, Month: time.November, Day: 26}
	f.Fuzz(func(t *testing.T, s string) {
		d, prob := Date(s, today)
		if prob == NoProblem && (d.IsZero() || d.Year < MinYear || d.Year > today.Year+MaxYearsAhead) {
			t.Fatalf("Date(%q) = %v accepted", s, d)
		}
	})
}

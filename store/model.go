package store

import (
	"errors"
	"strings"
	"time"
)

// Errors callers test for with errors.Is. The commands package turns them
// into messages in the user's language; anything else is internal.
var (
	// ErrNotFound means the action, meeting or group asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid means a value is outside what the plan accepts.
	ErrInvalid = errors.New("invalid value")
	// ErrNoSuchDay means a date that is not on the calendar (31/02/2027).
	ErrNoSuchDay = errors.New("no such day")
	// ErrConflict means the change collides with what is stored (a meeting
	// already scheduled that day).
	ErrConflict = errors.New("conflict")
)

// Status is where an action stands. Its values are stable keys stored in the
// database and spreadsheets; their wording lives in the commands catalogue.
type Status string

// The five statuses of an action, in the order they are shown.
const (
	StatusTodo       Status = "a_lancer"
	StatusInProgress Status = "en_cours"
	StatusBlocked    Status = "bloquee"
	StatusDone       Status = "terminee"
	StatusAbandoned  Status = "abandonnee"
)

// Statuses lists every status in display order.
var Statuses = []Status{StatusTodo, StatusInProgress, StatusBlocked, StatusDone, StatusAbandoned}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Closed reports whether an action with this status no longer counts as
// work to do: it is never late.
func (s Status) Closed() bool { return s == StatusDone || s == StatusAbandoned }

// Axis is the socle (code "S") or one of the numbered axes ("1".."4").
type Axis struct {
	ID       uint   `gorm:"primaryKey"`
	Code     string `gorm:"uniqueIndex;not null"`
	Name     string `gorm:"not null"`
	Position int
}

// Label is "Socle" for the socle and "Axe N" otherwise.
func (a Axis) Label() string {
	if a.Code == SocleCode {
		return "Socle"
	}
	return "Axe " + a.Code
}

// SocleCode is the code of the socle among the axes.
const SocleCode = "S"

// Programme is one of the programmes of an axis, coded "<axis>.<n>" (1.2, S.3).
type Programme struct {
	ID       uint   `gorm:"primaryKey"`
	Code     string `gorm:"uniqueIndex;not null"`
	AxisID   uint   `gorm:"index;not null"`
	Axis     Axis   `gorm:"constraint:OnDelete:RESTRICT"`
	Name     string `gorm:"not null"`
	Position int
}

// Group is a working group: its key (prospection), name, Slack channel and
// leads. Groups come from the configuration and are synced at start.
type Group struct {
	Key     string   `gorm:"primaryKey"`
	Name    string   `gorm:"not null"`
	Channel string   // Slack channel ID or name for the weekly digest
	Leads   []string `gorm:"serializer:json"` // Slack user IDs
	Digest  string   // cron spec of the weekly digest
	// UpdateEvery is how often the group's actions are expected to be
	// updated; zero means DefaultRhythm.
	UpdateEvery Rhythm
	Position    int
}

// IsLead reports whether the Slack user is one of the group's leads.
func (g Group) IsLead(userID string) bool {
	for _, l := range g.Leads {
		if l == userID {
			return true
		}
	}
	return false
}

// Person is someone who carries an action: a Slack user (UserID set) or a
// free-text name — an organisation such as "CCI Touraine" or a person who is
// not on Slack.
type Person struct {
	UserID string
	Name   string
}

// IsZero reports whether p names nobody.
func (p Person) IsZero() bool { return p.UserID == "" && p.Name == "" }

// String writes p as Slack does: <@U123> for a user, the name otherwise.
// Journal entries and spreadsheets use this form; ParsePerson reads it back.
func (p Person) String() string {
	if p.UserID != "" {
		return "<@" + p.UserID + ">"
	}
	return p.Name
}

// ParsePerson reads a person written by String; it also accepts Slack's
// escaped mention <@U123|marie> and a bare @U123ABC user ID.
func ParsePerson(s string) Person {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<@") && strings.HasSuffix(s, ">") {
		id := s[2 : len(s)-1]
		if i := strings.IndexByte(id, '|'); i >= 0 {
			id = id[:i]
		}
		if id != "" {
			return Person{UserID: id}
		}
	}
	if strings.HasPrefix(s, "@") && IsUserID(s[1:]) {
		return Person{UserID: s[1:]}
	}
	return Person{Name: s}
}

// IsUserID reports whether s looks like a Slack user ID (U or W followed by
// upper-case letters and digits).
func IsUserID(s string) bool {
	if len(s) < 3 || (s[0] != 'U' && s[0] != 'W') {
		return false
	}
	for _, r := range s[1:] {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// Action is one numbered action of the plan.
type Action struct {
	ID           uint      `gorm:"primaryKey"`
	Number       int       `gorm:"uniqueIndex;index:idx_actions_due_order,priority:2;not null"`
	ProgrammeID  uint      `gorm:"index;not null"`
	Programme    Programme `gorm:"constraint:OnDelete:RESTRICT"`
	GroupKey     string    `gorm:"index;index:idx_actions_group_status,priority:1;not null"`
	Group        Group     `gorm:"foreignKey:GroupKey;references:Key;constraint:OnDelete:RESTRICT"`
	Title        string    `gorm:"not null"`
	Description  string
	PiloteID     string        `gorm:"index"` // Slack user ID of the pilote, if on Slack
	PiloteName   string        // the pilote's name when not a Slack user
	Contributors []Contributor `gorm:"constraint:OnDelete:CASCADE"`
	// Status also follows the group in idx_actions_group_status: a
	// group's actions of one status are counted from the index alone.
	Status   Status `gorm:"index;index:idx_actions_due_order,priority:3;index:idx_actions_group_status,priority:2;not null"`
	Progress int    `gorm:"not null"`
	// Due leads the index idx_actions_due_order (due, number, status):
	// « retard » and the digests count and page the actions due in a
	// window from the index alone, already in order.
	Due Date `gorm:"index:idx_actions_due_order,priority:1"`
	// UpdateEvery is the action's own rhythm of updates; zero means its
	// group's (see Action.Rhythm).
	UpdateEvery Rhythm
	// SearchText is the folded (lower case, no accents) text that
	// search looks in: title, description and notes.
	SearchText string `gorm:"not null;default:''"`
	CreatedAt  time.Time
	UpdatedAt  time.Time `gorm:"index"`
	// Followers is how many follow the action: set by ActionByNumber
	// and by the changes (Change.Action), not by Actions.
	Followers int `gorm:"-"`
}

// Pilote returns the pilote as a Person.
func (a Action) Pilote() Person { return Person{UserID: a.PiloteID, Name: a.PiloteName} }

// People returns the contributors as Persons, in order.
func (a Action) People() []Person {
	out := make([]Person, len(a.Contributors))
	for i, c := range a.Contributors {
		out[i] = c.Person()
	}
	return out
}

// Involves reports whether the Slack user is the pilote or a contributor.
func (a Action) Involves(userID string) bool {
	if userID == "" {
		return false
	}
	if a.PiloteID == userID {
		return true
	}
	for _, c := range a.Contributors {
		if c.UserID == userID {
			return true
		}
	}
	return false
}

// Overdue reports whether the action is open and its due date is before today.
func (a Action) Overdue(today Date) bool {
	return !a.Status.Closed() && !a.Due.IsZero() && a.Due.Before(today)
}

// Contributor is one contributor of an action, in order.
type Contributor struct {
	ID       uint   `gorm:"primaryKey"`
	ActionID uint   `gorm:"index;not null"`
	Position int    `gorm:"not null"`
	UserID   string `gorm:"index"`
	Name     string
}

// Person returns the contributor as a Person.
func (c Contributor) Person() Person { return Person{UserID: c.UserID, Name: c.Name} }

// Journal fields: which part of an action an entry is about.
const (
	FieldCreated      = "created"
	FieldStatus       = "status"
	FieldProgress     = "progress"
	FieldNote         = "note"
	FieldPilote       = "pilote"
	FieldContributors = "contributors"
	FieldDue          = "due"
	FieldTitle        = "title"
	FieldDescription  = "description"
	FieldProgramme    = "programme"
	FieldGroup        = "group"
	// FieldRhythm records a new rhythm of updates: Old and New are
	// Rhythm.String forms, "" for the group's.
	FieldRhythm = "rhythm"
	// FieldDecision records a decision of the COPIL: New is the
	// meeting's day (2006-01-02), Note the decision.
	FieldDecision = "decision"
)

// ImportAuthor is the author of the journal entries written by an import.
const ImportAuthor = "import"

// JournalEntry records one change to an action, or a note. The journal is
// append-only: entries are never edited or deleted.
type JournalEntry struct {
	ID           uint      `gorm:"primaryKey"`
	ActionID     uint      `gorm:"index:idx_journal_action,priority:1;not null"`
	Action       Action    `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	ActionNumber int       `gorm:"not null"`
	At           time.Time `gorm:"index;not null"`
	Author       string    `gorm:"not null"` // Slack user ID, or "import"
	Field        string    `gorm:"not null"`
	Old          string
	New          string
	Note         string
	// Undo marks the entries « annuler » wrote: they put back what
	// their author's change before had changed, and are not undone in
	// their turn.
	Undo bool `gorm:"not null;default:false"`
}

// Meeting is a COPIL meeting.
type Meeting struct {
	ID        uint      `gorm:"primaryKey"`
	At        time.Time `gorm:"index;not null"`
	Place     string
	Canceled  bool `gorm:"not null;default:false"`
	CreatedBy string
	CreatedAt time.Time
	// Day is the day of At in the plan's time zone, 2026-12-08: at most
	// one meeting that is not canceled has it (idx_meetings_day). Empty
	// for the meetings made before it was recorded.
	Day string `gorm:"default:null"`
}

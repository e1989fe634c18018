package spreadsheet

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tours-metropole/actionbot/store"
)

// Error is a refused file: it lists every problem found (up to
// MaxProblems), so that the person who sent the file can fix them all at
// once. When Read or Import returns an
// *Error, nothing was changed. It unwraps to store.ErrInvalid: the user
// caused it, and its Message is fit to show them.
type Error struct {
	// Problems lists the problems in line then column order, at most
	// MaxProblems of them.
	Problems []Problem
	// More counts the problems found beyond MaxProblems: a file that bad
	// is the wrong file, and a longer list would help no one.
	More int
}

// MaxProblems is how many problems an Error lists at most.
const MaxProblems = 100

// Error renders the problems one per line, in French.
func (e *Error) Error() string { return e.Message("fr") }

// Message renders the problems one per line in lang ("fr" or "en"; anything
// else is French).
func (e *Error) Message(lang string) string {
	lines := make([]string, len(e.Problems), len(e.Problems)+1)
	for i, p := range e.Problems {
		lines[i] = p.Message(lang)
	}
	if e.More > 0 {
		if lang == "en" {
			lines = append(lines, fmt.Sprintf("… and %d more problems: fix these first, then send the file again", e.More))
		} else {
			lines = append(lines, fmt.Sprintf("… et %d autres problèmes : corriger d'abord ceux-ci, puis renvoyer le fichier", e.More))
		}
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes errors.Is(err, store.ErrInvalid) true.
func (e *Error) Unwrap() error { return store.ErrInvalid }

// Problem is one thing wrong in a file: where it is, what the cell held and
// what kind of mistake it is. Reason words it for the user.
type Problem struct {
	// Line is the 1-based line of the file (a CSV line as a text editor
	// counts them, a worksheet row number); the header is usually line 1.
	// 0 means the file as a whole.
	Line int
	// Column is the column's header as written in the file, its canonical
	// name for a missing column, or its letter (A, B…) for a cell that
	// sits under no header. Empty for the file or line as a whole.
	Column string
	// Value is what the cell held, trimmed.
	Value string
	// Kind is the mistake.
	Kind Kind
	// Detail is what the wording needs besides the value: the line where a
	// duplicate number first appears, the axis code a programme should
	// belong to, the known group names, the store's reason…
	Detail string
}

// Kind is a kind of Problem.
type Kind string

// The kinds of problem a file can have.
const (
	KindFormat          Kind = "format"           // the file is neither .csv nor .xlsx; Value is its name
	KindUnreadable      Kind = "unreadable"       // not a CSV or XLSX file at all; Detail says why
	KindTooLarge        Kind = "too-large"        // a file over the size limit; Detail is the limit in MiB
	KindNotWorkbook     Kind = "not-workbook"     // an .xlsx file that is no workbook
	KindQuote           Kind = "quote"            // a misplaced double quote in a CSV file
	KindEmpty           Kind = "empty"            // no header line
	KindMissingColumn   Kind = "missing-column"   // a required column is absent; Column is its canonical name
	KindUnknownColumn   Kind = "unknown-column"   // a header that names no column
	KindDuplicateColumn Kind = "duplicate-column" // two headers for one column; Detail is the first one
	KindStray           Kind = "stray"            // a value in a column with no header
	KindRequired        Kind = "required"         // an empty cell in a column that needs a value
	KindNumber          Kind = "number"           // not an action number
	KindDuplicateNumber Kind = "duplicate-number" // Detail is the line where the number first appears
	KindAxis            Kind = "axis"             // not an axis
	KindProgramme       Kind = "programme"        // not a programme
	KindProgrammeAxis   Kind = "programme-axis"   // programme not in the row's axis; Detail is the axis code
	KindRenamed         Kind = "renamed"          // an axis or programme named differently on another line; Detail is that line
	KindGroup           Kind = "group"            // unknown working group; Detail lists the known ones
	KindStatus          Kind = "status"           // unknown status
	KindProgress        Kind = "progress"         // not 0–100
	KindDate            Kind = "date"             // not a date
	KindNoSuchDay       Kind = "no-such-day"      // a date that is not on the calendar
	KindTooLong         Kind = "too-long"         // more text than an Excel cell holds; Detail is its length
	KindInvalid         Kind = "invalid"          // refused by the store for another reason; Detail is its reason
)

// Message renders p on one line in lang ("fr" or "en"):
// « ligne 7, colonne « Statut » : … ».
func (p Problem) Message(lang string) string {
	en := lang == "en"
	var b strings.Builder
	if p.Line > 0 {
		if en {
			fmt.Fprintf(&b, "line %d", p.Line)
		} else {
			fmt.Fprintf(&b, "ligne %d", p.Line)
		}
	}
	if p.Column != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		if en {
			fmt.Fprintf(&b, "column %q", p.Column)
		} else {
			fmt.Fprintf(&b, "colonne « %s »", p.Column)
		}
	}
	if b.Len() > 0 {
		if en {
			b.WriteString(": ")
		} else {
			b.WriteString(" : ")
		}
	}
	b.WriteString(p.Reason(lang))
	return b.String()
}

// Reason says what is wrong and how to write it, in lang ("fr" or "en").
func (p Problem) Reason(lang string) string {
	if lang == "en" {
		return p.reasonEN()
	}
	return p.reasonFR()
}

func (p Problem) reasonFR() string {
	v := "« " + shorten(p.Value) + " »"
	switch p.Kind {
	case KindFormat:
		return v + " : format de fichier non pris en charge (envoyer un fichier .csv ou .xlsx ; un ancien classeur .xls est à réenregistrer en .xlsx)"
	case KindUnreadable:
		return "fichier illisible (" + p.Detail + ") : envoyer un CSV en UTF-8 séparé par « ; » ou « , », ou un classeur .xlsx"
	case KindTooLarge:
		return "fichier trop gros : " + p.Detail + " Mo au plus (le plan tient en quelques centaines de lignes)"
	case KindNotWorkbook:
		return "ce fichier n'est pas un classeur .xlsx : l'enregistrer depuis Excel ou LibreOffice au format .xlsx, ou envoyer un .csv"
	case KindQuote:
		return `guillemet mal placé : entourer la valeur de guillemets et doubler ceux qu'elle contient ("Atelier ""Innovation""")`
	case KindEmpty:
		return "le fichier est vide : la première ligne porte les en-têtes (" + strings.Join(canonicalHeaders(), " ; ") + "), puis une ligne par action"
	case KindMissingColumn:
		return "colonne absente : ajouter cet en-tête à la première ligne (en-têtes attendus : " + strings.Join(canonicalHeaders(), ", ") + ")"
	case KindUnknownColumn:
		return "en-tête inconnu : vérifier l'orthographe (en-têtes possibles : " + strings.Join(canonicalHeaders(), ", ") + ")"
	case KindDuplicateColumn:
		return "cette colonne apparaît deux fois (déjà sous « " + p.Detail + " ») : n'en garder qu'une"
	case KindStray:
		return v + " n'est sous aucun en-tête : donner un en-tête à la colonne ou vider la cellule"
	case KindRequired:
		return "valeur manquante : cette colonne est obligatoire"
	case KindNumber:
		return v + " n'est pas un numéro d'action : écrire un entier de 1 à 999999999 (ex. 12)"
	case KindDuplicateNumber:
		return "l'action " + p.Value + " figure déjà ligne " + p.Detail + " : un numéro ne sert qu'à une ligne"
	case KindAxis:
		return v + " n'est pas un axe : écrire « Socle », « Axe 2 » ou « Axe 2 — nom de l'axe »"
	case KindProgramme:
		return v + " n'est pas un programme : écrire son code puis, si l'on veut, son nom (« 1.2 », « 1.2 — nom », « S.3 » pour le socle)"
	case KindProgrammeAxis:
		code, _, _ := parseProgramme(p.Value)
		return "le programme " + code + " n'appartient pas " + axisPhraseFR(p.Detail) + " : le code d'un programme commence par celui de son axe (" + p.Detail + ".1, " + p.Detail + ".2…) ; corriger le programme ou l'axe"
	case KindRenamed:
		return v + " : ce nom diffère de celui de la ligne " + p.Detail + " ; un axe ou un programme porte le même nom sur toutes ses lignes (ou aucun nom)"
	case KindGroup:
		return v + " n'est pas un groupe de travail connu (" + p.Detail + ")"
	case KindStatus:
		return v + " n'est pas un statut connu (" + strings.Join(statusLabelList(), ", ") + ")"
	case KindProgress:
		return v + " n'est pas un avancement valide : écrire un entier de 0 à 100, avec ou sans « % »"
	case KindDate:
		return v + " n'est pas une date (format JJ/MM/AAAA)"
	case KindNoSuchDay:
		return "le " + shorten(p.Value) + " n'existe pas (format JJ/MM/AAAA)"
	case KindTooLong:
		return "texte trop long (" + p.Detail + " caractères) : une cellule en tient 32767 au plus"
	default:
		return v + " refusé : " + p.Detail
	}
}

func (p Problem) reasonEN() string {
	v := strconvQuote(shorten(p.Value))
	switch p.Kind {
	case KindFormat:
		return v + ": unsupported file format (send a .csv or .xlsx file; save an old .xls workbook as .xlsx)"
	case KindUnreadable:
		return "unreadable file (" + p.Detail + "): send a UTF-8 CSV separated by \";\" or \",\", or an .xlsx workbook"
	case KindTooLarge:
		return "file too large: " + p.Detail + " MB at most (the plan fits in a few hundred lines)"
	case KindNotWorkbook:
		return "this file is not an .xlsx workbook: save it as .xlsx from Excel or LibreOffice, or send a .csv"
	case KindQuote:
		return `misplaced double quote: put the value in double quotes and double the quotes inside it ("Atelier ""Innovation""")`
	case KindEmpty:
		return "the file is empty: the first line holds the headers (" + strings.Join(canonicalHeaders(), "; ") + "), then one line per action"
	case KindMissingColumn:
		return "missing column: add this header to the first line (expected headers: " + strings.Join(canonicalHeaders(), ", ") + ")"
	case KindUnknownColumn:
		return "unknown header: check the spelling (possible headers: " + strings.Join(canonicalHeaders(), ", ") + ")"
	case KindDuplicateColumn:
		return "this column appears twice (already as " + strconvQuote(p.Detail) + "): keep only one"
	case KindStray:
		return v + " is under no header: give the column a header or clear the cell"
	case KindRequired:
		return "missing value: this column is required"
	case KindNumber:
		return v + " is not an action number: write a whole number from 1 to 999999999 (e.g. 12)"
	case KindDuplicateNumber:
		return "action " + p.Value + " is already on line " + p.Detail + ": a number is used on one line only"
	case KindAxis:
		return v + ` is not an axis: write "Socle", "Axe 2" or "Axe 2 — name of the axis"`
	case KindProgramme:
		return v + ` is not a programme: write its code, then optionally its name ("1.2", "1.2 — name", "S.3" for the socle)`
	case KindProgrammeAxis:
		code, _, _ := parseProgramme(p.Value)
		return "programme " + code + " is not in " + axisLabel(p.Detail) + ": a programme's code starts with its axis's (" + p.Detail + ".1, " + p.Detail + ".2…); fix the programme or the axis"
	case KindRenamed:
		return v + ": this name differs from the one on line " + p.Detail + "; an axis or programme has the same name on all its lines (or no name)"
	case KindGroup:
		return v + " is not a known working group (" + p.Detail + ")"
	case KindStatus:
		return v + " is not a known status (" + strings.Join(statusLabelList(), ", ") + "; or to do, in progress, blocked, done, abandoned)"
	case KindProgress:
		return v + ` is not a valid progress: write a whole number from 0 to 100, with or without "%"`
	case KindDate:
		return v + " is not a date (format DD/MM/YYYY)"
	case KindNoSuchDay:
		return shorten(p.Value) + " does not exist (format DD/MM/YYYY)"
	case KindTooLong:
		return "text too long (" + p.Detail + " characters): a cell holds 32767 at most"
	default:
		return v + " refused: " + p.Detail
	}
}

// axisPhraseFR is "au Socle" or "à l'Axe 2".
func axisPhraseFR(code string) string {
	if code == store.SocleCode {
		return "au Socle"
	}
	return "à l'Axe " + code
}

func strconvQuote(s string) string { return `"` + s + `"` }

// shorten keeps a value readable inside a one-line message.
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const max = 60
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

package spreadsheet

import "github.com/tours-metropole/actionbot/store"

// catalog is everything the spreadsheet says about a refused file, in one
// language: the place of a problem and, per Kind, its reason. A reason is a
// fmt format whose arguments, by index, are:
//
//	%[1]s the cell's value, shortened and quoted    %[2]s the value, shortened
//	%[3]s the problem's Detail                      %[4]s the headers, separated by « ; »
//	%[5]s the headers, separated by « , »           %[6]s the status labels
//	%[7]s the programme code read from the value    %[8]s the axis of Detail, as a phrase
//	%[9]s the Detail, quoted                        %[10]d the longest name
type catalog struct {
	line, column, colon string // « ligne %d », « colonne « %s » », « : »
	semicolon           string // « ; » between the headers of a line
	more                string // « … et %d autres problèmes »
	quote               func(string) string
	axis                func(code string) string
	reasons             map[Kind]string
}

// catalogFor returns the catalogue of lang; anything but "en" is French.
func catalogFor(lang string) *catalog {
	if lang == "en" {
		return &catalogEN
	}
	return &catalogFR
}

// kinds lists every Kind, so that a test checks each has a reason in each
// language.
var kinds = []Kind{KindFormat, KindUnreadable, KindTooLarge, KindNotWorkbook, KindTooWide, KindTooManyRows, KindQuote, KindEmpty,
	KindMissingColumn, KindUnknownColumn, KindDuplicateColumn, KindStray, KindRequired, KindNumber,
	KindDuplicateNumber, KindAxis, KindProgramme, KindProgrammeAxis, KindRenamed, KindGroup, KindStatus,
	KindProgress, KindRhythm, KindDate, KindNoSuchDay, KindTooLong, KindName, KindNameTooLong, KindAddressOnly, KindInvalid}

var catalogFR = catalog{
	line: "ligne %d", column: "colonne « %s »", colon: " : ", semicolon: " ; ",
	more:  "… et %d autres problèmes : corriger d'abord ceux-ci, puis renvoyer le fichier",
	quote: func(s string) string { return "« " + s + " »" },
	axis: func(code string) string {
		if code == store.SocleCode {
			return "au Socle"
		}
		return "à l'Axe " + code
	},
	reasons: map[Kind]string{
		KindFormat:          "%[1]s : format de fichier non pris en charge (envoyer un fichier .csv ou .xlsx ; un ancien classeur .xls est à réenregistrer en .xlsx)",
		KindUnreadable:      "fichier illisible (%[3]s) : envoyer un CSV en UTF-8 séparé par « ; » ou « , », ou un classeur .xlsx",
		KindTooLarge:        "fichier trop gros : %[3]s Mo au plus (le plan tient en quelques centaines de lignes)",
		KindNotWorkbook:     "ce fichier n'est pas un classeur .xlsx : l'enregistrer depuis Excel ou LibreOffice au format .xlsx, ou envoyer un .csv",
		KindTooWide:         "feuille trop large : %[3]s colonnes au plus (le plan en a douze) ; vider les cellules au-delà ou n'envoyer que la feuille du plan",
		KindTooManyRows:     "feuille trop longue : %[3]s lignes au plus ; vider les lignes au-delà ou n'envoyer que la feuille du plan",
		KindQuote:           `guillemet mal placé : entourer la valeur de guillemets et doubler ceux qu'elle contient ("Atelier ""Innovation""")`,
		KindEmpty:           "le fichier est vide : la première ligne porte les en-têtes (%[4]s), puis une ligne par action",
		KindMissingColumn:   "colonne absente : ajouter cet en-tête à la première ligne (en-têtes attendus : %[5]s)",
		KindUnknownColumn:   "en-tête inconnu : vérifier l'orthographe (en-têtes possibles : %[5]s)",
		KindDuplicateColumn: "cette colonne apparaît deux fois (déjà sous %[9]s) : n'en garder qu'une",
		KindStray:           "%[1]s n'est sous aucun en-tête : donner un en-tête à la colonne ou vider la cellule",
		KindRequired:        "valeur manquante : cette colonne est obligatoire",
		KindNumber:          "%[1]s n'est pas un numéro d'action : écrire un entier de 1 à 999999999 (ex. 12)",
		KindDuplicateNumber: "l'action %[2]s figure déjà ligne %[3]s : un numéro ne sert qu'à une ligne",
		KindAxis:            "%[1]s n'est pas un axe : écrire « Socle », « Axe 2 » ou « Axe 2 — nom de l'axe »",
		KindProgramme:       "%[1]s n'est pas un programme : écrire son code puis, si l'on veut, son nom (« 1.2 », « 1.2 — nom », « S.3 » pour le socle)",
		KindProgrammeAxis:   "le programme %[7]s n'appartient pas %[8]s : le code d'un programme commence par celui de son axe (%[3]s.1, %[3]s.2…) ; corriger le programme ou l'axe",
		KindRenamed:         "%[1]s : ce nom diffère de celui de la ligne %[3]s ; un axe ou un programme porte le même nom sur toutes ses lignes (ou aucun nom)",
		KindGroup:           "%[1]s n'est pas un groupe de travail connu (%[3]s)",
		KindStatus:          "%[1]s n'est pas un statut connu (%[6]s)",
		KindProgress:        "%[1]s n'est pas un avancement valide : écrire un entier de 0 à 100, avec ou sans « %% »",
		KindRhythm:          "%[1]s n'est pas un rythme : écrire un nombre de jours, de semaines ou de mois (« 14j », « 2 semaines », « 1 mois »), au plus deux ans, ou laisser vide pour celui du groupe",
		KindDate:            "%[1]s n'est pas une date (format JJ/MM/AAAA)",
		KindNoSuchDay:       "le %[2]s n'existe pas (format JJ/MM/AAAA)",
		KindTooLong:         "texte trop long (%[3]s caractères) : une cellule en tient 32767 au plus",
		KindName:            "%[1]s ne peut pas être un nom : une personne sur Slack s'écrit <@U…> ; un nom ne commence pas par < et les contributeurs se séparent par « ; »",
		KindNameTooLong:     "nom trop long : %[10]d caractères au plus",
		KindAddressOnly:     "%[1]s : une adresse e-mail ne s'écrit pas seule ; écrire le nom de l'organisation ou de la personne, puis l'adresse entre < et > (« CCI Touraine <contact@cci-touraine.example> ») : seul le nom sera affiché",
		KindInvalid:         "%[1]s refusé : %[3]s",
	},
}

var catalogEN = catalog{
	line: "line %d", column: "column %q", colon: ": ", semicolon: "; ",
	more:  "… and %d more problems: fix these first, then send the file again",
	quote: func(s string) string { return `"` + s + `"` },
	axis:  func(code string) string { return store.Axis{Code: code}.Label() },
	reasons: map[Kind]string{
		KindFormat:          "%[1]s: unsupported file format (send a .csv or .xlsx file; save an old .xls workbook as .xlsx)",
		KindUnreadable:      "unreadable file (%[3]s): send a UTF-8 CSV separated by \";\" or \",\", or an .xlsx workbook",
		KindTooLarge:        "file too large: %[3]s MB at most (the plan fits in a few hundred lines)",
		KindNotWorkbook:     "this file is not an .xlsx workbook: save it as .xlsx from Excel or LibreOffice, or send a .csv",
		KindTooWide:         "sheet too wide: %[3]s columns at most (the plan has twelve); clear the cells beyond, or send only the plan's sheet",
		KindTooManyRows:     "sheet too long: %[3]s lines at most; clear the lines beyond, or send only the plan's sheet",
		KindQuote:           `misplaced double quote: put the value in double quotes and double the quotes inside it ("Atelier ""Innovation""")`,
		KindEmpty:           "the file is empty: the first line holds the headers (%[4]s), then one line per action",
		KindMissingColumn:   "missing column: add this header to the first line (expected headers: %[5]s)",
		KindUnknownColumn:   "unknown header: check the spelling (possible headers: %[5]s)",
		KindDuplicateColumn: "this column appears twice (already as %[9]s): keep only one",
		KindStray:           "%[1]s is under no header: give the column a header or clear the cell",
		KindRequired:        "missing value: this column is required",
		KindNumber:          "%[1]s is not an action number: write a whole number from 1 to 999999999 (e.g. 12)",
		KindDuplicateNumber: "action %[2]s is already on line %[3]s: a number is used on one line only",
		KindAxis:            `%[1]s is not an axis: write "Socle", "Axe 2" or "Axe 2 — name of the axis"`,
		KindProgramme:       `%[1]s is not a programme: write its code, then optionally its name ("1.2", "1.2 — name", "S.3" for the socle)`,
		KindProgrammeAxis:   "programme %[7]s is not in %[8]s: a programme's code starts with its axis's (%[3]s.1, %[3]s.2…); fix the programme or the axis",
		KindRenamed:         "%[1]s: this name differs from the one on line %[3]s; an axis or programme has the same name on all its lines (or no name)",
		KindGroup:           "%[1]s is not a known working group (%[3]s)",
		KindStatus:          "%[1]s is not a known status (%[6]s; or to do, in progress, blocked, done, abandoned)",
		KindProgress:        `%[1]s is not a valid progress: write a whole number from 0 to 100, with or without "%%"`,
		KindRhythm:          `%[1]s is not a rhythm: write a number of days, weeks or months ("14j", "2 semaines", "1 mois"; "14d", "2 weeks" too), two years at most, or leave it empty for the group's`,
		KindDate:            "%[1]s is not a date (format DD/MM/YYYY)",
		KindNoSuchDay:       "%[2]s does not exist (format DD/MM/YYYY)",
		KindTooLong:         "text too long (%[3]s characters): a cell holds 32767 at most",
		KindName:            `%[1]s cannot be a name: someone on Slack is written <@U…>; a name does not start with < and contributors are separated by ";"`,
		KindNameTooLong:     "name too long: %[10]d characters at most",
		KindAddressOnly:     `%[1]s: an e-mail address is not written alone; write the name of the organisation or person, then the address between < and > ("CCI Touraine <contact@cci-touraine.example>"): only the name is shown`,
		KindInvalid:         "%[1]s refused: %[3]s",
	},
}

// Kinds lists every kind of problem.
func Kinds() []Kind { return kinds }

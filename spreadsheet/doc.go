// Package spreadsheet imports the action plan from a spreadsheet and exports
// it to one: a CSV file or an Excel workbook (.xlsx), one line per action.
// An export reads back as is: export, import, export gives the same bytes.
//
// # The file
//
// The first line holds the headers; each line after it is one action. The
// columns, in the order export writes them:
//
//	N°                 action number, a whole number from 1: 12
//	Axe                Socle — <nom> or Axe N — <nom>: Axe 1 — Attirer, accueillir et connecter les entreprises
//	Programme          code — nom: 1.2 — Connecter et fédérer les entreprises, S.3 — Qualité de l'hospitalité
//	Titre              text: Créer un guichet unique d'accueil des entreprises
//	Groupe de travail  a working group's name: Parcours client
//	Pilote             Marie Lefèvre <@U01MARIE> for someone on Slack, a name otherwise: CCI Touraine
//	Contributeurs      people written as for Pilote, separated by "; ": Karim Benali <@U04KARIM>; Dev'Up
//	Statut             À lancer, En cours, Bloquée, Terminée or Abandonnée
//	Avancement         0 to 100: 60
//	Échéance           JJ/MM/AAAA, or empty for no due date: 15/03/2027
//	Description        text, on several lines if need be (this column may be left out)
//	Rythme             the action's own rhythm of updates: 14j, 2 semaines, 1 mois; empty for
//	                   its group's (this column may be left out)
//
// All columns but Description and Rythme are required, in any order. Headers are
// matched ignoring case, accents and spaces, and these other headers are
// accepted: « Numéro », « Numero », « No », « N », « Num », « Number » for N°;
// « Axis »; « Program »; « Intitulé », « Title »; « Groupe », « GT »,
// « Group », « Working group »; « Pilot »; « Contributeur », « Contributors »;
// « Status »; « Avancement (%) », « Avancement % », « Progress »;
// « Date d'échéance », « Due date », « Due »; « Rythme de mise à jour »,
// « Cadence », « Rhythm ». A header that names no
// column, or a column given twice, is an error: a misspelt header is never
// silently ignored. Lines with no value at all are skipped.
//
// Each action is a line. Import creates the actions whose number is new and
// updates the others, writing each change to the journal; actions that are
// not in the file stay as they are. A file without the Description column
// leaves descriptions as they are, and one without Rythme the actions'
// rhythms. A rhythm is written back in the unit it was given (« 2
// semaines » stays so); a new rhythm alone is journaled but is not an
// update of the action.
//
// # Writing each column
//
// Cells are trimmed, and hold 32767 characters at most (as an Excel cell).
// What import accepts, beyond what export writes:
//
//   - N°: a whole number from 1 to 999999999, each number on one line only.
//   - Axe: « Axe 2 — nom », « Axe 2: nom », « Axe 2 - nom », « Axe 2 », « 2 »;
//     « Socle — nom », « Socle », « S ». The name is optional and follows a
//     separator: a dash (em dash, en dash or hyphen) or a colon. An axis
//     keeps one name throughout the file. When Axe is empty, the
//     programme's code gives the axis.
//   - Programme: its code first — the axis code, a dot, a number: 1.2, S.3
//     (s.3 too) — then optionally a separator or a space and its name. The
//     code must start with the Axe column's axis: 2.1 is not in Axe 1. A
//     programme keeps one name throughout the file.
//   - Titre: required.
//   - Groupe de travail: the group's name or key (« Outils numériques »,
//     « outils-numeriques »), ignoring case and accents.
//   - Pilote: required. A Slack user as export writes them, their name
//     then their mention — « Marie Lefèvre <@U01MARIE> », of which only the
//     ID is read, the name being for readers — or the mention alone:
//     <@U01MARIE> (or <@U01MARIE|marie>, or @U01MARIE). Any other text is a
//     name, which may not start with « < », hold « ; » nor end with a
//     mention, and has 200 characters at most. Export names a Slack user
//     when it can (users.info with a bot token, the demo users' names in
//     the demonstration plan) and writes the bare mention otherwise; in a
//     Slack name, « ; », « < » and « > » are written « , », « ‹ » and « › »,
//     so that the cell reads back as that one user.
//   - Contributeurs: may be empty. In a CSV file separated by semicolons, a
//     cell holding several people must be in double quotes, as export
//     writes it: "Karim Benali <@U04KARIM>; Dev'Up".
//   - Statut: ignoring case, accents, spaces, hyphens and underscores, so
//     « en cours », « EN-COURS », « en_cours » are all En cours; also the
//     English « to do », « in progress », « blocked », « done »,
//     « abandoned », and « nouveau » for À lancer. Empty means À lancer.
//   - Avancement: a whole number from 0 to 100, with or without « % »
//     (« 60 », « 60% », « 60 % »). Empty means 0.
//   - Échéance: JJ/MM/AAAA (1/2/2027, 15/03/27 and 15.03.2027 too) or
//     AAAA-MM-JJ. Empty means no due date. A day that is not on the
//     calendar (31/02/2027) is an error.
//
// These words are read by package commands/planword, as the commands read
// them: a word accepted in Slack is accepted here with the same meaning.
//
// # CSV
//
// Export writes UTF-8 with a byte order mark, semicolons and CRLF line
// ends, which French Excel opens as is; cells holding a semicolon, a double
// quote or a line break are in double quotes, the quotes inside doubled. A
// cell that starts like a formula (=, +, -, @) gets an apostrophe in front,
// so that a spreadsheet opening the file shows it as text instead of
// running it; import takes the apostrophe off.
// Import reads UTF-8 with or without a byte order mark, or Windows-1252 (as
// Excel's plain « CSV (séparateur : point-virgule) » is written); the
// separator is a semicolon, or a comma when the header line has more
// commas than semicolons.
//
// # XLSX
//
// Import reads the sheet named Plan, or else the first sheet. Cells are
// read as Excel shows them, except that a number in N° or Avancement is
// read as the number itself and a date cell in Échéance as its day,
// whatever its display format; text in those cells is read as in CSV.
// The sheet is read row by row, and a sheet with a cell beyond column 30
// (MaxColumns) or a line beyond 20,000 (MaxRows) is refused at that cell,
// so that a small file cannot make a huge one once unzipped (1,000 rows
// each holding a cell at column XFD); the workbook's parts are bounded to
// 64 MiB once unzipped.
//
// Export writes the whole plan on sheet Plan, then one sheet per axis
// (Socle, Axe 1…) with the same columns, then the sheet « Journal depuis le
// dernier COPIL »: every change since the previous COPIL meeting (or over
// the last 30 days if there was none), with its date, action, author,
// field, old and new value and note. N° and Avancement are numbers,
// Échéance a date shown JJ/MM/AAAA; the status cells are coloured as the
// bot's status emoji. Every sheet has its header frozen and filterable, and
// prints landscape on A4, one page wide, with the header repeated on each
// page. The workbook is dated — its created and modified properties, the
// « à jour au » of its print footer — by the plan's last change (the
// newest update or journal entry it shows), not by the time of the export,
// so that export, import, export gives the same bytes on another day.
//
// # Errors
//
// A file with any problem changes nothing. The *Error returned lists every
// problem — up to MaxProblems, then counts the rest — each with its line
// (the header is line 1; in a workbook, the row number) and its column, and
// says what is wrong and how to write it:
//
//	ligne 7, colonne « Statut » : « fini » n'est pas un statut connu (À lancer, En cours, Bloquée, Terminée, Abandonnée)
//	ligne 12, colonne « Échéance » : le 31/02/2027 n'existe pas (format JJ/MM/AAAA)
//
// Message("en") gives the same in English.
package spreadsheet

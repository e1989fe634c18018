package spreadsheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tours-metropole/actionbot/commands/planword"
	"github.com/tours-metropole/actionbot/store"
)

// Sheet names of the exported workbook. Excel allows 31 characters.
const (
	PlanSheet    = "Plan"
	JournalSheet = "Journal depuis le dernier COPIL"
)

// Limits of a sheet, so that a small file cannot make the reader build a
// huge one (a cell at column XFD pads its row with 16,383 empty cells): a
// wider or longer sheet is refused with a message, and the workbook's
// unzipped parts are bounded.
const (
	// MaxColumns is the widest sheet read: the plan has eleven columns.
	MaxColumns = 30
	// MaxRows is the most lines a sheet may hold, header included.
	MaxRows = 20000
	// maxUnzipped bounds the workbook's parts once unzipped, in all; a
	// part over maxUnzippedPart is read from a temporary file rather than
	// from memory.
	maxUnzipped     = 64 << 20
	maxUnzippedPart = 16 << 20
)

// readXLSX reads the records of the sheet named Plan, or else of the first
// sheet, row by row. Cells are read as Excel shows them, except that a
// number in the N° or Avancement column is read as the number itself and a
// date cell in the Échéance column as the day it holds, whatever their
// display format.
func readXLSX(r io.Reader) ([]record, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedPart})
	if errors.Is(err, zip.ErrFormat) || errors.Is(err, excelize.ErrWorkbookFileFormat) {
		return nil, &Error{Problems: []Problem{{Kind: KindNotWorkbook}}}
	}
	if err != nil {
		return nil, unreadable(err)
	}
	defer f.Close()
	sheet := planSheetOf(f.GetSheetList())
	props, err := f.GetWorkbookProps()
	if err != nil {
		return nil, unreadable(err)
	}
	date1904 := props.Date1904 != nil && *props.Date1904
	// Two cursors over the same rows: one as Excel shows the cells, one
	// with their raw values.
	shownRows, err := f.Rows(sheet)
	if err != nil {
		return nil, unreadable(err)
	}
	defer shownRows.Close()
	rawRows, err := f.Rows(sheet)
	if err != nil {
		return nil, unreadable(err)
	}
	defer rawRows.Close()

	var recs []record
	typed := map[int]column{} // position → N°, Avancement or Échéance
	header := -1
	for line := 1; shownRows.Next() && rawRows.Next(); line++ {
		row, err := shownRows.Columns()
		if err != nil {
			return nil, unreadable(err)
		}
		raw, err := rawRows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, unreadable(err)
		}
		row = trimTrailing(row)
		if len(row) == 0 {
			continue // blank lines are kept only between others, below
		}
		if len(row) > MaxColumns {
			return nil, &Error{Problems: []Problem{{Line: line, Column: columnLetter(len(row) - 1), Kind: KindTooWide, Detail: strconv.Itoa(MaxColumns)}}}
		}
		if line > MaxRows {
			return nil, &Error{Problems: []Problem{{Line: line, Kind: KindTooManyRows, Detail: strconv.Itoa(MaxRows)}}}
		}
		for len(recs) < line-1 {
			recs = append(recs, record{line: len(recs) + 1})
		}
		if header < 0 {
			header = line
			for j, h := range row {
				if c, ok := columnOf(cleanCell(h)); ok && (c == colNumber || c == colProgress || c == colDue) {
					typed[j] = c
				}
			}
		} else {
			for j, c := range typed {
				if j >= len(row) || j >= len(raw) || raw[j] == "" {
					continue
				}
				cellType, err := f.GetCellType(sheet, columnLetter(j)+strconv.Itoa(line))
				if err != nil {
					return nil, unreadable(err)
				}
				row[j] = typedCell(c, row[j], raw[j], cellType, date1904)
			}
		}
		recs = append(recs, record{line: line, cells: row})
	}
	if err := shownRows.Error(); err != nil {
		return nil, unreadable(err)
	}
	return recs, nil
}

func unreadable(err error) error {
	return &Error{Problems: []Problem{{Kind: KindUnreadable, Detail: err.Error()}}}
}

// trimTrailing drops a row's empty cells at the end.
func trimTrailing(row []string) []string {
	n := len(row)
	for n > 0 && row[n-1] == "" {
		n--
	}
	return row[:n]
}

// planSheetOf picks the sheet to import: Plan if there is one, else the first.
func planSheetOf(sheets []string) string {
	for _, s := range sheets {
		if store.Fold(strings.TrimSpace(s)) == store.Fold(PlanSheet) {
			return s
		}
	}
	if len(sheets) == 0 {
		return ""
	}
	return sheets[0]
}

// typedCell reads a number or date cell by its value rather than by how it
// is displayed.
func typedCell(c column, shown, raw string, t excelize.CellType, date1904 bool) string {
	numeric := t == excelize.CellTypeUnset || t == excelize.CellTypeNumber
	switch {
	case c == colDue && numeric:
		if v, err := strconv.ParseFloat(raw, 64); err == nil {
			if tm, err := excelize.ExcelDateToTime(v, date1904); err == nil {
				return formatDue(store.DateOf(tm, time.UTC))
			}
		}
	case c == colDue && t == excelize.CellTypeDate:
		if len(raw) >= 10 {
			if _, p := planword.Date(raw[:10], store.Date{}); p == planword.NoProblem {
				return raw[:10]
			}
		}
	case numeric && c == colProgress && strings.HasSuffix(strings.TrimSpace(shown), "%"):
		return shown // 0.6 shown as 60 %
	case numeric:
		if v, err := strconv.ParseFloat(raw, 64); err == nil && v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return strconv.FormatInt(int64(v), 10)
		}
	}
	return shown
}

// Workbook is what WriteXLSX writes: the plan, and the journal of the
// period since the last COPIL.
type Workbook struct {
	// Actions is the plan, in the order the sheets list it.
	Actions []store.Action
	// Journal is the entries the journal sheet lists, in order. Titles and
	// group names come from Actions.
	Journal []store.JournalEntry
	// JournalSince is when the journal's period starts; the journal
	// sheet says so above its table.
	JournalSince time.Time
	// Location is the time zone of journal dates and of the print footer;
	// nil means UTC.
	Location *time.Location
	// At is when the plan it shows last changed, not when the workbook is
	// made: its document properties (created, modified) and print footer
	// show it, so that exporting one state of the plan twice gives the
	// same bytes. The zero time leaves excelize's fixed template date.
	At time.Time
	// Names maps Slack user IDs to the names people know them by: a
	// printed sheet cannot render a mention. A user is written « Marie
	// Lefèvre <@U01MARIE> » — pilotes, contributors, the journal's
	// authors and values — and an ID without a name <@U…>.
	Names map[string]string
}

// WriteXLSX writes a workbook a COPIL secretary can print: the whole plan on
// sheet Plan, one sheet per axis (Socle, Axe 1…) with the same columns, and
// the journal on sheet « Journal depuis le dernier COPIL ». Headers are
// frozen and filterable, statuses coloured as the bot's status emoji, due
// dates are real dates, pages are landscape, one page wide, with the
// header repeated. The Plan sheet reads back with Read.
func WriteXLSX(w io.Writer, wb Workbook) error {
	if wb.Location == nil {
		wb.Location = time.UTC
	}
	f := excelize.NewFile()
	defer f.Close()
	xw := &xlsxWriter{f: f, wb: wb}
	xw.newStyles()
	xw.check(f.SetSheetName(f.GetSheetName(0), PlanSheet))
	xw.planSheet(PlanSheet, wb.Actions)
	for _, ax := range byAxis(wb.Actions) {
		xw.newSheet(axisLabel(ax.code))
		xw.planSheet(axisLabel(ax.code), ax.actions)
	}
	xw.newSheet(JournalSheet)
	xw.journalSheet()
	f.SetActiveSheet(0)
	props := &excelize.DocProperties{
		Title: "Plan d'actions", Creator: "actionbot", LastModifiedBy: "actionbot", Language: "fr-FR",
	}
	if !wb.At.IsZero() {
		props.Created = wb.At.UTC().Format(time.RFC3339)
		props.Modified = props.Created
	}
	xw.check(f.SetDocProps(props))
	if xw.err != nil {
		return fmt.Errorf("write xlsx: %w", xw.err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// axisActions is the actions of one axis.
type axisActions struct {
	code    string
	actions []store.Action
}

// byAxis splits actions by axis, the socle first then by axis number,
// keeping their order within an axis.
func byAxis(actions []store.Action) []axisActions {
	var out []axisActions
	for _, a := range actions {
		code := a.Programme.Axis.Code
		i := slices.IndexFunc(out, func(x axisActions) bool { return x.code == code })
		if i < 0 {
			out = append(out, axisActions{code: code})
			i = len(out) - 1
		}
		out[i].actions = append(out[i].actions, a)
	}
	slices.SortStableFunc(out, func(a, b axisActions) int { return axisOrder(a.code) - axisOrder(b.code) })
	return out
}

func axisOrder(code string) int {
	if code == store.SocleCode {
		return -1
	}
	n, err := strconv.Atoi(code)
	if err != nil {
		return math.MaxInt32
	}
	return n
}

// Colours of the workbook: statuses match the bot's emoji (⚪ 🔵 🔴 🟢 ⚫).
var statusFills = map[store.Status]string{
	store.StatusTodo:       "#E0E0E0",
	store.StatusInProgress: "#BBDEFB",
	store.StatusBlocked:    "#FFCDD2",
	store.StatusDone:       "#C8E6C9",
	store.StatusAbandoned:  "#9E9E9E",
}

const (
	headerFill  = "#1F4E79"
	borderColor = "#BFBFBF"
	dateFormat  = "dd/mm/yyyy"
	timeFormat  = `dd/mm/yyyy hh"h"mm`
)

// widths of the plan's columns, in characters.
var widths = [numColumns]float64{
	colNumber: 6, colAxis: 26, colProgramme: 32, colTitle: 56, colGroup: 18, colPilote: 20,
	colContributors: 30, colStatus: 12, colProgress: 12, colDue: 12, colDescription: 48, colRhythm: 12,
}

// The journal sheet's columns.
var (
	journalHeaders = []string{"Date", "N° action", "Titre", "Auteur", "Champ", "Ancienne valeur", "Nouvelle valeur", "Note"}
	journalWidths  = []float64{17, 10, 48, 16, 14, 28, 28, 48}
)

// journalFields names the journal's fields in French.
var journalFields = map[string]string{
	store.FieldCreated: "création", store.FieldStatus: "statut", store.FieldProgress: "avancement",
	store.FieldNote: "note", store.FieldPilote: "pilote", store.FieldContributors: "contributeurs",
	store.FieldDue: "échéance", store.FieldTitle: "titre", store.FieldDescription: "description",
	store.FieldProgramme: "programme", store.FieldGroup: "groupe",
	store.FieldDecision: "décision du COPIL", store.FieldRhythm: "rythme",
}

// xlsxWriter writes a workbook, keeping the first error.
type xlsxWriter struct {
	f   *excelize.File
	wb  Workbook
	err error
	st  struct {
		header, title, text, number, date, datetime int
		status                                      map[store.Status]int
	}
}

func (xw *xlsxWriter) check(err error) {
	if xw.err == nil && err != nil {
		xw.err = err
	}
}

func (xw *xlsxWriter) style(s *excelize.Style) int {
	id, err := xw.f.NewStyle(s)
	xw.check(err)
	return id
}

func (xw *xlsxWriter) newStyles() {
	border := []excelize.Border{
		{Type: "left", Color: borderColor, Style: 1}, {Type: "right", Color: borderColor, Style: 1},
		{Type: "top", Color: borderColor, Style: 1}, {Type: "bottom", Color: borderColor, Style: 1},
	}
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	centre := &excelize.Alignment{Vertical: "top", Horizontal: "center"}
	xw.st.header = xw.style(&excelize.Style{
		Border: border, Font: &excelize.Font{Bold: true, Color: "#FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{headerFill}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
	xw.st.title = xw.style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	xw.st.text = xw.style(&excelize.Style{Border: border, Alignment: top})
	xw.st.number = xw.style(&excelize.Style{Border: border, Alignment: centre})
	date, datetime := dateFormat, timeFormat
	xw.st.date = xw.style(&excelize.Style{Border: border, Alignment: centre, CustomNumFmt: &date})
	xw.st.datetime = xw.style(&excelize.Style{Border: border, Alignment: top, CustomNumFmt: &datetime})
	xw.st.status = map[store.Status]int{}
	for _, st := range store.Statuses {
		font := &excelize.Font{}
		if st == store.StatusAbandoned {
			font.Color = "#FFFFFF"
		}
		xw.st.status[st] = xw.style(&excelize.Style{
			Border: border, Font: font, Alignment: centre,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{statusFills[st]}},
		})
	}
}

func (xw *xlsxWriter) newSheet(name string) {
	_, err := xw.f.NewSheet(name)
	xw.check(err)
}

func cellName(col, row int) string { return columnLetter(col) + strconv.Itoa(row) }

// set writes a cell and its style; empty text leaves the cell empty.
func (xw *xlsxWriter) set(sheet string, col, row int, v any, style int) {
	cell := cellName(col, row)
	switch v := v.(type) {
	case string:
		if v != "" {
			xw.check(xw.f.SetCellStr(sheet, cell, v))
		}
	case int:
		xw.check(xw.f.SetCellInt(sheet, cell, int64(v)))
	case float64:
		xw.check(xw.f.SetCellFloat(sheet, cell, v, -1, 64))
	default:
		panic(fmt.Sprintf("spreadsheet: cell of type %T", v))
	}
	xw.check(xw.f.SetCellStyle(sheet, cell, cell, style))
}

// planSheet writes actions on sheet with the plan's columns.
func (xw *xlsxWriter) planSheet(sheet string, actions []store.Action) {
	for c := range numColumns {
		xw.set(sheet, int(c), 1, headers[c], xw.st.header)
		col := columnLetter(int(c))
		xw.check(xw.f.SetColWidth(sheet, col, col, widths[c]))
	}
	for i, a := range actions {
		row, text := i+2, textCells(a, xw.wb.Names)
		for c := range numColumns {
			switch c {
			case colNumber:
				xw.set(sheet, int(c), row, a.Number, xw.st.number)
			case colProgress:
				xw.set(sheet, int(c), row, a.Progress, xw.st.number)
			case colStatus:
				style, ok := xw.st.status[a.Status]
				if !ok {
					style = xw.st.text
				}
				xw.set(sheet, int(c), row, text[c], style)
			case colDue:
				if serial, ok := dateSerial(a.Due); ok {
					xw.set(sheet, int(c), row, serial, xw.st.date)
				} else {
					xw.set(sheet, int(c), row, text[c], xw.st.date)
				}
			default:
				xw.set(sheet, int(c), row, text[c], xw.st.text)
			}
		}
	}
	last := columnLetter(int(numColumns) - 1)
	xw.printable(sheet, 1, fmt.Sprintf("A1:%s%d", last, len(actions)+1), "Plan d'actions")
}

// journalSheet writes the journal entries under a title that gives the
// start of the period.
func (xw *xlsxWriter) journalSheet() {
	const sheet = JournalSheet
	loc := xw.wb.Location
	title := "Journal des changements"
	if !xw.wb.JournalSince.IsZero() {
		title += " depuis le " + xw.wb.JournalSince.In(loc).Format("02/01/2006 à 15h04")
	}
	xw.set(sheet, 0, 1, title, xw.st.title)
	for i, h := range journalHeaders {
		xw.set(sheet, i, 2, h, xw.st.header)
		col := columnLetter(i)
		xw.check(xw.f.SetColWidth(sheet, col, col, journalWidths[i]))
	}
	titles, groups := map[int]string{}, map[string]string{}
	for _, a := range xw.wb.Actions {
		titles[a.Number] = a.Title
		groups[a.GroupKey] = groupName(a)
	}
	for i, e := range xw.wb.Journal {
		row := i + 3
		xw.set(sheet, 0, row, timeSerial(e.At.In(loc)), xw.st.datetime)
		xw.set(sheet, 1, row, e.ActionNumber, xw.st.number)
		xw.set(sheet, 2, row, titles[e.ActionNumber], xw.st.text)
		xw.set(sheet, 3, row, author(e.Author, xw.wb.Names), xw.st.text)
		xw.set(sheet, 4, row, cmpOr(journalFields[e.Field], e.Field), xw.st.text)
		xw.set(sheet, 5, row, journalValue(e.Field, e.Old, groups, xw.wb.Names), xw.st.text)
		xw.set(sheet, 6, row, journalValue(e.Field, e.New, groups, xw.wb.Names), xw.st.text)
		xw.set(sheet, 7, row, e.Note, xw.st.text)
	}
	last := len(xw.wb.Journal) + 2
	if len(xw.wb.Journal) == 0 {
		xw.set(sheet, 0, 3, "Aucun changement sur la période.", xw.st.text)
		last = 3
	}
	xw.printable(sheet, 2, fmt.Sprintf("A2:H%d", last), title)
}

// printable freezes the header (on row headerRow), puts a filter on it,
// and sets the page up: A4 landscape, one page wide, header repeated on
// every page, title and page number in the footer.
func (xw *xlsxWriter) printable(sheet string, headerRow int, filterRange, title string) {
	f := xw.f
	xw.check(f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: headerRow, TopLeftCell: cellName(0, headerRow+1), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: cellName(0, headerRow+1), ActiveCell: cellName(0, headerRow+1), Pane: "bottomLeft"}},
	}))
	xw.check(f.AutoFilter(sheet, filterRange, nil))
	fit, landscape, a4, wide, tall := true, "landscape", 9, 1, 0
	xw.check(f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit})) // after AutoFilter, which resets them
	xw.check(f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall}))
	margin, edge := 0.4, 0.2
	xw.check(f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &margin, Right: &margin, Top: &margin, Bottom: &margin, Header: &edge, Footer: &edge,
	}))
	xw.check(f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("%s!$1:$%d", quoteSheet(sheet), headerRow), Scope: sheet,
	}))
	footer := "&L" + headerFooterText(title)
	if !xw.wb.At.IsZero() {
		footer += " — à jour au " + xw.wb.At.In(xw.wb.Location).Format("02/01/2006")
	}
	xw.check(f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: footer + "&RPage &P / &N"}))
}

// quoteSheet quotes a sheet name for a formula: 'Axe 1'.
func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

// headerFooterText escapes & in print header and footer text.
func headerFooterText(s string) string { return strings.ReplaceAll(s, "&", "&&") }

// author shows a Slack user as pilotes are shown; "import" as is.
func author(a string, names map[string]string) string {
	if store.IsUserID(a) {
		return personCell(store.Person{UserID: a}, names)
	}
	return a
}

// journalValue shows an old or new value of a journal entry as the
// spreadsheet writes it: status labels, dates JJ/MM/AAAA, group names.
func journalValue(field, v string, groups, names map[string]string) string {
	if v == "" {
		return ""
	}
	switch field {
	case store.FieldPilote, store.FieldContributors:
		return peopleCell(store.SplitPeople(v), names)
	case store.FieldStatus:
		return statusLabel(store.Status(v))
	case store.FieldDue:
		if d, err := store.ParseISODate(v); err == nil {
			return formatDue(d)
		}
	case store.FieldProgress:
		return v + " %"
	case store.FieldGroup:
		return cmpOr(groups[v], v)
	case store.FieldDecision:
		// The meeting's day.
		if d, err := store.ParseISODate(v); err == nil {
			return formatDue(d)
		}
	}
	return v
}

// excelEpoch is day 0 of Excel's 1900 date system, as it counts from
// March 1900 on.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// dateSerial is d as an Excel date number; false before March 1900, where
// Excel's calendar is wrong, and for no date.
func dateSerial(d store.Date) (float64, bool) {
	if d.IsZero() || d.Before(store.Date{Year: 1900, Month: time.March, Day: 1}) {
		return 0, false
	}
	return float64(d.DaysSince(store.DateOf(excelEpoch, time.UTC))), true
}

// timeSerial is the wall clock of t as an Excel date-time number, to the
// minute.
func timeSerial(t time.Time) float64 {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	// In seconds: a time.Duration spans only 292 years from 1899.
	return float64(wall.Unix()-excelEpoch.Unix()) / (24 * 60 * 60)
}

package spreadsheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/tours-metropole/actionbot/store"
)

// bom is the UTF-8 byte order mark: French Excel needs it to read a CSV
// file as UTF-8 rather than Windows-1252.
const bom = "\ufeff"

// readCSV reads the records of a CSV file: UTF-8 with or without BOM (or
// Windows-1252, as Excel's plain « CSV (séparateur : point-virgule) » writes
// it), separated by semicolons or commas.
func readCSV(r io.Reader) ([]record, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	if data, err = toUTF8(data); err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = detectComma(data)
	cr.FieldsPerRecord = -1 // short lines are padded, long ones checked cell by cell
	var recs []record
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, fmt.Errorf("read csv: %w", err)
			}
			kind := KindUnreadable
			if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
				kind = KindQuote
			}
			return nil, &Error{Problems: []Problem{{Line: pe.Line, Kind: kind, Detail: pe.Err.Error()}}}
		}
		line, _ := cr.FieldPos(0)
		for i, f := range fields {
			fields[i] = undefuse(f)
		}
		recs = append(recs, record{line: line, cells: fields})
	}
}

// toUTF8 drops a UTF-8 byte order mark and decodes a file that is not
// UTF-8 as Windows-1252.
func toUTF8(data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, &Error{Problems: []Problem{{Kind: KindUnreadable, Detail: "UTF-16"}}}
	}
	if rest, ok := bytes.CutPrefix(data, []byte(bom)); ok {
		// The file says it is UTF-8: keep what is, mark what is not.
		return bytes.ToValidUTF8(rest, []byte("\uFFFD")), nil
	}
	if utf8.Valid(data) {
		return data, nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return nil, &Error{Problems: []Problem{{Kind: KindUnreadable, Detail: err.Error()}}}
	}
	return bytes.ToValidUTF8(out, []byte("\uFFFD")), nil
}

// detectComma picks the separator of the header line: a semicolon (as
// French Excel writes) unless the line has more commas.
func detectComma(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte(",")) > bytes.Count(first, []byte(";")) {
		return ','
	}
	return ';'
}

// WriteCSV writes the actions as a CSV file French Excel opens as is: UTF-8
// with a byte order mark, semicolons, CRLF line ends, the canonical headers
// (Description included) and one line per action in the order given. names
// maps Slack user IDs to the names written before their mentions (nil: the
// mentions alone).
func WriteCSV(w io.Writer, actions []store.Action, names map[string]string) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(headers[:]); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, a := range actions {
		cells := textCells(a, names)
		for i, c := range cells {
			cells[i] = defuse(c)
		}
		if err := cw.Write(cells); err != nil {
			return fmt.Errorf("write csv, action %d: %w", a.Number, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// textCells is an action's line, every cell as text, the Slack users
// named by names.
func textCells(a store.Action, names map[string]string) []string {
	cells := make([]string, numColumns)
	cells[colNumber] = strconv.Itoa(a.Number)
	cells[colAxis] = formatAxis(a.Programme.Axis.Code, a.Programme.Axis.Name)
	cells[colProgramme] = formatProgramme(a.Programme.Code, a.Programme.Name)
	cells[colTitle] = a.Title
	cells[colGroup] = groupName(a)
	cells[colPilote] = personCell(a.Pilote(), names)
	cells[colContributors] = peopleCell(a.People(), names)
	cells[colStatus] = statusLabel(a.Status)
	cells[colProgress] = strconv.Itoa(a.Progress)
	cells[colDue] = formatDue(a.Due)
	cells[colDescription] = a.Description
	cells[colRhythm] = formatRhythm(a.UpdateEvery)
	return cells
}

// groupName is the name of the action's working group, or its key when
// the group was not loaded.
func groupName(a store.Action) string {
	if a.Group.Key == a.GroupKey && a.Group.Name != "" {
		return a.Group.Name
	}
	return a.GroupKey
}

// A CSV cell that starts like a formula (=, +, -, @) would be run by the
// spreadsheet that opens the file — CSV injection, where a name typed in
// Slack becomes a formula on the COPIL secretary's machine. Export puts an
// apostrophe before such a cell, which spreadsheets read as "this is
// text", and import takes it off; a cell that really starts with an
// apostrophe before such a character gets one more, so that the round trip
// keeps every value.
func defuse(s string) string {
	if looksLikeFormula(s) || (strings.HasPrefix(s, "'") && looksLikeFormula(strings.TrimLeft(s, "'"))) {
		return "'" + s
	}
	return s
}

// undefuse undoes defuse.
func undefuse(s string) string {
	if strings.HasPrefix(s, "'") && looksLikeFormula(strings.TrimLeft(s, "'")) {
		return s[1:]
	}
	return s
}

func looksLikeFormula(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

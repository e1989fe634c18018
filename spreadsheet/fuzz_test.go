package spreadsheet_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tours-metropole/actionbot/spreadsheet"
	"github.com/tours-metropole/actionbot/store"
)

// FuzzReadCSV: Read never panics; it refuses with an *Error whose every
// problem can be worded, or it accepts rows that export and read back the
// same, the second export byte for byte the first. The seed corpus is in
// testdata/fuzz/FuzzReadCSV, with the golden CSV files added.
func FuzzReadCSV(f *testing.F) {
	for _, name := range []string{"demo-plan.csv", "plan-example.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	groups := store.DefaultGroups()
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := spreadsheet.Read(bytes.NewReader(data), spreadsheet.CSV, groups)
		if err != nil {
			var e *spreadsheet.Error
			if !errors.As(err, &e) {
				t.Fatalf("Read error %T (%v), want a *spreadsheet.Error", err, err)
			}
			if len(e.Problems) == 0 {
				t.Fatal("Read refused the file without naming a problem")
			}
			for _, lang := range []string{"fr", "en"} {
				if e.Message(lang) == "" {
					t.Fatalf("empty %s message for %+v", lang, e.Problems)
				}
			}
			return
		}
		var first bytes.Buffer
		if err := spreadsheet.WriteCSV(&first, actionsOf(rows, groups), nil); err != nil {
			t.Fatalf("WriteCSV: %v", err)
		}
		again, err := spreadsheet.Read(bytes.NewReader(first.Bytes()), spreadsheet.CSV, groups)
		if err != nil {
			t.Fatalf("Read(WriteCSV(rows)): %v\nexport:\n%q", err, first.String())
		}
		if diff := cmp.Diff(rows, again, sameRows); diff != "" {
			t.Fatalf("rows change through export (-read +re-read):\n%s", diff)
		}
		var second bytes.Buffer
		if err := spreadsheet.WriteCSV(&second, actionsOf(again, groups), nil); err != nil {
			t.Fatalf("WriteCSV: %v", err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("export → read → export differs:\n%q\n%q", first.String(), second.String())
		}
	})
}

// FuzzWorkbook: whatever Read accepts from a CSV file reads back the same
// from a workbook. It shares FuzzReadCSV's seed corpus. It is a target of
// its own because writing a workbook is slow: run it with a short
// -fuzzminimizetime (5s), or minimizing each new input takes the whole run.
func FuzzWorkbook(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzReadCSV", "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range append(seeds, filepath.Join("testdata", "demo-plan.csv"), filepath.Join("testdata", "plan-example.csv")) {
		f.Add(mustCorpusEntry(f, name))
	}
	groups := store.DefaultGroups()
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := spreadsheet.Read(bytes.NewReader(data), spreadsheet.CSV, groups)
		if err != nil {
			return
		}
		var book bytes.Buffer
		if err := spreadsheet.WriteXLSX(&book, spreadsheet.Workbook{Actions: actionsOf(rows, groups)}); err != nil {
			t.Fatalf("WriteXLSX: %v", err)
		}
		fromBook, err := spreadsheet.Read(&book, spreadsheet.XLSX, groups)
		if err != nil {
			t.Fatalf("Read(WriteXLSX(rows)): %v", err)
		}
		if diff := cmp.Diff(rows, fromBook, sameRows); diff != "" {
			t.Fatalf("rows change through a workbook (-read +re-read):\n%s", diff)
		}
	})
}

// mustCorpusEntry reads a file of the seed corpus (go test fuzz v1, one []byte)
// or a plain file.
func mustCorpusEntry(f *testing.F, name string) []byte {
	f.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		f.Fatal(err)
	}
	rest, ok := bytes.CutPrefix(data, []byte("go test fuzz v1\n"))
	if !ok {
		return data
	}
	lit := strings.TrimSpace(string(rest))
	lit, ok = strings.CutPrefix(lit, "[]byte(")
	lit, ok2 := strings.CutSuffix(lit, ")")
	s, err := strconv.Unquote(lit)
	if !ok || !ok2 || err != nil {
		f.Fatalf("%s: not a []byte corpus entry", name)
	}
	return []byte(s)
}

package spreadsheet_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/spreadsheet"
	"github.com/tours-metropole/actionbot/store"
)

// sheetWith writes, by hand, a workbook whose one sheet has the plan's
// header, then rows 2 to rows+1 with "x" in the cells that cells names for
// each. (excelize itself would take a minute to write the bomb: it pads
// each row to column XFD, the very cost under test.)
func sheetWith(t testing.TB, cells func(row int) []string, rows int) []byte {
	t.Helper()
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">`)
	for i, h := range []string{"N°", "Axe", "Programme", "Titre", "Groupe de travail", "Pilote", "Statut", "Avancement", "Échéance"} {
		fmt.Fprintf(&sheet, `<c r="%c1" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+i, h)
	}
	sheet.WriteString(`</row>`)
	for r := 2; r <= rows+1; r++ {
		cs := cells(r)
		if len(cs) == 0 {
			continue
		}
		// A cell names its own row: group the cells by it.
		byRow := map[string][]string{}
		var order []string
		for _, c := range cs {
			row := strings.TrimLeft(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
			if byRow[row] == nil {
				order = append(order, row)
			}
			byRow[row] = append(byRow[row], c)
		}
		for _, row := range order {
			fmt.Fprintf(&sheet, `<row r="%s">`, row)
			for _, c := range byRow[row] {
				fmt.Fprintf(&sheet, `<c r="%s" t="inlineStr"><is><t>x</t></is></c>`, c)
			}
			sheet.WriteString(`</row>`)
		}
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	parts := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml":   sheet.String(),
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, parts[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// xfdBomb is the reviewed bomb: 1,000 rows that each hold one cell at
// column XFD, the last Excel has — about 24 KB zipped.
func xfdBomb(t testing.TB) []byte {
	return sheetWith(t, func(r int) []string { return []string{"XFD" + strconv.Itoa(r)} }, 1000)
}

func kindOf(t testing.TB, err error) spreadsheet.Kind {
	t.Helper()
	var e *spreadsheet.Error
	if !errors.As(err, &e) || len(e.Problems) == 0 {
		t.Fatalf("err = %v, want a *spreadsheet.Error", err)
	}
	return e.Problems[0].Kind
}

// TestSheetLimits: a sheet wider than MaxColumns or longer than MaxRows
// is refused with its own kind of problem, naming the line.
func TestSheetLimits(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want spreadsheet.Kind
		line int
	}{
		{"XFD bomb", xfdBomb(t), spreadsheet.KindTooWide, 2},
		{"column 31", sheetWith(t, func(r int) []string { return []string{"AE" + strconv.Itoa(r)} }, 1), spreadsheet.KindTooWide, 2},
		{"line 20,001", sheetWith(t, func(r int) []string {
			if r == 2 {
				return []string{"A20001"}
			}
			return nil
		}, 1), spreadsheet.KindTooManyRows, 20001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := spreadsheet.Read(bytes.NewReader(tt.data), spreadsheet.XLSX, store.DefaultGroups())
			if got := kindOf(t, err); got != tt.want {
				t.Fatalf("kind %s, want %s (%v)", got, tt.want, err)
			}
			var e *spreadsheet.Error
			errors.As(err, &e)
			if e.Problems[0].Line != tt.line {
				t.Errorf("line %d, want %d", e.Problems[0].Line, tt.line)
			}
		})
	}
	t.Run("column 30 is read", func(t *testing.T) {
		data := sheetWith(t, func(r int) []string { return []string{"AD" + strconv.Itoa(r)} }, 1)
		_, err := spreadsheet.Read(bytes.NewReader(data), spreadsheet.XLSX, store.DefaultGroups())
		if k := kindOf(t, err); k == spreadsheet.KindTooWide {
			t.Errorf("column 30 refused as too wide: %v", err)
		}
	})
}

// TestXFDBombIsCheap: the bomb is refused having allocated far less than
// the 150 MB of the target (it took 1 GB when every row was padded to
// column XFD). Allocation, not time, is what the test measures: time
// depends on the machine.
func TestXFDBombIsCheap(t *testing.T) {
	data := xfdBomb(t)
	if len(data) > 40<<10 {
		t.Fatalf("the bomb is %d bytes, want about 24 KB", len(data))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := spreadsheet.Read(bytes.NewReader(data), spreadsheet.XLSX, store.DefaultGroups())
	runtime.ReadMemStats(&after)
	if kindOf(t, err) != spreadsheet.KindTooWide {
		t.Fatalf("err = %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 15<<20 {
		t.Errorf("reading the bomb allocated %d MB, want under 15", alloc>>20)
	}
}

func BenchmarkXFDBomb(b *testing.B) {
	data := xfdBomb(b)
	b.ReportAllocs()
	for b.Loop() {
		spreadsheet.Read(bytes.NewReader(data), spreadsheet.XLSX, store.DefaultGroups())
	}
}

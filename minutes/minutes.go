package minutes

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansitalic"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-pdf/fpdf"
)

// Document is what Write lays out, every word already in the reader's
// language.
type Document struct {
	// Title is the large heading of the first page, and the PDF's title.
	Title string
	// Lines are shown under the title, one to a line: when and where.
	Lines    []string
	Sections []Section
	// PageLabel writes the footer of page page; pages stands for the
	// number of pages, filled in when the file is written. Nil writes
	// "page / pages".
	PageLabel func(page int, pages string) string
	// Created is the PDF's creation date; zero writes a fixed date
	// rather than the clock's.
	Created time.Time
}

// Section is a heading and what follows it.
type Section struct {
	Heading string
	Blocks  []Block
}

// Block is one of Paragraph, List, Table and Image.
type Block interface{ block() }

// Paragraph is text, wrapped to the page's width; a "\n" starts a new line.
type Paragraph struct {
	Text   string
	Italic bool // for what is said about the content: « Aucune décision. »
}

// List is a bulleted list.
type List struct{ Items []string }

// Table is a table with a header row, repeated on each page it runs to.
type Table struct {
	Header []string
	// Widths are the columns' relative widths (1, 4, 2: the second is
	// four times the first); nil shares the width evenly.
	Widths []float64
	// Right lists the columns whose cells are aligned right (numbers).
	Right []int
	Rows  []Row
}

// Row is one row of a Table; a Bold row stands out (a subtotal, a total).
type Row struct {
	Cells []string
	Bold  bool
}

// Image is a PNG shown as wide as the text, or narrower to fit the rest of
// the page when at least half of it fits there.
type Image struct {
	PNG []byte
}

func (Paragraph) block() {}
func (List) block()      {}
func (Table) block()     {}
func (Image) block()     {}

// The page, in millimetres.
const (
	margin     = 18.0
	footerSize = 12.0
	bodySize   = 10.0
	lineHeight = 5.0
	cellPad    = 1.5
)

const family = "LiberationSans"

// Write lays d out and returns the PDF.
func Write(d Document) ([]byte, error) {
	if strings.TrimSpace(d.Title) == "" {
		return nil, ErrEmpty
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	// Text starts at the margin, and table cells pad themselves.
	pdf.SetCellMargin(0)
	pdf.SetAutoPageBreak(true, margin+footerSize/2)
	pdf.AddUTF8FontFromBytes(family, "", liberationsansregular.TTF)
	pdf.AddUTF8FontFromBytes(family, "B", liberationsansbold.TTF)
	pdf.AddUTF8FontFromBytes(family, "I", liberationsansitalic.TTF)
	pdf.SetTitle(d.Title, true)
	pdf.SetCreator("actionbot", true)
	pdf.SetLang("fr")
	if d.Created.IsZero() {
		pdf.SetCreationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	} else {
		pdf.SetCreationDate(d.Created)
	}
	pdf.SetCatalogSort(true)
	const alias = "{nb}"
	pdf.AliasNbPages(alias)
	label := d.PageLabel
	if label == nil {
		label = func(page int, pages string) string { return fmt.Sprintf("%d / %s", page, pages) }
	}
	pdf.SetFooterFunc(func() {
		pdf.SetY(-margin)
		pdf.SetFont(family, "", 8)
		pdf.CellFormat(0, 5, label(pdf.PageNo(), alias), "T", 0, "C", false, 0, "")
	})
	w := &writer{pdf: pdf}
	pdf.AddPage()
	w.title(d.Title, d.Lines)
	for _, s := range d.Sections {
		w.section(s)
		if err := pdf.Error(); err != nil {
			return nil, fmt.Errorf("minutes: section %q: %w", s.Heading, err)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("minutes: %w", err)
	}
	return buf.Bytes(), nil
}

type writer struct {
	pdf    *fpdf.Fpdf
	images int
}

// textWidth is the width between the margins.
func (w *writer) textWidth() float64 {
	pw, _ := w.pdf.GetPageSize()
	return pw - 2*margin
}

// room returns how much height is left above the bottom margin.
func (w *writer) room() float64 {
	_, ph := w.pdf.GetPageSize()
	_, bottom := w.pdf.GetAutoPageBreak()
	return ph - bottom - w.pdf.GetY()
}

// need starts a new page unless h millimetres fit on this one.
func (w *writer) need(h float64) {
	if w.room() < h {
		w.pdf.AddPage()
	}
}

func (w *writer) title(title string, lines []string) {
	p := w.pdf
	p.SetFont(family, "B", 17)
	p.MultiCell(0, 8, title, "", "L", false)
	p.Ln(1)
	p.SetFont(family, "", 11)
	for _, l := range lines {
		p.MultiCell(0, 6, l, "", "L", false)
	}
	p.Ln(2)
	x, y := p.GetXY()
	p.SetLineWidth(0.6)
	p.Line(x, y, x+w.textWidth(), y)
	p.SetLineWidth(0.2)
	p.Ln(4)
}

func (w *writer) section(s Section) {
	p := w.pdf
	// A heading never ends a page alone: keep it with a few lines.
	w.need(8 + 4*lineHeight)
	p.SetFont(family, "B", 13)
	p.MultiCell(0, 7, s.Heading, "", "L", false)
	x, y := p.GetXY()
	p.Line(x, y, x+w.textWidth(), y)
	p.Ln(2.5)
	for _, b := range s.Blocks {
		switch b := b.(type) {
		case Paragraph:
			style := ""
			if b.Italic {
				style = "I"
			}
			p.SetFont(family, style, bodySize)
			p.MultiCell(0, lineHeight, b.Text, "", "L", false)
		case List:
			w.list(b)
		case Table:
			w.table(b)
		case Image:
			w.image(b)
		}
		p.Ln(2)
	}
	p.Ln(3)
}

func (w *writer) list(l List) {
	p := w.pdf
	p.SetFont(family, "", bodySize)
	indent := 5.0
	for _, item := range l.Items {
		lines := p.SplitText(item, w.textWidth()-indent)
		w.need(lineHeight * float64(min(len(lines), 3)))
		p.SetX(margin)
		p.CellFormat(indent, lineHeight, "•", "", 0, "L", false, 0, "")
		// The item's next lines start under its first, not under the
		// bullet.
		p.SetLeftMargin(margin + indent)
		p.MultiCell(0, lineHeight, item, "", "L", false)
		p.SetLeftMargin(margin)
		p.SetX(margin)
	}
}

func (w *writer) table(t Table) {
	p := w.pdf
	n := len(t.Header)
	if n == 0 {
		return
	}
	widths := make([]float64, n)
	var sum float64
	for i := range widths {
		widths[i] = 1
		if i < len(t.Widths) && t.Widths[i] > 0 {
			widths[i] = t.Widths[i]
		}
		sum += widths[i]
	}
	for i := range widths {
		widths[i] *= w.textWidth() / sum
	}
	right := map[int]bool{}
	for _, c := range t.Right {
		right[c] = true
	}
	size := w.headerSize(t.Header, widths)
	header := func() {
		p.SetFont(family, "B", size)
		p.SetFillColor(225, 225, 225)
		w.row(t.Header, widths, right, true)
	}
	header()
	for _, r := range t.Rows {
		style := ""
		if r.Bold {
			style = "B"
		}
		p.SetFont(family, style, 9)
		cells := make([]string, n)
		copy(cells, r.Cells)
		if h := w.rowHeight(cells, widths); w.room() < h {
			p.AddPage()
			header()
			p.SetFont(family, style, 9)
		}
		w.row(cells, widths, right, false)
	}
}

const tableLine = 4.2

// headerSize returns the largest font size, from 9 points down to 6.5,
// at which every word of the header fits its column: a narrow column of
// numbers under « Abandonnée » gets a smaller header, not one cut
// mid-word.
func (w *writer) headerSize(header []string, widths []float64) float64 {
	p := w.pdf
	size := 9.0
	for ; size > 6.5; size -= 0.5 {
		p.SetFont(family, "B", size)
		fits := true
		for i, h := range header {
			for _, word := range strings.Fields(h) {
				if p.GetStringWidth(word) > widths[i]-2*cellPad {
					fits = false
				}
			}
		}
		if fits {
			break
		}
	}
	return size
}

func (w *writer) rowHeight(cells []string, widths []float64) float64 {
	lines := 1
	for i, c := range cells {
		lines = max(lines, len(w.pdf.SplitText(c, widths[i]-2*cellPad)))
	}
	return float64(lines)*tableLine + 2*cellPad
}

// row draws one row of cells, each wrapped within its width, with rules
// around every cell.
func (w *writer) row(cells []string, widths []float64, right map[int]bool, fill bool) {
	p := w.pdf
	h := w.rowHeight(cells, widths)
	x0, y0 := p.GetXY()
	x := x0
	for i, c := range cells {
		style := "D"
		if fill {
			style = "FD"
		}
		p.Rect(x, y0, widths[i], h, style)
		align := "L"
		if right[i] {
			align = "R"
		}
		for j, line := range p.SplitText(c, widths[i]-2*cellPad) {
			p.SetXY(x+cellPad, y0+cellPad+float64(j)*tableLine)
			p.CellFormat(widths[i]-2*cellPad, tableLine, line, "", 0, align, false, 0, "")
		}
		x += widths[i]
	}
	p.SetXY(x0, y0+h)
}

func (w *writer) image(img Image) {
	p := w.pdf
	w.images++
	name := fmt.Sprintf("image%d.png", w.images)
	info := p.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(img.PNG))
	if info == nil || p.Err() {
		return
	}
	width := w.textWidth()
	height := width * info.Height() / info.Width()
	if room := w.room(); room < height {
		if room >= height/2 {
			width, height = width*room/height, room
		} else {
			p.AddPage()
		}
	}
	x := margin + (w.textWidth()-width)/2
	p.ImageOptions(name, x, p.GetY(), width, height, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	p.SetY(p.GetY() + height)
}

// ErrEmpty is returned for a Document with no title.
var ErrEmpty = errors.New("minutes: a document needs a title")

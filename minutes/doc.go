// Package minutes writes the minutes of a COPIL meeting as a PDF: A4
// portrait, in Liberation Sans (which covers French: é, à, œ, « », the
// narrow no-break space), page numbers in the footer, and nothing that
// needs colour to be read — tables have black rules and a light grey
// header, emphasis is bold — so that a copy printed in black and white
// says everything the screen does.
//
// Like chart, the package has no words of its own: the caller builds a
// Document (title, the lines under it, sections of paragraphs, lists,
// tables and images) in the reader's language, and Write lays it out:
//
//	pdf, err := minutes.Write(minutes.Document{
//		Title: "Compte rendu du COPIL du jeudi 15 janvier 2027",
//		Lines: []string{"14h00 · Hôtel de Métropole, Tours"},
//		Sections: []minutes.Section{{
//			Heading: "Décisions",
//			Blocks: []minutes.Block{minutes.Table{
//				Header: []string{"N°", "Action", "Décision"},
//				Widths: []float64{1, 4, 6},
//				Rows:   []minutes.Row{{Cells: []string{"23", "Guichet unique", "Étendre à Amboise"}}},
//			}},
//		}},
//		PageLabel: func(page int, pages string) string { return fmt.Sprintf("Page %d sur %s", page, pages) },
//	})
//
// It uses codeberg.org/go-pdf/fpdf, the maintained home of the fpdf
// library (github.com/go-pdf/fpdf was archived in March 2025 and moved
// there): pure Go, no cgo, no external program, with UTF-8 TrueType fonts
// embedded as subsets, so that a page of minutes weighs tens of kilobytes.
// The font comes from codeberg.org/go-fonts/liberation, already in the
// module graph through gonum's plot, which draws the chart.
package minutes

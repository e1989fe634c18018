package minutes_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"github.com/tours-metropole/actionbot/minutes"
	"github.com/tours-metropole/actionbot/minutes/pdftest"
)

// sample is a document long enough for three pages, in French.
func sample(t *testing.T) minutes.Document {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 300, 200))
	for x := 20; x < 280; x++ {
		for y := 80; y < 120; y++ {
			img.SetGray(x, y, color.Gray{Y: 40})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	var rows []minutes.Row
	for i := 1; i <= 60; i++ {
		rows = append(rows, minutes.Row{Cells: []string{fmt.Sprint(i), fmt.Sprintf("Action n° %d : créer un guichet unique d'accueil des entreprises, à étendre à toute la métropole", i), "En cours", "45 %"}})
	}
	rows = append(rows, minutes.Row{Cells: []string{"", "Total", "", "45 %"}, Bold: true})
	return minutes.Document{
		Title: "Compte rendu du COPIL du vendredi 15 janvier 2027",
		Lines: []string{"14h00 · Hôtel de Métropole, Tours"},
		Sections: []minutes.Section{
			{Heading: "Décisions", Blocks: []minutes.Block{
				minutes.Paragraph{Text: "Œuvre commune : « élargir » l'accès, à l'été."},
				minutes.List{Items: []string{"Première décision", "Deuxième décision, plus longue, qui tient sur plusieurs lignes parce qu'elle explique en détail ce qu'il faut faire et pourquoi il faut le faire avant l'été"}},
				minutes.Paragraph{Text: "Aucune autre décision.", Italic: true},
			}},
			{Heading: "Tableau de bord", Blocks: []minutes.Block{
				minutes.Table{Header: []string{"N°", "Action", "Statut", "Avancement"}, Widths: []float64{1, 8, 2, 2}, Right: []int{0, 3}, Rows: rows},
			}},
			{Heading: "Avancement du plan par axe", Blocks: []minutes.Block{minutes.Image{PNG: buf.Bytes()}}},
		},
		PageLabel: func(page int, pages string) string { return fmt.Sprintf("Page %d sur %s", page, pages) },
	}
}

func TestWrite(t *testing.T) {
	pdf, err := minutes.Write(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(20, len(pdf))])
	}
	text := pdftest.Text(t, pdf)
	for _, want := range []string{
		"Compte rendu du COPIL du vendredi 15 janvier 2027",
		"14h00 · Hôtel de Métropole, Tours",
		"Œuvre commune : « élargir » l'accès, à l'été.",
		"Décisions", "Action n° 60", "Total",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	// Every page is numbered, « Page n sur N ».
	labels := regexp.MustCompile(`Page (\d+) sur (\d+)`).FindAllStringSubmatch(text, -1)
	if len(labels) < 3 {
		t.Errorf("%d page labels; want one on each of at least 3 pages", len(labels))
	}
	for i, l := range labels {
		if l[1] != fmt.Sprint(i+1) || l[2] != fmt.Sprint(len(labels)) {
			t.Errorf("page %d is labelled %q", i+1, l[0])
		}
	}
	// The table's header is repeated on the page it runs on to.
	if n := strings.Count(text, "Avancement\n"); n < 2 {
		t.Errorf("the table header shows %d times, want it on each page", n)
	}
	pdftest.CheckPage(t, pdf, 1)
}

func TestWriteNeedsTitle(t *testing.T) {
	if _, err := minutes.Write(minutes.Document{}); !errors.Is(err, minutes.ErrEmpty) {
		t.Errorf("Write without a title: %v", err)
	}
}

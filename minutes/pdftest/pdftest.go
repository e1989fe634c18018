// Package pdftest reads PDFs back for tests, with poppler-utils'
// pdftotext and pdftoppm; a test that needs them is skipped, saying so,
// where they are not installed (apt-get install poppler-utils).
package pdftest

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Text returns the text of pdf as pdftotext reads it, or skips the test
// when poppler-utils is not installed.
func Text(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not found (apt-get install poppler-utils): the PDF's text is not checked")
	}
	path := filepath.Join(t.TempDir(), "cr.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// CheckPage renders page n of pdf to a grey PNG with pdftoppm and checks
// that it is an A4 page with ink on it, and that the ink is black enough
// to print: the darkest pixels are near black. With ACTIONBOT_KEEP_PAGE
// set, the image is copied there to be looked at.
func CheckPage(t *testing.T, pdf []byte, n int) {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not found (apt-get install poppler-utils): no page rendered")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "cr.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "page")
	if b, err := exec.Command("pdftoppm", "-gray", "-png", "-r", "60", "-f", fmt.Sprint(n), "-l", fmt.Sprint(n), "-singlefile", path, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, b)
	}
	data, err := os.ReadFile(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("ACTIONBOT_KEEP_PAGE"); keep != "" {
		os.WriteFile(keep, data, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	// A4 at 60 dpi: 496 × 702 pixels.
	if ratio := float64(b.Dy()) / float64(b.Dx()); ratio < 1.40 || ratio > 1.43 {
		t.Errorf("page %d is %d×%d, not A4 portrait", n, b.Dx(), b.Dy())
	}
	dark := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if g := color.GrayModel.Convert(img.At(x, y)).(color.Gray); g.Y < 64 {
				dark++
			}
		}
	}
	if share := float64(dark) / float64(b.Dx()*b.Dy()); share < 0.01 || share > 0.5 {
		t.Errorf("page %d: %.1f%% of its pixels are dark; want text in black on white", n, 100*share)
	}
}

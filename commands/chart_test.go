package commands_test

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
)

func TestChart(t *testing.T) {
	f := mustFixture(t, "fr")
	c, err := f.h.Chart(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(c.PNG))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 800 {
		t.Errorf("chart is %v, want 1200×800", b)
	}
	if c.Title != "Avancement du plan par axe — jeudi 26 novembre 2026" {
		t.Errorf("title = %q", c.Title)
	}
	if !strings.Contains(c.AltText, "nombre d'actions par statut") {
		t.Errorf("alt text = %q", c.AltText)
	}
}

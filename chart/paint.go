package chart

import (
	"image/color"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// painter draws on a canvas in pixels from the top left corner, as the
// layout is thought out, where vg counts from the bottom left.
type painter struct {
	c draw.Canvas
	h float64 // height of the canvas
}

func (p painter) pt(x, y float64) vg.Point { return vg.Point{X: vg.Length(x), Y: vg.Length(p.h - y)} }

// text draws s in f and c from x with its baseline at y.
func (p painter) text(f face, c color.Color, x, y float64, s string) {
	if s == "" {
		return
	}
	p.c.SetColor(c)
	p.c.FillString(f.Face, p.pt(x, y), s)
}

// rect fills the rectangle from (x0, y0) to (x1, y1) with c.
func (p painter) rect(c color.Color, x0, y0, x1, y1 float64) {
	p.c.FillPolygon(c, []vg.Point{p.pt(x0, y0), p.pt(x1, y0), p.pt(x1, y1), p.pt(x0, y1)})
}

// outline draws a line of width wd in c along the inside edge of the
// rectangle from (x0, y0) to (x1, y1): inside, so that an outlined segment
// is no longer than the others; as four bands rather than a stroked path,
// so that its corners are square and its pixels crisp.
func (p painter) outline(c color.Color, x0, y0, x1, y1, wd float64) {
	if x1-x0 <= 2*wd || y1-y0 <= 2*wd {
		p.rect(c, x0, y0, x1, y1)
		return
	}
	p.rect(c, x0, y0, x1, y0+wd)
	p.rect(c, x0, y1-wd, x1, y1)
	p.rect(c, x0, y0+wd, x0+wd, y1-wd)
	p.rect(c, x1-wd, y0+wd, x1, y1-wd)
}

package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/tours-metropole/actionbot/store"
)

// Labels carries every word the chart shows: the chart has none of its own,
// so that the bot draws it in its user's language.
type Labels struct {
	// Title is drawn at the top, e.g. « Avancement du plan par axe —
	// 26 novembre 2026 ». Too long a title is drawn smaller, then on two
	// lines, then cut; words joined by a no-break space (26\u00a0novembre)
	// stay on one line.
	Title string
	// Status names each status in the legend (« en cours »); a status
	// missing from the map is shown by its key.
	Status map[store.Status]string
	// Axis names a row, e.g. « Axe 1 · Attirer, accueillir et connecter
	// les entreprises »; nil uses Axis.Label. A name wider than the image
	// is cut with « … », so the full name can be passed.
	Axis func(a store.Axis) string
	// Average writes the mean progress after a bar (« moy. 45 % »); nil
	// writes none. A row with no action has no average.
	Average func(pct int) string
	// Overdue writes the number of late actions after a bar (« 3 en
	// retard »). It is called only when there are some; nil writes none.
	Overdue func(n int) string
	// Empty is shown instead of bars when the dashboard counts no action
	// (« Aucune action à afficher »).
	Empty string
}

// Options are how the chart is drawn.
type Options struct {
	// Width and Height are the size of the image in pixels; zero means
	// DefaultWidth or DefaultHeight. Text and bars are scaled by the
	// smaller of Width/DefaultWidth and Height/DefaultHeight, so that a
	// smaller image keeps the layout of the default one.
	Width, Height int
}

// DefaultWidth and DefaultHeight are the size of the image when Options
// leave it out: wide enough for the axis names, and legible when Slack
// shows it about 400 pixels wide on a phone.
const (
	DefaultWidth  = 1200
	DefaultHeight = 800
)

// MaxSide is the largest width or height Plan accepts, so that a mistaken
// size cannot ask for gigabytes of memory.
const MaxSide = 8000

// minSide is the smallest width or height Plan accepts: below it no text
// is legible and the layout has no room.
const minSide = 100

// size returns the size of the image in pixels, or an error if it is out of
// bounds.
func (o Options) size() (w, h int, err error) {
	w, h = o.Width, o.Height
	if w == 0 {
		w = DefaultWidth
	}
	if h == 0 {
		h = DefaultHeight
	}
	if w < minSide || h < minSide || w > MaxSide || h > MaxSide {
		return 0, 0, fmt.Errorf("chart size %d×%d: each side must be between %d and %d pixels", w, h, minSide, MaxSide)
	}
	return w, h, nil
}

// Plan draws « Avancement du plan par axe » for d and returns it as a PNG:
// one row per axis in d's order, each a bar stacked by status on a scale
// shared by all rows, with the counts, average progress and late actions
// written on and after it. A dashboard with no action gives an image that
// says so (Labels.Empty). It returns an error only for a size out of
// bounds or a failure to encode the image. Plan may run in several
// goroutines at once.
func Plan(d store.Dashboard, l Labels, o Options) ([]byte, error) {
	w, h, err := o.size()
	if err != nil {
		return nil, err
	}
	// At 72 dots per inch a vg.Length, which is in points, is a pixel:
	// every size below is in pixels of the final image.
	img := vgimg.NewWith(vgimg.UseWH(vg.Length(w), vg.Length(h)), vgimg.UseDPI(72), vgimg.UseBackgroundColor(color.White))
	p := painter{c: draw.New(img), h: float64(h)}
	drawPlan(p, d, l, float64(w), float64(h))
	var buf bytes.Buffer
	if err := png.Encode(&buf, img.Image()); err != nil {
		return nil, fmt.Errorf("encode chart: %w", err)
	}
	return buf.Bytes(), nil
}

// row is what one axis's row shows.
type row struct {
	label  string
	counts []int // by store.Statuses
	total  int   // sum of counts: the bar's length
	notes  []note
}

// note is one phrase after a bar.
type note struct {
	text string
	late bool
}

// rowsOf turns d into rows. Only the statuses the chart knows make up the
// bars, so that a bar always ends where its last segment does.
func rowsOf(d store.Dashboard, l Labels) []row {
	rows := make([]row, len(d.Axes))
	for i, a := range d.Axes {
		r := row{counts: make([]int, len(store.Statuses))}
		if l.Axis != nil {
			r.label = l.Axis(a.Axis)
		} else {
			r.label = a.Axis.Label()
		}
		r.label = printable(r.label)
		for j, st := range store.Statuses {
			if n := a.ByStatus[st]; n > 0 {
				r.counts[j] = n
				r.total += n
			}
		}
		if l.Average != nil && a.Total > 0 {
			r.notes = append(r.notes, note{text: printable(l.Average(a.AverageProgress()))})
		}
		if l.Overdue != nil && a.Overdue > 0 {
			r.notes = append(r.notes, note{text: printable(l.Overdue(a.Overdue)), late: true})
		}
		rows[i] = r
	}
	return rows
}

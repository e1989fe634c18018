package chart

import (
	"fmt"
	"math"
	"strings"

	"github.com/tours-metropole/actionbot/store"
)

// The layout at the default size, in pixels; drawPlan scales it to the
// image. The smallest text is 28 px, over 9 px once Slack shrinks the image
// to a phone's width: about the least that stays legible.
const (
	margin      = 36  // left and right
	marginTop   = 28  // above the title
	marginBelow = 24  // below the last row
	titleSize   = 40  // bold
	titleLeast  = 30  // a long title shrinks down to this, then wraps
	titleLines  = 2   // a title longer than this many lines is cut
	titleGap    = 16  // between title and legend
	legendSize  = 28  // status names
	legendLine  = 40  // height of a line of the legend
	legendGap   = 22  // between legend and rows
	swatch      = 26  // side of a legend's colour square
	swatchGap   = 10  // between a square and its name
	legendSpace = 40  // between two entries
	labelSize   = 32  // row names
	labelGap    = 8   // between a row's name and its bar
	barHeight   = 60  // thickness of a bar
	maxPitch    = 150 // most height a row takes, however few rows
	countSize   = 30  // bold counts in the bars
	countPad    = 8   // least room either side of a count in its segment
	noteSize    = 28  // average and late count after a bar
	noteGap     = 14  // between a bar and its notes
	emptySize   = 34  // the message of an empty dashboard
	edgeWidth   = 2   // outline of « à lancer »
)

// noteSep goes between the average and the late count. The middle dot
// needs no translation.
const noteSep = " · "

// drawPlan lays out and draws the whole chart on a w×h canvas: title,
// legend, then the rows from the top down.
func drawPlan(p painter, d store.Dashboard, l Labels, w, h float64) {
	k := min(w/DefaultWidth, h/DefaultHeight)
	left, inner := margin*k, w-2*margin*k
	bottom := h - marginBelow*k
	y := drawTitle(p, printable(l.Title), left, inner, marginTop*k, k)

	rows := rowsOf(d, l)
	most := 0
	present := make([]bool, len(store.Statuses))
	for _, r := range rows {
		most = max(most, r.total)
		for j, n := range r.counts {
			present[j] = present[j] || n > 0
		}
	}
	if most == 0 {
		// Nothing to draw a bar for (and no scale to divide by): say so
		// in the middle of the space the bars would have taken.
		f := newFace(sans, emptySize*k)
		lines := wrap(f, printable(l.Empty), inner, 3)
		top := (y+bottom)/2 - float64(len(lines))*f.lineHeight()/2
		for i, line := range lines {
			p.text(f, softInk, left+(inner-f.width(line))/2, top+float64(i)*f.lineHeight()+f.ascent, line)
		}
		return
	}

	// The legend is no larger than the rows' names: with many rows these
	// shrink, and a legend that stayed large would outweigh the bars.
	legend := newLegend(l, present, newFace(sans, legendSize*k), inner, k)
	m := newRowMetrics(bottom-y-legend.height()-legendGap*k, len(rows), k)
	if size := float64(m.label.Font.Size); size < float64(legend.face.Font.Size) {
		legend = newLegend(l, present, newFace(sans, size), inner, k)
		m = newRowMetrics(bottom-y-legend.height()-legendGap*k, len(rows), k)
	}
	y = legend.draw(p, left, y)
	y += legendGap * k

	// Bars share one scale, the longest leaving room for the widest notes
	// — but at least 55 % of the width: past that the notes are cut. The
	// pixel taken off keeps the rounding of bar ends from cutting the
	// widest notes.
	widest := 0.0
	for _, r := range rows {
		widest = max(widest, m.notesWidth(r.notes))
	}
	span := max(math.Floor(inner-widest-noteGap*k)-1, inner*0.55)
	unit := span / float64(most)
	for i, r := range rows {
		m.drawRow(p, r, left, left+inner, y+float64(i)*m.pitch, unit, k)
	}
}

// drawTitle draws title from y down, on more than one line if it does not
// fit at a size still larger than the rest, and returns the y below it.
func drawTitle(p painter, title string, left, inner, y, k float64) float64 {
	if title == "" {
		return y
	}
	f := newFace(sansBold, titleSize*k)
	if w := f.width(title); w > inner {
		f = newFace(sansBold, max(titleLeast*k, titleSize*k*inner/w))
	}
	for _, line := range wrap(f, title, inner, titleLines) {
		p.text(f, ink, left, y+f.ascent, line)
		y += f.lineHeight()
	}
	return y + titleGap*k
}

// wrap splits s into lines no wider than limit in f, breaking at spaces
// (not at no-break spaces: « 45 % » stays whole), at most n lines, the last
// cut short with « … » if s is longer.
func wrap(f face, s string, limit float64, n int) []string {
	if s == "" {
		return nil
	}
	words := strings.Split(s, " ")
	var lines []string
	line := ""
	for i, w := range words {
		switch {
		case line == "":
			line = w
		case f.width(line+" "+w) <= limit:
			line += " " + w
		case len(lines) == n-1:
			// Last line: put the rest on it and cut it.
			line = strings.Join(append([]string{line}, words[i:]...), " ")
			return append(lines, fit(f, line, limit))
		default:
			lines = append(lines, fit(f, line, limit))
			line = w
		}
	}
	return append(lines, fit(f, line, limit))
}

// legend is the legend laid out in lines, ready to draw.
type legend struct {
	face  face
	lines [][]legendEntry
	k     float64
}

type legendEntry struct {
	status store.Status
	name   string
	width  float64 // square, gap and name
}

// newLegend lays out a square and a name for each status present, in
// store.Statuses order, on as many lines as inner needs. Statuses absent
// from the chart are left out: a legend explains what is drawn, and an
// unused red would read as « something is blocked ».
func newLegend(l Labels, present []bool, f face, inner, k float64) legend {
	lg := legend{face: f, k: k}
	side, gap, space := lg.scaled(swatch), lg.scaled(swatchGap), lg.scaled(legendSpace)
	var line []legendEntry
	lineW := 0.0
	for j, st := range store.Statuses {
		if !present[j] {
			continue
		}
		name := printable(l.Status[st])
		if name == "" {
			name = string(st)
		}
		name = fit(f, name, inner-side-gap)
		e := legendEntry{status: st, name: name, width: side + gap + f.width(name)}
		if len(line) > 0 && lineW+space+e.width > inner {
			lg.lines = append(lg.lines, line)
			line, lineW = nil, 0
		}
		if len(line) > 0 {
			lineW += space
		}
		line = append(line, e)
		lineW += e.width
	}
	if len(line) > 0 {
		lg.lines = append(lg.lines, line)
	}
	return lg
}

// scaled returns a legend length given at the default size, in proportion
// to the legend's text, which may be smaller than at the default size.
func (lg legend) scaled(v float64) float64 {
	return v * float64(lg.face.Font.Size) / legendSize
}

func (lg legend) height() float64 { return float64(len(lg.lines)) * lg.scaled(legendLine) }

// draw draws the legend from y down and returns the y below it.
func (lg legend) draw(p painter, left, y float64) float64 {
	side, gap, space := lg.scaled(swatch), lg.scaled(swatchGap), lg.scaled(legendSpace)
	edge := max(1, math.Round(edgeWidth*lg.k))
	for _, line := range lg.lines {
		mid := y + lg.scaled(legendLine)/2
		x := left
		for _, e := range line {
			x0, y0 := math.Round(x), math.Round(mid-side/2)
			x1, y1 := x0+math.Round(side), y0+math.Round(side)
			p.rect(statusColors[e.status], x0, y0, x1, y1)
			if e.status == store.StatusTodo {
				p.outline(todoEdge, x0, y0, x1, y1, edge)
			}
			p.text(lg.face, softInk, x+side+gap, mid+lg.face.capHeight/2, e.name)
			x += e.width + space
		}
		y += lg.scaled(legendLine)
	}
	return y
}

// rowMetrics are the sizes of the rows, the same for all.
type rowMetrics struct {
	pitch, gap, bar          float64
	label, count, note, late face
}

// newRowMetrics fits n rows in height: each takes at most maxPitch, and
// its name, bar and text shrink when there are so many rows that they
// would not fit at their usual size.
func newRowMetrics(height float64, n int, k float64) rowMetrics {
	m := rowMetrics{pitch: min(height/float64(n), maxPitch*k), gap: labelGap * k}
	m.label = newFace(sans, min(labelSize*k, m.pitch*0.26))
	// The bar takes what the row has left after its name and a space to
	// the next row, up to its usual thickness.
	m.bar = max(1, min(barHeight*k, m.pitch-m.label.lineHeight()-m.gap-m.pitch*0.14))
	m.count = newFace(sansBold, min(countSize*k, m.bar*0.5))
	m.note = newFace(sans, min(noteSize*k, m.bar*0.45))
	m.late = newFace(sansBold, min(noteSize*k, m.bar*0.45))
	return m
}

// notesWidth returns how wide a row's notes are drawn.
func (m rowMetrics) notesWidth(notes []note) float64 {
	w := 0.0
	for j, n := range notes {
		if j > 0 {
			w += m.note.width(noteSep)
		}
		w += m.noteFace(n).width(n.text)
	}
	return w
}

func (m rowMetrics) noteFace(n note) face {
	if n.late {
		return m.late
	}
	return m.note
}

// drawRow draws a row from top down: its name, then its bar from left, unit
// pixels per action, then its notes up to right.
func (m rowMetrics) drawRow(p painter, r row, left, right, top, unit, k float64) {
	p.text(m.label, ink, left, top+m.label.ascent, fit(m.label, r.label, right-left))
	// Bars lie on whole pixels: their edges are sharp and their inside
	// exactly their colour.
	barTop := math.Round(top + m.label.lineHeight() + m.gap)
	barBottom := barTop + math.Round(m.bar)
	mid := (barTop + barBottom) / 2

	x, sum := left, 0
	for j, n := range r.counts {
		if n == 0 {
			continue
		}
		sum += n
		// Ends are rounded from the running sum, not from each width, so
		// that rounding does not add up along a bar.
		end := math.Round(left + float64(sum)*unit)
		st := store.Statuses[j]
		c := statusColors[st]
		p.rect(c, x, barTop, end, barBottom)
		if st == store.StatusTodo {
			p.outline(todoEdge, x, barTop, end, barBottom, max(1, math.Round(edgeWidth*k)))
		}
		if s := fmt.Sprint(n); m.count.width(s)+2*countPad*k <= end-x {
			p.text(m.count, textOn(c), (x+end-m.count.width(s))/2, mid+m.count.capHeight/2, s)
		}
		x = end
	}

	if r.total > 0 {
		x += noteGap * k
	}
	for j, n := range r.notes {
		if j > 0 {
			sep := fit(m.note, noteSep, right-x)
			p.text(m.note, softInk, x, mid+m.note.capHeight/2, sep)
			x += m.note.width(sep)
		}
		f, c := m.note, softInk
		if n.late {
			f, c = m.late, lateInk
		}
		t := fit(f, n.text, right-x)
		p.text(f, c, x, mid+f.capHeight/2, t)
		x += f.width(t)
	}
}

package chart

import (
	"image/color"
	"math"

	"github.com/tours-metropole/actionbot/store"
)

// statusColors are those of the bot's status emoji (⚪ 🔵 🔴 🟢 ⚫), so that
// a reader who knows one knows the other.
var statusColors = map[store.Status]color.RGBA{
	store.StatusTodo:       {0xBD, 0xBD, 0xBD, 0xFF},
	store.StatusInProgress: {0x1E, 0x88, 0xE5, 0xFF},
	store.StatusBlocked:    {0xE5, 0x39, 0x35, 0xFF},
	store.StatusDone:       {0x43, 0xA0, 0x47, 0xFF},
	store.StatusAbandoned:  {0x42, 0x42, 0x42, 0xFF},
}

// StatusColor returns the colour the chart fills a status with, and false
// for a status the chart does not know (it is then left out of the bars).
func StatusColor(s store.Status) (color.RGBA, bool) {
	c, ok := statusColors[s]
	return c, ok
}

// The colours of everything that is not a status. None of them is a status
// colour, so that counting a status colour's pixels counts its bars only;
// the late count is a deeper red than « bloquée » for the same reason.
var (
	ink       = color.RGBA{0x1A, 0x1A, 0x1A, 0xFF} // title, row names
	softInk   = color.RGBA{0x50, 0x50, 0x50, 0xFF} // legend, averages, empty message
	lateInk   = color.RGBA{0xB7, 0x1C, 0x1C, 0xFF} // « 3 en retard »
	todoEdge  = color.RGBA{0x8A, 0x8A, 0x8A, 0xFF} // outline of « à lancer », pale on white
	lightText = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
)

// textOn returns the colour of a count written on a segment of colour bg.
//
// WCAG 2's contrast ratio would pick black on the mid-tone blue, red and
// green, yet bold white reads better there (the flaw APCA corrects), so the
// cut is at a luminance of 0.4: white on every status colour but the light
// grey of « à lancer ».
func textOn(bg color.RGBA) color.RGBA {
	if luminance(bg) > 0.4 {
		return ink
	}
	return lightText
}

// luminance is the relative luminance of c as WCAG defines it, 0 for black
// and 1 for white.
func luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

package chart

import (
	"strings"
	"unicode"

	stdfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/vg"
)

// fonts is the chart's own cache rather than font.DefaultCache, which only
// the root plot package fills: the chart needs no global set up elsewhere.
var fonts = font.NewCache(liberation.Collection())

// Liberation Sans: a sans-serif reads better than gonum's default serif at
// the small sizes a phone shows the image at.
var (
	sans     = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: stdfont.WeightBold}
)

// capRatio is the height of a capital (and of a digit) per unit of font
// size. Centring text on its capitals rather than on ascent and descent
// puts numbers in the middle of the bars, where the eye expects them.
var capRatio = func() float64 {
	f := fonts.Lookup(sans, 1).Face
	ppem := fixed.Int26_6(f.UnitsPerEm())
	m, err := f.Metrics(nil, ppem, stdfont.HintingNone)
	if err != nil || m.CapHeight <= 0 {
		return 0.7 // Liberation Sans' own ratio, should the table be missing
	}
	return float64(m.CapHeight) / float64(ppem)
}()

// face is a font at a size, in pixels.
type face struct {
	font.Face
	ascent, descent, capHeight float64
}

func newFace(f font.Font, size float64) face {
	ff := fonts.Lookup(f, vg.Length(size))
	e := ff.Extents()
	return face{Face: ff, ascent: float64(e.Ascent), descent: float64(e.Descent), capHeight: capRatio * size}
}

// width returns how wide s is drawn in f.
func (f face) width(s string) float64 { return float64(f.Width(s)) }

// lineHeight is the height of one line of f, without leading.
func (f face) lineHeight() float64 { return f.ascent + f.descent }

// printable returns s without the characters the font has no glyph for
// (emoji a caller may put in a status name, control characters), which would
// otherwise be drawn as empty boxes, and with runs of spaces made one.
func printable(s string) string {
	f := fonts.Lookup(sans, 1).Face
	var buf sfnt.Buffer
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f' {
			space = b.Len() > 0
			continue
		}
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 || unicode.IsControl(r) {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fit returns s, cut short with « … » if it is wider than limit in f, or ""
// if not even the ellipsis fits.
func fit(f face, s string, limit float64) string {
	if f.width(s) <= limit {
		return s
	}
	rs := []rune(s)
	for n := len(rs) - 1; n > 0; n-- {
		cut := strings.TrimRightFunc(string(rs[:n]), func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsPunct(r) && r != ')' && r != '»'
		})
		if cut == "" {
			break
		}
		if t := cut + "…"; f.width(t) <= limit {
			return t
		}
	}
	if f.width("…") <= limit {
		return "…"
	}
	return ""
}

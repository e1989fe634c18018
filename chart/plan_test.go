package chart

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

var update = flag.Bool("update", false, "rewrite testdata/plan-demo.png")

// The fixed clock and zone of these tests: Thursday 26 November 2026,
// 10:00 in Paris.
var paris, now = storetest.Paris, storetest.Now

// french are the labels the bot passes in French.
var french = Labels{
	Title: "Avancement du plan par axe — 26 novembre 2026",
	Status: map[store.Status]string{
		store.StatusTodo:       "à lancer",
		store.StatusInProgress: "en cours",
		store.StatusBlocked:    "bloquée",
		store.StatusDone:       "terminée",
		store.StatusAbandoned:  "abandonnée",
	},
	Axis:    func(a store.Axis) string { return a.Label() + " · " + a.Name },
	Average: func(pct int) string { return fmt.Sprintf("moy. %d\u202f%%", pct) },
	Overdue: func(n int) string { return fmt.Sprintf("%d en retard", n) },
	Empty:   "Aucune action à afficher",
}

// demoDashboard returns the dashboard of the demonstration plan as of now.
func demoDashboard(tb testing.TB) store.Dashboard {
	tb.Helper()
	s, err := store.Open(filepath.Join(tb.TempDir(), "plan.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return now }
	ctx := context.Background()
	if err := s.SeedDemo(ctx, paris); err != nil {
		tb.Fatal(err)
	}
	d, err := s.Dashboard(ctx, store.DateOf(now, paris), "")
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// axis returns a hand-made axis tally with these counts by status and
// progress sum.
func axis(code, name string, progress int, counts map[store.Status]int) store.AxisTally {
	a := store.AxisTally{Axis: store.Axis{Code: code, Name: name}, Tally: store.Tally{ByStatus: counts, ProgressSum: progress}}
	for _, n := range counts {
		a.Total += n
	}
	return a
}

// mustPlan draws the chart and decodes it.
func mustPlan(t *testing.T, d store.Dashboard, l Labels, o Options) image.Image {
	t.Helper()
	b, err := Plan(d, l, o)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	return img
}

// countColor returns how many pixels of img are exactly c. Bars are drawn
// on whole pixels, so their inside is exactly their colour whatever the
// anti-aliasing does to their edges and to text.
func countColor(img image.Image, c color.RGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if isColor(img.At(x, y), c) {
				n++
			}
		}
	}
	return n
}

// stray returns how many pixels of colour c a chart may have where no bar
// is: none for a colour, a few for a grey, which the anti-aliased edges of
// dark text on white go through. A bar is thousands.
func stray(c color.RGBA) int {
	if c.R == c.G && c.G == c.B {
		return 100
	}
	return 0
}

func isColor(got color.Color, want color.RGBA) bool {
	r, g, b, a := got.RGBA()
	return uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(b>>8) == want.B && uint8(a>>8) == want.A
}

// isBar reports whether c is the fill or the outline of a bar.
func isBar(c color.Color) bool {
	if isColor(c, todoEdge) {
		return true
	}
	for _, sc := range statusColors {
		if isColor(c, sc) {
			return true
		}
	}
	return false
}

// barRuns returns, for each band of image lines that cross a bar, the
// longest run of bar pixels along one line of it: the bar's length. Lines
// through the counts are broken by their digits, the longest is not; the
// legend's squares are too short to count as a bar.
func barRuns(img image.Image) []int {
	const least = 60 // px: longer than a legend square, shorter than any bar here
	var runs []int
	inBand := false
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		longest, run := 0, 0
		for x := b.Min.X; x < b.Max.X; x++ {
			if isBar(img.At(x, y)) {
				run++
				longest = max(longest, run)
			} else {
				run = 0
			}
		}
		switch {
		case longest >= least && !inBand:
			runs = append(runs, longest)
			inBand = true
		case longest >= least:
			runs[len(runs)-1] = max(runs[len(runs)-1], longest)
		default:
			inBand = false
		}
	}
	return runs
}

func TestPlanSize(t *testing.T) {
	d := demoDashboard(t)
	tests := []struct {
		name          string
		opts          Options
		width, height int
	}{
		{name: "default", opts: Options{}, width: 1200, height: 800},
		{name: "custom", opts: Options{Width: 900, Height: 500}, width: 900, height: 500},
		{name: "only width", opts: Options{Width: 600}, width: 600, height: 800},
		{name: "tall and narrow", opts: Options{Width: 400, Height: 900}, width: 400, height: 900},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := mustPlan(t, d, french, tt.opts)
			got := img.Bounds().Size()
			if want := (image.Point{tt.width, tt.height}); got != want {
				t.Errorf("size = %v, want %v", got, want)
			}
		})
	}
}

func TestPlanBadSize(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{name: "negative", opts: Options{Width: -1}},
		{name: "too small", opts: Options{Width: 20, Height: 20}},
		{name: "too large", opts: Options{Width: 100000, Height: 800}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Plan(store.Dashboard{}, french, tt.opts); err == nil {
				t.Errorf("Plan(%+v) succeeded, want an error", tt.opts)
			}
		})
	}
}

func TestPlanColors(t *testing.T) {
	noBlocked := store.Dashboard{Axes: []store.AxisTally{
		axis("S", "Socle commun de la démarche", 150, map[store.Status]int{store.StatusTodo: 2, store.StatusInProgress: 3, store.StatusDone: 1}),
		axis("1", "Attirer, accueillir et connecter les entreprises", 200, map[store.Status]int{store.StatusInProgress: 2, store.StatusAbandoned: 1}),
	}}
	tests := []struct {
		name string
		d    store.Dashboard
	}{
		{name: "demo plan", d: demoDashboard(t)},
		{name: "nothing blocked or done in axis 1", d: noBlocked},
	}
	// A status present has at least a small bar's worth of pixels; one
	// absent has none but strays, text being drawn in colours of its own.
	const least = 500
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := mustPlan(t, tt.d, french, Options{})
			for _, st := range store.Statuses {
				present := false
				for _, a := range tt.d.Axes {
					present = present || a.ByStatus[st] > 0
				}
				got := countColor(img, statusColors[st])
				switch {
				case present && got < least:
					t.Errorf("%s: %d pixels of %v, want at least %d", st, got, statusColors[st], least)
				case !present && got > stray(statusColors[st]):
					t.Errorf("%s is absent but has %d pixels of %v, want at most %d", st, got, statusColors[st], stray(statusColors[st]))
				}
			}
		})
	}
}

func TestPlanBarLengths(t *testing.T) {
	tests := []struct {
		name      string
		a, b      map[store.Status]int
		wantRatio float64
	}{
		{
			name:      "10 and 5 actions",
			a:         map[store.Status]int{store.StatusInProgress: 4, store.StatusDone: 6},
			b:         map[store.Status]int{store.StatusInProgress: 5},
			wantRatio: 2,
		},
		{
			name:      "statuses do not change the length",
			a:         map[store.Status]int{store.StatusTodo: 3, store.StatusBlocked: 3, store.StatusAbandoned: 3},
			b:         map[store.Status]int{store.StatusDone: 3},
			wantRatio: 3,
		},
		{
			name:      "shorter axis first",
			a:         map[store.Status]int{store.StatusTodo: 2},
			b:         map[store.Status]int{store.StatusInProgress: 4, store.StatusBlocked: 4},
			wantRatio: 0.25,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := store.Dashboard{Axes: []store.AxisTally{
				axis("1", "Axe A", 300, tt.a),
				axis("2", "Axe B", 100, tt.b),
			}}
			img := mustPlan(t, d, french, Options{})
			runs := barRuns(img)
			if len(runs) != 2 {
				t.Fatalf("found %d bars %v, want 2", len(runs), runs)
			}
			got := float64(runs[0]) / float64(runs[1])
			if got < tt.wantRatio*0.97 || got > tt.wantRatio*1.03 {
				t.Errorf("bar A / bar B = %d / %d px = %.3f, want %.3f ± 3 %%", runs[0], runs[1], got, tt.wantRatio)
			}
		})
	}
}

func TestPlanEmpty(t *testing.T) {
	tests := []struct {
		name   string
		d      store.Dashboard
		labels Labels
	}{
		{name: "no axis", d: store.Dashboard{}, labels: french},
		{name: "axes without actions", d: store.Dashboard{Axes: []store.AxisTally{axis("1", "Axe vide", 0, nil)}}, labels: french},
		{name: "no labels at all", d: store.Dashboard{}, labels: Labels{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := mustPlan(t, tt.d, tt.labels, Options{})
			for st, c := range statusColors {
				if n := countColor(img, c); n > stray(c) {
					t.Errorf("%d pixels of %s's colour in an empty chart, want at most %d", n, st, stray(c))
				}
			}
			// The message is there: some dark text in the middle third.
			if tt.labels.Empty != "" && countInk(img, img.Bounds().Dy()/3, 2*img.Bounds().Dy()/3) < 100 {
				t.Errorf("no text in the middle of an empty chart, want %q", tt.labels.Empty)
			}
		})
	}
}

// countInk returns how many dark pixels lie in the lines from y0 to y1.
func countInk(img image.Image, y0, y1 int) int {
	n := 0
	for y := y0; y < y1; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r < 0x8000 && g < 0x8000 && b < 0x8000 {
				n++
			}
		}
	}
	return n
}

func TestPlanNoLabels(t *testing.T) {
	// A caller that passes no words gets a chart all the same: rows named
	// by Axis.Label, statuses by their keys, no notes.
	img := mustPlan(t, demoDashboard(t), Labels{}, Options{})
	if got := len(barRuns(img)); got != 5 {
		t.Errorf("found %d bars, want 5", got)
	}
}

func TestPlanConcurrent(t *testing.T) {
	// The fonts are shared; run with -race to see that Plan is safe.
	d := demoDashboard(t)
	want, err := Plan(d, french, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := Plan(d, french, Options{})
			if err != nil {
				t.Error(err)
			} else if !bytes.Equal(got, want) {
				t.Error("concurrent Plan drew a different image")
			}
		})
	}
	wg.Wait()
}

func TestPrintable(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "French", in: "Cœur de métropole, à Tours — « Étudier »", want: "Cœur de métropole, à Tours — « Étudier »"},
		{name: "narrow no-break space", in: "moy. 45\u202f%", want: "moy. 45\u202f%"},
		{name: "emoji dropped", in: "🔵 en cours", want: "en cours"},
		{name: "spaces collapsed", in: "  Axe 1 \n\t· Attirer  ", want: "Axe 1 · Attirer"},
		{name: "control characters", in: "a\x00b\x1bc", want: "abc"},
		{name: "empty", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := printable(tt.in); got != tt.want {
				t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFit(t *testing.T) {
	f := newFace(sans, 28)
	long := "Axe 1 · Attirer, accueillir et connecter les entreprises"
	tests := []struct {
		name  string
		in    string
		limit float64
		want  string
	}{
		{name: "fits", in: long, limit: 2000, want: long},
		{name: "cut at a word", in: long, limit: f.width("Axe 1 · Attirer, accueillir…"), want: "Axe 1 · Attirer, accueillir…"},
		{name: "no room", in: long, limit: 1, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fit(f, tt.in, tt.limit)
			if got != tt.want {
				t.Errorf("fit(%q, %.0f) = %q, want %q", tt.in, tt.limit, got, tt.want)
			}
			if w := f.width(got); w > tt.limit {
				t.Errorf("fit(%q, %.0f) is %.0f px wide", tt.in, tt.limit, w)
			}
		})
	}
}

func TestTextOn(t *testing.T) {
	tests := []struct {
		status store.Status
		want   color.RGBA
	}{
		{store.StatusTodo, ink},
		{store.StatusInProgress, lightText},
		{store.StatusBlocked, lightText},
		{store.StatusDone, lightText},
		{store.StatusAbandoned, lightText},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			if got := textOn(statusColors[tt.status]); got != tt.want {
				t.Errorf("textOn(%s) = %v, want %v", tt.status, got, tt.want)
			}
		})
	}
}

// TestPlanDemo keeps testdata/plan-demo.png, the demo plan as the bot would
// post it, for people to look at; -update rewrites it. Without -update the
// image drawn now must match it, give or take a few pixels of rounding a
// different machine may make.
func TestPlanDemo(t *testing.T) {
	b, err := Plan(demoDashboard(t), french, Options{})
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "plan-demo.png")
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./chart -update)", err)
	}
	got, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	wantImg, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != wantImg.Bounds() {
		t.Fatalf("size = %v, %s is %v", got.Bounds(), golden, wantImg.Bounds())
	}
	diff, all := 0, 0
	for y := got.Bounds().Min.Y; y < got.Bounds().Max.Y; y++ {
		for x := got.Bounds().Min.X; x < got.Bounds().Max.X; x++ {
			all++
			r0, g0, b0, a0 := got.At(x, y).RGBA()
			r1, g1, b1, a1 := wantImg.At(x, y).RGBA()
			if r0 != r1 || g0 != g1 || b0 != b1 || a0 != a1 {
				diff++
			}
		}
	}
	if diff*1000 > all {
		t.Errorf("%d of %d pixels differ from %s; look at the new image (go test ./chart -update) and keep it if it is right", diff, all, golden)
	}
}

func BenchmarkPlan(b *testing.B) {
	d := demoDashboard(b)
	for b.Loop() {
		if _, err := Plan(d, french, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

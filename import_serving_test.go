package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// importRows is the size of the spreadsheet imported while notes are
// written: the demo's 52 actions renamed, and 14,948 new ones.
const importRows = 15_000

// noting is what the notes written during an import saw.
type noting struct {
	waits    []time.Duration // how long each note took to be answered
	failed   []string        // the notes not answered « ok », with their outcome
	importIn time.Duration   // how long "actionbot import" ran
	importOK bool
	output   string // what the import printed
}

// noteDuringImport runs "actionbot import" of a 15,000-row file in a process
// of its own, as the city's IT would while "serve" runs, against the store
// that config names (opened here through open), and meanwhile writes notes
// on the demo's actions from four users at once through the commands
// handler — the path a Slack request takes in "serve" — on a connection
// of this process. It checks that every note answered « ok » is in the
// journal, and returns what the notes saw.
func noteDuringImport(tb testing.TB, dir, config string, s *store.Store) noting {
	tb.Helper()
	ctx := context.Background()
	file := filepath.Join(dir, "plan.csv")
	if err := writeBigPlan(file, importRows); err != nil {
		tb.Fatal(err)
	}
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		tb.Fatal(err)
	}
	h, err := commands.New(s, commands.Options{Admins: []string{"UADMIN"}, Location: testNow().Location()})
	if err != nil {
		tb.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "--config", cfg, "import", file)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	var res noting
	go func() {
		err := cmd.Wait()
		res.importIn, res.importOK = time.Since(start), err == nil
		close(done)
	}()

	var mu sync.Mutex
	var written []string
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					if i > 0 {
						return
					}
				default:
				}
				n := 1 + (w*13+i)%52
				note := fmt.Sprintf("pendant l'import, note %d de U%d", i, w)
				t0 := time.Now()
				_, rep := h.Answer(ctx, commands.Request{
					UserID: "UADMIN", ChannelID: "C0", Command: "/action",
					Text: fmt.Sprintf("%d note %s", n, note), Now: testNow(),
				})
				wait := time.Since(t0)
				mu.Lock()
				res.waits = append(res.waits, wait)
				if rep.Outcome == commands.OutcomeOK {
					written = append(written, fmt.Sprintf("%d:%s", n, note))
				} else {
					res.failed = append(res.failed, fmt.Sprintf("action %d, %s after %s: %s", n, note, wait.Round(time.Millisecond), rep.Outcome))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	<-done
	res.output = out.String()

	// Every note answered is in the journal of its action.
	stored := map[string]bool{}
	for n := 1; n <= 52; n++ {
		entries, err := s.History(ctx, n, 1_000_000)
		if err != nil {
			tb.Fatal(err)
		}
		for _, e := range entries {
			if e.Field == store.FieldNote {
				stored[fmt.Sprintf("%d:%s", n, e.Note)] = true
			}
		}
	}
	for _, w := range written {
		if !stored[w] {
			tb.Errorf("note answered but not stored: %s", w)
		}
	}
	return res
}

// longest returns the longest wait and the median.
func (r noting) longest() (max, median time.Duration) {
	if len(r.waits) == 0 {
		return 0, 0
	}
	w := slices.Clone(r.waits)
	slices.Sort(w)
	return w[len(w)-1], w[len(w)/2]
}

// importServingStore opens a store that holds the demo's 52 actions as an
// imported plan, on SQLite (a file in dir) or on PostgreSQL (a new
// schema), and returns it with the configuration that names it.
func importServingStore(tb testing.TB, dir string, postgres bool) (*store.Store, string) {
	tb.Helper()
	ctx := context.Background()
	var s *store.Store
	var config string
	var err error
	if postgres {
		url := storetest.PostgresURL(tb)
		s, err = store.OpenPostgres(url)
		config = fmt.Sprintf("[store]\ndriver = \"postgres\"\nurl = %q\n", url)
	} else {
		path := filepath.Join(dir, "plan.db")
		s, err = store.Open(path)
		config = fmt.Sprintf("[store]\npath = %q\n", path)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	s.Now = testNow
	if err := s.SyncGroups(ctx, store.DefaultGroups()); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Import(ctx, store.DemoPlan(store.DateOf(testNow(), testNow().Location())), store.ImportAuthor); err != nil {
		tb.Fatal(err)
	}
	return s, config
}

// TestImportWhileServing imports 15,000 rows with "actionbot import" while
// four users write notes through the commands handler on another
// connection, as "serve" does: the import succeeds, no note fails and every
// note answered is stored. How long the notes waited is logged, not
// checked (BenchmarkNoteDuringImport measures it).
func TestImportWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 15,000 rows")
	}
	for _, postgres := range []bool{false, true} {
		name := "sqlite"
		if postgres {
			name = "postgres"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s, config := importServingStore(t, dir, postgres)
			res := noteDuringImport(t, dir, config, s)
			if !res.importOK || !strings.Contains(res.output, "14948 created, 52 updated") {
				t.Fatalf("import: %s", res.output)
			}
			if len(res.waits) < 8 {
				t.Errorf("%d notes written during the import, want some", len(res.waits))
			}
			for _, f := range res.failed {
				t.Errorf("note refused: %s", f)
			}
			_, _, n, err := s.NumberRange(context.Background())
			if err != nil || n != importRows {
				t.Errorf("%d actions after the import (%v), want %d", n, err, importRows)
			}
			max, median := res.longest()
			t.Logf("import of %d rows in %s; %d notes meanwhile, longest wait %s, median %s",
				importRows, res.importIn.Round(time.Millisecond), len(res.waits), max.Round(time.Millisecond), median.Round(time.Millisecond))
		})
	}
}

// BenchmarkNoteDuringImport measures how long a note waits while
// "actionbot import" writes 15,000 rows (see noteDuringImport): the
// longest wait and the median, in ms, and the import's own time.
//
//	go test -run '^$' -bench NoteDuringImport -benchtime 1x -count 3 .
func BenchmarkNoteDuringImport(b *testing.B) {
	for _, postgres := range []bool{false, true} {
		name := "sqlite"
		if postgres {
			name = "postgres"
		}
		b.Run(name, func(b *testing.B) {
			var maxs, medians, imports []float64
			failed := 0
			for range b.N {
				b.StopTimer()
				dir := b.TempDir()
				s, config := importServingStore(b, dir, postgres)
				b.StartTimer()
				res := noteDuringImport(b, dir, config, s)
				if !res.importOK {
					b.Fatalf("import: %s", res.output)
				}
				max, median := res.longest()
				maxs, medians = append(maxs, float64(max.Milliseconds())), append(medians, float64(median.Milliseconds()))
				imports = append(imports, res.importIn.Seconds())
				failed += len(res.failed)
			}
			b.ReportMetric(slices.Max(maxs), "max-wait-ms")
			b.ReportMetric(slices.Max(medians), "median-wait-ms")
			b.ReportMetric(slices.Max(imports), "import-s")
			b.ReportMetric(float64(failed), "failed-notes")
		})
	}
}

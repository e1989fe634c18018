package bot_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tours-metropole/actionbot/bot"
	"github.com/tours-metropole/actionbot/commands"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// The size of the big plan of the benchmarks: its 100,000 actions make
// 25,000 per working group.
const (
	bigActions = 100_000
	bigJournal = 1_000_000
)

// BenchmarkSlashCommand measures a slash command through the whole HTTP
// handler — signed request, signature check, form parsing, store, Block
// Kit rendering, JSON reply — on the demo plan. Each request is distinct
// and signed once, as Slack's are (the bot refuses a replay): signing it
// (about a microsecond) is counted too. It runs and on a generated plan of
// 100,000 actions and 1,000,000 journal entries (generated on first use
// and cached in the system's temporary directory: see storetest).
//
//	go test ./bot -run '^$' -bench SlashCommand -benchmem
func BenchmarkSlashCommand(b *testing.B) {
	plans := storetest.BenchPlans(bigActions, bigJournal, "100k")
	cmds := []struct {
		name, user, text, want string
	}{
		{"card", other, "23", `"text":"Action 23 · `},
		{"list", other, "liste", `"response_type":"ephemeral"`},
		{"late", other, "retard", `"response_type":"ephemeral"`},
		{"search", other, "cherche accueil", `"response_type":"ephemeral"`},
		// A note on each of the first 52 actions in turn, as a COPIL
		// would: not thousands on one, whose text would grow without end.
		{"note", admin, "%d note Point d'étape avec les partenaires", `Point d'étape avec les partenaires`},
	}
	for _, p := range plans {
		b.Run("plan="+p.Name, func(b *testing.B) {
			h := benchHandler(b, p.Open(b))
			for _, c := range cmds {
				b.Run("cmd="+c.name, func(b *testing.B) {
					var bodies []string
					for n := 1; n <= 52; n++ {
						text := c.text
						if strings.Contains(text, "%d") {
							text = fmt.Sprintf(text, n)
						}
						bodies = append(bodies, slashCommand("", c.user, "/action", text))
					}
					serve := func() *httptest.ResponseRecorder {
						i := int(nonce.Add(1))
						body := bodies[i%len(bodies)] + "&trigger_id=" + strconv.Itoa(i)
						req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
						req.Header = sign(secret, now, body)
						req.Header.Set("Content-Type", form)
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, req)
						return rec
					}
					if rec := serve(); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), c.want) {
						b.Fatalf("/action %s: %d\n%s", c.text, rec.Code, rec.Body)
					}
					b.ReportAllocs()
					b.ResetTimer()
					for b.Loop() {
						serve()
					}
				})
			}
		})
	}
}

// nonce makes each request of the benchmarks its own, whatever the run:
// the handler refuses a request it has received before.
var nonce atomic.Int64

// benchHandler is the bot's HTTP handler in front of s, with a Slack API
// that no command of the benchmark calls.
func benchHandler(tb testing.TB, s *store.Store) http.Handler {
	tb.Helper()
	h, err := commands.New(s, commands.Options{Language: "fr", Location: paris, Admins: []string{admin}, Logger: quiet})
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := bot.New(bot.Options{
		Commands:      h,
		Slack:         bot.NewClient(bot.ClientOptions{BotToken: "xoxb-bench", APIURL: "http://127.0.0.1:9/api/"}),
		SigningSecret: secret,
		TeamID:        team,
		Now:           storetest.Now.Local,
		Logger:        quiet,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return srv.Handler()
}

// BenchmarkParallel measures a command through the HTTP handler sent by
// forty users at once — forty people during a COPIL — on the demo plan:
// /action 23, what the load test (scripts/load.sh) measures without the
// network, and an update (/action N note …) to as many different actions.
// Besides ns/op (wall time over all of them: the inverse of throughput)
// it reports the 99th percentile of one request's latency, p99-ms.
//
//	go test ./bot -run '^$' -bench Parallel -benchmem
func BenchmarkParallel(b *testing.B) {
	for _, c := range []struct {
		name, user, text string
	}{
		{"card", other, "23"},
		{"note", admin, "note Point d'étape"},
	} {
		b.Run("cmd="+c.name, func(b *testing.B) {
			h := benchHandler(b, storetest.Demo(b))
			var (
				mu        sync.Mutex
				latencies []time.Duration
				worker    atomic.Int32
			)
			b.ReportAllocs()
			b.SetParallelism(40 / max(1, runtime.GOMAXPROCS(0)))
			b.RunParallel(func(pb *testing.PB) {
				text := c.text
				if c.name == "note" {
					// Each worker its own action: updates of one action
					// would queue on each other anyway.
					text = fmt.Sprintf("%d %s", 1+worker.Add(1)%52, c.text)
				}
				base := slashCommand("", c.user, "/action", text)
				var mine []time.Duration
				for pb.Next() {
					// Distinct and signed once, as Slack's are.
					body := base + "&trigger_id=" + strconv.FormatInt(nonce.Add(1), 10)
					start := time.Now()
					req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
					req.Header = sign(secret, now, body)
					req.Header.Set("Content-Type", form)
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					mine = append(mine, time.Since(start))
					if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
						b.Errorf("status %d, late or empty answer: %s", rec.Code, rec.Body)
						return
					}
				}
				mu.Lock()
				latencies = append(latencies, mine...)
				mu.Unlock()
			})
			if len(latencies) > 0 {
				slices.Sort(latencies)
				p99 := latencies[len(latencies)*99/100]
				b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
			}
		})
	}
}

package bot

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/tours-metropole/actionbot/commands"
)

// Metrics are the bot's Prometheus metrics, in a registry of their own
// (no global state):
//
//	actionbot_commands_total{command,outcome}  requests served: "action.card", "modal.update"…; ok, invalid, not_found, forbidden, internal
//	actionbot_command_seconds{command}         how long answering took
//	actionbot_posts_total{outcome}             messages posted to Slack: sent, failed
//	actionbot_deliveries_pending               scheduled messages not yet delivered
//
// with the Go runtime and process collectors.
type Metrics struct {
	reg      *prometheus.Registry
	commands *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	posts    *prometheus.CounterVec
	pending  prometheus.Gauge
}

// NewMetrics returns the metrics, all at zero.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "actionbot_commands_total",
			Help: "Requests served, by command and outcome (ok, invalid, not_found, forbidden, internal).",
		}, []string{"command", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "actionbot_command_seconds",
			Help:    "Time taken to answer a request, by command.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5, 10},
		}, []string{"command"}),
		posts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "actionbot_posts_total",
			Help: "Messages posted to Slack (response_url, chat.postMessage, chat.postEphemeral), by outcome (sent, failed).",
		}, []string{"outcome"}),
		pending: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "actionbot_deliveries_pending",
			Help: "Scheduled messages (digests, reminders) waiting to be delivered.",
		}),
	}
	m.posts.WithLabelValues("sent")
	m.posts.WithLabelValues("failed")
	m.reg.MustRegister(m.commands, m.latency, m.posts, m.pending,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// SetDeliveriesPending reports how many scheduled messages wait to be
// delivered; the sender sets it after each batch.
func (m *Metrics) SetDeliveriesPending(n int) { m.pending.Set(float64(n)) }

// served counts a request and its latency. Its labels take only known
// values: a command Slack was never told about (a signed "/evil", or a
// command renamed in the app but not here) counts as "other", so that no
// request creates a series.
func (m *Metrics) served(rep commands.Report, d time.Duration) {
	name, outcome := rep.Name, rep.Outcome
	if !knownCommand(name) {
		name = "other"
	}
	switch outcome {
	case commands.OutcomeOK, commands.OutcomeInvalid, commands.OutcomeNotFound, commands.OutcomeForbidden, commands.OutcomeInternal:
	default:
		outcome = "other"
	}
	m.commands.WithLabelValues(name, string(outcome)).Inc()
	m.latency.WithLabelValues(name).Observe(d.Seconds())
}

// knownCommand reports whether a report's name is one of the bot's: the
// sub-commands of /action and /copil from the commands table ("action.?"
// when the text did not parse), the buttons, the modal and the App Home.
func knownCommand(name string) bool {
	family, sub, _ := strings.Cut(name, ".")
	switch family {
	case "action", "copil", "button", "modal":
		return sub != "" && len(sub) <= 32 && strings.Trim(sub, "abcdefghijklmnopqrstuvwxyz-_?") == ""
	case "home":
		return sub == ""
	}
	return false
}

// posted counts a post to Slack, logging a failure.
func (m *Metrics) posted(err error, log *slog.Logger, via string) {
	if err != nil {
		m.posts.WithLabelValues("failed").Inc()
		log.Error("posting to Slack failed", "via", via, "err", err)
		return
	}
	m.posts.WithLabelValues("sent").Inc()
}

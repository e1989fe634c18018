// Package bot connects actionbot to Slack: the HTTP and Socket Mode
// adapters that turn Slack's payloads into commands requests and write the
// answers back, the Slack Web API client, and the scheduler that posts
// digests, reminders and nudges.
//
// Both adapters share one Server: one conversion of a slash command into a
// commands.Request (Server.request), one writer of the answer (Reply, the
// HTTP body, the Socket Mode ack payload and the response_url POST alike),
// one handler of buttons and modals (Server.interaction) and of events
// (Server.event).
//
// # The 3-second rule
//
// Slack drops an answer that comes more than 3 seconds after the request.
// A slash command is answered in the reply when ready within the inline
// timeout (2 s); otherwise the bot acks with an empty reply and posts the
// answer to the command's response_url when it is ready. Buttons ack at
// once and answer through response_url or a modal; a modal submission is
// validated and stored before its ack, which carries the errors to show
// in the modal if any. Socket Mode envelopes are acked from goroutines by
// the same rules, so the reader of the connection never waits.
//
// # Security
//
// Over HTTP, every POST is verified with the signing secret (Verify)
// before anything is parsed; with a team ID configured, requests from
// another workspace are refused. A retried event is handled once.
//
// # Speaking first
//
// Posts tables the scheduled jobs (a weekly digest per group, the COPIL
// reminders, the nudges, the DMs to the followers of actions, each a
// minute of others' changes, the refreshes of the COPIL channel's canvas);
// the Scheduler runs them with robfig/cron on the
// wall clock of the configured zone (OnWallClock), postponing holidays to
// the next working day (Calendar) and catching up slots missed while the
// bot was down. A job never posts: it writes a delivery to the store's
// outbox under a key naming its kind, target and slot, which makes a
// second post of the same slot impossible. The Sender delivers the outbox
// at Slack's pace and retries with backoff; a delivery interrupted
// mid-send by a crash is held as unknown rather than posted twice. A
// canvas refresh (KindCanvas) creates the channel's canvas the first time
// and replaces its content after; see Sender.canvas for a crash between
// the creation and the record of its ID.
package bot

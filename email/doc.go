// Package email sends what the bot says to people outside Slack — the COPIL
// reminders to its guests, with the dashboard, the chart inline and a
// personal link to the plan on the web — as HTML with a plain-text
// alternative, through SMTP (github.com/wneessen/go-mail) — and, once made,
// the COPIL's minutes with the PDF attached. They are written in the bot's
// language (French by default, or English), the catalogue's wording around
// the bot's own texts.
//
// A message is a delivery of the outbox like a Slack post (its Channel is
// "mailto:" and the address): Writer composes it when it is enqueued,
// Mailer sends it when the sender's turn comes, so that it goes once. The
// personal link's token is never in the outbox: Writer leaves a slot in
// its place (TokenSlot and a mark made with the mail secret for that
// e-mail, which text quoted from the plan cannot forge), and Mailer makes
// the link (a fresh one per attempt) and fills
// the slot just before it hands the message to SMTP. An
// SMTP answer 4xx is temporary and the sender retries it with backoff; a
// 5xx fails the delivery at once; a delivery interrupted mid-send is
// left "unknown" for an admin. Every message carries List-Unsubscribe
// (one-click, RFC 8058) and a link at its foot; an address that
// unsubscribed gets nothing more until `actionbot email --resubscribe`.
package email

// Package bot connects actionbot to Slack: the HTTP and Socket Mode
// adapters that turn Slack's payloads into commands requests and write the
// answers back, the Slack Web API client, and the scheduler that posts
// digests, reminders and nudges.
package bot

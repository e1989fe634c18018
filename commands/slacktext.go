package commands

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/tours-metropole/actionbot/store"
)

// Slack reads every mrkdwn text — and a message's text fallback — as
// markup: « < » opens a link, a mention or a ping, « & » an entity. The
// renderer writes mrkdwn throughout, from three kinds of text:
//
//   - literal text (the catalogue's wording, titles, names, places, search
//     words, what a user typed and an error echoes) goes through escape;
//   - text a user wrote in Slack (a note) goes through rich, which keeps
//     the mentions, channels and links Slack itself made live, and shows
//     any ping (<!channel>, <!here>, <!everyone>, <!subteam^…>) as text;
//   - markup the renderer makes itself (<@U…> for a person).
//
// Plain-text objects (headers, buttons, labels) get plain(mrkdwn), which
// undoes the escaping; clipping goes through clipMrkdwn, which never cuts
// an entity, a mention or a link in two.

// escaper is built once: building a Replacer costs more than using it, and
// a card escapes a dozen texts.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// unescaper undoes escape.
var unescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// escape writes s as literal mrkdwn: nothing in it is read as markup.
func escape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return escaper.Replace(s)
}

// unescape turns mrkdwn written by escape back into the text it shows.
func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return unescaper.Replace(s)
}

// rich writes text a user wrote in Slack as mrkdwn: the entities Slack
// makes of a person, a channel or a link picked in its composer stay live;
// everything else is literal.
func rich(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	var b strings.Builder
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(escape(s))
			break
		}
		b.WriteString(escape(s[:i]))
		s = s[i:]
		end := strings.IndexAny(s[1:], "<>\n")
		if end >= 0 && s[1+end] == '>' {
			if live, ok := entity(s[1 : 1+end]); ok {
				b.WriteString("<" + live + ">")
				s = s[end+2:]
				continue
			}
		}
		b.WriteString("&lt;")
		s = s[1:]
	}
	return b.String()
}

// entity returns the body of a Slack entity as it must be written (its
// « & » escaped), and whether body — what stands between « < » and « > »
// — is one that may stay live: a user, a channel, a web or mail link.
// Special mentions (!channel, !here, !everyone, !subteam^…, !date…) are
// not: a note never pings anyone.
func entity(body string) (string, bool) {
	target, label, hasLabel := strings.Cut(body, "|")
	ok := false
	switch {
	case strings.HasPrefix(target, "@"):
		ok = store.IsUserID(target[1:])
	case strings.HasPrefix(target, "#"):
		ok = isChannelID(target[1:])
	case strings.HasPrefix(target, "https://"), strings.HasPrefix(target, "http://"), strings.HasPrefix(target, "mailto:"):
		ok = !strings.ContainsAny(target, " \t")
	}
	if !ok {
		return "", false
	}
	if hasLabel {
		return escape(target) + "|" + escape(label), true
	}
	return escape(target), true
}

func isChannelID(s string) bool {
	if len(s) < 3 || !strings.ContainsRune("CG", rune(s[0])) {
		return false
	}
	for _, r := range s[1:] {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// clipMrkdwn shortens mrkdwn s to at most n characters, ending with « … »,
// without cutting an entity (&amp;), a mention or a link: the cut moves
// before it.
func clipMrkdwn(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	// cut is the byte offset of the (n-1)th rune.
	cut, count := 0, 0
	for i := range s {
		if count == n-1 {
			cut = i
			break
		}
		count++
	}
	head := s[:cut]
	// Inside <…>: cut before its « < ».
	if lt := strings.LastIndexByte(head, '<'); lt >= 0 && !strings.Contains(head[lt:], ">") {
		head = head[:lt]
	}
	// Inside &…;: cut before its « & ».
	if amp := strings.LastIndexByte(head, '&'); amp >= 0 && !strings.Contains(head[amp:], ";") {
		head = head[:amp]
	}
	return head + "…"
}

// clip shortens literal text s to at most n characters, ending with « … ».
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// plainText turns mrkdwn into what a plain-text object shows: the escaped
// characters as themselves.
func plainText(s string) string { return unescape(s) }

// PlainText returns the text fallback of m as a person reads it, for a
// terminal (the demo console, the CLI): see Terminal.
func (m Message) PlainText() string { return Terminal(m.Text) }

// PlainTextNamed is PlainText with the people Slack would show by name —
// its live mentions <@U…> — written @Name, name giving the name of a user
// ID ("" when unknown: the ID is kept). A mention typed as text, escaped in
// the message, stays as typed.
func (m Message) PlainTextNamed(name func(id string) string) string {
	return Terminal(liveMention.ReplaceAllStringFunc(m.Text, func(mention string) string {
		sub := liveMention.FindStringSubmatch(mention)
		if n := name(sub[1]); n != "" {
			return "@" + escape(n)
		}
		if sub[2] != "" {
			return "@" + sub[2]
		}
		return "@" + sub[1]
	}))
}

// liveMention is a mention of a user as Slack sends and shows it:
// <@U02PAUL> or <@U02PAUL|paul>.
var liveMention = regexp.MustCompile(`<@([UW][A-Z0-9]+)(?:\|([^>]*))?>`)

// Terminal returns mrkdwn s as a terminal shows it: escaped characters as
// themselves, the bot's emoji codes as emoji.
func Terminal(s string) string { return terminalEmoji.Replace(unescape(s)) }

// terminalEmoji shows Slack's emoji codes as the characters a terminal
// can print.
var terminalEmoji = strings.NewReplacer(
	":white_circle:", "⚪", ":large_blue_circle:", "🔵", ":red_circle:", "🔴",
	":large_green_circle:", "🟢", ":black_circle:", "⚫", ":warning:", "⚠️",
	":white_check_mark:", "✅", ":calendar:", "📅", ":x:", "❌",
	":hourglass:", "⏳", ":memo:", "📝", ":page_facing_up:", "📄", ":eyes:", "👀",
)

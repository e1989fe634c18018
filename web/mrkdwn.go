package web

import (
	"html/template"
	"regexp"
	"strings"
)

// Namer gives a Slack user's name; ok is false when it is not known.
type Namer func(userID string) (name string, ok bool)

// Reader is how Rich and Plain read what Slack shows live: people's
// names, and the words, in the reader's language, for a user or a channel
// they cannot name — a page never shows a raw ID.
type Reader struct {
	Name    Namer
	Someone string // a Slack user whose name is not known: « un membre de Slack »
	Channel string // a channel whose name the text does not give: « un canal Slack »
}

// emoji are the Slack emoji of the bot's own texts, as characters; any
// other :shortcode: is left out.
var emoji = map[string]string{
	"warning": "⚠", "white_check_mark": "✓", "heavy_check_mark": "✓", "x": "✗",
	"no_entry": "⛔", "hourglass_flowing_sand": "⏳", "calendar": "📅", "memo": "📝",
	"large_blue_circle": "●", "white_circle": "○", "red_circle": "●", "large_green_circle": "●", "black_circle": "●",
}

var (
	shortcode = regexp.MustCompile(`:([a-z][a-z0-9_+-]*):`)
	bold      = regexp.MustCompile(`(^|[\s(«])\*([^*\n]+)\*`)
	italic    = regexp.MustCompile(`(^|[\s(«])_([^_\n]+)_`)
	strike    = regexp.MustCompile(`(^|[\s(«])~([^~\n]+)~`)
)

// Rich turns Slack mrkdwn — the bot's own texts and the notes people
// typed in Slack — into safe HTML: mentions become names, channel links
// their name, links real links (http, https and mailto only), *bold*,
// _italic_ and ~strike~ their elements; anything else is text.
func Rich(s string, rd Reader) template.HTML {
	var b strings.Builder
	for s != "" {
		open := strings.IndexByte(s, '<')
		if open < 0 {
			b.WriteString(inline(s))
			break
		}
		end := strings.IndexByte(s[open:], '>')
		if end < 0 {
			b.WriteString(inline(s))
			break
		}
		b.WriteString(inline(s[:open]))
		b.WriteString(special(s[open+1:open+end], rd))
		s = s[open+end+1:]
	}
	return template.HTML(b.String())
}

// Plain is Rich as text: what a mention or a link reads as, with no markup.
func Plain(s string, rd Reader) string {
	var b strings.Builder
	for s != "" {
		open := strings.IndexByte(s, '<')
		end := -1
		if open >= 0 {
			end = strings.IndexByte(s[open:], '>')
		}
		if end < 0 {
			b.WriteString(unescape(s))
			break
		}
		b.WriteString(unescape(s[:open]))
		inner := s[open+1 : open+end]
		if label, href := linkParts(inner); href != "" {
			if label == "" || label == href {
				b.WriteString(href)
			} else {
				b.WriteString(label + " (" + href + ")")
			}
		} else {
			b.WriteString(specialText(inner, rd))
		}
		s = s[open+end+1:]
	}
	out := shortcode.ReplaceAllStringFunc(b.String(), func(m string) string { return emoji[m[1:len(m)-1]] })
	out = bold.ReplaceAllString(out, "$1$2")
	out = italic.ReplaceAllString(out, "$1$2")
	return strike.ReplaceAllString(out, "$1$2")
}

// unescape undoes Slack's escaping of text: &amp; &lt; &gt;.
func unescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// inline writes plain mrkdwn text as HTML.
func inline(s string) string {
	h := template.HTMLEscapeString(unescape(s))
	h = shortcode.ReplaceAllStringFunc(h, func(m string) string {
		if e := emoji[m[1:len(m)-1]]; e != "" {
			return `<span aria-hidden="true">` + e + `</span>`
		}
		return ""
	})
	h = bold.ReplaceAllString(h, "$1<strong>$2</strong>")
	h = italic.ReplaceAllString(h, "$1<em>$2</em>")
	h = strike.ReplaceAllString(h, "$1<s>$2</s>")
	return h
}

// linkParts reads <https://x|label>: label (may be empty) and the address
// when its scheme is one a page may link to.
func linkParts(inner string) (label, href string) {
	target, label, _ := strings.Cut(inner, "|")
	target = unescape(target)
	for _, scheme := range []string{"https://", "http://", "mailto:"} {
		if strings.HasPrefix(strings.ToLower(target), scheme) && len(target) > len(scheme) {
			return unescape(label), target
		}
	}
	return "", ""
}

// special writes what Slack puts between < and > as HTML.
func special(inner string, rd Reader) string {
	if label, href := linkParts(inner); href != "" {
		if label == "" {
			label = strings.TrimPrefix(href, "mailto:")
		}
		return `<a href="` + template.HTMLEscapeString(href) + `">` + template.HTMLEscapeString(label) + `</a>`
	}
	return template.HTMLEscapeString(specialText(inner, rd))
}

// specialText reads a mention, channel or special word as text.
func specialText(inner string, rd Reader) string {
	target, label, hasLabel := strings.Cut(inner, "|")
	switch {
	case strings.HasPrefix(target, "@"):
		if rd.Name != nil {
			if n, ok := rd.Name(target[1:]); ok {
				return n
			}
		}
		return rd.Someone
	case strings.HasPrefix(target, "#"):
		if hasLabel && label != "" {
			return "#" + unescape(label)
		}
		return rd.Channel
	case strings.HasPrefix(target, "!"):
		if hasLabel && label != "" {
			return unescape(label)
		}
		word, _, _ := strings.Cut(target[1:], "^")
		return "@" + word
	}
	if hasLabel && label != "" {
		return unescape(label)
	}
	return unescape(target)
}

package commands

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/tours-metropole/actionbot/minutes"
	"github.com/tours-metropole/actionbot/store"
)

// Canvas is the COPIL channel's canvas: its title and its content, in the
// markdown of Slack canvases — not Slack's mrkdwn: **bold**, # headings,
// tables, and people as canvas mentions, ![](@U123).
type Canvas struct {
	Title    string
	Markdown string
}

// canvasRows bounds the blocked and overdue actions a canvas lists: it is
// read on a screen, and Slack takes 1 MiB of markdown at most.
const canvasRows = 50

// Canvas renders the COPIL channel's canvas as of now: the dashboard by
// axis and programme, the blocked and overdue actions (canvasRows of each
// at most, with how many more), the next COPIL, and the decisions of the
// last one held, each with its action's state now. The same plan on the
// same day gives the same markdown, so that a refresh can be skipped when
// nothing changed.
func (h *Handler) Canvas(ctx context.Context, now time.Time) (Canvas, error) {
	c, loc := h.cat, h.loc
	today := store.DateOf(now, loc)
	b := minutesBuilder{h: h, r: h.renderer(), ctx: ctx, nameOf: map[string]string{}, canvas: true, limit: canvasRows}
	d, err := h.store.Dashboard(ctx, today, "")
	if err != nil {
		return Canvas{}, err
	}
	blocked, overdue, err := b.attention(today)
	if err != nil {
		return Canvas{}, err
	}
	next := minutes.Section{Heading: c.t(msgCanvasNext)}
	switch m, err := h.store.NextMeeting(ctx, now); {
	case err == nil:
		place := m.Place
		if place == "" {
			place = c.t(msgNoPlace)
		}
		when := c.t(msgCanvasNextWhen, c.longDate(store.DateOf(m.At, loc)), c.clock(m.At.In(loc)), markdownText(place))
		next.Blocks = []minutes.Block{minutes.Paragraph{Text: "**" + when + "**"}}
	case errors.Is(err, store.ErrNotFound):
		next.Blocks = []minutes.Block{minutes.Paragraph{Text: c.t(msgCanvasNoNext), Italic: true}}
	default:
		return Canvas{}, err
	}
	decisions := minutes.Section{Heading: c.t(msgMinutesDecisions)}
	switch m, err := h.store.LastHeldMeeting(ctx, now, loc); {
	case err == nil:
		if decisions, err = b.decisions(m, today); err != nil {
			return Canvas{}, err
		}
		decisions.Heading = c.t(msgCanvasDecisions, c.longDate(store.DateOf(m.At, loc)))
	case errors.Is(err, store.ErrNotFound):
		decisions.Blocks = []minutes.Block{minutes.Paragraph{Text: c.t(msgCanvasNoMeeting), Italic: true}}
	default:
		return Canvas{}, err
	}
	sections := []minutes.Section{
		{Heading: c.t(msgMinutesDashboard, c.longDate(today)), Blocks: []minutes.Block{b.dashboard(d)}},
		blocked, overdue, next, decisions,
	}
	var md strings.Builder
	md.WriteString("# " + c.t(msgCanvasTitle) + "\n\n")
	md.WriteString("_" + c.t(msgCanvasAsOf, c.longDate(today)) + "_\n")
	for _, s := range sections {
		md.WriteString("\n## " + s.Heading + "\n")
		for _, bl := range s.Blocks {
			md.WriteString("\n")
			writeMarkdown(&md, bl)
		}
	}
	return Canvas{Title: c.t(msgCanvasTitle), Markdown: md.String()}, nil
}

// writeMarkdown writes one block of a document as canvas markdown. Its
// texts are ready: escaped where users wrote them (markdownText), with
// mentions as canvasMention makes them.
func writeMarkdown(md *strings.Builder, b minutes.Block) {
	switch b := b.(type) {
	case minutes.Paragraph:
		if b.Italic {
			md.WriteString("_" + b.Text + "_\n")
		} else {
			md.WriteString(b.Text + "\n")
		}
	case minutes.List:
		for _, it := range b.Items {
			md.WriteString("- " + cell(it) + "\n")
		}
	case minutes.Table:
		md.WriteString("|")
		for _, h := range b.Header {
			md.WriteString(" " + cell(h) + " |")
		}
		md.WriteString("\n|")
		right := map[int]bool{}
		for _, i := range b.Right {
			right[i] = true
		}
		for i := range b.Header {
			if right[i] {
				md.WriteString(" ---: |")
			} else {
				md.WriteString(" --- |")
			}
		}
		md.WriteString("\n")
		for _, r := range b.Rows {
			md.WriteString("|")
			for _, v := range r.Cells {
				v = strings.TrimSpace(cell(v))
				if r.Bold && v != "" {
					v = "**" + v + "**"
				}
				md.WriteString(" " + v + " |")
			}
			md.WriteString("\n")
		}
	}
}

// cell keeps a table cell on its line.
func cell(s string) string { return strings.Join(strings.Fields(s), " ") }

// markdownEscaper escapes what would otherwise be markdown in a text
// someone wrote: emphasis, code, links and images (a « ![](@U…) » typed in
// a title must not become a mention), HTML, and a table's cell separator.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "|", `\|`, "#", `\#`,
)

// markdownText escapes s, which someone wrote, for a canvas: it shows as
// written.
func markdownText(s string) string { return markdownEscaper.Replace(s) }

// canvasMention is a Slack user as a canvas shows one: ![](@U123). Slack's
// <@U123> means nothing in a canvas.
func canvasMention(userID string) string { return "![](@" + userID + ")" }

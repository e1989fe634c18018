// Package chart draws the plan's progress as a PNG image that the bot posts
// in Slack, for the many COPIL members who read the plan as a picture.
//
// Plan draws « Avancement du plan par axe »: one row per axis of a
// store.Dashboard, the socle on top, each row a horizontal bar stacked by
// status in store.Statuses order, as many units long as the axis has
// actions, every row on the same scale so that a longer bar means more
// actions. The colours match the bot's status emoji:
//
//	à lancer    ⚪  light grey #BDBDBD, outlined in darker grey
//	en cours    🔵  blue       #1E88E5
//	bloquée     🔴  red        #E53935
//	terminée    🟢  green      #43A047
//	abandonnée  ⚫  dark grey  #424242
//
// Each segment wide enough shows its count; after each bar come the average
// progress and, when there are some, the number of late actions. Above the
// bars are the title and a legend of the statuses that appear.
//
// The package has no words of its own: the title, the status names, the row
// names and the phrases after each bar come from the caller in Labels, so the
// same chart speaks French or English. It uses the Liberation Sans font that
// gonum.org/v1/plot embeds, which covers French (é, à, œ, « », the narrow
// no-break space before %); characters it has no glyph for, such as emoji,
// are left out rather than drawn as empty boxes.
//
// The image is 1200×800 pixels unless Options say otherwise, with text large
// enough to read when Slack shows it about 400 pixels wide on a phone; a
// different size scales text and bars alike.
//
//	png, err := chart.Plan(dashboard, chart.Labels{
//		Title:   "Avancement du plan par axe — 26 novembre 2026",
//		Status:  map[store.Status]string{store.StatusTodo: "à lancer", ...},
//		Axis:    func(a store.Axis) string { return a.Label() + " · " + a.Name },
//		Average: func(pct int) string { return fmt.Sprintf("moy. %d\u202f%%", pct) },
//		Overdue: func(n int) string { return fmt.Sprintf("%d en retard", n) },
//		Empty:   "Aucune action à afficher",
//	}, chart.Options{})
package chart

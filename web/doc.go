// Package web serves the action plan read-only on the web, for the members
// of the COPIL who are not in the Slack workspace: the dashboard (/plan), an
// action's card with its whole journal (/plan/actions/23), a working
// group's actions with filters (/plan/groupes/<clé>), the chart and the
// workbook. Pages are rendered on the server with html/template, in the
// bot's language (French by default, or English): their wording is the
// catalogue's ({{t "key"}}, commands' Handler.Wording), as are the plan's
// words on them (statuses, dates, journal lines). No JavaScript; they print
// on A4 and read on a phone.
//
// Every request needs a valid link (see store.Link): the first visit brings
// the token in the query (?t=…), the handler sets it in an HttpOnly cookie
// and redirects to the same address without it, so that the token leaves
// the address bar, the browser history and the Referer of every later
// request. The cookie is checked against the store on every request, so
// that a revoked or expired link stops at once.
package web

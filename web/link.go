package web

import (
	"net/url"
	"strconv"
	"strings"
)

// TokenParam is the query parameter that carries a link's token on the
// first visit.
const TokenParam = "t"

// LinkURL is the address of the plan for the holder of token, under
// base (web.base_url).
func LinkURL(base, token string) string {
	return strings.TrimSuffix(base, "/") + "/plan?" + TokenParam + "=" + url.QueryEscape(token)
}

// ActionURL is the address of action n's page under base, for the holder
// of token ("" for a bare link, which asks for the cookie).
func ActionURL(base string, n int, token string) string {
	u := strings.TrimSuffix(base, "/") + "/plan/actions/" + strconv.Itoa(n)
	if token != "" {
		u += "?" + TokenParam + "=" + url.QueryEscape(token)
	}
	return u
}

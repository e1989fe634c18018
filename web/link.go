package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
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

// PageURL is the address of the page at path (/plan/groupes/prospection)
// under base, for the holder of token.
func PageURL(base, path, token string) string {
	return strings.TrimSuffix(base, "/") + path + "?" + TokenParam + "=" + url.QueryEscape(token)
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

// UnsubscribePath is where an e-mail's unsubscribe link leads.
const UnsubscribePath = "/plan/desabonnement"

// UnsubscribeURL is the address that unsubscribes addr, signed with key
// so that no one can unsubscribe another.
func UnsubscribeURL(base string, key []byte, addr string) string {
	q := url.Values{"a": {addr}, "s": {unsubscribeSig(key, addr)}}
	return strings.TrimSuffix(base, "/") + UnsubscribePath + "?" + q.Encode()
}

func unsubscribeSig(key []byte, addr string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(strings.ToLower(strings.TrimSpace(addr))))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:18])
}

// checkUnsubscribe reports whether sig is addr's signature under key.
func checkUnsubscribe(key []byte, addr, sig string) bool {
	return addr != "" && hmac.Equal([]byte(sig), []byte(unsubscribeSig(key, addr)))
}

package store

import (
	"strings"
	"unicode"
)

// Search looks words up in a full-text index rather than reading the text
// of every action: with 100,000 actions and a million journal entries, a
// LIKE over actions.search_text read some 60 MB for each « cherche » (about
// 80 ms) where the index answers in a few milliseconds.
//
// On SQLite the index is an FTS4 table (compiled into the SQLite of
// github.com/mattn/go-sqlite3 without any build tag) over
// actions.search_text with external content — the text is stored once, in
// actions — kept in step by triggers, so that every way an action is
// written (import, edits, notes, GeneratePlan) indexes it. On PostgreSQL it
// is a GIN index of the words of the same text, in a text-search
// configuration that strips accents. Both split the text into words at
// every character that is neither a letter nor a digit, and both find a
// word as the start of a word; dialect.go writes the query for each.

// MaxSearchWords is the most words a search may hold: each is one more
// term of the index's query, and thousands of them fail it. A word written
// with punctuation inside counts its parts.
const MaxSearchWords = 32

// SearchWords counts the words of a search as MaxSearchWords does.
func SearchWords(text string) int {
	n := 0
	for _, t := range searchTerms(text) {
		n += len(t)
	}
	return n
}

// searchTerms turns the words a user searches for into terms: every word
// must appear, as the start of a word of the text, case and accents
// ignored (« logement » finds « logements », « deleg » finds
// « délégation »). A word written with punctuation inside
// (« joué-lès-tours », « d'investisseurs ») is a phrase of its parts. It
// returns nil when text has no letter or digit.
func searchTerms(text string) []searchTerm {
	var terms []searchTerm
	for _, w := range strings.Fields(Fold(text)) {
		parts := strings.FieldsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
		if len(parts) > 0 {
			terms = append(terms, parts)
		}
	}
	return terms
}

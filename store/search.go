package store

import (
	"fmt"
	"strings"
	"unicode"

	"gorm.io/gorm"
)

// Search looks words up in a full-text index rather than reading the text
// of every action: with 100,000 actions and a million journal entries, a
// LIKE over actions.search_text read some 60 MB for each « cherche » (about
// 80 ms) where the index answers in a few milliseconds.
//
// The index is an FTS4 table (compiled into the SQLite of
// github.com/mattn/go-sqlite3 without any build tag) over
// actions.search_text with external content — the text is stored once, in
// actions — kept in step by triggers, so that every way an action is
// written (import, edits, notes, GeneratePlan) indexes it.
var searchSchema = []string{
	`CREATE VIRTUAL TABLE action_search USING fts4(content="actions", search_text, tokenize=unicode61)`,
	`CREATE TRIGGER action_search_insert AFTER INSERT ON actions BEGIN
		INSERT INTO action_search(docid, search_text) VALUES (new.id, new.search_text);
	END`,
	// An external-content FTS4 table forgets a row by reading its old
	// text: before the row changes.
	`CREATE TRIGGER action_search_before_update BEFORE UPDATE OF search_text ON actions BEGIN
		DELETE FROM action_search WHERE docid = old.id;
	END`,
	`CREATE TRIGGER action_search_after_update AFTER UPDATE OF search_text ON actions BEGIN
		INSERT INTO action_search(docid, search_text) VALUES (new.id, new.search_text);
	END`,
	`CREATE TRIGGER action_search_delete BEFORE DELETE ON actions BEGIN
		DELETE FROM action_search WHERE docid = old.id;
	END`,
	// A database made before the index existed gets its actions indexed.
	`INSERT INTO action_search(action_search) VALUES ('rebuild')`,
}

// migrateSearch creates the search index if the database has none.
func (s *Store) migrateSearch() error {
	var n int64
	if err := s.db.Raw("SELECT COUNT(*) FROM sqlite_master WHERE name = 'action_search'").Scan(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	return s.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Raw("SELECT COUNT(*) FROM sqlite_master WHERE name = 'action_search'").Scan(&n).Error; err != nil || n > 0 {
			return err // another process made it meanwhile
		}
		for _, stmt := range searchSchema {
			if err := tx.Exec(stmt).Error; err != nil {
				return fmt.Errorf("search index: %w", err)
			}
		}
		return nil
	})
}

// matchQuery turns the words a user searches for into an FTS4 query: every
// word must appear, as the start of a word of the text, case and accents
// ignored (« logement » finds « logements », « deleg » finds
// « délégation »). A word written with punctuation inside
// (« joué-lès-tours », « d'investisseurs ») is a phrase of its parts. It
// returns "" when text has no letter or digit.
func matchQuery(text string) string {
	var terms []string
	for _, w := range strings.Fields(Fold(text)) {
		parts := strings.FieldsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
		if len(parts) == 0 {
			continue
		}
		for i, p := range parts {
			parts[i] = p + "*"
		}
		if len(parts) == 1 {
			terms = append(terms, parts[0])
		} else {
			terms = append(terms, `"`+strings.Join(parts, " ")+`"`)
		}
	}
	return strings.Join(terms, " ")
}

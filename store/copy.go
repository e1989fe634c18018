package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// TableCount is how many rows a table holds.
type TableCount struct {
	Table string
	Rows  int64
}

// CopyFrom copies everything src holds — the plan, its journal, meetings,
// the outbox's history, and every other table of the schema — into s, in
// one transaction of s, row for row with their IDs, then checks that each
// table of s holds as many rows as src's, and returns the counts. s must be
// empty (ErrConflict otherwise) and at the same schema version as src:
// both were opened, so both are at the latest. src is a SQLite store; s
// either dialect.
func (s *Store) CopyFrom(ctx context.Context, src *Store) ([]TableCount, error) {
	tables, err := src.dialect.tables(src.db.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	var counts []TableCount
	err = s.tx(ctx, func(tx *gorm.DB) error {
		counts = counts[:0]
		for _, t := range tables {
			var n int64
			if err := tx.Table(t).Count(&n).Error; err != nil {
				return fmt.Errorf("%s: %w", t, err)
			}
			if n > 0 {
				return fmt.Errorf("%s already holds %s (%d rows in %s): a plan is moved into an empty database: %w", s, t, n, t, ErrConflict)
			}
		}
		for _, t := range tables {
			n, err := copyTable(ctx, tx, src.db.WithContext(ctx), t)
			if err != nil {
				return fmt.Errorf("copy %s: %w", t, err)
			}
			counts = append(counts, TableCount{t, n})
		}
		if err := s.dialect.resetIDs(tx, withIDs(tx, tables)...); err != nil {
			return err
		}
		for _, c := range counts {
			var n int64
			if err := tx.Table(c.Table).Count(&n).Error; err != nil {
				return err
			}
			if n != c.Rows {
				return fmt.Errorf("copy %s: %d rows read, %d in %s", c.Table, c.Rows, n, s)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.cache != nil {
		s.cache.empty()
	}
	return counts, nil
}

// copyTable copies the rows of table from src into dst, genBatch to an
// INSERT, and returns how many. A value is converted where the two
// databases store it apart: SQLite keeps booleans as integers.
func copyTable(ctx context.Context, dst, src *gorm.DB, table string) (int64, error) {
	bools, err := boolColumns(dst, table)
	if err != nil {
		return 0, err
	}
	rows, err := src.Raw("SELECT * FROM " + quote(table)).Rows()
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	var batch [][]any
	var n int64
	flush := func() error {
		err := insertRows(dst, quote(table), quoteAll(cols), len(batch), func(i int, row []any) { copy(row, batch[i]) })
		batch = batch[:0]
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, c := range cols {
			if v, ok := vals[i].(int64); ok && bools[c] {
				vals[i] = v != 0
			}
		}
		batch = append(batch, vals)
		n++
		if len(batch) == genBatch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if len(batch) > 0 {
		return n, flush()
	}
	return n, nil
}

// boolColumns returns the columns of table that db keeps as booleans.
func boolColumns(db *gorm.DB, table string) (map[string]bool, error) {
	rows, err := db.Raw("SELECT * FROM " + quote(table) + " WHERE 1 = 0").Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, t := range types {
		switch strings.ToUpper(t.DatabaseTypeName()) {
		case "BOOL", "BOOLEAN":
			out[t.Name()] = true
		}
	}
	return out, rows.Err()
}

// withIDs returns the tables whose integer id column the database draws.
func withIDs(db *gorm.DB, tables []string) []string {
	var out []string
	for _, t := range tables {
		rows, err := db.Raw("SELECT * FROM " + quote(t) + " WHERE 1 = 0").Rows()
		if err != nil {
			continue
		}
		types, _ := rows.ColumnTypes()
		rows.Close()
		for _, c := range types {
			if c.Name() == "id" && strings.Contains(strings.ToUpper(c.DatabaseTypeName()), "INT") {
				out = append(out, t)
			}
		}
	}
	return out
}

// quote writes an identifier as both databases read it, whatever the word
// ("groups", "key").
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = quote(n)
	}
	return out
}

// sqliteTables lists the tables of a SQLite database that hold the
// store's data, each after those its foreign keys point to: not goose's
// version table, nor the search index, which the destination keeps itself.
func sqliteTables(db *gorm.DB) ([]string, error) {
	var names []string
	err := db.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name != ? AND name NOT LIKE 'action_search%' ORDER BY name`, versionTable).Scan(&names).Error
	if err != nil {
		return nil, err
	}
	parents := map[string][]string{}
	for _, t := range names {
		var refs []string
		if err := db.Raw("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", t).Scan(&refs).Error; err != nil {
			return nil, err
		}
		parents[t] = refs
	}
	var order []string
	done := map[string]bool{}
	var visit func(t string, path []string) error
	visit = func(t string, path []string) error {
		if done[t] {
			return nil
		}
		if slices.Contains(path, t) {
			return fmt.Errorf("foreign keys in a cycle: %s", strings.Join(append(path, t), " → "))
		}
		for _, p := range parents[t] {
			if p != t {
				if err := visit(p, append(path, t)); err != nil {
					return err
				}
			}
		}
		done[t] = true
		order = append(order, t)
		return nil
	}
	for _, t := range names {
		if err := visit(t, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}

package store_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tours-metropole/actionbot/store"
	"github.com/tours-metropole/actionbot/store/storetest"
)

// TestDialectsDescribeOneSchema: the migrations of both dialects, applied
// to empty databases, make the same tables with the same columns (and
// which may be NULL), the same indexes (name, columns, unique, partial) and
// the same foreign keys (ON DELETE). Two files per version are written by
// hand: this is what keeps them in step. Each dialect's search index is its
// own (SQLite's FTS4 table, PostgreSQL's search_vector and its GIN index).
// A primary key counts as NOT NULL in both.
func TestDialectsDescribeOneSchema(t *testing.T) {
	if storetest.OnPostgres() {
		t.Skip("compares both dialects: run in the first pass")
	}
	url := storetest.PostgresURL(t) // skips without PostgreSQL

	path := filepath.Join(t.TempDir(), "schema.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	lite := rawOpen(t, path)
	p, err := store.OpenPostgres(url)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	pg, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })

	got := map[string][]string{
		"sqlite": schemaLines(t, lite, `
			SELECT 'column ' || m.name || '.' || c.name || CASE WHEN c."notnull" OR c.pk > 0 THEN ' not null' ELSE '' END
			FROM sqlite_master m, pragma_table_info(m.name) c
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'action_search%' AND m.name != 'goose_db_version'
			UNION ALL
			SELECT 'index ' || i.name || ' on ' || m.name || ' (' || (SELECT group_concat(ii.name, ',') FROM pragma_index_info(i.name) ii) || ')'
				|| CASE WHEN i."unique" THEN ' unique' ELSE '' END || CASE WHEN i.partial THEN ' partial' ELSE '' END
			FROM sqlite_master m, pragma_index_list(m.name) i
			WHERE m.type = 'table' AND i.origin = 'c'
			UNION ALL
			SELECT 'foreign key ' || m.name || '.' || f."from" || ' → ' || f."table" || '.' || f."to" || ' on delete ' || lower(f.on_delete)
			FROM sqlite_master m, pragma_foreign_key_list(m.name) f
			WHERE m.type = 'table'`),
		"postgres": schemaLines(t, pg, `
			SELECT 'column ' || table_name || '.' || column_name || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END
			FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name != 'goose_db_version'
				AND NOT (table_name = 'actions' AND column_name = 'search_vector')
			UNION ALL
			SELECT 'index ' || ic.relname || ' on ' || tc.relname || ' ('
				|| (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
					JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum) || ')'
				|| CASE WHEN x.indisunique THEN ' unique' ELSE '' END || CASE WHEN x.indpred IS NOT NULL THEN ' partial' ELSE '' END
			FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid JOIN pg_class tc ON tc.oid = x.indrelid
			WHERE tc.relnamespace = current_schema()::regnamespace AND NOT x.indisprimary
				AND tc.relname != 'goose_db_version' AND ic.relname != 'idx_actions_search'
			UNION ALL
			SELECT 'foreign key ' || tc.relname || '.' || a.attname || ' → ' || rc.relname || '.' || ra.attname || ' on delete '
				|| CASE c.confdeltype WHEN 'r' THEN 'restrict' WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' ELSE 'no action' END
			FROM pg_constraint c JOIN pg_class tc ON tc.oid = c.conrelid JOIN pg_class rc ON rc.oid = c.confrelid
				JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
				JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
			WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`),
	}
	if len(got["sqlite"]) < 50 {
		t.Fatalf("the SQLite schema read as %d lines: %q", len(got["sqlite"]), got["sqlite"])
	}
	if diff := cmp.Diff(got["sqlite"], got["postgres"]); diff != "" {
		t.Errorf("schema, sqlite (-) and postgres (+):\n%s", diff)
	}
}

// schemaLines returns the one text column of query's rows, sorted.
func schemaLines(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(fmt.Errorf("%.80s: %w", strings.TrimSpace(query), err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// Package store keeps the action plan — axes, programmes, working groups,
// numbered actions — together with its append-only journal and the COPIL
// meetings, in a SQLite database reached through GORM.
//
// GORM stays inside this package: callers speak in the plan's types
// (Action, Status, Person, JournalEntry, Meeting…) and in methods that speak
// the plan (ActionByNumber, SetStatus…). Every change to an action and the
// journal entries that describe it are written in one transaction, so the
// journal always tells the whole story of an action.
//
// The database is opened with WAL, foreign keys, a busy timeout and
// immediate transactions: concurrent writers queue instead of failing with
// "database is locked".
//
// The schema is a series of versioned SQL migrations per dialect under
// migrations/, embedded and applied at Open (migrate.go).
//
// What every card reads is kept in memory until the database changes
// (cache.go); search looks words up in a full-text index kept in step by
// triggers (search.go). GeneratePlan makes plans of any size for
// benchmarks and load tests, and storetest opens them.
package store

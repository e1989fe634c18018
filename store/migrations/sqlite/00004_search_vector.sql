-- On PostgreSQL, 00004 stores the words of each action for search. SQLite's
-- FTS4 index stores them already: nothing to make here. The version exists
-- so that both dialects list the same versions.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;

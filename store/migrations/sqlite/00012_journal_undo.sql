-- +goose Up
-- A journal entry written by « annuler » says so: an undo is not undone
-- in its turn.
ALTER TABLE `journal_entries` ADD COLUMN `undo` numeric NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE `journal_entries` DROP COLUMN `undo`;

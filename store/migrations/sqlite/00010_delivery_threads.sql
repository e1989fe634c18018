-- +goose Up
-- A delivery may be a reply in the thread of another (parent: its key):
-- the rest of a digest or reminder too long for one message.
ALTER TABLE `deliveries` ADD COLUMN `parent` text NOT NULL DEFAULT '';
CREATE INDEX `idx_deliveries_parent` ON `deliveries`(`parent`);

-- +goose Down
DROP INDEX `idx_deliveries_parent`;
ALTER TABLE `deliveries` DROP COLUMN `parent`;

-- Read-only web links to the plan (actionbot share): only the SHA-256 of
-- each token is kept. IF NOT EXISTS: databases opened between the links'
-- landing and this migration got the table from AutoMigrate.
-- +goose Up
CREATE TABLE IF NOT EXISTS `links` (`id` integer PRIMARY KEY AUTOINCREMENT,`hash` text NOT NULL,`name` text NOT NULL,`created_by` text NOT NULL,`expires_at` datetime NOT NULL,`revoked_at` datetime,`last_used` datetime,`created_at` datetime);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_links_hash` ON `links`(`hash`);

-- +goose Down
DROP TABLE links;

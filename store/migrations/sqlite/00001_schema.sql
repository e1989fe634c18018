-- The schema as GORM's AutoMigrate left it before migrations were
-- versioned, statement for statement, so that a database made then and one
-- made now are the same. A database made then is recorded as being at this
-- version without running it (store/migrate.go).

-- +goose Up
CREATE TABLE `axes` (`id` integer PRIMARY KEY AUTOINCREMENT,`code` text NOT NULL,`name` text NOT NULL,`position` integer);
CREATE UNIQUE INDEX `idx_axes_code` ON `axes`(`code`);

CREATE TABLE `programmes` (`id` integer PRIMARY KEY AUTOINCREMENT,`code` text NOT NULL,`axis_id` integer NOT NULL,`name` text NOT NULL,`position` integer,CONSTRAINT `fk_programmes_axis` FOREIGN KEY (`axis_id`) REFERENCES `axes`(`id`) ON DELETE RESTRICT);
CREATE INDEX `idx_programmes_axis_id` ON `programmes`(`axis_id`);
CREATE UNIQUE INDEX `idx_programmes_code` ON `programmes`(`code`);

CREATE TABLE `groups` (`key` text,`name` text NOT NULL,`channel` text,`leads` text,`digest` text,`position` integer,PRIMARY KEY (`key`));

CREATE TABLE `actions` (`id` integer PRIMARY KEY AUTOINCREMENT,`number` integer NOT NULL,`programme_id` integer NOT NULL,`group_key` text NOT NULL,`title` text NOT NULL,`description` text,`pilote_id` text,`pilote_name` text,`status` text NOT NULL,`progress` integer NOT NULL,`due` text,`search_text` text NOT NULL DEFAULT "",`created_at` datetime,`updated_at` datetime,CONSTRAINT `fk_actions_programme` FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON DELETE RESTRICT,CONSTRAINT `fk_actions_group` FOREIGN KEY (`group_key`) REFERENCES `groups`(`key`) ON DELETE RESTRICT);
CREATE INDEX `idx_actions_updated_at` ON `actions`(`updated_at`);
CREATE INDEX `idx_actions_status` ON `actions`(`status`);
CREATE INDEX `idx_actions_pilote_id` ON `actions`(`pilote_id`);
CREATE INDEX `idx_actions_group_status` ON `actions`(`group_key`,`status`);
CREATE INDEX `idx_actions_group_key` ON `actions`(`group_key`);
CREATE INDEX `idx_actions_programme_id` ON `actions`(`programme_id`);
CREATE INDEX `idx_actions_due_order` ON `actions`(`due`,`number`,`status`);
CREATE UNIQUE INDEX `idx_actions_number` ON `actions`(`number`);

CREATE TABLE `contributors` (`id` integer PRIMARY KEY AUTOINCREMENT,`action_id` integer NOT NULL,`position` integer NOT NULL,`user_id` text,`name` text,CONSTRAINT `fk_actions_contributors` FOREIGN KEY (`action_id`) REFERENCES `actions`(`id`) ON DELETE CASCADE);
CREATE INDEX `idx_contributors_user_id` ON `contributors`(`user_id`);
CREATE INDEX `idx_contributors_action_id` ON `contributors`(`action_id`);

CREATE TABLE `journal_entries` (`id` integer PRIMARY KEY AUTOINCREMENT,`action_id` integer NOT NULL,`action_number` integer NOT NULL,`at` datetime NOT NULL,`author` text NOT NULL,`field` text NOT NULL,`old` text,`new` text,`note` text,CONSTRAINT `fk_journal_entries_action` FOREIGN KEY (`action_id`) REFERENCES `actions`(`id`) ON DELETE RESTRICT);
CREATE INDEX `idx_journal_entries_at` ON `journal_entries`(`at`);
CREATE INDEX `idx_journal_action` ON `journal_entries`(`action_id`);

CREATE TABLE `meetings` (`id` integer PRIMARY KEY AUTOINCREMENT,`at` datetime NOT NULL,`place` text,`canceled` numeric NOT NULL DEFAULT false,`created_by` text,`created_at` datetime);
CREATE INDEX `idx_meetings_at` ON `meetings`(`at`);

CREATE TABLE `settings` (`key` text,`value` text,PRIMARY KEY (`key`));

CREATE TABLE `deliveries` (`id` integer PRIMARY KEY AUTOINCREMENT,`key` text NOT NULL,`kind` text NOT NULL,`channel` text NOT NULL,`text` text,`blocks` text,`file` blob,`file_name` text,`title` text,`alt_text` text,`state` text NOT NULL,`attempts` integer NOT NULL DEFAULT 0,`next_try` datetime NOT NULL,`last_error` text,`sent_at` datetime,`slack_ts` text,`created_at` datetime,`updated_at` datetime);
CREATE INDEX `idx_delivery_due` ON `deliveries`(`state`,`next_try`);
CREATE INDEX `idx_deliveries_kind` ON `deliveries`(`kind`);
CREATE UNIQUE INDEX `idx_deliveries_key` ON `deliveries`(`key`);

-- Search: an FTS4 index over actions.search_text with external content
-- (the text is stored once, in actions), kept in step by triggers so that
-- every way an action is written indexes it. See store/search.go.
CREATE VIRTUAL TABLE action_search USING fts4(content="actions", search_text, tokenize=unicode61);

-- +goose StatementBegin
CREATE TRIGGER action_search_insert AFTER INSERT ON actions BEGIN
		INSERT INTO action_search(docid, search_text) VALUES (new.id, new.search_text);
	END;
-- +goose StatementEnd

-- An external-content FTS4 table forgets a row by reading its old text:
-- before the row changes.
-- +goose StatementBegin
CREATE TRIGGER action_search_before_update BEFORE UPDATE OF search_text ON actions BEGIN
		DELETE FROM action_search WHERE docid = old.id;
	END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER action_search_after_update AFTER UPDATE OF search_text ON actions BEGIN
		INSERT INTO action_search(docid, search_text) VALUES (new.id, new.search_text);
	END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER action_search_delete BEFORE DELETE ON actions BEGIN
		DELETE FROM action_search WHERE docid = old.id;
	END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE action_search;
DROP TABLE deliveries;
DROP TABLE settings;
DROP TABLE meetings;
DROP TABLE journal_entries;
DROP TABLE contributors;
DROP TABLE actions;
DROP TABLE `groups`;
DROP TABLE programmes;
DROP TABLE axes;

-- The rhythm each open action follows, stored (issue 13): its own, else
-- its group's, else 30 days; NULL once it is done or abandoned. With the
-- index below, « whose update is late » is one range of the index per
-- rhythm in use (group, rhythm, last update before the cutoff), counted
-- and paged from the index alone. The store keeps it in the transaction
-- of every change of status, rhythm or group (store.openRhythmSQL is the
-- same expression); this fills it for the actions there already are.

-- +goose Up
ALTER TABLE `actions` ADD COLUMN `open_rhythm` text;
UPDATE `actions` SET `open_rhythm` = CASE WHEN `status` IN ('terminee', 'abandonnee') THEN NULL
	ELSE COALESCE(`update_every`, (SELECT `groups`.`update_every` FROM `groups` WHERE `groups`.`key` = `actions`.`group_key`), '30d') END;
CREATE INDEX `idx_actions_late` ON `actions`(`group_key`, `open_rhythm`, `updated_at`, `programme_id`, `number`);
CREATE INDEX `idx_actions_late_plan` ON `actions`(`open_rhythm`, `updated_at`);

-- +goose Down
DROP INDEX `idx_actions_late_plan`;
DROP INDEX `idx_actions_late`;
ALTER TABLE `actions` DROP COLUMN `open_rhythm`;

-- E-mail as another medium of the outbox: a delivery to "mailto:ADDRESS"
-- carries its HTML part beside the text; the addresses that unsubscribed
-- get nothing until an admin re-enables them (actionbot email --resubscribe).
-- +goose Up
ALTER TABLE deliveries ADD COLUMN html text;
CREATE TABLE email_optouts (address text PRIMARY KEY, created_at datetime NOT NULL);

-- +goose Down
DROP TABLE email_optouts;
ALTER TABLE deliveries DROP COLUMN html;

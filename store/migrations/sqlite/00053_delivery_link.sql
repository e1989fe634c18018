-- An e-mail's personal link to the plan is no longer written, token and
-- all, into the outbox: the delivery keeps what the link is to be (name,
-- maker, expiry) and a slot in its text and HTML, and the mailer makes the
-- link when it sends. The text and HTML of the e-mails already sent held
-- tokens in clear; only the key, channel, subject and state of a sent
-- delivery are read again (actionbot deliveries), so they are blanked.
-- +goose Up
ALTER TABLE deliveries ADD COLUMN link_name text NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN link_by text NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN link_until datetime;
UPDATE deliveries SET text = '', html = '' WHERE channel LIKE 'mailto:%' AND state = 'sent';

-- +goose Down
ALTER TABLE deliveries DROP COLUMN link_until;
ALTER TABLE deliveries DROP COLUMN link_by;
ALTER TABLE deliveries DROP COLUMN link_name;

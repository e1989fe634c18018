-- Search keeps the words of each action in a stored column, indexed, so
-- that checking a match reads them instead of computing them again: a
-- prefix or phrase query (every search) rechecks each row the index
-- found, and recomputing to_tsvector for them took 240 ms for a word in
-- 10,000 of 100,000 actions.

-- +goose Up
ALTER TABLE actions ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('actionbot_search', regexp_replace(search_text, '[^[:alnum:]]+', ' ', 'g'))) STORED;
DROP INDEX idx_actions_search;
CREATE INDEX idx_actions_search ON actions USING gin (search_vector);

-- +goose Down
DROP INDEX idx_actions_search;
ALTER TABLE actions DROP COLUMN search_vector;
CREATE INDEX idx_actions_search ON actions USING gin
    (to_tsvector('actionbot_search', regexp_replace(search_text, '[^[:alnum:]]+', ' ', 'g')));

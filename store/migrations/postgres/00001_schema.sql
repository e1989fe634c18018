-- The schema of version 00001 of the SQLite store, in PostgreSQL's types:
-- the same tables, columns, constraints and index names.

-- +goose Up
CREATE TABLE axes (
    id bigserial PRIMARY KEY,
    code text NOT NULL,
    name text NOT NULL,
    position bigint
);
CREATE UNIQUE INDEX idx_axes_code ON axes (code);

CREATE TABLE programmes (
    id bigserial PRIMARY KEY,
    code text NOT NULL,
    axis_id bigint NOT NULL,
    name text NOT NULL,
    position bigint,
    CONSTRAINT fk_programmes_axis FOREIGN KEY (axis_id) REFERENCES axes (id) ON DELETE RESTRICT
);
CREATE INDEX idx_programmes_axis_id ON programmes (axis_id);
CREATE UNIQUE INDEX idx_programmes_code ON programmes (code);

CREATE TABLE groups (
    key text PRIMARY KEY,
    name text NOT NULL,
    channel text,
    leads text,
    digest text,
    position bigint
);

CREATE TABLE actions (
    id bigserial PRIMARY KEY,
    number bigint NOT NULL,
    programme_id bigint NOT NULL,
    group_key text NOT NULL,
    title text NOT NULL,
    description text,
    pilote_id text,
    pilote_name text,
    status text NOT NULL,
    progress bigint NOT NULL,
    due text,
    search_text text NOT NULL DEFAULT '',
    created_at timestamptz,
    updated_at timestamptz,
    CONSTRAINT fk_actions_programme FOREIGN KEY (programme_id) REFERENCES programmes (id) ON DELETE RESTRICT,
    CONSTRAINT fk_actions_group FOREIGN KEY (group_key) REFERENCES groups (key) ON DELETE RESTRICT
);
CREATE INDEX idx_actions_updated_at ON actions (updated_at);
CREATE INDEX idx_actions_status ON actions (status);
CREATE INDEX idx_actions_pilote_id ON actions (pilote_id);
CREATE INDEX idx_actions_group_status ON actions (group_key, status);
CREATE INDEX idx_actions_group_key ON actions (group_key);
CREATE INDEX idx_actions_programme_id ON actions (programme_id);
CREATE INDEX idx_actions_due_order ON actions (due, number, status);
CREATE UNIQUE INDEX idx_actions_number ON actions (number);

CREATE TABLE contributors (
    id bigserial PRIMARY KEY,
    action_id bigint NOT NULL,
    position bigint NOT NULL,
    user_id text,
    name text,
    CONSTRAINT fk_actions_contributors FOREIGN KEY (action_id) REFERENCES actions (id) ON DELETE CASCADE
);
CREATE INDEX idx_contributors_user_id ON contributors (user_id);
CREATE INDEX idx_contributors_action_id ON contributors (action_id);

CREATE TABLE journal_entries (
    id bigserial PRIMARY KEY,
    action_id bigint NOT NULL,
    action_number bigint NOT NULL,
    at timestamptz NOT NULL,
    author text NOT NULL,
    field text NOT NULL,
    old text,
    new text,
    note text,
    CONSTRAINT fk_journal_entries_action FOREIGN KEY (action_id) REFERENCES actions (id) ON DELETE RESTRICT
);
CREATE INDEX idx_journal_entries_at ON journal_entries (at);
CREATE INDEX idx_journal_action ON journal_entries (action_id);

CREATE TABLE meetings (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL,
    place text,
    canceled boolean NOT NULL DEFAULT false,
    created_by text,
    created_at timestamptz
);
CREATE INDEX idx_meetings_at ON meetings (at);

CREATE TABLE settings (
    key text PRIMARY KEY,
    value text
);

CREATE TABLE deliveries (
    id bigserial PRIMARY KEY,
    key text NOT NULL,
    kind text NOT NULL,
    channel text NOT NULL,
    text text,
    blocks text,
    file bytea,
    file_name text,
    title text,
    alt_text text,
    state text NOT NULL,
    attempts bigint NOT NULL DEFAULT 0,
    next_try timestamptz NOT NULL,
    last_error text,
    sent_at timestamptz,
    slack_ts text,
    created_at timestamptz,
    updated_at timestamptz
);
CREATE INDEX idx_delivery_due ON deliveries (state, next_try);
CREATE INDEX idx_deliveries_kind ON deliveries (kind);
CREATE UNIQUE INDEX idx_deliveries_key ON deliveries (key);

-- Search: words of actions.search_text (already folded by the store) in a
-- text-search configuration that also strips accents, so that the index
-- ignores them whoever wrote the row. Every run of characters that are
-- neither letters nor digits separates words, as SQLite's unicode61
-- tokenizer does, so that both stores split « joué-lès-tours » or an
-- e-mail address the same way. See store/search.go.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION actionbot_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION actionbot_search
    ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart
    WITH unaccent, simple;
CREATE INDEX idx_actions_search ON actions USING gin
    (to_tsvector('actionbot_search', regexp_replace(search_text, '[^[:alnum:]]+', ' ', 'g')));

-- +goose Down
DROP TABLE deliveries;
DROP TABLE settings;
DROP TABLE meetings;
DROP TABLE journal_entries;
DROP TABLE contributors;
DROP TABLE actions;
DROP TABLE groups;
DROP TABLE programmes;
DROP TABLE axes;
DROP TEXT SEARCH CONFIGURATION actionbot_search;

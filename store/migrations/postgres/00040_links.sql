-- Read-only web links to the plan (actionbot share): only the SHA-256 of
-- each token is kept.
-- +goose Up
CREATE TABLE links (
    id bigserial PRIMARY KEY,
    hash text NOT NULL,
    name text NOT NULL,
    created_by text NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    last_used timestamptz,
    created_at timestamptz
);
CREATE UNIQUE INDEX idx_links_hash ON links (hash);

-- +goose Down
DROP TABLE links;

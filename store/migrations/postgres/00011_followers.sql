-- Followers of an action (issue 10): each gets a DM for the changes
-- others make to it. One row per action and user; they go with the action.
-- +goose Up
CREATE TABLE followers (
    action_id bigint NOT NULL,
    user_id text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (action_id, user_id),
    CONSTRAINT fk_followers_action FOREIGN KEY (action_id) REFERENCES actions (id) ON DELETE CASCADE
);
CREATE INDEX idx_followers_user_id ON followers (user_id);

-- +goose Down
DROP TABLE followers;

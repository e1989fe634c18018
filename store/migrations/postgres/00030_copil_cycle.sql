-- The COPIL cycle (issue 13): each group's and each action's rhythm of
-- updates ("30d", "2w", "1m"; NULL: the group's, then 30 days), and the
-- decisions of the COPIL on actions.

-- +goose Up
ALTER TABLE groups ADD COLUMN update_every text;
ALTER TABLE actions ADD COLUMN update_every text;

CREATE TABLE decisions (
    id bigserial PRIMARY KEY,
    meeting_id bigint NOT NULL,
    action_id bigint NOT NULL,
    action_number bigint NOT NULL,
    text text NOT NULL,
    author text NOT NULL,
    at timestamptz,
    CONSTRAINT fk_decisions_meeting FOREIGN KEY (meeting_id) REFERENCES meetings (id) ON DELETE RESTRICT,
    CONSTRAINT fk_decisions_action FOREIGN KEY (action_id) REFERENCES actions (id) ON DELETE RESTRICT
);
CREATE INDEX idx_decisions_meeting_id ON decisions (meeting_id);
CREATE INDEX idx_decisions_action_id ON decisions (action_id);

-- +goose Down
DROP TABLE decisions;
ALTER TABLE actions DROP COLUMN update_every;
ALTER TABLE groups DROP COLUMN update_every;

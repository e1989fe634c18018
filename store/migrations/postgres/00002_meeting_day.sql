-- One COPIL a day, from a constraint rather than from a count that two
-- replicas could both pass: each meeting records its day (in the plan's
-- time zone, as ScheduleMeeting computes it) and no two meetings that are
-- not canceled share one. Meetings made before have no day; the count in
-- ScheduleMeeting still sees them.

-- +goose Up
ALTER TABLE meetings ADD COLUMN day text;
CREATE UNIQUE INDEX idx_meetings_day ON meetings (day) WHERE NOT canceled;

-- +goose Down
DROP INDEX idx_meetings_day;
ALTER TABLE meetings DROP COLUMN day;

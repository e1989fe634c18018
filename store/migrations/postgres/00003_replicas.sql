-- Several processes on one database (README « Scaling »).
--
-- leases: a named role that one process holds at a time until expires_at
-- unless it renews it — the sender, so that one replica posts at a time.
-- deliveries.lease_until: a send in flight holds its delivery until then;
-- past it, the send is judged interrupted (unknown) by whoever looks, and
-- never before, whichever replica started.
-- slack_events: the IDs of the Slack events handled, shared by the
-- replicas, so that an event Slack retries to another one is handled once.

-- +goose Up
CREATE TABLE leases (
    name text PRIMARY KEY,
    holder text NOT NULL,
    expires_at timestamptz NOT NULL
);
ALTER TABLE deliveries ADD COLUMN lease_until timestamptz;
CREATE TABLE slack_events (
    id text PRIMARY KEY,
    seen_at timestamptz NOT NULL
);
CREATE INDEX idx_slack_events_seen_at ON slack_events (seen_at);

-- +goose Down
DROP TABLE slack_events;
ALTER TABLE deliveries DROP COLUMN lease_until;
DROP TABLE leases;

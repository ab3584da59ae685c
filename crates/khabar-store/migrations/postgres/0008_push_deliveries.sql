-- Push out: every message khabar sends to the outside when a story is
-- published — a story to an operator's webhook (or keyword alert), or a
-- WebSub "publish" ping to the hub naming a site feed that changed. A row is
-- queued by the pipeline and sent by a background task, so ingest never
-- waits on a receiver; it is claimed under a lease like the entry jobs, and
-- retried with backoff until delivered or given up (`failed`, error kept).

CREATE TABLE push_deliveries (
    id              BIGSERIAL PRIMARY KEY,
    -- 'webhook' (a story as JSON) or 'websub' (a hub ping).
    kind            TEXT    NOT NULL,
    -- The webhook's name, or the hub's URL.
    target          TEXT    NOT NULL,
    story_id        BIGINT REFERENCES stories(id) ON DELETE CASCADE,
    -- WebSub: the feed URL the ping names.
    topic           TEXT,
    -- Webhook: the exact body sent (and signed) on every attempt.
    payload         TEXT    NOT NULL DEFAULT '',
    -- 'pending', 'delivered' or 'failed'.
    status          TEXT    NOT NULL DEFAULT 'pending',
    attempts        BIGINT NOT NULL DEFAULT 0,
    -- Unix milliseconds: retry delays are often under a second.
    next_attempt_ms BIGINT NOT NULL,
    lease_owner     TEXT,
    lease_until     BIGINT,
    last_error      TEXT,
    http_status     BIGINT,
    created_at      BIGINT NOT NULL,
    last_attempt_at BIGINT,
    finished_at     BIGINT
);
-- One delivery of a story per webhook, however often it is queued.
CREATE UNIQUE INDEX push_deliveries_once ON push_deliveries(target, story_id) WHERE kind = 'webhook';
-- Due rows in order; only pending rows are indexed.
CREATE INDEX push_deliveries_due ON push_deliveries(next_attempt_ms, id) WHERE status = 'pending';
-- Status per target, and the queued-ping check of WebSub.
CREATE INDEX push_deliveries_target ON push_deliveries(kind, target, status);
CREATE INDEX push_deliveries_story ON push_deliveries(story_id);

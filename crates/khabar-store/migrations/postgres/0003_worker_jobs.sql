-- Scale-out: workers share the pipeline's work through the database.
--
-- A source poll is claimed by leasing the source row; the articles a poll
-- finds become entry jobs, one per canonical URL, claimed the same way.
-- A lease that is not renewed expires, and another worker takes the work.

ALTER TABLE sources ADD COLUMN lease_owner TEXT;
ALTER TABLE sources ADD COLUMN lease_until BIGINT;
-- Due sources, soonest first: the claim query walks this index.
CREATE INDEX sources_due ON sources(next_fetch_at) WHERE removed_at IS NULL;

CREATE TABLE entry_jobs (
    id            BIGSERIAL PRIMARY KEY,
    source_id     BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    -- One job per article, whoever found it: the UNIQUE makes enqueueing idempotent.
    canonical_url TEXT   NOT NULL UNIQUE,
    -- The feed entry as JSON (khabar_model::FeedEntry).
    entry         TEXT   NOT NULL,
    state         TEXT   NOT NULL DEFAULT 'queued',
    attempts      BIGINT NOT NULL DEFAULT 0,
    not_before    BIGINT NOT NULL,
    lease_owner   TEXT,
    lease_until   BIGINT,
    last_error    TEXT,
    created_at    BIGINT NOT NULL,
    finished_at   BIGINT,
    finished_by   TEXT
);
-- Ready jobs in order: only queued rows are indexed, so the index stays as
-- small as the backlog however many jobs have been done.
CREATE INDEX entry_jobs_ready ON entry_jobs(not_before, id) WHERE state = 'queued';
CREATE INDEX entry_jobs_finished ON entry_jobs(finished_at) WHERE state <> 'queued';

-- The next moment each host may be fetched, shared by all workers so that
-- per-host politeness holds for the fleet, not per process. Milliseconds.
CREATE TABLE host_slots (
    host       TEXT   PRIMARY KEY,
    next_at_ms BIGINT NOT NULL
);

-- The order in which stories entered the dedup index, so a worker can
-- replay what the others added since it last looked.
ALTER TABLE stories ADD COLUMN dedup_seq BIGINT;
UPDATE stories SET dedup_seq = id WHERE dedup_sig IS NOT NULL;
CREATE INDEX stories_dedup_seq ON stories(dedup_seq);

-- Short named locks with an expiry (used by SQLite; PostgreSQL uses advisory locks).
CREATE TABLE store_locks (
    name       TEXT   PRIMARY KEY,
    holder     TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);

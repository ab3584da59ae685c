-- khabar store schema, PostgreSQL flavour. Times are BIGINT unix seconds (UTC),
-- the same as SQLite, so one set of SQL statements serves both backends.

CREATE TABLE sources (
    id                   BIGSERIAL PRIMARY KEY,
    slug                 TEXT    NOT NULL UNIQUE,
    name                 TEXT    NOT NULL,
    url                  TEXT    NOT NULL,
    kind                 TEXT    NOT NULL DEFAULT 'feed',
    lang                 TEXT,
    full_text            BOOLEAN NOT NULL DEFAULT TRUE,
    dedicated            BOOLEAN NOT NULL DEFAULT FALSE,
    proxy                TEXT,
    etag                 TEXT,
    last_modified        TEXT,
    status               TEXT    NOT NULL DEFAULT 'new',
    last_fetch_at        BIGINT,
    last_success_at      BIGINT,
    last_error           TEXT,
    consecutive_failures BIGINT  NOT NULL DEFAULT 0,
    next_fetch_at        BIGINT,
    created_at           BIGINT  NOT NULL,
    removed_at           BIGINT
);

CREATE TABLE stories (
    -- Small, hot columns first: SQLite reads a record front to back, and long
    -- texts spill into overflow pages, so list/sort/filter columns come before them.
    id                BIGSERIAL PRIMARY KEY,
    source_id         BIGINT  NOT NULL REFERENCES sources(id),
    status            TEXT    NOT NULL DEFAULT 'published',
    pinned            BOOLEAN NOT NULL DEFAULT FALSE,
    duplicate_of      BIGINT  REFERENCES stories(id) ON DELETE SET NULL,
    event_id          BIGINT,
    published_at      BIGINT,
    fetched_at        BIGINT  NOT NULL,
    sort_at           BIGINT  NOT NULL,
    lang              TEXT,
    dir               TEXT    NOT NULL DEFAULT 'ltr',
    likes             BIGINT  NOT NULL DEFAULT 0,
    relevant          BOOLEAN NOT NULL DEFAULT FALSE,
    relevance_score   DOUBLE PRECISION NOT NULL DEFAULT 0,
    body_words        BIGINT  NOT NULL DEFAULT 0,
    body_chars        BIGINT  NOT NULL DEFAULT 0,
    updated_at        BIGINT,
    canonical_url     TEXT    NOT NULL UNIQUE,
    url               TEXT    NOT NULL,
    content_hash      TEXT    NOT NULL,
    headline          TEXT    NOT NULL,
    dateline          TEXT,
    byline            TEXT,
    credits           TEXT,
    lead_image        TEXT,
    excerpt           TEXT    NOT NULL DEFAULT '',
    tags              JSONB   NOT NULL DEFAULT '[]',
    relevance_reasons JSONB   NOT NULL DEFAULT '[]',
    blocks            JSONB   NOT NULL DEFAULT '[]',
    body_text         TEXT    NOT NULL DEFAULT '',
    dedup_sig         BYTEA
);
-- Front page and lists of primaries: filter, order and count from the index alone.
CREATE INDEX stories_list ON stories(status, pinned DESC, sort_at DESC, id DESC) WHERE duplicate_of IS NULL;
CREATE INDEX stories_status_sort ON stories(status, sort_at DESC, duplicate_of);
CREATE INDEX stories_source_sort ON stories(source_id, sort_at DESC);
CREATE INDEX stories_content_hash ON stories(content_hash);
CREATE INDEX stories_duplicate_of ON stories(duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX stories_event ON stories(event_id) WHERE event_id IS NOT NULL;

CREATE TABLE story_tags (
    story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    tag      TEXT   NOT NULL,
    PRIMARY KEY (story_id, tag)
);
CREATE INDEX story_tags_tag ON story_tags(tag, story_id);

CREATE TABLE story_versions (
    id           BIGSERIAL PRIMARY KEY,
    story_id     BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    replaced_at  BIGINT NOT NULL,
    headline     TEXT   NOT NULL,
    dateline     TEXT,
    byline       TEXT,
    credits      TEXT,
    published_at BIGINT,
    blocks       JSONB  NOT NULL,
    body_text    TEXT   NOT NULL,
    excerpt      TEXT   NOT NULL,
    content_hash TEXT   NOT NULL
);
CREATE INDEX story_versions_story ON story_versions(story_id);

CREATE TABLE moderation_log (
    id          BIGSERIAL PRIMARY KEY,
    story_id    BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    from_status TEXT   NOT NULL,
    to_status   TEXT   NOT NULL,
    reason      TEXT
);
CREATE INDEX moderation_log_story ON moderation_log(story_id);

CREATE TABLE likes (
    story_id   BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    reader_key TEXT   NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (story_id, reader_key)
);

CREATE TABLE fetch_log (
    id            BIGSERIAL PRIMARY KEY,
    source_id     BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    at            BIGINT NOT NULL,
    status        TEXT   NOT NULL,
    http_status   BIGINT,
    error         TEXT,
    items_seen    BIGINT NOT NULL DEFAULT 0,
    stories_added BIGINT NOT NULL DEFAULT 0,
    duration_ms   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX fetch_log_source ON fetch_log(source_id, id DESC);

-- Search: 'simple' lexemes of the folded text (exact words, any language,
-- headline weighted A) plus 'english' stems (sanctions ~ sanctioned).
CREATE TABLE story_search (
    story_id BIGINT   PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    tsv      TSVECTOR NOT NULL
);
-- fastupdate off: no pending list, so searches right after a burst of inserts
-- stay index-fast and the planner's cost estimate stays honest.
CREATE INDEX story_search_tsv ON story_search USING GIN (tsv) WITH (fastupdate = off);

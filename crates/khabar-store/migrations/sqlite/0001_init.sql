-- khabar store schema, SQLite flavour. Times are INTEGER unix seconds (UTC).
-- Kept column-for-column identical to migrations/postgres so one set of SQL
-- statements serves both backends.

CREATE TABLE sources (
    id                   INTEGER PRIMARY KEY,
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
    last_fetch_at        INTEGER,
    last_success_at      INTEGER,
    last_error           TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_fetch_at        INTEGER,
    created_at           INTEGER NOT NULL,
    -- Soft delete: a removed source's stories stay readable.
    removed_at           INTEGER
);

CREATE TABLE stories (
    -- Small, hot columns first: SQLite reads a record front to back, and long
    -- texts spill into overflow pages, so list/sort/filter columns come before them.
    id                INTEGER PRIMARY KEY,
    source_id         INTEGER NOT NULL REFERENCES sources(id),
    status            TEXT    NOT NULL DEFAULT 'published',
    pinned            BOOLEAN NOT NULL DEFAULT FALSE,
    duplicate_of      INTEGER REFERENCES stories(id) ON DELETE SET NULL,
    event_id          INTEGER,
    published_at      INTEGER,
    fetched_at        INTEGER NOT NULL,
    -- COALESCE(published_at, fetched_at): the display/sort time, indexed.
    sort_at           INTEGER NOT NULL,
    lang              TEXT,
    dir               TEXT    NOT NULL DEFAULT 'ltr',
    likes             INTEGER NOT NULL DEFAULT 0,
    relevant          BOOLEAN NOT NULL DEFAULT FALSE,
    relevance_score   REAL    NOT NULL DEFAULT 0,
    body_words        INTEGER NOT NULL DEFAULT 0,
    body_chars        INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER,
    canonical_url     TEXT    NOT NULL UNIQUE,
    url               TEXT    NOT NULL,
    content_hash      TEXT    NOT NULL,
    headline          TEXT    NOT NULL,
    dateline          TEXT,
    byline            TEXT,
    credits           TEXT,
    lead_image        TEXT,
    excerpt           TEXT    NOT NULL DEFAULT '',
    tags              TEXT    NOT NULL DEFAULT '[]',
    relevance_reasons TEXT    NOT NULL DEFAULT '[]',
    blocks            TEXT    NOT NULL DEFAULT '[]',
    body_text         TEXT    NOT NULL DEFAULT '',
    dedup_sig         BLOB
);
-- Front page and lists of primaries: filter, order and count from the index alone.
CREATE INDEX stories_list ON stories(status, pinned, sort_at, id) WHERE duplicate_of IS NULL;
CREATE INDEX stories_status_sort ON stories(status, sort_at, duplicate_of);
CREATE INDEX stories_source_sort ON stories(source_id, sort_at DESC);
CREATE INDEX stories_content_hash ON stories(content_hash);
CREATE INDEX stories_duplicate_of ON stories(duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX stories_event ON stories(event_id) WHERE event_id IS NOT NULL;

-- Tags are also kept as JSON on the story (to read); this table is for filtering.
CREATE TABLE story_tags (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    tag      TEXT    NOT NULL,
    PRIMARY KEY (story_id, tag)
);
CREATE INDEX story_tags_tag ON story_tags(tag, story_id);

-- Earlier texts of a story replaced by a longer update.
CREATE TABLE story_versions (
    id           INTEGER PRIMARY KEY,
    story_id     INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    replaced_at  INTEGER NOT NULL,
    headline     TEXT    NOT NULL,
    dateline     TEXT,
    byline       TEXT,
    credits      TEXT,
    published_at INTEGER,
    blocks       TEXT    NOT NULL,
    body_text    TEXT    NOT NULL,
    excerpt      TEXT    NOT NULL,
    content_hash TEXT    NOT NULL
);
CREATE INDEX story_versions_story ON story_versions(story_id);

-- Who changed a story's status and why (takedown reasons are kept here after the body is gone).
CREATE TABLE moderation_log (
    id          INTEGER PRIMARY KEY,
    story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    from_status TEXT    NOT NULL,
    to_status   TEXT    NOT NULL,
    reason      TEXT
);
CREATE INDEX moderation_log_story ON moderation_log(story_id);

CREATE TABLE likes (
    story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    reader_key TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (story_id, reader_key)
);

CREATE TABLE fetch_log (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    at            INTEGER NOT NULL,
    status        TEXT    NOT NULL,
    http_status   INTEGER,
    error         TEXT,
    items_seen    INTEGER NOT NULL DEFAULT 0,
    stories_added INTEGER NOT NULL DEFAULT 0,
    duration_ms   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX fetch_log_source ON fetch_log(source_id, id DESC);

-- Full-text index over khabar_text::fold()-ed headline and body (rowid = story id).
-- porter wraps unicode61: English words are stemmed (sanctions ~ sanctioned),
-- Persian words pass the ASCII-only stemmer unchanged; folding has already
-- unified yeh/kaf variants and dropped ZWNJ. Contentless: the text lives in stories.
CREATE VIRTUAL TABLE story_fts USING fts5(
    headline,
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

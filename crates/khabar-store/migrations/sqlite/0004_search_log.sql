-- Change log for the search index kept beside the embedded store (issue 6).
--
-- The web process keeps a tantivy index of published primary stories next to
-- the database file and follows this log to stay current: every write that
-- can change what a search finds appends the story's id. SQLite commits one
-- writer at a time, so `seq` grows in commit order and a follower that has
-- applied everything up to N has missed nothing below it. (PostgreSQL has no
-- such log: concurrent transactions commit out of sequence order, and its
-- GIN-indexed search runs in the database instead.)
--
-- Written by triggers, so every writer (pipeline, CLI, another process)
-- is covered without knowing the index exists. The follower prunes entries
-- well behind its own position.
CREATE TABLE search_log (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    story_id INTEGER NOT NULL
);

CREATE TRIGGER search_log_story_insert AFTER INSERT ON stories BEGIN
    INSERT INTO search_log (story_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_log_story_delete AFTER DELETE ON stories BEGIN
    INSERT INTO search_log (story_id) VALUES (OLD.id);
END;

-- What the index holds: visibility (status, primary or copy), the searched
-- text and the filter columns.
CREATE TRIGGER search_log_story_update AFTER UPDATE OF status, duplicate_of, sort_at, lang,
    source_id, headline, body_text ON stories
WHEN OLD.status IS NOT NEW.status
  OR (OLD.duplicate_of IS NULL) IS NOT (NEW.duplicate_of IS NULL)
  OR OLD.sort_at IS NOT NEW.sort_at
  OR OLD.lang IS NOT NEW.lang
  OR OLD.source_id IS NOT NEW.source_id
  OR OLD.headline IS NOT NEW.headline
  OR OLD.body_text IS NOT NEW.body_text
BEGIN
    INSERT INTO search_log (story_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_log_tag_insert AFTER INSERT ON story_tags BEGIN
    INSERT INTO search_log (story_id) VALUES (NEW.story_id);
END;

CREATE TRIGGER search_log_tag_delete AFTER DELETE ON story_tags BEGIN
    INSERT INTO search_log (story_id) VALUES (OLD.story_id);
END;

-- The database's identity, made once when this migration runs. A follower
-- records it with its log position, so an index kept beside a database file
-- that was replaced (a restored backup, a store migrated in anew) is
-- recognised as another store's and rebuilt, however far that log has run.
CREATE TABLE store_identity (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT    NOT NULL
);
INSERT INTO store_identity (id, token) VALUES (1, lower(hex(randomblob(16))));

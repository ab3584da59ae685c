-- Change log for the search index each web node keeps (issue 19): the same
-- log as SQLite's migration 0004, so the site searches through its tantivy
-- index on PostgreSQL too and every node answers the same.
--
-- Every write that can change what a search finds appends the story's id. A
-- follower that has applied everything up to position N must have missed
-- nothing below N, so positions must grow in commit order. SQLite gets that
-- for free (one writer at a time); PostgreSQL transactions commit out of
-- sequence order, so here the log is written by DEFERRED constraint triggers,
-- which run as the transaction commits, each first taking one transaction-
-- scoped advisory lock. The lock is held from the first log entry until the
-- commit is visible, so a transaction that takes a position after another's
-- commits after it; concurrent writers wait for each other only for those
-- last moments of their commits, never while they work. A rolled-back
-- transaction leaves a gap in the positions, which a follower skips.
CREATE TABLE search_log (
    seq      BIGSERIAL PRIMARY KEY,
    story_id BIGINT NOT NULL
);

-- The lock key is per schema: stores in different schemas of one database
-- have their own logs and do not wait for each other.
CREATE FUNCTION search_log_story() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('khabar.search_log'), hashtext(current_schema()));
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_log (story_id) VALUES (OLD.id);
    ELSE
        INSERT INTO search_log (story_id) VALUES (NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION search_log_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('khabar.search_log'), hashtext(current_schema()));
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_log (story_id) VALUES (OLD.story_id);
    ELSE
        INSERT INTO search_log (story_id) VALUES (NEW.story_id);
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER search_log_story_insert AFTER INSERT ON stories
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION search_log_story();

CREATE CONSTRAINT TRIGGER search_log_story_delete AFTER DELETE ON stories
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION search_log_story();

-- What the index holds: visibility (status, primary or copy), the searched
-- text and the filter columns.
CREATE CONSTRAINT TRIGGER search_log_story_update AFTER UPDATE OF status, duplicate_of, sort_at,
    lang, source_id, headline, body_text ON stories
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
       OR (OLD.duplicate_of IS NULL) IS DISTINCT FROM (NEW.duplicate_of IS NULL)
       OR OLD.sort_at IS DISTINCT FROM NEW.sort_at
       OR OLD.lang IS DISTINCT FROM NEW.lang
       OR OLD.source_id IS DISTINCT FROM NEW.source_id
       OR OLD.headline IS DISTINCT FROM NEW.headline
       OR OLD.body_text IS DISTINCT FROM NEW.body_text)
    EXECUTE FUNCTION search_log_story();

CREATE CONSTRAINT TRIGGER search_log_tag_insert AFTER INSERT ON story_tags
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION search_log_tag();

CREATE CONSTRAINT TRIGGER search_log_tag_delete AFTER DELETE ON story_tags
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION search_log_tag();

-- The database's identity, made once when this migration runs: an index
-- records it with its log position, so an index kept for another database
-- (or a schema dropped and made anew) is recognised and rebuilt.
CREATE TABLE store_identity (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT    NOT NULL
);
INSERT INTO store_identity (id, token) VALUES (1, replace(gen_random_uuid()::text, '-', ''));

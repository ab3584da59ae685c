-- Speed of the reader's lists (issue 6). Kept in step with migrations/sqlite/0002.
--
-- 1. Indexes that answer "copies of primary X" and "other stories of event X"
--    by seeking on the story's key, with status and order in the index.
DROP INDEX stories_duplicate_of;
DROP INDEX stories_event;
CREATE INDEX stories_copies ON stories(duplicate_of, status, sort_at) WHERE duplicate_of IS NOT NULL;
CREATE INDEX stories_event_sort ON stories(event_id, status, sort_at DESC) WHERE event_id IS NOT NULL;

-- 2. Story counts per (status, primary or copy, language, source), kept by
--    triggers, so a list's page count is a sum over a few rows instead of a
--    COUNT(*) over every matching story (which grew with the store).
CREATE TABLE story_counts (
    status     TEXT    NOT NULL,
    is_primary BOOLEAN NOT NULL,
    -- '' when the story has no language.
    lang       TEXT    NOT NULL,
    source_id  BIGINT  NOT NULL,
    n          BIGINT  NOT NULL,
    PRIMARY KEY (status, is_primary, lang, source_id)
);
INSERT INTO story_counts (status, is_primary, lang, source_id, n)
    SELECT status, duplicate_of IS NULL, COALESCE(lang, ''), source_id, COUNT(*)
    FROM stories GROUP BY 1, 2, 3, 4;

-- 3. A number that grows whenever anything a list page or feed shows changes,
--    in this process or any other writing to the same database, so the web
--    layer can cache rendered lists and know when a copy is stale. Likes and
--    dedup signatures are left out on purpose: no list shows them, and a like
--    must not throw away every cached page (story pages are not cached).
CREATE TABLE store_generation (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO store_generation (id, generation) VALUES (1, 1);

CREATE FUNCTION khabar_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE store_generation SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE FUNCTION khabar_story_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE story_counts SET n = n - 1
            WHERE status = OLD.status AND is_primary = (OLD.duplicate_of IS NULL)
              AND lang = COALESCE(OLD.lang, '') AND source_id = OLD.source_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO story_counts (status, is_primary, lang, source_id, n)
            VALUES (NEW.status, NEW.duplicate_of IS NULL, COALESCE(NEW.lang, ''), NEW.source_id, 1)
            ON CONFLICT (status, is_primary, lang, source_id) DO UPDATE SET n = story_counts.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

-- PostgreSQL fires a table's triggers in name order: the generation row is
-- locked first ("bump" < "counted"), so every writer takes the locks in the
-- same order and two transactions cannot deadlock on story_counts rows.
CREATE TRIGGER stories_counted_insert AFTER INSERT ON stories
    FOR EACH ROW EXECUTE FUNCTION khabar_story_counts();
CREATE TRIGGER stories_counted_delete AFTER DELETE ON stories
    FOR EACH ROW EXECUTE FUNCTION khabar_story_counts();
CREATE TRIGGER stories_counted_update AFTER UPDATE OF status, duplicate_of, lang, source_id ON stories
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
        OR (OLD.duplicate_of IS NULL) IS DISTINCT FROM (NEW.duplicate_of IS NULL)
        OR COALESCE(OLD.lang, '') IS DISTINCT FROM COALESCE(NEW.lang, '')
        OR OLD.source_id IS DISTINCT FROM NEW.source_id)
    EXECUTE FUNCTION khabar_story_counts();

CREATE TRIGGER stories_bump_generation_insert AFTER INSERT ON stories
    FOR EACH ROW EXECUTE FUNCTION khabar_bump_generation();
CREATE TRIGGER stories_bump_generation_delete AFTER DELETE ON stories
    FOR EACH ROW EXECUTE FUNCTION khabar_bump_generation();
-- Every column a list or feed shows (all but likes and dedup_sig).
CREATE TRIGGER stories_bump_generation_update AFTER UPDATE OF source_id, status, pinned, duplicate_of,
    event_id, published_at, fetched_at, sort_at, lang, dir, relevant, relevance_score, body_words,
    body_chars, updated_at, canonical_url, url, content_hash, headline, dateline, byline, credits,
    lead_image, excerpt, tags, relevance_reasons, blocks, body_text ON stories
    FOR EACH ROW EXECUTE FUNCTION khabar_bump_generation();

-- Lists show the source's name and link; feeds follow full_text.
CREATE TRIGGER sources_generation_insert AFTER INSERT ON sources
    FOR EACH ROW EXECUTE FUNCTION khabar_bump_generation();
CREATE TRIGGER sources_generation_update AFTER UPDATE OF slug, name, url, full_text, removed_at ON sources
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug OR OLD.name IS DISTINCT FROM NEW.name
        OR OLD.url IS DISTINCT FROM NEW.url OR OLD.full_text IS DISTINCT FROM NEW.full_text
        OR OLD.removed_at IS DISTINCT FROM NEW.removed_at)
    EXECUTE FUNCTION khabar_bump_generation();

-- Tags are filtered through story_tags; a tag added to or removed from a story changes tag pages.
CREATE TRIGGER story_tags_generation_insert AFTER INSERT ON story_tags
    FOR EACH ROW EXECUTE FUNCTION khabar_bump_generation();
CREATE TRIGGER story_tags_generation_delete AFTER DELETE ON story_tags
    FOR EACH ROW EXECUTE FUNCTION khabar_bump_generation();

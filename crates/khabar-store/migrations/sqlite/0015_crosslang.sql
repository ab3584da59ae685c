-- One story across languages: reports of the same event in English and in
-- Persian share a cross-language group, named by the id of the story that
-- started it (NULL: no report in another language is known). Story pages
-- show the other languages' reports, so a change moves the generation.
ALTER TABLE stories ADD COLUMN crosslang_id INTEGER;
CREATE INDEX stories_crosslang ON stories (crosslang_id) WHERE crosslang_id IS NOT NULL;
CREATE TRIGGER stories_bump_generation_crosslang AFTER UPDATE OF crosslang_id ON stories BEGIN
    UPDATE store_generation SET generation = generation + 1 WHERE id = 1;
END;

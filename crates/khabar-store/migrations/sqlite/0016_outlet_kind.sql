-- Who runs a source (state media inside Iran, independent or diaspora,
-- international, regional, other), set by the operator with a note why.
-- Story pages and the coverage views show it, so a change moves the
-- generation.
ALTER TABLE sources ADD COLUMN outlet TEXT NOT NULL DEFAULT 'other';
ALTER TABLE sources ADD COLUMN outlet_note TEXT;
CREATE TRIGGER sources_generation_outlet AFTER UPDATE OF outlet, outlet_note ON sources
WHEN OLD.outlet IS NOT NEW.outlet OR OLD.outlet_note IS NOT NEW.outlet_note
BEGIN
    UPDATE store_generation SET generation = generation + 1 WHERE id = 1;
END;

-- Who runs a source (state media inside Iran, independent or diaspora,
-- international, regional, other), set by the operator with a note why.
-- Story pages and the coverage views show it, so a change moves the
-- generation.
ALTER TABLE sources ADD COLUMN outlet TEXT NOT NULL DEFAULT 'other';
ALTER TABLE sources ADD COLUMN outlet_note TEXT;
CREATE TRIGGER sources_generation_outlet AFTER UPDATE OF outlet, outlet_note ON sources
    FOR EACH ROW WHEN (OLD.outlet IS DISTINCT FROM NEW.outlet
        OR OLD.outlet_note IS DISTINCT FROM NEW.outlet_note)
    EXECUTE FUNCTION khabar_bump_generation();

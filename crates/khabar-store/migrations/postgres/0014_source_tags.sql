-- Tags an operator gives a source (from its OPML folders or its
-- configuration): added to every story stored from it, so a reader's
-- folders become the site's tag pages. A JSON array of tag slugs.
ALTER TABLE sources ADD COLUMN tags JSONB NOT NULL DEFAULT '[]';

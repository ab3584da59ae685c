-- A story made from a feed item that had no article link of its own (only a
-- guid, an enclosure, or the feed's site link) is built from the feed's own
-- text and republished excerpt-only, whatever its source allows: the reader
-- is sent to the source for the rest.
ALTER TABLE stories ADD COLUMN excerpt_only BOOLEAN NOT NULL DEFAULT FALSE;
-- What a poll that succeeded had to leave out: a document cut short (its
-- items before the cut are kept) and the items skipped, each with why.
ALTER TABLE fetch_log ADD COLUMN note TEXT;

-- The article's own canonical address as its page declares it (same site
-- only), shown and linked as the original; NULL for stories stored before
-- it was kept and for pages that declare none.
ALTER TABLE stories ADD COLUMN declared_url TEXT;

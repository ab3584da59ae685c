-- Lead images, fetched and re-encoded by khabar (crate khabar-image) so the
-- site never hot-links a source's image. One row per source image URL that
-- was tried: 'ready' with its variants, or 'refused' with the reason
-- (khabar_image::ImageError::kind) and message, so a hostile or broken image
-- is explained, not silently missing. Stories link to the row they show.
--
-- The variants are BLOBs in the database: on the embedded default this keeps
-- one file to back up, copy (migrate-store) and serve from, with no second
-- directory to keep in step with the rows, and they are small (three widths
-- of 320-1024 px, WebP and JPEG, about 150-250 KB per story in all).
CREATE TABLE images (
    id          BIGSERIAL PRIMARY KEY,
    source_url  TEXT    NOT NULL,
    -- 'ready' or 'refused'.
    status      TEXT    NOT NULL,
    reason      TEXT,
    detail      TEXT,
    -- The largest variant's size (ready images).
    width       BIGINT ,
    height      BIGINT ,
    -- JSON array of variant widths, smallest first, e.g. [320,640,1024].
    widths      TEXT    NOT NULL DEFAULT '[]',
    alt         TEXT,
    caption     TEXT,
    credit      TEXT,
    source_bytes BIGINT ,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX images_source_url ON images (source_url, status);

CREATE TABLE image_variants (
    image_id    BIGINT  NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    width       BIGINT  NOT NULL,
    height      BIGINT  NOT NULL,
    -- 'webp' or 'jpeg'.
    format      TEXT    NOT NULL,
    -- Strong validator for the endpoint: a hash of the bytes.
    etag        TEXT    NOT NULL,
    bytes       BYTEA   NOT NULL,
    PRIMARY KEY (image_id, width, format)
);

ALTER TABLE stories ADD COLUMN image_id BIGINT  REFERENCES images(id) ON DELETE SET NULL;

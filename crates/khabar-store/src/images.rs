//! Lead images: the variants khabar made of a story's image, or the reason
//! it refused to. Written once by the pipeline, read by the image endpoint;
//! a variant's bytes never change under its key, so they are served as
//! immutable.

use khabar_model::StoryImage;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::row::RowExt;
use crate::sql::on_pool;
use crate::time::now;
use crate::{Result, Store};

/// One encoded size of an image, to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewImageVariant {
    pub width: u32,
    pub height: u32,
    /// `webp` or `jpeg`.
    pub format: String,
    pub bytes: Vec<u8>,
}

/// An accepted image with its variants and what the page said about it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewImage {
    /// The address it was fetched from (after redirects the fetcher followed).
    pub source_url: String,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Size of the downloaded file, for the bytes-saved figure.
    pub source_bytes: usize,
    pub variants: Vec<NewImageVariant>,
}

/// An image row: ready (with variants) or refused (with the reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageRecord {
    pub id: i64,
    pub source_url: String,
    /// `ready` or `refused`.
    pub status: String,
    /// Refusal kind (`too_many_pixels`, `not_an_image`, `http_4xx`, …).
    pub reason: Option<String>,
    pub detail: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub widths: Vec<u32>,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub source_bytes: Option<i64>,
    pub created_at: i64,
}

/// A refused image and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusedImage {
    pub id: i64,
    /// The image's own address.
    pub source_url: String,
    /// Refusal kind (`too_many_pixels`, `not_an_image`, …) and its message.
    pub reason: Option<String>,
    pub detail: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// The story it was the lead image of, and that story's source.
    pub story_id: Option<i64>,
    pub headline: Option<String>,
    pub source_name: Option<String>,
}

/// A stored variant, as the endpoint serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVariant {
    pub image_id: i64,
    pub width: u32,
    pub height: u32,
    pub format: String,
    /// Quoted strong validator.
    pub etag: String,
    pub bytes: Vec<u8>,
}

const IMAGE_COLS: &str = "i.id, i.source_url, i.status, i.reason, i.detail, i.width, i.height, \
    i.widths, i.alt, i.caption, i.credit, i.source_bytes, i.created_at";

fn image_from_row(r: &impl RowExt) -> Result<ImageRecord> {
    let widths: String = r.text("widths")?;
    Ok(ImageRecord {
        id: r.int("id")?,
        source_url: r.text("source_url")?,
        status: r.text("status")?,
        reason: r.opt_text("reason")?,
        detail: r.opt_text("detail")?,
        width: r.opt_int("width")?,
        height: r.opt_int("height")?,
        widths: serde_json::from_str(&widths).unwrap_or_default(),
        alt: r.opt_text("alt")?,
        caption: r.opt_text("caption")?,
        credit: r.opt_text("credit")?,
        source_bytes: r.opt_int("source_bytes")?,
        created_at: r.int("created_at")?,
    })
}

/// `"` + 32 hex digits of SHA-256 + `"`.
fn etag_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Widths of the variants, distinct, smallest first, as stored JSON.
fn widths_json(variants: &[NewImageVariant]) -> String {
    let mut w: Vec<u32> = variants.iter().map(|v| v.width).collect();
    w.sort_unstable();
    w.dedup();
    serde_json::to_string(&w).unwrap_or_else(|_| "[]".into())
}

/// Lead images: the stored files, their variants, and the refusals.
/// A view of the [`Store`], from [`Store::images`].
#[derive(Clone, Copy, Debug)]
pub struct Images<'a> {
    store: &'a Store,
}

impl Store {
    /// Lead images: the stored files, their variants, and the refusals.
    pub fn images(&self) -> Images<'_> {
        Images { store: self }
    }
}

impl Images<'_> {
    /// A ready image already made from `source_url` (a syndicated copy
    /// often carries the same picture): reused rather than fetched again.
    pub async fn ready_image_by_source(self, source_url: &str) -> Result<Option<i64>> {
        let sql =
            "SELECT id FROM images WHERE source_url = $1 AND status = 'ready' ORDER BY id LIMIT 1";
        on_pool!(self.store, p => {
            Ok(sqlx::query_scalar(sql).bind(source_url).fetch_optional(p).await?)
        })
    }

    /// Stores an accepted image and its variants in one transaction.
    pub async fn save(self, img: &NewImage) -> Result<i64> {
        let (width, height) = img
            .variants
            .iter()
            .map(|v| (i64::from(v.width), i64::from(v.height)))
            .max()
            .unwrap_or((0, 0));
        let widths = widths_json(&img.variants);
        let insert = "INSERT INTO images (source_url, status, width, height, widths, alt, caption, credit, \
            source_bytes, created_at) VALUES ($1, 'ready', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
        let variant = "INSERT INTO image_variants (image_id, width, height, format, etag, bytes) \
            VALUES ($1, $2, $3, $4, $5, $6)";
        on_pool!(self.store, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(insert)
                .bind(&img.source_url)
                .bind(width)
                .bind(height)
                .bind(&widths)
                .bind(&img.alt)
                .bind(&img.caption)
                .bind(&img.credit)
                .bind(img.source_bytes as i64)
                .bind(now())
                .fetch_one(&mut *tx)
                .await?;
            for v in &img.variants {
                sqlx::query(variant)
                    .bind(id)
                    .bind(i64::from(v.width))
                    .bind(i64::from(v.height))
                    .bind(&v.format)
                    .bind(etag_of(&v.bytes))
                    .bind(&v.bytes)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Records why an image was not used: `reason` is a short kind, `detail`
    /// the message. The row is linked to the story like a ready one, so the
    /// story's record says what happened to its picture.
    pub async fn record_image_refusal(
        self,
        source_url: &str,
        reason: &str,
        detail: &str,
    ) -> Result<i64> {
        let sql = "INSERT INTO images (source_url, status, reason, detail, created_at) \
            VALUES ($1, 'refused', $2, $3, $4) RETURNING id";
        on_pool!(self.store, p => {
            Ok(sqlx::query_scalar(sql)
                .bind(source_url)
                .bind(reason)
                .bind(detail)
                .bind(now())
                .fetch_one(p)
                .await?)
        })
    }

    /// Points a story at its image row (ready or refused).
    pub async fn link_story_image(self, story_id: i64, image_id: i64) -> Result<()> {
        on_pool!(self.store, p => {
            sqlx::query("UPDATE stories SET image_id = $1 WHERE id = $2")
                .bind(image_id)
                .bind(story_id)
                .execute(p)
                .await?;
        });
        Ok(())
    }

    pub async fn image(self, id: i64) -> Result<Option<ImageRecord>> {
        let sql = format!("SELECT {IMAGE_COLS} FROM images i WHERE i.id = $1");
        on_pool!(self.store, p => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?;
            row.as_ref().map(image_from_row).transpose()
        })
    }

    /// The image row a story links to, whatever its status.
    pub async fn story_image(self, story_id: i64) -> Result<Option<ImageRecord>> {
        let sql = format!(
            "SELECT {IMAGE_COLS} FROM images i JOIN stories s ON s.image_id = i.id WHERE s.id = $1"
        );
        on_pool!(self.store, p => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(story_id).fetch_optional(p).await?;
            row.as_ref().map(image_from_row).transpose()
        })
    }

    /// The latest refusals, newest first, for operators.
    pub async fn image_refusals(self, limit: i64) -> Result<Vec<ImageRecord>> {
        let sql = format!(
            "SELECT {IMAGE_COLS} FROM images i WHERE i.status = 'refused' ORDER BY i.id DESC LIMIT $1"
        );
        on_pool!(self.store, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(limit.clamp(1, 500)).fetch_all(p).await?;
            rows.iter().map(image_from_row).collect()
        })
    }

    /// The latest refusals, newest first, each with the story it was for
    /// and that story's source (the first story when several share one
    /// image), for the admin's table.
    pub async fn refused_images(self, limit: i64) -> Result<Vec<RefusedImage>> {
        let sql = "SELECT i.id AS id, i.source_url AS source_url, i.reason AS reason, \
            i.detail AS detail, i.created_at AS created_at, s.id AS story_id, \
            s.headline AS headline, src.name AS source_name FROM images i \
            LEFT JOIN stories s ON s.id = (SELECT MIN(s2.id) FROM stories s2 WHERE s2.image_id = i.id) \
            LEFT JOIN sources src ON src.id = s.source_id \
            WHERE i.status = 'refused' ORDER BY i.id DESC LIMIT $1";
        on_pool!(self.store, p => {
            let rows = sqlx::query(sql).bind(limit.clamp(1, 500)).fetch_all(p).await?;
            rows.iter()
                .map(|r| {
                    Ok(RefusedImage {
                        id: r.int("id")?,
                        source_url: r.text("source_url")?,
                        reason: r.opt_text("reason")?,
                        detail: r.opt_text("detail")?,
                        created_at: r.int("created_at")?,
                        story_id: r.opt_int("story_id")?,
                        headline: r.opt_text("headline")?,
                        source_name: r.opt_text("source_name")?,
                    })
                })
                .collect()
        })
    }

    /// One variant of a ready image; `None` for an unknown id, width or format.
    pub async fn variant(
        self,
        image_id: i64,
        width: u32,
        format: &str,
    ) -> Result<Option<StoredVariant>> {
        let sql = "SELECT v.width, v.height, v.format, v.etag, v.bytes FROM image_variants v \
            JOIN images i ON i.id = v.image_id \
            WHERE v.image_id = $1 AND v.width = $2 AND v.format = $3 AND i.status = 'ready'";
        on_pool!(self.store, p => {
            let row = sqlx::query(sql)
                .bind(image_id)
                .bind(i64::from(width))
                .bind(format)
                .fetch_optional(p)
                .await?;
            row.map(|r| -> Result<StoredVariant> {
                Ok(StoredVariant {
                    image_id,
                    width: u32::try_from(r.int("width")?).unwrap_or(0),
                    height: u32::try_from(r.int("height")?).unwrap_or(0),
                    format: r.text("format")?,
                    etag: r.text("etag")?,
                    bytes: r.opt_bytes("bytes")?.unwrap_or_default(),
                })
            })
            .transpose()
        })
    }
}

/// The image columns a story read joins (`image_*`): a ready image, or none.
pub(crate) fn story_image_from_row(r: &impl RowExt) -> Result<Option<StoryImage>> {
    let Some(id) = r.opt_int("image_id")? else {
        return Ok(None);
    };
    let size =
        |c: &str| -> Result<u32> { Ok(u32::try_from(r.opt_int(c)?.unwrap_or(0)).unwrap_or(0)) };
    let widths: Vec<u32> = r
        .opt_text("image_widths")?
        .and_then(|w| serde_json::from_str(&w).ok())
        .unwrap_or_default();
    if widths.is_empty() {
        return Ok(None);
    }
    Ok(Some(StoryImage {
        id,
        width: size("image_width")?,
        height: size("image_height")?,
        widths,
        alt: r.opt_text("image_alt")?,
        caption: r.opt_text("image_caption")?,
        credit: r.opt_text("image_credit")?,
    }))
}

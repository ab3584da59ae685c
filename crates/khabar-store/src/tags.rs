//! Tags set by people rather than by the topic model: a source's tags
//! (from its configuration or the folders of an imported OPML list), added
//! to every story stored from it, and an editor's edit of one story's tags.

use sqlx::types::Json;

use crate::row::RowExt;
use crate::sql::on_pool;
use crate::stories::clean_tags;
use crate::time::now;
use crate::{Result, Store, StoreError};

/// A tag as the site writes it in `/tag/…` links: lower case, words joined
/// by `-`, other punctuation dropped; letters of any script (and the
/// Persian ZWNJ) kept. `Middle East` and `middle_east` are one tag.
pub fn tag_slug(raw: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in raw.trim().chars() {
        if c.is_alphanumeric() || c == '\u{200c}' {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || matches!(c, '-' | '_' | '/' | '.' | ',' | '&' | '+') {
            gap = true;
        }
    }
    out
}

impl Store {
    /// Sets the tags of the source `slug` (trimmed, deduplicated); `false`
    /// when there is no such source. Stories already stored keep theirs.
    ///
    /// Tags that are already as given are not written: every `serve` and
    /// `worker` sets its configuration's tags at start, and on PostgreSQL a
    /// write would wait for any other process holding the source's row.
    pub async fn set_source_tags(&self, slug: &str, tags: &[String]) -> Result<bool> {
        let tags = clean_tags(tags);
        match self.stored_source_tags(slug).await? {
            None => return Ok(false),
            Some(stored) if stored == tags => return Ok(true),
            Some(_) => {}
        }
        let sql = "UPDATE sources SET tags = $1 WHERE slug = $2";
        let n = on_pool!(self, p => sqlx::query(sql).bind(Json(&tags)).bind(slug).execute(p).await?.rows_affected());
        Ok(n > 0)
    }

    /// The tags of the source `slug` (empty for an unknown one).
    pub async fn source_tags(&self, slug: &str) -> Result<Vec<String>> {
        Ok(self.stored_source_tags(slug).await?.unwrap_or_default())
    }

    /// The tags of the source `slug` as stored; `None` when there is no
    /// such source.
    async fn stored_source_tags(&self, slug: &str) -> Result<Option<Vec<String>>> {
        let sql = "SELECT tags FROM sources WHERE slug = $1";
        on_pool!(self, p => {
            let row = sqlx::query(sql).bind(slug).fetch_optional(p).await?;
            row.map(|r| r.json::<Vec<String>>("tags")).transpose()
        })
    }

    /// An editor sets a story's tags (trimmed, deduplicated) and the change
    /// is kept in the moderation log with `reason` (who and what), its
    /// status unchanged. The tag pages and the story page change at once
    /// (the store generation moves). Returns the tags as stored.
    pub async fn set_story_tags(
        &self,
        id: i64,
        tags: &[String],
        reason: &str,
    ) -> Result<Vec<String>> {
        let tags = clean_tags(tags);
        let log = "INSERT INTO moderation_log (story_id, at, from_status, to_status, reason) \
            SELECT id, $2, status, status, $3 FROM stories WHERE id = $1";
        let set = "UPDATE stories SET tags = $1 WHERE id = $2";
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query(log)
                .bind(id)
                .bind(now())
                .bind(reason)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::StoryNotFound(id));
            }
            sqlx::query(set).bind(Json(&tags)).bind(id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM story_tags WHERE story_id = $1").bind(id).execute(&mut *tx).await?;
            for tag in &tags {
                sqlx::query("INSERT INTO story_tags (story_id, tag) VALUES ($1, $2)")
                    .bind(id)
                    .bind(tag)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(tags)
    }
}

#[cfg(test)]
mod tests {
    use super::tag_slug;

    #[test]
    fn tags_are_slugs_in_any_script() {
        assert_eq!(tag_slug(" Middle East "), "middle-east");
        assert_eq!(tag_slug("middle_east"), "middle-east");
        assert_eq!(tag_slug("Tech & Science"), "tech-science");
        assert_eq!(tag_slug("human-rights"), "human-rights");
        assert_eq!(tag_slug("Iran's economy!"), "irans-economy");
        assert_eq!(tag_slug("اخبار ایران"), "اخبار-ایران");
        assert_eq!(tag_slug("حقوق‌بشر"), "حقوق\u{200c}بشر");
        assert_eq!(tag_slug(" -- "), "");
    }
}

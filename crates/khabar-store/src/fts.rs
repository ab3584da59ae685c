//! The database's own full-text entries, kept in step with a story's text
//! inside the transaction that writes it: FTS5 rows on SQLite, a tsvector
//! on PostgreSQL. `Store::search`, the fallback engine, reads them.

use sqlx::{PgConnection, SqliteConnection};

use crate::Result;

/// Index at most this much folded body text per story: PostgreSQL refuses
/// tsvectors over 1 MB, and relevance is decided long before that.
const MAX_INDEXED_BYTES: usize = 200_000;

/// Keeping a story's search entry in step with its text, inside the caller's transaction.
pub(crate) trait SearchIndex {
    async fn index_story(&mut self, id: i64, headline: &str, body: &str) -> Result<()>;
    async fn unindex_story(&mut self, id: i64) -> Result<()>;
}

/// The analyser's terms of a text, as the engine indexes them, cut at a
/// character boundary.
fn index_text(s: &str) -> String {
    let mut f = khabar_search::analyze(s)
        .into_iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join(" ");
    if f.len() > MAX_INDEXED_BYTES {
        let mut cut = MAX_INDEXED_BYTES;
        while !f.is_char_boundary(cut) {
            cut -= 1;
        }
        f.truncate(cut);
    }
    f
}

impl SearchIndex for SqliteConnection {
    async fn index_story(&mut self, id: i64, headline: &str, body: &str) -> Result<()> {
        sqlx::query("INSERT INTO story_fts (rowid, headline, body) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(index_text(headline))
            .bind(index_text(body))
            .execute(&mut *self)
            .await?;
        Ok(())
    }
    async fn unindex_story(&mut self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM story_fts WHERE rowid = $1")
            .bind(id)
            .execute(&mut *self)
            .await?;
        Ok(())
    }
}

impl SearchIndex for PgConnection {
    async fn index_story(&mut self, id: i64, headline: &str, body: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO story_search (story_id, tsv) VALUES ($1, \
             setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $3), 'B')) \
             ON CONFLICT (story_id) DO UPDATE SET tsv = excluded.tsv",
        )
        .bind(id)
        .bind(index_text(headline))
        .bind(index_text(body))
        .execute(&mut *self)
        .await?;
        Ok(())
    }
    async fn unindex_story(&mut self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM story_search WHERE story_id = $1")
            .bind(id)
            .execute(&mut *self)
            .await?;
        Ok(())
    }
}

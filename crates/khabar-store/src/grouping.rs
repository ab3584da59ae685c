//! What grouping one story into copies and events writes, in one
//! transaction.
//!
//! Grouping a story writes up to eight rows: its signature, perhaps a new
//! text for the primary, the `duplicate_of` of every copy when a fuller
//! report takes over a group, and the event of the story and of its first
//! report. Written one by one, a crash or a lost connection between two of
//! them leaves a group half-moved (copies pointing at a story that is itself
//! a copy, an event without its head) that no later run repairs, because the
//! signature that makes the story count as grouped is already saved. So the
//! grouping stage works its decision out first and hands the store the whole
//! set of writes, which go in together or not at all.

use khabar_model::{NewStory, StoredStory};

use crate::row::RowExt;
use crate::sql::{Binds, bind_all, on_pool};
use crate::stories::{
    STORY_COLS, STORY_FROM, not_found_if_zero as found, replace_text_in, story_from_row,
};
use crate::{Result, Store};

/// The writes of one grouping decision, applied by [`Store::apply_grouping`].
#[derive(Debug, Clone, Copy)]
pub struct GroupingWrites<'a> {
    /// The story being grouped.
    pub story_id: i64,
    /// Its dedup signature, saved with the next place in the index's order.
    pub signature: &'a [u8],
    /// An agency's fuller re-issue of its own report: this story (the
    /// primary) takes the new text, the old one kept as a version.
    pub replace_text: Option<(i64, &'a NewStory)>,
    /// `(story, primary)`: stories marked as copies (`None`: a primary again).
    pub duplicate_of: &'a [(i64, Option<i64>)],
    /// `(story, event)`: stories put in an event.
    pub events: &'a [(i64, i64)],
    /// `(story, group)`: stories put in a cross-language group (reports
    /// of one event in different languages).
    pub crosslang: &'a [(i64, i64)],
}

impl Store {
    /// Applies one grouping decision in a single transaction: every write
    /// of `writes` or none. A story named in it that is not stored fails the
    /// whole decision with [`crate::StoreError::StoryNotFound`].
    pub async fn apply_grouping(&self, writes: &GroupingWrites<'_>) -> Result<()> {
        let sig = "UPDATE stories SET dedup_sig = $1, \
            dedup_seq = (SELECT COALESCE(MAX(dedup_seq), 0) + 1 FROM stories) WHERE id = $2";
        let dup = "UPDATE stories SET duplicate_of = $1 WHERE id = $2";
        let event = "UPDATE stories SET event_id = $1 WHERE id = $2";
        let crosslang = "UPDATE stories SET crosslang_id = $1 WHERE id = $2";
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query(sig)
                .bind(writes.signature.to_vec())
                .bind(writes.story_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            found(n, writes.story_id)?;
            if let Some((id, update)) = writes.replace_text {
                replace_text_in!(tx, id, update);
            }
            for &(id, primary) in writes.duplicate_of {
                let n = sqlx::query(dup).bind(primary).bind(id).execute(&mut *tx).await?.rows_affected();
                found(n, id)?;
            }
            for &(id, ev) in writes.events {
                let n = sqlx::query(event).bind(ev).bind(id).execute(&mut *tx).await?.rows_affected();
                found(n, id)?;
            }
            for &(id, group) in writes.crosslang {
                let n = sqlx::query(crosslang).bind(group).bind(id).execute(&mut *tx).await?.rows_affected();
                found(n, id)?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The published primary reports of cross-language group `group`
    /// other than `except`, oldest first: "also in Persian" on a story page.
    pub async fn crosslang_reports(&self, group: i64, except: i64) -> Result<Vec<StoredStory>> {
        let sql = format!(
            "SELECT {STORY_COLS} {STORY_FROM} WHERE s.crosslang_id = $1 AND s.id <> $2 \
             AND s.status = 'published' AND s.duplicate_of IS NULL \
             ORDER BY s.sort_at, s.id LIMIT 50"
        );
        on_pool!(self, p => {
            // Only constant column lists are formatted in; values are bound.
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(group).bind(except).fetch_all(p).await?;
            rows.iter().map(story_from_row).collect()
        })
    }

    /// The primary reports in `langs` sorted at or after `since` (unix
    /// seconds), oldest first, for warming the cross-language index at
    /// start-up: (id, headline, body, lang, published or fetched unix,
    /// cross-language group).
    pub async fn crosslang_candidates(
        &self,
        since: i64,
        langs: &[&str],
    ) -> Result<Vec<CrossLangRow>> {
        let sql = format!(
            "SELECT {CROSSLANG_COLS} FROM stories \
             WHERE sort_at >= $1 AND duplicate_of IS NULL AND status = 'published' \
             AND lang IS NOT NULL ORDER BY id"
        );
        let rows: Vec<CrossLangRow> = on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(since).fetch_all(p).await?;
            rows.iter().map(crosslang_row).collect::<Result<_>>()?
        });
        Ok(rows
            .into_iter()
            .filter(|r| langs.iter().any(|l| r.3.starts_with(l)))
            .collect())
    }

    /// Of these stories, the published primaries with a language, as
    /// [`Store::crosslang_candidates`] gives them, oldest first: what a
    /// worker files after replaying other workers' groupings, read in one
    /// query rather than one whole story each (the grouping lock is held
    /// meanwhile).
    pub async fn crosslang_rows_of(&self, ids: &[i64]) -> Result<Vec<CrossLangRow>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let mut b = Binds::default();
            let list = b.int_list(chunk);
            let sql = format!(
                "SELECT {CROSSLANG_COLS} FROM stories WHERE id IN ({list}) \
                 AND duplicate_of IS NULL AND status = 'published' AND lang IS NOT NULL ORDER BY id"
            );
            let rows: Vec<CrossLangRow> = on_pool!(self, p => {
                bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &b.args)
                    .fetch_all(p)
                    .await?
                    .iter()
                    .map(crosslang_row)
                    .collect::<Result<_>>()?
            });
            out.extend(rows);
        }
        Ok(out)
    }
}

/// A report as the cross-language index files it: (id, headline, body,
/// lang, published or fetched unix, cross-language group).
pub type CrossLangRow = (i64, String, String, String, i64, Option<i64>);

const CROSSLANG_COLS: &str = "id, headline, body_text, lang, sort_at, crosslang_id";

fn crosslang_row(r: &impl RowExt) -> Result<CrossLangRow> {
    Ok((
        r.int("id")?,
        r.text("headline")?,
        r.text("body_text")?,
        r.text("lang")?,
        r.int("sort_at")?,
        r.opt_int("crosslang_id")?,
    ))
}

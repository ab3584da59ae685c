//! What a search index kept beside the store needs from it: the change log
//! (SQLite migration 0004, PostgreSQL migration 0010, the same table with
//! positions growing in commit order on both), the indexable form of
//! stories, and the page of hits for ids the index ranked.

use std::collections::HashMap;

use khabar_model::{SearchDoc, StoredStory};

use crate::row::RowExt;
use crate::snippet::hit;
use crate::sql::{Binds, bind_all, on_pool};
use crate::stories::{STORY_COLS, STORY_FROM, story_from_row};
use crate::{Result, SearchHit, Store};

/// One entry of the change log: story `story_id` may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchChange {
    pub seq: i64,
    pub story_id: i64,
}

/// The stories search may show: published primaries.
const VISIBLE: &str = "s.status = 'published' AND s.duplicate_of IS NULL";

/// The change log search indexes follow, and the rows they index.
/// A view of the [`Store`], from [`Store::search_log`].
#[derive(Clone, Copy, Debug)]
pub struct SearchLog<'a> {
    store: &'a Store,
}

impl Store {
    /// The change log search indexes follow, and the rows they index.
    pub fn search_log(&self) -> SearchLog<'_> {
        SearchLog { store: self }
    }
}

impl SearchLog<'_> {
    /// This database's identity, made when the change log was created.
    /// `Option` for the callers' sake: a store opened before its migration
    /// ran has none.
    pub async fn store_identity(self) -> Result<Option<String>> {
        Ok(on_pool!(self.store, p => {
            sqlx::query_scalar("SELECT token FROM store_identity WHERE id = 1")
                .fetch_optional(p)
                .await?
        }))
    }

    /// The newest change-log position (0 for an empty log).
    pub async fn head(self) -> Result<Option<i64>> {
        let head: Option<i64> = on_pool!(self.store, p => {
            sqlx::query_scalar("SELECT MAX(seq) FROM search_log")
                .fetch_one(p)
                .await?
        });
        Ok(Some(head.unwrap_or(0)))
    }

    /// The oldest change-log position still kept, if any: a follower whose
    /// position is below it has missed pruned changes and must rebuild.
    pub async fn tail(self) -> Result<Option<i64>> {
        Ok(on_pool!(self.store, p => {
            sqlx::query_scalar("SELECT MIN(seq) FROM search_log")
                .fetch_one(p)
                .await?
        }))
    }

    /// Changes after position `after`, oldest first, at most `limit`.
    pub async fn changes(self, after: i64, limit: i64) -> Result<Vec<SearchChange>> {
        on_pool!(self.store, p => {
            sqlx::query("SELECT seq, story_id FROM search_log WHERE seq > $1 ORDER BY seq LIMIT $2")
                .bind(after)
                .bind(limit)
                .fetch_all(p)
                .await?
                .iter()
                .map(|r| {
                    Ok(SearchChange {
                        seq: r.int("seq")?,
                        story_id: r.int("story_id")?,
                    })
                })
                .collect()
        })
    }

    /// Forgets changes at or below `upto`.
    pub async fn prune(self, upto: i64) -> Result<u64> {
        Ok(on_pool!(self.store, p => {
            sqlx::query("DELETE FROM search_log WHERE seq <= $1")
                .bind(upto)
                .execute(p)
                .await?
                .rows_affected()
        }))
    }

    /// The searchable ones among `ids`; an id left out is not (or no longer)
    /// a published primary and belongs out of the index.
    pub async fn indexable_stories(self, ids: &[i64]) -> Result<Vec<SearchDoc>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut b = Binds::default();
        let list = b.int_list(ids);
        self.indexable_where(&format!("s.id IN ({list})"), b).await
    }

    /// Searchable stories with ids above `after_id`, in id order, at most
    /// `limit`: a full rebuild walks the store with this.
    pub async fn indexable_after(self, after_id: i64, limit: i64) -> Result<Vec<SearchDoc>> {
        let mut b = Binds::default();
        let after = b.int(after_id);
        let lim = b.int(limit);
        self.indexable_where(&format!("s.id > {after} ORDER BY s.id LIMIT {lim}"), b)
            .await
    }

    async fn indexable_where(self, tail: &str, b: Binds) -> Result<Vec<SearchDoc>> {
        let sql = format!(
            "SELECT s.id, s.headline, s.body_text, s.lang, s.source_id, s.sort_at \
             FROM stories s WHERE {VISIBLE} AND {tail}"
        );
        let mut stories: Vec<SearchDoc> = on_pool!(self.store, p => {
            bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &b.args)
                .fetch_all(p)
                .await?
                .iter()
                .map(|r| {
                    Ok(SearchDoc {
                        id: r.int("id")?,
                        headline: r.text("headline")?,
                        body: r.text("body_text")?,
                        lang: r.opt_text("lang")?,
                        source_id: r.int("source_id")?,
                        tags: Vec::new(),
                        sort_at: r.int("sort_at")?,
                    })
                })
                .collect::<Result<_>>()?
        });
        if stories.is_empty() {
            return Ok(stories);
        }
        let mut tb = Binds::default();
        let list: Vec<String> = stories.iter().map(|s| tb.int(s.id)).collect();
        let tags_sql = format!(
            "SELECT story_id, tag FROM story_tags WHERE story_id IN ({}) ORDER BY story_id, tag",
            list.join(", ")
        );
        let tags: Vec<(i64, String)> = on_pool!(self.store, p => {
            bind_all(sqlx::query(sqlx::AssertSqlSafe(tags_sql)), &tb.args)
                .fetch_all(p)
                .await?
                .iter()
                .map(|r| Ok((r.int("story_id")?, r.text("tag")?)))
                .collect::<Result<_>>()?
        });
        let mut by_id: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, tag) in tags {
            by_id.entry(id).or_default().push(tag);
        }
        for s in &mut stories {
            s.tags = by_id.remove(&s.id).unwrap_or_default();
        }
        Ok(stories)
    }

    /// Search hits for ids already ranked elsewhere, in that order, with
    /// snippets for `query`. Stories no longer published primaries (changed
    /// since the ranking) are left out.
    pub async fn hits_for(self, ranked: &[(i64, f32)], query: &str) -> Result<Vec<SearchHit>> {
        let ids: Vec<i64> = ranked.iter().map(|(id, _)| *id).collect();
        let mut stories = self.visible_stories(&ids).await?;
        Ok(ranked
            .iter()
            .filter_map(|(id, rank)| {
                let story = stories.remove(id)?;
                Some(hit(story, query, *rank))
            })
            .collect())
    }

    /// Published primaries among `ids`, by id.
    pub(crate) async fn visible_stories(self, ids: &[i64]) -> Result<HashMap<i64, StoredStory>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut b = Binds::default();
        let list = b.int_list(ids);
        let sql = format!("SELECT {STORY_COLS} {STORY_FROM} WHERE {VISIBLE} AND s.id IN ({list})");
        on_pool!(self.store, p => {
            bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &b.args)
                .fetch_all(p)
                .await?
                .iter()
                .map(|r| story_from_row(r).map(|s| (s.id, s)))
                .collect()
        })
    }
}

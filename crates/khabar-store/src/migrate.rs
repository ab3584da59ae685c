//! Copying a whole store into another (SQLite -> PostgreSQL for scale-out,
//! or back). Rows travel as backend-neutral values, table by table, keeping
//! ids so links (`/story/123`) stay valid; the target's search index is
//! rebuilt from the copied text.

use sqlx::types::Json as SqlJson;
use sqlx::{Database, Encode, Type, query::Query};

use crate::fts::SearchIndex;
use crate::row::RowExt;
use crate::sql::on_pool;
use crate::{MigrateReport, Pool, Result, Store, StoreError};

/// Rows per read batch and per write transaction.
const BATCH: i64 = 500;

#[derive(Clone, Copy, PartialEq)]
enum Col {
    Int,
    OptInt,
    Text,
    OptText,
    Bool,
    Float,
    Json,
    OptBytes,
}

#[derive(Debug, Clone, PartialEq)]
enum Val {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(bool),
    Float(f64),
    Json(serde_json::Value),
    Bytes(Option<Vec<u8>>),
}

struct Table {
    name: &'static str,
    /// ORDER BY for a stable copy; tables with an `id` are read by keyset on it.
    order: &'static str,
    keyed_by_id: bool,
    cols: &'static [(&'static str, Col)],
}

use Col::*;

const SOURCES: Table = Table {
    name: "sources",
    order: "id",
    keyed_by_id: true,
    cols: &[
        ("id", Int),
        ("slug", Text),
        ("name", Text),
        ("url", Text),
        ("kind", Text),
        ("lang", OptText),
        ("full_text", Bool),
        ("dedicated", Bool),
        ("proxy", OptText),
        ("tags", Json),
        ("outlet", Text),
        ("outlet_note", OptText),
        ("etag", OptText),
        ("last_modified", OptText),
        ("status", Text),
        ("last_fetch_at", OptInt),
        ("last_success_at", OptInt),
        ("last_error", OptText),
        ("last_error_kind", OptText),
        ("consecutive_failures", Int),
        ("next_fetch_at", OptInt),
        ("created_at", Int),
        ("removed_at", OptInt),
    ],
};

const STORIES: Table = Table {
    name: "stories",
    order: "id",
    keyed_by_id: true,
    cols: &[
        ("id", Int),
        ("source_id", Int),
        ("url", Text),
        ("canonical_url", Text),
        ("headline", Text),
        ("dateline", OptText),
        ("byline", OptText),
        ("credits", OptText),
        ("published_at", OptInt),
        ("fetched_at", Int),
        ("sort_at", Int),
        ("lang", OptText),
        ("dir", Text),
        ("blocks", Json),
        ("body_text", Text),
        ("body_words", Int),
        ("body_chars", Int),
        ("excerpt", Text),
        ("lead_image", OptText),
        ("content_hash", Text),
        ("relevant", Bool),
        ("relevance_score", Float),
        ("relevance_reasons", Json),
        ("tags", Json),
        ("status", Text),
        ("duplicate_of", OptInt),
        ("event_id", OptInt),
        ("likes", Int),
        ("pinned", Bool),
        ("dedup_sig", OptBytes),
        ("dedup_seq", OptInt),
        ("updated_at", OptInt),
        ("excerpt_only", Bool),
        ("declared_url", OptText),
        ("image_id", OptInt),
        ("crosslang_id", OptInt),
    ],
};

const STORY_TAGS: Table = Table {
    name: "story_tags",
    order: "story_id, tag",
    keyed_by_id: false,
    cols: &[("story_id", Int), ("tag", Text)],
};

const VERSIONS: Table = Table {
    name: "story_versions",
    order: "id",
    keyed_by_id: true,
    cols: &[
        ("id", Int),
        ("story_id", Int),
        ("replaced_at", Int),
        ("headline", Text),
        ("dateline", OptText),
        ("byline", OptText),
        ("credits", OptText),
        ("published_at", OptInt),
        ("blocks", Json),
        ("body_text", Text),
        ("excerpt", Text),
        ("content_hash", Text),
    ],
};

const MODERATION: Table = Table {
    name: "moderation_log",
    order: "id",
    keyed_by_id: true,
    cols: &[
        ("id", Int),
        ("story_id", Int),
        ("at", Int),
        ("from_status", Text),
        ("to_status", Text),
        ("reason", OptText),
    ],
};

const LIKES: Table = Table {
    name: "likes",
    order: "story_id, reader_key",
    keyed_by_id: false,
    cols: &[("story_id", Int), ("reader_key", Text), ("at", Int)],
};

const FETCH_LOG: Table = Table {
    name: "fetch_log",
    order: "id",
    keyed_by_id: true,
    cols: &[
        ("id", Int),
        ("source_id", Int),
        ("at", Int),
        ("status", Text),
        ("http_status", OptInt),
        ("error", OptText),
        ("items_seen", Int),
        ("stories_added", Int),
        ("duration_ms", Int),
        ("note", OptText),
        ("error_kind", OptText),
    ],
};

const IMAGES: Table = Table {
    name: "images",
    order: "id",
    keyed_by_id: true,
    cols: &[
        ("id", Int),
        ("source_url", Text),
        ("status", Text),
        ("reason", OptText),
        ("detail", OptText),
        ("width", OptInt),
        ("height", OptInt),
        ("widths", Text),
        ("alt", OptText),
        ("caption", OptText),
        ("credit", OptText),
        ("source_bytes", OptInt),
        ("created_at", Int),
    ],
};

const IMAGE_VARIANTS: Table = Table {
    name: "image_variants",
    order: "image_id, width, format",
    keyed_by_id: false,
    cols: &[
        ("image_id", Int),
        ("width", Int),
        ("height", Int),
        ("format", Text),
        ("etag", Text),
        ("bytes", OptBytes),
    ],
};

/// Copy order respects foreign keys (sources and images before stories
/// before their children).
const TABLES: [&Table; 9] = [
    &SOURCES,
    &IMAGES,
    &IMAGE_VARIANTS,
    &STORIES,
    &STORY_TAGS,
    &VERSIONS,
    &MODERATION,
    &LIKES,
    &FETCH_LOG,
];

fn read_val(r: &impl RowExt, name: &str, col: Col) -> Result<Val> {
    Ok(match col {
        Int => Val::Int(Some(r.int(name)?)),
        OptInt => Val::Int(r.opt_int(name)?),
        Text => Val::Text(Some(r.text(name)?)),
        OptText => Val::Text(r.opt_text(name)?),
        Bool => Val::Bool(r.boolean(name)?),
        Float => Val::Float(r.float(name)?),
        Json => Val::Json(r.json(name)?),
        OptBytes => Val::Bytes(r.opt_bytes(name)?),
    })
}

fn bind_vals<'q, DB>(
    mut q: Query<'q, DB, <DB as Database>::Arguments>,
    vals: &[Val],
) -> Query<'q, DB, <DB as Database>::Arguments>
where
    DB: Database,
    for<'t> Option<i64>: Encode<'t, DB> + Type<DB>,
    for<'t> Option<String>: Encode<'t, DB> + Type<DB>,
    for<'t> bool: Encode<'t, DB> + Type<DB>,
    for<'t> f64: Encode<'t, DB> + Type<DB>,
    for<'t> SqlJson<serde_json::Value>: Encode<'t, DB> + Type<DB>,
    for<'t> Option<Vec<u8>>: Encode<'t, DB> + Type<DB>,
{
    for v in vals {
        q = match v {
            Val::Int(x) => q.bind(*x),
            Val::Text(x) => q.bind(x.clone()),
            Val::Bool(x) => q.bind(*x),
            Val::Float(x) => q.bind(*x),
            Val::Json(x) => q.bind(SqlJson(x.clone())),
            Val::Bytes(x) => q.bind(x.clone()),
        };
    }
    q
}

fn col_index(t: &Table, name: &str) -> usize {
    t.cols.iter().position(|(n, _)| *n == name).unwrap_or(0)
}

impl Store {
    async fn count_rows(&self, table: &str) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        Ok(
            on_pool!(self, p => sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(p).await?.int_at0()?),
        )
    }

    /// One batch of rows after `after_id` (keyed tables) or at `offset`.
    async fn read_batch(&self, t: &Table, after_id: i64, offset: i64) -> Result<Vec<Vec<Val>>> {
        let cols: Vec<&str> = t.cols.iter().map(|(n, _)| *n).collect();
        let sql = if t.keyed_by_id {
            format!(
                "SELECT {} FROM {} WHERE id > $1 ORDER BY id LIMIT $2",
                cols.join(", "),
                t.name
            )
        } else {
            format!(
                "SELECT {} FROM {} ORDER BY {} LIMIT $2 OFFSET $1",
                cols.join(", "),
                t.name,
                t.order
            )
        };
        let key = if t.keyed_by_id { after_id } else { offset };
        on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(key).bind(BATCH).fetch_all(p).await?;
            rows.iter()
                .map(|r| t.cols.iter().map(|(n, c)| read_val(r, n, *c)).collect::<Result<Vec<_>>>())
                .collect()
        })
    }

    /// Inserts rows as they are; for stories also (re)indexes them for search.
    async fn write_batch(&self, t: &Table, rows: &[Vec<Val>]) -> Result<()> {
        let cols: Vec<&str> = t.cols.iter().map(|(n, _)| *n).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            t.name,
            cols.join(", "),
            marks.join(", ")
        );
        let is_stories = t.name == STORIES.name;
        let (id_i, head_i, body_i, status_i) = (
            col_index(t, "id"),
            col_index(t, "headline"),
            col_index(t, "body_text"),
            col_index(t, "status"),
        );
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            for row in rows {
                bind_vals(sqlx::query(sqlx::AssertSqlSafe(sql.clone())), row).execute(&mut *tx).await?;
                // Full-text entries for the stories the search shows, as
                // `insert_story` and `set_status` keep them.
                if is_stories
                    && matches!(row.get(status_i), Some(Val::Text(Some(s))) if s == "published")
                    && let (Some(Val::Int(Some(id))), Some(Val::Text(Some(h))), Some(Val::Text(Some(b)))) =
                        (row.get(id_i), row.get(head_i), row.get(body_i))
                {
                    tx.index_story(*id, h, b).await?;
                }
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Copies sources, stories (with tags, versions, moderation log), likes and
    /// the fetch log into an empty `other`, keeping ids, rebuilding its search
    /// index, then verifies the row counts on both sides.
    /// `progress(table, done, total)` is called after every batch.
    pub async fn migrate_to(
        &self,
        other: &Store,
        progress: impl Fn(&str, u64, u64),
    ) -> Result<MigrateReport> {
        let existing = other.count_rows("sources").await? + other.count_rows("stories").await?;
        if existing > 0 {
            return Err(StoreError::TargetNotEmpty(format!(
                "{} has {existing} sources/stories",
                other.url
            )));
        }
        let mut report = MigrateReport::default();
        // Copies may point at later primaries: insert stories unlinked, link afterwards.
        let mut links: Vec<(i64, i64)> = Vec::new();
        let dup_i = col_index(&STORIES, "duplicate_of");
        let id_i = col_index(&STORIES, "id");
        for t in TABLES {
            let total = self.count_rows(t.name).await?.max(0) as u64;
            let (mut done, mut after_id) = (0u64, i64::MIN);
            progress(t.name, 0, total);
            loop {
                let mut rows = self.read_batch(t, after_id, done as i64).await?;
                if rows.is_empty() {
                    break;
                }
                if t.keyed_by_id
                    && let Some(Val::Int(Some(last))) = rows.last().and_then(|r| r.first())
                {
                    after_id = *last;
                }
                if t.name == STORIES.name {
                    for row in &mut rows {
                        if let (Some(Val::Int(Some(id))), Some(Val::Int(Some(primary)))) =
                            (row.get(id_i).cloned(), row.get(dup_i).cloned())
                        {
                            links.push((id, primary));
                            row[dup_i] = Val::Int(None);
                        }
                    }
                }
                other.write_batch(t, &rows).await?;
                done += rows.len() as u64;
                progress(t.name, done, total);
            }
            if t.name == STORIES.name {
                for (id, primary) in &links {
                    other.set_duplicate_of(*id, Some(*primary)).await?;
                }
            }
            let copied = other.count_rows(t.name).await?.max(0) as u64;
            let source_now = self.count_rows(t.name).await?.max(0) as u64;
            if copied != done || copied < total.min(source_now) {
                return Err(StoreError::Verify(format!(
                    "{}: read {done} (source has {source_now}), target has {copied}",
                    t.name
                )));
            }
            match t.name {
                "sources" => report.sources = copied,
                "stories" => report.stories = copied,
                "story_tags" => report.tags = copied,
                "story_versions" => report.versions = copied,
                "moderation_log" => report.moderation_log = copied,
                "likes" => report.likes = copied,
                _ => report.fetch_log = copied,
            }
        }
        if let Pool::Postgres(p) = &other.pool {
            // Explicit ids bypassed the sequences; move them past the copied rows.
            for t in TABLES.iter().filter(|t| t.keyed_by_id) {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE((SELECT MAX(id) FROM {0}), 0) + 1, false)",
                    t.name
                );
                sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await?;
            }
        }
        other.optimize().await?;
        Ok(report)
    }
}

//! Sources: the operator's list of feeds/sitemaps plus their polling state
//! and fetch log.

use khabar_model::{FeedEntry, Source, SourceStatus, StoryStatus};

use crate::jobs::{ENQUEUE_SQL, entry_json};
use crate::row::RowExt;
use crate::source_row::{SOURCE_COLS, failure_kind, source_from_row};
use crate::sql::on_pool;
use crate::time::{from_unix, now, opt_from_unix, opt_unix, to_unix};
use crate::{FetchLogEntry, FetchRecord, Result, SourceHealth, SourceSpec, Store, StoreError};

/// How many fetch-log rows are kept per source.
const FETCH_LOG_KEEP: i64 = 50;
/// Extraction health is judged over this many newest stories.
const HEALTH_WINDOW: i64 = 50;
/// A body shorter than this is probably a failed extraction (teaser, paywall, cookie wall).
const PLAUSIBLE_BODY_WORDS: i64 = 80;

fn log_from_row(r: &impl RowExt) -> Result<FetchLogEntry> {
    Ok(FetchLogEntry {
        id: r.int("id")?,
        source_id: r.int("source_id")?,
        at: from_unix(r.int("at")?),
        status: SourceStatus::parse(&r.text("status")?)?,
        http_status: r
            .opt_int("http_status")?
            .and_then(|s| u16::try_from(s).ok()),
        error: r.opt_text("error")?,
        items_seen: r.int("items_seen")?,
        stories_added: r.int("stories_added")?,
        duration_ms: r.int("duration_ms")?,
        note: r.opt_text("note")?,
        error_kind: r
            .opt_text("error_kind")?
            .as_deref()
            .map(failure_kind)
            .transpose()?,
    })
}

/// The configured sources: their rows, polls and fetch log, and health.
/// A view of the [`Store`], from [`Store::sources`].
#[derive(Clone, Copy, Debug)]
pub struct Sources<'a> {
    store: &'a Store,
}

impl Store {
    /// The configured sources: their rows, polls and fetch log, and health.
    pub fn sources(&self) -> Sources<'_> {
        Sources { store: self }
    }
}

/// Whether the operator-editable fields of `source` are those of `spec`.
fn matches_spec(source: &Source, spec: &SourceSpec) -> bool {
    source.slug == spec.slug
        && source.name == spec.name
        && source.url == spec.url
        && source.kind == spec.kind
        && source.lang == spec.lang
        && source.full_text == spec.full_text
        && source.dedicated == spec.dedicated
        && source.proxy == spec.proxy
        && source.outlet == spec.outlet
        && source.outlet_note == spec.outlet_note
}

impl Sources<'_> {
    /// Inserts a source or updates its operator-editable fields by slug,
    /// keeping its polling state (validators, backoff). Upserting a removed
    /// source brings it back.
    ///
    /// A source already stored as `spec` says is returned without a write:
    /// every `serve` and `worker` upserts its configuration's sources at
    /// start, and on PostgreSQL a write would wait for any other process
    /// holding the source's row (a poll in progress, or a process that
    /// hangs mid-transaction), keeping the restarted one from coming up.
    pub async fn upsert(self, spec: &SourceSpec) -> Result<Source> {
        if let Some((stored, None)) = self.by_slug_any(&spec.slug).await?
            && matches_spec(&stored, spec)
        {
            return Ok(stored);
        }
        let sql = "INSERT INTO sources (slug, name, url, kind, lang, full_text, dedicated, proxy, outlet, outlet_note, created_at) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
            ON CONFLICT (slug) DO UPDATE SET name = excluded.name, url = excluded.url, kind = excluded.kind, \
            lang = excluded.lang, full_text = excluded.full_text, dedicated = excluded.dedicated, \
            proxy = excluded.proxy, outlet = excluded.outlet, outlet_note = excluded.outlet_note, \
            removed_at = NULL";
        on_pool!(self.store, p => {
            sqlx::query(sql)
                .bind(&spec.slug)
                .bind(&spec.name)
                .bind(&spec.url)
                .bind(spec.kind.as_str())
                .bind(&spec.lang)
                .bind(spec.full_text)
                .bind(spec.dedicated)
                .bind(&spec.proxy)
                .bind(spec.outlet.as_str())
                .bind(&spec.outlet_note)
                .bind(now())
                .execute(p)
                .await?;
        });
        self.by_slug(&spec.slug)
            .await?
            .ok_or_else(|| StoreError::SourceNotFound(spec.slug.clone()))
    }

    /// Active (not removed) sources, ordered by name.
    pub async fn all(self) -> Result<Vec<Source>> {
        let sql =
            format!("SELECT {SOURCE_COLS} FROM sources WHERE removed_at IS NULL ORDER BY name, id");
        on_pool!(self.store, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?;
            rows.iter().map(source_from_row).collect()
        })
    }

    /// An active source by slug (`None` once removed).
    pub async fn by_slug(self, slug: &str) -> Result<Option<Source>> {
        let sql =
            format!("SELECT {SOURCE_COLS} FROM sources WHERE slug = $1 AND removed_at IS NULL");
        on_pool!(self.store, p => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(slug).fetch_optional(p).await?;
            row.as_ref().map(source_from_row).transpose()
        })
    }

    /// A source by slug whether or not it is still followed, with when it
    /// was removed. Removing a source keeps its stories published, so the
    /// links on those stories (its page, its feeds) must keep working.
    pub async fn by_slug_any(
        self,
        slug: &str,
    ) -> Result<Option<(Source, Option<chrono::DateTime<chrono::Utc>>)>> {
        let sql = format!("SELECT {SOURCE_COLS}, removed_at FROM sources WHERE slug = $1");
        on_pool!(self.store, p => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(slug).fetch_optional(p).await?;
            row.as_ref()
                .map(|r| Ok((source_from_row(r)?, opt_from_unix(r.opt_int("removed_at")?))))
                .transpose()
        })
    }

    /// Makes a source due now, whatever its backoff said: an operator who
    /// fixed a failing source (or knows its site is back) wants it polled
    /// on the next run, not hours later. False when there is no such
    /// active source.
    pub async fn poll_now(self, slug: &str) -> Result<bool> {
        let sql = "UPDATE sources SET next_fetch_at = $1 WHERE slug = $2 AND removed_at IS NULL";
        let n = on_pool!(self.store, p => {
            sqlx::query(sql).bind(now()).bind(slug).execute(p).await?.rows_affected()
        });
        Ok(n > 0)
    }

    /// A source by id, removed or not (stories keep naming their source).
    pub async fn by_id(self, id: i64) -> Result<Option<Source>> {
        let sql = format!("SELECT {SOURCE_COLS} FROM sources WHERE id = $1");
        on_pool!(self.store, p => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?;
            row.as_ref().map(source_from_row).transpose()
        })
    }

    /// Soft-deletes a source: it is no longer listed or polled, its stories
    /// stay published. Returns false when no active source has that slug.
    pub async fn remove(self, slug: &str) -> Result<bool> {
        let sql = "UPDATE sources SET removed_at = $1 WHERE slug = $2 AND removed_at IS NULL";
        let n = on_pool!(self.store, p => {
            sqlx::query(sql).bind(now()).bind(slug).execute(p).await?.rows_affected()
        });
        Ok(n > 0)
    }

    /// Records one poll on the source row and in its fetch log (last 50 kept).
    pub async fn record_fetch(self, source_id: i64, rec: &FetchRecord) -> Result<()> {
        self.record_poll(source_id, rec, &[]).await.map(drop)
    }

    /// Records one poll (as `record_fetch`) and queues the new articles it
    /// found as entry jobs that remember the poll, so that the poll's
    /// `stories_added` counts the stories workers later store from them.
    /// Returns how many jobs were new.
    ///
    /// One transaction, because the source's validators move with it: had the
    /// poll been recorded without its articles queued, the next poll's 304
    /// would hide them for good.
    pub async fn record_poll(
        self,
        source_id: i64,
        rec: &FetchRecord,
        queue: &[(String, FeedEntry)],
    ) -> Result<u64> {
        let at = to_unix(rec.at);
        let success = matches!(rec.status, SourceStatus::Ok | SourceStatus::NotModified);
        let update = "UPDATE sources SET status = $1, last_fetch_at = $2, \
            last_success_at = CASE WHEN $3 THEN $2 ELSE last_success_at END, last_error = $4, \
            etag = COALESCE($5, etag), last_modified = COALESCE($6, last_modified), \
            next_fetch_at = $7, consecutive_failures = $8, last_error_kind = $10 WHERE id = $9";
        let insert = "INSERT INTO fetch_log (source_id, at, status, http_status, error, items_seen, stories_added, \
            duration_ms, note, error_kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
        let prune = "DELETE FROM fetch_log WHERE source_id = $1 AND id NOT IN \
            (SELECT id FROM fetch_log WHERE source_id = $1 ORDER BY id DESC LIMIT $2)";
        let jobs = queue
            .iter()
            .map(|(canonical, entry)| Ok((canonical, entry_json(entry)?)))
            .collect::<Result<Vec<_>>>()?;
        let queued_at = now();
        let mut queued = 0;
        on_pool!(self.store, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query(update)
                .bind(rec.status.as_str())
                .bind(at)
                .bind(success)
                .bind(&rec.error)
                .bind(&rec.etag)
                .bind(&rec.last_modified)
                .bind(opt_unix(rec.next_fetch_at))
                .bind(rec.consecutive_failures)
                .bind(source_id)
                .bind(rec.error_kind.map(|k| k.as_str()))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::SourceNotFound(source_id.to_string()));
            }
            let fetch_id: i64 = sqlx::query_scalar(insert)
                .bind(source_id)
                .bind(at)
                .bind(rec.status.as_str())
                .bind(rec.http_status.map(i64::from))
                .bind(&rec.error)
                .bind(rec.items_seen)
                .bind(rec.stories_added)
                .bind(rec.duration_ms)
                .bind(&rec.note)
                .bind(rec.error_kind.map(|k| k.as_str()))
                .fetch_one(&mut *tx)
                .await?;
            for (canonical, json) in &jobs {
                queued += sqlx::query(ENQUEUE_SQL)
                    .bind(source_id)
                    .bind(*canonical)
                    .bind(json)
                    .bind(queued_at)
                    .bind(Some(fetch_id))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            sqlx::query(prune).bind(source_id).bind(FETCH_LOG_KEEP).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(queued)
    }

    /// The newest `limit` polls of a source, newest first.
    pub async fn fetch_log(self, source_id: i64, limit: i64) -> Result<Vec<FetchLogEntry>> {
        let sql = "SELECT id, source_id, at, status, http_status, error, items_seen, stories_added, duration_ms, \
            note, error_kind FROM fetch_log WHERE source_id = $1 ORDER BY id DESC LIMIT $2";
        on_pool!(self.store, p => {
            let rows = sqlx::query(sql).bind(source_id).bind(limit.max(0)).fetch_all(p).await?;
            rows.iter().map(log_from_row).collect()
        })
    }

    /// Volume, freshness and extraction health of one source.
    pub async fn health(self, source_id: i64) -> Result<SourceHealth> {
        let source = self
            .by_id(source_id)
            .await?
            .ok_or_else(|| StoreError::SourceNotFound(source_id.to_string()))?;
        let totals = "SELECT COUNT(*) FILTER (WHERE status = $2) AS published, \
            COUNT(*) FILTER (WHERE status = $3) AS rejected, COUNT(*) AS total, \
            MAX(fetched_at) AS last_story_at FROM stories WHERE source_id = $1";
        let recent = "SELECT COUNT(*) AS recent, \
            COUNT(*) FILTER (WHERE body_words >= $3) AS plausible, \
            COUNT(*) FILTER (WHERE published_at IS NOT NULL) AS dated, \
            COUNT(*) FILTER (WHERE byline IS NOT NULL AND byline <> '') AS bylined \
            FROM (SELECT body_words, published_at, byline FROM stories WHERE source_id = $1 \
                  ORDER BY id DESC LIMIT $2) AS r";
        let (published, rejected, total, last, n, plausible, dated, bylined) = on_pool!(self.store, p => {
            let t = sqlx::query(totals)
                .bind(source_id)
                .bind(StoryStatus::Published.as_str())
                .bind(StoryStatus::Rejected.as_str())
                .fetch_one(p)
                .await?;
            let r = sqlx::query(recent)
                .bind(source_id)
                .bind(HEALTH_WINDOW)
                .bind(PLAUSIBLE_BODY_WORDS)
                .fetch_one(p)
                .await?;
            (
                t.int("published")?,
                t.int("rejected")?,
                t.int("total")?,
                t.opt_int("last_story_at")?,
                r.int("recent")?,
                r.int("plausible")?,
                r.int("dated")?,
                r.int("bylined")?,
            )
        });
        let share = |k: i64| if n == 0 { 0.0 } else { k as f32 / n as f32 };
        Ok(SourceHealth {
            source,
            published,
            rejected,
            total,
            last_story_at: opt_from_unix(last),
            recent: n,
            share_plausible_body: share(plausible),
            share_dated: share(dated),
            share_bylined: share(bylined),
        })
    }
}

//! Work shared by many workers: leased source polls, entry jobs, per-host
//! fetch slots and the grouping lock.
//!
//! Every claim is one statement that picks ready rows and stamps them with
//! the worker's name and a lease deadline (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, so concurrent claimers never wait on or take each other's
//! rows; SQLite serialises writers, which gives the same guarantee). A
//! worker renews its leases while it works; if it dies, the leases run out
//! and the rows become claimable again. Completion is fenced by the lease
//! owner, so a worker that lost its lease cannot mark another's work done.

use std::time::Duration;

use khabar_model::{FeedEntry, Source};

use crate::row::RowExt;
use crate::source_row::{SOURCE_COLS, source_from_row};
use crate::sql::{Binds, bind_all, on_pool};
use crate::time::now;
use crate::{Pool, Result, Store, StoreError};

/// Queues one article: `$1` source, `$2` canonical URL, `$3` entry JSON,
/// `$4` now, `$5` the queuing poll's fetch-log id (or NULL).
pub(crate) const ENQUEUE_SQL: &str = "INSERT INTO entry_jobs \
    (source_id, canonical_url, entry, not_before, created_at, fetch_id) \
    VALUES ($1, $2, $3, $4, $4, $5) ON CONFLICT (canonical_url) DO NOTHING";

pub(crate) fn entry_json(entry: &FeedEntry) -> Result<String> {
    serde_json::to_string(entry).map_err(|source| StoreError::Json {
        column: "entry_jobs.entry",
        source,
    })
}

/// One article waiting to be fetched, extracted and stored.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryJob {
    pub id: i64,
    pub source_id: i64,
    pub canonical_url: String,
    pub entry: FeedEntry,
    /// Claims so far, this one included.
    pub attempts: i64,
}

/// What the job tables hold right now, for operators and for workers that
/// run until the work is drained.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct JobCounts {
    /// Active sources whose poll time has come and that nobody holds.
    pub sources_due: i64,
    /// Sources being polled under a live lease.
    pub sources_leased: i64,
    /// Entry jobs waiting (including ones waiting out a retry delay).
    pub queued: i64,
    /// Queued entry jobs that may be claimed now (past any retry delay, no live lease).
    pub ready: i64,
    /// Entry jobs being worked on under a live lease.
    pub leased: i64,
    pub done: i64,
    /// Entry jobs given up after `max_attempts`, with their last error kept.
    pub failed: i64,
}

impl JobCounts {
    /// Whether anything can be done now or is in progress. Jobs waiting out
    /// a retry delay do not count: a drain does not wait for them.
    pub fn busy(&self) -> bool {
        self.sources_due + self.sources_leased + self.ready + self.leased > 0
    }
}

fn lease_deadline(lease: Duration) -> i64 {
    now() + i64::try_from(lease.as_secs().max(1)).unwrap_or(i64::MAX / 2)
}

fn job_from_row(r: &impl RowExt) -> Result<EntryJob> {
    let raw = r.text("entry")?;
    let entry = serde_json::from_str(&raw).map_err(|source| StoreError::Json {
        column: "entry_jobs.entry",
        source,
    })?;
    Ok(EntryJob {
        id: r.int("id")?,
        source_id: r.int("source_id")?,
        canonical_url: r.text("canonical_url")?,
        entry,
        attempts: r.int("attempts")?,
    })
}

/// The work shared by workers: leased source polls, article jobs and per-host fetch slots.
/// A view of the [`Store`], from [`Store::jobs`].
#[derive(Clone, Copy, Debug)]
pub struct Jobs<'a> {
    store: &'a Store,
}

impl Store {
    /// The work shared by workers: leased source polls, article jobs and per-host fetch slots.
    pub fn jobs(&self) -> Jobs<'_> {
        Jobs { store: self }
    }
}

impl Jobs<'_> {
    /// The row-lock clause of a claim: PostgreSQL skips rows another
    /// claimer holds; SQLite serialises writers, so it needs none.
    fn skip_locked(self) -> &'static str {
        match self.store.pool {
            Pool::Postgres(_) => " FOR UPDATE SKIP LOCKED",
            Pool::Sqlite(_) => "",
        }
    }

    /// Claims up to `limit` active sources whose poll is due and that no live
    /// lease holds, soonest first, leasing them to `owner`.
    pub async fn claim_due_sources(
        self,
        owner: &str,
        lease: Duration,
        limit: i64,
    ) -> Result<Vec<Source>> {
        let pick = "SELECT id FROM sources WHERE removed_at IS NULL \
            AND (next_fetch_at IS NULL OR next_fetch_at <= $3) \
            AND (lease_until IS NULL OR lease_until < $3) \
            ORDER BY next_fetch_at NULLS FIRST, id LIMIT $4";
        let lock = self.skip_locked();
        let sql = format!(
            "UPDATE sources SET lease_owner = $1, lease_until = $2 \
             WHERE id IN ({pick}{lock}) RETURNING {SOURCE_COLS}"
        );
        on_pool!(self.store, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(owner)
                .bind(lease_deadline(lease))
                .bind(now())
                .bind(limit)
                .fetch_all(p)
                .await?;
            rows.iter().map(source_from_row).collect()
        })
    }

    /// Gives a source's lease back after its poll was recorded. Returns false
    /// when the lease had already passed to another worker.
    pub async fn release_source(self, source_id: i64, owner: &str) -> Result<bool> {
        let sql = "UPDATE sources SET lease_owner = NULL, lease_until = NULL \
            WHERE id = $1 AND lease_owner = $2";
        let n = on_pool!(self.store, p => {
            sqlx::query(sql).bind(source_id).bind(owner).execute(p).await?.rows_affected()
        });
        Ok(n > 0)
    }

    /// Queues one job per new article; an article already queued, done or
    /// given up (same canonical URL) is left alone. Returns how many were new.
    /// A pipeline queues through `record_poll`, which also ties each job to
    /// its poll; this is the bare queue, for jobs no poll is to be credited with.
    pub async fn enqueue_entries(
        self,
        source_id: i64,
        entries: &[(String, FeedEntry)],
    ) -> Result<u64> {
        if entries.is_empty() {
            return Ok(0);
        }
        let jobs = entries
            .iter()
            .map(|(canonical, entry)| Ok((canonical, entry_json(entry)?)))
            .collect::<Result<Vec<_>>>()?;
        let at = now();
        let mut added = 0;
        on_pool!(self.store, p => {
            let mut tx = p.begin().await?;
            for (canonical, json) in &jobs {
                added += sqlx::query(ENQUEUE_SQL)
                    .bind(source_id)
                    .bind(*canonical)
                    .bind(json)
                    .bind(at)
                    .bind(None::<i64>)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
        });
        Ok(added)
    }

    /// Claims up to `limit` ready entry jobs (queued, past their retry time,
    /// not under a live lease), oldest first, and counts the attempt.
    pub async fn claim_entry_jobs(
        self,
        owner: &str,
        lease: Duration,
        limit: i64,
    ) -> Result<Vec<EntryJob>> {
        let pick = "SELECT id FROM entry_jobs WHERE state = 'queued' AND not_before <= $3 \
            AND (lease_until IS NULL OR lease_until < $3) ORDER BY not_before, id LIMIT $4";
        let lock = self.skip_locked();
        let sql = format!(
            "UPDATE entry_jobs SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
             WHERE id IN ({pick}{lock}) \
             RETURNING id, source_id, canonical_url, entry, attempts"
        );
        let mut jobs = on_pool!(self.store, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(owner)
                .bind(lease_deadline(lease))
                .bind(now())
                .bind(limit)
                .fetch_all(p)
                .await?;
            rows.iter().map(job_from_row).collect::<Result<Vec<_>>>()?
        });
        // RETURNING gives no order guarantee; work oldest first.
        jobs.sort_by_key(|j| j.id);
        Ok(jobs)
    }

    /// Marks a job done. False means the lease had run out and another
    /// worker holds the job now: its outcome, not this one, is recorded.
    pub async fn complete_entry_job(self, job_id: i64, owner: &str) -> Result<bool> {
        let sql = "UPDATE entry_jobs SET state = 'done', finished_at = $3, finished_by = $2, \
            lease_owner = NULL, lease_until = NULL, last_error = NULL \
            WHERE id = $1 AND lease_owner = $2 AND state = 'queued'";
        let n = on_pool!(self.store, p => {
            sqlx::query(sql).bind(job_id).bind(owner).bind(now()).execute(p).await?.rows_affected()
        });
        Ok(n > 0)
    }

    /// Records a failed attempt: the job waits `retry_in` and is tried again,
    /// or is given up (state `failed`, error kept) once it has had
    /// `max_attempts`. Fenced by the lease owner like completion.
    pub async fn fail_entry_job(
        self,
        job_id: i64,
        owner: &str,
        error: &str,
        retry_in: Duration,
        max_attempts: i64,
    ) -> Result<bool> {
        let sql = "UPDATE entry_jobs SET \
            state = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'queued' END, \
            finished_at = CASE WHEN attempts >= $4 THEN $5 ELSE NULL END, \
            not_before = $6, last_error = $3, lease_owner = NULL, lease_until = NULL \
            WHERE id = $1 AND lease_owner = $2 AND state = 'queued'";
        let at = now();
        let n = on_pool!(self.store, p => {
            sqlx::query(sql)
                .bind(job_id)
                .bind(owner)
                .bind(error)
                .bind(max_attempts)
                .bind(at)
                .bind(at + i64::try_from(retry_in.as_secs()).unwrap_or(i64::MAX / 2))
                .execute(p)
                .await?
                .rows_affected()
        });
        Ok(n > 0)
    }

    /// Extends `owner`'s leases on the given entry jobs and sources to
    /// `lease` from now; returns how many rows it renewed. Only work still in
    /// hand is named: a job whose outcome could not be recorded (the
    /// database was unreachable) is left out, so its lease runs out and
    /// another worker takes it, instead of being held forever.
    pub async fn renew_leases(
        self,
        owner: &str,
        lease: Duration,
        jobs: &[i64],
        sources: &[i64],
    ) -> Result<u64> {
        let until = lease_deadline(lease);
        let mut renewed = 0;
        for (table, ids, extra) in [
            ("entry_jobs", jobs, " AND state = 'queued'"),
            ("sources", sources, ""),
        ] {
            if ids.is_empty() {
                continue;
            }
            let mut binds = Binds::default();
            let owner_p = binds.text(owner);
            let until_p = binds.int(until);
            let list = binds.int_list(ids);
            let sql = format!(
                "UPDATE {table} SET lease_until = {until_p} WHERE lease_owner = {owner_p}{extra} \
                 AND id IN ({list})"
            );
            renewed += on_pool!(self.store, p => {
                bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &binds.args)
                    .execute(p)
                    .await?
                    .rows_affected()
            });
        }
        Ok(renewed)
    }

    /// Counts of due and leased sources and of entry jobs by state.
    pub async fn counts(self) -> Result<JobCounts> {
        let at = now();
        let sources = "SELECT \
            COALESCE(SUM(CASE WHEN (next_fetch_at IS NULL OR next_fetch_at <= $1) \
                AND (lease_until IS NULL OR lease_until < $1) THEN 1 ELSE 0 END), 0) AS due, \
            COALESCE(SUM(CASE WHEN lease_until >= $1 THEN 1 ELSE 0 END), 0) AS leased \
            FROM sources WHERE removed_at IS NULL";
        let jobs = "SELECT \
            COALESCE(SUM(CASE WHEN state = 'queued' THEN 1 ELSE 0 END), 0) AS queued, \
            COALESCE(SUM(CASE WHEN state = 'queued' AND not_before <= $1 \
                AND (lease_until IS NULL OR lease_until < $1) THEN 1 ELSE 0 END), 0) AS ready, \
            COALESCE(SUM(CASE WHEN state = 'queued' AND lease_until >= $1 THEN 1 ELSE 0 END), 0) AS leased, \
            COALESCE(SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END), 0) AS done, \
            COALESCE(SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0) AS failed \
            FROM entry_jobs";
        on_pool!(self.store, p => {
            let s = sqlx::query(sources).bind(at).fetch_one(p).await?;
            let j = sqlx::query(jobs).bind(at).fetch_one(p).await?;
            Ok(JobCounts {
                sources_due: s.int("due")?,
                sources_leased: s.int("leased")?,
                queued: j.int("queued")?,
                ready: j.int("ready")?,
                leased: j.int("leased")?,
                done: j.int("done")?,
                failed: j.int("failed")?,
            })
        })
    }

    /// Entry jobs given up on, newest first: (canonical URL, attempts, last error).
    pub async fn failed(self, limit: i64) -> Result<Vec<(String, i64, Option<String>)>> {
        let sql = "SELECT canonical_url, attempts, last_error FROM entry_jobs \
            WHERE state = 'failed' ORDER BY finished_at DESC, id DESC LIMIT $1";
        on_pool!(self.store, p => {
            let rows = sqlx::query(sql).bind(limit).fetch_all(p).await?;
            rows.iter()
                .map(|r| Ok((r.text("canonical_url")?, r.int("attempts")?, r.opt_text("last_error")?)))
                .collect()
        })
    }

    /// Deletes done and given-up jobs finished more than `age` ago. Their
    /// stories stay; a URL whose job is purged is known by its story.
    pub async fn purge_finished(self, age: Duration) -> Result<u64> {
        let before = now() - i64::try_from(age.as_secs()).unwrap_or(i64::MAX / 2);
        let sql = "DELETE FROM entry_jobs WHERE state <> 'queued' AND finished_at < $1";
        Ok(
            on_pool!(self.store, p => sqlx::query(sql).bind(before).execute(p).await?.rows_affected()),
        )
    }

    /// Takes the next fetch slot for `host`, `gap` after the last one taken
    /// by any worker, and returns when it starts (unix milliseconds). The
    /// caller waits until then: one shared clock per host for the fleet.
    pub async fn claim_host_slot(self, host: &str, gap: Duration) -> Result<i64> {
        let gap_ms = i64::try_from(gap.as_millis()).unwrap_or(i64::MAX / 4);
        let now_ms = chrono::Utc::now().timestamp_millis();
        let greatest = match self.store.pool {
            Pool::Postgres(_) => "GREATEST",
            Pool::Sqlite(_) => "MAX",
        };
        let sql = format!(
            "INSERT INTO host_slots (host, next_at_ms) VALUES ($1, $2 + $3) \
             ON CONFLICT (host) DO UPDATE SET next_at_ms = {greatest}(host_slots.next_at_ms, $2) + $3 \
             RETURNING next_at_ms"
        );
        let next = on_pool!(self.store, p => {
            let r = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(host)
                .bind(now_ms)
                .bind(gap_ms)
                .fetch_one(p)
                .await?;
            r.int("next_at_ms")?
        });
        Ok(next - gap_ms)
    }
}

//! The push-out queue: webhook deliveries of published stories and WebSub
//! hub pings, sent by a background task (see the root crate's `push`).
//!
//! Rows are claimed like entry jobs — one statement stamps the ready rows
//! with the sender's name and a lease (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL) — so several processes sharing a store never send one
//! delivery twice at the same time, and a sender that dies leaves rows that
//! become claimable again when the lease runs out. Finishing is fenced by
//! the lease owner.

use std::time::Duration;

use serde::Serialize;

use crate::row::RowExt;
use crate::sql::on_pool;
use crate::time::now;
use crate::{Pool, Result, Store};

/// What a delivery carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryKind {
    /// A published story, as JSON, to an operator's webhook.
    Webhook,
    /// A WebSub publish ping naming a site feed that changed.
    Websub,
}

impl DeliveryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryKind::Webhook => "webhook",
            DeliveryKind::Websub => "websub",
        }
    }

    fn parse(s: &str) -> DeliveryKind {
        if s == "websub" {
            DeliveryKind::Websub
        } else {
            DeliveryKind::Webhook
        }
    }
}

/// A claimed delivery, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: i64,
    pub kind: DeliveryKind,
    /// The webhook's name, or the hub's URL.
    pub target: String,
    pub story_id: Option<i64>,
    /// WebSub: the feed URL to name in the ping.
    pub topic: Option<String>,
    /// Webhook: the body to send.
    pub payload: String,
    /// Claims so far, this one included.
    pub attempts: i64,
}

/// How one attempt at a delivery ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Delivered {
        http_status: Option<u16>,
    },
    /// Tried again after `retry_in`, or given up (status `failed`) when
    /// `retry_in` is `None`.
    Failed {
        error: String,
        http_status: Option<u16>,
        retry_in: Option<Duration>,
    },
}

/// Deliveries of one target, for operators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryStats {
    pub kind: DeliveryKind,
    pub target: String,
    pub pending: i64,
    pub delivered: i64,
    pub failed: i64,
    /// The latest error of this target's deliveries, if any, and when.
    pub last_error: Option<String>,
    pub last_error_at: Option<i64>,
    pub last_http_status: Option<i64>,
    /// When the last attempt of any of its deliveries was made (unix seconds).
    pub last_attempt_at: Option<i64>,
}

/// One delivery as operators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryRecord {
    pub id: i64,
    pub kind: DeliveryKind,
    pub target: String,
    pub story_id: Option<i64>,
    pub topic: Option<String>,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub http_status: Option<i64>,
    pub created_at: i64,
    pub last_attempt_at: Option<i64>,
    pub finished_at: Option<i64>,
}

/// Counts of one source's story deliveries (webhooks), for `source show`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryCounts {
    pub pending: i64,
    pub delivered: i64,
    pub failed: i64,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 4)
}

fn delivery_from_row(r: &impl RowExt) -> Result<Delivery> {
    Ok(Delivery {
        id: r.int("id")?,
        kind: DeliveryKind::parse(&r.text("kind")?),
        target: r.text("target")?,
        story_id: r.opt_int("story_id")?,
        topic: r.opt_text("topic")?,
        payload: r.text("payload")?,
        attempts: r.int("attempts")?,
    })
}

/// Push-out deliveries (webhooks, WebSub hub pings): queued, claimed, finished.
/// A view of the [`Store`], from [`Store::deliveries`].
#[derive(Clone, Copy, Debug)]
pub struct Deliveries<'a> {
    store: &'a Store,
}

impl Store {
    /// Push-out deliveries (webhooks, WebSub hub pings): queued, claimed, finished.
    pub fn deliveries(&self) -> Deliveries<'_> {
        Deliveries { store: self }
    }
}

impl Deliveries<'_> {
    /// Queues one webhook delivery of `story_id` per named webhook, each
    /// with `payload` as its body. A story already queued for a webhook is
    /// left alone. Returns how many rows were added.
    pub async fn enqueue_webhooks(
        self,
        story_id: i64,
        webhooks: &[&str],
        payload: &str,
    ) -> Result<u64> {
        if webhooks.is_empty() {
            return Ok(0);
        }
        let sql = "INSERT INTO push_deliveries \
            (kind, target, story_id, payload, next_attempt_ms, created_at) \
            VALUES ('webhook', $1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
        let (at_ms, at) = (now_ms(), now());
        let mut added = 0;
        on_pool!(self.store, p => {
            let mut tx = p.begin().await?;
            for name in webhooks {
                added += sqlx::query(sql)
                    .bind(*name)
                    .bind(story_id)
                    .bind(payload)
                    .bind(at_ms)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
        });
        Ok(added)
    }

    /// Queues a WebSub ping to `hub` for each feed URL, unless one for the
    /// same feed is already waiting and not yet taken (one ping covers any
    /// number of stories published before it is sent). Returns how many
    /// were added.
    pub async fn enqueue_hub_pings(self, hub: &str, feeds: &[String]) -> Result<u64> {
        let sql = "INSERT INTO push_deliveries \
            (kind, target, topic, next_attempt_ms, created_at) \
            SELECT 'websub', $1, $2, $3, $4 WHERE NOT EXISTS (\
                SELECT 1 FROM push_deliveries WHERE kind = 'websub' AND target = $1 \
                AND topic = $2 AND status = 'pending' AND attempts = 0)";
        let (at_ms, at) = (now_ms(), now());
        let mut added = 0;
        on_pool!(self.store, p => {
            let mut tx = p.begin().await?;
            for feed in feeds {
                added += sqlx::query(sql)
                    .bind(hub)
                    .bind(feed)
                    .bind(at_ms)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
        });
        Ok(added)
    }

    /// Claims up to `limit` pending deliveries whose time has come and that
    /// no live lease holds, oldest first, and counts the attempt.
    pub async fn claim(self, owner: &str, lease: Duration, limit: i64) -> Result<Vec<Delivery>> {
        let lock = match self.store.pool {
            Pool::Postgres(_) => " FOR UPDATE SKIP LOCKED",
            Pool::Sqlite(_) => "",
        };
        let pick = "SELECT id FROM push_deliveries WHERE status = 'pending' \
            AND next_attempt_ms <= $4 AND (lease_until IS NULL OR lease_until < $3) \
            ORDER BY next_attempt_ms, id LIMIT $5";
        let sql = format!(
            "UPDATE push_deliveries SET lease_owner = $1, lease_until = $2, \
             attempts = attempts + 1, last_attempt_at = $3 WHERE id IN ({pick}{lock}) \
             RETURNING id, kind, target, story_id, topic, payload, attempts"
        );
        let at = now();
        let until = at + i64::try_from(lease.as_secs().max(1)).unwrap_or(i64::MAX / 2);
        let mut rows = on_pool!(self.store, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(owner)
                .bind(until)
                .bind(at)
                .bind(now_ms())
                .bind(limit)
                .fetch_all(p)
                .await?;
            rows.iter().map(delivery_from_row).collect::<Result<Vec<_>>>()?
        });
        rows.sort_by_key(|d| d.id);
        Ok(rows)
    }

    /// Records how an attempt ended. False when the lease had passed to
    /// another sender, whose outcome is recorded instead.
    pub async fn finish(self, id: i64, owner: &str, outcome: &DeliveryOutcome) -> Result<bool> {
        let at = now();
        let n = match outcome {
            DeliveryOutcome::Delivered { http_status } => {
                let sql = "UPDATE push_deliveries SET status = 'delivered', finished_at = $3, \
                    http_status = $4, lease_owner = NULL, lease_until = NULL \
                    WHERE id = $1 AND lease_owner = $2 AND status = 'pending'";
                on_pool!(self.store, p => {
                    sqlx::query(sql)
                        .bind(id)
                        .bind(owner)
                        .bind(at)
                        .bind(http_status.map(i64::from))
                        .execute(p)
                        .await?
                        .rows_affected()
                })
            }
            DeliveryOutcome::Failed {
                error,
                http_status,
                retry_in,
            } => {
                let sql = "UPDATE push_deliveries SET status = $3, finished_at = $4, \
                    next_attempt_ms = $5, last_error = $6, http_status = $7, \
                    lease_owner = NULL, lease_until = NULL \
                    WHERE id = $1 AND lease_owner = $2 AND status = 'pending'";
                let (status, finished, next) = match retry_in {
                    Some(d) => ("pending", None, now_ms().saturating_add(millis(*d))),
                    None => ("failed", Some(at), now_ms()),
                };
                on_pool!(self.store, p => {
                    sqlx::query(sql)
                        .bind(id)
                        .bind(owner)
                        .bind(status)
                        .bind(finished)
                        .bind(next)
                        .bind(error.as_str())
                        .bind(http_status.map(i64::from))
                        .execute(p)
                        .await?
                        .rows_affected()
                })
            }
        };
        Ok(n > 0)
    }

    /// Per target: deliveries pending, delivered and failed, and the latest
    /// error. Targets in order of kind, then name.
    pub async fn stats(self) -> Result<Vec<DeliveryStats>> {
        let counts = "SELECT kind, target, \
            COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS pending, \
            COALESCE(SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END), 0) AS delivered, \
            COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS failed, \
            MAX(last_attempt_at) AS last_attempt_at \
            FROM push_deliveries GROUP BY kind, target ORDER BY kind DESC, target";
        // The most recent attempt that left an error, per target.
        let errors = "SELECT d.kind, d.target, d.last_error, d.http_status, d.last_attempt_at \
            FROM push_deliveries d WHERE d.last_error IS NOT NULL AND d.id = (\
                SELECT e.id FROM push_deliveries e WHERE e.kind = d.kind AND e.target = d.target \
                AND e.last_error IS NOT NULL \
                ORDER BY e.last_attempt_at DESC, e.id DESC LIMIT 1)";
        on_pool!(self.store, p => {
            let rows = sqlx::query(counts).fetch_all(p).await?;
            let errs = sqlx::query(errors).fetch_all(p).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let kind = r.text("kind")?;
                let target = r.text("target")?;
                let err = errs.iter().find(|e| {
                    e.text("kind").ok().as_deref() == Some(kind.as_str())
                        && e.text("target").ok().as_deref() == Some(target.as_str())
                });
                let (last_error, last_error_at, last_http_status) = match err {
                    Some(e) => (
                        e.opt_text("last_error")?,
                        e.opt_int("last_attempt_at")?,
                        e.opt_int("http_status")?,
                    ),
                    None => (None, None, None),
                };
                out.push(DeliveryStats {
                    kind: DeliveryKind::parse(&kind),
                    target,
                    pending: r.int("pending")?,
                    delivered: r.int("delivered")?,
                    failed: r.int("failed")?,
                    last_error,
                    last_error_at,
                    last_http_status,
                    last_attempt_at: r.opt_int("last_attempt_at")?,
                });
            }
            Ok(out)
        })
    }

    /// The latest deliveries, newest first; only those of `status`
    /// (`pending`, `delivered`, `failed`) when given.
    pub async fn recent(self, status: Option<&str>, limit: i64) -> Result<Vec<DeliveryRecord>> {
        let sql = "SELECT id, kind, target, story_id, topic, status, attempts, last_error,             http_status, created_at, last_attempt_at, finished_at FROM push_deliveries             WHERE ($1 IS NULL OR status = $1) ORDER BY id DESC LIMIT $2";
        on_pool!(self.store, p => {
            let rows = sqlx::query(sql).bind(status).bind(limit).fetch_all(p).await?;
            rows.iter()
                .map(|r| {
                    Ok(DeliveryRecord {
                        id: r.int("id")?,
                        kind: DeliveryKind::parse(&r.text("kind")?),
                        target: r.text("target")?,
                        story_id: r.opt_int("story_id")?,
                        topic: r.opt_text("topic")?,
                        status: r.text("status")?,
                        attempts: r.int("attempts")?,
                        last_error: r.opt_text("last_error")?,
                        http_status: r.opt_int("http_status")?,
                        created_at: r.int("created_at")?,
                        last_attempt_at: r.opt_int("last_attempt_at")?,
                        finished_at: r.opt_int("finished_at")?,
                    })
                })
                .collect()
        })
    }

    /// Webhook deliveries of one source's stories, by status.
    pub async fn counts_for_source(self, source_id: i64) -> Result<DeliveryCounts> {
        let sql = "SELECT \
            COALESCE(SUM(CASE WHEN d.status = 'pending' THEN 1 ELSE 0 END), 0) AS pending, \
            COALESCE(SUM(CASE WHEN d.status = 'delivered' THEN 1 ELSE 0 END), 0) AS delivered, \
            COALESCE(SUM(CASE WHEN d.status = 'failed' THEN 1 ELSE 0 END), 0) AS failed \
            FROM push_deliveries d JOIN stories s ON s.id = d.story_id \
            WHERE d.kind = 'webhook' AND s.source_id = $1";
        on_pool!(self.store, p => {
            let r = sqlx::query(sql).bind(source_id).fetch_one(p).await?;
            Ok(DeliveryCounts {
                pending: r.int("pending")?,
                delivered: r.int("delivered")?,
                failed: r.int("failed")?,
            })
        })
    }

    /// Pending deliveries that may be sent now (no live lease, due).
    pub async fn ready(self) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM push_deliveries WHERE status = 'pending' \
            AND next_attempt_ms <= $1 AND (lease_until IS NULL OR lease_until < $2)";
        on_pool!(self.store, p => {
            sqlx::query(sql).bind(now_ms()).bind(now()).fetch_one(p).await?.int_at0()
        })
    }

    /// Deletes delivered and failed rows finished more than `age` ago.
    pub async fn purge_finished(self, age: Duration) -> Result<u64> {
        let before = now() - i64::try_from(age.as_secs()).unwrap_or(i64::MAX / 2);
        let sql = "DELETE FROM push_deliveries WHERE status <> 'pending' AND finished_at < $1";
        Ok(
            on_pool!(self.store, p => sqlx::query(sql).bind(before).execute(p).await?.rows_affected()),
        )
    }
}

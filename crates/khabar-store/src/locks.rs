//! The grouping lock: one process at a time adds stories to the dedup
//! index, so that two workers storing copies of one report at the same
//! moment cannot both make theirs the primary.
//!
//! PostgreSQL uses a session advisory lock on a dedicated connection: if the
//! holder dies, the server drops its session and the lock with it. SQLite
//! has no sessions to hang a lock on, so it uses a row with an expiry that
//! the holder deletes when done; a dead holder's row simply expires.

use std::time::Duration;

use sqlx::pool::PoolConnection;

use crate::time::now;
use crate::{Pool, Result, Store};

/// Lock names are namespaced by the schema on PostgreSQL, so stores in
/// different schemas of one database (tests, several sites) never contend.
const GROUPING: &str = "khabar.grouping";
/// How long a SQLite lock row outlives a holder that died without releasing it.
const SQLITE_LOCK_TTL_SECS: i64 = 30;
const RETRY: Duration = Duration::from_millis(5);

/// Held while grouping; give it back with [`GroupingLock::release`].
pub struct GroupingLock {
    inner: Held,
}

enum Held {
    Postgres(Option<PoolConnection<sqlx::Postgres>>),
    Sqlite { store: Store, holder: String },
}

impl Store {
    /// Waits for and takes the grouping lock. `holder` names the process
    /// (for SQLite's lock row; any unique string).
    pub async fn lock_grouping(&self, holder: &str) -> Result<GroupingLock> {
        match &self.pool {
            Pool::Postgres(p) => {
                let mut conn = p.acquire().await?;
                sqlx::query("SELECT pg_advisory_lock(hashtext(current_schema() || $1))")
                    .bind(GROUPING)
                    .execute(&mut *conn)
                    .await?;
                Ok(GroupingLock {
                    inner: Held::Postgres(Some(conn)),
                })
            }
            Pool::Sqlite(p) => {
                let sql = "INSERT INTO store_locks (name, holder, expires_at) VALUES ($1, $2, $3) \
                    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
                    WHERE store_locks.expires_at < $4";
                loop {
                    let at = now();
                    let taken = sqlx::query(sql)
                        .bind(GROUPING)
                        .bind(holder)
                        .bind(at + SQLITE_LOCK_TTL_SECS)
                        .bind(at)
                        .execute(p)
                        .await?
                        .rows_affected();
                    if taken > 0 {
                        return Ok(GroupingLock {
                            inner: Held::Sqlite {
                                store: self.clone(),
                                holder: holder.to_string(),
                            },
                        });
                    }
                    tokio::time::sleep(RETRY).await;
                }
            }
        }
    }
}

impl GroupingLock {
    pub async fn release(mut self) -> Result<()> {
        match &mut self.inner {
            Held::Postgres(conn) => {
                if let Some(mut c) = conn.take() {
                    sqlx::query("SELECT pg_advisory_unlock(hashtext(current_schema() || $1))")
                        .bind(GROUPING)
                        .execute(&mut *c)
                        .await?;
                }
            }
            Held::Sqlite { store, holder } => {
                if let Pool::Sqlite(p) = &store.pool {
                    sqlx::query("DELETE FROM store_locks WHERE name = $1 AND holder = $2")
                        .bind(GROUPING)
                        .bind(holder.as_str())
                        .execute(p)
                        .await?;
                }
            }
        }
        Ok(())
    }
}

impl Drop for GroupingLock {
    /// A lock dropped without `release` (an error or a cancelled task) must
    /// not go back to the pool still locked: the connection is closed
    /// instead, which ends the session and frees the lock. A SQLite row
    /// left behind expires.
    fn drop(&mut self) {
        if let Held::Postgres(conn) = &mut self.inner
            && let Some(c) = conn.take()
        {
            drop(c.detach());
        }
    }
}

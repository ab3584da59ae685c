//! Opening a store from a URL: picks the backend, applies the connection
//! settings each backend needs to behave, and runs its migrations.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::sqlite_faults::predates_last_fault;
use crate::{Pool, Result, Store, StoreError};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

pub(crate) async fn connect(url: &str) -> Result<Store> {
    let shown = redact(url);
    let scheme = url.split(':').next().unwrap_or("").to_ascii_lowercase();
    let mut sqlite_file = None;
    let pool = match scheme.as_str() {
        "sqlite" => {
            let (pool, file) = open_sqlite(url, &shown).await?;
            sqlite_file = file;
            Pool::Sqlite(pool)
        }
        "postgres" | "postgresql" => Pool::Postgres(open_postgres(url, &shown).await?),
        _ => {
            return Err(StoreError::BadUrl {
                url: shown,
                reason: "expected sqlite://path or postgres://…".into(),
            });
        }
    };
    let store = Store {
        pool,
        url: shown,
        sqlite_file,
    };
    let migrated = match &store.pool {
        Pool::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await,
        Pool::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await,
    };
    migrated.map_err(|source| StoreError::Migrate {
        url: store.url.clone(),
        source,
    })?;
    Ok(store)
}

/// The pool, and the database file unless the database is in memory.
async fn open_sqlite(url: &str, shown: &str) -> Result<(sqlx::SqlitePool, Option<PathBuf>)> {
    let bad = |e: sqlx::Error| StoreError::BadUrl {
        url: shown.to_string(),
        reason: e.to_string(),
    };
    let opts = SqliteConnectOptions::from_str(url)
        .map_err(bad)?
        .create_if_missing(true)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .synchronous(SqliteSynchronous::Normal);
    let path = opts.get_filename().to_path_buf();
    let in_memory = path.as_os_str().is_empty() || path.to_string_lossy().contains(":memory:");
    let opts = if in_memory {
        opts
    } else {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: path.display().to_string(),
                source,
            })?;
        }
        opts.journal_mode(SqliteJournalMode::Wal)
    };
    // An in-memory database lives in one connection, so the pool must not open a second.
    let max = if in_memory { 1 } else { 4 };
    let mut pool_opts = SqlitePoolOptions::new()
        .max_connections(max)
        .min_connections(if in_memory { 1 } else { 0 })
        .idle_timeout(if in_memory {
            None
        } else {
            Some(Duration::from_secs(600))
        })
        .max_lifetime(if in_memory {
            None
        } else {
            Some(Duration::from_secs(3600))
        });
    if !in_memory {
        // A connection open when a write failed under it (full disk,
        // read-only file) may hold a lock or an old snapshot: closed, not
        // used again (see `sqlite_faults`). Never for an in-memory
        // database, whose one connection is the database.
        pool_opts = pool_opts
            .before_acquire(|_, meta| Box::pin(async move { Ok(!predates_last_fault(meta.age)) }))
            .after_release(|_, meta| Box::pin(async move { Ok(!predates_last_fault(meta.age)) }));
    }
    let pool = pool_opts
        .connect_with(opts)
        .await
        .map_err(|source| StoreError::Connect {
            url: shown.to_string(),
            source,
        })?;
    Ok((pool, (!in_memory).then_some(path)))
}

async fn open_postgres(url: &str, shown: &str) -> Result<sqlx::PgPool> {
    let opts = PgConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl {
        url: shown.to_string(),
        reason: e.to_string(),
    })?;
    // One plain connection first: the pool retries a failing connect until
    // its acquire timeout and then reports only "pool timed out", which
    // hides the cause (refused, unknown host, bad password) the operator needs.
    use sqlx::Connection;
    let probe = sqlx::PgConnection::connect_with(&opts)
        .await
        .map_err(|source| StoreError::Connect {
            url: shown.to_string(),
            source,
        })?;
    let _ = probe.close().await;
    PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(opts)
        .await
        .map_err(|source| StoreError::Connect {
            url: shown.to_string(),
            source,
        })
}

/// The URL with its password replaced by `***`, safe for logs and errors.
pub(crate) fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            // set_password only fails for URLs that cannot have credentials, which this one has.
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_password_only() {
        assert_eq!(
            redact("postgres://khabar:s3cret@db:5432/news"),
            "postgres://khabar:***@db:5432/news"
        );
        assert_eq!(redact("sqlite://data/khabar.db"), "sqlite://data/khabar.db");
        assert_eq!(redact("postgres://db/news"), "postgres://db/news");
    }
}

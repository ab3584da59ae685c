//! One error type for every store operation, so callers (pipeline, web, CLI)
//! can tell "not found" and "bad input" apart from database trouble.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL could not be understood; the URL is shown with any password redacted.
    #[error("bad store URL {url}: {reason}")]
    BadUrl { url: String, reason: String },
    /// Connecting or migrating failed; names the (redacted) URL so operators know which store.
    #[error("cannot open store {url}: {source}")]
    Connect {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("migrating store {url} failed: {source}")]
    Migrate {
        url: String,
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    #[error("could not create the directory for {path}: {source}")]
    CreateDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Db(sqlx::Error),
    /// A stored status or kind that no version of khabar writes.
    #[error("stored value: {0}")]
    UnknownName(#[from] khabar_model::UnknownName),
    /// A stored JSON column (blocks, reasons, tags) could not be read back.
    #[error("stored JSON in {column} is invalid: {source}")]
    Json {
        column: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("story {0} not found")]
    StoryNotFound(i64),
    #[error("source {0} not found")]
    SourceNotFound(String),
    /// `migrate_to` refuses to merge into a store that already holds data.
    #[error("target store is not empty ({0}); migrate into a fresh store")]
    TargetNotEmpty(String),
    /// `migrate_to` copied rows but the counts on both sides differ.
    #[error("verification failed after copy: {0}")]
    Verify(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<sqlx::Error> for StoreError {
    /// Every database error passes here: one that leaves an SQLite
    /// connection unsure (a full disk, an I/O error, a read-only file) is
    /// noted, so the pool re-opens its connections (see
    /// `crate::sqlite_faults`).
    fn from(e: sqlx::Error) -> StoreError {
        crate::sqlite_faults::note(&e);
        StoreError::Db(e)
    }
}

impl StoreError {
    /// True when the database could not be reached at all (nothing
    /// listening, the network down, a server still starting or out of
    /// connection slots), as opposed to a wrong URL, a refused password or
    /// a failed migration. Long-running processes wait out the first kind,
    /// since the database may simply be starting beside them; the second
    /// kind needs an operator and stops start-up at once.
    pub fn is_unreachable(&self) -> bool {
        match self {
            StoreError::Connect { source, .. } | StoreError::Db(source) => {
                unreachable_cause(source)
            }
            StoreError::Migrate {
                source: sqlx::migrate::MigrateError::Execute(source),
                ..
            } => unreachable_cause(source),
            _ => false,
        }
    }
}

/// Connection-level failures, and the server's own "not now" answers:
/// 57P03 (the database system is starting up or shutting down), 53300 (too
/// many connections).
fn unreachable_cause(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => true,
        sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("57P03" | "53300")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_connection_is_unreachable_but_a_bad_url_is_not() {
        let refused = StoreError::Connect {
            url: "postgres://db/x".into(),
            source: sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)),
        };
        assert!(refused.is_unreachable());
        let bad = StoreError::BadUrl {
            url: "postgres://db/x".into(),
            reason: "no".into(),
        };
        assert!(!bad.is_unreachable());
        let protocol = StoreError::Connect {
            url: "postgres://db/x".into(),
            source: sqlx::Error::Protocol("password authentication failed".into()),
        };
        assert!(!protocol.is_unreachable());
    }
}

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
    Db(#[from] sqlx::Error),
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

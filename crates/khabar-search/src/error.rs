/// What can go wrong with the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index directory {path}: {source}")]
    Directory {
        path: String,
        source: tantivy::directory::error::OpenDirectoryError,
    },
    #[error("search index directory {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// Another process holds the index's writer lock.
    #[error("search index {path} is being written by another process")]
    Locked { path: String },
}

pub type Result<T> = std::result::Result<T, SearchError>;

use thiserror::Error;

/// Why a document could not be read as a feed. Messages are written for an
/// operator looking at a failing source, so they say what the bytes looked
/// like rather than which parser gave up.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FeedError {
    #[error("empty document")]
    Empty,
    #[error("not a feed: looks like HTML")]
    Html,
    #[error("not a feed: binary data ({0})")]
    Binary(&'static str),
    #[error("not a feed: {0}")]
    NotAFeed(String),
    #[error("XML error at line {line}: {message}")]
    Xml { line: u32, message: String },
    #[error("JSON error: {0}")]
    Json(String),
    #[error("feed parse error: {0}")]
    Parse(String),
    #[error("not an OPML document: {0}")]
    Opml(String),
}

impl FeedError {
    /// The kind of failure, for the fetch log and the operator's filters:
    /// a document that is no feed at all, or a feed that cannot be read.
    pub fn kind(&self) -> khabar_model::FailureKind {
        match self {
            FeedError::Empty
            | FeedError::Html
            | FeedError::Binary(_)
            | FeedError::NotAFeed(_)
            | FeedError::Opml(_) => khabar_model::FailureKind::NotAFeed,
            FeedError::Xml { .. } | FeedError::Json(_) | FeedError::Parse(_) => {
                khabar_model::FailureKind::Parse
            }
        }
    }
}

/// Why a URL cannot be canonicalised.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UrlError {
    #[error("invalid URL {url:?}: {cause}")]
    Invalid { url: String, cause: String },
    #[error("unsupported URL scheme {scheme:?} in {url:?} (only http and https)")]
    UnsupportedScheme { url: String, scheme: String },
    #[error("URL {url:?} has no host")]
    NoHost { url: String },
}

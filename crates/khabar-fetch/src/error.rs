use std::time::Duration;

use thiserror::Error;

/// Why a fetch failed. Every message starts with the URL, so a log line or
/// a source's `last_error` is self-explanatory.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FetchError {
    #[error("{url}: invalid URL: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("{url}: blocked: {reason}")]
    Blocked { url: String, reason: String },
    #[error("{url}: disallowed by robots.txt")]
    RobotsDisallowed { url: String },
    #[error("{url}: timed out")]
    Timeout { url: String },
    #[error("{url}: connection failed: {cause}")]
    Connect { url: String, cause: String },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: usize },
    #[error("{url}: redirect loop back to {target}")]
    RedirectLoop { url: String, target: String },
    #[error("{url}: HTTP {status}{}", reason_suffix(*.status))]
    Http {
        url: String,
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
    #[error("{url}: reading the body failed: {cause}")]
    Body { url: String, cause: String },
    #[error("{url}: proxy {proxy} failed: {cause}")]
    Proxy {
        url: String,
        proxy: String,
        cause: String,
    },
}

/// A connection failure's kind from the cause the HTTP client gave: the
/// resolver's and the TLS stack's messages name themselves.
fn connect_kind(cause: &str) -> khabar_model::FailureKind {
    let c = cause.to_ascii_lowercase();
    if c.contains("dns")
        || c.contains("lookup")
        || c.contains("resolve")
        || c.contains("name or service")
    {
        khabar_model::FailureKind::Dns
    } else if c.contains("tls") || c.contains("certificate") || c.contains("handshake") {
        khabar_model::FailureKind::Tls
    } else {
        khabar_model::FailureKind::Connect
    }
}

fn reason_suffix(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default()
}

impl FetchError {
    /// The server's Retry-After, when it sent one with an error status.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The HTTP status of an error answer, when the server gave one.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// True when fetching the same URL again will fail the same way, so an
    /// article should not be retried (sources are always retried with
    /// backoff, see [`next_poll_delay`](crate::next_poll_delay)). One rule
    /// for every failure: [`FailureKind::is_permanent_status`](khabar_model::FailureKind::is_permanent_status).
    pub fn is_permanent(&self) -> bool {
        self.kind().is_permanent_status(self.status())
    }

    /// The kind of failure, for the fetch log and the operator's filters.
    pub fn kind(&self) -> khabar_model::FailureKind {
        use khabar_model::FailureKind as K;
        match self {
            FetchError::InvalidUrl { .. } | FetchError::Blocked { .. } => K::Blocked,
            FetchError::RobotsDisallowed { .. } => K::Robots,
            FetchError::Timeout { .. } => K::Timeout,
            FetchError::Connect { cause, .. } => connect_kind(cause),
            FetchError::TooManyRedirects { .. } | FetchError::RedirectLoop { .. } => K::Redirects,
            FetchError::Http { status, .. } if *status >= 500 => K::Http5xx,
            FetchError::Http { .. } => K::Http4xx,
            FetchError::TooLarge { .. } => K::TooLarge,
            FetchError::Body { .. } => K::Connect,
            FetchError::Proxy { .. } => K::Proxy,
        }
    }

    /// The URL the error is about.
    pub fn url(&self) -> &str {
        match self {
            FetchError::InvalidUrl { url, .. }
            | FetchError::Blocked { url, .. }
            | FetchError::RobotsDisallowed { url }
            | FetchError::Timeout { url }
            | FetchError::Connect { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::RedirectLoop { url, .. }
            | FetchError::Http { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::Body { url, .. }
            | FetchError::Proxy { url, .. } => url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_message_names_url_status_and_reason() {
        let e = FetchError::Http {
            url: "https://x/feed".into(),
            status: 500,
            retry_after: None,
        };
        assert_eq!(
            e.to_string(),
            "https://x/feed: HTTP 500 Internal Server Error"
        );
        let odd = FetchError::Http {
            url: "https://x/feed".into(),
            status: 599,
            retry_after: None,
        };
        assert_eq!(odd.to_string(), "https://x/feed: HTTP 599");
    }

    #[test]
    fn permanence() {
        let http = |status| FetchError::Http {
            url: "u".into(),
            status,
            retry_after: None,
        };
        assert!(http(404).is_permanent());
        assert!(http(410).is_permanent());
        assert!(!http(429).is_permanent());
        assert!(!http(503).is_permanent());
        assert!(!FetchError::Timeout { url: "u".into() }.is_permanent());
        assert!(FetchError::RobotsDisallowed { url: "u".into() }.is_permanent());
    }

    #[test]
    fn kinds_name_the_failure() {
        use khabar_model::FailureKind as K;
        let http = |status| FetchError::Http {
            url: "u".into(),
            status,
            retry_after: None,
        };
        assert_eq!(http(404).kind(), K::Http4xx);
        assert_eq!(http(502).kind(), K::Http5xx);
        let connect = |cause: &str| FetchError::Connect {
            url: "u".into(),
            cause: cause.into(),
        };
        assert_eq!(
            connect("dns error: failed to lookup address information").kind(),
            K::Dns
        );
        assert_eq!(
            connect("invalid peer certificate: UnknownIssuer").kind(),
            K::Tls
        );
        assert_eq!(
            connect("tcp connect error: Connection refused").kind(),
            K::Connect
        );
        assert_eq!(
            FetchError::RobotsDisallowed { url: "u".into() }.kind(),
            K::Robots
        );
    }
}

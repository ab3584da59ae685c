//! What kind of failure a fetch, a poll or an article met, so an operator
//! can filter by it and the pipeline can tell a dead link from a hiccup.

use serde::{Deserialize, Serialize};

/// The kind of a recorded failure. Kept in the store by [`as_str`]
/// (`FailureKind::as_str`); the HTTP status, when there was one, is kept
/// beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The host name did not resolve.
    Dns,
    /// No connection (refused, reset, unreachable).
    Connect,
    /// The TLS handshake or certificate failed.
    Tls,
    Timeout,
    /// An HTTP 4xx answer (the status is kept beside the kind).
    Http4xx,
    /// An HTTP 5xx answer.
    Http5xx,
    /// Larger than the size cap.
    TooLarge,
    /// Too many redirects, or a loop.
    Redirects,
    /// A proxy failed.
    Proxy,
    /// The source's robots.txt forbids the URL.
    Robots,
    /// The URL points into a private network, or is not a URL khabar fetches.
    Blocked,
    /// The document is not a feed or sitemap (an HTML page, binary data).
    NotAFeed,
    /// A feed or page that could not be parsed.
    Parse,
    /// A page with no article text.
    NotAnArticle,
    /// The store could not be written or read.
    Store,
    Other,
}

impl FailureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Dns => "dns",
            FailureKind::Connect => "connect",
            FailureKind::Tls => "tls",
            FailureKind::Timeout => "timeout",
            FailureKind::Http4xx => "http_4xx",
            FailureKind::Http5xx => "http_5xx",
            FailureKind::TooLarge => "too_large",
            FailureKind::Redirects => "redirects",
            FailureKind::Proxy => "proxy",
            FailureKind::Robots => "robots",
            FailureKind::Blocked => "blocked",
            FailureKind::NotAFeed => "not_a_feed",
            FailureKind::Parse => "parse",
            FailureKind::NotAnArticle => "not_an_article",
            FailureKind::Store => "store",
            FailureKind::Other => "other",
        }
    }

    /// Every kind, for filters and documentation.
    pub const ALL: [FailureKind; 16] = [
        FailureKind::Dns,
        FailureKind::Connect,
        FailureKind::Tls,
        FailureKind::Timeout,
        FailureKind::Http4xx,
        FailureKind::Http5xx,
        FailureKind::TooLarge,
        FailureKind::Redirects,
        FailureKind::Proxy,
        FailureKind::Robots,
        FailureKind::Blocked,
        FailureKind::NotAFeed,
        FailureKind::Parse,
        FailureKind::NotAnArticle,
        FailureKind::Store,
        FailureKind::Other,
    ];

    /// The stored names of [`ALL`](FailureKind::ALL), in the same order.
    pub const NAMES: &'static [&'static str] = &[
        "dns",
        "connect",
        "tls",
        "timeout",
        "http_4xx",
        "http_5xx",
        "too_large",
        "redirects",
        "proxy",
        "robots",
        "blocked",
        "not_a_feed",
        "parse",
        "not_an_article",
        "store",
        "other",
    ];

    /// The kind stored as `s`; `None` for a string no version wrote.
    pub fn parse(s: &str) -> Option<FailureKind> {
        FailureKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// True when trying the same article again will fail the same way:
    /// a dead or forbidden link, a page too large, a page with no article.
    /// (A 4xx other than 404/410-like ones is judged by its status: see
    /// [`FailureKind::is_permanent_status`].)
    pub fn is_permanent(self) -> bool {
        matches!(
            self,
            FailureKind::TooLarge
                | FailureKind::Redirects
                | FailureKind::Robots
                | FailureKind::Blocked
                | FailureKind::NotAFeed
                | FailureKind::NotAnArticle
        )
    }

    /// [`is_permanent`](FailureKind::is_permanent) with the HTTP status
    /// taken into account: 404, 410 and the other answers that do not
    /// change on a retry are permanent; 408, 429 and 5xx are not.
    pub fn is_permanent_status(self, status: Option<u16>) -> bool {
        match (self, status) {
            (FailureKind::Http4xx, Some(s)) => {
                matches!(s, 400 | 401 | 403 | 404 | 405 | 406 | 410 | 414 | 451)
            }
            (FailureKind::Http5xx, Some(501)) => true,
            _ => self.is_permanent(),
        }
    }
}

impl std::fmt::Display for FailureKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_name() {
        let names: Vec<&str> = FailureKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names, FailureKind::NAMES, "NAMES follows ALL");
        for k in FailureKind::ALL {
            assert_eq!(FailureKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(FailureKind::parse("nonsense"), None);
    }

    #[test]
    fn dead_links_are_permanent_and_hiccups_are_not() {
        assert!(FailureKind::Http4xx.is_permanent_status(Some(404)));
        assert!(FailureKind::Http4xx.is_permanent_status(Some(410)));
        assert!(!FailureKind::Http4xx.is_permanent_status(Some(429)));
        assert!(!FailureKind::Http5xx.is_permanent_status(Some(503)));
        assert!(!FailureKind::Timeout.is_permanent_status(None));
        assert!(FailureKind::NotAnArticle.is_permanent_status(None));
        assert!(FailureKind::Robots.is_permanent_status(None));
    }
}

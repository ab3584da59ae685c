use std::time::Duration;

/// How politely and how defensively to fetch. One config serves a whole
/// crawl; per-source differences (proxy, validators) travel in the request.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    pub user_agent: String,
    /// Whole request, body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_redirects: usize,
    /// The body is streamed and the fetch stops with
    /// [`FetchError::TooLarge`](crate::FetchError::TooLarge) at this many bytes
    /// (after content decoding), so a hostile or broken server cannot
    /// exhaust memory.
    pub max_body_bytes: usize,
    /// Requests in flight to one host at once.
    pub per_host_concurrency: usize,
    /// Minimum gap between starting two requests to one host; up to half of
    /// it again is added at random so many workers don't fall into lockstep.
    pub per_host_delay: Duration,
    /// False (the default) refuses loopback, private, link-local,
    /// unique-local, unspecified and other non-public targets, checked on
    /// the resolved addresses and on every redirect hop: feed URLs come from
    /// operators and from OPML files, and must not reach internal services.
    pub allow_private_addresses: bool,
    /// Honour robots.txt for article fetches. Feed URLs are fetched
    /// regardless: an operator subscribing to a feed is explicit consent.
    pub respect_robots: bool,
    /// How long a host's robots.txt is trusted before it is fetched again.
    pub robots_ttl: Duration,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: concat!(
                "khabar/",
                env!("CARGO_PKG_VERSION"),
                " (news crawler; +https://example.invalid/khabar)"
            )
            .to_string(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_redirects: 5,
            max_body_bytes: 8 * 1024 * 1024,
            per_host_concurrency: 2,
            per_host_delay: Duration::from_secs(1),
            allow_private_addresses: false,
            respect_robots: true,
            robots_ttl: Duration::from_secs(3600),
        }
    }
}

//! The fetcher: one shared object per crawl, cheap to clone.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Client, StatusCode};
use url::Url;

use crate::address::{BlockedAddress, GuardedResolver, forbidden_reason};
use crate::backoff::parse_retry_after;
use crate::host_gate::HostGates;
use crate::robots::{RobotsTxt, product_token};
use crate::{FetchConfig, FetchError};

/// Why a URL is fetched; robots.txt applies to articles only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Purpose {
    #[default]
    Feed,
    Article,
}

impl Purpose {
    /// Some servers negotiate on Accept and send an HTML page to clients
    /// that do not ask for a feed.
    fn accept(self) -> &'static str {
        match self {
            Purpose::Feed => {
                "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
            }
            Purpose::Article => "text/html, application/xhtml+xml;q=0.9, */*;q=0.8",
        }
    }
}

/// One fetch. `etag`/`last_modified` are the validators from the previous
/// fetch of the same URL; `proxy` is an http, https or socks5 proxy URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchRequest {
    pub url: String,
    pub purpose: Purpose,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub proxy: Option<String>,
}

impl FetchRequest {
    pub fn feed(url: impl Into<String>) -> Self {
        FetchRequest {
            url: url.into(),
            purpose: Purpose::Feed,
            ..Default::default()
        }
    }
    pub fn article(url: impl Into<String>) -> Self {
        FetchRequest {
            url: url.into(),
            purpose: Purpose::Article,
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOutcome {
    Fetched(FetchedPage),
    /// 304: the validators still match; keep what you have.
    NotModified,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedPage {
    /// After redirects.
    pub final_url: String,
    pub status: u16,
    pub content_type: Option<String>,
    /// The `Content-Location` header: a feed's relative links resolve
    /// against it before the URL it was fetched from.
    pub content_location: Option<String>,
    /// The `Content-Language` header: a feed's language when it names none.
    pub content_language: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Decoded (gzip/brotli/deflate removed), at most `max_body_bytes`.
    pub body: Bytes,
    /// Time on the wire for all hops, excluding politeness waits.
    pub elapsed: Duration,
}

/// Crawl-delays above this are read as this: a site asking for one request
/// an hour would otherwise make its news arrive a day late.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);
/// Largest robots.txt read; Google stops at 500 KiB too.
const ROBOTS_MAX_BYTES: usize = 512 * 1024;
/// A robots.txt that could not be fetched (5xx, network) is retried after
/// this long rather than trusted for the full TTL.
const ROBOTS_RETRY: Duration = Duration::from_secs(300);

/// Polite HTTP fetcher. Clones share clients, host gates and the robots
/// cache.
#[derive(Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

struct Inner {
    config: FetchConfig,
    agent_token: String,
    /// One client per proxy (`None` = direct), built on first use.
    clients: Mutex<HashMap<Option<String>, Client>>,
    gates: HostGates,
    robots: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<CachedRobots>>>>>,
}

struct CachedRobots {
    rules: Arc<RobotsTxt>,
    expires: Instant,
}

/// Makes ring the process's TLS provider unless one is installed already.
/// reqwest is built without a provider of its own (its default is aws-lc,
/// a C library that doubled the cold build's longest step and added
/// megabytes to the binary); a client built with no provider in place
/// would panic. Installing twice is harmless: the first one stays.
fn use_ring_for_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Result<Fetcher, FetchError> {
        let inner = Inner {
            agent_token: product_token(&config.user_agent),
            gates: HostGates::new(config.per_host_concurrency, config.per_host_delay),
            clients: Mutex::new(HashMap::new()),
            robots: Mutex::new(HashMap::new()),
            config,
        };
        let fetcher = Fetcher {
            inner: Arc::new(inner),
        };
        // Build the direct client now so a broken TLS setup fails at start-up.
        fetcher.client_for(None, "")?;
        Ok(fetcher)
    }

    pub fn config(&self) -> &FetchConfig {
        &self.inner.config
    }

    /// Fetches `req.url`, following redirects by hand so every hop gets the
    /// private-address check, robots.txt (articles) and the per-host gate.
    pub async fn fetch(&self, req: &FetchRequest) -> Result<FetchOutcome, FetchError> {
        let mut url = parse_http_url(&req.url)?;
        let client = self.client_for(req.proxy.as_deref(), &req.url)?;
        let cfg = &self.inner.config;
        let mut visited: Vec<Url> = vec![url.clone()];
        let mut elapsed = Duration::ZERO;
        let mut hops = 0usize;
        loop {
            self.check_target(&url)?;
            if req.purpose == Purpose::Article
                && cfg.respect_robots
                && !self.robots_allow(&url, req.proxy.as_deref()).await
            {
                return Err(FetchError::RobotsDisallowed {
                    url: url.to_string(),
                });
            }
            let host = url.host_str().unwrap_or_default().to_string();
            let _slot = self.inner.gates.enter(&host).await;
            let started = Instant::now();
            let mut headers = HeaderMap::new();
            headers.insert(
                header::ACCEPT,
                HeaderValue::from_static(req.purpose.accept()),
            );
            if let Some(v) = req
                .etag
                .as_deref()
                .and_then(|v| HeaderValue::from_str(v).ok())
            {
                headers.insert(header::IF_NONE_MATCH, v);
            }
            if let Some(v) = req
                .last_modified
                .as_deref()
                .and_then(|v| HeaderValue::from_str(v).ok())
            {
                headers.insert(header::IF_MODIFIED_SINCE, v);
            }
            let resp = client
                .get(url.clone())
                .headers(headers)
                .send()
                .await
                .map_err(|e| map_send_error(&e, &url, req.proxy.as_deref()))?;
            let status = resp.status();
            if status == StatusCode::NOT_MODIFIED {
                return Ok(FetchOutcome::NotModified);
            }
            if status.is_redirection() {
                elapsed += started.elapsed();
                let Some(location) = resp
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                else {
                    return Err(http_error(&url, &resp));
                };
                let next = url
                    .join(location.trim())
                    .map_err(|e| FetchError::InvalidUrl {
                        url: url.to_string(),
                        reason: format!("bad redirect Location {location:?}: {e}"),
                    })?;
                if !matches!(next.scheme(), "http" | "https") {
                    return Err(FetchError::InvalidUrl {
                        url: url.to_string(),
                        reason: format!("redirect to non-http URL {next}"),
                    });
                }
                if visited.contains(&next) {
                    return Err(FetchError::RedirectLoop {
                        url: req.url.clone(),
                        target: next.to_string(),
                    });
                }
                hops += 1;
                if hops > cfg.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: req.url.clone(),
                        limit: cfg.max_redirects,
                    });
                }
                visited.push(next.clone());
                url = next;
                continue;
            }
            if !status.is_success() {
                return Err(http_error(&url, &resp));
            }
            let header_str = |name: header::HeaderName| {
                resp.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let content_type = header_str(header::CONTENT_TYPE);
            let content_location = header_str(header::CONTENT_LOCATION);
            let content_language = header_str(header::CONTENT_LANGUAGE);
            let etag = header_str(header::ETAG);
            let last_modified = header_str(header::LAST_MODIFIED);
            let body = read_capped(resp, &url, cfg.max_body_bytes).await?;
            elapsed += started.elapsed();
            return Ok(FetchOutcome::Fetched(FetchedPage {
                final_url: url.to_string(),
                status: status.as_u16(),
                content_type,
                content_location,
                content_language,
                etag,
                last_modified,
                body,
                elapsed,
            }));
        }
    }

    fn client_for(&self, proxy: Option<&str>, url: &str) -> Result<Client, FetchError> {
        let key = proxy.map(str::to_string);
        let mut clients = self.inner.clients.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = clients.get(&key) {
            return Ok(c.clone());
        }
        let cfg = &self.inner.config;
        use_ring_for_tls();
        let mut builder = Client::builder()
            .user_agent(cfg.user_agent.clone())
            .timeout(cfg.timeout)
            .connect_timeout(cfg.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .gzip(true)
            .brotli(true)
            .deflate(true);
        let proxy_err = |cause: String| FetchError::Proxy {
            url: url.to_string(),
            proxy: proxy.unwrap_or_default().to_string(),
            cause,
        };
        let mut trusted = Vec::new();
        match proxy {
            Some(p) => {
                let parsed = Url::parse(p).map_err(|e| proxy_err(e.to_string()))?;
                if !matches!(parsed.scheme(), "http" | "https" | "socks5" | "socks5h") {
                    return Err(proxy_err(format!(
                        "unsupported proxy scheme {:?}",
                        parsed.scheme()
                    )));
                }
                if let Some(h) = parsed.host_str() {
                    trusted.push(h.trim_matches(['[', ']']).to_string());
                }
                builder =
                    builder.proxy(reqwest::Proxy::all(p).map_err(|e| proxy_err(e.to_string()))?);
            }
            // Environment proxies are ignored: a source's proxy is explicit.
            None => builder = builder.no_proxy(),
        }
        if !cfg.allow_private_addresses {
            builder = builder.dns_resolver(GuardedResolver::new(trusted));
        }
        let client = builder.build().map_err(|e| match proxy {
            Some(_) => proxy_err(error_chain(&e)),
            None => FetchError::Connect {
                url: url.to_string(),
                cause: format!("HTTP client setup failed: {}", error_chain(&e)),
            },
        })?;
        clients.insert(key, client.clone());
        Ok(client)
    }

    /// IP-literal hosts never reach the resolver, so they are checked here.
    fn check_target(&self, url: &Url) -> Result<(), FetchError> {
        if self.inner.config.allow_private_addresses {
            return Ok(());
        }
        let ip: Option<IpAddr> = match url.host() {
            Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
            Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
            _ => None,
        };
        if let Some(ip) = ip
            && let Some(reason) = forbidden_reason(ip)
        {
            return Err(FetchError::Blocked {
                url: url.to_string(),
                reason: format!("{ip} is a {reason}"),
            });
        }
        Ok(())
    }

    async fn robots_allow(&self, url: &Url, proxy: Option<&str>) -> bool {
        let origin = url.origin().ascii_serialization();
        let slot = {
            let mut map = self.inner.robots.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(origin.clone()).or_default().clone()
        };
        // Held across the fetch: concurrent articles of a new host wait for
        // one robots.txt download instead of each starting their own.
        let mut cached = slot.lock().await;
        let fresh = cached
            .as_ref()
            .filter(|c| c.expires > Instant::now())
            .map(|c| c.rules.clone());
        let rules = match fresh {
            Some(r) => r,
            None => {
                let (rules, ttl) = self.download_robots(&origin, proxy).await;
                if let Some(delay) = rules.crawl_delay(&self.inner.agent_token) {
                    let host = url.host_str().unwrap_or_default();
                    self.inner
                        .gates
                        .set_min_gap(host, delay.min(MAX_CRAWL_DELAY));
                }
                let rules = Arc::new(rules);
                *cached = Some(CachedRobots {
                    rules: rules.clone(),
                    expires: Instant::now() + ttl,
                });
                rules
            }
        };
        let mut path = url.path().to_string();
        if let Some(q) = url.query() {
            path.push('?');
            path.push_str(q);
        }
        rules.is_allowed(&self.inner.agent_token, &path)
    }

    /// 2xx: the rules. 4xx: no robots.txt, everything allowed (RFC 9309).
    /// 5xx or unreachable: allowed too, but asked again in five minutes. The
    /// RFC would disallow everything; for a news crawler a flaky robots.txt
    /// server should not silently stop all articles of a source, and the
    /// article fetch that follows is itself rate-limited.
    async fn download_robots(&self, origin: &str, proxy: Option<&str>) -> (RobotsTxt, Duration) {
        let ttl = self.inner.config.robots_ttl;
        match self.fetch_robots_body(origin, proxy).await {
            Ok(body) => (RobotsTxt::parse(&String::from_utf8_lossy(&body)), ttl),
            Err(FetchError::Http { status, .. }) if (400..500).contains(&status) => {
                (RobotsTxt::allow_all(), ttl)
            }
            Err(FetchError::TooLarge { .. }) => (RobotsTxt::allow_all(), ttl),
            Err(e) => {
                tracing::debug!("robots.txt unavailable, allowing for now: {e}");
                (RobotsTxt::allow_all(), ROBOTS_RETRY.min(ttl))
            }
        }
    }

    /// A small redirect-following GET of robots.txt. Separate from
    /// [`Fetcher::fetch`] (which calls robots checks) to keep the futures
    /// non-recursive; same address checks and host gate.
    async fn fetch_robots_body(
        &self,
        origin: &str,
        proxy: Option<&str>,
    ) -> Result<Bytes, FetchError> {
        let mut url = parse_http_url(&format!("{origin}/robots.txt"))?;
        let client = self.client_for(proxy, url.as_str())?;
        for _ in 0..=self.inner.config.max_redirects {
            self.check_target(&url)?;
            let _slot = self
                .inner
                .gates
                .enter(url.host_str().unwrap_or_default())
                .await;
            let resp = client
                .get(url.clone())
                .send()
                .await
                .map_err(|e| map_send_error(&e, &url, proxy))?;
            if resp.status().is_redirection() {
                let next = resp
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|l| url.join(l.trim()).ok())
                    .filter(|u| matches!(u.scheme(), "http" | "https"));
                match next {
                    Some(n) => {
                        url = n;
                        continue;
                    }
                    None => return Err(http_error(&url, &resp)),
                }
            }
            if !resp.status().is_success() {
                return Err(http_error(&url, &resp));
            }
            return read_capped(resp, &url, ROBOTS_MAX_BYTES).await;
        }
        Err(FetchError::TooManyRedirects {
            url: url.to_string(),
            limit: self.inner.config.max_redirects,
        })
    }
}

fn parse_http_url(raw: &str) -> Result<Url, FetchError> {
    let url = Url::parse(raw.trim()).map_err(|e| FetchError::InvalidUrl {
        url: raw.to_string(),
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::InvalidUrl {
            url: raw.to_string(),
            reason: format!("scheme {:?} is not http(s)", url.scheme()),
        });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(FetchError::InvalidUrl {
            url: raw.to_string(),
            reason: "no host".into(),
        });
    }
    Ok(url)
}

fn http_error(url: &Url, resp: &reqwest::Response) -> FetchError {
    let retry_after = resp
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()));
    FetchError::Http {
        url: url.to_string(),
        status: resp.status().as_u16(),
        retry_after,
    }
}

/// Streams the body, stopping as soon as it passes `cap`.
async fn read_capped(
    mut resp: reqwest::Response,
    url: &Url,
    cap: usize,
) -> Result<Bytes, FetchError> {
    let too_large = || FetchError::TooLarge {
        url: url.to_string(),
        limit: cap,
    };
    if resp.content_length().is_some_and(|n| n > cap as u64) {
        return Err(too_large());
    }
    let mut buf = BytesMut::with_capacity(
        resp.content_length()
            .map_or(64 * 1024, |n| n as usize)
            .min(cap),
    );
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if buf.len() + chunk.len() > cap {
                    return Err(too_large());
                }
                buf.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(buf.freeze()),
            Err(e) if e.is_timeout() => {
                return Err(FetchError::Timeout {
                    url: url.to_string(),
                });
            }
            Err(e) => {
                return Err(FetchError::Body {
                    url: url.to_string(),
                    cause: error_chain(&e),
                });
            }
        }
    }
}

fn map_send_error(e: &reqwest::Error, url: &Url, proxy: Option<&str>) -> FetchError {
    let url_s = url.to_string();
    if let Some(b) = find_source::<BlockedAddress>(e) {
        return FetchError::Blocked {
            url: url_s,
            reason: b.to_string(),
        };
    }
    if e.is_timeout() {
        return FetchError::Timeout { url: url_s };
    }
    if let Some(p) = proxy
        && e.is_connect()
    {
        return FetchError::Proxy {
            url: url_s,
            proxy: p.to_string(),
            cause: error_chain(e),
        };
    }
    if e.is_builder() {
        return FetchError::InvalidUrl {
            url: url_s,
            reason: error_chain(e),
        };
    }
    FetchError::Connect {
        url: url_s,
        cause: error_chain(e),
    }
}

fn find_source<'a, T: std::error::Error + 'static>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(t) = err.downcast_ref::<T>() {
            return Some(t);
        }
        cur = err.source();
    }
    None
}

/// The innermost causes, which say what actually happened ("connection
/// refused"), rather than reqwest's "error sending request".
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = e.source();
    while let Some(err) = cur {
        let s = err.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = err.source();
    }
    if parts.is_empty() {
        return e.to_string();
    }
    parts.join(": ")
}

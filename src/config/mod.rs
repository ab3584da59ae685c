//! Configuration: the bundled default, a TOML file, environment variables
//! and command-line flags, in rising order of precedence.
//!
//! Every section is `deny_unknown_fields` so that a typo in a key stops
//! start-up with an error naming the key, rather than being silently ignored
//! and leaving the operator wondering why a setting has no effect.

mod env;
mod load;

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use khabar_model::SourceKind;

pub use load::Flags;

/// The bundled default configuration (the Persian News site).
pub const DEFAULT_TOML: &str = include_str!("default.toml");

/// Why a configuration could not be loaded. Each variant names the file
/// or key at fault.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config {origin}: {message}")]
    Invalid { origin: String, message: String },
    #[error("environment variable {var}: {message}")]
    Env { var: String, message: String },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `[site]`: the reader's site and its admin area.
    pub site: SiteConfig,
    /// `[storage]`: where stories and sources are kept.
    pub storage: StorageConfig,
    /// `[fetch]`: how feeds and pages are fetched.
    pub fetch: FetchSettings,
    /// `[schedule]`: when sources are polled.
    pub schedule: ScheduleConfig,
    /// `[worker]`: how the pipeline's work is shared by workers.
    pub worker: WorkerConfig,
    /// `[topic]`: which stories are about the site's topic.
    pub topic: TopicConfig,
    /// `[push]`: WebSub and webhooks.
    pub push: PushConfig,
    /// `[[sources]]`: none unless written (the bundled file has the curated list).
    pub sources: Vec<SourceConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    /// Shown in the header, feeds and page titles.
    pub title: String,
    pub tagline: String,
    /// The address readers use; feeds, sitemaps and canonical links are
    /// built on it. Empty: the address `khabar serve` listens on.
    pub base_url: String,
    /// Where `khabar serve` listens.
    pub listen: String,
    /// Language of the site's own interface and feeds (one with a catalogue).
    pub language: String,
    /// Stories per page on lists and feeds (1..=200).
    pub page_size: i64,
    /// Token for the /admin area; empty disables the admin area.
    pub admin_token: String,
    /// Salt for hashing reader addresses for likes; empty: a random salt
    /// made once and kept in the data folder.
    pub like_salt: String,
    /// Likes accepted per minute from one address.
    pub likes_per_minute_per_ip: u32,
}

impl SiteConfig {
    /// The address readers use, which every absolute link (feeds, sitemaps,
    /// canonical and OpenGraph links, pushed feed URLs) is built on:
    /// `base_url` when configured, else the address the site listens on, so
    /// `khabar serve --listen 127.0.0.1:9000` links to port 9000, not to a
    /// default port nobody serves. `listening` is the bound address when
    /// known (port 0 resolved); an unspecified host (`0.0.0.0`, `::`) is
    /// written as `localhost`, which only this machine can follow, so the
    /// caller should tell the operator to set `site.base_url`.
    pub fn reader_base_url(&self, listening: Option<std::net::SocketAddr>) -> BaseUrl {
        if !self.base_url.trim().is_empty() {
            return BaseUrl {
                url: self.base_url.trim().trim_end_matches('/').to_string(),
                from: BaseUrlFrom::Configured,
            };
        }
        let addr = listening
            .map(|a| a.to_string())
            .unwrap_or_else(|| self.listen.clone());
        let (host, port) = match addr.rsplit_once(':') {
            Some((h, p)) => (h.trim_matches(['[', ']']), Some(p)),
            None => (addr.as_str(), None),
        };
        let unspecified = matches!(host, "0.0.0.0" | "::" | "");
        let host = if unspecified {
            "localhost".to_string()
        } else if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_string()
        };
        let url = match port {
            Some(p) if p != "80" => format!("http://{host}:{p}"),
            _ => format!("http://{host}"),
        };
        BaseUrl {
            url,
            from: if unspecified {
                BaseUrlFrom::ListenAnyAddress
            } else {
                BaseUrlFrom::Listen
            },
        }
    }
}

/// The base URL in use and where it came from, for the start-up line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    pub url: String,
    pub from: BaseUrlFrom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseUrlFrom {
    /// `site.base_url` (or `KHABAR_BASE_URL`).
    Configured,
    /// Made from the listen address.
    Listen,
    /// Made from a listen address on every interface: only right on this machine.
    ListenAnyAddress,
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.from {
            BaseUrlFrom::Configured => write!(f, "{} (site.base_url)", self.url),
            BaseUrlFrom::Listen => write!(
                f,
                "{} (from the listen address; set site.base_url if readers use another)",
                self.url
            ),
            BaseUrlFrom::ListenAnyAddress => write!(
                f,
                "{} (the site listens on every interface: set site.base_url to the address readers use, or links work only on this machine)",
                self.url
            ),
        }
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Persian News".into(),
            tagline: "All Persian News Related to Iran".into(),
            base_url: String::new(),
            listen: "127.0.0.1:8080".into(),
            language: "en".into(),
            page_size: 20,
            admin_token: String::new(),
            like_salt: String::new(),
            likes_per_minute_per_ip: 10,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StorageConfig {
    /// `sqlite://PATH` (embedded) or `postgres://user@host/db`.
    pub url: String,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            url: "sqlite://data/khabar.db".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchSettings {
    pub user_agent: String,
    /// One request's limit, body included.
    pub timeout_secs: u64,
    pub connect_timeout_secs: u64,
    pub max_redirects: usize,
    /// Larger responses are cut off and recorded as an error.
    pub max_body_bytes: usize,
    /// Requests in flight to one host.
    pub per_host_concurrency: usize,
    /// The least gap between two requests to one host.
    pub per_host_delay_ms: u64,
    /// Fetching loopback, private and link-local addresses is refused unless set.
    pub allow_private_addresses: bool,
    /// Honour robots.txt for article pages.
    pub respect_robots: bool,
    /// Sources polled at the same time.
    pub source_concurrency: usize,
    /// Article pages fetched at the same time within one source.
    pub article_concurrency: usize,
    /// New articles taken from one poll of a source (newest first).
    pub max_articles_per_poll: usize,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            user_agent: "khabar/0.1 (news aggregator; respects robots.txt)".into(),
            timeout_secs: 20,
            connect_timeout_secs: 10,
            max_redirects: 5,
            max_body_bytes: 8 * 1024 * 1024,
            per_host_concurrency: 2,
            per_host_delay_ms: 1000,
            allow_private_addresses: false,
            respect_robots: true,
            source_concurrency: 8,
            article_concurrency: 4,
            max_articles_per_poll: 50,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleConfig {
    /// How often each healthy source is polled (at least 10).
    pub poll_interval_secs: u64,
    /// First retry delay of a failing source; doubles on every failure up
    /// to the cap. A failing source is never given up on.
    pub backoff_base_secs: u64,
    pub backoff_max_secs: u64,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig {
            poll_interval_secs: 900,
            backoff_base_secs: 300,
            backoff_max_secs: 6 * 3600,
        }
    }
}

impl ScheduleConfig {
    pub fn poll_interval(&self) -> Duration {
        Duration::from_secs(self.poll_interval_secs)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkerConfig {
    /// A worker leases what it claims and renews the lease while it works;
    /// work whose worker died is taken up once the lease has run out.
    pub lease_secs: u64,
    /// Articles one worker processes at the same time.
    pub job_concurrency: usize,
    /// Attempts at one article before it is given up (its error is kept).
    pub max_attempts: u32,
    /// First retry delay of a failed article; doubles on every attempt, up to an hour.
    pub retry_base_secs: u64,
    /// How long an idle worker waits before it looks for work again.
    pub idle_poll_ms: u64,
    /// Finished jobs are kept this long for operators, then deleted.
    pub keep_finished_days: u64,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            lease_secs: 60,
            job_concurrency: 8,
            max_attempts: 5,
            retry_base_secs: 60,
            idle_poll_ms: 1000,
            keep_finished_days: 7,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopicConfig {
    /// The topic model's name (only the shipped "Iran" model exists).
    pub name: String,
    /// The site's languages; a source's `lang` is one of them.
    pub languages: Vec<String>,
    /// Score in [0, 1] from which a story counts as on topic; unset: the
    /// threshold calibrated when the model was trained.
    pub threshold: Option<f32>,
    /// Words or phrases that always include a story.
    pub include_terms: Vec<String>,
    /// Words or phrases that always exclude a story.
    pub exclude_terms: Vec<String>,
}

impl Default for TopicConfig {
    fn default() -> Self {
        TopicConfig {
            name: "Iran".into(),
            languages: vec!["en".into(), "fa".into()],
            threshold: None,
            include_terms: Vec::new(),
            exclude_terms: Vec::new(),
        }
    }
}

/// Push out: a WebSub hub pinged when the site's feeds change, and
/// webhooks that receive each published story (or a keyword alert's
/// matches) as signed JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PushConfig {
    /// The WebSub hub the feeds name and that is pinged; none when unset.
    pub websub_hub: Option<String>,
    /// Receivers of each published story; none by default.
    pub webhooks: Vec<WebhookConfig>,
    /// Attempts at one delivery before it is given up (its error is kept).
    pub max_attempts: u32,
    /// Wait before the second attempt; doubles on every attempt after.
    pub retry_base_ms: u64,
    pub retry_max_ms: u64,
    /// One request's limit, connecting included.
    pub timeout_secs: u64,
    /// Deliveries sent at the same time by one process.
    pub concurrency: usize,
    /// How often an idle sender looks for deliveries.
    pub poll_ms: u64,
    /// Delivered and given-up deliveries are kept this long, then deleted.
    pub keep_days: u64,
}

impl Default for PushConfig {
    fn default() -> Self {
        PushConfig {
            websub_hub: None,
            webhooks: Vec::new(),
            max_attempts: 8,
            retry_base_ms: 30_000,
            retry_max_ms: 3_600_000,
            timeout_secs: 10,
            concurrency: 4,
            poll_ms: 1000,
            keep_days: 7,
        }
    }
}

impl PushConfig {
    /// Whether anything is to be pushed at all.
    pub fn enabled(&self) -> bool {
        self.websub_hub.is_some() || !self.webhooks.is_empty()
    }
}

/// One webhook: where published stories go, signed with `secret`. With a
/// `query` it is a keyword alert: only stories matching every word of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    /// Names the webhook in the delivery status; the URL when unset.
    #[serde(default)]
    pub name: Option<String>,
    pub url: String,
    pub secret: String,
    #[serde(default)]
    pub query: Option<String>,
}

impl WebhookConfig {
    /// The name deliveries are recorded under.
    pub fn key(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.url)
    }
}

/// A source as written in the configuration file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub slug: String,
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub kind: SourceKind,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default = "yes")]
    pub full_text: bool,
    #[serde(default)]
    pub dedicated: bool,
    #[serde(default)]
    pub proxy: Option<String>,
    /// Who runs the source: "state", "independent", "international",
    /// "regional" or "other" (the coverage views group by it).
    #[serde(default)]
    pub outlet: khabar_model::OutletKind,
    /// Why the source is of that kind, shown to readers on the sources page.
    #[serde(default)]
    pub outlet_note: Option<String>,
    /// Tags added to every story of this source (an imported reader's
    /// folders land here too).
    #[serde(default)]
    pub tags: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Config {
    /// Checks values that parse but cannot work, naming the key.
    pub fn validate(&self) -> Result<(), String> {
        let s = &self.storage.url;
        if !(s.starts_with("sqlite:")
            || s.starts_with("postgres://")
            || s.starts_with("postgresql://"))
        {
            return Err(format!(
                "storage.url = {s:?}: expected sqlite://PATH or postgres://…"
            ));
        }
        if self.site.page_size < 1 || self.site.page_size > 200 {
            return Err(format!(
                "site.page_size = {}: must be 1..=200",
                self.site.page_size
            ));
        }
        if !self.site.base_url.is_empty() && url::Url::parse(&self.site.base_url).is_err() {
            return Err(format!(
                "site.base_url = {:?}: not an absolute URL",
                self.site.base_url
            ));
        }
        if self.fetch.timeout_secs == 0 {
            return Err("fetch.timeout_secs: must be at least 1".into());
        }
        if self.fetch.per_host_concurrency == 0
            || self.fetch.source_concurrency == 0
            || self.fetch.article_concurrency == 0
        {
            return Err("fetch.*_concurrency: must be at least 1".into());
        }
        if self.schedule.poll_interval_secs < 10 {
            return Err(format!(
                "schedule.poll_interval_secs = {}: must be at least 10",
                self.schedule.poll_interval_secs
            ));
        }
        if self.worker.lease_secs < 2 {
            return Err(format!(
                "worker.lease_secs = {}: must be at least 2 (leases are renewed every third of it)",
                self.worker.lease_secs
            ));
        }
        if self.worker.job_concurrency == 0 || self.worker.max_attempts == 0 {
            return Err(
                "worker.job_concurrency and worker.max_attempts: must be at least 1".into(),
            );
        }
        if let Some(t) = self.topic.threshold
            && !(0.0..=1.0).contains(&t)
        {
            return Err(format!("topic.threshold = {t}: must be within [0, 1]"));
        }
        self.validate_push()?;
        let mut seen = std::collections::HashSet::new();
        for (i, src) in self.sources.iter().enumerate() {
            if !valid_slug(&src.slug) {
                return Err(format!(
                    "sources[{i}].slug = {:?}: use lower-case letters, digits and '-'",
                    src.slug
                ));
            }
            if !seen.insert(src.slug.as_str()) {
                return Err(format!("sources[{i}].slug = {:?}: used twice", src.slug));
            }
            match url::Url::parse(&src.url) {
                Ok(u) if matches!(u.scheme(), "http" | "https") => {}
                _ => {
                    return Err(format!(
                        "sources[{i}].url = {:?} ({}): not an http(s) URL",
                        src.url, src.slug
                    ));
                }
            }
            if let Some(p) = &src.proxy
                && let Err(why) = check_proxy(p)
            {
                return Err(format!("sources[{i}].proxy = {p:?} ({}): {why}", src.slug));
            }
            if let Some(l) = &src.lang
                && let Err(why) = check_lang(l, &self.topic.languages)
            {
                return Err(format!("sources[{i}].lang = {l:?} ({}): {why}", src.slug));
            }
        }
        Ok(())
    }
}

impl Config {
    fn validate_push(&self) -> Result<(), String> {
        let p = &self.push;
        let http = |u: &str| {
            url::Url::parse(u)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                .is_some()
        };
        if let Some(hub) = &p.websub_hub
            && !http(hub)
        {
            return Err(format!("push.websub_hub = {hub:?}: not an http(s) URL"));
        }
        if p.max_attempts == 0 {
            return Err("push.max_attempts: must be at least 1".into());
        }
        if p.timeout_secs == 0 {
            return Err("push.timeout_secs: must be at least 1".into());
        }
        if p.concurrency == 0 {
            return Err("push.concurrency: must be at least 1".into());
        }
        if p.retry_max_ms < p.retry_base_ms {
            return Err(format!(
                "push.retry_max_ms = {}: must be at least push.retry_base_ms ({})",
                p.retry_max_ms, p.retry_base_ms
            ));
        }
        let mut names = std::collections::HashSet::new();
        for (i, w) in p.webhooks.iter().enumerate() {
            if !http(&w.url) {
                return Err(format!(
                    "push.webhooks[{i}].url = {:?}: not an http(s) URL",
                    w.url
                ));
            }
            if w.secret.trim().is_empty() {
                return Err(format!(
                    "push.webhooks[{i}].secret ({}): must not be empty; receivers check the signature with it",
                    w.key()
                ));
            }
            if let Some(name) = &w.name
                && !valid_slug(name)
            {
                return Err(format!(
                    "push.webhooks[{i}].name = {name:?}: use lower-case letters, digits and '-'"
                ));
            }
            if let Some(q) = &w.query
                && khabar_push::AlertQuery::parse(q).is_none()
            {
                return Err(format!(
                    "push.webhooks[{i}].query = {q:?} ({}): has no words to match",
                    w.key()
                ));
            }
            if !names.insert(w.key()) {
                return Err(format!(
                    "push.webhooks[{i}] ({}): a second webhook of that name; give each a distinct name",
                    w.key()
                ));
            }
        }
        Ok(())
    }
}

/// Slugs appear in URLs and on the command line: keep them plain.
/// A source's proxy: an http, https or socks5 URL with a host.
pub fn check_proxy(p: &str) -> Result<(), String> {
    let url = url::Url::parse(p).map_err(|e| format!("not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https" | "socks5" | "socks5h") {
        return Err(format!(
            "scheme {:?}: a proxy is http, https or socks5",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("no host".into());
    }
    Ok(())
}

/// A source's language: one of the site's languages (`topic.languages`),
/// as a code (`fa`, `en-GB`), not a name.
pub fn check_lang(l: &str, languages: &[String]) -> Result<(), String> {
    let primary = l
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if languages.iter().any(|k| k.eq_ignore_ascii_case(&primary)) {
        return Ok(());
    }
    Err(format!(
        "expected one of the site's language codes: {}",
        languages.join(", ")
    ))
}

pub fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env() -> Vec<(String, String)> {
        Vec::new()
    }

    #[test]
    fn base_url_follows_the_listen_address_unless_configured() {
        let mut site = SiteConfig::default();
        let at = |a: &str| Some(a.parse::<std::net::SocketAddr>().unwrap());
        // Unset: the bound address, port 0 already resolved by the OS.
        let b = site.reader_base_url(at("127.0.0.1:9000"));
        assert_eq!(b.url, "http://127.0.0.1:9000");
        assert_eq!(b.from, BaseUrlFrom::Listen);
        // Not yet bound: the configured listen address.
        assert_eq!(site.reader_base_url(None).url, "http://127.0.0.1:8080");
        // Every interface: only this machine can follow it, and the line says so.
        let b = site.reader_base_url(at("0.0.0.0:8080"));
        assert_eq!(b.url, "http://localhost:8080");
        assert!(b.to_string().contains("set site.base_url"));
        assert_eq!(site.reader_base_url(at("[::1]:80")).url, "http://[::1]");
        // Configured: used as it is, without a trailing slash, whatever the listener.
        site.base_url = "https://news.example/".into();
        let b = site.reader_base_url(at("127.0.0.1:9000"));
        assert_eq!(b.url, "https://news.example");
        assert_eq!(b.from, BaseUrlFrom::Configured);
    }

    #[test]
    fn bundled_default_loads_and_matches_code_defaults() {
        let c = Config::load(None, no_env()).expect("bundled default must load");
        assert_eq!(c.site, SiteConfig::default());
        assert_eq!(c.storage, StorageConfig::default());
        assert_eq!(c.fetch, FetchSettings::default());
        assert_eq!(c.schedule, ScheduleConfig::default());
        assert_eq!(c.worker, WorkerConfig::default());
        assert_eq!(c.topic, TopicConfig::default());
        assert_eq!(c.push, PushConfig::default());
        assert!(c.sources.len() >= 10, "curated source list");
        assert!(c.sources.iter().any(|s| s.lang.as_deref() == Some("fa")));
        assert!(c.sources.iter().any(|s| s.lang.as_deref() == Some("en")));
    }

    #[test]
    fn typo_in_key_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.toml");
        std::fs::write(&p, "[fetch]\ntimout_secs = 3\n").unwrap();
        let err = Config::load(Some(&p), no_env()).unwrap_err().to_string();
        assert!(err.contains("timout_secs"), "{err}");
        assert!(err.contains("k.toml"), "{err}");
    }

    #[test]
    fn wrong_type_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.toml");
        std::fs::write(&p, "[site]\npage_size = \"many\"\n").unwrap();
        let err = Config::load(Some(&p), no_env()).unwrap_err().to_string();
        assert!(err.contains("page_size"), "{err}");
    }

    #[test]
    fn bad_source_url_names_the_source() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.toml");
        std::fs::write(
            &p,
            "[[sources]]\nslug = \"x\"\nname = \"X\"\nurl = \"ftp://nope\"\n",
        )
        .unwrap();
        let err = Config::load(Some(&p), no_env()).unwrap_err().to_string();
        assert!(
            err.contains("sources[0].url") && err.contains("ftp://nope"),
            "{err}"
        );
    }

    fn load_text(text: &str) -> Result<Config, String> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.toml");
        std::fs::write(&p, text).unwrap();
        Config::load(Some(&p), no_env()).map_err(|e| e.to_string())
    }

    #[test]
    fn push_section_loads_and_checks_its_values() {
        let c = load_text(
            "[push]\nwebsub_hub = \"https://hub.example/\"\nretry_base_ms = 10\n\n\
             [[push.webhooks]]\nurl = \"https://hook.example/in\"\nsecret = \"s\"\n\n\
             [[push.webhooks]]\nname = \"tehran-alert\"\nurl = \"http://127.0.0.1:9/a\"\n\
             secret = \"t\"\nquery = \"تهران\"\n",
        )
        .unwrap();
        assert_eq!(c.push.websub_hub.as_deref(), Some("https://hub.example/"));
        assert_eq!(c.push.retry_base_ms, 10);
        assert_eq!(c.push.max_attempts, PushConfig::default().max_attempts);
        assert_eq!(c.push.webhooks[0].key(), "https://hook.example/in");
        assert_eq!(c.push.webhooks[1].key(), "tehran-alert");
        assert_eq!(c.push.webhooks[1].query.as_deref(), Some("تهران"));

        let err = load_text("[push]\nwebsub_hub = \"hub.example\"\n").unwrap_err();
        assert!(
            err.contains("push.websub_hub") && err.contains("hub.example"),
            "{err}"
        );
        let err = load_text("[[push.webhooks]]\nurl = \"ftp://x/\"\nsecret = \"s\"\n").unwrap_err();
        assert!(err.contains("push.webhooks[0].url"), "{err}");
        let err =
            load_text("[[push.webhooks]]\nurl = \"https://x/\"\nsecret = \"\"\n").unwrap_err();
        assert!(err.contains("push.webhooks[0].secret"), "{err}");
        let err =
            load_text("[[push.webhooks]]\nurl = \"https://x/\"\nsecret = \"s\"\nquery = \"!!\"\n")
                .unwrap_err();
        assert!(err.contains("push.webhooks[0].query"), "{err}");
        let err =
            load_text("[[push.webhooks]]\nurl = \"https://x/\"\nsecret = \"s\"\nsecert = \"t\"\n")
                .unwrap_err();
        assert!(err.contains("secert"), "{err}");
        let err = load_text("[push]\nhub = \"https://hub.example/\"\n").unwrap_err();
        assert!(err.contains("hub"), "{err}");
        let two = "[[push.webhooks]]\nurl = \"https://x/\"\nsecret = \"s\"\n";
        let err = load_text(&format!("{two}{two}")).unwrap_err();
        assert!(err.contains("push.webhooks[1]"), "{err}");
    }

    #[test]
    fn webhooks_can_come_from_the_environment() {
        let env = vec![
            (
                "KHABAR_PUSH__WEBHOOKS".to_string(),
                r#"[{url = "https://hook.example/in", secret = "from-env", query = "Iran"}]"#
                    .to_string(),
            ),
            (
                "KHABAR_PUSH__WEBSUB_HUB".to_string(),
                "https://hub.example/".to_string(),
            ),
        ];
        let c = Config::load(None, env).unwrap();
        assert_eq!(c.push.webhooks.len(), 1);
        assert_eq!(c.push.webhooks[0].secret, "from-env");
        assert_eq!(c.push.webhooks[0].query.as_deref(), Some("Iran"));
        assert_eq!(c.push.websub_hub.as_deref(), Some("https://hub.example/"));
        let bad = vec![(
            "KHABAR_PUSH__WEBSUB_HUB".to_string(),
            "not a url".to_string(),
        )];
        let err = Config::load(None, bad).unwrap_err().to_string();
        assert!(err.contains("push.websub_hub"), "{err}");
    }

    #[test]
    fn partial_file_takes_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.toml");
        std::fs::write(&p, "[site]\ntitle = \"T\"\n").unwrap();
        let c = Config::load(Some(&p), no_env()).unwrap();
        assert_eq!(c.site.title, "T");
        assert_eq!(c.site.page_size, 20);
        assert!(c.sources.is_empty());
    }

    #[test]
    fn environment_overrides_file() {
        let env = vec![
            ("KHABAR_FETCH__TIMEOUT_SECS".to_string(), "33".to_string()),
            (
                "KHABAR_DATABASE_URL".to_string(),
                "postgres://u@h/db".to_string(),
            ),
            ("KHABAR_SITE__TITLE".to_string(), "Khabar".to_string()),
            ("UNRELATED".to_string(), "x".to_string()),
        ];
        let c = Config::load(None, env).unwrap();
        assert_eq!(c.fetch.timeout_secs, 33);
        assert_eq!(c.storage.url, "postgres://u@h/db");
        assert_eq!(c.site.title, "Khabar");
    }

    #[test]
    fn environment_typo_is_named() {
        let env = vec![("KHABAR_FETCH__TIMEOUTSECS".to_string(), "3".to_string())];
        let err = Config::load(None, env).unwrap_err().to_string();
        assert!(
            err.contains("timeoutsecs") || err.contains("TIMEOUTSECS"),
            "{err}"
        );
    }

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The commented-out keys of each `[section]` of the reference
    /// (`# base_url = …`, `# [[push.webhooks]]`): settings shown with an
    /// example because their default is to be unset.
    fn commented_keys(reference: &str) -> Vec<(String, String)> {
        let mut section = String::new();
        let mut out = Vec::new();
        for line in reference.lines() {
            let line = line.trim();
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name.trim_matches(['[', ']']).to_string();
                continue;
            }
            let Some(rest) = line.strip_prefix('#') else {
                continue;
            };
            let rest = rest.trim();
            let prefix = format!("[[{section}.");
            if let Some(key) = rest
                .strip_prefix(&prefix)
                .and_then(|k| k.strip_suffix("]]"))
            {
                out.push((section.clone(), key.to_string()));
            } else if let Some((key, _)) = rest.split_once(" = ")
                && !key.is_empty()
                && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
            {
                out.push((section.clone(), key.to_string()));
            }
        }
        out
    }

    /// The bundled `default.toml` is the reference operators read: every
    /// setting declared on the structs is in it, with the struct's default
    /// as its value, or commented out when its default is to be unset. A
    /// field added without its line, or a default changed in one place
    /// only, fails here.
    #[test]
    fn the_reference_shows_every_setting_with_the_struct_default() {
        let reference: toml::Table = DEFAULT_TOML.parse().unwrap();
        let commented = commented_keys(DEFAULT_TOML);
        let defaults = serde_json::to_value(Config::default()).unwrap();
        let mut checked = 0;
        for (section, fields) in defaults.as_object().unwrap() {
            // The bundled site's curated sources are content, not a default.
            let Some(fields) = fields.as_object() else {
                assert_eq!(section, "sources");
                continue;
            };
            for (key, default) in fields {
                let written = reference
                    .get(section)
                    .and_then(|t| t.get(key))
                    .map(|v| serde_json::to_value(v).unwrap());
                let shown_unset = commented.iter().any(|(s, k)| s == section && k == key);
                match written {
                    Some(v) => assert_eq!(
                        &v, default,
                        "{section}.{key}: default.toml says {v}, the struct default is {default}"
                    ),
                    None => assert!(
                        shown_unset
                            && (default.is_null()
                                || default == ""
                                || default.as_array().is_some_and(Vec::is_empty)),
                        "{section}.{key} (default {default}) is not in default.toml"
                    ),
                }
                checked += 1;
            }
        }
        assert!(checked >= 40, "only {checked} settings seen");
    }

    #[test]
    fn layers_rise_from_defaults_to_file_to_environment_to_flags() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.toml");
        std::fs::write(
            &p,
            "[fetch]\ntimeout_secs = 7\nmax_redirects = 2\n[storage]\nurl = \"sqlite://file.db\"\n",
        )
        .unwrap();
        // The file over the struct defaults: what it sets, and only that.
        let c = Config::load(Some(&p), no_env()).unwrap();
        assert_eq!(c.fetch.timeout_secs, 7);
        assert_eq!(c.fetch.max_redirects, 2);
        assert_eq!(
            c.fetch.connect_timeout_secs,
            FetchSettings::default().connect_timeout_secs
        );
        // The environment over the file.
        let env = vars(&[
            ("KHABAR_FETCH__TIMEOUT_SECS", "8"),
            ("KHABAR_DATABASE_URL", "sqlite://env.db"),
        ]);
        let c = Config::load(Some(&p), env.clone()).unwrap();
        assert_eq!(c.fetch.timeout_secs, 8);
        assert_eq!(c.fetch.max_redirects, 2, "the file's other keys stay");
        assert_eq!(c.storage.url, "sqlite://env.db");
        // Flags over the environment.
        let flags = Flags {
            database_url: Some("sqlite://flag.db".into()),
            listen: Some("127.0.0.1:9999".into()),
        };
        let c = Config::load_layers(Some(&p), env, &flags).unwrap();
        assert_eq!(c.storage.url, "sqlite://flag.db");
        assert_eq!(c.site.listen, "127.0.0.1:9999");
        assert_eq!(c.fetch.timeout_secs, 8);
    }

    #[test]
    fn an_error_names_the_layer_it_comes_from() {
        let err = Config::load(None, vars(&[("KHABAR_FETCH__TIMEOUT_SECS", "soon")]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("KHABAR_FETCH__TIMEOUT_SECS") && err.contains("timeout_secs"),
            "{err}"
        );
        let flags = Flags {
            database_url: Some("mysql://h/db".into()),
            listen: None,
        };
        let err = Config::load_layers(None, no_env(), &flags)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("--database-url") && err.contains("storage.url"),
            "{err}"
        );
        // A typo in the file is the file's, even when the environment sets
        // another key of the same section.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k.toml");
        std::fs::write(&p, "[fetch]\ntimout_secs = 3\n").unwrap();
        let env = vars(&[("KHABAR_FETCH__MAX_REDIRECTS", "3")]);
        let err = Config::load(Some(&p), env).unwrap_err().to_string();
        assert!(
            err.contains("timout_secs") && err.contains("k.toml"),
            "{err}"
        );
        let err = Config::load(None, vars(&[("KHABAR_TIMEOUT", "3")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("KHABAR_TIMEOUT"), "{err}");
    }

    #[test]
    fn text_settings_stay_text_from_the_environment() {
        let c = Config::load(
            None,
            vars(&[
                ("KHABAR_SITE__TITLE", "2024"),
                ("KHABAR_ADMIN_TOKEN", "true"),
                ("KHABAR_FETCH__RESPECT_ROBOTS", "false"),
                ("KHABAR_TOPIC__LANGUAGES", "[\"fa\", \"en\"]"),
            ]),
        )
        .unwrap();
        assert_eq!(c.site.title, "2024");
        assert_eq!(c.site.admin_token, "true");
        assert!(!c.fetch.respect_robots);
        assert_eq!(c.topic.languages, vec!["fa".to_string(), "en".to_string()]);
    }
}

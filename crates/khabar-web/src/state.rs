//! Shared state of the web handlers.

use std::sync::Arc;

use khabar_store::{Page, SearchHit, SearchQuery, Store};
use serde::Serialize;

use crate::SiteSettings;
use crate::assets;
use crate::cache::{self, PageCache};
use crate::error::WebResult;
use crate::rate_limit::RateLimiter;
use crate::search_index::SearchFollower;
use crate::story_page::{self, Markers, StoryPageCache};

/// Renders the process's metrics as Prometheus text (from the binary's recorder).
pub type MetricsRender = Arc<dyn Fn() -> String + Send + Sync>;

/// Cheap to clone: everything sits behind one `Arc`.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub store: Store,
    pub settings: SiteSettings,
    pub likes_limiter: RateLimiter,
    /// Slows token guessing on the admin login form.
    pub login_limiter: RateLimiter,
    pub metrics_render: Option<MetricsRender>,
    pub site_host: Option<String>,
    /// Rendered lists and feeds, valid while the store's generation holds.
    pub page_cache: PageCache,
    /// Rendered story pages with the per-reader parts left open.
    pub story_pages: StoryPageCache,
    pub story_markers: Markers,
    /// The search index beside the store, opened on first use (or by
    /// [`AppState::prepare_search`]); `None` inside means search runs in the database.
    pub search: tokio::sync::OnceCell<Option<Arc<SearchFollower>>>,
    /// Set once a story list had stories. Until then the home page is
    /// rendered fresh, not from the cache, so that its explanation of why
    /// it is empty follows the sources' polls (which do not change the
    /// store's generation).
    pub has_stories: std::sync::atomic::AtomicBool,
}

impl AppState {
    pub fn new(store: Store, settings: SiteSettings) -> AppState {
        Self::with_metrics(store, settings, None)
    }

    /// Like [`AppState::new`], and serves `metrics_render()` at `/metrics`.
    pub fn with_metrics(
        store: Store,
        settings: SiteSettings,
        metrics_render: Option<MetricsRender>,
    ) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                likes_limiter: RateLimiter::new(settings.likes_per_minute_per_ip),
                login_limiter: RateLimiter::new(10),
                site_host: settings.host(),
                page_cache: PageCache::new(cache::MAX_ENTRIES, cache::MAX_BYTES),
                story_pages: StoryPageCache::new(story_page::MAX_PAGES, story_page::MAX_BYTES),
                story_markers: Markers::new(),
                search: tokio::sync::OnceCell::new(),
                has_stories: std::sync::atomic::AtomicBool::new(false),
                store,
                settings,
                metrics_render,
            }),
        }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The source `slug` (already cleaned) of a `/source/{slug}` page or
    /// feed, followed or removed: a removed source's stories stay
    /// published, and so do its page and feeds. Unknown: not found.
    pub(crate) async fn listed_source(&self, slug: &str) -> WebResult<khabar_model::Source> {
        let (source, _removed_at) = self
            .store()
            .sources()
            .by_slug_any(slug)
            .await?
            .ok_or(crate::error::WebError::NotFound)?;
        Ok(source)
    }

    /// Opens the search index and starts keeping it current (a new one is
    /// built in the background). Servers call this at start so the first
    /// reader's search does not pay for it; otherwise the first search does.
    pub async fn prepare_search(&self) {
        self.search_follower().await;
    }

    async fn search_follower(&self) -> Option<&Arc<SearchFollower>> {
        self.inner
            .search
            .get_or_init(|| SearchFollower::start(&self.inner.store))
            .await
            .as_ref()
    }

    /// Where searches are answered now (for operators and tests).
    pub async fn search_status(&self) -> SearchStatus {
        match self.search_follower().await {
            Some(f) if f.is_ready() => SearchStatus::Index,
            Some(_) => SearchStatus::IndexBuilding,
            None => SearchStatus::Database,
        }
    }

    /// Site search: through the index kept beside the store, in the
    /// database while it is built or when it cannot be opened (same
    /// analyser, same page shape).
    pub async fn search(&self, q: &SearchQuery) -> WebResult<Page<SearchHit>> {
        match self.search_follower().await {
            Some(f) => f.search(q).await,
            None => Ok(self.inner.store.search(q).await?),
        }
    }

    /// Serves `key` from the page cache while the store is unchanged, else
    /// renders it with `render` and keeps the result.
    pub(crate) async fn cached<F, Fut>(&self, key: String, render: F) -> WebResult
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = WebResult>,
    {
        // Read before rendering: a write landing during the render leaves the
        // copy under the older number, so the next request renders again.
        let generation = self.store().generation().await?;
        let cache = &self.inner.page_cache;
        if let Some(resp) = cache.get(&key, generation) {
            return Ok(resp);
        }
        let resp = render().await?;
        Ok(cache.put(key, generation, resp).await)
    }

    pub fn settings(&self) -> &SiteSettings {
        &self.inner.settings
    }

    /// The `site` object every template gets.
    pub(crate) fn site(&self) -> SiteView<'_> {
        let s = &self.inner.settings;
        SiteView {
            title: &s.title,
            tagline: &s.tagline,
            language: &s.language,
            dir: if khabar_text::is_rtl_lang(&s.language) {
                "rtl"
            } else {
                "ltr"
            },
            base_url: s.base(),
            css_href: assets::css_href(),
            js_href: assets::js_href(),
        }
    }
}

/// Where site searches are answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchStatus {
    /// The tantivy index kept beside the store (either backend), current
    /// with its change log.
    Index,
    /// The index is being built; the database answers meanwhile.
    IndexBuilding,
    /// The database's own full-text search: the index could not be opened
    /// (another process holds it, or its folder is unusable).
    Database,
}

#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    pub title: &'a str,
    pub tagline: &'a str,
    pub language: &'a str,
    /// Direction of the site's own chrome (header, footer), kept when a page is Persian.
    pub dir: &'static str,
    pub base_url: &'a str,
    pub css_href: &'static str,
    pub js_href: &'static str,
}

/// Page-level template data shared by every page (`page` in templates).
#[derive(Serialize, Default)]
pub(crate) struct PageMeta {
    pub title: String,
    pub lang: String,
    pub dir: &'static str,
    pub description: Option<String>,
    pub canonical: Option<String>,
    pub noindex: bool,
    pub query: String,
    pub wide: bool,
    pub feeds: Vec<FeedLink>,
    /// The edition (`en`, `fa`) a front page shows, marked current in the language switch.
    pub edition: String,
}

#[derive(Serialize, Clone)]
pub(crate) struct FeedLink {
    pub mime: &'static str,
    pub title: String,
    pub label: &'static str,
    pub href: String,
}

impl PageMeta {
    pub fn new(state: &AppState, title: impl Into<String>) -> Self {
        let lang = state.settings().language.clone();
        PageMeta {
            title: title.into(),
            dir: if khabar_text::is_rtl_lang(&lang) {
                "rtl"
            } else {
                "ltr"
            },
            lang,
            ..Default::default()
        }
    }

    /// Adds the Atom, RSS and JSON feed links of a list whose feeds live at `{base}.atom` etc.
    pub fn with_feeds(mut self, base: &str, title: &str) -> Self {
        self.feeds = feed_links(base, title);
        self
    }
}

pub(crate) fn feed_links(base: &str, title: &str) -> Vec<FeedLink> {
    let (path, query) = match base.split_once('?') {
        Some((p, q)) => (p, format!("?{q}")),
        None => (base, String::new()),
    };
    vec![
        FeedLink {
            mime: "application/atom+xml",
            title: format!("{title} (Atom)"),
            label: "Atom",
            href: format!("{path}.atom{query}"),
        },
        FeedLink {
            mime: "application/rss+xml",
            title: format!("{title} (RSS)"),
            label: "RSS",
            href: format!("{path}.rss{query}"),
        },
        FeedLink {
            mime: "application/feed+json",
            title: format!("{title} (JSON Feed)"),
            label: "JSON Feed",
            href: format!("{path}.json{query}"),
        },
    ]
}

//! khabar's reader-facing web site: server-rendered HTML pages (no
//! JavaScript needed to read), Atom/RSS/JSON feeds, sitemaps, a JSON API and
//! a token-protected admin area, all over one [`khabar_store::Store`].
//!
//! ```ignore
//! let state = khabar_web::AppState::new(store, settings);
//! khabar_web::serve(tokio::net::TcpListener::bind("127.0.0.1:8080").await?, state).await?;
//! ```
//!
//! Templates, stylesheet and script are compiled into the binary, so the
//! site runs from any working directory.
//!
//! Routes:
//!
//! | path | what |
//! |---|---|
//! | `/` `?page=&lang=` | latest primaries, pinned first, "N outlets" |
//! | `/story/{id}[/{slug}]` | story page (410 when taken down) |
//! | `/story/{id}/feed.{atom,rss,json}` | follow a story: its reports, copies and other-language reports as they come and change |
//! | `POST /story/{id}/like` | like: form token + reader cookie, 303 or `{"likes":N}` |
//! | `/search?q=&lang=&source=&tag=&from=&to=&sort=&page=` | search with highlighted snippets |
//! | `/source/{slug}`, `/tag/{tag}`, `/{yyyy}/{mm}/{dd}/` | browsing |
//! | `/archive`, `/archive/{yyyy}/{mm}` | months by year with counts; a month's calendar and stories |
//! | `/tags`, `/sources` | every topic with its count; every source with language, kind, who runs it, site |
//! | `/coverage`, `/coverage/{state-only,not-state,persian-only,english-only}[/feed.*]` | stories by who carried them |
//! | `/favicon.ico`, `/site.webmanifest` | icon and web app manifest |
//! | `/feed.{atom,rss,json}`, `/tag/{t}/feed.*`, `/source/{s}/feed.*`, `/search/feed.*?q=` | feeds |
//! | `/sitemap.xml`, `/news-sitemap.xml`, `/robots.txt` | crawlers |
//! | `/healthz` (liveness), `/health` (readiness, JSON), `/metrics` | operations |
//! | `/api/v1/{stories,stories/{id},sources,search,openapi.json}` | JSON API |
//! | `/admin`, `/admin/rejected`, `POST /admin/login`, `POST /admin/story/{id}/{hide,unhide,pin,unpin,takedown}` | operator |
//! | `/static/site.{hash}.css`, `/static/like.{hash}.js` | immutable assets |

mod admin;
mod api;
mod archive;
mod assets;
pub mod body;
mod cache;
mod coverage;
mod error;
mod feed_coverage;
mod feeds;
mod front;
mod health;
mod i18n;
pub mod image_view;
mod images;
mod indexes;
mod likes;
mod machines;
mod middleware;
mod page_parts;
mod pages;
mod params;
mod rate_limit;
mod search_index;
pub mod security;
mod settings;
mod state;
mod story_feed;
mod story_list;
mod story_page;
mod templates;
mod timeline;
pub mod view;
mod xml_chars;

use std::net::SocketAddr;

use axum::Router;
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub use api::story_json;
pub use error::WebError;
pub use feeds::{FeedFormat, feed_urls_for, story_feed_urls_for};
pub use settings::{SettingsError, SiteSettings};
pub use state::{AppState, MetricsRender, SearchStatus};

/// All routes, with compression, request tracing, ETags and caching headers.
///
/// Serve it with `into_make_service_with_connect_info::<SocketAddr>()` (as
/// [`serve`] does) so like rate limits see the client address; without it
/// every reader shares one bucket.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/stories", get(api::stories))
        .route("/stories/{id}", get(api::story))
        .route("/sources", get(api::sources))
        .route("/search", get(api::search))
        .route("/openapi.json", get(api::openapi))
        .fallback(api::not_found)
        // Everything under /api/ answers JSON, axum's own rejections too.
        .layer(axum::middleware::from_fn(middleware::api_json_errors));

    let site = Router::new()
        .route("/", get(pages::home))
        .route("/story/{id}", get(pages::story))
        .route("/story/{id}/{slug}", get(pages::story))
        .route("/story/{id}/like", post(likes::like))
        .route("/search", get(pages::search))
        .route("/source/{slug}", get(pages::source))
        .route("/tag/{tag}", get(pages::tag))
        .route("/coverage", get(coverage::index))
        .route("/coverage/{view}", get(coverage::view));
    let site = with_feeds(site, "", feeds::site);
    let site = with_feeds(site, "/story/{id}", story_feed::story);
    let site = with_feeds(site, "/search", feeds::search);
    let site = with_feeds(site, "/source/{slug}", feeds::source);
    let site = with_feeds(site, "/tag/{tag}", feeds::tag);
    let site = with_feeds(site, "/coverage/{view}", feeds::coverage);
    site.route("/archive", get(archive::index))
        .route("/archive/{yyyy}/{mm}", get(archive::month))
        .route("/{yyyy}/{mm}/{dd}", get(pages::day))
        .route("/{yyyy}/{mm}/{dd}/", get(pages::day))
        .route("/sitemap.xml", get(machines::sitemap))
        .route("/news-sitemap.xml", get(machines::news_sitemap))
        .route("/robots.txt", get(machines::robots))
        .route("/healthz", get(machines::healthz))
        .route("/health", get(health::health))
        .route("/metrics", get(machines::metrics))
        .route("/static/{file}", get(assets::serve))
        .route("/img/{id}/{file}", get(images::variant))
        .route("/favicon.ico", get(assets::favicon))
        .route(assets::MANIFEST_PATH, get(machines::manifest))
        .route("/tags", get(indexes::tags))
        .route("/sources", get(indexes::sources))
        .route("/admin", get(admin::dashboard))
        .route("/admin/", get(admin::dashboard))
        .route("/admin/login", post(admin::login))
        .route("/admin/logout", post(admin::logout))
        .route("/admin/rejected", get(admin::rejected))
        .route("/admin/story/{id}/{action}", post(admin::story_action))
        .route(
            "/admin/source/{slug}/poll-now",
            post(admin::poll_source_now),
        )
        .nest("/api/v1", api)
        // An unknown API path or version is a JSON 404 as well.
        .route("/api", get(api::not_found))
        .route("/api/{*rest}", get(api::not_found))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::error_pages,
        ))
        .layer(axum::middleware::from_fn(middleware::caching))
        .layer(axum::middleware::from_fn(middleware::http_metrics))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Routes `{base}/feed.atom`, `{base}/feed.rss` and `{base}/feed.json` to
/// one handler, which reads the format from the path ([`FeedFormat`] is an
/// extractor): one handler per feed family instead of one per format.
fn with_feeds<H, T>(router: Router<AppState>, base: &str, handler: H) -> Router<AppState>
where
    H: axum::handler::Handler<T, AppState>,
    T: 'static,
{
    FeedFormat::ALL.into_iter().fold(router, |router, format| {
        router.route(
            &format!("{base}/feed.{}", format.ext()),
            get(handler.clone()),
        )
    })
}

/// Serves the site on `listener` until the process ends, with client
/// addresses available to the rate limiter.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    state.prepare_search().await;
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}

/// Like [`serve`], stopping when `shutdown` completes (e.g. on Ctrl-C).
pub async fn serve_with_shutdown<F>(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: F,
) -> std::io::Result<()>
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    state.prepare_search().await;
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

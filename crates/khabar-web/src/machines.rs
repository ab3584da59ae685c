//! Endpoints for machines: sitemaps, robots.txt, health, metrics and the
//! web app manifest.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use khabar_store::StoryQuery;

use crate::assets;
use crate::body::escape;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use crate::view;
use crate::xml_chars::xml_1_0;

/// Stories listed in `/sitemap.xml` (the protocol allows 50 000 per file).
const SITEMAP_STORIES: i64 = 5_000;
/// Google News sitemaps list at most 1 000 stories of the last two days.
const NEWS_SITEMAP_STORIES: i64 = 1_000;

fn xml(body: String) -> Response {
    let mut r = xml_1_0(body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=600"),
    );
    r
}

/// `/sitemap.xml`: home, archive, tag pages and story pages.
pub async fn sitemap(State(state): State<AppState>) -> WebResult {
    let s = state.settings();
    let stories = state
        .store()
        .stories(&StoryQuery {
            limit: SITEMAP_STORIES,
            ..Default::default()
        })
        .await?
        .items;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let newest = stories.iter().map(|s| s.display_time()).max();
    out.push_str(&format!("<url><loc>{}</loc>", escape(&s.abs("/"))));
    if let Some(t) = newest {
        out.push_str(&format!("<lastmod>{}</lastmod>", t.to_rfc3339()));
    }
    out.push_str("<changefreq>hourly</changefreq></url>\n");
    // The index pages and the coverage views: lists a reader lands on.
    let views = khabar_model::CoverageView::ALL.map(crate::coverage::view_path);
    for path in ["/archive", "/tags", "/sources", "/coverage"]
        .into_iter()
        .chain(views.iter().map(String::as_str))
    {
        out.push_str(&format!("<url><loc>{}</loc></url>\n", escape(&s.abs(path))));
    }
    for (tag, _) in state.store().tags().await?.iter().filter(|(_, n)| *n > 0) {
        out.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            escape(&s.abs(&format!("/tag/{}", view::url_path_escape(tag))))
        ));
    }
    for st in &stories {
        out.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            escape(&s.abs(&view::story_path(st))),
            st.display_time().to_rfc3339()
        ));
    }
    out.push_str("</urlset>\n");
    Ok(xml(out))
}

/// `/news-sitemap.xml`: Google News sitemap of the last two days.
pub async fn news_sitemap(State(state): State<AppState>) -> WebResult {
    let s = state.settings();
    let today = Utc::now();
    let from = (today - Duration::days(2)).date_naive();
    let stories = state
        .store()
        .stories(&StoryQuery {
            from: Some(from),
            limit: NEWS_SITEMAP_STORIES,
            ..Default::default()
        })
        .await?
        .items;
    let cutoff = today - Duration::hours(48);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    for st in stories.iter().filter(|st| st.display_time() >= cutoff) {
        let lang = view::lang_of(st);
        let lang = lang.split('-').next().unwrap_or("en");
        out.push_str(&format!(
            "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name><news:language>{}</news:language></news:publication>\
             <news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>\n",
            escape(&s.abs(&view::story_path(st))),
            escape(&s.title),
            escape(lang),
            st.display_time().to_rfc3339(),
            escape(&st.headline),
        ));
    }
    out.push_str("</urlset>\n");
    Ok(xml(out))
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let s = state.settings();
    let body = format!(
        "User-agent: *\nDisallow: /admin\nDisallow: /search\nDisallow: /api/\nAllow: /\n\nSitemap: {}\nSitemap: {}\n",
        s.abs("/sitemap.xml"),
        s.abs("/news-sitemap.xml")
    );
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

/// `/healthz`: 200 with counts when the database answers, 503 when not;
/// `search` says what answers searches (`index`, `index_building`, `database`).
pub async fn healthz(State(state): State<AppState>) -> Response {
    let mut r = match state.store().counts().await {
        Ok(c) => (
            StatusCode::OK,
            Json(serde_json::json!({
                "ok": true,
                "db": true,
                "backend": state.store().backend().as_str(),
                "search": state.search_status().await,
                "counts": c,
            })),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: store unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "ok": false, "db": false })),
            )
                .into_response()
        }
    };
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `/metrics`: Prometheus text from the binary's recorder, when it gave one.
pub async fn metrics(State(state): State<AppState>) -> WebResult {
    let render = state
        .inner
        .metrics_render
        .as_ref()
        .ok_or(WebError::NotFound)?;
    // Queue depth and store reachability are read at scrape time, so they
    // are current whichever process did the work.
    match state.store().jobs().counts().await {
        Ok(q) => {
            for (name, n) in [
                ("queued", q.queued),
                ("ready", q.ready),
                ("leased", q.leased),
                ("failed", q.failed),
            ] {
                metrics::gauge!("khabar_queue_jobs", "state" => name).set(n as f64);
            }
            metrics::gauge!("khabar_sources_due").set(q.sources_due as f64);
            metrics::gauge!("khabar_store_up").set(1.0);
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: store unreachable");
            metrics::gauge!("khabar_store_up").set(0.0);
            metrics::counter!("khabar_store_errors_total", "op" => "job_counts").increment(1);
        }
    }
    let mut r = render().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// `/site.webmanifest`: the site's name, language and icons for "add to
/// home screen". Made from the settings, so cached for a day, not a year.
pub async fn manifest(State(state): State<AppState>) -> Response {
    let s = state.settings();
    let rtl = crate::i18n::catalogue(&s.language).is_some_and(crate::i18n::is_rtl);
    let body = serde_json::json!({
        "name": s.title,
        "short_name": s.title,
        "description": s.tagline,
        "lang": s.language,
        "dir": if rtl { "rtl" } else { "ltr" },
        "start_url": "/",
        "scope": "/",
        "display": "browser",
        "background_color": "#fdfcf9",
        "theme_color": "#a4161a",
        "icons": [
            { "src": assets::href("favicon.svg"), "type": "image/svg+xml", "sizes": "any" },
            { "src": assets::href("icon-180.png"), "type": "image/png", "sizes": "180x180" },
            { "src": assets::href("icon-512.png"), "type": "image/png", "sizes": "512x512" },
        ],
    });
    (
        [
            (header::CONTENT_TYPE, "application/manifest+json"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body.to_string(),
    )
        .into_response()
}

//! JSON API, version 1. Read-only, public, described by the OpenAPI file
//! served at `/api/v1/openapi.json` (static/openapi.json).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use khabar_model::{Block, StoredStory, StoryStatus};
use khabar_store::StoryQuery;
use serde::Serialize;

use crate::error::{ApiError, WebError};
use crate::pages::{self, visible_story};
use crate::params::ListParams;
use crate::state::AppState;
use crate::{SiteSettings, body, view};

const OPENAPI: &str = include_str!("../static/openapi.json");

type ApiResult<T = Response> = Result<T, ApiError>;

#[derive(Serialize)]
pub struct SourceRef {
    pub slug: String,
    pub name: String,
}

/// A story as the API shows it. Full text only for sources that allow republishing.
#[derive(Serialize)]
pub struct StoryJson {
    pub id: i64,
    pub url: String,
    pub original_url: String,
    pub headline: String,
    pub source: SourceRef,
    pub published_at: Option<String>,
    pub fetched_at: String,
    pub lang: String,
    pub dir: &'static str,
    pub excerpt: String,
    pub byline: Option<String>,
    pub dateline: Option<String>,
    pub credits: Option<String>,
    pub tags: Vec<String>,
    pub likes: i64,
    pub pinned: bool,
    pub duplicate_of: Option<i64>,
    pub event_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocks: Option<Vec<Block>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copies: Option<Vec<CopyJson>>,
    /// Only in `/stories/{id}`: reports of the same event in other languages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_languages: Option<Vec<OtherLanguageJson>>,
    /// Who carried the story: its published reports (copies and reports in
    /// other languages included) by kind of outlet and by language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<CoverageJson>,
}

/// A story's reports counted by kind of outlet and by language.
#[derive(Serialize)]
pub struct CoverageJson {
    pub reports: i64,
    pub outlets: std::collections::BTreeMap<khabar_model::OutletKind, i64>,
    pub languages: std::collections::BTreeMap<String, i64>,
}

impl From<khabar_model::Coverage> for CoverageJson {
    fn from(c: khabar_model::Coverage) -> Self {
        CoverageJson {
            reports: c.reports(),
            outlets: c.outlets,
            languages: c.languages,
        }
    }
}

/// A report of the same event in another language.
#[derive(Serialize)]
pub struct OtherLanguageJson {
    pub id: i64,
    pub lang: String,
    pub headline: String,
    pub url: String,
    pub source: SourceRef,
}

#[derive(Serialize)]
pub struct CopyJson {
    pub id: i64,
    pub source: SourceRef,
    pub original_url: String,
    pub published_at: Option<String>,
}

impl StoryJson {
    pub fn new(state: &AppState, s: &StoredStory) -> Self {
        Self::for_site(state.settings(), s)
    }

    pub fn for_site(settings: &SiteSettings, s: &StoredStory) -> Self {
        StoryJson {
            id: s.id,
            url: settings.abs(&view::story_path(s)),
            original_url: view::original_url(s),
            headline: s.headline.clone(),
            source: SourceRef {
                slug: s.source_slug.clone(),
                name: s.source_name.clone(),
            },
            published_at: s.published_at.map(|t| t.to_rfc3339()),
            fetched_at: s.fetched_at.to_rfc3339(),
            lang: view::lang_of(s),
            dir: view::dir_of(s),
            excerpt: view::excerpt(s),
            byline: s.byline.clone(),
            dateline: s.dateline.clone(),
            credits: s.credits.clone(),
            tags: s.relevance.tags.clone(),
            likes: s.likes,
            pinned: s.pinned,
            duplicate_of: s.duplicate_of,
            event_id: s.event_id,
            blocks: None,
            body_html: None,
            copies: None,
            other_languages: None,
            coverage: None,
        }
    }
}

impl StoryJson {
    /// The whole story as `/api/v1/stories/{id}` shows it, without its copies.
    pub fn with_body(settings: &SiteSettings, s: &StoredStory) -> Self {
        let mut j = StoryJson::for_site(settings, s);
        if s.full_text {
            j.blocks = Some(s.blocks.clone());
        }
        j.body_html = Some(body::story_body_html(s));
        j
    }
}

/// A story as `GET /api/v1/stories/{id}` shows it, as JSON text: what a
/// webhook receives when the story is published (a story just published
/// has no copies yet, so `copies` is empty; `coverage` is what the store
/// counts for it then).
pub fn story_json(
    settings: &SiteSettings,
    s: &StoredStory,
    coverage: Option<khabar_model::Coverage>,
) -> String {
    let mut j = StoryJson::with_body(settings, s);
    j.copies = Some(Vec::new());
    j.coverage = coverage.map(CoverageJson::from);
    serde_json::to_string(&j).unwrap_or_else(|_| "{}".into())
}

#[derive(Serialize)]
pub struct PageJson<T> {
    pub items: Vec<T>,
    pub total: i64,
    /// false: `total` is a lower bound where the store stopped counting.
    pub total_exact: bool,
    pub page: i64,
    pub per_page: i64,
}

fn json<T: Serialize>(v: &T) -> Response {
    let mut r = Json(v).into_response();
    r.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    r
}

/// `GET /api/v1/stories?lang=&source=&tag=&from=&to=&coverage=&page=&per_page=`
pub async fn stories(State(state): State<AppState>, Query(p): Query<ListParams>) -> ApiResult {
    let per_page = p.per_page(state.settings().page_size());
    let page = p.page();
    let res = state
        .store()
        .stories(&StoryQuery {
            lang: p.lang(),
            source_slug: p.source(),
            tag: p.tag(),
            from: p.from(),
            to: p.to(),
            coverage: p.coverage(),
            offset: (page - 1) * per_page,
            limit: per_page,
            ..Default::default()
        })
        .await?;
    let ids: Vec<i64> = res.items.iter().map(|s| s.id).collect();
    let mut coverage = state.store().coverage(&ids).await?;
    let items = res
        .items
        .iter()
        .map(|s| {
            let mut j = StoryJson::new(&state, s);
            j.coverage = coverage.remove(&s.id).map(CoverageJson::from);
            j
        })
        .collect();
    Ok(json(&PageJson {
        items,
        total: res.total,
        total_exact: res.total_exact,
        page,
        per_page,
    }))
}

/// `GET /api/v1/stories/{id}`
pub async fn story(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let s = visible_story(&state, &id).await?;
    let mut j = StoryJson::with_body(state.settings(), &s);
    let copies = state.store().copies_of(s.id).await?;
    j.copies = Some(
        copies
            .iter()
            .filter(|c| c.status == StoryStatus::Published)
            .map(|c| CopyJson {
                id: c.id,
                source: SourceRef {
                    slug: c.source_slug.clone(),
                    name: c.source_name.clone(),
                },
                original_url: view::original_url(c),
                published_at: c.published_at.map(|t| t.to_rfc3339()),
            })
            .collect(),
    );
    let group = match s.duplicate_of {
        Some(p) => state.store().story(p).await?.and_then(|p| p.crosslang_id),
        None => s.crosslang_id,
    };
    let primary = s.duplicate_of.unwrap_or(s.id);
    j.coverage = state
        .store()
        .coverage(&[primary])
        .await?
        .remove(&primary)
        .map(CoverageJson::from);
    if let Some(g) = group {
        let others = state.store().crosslang_reports(g, primary).await?;
        j.other_languages = Some(
            others
                .iter()
                .map(|o| OtherLanguageJson {
                    id: o.id,
                    lang: view::lang_of(o),
                    headline: o.headline.clone(),
                    url: state.settings().abs(&view::story_path(o)),
                    source: SourceRef {
                        slug: o.source_slug.clone(),
                        name: o.source_name.clone(),
                    },
                })
                .collect(),
        );
    }
    Ok(json(&j))
}

#[derive(Serialize)]
struct SourceJson {
    slug: String,
    name: String,
    url: String,
    kind: &'static str,
    /// Who runs it: state, independent, international, regional, other.
    outlet: &'static str,
    outlet_note: Option<String>,
    lang: Option<String>,
    full_text: bool,
    status: &'static str,
    last_fetch_at: Option<String>,
    last_success_at: Option<String>,
    html_url: String,
}

/// `GET /api/v1/sources` (no polling secrets: proxies and validators stay private).
pub async fn sources(State(state): State<AppState>) -> ApiResult {
    let sources = state.store().sources().all().await?;
    let items: Vec<SourceJson> = sources
        .into_iter()
        .map(|s| SourceJson {
            html_url: state
                .settings()
                .abs(&format!("/source/{}", view::url_path_escape(&s.slug))),
            kind: s.kind.as_str(),
            outlet: s.outlet.as_str(),
            outlet_note: s.outlet_note.clone(),
            status: s.status.as_str(),
            last_fetch_at: s.last_fetch_at.map(|t| t.to_rfc3339()),
            last_success_at: s.last_success_at.map(|t| t.to_rfc3339()),
            slug: s.slug,
            name: s.name,
            url: s.url,
            lang: s.lang,
            full_text: s.full_text,
        })
        .collect();
    Ok(json(&items))
}

#[derive(Serialize)]
struct HitJson {
    story: StoryJson,
    snippet_html: String,
    rank: f32,
}

/// `GET /api/v1/search?q=&lang=&source=&tag=&from=&to=&sort=&page=&per_page=`
pub async fn search(State(state): State<AppState>, Query(p): Query<ListParams>) -> ApiResult {
    if p.q().is_empty() {
        return Err(ApiError(WebError::BadRequest(
            "parameter q is required".into(),
        )));
    }
    let per_page = p.per_page(state.settings().page_size());
    let page = p.page();
    let res = state
        .search(&pages::search_query(&p, (page - 1) * per_page, per_page))
        .await?;
    let items = res
        .items
        .iter()
        .map(|h| HitJson {
            story: StoryJson::new(&state, &h.story),
            snippet_html: body::clean_snippet(&h.snippet_html),
            rank: h.rank,
        })
        .collect();
    Ok(json(&PageJson {
        items,
        total: res.total,
        total_exact: res.total_exact,
        page,
        per_page,
    }))
}

/// `GET /api/v1/openapi.json`
pub async fn openapi(State(state): State<AppState>) -> Response {
    // The file names no server; add this site's so tools can try requests.
    let body = match serde_json::from_str::<serde_json::Value>(OPENAPI) {
        Ok(mut v) => {
            v["servers"] = serde_json::json!([{ "url": state.settings().abs("/api/v1") }]);
            v
        }
        Err(e) => {
            tracing::error!(error = %e, "embedded openapi.json is invalid");
            serde_json::json!({})
        }
    };
    json(&body)
}

/// Unknown API paths answer in JSON too.
pub async fn not_found() -> ApiError {
    ApiError(WebError::NotFound)
}

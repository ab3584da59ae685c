//! The pieces every reader page is made with: the edition a reader asked
//! for, the template render, pager links, query strings and list rows.

use axum::response::{Html, IntoResponse};
use khabar_model::StoredStory;
use serde::Serialize;

use crate::error::WebResult;
use crate::i18n;
use crate::state::{AppState, PageMeta};
use crate::templates;
use crate::view::{self, StoryItem};

/// Page metadata in the edition a reader asked for with `?lang=` (when
/// there is a catalogue for it), else in the site's language; and that locale.
pub fn edition_meta(state: &AppState, lang: Option<&str>) -> (PageMeta, &'static str) {
    let mut meta = PageMeta::new(state, "");
    let loc = lang
        .and_then(i18n::catalogue)
        .or_else(|| i18n::catalogue(&state.settings().language))
        .unwrap_or("en");
    if lang.and_then(i18n::catalogue).is_some() {
        meta.lang = loc.to_string();
        meta.dir = if i18n::is_rtl(loc) { "rtl" } else { "ltr" };
    }
    (meta, loc)
}

/// Renders a template into an HTML response.
pub fn html<T: Serialize>(name: &str, ctx: &T) -> WebResult {
    Ok(Html(templates::render(name, ctx)?).into_response())
}

/// Prev/next links of a paged list.
#[derive(Serialize, Default)]
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    /// `pages` is a lower bound: the store stopped counting at a cap.
    pub more: bool,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `base` is the list's URL with its other query parameters (no `page`).
    pub fn new(base: &str, page: i64, total: i64, limit: i64) -> Self {
        Self::with_exactness(base, page, total, true, limit)
    }

    /// Like [`Pager::new`] for a total that may be a lower bound
    /// (`total_exact == false`): there is then always a next page link.
    pub fn with_exactness(base: &str, page: i64, total: i64, exact: bool, limit: i64) -> Self {
        let pages = ((total + limit - 1) / limit.max(1)).max(1);
        let sep = if base.contains('?') { '&' } else { '?' };
        let link = |p: i64| {
            if p == 1 {
                base.to_string()
            } else {
                format!("{base}{sep}page={p}")
            }
        };
        Pager {
            page,
            pages,
            more: !exact,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages || !exact).then(|| link(page + 1)),
        }
    }
}

/// Builds a URL with the given non-empty query parameters.
pub fn with_query(path: &str, params: &[(&str, Option<&str>)]) -> String {
    let q: Vec<String> = params
        .iter()
        .filter_map(|(k, v)| {
            v.filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", view::query_escape(v)))
        })
        .collect();
    if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}

/// List rows with each story's outlet count, the copies of the whole page
/// counted in one store query (one per row made list pages slow).
pub async fn items_with_outlets(
    state: &AppState,
    stories: &[StoredStory],
) -> WebResult<Vec<StoryItem>> {
    let ids: Vec<i64> = stories.iter().map(|s| s.id).collect();
    let copies = if ids.is_empty() {
        Default::default()
    } else {
        state.store().copy_counts(&ids).await?
    };
    Ok(stories
        .iter()
        .map(|s| StoryItem::new(s, copies.get(&s.id).copied().unwrap_or(0)))
        .collect())
}

/// `?lang=` kept on links out of an index or story page, so the reader
/// stays in the edition (none for the site's own language).
pub(crate) fn edition_suffix(meta: &PageMeta, state: &AppState) -> String {
    let site = i18n::catalogue(&state.settings().language).unwrap_or("en");
    match i18n::catalogue(&meta.lang) {
        Some(l) if l != site => format!("?lang={l}"),
        _ => String::new(),
    }
}

//! A paged list of stories (home, source, tag, day and coverage pages),
//! served from the page cache while the store is unchanged.

use khabar_store::StoryQuery;
use serde::Serialize;

use crate::error::{WebError, WebResult};
use crate::front::{self, Front};
use crate::i18n;
use crate::page_parts::{Pager, html, items_with_outlets};
use crate::state::{AppState, PageMeta, SiteView};
use crate::view::StoryItem;

#[derive(Serialize)]
struct ListCtx<'a> {
    site: SiteView<'a>,
    page: PageMeta,
    heading: String,
    intro: Option<String>,
    feeds_line: bool,
    items: Vec<StoryItem>,
    pager: Pager,
    /// Why the list is empty, on a home page with no stories.
    empty_note: Option<crate::health::EmptyNote>,
    /// The front page's lead story and topic sections (home, first page).
    #[serde(flatten)]
    front: Front,
    /// A source page's language, kind and web site.
    about: Option<SourceAbout>,
}

/// What a source page says about the source.
#[derive(Serialize, Clone)]
pub(crate) struct SourceAbout {
    pub language: String,
    pub kind: String,
    pub url: String,
}

/// One paged story list page: what to show above the list and what to list.
pub(crate) struct ListPage {
    pub meta: PageMeta,
    pub heading: String,
    pub intro: Option<String>,
    pub query: StoryQuery,
    /// The list's URL without `page`, for pager links.
    pub base: String,
    /// A filter that matches nothing (unknown tag) is a missing page.
    pub empty_is_404: bool,
    /// An empty list says why (no sources, not fetched yet, all failing):
    /// the home page, where a new operator looks first.
    pub explain_empty: bool,
    /// The home page: a lead story and topic sections above the list on page 1.
    pub front: bool,
    pub about: Option<SourceAbout>,
}

/// A story list, served from the page cache while the store is unchanged.
pub(crate) async fn story_list(state: &AppState, list: ListPage, page: i64) -> WebResult {
    // Everything the page depends on besides the store: its path and filters
    // (in `base`), the language filter (not in `base` on source/tag/day
    // pages) and the page number.
    let key = format!("list {} lang={:?} page={page}", list.base, list.query.lang);
    state
        .cached(key, || render_story_list(state, list, page))
        .await
}

pub(crate) async fn render_story_list(state: &AppState, list: ListPage, page: i64) -> WebResult {
    let ListPage {
        mut meta,
        heading,
        intro,
        mut query,
        base,
        empty_is_404,
        explain_empty,
        front,
        about,
    } = list;
    let base = base.as_str();
    let limit = state.settings().page_size();
    query.limit = limit;
    query.offset = (page - 1) * limit;
    let res = state.store().stories(&query).await?;
    if res.items.is_empty() && (page > 1 || empty_is_404) {
        return Err(WebError::NotFound);
    }
    let items = items_with_outlets(state, &res.items).await?;
    let empty_note = if items.is_empty() && explain_empty {
        let sources = state.store().sources().all().await?;
        let admin = state.settings().admin_token.is_some();
        let loc = i18n::catalogue(&meta.lang).unwrap_or("en");
        Some(crate::health::SourcesSummary::of(&sources).why_empty(loc, admin))
    } else {
        None
    };
    if !items.is_empty() {
        state
            .inner
            .has_stories
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let loc = i18n::catalogue(&meta.lang).unwrap_or("en");
    if page > 1 {
        meta.title = i18n::text(
            loc,
            "page-title-numbered",
            &[("title", meta.title.clone().into()), ("page", page.into())],
        );
    }
    let front = if front && page == 1 && !items.is_empty() {
        let suffix = match query.lang.as_deref().and_then(i18n::catalogue) {
            Some(l) => format!("?lang={l}"),
            None => String::new(),
        };
        front::front(state, query.lang.clone(), &suffix).await?
    } else {
        Front::default()
    };
    // The lead is shown in full above: the latest list goes on without it
    // rather than opening with the same headline again.
    let mut items = items;
    if let Some(lead) = &front.lead {
        items.retain(|it| it.id != lead.id);
    }
    let template = if front.lead.is_some() || page == 1 && explain_empty {
        "home.html"
    } else {
        "list.html"
    };
    let ctx = ListCtx {
        site: state.site(),
        feeds_line: !meta.feeds.is_empty(),
        page: meta,
        heading,
        intro,
        items,
        pager: Pager::with_exactness(base, page, res.total, res.total_exact, limit),
        empty_note,
        front,
        about,
    };
    html(template, &ctx)
}

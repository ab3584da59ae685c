//! Reader-facing HTML pages: home, story, source, tag, day and search.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse};
use chrono::NaiveDate;
use khabar_model::{StoredStory, StoryStatus};
use khabar_store::{SearchQuery, SearchSort, StoryQuery};
use serde::Serialize;

use crate::body;
use crate::error::{WebError, WebResult};
use crate::i18n;
use crate::page_parts::{Pager, edition_meta, html, items_with_outlets, with_query};
use crate::params::{ListParams, clean_slug};
use crate::security;
use crate::state::{AppState, PageMeta, SiteView};
use crate::story_list::{ListPage, SourceAbout, render_story_list, story_list};
use crate::story_page::{Markers, StoryShell};
use crate::templates;
use crate::view::{self, StoryItem, StoryView};

pub const READER_COOKIE: &str = "khabar_reader";

/// `/` — latest stories, pinned first; `?lang=` narrows to one language.
pub async fn home(State(state): State<AppState>, Query(p): Query<ListParams>) -> WebResult {
    let lang = p.lang();
    let (mut meta, loc) = edition_meta(&state, lang.as_deref());
    let edition = lang.as_deref().and_then(i18n::catalogue);
    let heading = i18n::text(
        loc,
        match edition {
            Some("en") => "home-heading-en",
            Some("fa") => "home-heading-fa",
            _ => "home-heading",
        },
        &[],
    );
    if lang.is_some() {
        meta.title = heading.clone();
    }
    meta.edition = edition.unwrap_or_default().to_string();
    meta.wide = true;
    meta.description = Some(state.settings().tagline.clone());
    meta.canonical = Some(state.settings().abs("/"));
    // The feed carries the page's language filter (the site feed honours `?lang=`).
    meta.feeds = crate::state::feed_links(
        &with_query("/feed", &[("lang", lang.as_deref())]),
        &state.settings().title,
    );
    let query = StoryQuery {
        lang: lang.clone(),
        ..Default::default()
    };
    let base = with_query("/", &[("lang", lang.as_deref())]);
    let list = ListPage {
        meta,
        heading,
        intro: None,
        query,
        base,
        empty_is_404: false,
        explain_empty: true,
        front: true,
        about: None,
    };
    if !state
        .inner
        .has_stories
        .load(std::sync::atomic::Ordering::Relaxed)
    {
        return render_story_list(&state, list, p.page()).await;
    }
    story_list(&state, list, p.page()).await
}

/// `/source/{slug}`
pub async fn source(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(p): Query<ListParams>,
) -> WebResult {
    let slug = clean_slug(Some(&slug)).ok_or(WebError::NotFound)?;
    let src = state.listed_source(&slug).await?;
    let base = format!("/source/{}", view::url_path_escape(&slug));
    let (mut meta, loc) = edition_meta(&state, p.lang().as_deref());
    meta.title = src.name.clone();
    // A filtered page follows the same filter in its feed.
    let meta = meta.with_feeds(
        &with_query(&format!("{base}/feed"), &[("lang", p.lang().as_deref())]),
        &src.name,
    );
    let mut meta = meta;
    meta.description = Some(i18n::text(
        loc,
        "source-description",
        &[
            ("source", src.name.clone().into()),
            ("site", state.settings().title.clone().into()),
        ],
    ));
    let about = Some(SourceAbout {
        language: src
            .lang
            .as_deref()
            .map(|l| i18n::language_name(loc, l))
            .unwrap_or_default(),
        kind: i18n::text(loc, &format!("source-kind-{}", src.kind.as_str()), &[]),
        url: src.url.clone(),
    });
    let query = StoryQuery {
        source_slug: Some(slug),
        lang: p.lang(),
        ..Default::default()
    };
    story_list(
        &state,
        ListPage {
            meta,
            heading: src.name.clone(),
            intro: None,
            query,
            base,
            empty_is_404: false,
            explain_empty: false,
            front: false,
            about,
        },
        p.page(),
    )
    .await
}

/// `/tag/{tag}`
pub async fn tag(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    Query(p): Query<ListParams>,
) -> WebResult {
    let tag = clean_slug(Some(&tag)).ok_or(WebError::NotFound)?;
    let base = format!("/tag/{}", view::url_path_escape(&tag));
    let (mut meta, loc) = edition_meta(&state, p.lang().as_deref());
    let name = i18n::tag_name(loc, &tag);
    meta.title = i18n::text(loc, "tag-title", &[("topic", name.clone().into())]);
    meta.feeds = crate::state::feed_links(
        &with_query(&format!("{base}/feed"), &[("lang", p.lang().as_deref())]),
        &format!("{name} · {}", state.settings().title),
    );
    let query = StoryQuery {
        tag: Some(tag.clone()),
        lang: p.lang(),
        ..Default::default()
    };
    story_list(
        &state,
        ListPage {
            meta,
            heading: i18n::text(loc, "tag-heading", &[("topic", name.into())]),
            intro: None,
            query,
            base,
            empty_is_404: true,
            explain_empty: false,
            front: false,
            about: None,
        },
        p.page(),
    )
    .await
}

/// `/{yyyy}/{mm}/{dd}/` — one day's stories.
pub async fn day(
    State(state): State<AppState>,
    Path((y, m, d)): Path<(String, String, String)>,
    Query(p): Query<ListParams>,
) -> WebResult {
    let date = parse_ymd(&y, &m, &d).ok_or(WebError::NotFound)?;
    let (mut meta, loc) = edition_meta(&state, p.lang().as_deref());
    let title = i18n::date(
        loc,
        date.and_hms_opt(12, 0, 0)
            .map(|t| t.and_utc())
            .ok_or(WebError::NotFound)?,
    );
    let base = format!("/{}/", date.format("%Y/%m/%d"));
    meta.title = title.clone();
    let intro = Some(i18n::text(
        loc,
        "day-intro",
        &[("date", title.clone().into())],
    ));
    let query = StoryQuery {
        day: Some(date),
        lang: p.lang(),
        ..Default::default()
    };
    story_list(
        &state,
        ListPage {
            meta,
            heading: i18n::text(loc, "day-heading", &[("date", title.into())]),
            intro,
            query,
            base,
            empty_is_404: false,
            explain_empty: false,
            front: false,
            about: None,
        },
        p.page(),
    )
    .await
}

fn parse_ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let y: i32 = y.parse().ok().filter(|y| (1900..=2200).contains(y))?;
    NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.trim_end_matches('/').parse().ok()?)
}

#[derive(Serialize)]
struct CopyView {
    source_name: String,
    url: String,
    href: String,
    date_text: String,
    date_iso: String,
}

#[derive(Serialize)]
struct StoryCtx<'a> {
    site: SiteView<'a>,
    page: PageMeta,
    s: StoryView,
    body_html: String,
    json_ld: String,
    like_token: String,
    copies: Vec<CopyView>,
    timeline: Vec<crate::timeline::Moment>,
    /// Reports of the same event in other languages, by language.
    other_languages: Vec<OtherLanguage>,
    /// Who carried the story, by kind of outlet and language.
    coverage: crate::coverage::CoverageSummary,
    more: Vec<StoryItem>,
}

/// One other language's reports of the story's event.
#[derive(Serialize)]
struct OtherLanguage {
    /// The language's name in the page's interface language.
    language: String,
    items: Vec<StoryItem>,
}

/// A story readers may see, or the right error for one they may not.
pub async fn visible_story(state: &AppState, id: &str) -> WebResult<StoredStory> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let story = state.store().story(id).await?.ok_or(WebError::NotFound)?;
    match story.status {
        StoryStatus::Published => Ok(story),
        StoryStatus::TakenDown => Err(WebError::Gone),
        StoryStatus::Hidden | StoryStatus::Rejected => Err(WebError::NotFound),
    }
}

/// The reader's anonymous id, and the `Set-Cookie` value when it is new.
pub fn reader_id(state: &AppState, headers: &HeaderMap) -> (String, Option<String>) {
    match security::cookie(headers, READER_COOKIE) {
        Some(id) => (id, None),
        None => {
            let id = security::random_id();
            let set = security::set_cookie(
                READER_COOKIE,
                &id,
                60 * 60 * 24 * 400,
                state.settings().secure(),
            );
            (id, Some(set))
        }
    }
}

pub fn like_token(state: &AppState, reader: &str) -> String {
    security::token(&state.settings().like_salt, "like", reader)
}

/// `/story/{id}` and `/story/{id}/{slug}`. Kept rendered per store generation
/// ([`crate::story_page`]): a repeat visit costs one store read for the
/// generation and the like count.
pub async fn story(
    State(state): State<AppState>,
    Path(params): Path<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
) -> WebResult {
    let id: i64 = params
        .get("id")
        .and_then(|id| id.parse().ok())
        .ok_or(WebError::NotFound)?;
    // Read before rendering: a write landing during the render leaves the
    // shell under the older generation, so the next request renders again.
    let stamp = state
        .store()
        .story_stamp(id)
        .await?
        .ok_or(WebError::NotFound)?;
    let pages = &state.inner.story_pages;
    let markers = &state.inner.story_markers;
    let (reader, set_cookie) = reader_id(&state, &headers);
    let token = like_token(&state, &reader);
    let page = match pages.get(&id, stamp.generation) {
        Some(shell) => shell.fill(&token, &i18n::likes(shell.locale, stamp.likes)),
        None => {
            let (html, locale) = render_story(&state, id, markers).await?;
            let likes = i18n::likes(locale, stamp.likes);
            match StoryShell::split(&html, markers, locale) {
                Some(shell) => {
                    let page = shell.fill(&token, &likes);
                    pages.insert(id, stamp.generation, Arc::new(shell));
                    page
                }
                None => {
                    tracing::error!(id, "story page lost a like-form marker; served uncached");
                    html.replace(&markers.token, &token)
                        .replace(&markers.likes, &likes)
                }
            }
        }
    };
    let mut resp = Html(page).into_response();
    let h = resp.headers_mut();
    // The like form carries a per-reader token: shared caches must not keep this page.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=60"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Cookie"));
    if let Some(c) = set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        h.insert(header::SET_COOKIE, c);
    }
    Ok(resp)
}

/// The story page with the markers standing in for the like token and
/// count, and the locale it is written in (the story's language when there
/// is a catalogue for it).
async fn render_story(
    state: &AppState,
    id: i64,
    markers: &Markers,
) -> WebResult<(String, &'static str)> {
    let s = visible_story(state, &id.to_string()).await?;
    let store = state.store();
    // Other outlets: this story's copies, or — on a copy's page — the primary and its other copies.
    let primary_id = s.duplicate_of.unwrap_or(s.id);
    let mut others: Vec<StoredStory> = Vec::new();
    if primary_id != s.id
        && let Some(p) = store.story(primary_id).await?
    {
        others.push(p);
    }
    others.extend(store.copies_of(primary_id).await?);
    let copies = others
        .iter()
        .filter(|c| c.id != s.id && c.status == StoryStatus::Published)
        .map(|c| {
            let t = c.display_time();
            CopyView {
                source_name: c.source_name.clone(),
                url: view::original_url(c),
                href: view::story_path(c),
                date_text: view::date_time_text(t),
                date_iso: t.to_rfc3339(),
            }
        })
        .collect();
    // Who had it first, the later reports, and each revision of the text.
    let mut reports = others;
    reports.push(s.clone());
    let primary = reports.iter().find(|r| r.id == primary_id).unwrap_or(&s);
    let versions = store.story_versions(primary.id).await?;
    let timeline = crate::timeline::timeline(primary, &reports, &versions);
    let across = match primary.crosslang_id {
        Some(g) => store.crosslang_reports(g, primary.id).await?,
        None => Vec::new(),
    };
    let more = match s.event_id {
        Some(event) => {
            let related = store.event_stories(event, s.id, 6).await?;
            let related: Vec<StoredStory> = related
                .into_iter()
                .filter(|r| {
                    r.status == StoryStatus::Published
                        && r.duplicate_of.is_none()
                        && r.id != primary_id
                })
                .collect();
            items_with_outlets(state, &related).await?
        }
        None => Vec::new(),
    };
    let settings = state.settings();
    let mut sv = StoryView::new(&s, settings.base());
    sv.likes_text = markers.likes.clone();
    let mut meta = PageMeta::new(state, s.headline.clone());
    // The interface follows the story's language when it has a catalogue.
    if let Some(loc) = i18n::catalogue(&sv.lang) {
        meta.lang = loc.to_string();
        meta.dir = if i18n::is_rtl(loc) { "rtl" } else { "ltr" };
    }
    let locale = i18n::catalogue(&meta.lang).unwrap_or("en");
    let mut other_languages: Vec<OtherLanguage> = Vec::new();
    for item in items_with_outlets(state, &across).await? {
        let language = i18n::language_name(locale, &item.lang);
        match other_languages.iter_mut().find(|o| o.language == language) {
            Some(o) => o.items.push(item),
            None => other_languages.push(OtherLanguage {
                language,
                items: vec![item],
            }),
        }
    }
    // Who carried it: the primary's reports, its copies and its reports in
    // other languages, by kind of outlet and language.
    let coverage = {
        let counts = store.coverage(&[primary.id]).await?;
        let suffix = crate::page_parts::edition_suffix(&meta, state);
        counts
            .get(&primary.id)
            .map(|c| crate::coverage::summary(locale, c, &suffix))
            .unwrap_or_default()
    };
    meta.description = Some(sv.excerpt.clone());
    // The original is the canonical version: we republish with credit.
    meta.canonical = Some(view::original_url(&s));
    // The story's own feed: following it is subscribing to it.
    meta.feeds = crate::state::feed_links(
        &format!("/story/{}/feed", primary.id),
        &format!("{} · {}", s.headline, settings.title),
    );
    let ctx = StoryCtx {
        site: state.site(),
        page: meta,
        body_html: body::story_body_html(&s),
        json_ld: view::json_ld(&s, &settings.title, settings.base()),
        like_token: markers.token.clone(),
        s: sv,
        copies,
        timeline,
        other_languages,
        coverage,
        more,
    };
    Ok((templates::render("story.html", &ctx)?, locale))
}

/// The store query of a search request.
pub fn search_query(p: &ListParams, offset: i64, limit: i64) -> SearchQuery {
    SearchQuery {
        text: p.q(),
        lang: p.lang(),
        source_slug: p.source(),
        tag: p.tag(),
        from: p.from(),
        to: p.to(),
        sort: if p.sort_by_date() {
            SearchSort::Date
        } else {
            SearchSort::Relevance
        },
        offset,
        limit,
    }
}

#[derive(Serialize)]
struct SearchForm {
    q: String,
    lang: String,
    source: String,
    tag: String,
    from: String,
    to: String,
    sort: &'static str,
}

#[derive(Serialize)]
struct SearchCtx<'a> {
    site: SiteView<'a>,
    page: PageMeta,
    form: SearchForm,
    total: i64,
    /// false: `total` is where counting stopped ("1000+ stories").
    total_exact: bool,
    items: Vec<StoryItem>,
    pager: Pager,
    feed_href: String,
}

/// Query string of a search's filters (without `page`), for pager and feed links.
pub fn search_params(p: &ListParams) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("q", Some(p.q())),
        ("lang", p.lang()),
        ("source", p.source()),
        ("tag", p.tag()),
        ("from", p.from().map(|d| d.to_string())),
        ("to", p.to().map(|d| d.to_string())),
        ("sort", p.sort_by_date().then(|| "date".to_string())),
    ]
}

pub fn search_url(path: &str, p: &ListParams) -> String {
    let params = search_params(p);
    let refs: Vec<(&str, Option<&str>)> = params.iter().map(|(k, v)| (*k, v.as_deref())).collect();
    with_query(path, &refs)
}

/// `/search?q=…`
pub async fn search(State(state): State<AppState>, Query(p): Query<ListParams>) -> WebResult {
    let q = p.q();
    let limit = state.settings().page_size();
    let page = p.page();
    let (items, total, total_exact) = if q.is_empty() {
        (Vec::new(), 0, true)
    } else {
        let res = state
            .search(&search_query(&p, (page - 1) * limit, limit))
            .await?;
        let stories: Vec<StoredStory> = res.items.iter().map(|h| h.story.clone()).collect();
        let mut items = items_with_outlets(&state, &stories).await?;
        for (item, hit) in items.iter_mut().zip(&res.items) {
            let snippet = body::clean_snippet(&hit.snippet_html);
            if !snippet.trim().is_empty() {
                item.snippet = Some(snippet);
            }
        }
        (items, res.total, res.total_exact)
    };
    let (mut meta, loc) = edition_meta(&state, p.lang().as_deref());
    meta.title = if q.is_empty() {
        i18n::text(loc, "search-heading", &[])
    } else {
        i18n::text(loc, "search-title", &[("query", q.clone().into())])
    };
    meta.noindex = true;
    meta.query = q.clone();
    let feed_base = search_url("/search/feed", &p);
    meta.feeds = crate::state::feed_links(
        &feed_base,
        &i18n::text(loc, "search-feed-title", &[("query", q.clone().into())]),
    );
    let ctx = SearchCtx {
        site: state.site(),
        page: meta,
        form: SearchForm {
            q,
            lang: p.lang().unwrap_or_default(),
            source: p.source().unwrap_or_default(),
            tag: p.tag().unwrap_or_default(),
            from: p.from().map(|d| d.to_string()).unwrap_or_default(),
            to: p.to().map(|d| d.to_string()).unwrap_or_default(),
            sort: if p.sort_by_date() {
                "date"
            } else {
                "relevance"
            },
        },
        total,
        total_exact,
        items,
        pager: Pager::with_exactness(&search_url("/search", &p), page, total, total_exact, limit),
        feed_href: search_url("/search/feed.atom", &p),
    };
    html("search.html", &ctx)
}

/// Fallback for unknown paths.
pub async fn not_found() -> WebError {
    WebError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_links_keep_filters() {
        let p = Pager::new("/?lang=fa", 2, 45, 20);
        assert_eq!(p.pages, 3);
        assert_eq!(p.prev.as_deref(), Some("/?lang=fa"));
        assert_eq!(p.next.as_deref(), Some("/?lang=fa&page=3"));
        let p = Pager::new("/", 1, 0, 20);
        assert_eq!((p.pages, p.prev, p.next), (1, None, None));
    }

    #[test]
    fn pager_of_a_capped_total_always_offers_more() {
        let p = Pager::with_exactness("/search?q=oil", 50, 1000, false, 20);
        assert_eq!(p.pages, 50);
        assert!(p.more);
        assert_eq!(p.next.as_deref(), Some("/search?q=oil&page=51"));
        let p = Pager::with_exactness("/search?q=oil", 50, 1000, true, 20);
        assert_eq!((p.more, p.next), (false, None));
    }

    #[test]
    fn dates_in_paths_are_validated() {
        assert_eq!(
            parse_ymd("2024", "02", "29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(parse_ymd("2023", "02", "29"), None);
        assert_eq!(parse_ymd("99999", "01", "01"), None);
    }
}

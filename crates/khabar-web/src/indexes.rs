//! `/tags` and `/sources`: every topic with its story count, and every
//! source with its language, kind and web site. Kept in the page cache
//! while the store is unchanged (the topic count reads every tag row).

use axum::extract::{Query, State};
use serde::Serialize;

use crate::error::WebResult;
use crate::i18n;
use crate::page_parts::{edition_meta, edition_suffix, html};
use crate::params::ListParams;
use crate::state::{AppState, PageMeta, SiteView};
use crate::view::url_path_escape;

#[derive(Serialize)]
struct TagRow {
    slug: String,
    href: String,
    count: i64,
}

#[derive(Serialize)]
struct TagsCtx<'a> {
    site: SiteView<'a>,
    page: PageMeta,
    tags: Vec<TagRow>,
}

/// `/tags`
pub async fn tags(State(state): State<AppState>, Query(p): Query<ListParams>) -> WebResult {
    let lang = p.lang();
    let key = format!("tags lang={lang:?}");
    state
        .cached(key, || async {
            let (meta, loc) = edition_meta(&state, lang.as_deref());
            let mut meta = meta;
            meta.title = i18n::text(loc, "topics-heading", &[]);
            let suffix = edition_suffix(&meta, &state);
            let tags = state
                .store()
                .tags()
                .await?
                .into_iter()
                .map(|(slug, count)| TagRow {
                    href: format!("/tag/{}{suffix}", url_path_escape(&slug)),
                    slug,
                    count,
                })
                .collect();
            html(
                "tags.html",
                &TagsCtx {
                    site: state.site(),
                    page: meta,
                    tags,
                },
            )
        })
        .await
}

#[derive(Serialize)]
struct SourceRow {
    name: String,
    href: String,
    url: String,
    lang: Option<String>,
    kind: &'static str,
    /// Who runs it (`state`, …) and the operator's note why.
    outlet: &'static str,
    outlet_note: Option<String>,
}

#[derive(Serialize)]
struct SourcesCtx<'a> {
    site: SiteView<'a>,
    page: PageMeta,
    sources: Vec<SourceRow>,
}

/// `/sources`
pub async fn sources(State(state): State<AppState>, Query(p): Query<ListParams>) -> WebResult {
    let lang = p.lang();
    let key = format!("sources lang={lang:?}");
    state
        .cached(key, || async {
            let (mut meta, loc) = edition_meta(&state, lang.as_deref());
            meta.title = i18n::text(loc, "sources-heading", &[]);
            let suffix = edition_suffix(&meta, &state);
            let sources = state
                .store()
                .sources()
                .all()
                .await?
                .into_iter()
                .map(|s| SourceRow {
                    href: format!("/source/{}{suffix}", url_path_escape(&s.slug)),
                    url: s.url,
                    lang: s.lang,
                    kind: s.kind.as_str(),
                    outlet: s.outlet.as_str(),
                    outlet_note: s.outlet_note,
                    name: s.name,
                })
                .collect();
            html(
                "sources.html",
                &SourcesCtx {
                    site: state.site(),
                    page: meta,
                    sources,
                },
            )
        })
        .await
}

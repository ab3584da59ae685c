//! Coverage by kind of outlet: which kinds of outlet and which languages
//! carried a story (story pages, the API, feeds), and the lists readers of
//! Iran news ask for (`/coverage`, `/coverage/{view}` and their feeds):
//! reported only by state media, not by state media, in Persian and not in
//! English, and the reverse.

use axum::extract::{Path, Query, State};
use khabar_model::{Coverage, CoverageView, OutletKind};
use khabar_store::StoryQuery;
use serde::Serialize;

use crate::error::{WebError, WebResult};
use crate::i18n;
use crate::page_parts::{edition_meta, html, with_query};
use crate::params::ListParams;
use crate::state::{AppState, PageMeta, SiteView};
use crate::story_list::{ListPage, story_list};

/// One line of "who reported it": a kind of outlet or a language, and how
/// many reports.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct CoverageRow {
    pub label: String,
    pub reports: String,
}

/// A coverage list a story belongs to, as a link.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ViewLink {
    pub label: String,
    pub href: String,
}

/// What a story page says about who carried the story.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
pub struct CoverageSummary {
    pub outlets: Vec<CoverageRow>,
    pub languages: Vec<CoverageRow>,
    /// The coverage lists the story is in.
    pub views: Vec<ViewLink>,
}

/// The path of a view's list page.
pub fn view_path(view: CoverageView) -> String {
    format!("/coverage/{}", view.as_str())
}

/// The interface text of an outlet kind.
pub fn outlet_label(loc: &str, kind: OutletKind) -> String {
    i18n::text(loc, &format!("outlet-{}", kind.as_str()), &[])
}

pub(crate) fn view_label(loc: &str, view: CoverageView) -> String {
    i18n::text(loc, &format!("coverage-view-{}", view.as_str()), &[])
}

/// What a coverage view lists, in one sentence (its page's intro, its
/// feed's description).
pub(crate) fn view_about(loc: &str, view: CoverageView) -> String {
    i18n::text(loc, &format!("coverage-about-{}", view.as_str()), &[])
}

/// The story page's "who reported it", in the page's interface language;
/// `suffix` (`?lang=fa`) keeps the reader in their edition on the links.
pub fn summary(loc: &str, cov: &Coverage, suffix: &str) -> CoverageSummary {
    let reports = |n: i64| i18n::text(loc, "coverage-reports", &[("count", n.into())]);
    let outlets = OutletKind::ALL
        .iter()
        .filter_map(|k| cov.outlets.get(k).filter(|n| **n > 0).map(|n| (k, *n)))
        .map(|(k, n)| CoverageRow {
            label: outlet_label(loc, *k),
            reports: reports(n),
        })
        .collect();
    let languages = cov
        .languages
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(l, n)| CoverageRow {
            label: i18n::text(
                loc,
                "coverage-in-language",
                &[("language", i18n::language_name(loc, l).into())],
            ),
            reports: reports(*n),
        })
        .collect();
    let views = CoverageView::ALL
        .into_iter()
        .filter(|v| cov.fits(*v))
        .map(|v| ViewLink {
            label: view_label(loc, v),
            href: format!("{}{suffix}", view_path(v)),
        })
        .collect();
    CoverageSummary {
        outlets,
        languages,
        views,
    }
}

#[derive(Serialize)]
struct ViewRow {
    label: String,
    about: String,
    href: String,
}

#[derive(Serialize)]
struct KindRow {
    label: String,
    sources: Vec<SourceName>,
}

#[derive(Serialize)]
struct SourceName {
    name: String,
    href: String,
    note: Option<String>,
}

#[derive(Serialize)]
struct IndexCtx<'a> {
    site: SiteView<'a>,
    page: PageMeta,
    views: Vec<ViewRow>,
    kinds: Vec<KindRow>,
}

/// `/coverage`: the views, and which sources are of which kind.
pub async fn index(State(state): State<AppState>, Query(p): Query<ListParams>) -> WebResult {
    let lang = p.lang();
    let key = format!("coverage lang={lang:?}");
    state
        .cached(key, || async {
            let (mut meta, loc) = edition_meta(&state, lang.as_deref());
            meta.title = i18n::text(loc, "coverage-heading", &[]);
            meta.description = Some(i18n::text(loc, "coverage-intro", &[]));
            // The edition's language filter, kept on the links out.
            let edition = [("lang", lang.as_deref().and_then(i18n::catalogue))];
            let views = CoverageView::ALL
                .into_iter()
                .map(|v| ViewRow {
                    label: view_label(loc, v),
                    about: view_about(loc, v),
                    href: with_query(&view_path(v), &edition),
                })
                .collect();
            let sources = state.store().sources().all().await?;
            let kinds = OutletKind::ALL
                .into_iter()
                .map(|k| KindRow {
                    label: outlet_label(loc, k),
                    sources: sources
                        .iter()
                        .filter(|s| s.outlet == k)
                        .map(|s| SourceName {
                            name: s.name.clone(),
                            href: with_query(
                                &format!("/source/{}", crate::view::url_path_escape(&s.slug)),
                                &edition,
                            ),
                            note: s.outlet_note.clone(),
                        })
                        .collect(),
                })
                .filter(|k| !k.sources.is_empty())
                .collect();
            html(
                "coverage.html",
                &IndexCtx {
                    site: state.site(),
                    page: meta,
                    views,
                    kinds,
                },
            )
        })
        .await
}

/// `/coverage/{view}`: the stories of one view, newest first, with feeds.
pub async fn view(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(p): Query<ListParams>,
) -> WebResult {
    let view = CoverageView::parse(&name).map_err(|_| WebError::NotFound)?;
    let base = view_path(view);
    let (mut meta, loc) = edition_meta(&state, p.lang().as_deref());
    let heading = view_label(loc, view);
    meta.title = heading.clone();
    meta.feeds = crate::state::feed_links(
        &with_query(&format!("{base}/feed"), &[("lang", p.lang().as_deref())]),
        &format!("{heading} · {}", state.settings().title),
    );
    let query = StoryQuery {
        coverage: Some(view),
        lang: p.lang(),
        ..Default::default()
    };
    story_list(
        &state,
        ListPage {
            meta,
            heading,
            intro: Some(view_about(loc, view)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_story_page_names_the_kinds_and_languages_and_the_lists_it_is_in() {
        let mut c = Coverage::default();
        c.add(OutletKind::State, Some("fa"), 2);
        let s = summary("en", &c, "");
        assert_eq!(s.outlets.len(), 1);
        assert_eq!(s.outlets[0].label, "State media in Iran");
        assert_eq!(
            s.outlets[0].reports.replace(['\u{2068}', '\u{2069}'], ""),
            "2 reports"
        );
        assert_eq!(
            s.views.iter().map(|v| v.href.as_str()).collect::<Vec<_>>(),
            ["/coverage/state-only", "/coverage/persian-only"]
        );
        let fa = summary("fa", &c, "?lang=fa");
        assert_eq!(fa.outlets[0].label, "رسانه‌های حکومتی در ایران");
        assert!(fa.views.iter().all(|v| v.href.ends_with("?lang=fa")));
    }
}

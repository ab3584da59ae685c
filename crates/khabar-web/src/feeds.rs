//! Outgoing feeds — Atom, RSS 2.0 and JSON Feed 1.1 — for the whole site, a
//! tag, a source or a search. Items carry the sanitised full text (or the
//! excerpt for excerpt-only sources) with an attribution line; the item link
//! is our story page and the original is linked as `via` / `external_url`.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use khabar_model::StoredStory;
use khabar_store::StoryQuery;

use crate::SiteSettings;
use crate::body;
use crate::error::{WebError, WebResult};
use crate::feed_coverage;
use crate::i18n;
use crate::pages;
use crate::params::{ListParams, clean_lang, clean_slug};
use crate::state::AppState;
use crate::view;
use crate::xml_chars::xml_1_0;

/// Items per feed document.
pub const FEED_ITEMS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Atom,
    Rss,
    Json,
}

impl FeedFormat {
    pub const ALL: [FeedFormat; 3] = [FeedFormat::Atom, FeedFormat::Rss, FeedFormat::Json];

    /// The format a feed path asks for, by its extension (`…/feed.rss`).
    pub fn of_path(path: &str) -> Option<FeedFormat> {
        let (_, ext) = path.rsplit_once('.')?;
        FeedFormat::ALL.into_iter().find(|f| f.ext() == ext)
    }

    pub fn mime(self) -> &'static str {
        match self {
            FeedFormat::Atom => "application/atom+xml; charset=utf-8",
            FeedFormat::Rss => "application/rss+xml; charset=utf-8",
            FeedFormat::Json => "application/feed+json; charset=utf-8",
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom",
            FeedFormat::Rss => "rss",
            FeedFormat::Json => "json",
        }
    }
}

/// A feed handler learns its format from the path it was routed on, so one
/// handler serves `feed.atom`, `feed.rss` and `feed.json` (see
/// [`crate::router`]); a path with no feed extension is not found.
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for FeedFormat {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        FeedFormat::of_path(parts.uri.path()).ok_or(WebError::NotFound)
    }
}

/// What a feed document says about itself.
#[derive(Debug, Clone)]
pub struct FeedMeta {
    pub title: String,
    pub description: String,
    /// Absolute URL of the HTML page the feed mirrors.
    pub html_url: String,
    /// Absolute URL of this feed document.
    pub self_url: String,
    pub language: String,
    /// Base URL for item links.
    pub base_url: String,
    /// The WebSub hub that is told when this feed changes, if any.
    pub hub: Option<String>,
    /// Who carried each story, by story id: written into its entry.
    pub coverage: std::collections::HashMap<i64, khabar_model::Coverage>,
}

fn updated(stories: &[StoredStory]) -> DateTime<Utc> {
    stories
        .iter()
        .map(StoredStory::display_time)
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// When a story's text was revised after it was published: a feed entry's
/// `updated` (Atom) or `date_modified` (JSON Feed), so a reader shows the
/// entry as changed. A revision stamped before the publish time (a clock
/// skew, or a backdated report) is not a change after publication.
fn revised(s: &StoredStory) -> Option<DateTime<Utc>> {
    s.updated_at.filter(|u| *u > s.display_time())
}

/// `xmlns:khabar` when some entry carries its coverage.
fn coverage_namespace(meta: &FeedMeta) -> std::collections::BTreeMap<String, String> {
    let mut ns = std::collections::BTreeMap::new();
    if !meta.coverage.is_empty() {
        ns.insert(
            feed_coverage::PREFIX.to_string(),
            feed_coverage::KHABAR_FEED_NS.to_string(),
        );
    }
    ns
}

/// Who carried each of these stories, for their feed entries.
pub(crate) async fn coverage_of(
    state: &AppState,
    stories: &[StoredStory],
) -> WebResult<std::collections::HashMap<i64, khabar_model::Coverage>> {
    let ids: Vec<i64> = stories.iter().map(|s| s.id).collect();
    Ok(state.store().coverage(&ids).await?)
}

fn item_url(meta: &FeedMeta, s: &StoredStory) -> String {
    format!(
        "{}{}",
        meta.base_url.trim_end_matches('/'),
        view::story_path(s)
    )
}

pub fn atom(meta: &FeedMeta, stories: &[StoredStory]) -> String {
    use atom_syndication::{Category, Content, Entry, Feed, Link, Person, Text};
    let link = |href: &str, rel: &str, mime: Option<&str>| Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: mime.map(str::to_string),
        ..Default::default()
    };
    let entries = stories
        .iter()
        .map(|s| {
            let url = item_url(meta, s);
            let t = s.display_time().fixed_offset();
            let original = view::original_url(s);
            let mut authors = vec![Person {
                name: s.source_name.clone(),
                uri: Some(original.clone()),
                ..Default::default()
            }];
            if let Some(b) = s.byline.as_deref().filter(|b| !b.trim().is_empty()) {
                authors.insert(
                    0,
                    Person {
                        name: b.to_string(),
                        ..Default::default()
                    },
                );
            }
            let mut links = vec![
                link(&url, "alternate", Some("text/html")),
                link(&original, "via", Some("text/html")),
            ];
            // khabar's own copy of the lead image, never the source's.
            if let Some((img, _, _)) = crate::image_view::absolute_jpeg(s, &meta.base_url) {
                links.push(link(&img, "enclosure", image_mime(&img)));
            }
            Entry {
                id: url.clone(),
                title: Text::plain(s.headline.clone()),
                updated: revised(s).map_or(t, |u| u.fixed_offset()),
                published: Some(t),
                authors,
                links,
                categories: s
                    .relevance
                    .tags
                    .iter()
                    .map(|t| Category {
                        term: t.clone(),
                        ..Default::default()
                    })
                    .collect(),
                extensions: meta
                    .coverage
                    .get(&s.id)
                    .map(feed_coverage::atom)
                    .unwrap_or_default(),
                summary: Some(Text::plain(view::excerpt(s))),
                content: Some(Content {
                    value: Some(body::feed_item_html(s)),
                    content_type: Some("html".into()),
                    lang: Some(view::lang_of(s)),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    let feed = Feed {
        id: meta.self_url.clone(),
        title: Text::plain(meta.title.clone()),
        subtitle: Some(Text::plain(meta.description.clone())),
        updated: updated(stories).fixed_offset(),
        lang: Some(meta.language.clone()),
        links: {
            let mut links = vec![
                link(&meta.self_url, "self", Some("application/atom+xml")),
                link(&meta.html_url, "alternate", Some("text/html")),
            ];
            if let Some(hub) = &meta.hub {
                links.push(link(hub, "hub", None));
            }
            links
        },
        generator: Some(atom_syndication::Generator {
            value: "khabar".into(),
            ..Default::default()
        }),
        namespaces: coverage_namespace(meta),
        entries,
        ..Default::default()
    };
    feed.to_string()
}

/// Text for an RSS element that readers may render as HTML. RSS 2.0 never
/// said whether `<title>` is text or HTML, and many readers (feedparser
/// among them) treat a title holding a tag as markup; so a `<` in a text
/// field is written as the entity, and no headline or search query can turn
/// into a live element. `&` stays as it is: an entity never builds a tag.
fn rss_text(s: &str) -> String {
    s.replace('<', "&lt;")
}

/// The MIME type a lead image's address suggests, if any.
fn image_mime(url: &str) -> Option<&'static str> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        _ => return None,
    })
}

/// Who an item is by: the byline when the page gave one, else the outlet.
fn creator(s: &StoredStory) -> String {
    s.byline
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .unwrap_or(&s.source_name)
        .to_string()
}

const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";

/// `<media:content url=… medium="image">` for a story's lead image.
fn rss_media_image(url: &str) -> rss::extension::ExtensionMap {
    use rss::extension::Extension;
    let mut attrs = std::collections::BTreeMap::new();
    attrs.insert("url".to_string(), url.to_string());
    attrs.insert("medium".to_string(), "image".to_string());
    if let Some(mime) = image_mime(url) {
        attrs.insert("type".to_string(), mime.to_string());
    }
    let content = Extension {
        name: "media:content".into(),
        attrs,
        ..Default::default()
    };
    let mut by_name = std::collections::BTreeMap::new();
    by_name.insert("content".to_string(), vec![content]);
    let mut map = rss::extension::ExtensionMap::new();
    map.insert("media".to_string(), by_name);
    map
}

pub fn rss(meta: &FeedMeta, stories: &[StoredStory]) -> String {
    use rss::extension::atom::{AtomExtension, Link};
    use rss::extension::dublincore::DublinCoreExtension;
    use rss::{Category, Channel, Guid, Item, Source};
    let items = stories
        .iter()
        .map(|s| {
            let url = item_url(meta, s);
            let image = crate::image_view::absolute_jpeg(s, &meta.base_url).map(|(u, _, _)| u);
            Item {
                title: Some(rss_text(&s.headline)),
                link: Some(url.clone()),
                // `description` is HTML to every reader: the plain-text
                // excerpt goes in escaped, so quoted markup stays text.
                description: Some(body::escape(&view::excerpt(s))),
                content: Some(body::feed_item_html(s)),
                guid: Some(Guid {
                    value: url,
                    permalink: true,
                }),
                pub_date: Some(s.display_time().to_rfc2822()),
                source: Some(Source {
                    url: view::original_url(s),
                    title: Some(rss_text(&s.source_name)),
                }),
                categories: s
                    .relevance
                    .tags
                    .iter()
                    .map(|t| Category {
                        name: rss_text(t),
                        domain: None,
                    })
                    .collect(),
                dublin_core_ext: Some(DublinCoreExtension {
                    creators: vec![rss_text(&creator(s))],
                    ..Default::default()
                }),
                extensions: {
                    let mut ext = image.as_deref().map(rss_media_image).unwrap_or_default();
                    if let Some(c) = meta.coverage.get(&s.id) {
                        ext.extend(feed_coverage::rss(c));
                    }
                    ext
                },
                ..Default::default()
            }
        })
        .collect();
    let mut namespaces = coverage_namespace(meta);
    if stories.iter().any(|s| s.image.is_some()) {
        namespaces.insert("media".to_string(), MEDIA_NS.to_string());
    }
    let channel = Channel {
        title: rss_text(&meta.title),
        link: meta.html_url.clone(),
        description: rss_text(&meta.description),
        language: Some(meta.language.clone()),
        last_build_date: Some(updated(stories).to_rfc2822()),
        generator: Some("khabar".into()),
        atom_ext: Some(AtomExtension {
            links: std::iter::once(Link {
                href: meta.self_url.clone(),
                rel: "self".into(),
                mime_type: Some("application/rss+xml".into()),
                ..Default::default()
            })
            .chain(meta.hub.iter().map(|hub| Link {
                href: hub.clone(),
                rel: "hub".into(),
                ..Default::default()
            }))
            .collect(),
        }),
        namespaces,
        items,
        ..Default::default()
    };
    channel.to_string()
}

pub fn json_feed(meta: &FeedMeta, stories: &[StoredStory]) -> String {
    let items: Vec<serde_json::Value> = stories
        .iter()
        .map(|s| {
            let url = item_url(meta, s);
            let original = view::original_url(s);
            let mut authors = vec![serde_json::json!({ "name": s.source_name, "url": original })];
            if let Some(b) = s.byline.as_deref().filter(|b| !b.trim().is_empty()) {
                authors.insert(0, serde_json::json!({ "name": b }));
            }
            let mut item = serde_json::json!({
                "id": url,
                "url": url,
                "external_url": original,
                "title": s.headline,
                "content_html": body::feed_item_html(s),
                "summary": view::excerpt(s),
                "date_published": s.display_time().to_rfc3339(),
                "authors": authors,
                "tags": s.relevance.tags,
                "language": view::lang_of(s),
            });
            if let Some((img, _, _)) = crate::image_view::absolute_jpeg(s, &meta.base_url) {
                item["image"] = serde_json::json!(img);
            }
            if let Some(u) = revised(s) {
                item["date_modified"] = serde_json::json!(u.to_rfc3339());
            }
            if let Some(c) = meta.coverage.get(&s.id) {
                item["_khabar"] = feed_coverage::json(c);
            }
            item
        })
        .collect();
    let mut doc = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": meta.title,
        "description": meta.description,
        "home_page_url": meta.html_url,
        "feed_url": meta.self_url,
        "language": meta.language,
        "items": items,
    });
    if let Some(hub) = &meta.hub {
        doc["hubs"] = serde_json::json!([{ "type": "WebSub", "url": hub }]);
    }
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into())
}

pub fn render(format: FeedFormat, meta: &FeedMeta, stories: &[StoredStory]) -> Response {
    let body = match format {
        FeedFormat::Atom => xml_1_0(atom(meta, stories)),
        FeedFormat::Rss => xml_1_0(rss(meta, stories)),
        FeedFormat::Json => json_feed(meta, stories),
    };
    let mut resp = body.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.mime()),
    );
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    // WebSub discovery for clients that read headers only.
    if let Some(hub) = &meta.hub
        && let Ok(v) = HeaderValue::from_str(&format!(
            "<{hub}>; rel=\"hub\", <{}>; rel=\"self\"",
            meta.self_url
        ))
    {
        resp.headers_mut().insert(header::LINK, v);
    }
    resp
}

/// The addresses of every feed a newly published story appears in, as
/// those feeds name themselves (`rel="self"`): the site's, the site's in
/// the story's language, its source's and its tags' — each as Atom, RSS and
/// JSON Feed, and the story's own feed (a reader following it). These are
/// the topics a WebSub hub is pinged for.
pub fn feed_urls_for(settings: &SiteSettings, s: &StoredStory) -> Vec<String> {
    let mut bases = vec![(String::from("/feed"), None)];
    if let Some(lang) = clean_lang(s.lang.as_deref()) {
        bases.push((String::from("/feed"), Some(lang)));
    }
    if let Some(slug) = clean_slug(Some(&s.source_slug)) {
        bases.push((
            format!("/source/{}/feed", view::url_path_escape(&slug)),
            None,
        ));
    }
    for tag in s.relevance.tags.iter().filter_map(|t| clean_slug(Some(t))) {
        bases.push((format!("/tag/{}/feed", view::url_path_escape(&tag)), None));
    }
    bases.extend(story_feed_paths(s).into_iter().map(|p| (p, None)));
    feed_urls(settings, &bases)
}

/// The feed paths (without extension) a report's arrival changes: its
/// primary's, and its cross-language group's first story's when that is
/// another story (a reader may follow the story from either side).
pub fn story_feed_paths(s: &StoredStory) -> Vec<String> {
    let mut ids = vec![s.duplicate_of.unwrap_or(s.id)];
    if let Some(g) = s.crosslang_id
        && !ids.contains(&g)
    {
        ids.push(g);
    }
    ids.into_iter()
        .map(|id| format!("/story/{id}/feed"))
        .collect()
}

/// Each feed base (`/tag/x/feed`, with its `?lang=` filter) as the absolute
/// addresses of its Atom, RSS and JSON Feed documents.
fn feed_urls(settings: &SiteSettings, bases: &[(String, Option<String>)]) -> Vec<String> {
    let mut urls = Vec::with_capacity(bases.len() * 3);
    for (base, lang) in bases {
        for format in [FeedFormat::Atom, FeedFormat::Rss, FeedFormat::Json] {
            let path = crate::page_parts::with_query(
                &format!("{base}.{}", format.ext()),
                &[("lang", lang.as_deref())],
            );
            urls.push(settings.abs(&path));
        }
    }
    urls.dedup();
    urls
}

/// The feeds a copy's arrival changes: only the followed story's own (a
/// copy is not listed in the site's, tag or source feeds).
pub fn story_feed_urls_for(settings: &SiteSettings, s: &StoredStory) -> Vec<String> {
    let bases: Vec<(String, Option<String>)> =
        story_feed_paths(s).into_iter().map(|p| (p, None)).collect();
    feed_urls(settings, &bases)
}

pub(crate) fn meta(
    state: &AppState,
    title: String,
    description: String,
    html_path: &str,
    self_path: &str,
) -> FeedMeta {
    let s = state.settings();
    FeedMeta {
        title,
        description,
        html_url: s.abs(html_path),
        self_url: s.abs(self_path),
        language: s.language.clone(),
        base_url: s.base().to_string(),
        hub: s.websub_hub.clone(),
        coverage: Default::default(),
    }
}

async fn latest(state: &AppState, q: StoryQuery) -> WebResult<Vec<StoredStory>> {
    Ok(state
        .store()
        .stories(&StoryQuery {
            limit: FEED_ITEMS,
            offset: 0,
            ..q
        })
        .await?
        .items)
}

/// `/feed.{atom,rss,json}` (optionally `?lang=`), from the page cache while the store is unchanged.
pub async fn site(
    State(state): State<AppState>,
    Query(p): Query<ListParams>,
    format: FeedFormat,
) -> WebResult {
    let lang = p.lang();
    let key = format!("feed /feed.{} lang={lang:?}", format.ext());
    state
        .cached(key, || async {
            let stories = latest(
                &state,
                StoryQuery {
                    lang: lang.clone(),
                    ..Default::default()
                },
            )
            .await?;
            let s = state.settings();
            let self_path = crate::page_parts::with_query(
                &format!("/feed.{}", format.ext()),
                &[("lang", lang.as_deref())],
            );
            let html_path = crate::page_parts::with_query("/", &[("lang", lang.as_deref())]);
            let title = title_in(&s.title, lang.as_deref());
            let mut m = meta(&state, title, s.tagline.clone(), &html_path, &self_path);
            if let Some(l) = lang {
                m.language = l;
            }
            m.coverage = coverage_of(&state, &stories).await?;
            Ok(render(format, &m, &stories))
        })
        .await
}

/// A one-language feed says so in its title (and, at the caller, in its
/// language), so a reader shows it apart and lays Persian out right to left.
fn title_in(title: &str, lang: Option<&str>) -> String {
    match lang {
        Some(l) if l.starts_with("fa") => format!("{title} · فارسی"),
        Some(l) if l.starts_with("en") => format!("{title} · English"),
        Some(l) => format!("{title} · {l}"),
        None => title.to_string(),
    }
}

/// The interface language of a feed's own title and description: the
/// filter's language when it has a catalogue, else the site's.
pub(crate) fn feed_locale(state: &AppState, lang: Option<&str>) -> &'static str {
    lang.and_then(i18n::catalogue)
        .or_else(|| i18n::catalogue(&state.settings().language))
        .unwrap_or("en")
}

/// What differs between the feeds of one filtered list (a tag, a source, a
/// coverage view); [`list_feed`] does the rest.
struct ListFeed {
    query: StoryQuery,
    /// The list page's path; its feeds are `{base}/feed.{ext}`.
    base: String,
    /// Names the list in the feed's title ("{name} · {site}").
    name: String,
    description: String,
    /// The feed's language when the list has no `?lang=` filter.
    language: Option<String>,
}

/// The feed of a filtered list: its newest stories, titled by the list and
/// the site, linking the list's page with the same `?lang=`.
async fn list_feed(state: &AppState, list: ListFeed, format: FeedFormat) -> WebResult {
    let lang = list.query.lang.clone();
    let stories = latest(state, list.query).await?;
    let filter = [("lang", lang.as_deref())];
    let mut m = meta(
        state,
        title_in(
            &format!("{} · {}", list.name, state.settings().title),
            lang.as_deref(),
        ),
        list.description,
        &crate::page_parts::with_query(&list.base, &filter),
        &crate::page_parts::with_query(&format!("{}/feed.{}", list.base, format.ext()), &filter),
    );
    if let Some(l) = lang.or(list.language) {
        m.language = l;
    }
    m.coverage = coverage_of(state, &stories).await?;
    Ok(render(format, &m, &stories))
}

/// `/tag/{tag}/feed.{atom,rss,json}[?lang=]`, from the page cache while the
/// store is unchanged. `?lang=` keeps the filter of the page that links it.
pub async fn tag(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    Query(p): Query<ListParams>,
    format: FeedFormat,
) -> WebResult {
    let tag = clean_slug(Some(&tag)).ok_or(WebError::NotFound)?;
    let lang = p.lang();
    let key = format!("feed /tag/{tag}/feed.{} lang={lang:?}", format.ext());
    state
        .cached(key, || async {
            let loc = feed_locale(&state, lang.as_deref());
            let topic = i18n::tag_name(loc, &tag);
            let description = i18n::text(
                loc,
                "tag-feed-description",
                &[
                    ("topic", topic.clone().into()),
                    ("site", state.settings().title.clone().into()),
                ],
            );
            let list = ListFeed {
                query: StoryQuery {
                    tag: Some(tag.clone()),
                    lang: lang.clone(),
                    ..Default::default()
                },
                base: format!("/tag/{}", view::url_path_escape(&tag)),
                name: topic,
                description,
                language: None,
            };
            list_feed(&state, list, format).await
        })
        .await
}

/// `/coverage/{view}/feed.{atom,rss,json}[?lang=]`: a coverage list as a
/// feed (a reader follows "reported only by state media"), from the page
/// cache while the store is unchanged.
pub async fn coverage(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(p): Query<ListParams>,
    format: FeedFormat,
) -> WebResult {
    let view = khabar_model::CoverageView::parse(&name).map_err(|_| WebError::NotFound)?;
    let lang = p.lang();
    let key = format!(
        "feed /coverage/{}/feed.{} lang={lang:?}",
        view.as_str(),
        format.ext()
    );
    state
        .cached(key, || async {
            let loc = feed_locale(&state, lang.as_deref());
            let list = ListFeed {
                query: StoryQuery {
                    coverage: Some(view),
                    lang: lang.clone(),
                    ..Default::default()
                },
                base: crate::coverage::view_path(view),
                name: crate::coverage::view_label(loc, view),
                description: crate::coverage::view_about(loc, view),
                language: None,
            };
            list_feed(&state, list, format).await
        })
        .await
}

/// `/source/{slug}/feed.{atom,rss,json}`, from the page cache while the store is unchanged.
pub async fn source(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(p): Query<ListParams>,
    format: FeedFormat,
) -> WebResult {
    let slug = clean_slug(Some(&slug)).ok_or(WebError::NotFound)?;
    let lang = p.lang();
    let key = format!("feed /source/{slug}/feed.{} lang={lang:?}", format.ext());
    state
        .cached(key, || async {
            let src = state.listed_source(&slug).await?;
            let description = i18n::text(
                feed_locale(&state, lang.as_deref()),
                "source-description",
                &[
                    ("source", src.name.clone().into()),
                    ("site", state.settings().title.clone().into()),
                ],
            );
            let list = ListFeed {
                query: StoryQuery {
                    source_slug: Some(slug.clone()),
                    lang: lang.clone(),
                    ..Default::default()
                },
                base: format!("/source/{}", view::url_path_escape(&slug)),
                name: src.name,
                description,
                // A source's feed is in the filter's language, else the source's.
                language: clean_lang(src.lang.as_deref()),
            };
            list_feed(&state, list, format).await
        })
        .await
}

/// `/search/feed.{atom,rss,json}?q=…` — newest matches first.
pub async fn search(
    State(state): State<AppState>,
    Query(mut p): Query<ListParams>,
    format: FeedFormat,
) -> WebResult {
    let q = p.q();
    if q.is_empty() {
        return Err(WebError::BadRequest(
            "A search feed needs words: ?q=…".into(),
        ));
    }
    p.sort = Some("date".into());
    let hits = state
        .search(&pages::search_query(&p, 0, FEED_ITEMS))
        .await?;
    let stories: Vec<StoredStory> = hits.items.into_iter().map(|h| h.story).collect();
    let s = state.settings();
    let loc = feed_locale(&state, p.lang().as_deref());
    let mut m = meta(
        &state,
        format!(
            "{} · {}",
            i18n::text(loc, "search-feed-title", &[("query", q.clone().into())]),
            s.title
        ),
        i18n::text(
            loc,
            "search-feed-description",
            &[
                ("query", q.clone().into()),
                ("site", s.title.clone().into()),
            ],
        ),
        &pages::search_url("/search", &p),
        &pages::search_url(&format!("/search/feed.{}", format.ext()), &p),
    );
    // The hub is never told about search feeds: naming it would promise
    // pings that do not come.
    m.hub = None;
    m.coverage = coverage_of(&state, &stories).await?;
    Ok(render(format, &m, &stories))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_path_names_its_format_by_extension_only() {
        assert_eq!(FeedFormat::of_path("/feed.rss"), Some(FeedFormat::Rss));
        assert_eq!(
            FeedFormat::of_path("/tag/iran.nuclear/feed.atom"),
            Some(FeedFormat::Atom)
        );
        assert_eq!(
            FeedFormat::of_path("/story/7/feed.json"),
            Some(FeedFormat::Json)
        );
        assert_eq!(FeedFormat::of_path("/feed.xml"), None);
        assert_eq!(FeedFormat::of_path("/feed"), None);
    }

    #[test]
    fn a_copy_changes_its_primary_feed_and_its_language_group_feed() {
        let copy = StoredStory {
            id: 9,
            duplicate_of: Some(4),
            ..Default::default()
        };
        assert_eq!(story_feed_paths(&copy), ["/story/4/feed"]);
        let across = StoredStory {
            id: 4,
            crosslang_id: Some(2),
            ..Default::default()
        };
        assert_eq!(
            story_feed_paths(&across),
            ["/story/4/feed", "/story/2/feed"]
        );
    }

    fn meta() -> FeedMeta {
        FeedMeta {
            title: "Search “<script>alert(1)</script>” · Persian News".into(),
            description: "Stories matching <b>x</b>".into(),
            html_url: "https://n.example/".into(),
            self_url: "https://n.example/feed.rss".into(),
            language: "en".into(),
            base_url: "https://n.example".into(),
            hub: None,
            coverage: {
                let mut c = khabar_model::Coverage::default();
                c.add(khabar_model::OutletKind::State, Some("fa"), 1);
                c.add(khabar_model::OutletKind::International, Some("en"), 2);
                [(7, c)].into_iter().collect()
            },
        }
    }

    #[test]
    fn every_format_says_who_carried_the_story() {
        let atom_xml = atom(&meta(), &[quoting_story()]);
        let feed = atom_syndication::Feed::read_from(atom_xml.as_bytes()).expect("our Atom parses");
        assert_eq!(feed.namespaces()["khabar"], feed_coverage::KHABAR_FEED_NS);
        let cov = &feed.entries()[0].extensions()["khabar"]["coverage"][0];
        assert_eq!(cov.attrs()["reports"], "3");
        let kinds: Vec<&str> = cov.children()["outlet"]
            .iter()
            .map(|o| o.attrs()["kind"].as_str())
            .collect();
        assert_eq!(kinds, ["state", "international"]);
        let rss_xml = rss(&meta(), &[quoting_story()]);
        let ch = rss::Channel::read_from(rss_xml.as_bytes()).expect("our RSS parses");
        let cov = &ch.items()[0].extensions()["khabar"]["coverage"][0];
        assert_eq!(cov.children()["language"][0].attrs()["code"], "en");
        let json: serde_json::Value =
            serde_json::from_str(&json_feed(&meta(), &[quoting_story()])).unwrap();
        assert_eq!(
            json["items"][0]["_khabar"]["coverage"]["outlets"]["state"],
            1
        );
        // A story the store gave no counts for carries no element.
        let bare = FeedMeta {
            coverage: Default::default(),
            ..meta()
        };
        assert!(!atom(&bare, &[quoting_story()]).contains("khabar:coverage"));
    }

    fn quoting_story() -> StoredStory {
        StoredStory {
            id: 7,
            headline: "Hackers left <img src=x onerror=alert(1)> on the site".into(),
            excerpt: "The page showed <script>alert('x')</script> & more ]]> end".into(),
            url: "https://wire.example/a".into(),
            source_name: "Wire <i>Service</i>".into(),
            lead_image: Some("https://img.example/a.jpg?w=1".into()),
            image: Some(khabar_model::StoryImage {
                id: 9,
                width: 1024,
                height: 576,
                widths: vec![320, 640, 1024],
                ..Default::default()
            }),
            byline: Some("By Sara".into()),
            full_text: false,
            ..Default::default()
        }
    }

    #[test]
    fn rss_text_fields_cannot_carry_markup() {
        let xml = rss(&meta(), &[quoting_story()]);
        let ch = rss::Channel::read_from(xml.as_bytes()).expect("our RSS parses");
        let item = &ch.items()[0];
        // What a reader renders as HTML holds the quoted markup as text.
        let desc = item.description().unwrap();
        assert_eq!(
            desc,
            "The page showed &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more ]]&gt; end"
        );
        let title = item.title().unwrap();
        assert!(!title.contains('<'), "{title}");
        assert!(title.contains("&lt;img src=x"), "{title}");
        assert!(!ch.title().contains('<'), "{}", ch.title());
        assert!(!ch.description().contains('<'));
        // `content:encoded` went through the sanitiser: text, escaped.
        let content = item.content().unwrap();
        assert!(content.contains("&lt;script&gt;"), "{content}");
        assert!(!content.contains("<script"), "{content}");
    }

    #[test]
    fn rss_names_itself_its_creator_and_its_image() {
        let xml = rss(&meta(), &[quoting_story()]);
        assert!(xml.contains(
            r#"<atom:link href="https://n.example/feed.rss" rel="self" type="application/rss+xml"/>"#
        ), "{xml}");
        assert!(xml.contains("<dc:creator>By Sara</dc:creator>"), "{xml}");
        assert!(
            xml.contains(r#"xmlns:media="http://search.yahoo.com/mrss/""#),
            "{xml}"
        );
        let ch = rss::Channel::read_from(xml.as_bytes()).expect("our RSS parses");
        let media = &ch.items()[0].extensions()["media"]["content"][0];
        assert_eq!(media.attrs()["url"], "https://n.example/img/9/1024.jpg");
        assert!(
            !xml.contains("img.example"),
            "the source's image is never hot-linked"
        );
        assert_eq!(media.attrs()["type"], "image/jpeg");
    }

    #[test]
    fn atom_and_json_carry_the_lead_image() {
        let atom = atom(&meta(), &[quoting_story()]);
        let feed = atom_syndication::Feed::read_from(atom.as_bytes()).expect("our Atom parses");
        let enclosure = feed.entries()[0]
            .links()
            .iter()
            .find(|l| l.rel() == "enclosure")
            .expect("image enclosure");
        assert_eq!(enclosure.href(), "https://n.example/img/9/1024.jpg");
        let json: serde_json::Value =
            serde_json::from_str(&json_feed(&meta(), &[quoting_story()])).unwrap();
        assert_eq!(
            json["items"][0]["image"],
            "https://n.example/img/9/1024.jpg"
        );
    }

    #[test]
    fn every_format_names_the_hub_when_there_is_one() {
        let hub = "https://hub.example/websub";
        let with = FeedMeta {
            hub: Some(hub.into()),
            ..meta()
        };
        let rss_xml = rss(&with, &[quoting_story()]);
        let ch = rss::Channel::read_from(rss_xml.as_bytes()).expect("our RSS parses");
        let links = ch.atom_ext().expect("atom links").links();
        assert!(
            links.iter().any(|l| l.rel() == "hub" && l.href() == hub),
            "{rss_xml}"
        );
        assert!(links.iter().any(|l| l.rel() == "self"), "{rss_xml}");
        let atom_xml = atom(&with, &[quoting_story()]);
        let feed = atom_syndication::Feed::read_from(atom_xml.as_bytes()).expect("our Atom parses");
        assert!(
            feed.links()
                .iter()
                .any(|l| l.rel() == "hub" && l.href() == hub)
        );
        let json: serde_json::Value =
            serde_json::from_str(&json_feed(&with, &[quoting_story()])).unwrap();
        assert_eq!(json["hubs"][0]["url"], hub);
        assert_eq!(json["hubs"][0]["type"], "WebSub");
        for format in [FeedFormat::Atom, FeedFormat::Rss, FeedFormat::Json] {
            let resp = render(format, &with, &[]);
            let link = resp.headers()[header::LINK].to_str().unwrap();
            assert_eq!(
                link,
                "<https://hub.example/websub>; rel=\"hub\", <https://n.example/feed.rss>; rel=\"self\""
            );
        }

        // Without a hub, none is named anywhere.
        assert!(!rss(&meta(), &[]).contains("rel=\"hub\""));
        assert!(!atom(&meta(), &[]).contains("rel=\"hub\""));
        assert!(!json_feed(&meta(), &[]).contains("hubs"));
        assert!(
            render(FeedFormat::Rss, &meta(), &[])
                .headers()
                .get(header::LINK)
                .is_none()
        );
    }

    #[test]
    fn an_image_that_is_not_a_web_address_is_left_out() {
        let mut s = quoting_story();
        s.lead_image = Some("javascript:alert(1)".into());
        let xml = rss(&meta(), &[s.clone()]);
        assert!(!xml.contains("javascript:"), "{xml}");
        assert!(!atom(&meta(), &[s.clone()]).contains("javascript:"));
        assert!(!json_feed(&meta(), &[s]).contains("javascript:"));
    }
}

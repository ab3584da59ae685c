//! The whole site over real HTTP: a temporary SQLite store with fixture
//! stories (English, Persian, syndicated copies, excerpt-only, rejected),
//! the router served on 127.0.0.1:0, and reqwest as the reader.

use std::net::SocketAddr;

use chrono::{Duration, Utc};
use khabar_model::{Block, BlockKind, NewStory, OutletKind, Relevance, StoryStatus, TextDirection};
use khabar_store::{SourceKind, SourceSpec, Store};
use khabar_web::{AppState, SiteSettings};
use reqwest::StatusCode;
use reqwest::header;

const ADMIN_TOKEN: &str = "s3cret-admin-token";

struct Site {
    base: String,
    store: Store,
    ids: Ids,
    _dir: tempfile::TempDir,
}

#[derive(Clone, Copy)]
struct Ids {
    english: i64,
    copy: i64,
    persian: i64,
    excerpt_only: i64,
    rejected: i64,
    doomed: i64,
    related: i64,
}

fn spec(slug: &str, name: &str, lang: &str, full_text: bool) -> SourceSpec {
    SourceSpec {
        slug: slug.into(),
        name: name.into(),
        url: format!("https://{slug}.example/feed"),
        kind: SourceKind::Feed,
        lang: Some(lang.into()),
        full_text,
        dedicated: false,
        proxy: None,
        ..Default::default()
    }
}

fn story(
    source_id: i64,
    url: &str,
    headline: &str,
    lang: &str,
    blocks: Vec<Block>,
    hours_ago: i64,
) -> NewStory {
    let body_text = khabar_model::Article::text_from_blocks(&blocks);
    NewStory {
        source_id,
        url: url.into(),
        canonical_url: url.into(),
        headline: headline.into(),
        published_at: Some(Utc::now() - Duration::hours(hours_ago)),
        fetched_at: Utc::now() - Duration::hours(hours_ago),
        lang: Some(lang.into()),
        dir: if lang == "fa" {
            TextDirection::Rtl
        } else {
            TextDirection::Ltr
        },
        excerpt: body_text.chars().take(160).collect(),
        content_hash: khabar_text::content_hash(&body_text),
        body_text,
        blocks,
        relevance: Relevance {
            relevant: true,
            score: 0.9,
            reasons: vec!["headline: \"Iran\" (+2.0)".into()],
            tags: vec!["diplomacy".into()],
        },
        status: StoryStatus::Published,
        ..Default::default()
    }
}

async fn start(settings_edit: impl FnOnce(&mut SiteSettings)) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("web.db").display()))
        .await
        .unwrap();
    let wire = store
        .sources()
        .upsert(&spec("wire", "Wire Service", "en", true))
        .await
        .unwrap();
    let paper = store
        .sources()
        .upsert(&spec("paper", "Daily Paper", "en", true))
        .await
        .unwrap();
    let persian = store
        .sources()
        .upsert(&spec("bbc-persian", "BBC Persian", "fa", true))
        .await
        .unwrap();
    let teaser = store
        .sources()
        .upsert(&spec("teaser", "Teaser Times", "en", false))
        .await
        .unwrap();

    let mut en = story(
        wire.id,
        "https://wire.example/2024/iran-threat",
        "Threat from Iran to U.S. forces in Iraq remains significant",
        "en",
        vec![
            Block::paragraph(
                "Iranian-backed militia pose a continuing threat to U.S. forces in Iraq, the State Department said.",
            ),
            Block {
                kind: BlockKind::Heading(2),
                text: "Rockets near oil firms".into(),
            },
            Block::paragraph(
                "Three rockets landed near a district that houses workers for foreign oil companies <b>unharmed</b>.",
            ),
            Block {
                kind: BlockKind::ListItem,
                text: "No casualties".into(),
            },
            Block {
                kind: BlockKind::Quote,
                text: "It continues to be significant.".into(),
            },
        ],
        2,
    );
    en.dateline = Some("WASHINGTON (Reuters) –".into());
    en.byline = Some("By Humeyra Pamuk".into());
    en.credits = Some("Reporting by Humeyra Pamuk; Editing by Chris Reese".into());
    en.event_id = Some(77);
    en.relevance.tags = vec!["diplomacy".into(), "military".into()];
    let english = store.insert_story(&en).await.unwrap().id();

    let mut cp = story(
        paper.id,
        "https://paper.example/iran-threat-copy",
        "Iran threat to US forces significant, diplomat says",
        "en",
        vec![Block::paragraph(
            "Iranian-backed militia pose a continuing threat to U.S. forces in Iraq, a diplomat said.",
        )],
        1,
    );
    cp.duplicate_of = Some(english);
    let copy = store.insert_story(&cp).await.unwrap().id();

    let mut rel = story(
        paper.id,
        "https://paper.example/iraq-bases",
        "Iraq bases shelled again as Iran tensions rise",
        "en",
        vec![Block::paragraph(
            "Paramilitary groups shelled bases in Iraq hosting U.S. forces, officials in Baghdad said.",
        )],
        3,
    );
    rel.event_id = Some(77);
    let related = store.insert_story(&rel).await.unwrap().id();

    let fa = story(
        persian.id,
        "https://bbc-persian.example/persian/iran-oman",
        "دیدار وزیر خارجه ایران با همتای عمانی در تهران",
        "fa",
        vec![
            Block::paragraph(
                "وزیر امور خارجه ایران روز دوشنبه در تهران با همتای عمانی خود دیدار و گفت‌وگو کرد.",
            ),
            Block::paragraph("در این دیدار درباره روابط دوجانبه و مسائل منطقه‌ای تبادل نظر شد."),
        ],
        4,
    );
    let persian = store.insert_story(&fa).await.unwrap().id();

    let ex = story(
        teaser.id,
        "https://teaser.example/sanctions",
        "New sanctions on Iranian oil exports announced",
        "en",
        vec![Block::paragraph(
            "The Treasury announced new sanctions on Iranian oil exports. FULLTEXTMARKER secret paragraph.",
        )],
        5,
    );
    let mut ex = ex;
    ex.excerpt = "The Treasury announced new sanctions on Iranian oil exports.".into();
    let excerpt_only = store.insert_story(&ex).await.unwrap().id();

    let mut rj = story(
        wire.id,
        "https://wire.example/football",
        "Local football results",
        "en",
        vec![Block::paragraph("The home team won three to one.")],
        6,
    );
    rj.status = StoryStatus::Rejected;
    rj.relevance = Relevance {
        relevant: false,
        score: 0.05,
        reasons: vec!["no topic terms found".into()],
        tags: vec![],
    };
    let rejected = store.insert_story(&rj).await.unwrap().id();

    let dm = story(
        wire.id,
        "https://wire.example/doomed",
        "Doomed story about Tehran traffic",
        "en",
        vec![Block::paragraph(
            "Traffic in Tehran was heavy on Sunday, DOOMEDMARKER reported.",
        )],
        7,
    );
    let doomed = store.insert_story(&dm).await.unwrap().id();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let mut settings = SiteSettings {
        title: "Persian News".into(),
        tagline: "All Persian News Related to Iran".into(),
        base_url: base.clone(),
        language: "en".into(),
        admin_token: Some(ADMIN_TOKEN.into()),
        like_salt: "test-salt".into(),
        page_size: 20,
        likes_per_minute_per_ip: 100,
        ..Default::default()
    };
    settings_edit(&mut settings);
    let state = AppState::new(store.clone(), settings);
    tokio::spawn(async move {
        let _ = khabar_web::serve(listener, state).await;
    });
    Site {
        base,
        store,
        ids: Ids {
            english,
            copy,
            persian,
            excerpt_only,
            rejected,
            doomed,
            related,
        },
        _dir: dir,
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get(&self, path: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
        let r = client().get(self.url(path)).send().await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        (status, headers, r.text().await.unwrap())
    }

    async fn page(&self, path: &str) -> String {
        let (status, _, body) = self.get(path).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        body
    }

    /// POSTs a form as the signed-in admin whose session cookie is `session`.
    async fn admin_post(&self, session: &str, path: &str, form: &[(&str, &str)]) -> StatusCode {
        client()
            .post(self.url(path))
            .header(header::COOKIE, session)
            .form(form)
            .send()
            .await
            .unwrap()
            .status()
    }
}

#[tokio::test]
async fn home_lists_primaries_with_outlet_counts() {
    let site = start(|_| {}).await;
    let home = site.page("/").await;
    assert!(home.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(home.contains("Persian News") && home.contains("All Persian News Related to Iran"));
    assert!(home.contains("Threat from Iran to U.S. forces in Iraq remains significant"));
    assert!(
        home.contains("Also reported by 1 other outlet"),
        "the English story has one copy"
    );
    assert!(
        !home.contains("Iran threat to US forces significant, diplomat says"),
        "copies are not listed"
    );
    assert!(
        !home.contains("Local football results"),
        "rejected stories are not listed"
    );
    assert!(
        home.contains("<header")
            && home.contains("<main")
            && home.contains("<footer")
            && home.contains("<nav")
    );

    let fa = site.page("/?lang=fa").await;
    assert!(fa.contains("دیدار وزیر خارجه ایران"));
    assert!(!fa.contains("Threat from Iran"));
    assert!(fa.contains("dir=\"rtl\""));

    let (status, _, _) = site.get("/?page=99").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn story_page_shows_the_seed_shape() {
    let site = start(|_| {}).await;
    let (status, headers, page) = site.get(&format!("/story/{}", site.ids.english)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<h1>Threat from Iran to U.S. forces in Iraq remains significant</h1>"));
    assert!(page.contains(
        "<strong class=\"dateline\">WASHINGTON (Reuters) –</strong> Iranian-backed militia"
    ));
    assert_eq!(
        page.matches("WASHINGTON (Reuters) –").count(),
        1,
        "the dateline leads the first paragraph, once, as on the wire"
    );
    assert!(page.contains("By Humeyra Pamuk"));
    assert!(page.contains("<h2>Rockets near oil firms</h2>"));
    assert!(
        page.contains("&lt;b&gt;unharmed&lt;/b&gt;"),
        "body text is escaped"
    );
    assert!(page.contains("<li>No casualties</li>"));
    assert!(page.contains("<blockquote>"));
    assert!(page.contains("Reporting by Humeyra Pamuk; Editing by Chris Reese"));
    assert!(page.contains("Original News: <a href=\"https://wire.example/2024/iran-threat\""));
    assert!(
        page.contains("<link rel=\"canonical\" href=\"https://wire.example/2024/iran-threat\">")
    );
    assert!(page.contains("Also reported by") && page.contains("Daily Paper"));
    assert!(page.contains("More on this") && page.contains("Iraq bases shelled again"));
    assert!(page.contains("property=\"og:title\""));
    assert!(page.contains("\"@type\":\"NewsArticle\""));
    assert!(page.contains("href=\"/tag/military\""));
    assert!(page.contains("name=\"token\""));
    let cookie = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(
        cookie.starts_with("khabar_reader=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );

    // Slugged URL works; unknown ids and junk are 404; rejected stories are not shown.
    let slugged = site
        .page(&format!("/story/{}/threat-from-iran", site.ids.english))
        .await;
    assert!(slugged.contains("<h1>Threat from Iran"));
    assert_eq!(site.get("/story/999999").await.0, StatusCode::NOT_FOUND);
    assert_eq!(site.get("/story/abc").await.0, StatusCode::NOT_FOUND);
    let (status, _, body) = site.get(&format!("/story/{}", site.ids.rejected)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        body.contains("Page not found") && body.contains("<main"),
        "404 page is the site's page"
    );
    assert_eq!(
        site.get("/no/such/page/here").await.0,
        StatusCode::NOT_FOUND
    );

    // A copy's page points back to the primary's outlet.
    let copy = site.page(&format!("/story/{}", site.ids.copy)).await;
    assert!(copy.contains("Also reported by") && copy.contains("Wire Service"));
}

#[tokio::test]
async fn persian_story_is_rtl_with_jalali_date() {
    let site = start(|_| {}).await;
    let page = site.page(&format!("/story/{}", site.ids.persian)).await;
    assert!(page.contains("<html lang=\"fa\" dir=\"rtl\">"));
    assert!(page.contains("<article class=\"story\" lang=\"fa\" dir=\"rtl\">"));
    assert!(page.contains("دیدار وزیر خارجه ایران با همتای عمانی در تهران"));
    let today = Utc::now() - Duration::hours(4);
    let jalali = khabar_text::format_jalali(today.date_naive());
    assert!(page.contains(&jalali), "Jalali date {jalali} shown");
}

#[tokio::test]
async fn excerpt_only_sources_link_out() {
    let site = start(|_| {}).await;
    let page = site
        .page(&format!("/story/{}", site.ids.excerpt_only))
        .await;
    assert!(page.contains("The Treasury announced new sanctions on Iranian oil exports."));
    assert!(!page.contains("FULLTEXTMARKER"));
    assert!(page.contains("Read the full story at Teaser Times"));
    let feed = site.page("/feed.atom").await;
    assert!(!feed.contains("FULLTEXTMARKER"));
    let api = site
        .page(&format!("/api/v1/stories/{}", site.ids.excerpt_only))
        .await;
    assert!(!api.contains("FULLTEXTMARKER"));
}

#[tokio::test]
async fn browsing_pages() {
    let site = start(|_| {}).await;
    let src = site.page("/source/wire").await;
    assert!(src.contains("Wire Service") && src.contains("Threat from Iran"));
    assert!(
        !src.contains("Iraq bases shelled"),
        "other sources' stories are not listed"
    );
    assert_eq!(site.get("/source/nope").await.0, StatusCode::NOT_FOUND);

    let tag = site.page("/tag/military").await;
    assert!(tag.contains("Threat from Iran") && !tag.contains("دیدار"));
    assert_eq!(site.get("/tag/no-such-tag").await.0, StatusCode::NOT_FOUND);

    let day = (Utc::now() - Duration::hours(2)).date_naive();
    let day_page = site.page(&format!("/{}/", day.format("%Y/%m/%d"))).await;
    assert!(day_page.contains("Threat from Iran"));
    assert_eq!(site.get("/2023/02/30/").await.0, StatusCode::NOT_FOUND);

    let archive = site.page("/archive").await;
    assert!(archive.contains(&format!("href=\"/archive/{}\"", day.format("%Y/%m"))));
    let month = site
        .page(&format!("/archive/{}", day.format("%Y/%m")))
        .await;
    assert!(
        month.contains(&format!("href=\"/{}/\"", day.format("%Y/%m/%d"))),
        "days with stories link to their page"
    );
    assert!(month.contains("<table class=\"calendar\">"));
}

#[tokio::test]
async fn search_finds_persian_story_with_arabic_yeh() {
    let site = start(|_| {}).await;
    // "ايران" and "ديدار" typed with Arabic yeh (U+064A) instead of Persian yeh (U+06CC).
    let q = "\u{62f}\u{64a}\u{62f}\u{627}\u{631} \u{627}\u{64a}\u{631}\u{627}\u{646}";
    let page = site
        .page(&format!("/search?q={}", khabar_web::view::query_escape(q)))
        .await;
    assert!(page.contains("دیدار وزیر خارجه ایران"), "{page}");
    assert!(page.contains("<mark>"));
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));

    let en = site.page("/search?q=rockets&sort=date").await;
    assert!(en.contains("Threat from Iran"));
    let none = site.page("/search?q=zzzzqqq").await;
    assert!(none.contains("0 stories found"));
    let empty = site.page("/search").await;
    assert!(empty.contains("<form"));

    let api: serde_json::Value = client()
        .get(site.url("/api/v1/search?q=rockets"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api["items"][0]["story"]["id"], site.ids.english);
    assert!(
        api["items"][0]["snippet_html"]
            .as_str()
            .unwrap()
            .contains("<mark>")
    );
    assert_eq!(
        client()
            .get(site.url("/api/v1/search"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn feeds_parse_back_with_their_items() {
    let site = start(|_| {}).await;
    for path in ["/feed.atom", "/feed.rss", "/feed.json"] {
        let (status, headers, body) = site.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let ctype = headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let feed = feed_rs::parser::parse(body.as_bytes())
            .unwrap_or_else(|e| panic!("{path}: {e}\n{body}"));
        let titles: Vec<String> = feed
            .entries
            .iter()
            .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
            .collect();
        assert!(
            titles.iter().any(|t| t.contains("Threat from Iran")),
            "{path}: {titles:?}"
        );
        assert!(
            titles.iter().any(|t| t.contains("دیدار")),
            "{path}: {titles:?}"
        );
        assert!(!titles.iter().any(|t| t.contains("football")), "{path}");
        assert_eq!(titles.len(), 5, "{path}: primaries only: {titles:?}");
        let entry = feed
            .entries
            .iter()
            .find(|e| {
                e.title
                    .as_ref()
                    .is_some_and(|t| t.content.contains("Threat"))
            })
            .unwrap();
        assert!(
            entry
                .links
                .iter()
                .any(|l| l.href.starts_with(&site.base) && l.href.contains("/story/")),
            "{path}: item link is our page"
        );
        let html = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default();
        assert!(
            html.contains("Original News: <a href=\"https://wire.example/2024/iran-threat\"")
                && html.contains("— Wire Service"),
            "{path}: attribution in {html}"
        );
        assert!(
            html.contains("https://wire.example/2024/iran-threat"),
            "{path}"
        );
        assert!(!html.contains("<b>"), "{path}: escaped body");
        assert!(
            ctype.contains("atom") || ctype.contains("rss") || ctype.contains("json"),
            "{ctype}"
        );
    }
    let atom = site.page("/feed.atom").await;
    assert!(atom.contains("rel=\"via\""));

    let tag =
        feed_rs::parser::parse(site.page("/tag/military/feed.atom").await.as_bytes()).unwrap();
    assert_eq!(tag.entries.len(), 1);
    let src =
        feed_rs::parser::parse(site.page("/source/bbc-persian/feed.rss").await.as_bytes()).unwrap();
    assert_eq!(src.entries.len(), 1);
    let search =
        feed_rs::parser::parse(site.page("/search/feed.json?q=rockets").await.as_bytes()).unwrap();
    assert_eq!(search.entries.len(), 1);
}

#[tokio::test]
async fn one_language_feeds_say_their_language_and_title() {
    let site = start(|_| {}).await;
    let fa = site.page("/feed.rss?lang=fa").await;
    assert!(fa.contains("<language>fa</language>"), "{fa}");
    assert!(fa.contains("· فارسی</title>"), "{fa}");
    let fa_atom = site.page("/feed.atom?lang=fa").await;
    assert!(fa_atom.contains("xml:lang=\"fa\""), "{fa_atom}");
    // A source's feed is in the source's language, the site's in its own.
    let src: serde_json::Value =
        serde_json::from_str(&site.page("/source/bbc-persian/feed.json").await).unwrap();
    assert_eq!(src["language"], "fa", "{src}");
    let all = site.page("/feed.rss").await;
    assert!(all.contains("<language>en</language>"), "{all}");
}

#[tokio::test]
async fn machine_endpoints() {
    let site = start(|_| {}).await;
    let sm = site.page("/sitemap.xml").await;
    assert!(
        sm.contains("<urlset")
            && sm.contains(&format!("{}/story/{}/", site.base, site.ids.english))
    );
    for list in [
        "/coverage",
        "/coverage/state-only",
        "/coverage/persian-only",
        "/sources",
    ] {
        assert!(
            sm.contains(&format!("<loc>{}{list}</loc>", site.base)),
            "{list} in the sitemap"
        );
    }
    let news = site.page("/news-sitemap.xml").await;
    assert!(news.contains("<news:title>Threat from Iran"));
    assert!(news.contains("<news:language>fa</news:language>"));
    let robots = site.page("/robots.txt").await;
    assert!(robots.contains(&format!("Sitemap: {}/sitemap.xml", site.base)));
    assert!(robots.contains("news-sitemap.xml"));
    let health: serde_json::Value = serde_json::from_str(&site.page("/healthz").await).unwrap();
    assert_eq!(health["ok"], true);
    assert_eq!(health["db"], true);
    assert!(health["counts"]["published"].as_i64().unwrap() >= 6);
    // An embedded store's searches go through the index beside it (or it is being built).
    let search = health["search"].as_str().unwrap();
    assert!(search == "index" || search == "index_building", "{health}");
    assert_eq!(
        site.get("/metrics").await.0,
        StatusCode::NOT_FOUND,
        "no metrics renderer given"
    );

    let css_href = {
        let home = site.page("/").await;
        let start = home.find("/static/site.").unwrap();
        home[start..start + home[start..].find('"').unwrap()].to_string()
    };
    let (status, headers, css) = site.get(&css_href).await;
    assert_eq!(status, StatusCode::OK);
    assert!(css.contains("prefers-color-scheme: dark"));
    assert!(
        headers
            .get(header::CACHE_CONTROL)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("immutable")
    );
}

#[tokio::test]
async fn json_api_shapes() {
    let site = start(|_| {}).await;
    let list: serde_json::Value = client()
        .get(site.url("/api/v1/stories?lang=en&per_page=2"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["per_page"], 2);
    assert_eq!(list["page"], 1);
    assert_eq!(list["total"], 4);
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let first = &list["items"][0];
    for key in [
        "id",
        "url",
        "original_url",
        "headline",
        "source",
        "fetched_at",
        "lang",
        "dir",
        "excerpt",
        "tags",
        "likes",
    ] {
        assert!(!first[key].is_null(), "{key} in {first}");
    }
    let one: serde_json::Value = client()
        .get(site.url(&format!("/api/v1/stories/{}", site.ids.english)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one["source"]["slug"], "wire");
    assert_eq!(one["copies"][0]["id"], site.ids.copy);
    assert_eq!(one["blocks"].as_array().unwrap().len(), 5);
    let fa: serde_json::Value = client()
        .get(site.url(&format!("/api/v1/stories/{}", site.ids.persian)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fa["dir"], "rtl");
    let missing = client()
        .get(site.url("/api/v1/stories/424242"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let err: serde_json::Value = missing.json().await.unwrap();
    assert!(err["error"].is_string());
    let sources: serde_json::Value = client()
        .get(site.url("/api/v1/sources"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sources.as_array().unwrap().len(), 4);
    assert!(sources[0].get("proxy").is_none());
    let openapi: serde_json::Value = client()
        .get(site.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(openapi["openapi"], "3.0.3");
    assert!(openapi["paths"]["/stories/{id}"].is_object());
    assert_eq!(
        openapi["servers"][0]["url"],
        format!("{}/api/v1", site.base)
    );
}

/// Fetches a story page as a new reader: (reader cookie, form token).
async fn reader_session(site: &Site, id: i64) -> (String, String) {
    let (_, headers, page) = site.get(&format!("/story/{id}")).await;
    let cookie = headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let start = page.find("name=\"token\" value=\"").unwrap() + "name=\"token\" value=\"".len();
    let token = page[start..start + page[start..].find('"').unwrap()].to_string();
    (cookie, token)
}

#[tokio::test]
async fn likes_need_the_token_and_count_once_per_reader() {
    let site = start(|_| {}).await;
    let id = site.ids.english;
    let like_url = site.url(&format!("/story/{id}/like"));
    let (cookie, token) = reader_session(&site, id).await;

    // No token, wrong token, no cookie, foreign origin: refused.
    let r = client()
        .post(&like_url)
        .header(header::COOKIE, &cookie)
        .form(&[("token", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = client()
        .post(&like_url)
        .header(header::COOKIE, &cookie)
        .form(&[("token", "deadbeef")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = client()
        .post(&like_url)
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = client()
        .post(&like_url)
        .header(header::COOKIE, &cookie)
        .header(header::ORIGIN, "https://evil.example")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(site.store.story(id).await.unwrap().unwrap().likes, 0);

    // Without JS: 303 back to the story.
    let r = client()
        .post(&like_url)
        .header(header::COOKIE, &cookie)
        .header(header::ORIGIN, &site.base)
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        r.headers()
            .get(header::LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with(&format!("/story/{id}"))
    );
    assert_eq!(site.store.story(id).await.unwrap().unwrap().likes, 1);

    // Same reader again, with JS: not counted.
    let r = client()
        .post(&like_url)
        .header(header::COOKIE, &cookie)
        .header(header::ACCEPT, "application/json")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["likes"], 1);
    assert_eq!(v["counted"], false);

    // Another reader counts.
    let (cookie2, token2) = reader_session(&site, id).await;
    assert_ne!(cookie, cookie2);
    let v: serde_json::Value = client()
        .post(&like_url)
        .header(header::COOKIE, &cookie2)
        .header(header::ACCEPT, "application/json")
        .form(&[("token", token2.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (v["likes"].as_i64(), v["counted"].as_bool()),
        (Some(2), Some(true))
    );
    let page = site.page(&format!("/story/{id}")).await;
    assert!(page.contains("2 readers like this"));
}

#[tokio::test]
async fn likes_are_rate_limited_per_address() {
    let site = start(|s| s.likes_per_minute_per_ip = 3).await;
    let mut statuses = Vec::new();
    for id in [
        site.ids.english,
        site.ids.persian,
        site.ids.related,
        site.ids.excerpt_only,
        site.ids.doomed,
    ] {
        let (cookie, token) = reader_session(&site, id).await;
        let r = client()
            .post(site.url(&format!("/story/{id}/like")))
            .header(header::COOKIE, &cookie)
            .header(header::ACCEPT, "application/json")
            .form(&[("token", token.as_str())])
            .send()
            .await
            .unwrap();
        statuses.push(r.status());
    }
    assert_eq!(&statuses[..3], &[StatusCode::OK; 3]);
    assert_eq!(statuses[3], StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(statuses[4], StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn etag_answers_304() {
    let site = start(|_| {}).await;
    let (status, headers, _) = site.get("/").await;
    assert_eq!(status, StatusCode::OK);
    let etag = headers
        .get(header::ETAG)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        headers.get(header::CACHE_CONTROL).unwrap(),
        "public, max-age=60"
    );
    let r = client()
        .get(site.url("/"))
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    assert!(r.bytes().await.unwrap().is_empty());
    let r = client()
        .get(site.url("/"))
        .header(header::IF_NONE_MATCH, "W/\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Compressed when asked.
    let raw = reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .no_deflate()
        .build()
        .unwrap();
    let r = raw
        .get(site.url("/"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers().get(header::CONTENT_ENCODING).unwrap(), "gzip");
    // A kept page is served from its gzip copy: same ETag, same page once inflated.
    let plain = site.page("/").await;
    for enc in ["gzip", "br;q=0.9, gzip;q=0.8"] {
        let r = raw
            .get(site.url("/"))
            .header(header::ACCEPT_ENCODING, enc)
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers().get(header::CONTENT_ENCODING).unwrap(), "gzip");
        assert_eq!(
            r.headers().get(header::ETAG).unwrap().to_str().unwrap(),
            etag
        );
        assert!(
            r.headers()
                .get_all(header::VARY)
                .iter()
                .any(|v| v.to_str().unwrap().contains("accept-encoding"))
        );
        let gz = r.bytes().await.unwrap();
        let mut html = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut html)
            .unwrap();
        assert_eq!(html, plain);
    }
    let r = raw
        .get(site.url("/"))
        .header(header::ACCEPT_ENCODING, "gzip;q=0")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(r.text().await.unwrap(), plain);
}

#[tokio::test]
async fn admin_requires_the_token() {
    let site = start(|_| {}).await;
    assert_eq!(site.get("/admin").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        site.get("/admin/rejected").await.0,
        StatusCode::UNAUTHORIZED
    );
    let wrong = client()
        .get(site.url("/admin"))
        .bearer_auth("nope")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let hide = client()
        .post(site.url(&format!("/admin/story/{}/hide", site.ids.english)))
        .form(&[("csrf", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(hide.status(), StatusCode::UNAUTHORIZED);

    let dash = client()
        .get(site.url("/admin"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(dash.status(), StatusCode::OK);
    let dash = dash.text().await.unwrap();
    assert!(dash.contains("Wire Service") && dash.contains("BBC Persian"));
    let rejected = client()
        .get(site.url("/admin/rejected"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        rejected.contains("Local football results") && rejected.contains("no topic terms found")
    );

    // Browser flow: login form sets a session cookie; actions need its CSRF token.
    let login = client()
        .post(site.url("/admin/login"))
        .form(&[("token", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED);
    let login = client()
        .post(site.url("/admin/login"))
        .form(&[("token", ADMIN_TOKEN)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let session = login
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert!(session.starts_with("khabar_admin="));
    let dash = client()
        .get(site.url("/admin"))
        .header(header::COOKIE, &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = dash.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    let csrf = dash[start..start + dash[start..].find('"').unwrap()].to_string();
    let pin_url = site.url(&format!("/admin/story/{}/pin", site.ids.persian));
    let r = client()
        .post(&pin_url)
        .header(header::COOKIE, &session)
        .form(&[("csrf", "bad")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = client()
        .post(&pin_url)
        .header(header::COOKIE, &session)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        site.store
            .story(site.ids.persian)
            .await
            .unwrap()
            .unwrap()
            .pinned
    );
    let home = site.page("/").await;
    assert!(
        home.find("دیدار").unwrap() < home.find("Threat from Iran").unwrap(),
        "pinned story first"
    );

    // An editor publishes a rejected story anyway, from the rejected list;
    // the decision, who made it and why are kept.
    let rejected_page = client()
        .get(site.url("/admin/rejected"))
        .header(header::COOKIE, &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let publish_url = format!("/admin/story/{}/publish", site.ids.rejected);
    assert!(
        rejected_page.contains(&publish_url),
        "a Publish anyway form"
    );
    assert_eq!(
        site.admin_post(
            &session,
            &publish_url,
            &[
                ("csrf", csrf.as_str()),
                ("reason", "local club owned by an Iranian ministry"),
            ]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let story = site.store.story(site.ids.rejected).await.unwrap().unwrap();
    assert_eq!(story.status, StoryStatus::Published);
    let log = site.store.moderation_log(site.ids.rejected).await.unwrap();
    let (_, from, to, reason) = log.last().unwrap();
    assert_eq!(
        (*from, *to),
        (StoryStatus::Rejected, StoryStatus::Published)
    );
    assert!(
        reason.as_deref().is_some_and(
            |r| r.starts_with("published against the topic decision by the admin: local club")
        ),
        "{log:?}"
    );
    // Only a rejected story can be published this way.
    assert_eq!(
        site.admin_post(
            &session,
            &format!("/admin/story/{}/publish", site.ids.english),
            &[("csrf", csrf.as_str())]
        )
        .await,
        StatusCode::NOT_FOUND
    );
    // A failing source is polled on the next run when the admin asks.
    let failing = khabar_store::FetchRecord {
        at: chrono::Utc::now(),
        status: khabar_model::SourceStatus::Failing,
        http_status: Some(503),
        error: Some("HTTP 503".into()),
        etag: None,
        last_modified: None,
        next_fetch_at: Some(chrono::Utc::now() + chrono::Duration::hours(6)),
        consecutive_failures: 3,
        items_seen: 0,
        stories_added: 0,
        duration_ms: 10,
        note: None,
        error_kind: Some(khabar_model::FailureKind::Http5xx),
    };
    let wire = site.store.sources().by_slug("wire").await.unwrap().unwrap();
    site.store
        .sources()
        .record_fetch(wire.id, &failing)
        .await
        .unwrap();
    assert_eq!(
        site.admin_post(
            &session,
            "/admin/source/wire/poll-now",
            &[("csrf", csrf.as_str())]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let wire = site.store.sources().by_slug("wire").await.unwrap().unwrap();
    assert!(wire.next_fetch_at.unwrap() <= chrono::Utc::now(), "due now");
    assert_eq!(
        site.admin_post(
            &session,
            "/admin/source/no-such-source/poll-now",
            &[("csrf", csrf.as_str())]
        )
        .await,
        StatusCode::NOT_FOUND
    );

    // The opposite mark: a published story that is not about the topic.
    assert_eq!(
        site.admin_post(
            &session,
            &format!("/admin/story/{}/off-topic", site.ids.english),
            &[("csrf", csrf.as_str())]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let story = site.store.story(site.ids.english).await.unwrap().unwrap();
    assert_eq!(story.status, StoryStatus::Rejected);
    let log = site.store.moderation_log(site.ids.english).await.unwrap();
    assert_eq!(
        log.last().unwrap().3.as_deref(),
        Some("marked not about the topic by the admin")
    );
}

#[tokio::test]
async fn admin_is_absent_without_a_token() {
    let site = start(|s| s.admin_token = None).await;
    assert_eq!(site.get("/admin").await.0, StatusCode::NOT_FOUND);
    let r = client()
        .get(site.url("/admin"))
        .bearer_auth("anything")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn takedown_removes_the_story_everywhere() {
    let site = start(|_| {}).await;
    let id = site.ids.doomed;
    assert!(site.page("/").await.contains("Doomed story"));
    let url = site.url(&format!("/admin/story/{id}/takedown"));
    let r = client()
        .post(&url)
        .bearer_auth(ADMIN_TOKEN)
        .form(&[("reason", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::BAD_REQUEST,
        "a takedown needs a reason"
    );
    let r = client()
        .post(&url)
        .bearer_auth(ADMIN_TOKEN)
        .header(header::ACCEPT, "application/json")
        .form(&[("reason", "DMCA request 42")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(!site.page("/").await.contains("Doomed story"));
    for feed in ["/feed.atom", "/feed.rss", "/feed.json"] {
        assert!(!site.page(feed).await.contains("Doomed story"), "{feed}");
    }
    assert!(
        !site
            .page("/sitemap.xml")
            .await
            .contains(&format!("/story/{id}/"))
    );
    assert_eq!(site.get(&format!("/story/{id}")).await.0, StatusCode::GONE);
    assert_eq!(
        site.get(&format!("/api/v1/stories/{id}")).await.0,
        StatusCode::GONE
    );
    let search = site.page("/search?q=DOOMEDMARKER").await;
    assert!(!search.contains("Doomed story"));

    // Hide and unhide round-trip.
    let hide = client()
        .post(site.url(&format!("/admin/story/{}/hide", site.ids.related)))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(hide.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        site.get(&format!("/story/{}", site.ids.related)).await.0,
        StatusCode::NOT_FOUND
    );
    let unhide = client()
        .post(site.url(&format!("/admin/story/{}/unhide", site.ids.related)))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(unhide.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        site.get(&format!("/story/{}", site.ids.related)).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn metrics_are_served_when_the_binary_gives_a_renderer() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("m.db").display()))
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let render: khabar_web::MetricsRender =
        std::sync::Arc::new(|| "khabar_stories_inserted_total 7\n".to_string());
    let settings = SiteSettings {
        base_url: base.clone(),
        ..Default::default()
    };
    tokio::spawn(khabar_web::serve(
        listener,
        AppState::with_metrics(store, settings, Some(render)),
    ));
    let r = client()
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(r.text().await.unwrap(), "khabar_stories_inserted_total 7\n");
    // An empty store still renders its pages, and says why it is empty.
    let home = client().get(format!("{base}/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    assert!(
        home.text()
            .await
            .unwrap()
            .contains("No sources are configured yet")
    );
}

/// Lists and feeds are served from the page cache, yet a change written by
/// another writer of the same database (a second store handle stands in for
/// another process, e.g. `khabar story hide`) shows on the very next request,
/// with a new ETag; likes stay fresh on story pages and leave lists cached.
#[tokio::test]
async fn cached_lists_follow_changes_from_any_writer() {
    let site = start(|_| {}).await;
    let headline = "Threat from Iran to U.S. forces in Iraq remains significant";
    let etag_of = |h: &reqwest::header::HeaderMap| {
        h.get(header::ETAG)
            .expect("etag")
            .to_str()
            .unwrap()
            .to_string()
    };
    let (status, headers, home) = site.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains(headline));
    let first = etag_of(&headers);
    // A repeat read is the same page with the same ETag, and 304 when the reader has it.
    let (_, headers, again) = site.get("/").await;
    assert_eq!((etag_of(&headers), again), (first.clone(), home.clone()));
    let not_modified = |etag: String| {
        let url = site.url("/");
        async move {
            client()
                .get(url)
                .header(header::IF_NONE_MATCH, etag)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(not_modified(first.clone()).await, StatusCode::NOT_MODIFIED);
    assert!(site.page("/feed.atom").await.contains(headline));
    assert!(site.page("/tag/military").await.contains(headline));

    // Likes: fresh on the story page, and the cached lists are kept.
    site.store
        .add_like(site.ids.english, "reader-a")
        .await
        .unwrap();
    let story_page = site.page(&format!("/story/{}", site.ids.english)).await;
    assert!(
        story_page.contains("1 reader likes this"),
        "fresh like count"
    );
    assert_eq!(not_modified(first.clone()).await, StatusCode::NOT_MODIFIED);

    let other = Store::connect(&format!(
        "sqlite://{}",
        site._dir.path().join("web.db").display()
    ))
    .await
    .unwrap();
    other
        .set_status(site.ids.english, StoryStatus::Hidden, Some("test"))
        .await
        .unwrap();
    let (status, headers, home) = site.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!home.contains(headline), "hidden elsewhere, gone here");
    assert_ne!(etag_of(&headers), first);
    assert_eq!(not_modified(first.clone()).await, StatusCode::OK);
    assert!(!site.page("/feed.atom").await.contains(headline));
    let (status, _, _) = site.get("/tag/military").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "its only story is hidden: the cached tag page is not served"
    );

    // Published elsewhere: listed at once.
    let wire = other.sources().by_slug("wire").await.unwrap().unwrap();
    other
        .insert_story(&story(
            wire.id,
            "https://wire.example/2024/fresh",
            "Freshly published elsewhere about Iran",
            "en",
            vec![Block::paragraph("A new story written by another process.")],
            0,
        ))
        .await
        .unwrap();
    assert!(
        site.page("/")
            .await
            .contains("Freshly published elsewhere about Iran")
    );
    assert!(
        site.page("/source/wire")
            .await
            .contains("Freshly published elsewhere about Iran")
    );

    // Story pages are kept too: hidden and edited elsewhere, seen here at once.
    let (status, _, _) = site.get(&format!("/story/{}", site.ids.english)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the kept page of a hidden story"
    );
    let persian = format!("/story/{}", site.ids.persian);
    // Two new readers get the kept page, each with a token of their own.
    let token_of = |page: &str| {
        let needle = "name=\"token\" value=\"";
        let start = page.find(needle).expect("like form") + needle.len();
        page[start..start + page[start..].find('"').expect("quote")].to_string()
    };
    let (first, second) = (site.page(&persian).await, site.page(&persian).await);
    let (t1, t2) = (token_of(&first), token_of(&second));
    assert_ne!(t1, t2, "one token per reader");
    assert_eq!(first.replace(&t1, ""), second.replace(&t2, ""));
    let mut update = story(
        wire.id,
        "https://wire.example/ignored",
        "Updated headline from another writer",
        "en",
        vec![Block::paragraph(
            "A longer text replaced the first version.",
        )],
        0,
    );
    update.published_at = None;
    other.replace_text(site.ids.persian, &update).await.unwrap();
    let after = site.page(&persian).await;
    assert!(
        after.contains("Updated headline from another writer"),
        "{after}"
    );
    assert!(after.contains("A longer text replaced the first version."));
    other.close().await;
}

/// A JSON Feed or a broken page can hand a story a control character; XML
/// 1.0 forbids it even escaped, and one would make the whole feed
/// unreadable to a strict reader.
#[tokio::test]
async fn control_characters_in_a_story_do_not_break_the_xml_documents() {
    let site = start(|_| {}).await;
    let wire = site.store.sources().by_slug("wire").await.unwrap().unwrap();
    let mut s = story(
        wire.id,
        "https://wire.example/2024/iran-control",
        "Iran\u{2} talks\u{1b} resume",
        "en",
        vec![Block::paragraph(
            "Talks\u{0} with Iran resumed\u{8} on Monday.",
        )],
        0,
    );
    s.byline = Some("By A\u{1f} Reporter".into());
    site.store.insert_story(&s).await.unwrap();
    for path in ["/feed.atom", "/feed.rss", "/news-sitemap.xml"] {
        let (status, _, body) = site.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            !body
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
            "{path} carries a control character"
        );
        assert!(body.contains("Iran talks resume"), "{path}: {body}");
        if path.starts_with("/feed") {
            let feed =
                feed_rs::parser::parse(body.as_bytes()).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(feed.entries.iter().any(|e| {
                e.title
                    .as_ref()
                    .is_some_and(|t| t.content == "Iran talks resume")
            }));
        }
    }
}

// ---- Presentation (issue 17): editions, front page, indexes, icons ----

/// Published primaries of the fixture per UTC month, from their ages in hours.
fn fixture_month_counts() -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = Vec::new();
    for h in [2, 3, 4, 5, 7] {
        let m = (Utc::now() - Duration::hours(h))
            .format("%Y/%m")
            .to_string();
        match out.iter_mut().find(|(k, _)| *k == m) {
            Some((_, n)) => *n += 1,
            None => out.push((m, 1)),
        }
    }
    out
}

#[tokio::test]
async fn the_front_page_leads_with_the_most_reported_story_then_topics() {
    let site = start(|_| {}).await;
    let home = site.page("/").await;
    let lead_at = home.find("class=\"lead\"").expect("a lead section");
    let lead = &home[lead_at..home[lead_at..].find("</section>").unwrap() + lead_at];
    assert!(
        lead.contains("Threat from Iran to U.S. forces in Iraq remains significant"),
        "two outlets carry it: {lead}"
    );
    assert!(lead.contains("Also reported by 1 other outlet"));
    // The other four stories share one topic: one section, shown by name, not slug.
    assert!(
        home.contains("<h2 id=\"sec-1\"><a href=\"/tag/diplomacy\">Diplomacy</a></h2>"),
        "{home}"
    );
    let sections = &home[home.find("class=\"sections\"").unwrap()..];
    let sections = &sections[..sections.find("class=\"latest\"").unwrap()];
    assert_eq!(sections.matches("<article class=\"card").count(), 4);
    assert!(
        !sections.contains("Threat from Iran"),
        "the lead is not repeated"
    );
    // Nor does the latest list open with it again; the other stories stay.
    let latest = &home[home.find("class=\"latest\"").unwrap()..];
    assert!(
        !latest.contains("Threat from Iran"),
        "the lead is not repeated in the latest list: {latest}"
    );
    assert!(latest.contains("<li"), "{latest}");
    // The edition switch, with the current edition marked.
    let fa = site.page("/?lang=fa").await;
    assert!(fa.contains(
        "href=\"/?lang=fa\" lang=\"fa\" dir=\"rtl\" hreflang=\"fa\" aria-current=\"page\""
    ));
    assert!(home.contains("href=\"/?lang=en\""));
}

#[tokio::test]
async fn the_persian_edition_is_persian() {
    let site = start(|_| {}).await;
    let fa = site.page("/?lang=fa").await;
    assert!(fa.contains("<html lang=\"fa\" dir=\"rtl\">"));
    for label in [
        "تازه‌ها",
        "بایگانی",
        "موضوع‌ها",
        "منابع",
        "جست‌وجو",
        "رفتن به محتوا",
    ] {
        assert!(fa.contains(label), "{label}");
    }
    for english in [
        "Skip to content",
        ">Search<",
        ">Archive<",
        "Latest",
        "republishes",
    ] {
        assert!(
            !fa.contains(english),
            "English label {english} on a Persian page"
        );
    }
    // Jalali date in Persian digits; the machine-readable date stays Gregorian.
    let t = Utc::now() - Duration::hours(4);
    let jalali = khabar_text::format_jalali(t.date_naive());
    assert!(jalali.chars().any(|c| ('۰'..='۹').contains(&c)));
    assert!(fa.contains(&jalali), "{jalali}");
    let iso_day = t.format("%Y-%m-%d").to_string();
    assert!(fa.contains(&format!("<time datetime=\"{iso_day}")));
    // Nav links stay in the edition; the English home has English labels.
    assert!(fa.contains("href=\"/archive?lang=fa\""));
    let en = site.page("/").await;
    assert!(en.contains("Skip to content") && en.contains(">Archive<"));
    assert!(!en.contains("بایگانی"));

    // A Persian story's page is Persian whatever the edition.
    let story = site.page(&format!("/story/{}", site.ids.persian)).await;
    assert!(story.contains("خبر اصلی: <a href=\"https://bbc-persian.example/persian/iran-oman\""));
    assert!(story.contains("نخستین کسی باشید"), "likes text in Persian");
    assert!(story.contains(&jalali));
    assert!(!story.contains("Original News"));
    // An English story's page stays English.
    let story = site.page(&format!("/story/{}", site.ids.english)).await;
    assert!(story.contains("Be the first to like this") && story.contains("Original News"));
}

#[tokio::test]
async fn a_site_language_without_a_catalogue_is_refused() {
    let settings = SiteSettings {
        language: "de".into(),
        ..Default::default()
    };
    let err = settings.validate().unwrap_err().to_string();
    assert!(
        err.contains("site.language") && err.contains("\"de\""),
        "{err}"
    );
    assert!(err.contains("en, fa"), "{err}");
    for ok in ["en", "fa", "fa-IR"] {
        let s = SiteSettings {
            language: ok.into(),
            ..Default::default()
        };
        assert!(s.validate().is_ok(), "{ok}");
    }
    // A Persian site is Persian at its root.
    let site = start(|s| s.language = "fa".into()).await;
    let home = site.page("/").await;
    assert!(home.contains("<html lang=\"fa\" dir=\"rtl\">") && home.contains("بایگانی"));
    assert!(
        home.contains("href=\"/archive\""),
        "no ?lang= in the site's own language"
    );
}

#[tokio::test]
async fn the_archive_index_counts_stories_by_month() {
    let site = start(|_| {}).await;
    let index = site.page("/archive").await;
    for (month, n) in fixture_month_counts() {
        let link = format!("href=\"/archive/{month}\"");
        let at = index
            .find(&link)
            .unwrap_or_else(|| panic!("{link} in {index}"));
        let row = &index[at..at + index[at..].find("</li>").unwrap()];
        let want = if n == 1 {
            "1 story".to_string()
        } else {
            format!("{n} stories")
        };
        assert!(row.contains(&want), "{row} wants {want}");
    }
    // The month page lists its stories under its calendar.
    let (month, _) = &fixture_month_counts()[0];
    let page = site.page(&format!("/archive/{month}")).await;
    assert!(page.contains("<table class=\"calendar\">"));
    assert!(page.contains("Iraq bases shelled again"));
    // In Persian: Persian month names and digits.
    let fa = site.page("/archive?lang=fa").await;
    assert!(fa.contains("<html lang=\"fa\" dir=\"rtl\">"));
    let year = Utc::now().format("%Y").to_string();
    let fa_year: String = year
        .chars()
        .map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap()).unwrap())
        .collect();
    assert!(fa.contains(&fa_year), "{fa_year}");
}

#[tokio::test]
async fn tags_and_sources_have_index_pages() {
    let site = start(|_| {}).await;
    let tags = site.page("/tags").await;
    let at = tags
        .find("href=\"/tag/diplomacy\">Diplomacy</a>")
        .expect("named topic");
    assert!(tags[at..].starts_with(
        "href=\"/tag/diplomacy\">Diplomacy</a> <span class=\"muted\">5 stories</span>"
    ));
    assert!(
        tags.contains("href=\"/tag/military\">Military</a>"),
        "a tag without a name reads from its slug"
    );
    let fa_tags = site.page("/tags?lang=fa").await;
    assert!(fa_tags.contains("href=\"/tag/diplomacy?lang=fa\">دیپلماسی</a>"));

    let sources = site.page("/sources").await;
    for (name, slug) in [("BBC Persian", "bbc-persian"), ("Wire Service", "wire")] {
        assert!(sources.contains(&format!("<a href=\"/source/{slug}\">{name}</a>")));
        assert!(sources.contains(&format!("https://{slug}.example/feed")));
    }
    assert!(sources.contains("<td>Persian</td>") && sources.contains("<td>news feed</td>"));

    let src = site.page("/source/bbc-persian").await;
    assert!(src.contains("Language: Persian · Kind: news feed"));
    assert!(src.contains("href=\"https://bbc-persian.example/feed\""));
    assert!(src.contains("دیدار وزیر خارجه ایران"));
}

#[tokio::test]
async fn feed_links_carry_the_page_filter() {
    let site = start(|_| {}).await;
    let fa = site.page("/?lang=fa").await;
    assert!(
        fa.contains("href=\"/feed.atom?lang=fa\""),
        "follow link keeps the language"
    );
    assert!(
        fa.contains("type=\"application/atom+xml\"") && fa.contains("href=\"/feed.rss?lang=fa\"")
    );
    let feed = site.page("/feed.atom?lang=fa").await;
    assert!(feed.contains("دیدار وزیر خارجه ایران") && !feed.contains("Threat from Iran"));
    let all = site.page("/").await;
    assert!(all.contains("href=\"/feed.atom\""));
    let tag = site.page("/tag/diplomacy?lang=fa").await;
    assert!(tag.contains("href=\"/tag/diplomacy/feed.atom?lang=fa\""));
    let src = site.page("/source/wire?lang=en").await;
    assert!(src.contains("href=\"/source/wire/feed.atom?lang=en\""));
}

#[tokio::test]
async fn a_persian_feed_names_itself_in_persian() {
    let site = start(|_| {}).await;
    // Fluent isolates each argument (U+2068 … U+2069) for mixed directions.
    let unisolated = |s: String| s.replace(['\u{2068}', '\u{2069}'], "");
    let tag = unisolated(site.page("/tag/diplomacy/feed.rss?lang=fa").await);
    assert!(
        tag.contains("<title>دیپلماسی · "),
        "topic by its Persian name: {tag}"
    );
    assert!(tag.contains("<description>خبرهای دیپلماسی در "), "{tag}");
    assert!(!tag.contains("Stories "), "{tag}");
    let en = unisolated(site.page("/tag/diplomacy/feed.rss?lang=en").await);
    assert!(en.contains("<title>Diplomacy · "), "{en}");
    assert!(en.contains("<description>Stories on Diplomacy on "), "{en}");
    let src = unisolated(site.page("/source/bbc-persian/feed.atom?lang=fa").await);
    assert!(src.contains("خبرهای "), "{src}");
    let search = unisolated(site.page("/search/feed.atom?q=iran&lang=fa").await);
    assert!(search.contains("جست‌وجوی «iran»"), "{search}");
}

#[tokio::test]
async fn favicon_and_manifest_are_served() {
    let site = start(|_| {}).await;
    let home = site.page("/").await;
    let svg = home
        .split("<link rel=\"icon\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("icon link");
    assert!(
        svg.starts_with("/static/favicon.") && svg.ends_with(".svg"),
        "{svg}"
    );
    let (status, headers, body) = site.get(svg).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/svg+xml");
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(body.starts_with("<svg"));

    let r = client().get(site.url("/favicon.ico")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[header::CONTENT_TYPE], "image/png");
    assert!(r.bytes().await.unwrap().starts_with(b"\x89PNG\r\n\x1a\n"));

    assert!(home.contains("<link rel=\"manifest\" href=\"/site.webmanifest\">"));
    let (status, headers, body) = site.get("/site.webmanifest").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/manifest+json");
    let m: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(m["name"], "Persian News");
    for icon in m["icons"].as_array().unwrap() {
        let r = client()
            .get(site.url(icon["src"].as_str().unwrap()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{icon}");
        assert!(
            r.headers()[header::CACHE_CONTROL]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
    }
}

/// Pages the HTML checks walk: both editions of every reader page.
fn pages_to_check(site: &Site) -> Vec<String> {
    let day = (Utc::now() - Duration::hours(2)).date_naive();
    let mut v = Vec::new();
    for q in ["", "?lang=fa", "?lang=en"] {
        for path in [
            "/".to_string(),
            "/tags".to_string(),
            "/sources".to_string(),
            "/archive".to_string(),
            format!("/archive/{}", day.format("%Y/%m")),
            "/tag/diplomacy".to_string(),
            "/source/bbc-persian".to_string(),
            format!("/{}/", day.format("%Y/%m/%d")),
        ] {
            v.push(format!("{path}{q}"));
        }
    }
    for id in [site.ids.english, site.ids.persian, site.ids.copy] {
        v.push(format!("/story/{id}"));
    }
    v.push("/search?q=Iran".into());
    v.push("/search?q=%D8%AF%DB%8C%D8%AF%D8%A7%D8%B1&lang=fa".into());
    v
}

#[tokio::test]
async fn every_reader_page_is_well_formed_html() {
    let site = start(|_| {}).await;
    for path in pages_to_check(&site) {
        let body = site.page(&path).await;
        assert!(body.starts_with("<!doctype html>"), "{path}");
        let doc = scraper::Html::parse_document(&body);
        assert!(
            doc.errors.is_empty(),
            "{path}: parse errors {:?}",
            doc.errors
        );
        // Ids are unique; links do not nest; every image has alt text.
        let ids = scraper::Selector::parse("[id]").unwrap();
        let mut seen = std::collections::HashSet::new();
        for el in doc.select(&ids) {
            let id = el.value().attr("id").unwrap();
            assert!(seen.insert(id.to_string()), "{path}: duplicate id {id}");
        }
        let nested = scraper::Selector::parse("a a, button a, a button").unwrap();
        assert!(
            doc.select(&nested).next().is_none(),
            "{path}: nested interactive content"
        );
        let img = scraper::Selector::parse("img:not([alt])").unwrap();
        assert!(doc.select(&img).next().is_none(), "{path}: img without alt");
        let h1 = scraper::Selector::parse("h1").unwrap();
        assert_eq!(doc.select(&h1).count(), 1, "{path}: one h1");
        let html = scraper::Selector::parse("html[lang][dir]").unwrap();
        assert!(doc.select(&html).next().is_some(), "{path}: lang and dir");
    }
}

#[tokio::test]
async fn a_story_page_tells_how_the_story_unfolded() {
    let site = start(|_| {}).await;
    let path = format!("/story/{}", site.ids.english);
    // The wire's report came two hours ago and the paper's copy an hour
    // ago: the wire had it first.
    let page = site.page(&path).await;
    let at = page.find("class=\"related timeline\"").expect("a timeline");
    let timeline = &page[at..at + page[at..].find("</section>").unwrap()];
    let wire = timeline
        .find("Wire Service</a> reported it first")
        .expect(timeline);
    let paper = timeline
        .find("Daily Paper</a> reported it")
        .expect(timeline);
    assert!(wire < paper, "{timeline}");

    // The wire revises its report: the timeline shows what changed, the
    // old headline, and the feeds mark the entry as updated.
    let mut update = site.store.story(site.ids.english).await.unwrap().unwrap();
    update.headline = "Threat from Iran to U.S. forces in Iraq grows".into();
    update.body_text = update.body_text.replace(
        "the State Department said.",
        "the State Department said. Officials cited <new> intelligence.",
    );
    let revised = khabar_model::NewStory {
        source_id: update.source_id,
        url: update.url.clone(),
        canonical_url: update.canonical_url.clone(),
        headline: update.headline.clone(),
        body_text: update.body_text.clone(),
        blocks: vec![Block::paragraph(update.body_text.clone())],
        content_hash: khabar_text::content_hash(&update.body_text),
        ..Default::default()
    };
    site.store
        .replace_text(site.ids.english, &revised)
        .await
        .unwrap();
    let page = site.page(&path).await;
    let at = page.find("class=\"related timeline\"").expect("a timeline");
    let timeline = &page[at..at + page[at..].find("</section>").unwrap()];
    assert!(
        timeline.contains(
            "The headline was: “Threat from Iran to U.S. forces in Iraq remains significant”"
        ),
        "{timeline}"
    );
    assert!(
        timeline.contains("Officials cited &lt;new&gt; intelligence.</ins>"),
        "the added words, escaped: {timeline}"
    );
    assert!(timeline.contains("4 words added, 0 removed"), "{timeline}");
    assert!(
        !timeline.contains("<del>"),
        "nothing was removed: {timeline}"
    );
    let atom = site.page("/feed.atom").await;
    let feed = feed_rs::parser::parse(atom.as_bytes()).unwrap();
    let entry = feed
        .entries
        .iter()
        .find(|e| {
            e.title
                .as_ref()
                .is_some_and(|t| t.content.contains("grows"))
        })
        .expect("the revised entry");
    assert!(
        entry.updated > entry.published,
        "updated {:?} after published {:?}",
        entry.updated,
        entry.published
    );
    let json = site.page("/feed.json").await;
    assert!(json.contains("\"date_modified\""), "{json}");
}

/// Files the Persian report `fa` in the English report `en`'s
/// cross-language group, as the pipeline's grouping does.
async fn join_across_languages(site: &Site, en: i64, fa: i64) {
    site.store
        .apply_grouping(&khabar_store::GroupingWrites {
            story_id: fa,
            signature: &[7, 7, 7],
            replace_text: None,
            duplicate_of: &[],
            events: &[],
            crosslang: &[(en, en), (fa, en)],
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn reports_in_another_language_are_shown_on_both_sides() {
    let site = start(|_| {}).await;
    let (en, fa) = (site.ids.english, site.ids.persian);
    join_across_languages(&site, en, fa).await;
    let page = site.page(&format!("/story/{en}")).await;
    assert!(page.contains("Also in Persian: one report"), "{page}");
    assert!(page.contains("دیدار وزیر خارجه ایران با همتای عمانی در تهران"));
    let page = site
        .page(&format!("/story/{fa}"))
        .await
        .replace(['\u{2068}', '\u{2069}'], "");
    assert!(page.contains("به انگلیسی هم: ۱ گزارش"), "{page}");
    assert!(page.contains("Threat from Iran to U.S. forces in Iraq remains significant"));
    // The copy's page leads to the same report through its primary.
    let copy = site.page(&format!("/story/{}", site.ids.copy)).await;
    assert!(copy.contains("Also in Persian: one report"), "{copy}");
    let api: serde_json::Value = client()
        .get(site.url(&format!("/api/v1/stories/{en}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api["other_languages"][0]["id"], fa);
    assert_eq!(api["other_languages"][0]["lang"], "fa");
    let api: serde_json::Value = client()
        .get(site.url(&format!("/api/v1/stories/{}", site.ids.copy)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        api["other_languages"][0]["id"], fa,
        "a copy reaches it through its primary"
    );
}

/// Ids listed by `/api/v1/stories?coverage={view}`.
async fn in_view(site: &Site, view: &str) -> Vec<i64> {
    let v: serde_json::Value = client()
        .get(site.url(&format!("/api/v1/stories?coverage={view}&per_page=100")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn stories_are_listed_by_who_carried_them_in_either_language() {
    let site = start(|_| {}).await;
    let (en, fa) = (site.ids.english, site.ids.persian);
    // The English report and its copy come from state media, the Persian
    // one from an international broadcaster.
    let outlet = |slug: &str, name: &str, lang: &str, kind: OutletKind| SourceSpec {
        outlet: kind,
        outlet_note: Some(format!("{name} is classed {}", kind.as_str())),
        ..spec(slug, name, lang, true)
    };
    for (slug, name, lang, kind) in [
        ("wire", "Wire Service", "en", OutletKind::State),
        ("paper", "Daily Paper", "en", OutletKind::State),
        (
            "bbc-persian",
            "BBC Persian",
            "fa",
            OutletKind::International,
        ),
    ] {
        site.store
            .sources()
            .upsert(&outlet(slug, name, lang, kind))
            .await
            .unwrap();
    }
    assert!(in_view(&site, "state-only").await.contains(&en));
    assert!(in_view(&site, "english-only").await.contains(&en));
    assert!(!in_view(&site, "not-state").await.contains(&en));
    assert!(in_view(&site, "not-state").await.contains(&fa));
    assert!(in_view(&site, "persian-only").await.contains(&fa));
    let list = site.page("/coverage/state-only").await;
    assert!(
        list.contains("Threat from Iran to U.S. forces in Iraq remains significant"),
        "{list}"
    );
    let feed = site.page("/coverage/state-only/feed.atom").await;
    let feed = atom_syndication::Feed::read_from(feed.as_bytes()).expect("coverage feed parses");
    let entry = feed
        .entries()
        .iter()
        .find(|e| {
            e.links()
                .iter()
                .any(|l| l.href().contains(&format!("/story/{en}/")))
        })
        .expect("the English story in the state-only feed");
    let cov = &entry.extensions()["khabar"]["coverage"][0];
    assert_eq!(cov.attrs()["reports"], "2", "the report and its copy");

    // The same event in Persian joins the story: it is no longer carried
    // only by state media, nor only in English.
    join_across_languages(&site, en, fa).await;
    for view in ["state-only", "english-only"] {
        assert!(!in_view(&site, view).await.contains(&en), "{view}");
    }
    for view in ["not-state", "persian-only"] {
        assert!(!in_view(&site, view).await.contains(&fa), "{view}");
    }
    let api: serde_json::Value = client()
        .get(site.url(&format!("/api/v1/stories/{en}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api["coverage"]["reports"], 3, "{api}");
    assert_eq!(api["coverage"]["outlets"]["state"], 2);
    assert_eq!(api["coverage"]["outlets"]["international"], 1);
    assert_eq!(api["coverage"]["languages"]["fa"], 1);
    let page = site
        .page(&format!("/story/{en}"))
        .await
        .replace(['\u{2068}', '\u{2069}'], "");
    assert!(page.contains("Who reported it"), "{page}");
    assert!(
        page.contains("State media in Iran <span class=\"muted\">· 2 reports"),
        "{page}"
    );
    assert!(
        page.contains("International media <span class=\"muted\">· one report"),
        "{page}"
    );
    let page = site
        .page(&format!("/story/{fa}"))
        .await
        .replace(['\u{2068}', '\u{2069}'], "");
    assert!(page.contains("رسانه‌های حکومتی در ایران"), "{page}");
    // Following the story: its feed holds every report, in both languages.
    let feed = site.page(&format!("/story/{en}/feed.atom")).await;
    let feed = atom_syndication::Feed::read_from(feed.as_bytes()).expect("story feed parses");
    let mut linked: Vec<String> = feed
        .entries()
        .iter()
        .flat_map(|e| {
            e.links()
                .iter()
                .filter(|l| l.rel() == "alternate")
                .map(|l| l.href().to_string())
        })
        .collect();
    linked.sort();
    assert_eq!(linked.len(), 3, "{linked:?}");
    for id in [en, fa, site.ids.copy] {
        assert!(
            linked.iter().any(|l| l.contains(&format!("/story/{id}/"))),
            "{id} in {linked:?}"
        );
    }
    let sources = site.page("/coverage").await;
    assert!(
        sources.contains("BBC Persian is classed international"),
        "{sources}"
    );
}

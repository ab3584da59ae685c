//! A local news server for end-to-end tests: several sources with RSS,
//! Atom and JSON feeds whose items link to article pages built from real
//! material in `../shared/corpus`, plus the awkward cases a real crawler
//! meets (304, 500, windows-1256, one story carried by two outlets).
//!
//! A second edition of the news ([`NewsServer::publish_second_edition`])
//! adds what arrives after the first run: another outlet's altered copy of
//! a wire story, a different report on Iran the same day, and the agency's
//! longer re-issue ("UPDATE 1-") of one of its own stories.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::corpus::{self, ReutersStory};

/// One article the server carries, and what a reader should see of it.
#[derive(Debug, Clone)]
pub struct ServedStory {
    pub source: &'static str,
    pub path: String,
    pub headline: String,
    pub about_iran: bool,
    /// A sentence from the body that must appear on the story page.
    pub body_probe: String,
    pub dateline: Option<String>,
    /// YYYY-MM-DD the page gives as its publish date.
    pub date: String,
}

pub struct NewsServer {
    pub addr: SocketAddr,
    pub stories: Vec<ServedStory>,
    /// Path of the story that two sources carry.
    pub shared_headline: String,
    pub not_modified_answers: Arc<AtomicUsize>,
    pub second_edition: SecondEdition,
    pages: Arc<Pages>,
}

/// What [`NewsServer::publish_second_edition`] adds. The "syndicate" source
/// (`/syndicate/rss.xml`) exists only in the second edition; "wire" gains
/// one item.
#[derive(Debug, Clone)]
pub struct SecondEdition {
    /// Wire's story that the syndicate outlet re-runs, altered.
    pub copied: ServedStory,
    pub copy_path: String,
    /// Wire's story that the agency re-issues with one paragraph more.
    pub updated: ServedStory,
    pub update_path: String,
    /// Words of the paragraph the update adds.
    pub update_probe: String,
    /// A different report on Iran that the syndicate outlet also runs.
    pub other_report: ServedStory,
}

impl NewsServer {
    /// The `[[sources]]` of a config for the first `count` bulk feeds.
    pub fn bulk_sources_toml(&self, count: usize) -> String {
        (0..count)
            .map(|k| {
                format!(
                    "[[sources]]\nslug = \"bulk-{k}\"\nname = \"Bulk {k}\"\nurl = \"{}\"\nlang = \"en\"\n\n",
                    self.url(&format!("/bulk/{k}/rss.xml"))
                )
            })
            .collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
    pub fn page_count(&self) -> usize {
        self.pages.html.len()
    }

    /// From now on the feeds list the second edition's items.
    pub fn publish_second_edition(&self) {
        self.pages.edition_two.store(true, Ordering::SeqCst);
    }
}

#[derive(Default)]
struct Pages {
    /// path -> (content type, body bytes)
    html: std::collections::HashMap<String, (String, Vec<u8>)>,
    feeds: std::collections::HashMap<String, (String, String)>,
    /// Feeds that replace or join `feeds` once `edition_two` is set.
    feeds_two: std::collections::HashMap<String, (String, String)>,
    edition_two: std::sync::atomic::AtomicBool,
    not_modified: Arc<AtomicUsize>,
    /// Time taken before each answer, as a distant web server takes:
    /// `NEWS_SERVER_LATENCY_MS` (benchmarks only; tests leave it unset).
    latency: std::time::Duration,
}

const ETAG: &str = "\"etag-feed-v1\"";

/// Starts the server on 127.0.0.1 with an OS-chosen port.
pub async fn start() -> NewsServer {
    start_with_bulk(0, 0).await
}

/// Like [`start`], plus `bulk_sources` RSS feeds at `/bulk/{k}/rss.xml` of
/// `per_source` real Reuters stories each, for measuring a larger run.
pub async fn start_with_bulk(bulk_sources: usize, per_source: usize) -> NewsServer {
    let iran = corpus::iran_stories(8);
    let off = corpus::off_topic_stories(3);
    assert!(
        iran.len() == 8 && off.len() == 3,
        "corpus selection came out short"
    );
    let mut pages = Pages {
        latency: std::env::var("NEWS_SERVER_LATENCY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map(std::time::Duration::from_millis)
            .unwrap_or_default(),
        ..Pages::default()
    };
    let mut stories = Vec::new();

    // Source "wire": RSS 2.0, four Iran stories and three off-topic ones.
    let mut wire_items = Vec::new();
    for s in iran[0..4].iter().chain(off.iter()) {
        let path = wire_story_path(s);
        pages
            .html
            .insert(path.clone(), html(reuters_page(s, "Wire Service")));
        wire_items.push((
            s.headline(),
            path.clone(),
            "Thu, 26 Feb 1987 15:01:00 GMT".to_string(),
        ));
        stories.push(served("wire", &path, s));
    }
    // Source "atom": the fourth Iran story again (syndicated, own chrome and
    // URL with tracking parameters), plus two real AEB pages that are off topic.
    let shared = &iran[3];
    let shared_path = format!("/atom/articles/{}", shared.id);
    pages.html.insert(
        shared_path.clone(),
        html(reuters_page(shared, "Atom Daily")),
    );
    let mut atom_entries = vec![(
        shared.headline(),
        format!("{shared_path}?utm_source=feed&utm_medium=rss"),
    )];
    for (name, page) in corpus::aeb_off_topic_pages(2) {
        let path = format!("/atom/aeb/{name}.html");
        pages.html.insert(path.clone(), html(page.into_bytes()));
        atom_entries.push((format!("AEB page {name}"), path.clone()));
        stories.push(ServedStory {
            source: "atom",
            path,
            headline: format!("AEB page {name}"),
            about_iran: false,
            body_probe: String::new(),
            dateline: None,
            date: String::new(),
        });
    }
    // Source "jsonfeed": JSON Feed 1.1 with two Iran stories.
    let mut json_items = Vec::new();
    for s in &iran[4..6] {
        let path = format!("/json/news/{}", s.id);
        pages
            .html
            .insert(path.clone(), html(reuters_page(s, "JSON Times")));
        json_items.push((s.headline(), path.clone()));
        stories.push(served("jsonfeed", &path, s));
    }
    // Source "etag": answers 304 to a conditional request.
    let s = &iran[6];
    let etag_path = format!("/etag/story/{}.html", s.id);
    pages
        .html
        .insert(etag_path.clone(), html(reuters_page(s, "Etag Post")));
    stories.push(served("etag", &etag_path, s));
    // Source "persian": a Persian RSS feed with one story about Iran and one about Afghanistan.
    let fa_iran = "/fa/news/1001";
    let fa_afghan = "/fa/news/1002";
    pages
        .html
        .insert(fa_iran.into(), html(PERSIAN_IRAN_PAGE.as_bytes().to_vec()));
    pages.html.insert(
        fa_afghan.into(),
        html(PERSIAN_AFGHAN_PAGE.as_bytes().to_vec()),
    );
    stories.push(ServedStory {
        source: "persian",
        path: fa_iran.into(),
        headline: "افزایش قیمت دلار در بازار تهران پس از اعلام تحریم‌های تازه".into(),
        about_iran: true,
        body_probe: "بانک مرکزی جمهوری اسلامی".into(),
        dateline: None,
        date: "2023-12-03".into(),
    });
    stories.push(ServedStory {
        source: "persian",
        path: fa_afghan.into(),
        headline: "برگزاری نمایشگاه فرش دستباف در کابل".into(),
        about_iran: false,
        body_probe: String::new(),
        dateline: None,
        date: String::new(),
    });
    // Source "legacy": a Persian page encoded in windows-1256, declared only in the HTTP header.
    let cp_path = "/legacy/article.php?id=77";
    let (encoded, _, unmappable) = encoding_rs::WINDOWS_1256.encode(PERSIAN_CP1256_PAGE);
    assert!(!unmappable, "the windows-1256 page must be representable");
    pages.html.insert(
        cp_path.into(),
        (
            "text/html; charset=windows-1256".into(),
            encoded.into_owned(),
        ),
    );
    stories.push(ServedStory {
        source: "legacy",
        path: cp_path.into(),
        headline: "نشست شورای شهر اصفهان درباره کم‌آبی زاینده‌رود".into(),
        about_iran: true,
        body_probe: "زاینده‌رود".into(),
        dateline: None,
        date: "2023-12-02".into(),
    });

    // The shared story belongs to "wire" first; the Atom copy must merge into it.
    let shared_headline = shared.headline();

    pages.feeds.insert(
        "/wire/rss.xml".into(),
        (
            "application/rss+xml".into(),
            rss("Wire Service", &wire_items),
        ),
    );
    pages.feeds.insert(
        "/atom/feed.atom".into(),
        (
            "application/atom+xml".into(),
            atom("Atom Daily", &atom_entries),
        ),
    );
    pages.feeds.insert(
        "/json/feed.json".into(),
        (
            "application/feed+json".into(),
            json_feed("JSON Times", &json_items),
        ),
    );
    pages.feeds.insert(
        "/etag/rss.xml".into(),
        (
            "application/rss+xml".into(),
            rss(
                "Etag Post",
                &[(
                    iran[6].headline(),
                    etag_path,
                    "Fri, 27 Feb 1987 10:00:00 GMT".into(),
                )],
            ),
        ),
    );
    pages.feeds.insert(
        "/fa/rss.xml".into(),
        (
            "application/rss+xml".into(),
            rss(
                "خبرگزاری نمونه",
                &[
                    (
                        "افزایش قیمت دلار در بازار تهران پس از اعلام تحریم‌های تازه".into(),
                        fa_iran.into(),
                        "Sun, 03 Dec 2023 11:00:00 GMT".into(),
                    ),
                    (
                        "برگزاری نمایشگاه فرش دستباف در کابل".into(),
                        fa_afghan.into(),
                        "Sun, 03 Dec 2023 09:30:00 GMT".into(),
                    ),
                ],
            ),
        ),
    );
    pages.feeds.insert(
        "/legacy/rss.xml".into(),
        (
            "application/rss+xml".into(),
            rss(
                "روزنامه قدیمی",
                &[(
                    "نشست شورای شهر اصفهان درباره کم‌آبی زاینده‌رود".into(),
                    cp_path.into(),
                    "Sat, 02 Dec 2023 08:00:00 GMT".into(),
                )],
            ),
        ),
    );

    let second_edition = add_second_edition(&mut pages, &iran, &wire_items);

    if bulk_sources > 0 {
        let all = corpus::reuters();
        let usable: Vec<&ReutersStory> = all.iter().filter(|s| s.body.len() > 400).collect();
        for k in 0..bulk_sources {
            let mut items = Vec::new();
            for j in 0..per_source {
                let s = usable[(k * per_source + j) % usable.len()];
                let path = format!("/bulk/{k}/story/{}.html", s.id);
                pages
                    .html
                    .insert(path.clone(), html(reuters_page(s, &format!("Bulk {k}"))));
                items.push((
                    s.headline(),
                    path,
                    "Thu, 26 Feb 1987 15:01:00 GMT".to_string(),
                ));
            }
            pages.feeds.insert(
                format!("/bulk/{k}/rss.xml"),
                (
                    "application/rss+xml".into(),
                    rss(&format!("Bulk {k}"), &items),
                ),
            );
        }
    }

    let not_modified = pages.not_modified.clone();
    let pages = Arc::new(pages);
    let app = Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /private/\n" }),
        )
        .route(
            "/broken/rss.xml",
            get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "database on fire") }),
        )
        .fallback(get(serve))
        .with_state(pages.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind news server");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    NewsServer {
        addr,
        stories,
        shared_headline,
        not_modified_answers: not_modified,
        second_edition,
        pages,
    }
}

async fn serve(
    State(pages): State<Arc<Pages>>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    if !pages.latency.is_zero() {
        tokio::time::sleep(pages.latency).await;
    }
    let path = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/")
        .to_string();
    let bare = uri.path().to_string();
    let edition_two = pages
        .edition_two
        .load(Ordering::SeqCst)
        .then(|| pages.feeds_two.get(&bare))
        .flatten();
    if let Some((ct, body)) = edition_two.or_else(|| pages.feeds.get(&bare)) {
        if bare.starts_with("/etag/") {
            if headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                == Some(ETAG)
            {
                pages.not_modified.fetch_add(1, Ordering::SeqCst);
                return (
                    StatusCode::NOT_MODIFIED,
                    [(header::ETAG, HeaderValue::from_static(ETAG))],
                )
                    .into_response();
            }
            return (
                [
                    (header::CONTENT_TYPE, ct.clone()),
                    (header::ETAG, ETAG.to_string()),
                ],
                body.clone(),
            )
                .into_response();
        }
        return ([(header::CONTENT_TYPE, ct.clone())], body.clone()).into_response();
    }
    let page = pages.html.get(&path).or_else(|| pages.html.get(&bare));
    match page {
        Some((ct, body)) => ([(header::CONTENT_TYPE, ct.clone())], body.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, "no such page").into_response(),
    }
}

/// The second edition: wire re-issues `iran[1]` longer, and the syndicate
/// outlet re-runs `iran[0]` the way outlets alter wire copy, next to
/// `iran[7]`, a different report about Iran.
fn add_second_edition(
    pages: &mut Pages,
    iran: &[ReutersStory],
    wire_items: &[(String, String, String)],
) -> SecondEdition {
    let extra = corpus::iran_stories(10);
    let added = extra
        .get(9)
        .and_then(|s| s.paragraphs().into_iter().nth(1))
        .expect("a tenth Iran story with a second paragraph");

    // The update: same report, "UPDATE 1-" headline, one paragraph more.
    let original = &iran[1];
    let mut update = original.clone();
    update.title = format!("UPDATE 1-{}", original.title);
    update.body = format!("{}\n    {added}\n", original.body.trim_end());
    let update_path = format!("/wire/story/{}-update1.html", original.id);
    pages.html.insert(
        update_path.clone(),
        html(reuters_page(&update, "Wire Service")),
    );
    let mut wire_two = wire_items.to_vec();
    wire_two.push((
        update.headline(),
        update_path.clone(),
        "Thu, 26 Feb 1987 18:30:00 GMT".to_string(),
    ));
    pages.feeds_two.insert(
        "/wire/rss.xml".into(),
        ("application/rss+xml".into(), rss("Wire Service", &wire_two)),
    );

    // The syndicated copy: headline rewritten, last paragraph cut, the
    // outlet's own furniture between paragraphs, another site's chrome.
    let copied = &iran[0];
    let paras = copied.paragraphs();
    let keep = if paras.len() > 3 {
        paras.len() - 1
    } else {
        paras.len()
    };
    let mut copy = copied.clone();
    copy.title = format!("Iran news: {}", copied.title.to_lowercase());
    let mut body = String::new();
    for (i, p) in paras[..keep].iter().enumerate() {
        body.push_str("    ");
        body.push_str(p);
        body.push('\n');
        if i == 1 {
            body.push_str("    Advertisement\n");
        }
    }
    body.push_str("    Read more: Sign up for our Middle East newsletter\n");
    copy.body = body;
    let copy_path = format!("/syndicate/world/{}.html", copied.id);
    pages.html.insert(
        copy_path.clone(),
        html(reuters_page(&copy, "Syndicate Times")),
    );

    let other = &iran[7];
    let other_path = format!("/syndicate/world/{}.html", other.id);
    pages.html.insert(
        other_path.clone(),
        html(reuters_page(other, "Syndicate Times")),
    );
    pages.feeds_two.insert(
        "/syndicate/rss.xml".into(),
        (
            "application/rss+xml".into(),
            rss(
                "Syndicate Times",
                &[
                    (
                        copy.headline(),
                        copy_path.clone(),
                        "Thu, 26 Feb 1987 17:00:00 GMT".to_string(),
                    ),
                    (
                        other.headline(),
                        other_path.clone(),
                        "Thu, 26 Feb 1987 17:05:00 GMT".to_string(),
                    ),
                ],
            ),
        ),
    );

    SecondEdition {
        copied: served("wire", &wire_story_path(copied), copied),
        copy_path,
        updated: served("wire", &wire_story_path(original), original),
        update_path,
        update_probe: probe_words(&added),
        other_report: served("syndicate", &other_path, other),
    }
}

fn served(source: &'static str, path: &str, s: &ReutersStory) -> ServedStory {
    let paras = s.paragraphs();
    // A probe from the middle of the story: not the dateline paragraph.
    let probe = probe_words(paras.get(1).or(paras.first()).map_or("", String::as_str));
    ServedStory {
        source,
        path: path.to_string(),
        headline: s.headline(),
        about_iran: s.places.iter().any(|p| p == "iran"),
        body_probe: probe,
        dateline: Some(s.web_dateline()),
        date: "1987-02-26".into(),
    }
}

/// Where the "wire" source serves a story's page.
fn wire_story_path(s: &ReutersStory) -> String {
    format!("/wire/story/{}.html", s.id)
}

/// The first eight words of a paragraph: enough to find it on a page.
fn probe_words(paragraph: &str) -> String {
    paragraph
        .split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join(" ")
}

fn html(body: Vec<u8>) -> (String, Vec<u8>) {
    ("text/html; charset=utf-8".into(), body)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A Reuters story laid out like a news site's article page, with the
/// chrome real pages have (navigation, share bar, related list, footer).
fn reuters_page(s: &ReutersStory, site: &str) -> Vec<u8> {
    let paras = s.paragraphs();
    let mut body = String::new();
    for (i, p) in paras.iter().enumerate() {
        if i == 0 {
            body.push_str(&format!("<p>{} {}</p>\n", esc(&s.web_dateline()), esc(p)));
        } else {
            body.push_str(&format!("<p>{}</p>\n", esc(p)));
        }
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="1987-02-26T15:49:44Z">
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a> <a href="/markets">Markets</a></nav></header>
<div class="share"><a href="/share/fb">Share on Facebook</a> <a href="/share/tw">Tweet</a></div>
<main><article>
<h1>{title}</h1>
<p class="byline">By Staff Correspondent</p>
<time datetime="1987-02-26T15:49:44Z">February 26, 1987</time>
{body}<p>Reporting by Staff Correspondent; Editing by Desk Editor</p>
</article>
<aside><h2>Related stories</h2><ul><li><a href="/r/1">Markets close mixed</a></li><li><a href="/r/2">Weather outlook for the week</a></li><li><a href="/r/3">Sports roundup</a></li></ul></aside>
</main>
<footer><p>&copy; 1987 {site}. All rights reserved.</p><p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></p></footer>
</body></html>"#,
        title = esc(&s.headline()),
        site = esc(site),
        body = body
    )
    .into_bytes()
}

fn rss(title: &str, items: &[(String, String, String)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>{}</title><link>/</link><description>test</description>\n",
        esc(title)
    );
    for (t, path, date) in items {
        out.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid>{}</guid><pubDate>{}</pubDate></item>\n",
            esc(t),
            esc(path),
            esc(path),
            date
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

fn atom(title: &str, entries: &[(String, String)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{}</title><id>urn:test:atom</id><updated>1987-02-27T00:00:00Z</updated>\n",
        esc(title)
    );
    for (i, (t, path)) in entries.iter().enumerate() {
        out.push_str(&format!(
            "<entry><title>{}</title><id>urn:test:atom:{i}</id><link rel=\"alternate\" href=\"{}\"/><updated>1987-02-27T0{i}:00:00Z</updated></entry>\n",
            esc(t),
            esc(path)
        ));
    }
    out.push_str("</feed>\n");
    out
}

fn json_feed(title: &str, items: &[(String, String)]) -> String {
    let items: Vec<serde_json::Value> = items
        .iter()
        .map(|(t, path)| serde_json::json!({ "id": path, "url": path, "title": t, "date_published": "1987-02-26T16:00:00Z" }))
        .collect();
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "items": items,
    })
    .to_string()
}

const PERSIAN_IRAN_PAGE: &str = r#"<!DOCTYPE html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8">
<title>افزایش قیمت دلار در بازار تهران پس از اعلام تحریم‌های تازه - خبرگزاری نمونه</title>
<meta property="og:title" content="افزایش قیمت دلار در بازار تهران پس از اعلام تحریم‌های تازه">
<meta property="article:published_time" content="2023-12-03T14:30:00+03:30">
</head><body>
<header><nav><a href="/">صفحه اصلی</a> <a href="/eco">اقتصادی</a> <a href="/pol">سیاسی</a> <a href="/sport">ورزشی</a></nav></header>
<main><article>
<h1>افزایش قیمت دلار در بازار تهران پس از اعلام تحریم‌های تازه</h1>
<div class="date">یکشنبه ۱۲ آذر ۱۴۰۲ - ۱۴:۳۰</div>
<p>به گزارش خبرگزاری نمونه، قیمت دلار آمریکا در بازار آزاد تهران روز یکشنبه با افزایشی چشمگیر همراه شد و معامله‌گران از رسیدن نرخ هر دلار به مرز پنجاه هزار تومان خبر دادند.</p>
<p>این افزایش پس از آن رخ داد که وزارت خزانه‌داری آمریکا از اعمال تحریم‌های تازه علیه چند شرکت کشتیرانی و پتروشیمی ایرانی خبر داد. فعالان بازار می‌گویند نگرانی از کاهش درآمدهای نفتی، تقاضا برای ارز را بالا برده است.</p>
<p>بانک مرکزی جمهوری اسلامی ایران در بیانیه‌ای اعلام کرد که برای مهار نوسان‌های بازار ارز، عرضه اسکناس در مرکز مبادله ارز و طلا را افزایش خواهد داد و نگرانی برای تأمین نیازهای وارداتی وجود ندارد.</p>
<p>کارشناسان اقتصادی در گفت‌وگو با خبرگزاری نمونه گفتند که تورم بالای چهل درصد و کسری بودجه دولت، فشار بر ریال را در ماه‌های آینده ادامه خواهد داد مگر آنکه مذاکرات برای لغو تحریم‌ها به نتیجه برسد.</p>
<p>در همین حال، قیمت سکه تمام بهار آزادی نیز در بازار تهران افزایش یافت و به بالاترین سطح خود در سه ماه گذشته رسید.</p>
</article>
<section class="related"><h3>اخبار مرتبط</h3><ul><li><a href="/n/1">قیمت طلا امروز</a></li><li><a href="/n/2">نرخ یورو در بازار</a></li></ul></section>
</main>
<footer>کلیه حقوق این سایت محفوظ است.</footer>
</body></html>"#;

const PERSIAN_AFGHAN_PAGE: &str = r#"<!DOCTYPE html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8">
<title>برگزاری نمایشگاه فرش دستباف در کابل - خبرگزاری نمونه</title>
<meta property="article:published_time" content="2023-12-03T09:30:00+04:30">
</head><body>
<header><nav><a href="/">صفحه اصلی</a> <a href="/world">جهان</a></nav></header>
<main><article>
<h1>برگزاری نمایشگاه فرش دستباف در کابل</h1>
<p>نمایشگاه سه‌روزه فرش دستباف افغانستان روز یکشنبه در شهر کابل گشایش یافت و بیش از صد تولیدکننده از ولایت‌های هرات، بلخ، جوزجان و فاریاب محصولات خود را به نمایش گذاشتند.</p>
<p>مسئولان اتاق تجارت افغانستان گفتند هدف از برگزاری این نمایشگاه، معرفی فرش افغانستان به بازارهای آسیای میانه و یافتن خریداران تازه در ازبکستان و ترکمنستان است.</p>
<p>بافندگان حاضر در نمایشگاه از کمبود مواد اولیه و افزایش هزینه رنگ‌های طبیعی گله کردند و خواستار حمایت بیشتر از صنایع دستی شدند.</p>
<p>برگزارکنندگان امیدوارند که این نمایشگاه هر سال در مزارشریف و هرات نیز برگزار شود و فرصت‌های شغلی تازه‌ای برای زنان بافنده فراهم کند.</p>
</article></main>
<footer>تمامی حقوق محفوظ است.</footer>
</body></html>"#;

/// Written as legacy Persian pages are: windows-1256 has no Persian yeh
/// (ی), so the page uses the Arabic yeh (ي) that khabar must normalise; it
/// does have ZWNJ (0x9D), گ, پ, چ, ژ and ک.
const PERSIAN_CP1256_PAGE: &str = r#"<html><head>
<title>نشست شوراي شهر اصفهان درباره کم‌آبي زاينده‌رود</title>
</head><body>
<table width="100%"><tr><td class="menu"><a href="/">صفحه نخست</a> | <a href="/archive">آرشيو</a> | <a href="/contact">تماس با ما</a></td></tr>
<tr><td class="news">
<h2>نشست شوراي شهر اصفهان درباره کم‌آبي زاينده‌رود</h2>
<p>اصفهان - اعضاي شوراي شهر اصفهان روز شنبه در نشستي فوق‌العاده، وضعيت کم‌آبي رودخانه زاينده‌رود و پيامدهاي آن براي کشاورزان شرق استان را بررسي کردند.</p>
<p>رئيس شوراي شهر در اين نشست گفت خشک ماندن زاينده‌رود در بيشتر ماه‌هاي سال، به گردشگري و کسب‌وکار مردم در اطراف پل خواجو و سي‌وسه‌پل آسيب جدي زده است.</p>
<p>نمايندگان کشاورزان شرق اصفهان نيز خواستار اجراي مصوبات دولت درباره سهم آب کشاورزي شدند و هشدار دادند که ادامه اين وضعيت به مهاجرت روستاييان به حاشيه شهرها مي‌انجامد.</p>
<p>مديرعامل شرکت آب منطقه‌اي اصفهان گفت با بارش‌هاي پاييزي، رهاسازي آب براي کشت پاييزه از هفته آينده آغاز خواهد شد.</p>
</td></tr>
<tr><td class="footer">کليه حقوق براي روزنامه محفوظ است.</td></tr></table>
</body></html>"#;

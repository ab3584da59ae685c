//! The published site in a real browser: headless Chromium driven through
//! chromedriver (WebDriver). HTTP-level tests cannot see what a reader sees:
//! whether the like script really updates the count in place, whether the
//! search box accepts Persian typed with Arabic letters, whether Persian
//! stories are laid out right-to-left once CSS is applied.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`scripts/install-browser`).
//! Without them the test is skipped with a notice, except under CI (env `CI`
//! set), where a missing browser is a failure rather than a silent pass.

mod support;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;

use support::khabar_bin::{Guarded, TestSource, run_fetch, start_site, write_config};
use support::news_server;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Generous bound for a page or script to settle on a busy shared machine;
/// a wait that runs out is a failure of behaviour, not a speed check.
const SETTLE: Duration = Duration::from_secs(30);

const PERSIAN_HEADLINE: &str = "افزایش قیمت دلار در بازار تهران پس از اعلام تحریم‌های تازه";

const SOURCES: &[TestSource] = &[
    ("wire", "Wire Service", "/wire/rss.xml", "en"),
    ("atom", "Atom Daily", "/atom/feed.atom", "en"),
    ("persian", "خبرگزاری نمونه", "/fa/rss.xml", "fa"),
    ("legacy", "روزنامه قدیمی", "/legacy/rss.xml", "fa"),
];

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("local addr").port()
}

/// Starts chromedriver on a free local port and waits until it listens.
fn start_chromedriver(driver: &str) -> (Guarded, u16) {
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("start {driver}: {e}"));
    let guard = Guarded(child);
    let deadline = std::time::Instant::now() + SETTLE;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "chromedriver never listened on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (guard, port)
}

async fn connect_browser(port: u16, chromium: &str, profile: &Path) -> Client {
    let args = [
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--window-size=1280,1024".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "chrome".into());
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "binary": chromium, "args": args }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| panic!("open a Chromium session through chromedriver: {e}"))
}

fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-artifacts");
    std::fs::create_dir_all(&dir).expect("create target/browser-artifacts");
    dir
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("take a screenshot");
    assert!(
        png.starts_with(b"\x89PNG"),
        "{name}: the browser returned a PNG"
    );
    std::fs::write(artifacts_dir().join(name), png).expect("save screenshot");
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .wait()
        .at_most(SETTLE)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
        .text()
        .await
        .unwrap_or_else(|e| panic!("text of {css}: {e}"))
}

/// Polls `probe` until it gives a value, failing with its last reason
/// after [`SETTLE`]: what a page shows after a click arrives a moment later.
async fn eventually<T>(mut probe: impl AsyncFnMut() -> Result<T, String>) -> T {
    let deadline = std::time::Instant::now() + SETTLE;
    loop {
        match probe().await {
            Ok(value) => return value,
            Err(why) => assert!(std::time::Instant::now() < deadline, "{why}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the browser has navigated to `path`: a click that submits a
/// form returns before the next page loads, so reading the URL at once
/// races the navigation.
async fn wait_for_path(client: &Client, path: &str) -> url::Url {
    eventually(async || {
        let url = client.current_url().await.expect("current url");
        if url.path() == path {
            Ok(url)
        } else {
            Err(format!("the browser never reached {path}; it is on {url}"))
        }
    })
    .await
}

/// Waits until `[data-likes]` no longer reads `before` and returns the new text.
async fn wait_likes_change(client: &Client, before: &str) -> String {
    eventually(async || {
        let now = text_of(client, "form.like [data-likes]").await;
        if now != before {
            Ok(now)
        } else {
            Err(format!(
                "the like count never changed in place (still {before:?})"
            ))
        }
    })
    .await
}

/// Whether the browser is available; `None` means skip (outside CI).
fn browser_binaries() -> Option<(&'static str, &'static str)> {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return Some((CHROMIUM, CHROMEDRIVER));
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "browser tests need {} (CI is set, so this is a failure, not a skip); run scripts/install-browser",
            missing.join(" and ")
        );
    }
    eprintln!(
        "NOTICE: skipping browser tests: {} not installed; run scripts/install-browser to enable them",
        missing.join(" and ")
    );
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_in_chromium() {
    let Some((chromium, driver)) = browser_binaries() else {
        return;
    };
    let server = news_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &server, SOURCES, None);
    run_fetch(&config);
    let (_site, base) = start_site(&config);

    let profile = tempfile::tempdir().expect("profile tempdir");
    let (_driver, port) = start_chromedriver(driver);
    let client = connect_browser(port, chromium, profile.path()).await;

    // Run the steps, then always end the browser session before reporting,
    // so a failure does not strand a Chromium process.
    let outcome = std::panic::AssertUnwindSafe(async {
        reader_session(&client, &base).await;
        editions_at_two_widths(&client, &base).await;
        how_a_story_unfolded(&client, &base).await;
        a_persian_story_revised(&client, &base, dir.path()).await;
    })
    .catch_unwind()
    .await;
    let _ = client.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

async fn reader_session(client: &Client, base: &str) {
    // ---- home page (the English edition, so the like wording below is English) ----
    client
        .goto(&format!("{base}/?lang=en"))
        .await
        .expect("open home");
    let title = client.title().await.expect("page title");
    assert!(
        title.contains("Persian News"),
        "home title names the site: {title:?}"
    );
    let listed = client
        .find_all(Locator::Css("a[href^=\"/story/\"]"))
        .await
        .expect("story links");
    assert!(!listed.is_empty(), "home lists stories");
    screenshot(client, "home.png").await;

    // ---- open a story by clicking it, like it with the script ----
    let link = &listed[0];
    let href = link
        .attr("href")
        .await
        .expect("href")
        .expect("story link has an href");
    link.click().await.expect("click the first story");
    client
        .wait()
        .at_most(SETTLE)
        .for_element(Locator::Css("form.like button"))
        .await
        .unwrap_or_else(|e| panic!("story page {href} has a like button: {e}"));
    let url = client.current_url().await.expect("current url");
    assert!(
        url.path().starts_with("/story/"),
        "clicking a story opens its page: {url}"
    );
    let before = text_of(client, "form.like [data-likes]").await;
    client
        .find(Locator::Css("form.like button"))
        .await
        .expect("like button")
        .click()
        .await
        .expect("click like");
    let after = wait_likes_change(client, &before).await;
    assert_eq!(
        after, "1 reader likes this",
        "first like counted (was {before:?})"
    );
    // The script did the work: still on the story page, not a form round-trip.
    assert_eq!(
        client.current_url().await.expect("url").path(),
        url.path(),
        "liked in place"
    );
    let button = text_of(client, "form.like button").await;
    assert_eq!(button, "Liked", "the button says the like counted");

    // The count is stored, not just painted.
    client.refresh().await.expect("reload story");
    let reloaded = text_of(client, "form.like [data-likes]").await;
    assert_eq!(reloaded, after, "the like count survives a reload");

    // A second like from the same reader is not counted twice.
    client
        .find(Locator::Css("form.like button"))
        .await
        .expect("like button")
        .click()
        .await
        .expect("click like again");
    client
        .wait()
        .at_most(SETTLE)
        .for_element(Locator::XPath(
            "//form[contains(@class,'like')]/button[normalize-space()='Already liked']",
        ))
        .await
        .expect("a repeated like is acknowledged as already counted");
    assert_eq!(
        text_of(client, "form.like [data-likes]").await,
        after,
        "one like per reader"
    );

    // ---- Persian search typed with Arabic yeh (ي), as many keyboards do ----
    client.goto(&format!("{base}/")).await.expect("open home");
    let q = client
        .find(Locator::Css("form.search input[name=q]"))
        .await
        .expect("search box in the site header");
    q.send_keys("قيمت").await.expect("type in the search box");
    client
        .find(Locator::Css("form.search button"))
        .await
        .expect("search button")
        .click()
        .await
        .expect("search");
    // The header form leads to the search page (the wait fails otherwise).
    let url = wait_for_path(client, "/search").await;
    assert!(
        url.query().is_some_and(|q| q.contains("q=")),
        "the typed words travel in the query: {url}"
    );
    let hit = client
        .wait()
        .at_most(SETTLE)
        .for_element(Locator::LinkText(PERSIAN_HEADLINE))
        .await
        .unwrap_or_else(|e| panic!("searching قيمت (Arabic yeh) finds the Persian story: {e}"));

    // ---- the Persian story reads right-to-left ----
    hit.click().await.expect("open the Persian story");
    client
        .wait()
        .at_most(SETTLE)
        .for_element(Locator::Css("article.story h1"))
        .await
        .expect("Persian story page");
    assert_eq!(text_of(client, "article.story h1").await, PERSIAN_HEADLINE);
    let direction = client
        .execute(
            "return getComputedStyle(document.querySelector('article.story')).direction;",
            vec![],
        )
        .await
        .expect("computed direction");
    assert_eq!(
        direction,
        serde_json::json!("rtl"),
        "the Persian article is laid out right-to-left"
    );
    screenshot(client, "persian-story.png").await;
}

/// Where the screenshots kept with the documentation go.
fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&dir).expect("create docs/screenshots");
    dir
}

/// What a reader with assistive technology or a small screen needs of every
/// page, checked in the rendered page: a language and direction, the four
/// landmarks, one `h1` and no skipped heading level, alt text on every
/// image, a name on every link and form control, and nothing wider than
/// the screen. Returns the problems found.
const PAGE_CHECKS: &str = r#"
const problems = [];
const html = document.documentElement;
if (!html.lang) problems.push("no lang on <html>");
if (!html.dir) problems.push("no dir on <html>");
for (const sel of ["header", "nav", "main", "footer"]) {
  if (!document.querySelector(sel)) problems.push("no <" + sel + "> landmark");
}
const h1s = document.querySelectorAll("h1");
if (h1s.length !== 1) problems.push(h1s.length + " h1 elements");
let last = 0;
for (const h of document.querySelectorAll("h1,h2,h3,h4,h5,h6")) {
  const level = +h.tagName[1];
  if (last && level > last + 1) problems.push("heading jumps from h" + last + " to h" + level + ": " + h.textContent.trim().slice(0, 40));
  last = level;
}
for (const img of document.querySelectorAll("img")) {
  if (!img.hasAttribute("alt")) problems.push("img without alt: " + img.src);
}
for (const a of document.querySelectorAll("a[href]")) {
  if (!a.textContent.trim() && !a.getAttribute("aria-label")) problems.push("link without a name: " + a.href);
}
for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
  const named = (el.id && document.querySelector("label[for='" + el.id + "']")) || el.getAttribute("aria-label");
  if (!named) problems.push("form control without a label: " + (el.name || el.id));
}
if (document.documentElement.scrollWidth > window.innerWidth + 1) {
  problems.push("page is wider than the screen: " + document.documentElement.scrollWidth + " > " + window.innerWidth);
}
return problems;
"#;

async fn check_page(client: &Client, what: &str) {
    let problems = client
        .execute(PAGE_CHECKS, vec![])
        .await
        .unwrap_or_else(|e| panic!("{what}: run the page checks: {e}"));
    let problems = problems.as_array().cloned().unwrap_or_default();
    assert!(problems.is_empty(), "{what}: {problems:?}");
}

/// The English and Persian editions at a phone's and a desktop's width: the
/// front page, a story and the archive, each checked and photographed.
async fn editions_at_two_widths(client: &Client, base: &str) {
    for (width, height, device) in [(390u32, 844u32, "phone"), (1280, 1024, "desktop")] {
        client
            .set_window_size(width, height)
            .await
            .expect("resize the window");
        for (edition, dir) in [("en", "ltr"), ("fa", "rtl")] {
            let what = |page: &str| format!("{page} ({edition}, {device})");
            // Front page of the edition: interface in its language.
            client
                .goto(&format!("{base}/?lang={edition}"))
                .await
                .expect("open the edition");
            let lang = client
                .execute(
                    "return [document.documentElement.lang, document.documentElement.dir];",
                    vec![],
                )
                .await
                .expect("page language");
            assert_eq!(lang, serde_json::json!([edition, dir]), "{}", what("home"));
            let archive_label = text_of(client, "nav.main a[href^='/archive']").await;
            assert_eq!(
                archive_label,
                if edition == "fa" {
                    "بایگانی"
                } else {
                    "Archive"
                },
                "{}",
                what("home navigation")
            );
            client
                .find(Locator::Css("nav.editions a[aria-current='page']"))
                .await
                .unwrap_or_else(|e| panic!("{}: the current edition is marked: {e}", what("home")));
            check_page(client, &what("home")).await;
            screenshot_doc(client, &format!("home-{edition}-{device}.png")).await;

            // Its first story.
            let first = client
                .find(Locator::Css("main a[href^='/story/']"))
                .await
                .unwrap_or_else(|e| panic!("{}: a story link: {e}", what("home")));
            first.click().await.expect("open a story");
            client
                .wait()
                .at_most(SETTLE)
                .for_element(Locator::Css("article.story h1"))
                .await
                .unwrap_or_else(|e| panic!("{}: story page: {e}", what("story")));
            let original = text_of(client, "article.story p.original").await;
            let label = if edition == "fa" {
                "خبر اصلی"
            } else {
                "Original News"
            };
            assert!(
                original.starts_with(label),
                "{}: {original:?}",
                what("story")
            );
            if edition == "fa" {
                let date = text_of(client, "article.story header time").await;
                assert!(
                    date.chars().any(|c| ('۰'..='۹').contains(&c)),
                    "{}: a Jalali date in Persian digits: {date:?}",
                    what("story")
                );
            }
            check_page(client, &what("story")).await;
            screenshot_doc(client, &format!("story-{edition}-{device}.png")).await;

            // The archive index, then a month.
            client
                .goto(&format!("{base}/archive?lang={edition}"))
                .await
                .expect("open the archive");
            check_page(client, &what("archive")).await;
            let month = client
                .find(Locator::Css("ul.months a"))
                .await
                .unwrap_or_else(|e| panic!("{}: a month with stories: {e}", what("archive")));
            month.click().await.expect("open a month");
            client
                .wait()
                .at_most(SETTLE)
                .for_element(Locator::Css("table.calendar"))
                .await
                .unwrap_or_else(|e| panic!("{}: month calendar: {e}", what("archive month")));
            check_page(client, &what("archive month")).await;
            screenshot_doc(client, &format!("archive-{edition}-{device}.png")).await;

            // Coverage: the views by who carried a story, in the edition's
            // language; no source here is state media, so every story is in
            // "not reported by state media".
            client
                .goto(&format!("{base}/coverage?lang={edition}"))
                .await
                .expect("open the coverage page");
            let heading = text_of(client, "main h1").await;
            assert_eq!(
                heading,
                if edition == "fa" {
                    "پوشش خبری"
                } else {
                    "Coverage"
                },
                "{}",
                what("coverage")
            );
            check_page(client, &what("coverage")).await;
            let not_state = client
                .find(Locator::Css(
                    "ul.coverage-views a[href^='/coverage/not-state']",
                ))
                .await
                .unwrap_or_else(|e| panic!("{}: the not-state view: {e}", what("coverage")));
            not_state.click().await.expect("open the not-state view");
            client
                .wait()
                .at_most(SETTLE)
                .for_element(Locator::Css("main a[href^='/story/']"))
                .await
                .unwrap_or_else(|e| panic!("{}: stories listed: {e}", what("coverage view")));
            check_page(client, &what("coverage view")).await;
            screenshot_doc(client, &format!("coverage-{edition}-{device}.png")).await;
        }
    }
}

/// A screenshot kept in docs/screenshots/ (and beside the other artifacts).
async fn screenshot_doc(client: &Client, name: &str) {
    screenshot(client, name).await;
    std::fs::copy(artifacts_dir().join(name), screenshots_dir().join(name))
        .expect("copy the screenshot to docs/screenshots");
}

/// A story another outlet also carried: its page tells who had it first and
/// who followed, says who carried it, and offers its own feed.
async fn how_a_story_unfolded(client: &Client, base: &str) {
    client
        .set_window_size(1280, 1024)
        .await
        .expect("resize the window");
    // The API says which story has more than one report.
    client
        .goto(&format!("{base}/api/v1/stories?per_page=100"))
        .await
        .expect("open the API");
    let text = client
        .execute("return document.body.innerText;", vec![])
        .await
        .expect("API text");
    let page: serde_json::Value =
        serde_json::from_str(text.as_str().unwrap_or("{}")).expect("API JSON");
    let carried = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|s| s["coverage"]["reports"].as_i64().unwrap_or(0) >= 2)
        .expect("a story carried by two outlets (the syndicated copy)");
    let url = carried["url"].as_str().expect("story url");
    let path = url::Url::parse(url)
        .expect("absolute story url")
        .path()
        .to_string();
    client
        .goto(&format!("{base}{path}"))
        .await
        .expect("open the story");
    let timeline = text_of(client, "section.timeline").await;
    let first = timeline
        .find("reported it first")
        .unwrap_or_else(|| panic!("the first report is named: {timeline:?}"));
    assert!(
        timeline[first + 1..].contains("reported it"),
        "a later report follows: {timeline:?}"
    );
    let coverage = text_of(client, "section.coverage")
        .await
        .replace(['\u{2068}', '\u{2069}'], "");
    let reports = carried["coverage"]["reports"].as_i64().unwrap_or(0);
    assert!(
        coverage.contains(&format!("{reports} reports")),
        "who carried it: {coverage:?}"
    );
    let feed = client
        .find(Locator::Css("p.follow a[type='application/atom+xml']"))
        .await
        .expect("the story's own feed is offered");
    let href = feed
        .attr("href")
        .await
        .expect("feed href")
        .unwrap_or_default();
    assert!(
        href.ends_with("/feed.atom") && href.starts_with("/story/"),
        "{href}"
    );
    check_page(client, "story timeline").await;
    // The screenshot shows the part of the page this is about.
    client
        .execute(
            "document.querySelector('section.coverage').scrollIntoView();",
            vec![],
        )
        .await
        .expect("scroll to the coverage and timeline");
    screenshot_doc(client, "timeline-en-desktop.png").await;
}

/// The Persian edition's timeline: the Persian story's outlet re-issues it
/// with a paragraph added (written to the store as the pipeline writes a
/// newer version), and its page tells what changed, in Persian.
async fn a_persian_story_revised(client: &Client, base: &str, dir: &Path) {
    use khabar_model::{Block, NewStory};
    let url = format!("sqlite://{}", dir.join("data/khabar.db").display());
    let store = khabar_store::Store::connect(&url)
        .await
        .expect("open the site's store");
    let page = store
        .stories(&khabar_store::StoryQuery {
            lang: Some("fa".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .expect("Persian stories");
    let s = page
        .items
        .into_iter()
        .find(|s| s.headline == PERSIAN_HEADLINE)
        .expect("the Persian story is published");
    let added = "بانک مرکزی اعلام کرد نرخ رسمی ارز در سامانه نیما تغییری نکرده است.";
    let mut blocks = s.blocks.clone();
    blocks.push(Block::paragraph(added.to_string()));
    let body_text = khabar_model::Article::text_from_blocks(&blocks);
    let update = NewStory {
        source_id: s.source_id,
        url: s.url.clone(),
        canonical_url: s.canonical_url.clone(),
        headline: s.headline.clone(),
        dateline: s.dateline.clone(),
        byline: s.byline.clone(),
        credits: s.credits.clone(),
        published_at: s.published_at,
        fetched_at: s.fetched_at,
        lang: s.lang.clone(),
        dir: s.dir,
        excerpt: s.excerpt.clone(),
        content_hash: khabar_text::content_hash(&body_text),
        body_text,
        blocks,
        relevance: s.relevance.clone(),
        status: s.status,
        ..Default::default()
    };
    store
        .replace_text(s.id, &update)
        .await
        .expect("store the revision");
    store.close().await;

    client
        .goto(&format!("{base}/story/{}", s.id))
        .await
        .expect("open the Persian story");
    let timeline = text_of(client, "section.timeline").await;
    assert!(
        timeline.contains("روند این خبر") && timeline.contains("متن ویرایش شد"),
        "a revision told in Persian: {timeline:?}"
    );
    let inserted = text_of(client, "section.timeline ins").await;
    assert!(
        inserted.contains("سامانه نیما"),
        "the added words are marked: {inserted:?}"
    );
    let dir_attr = client
        .execute("return document.documentElement.dir;", vec![])
        .await
        .expect("page direction");
    assert_eq!(dir_attr, serde_json::json!("rtl"));
    check_page(client, "Persian story timeline").await;
    client
        .execute(
            "document.querySelector('section.timeline').scrollIntoView();",
            vec![],
        )
        .await
        .expect("scroll to the timeline");
    screenshot_doc(client, "timeline-fa-desktop.png").await;
}

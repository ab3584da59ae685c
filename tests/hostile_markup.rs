//! Nothing hostile comes out of the site, whatever the sources send.
//!
//! Every sanitize case of feedparser's suite (`feedparser-dev/wellformed/
//! sanitize`) is served by a local news site in three ways:
//! - **body**: the hostile HTML inside an article page's body, with the
//!   markup also in its `<meta name="author">` and, as text, its
//!   `<meta name="description">`;
//! - **item**: an excerpt-only source whose feed item carries the hostile
//!   HTML in its title and description, and whose article page is gone, so
//!   the story is built from the feed's own text;
//! - **linkless**: a full-text source whose feed item has no link and no
//!   permalink, carrying the hostile HTML in its title and description:
//!   the story is built from the feed's text, linked to the source's
//!   site, and republished excerpt-only;
//! - **quote**: an article page that quotes the markup as text (a report on
//!   a defaced site) in its headline and first paragraph, under an untitled
//!   Atom entry, with `javascript:` as the page's `og:image` on every other
//!   page. This is the case that went out of the site's RSS as live markup.
//!
//! `khabar fetch` takes them all through fetch, extraction and the store;
//! then every output of `khabar serve` (story pages, listings, search and
//! its snippets, RSS, Atom, JSON Feed, the API) is parsed as a browser or a
//! feed reader would parse it, and no executable construct may survive:
//! `script`, `on*` attributes, `javascript:`/`vbscript:`/`data:text/html`
//! URLs, `iframe`/`object`/`embed`/`form`/`base`/meta refresh, CSS
//! `expression()` or `url(javascript:)`.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use khabar_model::{StoredStory, StoryStatus};
use khabar_store::{Store, StoryQuery};

use support::corpus::{ReutersStory, corpus_dir, reuters};
use support::khabar_bin::{khabar, start_site};
use support::markup_safety;
use support::static_site::{self, Documents};

/// Items per source feed: below the site's 30 items a feed, so every story
/// appears in its source's feeds.
const PER_SOURCE: usize = 25;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mode {
    Body,
    Item,
    Linkless,
    Quote,
}

const MODES: [Mode; 4] = [Mode::Body, Mode::Item, Mode::Linkless, Mode::Quote];

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Body => "body",
            Mode::Item => "item",
            Mode::Linkless => "linkless",
            Mode::Quote => "quote",
        }
    }
}

/// One sanitize case: its file name and the hostile fragment it carries.
struct Case {
    name: String,
    fragment: String,
}

/// The hostile fragment of a case: the content of the first element below
/// the feed's containers (channel, item, entry) that has any, as HTML: the
/// text when the element holds escaped HTML, the markup itself when it holds
/// XHTML. A case that is not well-formed XML gives its whole text.
fn fragment_of(xml: &str) -> String {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(xml, opts) else {
        return xml.to_string();
    };
    let containers = ["rss", "rdf", "RDF", "channel", "item", "entry", "feed"];
    let carrier = doc.descendants().filter(|n| n.is_element()).find(|n| {
        !containers.contains(&n.tag_name().name())
            && (n.children().any(|c| c.is_element())
                || n.text().is_some_and(|t| !t.trim().is_empty()))
    });
    let Some(node) = carrier else {
        return xml.to_string();
    };
    if node.children().any(|c| c.is_element()) {
        // The element's own source text, less its start and end tags.
        let raw = &xml[node.range()];
        let inner_start = raw.find('>').map_or(0, |i| i + 1);
        let inner_end = raw.rfind("</").unwrap_or(raw.len()).max(inner_start);
        raw[inner_start..inner_end].to_string()
    } else {
        node.text().unwrap_or_default().to_string()
    }
}

fn sanitize_cases() -> Vec<Case> {
    let dir = corpus_dir().join("feedparser-dev/wellformed/sanitize");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| {
            let xml = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            Case {
                name: p.file_name().unwrap_or_default().to_string_lossy().into(),
                fragment: fragment_of(&xml),
            }
        })
        .collect()
}

/// Distinct wire stories long enough to be articles, one per served story,
/// so that no two served stories are copies of each other.
fn distinct_stories(n: usize) -> Vec<ReutersStory> {
    let mut titles = std::collections::HashSet::new();
    let picked: Vec<ReutersStory> = reuters()
        .into_iter()
        .filter(|s| s.body.len() > 900 && s.paragraphs().len() >= 4)
        .filter(|s| titles.insert(s.title.clone()))
        .take(n)
        .collect();
    assert_eq!(picked.len(), n, "enough distinct wire stories");
    picked
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One served story: where it lives and which case and mode it carries.
struct Served {
    mode: Mode,
    case: usize,
    path: String,
}

fn article_page(mode: Mode, i: usize, story: &ReutersStory, fragment: &str) -> String {
    let paras = story.paragraphs();
    let flat = fragment.split_whitespace().collect::<Vec<_>>().join(" ");
    let dateline = esc(&story.web_dateline());
    // Quote pages quote the markup as text in the headline and the first
    // paragraph, where the site takes its excerpt and its titles from.
    let (headline, extra_head, first) = match mode {
        Mode::Body => (
            esc(&story.headline()),
            format!(
                "<meta name=\"author\" content=\"By Sara Ahmadi {}\">\
                 <meta name=\"description\" content=\"{}\">",
                esc(fragment),
                esc(&flat)
            ),
            format!("<p>{dateline} {}</p>\n{fragment}", esc(&paras[0])),
        ),
        Mode::Quote => (
            format!("{}: {}", esc(&story.headline()), esc(&flat)),
            if i.is_multiple_of(2) {
                "<meta property=\"og:image\" content=\"javascript:alert(document.cookie)\">".into()
            } else {
                "<meta property=\"og:image\" content=\"https://images.example/lead.jpg\">".into()
            },
            format!(
                "<p>{dateline} The defaced page carried this markup: <code>{}</code>, investigators said. {}</p>\n<pre>{}</pre>",
                esc(fragment),
                esc(&paras[0]),
                esc(fragment)
            ),
        ),
        Mode::Item | Mode::Linkless => unreachable!("excerpt-only items have no page"),
    };
    let rest: String = paras[1..]
        .iter()
        .map(|p| format!("<p>{}</p>\n", esc(p)))
        .collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{headline}</title>{extra_head}\
         <meta property=\"article:published_time\" content=\"2026-11-20T08:00:00Z\"></head>\
         <body><header><nav><a href=\"/\">Home</a></nav></header><main><article><h1>{headline}</h1>\
         {first}\n{rest}<p>Reporting by Sara Ahmadi; Editing by Tom Brown</p>\
         </article></main><footer>© News</footer></body></html>"
    )
}

/// The item-mode description: the story's text with the hostile HTML in it.
fn item_description(story: &ReutersStory, fragment: &str) -> String {
    let paras = story.paragraphs();
    let mut html = format!("<p>{}</p>{fragment}", esc(&paras[0]));
    for p in &paras[1..] {
        html.push_str(&format!("<p>{}</p>", esc(p)));
    }
    html
}

fn pub_date(i: usize) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() - chrono::Duration::minutes(i as i64 + 1)
}

/// The documents of the hostile news site, and what each story is.
fn build_site(cases: &[Case]) -> (Documents, Vec<Served>, Vec<(String, bool)>) {
    let stories = distinct_stories(cases.len() * MODES.len());
    let mut docs = Documents::new();
    let mut served = Vec::new();
    let mut sources = Vec::new();
    for (m, mode) in MODES.into_iter().enumerate() {
        for (chunk_no, chunk) in (0..cases.len())
            .collect::<Vec<_>>()
            .chunks(PER_SOURCE)
            .enumerate()
        {
            let slug = format!("{}-{chunk_no:02}", mode.name());
            let mut items = String::new();
            for &c in chunk {
                let n = m * cases.len() + c;
                let story = &stories[n];
                let fragment = &cases[c].fragment;
                let date = pub_date(n);
                // A link-less item has no path: its story is keyed under the
                // site's address by its guid.
                let path = match mode {
                    Mode::Item => format!("/gone/{n}.html"),
                    Mode::Linkless => {
                        format!("#item-{}", khabar_text::content_hash(&format!("case-{n}")))
                    }
                    _ => format!("/{}/{n}.html", mode.name()),
                };
                match mode {
                    Mode::Body | Mode::Item | Mode::Linkless => {
                        let (title, description) = if mode != Mode::Body {
                            (
                                format!("{} {fragment}", esc(&story.headline())),
                                item_description(story, fragment),
                            )
                        } else {
                            (esc(&story.headline()), esc(&story.paragraphs()[0]))
                        };
                        let link = if mode == Mode::Linkless {
                            String::new()
                        } else {
                            format!("<link>{path}</link>")
                        };
                        items.push_str(&format!(
                            "<item><title>{}</title>{link}<guid isPermaLink=\"false\">case-{n}</guid>\
                             <pubDate>{}</pubDate><description>{}</description></item>\n",
                            esc(&title),
                            date.to_rfc2822(),
                            esc(&description),
                        ));
                    }
                    Mode::Quote => {
                        items.push_str(&format!(
                            // No title of its own: the headline is the page's.
                            "<entry><title type=\"text\"></title><link rel=\"alternate\" href=\"{path}\"/>\
                             <id>urn:case:{n}</id><updated>{}</updated><summary type=\"text\">{}</summary></entry>\n",
                            date.to_rfc3339(),
                            esc(fragment),
                        ));
                    }
                }
                if !matches!(mode, Mode::Item | Mode::Linkless) {
                    docs.insert(
                        path.clone(),
                        (
                            "text/html; charset=utf-8",
                            article_page(mode, n, story, fragment).into_bytes(),
                        ),
                    );
                }
                served.push(Served {
                    mode,
                    case: c,
                    path,
                });
            }
            let (feed_path, ctype, doc) = match mode {
                Mode::Quote => (
                    format!("/{slug}/atom.xml"),
                    "application/atom+xml",
                    format!(
                        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
                         <title>Quotes {slug}</title><id>urn:feed:{slug}</id><updated>{}</updated>\
                         <link rel=\"alternate\" href=\"/\"/>\n{items}</feed>",
                        chrono::Utc::now().to_rfc3339()
                    ),
                ),
                _ => (
                    format!("/{slug}/rss.xml"),
                    "application/rss+xml",
                    format!(
                        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
                         <title>Hostile {slug}</title><link>/</link><description>d</description>\n{items}</channel></rss>"
                    ),
                ),
            };
            docs.insert(feed_path.clone(), (ctype, doc.into_bytes()));
            sources.push((format!("{slug}|{feed_path}"), mode != Mode::Item));
        }
    }
    (docs, served, sources)
}

fn write_config(
    dir: &Path,
    site: &static_site::StaticSite,
    sources: &[(String, bool)],
) -> std::path::PathBuf {
    let db = format!("sqlite://{}", dir.join("data/khabar.db").display());
    let mut toml = format!(
        "[site]\nbase_url = \"http://127.0.0.1:9\"\n\n[storage]\nurl = \"{db}\"\n\n\
         [fetch]\nallow_private_addresses = true\nper_host_delay_ms = 0\nper_host_concurrency = 8\ntimeout_secs = 20\n\n"
    );
    for (spec, full_text) in sources {
        let (slug, path) = spec.split_once('|').expect("slug|path");
        toml.push_str(&format!(
            "[[sources]]\nslug = \"{slug}\"\nname = \"Source {slug}\"\nurl = \"{}\"\nlang = \"en\"\n\
             dedicated = true\nfull_text = {full_text}\n\n",
            site.url(path)
        ));
    }
    let path = dir.join("khabar.toml");
    std::fs::write(&path, toml).expect("write config");
    path
}

async fn all_stories(store: &Store) -> Vec<StoredStory> {
    let mut out = Vec::new();
    loop {
        let page = store
            .stories(&StoryQuery {
                statuses: vec![StoryStatus::Published, StoryStatus::Rejected],
                include_copies: true,
                limit: 500,
                offset: out.len() as i64,
                ..Default::default()
            })
            .await
            .expect("list stories");
        let n = page.items.len();
        out.extend(page.items);
        if n < 500 {
            return out;
        }
    }
}

/// The kinds of output the table reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Output {
    StoryPage,
    Listing,
    Search,
    Rss,
    Atom,
    JsonFeed,
    Api,
}

#[derive(Default)]
struct Tally {
    checked: usize,
    unsafe_outputs: usize,
    examples: Vec<String>,
}

struct Checker {
    http: reqwest::Client,
    base: String,
    tally: BTreeMap<Output, Tally>,
}

impl Checker {
    async fn get(&self, path: &str) -> (u16, String) {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = resp.status().as_u16();
        (status, resp.text().await.unwrap_or_default())
    }

    /// Fetches `path`, checks it as `kind`, and returns the body.
    async fn check(&mut self, kind: Output, path: &str) -> String {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}");
        let found = match kind {
            Output::StoryPage | Output::Listing | Output::Search => markup_safety::in_page(&body),
            Output::Rss | Output::Atom => markup_safety::in_xml_feed(&body),
            Output::JsonFeed | Output::Api => markup_safety::in_json(&body),
        };
        let t = self.tally.entry(kind).or_default();
        t.checked += 1;
        if !found.is_empty() {
            t.unsafe_outputs += 1;
            if t.examples.len() < 5 {
                t.examples.push(format!("{path}: {}", found.join(", ")));
            }
        }
        body
    }

    async fn feeds(&mut self, base: &str) {
        self.check(Output::Rss, &format!("{base}.rss")).await;
        self.check(Output::Atom, &format!("{base}.atom")).await;
        self.check(Output::JsonFeed, &format!("{base}.json")).await;
    }
}

#[test]
fn the_checker_finds_what_a_browser_would_run() {
    use markup_safety::{in_fragment, in_page, in_xml_feed};
    assert!(!in_fragment("<p onclick=x>a</p>").is_empty());
    assert!(!in_fragment("<a href=' java\tscript:alert(1)'>a</a>").is_empty());
    assert!(!in_fragment("<div style='width: expression(alert(1))'>a</div>").is_empty());
    assert!(!in_fragment("<iframe src=x></iframe>").is_empty());
    assert!(!in_fragment("<meta http-equiv=refresh content='0;url=x'>").is_empty());
    assert!(in_fragment("<p>a &lt;script&gt; b</p>").is_empty());
    // RSS: a description holding escaped markup is live markup to a reader.
    assert!(!in_xml_feed(
        "<rss><channel><item><description>&lt;script&gt;x&lt;/script&gt;</description></item></channel></rss>"
    )
    .is_empty());
    assert!(in_xml_feed(
        "<rss><channel><item><description>&amp;lt;script&amp;gt;</description></item></channel></rss>"
    )
    .is_empty());
    assert!(!in_page("<html><body><script>alert(1)</script></body></html>").is_empty());
    assert!(
        in_page(
            "<html><head><script type='application/ld+json'>{\"a\":1}</script></head>\
         <body><form action='/search'></form></body></html>"
        )
        .is_empty()
    );
    // A JSON-LD block cut short by a `</script>` in a string is a break-out.
    assert!(!in_page(
        "<html><head><script type='application/ld+json'>{\"a\":\"</script><script>alert(1)</script>\"}</script></head></html>"
    )
    .is_empty());
    assert_eq!(
        fragment_of(
            "<rss><channel><item><body><img src='x' onerror='y'/></body></item></channel></rss>"
        ),
        "<img src='x' onerror='y'/>"
    );
    assert_eq!(
        fragment_of("<feed><entry><title type='html'>a &lt;b onclick=x&gt;</title></entry></feed>"),
        "a <b onclick=x>"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_executable_markup_survives_into_any_output() {
    let cases = sanitize_cases();
    assert!(cases.len() >= 300, "{} sanitize cases", cases.len());
    let (docs, served, sources) = build_site(&cases);
    let site = static_site::start(docs).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &site, &sources);

    let config_for_fetch = config.clone();
    let out = tokio::task::spawn_blocking(move || {
        khabar(&config_for_fetch)
            .args(["fetch", "--json"])
            .output()
            .expect("run khabar fetch")
    })
    .await
    .expect("fetch task");
    assert!(
        out.status.success(),
        "khabar fetch: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let store = Store::connect(&format!(
        "sqlite://{}",
        dir.path().join("data/khabar.db").display()
    ))
    .await
    .expect("open store");
    let stored = all_stories(&store).await;
    let url_of = |s: &Served| site.url(&s.path);
    let is_story_of = |s: &Served, st: &StoredStory| match s.mode {
        Mode::Linkless => st.canonical_url.ends_with(&s.path),
        _ => st.url == url_of(s),
    };
    let mut stored_by_mode: BTreeMap<Mode, usize> = BTreeMap::new();
    let mut missing = Vec::new();
    for s in &served {
        if let Some(st) = stored.iter().find(|st| is_story_of(s, st)) {
            *stored_by_mode.entry(s.mode).or_default() += 1;
            if s.mode == Mode::Linkless {
                // Its source allows full text, but a story with no page of
                // its own is republished as an excerpt with a link out.
                assert!(!st.full_text, "link-less story {} is excerpt-only", st.id);
                assert_eq!(
                    st.url,
                    site.url("/"),
                    "link-less story {} links to the site",
                    st.id
                );
            }
        } else {
            missing.push(format!("{} {}", s.mode.name(), cases[s.case].name));
        }
    }
    // Every case must have become a story in every mode, or the test
    // would pass by storing nothing.
    for mode in MODES {
        let n = stored_by_mode.get(&mode).copied().unwrap_or(0);
        assert!(
            n * 100 >= cases.len() * 98,
            "{}: {n} of {} cases stored; missing: {missing:?}",
            mode.name(),
            cases.len()
        );
    }

    let (_guard, base) = start_site(&config);
    let mut checker = Checker {
        http: reqwest::Client::new(),
        base,
        tally: BTreeMap::new(),
    };

    // Story pages (with their OpenGraph and JSON-LD) and the API's story.
    let mut quoted_markup_shown = 0;
    for s in &stored {
        if s.status != StoryStatus::Published {
            eprintln!(
                "not published: {} {:?} dup={:?} {}",
                s.id, s.status, s.duplicate_of, s.url
            );
            continue;
        }
        let page = checker
            .check(Output::StoryPage, &format!("/story/{}", s.id))
            .await;
        checker
            .check(Output::Api, &format!("/api/v1/stories/{}", s.id))
            .await;
        let served_as = served.iter().find(|x| url_of(x) == s.url);
        if let Some(x) = served_as.filter(|x| x.mode == Mode::Quote) {
            let text: String = scraper::Html::parse_document(&page)
                .root_element()
                .text()
                .collect();
            let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
            let quoted = words(&cases[x.case].fragment);
            let probe: String = quoted.chars().take(24).collect();
            if words(&text).contains(&format!("carried this markup: {probe}")) {
                quoted_markup_shown += 1;
            } else {
                eprintln!("quote not shown: {} {probe:?}", cases[x.case].name);
            }
        }
    }
    // The quoted markup is shown to readers as the text it is, not dropped.
    assert!(
        quoted_markup_shown * 10 >= cases.len() * 9,
        "quoted markup shown as text on {quoted_markup_shown} of {} pages",
        cases.len()
    );

    // Listings and feeds of every source, and of the whole site.
    for (spec, _) in &sources {
        let slug = spec.split_once('|').map(|(s, _)| s).unwrap_or_default();
        checker
            .check(Output::Listing, &format!("/source/{slug}"))
            .await;
        checker.feeds(&format!("/source/{slug}/feed")).await;
    }
    checker.check(Output::Listing, "/").await;
    checker.check(Output::Listing, "/?page=2").await;
    checker.check(Output::Listing, "/archive").await;
    checker.feeds("/feed").await;
    checker.check(Output::Api, "/api/v1/stories").await;
    checker.check(Output::Api, "/api/v1/sources").await;

    // Tags the stories were given.
    let mut tags: Vec<String> = stored
        .iter()
        .flat_map(|s| s.relevance.tags.clone())
        .collect();
    tags.sort();
    tags.dedup();
    for tag in tags.iter().take(20) {
        let p = format!(
            "/tag/{}",
            url::form_urlencoded::byte_serialize(tag.as_bytes()).collect::<String>()
        );
        checker.check(Output::Listing, &p).await;
        checker.feeds(&format!("{p}/feed")).await;
    }

    // Search results, snippets and search feeds, for words the hostile
    // fragments carry and for hostile queries themselves.
    for q in [
        "safe",
        "description",
        "markup",
        "script",
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "javascript:alert(1)",
    ] {
        let q: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
        checker
            .check(Output::Search, &format!("/search?q={q}"))
            .await;
        checker
            .check(Output::Api, &format!("/api/v1/search?q={q}"))
            .await;
        checker
            .check(Output::Rss, &format!("/search/feed.rss?q={q}"))
            .await;
        checker
            .check(Output::Atom, &format!("/search/feed.atom?q={q}"))
            .await;
        checker
            .check(Output::JsonFeed, &format!("/search/feed.json?q={q}"))
            .await;
    }

    let mut table = String::from("\nhostile markup: output kind | outputs checked | unsafe\n");
    let mut unsafe_total = 0;
    for (kind, t) in &checker.tally {
        table.push_str(&format!(
            "  {kind:?} | {} | {}\n",
            t.checked, t.unsafe_outputs
        ));
        for e in &t.examples {
            table.push_str(&format!("      {e}\n"));
        }
        unsafe_total += t.unsafe_outputs;
    }
    table.push_str(&format!(
        "  cases {} x {} modes, stories stored {} ({})\n",
        cases.len(),
        MODES.len(),
        stored.len(),
        MODES
            .iter()
            .map(|m| format!("{} {}", m.name(), stored_by_mode.get(m).unwrap_or(&0)))
            .collect::<Vec<_>>()
            .join(", "),
    ));
    println!("{table}");
    assert_eq!(unsafe_total, 0, "{table}");
    let served_cases: std::collections::HashSet<usize> = served.iter().map(|s| s.case).collect();
    assert_eq!(served_cases.len(), cases.len());
}

//! Every feed the site serves, checked by tools khabar does not control.
//!
//! A site with a few real stories (a Reuters wire story with its credits, a
//! Persian RTL one, an excerpt-only one, one that quotes hostile markup as
//! text, one with a lead image, plus a syndicated copy and a rejected story
//! that must not be served) answers every feed URL: site-wide, per language,
//! per tag, per source and search, each as RSS 2.0, Atom 1.0 and JSON Feed
//! 1.1. The documents go to `scripts/validate-feeds.py`, run in the test venv
//! that `scripts/install-test-tools` makes: feedparser must read each one with
//! no error, and the format's rules must hold. Then the entries feedparser
//! (or the JSON Feed reader) found are compared with the stories served.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{Duration, Utc};
use khabar_model::{Block, BlockKind, NewStory, Relevance, StoryStatus, TextDirection};
use khabar_store::{SourceKind, SourceSpec, Store};
use khabar_web::{AppState, SiteSettings};

/// One story of the fixture and where it must show up.
struct Fixture {
    key: &'static str,
    source: &'static str,
    lang: &'static str,
    tags: &'static [&'static str],
    /// Served as a primary story (not a copy, not rejected).
    listed: bool,
}

const SOURCES: &[(&str, &str, &str, bool)] = &[
    // slug, name, lang, full text allowed
    ("reuters", "Reuters", "en", true),
    ("bbc-persian", "BBC Persian", "fa", true),
    ("teaser", "Teaser Times", "en", false),
    ("security-desk", "Security Desk", "en", true),
    ("photo-wire", "Photo Wire", "en", true),
];

const FIXTURES: &[Fixture] = &[
    Fixture {
        key: "reuters",
        source: "reuters",
        lang: "en",
        tags: &["diplomacy", "military"],
        listed: true,
    },
    Fixture {
        key: "persian",
        source: "bbc-persian",
        lang: "fa",
        tags: &["diplomacy", "ایران"],
        listed: true,
    },
    Fixture {
        key: "excerpt",
        source: "teaser",
        lang: "en",
        tags: &["sanctions"],
        listed: true,
    },
    Fixture {
        key: "hostile",
        source: "security-desk",
        lang: "en",
        tags: &["cyber"],
        listed: true,
    },
    Fixture {
        key: "image",
        source: "photo-wire",
        lang: "en",
        tags: &["military"],
        listed: true,
    },
    Fixture {
        key: "copy",
        source: "photo-wire",
        lang: "en",
        tags: &["diplomacy"],
        listed: false,
    },
    Fixture {
        key: "rejected",
        source: "reuters",
        lang: "en",
        tags: &[],
        listed: false,
    },
];

/// Search feeds asked for, with the fixtures each must return.
const SEARCHES: &[(&str, &[&str])] = &[
    ("rockets", &["reuters"]),
    ("%D8%AA%D9%87%D8%B1%D8%A7%D9%86", &["persian"]), // تهران
    ("%3Cscript%3Ealert(1)%3C%2Fscript%3E", &["hostile"]),
    // An empty feed must be valid too.
    ("zebrafish", &[]),
];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn story(
    source_id: i64,
    f: &Fixture,
    url: &str,
    headline: &str,
    blocks: Vec<Block>,
    hours_ago: i64,
) -> NewStory {
    let body_text = khabar_model::Article::text_from_blocks(&blocks);
    let t = Utc::now() - Duration::hours(hours_ago);
    NewStory {
        source_id,
        url: url.into(),
        canonical_url: url.into(),
        headline: headline.into(),
        published_at: Some(t),
        fetched_at: t,
        lang: Some(f.lang.into()),
        dir: if f.lang == "fa" {
            TextDirection::Rtl
        } else {
            TextDirection::Ltr
        },
        excerpt: body_text.chars().take(160).collect(),
        content_hash: khabar_text::content_hash(&body_text),
        body_text,
        blocks,
        relevance: Relevance {
            relevant: f.listed,
            score: if f.listed { 0.9 } else { 0.05 },
            reasons: vec![],
            tags: f.tags.iter().map(|t| t.to_string()).collect(),
        },
        status: StoryStatus::Published,
        ..Default::default()
    }
}

struct Site {
    base: String,
    /// Story id of each fixture, by key.
    ids: Vec<(&'static str, i64)>,
    _dir: tempfile::TempDir,
}

impl Site {
    fn id(&self, key: &str) -> i64 {
        self.ids.iter().find(|(k, _)| *k == key).unwrap().1
    }
}

async fn start() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!(
        "sqlite://{}",
        dir.path().join("feeds.db").display()
    ))
    .await
    .unwrap();
    let mut source_ids = Vec::new();
    for (slug, name, lang, full_text) in SOURCES {
        let src = store
            .sources()
            .upsert(&SourceSpec {
                slug: slug.to_string(),
                name: name.to_string(),
                url: format!("https://{slug}.example/feed"),
                kind: SourceKind::Feed,
                lang: Some(lang.to_string()),
                full_text: *full_text,
                dedicated: false,
                proxy: None,
                ..Default::default()
            })
            .await
            .unwrap();
        source_ids.push((*slug, src.id));
    }
    let source_id = |slug: &str| source_ids.iter().find(|(s, _)| *s == slug).unwrap().1;

    let mut ids = Vec::new();
    for (hours_ago, f) in (1..).zip(FIXTURES) {
        let sid = source_id(f.source);
        let mut s = match f.key {
            "reuters" => {
                let mut s = story(
                    sid,
                    f,
                    "https://www.reuters.com/world/middle-east/iran-threat-us-forces-iraq-2024-01-05/",
                    "Threat from Iran to U.S. forces in Iraq remains significant, official says",
                    vec![
                        Block::paragraph(
                            "Iranian-backed militia pose a continuing threat to U.S. forces in Iraq, a senior State Department official said on Friday.",
                        ),
                        Block {
                            kind: BlockKind::Heading(2),
                            text: "Rockets near oil firms".into(),
                        },
                        Block::paragraph(
                            "Three rockets landed near a district that houses workers for foreign oil companies; AT&T and others were unharmed.",
                        ),
                        Block {
                            kind: BlockKind::Quote,
                            text:
                                "\u{201c}It continues to be significant,\u{201d} the official said."
                                    .into(),
                        },
                    ],
                    hours_ago,
                );
                s.dateline = Some("WASHINGTON (Reuters) –".into());
                s.byline = Some("By Humeyra Pamuk".into());
                s.credits = Some("Reporting by Humeyra Pamuk; Editing by Chris Reese".into());
                s
            }
            "persian" => story(
                sid,
                f,
                "https://www.bbc.com/persian/iran-67890123",
                "دیدار وزیر خارجه ایران با همتای عمانی در تهران",
                vec![
                    Block::paragraph(
                        "وزیر امور خارجه ایران روز دوشنبه در تهران با همتای عمانی خود دیدار و گفت‌وگو کرد.",
                    ),
                    Block::paragraph(
                        "در این دیدار درباره روابط دوجانبه و مسائل منطقه‌ای تبادل نظر شد.",
                    ),
                ],
                hours_ago,
            ),
            "excerpt" => {
                let mut s = story(
                    sid,
                    f,
                    "https://teaser.example/sanctions?utm_source=feed&id=42",
                    "New sanctions on Iranian oil exports announced",
                    vec![Block::paragraph(
                        "The Treasury announced new sanctions on Iranian oil exports. FULLTEXTMARKER secret paragraph.",
                    )],
                    hours_ago,
                );
                s.excerpt = "The Treasury announced new sanctions on Iranian oil exports.".into();
                s.excerpt_only = true;
                s
            }
            "hostile" => story(
                sid,
                f,
                "https://security-desk.example/2024/defaced",
                "Ministry site defaced: attackers left <script>alert(1)</script> & a note",
                vec![
                    Block::paragraph(
                        "Visitors to the ministry's site saw the text <script>alert(1)</script> where the news used to be.",
                    ),
                    Block::paragraph(
                        "Researchers said the page also held <img src=x onerror=alert(2)> and a ]]> sequence, \"quoted\" as 'text'.",
                    ),
                ],
                hours_ago,
            ),
            "image" => {
                let mut s = story(
                    sid,
                    f,
                    "https://photo-wire.example/gallery/strait-of-hormuz",
                    "Tankers wait in the Strait of Hormuz as Iran exercises begin",
                    vec![Block::paragraph(
                        "Oil tankers waited at anchor in the Strait of Hormuz on Monday as Iran's navy began exercises.",
                    )],
                    hours_ago,
                );
                s.lead_image =
                    Some("https://photo-wire.example/img/hormuz.jpg?w=1200&h=800".into());
                s
            }
            "copy" => {
                let mut s = story(
                    sid,
                    f,
                    "https://photo-wire.example/iran-threat-copy",
                    "Iran threat to US forces significant, official says",
                    vec![Block::paragraph(
                        "Iranian-backed militia pose a continuing threat to U.S. forces in Iraq, an official said.",
                    )],
                    hours_ago,
                );
                s.duplicate_of = Some(
                    ids.iter()
                        .find(|(k, _)| *k == "reuters")
                        .map(|(_, id)| *id)
                        .unwrap(),
                );
                s
            }
            "rejected" => {
                let mut s = story(
                    sid,
                    f,
                    "https://www.reuters.com/sports/football-results",
                    "Local football results",
                    vec![Block::paragraph("The home team won three to one.")],
                    hours_ago,
                );
                s.status = StoryStatus::Rejected;
                s
            }
            other => unreachable!("{other}"),
        };
        s.fetched_at = s.published_at.unwrap();
        let id = store.insert_story(&s).await.unwrap().id();
        ids.push((f.key, id));
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let settings = SiteSettings {
        title: "Persian News".into(),
        tagline: "All Persian News Related to Iran".into(),
        base_url: base.clone(),
        language: "en".into(),
        admin_token: None,
        like_salt: "test-salt".into(),
        page_size: 20,
        likes_per_minute_per_ip: 100,
        ..Default::default()
    };
    let state = AppState::new(store, settings);
    tokio::spawn(async move {
        let _ = khabar_web::serve(listener, state).await;
    });
    Site {
        base,
        ids,
        _dir: dir,
    }
}

/// One feed document the site serves and the fixtures it must hold.
struct FeedCase {
    path: String,
    kind: &'static str,
    expected: BTreeSet<&'static str>,
}

fn listed(filter: impl Fn(&Fixture) -> bool) -> BTreeSet<&'static str> {
    FIXTURES
        .iter()
        .filter(|f| f.listed && filter(f))
        .map(|f| f.key)
        .collect()
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Every feed URL the site serves for this fixture, in all three formats.
fn feed_cases() -> Vec<FeedCase> {
    let mut docs: Vec<(String, BTreeSet<&'static str>)> = vec![
        ("/feed".into(), listed(|_| true)),
        ("/feed?lang=fa".into(), listed(|f| f.lang == "fa")),
        ("/feed?lang=en".into(), listed(|f| f.lang == "en")),
    ];
    let tags: BTreeSet<&str> = FIXTURES
        .iter()
        .filter(|f| f.listed)
        .flat_map(|f| f.tags.iter().copied())
        .collect();
    for tag in tags {
        docs.push((
            format!("/tag/{}/feed", percent_encode(tag)),
            listed(|f| f.tags.contains(&tag)),
        ));
    }
    for (slug, ..) in SOURCES {
        docs.push((
            format!("/source/{slug}/feed"),
            listed(|f| f.source == *slug),
        ));
    }
    for (q, keys) in SEARCHES {
        docs.push((
            format!("/search/feed?q={q}"),
            keys.iter().copied().collect(),
        ));
    }
    let mut cases = Vec::new();
    for (path, expected) in docs {
        for kind in ["rss", "atom", "json"] {
            // `/feed?lang=fa` → `/feed.rss?lang=fa`
            let path = match path.split_once('?') {
                Some((p, q)) => format!("{p}.{kind}?{q}"),
                None => format!("{path}.{kind}"),
            };
            cases.push(FeedCase {
                path,
                kind,
                expected: expected.clone(),
            });
        }
    }
    cases
}

fn file_name(i: usize, case: &FeedCase) -> String {
    let stem: String = case
        .path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{i:02}{stem}.{}", case.kind)
}

/// The story id in one of our item links (`…/story/{id}/{slug}`).
fn story_id(link: &str) -> Option<i64> {
    let rest = link.split("/story/").nth(1)?;
    rest.split(['/', '?', '#']).next()?.parse().ok()
}

#[tokio::test]
async fn every_site_feed_is_valid_and_holds_the_stories_served() {
    let root = workspace_root();
    // The pinned venv with feedparser and jsonschema: made on first use
    // (the script does nothing when it is there), so `cargo test` alone
    // runs this test on a fresh machine.
    let install = std::process::Command::new("bash")
        .arg(root.join("scripts/install-test-tools"))
        .output()
        .expect("run scripts/install-test-tools");
    assert!(
        install.status.success(),
        "scripts/install-test-tools failed (it makes the Python venv with feedparser and \
         jsonschema that this test validates the site's feeds with):\n{}",
        String::from_utf8_lossy(&install.stderr)
    );
    let python = root.join("target/test-venv/bin/python");

    let site = start().await;
    // KHABAR_FEEDS_OUT=DIR keeps the documents for a look (or a re-run of
    // the script); otherwise they go to a temporary directory.
    let tmp = tempfile::tempdir().unwrap();
    let out = match std::env::var_os("KHABAR_FEEDS_OUT") {
        Some(dir) => {
            std::fs::create_dir_all(&dir).unwrap();
            PathBuf::from(dir)
        }
        None => tmp.path().to_path_buf(),
    };
    let client = reqwest::Client::new();
    let cases = feed_cases();
    let mut args = Vec::new();
    let mut bodies = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let resp = client
            .get(format!("{}{}", site.base, case.path))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), reqwest::StatusCode::OK, "GET {}", case.path);
        let ctype = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let mime = match case.kind {
            "rss" => "application/rss+xml",
            "atom" => "application/atom+xml",
            _ => "application/feed+json",
        };
        assert!(
            ctype.starts_with(mime),
            "GET {}: Content-Type {ctype}",
            case.path
        );
        let body = resp.bytes().await.unwrap();
        let file = out.join(file_name(i, case));
        std::fs::write(&file, &body).unwrap();
        bodies.push(body);
        args.push(format!("{}:{}", case.kind, file.display()));
    }

    let report = out.join("report.json");
    let run = Command::new(&python)
        .arg(root.join("scripts/validate-feeds.py"))
        .arg("--report")
        .arg(&report)
        .args(&args)
        .current_dir(&root)
        .output()
        .expect("run scripts/validate-feeds.py");
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        run.status.success(),
        "scripts/validate-feeds.py found invalid feeds ({}):\n{output}",
        run.status
    );

    let report: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(report.len(), cases.len(), "{output}");
    for ((case, r), body) in cases.iter().zip(&report).zip(&bodies) {
        // The document's self link is where the document is: fetched, it
        // gives the same document.
        let self_url = r["self"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: no self link in {r}", case.path));
        assert!(
            self_url.starts_with(&site.base),
            "{}: self link {self_url}",
            case.path
        );
        let again = client.get(self_url).send().await.unwrap();
        assert_eq!(again.status(), reqwest::StatusCode::OK, "{self_url}");
        assert!(
            again.bytes().await.unwrap() == body,
            "{}: its self link {self_url} serves another document",
            case.path
        );
        let expected: BTreeSet<i64> = case.expected.iter().map(|k| site.id(k)).collect();
        let entries = r["entries"].as_u64().unwrap_or_else(|| panic!("{r}"));
        assert_eq!(
            entries,
            expected.len() as u64,
            "{}: the reader found {entries} entries, the site serves {} ({:?})\n{output}",
            case.path,
            expected.len(),
            case.expected
        );
        let found: BTreeSet<i64> = r["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let l = l.as_str().unwrap_or_default();
                assert!(
                    l.starts_with(&site.base),
                    "{}: link {l} is not ours",
                    case.path
                );
                story_id(l).unwrap_or_else(|| panic!("{}: link {l} names no story", case.path))
            })
            .collect();
        assert_eq!(found, expected, "{}: {:?}", case.path, case.expected);
    }
    println!("{output}");
}

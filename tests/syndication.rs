//! Copies that arrive after a restart join their story, on both backends.
//!
//! One `khabar fetch` stores the wire's stories and exits. The news server
//! then publishes its second edition: another outlet's altered copy of a
//! wire story, a different report on Iran, and the agency's longer
//! re-issue of one of its own stories. A second `khabar fetch`, a new
//! process whose dedup index can only come from the store, must group the
//! copy under the wire story, let the update take over its story's text
//! (keeping the old text as history), and leave the different report alone.
//! The site then shows the story with "Also reported by".

mod support;

use khabar_model::{StoredStory, StoryStatus};
use khabar_store::Store;

use support::khabar_bin::{TestSource, run_fetch, start_site, write_config_for_store};
use support::news_server;
use support::postgres;
use support::stored::every_story;

const FIRST_EDITION: &[TestSource] = &[("wire", "Wire Service", "/wire/rss.xml", "en")];
const SECOND_EDITION: &[TestSource] = &[
    ("wire", "Wire Service", "/wire/rss.xml", "en"),
    ("syndicate", "Syndicate Times", "/syndicate/rss.xml", "en"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_copies_join_their_story_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("data/khabar.db").display());
    copies_after_a_restart(dir.path(), &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_copies_join_their_story_on_postgres() {
    let Some(schema) = postgres::schema().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    copies_after_a_restart(dir.path(), &schema.url).await;
    schema.drop().await;
}

async fn copies_after_a_restart(dir: &std::path::Path, store_url: &str) {
    let server = news_server::start().await;
    let edition = server.second_edition.clone();

    // ---- first edition: the wire alone ----
    let config = write_config_for_store(dir, &server, FIRST_EDITION, None, store_url);
    let first = run_fetch(&config);
    assert_eq!(added(&first, "wire"), 7, "{first}");

    // ---- second edition, read by a new process ----
    server.publish_second_edition();
    let config = write_config_for_store(dir, &server, SECOND_EDITION, None, store_url);
    let second = run_fetch(&config);
    assert_eq!(added(&second, "wire"), 1, "the update is new: {second}");
    assert_eq!(added(&second, "syndicate"), 2, "{second}");

    let store = Store::connect(store_url).await.expect("open store");
    let stored = all_stories(&store).await;
    let by_path = |path: &str| -> StoredStory {
        let url = server.url(path);
        stored
            .iter()
            .find(|s| s.url == url || s.canonical_url == url)
            .cloned()
            .unwrap_or_else(|| panic!("{path} not stored"))
    };

    // The altered copy is a copy of the wire story, which stays primary.
    let original = by_path(&edition.copied.path);
    let copy = by_path(&edition.copy_path);
    assert_eq!(
        copy.duplicate_of,
        Some(original.id),
        "copy grouped under the wire story"
    );
    assert_eq!(original.duplicate_of, None);
    assert_eq!(original.status, StoryStatus::Published);

    // The different report on Iran is a story of its own.
    let other = by_path(&edition.other_report.path);
    assert_eq!(other.duplicate_of, None, "a different report is not a copy");
    assert_eq!(other.status, StoryStatus::Published);
    assert!(
        store.copies_of(other.id).await.expect("copies").is_empty(),
        "nothing was merged into the different report"
    );

    // The agency's longer re-issue replaced its story's text; the story
    // keeps its page and its first text as history.
    let updated = by_path(&edition.updated.path);
    let reissue = by_path(&edition.update_path);
    assert_eq!(reissue.duplicate_of, Some(updated.id), "re-issue grouped");
    assert!(
        updated.body_text.contains(&edition.update_probe),
        "the story took the update's added paragraph"
    );
    let versions = store.story_versions(updated.id).await.expect("versions");
    assert_eq!(versions.len(), 1, "the first text is kept");
    assert!(!versions[0].2.contains(&edition.update_probe));
    assert!(versions[0].2.contains(&edition.updated.body_probe));

    // ---- the site: one story, every outlet that carried it ----
    let (site, base) = start_site(&config);
    let home = get(&format!("{base}/")).await;
    // Story links are `/story/{id}/{slug}`.
    let primary_link = format!("href=\"/story/{}/", original.id);
    let copy_link = format!("href=\"/story/{}/", copy.id);
    assert!(
        home.contains(&primary_link),
        "the story is on the home page"
    );
    assert!(!home.contains(&copy_link), "its copy is not listed apart");
    let page = get(&format!("{base}/story/{}", original.id)).await;
    assert!(
        page.contains("Also reported by"),
        "story page lists outlets"
    );
    assert!(page.contains("Syndicate Times"));
    assert!(
        page.contains(&server.url(&edition.copy_path)),
        "links the copy's original"
    );
    let page = get(&format!("{base}/story/{}", updated.id)).await;
    assert!(
        page.contains(&edition.update_probe),
        "story page shows the update"
    );
    drop(site);

    // ---- a third run, again a new process, adds and regroups nothing ----
    let third = run_fetch(&config);
    assert_eq!(
        added(&third, "wire") + added(&third, "syndicate"),
        0,
        "{third}"
    );
    let again = all_stories(&store).await;
    assert_eq!(again.len(), stored.len());
    for (a, b) in again.iter().zip(&stored) {
        assert_eq!((a.id, a.duplicate_of), (b.id, b.duplicate_of));
    }
    store.close().await;
}

fn added(report: &serde_json::Value, slug: &str) -> u64 {
    report["sources"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["slug"] == slug))
        .and_then(|r| r["stories_added"].as_u64())
        .unwrap_or_else(|| panic!("no report for {slug}: {report}"))
}

async fn all_stories(store: &Store) -> Vec<StoredStory> {
    let mut items = every_story(store).await.items;
    items.sort_by_key(|s| s.id);
    items
}

async fn get(url: &str) -> String {
    let resp = reqwest::get(url)
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    assert_eq!(resp.status().as_u16(), 200, "GET {url}");
    resp.text().await.unwrap_or_default()
}

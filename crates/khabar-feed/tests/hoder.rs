//! The real Persian weblog feed in the shared corpus.

mod common;

use chrono::{TimeZone, Utc};
use khabar_feed::{parse_feed, parse_feed_report};
use khabar_model::FeedKind;

fn hoder() -> Vec<u8> {
    let p = common::corpus("feeds/hoder.xml");
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn parses_every_item_with_persian_titles_and_dates() {
    let report = parse_feed_report(&hoder(), "http://editormyself.info/index.xml").unwrap();
    let feed = report.feed;
    assert_eq!(feed.kind, FeedKind::Rss);
    assert_eq!(feed.title.as_deref(), Some("Editor: Myself (Persian)"));
    assert_eq!(feed.site_url.as_deref(), Some("http://editormyself.info/"));
    assert_eq!(feed.entries.len(), 7);
    assert_eq!(report.dropped_entries, 0);

    let first = &feed.entries[0];
    let title = first.title.as_deref().unwrap();
    assert!(title.contains('\u{200C}'), "ZWNJ kept in {title:?}");
    assert_eq!(
        title,
        "لينکدونی\u{200C} | جلسه\u{200C}ی امریکن انترپرایز برای تقسیم قومی ایران"
    );
    assert_eq!(
        first.url,
        "http://www.aei.org/events/type.upcoming,eventID.1166,filter.all/event_detail.asp"
    );
    assert_eq!(first.guid.as_deref(), Some("14645@http://i.hoder.com/"));
    // dc:date 2005-10-12T19:45:32-05:00
    assert_eq!(
        first.published,
        Some(Utc.with_ymd_and_hms(2005, 10, 13, 0, 45, 32).unwrap())
    );
    // dc:subject, which feed-rs leaves out, becomes a category.
    assert_eq!(first.categories, vec!["iran".to_string()]);
    assert_eq!(
        feed.entries.last().unwrap().categories,
        vec!["weblog".to_string()]
    );
    assert!(feed.entries.iter().all(|e| e.published.is_some()));
    assert!(feed.entries.iter().all(|e| e.url.starts_with("http")));
}

#[test]
fn entities_in_titles_are_decoded() {
    let feed = parse_feed(&hoder(), "http://editormyself.info/index.xml").unwrap();
    let t = feed
        .entries
        .iter()
        .filter_map(|e| e.title.as_deref())
        .find(|t| t.contains("بی.بی.سی"))
        .unwrap();
    assert!(t.contains("\" بی.بی.سی"), "{t:?}");
    assert!(!t.contains("&quot;"));
}

#[test]
fn html_description_becomes_text_summary_and_content() {
    let feed = parse_feed(&hoder(), "http://editormyself.info/index.xml").unwrap();
    let last = feed.entries.last().unwrap();
    let summary = last.summary.as_deref().unwrap();
    assert!(
        !summary.contains("<p>") && !summary.contains("<br"),
        "{summary:?}"
    );
    assert!(summary.contains("hoder@hoder.com"));
    let content = last.content_html.as_deref().unwrap();
    assert!(content.contains("<p>"), "HTML description kept as content");
}

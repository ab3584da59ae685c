//! One fixture per format the crawler meets in the wild.

mod common;

use chrono::{TimeZone, Utc};
use common::fixture;
use khabar_feed::{FeedError, parse_feed, parse_feed_report};
use khabar_model::{EntryLink, FeedKind};

#[test]
fn rss_091_latin1_with_relative_and_missing_links() {
    let r = parse_feed_report(
        &fixture("rss091.xml"),
        "https://tehranbureau.example/rss.xml",
    )
    .unwrap();
    assert_eq!(r.feed.kind, FeedKind::Rss);
    assert_eq!(r.feed.title.as_deref(), Some("Tehran Bureau & Friends"));
    // The item with no link is kept, linked to the site, to be published
    // excerpt-only from its own text.
    assert_eq!(r.feed.entries.len(), 3);
    assert_eq!(r.dropped_entries, 0);
    let linkless = &r.feed.entries[2];
    assert_eq!(linkless.url, "https://tehranbureau.example/");
    assert_eq!(linkless.link_from, EntryLink::SiteLink);
    assert_eq!(
        linkless.summary.as_deref(),
        Some("dropped: there is nothing to fetch")
    );
    let e = &r.feed.entries[0];
    assert_eq!(
        e.url,
        "https://tehranbureau.example/2004/01/cafe-talks.html"
    );
    assert_eq!(e.title.as_deref(), Some("Café talks in Tehran"));
    assert_eq!(
        e.summary.as_deref(),
        Some("A short summary in Latin-1: café crème.")
    );
    assert_eq!(e.language.as_deref(), Some("en-us"));
    assert_eq!(r.feed.entries[1].url, "https://other.example/story?id=7");
}

#[test]
fn rss_10_rdf() {
    let f = parse_feed(&fixture("rss10.rdf"), "https://rdf.example/index.rdf").unwrap();
    assert_eq!(f.kind, FeedKind::Rss);
    assert_eq!(f.entries.len(), 2);
    let a = &f.entries[0];
    assert_eq!(a.title.as_deref(), Some("خبر اول"));
    assert_eq!(a.summary.as_deref(), Some("شرح خبر اول"));
    assert_eq!(
        a.published,
        Some(Utc.with_ymd_and_hms(2024, 3, 1, 4, 45, 0).unwrap())
    );
    assert_eq!(a.authors, vec!["Sara Ahmadi".to_string()]);
    assert_eq!(a.categories, vec!["ایران".to_string()]);
    // Relative link resolved; tracking params are the canonicaliser's job, not the parser's.
    assert_eq!(f.entries[1].url, "https://rdf.example/b?utm_source=rss");
}

#[test]
fn atom_alternate_links_dates_and_content() {
    let r = parse_feed_report(&fixture("atom.xml"), "https://atom.example/feed.atom").unwrap();
    let f = r.feed;
    assert_eq!(f.kind, FeedKind::Atom);
    assert_eq!(f.title.as_deref(), Some("Iran Watch"));
    assert_eq!(f.site_url.as_deref(), Some("https://atom.example/"));
    // Entry 2 has only a rel=self link (the entry's API document, not an
    // article page) and entry 3 only mailto: neither is an article page,
    // so both are linked to the site and published from their own text.
    assert_eq!(r.dropped_entries, 0);
    assert_eq!(f.entries.len(), 3);
    for e in &f.entries[1..] {
        assert_eq!(e.url, "https://atom.example/");
        assert_eq!(e.link_from, EntryLink::SiteLink);
    }
    let e = &f.entries[0];
    assert_eq!(e.url, "https://atom.example/2024/04/talks");
    assert_eq!(e.guid.as_deref(), Some("tag:atom.example,2024:talks"));
    assert_eq!(e.title.as_deref(), Some("Nuclear talks resume in Vienna"));
    assert_eq!(e.summary.as_deref(), Some("Talks & sanctions resume."));
    assert_eq!(
        e.content_html.as_deref(),
        Some("<p>Full <b>text</b> here.</p>")
    );
    assert_eq!(
        e.published,
        Some(Utc.with_ymd_and_hms(2024, 4, 1, 8, 0, 0).unwrap())
    );
    assert_eq!(
        e.updated,
        Some(Utc.with_ymd_and_hms(2024, 4, 2, 11, 0, 0).unwrap())
    );
    assert_eq!(e.authors, vec!["Jane Doe".to_string()]);
    assert_eq!(e.categories, vec!["Nuclear programme".to_string()]);
}

#[test]
fn json_feed_11() {
    let r = parse_feed_report(
        &fixture("jsonfeed11.json"),
        "https://json.example/feed.json",
    )
    .unwrap();
    let f = r.feed;
    assert_eq!(f.kind, FeedKind::JsonFeed);
    assert_eq!(f.language.as_deref(), Some("fa"));
    // Item 3 has no URL: linked to the home page, published from its text.
    assert_eq!(f.entries.len(), 3);
    assert_eq!(r.dropped_entries, 0);
    assert_eq!(f.entries[2].url, "https://json.example/");
    assert_eq!(f.entries[2].link_from, EntryLink::SiteLink);
    let e = &f.entries[0];
    assert_eq!(e.title.as_deref(), Some("تحریم\u{200C}های تازه"));
    assert_eq!(e.content_html.as_deref(), Some("<p>متن کامل</p>"));
    assert_eq!(e.summary.as_deref(), Some("خلاصه"));
    assert_eq!(
        e.published,
        Some(Utc.with_ymd_and_hms(2024, 5, 10, 11, 0, 0).unwrap())
    );
    assert_eq!(e.authors, vec!["مریم".to_string()]);
    assert_eq!(
        e.categories,
        vec!["تحریم".to_string(), "اقتصاد".to_string()]
    );
    assert_eq!(e.language.as_deref(), Some("fa"));
    assert_eq!(f.entries[1].url, "https://json.example/posts/2");
}

#[test]
fn plain_sitemap() {
    let r = parse_feed_report(&fixture("sitemap.xml"), "https://site.example/sitemap.xml").unwrap();
    let f = r.feed;
    assert_eq!(f.kind, FeedKind::Sitemap);
    let urls: Vec<&str> = f.entries.iter().map(|e| e.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://site.example/news/1",
            "https://site.example/news/2",
            "https://site.example/news/3"
        ]
    );
    assert_eq!(r.dropped_entries, 2, "ftp loc and missing loc");
    assert_eq!(
        f.entries[0].updated,
        Some(Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(
        f.entries[1].updated,
        Some(Utc.with_ymd_and_hms(2024, 6, 2, 7, 0, 0).unwrap())
    );
    assert_eq!(
        f.entries[1].image.as_deref(),
        Some("https://site.example/i/2.jpg")
    );
}

#[test]
fn sitemap_index_lists_children() {
    let f = parse_feed(
        &fixture("sitemap-index.xml"),
        "https://site.example/sitemap.xml",
    )
    .unwrap();
    assert_eq!(f.kind, FeedKind::SitemapIndex);
    assert!(f.entries.is_empty());
    assert_eq!(
        f.child_sitemaps,
        [
            "https://site.example/sitemap-news.xml",
            "https://site.example/sitemap-2024-06.xml"
        ]
    );
}

#[test]
fn google_news_sitemap() {
    let f = parse_feed(
        &fixture("news-sitemap.xml"),
        "https://www.news.example/news.xml",
    )
    .unwrap();
    assert_eq!(f.kind, FeedKind::GoogleNewsSitemap);
    assert_eq!(f.title.as_deref(), Some("نیوز فارسی"));
    assert_eq!(f.entries.len(), 2);
    let a = &f.entries[0];
    assert_eq!(
        a.title.as_deref(),
        Some("گفت\u{200C}وگوهای هسته\u{200C}ای & تحریم\u{200C}ها")
    );
    assert_eq!(a.language.as_deref(), Some("fa"));
    assert_eq!(
        a.published,
        Some(Utc.with_ymd_and_hms(2024, 6, 5, 5, 45, 0).unwrap())
    );
    assert_eq!(
        a.categories,
        vec!["ایران".to_string(), "هسته\u{200C}ای".to_string()]
    );
    let b = &f.entries[1];
    assert_eq!(b.title.as_deref(), Some("Oil exports"));
    assert_eq!(b.language.as_deref(), Some("en"));
    assert_eq!(
        b.published,
        Some(Utc.with_ymd_and_hms(2024, 6, 5, 0, 0, 0).unwrap())
    );
    assert_eq!(
        b.updated,
        Some(Utc.with_ymd_and_hms(2024, 6, 5, 10, 0, 0).unwrap())
    );
}

#[test]
fn windows_1256_rss_decodes() {
    let f = parse_feed(&fixture("windows-1256.xml"), "http://cp1256.example/rss").unwrap();
    assert_eq!(f.title.as_deref(), Some("خبرگزاري نمونه"));
    let e = &f.entries[0];
    assert_eq!(e.title.as_deref(), Some("سفر وزير امور خارجه به مسکو"));
    assert_eq!(e.summary.as_deref(), Some("وزير گفت: «مذاکرات ادامه دارد»"));
    assert_eq!(
        e.published,
        Some(Utc.with_ymd_and_hms(2024, 6, 4, 6, 30, 0).unwrap())
    );
}

#[test]
fn broken_documents_give_clear_errors() {
    let base = "https://broken.example/feed";
    // Cut short: the items before the cut are kept, the damage recorded.
    let trunc = parse_feed_report(&fixture("truncated.xml"), base).unwrap();
    assert_eq!(trunc.feed.entries.len(), 4);
    assert_eq!(trunc.damage.len(), 1);
    assert!(trunc.damage[0].contains("truncated"), "{:?}", trunc.damage);
    assert!(
        trunc.damage[0].contains("the 4 items before the cut were kept"),
        "{:?}",
        trunc.damage
    );

    let html = parse_feed(&fixture("html-page.xml"), base).unwrap_err();
    assert_eq!(html.to_string(), "not a feed: looks like HTML");

    let empty = parse_feed(&fixture("empty.xml"), base).unwrap_err();
    assert_eq!(empty.to_string(), "empty document");
    assert_eq!(parse_feed(b" \n\t ", base).unwrap_err(), FeedError::Empty);

    let bin = parse_feed(&fixture("binary.bin"), base).unwrap_err();
    assert!(bin.to_string().starts_with("not a feed"), "{bin}");
}

#[test]
fn malformed_xml_names_the_line() {
    let doc = b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<item><title>a</titel></item>\n</channel>\n</rss>\n";
    let err = parse_feed(doc, "https://x.example/").unwrap_err();
    match &err {
        FeedError::Xml { line, .. } => assert_eq!(*line, 4, "{err}"),
        other => panic!("expected XML error, got {other:?}"),
    }
}

#[test]
fn other_xml_and_json_are_not_feeds() {
    let e = parse_feed(
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        "https://x.example/",
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "not a feed: XML with root element <svg>");
    let e = parse_feed(br#"{"error": "rate limited"}"#, "https://x.example/").unwrap_err();
    assert!(
        e.to_string().starts_with("not a feed") || e.to_string().starts_with("JSON error"),
        "{e}"
    );
    let e = parse_feed(b"Service Unavailable", "https://x.example/").unwrap_err();
    assert!(e.to_string().starts_with("not a feed"), "{e}");
}

#[test]
fn rss_without_or_with_odd_version_still_parses() {
    for tag in [
        "<rss>",
        "<rss version=\"0.94\">",
        "<rss version='2.01' xmlns:dc='http://purl.org/dc/elements/1.1/'>",
    ] {
        let doc = format!(
            "{tag}<channel><title>t</title><item><title>x</title><link>https://a.example/1</link></item></channel></rss>"
        );
        let f = parse_feed(doc.as_bytes(), "https://a.example/rss")
            .unwrap_or_else(|e| panic!("{tag}: {e}"));
        assert_eq!(f.entries.len(), 1, "{tag}");
    }
}

#[test]
fn gzipped_sitemap_is_inflated() {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&fixture("news-sitemap.xml")).unwrap();
    let gz = enc.finish().unwrap();
    let f = parse_feed(&gz, "https://www.news.example/news.xml.gz").unwrap();
    assert_eq!(f.kind, FeedKind::GoogleNewsSitemap);
    assert_eq!(f.entries.len(), 2);
}

#[test]
fn text_sitemap() {
    let f = parse_feed(
        b"https://t.example/a\nhttps://t.example/b\n",
        "https://t.example/sitemap.txt",
    )
    .unwrap();
    assert_eq!(f.kind, FeedKind::Sitemap);
    assert_eq!(f.entries.len(), 2);
}

#[test]
fn almost_xml_is_repaired() {
    let php_warning = "<br />\n<b>Warning</b>: Undefined index in /var/www/feed.php on line 3<br />\n<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><item><title>x</title><link>https://a.example/1</link></item></channel></rss>";
    let f = parse_feed(php_warning.as_bytes(), "https://a.example/feed").unwrap();
    assert_eq!(f.entries.len(), 1);

    let bare_amp = "<rss version=\"2.0\"><channel><title>t</title><item><title>AT&T & co</title><link>https://a.example/1?a=1&b=2</link><description><![CDATA[R&D]]></description></item></channel></rss>";
    let f = parse_feed(bare_amp.as_bytes(), "https://a.example/feed").unwrap();
    let e = &f.entries[0];
    assert_eq!(e.title.as_deref(), Some("AT&T & co"));
    assert_eq!(e.url, "https://a.example/1?a=1&b=2");
    assert_eq!(e.summary.as_deref(), Some("R&D"));
}

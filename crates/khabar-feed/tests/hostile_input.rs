//! Whatever a server sends, the parser answers with a result or an error.

use khabar_feed::{canonicalize_url, opml::parse_opml, parse_feed};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_feed(&bytes, "https://x.example/feed");
        let _ = parse_opml(&bytes);
    }

    #[test]
    fn feed_shaped_noise_never_panics(body in "[<>/a-z =\"'&;#0-9{}\\[\\]:,.\n]{0,400}") {
        for prefix in ["<rss version=\"2.0\"><channel>", "<feed xmlns=\"http://www.w3.org/2005/Atom\">", "<urlset>", "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[", "<rdf:RDF>"] {
            let doc = format!("{prefix}{body}");
            let _ = parse_feed(doc.as_bytes(), "https://x.example/feed");
        }
    }

    #[test]
    fn arbitrary_urls_never_panic(s in "\\PC{0,200}") {
        let _ = canonicalize_url(&s);
        let _ = canonicalize_url(&format!("https://x.example/{s}"));
    }

    #[test]
    fn canonical_urls_are_fixed_points(path in "[a-zA-Z0-9/%._~-]{0,40}", q in "[a-z_]{1,8}=[a-z0-9%]{0,8}") {
        let url = format!("https://Example.COM/{path}?{q}&utm_source=x#frag");
        if let Ok(c) = canonicalize_url(&url) {
            prop_assert_eq!(canonicalize_url(&c).unwrap(), c.clone());
            prop_assert!(!c.contains("utm_source"));
            prop_assert!(!c.contains('#'));
        }
    }
}

/// An internal DTD that expands to a billion `lol`s (the XML bomb) is
/// refused by the parser's entity-loop guard instead of eating memory; the
/// error names the line.
#[test]
fn an_entity_bomb_is_an_error_not_a_gigabyte() {
    let mut doc = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n");
    let mut prev = "lol".to_string();
    for i in 1..10 {
        doc.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
        prev = format!("lol{i}");
    }
    doc.push_str("]>\n<rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>");
    let err = parse_feed(doc.as_bytes(), "https://bomb.example/rss").unwrap_err();
    assert!(err.to_string().starts_with("XML error at line"), "{err}");
}

/// Inline markup 20,000 elements deep, closed or never closed: a feed or
/// an error, never a stack overflow.
#[test]
fn deep_nesting_does_not_overflow() {
    let item = |inner: String| {
        format!(
            "<rss version=\"2.0\"><channel><title>t</title><item><title>a</title>\
             <link>https://deep.example/a</link><description>{inner}</description></item></channel></rss>"
        )
    };
    let closed = item(format!(
        "{}deep{}",
        "<b>".repeat(20_000),
        "</b>".repeat(20_000)
    ));
    if let Ok(feed) = parse_feed(closed.as_bytes(), "https://deep.example/rss") {
        assert_eq!(feed.entries[0].summary.as_deref(), Some("deep"));
    }
    let open = item("<b>".repeat(20_000));
    let _ = parse_feed(open.as_bytes(), "https://deep.example/rss");
}

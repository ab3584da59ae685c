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

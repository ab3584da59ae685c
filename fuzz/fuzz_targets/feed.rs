//! Feed bodies as a server might send them: RSS, Atom, JSON Feed, sitemaps
//! and OPML all go through the same entry points the poller uses.
#![no_main]

use khabar_feed::{opml::parse_opml, parse_feed_report};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_feed_report(data, "https://news.example/feed");
    let _ = parse_opml(data);
});

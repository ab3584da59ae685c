//! Page bytes as a server might send them, under each kind of header the
//! fetcher passes on: none, a UTF-8 declaration, a windows-1256 one (common
//! and often wrong on Persian sites), and a non-HTML type.
#![no_main]

use khabar_extract::ArticleExtractor;
use libfuzzer_sys::fuzz_target;

const CONTENT_TYPES: [Option<&str>; 4] = [
    None,
    Some("text/html; charset=utf-8"),
    Some("text/html; charset=windows-1256"),
    Some("application/octet-stream"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, page)) = data.split_first() else {
        return;
    };
    let content_type = CONTENT_TYPES[usize::from(selector) % CONTENT_TYPES.len()];
    let url = if selector & 0x80 == 0 {
        Some("https://news.example/1402/09/12/story")
    } else {
        None
    };
    let _ = ArticleExtractor::default().extract(page, url, content_type);
});

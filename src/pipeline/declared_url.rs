//! The article's own address, as its page declares it.
//!
//! Feeds link through redirectors and add campaign tags; the page itself
//! usually names its canonical address (`<link rel=canonical>`, `og:url`).
//! That address is what a reader should be sent to as the original, but a
//! page may declare anything, so it is taken only when it is plainly the
//! same article on the same site: an http(s) address on the page's own site
//! (the same host, or one a subdomain of the other, as `www.` and `m.`
//! variants are), and not the site's home page (a common template mistake
//! that would send every reader to the front page).

use url::Url;

/// The page's declared canonical address, cleaned of tracking tags, when it
/// can be trusted as the article's own; `None` otherwise.
pub(crate) fn declared_url(declared: Option<&str>, page_urls: &[&str]) -> Option<String> {
    let declared = Url::parse(declared?.trim()).ok()?;
    if !matches!(declared.scheme(), "http" | "https") {
        return None;
    }
    let host = declared
        .host_str()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if declared.path().trim_matches('/').is_empty() && declared.query().is_none() {
        return None;
    }
    let same_site = page_urls
        .iter()
        .filter_map(|u| Url::parse(u).ok())
        .any(|u| {
            u.host_str()
                .map(|h| same_site(&host, &h.trim_end_matches('.').to_ascii_lowercase()))
                .unwrap_or(false)
        });
    if !same_site {
        return None;
    }
    let mut declared = declared;
    declared.set_fragment(None);
    Some(khabar_text::strip_tracking(declared.as_str()).into_owned())
}

/// The same registrable domain by the Public Suffix List (`www.x.com`,
/// `feeds.x.com`, `m.x.com`, `x.com` are one site; `a.co.uk` and `b.co.uk`
/// are two). A host the list cannot place is only the same as itself.
fn same_site(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (psl::domain_str(a), psl::domain_str(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_site_canonical_is_taken_and_cleaned() {
        assert_eq!(
            declared_url(
                Some("https://www.news.example/world/iran-talks-123?utm_source=x#top"),
                &["https://feeds.news.example/r/abc?utm_medium=rss"],
            )
            .as_deref(),
            Some("https://www.news.example/world/iran-talks-123")
        );
    }

    #[test]
    fn another_site_or_the_home_page_is_refused() {
        let page = ["https://news.example/world/iran-talks"];
        assert_eq!(
            declared_url(Some("https://elsewhere.example/x/y"), &page),
            None
        );
        assert_eq!(declared_url(Some("https://news.example/"), &page), None);
        assert_eq!(declared_url(Some("https://news.example"), &page), None);
        assert_eq!(declared_url(Some("javascript:alert(1)"), &page), None);
        assert_eq!(declared_url(Some("not a url"), &page), None);
        assert_eq!(declared_url(None, &page), None);
        // A look-alike host that merely ends with the same letters.
        assert_eq!(
            declared_url(Some("https://fakenews.example/world/a"), &page),
            None
        );
        // Two sites under one public suffix are two sites.
        assert_eq!(
            declared_url(
                Some("https://evil.co.uk/world/a"),
                &["https://news.co.uk/world/a"]
            ),
            None
        );
    }

    #[test]
    fn any_of_the_page_addresses_vouches_for_it() {
        assert!(
            declared_url(
                Some("https://m.news.example/a/1"),
                &["https://redirect.example/x", "https://news.example/a/1"],
            )
            .is_some()
        );
    }
}

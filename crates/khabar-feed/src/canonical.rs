//! One spelling per article URL, so the same story reached through a
//! newsletter link, a tweet and the feed is stored once.

use url::Url;

use crate::UrlError;

/// Canonical form of an article URL:
/// http(s) only; host lowercased without a trailing dot; default port,
/// fragment and tracking parameters removed; remaining query parameters
/// sorted; percent-escapes of unreserved characters decoded and the rest
/// upper-cased. Paths are kept as they are (`/index.html` and `/` can be
/// different pages).
///
/// `ref` is removed only when its value has no digit (`ref=twitter`,
/// `ref=newsletter`): a numeric `ref` can be an identifier the page needs.
pub fn canonicalize_url(url: &str) -> Result<String, UrlError> {
    let trimmed = url.trim();
    let mut parsed = Url::parse(trimmed).map_err(|e| UrlError::Invalid {
        url: trimmed.to_string(),
        cause: e.to_string(),
    })?;
    match parsed.scheme() {
        "http" | "https" => {}
        other => {
            return Err(UrlError::UnsupportedScheme {
                url: trimmed.to_string(),
                scheme: other.to_string(),
            });
        }
    }
    let host = match parsed.host_str() {
        Some(h) if !h.is_empty() => h.to_ascii_lowercase(),
        _ => {
            return Err(UrlError::NoHost {
                url: trimmed.to_string(),
            });
        }
    };
    let host = host.trim_end_matches('.');
    if host != parsed.host_str().unwrap_or_default() && !host.is_empty() {
        parsed.set_host(Some(host)).map_err(|e| UrlError::Invalid {
            url: trimmed.to_string(),
            cause: e.to_string(),
        })?;
    }
    parsed.set_fragment(None);
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);

    let path = normalize_percent(parsed.path());
    parsed.set_path(&path);

    let query = parsed.query().map(clean_query);
    match query {
        Some(q) if !q.is_empty() => parsed.set_query(Some(&q)),
        _ => parsed.set_query(None),
    }
    Ok(parsed.into())
}

fn clean_query(query: &str) -> String {
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| !is_tracking(p))
        .map(normalize_percent)
        .collect();
    pairs.sort();
    pairs.dedup();
    pairs.join("&")
}

/// One `key=value` pair is a tracking tag by khabar's one list
/// ([`khabar_text::is_tracking_param`]), the same list the site uses for
/// the links it shows.
fn is_tracking(pair: &str) -> bool {
    let (raw_key, value) = pair.split_once('=').unwrap_or((pair, ""));
    khabar_text::is_tracking_param(
        &khabar_text::decode_component(raw_key),
        &khabar_text::decode_component(value),
    )
}

/// RFC 3986 §6.2.2: decode escapes of unreserved characters, upper-case
/// the hex digits of the rest.
fn normalize_percent(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            let v = h * 16 + l;
            if v.is_ascii_alphanumeric() || matches!(v, b'-' | b'.' | b'_' | b'~') {
                out.push(v as char);
            } else {
                out.push('%');
                out.push(b[i + 1].to_ascii_uppercase() as char);
                out.push(b[i + 2].to_ascii_uppercase() as char);
            }
            i += 3;
            continue;
        }
        // A stray `%` is escaped itself, else decoding a following escape
        // could make a new one and a second pass would change the URL.
        if b[i] == b'%' {
            out.push_str("%25");
            i += 1;
            continue;
        }
        // Non-escape bytes: copy the whole UTF-8 character.
        let ch_len = utf8_len(b[i]);
        let end = (i + ch_len).min(b.len());
        out.push_str(s.get(i..end).unwrap_or(""));
        i = end;
    }
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        _ => 1,
    }
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Resolves a possibly relative link against the document URL and keeps it
/// only if it is http(s) with a host. Feeds write bare paths, protocol-
/// relative links and stray whitespace; all of those are fixable here.
pub(crate) fn resolve_http(link: &str, base: Option<&Url>) -> Option<String> {
    let link = link.trim();
    if link.is_empty() {
        return None;
    }
    let url = match base {
        Some(b) => b.join(link).ok()?,
        None => Url::parse(link).ok()?,
    };
    (matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()))
        .then(|| url.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tracking_sorts_and_drops_fragment() {
        assert_eq!(
            canonicalize_url("HTTPS://WWW.BBC.co.uk:443/persian/iran-123?utm_source=tw&b=2&at_medium=RSS&a=1&fbclid=x#top").unwrap(),
            "https://www.bbc.co.uk/persian/iran-123?a=1&b=2"
        );
        assert_eq!(
            canonicalize_url("http://example.com:80/a?").unwrap(),
            "http://example.com/a"
        );
        assert_eq!(
            canonicalize_url("http://example.com/a?gclid=1&_ga=2&mc_cid=3&mc_eid=4&ocid=5&cmpid=6")
                .unwrap(),
            "http://example.com/a"
        );
    }

    #[test]
    fn ref_is_stripped_conservatively() {
        assert_eq!(
            canonicalize_url("https://x.org/p?ref=twitter").unwrap(),
            "https://x.org/p"
        );
        assert_eq!(
            canonicalize_url("https://x.org/p?ref=12345").unwrap(),
            "https://x.org/p?ref=12345"
        );
        assert_eq!(
            canonicalize_url("https://x.org/p?ref_src=twsrc%5Etfw").unwrap(),
            "https://x.org/p"
        );
    }

    #[test]
    fn keeps_paths_and_normalises_escapes() {
        assert_eq!(
            canonicalize_url("https://x.org/news/index.html").unwrap(),
            "https://x.org/news/index.html"
        );
        assert_eq!(
            canonicalize_url("https://x.org/%7euser/a%2fb").unwrap(),
            "https://x.org/~user/a%2Fb"
        );
        // Persian paths end up percent-encoded the same way whichever spelling came in.
        let raw = canonicalize_url("https://www.bbc.com/persian/ایران").unwrap();
        let enc =
            canonicalize_url("https://www.bbc.com/persian/%d8%a7%db%8c%d8%b1%d8%a7%d9%86").unwrap();
        assert_eq!(raw, enc);
    }

    #[test]
    fn rejects_non_http() {
        assert!(matches!(
            canonicalize_url("ftp://x.org/a"),
            Err(UrlError::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            canonicalize_url("mailto:a@b.c"),
            Err(UrlError::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            canonicalize_url("not a url"),
            Err(UrlError::Invalid { .. })
        ));
        assert!(matches!(
            canonicalize_url("javascript:alert(1)"),
            Err(UrlError::UnsupportedScheme { .. })
        ));
    }

    #[test]
    fn resolves_relative_links() {
        let base = Url::parse("https://news.example/feeds/rss.xml").ok();
        assert_eq!(
            resolve_http("/a/1", base.as_ref()).as_deref(),
            Some("https://news.example/a/1")
        );
        assert_eq!(
            resolve_http("//cdn.example/x", base.as_ref()).as_deref(),
            Some("https://cdn.example/x")
        );
        assert_eq!(
            resolve_http(" b.html ", base.as_ref()).as_deref(),
            Some("https://news.example/feeds/b.html")
        );
        assert_eq!(resolve_http("mailto:x@y", base.as_ref()), None);
        assert_eq!(resolve_http("", base.as_ref()), None);
    }
}

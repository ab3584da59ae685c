//! Tracking parameters: which query parameters only say where a click came
//! from, and links shown without them.
//!
//! The list is data (`data/tracking-params.txt`), kept in step with the
//! public lists maintained for this purpose, so adding a family is a
//! reviewed one-line change rather than code. The same rules serve the
//! canonical URL that articles are keyed by (`khabar-feed`) and every link
//! the site shows, so a link is never clean in one place and tagged in the
//! other.

use std::borrow::Cow;
use std::sync::OnceLock;

const LIST: &str = include_str!("../data/tracking-params.txt");

/// The parsed list: exact keys, key prefixes, and keys that are tracking
/// only when their value has no digit. Keys are lower-case.
#[derive(Debug, Default)]
struct Rules {
    exact: Vec<String>,
    prefixes: Vec<String>,
    non_numeric: Vec<String>,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| parse_rules(LIST))
}

fn parse_rules(text: &str) -> Rules {
    let mut r = Rules::default();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let key = line.to_ascii_lowercase();
        if let Some(p) = key.strip_suffix('*') {
            r.prefixes.push(p.to_string());
        } else if let Some(k) = key.strip_suffix('?') {
            r.non_numeric.push(k.to_string());
        } else {
            r.exact.push(key);
        }
    }
    r
}

/// Whether a query parameter (its decoded name and value) is a tracking tag.
pub fn is_tracking_param(key: &str, value: &str) -> bool {
    let key = key.trim().to_ascii_lowercase();
    let r = rules();
    r.exact.contains(&key)
        || r.prefixes.iter().any(|p| key.starts_with(p.as_str()))
        || (r.non_numeric.contains(&key) && !value.bytes().any(|b| b.is_ascii_digit()))
}

/// `url` with its tracking parameters removed and everything else as it was:
/// the order of the other parameters, their escapes and the fragment are
/// kept, so the link still opens the same page. A URL without tracking
/// parameters is returned as it is, without allocating.
pub fn strip_tracking(url: &str) -> Cow<'_, str> {
    let (before_fragment, fragment) = match url.find('#') {
        Some(i) => (&url[..i], Some(&url[i..])),
        None => (url, None),
    };
    let Some(q) = before_fragment.find('?') else {
        return Cow::Borrowed(url);
    };
    let (base, query) = (&before_fragment[..q], &before_fragment[q + 1..]);
    let pair_is_tracking = |pair: &str| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        is_tracking_param(&decode_component(k), &decode_component(v))
    };
    if !query.split('&').any(pair_is_tracking) {
        return Cow::Borrowed(url);
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !pair_is_tracking(p))
        .collect();
    let mut out = String::with_capacity(url.len());
    out.push_str(base);
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(f) = fragment {
        out.push_str(f);
    }
    Cow::Owned(out)
}

/// A query component as text: `+` is a space and `%XX` escapes are decoded
/// (invalid UTF-8 replaced), enough to compare a name with the list.
pub fn decode_component(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_parses_into_each_kind_of_rule() {
        let r = parse_rules(LIST);
        assert!(r.exact.iter().any(|k| k == "fbclid"));
        assert!(r.prefixes.iter().any(|p| p == "utm_"));
        assert_eq!(r.non_numeric, vec!["ref".to_string()]);
        // Every rule is lower-case, or a mixed-case key could never match.
        for k in r.exact.iter().chain(&r.prefixes).chain(&r.non_numeric) {
            assert_eq!(*k, k.to_ascii_lowercase());
        }
    }

    #[test]
    fn tracking_tags_go_and_everything_else_stays_in_order() {
        assert_eq!(
            strip_tracking("https://n.example/a?id=7&utm_source=rss&b=2&fbclid=XyZ#p3"),
            "https://n.example/a?id=7&b=2#p3"
        );
        assert_eq!(
            strip_tracking("https://n.example/a?UTM_Medium=x&gclid=1"),
            "https://n.example/a"
        );
        // Escaped names are recognised.
        assert_eq!(
            strip_tracking("https://n.example/a?utm%5Fsource=x&z=%20"),
            "https://n.example/a?z=%20"
        );
    }

    #[test]
    fn a_clean_url_is_borrowed_unchanged() {
        for u in [
            "https://n.example/a?id=7&page=2",
            "https://n.example/story#utm_source=not-a-query",
            "https://n.example/",
        ] {
            assert!(matches!(strip_tracking(u), Cow::Borrowed(s) if s == u));
        }
    }

    #[test]
    fn a_numeric_ref_is_kept_a_named_one_is_not() {
        assert_eq!(
            strip_tracking("https://n.example/a?ref=1234"),
            "https://n.example/a?ref=1234"
        );
        assert_eq!(
            strip_tracking("https://n.example/a?ref=twitter"),
            "https://n.example/a"
        );
    }

    #[test]
    fn decoding_never_panics_on_stray_percent_signs() {
        assert_eq!(decode_component("a%"), "a%");
        assert_eq!(decode_component("a%2"), "a%2");
        assert_eq!(decode_component("%41%zz+b"), "A%zz b");
    }
}

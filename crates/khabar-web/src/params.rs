//! Lenient parsing of query parameters: a malformed value is ignored rather
//! than answered with an error, since links get mangled in the wild.

use chrono::NaiveDate;
use serde::Deserialize;

/// Query parameters shared by lists and searches. All strings, parsed by the
/// accessors below so garbage never becomes a 400.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    pub page: Option<String>,
    pub lang: Option<String>,
    pub q: Option<String>,
    pub source: Option<String>,
    pub tag: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
    pub per_page: Option<String>,
    /// A coverage view's name (`state-only`, …); see [`khabar_model::CoverageView`].
    pub coverage: Option<String>,
}

impl ListParams {
    /// 1-based page number, at most 10 000.
    pub fn page(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.trim().parse::<i64>().ok())
            .unwrap_or(1)
            .clamp(1, 10_000)
    }

    pub fn lang(&self) -> Option<String> {
        clean_lang(self.lang.as_deref())
    }

    pub fn q(&self) -> String {
        self.q
            .as_deref()
            .unwrap_or("")
            .trim()
            .chars()
            .take(200)
            .collect()
    }

    pub fn source(&self) -> Option<String> {
        clean_slug(self.source.as_deref())
    }

    pub fn tag(&self) -> Option<String> {
        clean_slug(self.tag.as_deref())
    }

    pub fn from(&self) -> Option<NaiveDate> {
        parse_date(self.from.as_deref())
    }

    pub fn to(&self) -> Option<NaiveDate> {
        parse_date(self.to.as_deref())
    }

    /// The coverage view asked for; an unknown name is ignored like any
    /// other garbage parameter.
    pub fn coverage(&self) -> Option<khabar_model::CoverageView> {
        self.coverage
            .as_deref()
            .and_then(|c| khabar_model::CoverageView::parse(c.trim()).ok())
    }

    pub fn sort_by_date(&self) -> bool {
        self.sort.as_deref() == Some("date")
    }

    pub fn per_page(&self, default: i64) -> i64 {
        self.per_page
            .as_deref()
            .and_then(|p| p.trim().parse::<i64>().ok())
            .unwrap_or(default)
            .clamp(1, 100)
    }
}

/// A language code: 2–3 ASCII letters with an optional region (`fa`, `fa-IR`).
pub fn clean_lang(l: Option<&str>) -> Option<String> {
    let l = l?.trim();
    let (primary, rest) = l.split_once('-').unwrap_or((l, ""));
    let ok = (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && rest.len() <= 8
        && rest.bytes().all(|b| b.is_ascii_alphanumeric());
    ok.then(|| l.to_ascii_lowercase())
}

/// Source slugs and tags: letters, digits, `-` and `_`, at most 100 characters.
pub fn clean_slug(s: Option<&str>) -> Option<String> {
    let s = s?.trim();
    let ok = !s.is_empty()
        && s.chars().count() <= 100
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    ok.then(|| s.to_string())
}

pub fn parse_date(s: Option<&str>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s?.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_ignored() {
        let p = ListParams {
            page: Some("-4".into()),
            lang: Some("<x>".into()),
            tag: Some("a b".into()),
            from: Some("2024-13-01".into()),
            ..Default::default()
        };
        assert_eq!(p.page(), 1);
        assert_eq!(p.lang(), None);
        assert_eq!(p.tag(), None);
        assert_eq!(p.from(), None);
        assert_eq!(clean_lang(Some("fa-IR")).as_deref(), Some("fa-ir"));
        assert_eq!(
            clean_slug(Some("هسته‌ای")),
            None,
            "ZWNJ is not a slug character"
        );
        assert_eq!(clean_slug(Some("nuclear")).as_deref(), Some("nuclear"));
    }
}

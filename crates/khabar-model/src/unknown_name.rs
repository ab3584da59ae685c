//! Strict reading of the names khabar stores for its enums.
//!
//! A status, kind or failure class is written by khabar as one of a few
//! fixed words. Reading back a word no version wrote (a hand edit, a newer
//! version's value, a corrupt row) must be an error that names the column's
//! meaning and the word, never a silent default: an unknown story status
//! read as "published" would put a hidden or taken-down story on the site.

/// A stored or configured word that is not one of an enum's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// What the word names, e.g. "story status".
    pub what: &'static str,
    pub value: String,
    /// The names accepted, for the message.
    pub expected: &'static [&'static str],
}

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown {} {:?} (expected one of: {})",
            self.what,
            self.value,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnknownName {}

/// The enum value named `s` among `values`, by their `as_str` names.
pub(crate) fn by_name<T: Copy>(
    s: &str,
    what: &'static str,
    values: &[T],
    names: &'static [&'static str],
    name_of: impl Fn(T) -> &'static str,
) -> Result<T, UnknownName> {
    values
        .iter()
        .copied()
        .find(|v| name_of(*v) == s)
        .ok_or_else(|| UnknownName {
            what,
            value: s.to_string(),
            expected: names,
        })
}

#[cfg(test)]
mod tests {
    use crate::{SourceKind, SourceStatus, StoryStatus};

    #[test]
    fn every_name_reads_back_and_an_unknown_one_is_an_error() {
        for s in StoryStatus::ALL {
            assert_eq!(StoryStatus::parse(s.as_str()), Ok(s));
        }
        for k in [SourceKind::Feed, SourceKind::Sitemap] {
            assert_eq!(SourceKind::parse(k.as_str()), Ok(k));
        }
        for s in [
            SourceStatus::New,
            SourceStatus::Ok,
            SourceStatus::NotModified,
            SourceStatus::Failing,
        ] {
            assert_eq!(SourceStatus::parse(s.as_str()), Ok(s));
        }
        // The old reading turned any unknown word into "published".
        let e = StoryStatus::parse("publishd").unwrap_err();
        assert_eq!(e.what, "story status");
        assert!(e.to_string().contains("\"publishd\""));
        assert!(e.to_string().contains("taken_down"));
        assert!(SourceKind::parse("Feed").is_err(), "names are exact");
        assert!(SourceStatus::parse("").is_err());
    }
}

//! Correction notices: how a story says it was corrected.
//!
//! A revised report is news to its readers, and a correction more so than
//! a routine update: the timeline of a story names it. The notices are the
//! newsroom conventions of `data/correction-notices.txt` (English and
//! Persian), matched on folded text so that letter forms and case do not
//! matter.

use std::sync::OnceLock;

const LIST: &str = include_str!("../data/correction-notices.txt");

struct Notices {
    /// Notices that open a paragraph.
    leading: Vec<String>,
    /// Notices anywhere in a paragraph.
    anywhere: Vec<String>,
}

fn notices() -> &'static Notices {
    static N: OnceLock<Notices> = OnceLock::new();
    N.get_or_init(|| {
        let mut n = Notices {
            leading: Vec::new(),
            anywhere: Vec::new(),
        };
        for line in LIST.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.strip_prefix('~') {
                Some(rest) => n.anywhere.push(crate::fold(rest)),
                None => n.leading.push(crate::fold(line)),
            }
        }
        n
    })
}

/// The first paragraph of `text` (paragraphs split at line breaks) that is
/// a correction notice, as written.
pub fn correction_notice(text: &str) -> Option<&str> {
    let n = notices();
    text.lines().map(str::trim).find(|p| {
        if p.is_empty() {
            return false;
        }
        let folded = crate::fold(p);
        n.leading.iter().any(|m| folded.starts_with(m.as_str()))
            || n.anywhere.iter().any(|m| folded.contains(m.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::correction_notice;

    #[test]
    fn wire_and_newspaper_notices_are_found() {
        let t = "Iran said on Monday it would resume talks.\n\
                 (Corrects day of the announcement in first paragraph to Monday, not Tuesday)";
        assert_eq!(
            correction_notice(t),
            Some("(Corrects day of the announcement in first paragraph to Monday, not Tuesday)")
        );
        let t = "Body.\nAn earlier version of this article misstated the minister's name.";
        assert!(correction_notice(t).is_some());
        assert!(correction_notice("CORRECTED-Iran oil exports rise").is_some());
    }

    #[test]
    fn persian_notices_are_found_whatever_the_letter_forms() {
        // Arabic kaf and yeh, as some outlets type them.
        let t = "متن خبر.\nاصلاحيه: نام وزير در نسخه پيشين اين خبر نادرست آمده بود.";
        assert!(correction_notice(t).is_some());
    }

    #[test]
    fn ordinary_text_that_talks_about_corrections_is_not_a_notice() {
        assert_eq!(
            correction_notice("Markets saw a correction after the sanctions news.\nOil fell."),
            None
        );
        assert_eq!(
            correction_notice("The prison's correction officers went on strike."),
            None
        );
        assert_eq!(correction_notice(""), None);
    }
}

//! Whitespace tidying for one-line fields (headlines, bylines, feed titles).

/// Collapses every whitespace run (spaces, tabs, line breaks, NBSP) to one
/// space and trims both ends. ZWNJ is not whitespace and is kept: it is part
/// of Persian spelling. Other control characters are dropped: a page or
/// feed that carries one (often as `&#17;`) never means it as text, and XML
/// feeds cannot carry it.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending = !out.is_empty();
        } else if c.is_control() {
            continue;
        } else {
            if pending {
                out.push(' ');
                pending = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_become_one_space_and_ends_are_trimmed() {
        assert_eq!(
            collapse_whitespace("  a \t\n b\u{00A0}\u{00A0}c  "),
            "a b c"
        );
        assert_eq!(collapse_whitespace(" \n "), "");
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(
            collapse_whitespace("\u{11} بزر\u{2}گ \u{85}x\u{7f} "),
            "بزرگ x"
        );
    }

    #[test]
    fn zwnj_is_kept() {
        assert_eq!(collapse_whitespace("می\u{200C}شود  ها"), "می\u{200C}شود ها");
    }
}

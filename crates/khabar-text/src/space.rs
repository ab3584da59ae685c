//! Whitespace tidying for one-line fields (headlines, bylines, feed titles).

/// Collapses every whitespace run (spaces, tabs, line breaks, NBSP) to one
/// space and trims both ends. ZWNJ is not whitespace and is kept: it is part
/// of Persian spelling.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending = !out.is_empty();
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
    fn zwnj_is_kept() {
        assert_eq!(collapse_whitespace("می\u{200C}شود  ها"), "می\u{200C}شود ها");
    }
}

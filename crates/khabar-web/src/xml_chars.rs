//! Characters XML 1.0 does not allow, even escaped.
//!
//! A story's text comes from other people's pages and feeds, and a JSON
//! Feed or a broken page can carry control characters. One of them in an
//! Atom or RSS document makes the whole document ill-formed, and a strict
//! feed reader then drops every story in it, not just the one. So every
//! XML document the site serves goes through [`xml_1_0`] last.

/// The document without the characters XML 1.0 forbids: C0 controls other
/// than tab, line feed and carriage return, and U+FFFE / U+FFFF. Removing
/// them never breaks markup: the writers put them only into text.
pub fn xml_1_0(doc: String) -> String {
    if doc.chars().all(allowed) {
        return doc;
    }
    doc.chars().filter(|&c| allowed(c)).collect()
}

fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::xml_1_0;

    #[test]
    fn forbidden_characters_go_and_everything_else_stays() {
        let doc = "<t>a\u{2}b\u{0}c\u{1b}\u{FFFF}d\te\nf\r\u{85}خبر</t>".to_string();
        assert_eq!(xml_1_0(doc), "<t>abcd\te\nf\r\u{85}خبر</t>");
        let clean = "<t>پیام ‌ها</t>".to_string();
        assert_eq!(xml_1_0(clean.clone()), clean);
    }
}

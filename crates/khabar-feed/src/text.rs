//! Plain text from the title and summary fields of feeds.
//!
//! Feeds routinely escape HTML twice (`&amp;#8217;`, `&lt;b&gt;`), wrap
//! titles in markup and pad them with newlines. The site shows these as
//! plain text, so we strip tags, decode entities once and tidy whitespace.
//! ZWNJ (U+200C) is not whitespace and survives: Persian words need it.

/// Tags after which a reader sees a break; they become a space rather than
/// gluing neighbouring words together.
const BREAKING_TAGS: &[&str] = &[
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "blockquote",
    "section",
    "article",
    "figure",
    "figcaption",
    "hr",
    "img",
    "header",
    "footer",
];

/// Tags whose content is never text for a reader.
const HIDDEN_TAGS: &[&str] = &["script", "style"];

/// Markup stripped, entities decoded, Windows-1252 code points and
/// doubly decoded UTF-8 repaired, whitespace collapsed; `None` when
/// nothing readable is left.
pub(crate) fn plain_text(raw: &str) -> Option<String> {
    let stripped = strip_tags(raw);
    let decoded = html_escape::decode_html_entities(&stripped);
    let repaired = khabar_text::repair_encoding_accidents(&decoded);
    let tidy = khabar_text::collapse_whitespace(&repaired);
    (!tidy.is_empty()).then_some(tidy)
}

/// True when the string holds HTML elements (not just an escaped `<`).
pub(crate) fn has_markup(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
}

fn strip_tags(s: &str) -> String {
    if !s.contains('<') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !starts_tag {
            out.push('<');
            rest = after;
            continue;
        }
        if let Some(comment) = after.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |i| &comment[i + 3..]);
            continue;
        }
        let Some(gt) = after.find('>') else {
            // Never closed: a literal `<` in text, not a tag.
            out.push('<');
            rest = after;
            continue;
        };
        let tag = &after[..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &after[gt + 1..];
        if HIDDEN_TAGS.contains(&name.as_str()) && !tag.starts_with('/') {
            let close = format!("</{name}");
            rest = find_ascii_ci(rest, &close)
                .and_then(|i| rest[i..].find('>').map(|j| &rest[i + j + 1..]))
                .unwrap_or("");
            continue;
        }
        if BREAKING_TAGS.contains(&name.as_str()) {
            out.push(' ');
        }
    }
    out.push_str(rest);
    out
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.len() > h.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_markup_and_decodes_entities_once() {
        assert_eq!(
            plain_text("<b>Iran&#8217;s</b>\n  talks &amp;amp; <i>sanctions</i>").as_deref(),
            Some("Iran’s talks &amp; sanctions")
        );
        assert_eq!(
            plain_text("<p>one</p><p>two</p>").as_deref(),
            Some("one two")
        );
        assert_eq!(
            plain_text("a < b and c<d").as_deref(),
            Some("a < b and c<d")
        );
        assert_eq!(
            plain_text("x<script>alert(1)</script>y").as_deref(),
            Some("xy")
        );
        assert_eq!(plain_text(" <br/> &nbsp; "), None);
    }

    #[test]
    fn keeps_zwnj() {
        assert_eq!(
            plain_text("  می\u{200C}رود\n").as_deref(),
            Some("می\u{200C}رود")
        );
    }
}

//! Dropping script and style bodies before the page is parsed.
//!
//! On news pages, inline scripts and style sheets are a third to a half of
//! the bytes (56 % over the aeb-dev pages), and tokenising them is the
//! largest single cost of extraction; yet nothing the extractor reads comes
//! from them, except schema.org JSON-LD. So the bodies go before html5ever
//! sees the page: `<script …>…</script>` becomes `<script …></script>`.
//!
//! The scan follows the HTML tokenizer only as far as it must to find real
//! tags: it steps over comments, over attribute values (a quoted `<script>`
//! is not a tag), and over the bodies of the other raw-text elements
//! (`title`, `textarea`, `noscript`, …), whose text may mention `<script`.
//! When anything is unclear (a script that never closes, a legacy
//! `<!--` inside a script, which changes where the tokenizer ends it) the
//! page is left as it is from there on: keeping bytes is always safe.

use std::borrow::Cow;

/// Elements whose body is text up to their end tag, never markup.
const RAW_TEXT: [&str; 8] = [
    "title", "textarea", "noscript", "xmp", "iframe", "noembed", "noframes", "template",
];

/// How far into a script body a schema.org marker is looked for.
const SCHEMA_PROBE: usize = 200;

/// The page without the bodies of its scripts (JSON-LD kept) and styles.
pub fn strip_inert(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `html` already handled in `out`
    let mut i = 0;
    while let Some(lt) = find_byte(b, i, b'<') {
        let rest = &b[lt..];
        if rest.starts_with(b"<!--") {
            match comment_end(b, lt + 4) {
                Some(end) => i = end,
                None => break,
            }
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") || rest.starts_with(b"</") {
            match find_byte(b, lt + 2, b'>') {
                Some(gt) => i = gt + 1,
                None => break,
            }
            continue;
        }
        if !rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let name_end = lt
            + 1
            + rest[1..]
                .iter()
                .position(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
                .unwrap_or(rest.len() - 1);
        let Some(tag_end) = start_tag_end(b, name_end) else {
            break;
        };
        let name = &html[lt + 1..name_end];
        let body_start = tag_end + 1;
        let is_script = name.eq_ignore_ascii_case("script");
        if is_script || name.eq_ignore_ascii_case("style") {
            let Some(close) = find_end_tag(b, body_start, name) else {
                break;
            };
            let body = &html[body_start..close];
            if is_script && body.contains("<!--") {
                // Script-data escape states: the tokenizer may end this
                // script later than the first `</script`.
                break;
            }
            let keep = is_script && is_structured_data(&html[lt..tag_end], body);
            if !keep && !body.is_empty() {
                let out = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
                out.push_str(&html[copied..body_start]);
                copied = close;
            }
            i = close;
            continue;
        }
        if RAW_TEXT.iter().any(|t| name.eq_ignore_ascii_case(t)) {
            match find_end_tag(b, body_start, name) {
                Some(close) => i = close,
                None => break,
            }
            continue;
        }
        if name.eq_ignore_ascii_case("plaintext") {
            break;
        }
        i = body_start;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// JSON-LD, or an untyped script that carries schema.org data (both are
/// read by the metadata stage).
fn is_structured_data(open_tag: &str, body: &str) -> bool {
    if open_tag.to_ascii_lowercase().contains("ld+json") {
        return true;
    }
    let head = body.trim_start();
    let probe = head.get(..SCHEMA_PROBE.min(head.len())).unwrap_or(head);
    probe.contains("schema.org")
}

fn find_byte(b: &[u8], from: usize, needle: u8) -> Option<usize> {
    memchr::memchr(needle, b.get(from..)?).map(|p| from + p)
}

/// End of a comment whose `<!--` ends at `from`: just past `-->`, or past
/// the `>` of the abrupt forms `<!-->` and `<!--->`.
fn comment_end(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    if rest.starts_with(b">") {
        return Some(from + 1);
    }
    if rest.starts_with(b"->") {
        return Some(from + 2);
    }
    memchr::memmem::find(rest, b"-->").map(|p| from + p + 3)
}

/// The `>` that ends a start tag whose name ends at `from`, stepping over
/// quoted attribute values.
fn start_tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(off) = b.get(i..).and_then(|r| memchr::memchr2(b'>', b'=', r)) {
        i += off;
        match b[i] {
            b'>' => return Some(i),
            _ => {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if let Some(&q) = b.get(i)
                    && (q == b'"' || q == b'\'')
                {
                    i = find_byte(b, i + 1, q)? + 1;
                }
            }
        }
    }
    None
}

/// Start of the first `</name` (any case) followed by a character that ends
/// a tag name, at or after `from`.
fn find_end_tag(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let n = name.len();
    let mut i = from;
    while let Some(off) = b.get(i..).and_then(|r| memchr::memmem::find(r, b"</")) {
        let at = i + off;
        let after = at + 2 + n;
        if b.get(at + 2..after)
            .is_some_and(|t| t.eq_ignore_ascii_case(name.as_bytes()))
            && b.get(after)
                .is_none_or(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
        {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::strip_inert;

    #[test]
    fn script_and_style_bodies_go_and_their_tags_stay() {
        let page = "<head><style>p{color:red}</style><script src=a.js></script>\
                    <script>var a = '<p>not text</p>';</script></head><body><p>Text</p></body>";
        assert_eq!(
            strip_inert(page),
            "<head><style></style><script src=a.js></script><script></script></head><body><p>Text</p></body>"
        );
    }

    #[test]
    fn structured_data_is_kept() {
        let page = "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script>\
                    <script>{\"@context\":\"https://schema.org\",\"@type\":\"Article\"}</script>\
                    <SCRIPT>track()</SCRIPT >";
        assert_eq!(
            strip_inert(page),
            "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</script>\
             <script>{\"@context\":\"https://schema.org\",\"@type\":\"Article\"}</script>\
             <SCRIPT></SCRIPT >"
        );
    }

    #[test]
    fn script_tags_that_are_not_tags_are_left_alone() {
        for page in [
            "<!-- <script> --><p>kept</p><!-- </script> -->",
            "<div title=\"<script>\"><p>kept</p></div><i title='</script>'>x</i>",
            "<title>Why <script> tags</title><p>kept</p><p>a</script>b</p>",
            "<textarea><style>kept</textarea><p>kept</p></style>",
        ] {
            assert_eq!(strip_inert(page), page, "{page}");
        }
    }

    #[test]
    fn unclear_scripts_are_kept_from_there_on() {
        // Never closed, and the legacy comment escape.
        for page in [
            "<p>a</p><script>var x = 1;",
            "<script><!-- document.write('<script>x</script>'); --></script><p>b</p>",
        ] {
            assert_eq!(strip_inert(page), page);
        }
        // What came before an unclear script is still stripped.
        assert_eq!(
            strip_inert("<style>a{}</style><script>x(); <!--"),
            "<style></style><script>x(); <!--"
        );
    }

    #[test]
    fn end_tags_need_a_name_boundary() {
        assert_eq!(
            strip_inert("<script>a('</scripts>')</script><p>t</p>"),
            "<script></script><p>t</p>"
        );
    }

    #[test]
    fn multibyte_text_around_scripts_survives() {
        let page = "<p>خبر ‌فوری</p><script>x='é'</script><p>ادامه</p>";
        assert_eq!(strip_inert(page), "<p>خبر ‌فوری</p><script></script><p>ادامه</p>");
    }
}

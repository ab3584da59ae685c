//! Turning feed bytes into UTF-8 text: khabar-text's charset module
//! decodes (RFC 7303's order: BOM, HTTP charset, XML declaration, UTF-8,
//! a guess; nearly-valid UTF-8 stays UTF-8), and this module settles the
//! XML declarations of the result so every parser downstream (roxmltree,
//! feed-rs) sees one consistent document.

use std::borrow::Cow;

pub(crate) use khabar_text::charset::charset_param;
use khabar_text::charset::{DecodedXml, decode_xml};

/// Decodes `bytes` to text; `http_charset` is the `charset` parameter of
/// the response's `Content-Type`, if it had one.
pub(crate) fn decode_document<'a>(bytes: &'a [u8], http_charset: Option<&str>) -> DecodedXml<'a> {
    let mut d = decode_xml(bytes, http_charset);
    d.text = settle_declarations(d.text);
    d
}

/// Settles the XML declarations of text that is Unicode from here on:
/// - the first one loses an `encoding` that names anything but UTF-8. The
///   text is decoded already, so the name is stale; and quick-xml, under
///   feed-rs, switches decoders on it and panics when the declaration ends
///   past its look-ahead buffer (after a PHP warning printed first, or in a
///   broken one that runs on for a kilobyte). The first one stays even
///   after junk: it is where the repair pass finds the document's start;
/// - every later one goes. XML allows one; a second means two documents
///   were glued together (a feed included in a feed, an error page
///   appended by a proxy), and no parser reads past it.
fn settle_declarations(text: Cow<'_, str>) -> Cow<'_, str> {
    let Some(first) = find_declaration(&text) else {
        return text;
    };
    let first_end = text[first..]
        .find("?>")
        .map_or(text.len(), |e| first + e + 2);
    let stale = foreign_encoding(&text[first..first_end]).map(|r| first + r.start..first + r.end);
    if stale.is_none() && find_declaration(&text[first_end..]).is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    match stale {
        Some(r) => {
            out.push_str(&text[..r.start]);
            out.push_str(&text[r.end..first_end]);
        }
        None => out.push_str(&text[..first_end]),
    }
    let mut rest = &text[first_end..];
    while let Some(at) = find_declaration(rest) {
        out.push_str(&rest[..at]);
        rest = rest[at..].find("?>").map_or("", |e| &rest[at + e + 2..]);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The span of ` encoding="…"` in a declaration, when it names anything but
/// UTF-8 (a malformed one runs to the declaration's end).
fn foreign_encoding(decl: &str) -> Option<std::ops::Range<usize>> {
    let at = decl.find("encoding")?;
    let start = decl[..at].trim_end().len();
    let close = decl.len() - if decl.ends_with("?>") { 2 } else { 0 };
    let b = decl.as_bytes();
    let skip_space = |mut i: usize| {
        while i < close && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let eq = skip_space(at + "encoding".len());
    if eq >= close || b[eq] != b'=' {
        return Some(start..close);
    }
    let open = skip_space(eq + 1);
    let quote = match b.get(open) {
        Some(&q @ (b'"' | b'\'')) if open < close => q as char,
        _ => return Some(start..close),
    };
    let Some(len) = decl[open + 1..close].find(quote) else {
        return Some(start..close);
    };
    let name = decl[open + 1..open + 1 + len].trim().to_ascii_lowercase();
    if name == "utf-8" || name == "utf8" {
        None
    } else {
        Some(start..open + len + 2)
    }
}

/// Start of the first `<?xml ` declaration (not `<?xml-stylesheet`).
fn find_declaration(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find("<?xml").map(|a| from + a) {
        match text.as_bytes().get(at + 5) {
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'?') | None => return Some(at),
            _ => from = at + 5,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_declaration_is_dropped_and_stylesheets_stay() {
        let glued = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?xml-stylesheet href=\"s.xsl\"?>\
                     <rss><channel><title>a</title>\
                     <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><item/></channel></rss>";
        assert_eq!(
            decode_document(glued.as_bytes(), None).text,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?xml-stylesheet href=\"s.xsl\"?>\
             <rss><channel><title>a</title><item/></channel></rss>"
        );
        let unclosed = "<rss/><?xml version='1.0'?><?xml version='1.0' encoding='latin1'";
        assert_eq!(
            decode_document(unclosed.as_bytes(), None).text,
            "<rss/><?xml version='1.0'?>"
        );
    }

    #[test]
    fn a_stale_encoding_leaves_the_opening_declaration() {
        // Declared beyond the 512 bytes the prolog is looked for in, so
        // the bytes were read as UTF-8; the label is stale.
        let long = format!(
            "<?xml version=\"1{}\" encoding=\"ISO-8859-1\"?><rss/>",
            "x".repeat(600)
        );
        assert_eq!(
            decode_document(long.as_bytes(), None).text,
            format!("<?xml version=\"1{}\"?><rss/>", "x".repeat(600))
        );
        let broken = "<?xml version='1.0' encoding=latin1?><rss/>";
        assert_eq!(
            decode_document(broken.as_bytes(), None).text,
            "<?xml version='1.0'?><rss/>"
        );
        let fine = "<?xml version='1.0' encoding='UTF-8'?><rss/>";
        assert!(matches!(
            decode_document(fine.as_bytes(), None).text,
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn utf8_is_borrowed_untouched() {
        let src = "<?xml version='1.0' encoding='UTF-8'?><a>خبر</a>";
        assert!(matches!(
            decode_document(src.as_bytes(), None).text,
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn an_unknown_label_is_damage_and_the_bytes_are_read() {
        let d = decode_document(b"<?xml version=\"1.0\" encoding=\"klingon-7\"?><a/>", None);
        assert_eq!(d.text, "<?xml version=\"1.0\"?><a/>");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.damage.unwrap().contains("klingon-7"));
    }
}

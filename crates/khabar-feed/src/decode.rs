//! Turning feed bytes into UTF-8 text.
//!
//! Persian and Arabic sites still serve feeds in windows-1256 or
//! ISO-8859-6, declared only in the XML prolog. We transcode once, here, and
//! rewrite the prolog to say `utf-8`, so every parser downstream (feed-rs,
//! roxmltree) sees one consistent encoding and no parser can decode twice.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

use crate::FeedError;

/// Decodes `bytes` to text, honouring a BOM, then the XML prolog's
/// `encoding`, then (for undeclared non-UTF-8 bytes) a statistical guess.
pub(crate) fn decode_document(bytes: &[u8]) -> Result<Cow<'_, str>, FeedError> {
    decode_any(bytes).map(settle_declarations)
}

fn decode_any(bytes: &[u8]) -> Result<Cow<'_, str>, FeedError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        return Ok(transcode(enc, body));
    }
    // UTF-16 without a BOM: `<` followed or preceded by a NUL byte.
    if bytes.len() >= 4 {
        if bytes[0] == b'<' && bytes[1] == 0 && bytes[3] == 0 {
            return Ok(transcode(UTF_16LE, bytes));
        }
        if bytes[0] == 0 && bytes[1] == b'<' && bytes[2] == 0 {
            return Ok(transcode(UTF_16BE, bytes));
        }
    }
    match declared_encoding(bytes) {
        Some(label) => {
            let enc = Encoding::for_label(label.as_bytes())
                .ok_or_else(|| FeedError::UnsupportedEncoding(label.clone()))?;
            // A prolog that claims UTF-16 on single-byte data is a lie we
            // cannot honour; trust the bytes instead.
            if enc == UTF_16LE || enc == UTF_16BE {
                return Ok(utf8_or_guess(bytes));
            }
            // Declared UTF-8 with a bad byte (often a download cut inside a
            // character): trust the declaration, replace the bad bytes.
            if enc == UTF_8 {
                return Ok(String::from_utf8_lossy(bytes));
            }
            Ok(transcode(enc, bytes))
        }
        None => Ok(utf8_or_guess(bytes)),
    }
}

fn utf8_or_guess(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
            transcode(enc, bytes)
        }
    }
}

fn transcode<'a>(enc: &'static Encoding, bytes: &'a [u8]) -> Cow<'a, str> {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    if enc == UTF_8 {
        return text;
    }
    Cow::Owned(rewrite_prolog_encoding(&text))
}

/// The `encoding="…"` value of the XML declaration, if the document starts
/// with one. Only ASCII-compatible bytes are inspected.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let start = find(head, b"<?xml")?;
    let end = find(&head[start..], b"?>")? + start;
    let decl = &head[start..end];
    let pos = find(decl, b"encoding")?;
    let rest = &decl[pos + "encoding".len()..];
    let rest = trim_ascii_start(rest).strip_prefix(b"=")?;
    let rest = trim_ascii_start(rest);
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = &rest[1..];
    let close = value.iter().position(|&b| b == quote)?;
    std::str::from_utf8(&value[..close])
        .ok()
        .map(|s| s.trim().to_string())
}

/// Replaces the declared encoding with `utf-8` in already transcoded text.
fn rewrite_prolog_encoding(text: &str) -> String {
    let head_len = text
        .char_indices()
        .nth(512)
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let head = &text[..head_len];
    let Some(start) = head.find("<?xml") else {
        return text.to_string();
    };
    let Some(end_rel) = head[start..].find("?>") else {
        return text.to_string();
    };
    let end = start + end_rel;
    let decl = &text[start..end];
    let Some(enc_pos) = decl.find("encoding") else {
        return text.to_string();
    };
    let after = &decl[enc_pos + "encoding".len()..];
    let Some(q_rel) = after.find(['"', '\'']) else {
        return text.to_string();
    };
    let quote = after.as_bytes()[q_rel] as char;
    let value_start = start + enc_pos + "encoding".len() + q_rel + 1;
    let Some(value_len) = text[value_start..end].find(quote) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..value_start]);
    out.push_str("utf-8");
    out.push_str(&text[value_start + value_len..]);
    out
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

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1256_prolog_is_transcoded_and_rewritten() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256
            .encode("<?xml version=\"1.0\" encoding=\"windows-1256\"?><a>ايران</a>");
        let text = decode_document(&bytes).unwrap();
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>ايران</a>"
        );
    }

    #[test]
    fn a_second_declaration_is_dropped_and_stylesheets_stay() {
        let glued = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?xml-stylesheet href=\"s.xsl\"?>\
                     <rss><channel><title>a</title>\
                     <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><item/></channel></rss>";
        assert_eq!(
            decode_document(glued.as_bytes()).unwrap(),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<?xml-stylesheet href=\"s.xsl\"?>\
             <rss><channel><title>a</title><item/></channel></rss>"
        );
        let unclosed = "<rss/><?xml version='1.0'?><?xml version='1.0' encoding='latin1'";
        assert_eq!(
            decode_document(unclosed.as_bytes()).unwrap(),
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
            decode_document(long.as_bytes()).unwrap(),
            format!("<?xml version=\"1{}\"?><rss/>", "x".repeat(600))
        );
        let broken = "<?xml version='1.0' encoding=latin1?><rss/>";
        assert_eq!(
            decode_document(broken.as_bytes()).unwrap(),
            "<?xml version='1.0'?><rss/>"
        );
        let fine = "<?xml version='1.0' encoding='UTF-8'?><rss/>";
        assert!(matches!(
            decode_document(fine.as_bytes()).unwrap(),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn utf8_is_borrowed_untouched() {
        let src = "<?xml version='1.0' encoding='UTF-8'?><a>خبر</a>";
        assert!(matches!(
            decode_document(src.as_bytes()).unwrap(),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn utf16_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<a>ok</a>".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_document(&bytes).unwrap(), "<a>ok</a>");
    }

    #[test]
    fn unknown_label_is_an_error() {
        let err =
            decode_document(b"<?xml version=\"1.0\" encoding=\"klingon-7\"?><a/>").unwrap_err();
        assert_eq!(err, FeedError::UnsupportedEncoding("klingon-7".into()));
    }
}

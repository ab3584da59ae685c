//! Turning feed bytes into UTF-8 text.
//!
//! Persian and Arabic sites still serve feeds in windows-1256 or
//! ISO-8859-6, declared only in the XML prolog or only in the HTTP header.
//! We transcode once, here, and rewrite the prolog to say `utf-8`, so every
//! parser downstream (roxmltree, feed-rs) sees one consistent encoding and
//! no parser can decode twice.
//!
//! The order is RFC 7303's: a byte order mark, then the `charset` of the
//! HTTP `Content-Type`, then the XML declaration, then UTF-8, then a
//! statistical guess. A label nobody knows is a damaged document, not a
//! lost one: the bytes are read as UTF-8 or guessed.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// A document as text, with the encoding it was read in and what was
/// wrong with its labels.
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// The encoding_rs name of the encoding used (`UTF-32LE`/`UTF-32BE`,
    /// which encoding_rs does not know, are decoded here).
    pub encoding: &'static str,
    pub damage: Option<String>,
}

/// Decodes `bytes` to text; `http_charset` is the `charset` parameter of
/// the response's `Content-Type`, if it had one.
pub(crate) fn decode_document<'a>(bytes: &'a [u8], http_charset: Option<&str>) -> Decoded<'a> {
    let mut d = decode_any(bytes, http_charset);
    d.text = settle_declarations(d.text);
    d
}

/// The `charset` parameter of a `Content-Type` value, unquoted.
pub(crate) fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        (!value.is_empty()).then(|| value.to_string())
    })
}

fn decoded<'a>(text: Cow<'a, str>, enc: &'static Encoding, damage: Option<String>) -> Decoded<'a> {
    Decoded {
        text,
        encoding: enc.name(),
        damage,
    }
}

fn decode_any<'a>(bytes: &'a [u8], http_charset: Option<&str>) -> Decoded<'a> {
    if let Some(d) = utf32(bytes) {
        return d;
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        return decoded(transcode(enc, body), enc, None);
    }
    // UTF-16 without a BOM: `<` followed or preceded by a NUL byte.
    if bytes.len() >= 4 {
        if bytes[0] == b'<' && bytes[1] == 0 && bytes[3] == 0 {
            return decoded(transcode(UTF_16LE, bytes), UTF_16LE, None);
        }
        if bytes[0] == 0 && bytes[1] == b'<' && bytes[2] == 0 {
            return decoded(transcode(UTF_16BE, bytes), UTF_16BE, None);
        }
    }
    let mut damage = None;
    if let Some(label) = http_charset {
        match Encoding::for_label(label.as_bytes()) {
            // A header that claims UTF-16 on bytes with no NUL pattern is
            // wrong; the declaration or the bytes decide instead.
            Some(enc) if enc != UTF_16LE && enc != UTF_16BE => {
                return with_label(bytes, enc, None);
            }
            _ => {
                damage = Some(format!(
                    "the HTTP header names charset {label:?}, which does not fit"
                ))
            }
        }
    }
    match declared_encoding(bytes) {
        Some(label) => match Encoding::for_label(label.as_bytes()) {
            // A prolog that claims UTF-16 on single-byte data is a lie we
            // cannot honour; trust the bytes instead.
            Some(enc) if enc == UTF_16LE || enc == UTF_16BE => {
                let (text, enc) = utf8_or_guess(bytes);
                decoded(
                    text,
                    enc,
                    damage.or(Some(format!("declared as {label} but not UTF-16"))),
                )
            }
            Some(enc) => with_label(bytes, enc, damage),
            None => {
                let (text, enc) = utf8_or_guess(bytes);
                let why = format!(
                    "unknown character encoding {label:?}, read as {}",
                    enc.name()
                );
                decoded(text, enc, damage.or(Some(why)))
            }
        },
        None => {
            let (text, enc) = utf8_or_guess(bytes);
            decoded(text, enc, damage)
        }
    }
}

/// Bytes read in the encoding their label names. Declared UTF-8 with a bad
/// byte (often a download cut inside a character) keeps the declaration
/// and replaces the bad bytes.
fn with_label<'a>(bytes: &'a [u8], enc: &'static Encoding, damage: Option<String>) -> Decoded<'a> {
    if enc == UTF_8 {
        let text = String::from_utf8_lossy(bytes);
        let damage = damage.or_else(|| {
            matches!(text, Cow::Owned(_))
                .then(|| "bytes that are not UTF-8 in a UTF-8 document".to_string())
        });
        return decoded(text, UTF_8, damage);
    }
    decoded(transcode(enc, bytes), enc, damage)
}

/// UTF-32, which encoding_rs leaves out (the WHATWG dropped it), but which
/// XML allows and feedparser's suite serves: by its BOM, or by `<` as one
/// 32-bit unit.
fn utf32(bytes: &[u8]) -> Option<Decoded<'static>> {
    let (little, skip) = match bytes {
        [0xFF, 0xFE, 0, 0, ..] => (true, 4),
        [0, 0, 0xFE, 0xFF, ..] => (false, 4),
        [b'<', 0, 0, 0, ..] => (true, 0),
        [0, 0, 0, b'<', ..] => (false, 0),
        _ => return None,
    };
    let text: String = bytes[skip..]
        .chunks(4)
        .map(|c| {
            let mut unit = [0u8; 4];
            unit[..c.len()].copy_from_slice(c);
            let v = if little {
                u32::from_le_bytes(unit)
            } else {
                u32::from_be_bytes(unit)
            };
            char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER)
        })
        .collect();
    Some(Decoded {
        text: Cow::Owned(rewrite_prolog_encoding(&text)),
        encoding: if little { "UTF-32LE" } else { "UTF-32BE" },
        damage: None,
    })
}

fn utf8_or_guess(bytes: &[u8]) -> (Cow<'_, str>, &'static Encoding) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), UTF_8),
        Err(_) => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
            (transcode(enc, bytes), enc)
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
        let text = decode_document(&bytes, None).text;
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
    fn utf16_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<a>ok</a>".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_document(&bytes, None).text, "<a>ok</a>");
    }

    #[test]
    fn an_unknown_label_is_damage_and_the_bytes_are_read() {
        let d = decode_document(b"<?xml version=\"1.0\" encoding=\"klingon-7\"?><a/>", None);
        assert_eq!(d.text, "<?xml version=\"1.0\"?><a/>");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.damage.unwrap().contains("klingon-7"));
    }

    #[test]
    fn the_http_charset_outranks_the_declaration_and_a_bom_outranks_both() {
        let doc = b"<?xml version='1.0' encoding='iso-8859-1'?><a>\x93q\x94</a>";
        let by_header = decode_document(doc, Some("windows-1256"));
        assert_eq!(by_header.encoding, "windows-1256");
        let by_prolog = decode_document(doc, None);
        assert_eq!(by_prolog.encoding, "windows-1252");
        assert!(by_prolog.text.contains("<a>\u{201c}q\u{201d}</a>"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("<a>خبر</a>".as_bytes());
        assert_eq!(
            decode_document(&bom, Some("windows-1252")).text,
            "<a>خبر</a>"
        );
    }

    #[test]
    fn charset_parameters_are_read_as_servers_write_them() {
        assert_eq!(
            charset_param("text/xml;charset= \"us-ascii\"").as_deref(),
            Some("us-ascii")
        );
        assert_eq!(
            charset_param("application/atom+xml; charset='gb2312'").as_deref(),
            Some("gb2312")
        );
        assert_eq!(
            charset_param("text/xml;charset = us-ascii").as_deref(),
            Some("us-ascii")
        );
        assert_eq!(charset_param("text/xml;"), None);
        assert_eq!(charset_param("text/xml"), None);
    }

    #[test]
    fn utf32_with_and_without_bom() {
        let src = "<?xml version=\"1.0\" encoding=\"utf-32\"?><a>ok</a>";
        let le: Vec<u8> = src.chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
        let mut be_bom = vec![0, 0, 0xFE, 0xFF];
        be_bom.extend(src.chars().flat_map(|c| (c as u32).to_be_bytes()));
        for (bytes, name) in [(le, "UTF-32LE"), (be_bom, "UTF-32BE")] {
            let d = decode_document(&bytes, None);
            assert_eq!(d.encoding, name);
            assert_eq!(
                d.text,
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>ok</a>"
            );
        }
    }
}

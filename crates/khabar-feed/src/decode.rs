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

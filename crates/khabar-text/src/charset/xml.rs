//! XML documents (feeds, sitemaps, OPML), in RFC 7303's order: a byte
//! order mark, then the `charset` of the HTTP `Content-Type`, then the XML
//! declaration, then UTF-8, then a statistical guess. A label nobody knows
//! is a damaged document, not a lost one: the bytes are read as UTF-8 or
//! guessed. Text transcoded from another encoding has its declaration
//! rewritten to say `utf-8`, so no parser downstream decodes twice.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

use super::labels::xml_declared_encoding;
use super::sniff::guess;
use super::utf::{decode_utf8_repairing, is_mostly_utf8, utf16_unmarked, utf32};

/// A document as text, with the encoding it was read in and what was
/// wrong with its labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedXml<'a> {
    pub text: Cow<'a, str>,
    /// The encoding_rs name of the encoding used (`UTF-32LE`/`UTF-32BE`,
    /// which encoding_rs does not know, are decoded here).
    pub encoding: &'static str,
    /// What was wrong with the labels or the bytes, for the caller's log.
    pub damage: Option<String>,
}

/// Decodes `bytes` to text; `http_charset` is the `charset` parameter of
/// the response's `Content-Type` ([`super::charset_param`]), if any.
pub fn decode_xml<'a>(bytes: &'a [u8], http_charset: Option<&str>) -> DecodedXml<'a> {
    if let Some((text, little)) = utf32(bytes) {
        return DecodedXml {
            text: Cow::Owned(rewrite_prolog_encoding(&text)),
            encoding: if little { "UTF-32LE" } else { "UTF-32BE" },
            damage: None,
        };
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decoded(transcode(enc, &bytes[bom_len..]), enc, None);
    }
    if let Some(enc) = utf16_unmarked(bytes) {
        return decoded(transcode(enc, bytes), enc, None);
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
    match xml_declared_encoding(bytes) {
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

fn decoded<'a>(
    text: Cow<'a, str>,
    enc: &'static Encoding,
    damage: Option<String>,
) -> DecodedXml<'a> {
    DecodedXml {
        text,
        encoding: enc.name(),
        damage,
    }
}

/// Bytes read in the encoding their label names. Declared UTF-8 with bad
/// bytes (a download cut inside a character, a pasted Latin-1 name) keeps
/// the declaration and repairs only the bad sequences.
fn with_label<'a>(
    bytes: &'a [u8],
    enc: &'static Encoding,
    damage: Option<String>,
) -> DecodedXml<'a> {
    if enc == UTF_8 {
        return match std::str::from_utf8(bytes) {
            Ok(s) => decoded(Cow::Borrowed(s), UTF_8, damage),
            Err(_) => decoded(
                Cow::Owned(decode_utf8_repairing(bytes)),
                UTF_8,
                damage.or_else(|| Some("bytes that are not UTF-8 in a UTF-8 document".to_string())),
            ),
        };
    }
    decoded(transcode(enc, bytes), enc, damage)
}

/// Undeclared bytes: UTF-8 when valid or nearly so (only the damage
/// repaired), else chardetng's guess.
fn utf8_or_guess(bytes: &[u8]) -> (Cow<'_, str>, &'static Encoding) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), UTF_8),
        Err(_) if is_mostly_utf8(bytes) => (Cow::Owned(decode_utf8_repairing(bytes)), UTF_8),
        Err(_) => {
            let enc = guess(bytes, true);
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

/// Replaces the declared encoding with `utf-8` in already transcoded text.
fn rewrite_prolog_encoding(text: &str) -> String {
    let head_len = text.char_indices().nth(512).map_or(text.len(), |(i, _)| i);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1256_prolog_is_transcoded_and_rewritten() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256
            .encode("<?xml version=\"1.0\" encoding=\"windows-1256\"?><a>ايران</a>");
        let text = decode_xml(&bytes, None).text;
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>ايران</a>"
        );
    }

    #[test]
    fn utf8_is_borrowed_untouched() {
        let src = "<?xml version='1.0' encoding='UTF-8'?><a>خبر</a>";
        assert!(matches!(
            decode_xml(src.as_bytes(), None).text,
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn nearly_valid_utf8_stays_utf8() {
        // A Persian feed with one Latin-1 name pasted in, declared and not.
        let mut b =
            "<?xml version='1.0' encoding='utf-8'?><rss><title>خبرگزاری ایرنا گزارش داد</title>"
                .as_bytes()
                .to_vec();
        b.extend_from_slice(b"<author>Jos\xe9</author></rss>");
        let d = decode_xml(&b, None);
        assert_eq!(d.encoding, "UTF-8");
        assert!(
            d.text.contains("خبرگزاری ایرنا") && d.text.contains("José"),
            "{}",
            d.text
        );
        assert!(d.damage.is_some());
        let undeclared = &b[b.iter().position(|&c| c == b'>').map_or(0, |p| p + 1)..];
        let d = decode_xml(undeclared, None);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains("José"));
    }

    #[test]
    fn utf16_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<a>ok</a>".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_xml(&bytes, None).text, "<a>ok</a>");
    }

    #[test]
    fn an_unknown_label_is_damage_and_the_bytes_are_read() {
        let d = decode_xml(b"<?xml version=\"1.0\" encoding=\"klingon-7\"?><a/>", None);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.damage.is_some_and(|m| m.contains("klingon-7")));
    }

    #[test]
    fn the_http_charset_outranks_the_declaration_and_a_bom_outranks_both() {
        let doc = b"<?xml version='1.0' encoding='iso-8859-1'?><a>\x93q\x94</a>";
        assert_eq!(
            decode_xml(doc, Some("windows-1256")).encoding,
            "windows-1256"
        );
        let by_prolog = decode_xml(doc, None);
        assert_eq!(by_prolog.encoding, "windows-1252");
        assert!(by_prolog.text.contains("<a>\u{201c}q\u{201d}</a>"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("<a>خبر</a>".as_bytes());
        assert_eq!(decode_xml(&bom, Some("windows-1252")).text, "<a>خبر</a>");
    }

    #[test]
    fn utf32_with_and_without_bom() {
        let src = "<?xml version=\"1.0\" encoding=\"utf-32\"?><a>ok</a>";
        let le: Vec<u8> = src.chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
        let mut be_bom = vec![0, 0, 0xFE, 0xFF];
        be_bom.extend(src.chars().flat_map(|c| (c as u32).to_be_bytes()));
        for (bytes, name) in [(le, "UTF-32LE"), (be_bom, "UTF-32BE")] {
            let d = decode_xml(&bytes, None);
            assert_eq!(d.encoding, name);
            assert_eq!(
                d.text,
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>ok</a>"
            );
        }
    }
}

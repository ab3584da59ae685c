//! Unicode forms told from the bytes: UTF-32 (which encoding_rs leaves
//! out), UTF-16 without a mark, and nearly-valid UTF-8 and its repair.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// UTF-32 text, by its BOM or by `<` as one 32-bit unit (XML allows it,
/// feedparser's suite serves it): the text and `true` for little-endian.
pub(super) fn utf32(bytes: &[u8]) -> Option<(String, bool)> {
    let (little, skip) = match bytes {
        [0xFF, 0xFE, 0, 0, ..] => (true, 4),
        [0, 0, 0xFE, 0xFF, ..] => (false, 4),
        [b'<', 0, 0, 0, ..] => (true, 0),
        [0, 0, 0, b'<', ..] => (false, 0),
        _ => return None,
    };
    let text = bytes[skip..]
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
    Some((text, little))
}

/// UTF-16 without a BOM: `<` followed or preceded by a NUL byte.
pub(super) fn utf16_unmarked(bytes: &[u8]) -> Option<&'static Encoding> {
    match bytes {
        [b'<', 0, _, 0, ..] => Some(UTF_16LE),
        [0, b'<', 0, _, ..] => Some(UTF_16BE),
        _ => None,
    }
}

/// Valid UTF-8, or UTF-8 with a few broken sequences: a CMS that cut a
/// multi-byte character in half, a page truncated mid-character, or stray
/// Latin-1 bytes pasted into a UTF-8 page. The test is the share of
/// non-ASCII units that are valid multi-byte sequences: legacy 8-bit text
/// forms them only by accident (under 10 % on every legacy page of the dev
/// corpora, Persian windows-1256 included, 0 % on Latin ones), while a
/// UTF-8 page with stray bytes is nearly all valid sequences. At least two
/// thirds must be valid, and two sequences at the least.
pub(super) fn is_mostly_utf8(bytes: &[u8]) -> bool {
    if std::str::from_utf8(bytes).is_ok() {
        return true;
    }
    let (mut valid, mut broken) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().bytes().filter(|&b| b & 0xC0 == 0xC0).count();
        if !chunk.invalid().is_empty() {
            broken += 1;
        }
    }
    valid >= 2 && valid * 3 >= (valid + broken) * 2
}

/// Decodes nearly-valid UTF-8: a lone invalid byte is read as
/// windows-1252 (a stray Latin-1 or cp1252 character, e.g. `é` as 0xE9),
/// any other broken sequence (a cut multi-byte character) becomes U+FFFD.
pub(super) fn decode_utf8_repairing(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        match chunk.invalid() {
            [] => {}
            [b] => {
                let (c, _) = WINDOWS_1252.decode_without_bom_handling(std::slice::from_ref(b));
                match c.chars().next() {
                    Some(ch) if !ch.is_control() => out.push(ch),
                    _ => out.push('\u{FFFD}'),
                }
            }
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_latin1_bytes_are_read_as_latin1() {
        let mut b = "Grüße aus Köln, schön: ".as_bytes().to_vec();
        b.extend_from_slice(b"caf\xe9 \xe2\x82");
        assert!(is_mostly_utf8(&b));
        assert_eq!(
            decode_utf8_repairing(&b),
            "Grüße aus Köln, schön: café \u{FFFD}"
        );
        assert!(!is_mostly_utf8(b"caf\xe9 na\xefve"));
    }

    #[test]
    fn unmarked_wide_forms() {
        assert_eq!(utf16_unmarked(b"<\0a\0"), Some(UTF_16LE));
        assert_eq!(utf16_unmarked(b"\0<\0a"), Some(UTF_16BE));
        assert_eq!(utf16_unmarked(b"<a>"), None);
        let le: Vec<u8> = "<a/>"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        assert_eq!(utf32(&le), Some(("<a/>".to_string(), true)));
    }
}

//! Repairs for two old encoding accidents that still reach feeds and
//! pages as text:
//!
//! * Windows-1252 code points written as if they were Unicode (`&#146;`
//!   for an apostrophe): U+0080-U+009F are C1 control characters nobody
//!   means, while Windows-1252 puts curly quotes, dashes and the euro
//!   there ("demoronising").
//! * UTF-8 read as Windows-1252 or Latin-1 and written out again (`â€¦`
//!   for `…`, `Ã©` for `é`): when the text, turned back into those bytes,
//!   is valid UTF-8 with multi-byte characters, that is what it was.

use std::borrow::Cow;

/// Windows-1252's characters for the bytes 0x80-0x9F (the five it leaves
/// undefined map to themselves).
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

/// Both repairs, demoronising first (a C1 character may be one byte of a
/// mis-decoded UTF-8 sequence).
pub fn repair_encoding_accidents(s: &str) -> Cow<'_, str> {
    match demoronize(s) {
        Cow::Borrowed(b) => fix_mojibake(b),
        Cow::Owned(o) => Cow::Owned(fix_mojibake(&o).into_owned()),
    }
}

/// C1 control characters read as the Windows-1252 characters they were.
pub fn demoronize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_c1) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if is_c1(c) {
                    CP1252_HIGH[c as usize - 0x80]
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// Text that is UTF-8 decoded as Windows-1252, decoded again properly.
pub fn fix_mojibake(s: &str) -> Cow<'_, str> {
    // Mojibake of UTF-8 always starts a character with Â-ô (0xC2-0xF4).
    if !s.chars().any(|c| ('\u{C2}'..='\u{F4}').contains(&c)) {
        return Cow::Borrowed(s);
    }
    let mut bytes = Vec::with_capacity(s.len());
    for c in s.chars() {
        match cp1252_byte(c) {
            Some(b) => bytes.push(b),
            None => return Cow::Borrowed(s),
        }
    }
    match String::from_utf8(bytes) {
        Ok(fixed) if !fixed.is_ascii() => Cow::Owned(fixed),
        _ => Cow::Borrowed(s),
    }
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9F}').contains(&c)
}

fn cp1252_byte(c: char) -> Option<u8> {
    let v = c as u32;
    if v < 0x80 || (0xA0..=0xFF).contains(&v) || is_c1(c) {
        return Some(v as u8);
    }
    CP1252_HIGH
        .iter()
        .position(|h| *h == c)
        .map(|i| 0x80 + i as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_code_points_become_their_characters() {
        assert_eq!(
            demoronize("don\u{92}t \u{93}x\u{94}"),
            "don\u{2019}t \u{201C}x\u{201D}"
        );
        assert!(matches!(demoronize("plain ایران"), Cow::Borrowed(_)));
    }

    #[test]
    fn utf8_read_as_windows_1252_is_read_again() {
        assert_eq!(fix_mojibake("caf\u{C3}\u{A9} \u{E2}\u{80}\u{A6}"), "café …");
        assert_eq!(repair_encoding_accidents("\u{E2}\u{80}\u{A6}"), "…");
        assert_eq!(fix_mojibake("\u{C3}\u{A9}\u{D8}\u{A7}"), "éا");
    }

    #[test]
    fn real_latin_text_and_unicode_are_left_alone() {
        for s in [
            "café crème",
            "Ångström",
            "naïve — “quoted”",
            "ایران",
            "Â alone",
        ] {
            assert_eq!(repair_encoding_accidents(s), s, "{s}");
        }
        // Not all of it repairs: leave it as it came.
        assert_eq!(
            fix_mojibake("\u{E2}\u{80}\u{99}\u{160}"),
            "\u{E2}\u{80}\u{99}\u{160}"
        );
    }
}

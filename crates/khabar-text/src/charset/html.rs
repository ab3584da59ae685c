//! HTML pages: BOM, then the HTTP header, then `<meta charset>`, then the
//! bytes. Pages lie about their encoding often enough that a declaration
//! is only a hint: a page that says UTF-8 but is not valid UTF-8 is
//! re-detected (unless it is nearly valid, then only the damage is
//! repaired), and a page that says Latin-1 while its bytes are plainly
//! Arabic-script windows-1256 is decoded as windows-1256.

use encoding_rs::{Encoding, UTF_8};

use super::labels::{charset_param, meta_charset};
use super::sniff::weigh;
use super::utf::decode_utf8_repairing;

/// A page decoded to text, with the encoding that was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedHtml {
    pub text: String,
    /// WHATWG name of the encoding, e.g. `UTF-8`, `windows-1256`.
    pub encoding: &'static str,
}

/// Decodes page bytes to text; see the module documentation for the order
/// in which charset evidence is trusted. Control characters other than
/// whitespace are dropped: no page means them as text, they are what a
/// wrong guess of a legacy charset leaves behind (windows-1252 has no
/// characters for five bytes), and XML feeds cannot carry them.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> DecodedHtml {
    let (enc, body) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None => {
            let declared = content_type
                .and_then(charset_param)
                .and_then(|l| Encoding::for_label(l.as_bytes()))
                .or_else(|| meta_charset(bytes));
            (weigh(bytes, declared), bytes)
        }
    };
    let text = match enc.decode_without_bom_handling(body) {
        (_, true) if enc == UTF_8 => std::borrow::Cow::Owned(decode_utf8_repairing(body)),
        (text, _) => text,
    };
    let text = if has_stray_control(&text) {
        text.chars().filter(|&c| !is_stray_control(c)).collect()
    } else {
        text.into_owned()
    };
    DecodedHtml {
        text,
        encoding: enc.name(),
    }
}

/// Whether [`is_stray_control`] holds for a character of `text`, read off
/// the UTF-8 bytes: decoding every character to ask costs more than the
/// rest of decoding together. C0 controls and DEL are single bytes; a C1
/// control is 0xC2 followed by a byte below 0xA0.
fn has_stray_control(text: &str) -> bool {
    let b = text.as_bytes();
    let c0 = b.iter().fold(false, |seen, &x| {
        seen | ((x < 0x20) & (x != b'\t') & (x != b'\n') & (x != b'\r') & (x != 0x0C)) | (x == 0x7F)
    });
    c0 || memchr::memchr_iter(0xC2, b).any(|i| b.get(i + 1).is_some_and(|&n| n < 0xA0))
}

/// C0 and C1 controls and DEL, except the whitespace HTML knows.
fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C')
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::WINDOWS_1252;

    #[test]
    fn control_characters_are_dropped() {
        let d = decode_html(
            b"<p>Iran\x02 talks\x1b resume\x7f</p>\t\n",
            Some("text/html; charset=utf-8"),
        );
        assert_eq!(d.text, "<p>Iran talks resume</p>\t\n");
        // Byte 0x81 has no character in windows-1252 and decodes to U+0081.
        let d = decode_html(
            b"<p>caf\xe9\x81</p>",
            Some("text/html; charset=windows-1252"),
        );
        assert_eq!(d.text, "<p>caf\u{e9}</p>");
    }

    #[test]
    fn utf8_with_one_broken_character_stays_utf8() {
        let text = "<p>نامزدهای نهایی دهمین جایزه ادبی معرفی شدند</p>".repeat(5);
        let mut bytes = text.into_bytes();
        let cut = bytes.len() / 2;
        while bytes[cut] & 0xC0 == 0x80 {
            bytes.remove(cut);
        }
        bytes.insert(cut, 0xD8); // a lead byte with its continuation missing
        for ct in [None, Some("text/html; charset=utf-8")] {
            let d = decode_html(&bytes, ct);
            assert_eq!(d.encoding, "UTF-8", "{ct:?}");
            assert!(d.text.contains("دهمین جایزه"), "{ct:?}: {}", d.text);
        }
        // Real windows-1256 text is not mistaken for damaged UTF-8.
        let persian = "<p>خبرگزاری مهر گزارش داد</p>".repeat(20);
        let (cp, _, _) = encoding_rs::WINDOWS_1256.encode(&persian);
        assert_eq!(decode_html(&cp, None).encoding, "windows-1256");
    }

    #[test]
    fn persian_utf8_page_with_a_few_latin1_bytes_stays_utf8() {
        // A UTF-8 Persian page into which a few Latin-1 bytes were pasted
        // (a name with accents copied from an old system).
        let para = "<p>خبرگزاری مهر گزارش داد که رئیس جمهور امروز در تهران سخنرانی کرد.</p>";
        let mut bytes = b"<html><head><meta charset=utf-8></head><body>".to_vec();
        for k in 0..4 {
            bytes.extend_from_slice(para.as_bytes());
            if k % 2 == 0 {
                bytes.extend_from_slice(b"<p>Jos\xe9 M\xfcller, caf\xe9</p>");
            }
        }
        for ct in [
            None,
            Some("text/html; charset=utf-8"),
            Some("text/html; charset=iso-8859-1"),
        ] {
            let d = decode_html(&bytes, ct);
            assert_eq!(d.encoding, "UTF-8", "{ct:?}");
            assert_eq!(
                d.text.matches("رئیس جمهور امروز در تهران").count(),
                4,
                "{ct:?}"
            );
            // Only the bad bytes are touched, and read as the Latin-1 they are.
            assert!(d.text.contains("José Müller, café"), "{ct:?}: {}", d.text);
        }
        // A short English page: two curly quotes, one stray byte.
        let mut short = "<p>It’s the city’s plan, said Jos".as_bytes().to_vec();
        short.extend_from_slice(b"\xe9.</p>");
        let d = decode_html(&short, None);
        assert_eq!(d.encoding, "UTF-8");
        assert!(
            d.text.contains("It’s the city’s plan, said José."),
            "{}",
            d.text
        );
        // Legacy pages stay legacy: windows-1256 Persian and Latin-1 German.
        let persian = para.repeat(10);
        let (cp, _, _) = encoding_rs::WINDOWS_1256.encode(&persian);
        assert_eq!(decode_html(&cp, None).encoding, "windows-1256");
        let (cp, _, _) =
            WINDOWS_1252.encode("<p>Grüße aus München, schöne Straße und Bäckerei.</p>");
        assert_ne!(decode_html(&cp, None).encoding, "UTF-8");
    }

    #[test]
    fn bom_wins_over_everything() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("<meta charset=latin1>ایران".as_bytes());
        let d = decode_html(&b, Some("text/html; charset=iso-8859-1"));
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains("ایران"));
    }

    #[test]
    fn header_charset_is_used() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1251.encode("<p>Привет мир, как дела у вас сегодня</p>");
        let d = decode_html(&bytes, Some("text/html; charset=windows-1251"));
        assert_eq!(d.encoding, "windows-1251");
        assert!(d.text.contains("Привет"));
    }

    #[test]
    fn meta_charset_is_used() {
        let (body, _, _) = WINDOWS_1252.encode("<p>Müller aß Käse und trank Wein, schön.</p>");
        let mut b =
            b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head>".to_vec();
        b.extend_from_slice(&body);
        let d = decode_html(&b, None);
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains("Müller aß Käse"));
    }

    #[test]
    fn declared_utf8_but_invalid_is_redetected() {
        let (body, _, _) =
            WINDOWS_1252.encode("<p>Grüße aus München, schöne Straße und Bäckerei.</p>");
        let mut b = b"<meta charset=\"utf-8\">".to_vec();
        b.extend_from_slice(&body);
        let d = decode_html(&b, Some("text/html; charset=UTF-8"));
        assert_ne!(d.encoding, "UTF-8");
        assert!(d.text.contains("München"), "{}", d.text);
    }

    #[test]
    fn declared_latin1_but_really_arabic_script() {
        let text = "<p>خبرگزاری ایسنا گزارش داد که رئیس جمهور امروز در تهران سخنرانی کرد و درباره اقتصاد کشور صحبت کرد.</p>";
        let (body, _, _) = encoding_rs::WINDOWS_1256.encode(text);
        let mut b = b"<meta charset=\"iso-8859-1\">".to_vec();
        b.extend_from_slice(&body);
        let d = decode_html(&b, None);
        assert_eq!(d.encoding, "windows-1256");
        assert!(d.text.contains("تهران"));
    }

    #[test]
    fn valid_utf8_under_gbk_label_is_utf8() {
        let b = "<meta charset=gb2312><p>人工智能迈上新台阶</p>".as_bytes();
        let d = decode_html(b, None);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains("人工智能"));
        let (gbk, _, _) =
            encoding_rs::GBK.encode("<meta charset=gb2312><p>人工智能迈上新台阶，科技新闻</p>");
        assert!(decode_html(&gbk, None).text.contains("人工智能"));
    }

    #[test]
    fn valid_utf8_under_latin1_label_is_utf8() {
        let b = "<meta charset=iso-8859-1><p>Grüße aus Köln</p>".as_bytes();
        let d = decode_html(b, None);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains("Grüße"));
    }
}

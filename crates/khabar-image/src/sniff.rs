//! The format is read from the bytes, never from the name or the
//! `Content-Type`: a server that sends an HTML page as `image/jpeg` is common
//! (error pages, paywalls, hot-link blockers), and so is a PNG named `.jpg`.

/// Formats khabar decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Jpeg,
    Png,
    Gif,
    WebP,
}

impl SourceFormat {
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Jpeg => "jpeg",
            SourceFormat::Png => "png",
            SourceFormat::Gif => "gif",
            SourceFormat::WebP => "webp",
        }
    }

    pub(crate) fn image_format(self) -> image::ImageFormat {
        match self {
            SourceFormat::Jpeg => image::ImageFormat::Jpeg,
            SourceFormat::Png => image::ImageFormat::Png,
            SourceFormat::Gif => image::ImageFormat::Gif,
            SourceFormat::WebP => image::ImageFormat::WebP,
        }
    }
}

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Supported(SourceFormat),
    /// A real image in a format khabar does not take.
    Other(&'static str),
    /// Not an image at all.
    Unknown,
}

/// Reads the magic bytes.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    use SourceFormat::*;
    let starts = |m: &[u8]| bytes.starts_with(m);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Sniffed::Supported(Jpeg)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Sniffed::Supported(Png)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Sniffed::Supported(Gif)
    } else if bytes.len() >= 12 && starts(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Sniffed::Supported(WebP)
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        match &bytes[8..12] {
            b"avif" | b"avis" => Sniffed::Other("AVIF"),
            b"heic" | b"heix" | b"mif1" | b"msf1" | b"hevc" => Sniffed::Other("HEIF"),
            _ => Sniffed::Unknown,
        }
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Sniffed::Other("TIFF")
    } else if starts(b"BM") && bytes.len() > 14 {
        Sniffed::Other("BMP")
    } else if starts(&[0, 0, 1, 0]) {
        Sniffed::Other("ICO")
    } else if looks_like_svg(bytes) {
        Sniffed::Other("SVG")
    } else {
        Sniffed::Unknown
    }
}

/// SVG is XML and may carry script; it is never re-served, only named.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    head.contains("<svg")
}

/// The first bytes, printable, for the refusal message.
pub(crate) fn start_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(24)])
        .chars()
        .map(|c| if c.is_control() { '.' } else { c })
        .collect()
}

/// A JPEG whose last scan has no end-of-image marker after it was cut
/// short in transfer. The JPEG decoder would fill the missing rows with
/// grey and call it a picture, so the check is made here: inside entropy
/// data every `0xFF` is stuffed, so the last SOS (`FFDA`) marks the last
/// scan and a complete file has `FFD9` after it.
pub(crate) fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let last_sos = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]);
    match last_sos {
        Some(at) => bytes[at + 2..].windows(2).any(|w| w == [0xFF, 0xD9]),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_not_an_image_whatever_it_is_called() {
        assert_eq!(sniff(b"<!doctype html><html>"), Sniffed::Unknown);
        assert_eq!(sniff(b""), Sniffed::Unknown);
    }

    #[test]
    fn svg_and_avif_are_named() {
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><svg xmlns="),
            Sniffed::Other("SVG")
        );
        assert_eq!(sniff(b"\0\0\0\x1cftypavif\0\0\0\0"), Sniffed::Other("AVIF"));
    }

    #[test]
    fn a_scan_without_its_end_marker_is_incomplete() {
        assert!(jpeg_is_complete(&[
            0xFF, 0xD8, 0xFF, 0xDA, 1, 2, 0xFF, 0xD9
        ]));
        assert!(!jpeg_is_complete(&[0xFF, 0xD8, 0xFF, 0xDA, 1, 2, 3]));
        // An end marker before the scan (an embedded thumbnail's) does not count.
        assert!(!jpeg_is_complete(&[0xFF, 0xD9, 0xFF, 0xDA, 1, 2]));
    }
}

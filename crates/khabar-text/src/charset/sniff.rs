//! The statistical guess (chardetng) and how it is weighed against a
//! declaration.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::utf::is_mostly_utf8;

/// How many bytes the statistical detector sees; enough for a confident
/// guess, bounded so huge pages stay cheap.
const DETECTOR_BYTES: usize = 256 * 1024;

/// chardetng's guess for the first [`DETECTOR_BYTES`] of `bytes`.
pub(super) fn guess(bytes: &[u8], allow_utf8: bool) -> &'static Encoding {
    let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
    let slice = &bytes[..bytes.len().min(DETECTOR_BYTES)];
    det.feed(slice, slice.len() == bytes.len());
    det.guess(
        None,
        if allow_utf8 {
            Utf8Detection::Allow
        } else {
            Utf8Detection::Deny
        },
    )
}

/// The encoding of a document with no BOM, given what it declares.
pub(super) fn weigh(bytes: &[u8], declared: Option<&'static Encoding>) -> &'static Encoding {
    let is_utf8 = is_mostly_utf8(bytes);
    let has_high = bytes.iter().any(|&b| b >= 0x80);
    match declared {
        // UTF-16 declared in a byte-oriented document is always a lie (no BOM).
        Some(enc) if enc == UTF_8 || enc.name().starts_with("UTF-16") => {
            if is_utf8 {
                UTF_8
            } else {
                guess(bytes, false)
            }
        }
        Some(enc) => {
            if !has_high {
                enc
            } else if is_utf8 {
                // Valid multi-byte UTF-8 under another label is almost
                // always a stale declaration: real Latin-1, GBK or
                // Shift_JIS text rarely forms valid UTF-8 sequences.
                UTF_8
            } else if enc == WINDOWS_1252 {
                // Latin-1 labels are the usual default of misconfigured
                // servers; trust the detector when it sees another script.
                let g = guess(bytes, false);
                if g != WINDOWS_1252 && !is_latin_family(g) {
                    g
                } else {
                    enc
                }
            } else {
                enc
            }
        }
        None => {
            if is_utf8 {
                UTF_8
            } else {
                guess(bytes, false)
            }
        }
    }
}

fn is_latin_family(enc: &'static Encoding) -> bool {
    matches!(
        enc.name(),
        "windows-1252"
            | "ISO-8859-15"
            | "ISO-8859-2"
            | "windows-1250"
            | "windows-1257"
            | "windows-1254"
    )
}

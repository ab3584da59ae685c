//! In-memory gunzip for `.xml.gz` sitemaps (no I/O: bytes in, bytes out).

use std::io::Read;

use crate::FeedError;

/// The sitemap protocol caps a sitemap at 50 MB uncompressed; a little
/// more is tolerated, a gzip bomb is not.
const MAX_INFLATED: u64 = 64 * 1024 * 1024;

/// `Some(inflated)` when `bytes` is gzip data, `None` when it is not gzip.
pub(crate) fn maybe_gunzip(bytes: &[u8]) -> Result<Option<Vec<u8>>, FeedError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(None);
    }
    let mut out = Vec::new();
    let mut reader = flate2::read::MultiGzDecoder::new(bytes).take(MAX_INFLATED + 1);
    reader
        .read_to_end(&mut out)
        .map_err(|e| FeedError::NotAFeed(format!("gzip data that does not decompress ({e})")))?;
    if out.len() as u64 > MAX_INFLATED {
        return Err(FeedError::NotAFeed(format!(
            "gzip data inflating past {MAX_INFLATED} bytes"
        )));
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn inflates_gzip_and_passes_other_bytes() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"<urlset/>").unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(
            maybe_gunzip(&gz).unwrap().as_deref(),
            Some(&b"<urlset/>"[..])
        );
        assert_eq!(maybe_gunzip(b"<rss/>").unwrap(), None);
        assert!(maybe_gunzip(&[0x1f, 0x8b, 0, 1, 2]).is_err());
    }

    #[test]
    fn gzip_bomb_is_refused() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..65 {
            enc.write_all(&zeros).unwrap();
        }
        let gz = enc.finish().unwrap();
        let err = maybe_gunzip(&gz).unwrap_err();
        assert!(err.to_string().contains("inflating past"), "{err}");
    }
}

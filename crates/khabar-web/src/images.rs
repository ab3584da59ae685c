//! `/img/{id}/{width}[.webp|.jpg]`: the lead-image variants khabar made and
//! stored at ingest, served from the site's own address.
//!
//! A variant never changes under its URL (a new picture gets a new id), so
//! it is cached for a year as `immutable`, with a strong ETag from its
//! bytes. The bare `{width}` form is negotiated on `Accept` (WebP for the
//! browsers that say they take it, JPEG otherwise) and says `Vary: Accept`;
//! `.webp` and `.jpg` name the format for feeds, OpenGraph and JSON-LD,
//! whose readers do not negotiate.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::WebError;
use crate::state::AppState;

/// A year: the longest lifetime caches honour.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The format a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    WebP,
    Jpeg,
    /// No extension: chosen from `Accept`.
    Negotiated,
}

/// `640`, `640.webp`, `640.jpg` (or `.jpeg`); anything else is unknown.
fn parse_file(file: &str) -> Option<(u32, Asked)> {
    let (w, asked) = match file.split_once('.') {
        None => (file, Asked::Negotiated),
        Some((w, "webp")) => (w, Asked::WebP),
        Some((w, "jpg" | "jpeg")) => (w, Asked::Jpeg),
        Some(_) => return None,
    };
    if w.is_empty() || w.len() > 5 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((w.parse().ok()?, asked))
}

fn accepts_webp(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| {
            let mut parts = t.split(';').map(str::trim);
            let kind = parts.next().unwrap_or("");
            let refused = parts.any(|p| p.replace(' ', "") == "q=0");
            kind.eq_ignore_ascii_case("image/webp") && !refused
        })
}

pub async fn variant(
    State(state): State<AppState>,
    Path((id, file)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Some((width, asked)) = parse_file(&file) else {
        return Err(WebError::NotFound);
    };
    let format = match asked {
        Asked::WebP => "webp",
        Asked::Jpeg => "jpeg",
        Asked::Negotiated if accepts_webp(&headers) => "webp",
        Asked::Negotiated => "jpeg",
    };
    let Some(v) = state.store().images().variant(id, width, format).await? else {
        return Err(WebError::NotFound);
    };
    let mime = if v.format == "webp" {
        "image/webp"
    } else {
        "image/jpeg"
    };
    let mut resp = (StatusCode::OK, v.bytes).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    if let Ok(etag) = HeaderValue::from_str(&v.etag) {
        h.insert(header::ETAG, etag);
    }
    if asked == Asked::Negotiated {
        h.insert(header::VARY, HeaderValue::from_static("Accept"));
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(parse_file("640"), Some((640, Asked::Negotiated)));
        assert_eq!(parse_file("320.webp"), Some((320, Asked::WebP)));
        assert_eq!(parse_file("1024.jpg"), Some((1024, Asked::Jpeg)));
        assert_eq!(parse_file("1024.png"), None);
        assert_eq!(parse_file("-1.jpg"), None);
        assert_eq!(parse_file("99999999999"), None);
        assert_eq!(parse_file(".webp"), None);
    }

    #[test]
    fn webp_only_when_accepted() {
        let mut h = HeaderMap::new();
        assert!(!accepts_webp(&h));
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("image/avif,image/webp,*/*;q=0.8"),
        );
        assert!(accepts_webp(&h));
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("image/webp;q=0, image/jpeg"),
        );
        assert!(!accepts_webp(&h));
    }
}

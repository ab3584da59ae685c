//! The stylesheet and the like script, embedded and served under names that
//! carry a hash of their content, so they can be cached for a year and a new
//! release is still picked up at once.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

pub const CSS: &str = include_str!("../static/site.css");
pub const JS: &str = include_str!("../static/like.js");

fn short_hash(s: &str) -> String {
    crate::security::hex(&Sha256::digest(s.as_bytes())[..6])
}

static CSS_HREF: LazyLock<String> =
    LazyLock::new(|| format!("/static/site.{}.css", short_hash(CSS)));
static JS_HREF: LazyLock<String> = LazyLock::new(|| format!("/static/like.{}.js", short_hash(JS)));

pub fn css_href() -> &'static str {
    &CSS_HREF
}

pub fn js_href() -> &'static str {
    &JS_HREF
}

/// `/static/{file}`: hashed names are immutable; plain names get a short cache.
pub async fn serve(Path(file): Path<String>) -> Response {
    let path = format!("/static/{file}");
    let (body, mime) = if path == css_href() || file == "site.css" {
        (CSS, "text/css; charset=utf-8")
    } else if path == js_href() || file == "like.js" {
        (JS, "text/javascript; charset=utf-8")
    } else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if path == css_href() || path == js_href() {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    (
        [(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, cache)],
        body,
    )
        .into_response()
}

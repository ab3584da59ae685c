//! The stylesheet, the like script and the site's icons, embedded and served
//! under names that carry a hash of their content, so they can be cached for
//! a year and a new release is still picked up at once. The web app
//! manifest, which names the site and so is made from its settings, is
//! served by `machines::manifest` with these icons.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub const CSS: &str = include_str!("../static/site.css");
pub const JS: &str = include_str!("../static/like.js");
pub const ICON_SVG: &str = include_str!("../static/favicon.svg");
pub const ICON_32: &[u8] = include_bytes!("../static/icon-32.png");
pub const ICON_180: &[u8] = include_bytes!("../static/icon-180.png");
pub const ICON_512: &[u8] = include_bytes!("../static/icon-512.png");

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn short_hash(s: &[u8]) -> String {
    crate::security::hex(&Sha256::digest(s)[..6])
}

/// One embedded file: its plain name, hashed path, type and bytes.
struct Asset {
    plain: &'static str,
    href: String,
    mime: &'static str,
    body: &'static [u8],
}

fn asset(
    plain: &'static str,
    stem: &str,
    ext: &str,
    mime: &'static str,
    body: &'static [u8],
) -> Asset {
    Asset {
        plain,
        href: format!("/static/{stem}.{}.{ext}", short_hash(body)),
        mime,
        body,
    }
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    vec![
        asset(
            "site.css",
            "site",
            "css",
            "text/css; charset=utf-8",
            CSS.as_bytes(),
        ),
        asset(
            "like.js",
            "like",
            "js",
            "text/javascript; charset=utf-8",
            JS.as_bytes(),
        ),
        asset(
            "favicon.svg",
            "favicon",
            "svg",
            "image/svg+xml",
            ICON_SVG.as_bytes(),
        ),
        asset("icon-32.png", "icon-32", "png", "image/png", ICON_32),
        asset("icon-180.png", "icon-180", "png", "image/png", ICON_180),
        asset("icon-512.png", "icon-512", "png", "image/png", ICON_512),
    ]
});

pub(crate) fn href(plain: &str) -> &'static str {
    ASSETS
        .iter()
        .find(|a| a.plain == plain)
        .map(|a| a.href.as_str())
        .unwrap_or("/")
}

pub fn css_href() -> &'static str {
    href("site.css")
}

pub fn js_href() -> &'static str {
    href("like.js")
}

/// Where the icons and the manifest are, for the page head (`assets` in templates).
#[derive(Serialize)]
pub struct Icons {
    pub icon_svg: &'static str,
    pub icon_png: &'static str,
    pub touch_icon: &'static str,
    pub manifest: &'static str,
}

pub fn icons() -> Icons {
    Icons {
        icon_svg: href("favicon.svg"),
        icon_png: href("icon-32.png"),
        touch_icon: href("icon-180.png"),
        manifest: MANIFEST_PATH,
    }
}

pub const MANIFEST_PATH: &str = "/site.webmanifest";

/// `/static/{file}`: hashed names are immutable; plain names get a short cache.
pub async fn serve(Path(file): Path<String>) -> Response {
    let path = format!("/static/{file}");
    let Some(a) = ASSETS.iter().find(|a| a.href == path || a.plain == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if a.href == path {
        IMMUTABLE
    } else {
        "public, max-age=300"
    };
    (
        [
            (header::CONTENT_TYPE, a.mime),
            (header::CACHE_CONTROL, cache),
        ],
        a.body,
    )
        .into_response()
}

/// `/favicon.ico`, asked for by browsers and feed readers that never read
/// the page head: the 32-pixel PNG (every current browser takes PNG there).
pub async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ICON_32,
    )
        .into_response()
}

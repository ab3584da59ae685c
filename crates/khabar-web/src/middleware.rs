//! Cross-cutting response handling: the HTML error page, ETags with 304
//! answers, and default caching and security headers.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::cache::Precompressed;
use crate::error::ErrorPage;
use crate::state::{AppState, PageMeta, SiteView};
use crate::templates;

/// Bodies larger than this are passed through without an ETag.
const MAX_ETAG_BODY: usize = 8 * 1024 * 1024;

/// Error bodies longer than this are not read back into the JSON message.
const MAX_API_ERROR_BODY: usize = 4096;

/// Every answer under `/api/` is JSON, errors included: a client that asked
/// for JSON must never have to parse an HTML page or axum's plain-text
/// rejections (a malformed id, a bad query string, a wrong method). Errors
/// the API already wrote as JSON pass through; any other error body becomes
/// `{"error": "<its text>"}` with the same status.
pub async fn api_json_errors(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
    if is_json {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let text = to_bytes(body, MAX_API_ERROR_BODY)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = if text.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("error")
            .to_ascii_lowercase()
    } else {
        text
    };
    // No HTML page for this one, whatever the handler asked for.
    parts.extensions.remove::<ErrorPage>();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = serde_json::json!({ "error": message }).to_string();
    Response::from_parts(parts, Body::from(body))
}

/// Replaces the plain body of an error response with the site's error page.
pub async fn error_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let Some(page) = resp.extensions().get::<ErrorPage>().cloned() else {
        return resp;
    };
    #[derive(Serialize)]
    struct Ctx<'a> {
        site: SiteView<'a>,
        page: PageMeta,
        heading: &'static str,
        message: String,
    }
    let mut meta = PageMeta::new(&state, page.heading);
    meta.noindex = true;
    let ctx = Ctx {
        site: state.site(),
        page: meta,
        heading: page.heading,
        message: page.message,
    };
    let status = resp.status();
    let (mut parts, _) = resp.into_parts();
    match templates::render("error.html", &ctx) {
        Ok(html) => {
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            parts.headers.remove(header::CONTENT_LENGTH);
            parts
                .headers
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            let mut r = Response::from_parts(parts, Body::from(html));
            *r.status_mut() = status;
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "error page does not render");
            (status, ctx.message).into_response()
        }
    }
}

/// For successful GET/HEAD answers: a weak ETag from the body's hash (and
/// 304 when the client has it), `Cache-Control: public, max-age=60` unless
/// the handler chose otherwise, and protective headers on every response.
/// An ETag the handler already set (a cached page carries the one computed
/// when it was rendered) is used as it is, without hashing the body again.
/// Counts each request by route and status and records its latency. The
/// route is the matched pattern (`/story/{id}`), never the raw path, so the
/// number of series stays bounded whatever a crawler asks for.
pub async fn http_metrics(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let started = std::time::Instant::now();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::counter!("khabar_http_requests_total", "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("khabar_http_request_seconds", "route" => route)
        .record(started.elapsed().as_secs_f64());
    resp
}

pub async fn caching(req: Request, next: Next) -> Response {
    let cacheable_method = matches!(*req.method(), Method::GET | Method::HEAD);
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let gzip_ok = accepts_gzip(req.headers());
    let mut resp = next.run(req).await;
    set_security_headers(&mut resp);
    if !cacheable_method || resp.status() != StatusCode::OK {
        return resp;
    }
    resp.headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("public, max-age=60"));
    let (mut parts, body) = resp.into_parts();
    let (etag, body) = match parts.headers.get(header::ETAG).cloned() {
        Some(etag) => (etag, body),
        None => {
            let bytes = match to_bytes(body, MAX_ETAG_BODY).await {
                Ok(b) => b,
                Err(e) => {
                    tracing::warn!(error = %e, "response body could not be buffered for an ETag");
                    return (StatusCode::INTERNAL_SERVER_ERROR, "response too large")
                        .into_response();
                }
            };
            let etag = crate::cache::etag_of(&bytes);
            parts.headers.insert(header::ETAG, etag.clone());
            (etag, Body::from(bytes))
        }
    };
    let etag = etag.to_str().unwrap_or_default();
    let matches = if_none_match
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|t| {
                t.trim() == etag
                    || t.trim() == "*"
                    || t.trim().trim_start_matches("W/") == etag.trim_start_matches("W/")
            })
        });
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.remove(header::CONTENT_TYPE);
        return Response::from_parts(parts, Body::empty());
    }
    if let Some(Precompressed(gz)) = parts.extensions.remove::<Precompressed>() {
        parts
            .headers
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if gzip_ok {
            parts
                .headers
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            parts.headers.remove(header::CONTENT_LENGTH);
            return Response::from_parts(parts, Body::from(gz));
        }
    }
    Response::from_parts(parts, body)
}

/// Whether the request's Accept-Encoding allows gzip (`q=0` refuses it).
fn accepts_gzip(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

fn set_security_headers(resp: &mut Response) {
    let h = resp.headers_mut();
    h.entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    h.entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.entry(header::X_FRAME_OPTIONS)
        .or_insert(HeaderValue::from_static("DENY"));
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(v: &str) -> axum::http::HeaderMap {
        let mut h = axum::http::HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(v).expect("header"),
        );
        h
    }

    #[test]
    fn reads_whether_gzip_is_accepted() {
        assert!(accepts_gzip(&with("gzip, deflate, br")));
        assert!(accepts_gzip(&with("br;q=1.0, GZIP;q=0.5")));
        assert!(accepts_gzip(&with("*")));
        assert!(!accepts_gzip(&with("br")));
        assert!(!accepts_gzip(&with("gzip;q=0, br")));
        assert!(!accepts_gzip(&axum::http::HeaderMap::new()));
    }
}

//! `POST /story/{id}/like`: one like per reader, without JavaScript
//! (303 back to the story) or with it (`Accept: application/json`).
//!
//! A reader is an anonymous random cookie plus a salted hash of the address;
//! only the hash of both reaches the store. Cross-site forgery is stopped by
//! the SameSite cookie, a form token keyed to that cookie, and the Origin /
//! Referer check; scripts by a per-address token bucket.

use std::net::SocketAddr;

use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{WebError, WebResult};
use crate::pages::{READER_COOKIE, like_token, visible_story};
use crate::security;
use crate::state::AppState;
use crate::view;

#[derive(Debug, Deserialize)]
pub struct LikeForm {
    #[serde(default)]
    pub token: String,
}

/// The key the store counts likes by: nothing personal, stable per reader.
pub fn reader_key(salt: &str, reader_cookie: &str, ip: &std::net::IpAddr) -> String {
    let ip_hash = Sha256::digest(format!("{salt}\0ip\0{ip}").as_bytes());
    let key = Sha256::digest(
        [
            salt.as_bytes(),
            b"\0reader\0",
            reader_cookie.as_bytes(),
            b"\0",
            ip_hash.as_slice(),
        ]
        .concat(),
    );
    security::hex(&key)
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

pub async fn like(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<LikeForm>,
) -> WebResult {
    let json = wants_json(&headers);
    let fail = |e: WebError| -> WebResult {
        if json {
            Ok((
                e.status(),
                axum::Json(serde_json::json!({ "error": e.public_message() })),
            )
                .into_response())
        } else {
            Err(e)
        }
    };
    if !security::same_origin(&headers, state.inner.site_host.as_deref()) {
        return fail(WebError::Forbidden(
            "This form must be sent from this site.".into(),
        ));
    }
    let Some(reader) = security::cookie(&headers, READER_COOKIE) else {
        return fail(WebError::Forbidden(
            "Please enable cookies to like stories.".into(),
        ));
    };
    let expected = like_token(&state, &reader);
    if !security::constant_time_eq(form.token.as_bytes(), expected.as_bytes()) {
        return fail(WebError::Forbidden(
            "This form has expired; reload the page and try again.".into(),
        ));
    }
    let ip = security::client_ip(&headers, peer.as_ref().map(|e| &e.0));
    if !state.inner.likes_limiter.allow(ip) {
        let mut resp = fail(WebError::TooManyRequests)?;
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return Ok(resp);
    }
    let story = match visible_story(&state, &id).await {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let key = reader_key(&state.settings().like_salt, &reader, &ip);
    let (likes, counted) = state.store().add_like(story.id, &key).await?;
    if json {
        let body = serde_json::json!({ "likes": likes, "counted": counted, "likes_text": view::likes_text(likes) });
        let mut resp = (StatusCode::OK, axum::Json(body)).into_response();
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return Ok(resp);
    }
    Ok(Redirect::to(&view::story_path(&story)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_key_is_stable_and_hides_the_address() {
        let ip: std::net::IpAddr = "203.0.113.5".parse().unwrap();
        let k = reader_key("salt", "abc", &ip);
        assert_eq!(k, reader_key("salt", "abc", &ip));
        assert_ne!(k, reader_key("salt", "abd", &ip));
        assert_ne!(k, reader_key("other", "abc", &ip));
        assert!(!k.contains("203"));
        assert_eq!(k.len(), 64);
    }
}

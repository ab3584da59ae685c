//! Small cryptographic and request helpers: keyed hashes for CSRF tokens and
//! reader keys, constant-time comparison, cookies, the client's address.
//!
//! The primitives are the RustCrypto crates (`hmac`, `subtle`) and `cookie`,
//! not hand-written: each is reviewed and tested far beyond what a site can
//! do for its own copy. The functions here only fix how khabar uses them.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, header};
use cookie::{Cookie, SameSite};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// HMAC-SHA256 of `msg` under `key`.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    // HMAC takes a key of any length, so `new_from_slice` cannot fail here.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// A keyed token for `purpose` bound to `subject` (e.g. a reader cookie):
/// only the server, which knows the salt, can produce it.
pub fn token(salt: &str, purpose: &str, subject: &str) -> String {
    let mut msg = Vec::with_capacity(purpose.len() + subject.len() + 1);
    msg.extend_from_slice(purpose.as_bytes());
    msg.push(0);
    msg.extend_from_slice(subject.as_bytes());
    hex(&hmac_sha256(salt.as_bytes(), &msg)[..20])
}

/// Compares secrets without an early exit, so response time does not tell
/// an attacker how many leading bytes were right.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// 128 random bits, hex: the anonymous reader id kept in a cookie.
pub fn random_id() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    hex(&bytes)
}

/// The value of cookie `name` from the request's Cookie headers, when it is
/// one of khabar's own: a short alphanumeric id. Anything else (markup, a
/// huge value) is treated as no cookie at all.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value_trimmed().to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`, Secure when the
/// site is served over https.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    Cookie::build((name, value))
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
        .to_string()
}

/// The reader's address: the socket peer, or — only when the peer is a proxy
/// on this machine — the last hop it recorded in `X-Forwarded-For`/`X-Real-IP`.
/// Trusting forwarded headers from anyone else would let a client pick its
/// own rate-limit bucket. Without `ConnectInfo` (router not served through
/// [`crate::serve`]) every client maps to `0.0.0.0` and shares one bucket.
pub fn client_ip(headers: &HeaderMap, peer: Option<&ConnectInfo<SocketAddr>>) -> IpAddr {
    let peer_ip = peer
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    if peer_ip.is_loopback() {
        let forwarded = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .or_else(|| headers.get("x-real-ip").and_then(|v| v.to_str().ok()))
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    peer_ip
}

/// True when a state-changing request plainly comes from this site: its
/// `Origin` (or else `Referer`) host, when the browser sent one, equals the
/// request's `Host` or the configured site host.
pub fn same_origin(headers: &HeaderMap, site_host: Option<&str>) -> bool {
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    let Some(claimed) = claimed else {
        return true;
    };
    if claimed == "null" {
        return false;
    }
    let Some(claimed_host) = url::Url::parse(claimed).ok().and_then(|u| {
        u.host_str().map(|h| match u.port() {
            Some(p) => format!("{h}:{p}"),
            None => h.to_string(),
        })
    }) else {
        return false;
    };
    let host_header = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let strip = |h: &str| h.split(':').next().unwrap_or(h).to_ascii_lowercase();
    [host_header, site_host]
        .into_iter()
        .flatten()
        .any(|h| h.eq_ignore_ascii_case(&claimed_host) || strip(h) == strip(&claimed_host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn tokens_depend_on_subject_purpose_and_salt() {
        let a = token("salt", "like", "reader1");
        assert_ne!(a, token("salt", "like", "reader2"));
        assert_ne!(a, token("salt", "admin", "reader1"));
        assert_ne!(a, token("pepper", "like", "reader1"));
        assert_eq!(a, token("salt", "like", "reader1"));
    }

    #[test]
    fn set_cookie_carries_the_protective_attributes() {
        let c = set_cookie("khabar_reader", "abc123", 3600, true);
        let parsed = Cookie::parse(c.as_str()).unwrap();
        assert_eq!(parsed.name_value(), ("khabar_reader", "abc123"));
        assert_eq!(parsed.http_only(), Some(true));
        assert_eq!(parsed.secure(), Some(true));
        assert_eq!(parsed.same_site(), Some(SameSite::Lax));
        assert_eq!(parsed.path(), Some("/"));
        assert_eq!(
            parsed.max_age(),
            Some(cookie::time::Duration::seconds(3600))
        );
        assert!(!set_cookie("k", "v", 60, false).contains("Secure"));
    }

    #[test]
    fn secrets_compare_equal_only_when_equal() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }

    #[test]
    fn cookie_parsing_finds_the_named_cookie_and_rejects_odd_values() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; khabar_reader=abc123; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&h, "khabar_reader").as_deref(), Some("abc123"));
        assert_eq!(cookie(&h, "missing"), None);
        h.insert(header::COOKIE, "khabar_reader=<script>".parse().unwrap());
        assert_eq!(cookie(&h, "khabar_reader"), None);
    }

    #[test]
    fn forwarded_for_is_trusted_only_from_a_local_proxy() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        let local = ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 5000)));
        let remote = ConnectInfo(SocketAddr::from(([192, 0, 2, 1], 5000)));
        assert_eq!(client_ip(&h, Some(&local)).to_string(), "198.51.100.7");
        assert_eq!(client_ip(&h, Some(&remote)).to_string(), "192.0.2.1");
        assert_eq!(
            client_ip(&h, None).to_string(),
            "0.0.0.0",
            "unknown peer: headers not trusted"
        );
    }

    #[test]
    fn cross_site_origin_is_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "news.example:8080".parse().unwrap());
        assert!(same_origin(&h, None));
        h.insert(header::ORIGIN, "http://news.example:8080".parse().unwrap());
        assert!(same_origin(&h, None));
        h.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(!same_origin(&h, None));
        assert!(same_origin(&h, Some("evil.example")));
    }
}

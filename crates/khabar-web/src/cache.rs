//! A small in-process cache of rendered list pages and feeds.
//!
//! The front page, source, tag and day lists and the feeds are the same for
//! every reader and change only when the store does, yet rendering one costs
//! a few store queries and a template run. Each rendered answer is kept under
//! its request key together with the store's generation
//! ([`khabar_store::Store::generation`]) read *before* rendering; a later
//! request serves the copy only while the generation is unchanged, so a
//! publish, hide, takedown or edit — from this process or any other writing
//! to the same database — is visible on the next request. A repeat read is
//! one primary-key read plus a reference-counted copy of the body.
//!
//! Story pages carry a per-reader like token and a fresh like count, so
//! they are kept as shells with those two parts left open
//! (`story_page`) in a [`GenerationCache`] of their own.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard};

use axum::body::{Body, Bytes, to_bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// At most this many pages are kept (keys come from request parameters, so
/// the bound also stops a crawler of `?page=N` from growing the cache).
pub(crate) const MAX_ENTRIES: usize = 512;
/// At most this many body bytes are kept in all.
pub(crate) const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Bodies larger than this are served but not kept.
const MAX_BODY: usize = 4 * 1024 * 1024;

#[derive(Clone)]
struct Entry {
    body: Bytes,
    /// The body gzipped once when kept, served to readers that accept it.
    gzip: Option<Precompressed>,
    content_type: Option<HeaderValue>,
    cache_control: Option<HeaderValue>,
    etag: HeaderValue,
}

impl Entry {
    fn response(&self) -> Response {
        let mut resp = Response::new(Body::from(self.body.clone()));
        if let Some(gz) = &self.gzip {
            resp.extensions_mut().insert(gz.clone());
        }
        let h = resp.headers_mut();
        if let Some(ct) = &self.content_type {
            h.insert(header::CONTENT_TYPE, ct.clone());
        }
        if let Some(cc) = &self.cache_control {
            h.insert(header::CACHE_CONTROL, cc.clone());
        }
        h.insert(header::ETAG, self.etag.clone());
        resp
    }
}

/// What a cached value weighs against the byte budget.
pub(crate) trait Weigh {
    fn weight(&self) -> usize;
}

impl<T: Weigh> Weigh for std::sync::Arc<T> {
    fn weight(&self) -> usize {
        T::weight(self)
    }
}

impl Weigh for Entry {
    fn weight(&self) -> usize {
        self.body.len() + self.gzip.as_ref().map_or(0, |g| g.0.len())
    }
}

/// A gzip copy of a response body, left on the response for the caching
/// middleware (`middleware::caching`) to serve instead of the body
/// when the reader accepts gzip; the compression layer then leaves it alone.
/// A kept page is compressed once per store generation, not per request.
#[derive(Clone)]
pub(crate) struct Precompressed(pub Bytes);

/// Bodies smaller than this are not worth compressing.
const MIN_GZIP: usize = 1024;

fn gzip(body: &[u8]) -> Option<Precompressed> {
    use std::io::Write;
    if body.len() < MIN_GZIP {
        return None;
    }
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 3),
        flate2::Compression::default(),
    );
    enc.write_all(body).ok()?;
    enc.finish().ok().map(|v| Precompressed(Bytes::from(v)))
}

struct Slot<V> {
    generation: i64,
    value: V,
    last_used: u64,
}

struct Inner<K, V> {
    entries: HashMap<K, Slot<V>>,
    bytes: usize,
    tick: u64,
}

/// Values by key, each valid for the one store generation it was made at,
/// bounded in count and bytes (least recently used goes first).
pub(crate) struct GenerationCache<K, V> {
    inner: Mutex<Inner<K, V>>,
    max_entries: usize,
    max_bytes: usize,
}

impl<K: Eq + Hash + Clone, V: Weigh + Clone> GenerationCache<K, V> {
    pub(crate) fn new(max_entries: usize, max_bytes: usize) -> Self {
        GenerationCache {
            inner: Mutex::new(Inner {
                entries: HashMap::new(),
                bytes: 0,
                tick: 0,
            }),
            max_entries,
            max_bytes,
        }
    }

    /// A poisoned lock only means another request panicked mid-update of a
    /// plain map; its contents are still consistent enough to serve or clear.
    fn lock(&self) -> MutexGuard<'_, Inner<K, V>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The kept value for `key` if it was made at `generation`.
    pub(crate) fn get<Q>(&self, key: &Q, generation: i64) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        let slot = inner.entries.get_mut(key)?;
        if slot.generation != generation {
            return None;
        }
        slot.last_used = tick;
        Some(slot.value.clone())
    }

    /// Keeps `value`, made at `generation`, unless it alone is over the byte budget.
    pub(crate) fn insert(&self, key: K, generation: i64, value: V) {
        let weight = value.weight();
        if weight > self.max_bytes {
            return;
        }
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        // Copies of older generations can never be served again.
        let stale: Vec<K> = inner
            .entries
            .iter()
            .filter(|(_, e)| e.generation < generation)
            .map(|(k, _)| k.clone())
            .collect();
        for k in stale {
            if let Some(old) = inner.entries.remove(&k) {
                inner.bytes -= old.value.weight();
            }
        }
        if let Some(old) = inner.entries.remove(&key) {
            inner.bytes -= old.value.weight();
        }
        while !inner.entries.is_empty()
            && (inner.entries.len() >= self.max_entries || inner.bytes + weight > self.max_bytes)
        {
            let Some(lru) = inner
                .entries
                .iter()
                .min_by_key(|(_, e)| e.last_used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(old) = inner.entries.remove(&lru) {
                inner.bytes -= old.value.weight();
            }
        }
        inner.bytes += weight;
        inner.entries.insert(
            key,
            Slot {
                generation,
                value,
                last_used: tick,
            },
        );
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().entries.len()
    }
}

/// Rendered responses by request key, each valid for one store generation.
pub(crate) struct PageCache {
    pages: GenerationCache<String, Entry>,
}

impl PageCache {
    pub(crate) fn new(max_entries: usize, max_bytes: usize) -> PageCache {
        PageCache {
            pages: GenerationCache::new(max_entries, max_bytes),
        }
    }

    /// The kept response for `key` if it was rendered at `generation`.
    pub(crate) fn get(&self, key: &str, generation: i64) -> Option<Response> {
        self.pages.get(key, generation).map(|e| e.response())
    }

    /// Keeps a successful response rendered at `generation` and gives it back
    /// with its ETag set. Other answers (errors, redirects, responses setting
    /// cookies) pass through untouched.
    pub(crate) async fn put(&self, key: String, generation: i64, resp: Response) -> Response {
        if resp.status() != StatusCode::OK || resp.headers().contains_key(header::SET_COOKIE) {
            return resp;
        }
        let (mut parts, body) = resp.into_parts();
        let bytes = match to_bytes(body, MAX_BODY).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "response body too large to cache");
                return (StatusCode::INTERNAL_SERVER_ERROR, "response too large").into_response();
            }
        };
        let etag = etag_of(&bytes);
        parts.headers.insert(header::ETAG, etag.clone());
        let entry = Entry {
            gzip: gzip(&bytes),
            body: bytes.clone(),
            content_type: parts.headers.get(header::CONTENT_TYPE).cloned(),
            cache_control: parts.headers.get(header::CACHE_CONTROL).cloned(),
            etag,
        };
        self.pages.insert(key, generation, entry);
        Response::from_parts(parts, Body::from(bytes))
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.pages.len()
    }
}

/// The weak ETag of a body: the same form the caching middleware gives
/// uncached answers, so a page keeps its ETag whether or not it came from here.
pub(crate) fn etag_of(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
    let tag = format!("W/\"{}\"", crate::security::hex(&digest[..12]));
    // Hex digits and quotes are always a valid header value.
    HeaderValue::from_str(&tag).unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn page(text: &'static str) -> Response {
        let mut r = Response::new(Body::from(text));
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        r
    }

    async fn body(r: Response) -> String {
        let b = to_bytes(r.into_body(), 1 << 20).await.expect("body");
        String::from_utf8(b.to_vec()).expect("utf-8")
    }

    #[tokio::test]
    async fn serves_a_copy_only_for_the_same_generation() {
        let c = PageCache::new(8, 1 << 20);
        assert!(c.get("/", 1).is_none());
        let first = c.put("/".into(), 1, page("one").await).await;
        let etag = first.headers().get(header::ETAG).cloned().expect("etag");
        assert_eq!(body(first).await, "one");
        let hit = c.get("/", 1).expect("kept");
        assert_eq!(hit.headers().get(header::ETAG), Some(&etag));
        assert_eq!(
            hit.headers()
                .get(header::CONTENT_TYPE)
                .map(|v| v.as_bytes()),
            Some(&b"text/html; charset=utf-8"[..])
        );
        assert_eq!(body(hit).await, "one");
        assert!(c.get("/", 2).is_none(), "a newer store generation misses");
        assert!(c.get("/other", 1).is_none());
    }

    #[tokio::test]
    async fn errors_and_cookies_are_not_kept() {
        let c = PageCache::new(8, 1 << 20);
        let mut r = page("missing").await;
        *r.status_mut() = StatusCode::NOT_FOUND;
        let r = c.put("/tag/x".into(), 1, r).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let mut r = page("personal").await;
        r.headers_mut()
            .insert(header::SET_COOKIE, HeaderValue::from_static("a=b"));
        c.put("/me".into(), 1, r).await;
        assert_eq!(c.len(), 0);
    }

    #[tokio::test]
    async fn stays_within_its_bounds() {
        let c = PageCache::new(3, 1 << 20);
        for k in ["a", "b", "c"] {
            c.put(k.into(), 1, page("x").await).await;
        }
        // "a" is used again, so "b" is the least recently used.
        assert!(c.get("a", 1).is_some());
        c.put("d".into(), 1, page("x").await).await;
        assert_eq!(c.len(), 3);
        assert!(c.get("b", 1).is_none());
        assert!(c.get("a", 1).is_some() && c.get("d", 1).is_some());
        // A newer generation drops every older copy at once.
        c.put("e".into(), 2, page("x").await).await;
        assert_eq!(c.len(), 1);

        let small = PageCache::new(100, 10);
        small
            .put("big".into(), 1, page("more than ten bytes").await)
            .await;
        assert_eq!(small.len(), 0, "a body over the byte budget is not kept");
        small.put("s1".into(), 1, page("123456").await).await;
        small.put("s2".into(), 1, page("123456").await).await;
        assert_eq!(small.len(), 1, "bytes stay within the budget");
    }
}

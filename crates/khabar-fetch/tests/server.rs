//! Behaviour against a real HTTP server on 127.0.0.1.

use std::convert::Infallible;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use khabar_fetch::{FetchConfig, FetchError, FetchOutcome, FetchRequest, Fetcher};

#[derive(Default)]
struct Counters {
    robots_hits: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    served: AtomicUsize,
}

const PAGE: &str = "<html><body>خبر: سلام</body></html>";

async fn etag(headers: HeaderMap) -> Response {
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some("\"v1\"")
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::ETAG, "\"v1\""),
            (header::LAST_MODIFIED, "Wed, 21 Oct 2015 07:28:00 GMT"),
            (header::CONTENT_TYPE, "application/rss+xml"),
        ],
        "<rss/>",
    )
        .into_response()
}

fn redirect(to: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to.to_string())]).into_response()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        w.write_all(data).unwrap();
    }
    out
}

async fn slow(State(c): State<Arc<Counters>>) -> &'static str {
    let now = c.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    c.max_in_flight.fetch_max(now, Ordering::SeqCst);
    // Holding the request open makes overlapping requests overlap here.
    tokio::time::sleep(Duration::from_millis(150)).await;
    c.in_flight.fetch_sub(1, Ordering::SeqCst);
    "ok"
}

async fn huge(State(c): State<Arc<Counters>>) -> Response {
    // Endless, chunked, no Content-Length: only a client that stops at its
    // cap ever finishes.
    let stream = futures_util::stream::repeat_with(move || {
        c.served.fetch_add(64 * 1024, Ordering::SeqCst);
        Ok::<_, Infallible>(Bytes::from(vec![b'x'; 64 * 1024]))
    });
    Response::new(Body::from_stream(stream))
}

async fn start() -> (String, Arc<Counters>) {
    let counters = Arc::new(Counters::default());
    let app = Router::new()
        .route("/etag", get(etag))
        .route("/500", get(|| async { StatusCode::INTERNAL_SERVER_ERROR }))
        .route(
            "/429",
            get(|| async {
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, "120")],
                    "slow down",
                )
            }),
        )
        .route("/r1", get(|| async { redirect("/r2") }))
        .route(
            "/r2",
            get(|| async {
                (
                    StatusCode::MOVED_PERMANENTLY,
                    [(header::LOCATION, "final?x=1")],
                )
                    .into_response()
            }),
        )
        .route("/final", get(|| async { PAGE }))
        .route("/loop-a", get(|| async { redirect("/loop-b") }))
        .route("/loop-b", get(|| async { redirect("/loop-a") }))
        .route(
            "/chain/{n}",
            get(
                |axum::extract::Path(n): axum::extract::Path<u32>| async move {
                    redirect(&format!("/chain/{}", n + 1))
                },
            ),
        )
        .route(
            "/gzip",
            get(|| async { ([(header::CONTENT_ENCODING, "gzip")], gzip(PAGE.as_bytes())) }),
        )
        .route(
            "/br",
            get(|| async { ([(header::CONTENT_ENCODING, "br")], brotli(PAGE.as_bytes())) }),
        )
        .route("/huge", get(huge))
        .route(
            "/robots.txt",
            get(|State(c): State<Arc<Counters>>| async move {
                c.robots_hits.fetch_add(1, Ordering::SeqCst);
                "User-agent: *\nDisallow: /private/\n"
            }),
        )
        .route("/private/page", get(|| async { PAGE }))
        .route("/public/page", get(|| async { PAGE }))
        .route("/slow", get(slow))
        .route(
            "/accept",
            get(|h: HeaderMap| async move {
                h.get(header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string()
            }),
        )
        .with_state(counters.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.ok();
    });
    (format!("http://{addr}"), counters)
}

fn test_config() -> FetchConfig {
    FetchConfig {
        allow_private_addresses: true,
        per_host_delay: Duration::ZERO,
        timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        ..FetchConfig::default()
    }
}

fn page(outcome: FetchOutcome) -> khabar_fetch::FetchedPage {
    match outcome {
        FetchOutcome::Fetched(p) => p,
        FetchOutcome::NotModified => panic!("expected a page, got NotModified"),
    }
}

#[tokio::test]
async fn etag_then_not_modified() {
    let (base, _) = start().await;
    let f = Fetcher::new(test_config()).unwrap();
    let first = page(
        f.fetch(&FetchRequest::feed(format!("{base}/etag")))
            .await
            .unwrap(),
    );
    assert_eq!(first.status, 200);
    assert_eq!(first.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        first.last_modified.as_deref(),
        Some("Wed, 21 Oct 2015 07:28:00 GMT")
    );
    assert_eq!(first.content_type.as_deref(), Some("application/rss+xml"));
    assert_eq!(&first.body[..], b"<rss/>");

    let again = FetchRequest {
        etag: first.etag.clone(),
        last_modified: first.last_modified.clone(),
        ..FetchRequest::feed(format!("{base}/etag"))
    };
    assert_eq!(f.fetch(&again).await.unwrap(), FetchOutcome::NotModified);
}

#[tokio::test]
async fn server_error_names_url() {
    let (base, _) = start().await;
    let f = Fetcher::new(test_config()).unwrap();
    let url = format!("{base}/500");
    let err = f.fetch(&FetchRequest::feed(&url)).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{url}: HTTP 500 Internal Server Error")
    );
    assert!(!err.is_permanent());
}

#[tokio::test]
async fn too_many_requests_carries_retry_after() {
    let (base, _) = start().await;
    let f = Fetcher::new(test_config()).unwrap();
    let err = f
        .fetch(&FetchRequest::feed(format!("{base}/429")))
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::Http { status: 429, .. }),
        "{err:?}"
    );
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
}

#[tokio::test]
async fn redirect_chain_is_followed() {
    let (base, _) = start().await;
    let f = Fetcher::new(test_config()).unwrap();
    let p = page(
        f.fetch(&FetchRequest::article(format!("{base}/r1")))
            .await
            .unwrap(),
    );
    assert_eq!(p.final_url, format!("{base}/final?x=1"));
    assert_eq!(std::str::from_utf8(&p.body).unwrap(), PAGE);
}

#[tokio::test]
async fn redirect_loop_and_endless_chain_are_errors() {
    let (base, _) = start().await;
    let f = Fetcher::new(test_config()).unwrap();
    let err = f
        .fetch(&FetchRequest::feed(format!("{base}/loop-a")))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::RedirectLoop { .. }), "{err:?}");
    assert!(err.to_string().contains("redirect loop"), "{err}");
    let err = f
        .fetch(&FetchRequest::feed(format!("{base}/chain/0")))
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::TooManyRedirects { limit: 5, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn body_over_cap_stops_early() {
    let (base, counters) = start().await;
    let f = Fetcher::new(FetchConfig {
        max_body_bytes: 1024 * 1024,
        ..test_config()
    })
    .unwrap();
    let err = f
        .fetch(&FetchRequest::feed(format!("{base}/huge")))
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::TooLarge { limit: 1048576, .. }),
        "{err:?}"
    );
    // The body is endless; returning at all proves we stopped reading.
    assert!(counters.served.load(Ordering::SeqCst) >= 1024 * 1024);
}

#[tokio::test]
async fn compressed_bodies_are_decoded() {
    let (base, _) = start().await;
    let f = Fetcher::new(test_config()).unwrap();
    for path in ["gzip", "br"] {
        let p = page(
            f.fetch(&FetchRequest::feed(format!("{base}/{path}")))
                .await
                .unwrap(),
        );
        assert_eq!(std::str::from_utf8(&p.body).unwrap(), PAGE, "{path}");
    }
}

#[tokio::test]
async fn robots_applies_to_articles_not_feeds_and_is_cached() {
    let (base, counters) = start().await;
    let f = Fetcher::new(test_config()).unwrap();
    let private = format!("{base}/private/page");
    let err = f.fetch(&FetchRequest::article(&private)).await.unwrap_err();
    assert_eq!(
        err,
        FetchError::RobotsDisallowed {
            url: private.clone()
        }
    );
    assert!(page(f.fetch(&FetchRequest::feed(&private)).await.unwrap()).status == 200);
    assert!(
        page(
            f.fetch(&FetchRequest::article(format!("{base}/public/page")))
                .await
                .unwrap()
        )
        .status
            == 200
    );
    assert!(f.fetch(&FetchRequest::article(&private)).await.is_err());
    assert_eq!(
        counters.robots_hits.load(Ordering::SeqCst),
        1,
        "robots.txt fetched once per host"
    );

    let ignoring = Fetcher::new(FetchConfig {
        respect_robots: false,
        ..test_config()
    })
    .unwrap();
    assert!(
        ignoring
            .fetch(&FetchRequest::article(&private))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn per_host_concurrency_is_bounded() {
    let (base, counters) = start().await;
    let f = Fetcher::new(FetchConfig {
        per_host_concurrency: 2,
        ..test_config()
    })
    .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let f = f.clone();
        let url = format!("{base}/slow");
        tasks.push(tokio::spawn(async move {
            f.fetch(&FetchRequest::feed(url)).await
        }));
    }
    for t in tasks {
        assert!(t.await.unwrap().is_ok());
    }
    let max = counters.max_in_flight.load(Ordering::SeqCst);
    assert!((1..=2).contains(&max), "max in flight {max}");
}

#[tokio::test]
async fn default_config_refuses_loopback() {
    let (base, _) = start().await;
    let f = Fetcher::new(FetchConfig::default()).unwrap();
    let err = f
        .fetch(&FetchRequest::feed(format!("{base}/etag")))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Blocked { .. }), "{err:?}");
    assert!(err.to_string().contains("loopback"), "{err}");
    // A name that resolves to loopback is caught by the resolver.
    let port = base.rsplit(':').next().unwrap();
    let err = f
        .fetch(&FetchRequest::feed(format!("http://localhost:{port}/etag")))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Blocked { .. }), "{err:?}");
    assert!(err.is_permanent());
}

#[tokio::test]
async fn silent_server_times_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock); // accept, never answer
        }
    });
    let f = Fetcher::new(FetchConfig {
        timeout: Duration::from_millis(300),
        ..test_config()
    })
    .unwrap();
    let url = format!("http://{addr}/feed");
    let err = f.fetch(&FetchRequest::feed(&url)).await.unwrap_err();
    assert_eq!(err, FetchError::Timeout { url: url.clone() });
    assert_eq!(err.to_string(), format!("{url}: timed out"));
}

#[tokio::test]
async fn bad_urls_and_proxies_are_clear_errors() {
    let f = Fetcher::new(test_config()).unwrap();
    let err = f
        .fetch(&FetchRequest::feed("ftp://example.com/feed"))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::InvalidUrl { .. }), "{err:?}");
    let err = f.fetch(&FetchRequest::feed("not a url")).await.unwrap_err();
    assert!(
        err.to_string().starts_with("not a url: invalid URL"),
        "{err}"
    );
    let req = FetchRequest {
        proxy: Some("gopher://p:1".into()),
        ..FetchRequest::feed("http://example.com/")
    };
    let err = f.fetch(&req).await.unwrap_err();
    assert!(matches!(err, FetchError::Proxy { .. }), "{err:?}");
}

#[tokio::test]
async fn unreachable_proxy_is_a_proxy_error() {
    // Bind then drop: nothing listens on this port afterwards.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let f = Fetcher::new(test_config()).unwrap();
    let req = FetchRequest {
        proxy: Some(format!("socks5://127.0.0.1:{port}")),
        ..FetchRequest::feed("http://example.com/")
    };
    let err = f.fetch(&req).await.unwrap_err();
    assert!(matches!(err, FetchError::Proxy { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("http://example.com/: proxy socks5://127.0.0.1:"),
        "{err}"
    );
}

#[tokio::test]
async fn feeds_and_articles_ask_for_their_media_types() {
    let (base, _) = start().await;
    let f = Fetcher::new(test_config()).unwrap();
    let feed = page(
        f.fetch(&FetchRequest::feed(format!("{base}/accept")))
            .await
            .unwrap(),
    );
    assert!(
        std::str::from_utf8(&feed.body)
            .unwrap()
            .starts_with("application/rss+xml")
    );
    let art = page(
        f.fetch(&FetchRequest::article(format!("{base}/accept")))
            .await
            .unwrap(),
    );
    assert!(
        std::str::from_utf8(&art.body)
            .unwrap()
            .starts_with("text/html")
    );
}

//! Sending: a story to a webhook, a publish ping to a WebSub hub. One HTTP
//! client with a timeout for every request; any answer but 2xx is an error
//! that names the address and the status, for the delivery's record.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderValue, USER_AGENT};

use crate::sign::{SIGNATURE_HEADER, sign};

/// Why a push did not get through. Every variant names the address.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("cannot build the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
    #[error("{url}: not an http(s) URL")]
    BadUrl { url: String },
    #[error("{url}: no answer within {secs}s")]
    Timeout { url: String, secs: u64 },
    #[error("{url}: cannot connect: {source}")]
    Connect {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("{url}: request failed: {source}")]
    Request {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("{url}: answered HTTP {status}")]
    Status { url: String, status: u16 },
}

impl PushError {
    /// The HTTP status the receiver answered, when it answered.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            PushError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Posts webhook deliveries and hub pings.
#[derive(Debug, Clone)]
pub struct PushClient {
    http: reqwest::Client,
    timeout: Duration,
    user_agent: HeaderValue,
}

impl PushClient {
    /// A client whose every request gives up after `timeout` (connecting
    /// included). Redirects are not followed: a receiver that moved must be
    /// reconfigured, and a signed body is not re-sent to an address the
    /// operator never named.
    pub fn new(user_agent: &str, timeout: Duration) -> Result<PushClient, PushError> {
        // reqwest is built without a TLS provider (see the workspace's
        // Cargo.toml): ring, unless the process installed one already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(PushError::Client)?;
        let user_agent = HeaderValue::from_str(user_agent)
            .unwrap_or_else(|_| HeaderValue::from_static("khabar"));
        Ok(PushClient {
            http,
            timeout,
            user_agent,
        })
    }

    /// Posts a story's JSON `body` to a webhook, signed with `secret`;
    /// `delivery_id` goes in `X-Khabar-Delivery` so a receiver can drop a
    /// repeat. Returns the receiver's (2xx) status.
    pub async fn deliver(
        &self,
        url: &str,
        secret: &str,
        body: &str,
        delivery_id: i64,
    ) -> Result<u16, PushError> {
        let target = http_url(url)?;
        let req = self
            .http
            .post(target)
            .header(USER_AGENT, self.user_agent.clone())
            .header(CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, sign(secret, body.as_bytes()))
            .header("X-Khabar-Delivery", delivery_id.to_string())
            .body(body.to_string());
        self.send(url, req).await
    }

    /// WebSub publish: tells `hub` that the feed at `topic` changed
    /// (`hub.mode=publish&hub.url=<topic>`, form-encoded). Returns the
    /// hub's (2xx) status.
    pub async fn ping_hub(&self, hub: &str, topic: &str) -> Result<u16, PushError> {
        let target = http_url(hub)?;
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("hub.mode", "publish")
            .append_pair("hub.url", topic)
            .finish();
        let req = self
            .http
            .post(target)
            .header(USER_AGENT, self.user_agent.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form);
        self.send(hub, req).await
    }

    async fn send(&self, url: &str, req: reqwest::RequestBuilder) -> Result<u16, PushError> {
        let resp = req.send().await.map_err(|e| self.send_error(url, e))?;
        let status = resp.status().as_u16();
        // The answer's body is not wanted; dropping the response closes it.
        drop(resp);
        if (200..300).contains(&status) {
            Ok(status)
        } else {
            Err(PushError::Status {
                url: url.to_string(),
                status,
            })
        }
    }

    fn send_error(&self, url: &str, e: reqwest::Error) -> PushError {
        let url = url.to_string();
        if e.is_timeout() {
            PushError::Timeout {
                url,
                secs: self.timeout.as_secs().max(1),
            }
        } else if e.is_connect() {
            PushError::Connect { url, source: e }
        } else {
            PushError::Request { url, source: e }
        }
    }
}

fn http_url(raw: &str) -> Result<url::Url, PushError> {
    match url::Url::parse(raw) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(u),
        _ => Err(PushError::BadUrl {
            url: raw.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use axum::Router;
    use axum::body::Bytes;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;

    use super::*;

    type Seen = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

    async fn receiver(status: StatusCode) -> (String, Seen) {
        let seen: Seen = Arc::default();
        let log = seen.clone();
        let app = Router::new().route(
            "/",
            post(move |h: HeaderMap, b: Bytes| {
                let log = log.clone();
                async move {
                    log.lock().unwrap().push((h, b));
                    status
                }
            }),
        );
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(l, app).await });
        (format!("http://{addr}/"), seen)
    }

    #[tokio::test]
    async fn a_delivery_is_signed_json() {
        let (url, seen) = receiver(StatusCode::NO_CONTENT).await;
        let client = PushClient::new("khabar-test", Duration::from_secs(5)).unwrap();
        let body = r#"{"id":7}"#;
        assert_eq!(client.deliver(&url, "k", body, 42).await.unwrap(), 204);
        let seen = seen.lock().unwrap();
        let (h, b) = &seen[0];
        assert_eq!(&b[..], body.as_bytes());
        assert_eq!(h["content-type"], "application/json");
        assert_eq!(h["x-khabar-delivery"], "42");
        let sig = h["x-khabar-signature"].to_str().unwrap();
        assert!(crate::verify("k", b, sig));
        assert!(!crate::verify("not-k", b, sig));
    }

    #[tokio::test]
    async fn a_hub_ping_names_the_feed() {
        let (hub, seen) = receiver(StatusCode::ACCEPTED).await;
        let client = PushClient::new("khabar-test", Duration::from_secs(5)).unwrap();
        let feed = "https://n.example/feed.rss?lang=fa";
        assert_eq!(client.ping_hub(&hub, feed).await.unwrap(), 202);
        let seen = seen.lock().unwrap();
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&seen[0].1)
            .into_owned()
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("hub.mode".to_string(), "publish".to_string()),
                ("hub.url".to_string(), feed.to_string())
            ]
        );
    }

    #[tokio::test]
    async fn failures_name_the_address_and_cause() {
        let (url, _) = receiver(StatusCode::INTERNAL_SERVER_ERROR).await;
        let client = PushClient::new("khabar-test", Duration::from_secs(5)).unwrap();
        let e = client.deliver(&url, "k", "{}", 1).await.unwrap_err();
        assert_eq!(e.http_status(), Some(500));
        assert!(e.to_string().contains(&url), "{e}");

        // Nothing listens on a port just freed.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let dead = format!("http://{}/", l.local_addr().unwrap());
        drop(l);
        let e = client.deliver(&dead, "k", "{}", 1).await.unwrap_err();
        assert!(matches!(e, PushError::Connect { .. }), "{e:?}");
        assert!(e.to_string().contains(&dead), "{e}");
        let e = client
            .ping_hub("ftp://hub.example/", "x")
            .await
            .unwrap_err();
        assert!(matches!(e, PushError::BadUrl { .. }), "{e:?}");
    }

    #[tokio::test]
    async fn a_silent_receiver_times_out() {
        // Accepts the connection and never answers.
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", l.local_addr().unwrap());
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((s, _)) = l.accept().await {
                held.push(s);
            }
        });
        let client = PushClient::new("khabar-test", Duration::from_millis(300)).unwrap();
        let e = client.deliver(&url, "k", "{}", 1).await.unwrap_err();
        assert!(matches!(e, PushError::Timeout { .. }), "{e:?}");
    }
}

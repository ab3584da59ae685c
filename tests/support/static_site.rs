//! A local web server for tests that serves a fixed set of documents:
//! path → (content type, body); anything else is a 404.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

pub type Documents = HashMap<String, (&'static str, Vec<u8>)>;

pub struct StaticSite {
    pub addr: SocketAddr,
}

impl StaticSite {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

async fn serve(State(docs): State<Arc<Documents>>, uri: Uri) -> Response {
    match docs.get(uri.path()) {
        Some((ctype, body)) => ([(header::CONTENT_TYPE, *ctype)], body.clone()).into_response(),
        None => (StatusCode::NOT_FOUND, "not here").into_response(),
    }
}

/// Starts serving `docs` on an OS-chosen port of 127.0.0.1.
pub async fn start(docs: Documents) -> StaticSite {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind test site");
    let addr = listener.local_addr().expect("test site address");
    let app = Router::new().fallback(serve).with_state(Arc::new(docs));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    StaticSite { addr }
}

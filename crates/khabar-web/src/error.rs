//! What can go wrong while answering a request, and how each case looks to
//! the reader (an HTML page) or an API client (JSON).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A failed request. Rendered as a plain response carrying an [`ErrorPage`]
/// marker; the `error_pages` middleware turns it into the site's HTML page.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("page not found")]
    NotFound,
    #[error("this story was removed")]
    Gone,
    #[error("{0}")]
    BadRequest(String),
    #[error("sign in required")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("too many requests; try again in a minute")]
    TooManyRequests,
    #[error("store: {0}")]
    Store(#[from] khabar_store::StoreError),
    #[error("template: {0}")]
    Template(#[from] minijinja::Error),
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Gone => StatusCode::GONE,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Unauthorized => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            WebError::Store(_) | WebError::Template(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the reader is told; internal details stay in the log.
    pub fn public_message(&self) -> String {
        match self {
            WebError::Store(_) | WebError::Template(_) => {
                "Something went wrong on our side. Please try again shortly.".into()
            }
            other => other.to_string(),
        }
    }

    pub fn heading(&self) -> &'static str {
        match self {
            WebError::NotFound => "Page not found",
            WebError::Gone => "Story removed",
            WebError::BadRequest(_) => "Bad request",
            WebError::Unauthorized => "Sign in required",
            WebError::Forbidden(_) => "Not allowed",
            WebError::TooManyRequests => "Slow down",
            WebError::Store(_) | WebError::Template(_) => "Server error",
        }
    }
}

/// Marker left in error responses for the HTML error-page middleware.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub heading: &'static str,
    pub message: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let message = self.public_message();
        let mut resp = (status, message.clone()).into_response();
        resp.extensions_mut().insert(ErrorPage {
            heading: self.heading(),
            message,
        });
        resp
    }
}

/// Errors of the JSON API: `{"error": "..."}` with the matching status.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        if status.is_server_error() {
            tracing::error!(error = %self.0, "api request failed");
        }
        (
            status,
            axum::Json(serde_json::json!({ "error": self.0.public_message() })),
        )
            .into_response()
    }
}

pub type WebResult<T = Response> = Result<T, WebError>;

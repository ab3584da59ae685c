//! khabar fetch stage: polite, defensive HTTP for a news crawler.
//!
//! I/O lives here and only here. The fetcher follows redirects itself so
//! that every hop is checked against private addresses, robots.txt (for
//! articles) and the per-host politeness gate; it streams bodies with a
//! hard cap and reports failures as [`FetchError`]s that name the URL.
//!
//! ```no_run
//! use khabar_fetch::{FetchConfig, FetchOutcome, FetchRequest, Fetcher, next_poll_delay};
//! use std::time::Duration;
//! # async fn poll(etag: Option<String>, failures: u32) -> Result<(), khabar_fetch::FetchError> {
//! let fetcher = Fetcher::new(FetchConfig::default())?; // clone it freely
//! let req = FetchRequest { etag, ..FetchRequest::feed("https://feeds.bbci.co.uk/persian/rss.xml") };
//! match fetcher.fetch(&req).await {
//!     Ok(FetchOutcome::Fetched(page)) => { /* khabar_feed::parse_feed(&page.body, &page.final_url) */ }
//!     Ok(FetchOutcome::NotModified) => {}
//!     Err(e) => {
//!         let wait = next_poll_delay(failures + 1, Duration::from_secs(600), Duration::from_secs(6 * 3600), e.retry_after());
//!         eprintln!("{e}; next try in {wait:?}");
//!     }
//! }
//! # Ok(()) }
//! ```

mod address;
mod backoff;
mod config;
mod error;
mod fetcher;
mod host_gate;
mod robots;

pub use address::forbidden_reason;
pub use backoff::{next_poll_delay, parse_retry_after};
pub use config::FetchConfig;
pub use error::FetchError;
pub use fetcher::{FetchOutcome, FetchRequest, FetchedPage, Fetcher, Purpose};
pub use robots::{RobotsTxt, product_token};

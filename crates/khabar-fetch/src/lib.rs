//! khabar fetch stage: polite, defensive HTTP for a news crawler.
//!
//! I/O lives here and only here. The fetcher follows redirects itself so
//! that every hop is checked against private addresses, robots.txt (for
//! articles) and the per-host politeness gate; it streams bodies with a
//! hard cap and reports failures as [`FetchError`]s that name the URL.

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

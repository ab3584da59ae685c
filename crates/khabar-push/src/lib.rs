//! Push out: how khabar tells the outside world about new stories.
//!
//! This crate is the network edge of push-out and nothing else: it signs
//! bodies ([`sign`], [`verify`]), posts a story to a webhook and a WebSub
//! publish ping to a hub ([`PushClient`]), decides which stories a keyword
//! alert wants ([`AlertQuery`]), and spaces retries ([`retry_delay`]). The
//! durable queue lives in the store and the loop that drains it in the
//! `khabar` crate, so a slow or dead receiver is never on the ingest path.

mod alert;
mod client;
mod sign;

pub use alert::{AlertQuery, StoryWords};
pub use client::{PushClient, PushError};
pub use sign::{SIGNATURE_HEADER, sign, verify};

use std::time::Duration;

/// The wait before attempt `attempts + 1`: `base`, doubled for every
/// attempt after the first, never more than `max`.
pub fn retry_delay(base: Duration, max: Duration, attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    base.saturating_mul(2u32.saturating_pow(doublings)).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_and_are_capped() {
        let base = Duration::from_millis(100);
        let max = Duration::from_secs(1);
        assert_eq!(retry_delay(base, max, 1), Duration::from_millis(100));
        assert_eq!(retry_delay(base, max, 2), Duration::from_millis(200));
        assert_eq!(retry_delay(base, max, 4), Duration::from_millis(800));
        assert_eq!(retry_delay(base, max, 5), max);
        assert_eq!(retry_delay(base, max, 1000), max);
        assert_eq!(retry_delay(base, max, 0), base);
    }
}

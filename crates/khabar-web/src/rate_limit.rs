//! Per-address rate limits (likes, admin sign-in): a reader may act as fast
//! as a person clicks, a script may not.
//!
//! The limiter is `governor`'s keyed GCRA limiter (the generic cell rate
//! algorithm: a token bucket kept as one timestamp per key), so the
//! arithmetic and its concurrency are the crate's, not ours.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter as Gcra};

/// Past this many tracked addresses, idle ones are forgotten so the map
/// cannot grow without bound under a spray of addresses.
const PRUNE_AT: usize = 10_000;

/// Up to `per_minute` actions at once per address, refilled continuously at
/// `per_minute` per minute.
pub struct RateLimiter<C: Clock = DefaultClock> {
    limiter: Gcra<IpAddr, HashMapStateStore<IpAddr>, C, NoOpMiddleware<C::Instant>>,
}

impl<C: Clock> std::fmt::Debug for RateLimiter<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("addresses", &self.limiter.len())
            .finish()
    }
}

fn quota(per_minute: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            limiter: Gcra::hashmap(quota(per_minute)),
        }
    }
}

impl<C: Clock> RateLimiter<C> {
    /// A limiter reading time from `clock` (tests use a fake one).
    #[cfg(test)]
    fn with_clock(per_minute: u32, clock: C) -> Self {
        RateLimiter {
            limiter: Gcra::hashmap_with_clock(quota(per_minute), clock),
        }
    }

    /// Takes one action for `ip`; false when its allowance is spent.
    pub fn allow(&self, ip: IpAddr) -> bool {
        if self.limiter.len() >= PRUNE_AT {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&ip).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;
    use std::time::Duration;

    #[test]
    fn allowance_empties_then_refills() {
        let clock = FakeRelativeClock::default();
        let rl = RateLimiter::with_clock(3, clock.clone());
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(rl.allow(ip));
        assert!(rl.allow(ip));
        assert!(rl.allow(ip));
        assert!(!rl.allow(ip));
        assert!(rl.allow(other), "allowances are per address");
        // 3 per minute: one action back after 20 s.
        clock.advance(Duration::from_secs(21));
        assert!(rl.allow(ip));
        assert!(!rl.allow(ip));
    }
}

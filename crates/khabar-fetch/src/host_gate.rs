//! Politeness per host: at most N requests in flight, and a minimum gap
//! (plus jitter) between request starts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

pub(crate) struct HostGates {
    gates: Mutex<HashMap<String, Arc<Gate>>>,
    concurrency: usize,
    delay: Duration,
}

struct Gate {
    slots: Arc<Semaphore>,
    next_start: Mutex<Instant>,
    /// A longer gap the host asked for (robots.txt Crawl-delay).
    min_gap: Mutex<Duration>,
}

impl HostGates {
    pub fn new(concurrency: usize, delay: Duration) -> Self {
        HostGates {
            gates: Mutex::new(HashMap::new()),
            concurrency: concurrency.max(1),
            delay,
        }
    }

    /// Waits for a free slot and this host's turn; the slot is released
    /// when the returned permit drops (after the body has been read).
    pub async fn enter(&self, host: &str) -> Option<OwnedSemaphorePermit> {
        let gate = self.gate(host);
        // The semaphore is never closed, so this is always `Some`; were it
        // ever closed, proceeding unthrottled beats wedging the crawler.
        let permit = gate.slots.clone().acquire_owned().await.ok();
        let asked = *gate.min_gap.lock().unwrap_or_else(|p| p.into_inner());
        let gap = self.delay.max(asked);
        let start_at = {
            let mut next = gate.next_start.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            let at = (*next).max(now);
            *next = at + gap + jitter(gap);
            at
        };
        // Skip the timer when it is already our turn: a zero sleep still
        // costs a trip through tokio's millisecond-granular timer wheel.
        if start_at > Instant::now() {
            tokio::time::sleep_until(start_at).await;
        }
        permit
    }

    /// Raises the gap between requests to `host` (never lowers it below
    /// the configured delay).
    pub fn set_min_gap(&self, host: &str, gap: Duration) {
        let gate = self.gate(host);
        *gate.min_gap.lock().unwrap_or_else(|p| p.into_inner()) = gap;
    }

    fn gate(&self, host: &str) -> Arc<Gate> {
        let mut map = self.gates.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(host.to_ascii_lowercase())
            .or_insert_with(|| {
                Arc::new(Gate {
                    slots: Arc::new(Semaphore::new(self.concurrency)),
                    next_start: Mutex::new(Instant::now()),
                    min_gap: Mutex::new(Duration::ZERO),
                })
            })
            .clone()
    }
}

fn jitter(delay: Duration) -> Duration {
    if delay.is_zero() {
        return Duration::ZERO;
    }
    let half = delay.as_secs_f64() / 2.0;
    Duration::try_from_secs_f64(rand::rng().random_range(0.0..=half)).unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Virtual time: the clock only moves when every task sleeps, so the
    // gaps below are exact and independent of machine load.
    #[tokio::test(start_paused = true)]
    async fn starts_are_spaced_by_the_delay_and_crawl_delay() {
        let gates = HostGates::new(4, Duration::from_secs(2));
        let t0 = Instant::now();
        let _a = gates.enter("news.example").await;
        assert_eq!(Instant::now(), t0, "first request starts at once");
        let _b = gates.enter("NEWS.example").await;
        let gap = Instant::now() - t0;
        assert!(
            gap >= Duration::from_secs(2) && gap <= Duration::from_secs(3),
            "{gap:?}"
        );
        let _other = gates.enter("other.example").await;
        assert_eq!(Instant::now() - t0, gap, "another host does not wait");

        gates.set_min_gap("slow.example", Duration::from_secs(10));
        let t1 = Instant::now();
        let _c = gates.enter("slow.example").await;
        let _d = gates.enter("slow.example").await;
        let gap = Instant::now() - t1;
        assert!(
            gap >= Duration::from_secs(10) && gap <= Duration::from_secs(15),
            "{gap:?}"
        );
    }
}

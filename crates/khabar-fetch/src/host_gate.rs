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
        let gate = {
            let mut map = self.gates.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(host.to_ascii_lowercase())
                .or_insert_with(|| {
                    Arc::new(Gate {
                        slots: Arc::new(Semaphore::new(self.concurrency)),
                        next_start: Mutex::new(Instant::now()),
                    })
                })
                .clone()
        };
        // The semaphore is never closed, so this is always `Some`; were it
        // ever closed, proceeding unthrottled beats wedging the crawler.
        let permit = gate.slots.clone().acquire_owned().await.ok();
        let start_at = {
            let mut next = gate.next_start.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            let at = (*next).max(now);
            *next = at + self.delay + jitter(self.delay);
            at
        };
        // Skip the timer when it is already our turn: a zero sleep still
        // costs a trip through tokio's millisecond-granular timer wheel.
        if start_at > Instant::now() {
            tokio::time::sleep_until(start_at).await;
        }
        permit
    }
}

fn jitter(delay: Duration) -> Duration {
    if delay.is_zero() {
        return Duration::ZERO;
    }
    let half = delay.as_secs_f64() / 2.0;
    Duration::try_from_secs_f64(rand::rng().random_range(0.0..=half)).unwrap_or(Duration::ZERO)
}
